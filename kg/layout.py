"""Stage 3: the layout of the text (thể thức văn bản): which part each line belongs to.

Vietnamese official documents have one prescribed layout (State: Nghị định 30/2020/NĐ-CP,
Phụ lục I; Party: Hướng dẫn 36-HD/VPTW), top to bottom:

- header (phần đầu): issuing body, the national or Party motto, "Số: 15/2024/TT-NHNN", place and date;
- title: the type word in capitals and the trích yếu ("NGHỊ QUYẾT / Quy định một số nội dung …");
- preamble: "Căn cứ …;" one basis an item, then "Theo đề nghị của …", "Xét …" (considered, no basis);
- enacting words: "QUYẾT ĐỊNH:", "Hội đồng nhân dân ban hành Nghị quyết …";
- body: Chương, Mục, Điều (State) or I., 1., a) (Party);
- signature, recipients ("Nơi nhận:"), then annexes ("Phụ lục", "Mẫu").

Pages as sites serve them wrap this in Markdown: the header in a table ("| Số: 55/2025/NQ-HĐND |"),
one cell a line, ``**bold**``, a site's "Số hiệu:" metadata table above the document. The stage
reads lines of the normalised text with that decoration stripped. A text without a header (news,
a Q&A answer, an encyclopedia page) only discusses documents: it is one ``body``.

`layout(norm)` works on normalised offsets; `Layout.parts_in(nt)` maps them to the original.
"""
from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import accumulate

from . import tables
from .models import Part

#: Markdown and table decoration around a line's words.
_DECOR = re.compile(r"[|*_#>`][|*_#>`]*")  # not "[…]+": `re` scans fast only for a pattern opening with a class
_MOTTO = re.compile(r"(?:CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM|ĐẢNG CỘNG SẢN VIỆT NAM|Độc lập\s?-\s?Tự do\s?-\s?Hạnh phúc)",
                    re.I)
#: "Số: 55/2025/NQ-HĐND", "Số 41-HD/ĐUK", "Số:" alone (the symbol on the next line), "Số hiệu: …".
_NUMBER = re.compile(r"(?:Số|SỐ)(?: hiệu| HIỆU)?\s{0,2}:?\s{0,3}(?:\d|$)")
_PLACE_DATE = re.compile(r"(?!Căn cứ|CĂN CỨ|Theo|Xét|Thực hiện)[^\W\d_][^\d,\n]{0,40},\s{0,2}ngày\s{1,3}\d{1,2}\s{1,3}tháng\s{1,3}\d{1,2}\s{1,3}năm\s{1,3}\d{4}", re.I)
#: The date of a header's place-and-date line ("Hà Nội, ngày 07 tháng 02 năm 2023").
HEADER_DATE = re.compile(r"ngày\s{1,3}(\d{1,2})\s{1,3}tháng\s{1,3}(\d{1,2})\s{1,3}năm\s{1,3}(\d{4})", re.I)
#: The lines that open a preamble item. "Thực hiện" opens a Party document's preamble too.
_PREAMBLE = re.compile(r"[-+•\s]{0,4}(?:Căn cứ|CĂN CỨ|Theo đề nghị|THEO ĐỀ NGHỊ|Xét|XÉT|Thực hiện|Theo|Để)\b")
#: What opens a document's preamble right under its title, when it has no "Số" header.
_OPENING = re.compile(r"[-+•\s]{0,4}(?:Căn cứ|CĂN CỨ|Thực hiện|THỰC HIỆN|Thi hành|Triển khai)\b")
_BASIS = re.compile(r"[-+•\s]{0,4}(?:Căn cứ|CĂN CỨ)\b")
#: Enacting words: "QUYẾT ĐỊNH:", "QUYẾT NGHỊ:", "BỘ TRƯỞNG … QUYẾT ĐỊNH:", "… ban hành Nghị quyết …".
_ENACTING_CAPS = re.compile(r"[^\n]{0,120}\b(?:QUYẾT ĐỊNH|QUYẾT NGHỊ|NGHỊ QUYẾT|CHỈ THỊ|KẾT LUẬN|BAN HÀNH|QUY ĐỊNH)\s{0,2}:\s{0,2}$")
_ENACTING_WORDS = re.compile(r"[^\n]{0,160}\bban hành\s{1,3}(?:kèm theo\s{1,3})?(?:[^\W\d_]{1,12}\s{1,3}){1,3}[^\n]{0,600}[.:]?$")
#: What opens the body when no enacting words stand before it.
_BODY_START = re.compile(r"(?:Điều\s{1,2}1\b|ĐIỀU\s{1,2}1\b|Chương\s{1,2}I\b|CHƯƠNG\s{1,2}I\b|Phần\s{1,2}(?:I|thứ nhất)\b|PHẦN\s{1,2}(?:I|THỨ NHẤT)\b"
                         r"|I\s{0,2}[.\-–]\s|A\s{0,2}[.\-–]\s|1\s{0,2}[.\-–]\s)")
_RECIPIENTS = re.compile(r"(?:Nơi nhận|NƠI NHẬN)\s{0,2}:?")
_SIGNATURE = re.compile(
    r"(?:T/M|TM\.|TM |K/T|KT\.|KT |Q\.|TL\.|TUQ\.|T/L|(?:PHÓ )?CHỦ TỊCH\b|(?:PHÓ )?BÍ THƯ\b|(?:PHÓ )?THỦ TƯỚNG\b|BỘ TRƯỞNG\b"
    r"|(?:PHÓ )?CHÁNH VĂN PHÒNG\b|(?:PHÓ )?TRƯỞNG BAN\b|\((?:Đã ký|đã ký|Đã ký và đóng dấu)\))")
_ANNEX = re.compile(r"(?:PHỤ LỤC|Phụ lục|MẪU\b|Mẫu số|\((?:Ban hành |ban hành )?[Kk]èm theo|BIỂU MẪU|Biểu mẫu)")
#: The type words as a header prints them ("NGHỊ QUYẾT", "CÔNG ĐIỆN"): every type of kg/data/doc_types.tsv.
TYPE_WORDS_CAPS = tuple(sorted({t.vi.upper() for t in tables.doc_types().values()}))
_TYPE_LINE = re.compile(r"(?:%s)(?:\s{1,3}(?:SỐ|Số)\b[^\n]{0,40})?(?:\s{1,2}[A-ZĐÀ-Ỹ][^\n]{0,300})?" % "|".join(
    sorted({re.escape(w) for w in TYPE_WORDS_CAPS}, key=lambda w: (-len(w), w))))  # one pattern a run: cached (kg.recache)

#: "**NGHỊ QUYẾT****Về việc sắp xếp …**": the type word and the trích yếu in one line, two bold runs.
_GLUED_TYPE_LINE = re.compile(r"[#*_ ]{0,6}(?:%s)\*\*[ ]?\*\*" % "|".join(
    sorted({re.escape(w) for w in TYPE_WORDS_CAPS}, key=lambda w: (-len(w), w))))

HEADER_REACH = 14   # lines between the header's first line and its "Số" line, or after it to the title
TITLE_LINES = 8     # lines a trích yếu may run over
SIGNATURE_LINES = 12


@dataclass
class Line:
    start: int   # normalised offsets of the line, decoration included
    end: int
    words: str   # the line without Markdown decoration, spaces folded


@dataclass
class Layout:
    """The parts of a text, in normalised offsets. ``document`` is False for a text that only
    discusses documents (one body). ``number`` is the span of the header's "Số …" line (the own
    symbol stands on it or on the next line); ``meta_number`` that of a site's "Số hiệu" table."""

    parts: list[Part] = field(default_factory=list)
    document: bool = False
    number: tuple[int, int] | None = None
    meta_number: tuple[int, int] | None = None
    date: tuple[str, str, str] | None = None   # the header's "ngày … tháng … năm …"
    doc_type_line: tuple[int, int] | None = None
    basis_items: list[tuple[int, int]] = field(default_factory=list)  # "Căn cứ …" items of the preamble
    continued: bool = False  # a later piece of a text read in pieces (no header, no opening)
    _starts: list[int] = field(default_factory=list)

    def part_at(self, pos: int) -> str | None:
        """The kind of the part holding normalised position ``pos`` (None outside every part)."""
        if not self._starts:
            self._starts = [p.start for p in self.parts]
        i = bisect.bisect_right(self._starts, pos) - 1
        if i >= 0 and pos < self.parts[i].end:
            return self.parts[i].kind
        return None

    def span(self, kind: str) -> tuple[int, int] | None:
        hits = [p for p in self.parts if p.kind == kind]
        return (hits[0].start, hits[-1].end) if hits else None

    def in_original(self, nt) -> list[Part]:
        """The parts with offsets into the original text."""
        out = []
        for p in self.parts:
            s, e = nt.span(p.start, p.end)
            out.append(Part(p.kind, s, e))
        return out


def lines(norm: str) -> list[Line]:
    """The text's lines with their normalised offsets and their words without decoration."""
    return list(Lines(norm))


class Lines(Sequence):
    """`lines(norm)` as a sequence whose lines are made when first read: a text that is no
    document is decided on its first lines (and the "Số" lines among its first 400), a
    document's end matter on the lines `holding` finds, and most of a long report's lines are
    never looked at. The text is split at every line break only when a line far down is read
    (the first FEW are found one by one); past LAZY lines read one by one, all are made at once."""

    LAZY = 1000  # lines made one by one before all are made
    FEW = 64  # lines found one by one from the top before the text is split whole

    def __init__(self, norm: str):
        self.norm = norm
        self._len = norm.count("\n") + (not norm.endswith("\n")) if norm else 0
        self._raw: list[str] | None = None
        self._decor = _DECOR.search(norm) is not None
        self._bounds: list[int] | None = None  # where each line ends (its "\n", or the text's end)
        self._top: list[int] = []  # the same for the first lines, found one by one
        self._made: dict[int, Line] = {}
        self._all: list[Line] | None = None

    @property
    def raw(self) -> list[str]:
        """The lines as they stand, decoration included."""
        if self._raw is None:
            raw = self.norm.split("\n") if self.norm else []
            if self.norm.endswith("\n"):
                raw.pop()
            self._raw = raw
        return self._raw

    def __len__(self) -> int:
        return self._len

    def __iter__(self):
        for i in range(self._len):
            yield self[i]

    def __getitem__(self, i):
        if self._all is not None:
            return self._all[i]
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(self._len))]
        if i < 0:
            i += self._len
        made = self._made.get(i)
        if made is not None:
            return made
        if not 0 <= i < self._len:
            raise IndexError("line index out of range")
        if len(self._made) >= self.LAZY:
            self._all = self._every()
            return self._all[i]
        start, end = self._start(i), self._end(i)
        line = self.norm[start:end]
        made = self._made[i] = Line(start, end, _ruled(_words(_DECOR.sub(" ", line) if self._decor else line)))
        return made

    def _start(self, i: int) -> int:
        return self._end(i - 1) + 1 if i else 0

    def _end(self, i: int) -> int:
        """Where line i ends: found one by one for the first FEW lines, else from the split."""
        if self._bounds is None and i < self.FEW:
            top = self._top
            if i >= len(top):
                norm, pos = self.norm, top[-1] + 1 if top else 0
                while len(top) <= i:
                    e = norm.find("\n", pos)
                    top.append(len(norm) if e < 0 else e)
                    pos = top[-1] + 1
            return top[i]
        return self._ends()[i]

    def _ends(self) -> list[int]:
        if self._bounds is None:
            self._bounds = [e + i for i, e in enumerate(accumulate(map(len, self.raw)))]
        return self._bounds

    def holding(self, needles: re.Pattern, start: int = 0, stop: int | None = None):
        """The indices in [start, stop) of the lines whose text (decoration included) holds a
        match of ``needles``, in order: the only lines a pattern can match whose every match
        holds one of them in its words (decoration and folding never join two characters).
        A match's line is counted from the last one's (the text is not split for it)."""
        stop = self._len if stop is None else min(stop, self._len)
        if start >= stop:
            return
        norm = self.norm
        i, pos = start, self._start(start)
        while True:
            m = needles.search(norm, pos)
            if m is None:
                return
            i += norm.count("\n", pos, m.start())
            if i >= stop:
                return
            yield i
            pos = norm.find("\n", m.start()) + 1  # the next line
            if pos == 0:
                return
            i += 1

    def _every(self) -> list[Line]:
        # decoration never holds a line break: stripped from the whole text at once, the same lines
        bare = _DECOR.sub(" ", self.norm).split("\n") if self._decor else self.raw
        out: list[Line] = []
        pos = 0
        for line, words in zip(self.raw, bare):
            end = pos + len(line)
            words = words.strip(" ") if words.isprintable() and "  " not in words else " ".join(words.split())
            out.append(Line(pos, end, _ruled(words) if words[:3] == "---" else words))  # `_words`, inline
            pos = end + 1
        return out


def _words(words: str) -> str:
    """A line's words, spaces folded: a line whose only whitespace is single spaces (most,
    after normalise) needs no split (every other whitespace character is unprintable)."""
    return words.strip(" ") if words.isprintable() and "  " not in words else " ".join(words.split())


def _ruled(words: str) -> str:
    """A line's words without the rule of dashes a header draws under the body's name and the
    motto, where a text layer glued it to the next cell ("-------ĐẢNG CỘNG SẢN VIỆT NAM",
    "-----------Số: 11-HD/VPTW"); a line of dashes alone stays as it is."""
    if words[:3] != "---":
        return words
    return words.lstrip("-").lstrip(" ") or words


def _is_caps(words: str) -> bool:
    return words == words.upper() and words != words.lower()


HEADER_LINES = 400  # the lines in which a header's "Số" line may stand
_NUMBER_NEEDLES = re.compile("Số|SỐ")


def _header_anchor(ls: Lines) -> tuple[int | None, int | None, int | None]:
    """(index of the "Số …" line, index of a motto/body line that shows it is a header, index of
    a site's "Số hiệu" line). A "Số" line is a header's when a motto, a place-and-date line or a
    type line in capitals stands within reach."""
    meta = None
    n = min(len(ls), HEADER_LINES)
    for i in ls.holding(_NUMBER_NEEDLES, 0, n):  # `_NUMBER` opens with one, which decoration and folding leave whole
        w = ls[i].words
        if not w or len(w) > 90 or not _NUMBER.match(w):
            continue
        if w.startswith(("Số hiệu", "SỐ HIỆU")):
            if meta is None:
                meta = i
            continue
        lo, hi = max(0, i - HEADER_REACH), min(n, i + HEADER_REACH)
        near = [j for j in range(lo, hi) if j != i and (
            _MOTTO.search(ls[j].words) or _PLACE_DATE.match(ls[j].words)
            or (_is_caps(ls[j].words) and _TYPE_LINE.fullmatch(ls[j].words)))]
        if near:
            return i, near[0], meta
    return None, None, meta


def _title_end(ls: Sequence[Line], i: int) -> int:
    """Index after the last line of the title that starts at line i (the type line)."""
    j = i + 1
    while j < len(ls) and j < i + 1 + TITLE_LINES:
        w = ls[j].words
        if not w:
            j += 1
            continue
        if _PREAMBLE.match(w) or _BODY_START.match(w) or _ENACTING_CAPS.fullmatch(w) or _RECIPIENTS.match(w):
            break
        if _is_caps(w) or w.startswith(("Về ", "về ", "V/v", "(")) or (w[0].islower() and len(w) < 400) or (len(w) < 200 and not w.endswith((".", ";", ":"))
                                                                       and not _ENACTING_WORDS.fullmatch(w)):
            j += 1
            continue
        break
    return j


def layout(norm: str) -> Layout:
    """The parts of the text (see the module's docstring)."""
    ls = Lines(norm)
    num, near, meta = _header_anchor(ls)
    out = Layout()
    if meta is not None:
        out.meta_number = (ls[meta].start, ls[min(meta + 3, len(ls) - 1)].end)
    if num is None:
        t = _top_title(ls)
        if t is None:
            first = next((i for i, ln in enumerate(ls) if ln.words), None)
            if first is not None and _BASIS.match(ls[first].words):
                # a text that opens with its preamble (a PDF whose header was a running one)
                out.document = True
                return _after_title(ls, norm, out, [], first)
            out.parts = [Part("body", 0, len(norm))] if norm else []
            return out
        out.document = True
        parts = [Part("header", 0, ls[t - 1].end)] if any(ln.words for ln in ls[:t]) else []
        title_end = _title_end(ls, t)
        parts.append(Part("title", ls[t].start, ls[title_end - 1].end))
        out.doc_type_line = (ls[t].start, ls[t].end)
        return _after_title(ls, norm, out, parts, title_end)
    out.document = True
    out.number = (ls[num].start, ls[min(num + 2, len(ls) - 1)].end)
    # the header starts at the first of the caps/motto lines above the "Số" line
    first = min(num, near)
    while first > 0 and num - first < HEADER_REACH:
        w = ls[first - 1].words
        if w and not (_is_caps(w) or _MOTTO.search(w) or set(w) <= set("-–— ")) or _NUMBER.match(w) and w.startswith(("Số hiệu", "SỐ HIỆU")):
            break
        if w.endswith(":") and not _is_caps(w):
            break
        first -= 1
    while first < num and not ls[first].words:
        first += 1
    # the title: the first type line in capitals after the "Số" line
    t = None
    for j in range(num + 1, min(len(ls), num + HEADER_REACH)):
        w = ls[j].words
        if w and (_is_caps(w.split(" SỐ")[0]) or _GLUED_TYPE_LINE.match(norm, ls[j].start, ls[j].end)) \
                and _TYPE_LINE.fullmatch(w) and not _MOTTO.search(w):
            t = j
            break
    for j in range(first, t if t is not None else min(len(ls), num + HEADER_REACH)):
        d = HEADER_DATE.search(ls[j].words) if _PLACE_DATE.match(ls[j].words) else None
        if d:
            out.date = d.groups()
            break
    parts: list[Part] = []
    if t is None:
        header_end = max((j for j in range(num, min(len(ls), num + 4)) if _PLACE_DATE.match(ls[j].words)), default=num)
        parts.append(Part("header", ls[first].start, ls[header_end].end))
        title_end = header_end + 1
    else:
        parts.append(Part("header", ls[first].start, ls[t - 1].end))
        title_end = _title_end(ls, t)
        parts.append(Part("title", ls[t].start, ls[title_end - 1].end))
        out.doc_type_line = (ls[t].start, ls[t].end)
    return _after_title(ls, norm, out, parts, title_end)


_TITLE_WORDS = "|".join(sorted({re.escape(w[0] + w[1:].lower()) for w in TYPE_WORDS_CAPS}
                               | {re.escape(w) for w in TYPE_WORDS_CAPS}, key=lambda w: (-len(w), w)))  # one order a run
_TITLE_WORD = re.compile(r"(?:%s)\b" % _TITLE_WORDS)
TOP_LINES = 6  # non-empty lines at the top in which a title without a header may stand
#: A line that names a document by type and number ("Nghị quyết 68 xác định …", "… mẫu 2B Hướng dẫn
#: 43") speaks about that document: it is a heading of a page about it, not a title.
_NAMES_ANOTHER = re.compile(r"(?:%s) \d" % _TITLE_WORDS)


def _top_title(ls: Sequence[Line]) -> int | None:
    """A text that opens with a title and a preamble but no "Số" header (a page quoting a
    document: "Quy định đánh giá chất lượng sinh hoạt chi bộ / Căn cứ …"): the title's line."""
    seen = 0
    for i, ln in enumerate(ls):
        w = ln.words
        if not w:
            continue
        seen += 1
        if seen > TOP_LINES or (seen == 1 and w.rstrip(" *").endswith("?")):
            return None  # a page whose heading asks a question answers it: no document's title
        if _TITLE_WORD.match(w) and len(w) < 250 and not w.endswith((".", ";", ":", "?")) \
                and not re.search(r"\d-[A-ZĐ]|/\d{4}/|/[A-ZĐ]", w) and not _NAMES_ANOTHER.search(w):
            j = _title_end(ls, i)
            while j < len(ls) and not ls[j].words:
                j += 1
            if j < len(ls) and _OPENING.match(ls[j].words):
                return i
    return None


def _after_title(ls: Sequence[Line], norm: str, out: Layout, parts: list[Part], title_end: int) -> Layout:
    """Preamble, enacting words, body and end matter after the title."""
    # preamble: items that open with "Căn cứ", "Theo đề nghị", "Xét", "Thực hiện"
    k = title_end
    while k < len(ls) and not ls[k].words:
        k += 1
    pre_start = k
    basis = False
    while k < len(ls):
        w = ls[k].words
        if not w:
            k += 1
            continue
        if _BODY_START.match(w) or _ENACTING_CAPS.fullmatch(w) or _RECIPIENTS.match(w):
            break
        if _PREAMBLE.match(w):
            basis = bool(_BASIS.match(w))
        elif not (basis and (w[0].islower() or w.startswith(("Luật", "Nghị", "Quyết", "Thông", "Pháp", "Bộ luật")))):
            prev = ls[k - 1].words if k > pre_start else ""
            if not prev or prev.endswith((";", ".", ":")):
                break  # neither an item nor the rest of one (a paragraph break ends the preamble)
        if basis:
            out.basis_items.append((ls[k].start, ls[k].end))
        k += 1
    if k > pre_start and any(_PREAMBLE.match(ls[j].words) for j in range(pre_start, k)):
        parts.append(Part("preamble", ls[pre_start].start, ls[k - 1].end))
    else:
        k = pre_start
        out.basis_items = []
    # enacting words
    body_start = k
    while body_start < len(ls) and not ls[body_start].words:
        body_start += 1
    e = body_start
    for j in range(body_start, min(len(ls), body_start + 3)):
        w = ls[j].words
        if _ENACTING_CAPS.fullmatch(w) or (_ENACTING_WORDS.fullmatch(w) and not _BODY_START.match(w)):
            e = j + 1
            if _ENACTING_CAPS.fullmatch(w):
                break
        elif w and not (_is_caps(w) and len(w) < 80):
            break
    if e > body_start:
        parts.append(Part("enacting", ls[body_start].start, ls[e - 1].end))
        body_start = e
    while body_start < len(ls) and not ls[body_start].words:
        body_start += 1
    # the end matter: recipients, signature, annex
    end_matter = _end_matter(ls, body_start)
    body_end = min((p.start for p in end_matter), default=len(norm))
    if body_start < len(ls) and ls[body_start].start < body_end:
        parts.append(Part("body", ls[body_start].start, body_end))
    parts += end_matter
    out.parts = sorted((p for p in parts if p.end > p.start), key=lambda p: p.start)
    return out


def _holding(ls: Sequence[Line], needles: re.Pattern, start: int):
    """`Lines.holding`, or every index from ``start`` on for a plain list of lines."""
    return ls.holding(needles, start) if isinstance(ls, Lines) else range(start, len(ls))


#: What the words of a line that `_RECIPIENTS`, `_SIGNATURE`, `_ANNEX` match hold: the opening
#: characters (up to a space) of each of their branches (tests/test_fast_paths.py checks it).
_RECIPIENTS_NEEDLES = re.compile(r"Nơi|NƠI")
_SIGNATURE_NEEDLES = re.compile(r"T/M|TM|K/T|KT|Q\.|TL\.|TUQ|T/L|PHÓ|CHỦ|BÍ|THỦ|BỘ|CHÁNH|TRƯỞNG|\([Đđ]")
_ANNEX_NEEDLES = re.compile(r"PHỤ|Phụ|MẪU|Mẫu|\([BbKk]|BIỂU|Biểu")


def _end_matter(ls: Sequence[Line], body_start: int) -> list[Part]:
    """Signature, recipients and annexes after the body, in text order."""
    rec = None
    for j in _holding(ls, _RECIPIENTS_NEEDLES, body_start):
        if _RECIPIENTS.match(ls[j].words):
            rec = j
            break
    parts: list[Part] = []
    if rec is not None:
        # the recipients' list: "- …;" lines and "Lưu: …"
        r = rec + 1
        while r < len(ls) and (not ls[r].words or ls[r].words.startswith(("-", "+", "•", "Lưu", "LƯU")) or (
                r == rec + 1 and len(ls[r].words) < 120)):
            r += 1
        # the signature: its marker lines just before or after the recipients
        sig_lines = [j for j in range(max(body_start, rec - SIGNATURE_LINES), min(len(ls), r + SIGNATURE_LINES))
                     if j not in range(rec, r) and ls[j].words and _SIGNATURE.match(ls[j].words)]
        before = [j for j in sig_lines if j < rec]
        after = [j for j in sig_lines if j >= r]
        if before:
            parts.append(Part("signature", ls[before[0]].start, ls[rec - 1].end))
        parts.append(Part("recipients", ls[rec].start, ls[r - 1].end))
        tail = r
        if after and after[0] - r <= 3:
            s_end = after[-1] + 1
            while s_end < len(ls) and s_end <= after[-1] + 3 and ls[s_end].words and len(ls[s_end].words) < 60 \
                    and not _ANNEX.match(ls[s_end].words):
                s_end += 1  # the signer's name
            parts.append(Part("signature", ls[after[0]].start, ls[s_end - 1].end))
            tail = s_end
    else:
        tail = None
        for j in _holding(ls, _SIGNATURE_NEEDLES, body_start):
            w = ls[j].words
            if w and _SIGNATURE.match(w) and _is_caps(w[:12]):
                s_end = j + 1
                while s_end < len(ls) and s_end <= j + 4 and len(ls[s_end].words) < 60 and not _ANNEX.match(ls[s_end].words):
                    s_end += 1
                parts.append(Part("signature", ls[j].start, ls[s_end - 1].end))
                tail = s_end
                break
        if tail is None:
            return parts
    for j in _holding(ls, _ANNEX_NEEDLES, tail):
        if ls[j].words and _ANNEX.match(ls[j].words):
            parts.append(Part("annex", ls[j].start, ls[-1].end))
            break
    return parts
