"""Stage 6: relations between documents (what one does to another).

A cue ("thực hiện", "sơ kết 03 năm thực hiện", "sửa đổi, bổ sung", "thay thế", "bãi bỏ",
"hướng dẫn thực hiện", "căn cứ") links a subject to the citations right after it, the objects
(a whole list of them: "Thực hiện Kế hoạch số 172-KH/TU …; Kế hoạch số 157-KH/TU …"). The
subject is, in this order:

1. the citation the cue directly follows ("Kết luận số 01-KL/TW … về tiếp tục thực hiện Chỉ thị
   số 05-CT/TW"; "Quy định số 69-QĐ/TW về kỷ luật … thay thế Quy định số 07");
2. the citation that heads the sentence ("Kế hoạch số 04-KH/CBDV …; sơ kết 2 năm thực hiện …");
3. a document the sentence names by its type alone ("Quy định này thay thế …", "Quy định có hiệu
   lực … và thay thế …"): the last one of that type cited before, or the text's own document;
4. for a cue that opens the sentence or a clause ("Căn cứ …", "Thực hiện …"): the document the
   sentence issues later ("…, Ban Thường vụ Tỉnh ủy ban hành Kế hoạch số 50-KH/TU"), else the
   text's own document (its preamble and title; `None` in a `Link`).

"… hết hiệu lực" is passive: its objects stand before it. Relations never cross a spaCy sentence;
a cue inside a citation's title keeps its objects inside that title. Resolution then drops
relations that run back in time and reads "a Hướng dẫn that thực hiện X" as guiding X.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import groupby

from . import find, provisions, tables
from .models import Citation, Document, Relation
from .normalise import NormalisedText
from .provisions import acted_on, merge

_CUE = (
    r"(?:(?P<guides>hướng dẫn (?:việc )?(?:tổ chức )?(?:thực hiện|thi hành))"
    r"|(?P<amends>sửa đổi,? (?:và )?bổ sung(?: một số điều(?: của)?)?|sửa đổi)"
    r"|(?P<replaces>thay thế(?: cho)?)"
    r"|(?P<repealed>(?:(?:đã|bị|sẽ|chính thức) )?hết hiệu lực(?: thi hành)?|(?:bị|được) bãi bỏ)"
    r"|(?P<repeals>bãi bỏ|hủy bỏ)"
    r"|(?P<reviews>(?:sơ kết|tổng kết)(?: \d{1,2} năm)?(?: (?:việc )?(?:triển khai )?(?:thực hiện|thi hành))?"
    r"|đánh giá (?:kết quả )?(?:\d{1,2} năm )?(?:việc )?(?:triển khai )?thực hiện)"
    r"|(?P<based_on>căn cứ(?: vào)?)"
    r"|(?P<implements>(?:(?:tiếp tục|triển khai|đẩy mạnh|tổ chức) ){0,2}(?:thực hiện|cụ thể hóa|triển khai|thi hành)))"
    r"(?![\w])"
)
#: Cue words, matched case-insensitively ("Căn cứ", "CĂN CỨ"); `CUE_LOWER` on lower-cased text is
#: the same pattern without (?i), which the regex engine scans three times faster.
CUE = re.compile(_CUE, re.I)
CUE_LOWER = re.compile(_CUE)
#: Between the subject's own date/issuer/title and the cue: nothing, or "về", "về việc", "để".
ATTACH_GAP = re.compile(r"\s{0,3}[,:]?\s{0,3}(?:(?:về|về việc|nhằm|để)\s{1,3})?(?:(?:việc|tiếp tục)\s{1,3})?", re.I)
#: Between the cue and its object: "một số điều của", "Điều 2", "khoản 1, khoản 2 Điều 5", "cho",
#: "có hiệu quả" (the object's pinpoints: kg.provisions).
_PINPOINTS = rf"(?-i:{provisions.PINPOINTS}),?"
OBJECT_GAP = re.compile(
    rf"\s{{0,3}}(?:(?:một số (?:điều|quy định|nội dung)|nội dung|các nội dung|các quy định|{_PINPOINTS})"
    r"(?: (?:của|trong|tại|thuộc))?\s{1,3})?"
    r"(?:(?:có hiệu quả|hiệu quả|nghiêm túc|tốt|các|việc|cho)\s{1,3}){0,2}", re.I)
LIST_GAP = re.compile(rf"\s{{0,3}}(?:,|và|, và)\s{{1,3}}(?:{_PINPOINTS}(?: (?:của|trong|tại|thuộc))?\s{{1,3}})?")
#: In the scope of a cue that opens a clause, a list item may follow words about the one before
#: ("Thi hành Điều 2 Quyết định … số31-QĐ/TW, ngày … ban hành Quy định “…” và Điều 2 Quyết định …
#: số91-QĐ/TW"): the next item is joined by ",", ";" or "và" (and an article reference), within
#: one clause (no cue that opens another clause in between).
SCOPE_GAP = re.compile(
    r"[^.;:!?\n“”\"]{0,200}(?:“[^”\n]{0,300}”[^.;:!?\n“”\"]{0,40})?\s{0,3}(?:,|và|, và|;|; và)\s{1,3}"
    rf"(?:{_PINPOINTS}\s{{1,3}}(?:(?:của|trong|tại|thuộc)\s{{1,3}})?)?")
PASSIVE_WORDS = ("hiệu lực", "bãi bỏ")  # a sentence without them has no passive cue to look for
#: Between a passive object and its cue: "… kể từ ngày 06/7/2022".
PASSIVE_GAP = re.compile(r"\s{0,3},?\s{0,3}(?:(?:kể từ|từ) {1,2}ngày {1,2}[\d/\-]{6,10}\s{0,3},?\s{0,3})?")
#: What may stand before a citation that heads its sentence: list and footnote markers ("a) ").
HEAD_PREFIX = re.compile(r"[\W\d_]{0,20}(?:[a-zđ]\)[\W\d_]{0,5})?(?:sup>\d{1,3}</sup>[\W_]{0,5})?", re.S)
#: Before a cue that opens its sentence or clause: list markers, "Để", "Tiếp tục".
OPENING_CUE = re.compile(r"[\W\d_]{0,20}(?:[a-zđ]\)\s{0,3})?(?:(?:để|nhằm)\s{1,3})?", re.I)
#: Before a mention issued in the same sentence: "…, Ban Thường vụ Tỉnh ủy (đã) ban hành / có / xây dựng ".
ISSUED = re.compile(r"(?:ban hành|ký ban hành|có|xây dựng|ra)\s{1,3}(?:các\s{1,3})?$")
#: Before a cue, a body that opens the sentence ("Ủy ban Kiểm tra Trung ương hướng dẫn thực hiện …").
BODY_OPENING = re.compile(r"[\W\d_]{0,8}(?P<first>[^\W\d_])[^\W\d_]{0,11}(?: [^\W\d_]{1,12}){0,7} $")

MAX_OBJECTS = 50  # one cue names a short list; hostile text cannot make the work quadratic
PREAMBLE_CHARS = 1500  # without a header, only a cue this close to the top speaks for the text itself


@lru_cache(maxsize=1)
def _backref() -> re.Pattern:
    """A sentence that opens with a type word alone: "Quy định này …", "Quy định có hiệu lực …"."""
    alt = find.type_words(capitalised=True)
    return re.compile(rf"[\W\d_]{{0,8}}(?:[a-zđ]\)\s{{1,2}})?(?P<word>{alt})(?P<this>\s{{1,2}}(?:này|nói trên|trên))?(?=[\s,;:])")


@dataclass
class Own:
    """What the text says of itself: whether its header was found and the type it names."""

    header: bool = False        # a header with a symbol ("Số: 06-HD/UBKTTW")
    doc_type: str | None = None
    preamble_end: int = PREAMBLE_CHARS  # normalised offset: opening cues before it speak for the text


@dataclass
class Link:
    """A relation between two mentions, before resolution names their documents. A subject of
    None is the text's own document."""

    subject: Citation | None
    predicate: str
    object: Citation
    cue: str
    cue_start: int  # original offsets
    cue_end: int


def _objects(text: str, after: int, cits: list[Citation], first: int, npos, gap=LIST_GAP,
             limit: int | None = None) -> list[Citation]:
    """The citations right after a cue: the first one, and those joined to it as a list. A
    citation inside an earlier object's title belongs to that title and is stepped over."""
    out: list[Citation] = []
    pos = after
    gap_re = OBJECT_GAP
    for c in cits[first:first + MAX_OBJECTS]:
        s = npos(c.start)
        if limit is not None and s >= limit:
            break
        if out and s < pos:  # nested in the previous object's title
            pos = max(pos, npos(c.title_end))
            continue
        if not gap_re.fullmatch(text, pos, s):
            break
        out.append(c)
        pos = npos(max(c.title_end, c.end))
        gap_re = gap
    return out


def _issued_after(text: str, cits: list[Citation], starts: list[int], last_object: Citation, npos) -> Citation | None:
    """The first mention after the objects that the sentence says was issued ("… ban hành X")."""
    j = bisect.bisect_right(starts, npos(last_object.start))
    for c in cits[j:j + MAX_OBJECTS]:
        s = npos(c.start)
        if ISSUED.search(text, max(0, s - 30), s):
            return c
    return None


def _referred(text: str, s_start: int, cue_start: int, before: list[Citation], own: Own):
    """"Quy định này …": the document a sentence names by its type word alone. Returns a
    citation, "own" for the text's own document, or None."""
    m = _backref().match(text, s_start, cue_start)
    if m is None:
        return None
    word = " ".join(m.group("word").lower().split())
    t = tables.type_by_word("party").get(word)
    if t is None:
        return None
    if m.group("this") and own.doc_type == t.vi and own.header:
        return "own"
    for c in reversed(before[-MAX_OBJECTS:]):
        if c.doc_type == t.vi:
            return c
    if own.doc_type in (t.vi, None) and (own.header or s_start < own.preamble_end):
        return "own"  # its title: "Báo cáo sơ kết 3 năm thực hiện Kết luận số …", "Kế hoạch thực hiện …"
    return None


def links(nt: NormalisedText, citations: list[Citation], own: Own | None = None) -> list[Link]:
    """Cue-linked pairs of mentions in one text (offsets are the text's own)."""
    own = own or Own()
    text = nt.norm
    npos = nt.to_norm
    lower = text.lower()
    cues, scan = (CUE_LOWER, lower) if len(lower) == len(text) else (CUE, text)
    out: list[Link] = []
    ordered = sorted(citations, key=lambda c: (c.sentence_start, c.start))
    seen: list[Citation] = []  # citations of earlier sentences, in text order

    def add(subject, predicate, objects, cue):
        cue_start, cue_end = nt.span(cue.start(), cue.end())
        for obj in objects:
            if obj is not subject:
                out.append(Link(subject, predicate, obj, nt.original[cue_start:cue_end], cue_start, cue_end))

    for _, group in groupby(ordered, key=lambda c: c.sentence_start):
        cits = list(group)
        starts = [npos(c.start) for c in cits]
        ends = [npos(max(c.end, c.title_end)) for c in cits]
        tails = [npos(c.end) for c in cits]
        s_start, s_end = npos(cits[0].sentence_start), npos(cits[0].sentence_end)
        head = cits[0]
        head_ok = bool(HEAD_PREFIX.fullmatch(text, s_start, starts[0])) or bool(head.issuer) and \
            text[max(s_start, starts[0] - 60):starts[0]].rstrip().endswith("ban hành")
        # a cue needs an object after it, or (passive) one right before it: past that, nothing to scan
        tail = scan[starts[0]:s_end]
        passive = any(w in tail for w in PASSIVE_WORDS)
        scan_end = min(s_end, max(starts[-1], max(ends) + 40 if passive else 0))
        for cue in cues.finditer(scan, s_start, scan_end):
            predicate = cue.lastgroup
            if predicate == "repealed":  # "Quy định số 102-QĐ/TW … hết hiệu lực": objects before
                objects = _passive_objects(text, cue.start(), cits, starts, ends, npos)
                if not objects:
                    continue
                subject = head if head_ok and head not in objects and starts[0] < cue.start() else \
                    _referred(text, s_start, cue.start(), seen, own)
                if subject is None and own.header:
                    subject = "own"
                if subject is not None:
                    add(None if subject == "own" else subject, "repeals", objects, cue)
                continue
            first = bisect.bisect_left(starts, cue.end())
            if first >= len(cits):
                continue  # no citation after the cue: no object
            # a cue inside a citation's title keeps its objects inside that title
            limit = None
            for j in range(first - 1, max(-1, first - 9), -1):
                if tails[j] <= cue.start() < ends[j]:
                    limit = ends[j]
                    break
            objects = _objects(text, cue.end(), cits, first, npos, limit=limit)
            if not objects:
                continue
            # the last mention that ends (with or without its title) right before the cue
            i = bisect.bisect_right(starts, cue.start()) - 1
            subject = None
            while i >= 0 and subject is None:
                if ATTACH_GAP.fullmatch(text, tails[i], cue.start()) or ATTACH_GAP.fullmatch(text, ends[i], cue.start()):
                    subject = cits[i]
                elif ends[i] <= cue.start() or tails[i] <= cue.start():
                    break
                i -= 1
            if subject is None and predicate != "based_on":
                subject = _line_head(text, s_start, cue.start(), cits, starts)
            if subject is None and starts[0] < cue.start() and head_ok and predicate != "based_on":
                subject = head
            if subject is None:
                subject = _referred(text, s_start, cue.start(), seen, own)
            opening = subject is None and _opens_clause(text, s_start, cue.start())
            if opening:
                # "Thực hiện X; Y, … Ban Thường vụ ban hành Z": Z; else the text's own document
                objects = _objects(text, cue.end(), cits, first, npos, gap=SCOPE_GAP, limit=limit)
                issued = _issued_after(text, cits, starts, objects[-1], npos) if predicate != "based_on" else None
                if issued is not None:
                    subject = issued
                elif own.header or s_start < own.preamble_end or predicate == "based_on":
                    subject = "own"
            elif subject is None and own.header and starts[0] >= cue.start() and _body_opens(text, s_start, cue.start()):
                subject = "own"  # "Ủy ban Kiểm tra Trung ương hướng dẫn thực hiện …" in its own text
            if subject is None:
                continue
            add(None if subject == "own" else subject, predicate, objects, cue)
        seen.extend(cits[-MAX_OBJECTS:])
        if len(seen) > 4 * MAX_OBJECTS:
            del seen[:-MAX_OBJECTS]
    return out


def _line_head(text: str, s_start: int, cue_start: int, cits: list[Citation], starts: list[int]) -> Citation | None:
    """In a sentence that runs over several lines (a list whose items end with ";"), the citation
    that opens the cue's own line heads it: "…năm 2022;\nKế hoạch số 04-KH/CBDV …; sơ kết 2 năm
    thực hiện Kết luận 01-KL/TW" is the plan's review, not the first item's."""
    k = text.rfind("\n", s_start, cue_start)
    if k < 0:
        return None
    i = bisect.bisect_left(starts, k + 1)
    if i < len(cits) and starts[i] < cue_start and HEAD_PREFIX.fullmatch(text, k + 1, starts[i]):
        return cits[i]
    return None


def _body_opens(text: str, s_start: int, cue_start: int) -> bool:
    """A few capitalised words open the sentence right before the cue: a body as its subject."""
    m = BODY_OPENING.fullmatch(text, s_start, cue_start)
    return m is not None and m.group("first").isupper()


def _opens_clause(text: str, s_start: int, cue_start: int) -> bool:
    """The cue opens the sentence, or a clause after ";" or a line break ("…; căn cứ Hướng dẫn …")."""
    if OPENING_CUE.fullmatch(text, s_start, cue_start):
        return True
    k = max(text.rfind(";", s_start, cue_start), text.rfind("\n", s_start, cue_start))
    return k >= 0 and bool(OPENING_CUE.fullmatch(text, k + 1, cue_start))


def _passive_objects(text, cue_start, cits, starts, ends, npos) -> list[Citation]:
    """The citation that ends right before a passive cue, and the list it closes."""
    i = bisect.bisect_right(starts, cue_start) - 1
    if i < 0 or not PASSIVE_GAP.fullmatch(text, ends[i], cue_start):
        return []
    out = [cits[i]]
    while i > 0 and LIST_GAP.fullmatch(text, ends[i - 1], starts[i]):
        i -= 1
        out.append(cits[i])
    return out[::-1]


#: Predicates that say the subject came after the object: it cannot be older.
FORWARD = {"implements", "reviews", "guides", "amends", "replaces", "repeals", "based_on"}


def relations(found: list[Link], documents: list[Document] = (), own_id: str | None = None,
              own_date: str | None = None, own_type: str | None = None,
              warnings: list[str] | None = None) -> list[Relation]:
    """Links between resolved mentions as relations between documents, each stated once.
    A relation that runs back in time (a subject dated before its object) is dropped, with a
    warning; "a Hướng dẫn that thực hiện X" guides X."""
    symbols = {d.id: d.symbol for d in documents}
    dates = {d.id: d.date for d in documents}
    types = {d.id: d.doc_type for d in documents}
    if own_id and own_id not in dates:
        dates[own_id], types[own_id] = own_date, own_type
    out: list[Relation] = []
    seen: dict[tuple, Relation] = {}
    for k in found:
        a = k.subject.document if k.subject is not None else own_id
        b = k.object.document
        if not a or not b or a == b:
            continue
        predicate = k.predicate
        if predicate == "implements" and types.get(a) == "Hướng dẫn":
            predicate = "guides"
        da, db = dates.get(a), dates.get(b)
        if predicate in FORWARD and da and db and da < db:
            if warnings is not None:
                warnings.append(f"{symbols.get(a, 'the text itself')} {predicate} {symbols.get(b, b)} at {k.cue_start}: "
                                f"dated {da}, before {db}; not taken as a relation")
            continue
        key = (a, predicate, b)
        if key in seen:  # stated again: the provisions acted on add up (kg.provisions.merge)
            seen[key].provisions = merge(predicate, seen[key].provisions, acted_on(k.object))
            continue
        start = k.subject.start if k.subject is not None else min(k.cue_start, k.object.start)
        seen[key] = Relation(a, predicate, b, min(start, k.object.start), max(k.object.end, k.cue_end),
                             k.cue, k.cue_start, k.cue_end, provisions=acted_on(k.object))
        out.append(seen[key])
    return out
