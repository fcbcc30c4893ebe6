"""Stage 6: relations between cited documents (what one does to another).

A cue ("thực hiện", "sơ kết 03 năm thực hiện", "sửa đổi, bổ sung", "thay thế", "hướng dẫn
thực hiện", "căn cứ") links the citation it is attached to, the subject, to the citations right
after it, the objects. The subject is the citation the cue directly follows ("Kết luận số
01-KL/TW, ngày 18/5/2021 của Bộ Chính trị về tiếp tục thực hiện Chỉ thị số 05-CT/TW"), or
else the citation that heads the sentence ("Kế hoạch số 04-KH/CBDV … ; sơ kết 2 năm thực hiện
Kết luận 01-KL/TW"). Relations never cross a spaCy sentence.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from itertools import groupby

from .models import Citation, Relation
from .normalise import NormalisedText

CUE = re.compile(
    r"(?i:(?P<guides>hướng dẫn (?:việc )?(?:tổ chức )?thực hiện)"
    r"|(?P<amends>sửa đổi,? (?:và )?bổ sung(?: một số điều(?: của)?)?|sửa đổi)"
    r"|(?P<replaces>thay thế)"
    r"|(?P<reviews>(?:sơ kết|tổng kết)(?: \d{1,2} năm)?(?: (?:việc )?(?:triển khai )?(?:thực hiện|thi hành))?"
    r"|đánh giá (?:kết quả )?(?:\d{1,2} năm )?(?:việc )?(?:triển khai )?thực hiện)"
    r"|(?P<based_on>căn cứ(?: vào)?)"
    r"|(?P<implements>(?:(?:tiếp tục|triển khai|đẩy mạnh|tổ chức) ){0,2}(?:thực hiện|cụ thể hóa|triển khai)))"
    r"(?![\w])"
)
#: Between the subject's own date/issuer and the cue: nothing, or "về", "về việc", "để".
ATTACH_GAP = re.compile(r"\s{0,3}[,:]?\s{0,3}(?:(?:về|về việc|nhằm|để)\s{1,3})?(?:(?:việc|tiếp tục)\s{1,3})?", re.I)
#: Between the cue and its object.
OBJECT_GAP = re.compile(
    r"\s{0,3}(?:(?:một số điều|nội dung|các nội dung)(?: của)?\s{1,3})?"
    r"(?:(?:có hiệu quả|hiệu quả|nghiêm túc|tốt|các|việc)\s{1,3}){0,2}", re.I)
LIST_GAP = re.compile(r"\s{0,3}(?:,|và|, và)\s{1,3}")  # not ";": it closes an enumeration item
#: What may stand before a citation that heads its sentence: list and footnote markers,
#: or "<body> ban hành".
HEAD_PREFIX = re.compile(r"[\W\d_]{0,20}(?:sup>\d{1,3}</sup>[\W_]{0,5})?", re.S)


MAX_OBJECTS = 50  # one cue names a short list; hostile text cannot make the work quadratic


@dataclass
class Link:
    """A relation between two mentions, before resolution names their documents."""

    subject: Citation
    predicate: str
    object: Citation
    cue: str
    cue_start: int  # original offsets
    cue_end: int


def _objects(text: str, after: int, cits: list[Citation], first: int, npos) -> list[Citation]:
    """The citations right after a cue: the first one, and those joined to it as a list."""
    out: list[Citation] = []
    pos = after
    gap_re = OBJECT_GAP
    for c in cits[first:first + MAX_OBJECTS]:
        s = npos(c.start)
        if not gap_re.fullmatch(text, pos, s):
            break
        out.append(c)
        pos = npos(c.title_end if c.title_end > c.end else c.end)
        gap_re = LIST_GAP
    return out


#: Before a cue that opens its sentence: list markers, "Để".
OPENING_CUE = re.compile(r"[\W\d_]{0,20}(?:(?:để|nhằm)\s{1,3})?", re.I)
#: Before a mention issued in the same sentence: "…, Ban Thường vụ Tỉnh ủy (đã) ban hành ".
ISSUED = re.compile(r"(?:ban hành|ký ban hành)\s{1,3}(?:các\s{1,3})?$")


def _issued_after(text: str, cits: list[Citation], starts: list[int], last_object: Citation, npos) -> Citation | None:
    """The first mention after the objects that the sentence says was issued ("… ban hành X")."""
    j = bisect.bisect_right(starts, npos(last_object.start))
    for c in cits[j:j + MAX_OBJECTS]:
        s = npos(c.start)
        if ISSUED.search(text, max(0, s - 30), s):
            return c
    return None


def links(nt: NormalisedText, citations: list[Citation]) -> list[Link]:
    """Cue-linked pairs of mentions in one text (offsets are the text's own)."""
    text = nt.norm
    npos = nt.to_norm
    out: list[Link] = []
    for _, group in groupby(sorted(citations, key=lambda c: (c.sentence_start, c.start)),
                            key=lambda c: c.sentence_start):
        cits = list(group)
        if len(cits) < 2:
            continue
        starts = [npos(c.start) for c in cits]
        ends = [npos(c.end) for c in cits]
        s_start, s_end = npos(cits[0].sentence_start), npos(cits[0].sentence_end)
        head = cits[0]
        head_ok = bool(HEAD_PREFIX.fullmatch(text, s_start, starts[0])) or bool(head.issuer) and \
            text[max(s_start, starts[0] - 60):starts[0]].rstrip().endswith("ban hành")
        for cue in CUE.finditer(text, s_start, s_end):
            predicate = cue.lastgroup
            first = bisect.bisect_left(starts, cue.end())
            objects = _objects(text, cue.end(), cits, first, npos)
            # the last mention that ends before the cue (mentions are in text order)
            i = bisect.bisect_right(ends, cue.start()) - 1
            if i >= 0 and ATTACH_GAP.fullmatch(text, ends[i], cue.start()):
                subject = cits[i]
            elif i >= 0 and head_ok and predicate != "based_on":
                subject = head
            elif objects and OPENING_CUE.fullmatch(text, s_start, cue.start()):
                # "Để triển khai thực hiện Kết luận số 01-KL/TW, Ban Thường vụ Tỉnh ủy ban hành
                # Kế hoạch số 50-KH/TU": the document issued later in the sentence is the subject
                subject = _issued_after(text, cits, starts, objects[-1], npos)
                if subject is None:
                    continue
            else:
                continue
            for obj in objects:
                cue_start, cue_end = nt.span(cue.start(), cue.end())
                out.append(Link(subject, predicate, obj, nt.original[cue_start:cue_end], cue_start, cue_end))
    return out


def relations(found: list[Link]) -> list[Relation]:
    """Links between resolved mentions as relations between documents, each stated once."""
    out: list[Relation] = []
    seen: set[tuple] = set()
    for k in found:
        a, b = k.subject.document, k.object.document
        if not a or not b or a == b:
            continue
        key = (a, k.predicate, b)
        if key in seen:
            continue
        seen.add(key)
        out.append(Relation(a, k.predicate, b, k.subject.start, k.object.end, k.cue, k.cue_start, k.cue_end))
    return out
