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
from .layout import Layout
from .models import Citation, Document, Relation
from .normalise import NormalisedText
from .provisions import acted_on, merge

_CUE = (
    r"(?:(?P<guides>hướng dẫn (?:bổ sung )?(?:việc )?(?:tổ chức )?(?:thực hiện|thi hành)"
    r"|quy định chi tiết(?: và hướng dẫn)?(?: thi hành)?(?: một số điều(?: và biện pháp(?: để tổ chức,?)?(?: hướng dẫn)? thi hành)?)?(?: của)?(?= (?i:luật|bộ luật|pháp lệnh|nghị định|nghị quyết)))"
    r"|(?P<amended>(?:(?:đã )?được |bị )?(?:sửa đổi,? (?:và )?bổ sung|điều chỉnh,? bổ sung|sửa đổi|bổ sung)(?: một số điều)? (?:bởi|tại|theo)(?= ))"
    r"|(?P<amends>(?:sửa đổi|điều chỉnh),? (?:và )?bổ sung(?: một số điều(?: của)?)?|sửa đổi|bổ sung)"
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


@lru_cache(maxsize=1)
def _cue_scan() -> find.Scan:
    """`CUE_LOWER.finditer`, the places where a cue may open found first (an alternation of
    named groups is otherwise tried at every character: a third of `links`' time)."""
    return find.Scan(CUE_LOWER)
#: Between the subject's own date/issuer/title and the cue: nothing, or "về", "về việc", "để".
ATTACH_GAP = re.compile(r"[*_]{0,3}\s{0,3}[,:]?\s{0,3}[*_“\"]{0,3}(?:(?:về|về việc|nhằm|để)\s{1,3})?"
                        r"(?:(?:kế hoạch|chương trình|đề án)(?: hành động)?\s{1,3})?(?:(?:việc|tiếp tục)\s{1,3})?", re.I)
#: Between the cue and its object: "một số điều của", "Điều 2", "cho", "có hiệu quả".
#: Pinpoints before an object ("khoản 1 Điều 1 Nghị định …", "Điều 16, Điều 17 và Điều 18 của …",
#: "các Điều 16, 17 và 18", "điểm a, khoản 2, Điều 3,"): one run of kg.provisions' pattern (case
#: as written inside this re.I pattern), then a space.
PINPOINTS = rf"(?:(?-i:{provisions.PINPOINTS}),? )"
OBJECT_GAP = re.compile(
    r"\s{0,3}(?:(?:(?:một số (?:điều|quy định|nội dung)|nội dung|các nội dung|các quy định) |" + PINPOINTS + r")"
    r"(?:(?:của|trong|tại) )?\s{0,3})?"
    r"(?:(?:(?:ý kiến |sự )?chỉ đạo|ý kiến|kết luận)[^\n;.]{0,120}? (?:tại|theo)\s{1,3})?"
    # "Luật <tên> số …", "Pháp lệnh <tên> số …": the symbol alone is the citation
    r"(?:(?:Luật|Bộ luật|Pháp lệnh)(?: [^\W\d_]{1,12}){1,12} (?:số )?)?"
    # a regulation changed through the decision that issued it: "… Quy chế làm việc ban hành kèm theo Quyết định số …"
    r"(?:(?:Quy chế|Quy định|Điều lệ|Chương trình|Kế hoạch|Đề án|Danh mục)\b[^.;:\n]{0,200}? (?:được )?ban hành kèm theo\s{1,3})?"
    r"(?:(?:có hiệu quả|hiệu quả|nghiêm túc|tốt|các|việc|cho|tiếp|thắng lợi|thành công|đồng bộ|quyết liệt)\s{1,3}){0,2}[*_]{0,3}"
    r"(?:văn bản\s{1,3})?", re.I)  # "thay thế cho văn bản Hướng dẫn số …"
#: "(" and ")" around an alias that repeats a list item.
ALIAS_OPEN = re.compile(r"\s{0,2}\(\s{0,2}(?:(?i:sau đây (?:gọi|viết) (?:tắt )?là)\s{1,3})?")
ALIAS_CLOSE = re.compile(r"\s{0,2}\)")
LIST_GAP = re.compile(r"[*_”\"]{0,3}\s{0,3}(?:,|và|, và)\s{1,3}[*_]{0,3}(?:" + PINPOINTS + r"(?:(?:của|trong|tại|thuộc) )?)?")
#: What a document changes may be listed with ";" ("thay thế Quyết định số A …; Quyết định số B …").
CHANGE_LIST_GAP = re.compile(r"[*_”\"]{0,3}\s{0,3}(?:,|và|, và|;|; và) {1,3}[*_]{0,3}"
                             r"(?:" + PINPOINTS + r"(?:(?:của|trong|tại|thuộc) )?)?")
#: In the scope of a cue that opens a clause, a list item may follow words about the one before
#: ("Thi hành Điều 2 Quyết định … số31-QĐ/TW, ngày … ban hành Quy định “…” và Điều 2 Quyết định …
#: số91-QĐ/TW"): the next item is joined by ",", ";" or "và" (and an article reference), within
#: one clause (no cue that opens another clause in between).
SCOPE_GAP = re.compile(
    r"[^.;:!?\n“”\"]{0,200}(?:“[^”\n]{0,300}”[^.;:!?\n“”\"]{0,40})?\s{0,3}(?:,|và|, và|;|; và)\s{1,3}"
    r"(?:" + PINPOINTS + r"\s{0,2}(?:(?:của|trong|tại|thuộc)\s{1,3})?)?(?:(?<!\n)(?!(?i:theo đề nghị|xét)\b)[^.;:!?\n]{0,80}? (?:tại|theo)\s{1,3})?"
    r"|\s{1,3}(?:tại|theo)\s{1,3}")
PASSIVE_WORDS = ("hiệu lực", "bãi bỏ")  # a sentence without them has no passive cue to look for
#: What a document is about, unquoted, between it and a passive cue: "Nghị định 45/2010/NĐ-CP …
#: quy định về tổ chức, hoạt động và quản lý hội (sửa đổi, bổ sung tại …)".
DESCRIPTION = r"(?:\s{1,3}[^\W\d_][^.;:!?\n()“”\"]{0,250})?"
#: Between a passive object and its cue: "… kể từ ngày 06/7/2022".
PASSIVE_GAP = re.compile(r"[*_]{0,3}\s{0,3},?" + DESCRIPTION +
                         r"\s{0,3},?\s{0,3}(?:(?:kể từ|từ) {1,2}ngày {1,2}[\d/\-]{6,10}\s{0,3},?\s{0,3})?")
#: What may stand before a citation that heads its sentence: list and footnote markers ("a) ").
HEAD_PREFIX = re.compile(r"[\W\d_]{0,20}(?:[a-zđ]\)[\W\d_]{0,5})?(?:sup>\d{1,3}</sup>[\W_]{0,5})?", re.S)
#: Before a cue that opens its sentence or clause: list markers, "Để", "Tiếp tục".
OPENING_CUE = re.compile(r"[\W\d_]{0,20}(?:[a-zđ]\)\s{0,3})?(?:(?:theo đó|cụ thể|trong đó),\s{1,3})?(?:(?:để|nhằm)\s{1,3})?", re.I)
#: ("Theo đó, thực hiện …, Bộ Tài chính xây dựng …": a reporter's connective before the reported document's opening)
#: Before a mention issued in the same sentence: "…, Ban Thường vụ Tỉnh ủy (đã) ban hành / có / xây dựng ".
ISSUED = re.compile(r"(?:ban hành|ký ban hành|có|xây dựng|ra)\s{1,3}(?:các\s{1,3})?$")
#: Before a cue, a body that opens the sentence ("Ủy ban Kiểm tra Trung ương hướng dẫn thực hiện …").
BODY_OPENING = re.compile(r"[\W\d_]{0,8}(?P<first>[^\W\d_])[^\W\d_]{0,11}(?: [^\W\d_]{1,12}){0,7} $")

LOOKAHEAD = 16  # the longest lookahead of a cue (" pháp lệnh", " nghị quyết") must see past the scan's end
PASSIVE_REACH = 320  # a passive cue may follow its object's unquoted description (see DESCRIPTION)
MAX_OBJECTS = 50  # one cue names a short list; hostile text cannot make the work quadratic
PREAMBLE_CHARS = 1500  # without a header, only a cue this close to the top speaks for the text itself


@lru_cache(maxsize=1)
def _backref() -> re.Pattern:
    """A sentence that opens with a type word alone: "Quy định này …", "Quy định có hiệu lực …"."""
    alt = find.type_words(capitalised=True)
    # ("Văn bản Hướng dẫn này thay thế …": the word for any document before the type word)
    return re.compile(rf"[\W\d_]{{0,8}}(?:[a-zđ]\)\s{{1,2}})?(?:(?:Văn bản|VĂN BẢN)\s{{1,2}}(?=(?:{alt})\s{{1,2}}này))?"
                      rf"(?P<word>{alt})(?P<this>\s{{1,2}}(?:này|nói trên|trên))?(?=[\s,;:])")


@dataclass
class Own:
    """What the text says of itself: whether its header was found, the type it names, and its
    layout (the parts in which it speaks: never its header, signature, recipients or annexes)."""

    header: bool = False        # a header with a symbol ("Số: 06-HD/UBKTTW")
    doc_type: str | None = None
    preamble_end: int = PREAMBLE_CHARS  # normalised offset: opening cues before it speak for the text
    layout: Layout | None = None

    @property
    def document(self) -> bool:
        """The text reproduces a document (its layout has a header), not a page about documents."""
        return self.layout is not None and self.layout.document

    def speaks(self, pos: int) -> bool:
        """The text's own document may be the subject of a cue at normalised ``pos``."""
        if self.document:
            part = self.layout.part_at(pos)
            if part == "body" and not self.header:  # a title but no "Số …": its opening only
                return not self.layout.continued and pos < self.layout.span("body")[0] + PREAMBLE_CHARS
            return part in SPEAKING_PARTS
        return self.header or pos < self.preamble_end

    def bases(self, pos: int) -> bool:
        """A "Căn cứ" that opens a clause at ``pos`` names a basis of the text's own document, in
        the parts where the document speaks (a Công điện's body says "Căn cứ chỉ đạo … tại Thông
        báo số …, Thủ tướng yêu cầu …"). A page that only discusses documents has no preamble:
        its "Căn cứ (theo) Điều 12 …" is a reference."""
        return self.document and self.speaks(pos)


#: The parts of a document in which it speaks of itself.
SPEAKING_PARTS = ("title", "preamble", "enacting", "body")


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
        if out and ALIAS_OPEN.fullmatch(text, pos, s) and c.key == out[-1].key:
            # "Nghị quyết số 163/2024/QH15 … (Nghị quyết số 163/2024/QH15), Nghị quyết số 50/NQ-CP …": an alias in
            # brackets repeats the item; the list goes on after it
            close = ALIAS_CLOSE.match(text, npos(c.end))
            pos = close.end() if close else npos(c.end)
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
    if m.group("this") and (own.doc_type == t.vi or (own.doc_type is None and own.document)) \
            and (own.header or own.document) and own.speaks(s_start):
        return "own"  # "Hướng dẫn này thay thế …" in its own text: never the last Hướng dẫn cited
    for c in reversed(before[-MAX_OBJECTS:]):
        if c.doc_type == t.vi:
            return c
    if own.doc_type in (t.vi, None) and own.speaks(s_start):
        return "own"  # its title: "Báo cáo sơ kết 3 năm thực hiện Kết luận số …", "Kế hoạch thực hiện …"
    return None


class _NormOf(dict):
    """Original offset → normalised offset (`NormalisedText.to_norm`), the citations' own offsets
    mapped at once (the rules below ask for each of them again and again); any other one when
    first asked for."""

    def __init__(self, nt: NormalisedText, citations: list[Citation], known: dict | None = None):
        if known:  # what kg.extract mapped them from
            super().__init__(known)
        else:
            offsets = list({i for c in citations for i in (
                c.start, c.end, c.title_end, max(c.end, c.title_end), c.sentence_start, c.sentence_end)})
            super().__init__(zip(offsets, nt.to_norm_many(offsets)))
        self.nt = nt

    def __missing__(self, i: int) -> int:
        p = self[i] = self.nt.to_norm(i)
        return p


def links(nt: NormalisedText, citations: list[Citation], own: Own | None = None,
          norm_of: dict | None = None) -> list[Link]:
    """Cue-linked pairs of mentions in one text (offsets are the text's own). ``norm_of``: original
    offsets → `nt.to_norm` of them, known already (`kg.extract.find_citations` makes it)."""
    own = own or Own()
    text = nt.norm
    npos = _NormOf(nt, citations, norm_of).__getitem__
    found_names: list = []

    def names():  # the laws the text names, found when a cue first needs them (most texts: never)
        if not found_names:
            found_names.append(law_names(text, citations, npos))
        return found_names[0]
    lower = nt.lower()
    cues, scan = (_cue_scan(), lower) if len(lower) == len(text) else (CUE, text)
    out: list[Link] = []
    ordered = sorted(citations, key=lambda c: (c.sentence_start, c.start))
    seen: list[Citation] = []  # citations of earlier sentences, in text order

    def add(subject, predicate, objects, cue, reverse=False):
        cue_start, cue_end = nt.span(cue.start(), cue.end())
        for obj in objects:
            if obj is not subject:
                a, b = (obj, subject) if reverse else (subject, obj)
                out.append(Link(a, predicate, b, nt.original[cue_start:cue_end], cue_start, cue_end))

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
        # (past the last start by the reach of a cue's lookahead: "… biện pháp thi hành| Nghị quyết số …")
        scan_end = min(s_end, max(starts[-1] + LOOKAHEAD, max(ends) + PASSIVE_REACH if passive else 0))
        if scan_end < s_end and names() and any(w in scan[scan_end:s_end] for w in ("luật", "pháp lệnh")):
            scan_end = s_end  # "… quy định chi tiết … Luật Đất đai": a law named by its name after the last symbol
        if scan_end < s_end and "“" in scan[scan_end:s_end]:
            scan_end = s_end  # "… bổ sung … của “Quy định về …”": a work named by its quoted title
        last = None  # (subject, end of its objects): a later cue joined by "và" / ";" may share it
        for cue in cues.finditer(scan, s_start, scan_end):
            predicate = cue.lastgroup
            if _not_an_act(text, scan if scan is lower else None, max(s_start, cue.start() - 60), cue.start()):
                continue  # "Ban Chỉ đạo … về tổng kết Nghị quyết 18", "Đề nghị sửa đổi Nghị định …"
            if predicate == "repealed":  # "Quy định số 102-QĐ/TW … hết hiệu lực": objects before
                objects = _passive_objects(text, cue.start(), cits, starts, ends, npos)
                if not objects:
                    continue
                successor = _successor(text, cue.end(), cits, starts, npos, own)
                if successor is not None:  # "X hết hiệu lực kể từ ngày Y có hiệu lực": Y replaces X
                    if successor != "own" or own.speaks(cue.start()):
                        add(None if successor == "own" else successor, "replaces", objects, cue)
                    continue
                if cue.group(0).lower().startswith("đã"):
                    continue  # "… đã hết hiệu lực": a fact the text reports, not an act of the text
                subject = head if head_ok and head not in objects and starts[0] < cue.start() else \
                    _referred(text, s_start, cue.start(), seen, own)
                if subject is None and own.header and own.speaks(cue.start()):
                    subject = "own"
                if subject is not None:
                    add(None if subject == "own" else subject, "repeals", objects, cue)
                continue
            first = bisect.bisect_left(starts, cue.end())
            if predicate == "guides" and (first >= len(cits) or not _objects(text, cue.end(), cits, first, npos)):
                # "… quy định chi tiết thi hành một số điều của Luật Ngân sách nhà nước": a law named by
                # its name, whose symbol the text gave with that name elsewhere
                named = _named(text, cue.end(), names())
                if named is not None:
                    subject = _attached(text, cue.start(), cits, starts, tails, ends)
                    if subject is not None and subject is not named:
                        add(subject, "guides", [named], cue)
                continue
            if predicate in CHANGES and (first >= len(cits) or not _objects(text, cue.end(), cits, first, npos)):
                # "… bổ sung thẩm quyền … trong một số điều của “Quy định về thể loại …”": a work named by its quoted
                # title, which a decision cited earlier issued ("Quyết định số 31-QĐ/TW … ban hành Quy định “…”")
                work = _work_by_title(text, cue.end(), s_end, cits, starts, ends, npos)
                if work is not None:
                    subject = _attached(text, cue.start(), cits, starts, tails, ends)
                    if subject is not None and subject is not work:
                        add(subject, predicate, [work], cue)
                    continue
            if first >= len(cits):
                continue  # no citation after the cue: no object
            # a cue inside a citation's title keeps its objects inside that title
            limit = None
            holder = None
            for j in range(first - 1, max(-1, first - 9), -1):
                if tails[j] <= cue.start() < ends[j]:
                    limit, holder = ends[j], cits[j]
                    break
            objects = _objects(text, cue.end(), cits, first, npos, limit=limit,
                               gap=CHANGE_LIST_GAP if predicate in CHANGES else LIST_GAP)
            if not objects:
                continue
            if predicate == "amended":  # "X được sửa đổi, bổ sung bởi Y": Y amends X
                amended = holder or _before_cue(text, cue.start(), cits, starts, ends, tails)
                if amended is not None:
                    add(amended, "amends", objects, cue, reverse=True)
                continue
            subject = _attached(text, cue.start(), cits, starts, tails, ends)
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
                elif predicate == "based_on":
                    subject = "own" if own.bases(cue.start()) else None
                elif own.speaks(cue.start()) and not _no_act_follows(text, npos(objects[-1].end), s_end) \
                        and not _task_of_another_body(text, s_start):
                    subject = "own"
            elif subject is None and own.header and starts[0] >= cue.start() and _body_opens(text, s_start, cue.start()) \
                    and own.speaks(cue.start()):
                subject = "own"  # "Ủy ban Kiểm tra Trung ương hướng dẫn thực hiện …" in its own text
            if subject is None and last is not None and predicate in CHANGES and last[2] in CHANGES \
                    and JOINED.fullmatch(text, last[1], cue.start()):
                subject = last[0]  # "thay thế Nghị định A; Nghị định B và bãi bỏ Điều 3 của Nghị định C"
            if subject is None:
                continue
            if subject == "own" and predicate == "implements" and own.doc_type == "Hướng dẫn" and own.layout is not None \
                    and own.layout.part_at(cue.start()) == "title":
                predicate = "guides"  # "HƯỚNG DẪN / THỰC HIỆN MỘT SỐ ĐIỀU TRONG QUY ĐỊNH SỐ …": its title
            add(None if subject == "own" else subject, predicate, objects, cue)
            last = (subject, npos(max(objects[-1].end, objects[-1].title_end)), predicate)
        seen.extend(cits[-MAX_OBJECTS:])
        if len(seen) > 4 * MAX_OBJECTS:
            del seen[:-MAX_OBJECTS]
    out += _listed_changes(nt, citations, own, out, npos)
    out += _preamble_bases(nt, citations, own, out, npos)
    out += _title_guides(nt, citations, own, names, npos)
    return out


#: A task list's item: "a) ", "b) ", "- ", "+ ", "• ".
_TASK_ITEM = re.compile(r"[ \t*_]{0,3}(?:[a-zđ]\)|[-+•])[ \t]")
#: A heading's number and decoration: "*2.13.", "### 3.".
_HEADING_NUMBER = re.compile(r"[#*_ \t]*(?:[0-9IVX]{1,4}(?:\.[0-9]{1,3}){0,3}\.?)?[#*_ \t]*")
HEADING_REACH = 1500  # characters back from a task item to its heading


@lru_cache(maxsize=1)
def _heading_names_body() -> re.Pattern:
    """A heading that names who carries the tasks under it out: a kind of body ("Sở …", "Ủy ban nhân dân xã, phường",
    "Công an tỉnh") or a group of bodies ("Các Sở, ban, ngành khác")."""
    kinds = "|".join(re.escape(k) for k in tables.body_kinds())
    return re.compile(r"(?:Các\s{1,2}(?:[Ss]ở|cơ quan|đơn vị|ban|[Bb]ộ|ngành|địa phương|huyện|xã)|UBND|HĐND|Ủy ban nhân dân"
                      r"|Hội đồng nhân dân|" + kinds + r")(?![\w])")


def _task_of_another_body(text: str, s_start: int) -> bool:
    """"*2.13. Ủy ban nhân dân xã, phường* … b) Triển khai hiệu quả Kế hoạch số 64/KH-UBND …": in a plan's list of
    tasks, an item under a heading that names a body is that body's task, not an act of the text itself."""
    if not _TASK_ITEM.match(text, s_start):
        return False
    pos = s_start
    lo = max(0, s_start - HEADING_REACH)
    while pos > lo:
        line_start = text.rfind("\n", lo, pos - 1) + 1
        line = text[line_start:pos].strip()
        pos = line_start
        if not line or _TASK_ITEM.match(line) or len(line) > 90:
            continue  # another item, a blank line, a paragraph
        name = _HEADING_NUMBER.match(line)
        words = line[name.end():] if name else line
        if not words.strip(" *_#:"):  # "*2.13." alone: the heading's words are on the next line
            nxt = text.find("\n", line_start) + 1
            words = text[nxt:text.find("\n", nxt)] if nxt > 0 else ""
        return _heading_names_body().match(words.strip(" *_#\t")) is not None
    return False


#: After an opening "Thực hiện X …", a clause that is no act of the text: a consequence ("…, thì hộ
#: kinh doanh không phải …": under X, this follows) or a site speaking ("…, chúng tôi cập nhật …").
NO_ACT_AFTER = re.compile(r"(?:^|[\s,])(?:thì|chúng tôi|Chúng tôi)(?!\w)")
NO_ACT_REACH = 300


def _no_act_follows(text: str, after: int, s_end: int) -> bool:
    return NO_ACT_AFTER.search(text, after, min(s_end, after + NO_ACT_REACH)) is not None


def _attached(text: str, cue_start: int, cits, starts, tails, ends) -> Citation | None:
    """The last mention that ends (with or without its title) right before the cue."""
    i = bisect.bisect_right(starts, cue_start) - 1
    while i >= 0:
        if ATTACH_GAP.fullmatch(text, tails[i], cue_start) or ATTACH_GAP.fullmatch(text, ends[i], cue_start):
            return cits[i]
        if ends[i] <= cue_start or tails[i] <= cue_start:
            return None
        i -= 1
    return None


#: Types a text may name by their name alone once it gave the name with the symbol ("Luật Ngân
#: sách nhà nước số 83/2015/QH13" … "Luật Ngân sách nhà nước"): laws and ordinances have names.
NAMED_TYPES = ("Luật", "Bộ luật", "Pháp lệnh")
NAME_WORDS = 14  # a law's name is short; a longer run is a sentence


#: A law's type word, and the "số" that closes its name before the symbol.
NAME_WORD = re.compile(r"(?<!\w)(?i:bộ luật|luật|pháp lệnh)\s")
NAME_END = re.compile(r"\s{1,3}(?i:số)\s{0,2}:?\s{0,2}$")
NOT_IN_NAME = re.compile(r"[;:()“”\"\d.!?]|\n[ \t]{0,3}\n")


def law_names(text: str, citations: list[Citation], npos) -> list[tuple[str, Citation]]:
    """The names the text gives its laws with their symbols, longest first: ("luật ngân sách nhà
    nước", the citation of 83/2015/QH13). A name given to two symbols names neither."""
    names: dict[str, Citation | None] = {}
    for c in citations:
        if c.doc_type not in NAMED_TYPES or c.short_form:
            continue
        s = npos(c.start)
        k = text.find(c.number, s, npos(c.end))
        end = NAME_END.search(text, max(0, k - 12), k) if k >= 0 else None
        if end is None:
            continue
        lo = max(0, k - 180)
        words = [w.start() for w in NAME_WORD.finditer(text, lo, end.start())]
        # the last type word, unless it is the law an amending law's name names ("Luật sửa đổi,
        # bổ sung một số điều của Luật Đất đai số …" is the amending law's)
        while len(words) > 1 and text[max(lo, words[-1] - 4):words[-1]].lower().strip() == "của":
            words.pop()
        if not words or NOT_IN_NAME.search(text, words[-1], end.start()):
            continue
        name = " ".join(text[words[-1]:end.start()].lower().split())
        if not 2 <= len(name.split()) <= NAME_WORDS:
            continue
        known = names.get(name, c)
        names[name] = c if known is c or (known is not None and known.symbol == c.symbol) else None
    return sorted(((n, c) for n, c in names.items() if c is not None), key=lambda nc: -len(nc[0]))


#: A work a citation issued, by its quoted title: "… ban hành Quy định “về thể loại, thẩm quyền ban hành …”".
_ISSUES_TITLED = re.compile(r"[^“\"\n;]{0,120}?\s(?i:ban hành|ban hành kèm theo)\s{1,3}[^“\"\n;]{0,30}?[“\"](?P<t>[^”\"\n]{10,300})[”\"]")
_QUOTED_AFTER = re.compile(r"[^“\"\n;]{0,160}?[“\"](?P<t>[^”\"\n]{10,300})[”\"]")


@lru_cache(maxsize=1)
def _type_words_longest_first() -> list[list[str]]:
    return [t.split() for t in sorted(tables.type_by_word(), key=len, reverse=True)]


def _title_key(title: str) -> str:
    """A quoted title compared without its type word, spaces and punctuation ("Quy định về thể loại, thẩm quyền ban hành …"
    and "về thể loại, thẩm quyền banhành …" are one)."""
    words = title.lower().split()
    for tw in _type_words_longest_first():
        if words[:len(tw)] == tw:
            words = words[len(tw):]
            break
    return "".join(ch for ch in "".join(words) if ch.isalnum())


def _work_by_title(text: str, pos: int, s_end: int, cits: list[Citation], starts, ends, npos) -> Citation | None:
    """The earlier citation that issued the work whose quoted title follows ``pos`` in the sentence."""
    q = _QUOTED_AFTER.match(text, pos, s_end)
    if q is None:
        return None
    key = _title_key(q.group("t"))
    if len(key) < 12:
        return None
    for i in range(bisect.bisect_left(starts, pos) - 1, -1, -1):
        nxt = starts[i + 1] if i + 1 < len(starts) else len(text)
        m = _ISSUES_TITLED.match(text, ends[i], min(nxt, ends[i] + 400, pos))
        if m is not None and _title_key(m.group("t")) == key:
            return cits[i]
    return None


def _named(text: str, pos: int, names: list[tuple[str, Citation]]) -> Citation | None:
    """The law the words at ``pos`` name by its name ("của Luật Ngân sách Nhà nước được …")."""
    if not names:
        return None
    head = text[pos:pos + 12].lstrip().lower()
    if head.startswith("của "):
        pos = text.lower().index("của", pos) + 3
    seg = " ".join(text[pos:pos + 40 * NAME_WORDS].lower().split())
    for name, c in names:
        if seg.startswith(name) and (len(seg) == len(name) or not seg[len(name)].isalnum()):
            rest = seg[len(name):len(name) + 8].lstrip(" ,")
            if rest.startswith("số") and any(ch.isdigit() for ch in rest):
                return None  # "Luật X số …" again: a citation of its own
            return c
    return None


def _title_guides(nt: NormalisedText, citations: list[Citation], own: Own, names, npos=None) -> list[Link]:
    """"NGHỊ ĐỊNH / Quy định chi tiết một số điều của Luật Đất đai": the own document's title guides
    the law it names, when the text gives that law's symbol with its name (in the preamble)."""
    npos = npos or nt.to_norm
    if own.layout is None or not own.document or "title" not in {p.kind for p in own.layout.parts}:
        return []
    text = nt.norm
    ts, te = own.layout.span("title")
    inside = [c for c in citations if ts <= npos(c.start) < te]
    out: list[Link] = []
    for cue in CUE.finditer(text, ts, te):
        if cue.lastgroup != "guides" or not own.speaks(cue.start()):
            continue
        if any(npos(c.start) >= cue.end() for c in inside):
            continue  # a symbol follows: the sentence loop has read it
        named = _named(text, cue.end(), names())
        if named is not None:
            cs, ce = nt.span(cue.start(), cue.end())
            out.append(Link(None, "guides", named, nt.original[cs:ce], cs, ce))
    return out


#: Right before a cue that is no act of a document: the name of a steering committee ("Ban Chỉ
#: đạo Trung ương về tổng kết …", "Ban chỉ đạo thực hiện …"), a proposal or a plan ("đề nghị
#: sửa đổi", "dự kiến bãi bỏ").
_NOT_AN_ACT_HEADS = ("ban chỉ đạo", "đề nghị", "kiến nghị", "đề xuất", "dự kiến", "dự thảo", "hiệu lực")  # ("Hiệu lực thi hành")
NOT_AN_ACT = re.compile(rf"(?:(?i:{_NOT_AN_ACT_HEADS[0]})(?: [^\W\d_]{{1,12}}){{0,6}}(?: về(?: việc)?)?"
                        rf"|(?i:{'|'.join(_NOT_AN_ACT_HEADS[1:])})(?: (?:việc|xem xét))?) $")


_NOT_AN_ACT_HEAD = re.compile("|".join(map(re.escape, _NOT_AN_ACT_HEADS)))  # one scan for any of them


def _not_an_act(text: str, lower: str | None, start: int, end: int) -> bool:
    """`NOT_AN_ACT.search(text, start, end)`, skipped where the lower-cased text holds none of
    its head words there (``lower``: text.lower(), as long as text, or None) and no character
    that (?i) matches to a letter it does not lower-case to."""
    if lower is not None and _NOT_AN_ACT_HEAD.search(lower, start, end) is None \
            and not find.case_odd(text, start, end):
        return False
    return NOT_AN_ACT.search(text, start, end) is not None
#: What a document does to the text of another: one list may mix them.
CHANGES = ("amends", "replaces", "repeals")
#: Between one cue's objects and the next cue that shares its subject.
JOINED = re.compile(r"[^.;:!?\n]{0,200}?\s{0,3}(?:,|;|và|, và|; và|đồng thời)\s{1,3}(?:(?:đồng thời|đề nghị)\s{1,3})?")
#: Between a passive cue's object and the cue: "… (sửa đổi, bổ sung tại …)", "…, được bổ sung bởi …".
PASSIVE_BEFORE = re.compile(r"[*_]{0,3}\s{0,3},?" + DESCRIPTION + r"\s{0,3}[,(]?\s{0,3}")
#: After "hết hiệu lực": "kể từ ngày <Y> có hiệu lực" names the successor.
SUCCESSOR = re.compile(r"\s{0,3}(?:thi hành\s{1,3})?,?\s{0,3}(?:kể từ|từ)\s{1,3}ngày\s{1,3}")
SUCCESSOR_TAIL = re.compile(r"\s{0,3}(?:chính thức\s{1,3})?có hiệu lực")


def _before_cue(text: str, cue_start: int, cits, starts, ends, tails) -> Citation | None:
    """The citation that ends right before a passive cue (with or without its title)."""
    i = bisect.bisect_right(starts, cue_start) - 1
    while i >= 0:
        if PASSIVE_BEFORE.fullmatch(text, tails[i], cue_start) or PASSIVE_BEFORE.fullmatch(text, ends[i], cue_start) \
                or ATTACH_GAP.fullmatch(text, ends[i], cue_start):
            return cits[i]
        if ends[i] <= cue_start:
            return None
        i -= 1
    return None


def _successor(text: str, after: int, cits, starts, npos, own: Own):
    """"… hết hiệu lực kể từ ngày <Y> có hiệu lực": Y (a citation, or "own" for "Nghị quyết
    này"), else None."""
    m = SUCCESSOR.match(text, after)
    if m is None:
        return None
    pos = m.end()
    j = bisect.bisect_left(starts, pos)
    if j < len(cits) and starts[j] == pos:
        c = cits[j]
        if SUCCESSOR_TAIL.match(text, npos(max(c.end, c.title_end))) or SUCCESSOR_TAIL.match(text, npos(c.end)):
            return c
    b = _backref().match(text, pos)
    if b is not None and b.group("this") and SUCCESSOR_TAIL.match(text, b.end()):
        return "own"
    return None


BASIS_WORDS = re.compile(r"(?i:căn cứ)")


#: A line that ends with a change cue and a colon, its objects listed on the lines below: "(2) Nghị định 320/2025/NĐ-CP
#: thay thế:", "2. Quyết định 312/2025/QĐ-UBND bãi bỏ các Quyết định sau:", "Nghị định này bãi bỏ các văn bản sau đây:".
LISTING_CUE = re.compile(r"(?P<cue>thay thế|bãi bỏ|hủy bỏ|sửa đổi, bổ sung|sửa đổi|bổ sung)"
                         r"(?:\s{1,2}(?:các|những)(?:\s{1,2}[^\W\d_]{1,12}){1,3}?)?(?:\s{1,2}(?:sau đây|sau|như sau))?"
                         r"[ \t*_]{0,4}:[ \t*_]{0,4}$", re.I)
#: A colon that ends a line: where a listing cue may stand (found first: a literal the engine jumps to).
LINE_END_COLON = re.compile(r":[ \t*_]{0,4}(?=\n)")
LISTING_REACH = 80  # characters before the colon in which its cue stands
LISTING_PREDICATE = {"thay thế": "replaces", "bãi bỏ": "repeals", "hủy bỏ": "repeals"}
#: A list item opening a line: "- ", "+ ", "• ", "(2) ", "2. ", "a) ".
LIST_ITEM_LINE = re.compile(r"[ \t*_]{0,4}(?:[-+•]|\(\d{1,2}\)|\d{1,2}[.)]|[a-zđ]\))[ \t*_]{1,4}")
LISTED_MAX = 30


def _listed_changes(nt: NormalisedText, citations: list[Citation], own: Own, found: list[Link], npos=None) -> list[Link]:
    """"(2) Nghị định 320/2025/NĐ-CP thay thế:⏎- Nghị định 218/2013/NĐ-CP …⏎- Nghị định 91/2014/NĐ-CP …": a line
    that ends with a change cue and a colon changes the document that opens each list item below it, until the
    first line that is no such item. The subject is the citation the cue follows, or the text's own document
    for "<Type> này"."""
    npos = npos or nt.to_norm
    text = nt.norm
    if ":" not in text:
        return []
    starts = [npos(c.start) for c in citations]
    done = {(id(k.subject), k.predicate, id(k.object)) for k in found}
    out: list[Link] = []
    for colon in LINE_END_COLON.finditer(text):
        line_start = text.rfind("\n", max(0, colon.start() - LISTING_REACH), colon.start()) + 1
        cue = LISTING_CUE.search(text, max(line_start, colon.start() - LISTING_REACH), colon.end())
        if cue is None:
            continue
        i = bisect.bisect_left(starts, cue.start()) - 1
        subject = None
        if i >= 0 and starts[i] >= line_start:
            c = citations[i]
            if ATTACH_GAP.fullmatch(text, npos(max(c.end, c.title_end)), cue.start()):
                subject = c
        if subject is None:
            head = _backref().match(text, line_start)
            if head is None or not head.group("this") or not own.speaks(cue.start()) \
                    or not ATTACH_GAP.fullmatch(text, head.end(), cue.start()):
                continue
            subject = "own"  # "Nghị định này bãi bỏ các văn bản sau:"
        predicate = LISTING_PREDICATE.get(cue.group("cue").lower(), "amends")
        pos = cue.end() + 1
        for _ in range(LISTED_MAX):
            while text.startswith("\n", pos):
                pos += 1
            item = LIST_ITEM_LINE.match(text, pos)
            if item is None:
                break
            line_end = text.find("\n", pos)
            line_end = len(text) if line_end < 0 else line_end
            j = bisect.bisect_left(starts, item.end())
            if j < len(citations) and starts[j] < min(line_end, item.end() + 12):
                obj = citations[j]
                key = (id(None if subject == "own" else subject), predicate, id(obj))
                if obj is not subject and key not in done:
                    done.add(key)
                    s, e = nt.span(cue.start("cue"), cue.end("cue"))
                    out.append(Link(None if subject == "own" else subject, predicate, obj, nt.original[s:e], s, e))
            pos = line_end + 1
    return out


def _preamble_bases(nt: NormalisedText, citations: list[Citation], own: Own, found: list[Link], npos=None) -> list[Link]:
    """Every citation of a "Căn cứ" item of the preamble is a basis of the text's own document:
    lists under one "Căn cứ", "Luật <tên> số …", and the amending law named inside the item
    ("… được sửa đổi, bổ sung bởi Luật số …"). Not what a cited basis itself carries out or
    guides ("Căn cứ Kết luận số 18 … về tiếp tục thực hiện Chỉ thị số 10 …"), and not "Theo đề
    nghị của …" or "Xét …"."""
    npos = npos or nt.to_norm
    if own.layout is None or not own.layout.basis_items:
        return []
    carried = {id(k.object) for k in found if k.subject is not None and k.predicate != "amends"}
    amending = {id(k.subject) for k in found if k.subject is not None and k.predicate == "amends"}
    # what a basis is about: "Căn cứ Quyết định 178/QĐ-TTg … về ban hành Kế hoạch triển khai
    # Thông báo kết luận số 196-TB/TW" names 196-TB/TW inside 178's title, not as a basis
    titles = [(npos(c.end), npos(c.title_end)) for c in citations if c.title_end > c.end]
    title_starts = [s for s, _ in titles]
    items = own.layout.basis_items
    item_starts = [s for s, _ in items]
    out = []
    for c in citations:
        p = npos(c.start)
        k = bisect.bisect_right(item_starts, p) - 1
        if k < 0 or p >= items[k][1] or id(c) in carried:
            continue
        t = bisect.bisect_right(title_starts, p) - 1
        if t >= 0 and p < titles[t][1] and id(c) not in amending:
            continue
        m = BASIS_WORDS.search(nt.norm, items[k][0], items[k][1])
        s, e = nt.span(*(m.span() if m else items[k]))
        out.append(Link(None, "based_on", c, nt.original[s:e], s, e))
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


def party_level(issuer_code: str | None) -> int | None:
    """The level of a Party issuer code: 3 central ("TW", "VPTW", "BTCTW" …), 2 a province or
    city ("TU", "BTGTU" …), 1 below it (huyện, quận, đảng ủy, chi bộ); None when unknown."""
    if not issuer_code:
        return None
    code = issuer_code.upper().split("-")[0]
    if code.endswith(("TW", "TƯ")):
        return 3
    if code.endswith("TU"):
        return 2
    if code in LOWER_CODES or code.startswith("CB"):
        return 1
    return None


#: Party issuer codes below a province (Hướng dẫn 36-HD/VPTW): huyện, quận, thị, thành ủy trực thuộc, đảng ủy.
LOWER_CODES = {"HU", "QU", "TXU", "TPU", "ĐU", "ĐUK", "ĐUCS", "ĐB", "CB"}


def relations(found: list[Link], documents: list[Document] = (), own_id: str | None = None,
              own_date: str | None = None, own_type: str | None = None,
              warnings: list[str] | None = None, own_issuer_code: str | None = None) -> list[Relation]:
    """Links between resolved mentions as relations between documents, each stated once.
    A relation that runs back in time (a subject dated before its object) is dropped, with a
    warning; so is a Party document changing one of a higher body (Quy định 66-QĐ/TW and 399-QĐ/TW:
    only the issuer or a higher body amends, replaces or repeals a document); "a Hướng dẫn that
    thực hiện X" guides X."""
    symbols = {d.id: d.symbol for d in documents}
    dates = {d.id: d.date for d in documents}
    types = {d.id: d.doc_type for d in documents}
    levels = {d.id: party_level(d.issuer_code) for d in documents if d.system == "party"}
    if own_id and own_id not in dates:
        dates[own_id], types[own_id] = own_date, own_type
        levels[own_id] = party_level(own_issuer_code)
    out: list[Relation] = []
    seen: dict[tuple, Relation] = {}
    for k in found:
        a = k.subject.document if k.subject is not None else own_id
        b = k.object.document
        if not a or not b or a == b:
            continue
        predicate = k.predicate
        if predicate == "implements" and types.get(a) == "Hướng dẫn" and (k.subject is not None or "thi hành" in k.cue.lower()):
            # "Hướng dẫn số 42 … thực hiện Chỉ thị số 50" guides it, and so does a guide that
            # opens "Thi hành Điều 2 Quyết định số 31 …" (the execution a guide is for); a guide's
            # own "Thực hiện Chỉ thị số 50 …, Ban … hướng dẫn một số nội dung" carries it out
            predicate = "guides"
        da, db = dates.get(a), dates.get(b)
        if predicate in FORWARD and da and db and da < db:
            if warnings is not None:
                warnings.append(f"{symbols.get(a, 'the text itself')} {predicate} {symbols.get(b, b)} at {k.cue_start}: "
                                f"dated {da}, before {db}; not taken as a relation")
            continue
        la, lb = levels.get(a), levels.get(b)
        if predicate in CHANGES and la is not None and lb is not None and la < lb:
            if warnings is not None:
                warnings.append(f"{symbols.get(a, 'the text itself')} {predicate} {symbols.get(b, b)} at {k.cue_start}: "
                                f"a lower body cannot change a higher body's document; not taken as a relation")
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
