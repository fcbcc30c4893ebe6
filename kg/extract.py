"""The pipeline end to end: ``extract(text) -> Extraction``.

normalise → find (a cheap regex pass picks the paragraphs that hold citations) → spaCy
(``party_citations`` on those paragraphs only) → resolve → relate. The CLI, the benchmark and
notebooks all call `extract`.
"""
from __future__ import annotations

import bisect
import hashlib
import re
import unicodedata
from functools import lru_cache
from typing import TYPE_CHECKING, Iterable

from . import find, parse, provisions, tables
from .collector import without_collection
from .layout import HEADER_DATE, Layout, layout
from .models import Citation, Extraction, Part, SourceDocument
from .read import display_name
from .normalise import NormalisedText, canonical, normalise, suspect_chars
from .relate import Link, Own, links, relations
from .resolve import DEFAULT_BASE, canonical_symbol, document_iri, report_iri, resolve

if TYPE_CHECKING:
    from spacy.language import Language

MAX_SEGMENT = 4000  # characters of context on each side of a citation that spaCy sees


@lru_cache(maxsize=1)
def pipeline() -> Language:
    """Blank Vietnamese (no pyvi) + sentence boundaries + the citation component. spaCy is
    imported here, on first use: `import kg` and the commands that never extract (query, serve,
    stats …) start 0.6 s sooner."""
    from .collector import paused
    with paused(freeze=True):  # importing spaCy and building a pipeline make no garbage (kg.collector)
        from . import component  # noqa: F401  (registers the "party_citations" factory)
        from .tokenizer import blank_vietnamese
        nlp = blank_vietnamese()
        nlp.add_pipe("party_citations")
    nlp.max_length = SEGMENT_CAP + 2 * MAX_SEGMENT + 1  # segments are capped (see `segments`)
    return nlp


SEGMENT_CAP = 50_000  # characters one spaCy Doc may hold: a sentence without end is cut up


def segments(text: str, anchors: list[int], starts: list[int] | None = None) -> list[tuple[int, int]]:
    """The sentences that hold an anchor, merged when adjacent and cut to MAX_SEGMENT on each
    side; text between them is never read again. Sentence starts come from the same rule the
    spaCy pipeline applies (`sentence_starts`; ``starts``: computed already), so a segment
    begins where spaCy's sentence does. Segments never overlap and never exceed SEGMENT_CAP +
    MAX_SEGMENT characters."""
    from .tokenizer import sentence_starts
    starts = (sentence_starts(text) if starts is None else starts) + [len(text)]
    out: list[tuple[int, int]] = []
    for a in anchors:
        i = bisect.bisect_right(starts, a) - 1
        lo, hi = starts[i], starts[i + 1]
        lo = max(lo, a - MAX_SEGMENT)
        hi = min(hi, a + MAX_SEGMENT)
        if out and lo <= out[-1][1]:
            if out[-1][1] - out[-1][0] < SEGMENT_CAP or a >= out[-1][1]:
                if out[-1][1] - out[-1][0] < SEGMENT_CAP:
                    out[-1] = (out[-1][0], max(hi, out[-1][1]))
                else:  # full: the next segment starts where this one ends
                    out.append((out[-1][1], max(hi, out[-1][1])))
        else:
            out.append((lo, hi))
    return out


def _segment_sentences(norm: str, starts: list[int], lo: int, hi: int) -> list[int]:
    """`sentence_starts` of norm[lo:hi], then its length. A segment that opens a sentence sees
    the sentences the whole text has there (the scan runs the same from a sentence start, and
    every rule looks inside the segment only); one cut out of a long sentence is scanned."""
    i = bisect.bisect_left(starts, lo)
    if i < len(starts) and starts[i] == lo:
        j = bisect.bisect_left(starts, hi, i)
        return [p - lo for p in starts[i:j]] + [hi - lo]
    from .tokenizer import sentence_starts
    return sentence_starts(norm[lo:hi]) + [hi - lo]


def _segment_short_forms(norm: str, shorts: list, starts: list[int], lo: int, hi: int):
    """`find.short_forms(norm[lo:hi])` as (start, end, word, number), from the scan of the whole
    text (``shorts``, ``starts`` their starts), or None when the segment's edges could make them
    differ. Short forms never overlap, end with a digit, and the pattern looks one character
    back (a word character) and two ahead (a digit after a word character or ``/-.,``): with no
    short form of the text across ``lo``, no word character before it, and whitespace just
    before or at ``hi`` (or the text's end), the segment's are the text's inside it."""
    if lo and (norm[lo - 1].isalnum() or norm[lo - 1] == "_"):
        return None
    if hi < len(norm) and not (norm[hi - 1].isspace() or norm[hi].isspace()):
        return None
    i = bisect.bisect_left(starts, lo)
    if i and shorts[i - 1].end() > lo:
        return None
    out = []
    for m in shorts[i:bisect.bisect_left(starts, hi, i)]:
        if m.end() > hi:
            break
        out.append((m.start() - lo, m.end() - lo, m.group("word"), m.group("num")))
    return out


def _to_original(nt: NormalisedText, found: list[tuple[Citation, int]], norm_of: dict | None = None) -> list[Citation]:
    """Shift each citation from its segment's offsets (``shift``: where the segment starts) to the
    normalised text, then to the original (the positions mapped in one call). ``norm_of``: filled
    with original offset → normalised offset (`nt.to_norm`) for each offset mapped, when the text
    is `aligned` (then that is where the offset came from)."""
    norms = [i + shift for c, shift in found for i in (
        c.title_end, c.symbol_start, c.symbol_end, c.sentence_start, c.sentence_end)]
    at = nt.positions(norms)
    original = nt.original
    if norm_of is not None and not nt.aligned():
        norm_of = None
    for k, (c, shift) in enumerate(found):
        start, end = c.start + shift, c.end + shift
        c.start, c.end = nt.span(start, end)
        c.text = original[c.start:c.end]
        c.tail_end = c.end
        c.title_end, c.symbol_start, c.symbol_end, c.sentence_start, c.sentence_end = at[5 * k:5 * k + 5]
        if norm_of is not None:
            norm_of[c.start] = start
            norm_of[c.end] = end if end > start else start  # (an empty span: both ends at pos(start))
    if norm_of is not None:
        norm_of.update(zip(at, norms))
    return [c for c, _ in found]


_HEADER_LINE = re.compile(r"[ \t#*>_\-]{0,8}(?i:số)\s{0,2}:?\s{0,3}$")


def _heading_type(lines: list[str]) -> str | None:
    words = tables.type_by_word("party")
    for line in lines:
        bare = " ".join(line.strip(" #*_").split())
        if bare and bare.isupper() and bare.lower() in words:
            return words[bare.lower()].vi
    return None


@lru_cache(maxsize=1)
def _body_names() -> dict[str, str]:
    """Every spelling of every body, lower-cased → its canonical name."""
    return {canonical(name).lower(): body.vi for body in tables.bodies().values() for name in (body.vi, *body.variants)}


def _heading_body(lines: list[str]) -> str | None:
    """A header line that is a body's name ("BAN CHẤP HÀNH TRUNG ƯƠNG", "ĐẢNG ỦY KHỐI"); a People's
    Committee or Council with the place its header names ("ỦY BAN NHÂN\nDÂN / TỈNH BẮC NINH" →
    "Ủy ban nhân dân tỉnh Bắc Ninh"): the level belongs to its name."""
    column = _header_column(lines)
    placed = _placed_heading_body(column)
    if placed:
        return placed
    names = _body_names()
    whole = names.get(canonical(" ".join(" ".join(column).replace("*", " ").split())).lower())
    if whole:
        return whole  # "VĂN PHÒNG / CHÍNH PHỦ": one name over two lines
    # "BỘ TÀI CHÍNH / CỤC THUẾ": the issuing body stands under the body it belongs to
    for line in reversed(column):
        hit = names.get(canonical(line.strip(" #*_")).lower())
        if hit:
            return hit
    for line in lines:
        hit = names.get(canonical(line.strip(" #*_")).lower())
        if hit:
            return hit
    return None


#: The level and place under a local State body's name in a header ("TỈNH BẮC NINH", "THÀNH PHỐ HÀ NỘI").
_HEADER_PLACE = re.compile(r"(?P<level>TỈNH|THÀNH PHỐ|HUYỆN|QUẬN|THỊ XÃ|XÃ|PHƯỜNG|THỊ TRẤN|ĐẶC KHU)"
                           r" (?P<place>[A-ZĐÀ-Ỹ][A-ZĐÀ-Ỹ\- ]{1,40})")
#: Where a header's left column (the issuer) ends: the motto or the symbol.
_HEADER_COLUMN_END = re.compile(r"CỘNG HÒA|ĐẢNG CỘNG SẢN|Số\b|SỐ\b")


def _enacting_authority(norm: str, lay: Layout) -> str | None:
    """The authority line in capitals between a State document's title and its preamble ("ỦY BAN
    THƯỜNG VỤ QUỐC HỘI / Căn cứ …"), when the header names no body."""
    title = lay.span("title")
    if title is None:
        return None
    end = norm.find("Căn cứ", title[0], title[0] + 1500)
    lines = [ln.replace("*", "").strip(" #_|") for ln in norm[title[0]:end if end > 0 else title[1]].splitlines()]
    names = _body_names()
    for line in reversed([ln for ln in lines if ln]):
        if line.isupper():
            return names.get(canonical(line).lower()) or _placed_heading_body([line])
        break
    return None


def _header_column(lines: list[str]) -> list[str]:
    """The header's left column: its lines before the motto or the symbol, decoration stripped."""
    column = []
    for line in lines:
        if _HEADER_COLUMN_END.search(line):
            break
        words = line.replace("*", "").strip(" #_|-–")  # "C**ỤC THUẾ**": emphasis even inside a word
        if words:
            column.append(words)
    return column


def _placed_heading_body(column: list[str]) -> str | None:
    """A local State body with its level and place over the lines of a header's column."""
    block = " ".join(canonical(" ".join(column)).replace("*", " ").split())
    if not block:
        return None
    lowered = block.lower()
    for vi, name, prefix in _placed_names():
        if lowered.startswith(prefix):
            place = _HEADER_PLACE.fullmatch(block[len(name) + 1:])
            if place:
                return f"{vi} {place.group('level').lower()} {place.group('place').title()}"
    return None


@lru_cache(maxsize=1)
def _placed_names() -> list[tuple[str, str, str]]:
    """(canonical name, name, its lower-cased canonical spelling and a space) of every local
    State body, in the order `_placed_heading_body` tries them (computed once, not per header)."""
    out = []
    for body_id in sorted(parse.PLACED_STATE_BODIES):
        body = tables.bodies()[body_id]
        for name in (body.vi, *body.variants):
            out.append((body.vi, name, canonical(name).lower() + " "))
    return out


def _same_document(a: Citation, b: Citation) -> bool:
    """Two mentions of one symbol, a State one with or without its year ("1961/2019/QĐ-UBND" in
    a page title, "1961/QĐUBND" in the header)."""
    if a.system != b.system:
        return False
    if a.system == "party":
        return a.key == b.key
    digits = lambda n: "".join(ch for ch in n if ch.isdigit())  # noqa: E731
    return (digits(a.number), a.type_code, a.issuer_code) == (digits(b.number), b.type_code, b.issuer_code)


def _title_line(norm: str, pos: int) -> bool:
    """A page title: one of the text's first lines, not closed like a sentence."""
    line_end = norm.find("\n", pos)
    line = norm[norm.rfind("\n", 0, pos) + 1:line_end if line_end >= 0 else len(norm)].rstrip()
    return norm.count("\n", 0, pos) < 8 and not line.endswith((".", ";", ":"))


_META_DATE = re.compile(r"Ngày ban hành\W{0,12}(\d{1,2})/(\d{1,2})/(\d{4})")
_META_TYPE = re.compile(r"Loại văn bản\W{0,12}([^\W\d_][^\n|*]{1,30})")
_META_ISSUER = re.compile(r"(?:Nơi|Cơ quan) ban hành\W{0,12}([^\W\d_][^\n|*]{1,80})")
_META_PLACE = re.compile(r"(?P<level>[Tt]ỉnh|[Tt]hành phố|[Hh]uyện|[Qq]uận|[Tt]hị xã|[Xx]ã|[Pp]hường) (?P<name>[^\W\d_][\w ]{1,40})")


def _meta_issuer(norm: str, at: int, c: Citation) -> str | None:
    """A site's "Nơi ban hành" field: a body ("Bộ Nội vụ"), or for a local council or committee the
    place ("Thành phố Hà Nội" under a …/NQ-HĐND symbol: Hội đồng nhân dân thành phố Hà Nội)."""
    m = _META_ISSUER.search(norm, at, at + 1500)
    if m is None:
        return None
    value = " ".join(m.group(1).split()).strip(" .")
    body = _body_names().get(canonical(value).lower())
    if body or find.STEERING_NAME.match(value):  # a body, or a steering committee by its whole name
        return value
    place = _META_PLACE.fullmatch(value)
    code = (c.issuer_code or "").upper()
    for key, body_id in parse.CODE_BODIES.items():
        if place and key in code:
            return f"{tables.bodies()[body_id].vi} {place.group('level').lower()} {place.group('name')}"
    return None


def _own_from_layout(nt: NormalisedText, citations: list[Citation], lay: Layout):
    """The own document from the header the layout found ("Số: 55/2025/NQ-HĐND", "Số:" with the
    symbol on the next line or cell), or, with no header, from a site's "Số hiệu" table. Every
    other mention of that symbol (the site's table, page titles, annex captions "Kèm theo Nghị
    quyết số …") is the text naming itself, not a citation."""
    norm = nt.norm
    for span, header in ((lay.number, True), (lay.meta_number, False)):
        if span is None:
            continue
        i, c = next(((i, c) for i, c in enumerate(citations)
                     if not c.short_form and span[0] <= nt.to_norm(c.symbol_start) < span[1]), (0, None))
        if c is None:
            continue
        # before the header, only the page naming the document itself: its title line, or the
        # site's summary around a "Số hiệu" table (a page the site keeps for that document)
        meta = lay.meta_number
        site_page = header and meta is not None and any(
            meta[0] <= nt.to_norm(o.symbol_start) < meta[1] and _same_document(o, c) for o in citations[:i])
        # a site's page of this very document ("Số hiệu" table above its header): what stands between
        # the table and the header is the site's summary of it, not other text reproducing it
        if not site_page and any(not o.short_form and not (_same_document(o, c) and (
                meta is not None or _title_line(norm, nt.to_norm(o.start)))) for o in citations[:i]):
            # a page that cites other documents before reproducing this one (news above a
            # reproduced text): the document stays a citation; its layout speaks for it
            return SourceDocument(None, None, None, None, reproduced=c), citations  # see extract_chunks
        if header:
            date = parse.iso_date(*lay.date) if lay.date else None
            head = lay.span("header")
            before = norm[head[0] if head else max(0, span[0] - 600):span[0]].splitlines()
            type_lines = norm[lay.doc_type_line[0]:lay.doc_type_line[1]].split(" SỐ")[:1] if lay.doc_type_line else []
            doc_type, issuer = _heading_type(type_lines), _heading_body(before)
            if doc_type is None and site_page:  # a Công văn prints no type line: the site's table names it
                t = _META_TYPE.search(norm, meta[0], meta[0] + 1500)
                word = t and tables.type_by_word(c.system).get(t.group(1).strip().lower())
                doc_type = word.vi if word else None
        else:
            m = _META_DATE.search(norm, span[0], span[0] + 1500)
            date = parse.iso_date(*m.groups()) if m else None
            t = _META_TYPE.search(norm, span[0], span[0] + 1500)
            word = t and tables.type_by_word(c.system).get(t.group(1).strip().lower())
            doc_type, issuer = (word.vi if word else None), _meta_issuer(norm, span[0], c)
        if issuer is None and header:
            issuer = _enacting_authority(norm, lay)
        if header and site_page:  # what the header's own lines leave open, the site's table states
            issuer = issuer or _meta_issuer(norm, meta[0], c)
            if date is None:
                m = _META_DATE.search(norm, meta[0], meta[0] + 1500)
                date = parse.iso_date(*m.groups()) if m else None
        doc = SourceDocument(canonical_symbol(c), doc_type or c.doc_type, date, issuer, c.symbol_start, c.symbol_end)
        doc.system, doc.number, doc.type_code, doc.issuer_code = c.system, c.number, c.type_code, c.issuer_code
        return doc, [o for o in citations if not _same_document(o, c)]
    return None


def source_document(nt: NormalisedText, citations: list[Citation],
                    lay: Layout | None = None) -> tuple[SourceDocument | None, list[Citation]]:
    """The report's own header ("Số: 97-QĐ/TW", "Hà Nội, ngày 07 tháng 02 năm 2023", "QUY ĐỊNH")
    when it opens the text, before any citation but a page title naming the same document. A
    header further down belongs to a document the page reproduces, and stays a mention of it.
    The header's date is read before the first citation after it: "Căn cứ Nghị quyết số …, ngày
    25 tháng 10 năm 2017" dates the cited resolution, never the report."""
    norm = nt.norm
    if lay is not None and (lay.number or lay.meta_number):
        found = _own_from_layout(nt, citations, lay)
        if found is not None:
            return found
    head_lines = norm[:1500].splitlines()[:15]
    for i, c in enumerate(citations):
        if c.short_form:
            continue
        ns = nt.to_norm(c.symbol_start)
        line_start = norm.rfind("\n", 0, ns) + 1
        if not _HEADER_LINE.fullmatch(norm, line_start, ns):
            continue
        if any(not o.short_form and not (_same_document(o, c) and _title_line(norm, nt.to_norm(o.start)))
               for o in citations[:i]):
            return None, citations
        later = next((nt.to_norm(o.start) for o in citations[i + 1:] if not _same_document(o, c)), len(norm))
        after = norm[ns:min(ns + 400, later)]
        # the date line under the symbol, or beside it in a two-column header printed first
        d = HEADER_DATE.search(after) or HEADER_DATE.search(norm, max(0, line_start - 300), line_start)
        date = parse.iso_date(*d.groups()) if d else None
        lines = norm[line_start:line_start + 600].splitlines()[:12]
        before = norm[max(0, line_start - 600):line_start].splitlines()
        issuer = _heading_body(before) or (_enacting_authority(norm, lay) if lay is not None else None)
        doc = SourceDocument(canonical_symbol(c), _heading_type(lines), date, issuer, c.symbol_start, c.symbol_end)
        doc.system, doc.number, doc.type_code, doc.issuer_code = c.system, c.number, c.type_code, c.issuer_code
        doc.doc_type = doc.doc_type or c.doc_type
        return doc, [o for o in citations if not _same_document(o, c)]
    doc_type = _heading_type(head_lines)
    title = _title_type(head_lines)
    if doc_type or title:
        return SourceDocument(None, doc_type, None, _heading_body(head_lines), title_type=title), citations
    return None, citations


@lru_cache(maxsize=1)
def _type_title() -> re.Pattern:
    """A title line: a type word, then words, no number ("Quy định đánh giá chất lượng sinh hoạt chi bộ")."""
    alt = find.type_words(capitalised=True)
    return re.compile(rf"[#*\s]{{0,4}}(?P<word>{alt}) (?!(?i:số)\b)[^\W\d][^\n]{{0,200}}")


def _title_type(lines: list[str]) -> str | None:
    """The type a text's title names (one of its first two lines with words), if it names one."""
    for line in [ln for ln in lines if any(ch.isalpha() for ch in ln)][:2]:
        if line.strip().rstrip("*_ ").endswith("?"):
            return None  # a question ("Kế hoạch thực hiện … gồm những gì?") titles a Q&A page
        m = _type_title().fullmatch(line.strip())
        if m and not find.SYMBOL.search(line):
            t = tables.type_by_word("party").get(m.group("word").lower())
            return t.vi if t else None
    return None


_ISSUED_BEFORE = re.compile(r"(?:có|ban hành|ký|thông qua|ra|vừa ban hành|đã ban hành)\s{1,3}$")
TOPIC_CHARS = 800  # the opening of a page, where it names the document it reports on
LEDE_WORDS = 12    # a news lede names the body that issued the document in its first words


def _web_page(norm: str) -> bool:
    """A page as a site serves it, saved as Markdown: it opens with a heading ("# …")."""
    return norm.lstrip().startswith("#")


def _page_topic(nt: NormalisedText, citations: list[Citation]) -> Citation | None:
    """The document a page that only discusses documents reports on: the one document its
    title names ("# Công văn 16364/TCS11-QLDN2 phòng ngừa …?"), else the one its opening says
    was issued ("Mới đây, Thủ tướng Chính phủ có Chỉ thị 05/CT-TTg về …"). What the page then
    says opens with "Thực hiện …", "Để thực hiện …" is that document speaking, quoted."""
    norm = nt.norm
    first = next((c for c in citations if not c.short_form), None)
    if first is None:
        return None
    start = nt.to_norm(first.start)
    line_start = norm.rfind("\n", 0, start) + 1
    line_end = norm.find("\n", start)
    line_end = len(norm) if line_end < 0 else line_end
    if not norm[:line_start].strip() and line_end - line_start < 300 and not norm[line_start:start].strip(" #*_"):
        # a title that opens with the document (not "Báo cáo sơ kết … thực hiện Kết luận số …")
        named = [c for c in citations if line_start <= nt.to_norm(c.start) < line_end]
        if named and all(_same_document(c, first) for c in named):
            return first
    web = _web_page(norm)
    heading_end = norm.find("\n")
    heading_end = len(norm) if heading_end < 0 else heading_end
    # a plain text: only a news lede ("Chính phủ ban hành Nghị định số … ngày …"), the first
    # citation of its first sentence; a report of one's own names what it carries out there
    reach = TOPIC_CHARS if web else min(TOPIC_CHARS, nt.to_norm(first.sentence_end), heading_end)
    if not web and norm[:nt.to_norm(first.start)].count(" ") > LEDE_WORDS:
        return None
    for c in (citations if web else [first]):
        p = nt.to_norm(c.start)
        if p >= reach:
            break
        if not c.short_form and _ISSUED_BEFORE.search(norm, max(0, p - 40), p):
            # "# Bộ Nội vụ chỉ đạo tạm dừng …" over "Ngày 20/5/2024, Hội đồng … đã ban hành Kế hoạch
            # số 01/…": the heading's news is another body's act; the document is background
            heading = _heading_bodies(norm[:heading_end]) if web else set()
            return None if heading and c.issuer_id not in heading else c
    return None


def _heading_bodies(line: str) -> set[str]:
    """The bodies a page's heading names (their ids), by name (no short abbreviation like "BCT")."""
    from .component import find_bodies
    return {b.body_id for b in find_bodies(canonical(line)) if b.end - b.start > 5}


def _cited_as_own(src: SourceDocument, documents, found: list[Link]) -> str | None:
    """A page that quotes a document's preamble and then cites it ("Quy định đánh giá …" as the
    title; "Căn cứ …; Căn cứ …"; "Xem toàn bộ Quy định số 27-QĐ/TU"): the one cited document of
    the title's type that is not the object of anything the text says is that text's own."""
    if src.symbol or not src.title_type or not any(k.subject is None for k in found):
        return None
    objects = {k.object.document for k in found}
    same = [d for d in documents if d.doc_type == src.title_type and d.id not in objects]
    return same[0].id if len(same) == 1 else None


SENTENCE_MAX = 1200  # characters of a mention's sentence kept with it (hostile text has endless ones)


def _sentence_texts(original: str, citations: list[Citation]) -> None:
    """Each mention's sentence, whitespace folded; one string per sentence, cut around the
    mention when the sentence is longer than SENTENCE_MAX."""
    cache: dict[tuple[int, int], str] = {}
    for c in citations:
        lo, hi = c.sentence_start, c.sentence_end
        if hi - lo > SENTENCE_MAX:
            lo = max(lo, c.start - SENTENCE_MAX // 2)
            hi = min(hi, lo + SENTENCE_MAX)
        key = (lo, hi)
        if key not in cache:
            cache[key] = parse.folded_spaces(original[lo:hi])
        c.sentence_text = cache[key]


WINDOW_GAP = 40  # citations this close share one Doc (one Doc a list, not one a member)


def find_citations(nt: NormalisedText, norm_of: dict | None = None) -> list[Citation]:
    """find → spaCy (parse) on the sentences that hold a symbol; offsets into nt.original.

    One pass of the symbol scan over the whole text; a text without a symbol stops there. The
    component reads each segment (the sentences holding a symbol) as plain text, and the
    citations come back as spans of one Doc made of the text's citation windows (one space
    apart), from the words the tokenizer would make there: never the whole text tokenised (that
    was most of the time), and one Doc a text, not one a segment."""
    norm = nt.norm
    symbols = list(find.symbols(norm))
    if not symbols:
        return []
    nlp = pipeline()  # spaCy is imported there, with the collector paused (kg.collector)
    from spacy.tokens import Doc

    from .tokenizer import sentence_starts_around
    shorts = list(find.short_forms(norm, nt.lower(), case_odd=nt.case_odd, folded=True))
    short_starts = [m.start() for m in shorts]
    anchors = sorted({s.start for s in symbols} | set(short_starts))
    starts = sentence_starts_around(norm, anchors, MAX_SEGMENT)  # only those the segments read
    component = nlp.get_pipe("party_citations")
    # a segment's lower case is a slice of the text's when lower-casing kept every character one
    # character and no final sigma depends on what stands outside the segment ("Σ" is the one
    # letter whose lower case looks at its neighbours)
    lower = nt.lower()
    sliceable = len(lower) == len(norm)
    pieces: list[str] = []  # the citation windows' text
    found = []    # per window: its citations, its bodies, and segment offset − Doc offset
    shift_of = {}  # id(citation) → where its segment starts
    doc_len = 0
    k = 0
    for lo, hi in segments(norm, anchors, starts):
        seg = norm[lo:hi]
        if sliceable and "Σ" not in seg:
            parse.prime_lower(seg, lower[lo:hi], nt.case_odd)  # (none in the text: none in the segment)
        first = k
        while k < len(symbols) and symbols[k].start < hi:
            k += 1
        mine = [s for s in symbols[first:k] if s.start >= lo and s.end <= hi]
        cits, bodies = component.analyse(seg, _segment_sentences(norm, starts, lo, hi), mine, shift=lo,
                                         short_forms=_segment_short_forms(norm, shorts, short_starts, lo, hi))
        for w0, w1, members in _windows(cits):
            if pieces:  # windows one space apart
                doc_len += 1
            pieces.append(seg[w0:w1])
            found.append((members, [b for b in bodies if w0 <= b.start and b.end <= w1], w0 - doc_len))
            doc_len += w1 - w0
            for c in members:
                shift_of[id(c)] = lo
    # one Doc of the text's citation windows, one space apart: its spans are the citations
    orths, spaces = _window_orths(nlp.vocab, pieces)
    doc = Doc(nlp.vocab, words=orths, spaces=spaces)
    doc.user_data["kg.found"] = found
    placed: list[tuple[Citation, int]] = []  # each citation, and where its segment starts
    # the sentences are known: only the registered component runs (called as the pipeline calls
    # it; `select_pipes` and `pipe` around it cost three times the component on a small Doc)
    doc = component(doc)
    from .component import span_values_keyed
    values = doc.user_data if span_values_keyed() else None
    for span in doc.spans["citations"]:
        c = span._.citation if values is None else values.get(("._.", "citation", span.start_char, span.end_char))
        placed.append((c, shift_of[id(c)]))
    citations = _to_original(nt, placed, norm_of)
    _sentence_texts(nt.original, citations)
    return citations


def _window_words(pieces: list[str]) -> tuple[list[str], list[bool]]:
    """The words and spaces of the windows ``pieces`` one space apart, each window tokenised as
    a text of its own (`words_and_spaces`). In one pass over the joined text when no window
    opens or ends with whitespace: no token runs across the space between two, the space
    follows the last token of the first as a single space does, and a glued pair needs two
    letters side by side."""
    from .tokenizer import words_and_spaces
    if all(p and not p[0].isspace() and not p[-1].isspace() for p in pieces):
        return words_and_spaces(" ".join(pieces))
    words: list[str] = []
    spaces: list[bool] = []
    for p in pieces:
        if words:
            spaces[-1] = True
        w, s = words_and_spaces(p)
        words += w
        spaces += s
    return words, spaces


#: A word of a window (its text between two single spaces) → the orth ids of its tokens, and
#: whether a space follows each (the last one's: True); for the vocabulary it was made with.
_WORD_TOKENS: list = [None, {}]
WORD_TOKENS_MAX = 200_000  # words remembered at most (then forgotten all at once)


def _window_orths(vocab, pieces: list[str]) -> tuple[list[int], list[bool]]:
    """`_window_words`, the words given as their orth ids in ``vocab`` (a Doc made from ids skips
    hashing each word's string: a third of its cost). A window whose only whitespace is single
    spaces between words is tokenised word by word (no token holds a space, and each word's
    last token is followed by the space), each word's tokens remembered by the word, as
    spaCy's own tokenizer remembers its space-separated chunks; other windows as a whole."""
    from .tokenizer import words_and_spaces
    if _WORD_TOKENS[0] is not vocab or len(_WORD_TOKENS[1]) > WORD_TOKENS_MAX:
        _WORD_TOKENS[:] = [vocab, {}]
    known = _WORD_TOKENS[1]
    add = vocab.strings.add
    orths: list[int] = []
    spaces: list[bool] = []
    for p in pieces:
        if spaces:
            spaces[-1] = True
        if p and p.isprintable() and "  " not in p and p[0] != " " and p[-1] != " ":
            for word in p.split(" "):
                got = known.get(word)
                if got is None:
                    w, _ = words_and_spaces(word)
                    got = known[word] = (tuple(add(x) for x in w), (False,) * (len(w) - 1) + (True,))
                orths += got[0]
                spaces += got[1]
            spaces[-1] = False
        else:
            w, s = words_and_spaces(p)
            orths += [add(x) for x in w]
            spaces += s
    return orths, spaces


def _windows(citations: list[Citation]):
    """(start, end, members): runs of citations no more than WINDOW_GAP apart."""
    out: list[tuple[int, int, list[Citation]]] = []
    for c in citations:  # in text order
        if out and c.start - out[-1][1] <= WINDOW_GAP:
            w0, w1, members = out[-1]
            members.append(c)
            out[-1] = (w0, max(w1, c.end), members)
        else:
            out.append((c.start, c.end, [c]))
    return out


def _shift(c: Citation, by: int) -> Citation:
    for name in ("start", "end", "tail_end", "title_end", "symbol_start", "symbol_end", "sentence_start", "sentence_end"):
        setattr(c, name, getattr(c, name) + by)
    return c


@without_collection  # an extraction makes no cyclic garbage (kg.collector)
def extract_chunks(chunks: Iterable[str], *, base: str = DEFAULT_BASE, path: str | None = None,
                   sha256: str | None = None, keep_text: bool = False) -> Extraction:
    """The pipeline over a text given in pieces cut at paragraph breaks (a large file is never
    held whole): citations and their links are found piece by piece, then resolved together."""
    citations: list[Citation] = []
    found: list[Link] = []
    parts: list[Part] = []
    src = topic = None
    offset = 0
    digest = hashlib.sha256()
    kept: list[str] = []
    for i, chunk in enumerate(chunks):
        nt = normalise(chunk)
        norm_of: dict[int, int] = {}  # the citations' offsets back in nt.norm (see _to_original)
        cits = find_citations(nt, norm_of)
        provisions.attach(nt, cits, norm_of)  # pinpoints: "Điều 16", "khoản 4 Điều 1"
        lay = layout(nt.norm) if i == 0 else None
        if i == 0:
            src, cits = source_document(nt, cits, lay)
            # a document reproduced below other text is cited, not the text's own: its layout is
            # reported, but it speaks for nothing (the answer keys read such pages this way)
            own = Own(header=bool(src and src.symbol), doc_type=src.doc_type if src else None,
                      layout=None if src is not None and src.reproduced is not None else lay)
            parts = lay.in_original(nt)
            topic_page = not lay.document and not (src and (src.symbol or src.reproduced))
            topic = _page_topic(nt, cits) if topic_page else None
            if topic_page and not (src and src.title_type) and topic is None and _web_page(nt.norm):
                # a web page that only discusses documents, and names none as its topic: its
                # words are the page's own, never a document's act (a Q&A answer, news,
                # commentary). A plain text's opening still speaks for the report it is.
                own.preamble_end = 0
        else:
            own.preamble_end = 0
            own.layout = _continued(own.layout, len(nt.norm))
            parts += [Part(p.kind, p.start + offset, p.end + offset) for p in own.layout.in_original(nt)]
        # relations never cross a sentence, so never a chunk; every link holds a citation, so a
        # chunk without one has none (links would lower-case the text and look for list cues first)
        chunk_links = links(nt, cits, own, norm_of) if cits else []
        if offset:  # (the first piece, a whole text: where its offsets are already)
            for c in cits:
                _shift(c, offset)
            for k in chunk_links:
                k.cue_start += offset
                k.cue_end += offset
        citations += cits
        found += chunk_links
        if sha256 is None:
            digest.update(chunk.encode("utf-8", "surrogatepass"))
        if keep_text:
            kept.append(chunk)
        offset += len(chunk)
    citations, documents, warnings = resolve(citations, base)
    sha256 = sha256 or digest.hexdigest()
    src = src or SourceDocument(None, None, None, None)
    src.id = _cited_as_own(src, documents, found) or (topic.document if topic is not None else None) \
        or own_iri(base, src, sha256)
    for c in citations:
        odd = suspect_chars(c.text[c.symbol_start - c.start:c.symbol_end - c.start])
        if odd:
            names = ", ".join(f"{unicodedata.name(ch, hex(ord(ch)))}" for ch in odd)
            warnings.append(f"{c.symbol} at {c.start}: the symbol is written with look-alike characters "
                            f"({names}); read as {c.symbol}")
        if c.rejected_date:
            warnings.append(f"{c.symbol} at {c.start}: the date {c.rejected_date} cannot be right; ignored")
        if c.doc_type and c.type_code and c.type_from_word and c.system == "party":
            codes = _codes_of(c.doc_type)
            if codes and c.type_code.upper() not in codes:
                warnings.append(f"{c.symbol} at {c.start}: the word says {c.doc_type} but the code is {c.type_code}")
    text = (kept[0] if len(kept) == 1 else "".join(kept)) if keep_text else None
    parts = _merged(parts)
    related = relations(found, documents, src.id, src.date, src.doc_type, warnings,
                        own_issuer_code=src.issuer_code if src.symbol and src.system == "party" else None)
    starts = [p.start for p in parts]
    for r in related:
        k = bisect.bisect_right(starts, r.cue_start) - 1
        r.part = parts[k].kind if k >= 0 and r.cue_start < parts[k].end else None
    return Extraction(text=text, citations=citations, documents=documents, relations=related,
                      source_document=src, warnings=warnings, parts=parts, path=path, sha256=sha256, chars=offset)


def _continued(previous: Layout | None, length: int) -> Layout:
    """The layout of a later piece of a text read in pieces: the part the last piece ended in
    goes on (a body, or an annex), since a header only opens a text."""
    kind = previous.parts[-1].kind if previous and previous.parts else "body"
    kind = kind if kind in ("body", "annex") else "body"
    return Layout(parts=[Part(kind, 0, length)] if length else [], document=bool(previous and previous.document),
                  continued=True)


def _merged(parts: list[Part]) -> list[Part]:
    """Adjacent parts of one kind (a body over several pieces) as one."""
    out: list[Part] = []
    for p in parts:
        if out and out[-1].kind == p.kind and out[-1].end >= p.start:
            out[-1] = Part(p.kind, out[-1].start, max(out[-1].end, p.end))
        else:
            out.append(p)
    return out


@lru_cache(maxsize=None)
def _codes_of(doc_type: str) -> frozenset[str]:
    """The symbol codes of every type named ``doc_type`` (upper case)."""
    return frozenset(code.upper() for t in tables.doc_types().values() if t.vi == doc_type for code in t.codes)


def own_iri(base: str, src: SourceDocument, sha256: str) -> str:
    """The IRI of the text's own document when its header gives a symbol, else of the report."""
    if not src.symbol:
        return report_iri(base, sha256)
    year = int(src.date[:4]) if src.date and src.system == "party" else None
    return document_iri(base, src, year)


def extract(text: str, *, base: str = DEFAULT_BASE, path: str | None = None,
            sha256: str | None = None) -> Extraction:
    """Every citation of a Party or State document in ``text``, resolved and related.
    ``sha256`` identifies the report (the hash of the file's bytes; by default, of the text)."""
    return extract_chunks([text], base=base, path=path, sha256=sha256, keep_text=True)


def extract_report(report, *, base: str = DEFAULT_BASE) -> Extraction:
    """A `kg.read.Report`, whole or in chunks."""
    if report.text is not None:
        ex = extract(report.text, base=base, path=report.path, sha256=report.sha256)
    else:
        ex = extract_chunks(report.chunks(), base=base, path=report.path, sha256=report.sha256)
    ex.warnings[:0] = report.warnings
    ex.path = display_name(report.path)  # a name that is not UTF-8 is shown escaped, never fails output
    return ex


def extract_files(files: list[str], *, base: str = DEFAULT_BASE, encoding: str | None = None,
                  workers: int = 1, render=None):
    """``(path, Extraction or ReadError)`` for each file, in the files' order. ``workers`` > 1:
    several files are read and extracted in that many processes (`kg.workers.in_order`), each
    handed back as it is ready, so a folder's output streams as it does from one process. The
    pipeline is built here first: the workers, forked, start with it. A file too large to send
    back whole (read in chunks, see `kg.read.STREAM_BYTES`) is extracted here when its turn
    comes, while the workers go on with the next ones. ``render``: a function of an Extraction
    (picklable: a module's function, or a partial of one), applied where the extraction was made,
    whose result is handed back instead (a worker then sends its JSON or N-Quads, not the
    Extraction: a fifth of the CPU less)."""
    from .read import ReadError, read_report
    if workers <= 1 or len(files) <= 1 or "-" in files:
        for f in files:
            try:
                ex = extract_report(read_report(f, encoding), base=base)
            except ReadError as e:
                yield f, e
                continue
            yield f, render(ex) if render is not None else ex
        return
    from .workers import KILLED_WORKER, WorkerDied, in_order
    pipeline()
    for f, result in in_order(read_and_extract, files, min(workers, len(files)), encoding, base, render):
        if result is None:
            try:
                result = extract_report(read_report(f, encoding), base=base)
                result = render(result) if render is not None else result
            except ReadError as e:
                result = e
        elif isinstance(result, WorkerDied):
            result = ReadError(f"{f}: {KILLED_WORKER}")
        yield f, result


def read_and_extract(path: str, encoding: str | None, base: str, render=None):
    """A worker's task in `extract_files`: the file's Extraction (or ``render`` of it), its
    ReadError, or None when the file is one to be read in chunks (its extraction is too large
    to send back whole)."""
    import os

    from .read import STREAM_BYTES, ReadError, read_report
    try:
        if os.path.getsize(path) > STREAM_BYTES:
            return None
    except OSError:
        pass  # read_report says what is wrong with it
    try:
        ex = extract_report(read_report(path, encoding), base=base)
    except ReadError as e:
        return e
    return render(ex) if render is not None else ex
