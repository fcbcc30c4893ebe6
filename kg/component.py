"""The spaCy pipeline component ``party_citations``: find and parse citations in a Doc.

Regexes find the symbols (spaCy's tokens are too coarse for "25 - NQ/TW"); the issuing bodies
of kg/data/bodies.tsv are found as a PhraseMatcher over the tokens would find them (`find_bodies`:
a trie-regex of their names picks the places, the tokens there are matched against a trie of the
names' tokens, overlaps are resolved as `filter_spans` does); spaCy's sentences bound lists.
Results go to ``doc.spans["citations"]`` (each span's ``._.citation`` is a `Citation` whose
offsets are character offsets into ``doc.text``) and ``doc.spans["bodies"]``.

    nlp = blank_vietnamese(); nlp.add_pipe("party_citations")

`kg.extract` reads a whole report: it hands the component the text around each citation
(`PartyCitations.analyse`) and gets the citations back as spans of small Docs, one per citation
window, built from the same words the tokenizer makes (see `kg.extract.find_citations`).
"""
from __future__ import annotations

import bisect
import re
from functools import lru_cache

from spacy.attrs import IDX, SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Span

from . import find, parse, tables
from .models import Citation
from .normalise import canonical
from .tokenizer import doc_text, glued_pieces, has_glued, token_spans, words_and_spaces

if not Span.has_extension("citation"):
    Span.set_extension("citation", default=None)
if not Span.has_extension("body_id"):
    Span.set_extension("body_id", default=None)


@Language.factory("party_citations")
def make_party_citations(nlp: Language, name: str):
    return PartyCitations(nlp, name)


class _BodyIndex:
    """The body names, tokenised as the tokenizer cuts them and lower-cased (the PhraseMatcher's
    LOWER): a trie of tokens (exact matching) and a trie-regex of their text that finds every
    place where a name may stand, a separator of one space or none between its tokens."""

    def __init__(self):
        self.trie: dict = {}
        sequences = []
        for body in tables.bodies().values():
            if body.id in parse.NAMED_IN_FULL:
                continue
            for name in sorted({canonical(n) for n in (body.vi, *body.variants)}):
                words, _ = words_and_spaces(name)
                tokens = tuple(w.lower() for w in words if not w.isspace())
                node = self.trie
                for t in tokens:
                    node = node.setdefault(t, {})
                node.setdefault(None, body.id)  # a name two bodies share: the first in the table
                sequences.append("\0".join(tokens))
        self.source = find.trie_alternation(sequences, gap="\0")
        self.lower = re.compile(self.source)  # on text whose lower() keeps its length

    @property
    def anycase(self) -> re.Pattern:
        """The same, case-insensitive, for the rare text whose lower() is longer ("İ")."""
        return _anycase(self.source)


@lru_cache(maxsize=1)
def _anycase(source: str) -> re.Pattern:
    return re.compile(source, re.IGNORECASE)


@lru_cache(maxsize=1)
def body_index() -> _BodyIndex:
    return _BodyIndex()


_HARD_BOUNDARY_REACH = 64  # characters looked back for a place where a token surely starts


def _token_start_before(text: str, pos: int) -> int | None:
    """A place at or before ``pos`` where a token starts: after whitespace, or after a character
    that no token runs across (tokens span letters, digits and "/.-" only), None when none is near."""
    i = pos
    stop = max(0, pos - _HARD_BOUNDARY_REACH)
    while i > stop:
        c = text[i - 1]
        if c.isspace() or not (c.isalnum() or c in "_/.-"):
            return i
        i -= 1
    return 0 if i == 0 else None


#: A place that is words of letters one space apart: the tokens there are those words.
_PLAIN_WORDS = re.compile(r"[^\W\d_]+(?: [^\W\d_]+)*")


@lru_cache(maxsize=4096)  # a report names the same few bodies over and over
def _walk_words(place: str) -> tuple[tuple, tuple]:
    """What the token walk of `find_bodies` finds from the words of ``place`` (letters, one
    space apart: the tokens there): (tokens, start, end, body id, token starts) of every name
    that opens at one of them and ends inside the place, offsets from the place's start; and
    the trie nodes of the walks that reach the last word with names going on (the token after
    the place decides whether one does)."""
    trie = body_index().trie
    words = place.split(" ")
    starts, at = [], 0
    for w in words:
        starts.append(at)
        at += len(w) + 1
    found, going_on = [], []
    for i, w in enumerate(words):
        node = trie.get(w)
        j = i
        while node is not None:
            if None in node:
                found.append((j - i + 1, starts[i], starts[j] + len(words[j]), node[None], tuple(starts[i:j + 1])))
            j += 1
            if j == len(words):
                if len(node) > (None in node):
                    going_on.append(node)
                break
            node = node.get(words[j])
    return tuple(found), tuple(going_on)


def _token_after(text: str, lower: str, end: int) -> str | None:
    """The lower case of the token a walk that reached ``end`` (a token's end) goes on with: the
    next one when it starts there or after one space, else None (the walk stops)."""
    if end < len(text) and text[end] == " ":
        end += 1
    if end >= len(text) or text[end].isspace():
        return None
    if text[end].isalpha():  # a word: the token is its run of word characters, if no glued pair cuts it
        run = _WORD_RUN.match(text, end).end()
        if not has_glued(text, end, run):
            return lower[end:run]
    a, b = next(token_spans(text, end))  # (one starts here: after a token's end or a space)
    return lower[a:b]


_WORD_RUN = re.compile(r"\w+")  # the tokenizer's word (a token opening with a letter opens no date or symbol)


def find_bodies(text: str, *, plain: bool = False) -> list[parse.BodyMatch]:
    """The bodies a PhraseMatcher (attr LOWER) with every name of kg/data/bodies.tsv finds over
    the tokens `words_and_spaces` makes of ``text``, overlaps resolved as `spacy.util.filter_spans`
    resolves them (the longest first, then the earliest; kept when its first and last tokens are
    free). Tokenises only where a name may stand, and not even there where the place is words of
    letters one space apart between token boundaries (`_walk_words`; ``plain``: tokenise every
    place, the reference the tests hold the shortcut to)."""
    index = body_index()
    lower = parse.lower_of(text)  # (the rules of the segment's citations read it too)
    if len(lower) == len(text):
        places = index.lower.finditer(lower)
    else:
        places, lower = index.anycase.finditer(text), None
    # glued words ("BộChính") are cut where tokens are made; a place read from its words holds none
    # (checked there: a scan of the whole segment for them cost as much as the rest)
    glued = has_glued(text) if plain else True
    trie = index.trie
    found = []   # (tokens, start, end, body id, token starts)
    toks: list[tuple[int, int]] = []  # tokens generated so far, from a place where one starts
    gen = None
    k = 0
    words_only = lower is not None and not plain
    n = len(text)
    for m in places:
        s, e = m.span()
        if words_only and (s == 0 or not (text[s - 1].isalnum() or text[s - 1] in "_/.-")) \
                and (e == n or not (text[e].isalnum() or text[e] == "_")) and _PLAIN_WORDS.fullmatch(text, s, e) \
                and not has_glued(text, s, e):
            # a token starts at s (after a character no token runs across) and ends at e, and
            # the words between are the tokens: the walk over them is known from the words alone
            walked, going_on = _walk_words(lower[s:e])
            nxt = _token_after(text, lower, e) if going_on else None
            if nxt is None or not any(nxt in node for node in going_on):
                shift = s.__add__
                found += [(c, s + a, s + b, body_id, tuple(map(shift, starts))) for c, a, b, body_id, starts in walked]
                continue
        if not toks or s >= toks[-1][1]:
            start = _token_start_before(text, s)
            if start is None:  # a long run without a boundary: go on from the last token made
                start = toks[-1][1] if toks else 0
            toks, gen, k = [], token_spans(text, start, glued), 0
        while True:  # every token that starts inside the place may open a name
            if k >= len(toks):
                nxt = next(gen, None)
                if nxt is None:
                    break
                toks.append(nxt)
            a, b = toks[k]
            if a >= e:
                break
            k += 1
            if a < s:
                continue
            # the token's lower case: the lower-cased text there (a final sigma may differ; no name has one)
            node = trie.get(lower[a:b] if lower is not None else text[a:b].lower())
            if node is None:  # most tokens of a place open no name: no walk
                continue
            first, starts, j, prev_end = a, [a], k, b
            while True:
                if None in node:
                    found.append((len(starts), first, prev_end, node[None], tuple(starts)))
                if j >= len(toks):
                    nxt = next(gen, None)
                    if nxt is None:
                        break
                    toks.append(nxt)
                a, b = toks[j]
                if a != prev_end and not (a == prev_end + 1 and text[prev_end] == " "):
                    break  # other whitespace between them is a token of its own
                node = node.get(lower[a:b] if lower is not None else text[a:b].lower())
                if node is None:
                    break
                starts.append(a)
                prev_end = b
                j += 1
    found.sort(key=lambda f: (f[0], -f[1]), reverse=True)
    taken: set[int] = set()
    out = []
    for n, start, end, body_id, starts in found:
        if starts[0] not in taken and starts[-1] not in taken:
            out.append(parse.BodyMatch(start, end, body_id))
            taken.update(starts)
    out.sort(key=lambda b: b.start)
    return out


@lru_cache(maxsize=1)
def span_values_keyed() -> bool:
    """Whether spaCy keeps a Span's extension values in ``doc.user_data`` under ("._.", name,
    start_char, end_char), as spaCy 3 does: the component then writes them there itself (an
    Underscore object a span was a third of the component's time), and `kg.extract` reads
    them there. Checked once on a probe Doc, so another layout falls back to ``span._``."""
    from spacy.vocab import Vocab
    probe = Doc(Vocab(), words=["a", "b"], spaces=[True, False])
    marker = object()
    probe[1:2]._.citation = marker
    return probe.user_data == {("._.", "citation", 2, 3): marker} and probe[1:2]._.citation is marker


#: The fields of `Citation` that `PartyCitations._citation` gives positionally, in this order
#: (tests/test_component.py holds them to the dataclass).
CITATION_FIELDS = ("text", "start", "end", "system", "symbol", "number", "type_code", "issuer_code", "doc_type",
                   "doc_type_id", "date", "issuer", "issuer_id", "term", "title", "year", "short_form", "shared_date",
                   "shared_issuer", "shared_issuer_id", "issuer_ambiguous", "sentence_start", "sentence_end",
                   "sentence_text", "tail_end", "rejected_date", "type_from_word", "issuer_before", "title_quoted",
                   "symbol_start", "symbol_end", "title_end")


class PartyCitations:
    """Finds Party and State citations with their type, date, issuer, term and title."""

    def __init__(self, nlp: Language, name: str = "party_citations"):
        self.name = name
        body_index()  # compiled once per process, not per pipeline or per call

    def __call__(self, doc: Doc) -> Doc:
        found = doc.user_data.pop("kg.found", None)
        if found is None:  # a Doc of its own: the citations of its text, in its sentences
            text = doc_text(doc)
            if len(doc):
                flags, idx = doc.to_array(SENT_START), doc.to_array(IDX)
                sent_starts = [int(i) for i in idx[flags == 1]] + [len(text)]
            else:
                sent_starts = [0]
            found = [(*self.analyse(text, sent_starts, doc.user_data.get("kg.symbols")), 0)]
        # else kg.extract has read them in the text around this Doc: (citations, bodies, offset)
        # for each window of it, an offset being where the window starts there less here
        body_spans, out = [], []
        values = doc.user_data if span_values_keyed() else None
        for citations, bodies, offset in found:
            for b in bodies:
                span = doc.char_span(b.start - offset, b.end - offset)
                if span is not None:
                    if values is None:
                        span._.body_id = b.body_id
                    else:  # what `span._.body_id = …` stores, without an Underscore object a span
                        values["._.", "body_id", span.start_char, span.end_char] = b.body_id
                    body_spans.append(span)
            for c in citations:
                span = doc.char_span(c.start - offset, c.end - offset, alignment_mode="expand")
                if span is not None:
                    if values is None:
                        span._.citation = c
                    else:
                        values["._.", "citation", span.start_char, span.end_char] = c
                    out.append(span)
        doc.spans["bodies"] = body_spans
        doc.spans["citations"] = out
        return doc

    def analyse(self, text: str, sent_starts: list[int], symbols=None, shift: int = 0, short_forms=None):
        """The citations in ``text`` and the bodies found there. ``sent_starts``: where its
        sentences start, then len(text); ``symbols``: the symbols in it if a first pass found
        them (their offsets ``shift`` more than in ``text``), else it looks; ``short_forms``
        the same for `find.short_forms`, as (start, end, word, number) in ``text``."""
        bodies = find_bodies(text)
        by_start = {b.start: b for b in bodies}
        extended = [parse.extend_body(text, b, by_start) for b in by_start.values()]
        parse.remember_extended(text, by_start, dict(zip(by_start, extended)))
        by_end: dict[int, parse.BodyMatch] = {}
        for b in extended:  # two names ending together ("Đảng ủy Sở Tư pháp", "Sở Tư pháp"): the longer one
            if b.end not in by_end or b.start < by_end[b.end].start:
                by_end[b.end] = b
        matches = symbols if symbols is not None else list(find.symbols(text))
        citations = [self._citation(text, m, by_start, by_end, matches[i - 1].end - shift if i else None, shift)
                     for i, m in enumerate(matches)]
        # "(ví dụ: Số: 89/2017/QĐXXST-KDTM)": a form showing what a symbol looks like cites nothing
        low = parse.lowered(text)
        example, where = (find.EXAMPLE_BEFORE, text) if low is None else (find.EXAMPLE_BEFORE_LOWER, low)
        citations = [c for c in citations if not example.search(where, max(0, c.start - 16), c.start)]
        citations += self._short_forms(text, citations, short_forms)
        citations.sort(key=lambda c: c.start)
        trim_titles(citations, text)
        for c in citations:
            i = bisect.bisect_right(sent_starts, c.start) - 1
            c.sentence_start, c.sentence_end = sent_starts[i], sent_starts[i + 1]
        share_list_attributes(citations, text)
        return citations, bodies

    def _citation(self, text: str, m: find.SymbolMatch, by_start, by_end, prev_end: int | None = None,
                  shift: int = 0) -> Citation:
        m_start, m_end = m.start - shift, m.end - shift
        start, dtype = parse.type_before(text, m_start, m.system)
        from_word = dtype is not None
        body = None
        if dtype is None:  # "Quyết định của Bộ Chính trị số31-QĐ/TW"
            start, dtype, body = parse.issuer_inside(text, m_start, by_end, m.system)
            from_word = dtype is not None
        if dtype is None:  # "Quy chế làm việc của … (số06-QĐ/TW"
            dtype = parse.type_named_before(text, m_start, m.system)
            from_word = dtype is not None
        if dtype is None:
            dtype = type_from_code(m)
        elif from_word and ((not dtype.codes and not dtype.own_symbol) or _generic_word(text, start, m_start)):
            # "văn bản số 213-KL/TW" is a Kết luận, "quyết định Quy hoạch số 241/QĐ-TTg" a Quyết định:
            # a word that names no code (or any document) yields to a code that names a type; a
            # Công văn has its own symbol and stays one ("Công văn 3830/QĐ-BTC": the word decides)
            coded = type_from_code(m)
            if coded is not None and (m.type_code or m.system == "party"):
                dtype = coded
        pos = m_end
        foot = find.FOOTNOTE.match(text, pos) if text[pos:pos + 1] in find.FOOTNOTE_OPENS else None
        if foot:  # "19/NQ[19] về …", "694/QĐ-TTg,[34] ngày …": read past the footnote mark
            pos = foot.end()
        placed = None
        if body is None and m.system == "state" and m.issuer_code in parse.CODE_BODIES:
            placed = find.CODE_PLACE.match(text, pos)  # "23/NQ-HĐND tỉnh Khánh Hòa"
            if placed:
                body, pos = parse.BodyMatch(placed.start(), placed.end(), parse.CODE_BODIES[m.issuer_code]), placed.end()
        date, pos, rejected = parse.stated_date_after(text, pos)
        if date is None and rejected is None:
            broken = find.MALFORMED_DATE.match(text, pos)
            if broken:  # "ngày 04/7/025 của Bộ Công Thương": no date, the issuer still read
                rejected = broken.group("d")
        if date is None and rejected is None and find.ISSUED_JUST_BEFORE.search(text, max(0, start - 16), start):
            on_day = find.ON_DAY_AFTER.match(text, pos)
            if on_day:  # "… đã ban hành Nghị quyết 27-NQ/TW vào ngày 21 tháng 5 năm 2018"
                date, pos, rejected = parse.stated_date_after(text, on_day.end())
                pos = pos if date or rejected else m_end
        if date is None and rejected is None:
            pos = parse.year_of_work_after(text, pos)
            if pos > m_end:  # "Chỉ thị 23-CT/TW năm 2023 ngày 25 tháng 5 năm 2023 của Ban Bí thư": the date after the year
                date, pos, rejected = parse.stated_date_after(text, pos)
        ambiguous = False
        if body is None and m.issuer_code in ("TW", "TƯ") and m.system == "party":
            central = find.OF_CENTRAL.match(text, pos)  # "Nghị quyết 60-NQ/TW ngày 12/4/2025 của Trung ương"
            if central:
                # (named by its own name: "Trung ương" alone names no body)
                body = parse.BodyMatch(central.start("body"), central.end("body"), "bch-tw", name=tables.bodies()["bch-tw"].vi)
                pos = central.end()
        if body is None:
            tail_before_issuer = pos
            body, pos, ambiguous = parse.issuer_after(text, pos, by_start)
            if body is not None and find.ISSUING_VERB.match(text, body.end) \
                    and find.STEERING_BEFORE.search(text, max(0, start - 80), start):
                body = None  # "Ban Chỉ đạo về tổng kết Nghị quyết 18-NQ/TW của Chính phủ ban hành …"
            if body is not None and find.ISSUING_VERB.match(text, body.end) and _object_in_a_title(text, start, prev_end):
                # "Nghị quyết 140/NQ-CP thực hiện Nghị quyết 66-NQ/TW do Văn phòng Chính phủ ban hành": the caption's
                # "do X ban hành" closes the title this citation is the object of
                body, pos = None, tail_before_issuer
            if body is not None and date is None and rejected is None:
                # "của Chính phủ ngày 09 tháng 5 năm 2025": the date after the issuer
                date, pos, rejected = parse.stated_date_after(text, pos)
        if rejected is not None and body is None and not ambiguous:
            # "ngày 31/02/2020 của Bộ Chính trị": the date is dropped, the issuer after it still read
            skip = find.DATE_AFTER.match(text, pos) or find.MALFORMED_DATE.match(text, pos)
            if skip:
                body, end, ambiguous = parse.issuer_after(text, skip.end(), by_start)
                pos = end if (body or ambiguous) else pos
        term, pos = parse.term_after(text, pos)
        tail_end = pos
        title, title_end, quoted = parse.title_after(text, pos)
        if body is None and not ambiguous and title:
            # "Chương trình 08-Ctr/TU ngày 26/4/2016 về “…” của Thành uỷ khoá XVI";
            # "Quy định 69-QĐ/TW năm 2022 về … do Ban Chấp hành Trung ương ban hành ngày 06/7/2022"
            body2, pos2, ambiguous2 = parse.issuer_after(text, title_end, by_start)
            if (body2 or ambiguous2) and not quoted and _inside_title(text, start, prev_end):
                # "Quyết định 366/QĐ-TTg về kế hoạch triển khai Nghị quyết 45-NQ/TW về … do Thủ tướng
                # Chính phủ ban hành": the body closes the title this citation stands in, not this one
                body2 = ambiguous2 = None
            if (body2 or ambiguous2) and (quoted or find.ISSUING_VERB.match(text, pos2)):
                body, ambiguous = body2, ambiguous2
                term2, pos2 = parse.term_after(text, pos2)
                term = term or term2
                if date is None and rejected is None:
                    date, pos2, rejected = parse.stated_date_after(text, pos2)
                tail_end = title_end = pos2
        if date is None and rejected is None and quoted:
            # "Nghị quyết 11-NQ/TW, Hội nghị lần thứ năm … về “Hoàn thiện thể chế …”, ngày 3/6/2017": the date after
            # a quoted title
            date, after_title, rejected = parse.stated_date_after(text, title_end)
            title_end = after_title
        if date is None and rejected is None:
            # "Quyết định số 1262/QĐ-TTg của Thủ tướng Chính phủ: Phê duyệt Đề án … Vũ Đức Đam ký 28/07/2014" (a list
            # entry: the trích yếu, the signer, the day of signing)
            after = max(title_end, tail_end)
            signed = find.SIGNED_ON_LATER.match(text, after) if (
                text.find("ký", after, after + find.SIGNED_REACH) >= 0
                or text.find("kí", after, after + find.SIGNED_REACH) >= 0) else None
            if signed and not find.SYMBOL_LIKE.search(text, after, signed.start("d")):
                date = parse.iso_date(signed.group("d"), signed.group("m"), signed.group("y"))
        if (body is None and not ambiguous or date is None and rejected is None) and not _inside_title(text, start, prev_end) \
                and (prev_end is None or _CLAUSE_MARK.search(text, prev_end, start) is not None):
            # (only the first citation of its clause: "Thông báo 659/TB-VPCP … thực hiện Nghị quyết 66-NQ/TW do Văn phòng
            # Chính phủ ban hành" is the notice's caption)
            # "Nghị quyết 1669/NQ-UBTVQH15 năm 2025 sắp xếp các đơn vị … của thành phố Hải Phòng do Ủy ban Thường vụ
            # Quốc hội ban hành": "do <body> ban hành" closing the sentence's words about this citation (and its date:
            # "… được Quốc hội khóa XV, Kỳ họp thứ 9 thông qua ngày 24/6/2025")
            later, verb_at = parse.issuer_closing(text, title_end if quoted else tail_end, by_start)
            if later is not None and body is None and not ambiguous:
                body = later
            if later is not None and date is None and rejected is None and (
                    body is later or body is not None and body.body_id is not None and later.body_id == body.body_id):
                date, _, rejected = parse.stated_date_after(text, verb_at)
        if foot and tail_end == foot.end():
            tail_end = m_end  # the mark alone, nothing read after it
        before = False
        if body is None and not ambiguous:
            body = parse.issuer_before(text, start, by_end)
            if body is None:
                body = parse.issuer_named_before(text, m_start, start, by_start, by_end)
            if body is None:
                body = parse.issuer_of_list(text, start, by_end)
            if body is None:  # "Hội đồng Bộ trưởng cho phép thành lập Hội (Giấy phép số 528/NC)"
                body = parse.issuer_of_bracketed_act(text, start, by_start)
            if body is None:  # "Xét đề nghị của Ban Tổ chức Trung ương (Tờ trình số …, Báo cáo số …)"
                body = parse.issuer_of_proposal(text, start, by_start)
            if body is None:  # "Nghị quyết Hội nghị lần thứ 8 Ban Chấp hành Trung ương … về … số 25-NQ/TW"
                body = parse.issuer_of_plenum_named(text, m_start, by_start)
            if body is None:  # "Chủ tịch Hồ Chí Minh ký Sắc lệnh số 34/SL": the President
                body = parse.issuer_signing(text, start, dtype)
            if body is None:  # "HĐND tỉnh Cà Mau (ngày 28 tháng 4 năm 2025). "Nghị quyết số …""
                body, cited_on = parse.reference_author(text, start, by_end)
                date = date or cited_on
            before = body is not None
            if body is None and not (dtype and dtype.vi.startswith("Thông báo")):
                # (a Thông báo conveys another's words: "Tại Thông báo …-VPCP, Thủ tướng yêu cầu …")
                body = parse.issuer_acting_in(text, start, title_end if title else tail_end, by_start)
            if body is not None and date is None:
                date = parse.date_before_issuer(text, body.start)
        if date is None and rejected is None and body is not None and not before:
            # "Ngày 08/5/2025, Chính phủ đã thông qua Nghị quyết 124/NQ-CP phiên họp Chính phủ …"
            named = parse.issuer_before(text, start, by_end)
            date = parse.date_before_issuer(text, named.start) if named is not None else None
        issuer = (body.name or canonical(text[body.start:body.end])) if body else None
        if placed:
            issuer = f"{tables.bodies()[body.body_id].vi} {canonical(text[placed.start('level'):placed.end()])}"
        if issuer and body.body_id and (issuer.isupper() or issuer.islower() or issuer.lower().startswith("hội nghị")):
            # a heading in capitals, a name in lower case ("chính phủ Việt Nam Dân chủ Cộng hòa ban hành"),
            # or "Hội nghị Trung ương" (the plenum): the body's own name
            city = _CITY_IN_ISSUER.search(issuer)  # "UBND TP": its level stays, spelt out
            issuer = tables.bodies()[body.body_id].vi + (_city_name(city) if city else "")
        elif issuer and has_glued(issuer):
            issuer = " ".join(glued_pieces(issuer))  # "BộChính trị" in scraped text
        symbol, issuer_code = find.symbol_text(m), m.issuer_code
        if issuer_code == "TU" and text[m_end - 2:m_end] == "TƯ" and body is not None and body.body_id \
                and tables.bodies()[body.body_id].level == "central":
            # "09-NQ/TƯ … Ban Chấp hành Trung ương": "TƯ" is Trung ương when a central body issued it (else an OCR "TU")
            symbol, issuer_code = symbol[:-2] + "TW", "TW"
        # (positional, in the order of CITATION_FIELDS: a call with 25 keywords costs three times one without)
        return Citation(
            text[start:tail_end], start, tail_end, m.system, symbol, m.number, m.type_code, issuer_code,
            dtype.vi if dtype else None, dtype.id if dtype else None, date, issuer,
            body.body_id if body else None, term, title, m.year,
            False, None, None, None, ambiguous, 0, 0, "", tail_end, rejected,  # short_form … rejected_date
            from_word, before, quoted, m_start, m_end, max(title_end, tail_end),  # type_from_word … title_end
        )

    def _short_forms(self, text: str, full: list[Citation], found=None) -> list[Citation]:
        """"Nghị quyết 18", "Chỉ thị số 05": candidates that resolve keeps only when they name
        exactly one fully cited document of the same text. ``found``: `find.short_forms` of
        ``text`` as (start, end, word, number), if known."""
        taken = sorted((c.start, c.end) for c in full)
        starts = [s for s, _ in taken]
        out = []
        if found is None:
            found = [(m.start(), m.end(), m.group("word"), m.group("num")) for m in find.short_forms(text)]
        for m_start, m_end, word, number in found:
            i = bisect.bisect_right(starts, m_start) - 1
            if i >= 0 and taken[i][0] <= m_start < taken[i][1]:
                continue
            dtype = tables.type_by_word("party").get(" ".join(word.lower().split()))
            date, end = parse.date_after(text, m_end)
            title, title_end, quoted = parse.title_after(text, end)
            c = Citation(text=text[m_start:end], start=m_start, end=end, system="party",
                         symbol="", number=number, type_code=None, issuer_code=None,
                         doc_type=dtype.vi if dtype else None, doc_type_id=dtype.id if dtype else None,
                         date=date, short_form=True, title=title)
            c.type_from_word = True
            c.tail_end = end
            c.title_end = max(end, title_end)
            c.title_quoted = quoted
            c.symbol_start, c.symbol_end = m_start, m_end
            out.append(c)
        return out


#: What ends a clause between two citations (the second then opens one of its own).
_CLAUSE_MARK = re.compile(r"[.;:\n^]")


def _inside_title(text: str, start: int, prev_end: int | None) -> bool:
    """A citation inside the unquoted title of the one before it: "… về kế hoạch triển khai <here>"."""
    if prev_end is None or start - prev_end > 300 or start < prev_end:
        return False
    gap = text[prev_end:start]
    # "**^**" separates a wiki page's reference entries
    return find.TITLE_WORD.search(gap) is not None and not (
        ";" in gap or "." in gap or "\n" in gap or "(" in gap or "^" in gap)


def _object_in_a_title(text: str, start: int, prev_end: int | None) -> bool:
    """A citation right after the one before it and a cue of its title ("… 140/NQ-CP thực hiện <here>"): the object of
    that title, whose closing words are the title's, not this citation's."""
    if prev_end is None or start < prev_end or start - prev_end > 60:
        return False
    gap = text[prev_end:start]
    return find.TITLE_CUE.search(gap) is not None and not (
        ";" in gap or "." in gap or ":" in gap or "\n" in gap or "(" in gap or "^" in gap)


def _generic_word(text: str, start: int, end: int) -> bool:
    """"văn bản số …": the word for any document, not a type."""
    first = text[start:start + 1]
    if start < end and first not in "vV" and not first.isspace():  # ("" is in any string)
        return False  # (what opens the stripped words: only "v" and "V" lower-case to "v")
    return text[start:end].lstrip().lower().startswith("văn bản")


def type_from_code(m: find.SymbolMatch):
    """The type a symbol's code names when no type word stands before it: NĐ-CP a Nghị định,
    TTr a Tờ trình; "BCTĐ" by its longest known prefix (BC, a Báo cáo); "59/2020/QH14" a Luật."""
    code = m.type_code or ("".join(ch for ch in (m.issuer_code or "") if not ch.isdigit()) if m.system == "state" else None)
    if not code:
        return None
    if (m.system == "state" and m.type_code and m.type_code in tables.issuer_codes()
            and not tables.types_for_code(m.type_code, "state")):
        return None  # "227/TTg-CN", "4912/UBND-NC": number/issuer-unit, a letter's symbol names no type
    for i in range(len(code), 1, -1):
        options = tables.types_for_code(code[:i], m.system)
        if options:
            return options[0]
        if m.system == "party":
            break
    return None


def trim_titles(citations: list[Citation], text: str) -> None:
    """An unquoted title ends where the next citation of a list begins ("… về hội nhập quốc tế,
    Nghị quyết số 70-NQ/TW về …"); a citation inside the title's words stays part of it
    ("về tiếp tục thực hiện Chỉ thị số 05-CT/TW")."""
    for c, nxt in zip(citations, citations[1:]):
        if c.title_quoted or c.title_end <= nxt.start or nxt.start < c.tail_end:
            continue
        sep = find.LIST_SEP.search(text, c.tail_end, nxt.start)
        if sep is None:
            continue
        c.title_end = sep.start()
        title = parse.folded_spaces(text[c.tail_end:c.title_end])
        t = find.TITLE.match(title)
        c.title = title[t.end():].rstrip(" .,") if t else (title or None)
        c.title = c.title or None


_CITY_IN_ISSUER = re.compile(r" (?:TP\.? ?(HCM)|(?:TP|Tp)\.?((?: [^\W\d_]+)*))$")
def _city_name(city: re.Match) -> str:
    """" Thành phố Hồ Chí Minh" for "TPHCM", " Thành phố Hà Nội" for "TP Hà Nội", " Thành phố" for "TP"."""
    return " Thành phố Hồ Chí Minh" if city.group(1) else f" Thành phố{city.group(2)}"


_OF_WORD = re.compile(r"(?i)\s(?:của|do)\s")


def _same_issuing_kind(c: Citation, last: Citation) -> bool:
    """Whether a list's closing date and issuer may be a bare member's too: the same system, and for State symbols the
    same issuer code (its term aside: "QH15" is "QH"), as far as both symbols name one."""
    if c.system != last.system:
        return False
    if c.system != "state" or not c.issuer_code or not last.issuer_code:
        return True
    return c.issuer_code.rstrip("0123456789") == last.issuer_code.rstrip("0123456789")


def share_list_attributes(citations: list[Citation], text: str) -> None:
    """A date or issuer closing a list belongs to the earlier members too ("Quyết định số
    217-QĐ/TW, Quyết định số 218-QĐ/TW, ngày 12/12/2013 của Bộ Chính trị"). It is weak evidence:
    resolve uses it only when a document has no date or issuer of its own elsewhere."""
    run: list[Citation] = []

    def close(run):
        last, head = run[-1], run[0]
        if head.issuer and head.issuer_before:
            # "Theo đề nghị của Sở Nội vụ tại Tờ trình số …, Công văn số …": the body named before
            # the list issued the members that name none of their own
            for c in run[1:]:
                if c.issuer is None and not c.issuer_ambiguous:
                    c.shared_issuer, c.shared_issuer_id = head.issuer, head.issuer_id
        # the closing date and issuer belong to the bare members right before the last one (or
        # closed by a quoted title); a member that names its own issuer is a citation of its own
        for c in reversed(run[:-1]):
            if c.issuer is None and c.shared_issuer is None and c.date and not c.title_quoted:
                # "Kết luận số 09-KL/BCĐ ngày … và Công văn số 21-CV/BCĐ ngày … của Ban Chỉ đạo Trung
                # ương": a dated member takes the closing issuer only when its symbol names the same issuer
                # ("… và Nghị quyết 60-NQ/TW Hội nghị lần thứ 11 Ban Chấp hành Trung ương": a plenum named
                # without "của" is that resolution's own, no issuer closing the list)
                if last.issuer and not c.issuer_ambiguous and c.issuer_code and c.issuer_code == last.issuer_code \
                        and _OF_WORD.search(last.text):
                    c.shared_issuer, c.shared_issuer_id = last.issuer, last.issuer_id
                    continue
                break
            if c.issuer is not None or c.shared_issuer is not None or not (c.date is None or c.title_quoted):
                break
            if not _same_issuing_kind(c, last):
                break  # "Luật … số 41/2024/QH15 và Nghị định số 176/2025/NĐ-CP ngày … của Chính phủ": the decree's own
            if c.date is None and last.date:
                c.shared_date = last.date
            if not c.issuer_ambiguous and last.issuer:
                c.shared_issuer, c.shared_issuer_id = last.issuer, last.issuer_id
            if last.issuer_ambiguous:
                c.issuer_ambiguous = True

    for c in citations:
        if c.short_form:
            continue
        if run:
            prev = run[-1]
            gap = text[prev.title_end:c.start]
            same_sentence = prev.sentence_start == c.sentence_start
            if prev.issuer is not None and not prev.issuer_before and len(run) > 1 and not run[0].issuer_before:
                # "A ngày … và B ngày … của X; C ngày … của Y": X closes A and B, and the list goes on with C
                close(run)
                run = [prev]
            if same_sentence and (find.LIST_SEP.fullmatch(gap) or (run[0].issuer_before and find.SEMICOLON_ITEM.fullmatch(gap))):
                # joined by a separator only; or items of a list under a body named before it, each
                # with its own words, up to a ";" ("Các văn bản của X: Quy định số … quy định …; Văn bản số …")
                run.append(c)
                continue
            if len(run) > 1:
                close(run)
        run = [c]
    if len(run) > 1:
        close(run)
    share_with_the_next(citations, text)


def share_with_the_next(citations: list[Citation], text: str) -> None:
    """"Bộ Quốc phòng ra Quyết định số A thành lập … và ra Quyết định số B": the body named before
    the first issued the second too (weak evidence, as list sharing); "tại văn bản số A …, số B":
    the type word before the first names the second."""
    full = [c for c in citations if not c.short_form]
    for prev, c in zip(full, full[1:]):
        if prev.sentence_start != c.sentence_start:
            continue
        if (c.issuer is None and c.shared_issuer is None and not c.issuer_ambiguous and prev.issuer
                and prev.issuer_before and find.AND_VERB_BEFORE.search(text, max(0, c.start - 24), c.start)):
            c.shared_issuer, c.shared_issuer_id = prev.issuer, prev.issuer_id
            if c.date is None and prev.date:
                c.shared_date = prev.date
        if (c.doc_type is None and prev.doc_type and prev.type_from_word and c.system == prev.system
                and find.LIST_NUMBER_BEFORE.search(text, max(0, c.start - 12), c.start)):
            c.doc_type, c.doc_type_id, c.type_from_word = prev.doc_type, prev.doc_type_id, True
            if c.issuer is None and c.shared_issuer is None and prev.issuer and prev.issuer_before:
                c.shared_issuer, c.shared_issuer_id = prev.issuer, prev.issuer_id
