"""The spaCy pipeline component ``party_citations``: find and parse citations in a Doc.

Regexes find the symbols (spaCy's tokens are too coarse for "25 - NQ/TW"); a PhraseMatcher
built from kg/data/bodies.tsv finds the issuing bodies; spaCy's sentences bound lists.
Results go to ``doc.spans["citations"]`` (each span's ``._.citation`` is a `Citation` whose
offsets are character offsets into ``doc.text``) and ``doc.spans["bodies"]``.

    nlp = blank_vietnamese(); nlp.add_pipe("party_citations")
"""
from __future__ import annotations

import bisect

from spacy.attrs import IDX, SENT_START
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from . import find, parse, tables
from .models import Citation
from .normalise import canonical
from .tokenizer import doc_text

if not Span.has_extension("citation"):
    Span.set_extension("citation", default=None)
if not Span.has_extension("body_id"):
    Span.set_extension("body_id", default=None)


@Language.factory("party_citations")
def make_party_citations(nlp: Language, name: str):
    return PartyCitations(nlp, name)


class PartyCitations:
    """Finds Party and State citations with their type, date, issuer, term and title."""

    def __init__(self, nlp: Language, name: str = "party_citations"):
        self.name = name
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        for body in tables.bodies().values():
            names = {canonical(n) for n in (body.vi, *body.variants)}
            self.matcher.add(body.id, [nlp.make_doc(n) for n in names])

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        spans = filter_spans(self.matcher(doc, as_spans=True))
        for s in spans:
            s._.body_id = doc.vocab.strings[s.label]
        doc.spans["bodies"] = spans
        by_start = {s.start_char: parse.BodyMatch(s.start_char, s.end_char, s._.body_id) for s in spans}
        extended = [parse.extend_body(text, b, by_start) for b in by_start.values()]
        by_end = {b.end: b for b in extended}

        # kg.extract has found the symbols already (its cheap first pass); alone, find them here.
        found = doc.user_data.get("kg.symbols")
        matches = found if found is not None else list(find.symbols(text))
        citations = [self._citation(text, m, by_start, by_end) for m in matches]
        citations += self._short_forms(text, citations)
        citations.sort(key=lambda c: c.start)
        flags, idx = doc.to_array(SENT_START), doc.to_array(IDX)
        sent_starts = [int(i) for i in idx[flags == 1]] + [len(text)]
        out = []
        for c in citations:
            span = doc.char_span(c.start, c.end, alignment_mode="expand")
            if span is None:
                continue
            i = bisect.bisect_right(sent_starts, c.start) - 1
            c.sentence_start, c.sentence_end = sent_starts[i], sent_starts[i + 1]
            span._.citation = c
            out.append(span)
        share_list_attributes([s._.citation for s in out], text)
        doc.spans["citations"] = out
        return doc

    def _citation(self, text: str, m: find.SymbolMatch, by_start, by_end) -> Citation:
        start, dtype = parse.type_before(text, m.start, m.system)
        from_word = dtype is not None
        if dtype is None and m.type_code:
            options = tables.types_for_code(m.type_code, m.system)
            dtype = options[0] if options else None
        pos = m.end
        date, pos, rejected = parse.stated_date_after(text, pos)
        body, pos2, ambiguous = parse.issuer_after(text, pos, by_start)
        pos = pos2
        term, pos = parse.term_after(text, pos)
        tail_end = pos
        title, title_end, quoted = parse.title_after(text, pos)
        if body is None and not ambiguous and quoted:
            # "Chương trình 08-Ctr/TU ngày 26/4/2016 về “…” của Thành uỷ khoá XVI"
            body, pos2, ambiguous = parse.issuer_after(text, title_end, by_start)
            if body or ambiguous:
                term2, pos2 = parse.term_after(text, pos2)
                term = term or term2
                tail_end = pos2
        if body is None and not ambiguous:
            body = parse.issuer_before(text, start, by_end)
            if body is not None and date is None:
                date = parse.date_before_issuer(text, body.start)
        issuer = canonical(text[body.start:body.end]) if body else None
        if issuer and (issuer.isupper() or issuer.lower().startswith("hội nghị")):
            # a heading in capitals, or "Hội nghị Trung ương" (the plenum): the body's own name
            issuer = tables.bodies()[body.body_id].vi
        c = Citation(
            text=text[start:tail_end], start=start, end=tail_end, system=m.system,
            symbol=find.symbol_text(m), number=m.number, type_code=m.type_code,
            issuer_code=m.issuer_code, doc_type=dtype.vi if dtype else None,
            doc_type_id=dtype.id if dtype else None, date=date, issuer=issuer,
            issuer_id=body.body_id if body else None, term=term, title=title, year=m.year,
            issuer_ambiguous=ambiguous, rejected_date=rejected,
        )
        c.type_from_word = from_word
        c.tail_end = tail_end
        c.title_end = title_end if quoted and tail_end <= title_end else tail_end
        c.symbol_start, c.symbol_end = m.start, m.end
        return c

    def _short_forms(self, text: str, full: list[Citation]) -> list[Citation]:
        """"Nghị quyết 18", "Chỉ thị số 05": candidates that resolve keeps only when they name
        exactly one fully cited document of the same text."""
        taken = sorted((c.start, c.end) for c in full)
        starts = [s for s, _ in taken]
        out = []
        for m in find.short_form().finditer(text):
            i = bisect.bisect_right(starts, m.start()) - 1
            if i >= 0 and taken[i][0] <= m.start() < taken[i][1]:
                continue
            dtype = tables.type_by_word("party").get(" ".join(m.group("word").lower().split()))
            date, end = parse.date_after(text, m.end())
            c = Citation(text=text[m.start():end], start=m.start(), end=end, system="party",
                         symbol="", number=m.group("num"), type_code=None, issuer_code=None,
                         doc_type=dtype.vi if dtype else None, doc_type_id=dtype.id if dtype else None,
                         date=date, short_form=True)
            c.type_from_word = True
            c.title_end = c.tail_end = end
            c.symbol_start, c.symbol_end = m.start(), m.end()
            out.append(c)
        return out


def share_list_attributes(citations: list[Citation], text: str) -> None:
    """A date or issuer closing a list belongs to the earlier members too ("Quyết định số
    217-QĐ/TW, Quyết định số 218-QĐ/TW, ngày 12/12/2013 của Bộ Chính trị"). It is weak evidence:
    resolve uses it only when a document has no date or issuer of its own elsewhere."""
    run: list[Citation] = []

    def close(run):
        last = run[-1]
        for c in run[:-1]:
            if c.date is None and last.date:
                c.shared_date = last.date
            if c.issuer is None and not c.issuer_ambiguous and last.issuer:
                c.shared_issuer, c.shared_issuer_id = last.issuer, last.issuer_id
            if last.issuer_ambiguous and c.issuer is None:
                c.issuer_ambiguous = True

    for c in citations:
        if c.short_form:
            continue
        if run:
            prev = run[-1]
            gap = text[prev.title_end:c.start]
            same_sentence = prev.sentence_start == c.sentence_start
            # joined by a separator only; the earlier one bare, or closed by its quoted title
            if same_sentence and find.LIST_SEP.fullmatch(gap) and (prev.date is None or prev.title_end > prev.tail_end):
                run.append(c)
                continue
            if len(run) > 1:
                close(run)
        run = [c]
    if len(run) > 1:
        close(run)
