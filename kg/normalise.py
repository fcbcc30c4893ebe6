"""Stage 2: a normalised copy of the text for matching, with a map back to the original.

Matching runs on NFC text with one tone-mark style ("uỷ" → "ủy"), "Ð" (U+00D0) folded to
"Đ", every dash variant folded to "-" and every space variant to " ", and with the lines a PDF
or DOCX text layer broke inside a sentence joined (page numbers and running headers between the
halves dropped). Folding keeps one character per character; NFC and line joining do not, so the
map back to the original has two layers: per-character arrays for NFC (built only for text that
is not NFC already, one C-level check in the common case) and breakpoints for joined whitespace
runs (a bisect).
"""
from __future__ import annotations

import bisect
import re
import unicodedata
from array import array
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable

# One character in, one character out, so offsets are kept. Applied with re.sub over the few
# characters that need it: str.translate on a whole report is ten times slower.
_FOLD = {
    "\u00d0": "Đ", "\u00f0": "đ", "\u0189": "Đ",
    **{chr(c): "-" for c in range(0x2010, 0x2016)},
    "\u2212": "-", "\ufe58": "-", "\ufe63": "-", "\uff0d": "-", "\u00ad": "-",
    "\u00a0": " ", "\u202f": " ", "\u205f": " ", "\u3000": " ", "\u200b": " ",
    "\u200c": " ", "\u200d": " ", "\ufeff": " ", "\t": " ",
    **{chr(c): " " for c in range(0x2000, 0x200b)},
    "\uff0f": "/", "\u2044": "/", "\u2215": "/",
    # PDFium's mark for a hyphen at a line's end, kept by a text layer saved from pypdfium2 as it is
    # ("136/2003/NĐ\ufffe⏎CP"; some builds give U+0002): the hyphen the text holds (kg.read does the same)
    "\ufffe": "-", "\x02": "-",
    # Letters of other alphabets that look Latin, as a spoofed or mis-encoded symbol has them ("BТС"
    # with a Cyrillic Т and С): read as Latin for matching; kg.extract warns where a citation has one.
    **dict(zip("АВЕКМНОРСТХУІЈЅаеорсхуіјѕΑΒΕΖΗΙΚΜΝΟΡΤΥΧο", "ABEKMHOPCTXYIJSaeopcxyijsABEZHIKMNOPTYXo")),
}
#: Characters folded for matching that make a citation suspect (look-alike letters, non-ASCII digits).
LOOKALIKE = frozenset("АВЕКМНОРСТХУІЈЅаеорсхуіјѕΑΒΕΖΗΙΚΜΝΟΡΤΥΧο")


def _bmp_digit_ranges() -> str:
    """Class ranges of the decimal digits of the BMP that are not ASCII ("０１", "٠١" pose as
    "01"): what `\\d` matches beyond 0-9 there. Unicode assigns them in runs of ten, 0 to 9 (a
    stability policy), so one code point in ten is looked at."""
    out = []
    for c in range(0x80, 0x10000, 10):
        if chr(c).isdecimal():
            zero = c - unicodedata.decimal(chr(c))
            out.append(f"{re.escape(chr(zero))}-{re.escape(chr(zero + 9))}")
    return "".join(out)


# ... and every decimal digit that is not ASCII, beyond the BMP too ("𝟎𝟏"): one character class
# (with the rare astral character checked in `_fold_char`), which the engine scans for fast; an
# alternation with `[^\\D0-9]` was three times slower.
_FOLD_CHARS = re.compile("[" + "".join(re.escape(c) for c in _FOLD) + _bmp_digit_ranges() + "\U00010000-\U0010ffff]")
#: Characters that (?i) matches to a letter they do not lower-case to ("ı", "ſ", "ẛ" …: those of
#: CPython's re/_casefix.py but ASCII "i" and "s"), and "İ", whose lower case is two characters: where
#: one stands, a lower-cased copy of the text may miss what a (?i) pattern finds (`find.case_odd`).
CASE_ODD_CHARS = ("\u00b5\u0130\u0131\u017f\u0345\u0390\u03b0\u03b2\u03b5\u03b8\u03b9\u03ba\u03bc\u03c0\u03c1\u03c2"
                  "\u03c3\u03c6\u03d0\u03d1\u03d5\u03d6\u03f0\u03f1\u03f5\u0432\u0434\u043e\u0441\u0442\u044a\u0463"
                  "\u1c80\u1c81\u1c82\u1c83\u1c84\u1c85\u1c86\u1c87\u1c88\u1e61\u1e9b\u1fbe\u1fd3\u1fe3\ua64b\ufb05\ufb06")
_CASE_ODD_SET = frozenset(CASE_ODD_CHARS)
#: `_FOLD_CHARS` and the case-odd characters: `normalise` learns in the one scan whether the folded
#: text holds one of them (`NormalisedText.case_odd`), and the stages that search a lower-cased copy
#: of it need not scan it for them (a character-class scan costs ~5 ns a character).
_FOLD_OR_ODD = re.compile(_FOLD_CHARS.pattern[:-1] + CASE_ODD_CHARS + "]")


def _fold_char(m: re.Match) -> str:
    ch = m.group()
    return _FOLD.get(ch) or (str(unicodedata.digit(ch)) if ch.isdecimal() else ch)


def suspect_chars(text: str) -> str:
    """The look-alike letters and non-ASCII digits in ``text`` (what `fold` read as Latin/ASCII)."""
    if text.isascii():
        return ""
    return "".join(dict.fromkeys(ch for ch in text if ch in LOOKALIKE or (ch.isdecimal() and not ch.isascii())))

# Old-style tone placement in open syllables: "hoà", "khoẻ", "uỷ" → "hòa", "khỏe", "ủy".
# Only at a word end and not after "q" ("quý" is the same in both styles; "hoàng" is closed).
_TONED_END = r"[àáảãạÀÁẢÃẠèéẻẽẹÈÉẺẼẸỳýỷỹỵỲÝỶỸỴ](?![^\W\d_])"  # the toned vowel that ends the word
_OLD_TONE = re.compile(r"[oOuU]" + _TONED_END)
#: The same pairs, one pattern a head: a pattern opening with a literal is searched for at C speed
#: (the four scans take 0.4 of the one); no two pairs overlap (a toned vowel is never a head).
_OLD_TONE_BY_HEAD = [re.compile(head + _TONED_END) for head in "oOuU"]
_MARKS = {"\u0300": 0, "\u0301": 1, "\u0309": 2, "\u0303": 3, "\u0323": 4}
_TONED = {
    "o": "òóỏõọ", "O": "ÒÓỎÕỌ", "u": "ùúủũụ", "U": "ÙÚỦŨỤ",
}


def _new_tone(m: re.Match) -> str:
    pair = m.group(0)
    if m.start() > 0 and m.string[m.start() - 1] in "qQ":
        return pair
    head, vowel = pair[0], pair[1]
    base, *marks = unicodedata.normalize("NFD", vowel)
    mark = _MARKS.get(marks[0]) if marks else None
    if mark is None:
        return pair
    return _TONED[head][mark] + base


_CLUSTER = re.compile(r".[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]*", re.S)


# Line joining. Most reports arrive as PDF or DOCX text layers that break every visual line,
# inside issuers ("của Ủy ban Kiểm tra\nTrung ương"), symbols and dates, with page numbers and
# running headers between the halves. The normalised text joins such lines: a whitespace run
# becomes one space, unless it is a paragraph break (a blank line) or a hard line break (after
# sentence punctuation, before a list item, "Căn cứ", "Số:", an article, or a heading edge).
# Page numbers and running headers next to a page break are dropped from the normalised text.
# Starts with a character class, so the engine skips fast to the next candidate; one match
# consumes a whole run.
# (After folding, tabs and the other spaces are " ".)
_SPACE = " \n\r\f\v\x1c-\x1f\x85\u2028\u2029"
# Runs that hold a line break or another non-space whitespace character; the scan looks for
# those characters only (spaces are everywhere: a pattern that starts with one is slow).
_BREAK = re.compile(f"[{_SPACE[1:]}][{_SPACE}]*")
#: The same runs in a text whose only break character is "\n" (most texts): a pattern opening with
#: a literal is searched for at C speed, one opening with a class a character at a time (2.3×).
_NEWLINE_BREAK = re.compile(f"\n[{_SPACE}]*")
_RARE_BREAKS = "\r\f\v\x1c\x1d\x1e\x1f\x85\u2028\u2029"  # the break characters of _SPACE but "\n"
_SPACES = re.compile("  +")
_NOT_SPACE = frozenset("\n\r\f\v\x1c\x1d\x1e\x1f\x85\u2028\u2029")
#: What opens a line that starts something new: list markers, numbered items, "Căn cứ", "Số:",
#: articles and chapters, table rows and markdown.
#: The words after which "Điều 5" on the next line is the article a sentence names ("… được sửa
#: đổi, bổ sung bởi⏎Điều 1 Nghị định 14/2022/NĐ-CP"), not an article's heading.
_ARTICLE_NAMERS = ("của", "và", "về", "tại", "theo", "bởi", "với", "cho", "do", "là", "được", "bị", "thuộc", "trong",
                   "từ", "đến")
_NAMES_AN_ARTICLE = "".join(rf"(?<!(?<![^\W\d_]){w}\nĐiều \d)" for w in _ARTICLE_NAMERS)  # `_NAMES_BEFORE`'s word edge
#: The same words before any line break ("bởi\r\n", "bởi⏎  Điều 1" of an indented layout), for a break
#: the fixed look-behinds above cannot see across.
_NAMES_BEFORE = re.compile(r"(?<![^\W\d_])(?:%s)[ \t]{0,3}$" % "|".join(_ARTICLE_NAMERS))
_HARD_NEXT = re.compile(
    r"[-+*•#>|]|\(?\d{1,3}(?:\.\d{1,3}){0,3}[.)](?!\d)|\(?[a-zđ]\)|\(\d|[IVXL]{1,5}[.)] |(?:Căn cứ|CĂN CỨ|Số|SỐ"
    rf"|Điều \d{_NAMES_AN_ARTICLE}|ĐIỀU \d"
    r"|Chương [IVXLC\d]|CHƯƠNG [IVXLC\d]|Mục \d|Phần (?:thứ|[IVXLC\d])|PHẦN (?:THỨ|[IVXLC\d])|Nơi nhận|T/M|TM\. |K/T|KT\. )"
)
#: The words of a line that is only a page number ("12", "- 12 -", "Trang 3/12"; not "2020", a
#: wrapped date's year); the PDF reader uses them on each page's edges too. `_PAGE_NUMBER` starts
#: with the line break itself, a literal the engine finds fast (the span is adjusted).
PAGE_NUMBER_WORDS = r"[ \t]{0,20}(?:[-–—] {0,2})?(?:(?i:trang) {1,2})?\d{1,3}(?: {0,2}/ {0,2}\d{1,3})?(?: {0,2}[-–—])?[ \t]{0,20}"
#: (its look-ahead: what the words can open with, so that a line of text is given up at once)
_PAGE_NUMBER = re.compile(r"\n(?=[ \t\-–—\d]|(?i:t))" + PAGE_NUMBER_WORDS + r"(?=\n|$)")
_PAGE_NUMBER_FIRST = re.compile(PAGE_NUMBER_WORDS + r"(?=\n|$)")  # the text's first line (no "\n" before it)
_DIGITS = re.compile(r"\d+")


def running_key(line: str) -> str:
    """What a running header or footer keeps from page to page: the line with its spaces folded
    and the numbers at its edges masked (its page number: "Trang 3/12", "file:///… 1/3", "- 3 -").
    Numbers inside it stay: the items of a list ("7. Quyết định số 111/1999/QĐ-UB ngày 19 …")
    differ there, and masked they would all be one line recurring at page edges."""
    words = " ".join(line.split())
    if len(words) <= RUNNING_EDGE_HEAD + RUNNING_EDGE_TAIL:
        return _DIGITS.sub("#", words)
    return (_DIGITS.sub("#", words[:RUNNING_EDGE_HEAD]) + words[RUNNING_EDGE_HEAD:-RUNNING_EDGE_TAIL]
            + _DIGITS.sub("#", words[-RUNNING_EDGE_TAIL:]))


RUNNING_EDGE_HEAD, RUNNING_EDGE_TAIL = 6, 12  # characters at a line's start and end where a page number stands
_FORM_FEEDS = re.compile("\f\f*")  # not "\f+": `re` skips ahead only to a pattern opening with a literal
MIN_PAGE_CHARS = 300  # a page of a report holds more text than this
NEWLINE_END = ".!?:;"
#: The `_NEWLINE_BREAK` runs that `join_lines` may change, in a text whose only break character is
#: "\n": a run after a space or a tab (an article named across it: "của\t⏎Điều 3"), a run of "\n"
#: and a space or of three or more characters, and a lone "\n" after neither a space nor NEWLINE_END and before neither the text's end nor `_HARD_NEXT`. The
#: others ("\n\n", a lone "\n" after ".!?:;", at an end of the text or before a list item) are left as
#: they are: half the runs of a report, each a trip through the loop, are skipped by the scan itself.
#: Group "lone": a lone "\n" inside a sentence, for which `_line_break`'s first test is known to fail.
_NEWLINE_CHANGED = re.compile(rf"\n(?:(?<=[^ \n{re.escape(NEWLINE_END)}]\n)(?=[^ \n])(?!{_HARD_NEXT.pattern})(?P<lone>)"
                              rf"|(?<=[ \t]\n)|(?= |\n[ \n])|(?<=[^ \n{re.escape(NEWLINE_END)}]\n)(?=\n[^ \n]))[ \n]*")
#: The end of a line that cannot end a sentence or a heading: a word that needs what follows
#: ("của", "và", "tại", "số") — or "Tổng", "Ban", "Bộ" that open a title or a body's name.
_RUNS_ON = re.compile(r"(?<![^\W\d_])(?:của|và|về|tại|theo|bởi|với|cho|các|những|số|ngày|tháng|năm|do|là|được|bị|thuộc|trong"
                      r"|Tổng|Ban|Bộ|Ủy|Thường|Văn|Đảng|Hội|Sở|Cục|Phó)[ \t]{0,3}$")
#: Lowercase words of `_RUNS_ON` that never end a paragraph: a blank line after one (or before
#: `_NO_OPENING`) is inside a sentence ("… Nghị quyết 380/NQ-CP ngày⏎⏎25/11/2025 của Chính phủ").
#: Not "về", "theo", "cho": a page's labels end on them ("Tải về", "Xem theo").
_NO_OPENING = ("của ", "và ")  # no paragraph opens with these (a title's trích yếu opens with "về", "ban hành" …)
_NEEDS_NEXT = re.compile(r"(?<![^\W\d_])(?:của|và|tại|bởi|với|các|những|số|ngày|tháng|thuộc)"
                         r"[ \t]{0,3}$")
#: Words that open a sentence and never stand inside one with a capital: after a line that
#: stops without punctuation (a title, a heading), they start something new ("… phong cách Hồ
#: Chí Minh⏎Thực hiện Hướng dẫn số 19-HD/ĐUK …", "(Tham khảo)⏎Ngày 31 tháng 10 năm 2025, …").
_OPENS_SENTENCE = re.compile(r"(?:Thực hiện|Theo đó|Tuy nhiên|Đồng thời|Bên cạnh đó|Ngoài ra|Qua đó|Trên cơ sở)\b|Ngày \d")
#: The end of a line whose next line, if it is only a number, is that number, not a page's
#: ("… ngày⏎24⏎tháng 11 năm 2025", "… Quy định số⏎105").
_NEEDS_NUMBER = re.compile(r"(?<![^\W\d_])(?:ngày|tháng|năm|số|Số|khóa|khoá|lần thứ)[ \t]{0,3}$")
#: The last characters of those words, and the spaces after them: most number lines ("của Ban⏎12")
#: are told apart by the character before their line break, without a call.
_NEEDS_NUMBER_END = frozenset("ygmốáaứ \t\n")  # "\n": "$" also matches before the window's last line break
LINE_WINDOW = 1000  # how far a line is looked at around a break: a longer one is no header (and no quadratic scan)


def _noise_lines(text: str) -> list[tuple[int, int]]:
    """Spans of page-number lines and of running headers/footers: short lines that recur next
    to page breaks ("\\f" or a page-number line). Only lines next to a break are judged, so a
    repeated sentence in the body is never dropped."""
    breaks = _page_number_lines(text)
    feeds = [m.span() for m in _FORM_FEEDS.finditer(text)]
    breaks += feeds
    if not breaks or len(breaks) > max(8, len(text) // MIN_PAGE_CHARS):
        return breaks  # no pages, or more "pages" than a text can have: nothing runs along them
    breaks.sort()
    near: list[tuple[int, int, str]] = []
    at: dict[int, int] = {}  # a line's end → the first break it is next to
    for i, (s, e) in enumerate(breaks):
        for line in _adjacent_lines(text, s, e):
            near.append(line)
            at.setdefault(line[1], i)
    places: dict[str, set[int]] = {}
    for _, e, key in near:  # a line next to two breaks (a one-line page) is still one line
        places.setdefault(key, set()).add(e)
    running = {key for key, ends in places.items() if _runs_along(sorted(at[e] for e in ends))}
    noise = [(s, e) for s, e, key in near if key in running]
    if feeds:
        # in a text layer cut into pages ("\f") the first page's running header stands before any
        # break, the last page's footer after: at the text's start and end, a running line that
        # stands by (nearly) every break (a browser's date and title) is one too; the document's
        # title on page 1, met again at a few pages' edges (a second copy), is the title
        need = max(1, len(feeds) - 1)
        for s, e in ((0, 0), (len(text), len(text))):
            noise += [(ls, le) for ls, le, key in _adjacent_lines(text, s, e)
                      if key in running and len({at[x] for x in places[key]}) >= need]
        noise += _print_stamp(text)
    # seen once (a two-page text): a line in capitals that opens a page while a sentence runs on
    # across the break cannot be a heading of the text
    for s, e in breaks:
        k = s - 1
        while k >= 0 and s - k < 400 and text[k] in " \t\n\f\r":  # bounded: no copy of the text
            k -= 1
        if k >= 0 and text[k] not in NEWLINE_END and text[k] not in " \t\n\f\r":
            for ls, le, key in _adjacent_lines(text, e, e, reach=1):
                if ls >= e and _is_caps(key) and len(key) <= 80:
                    noise.append((ls, le))
    return breaks + noise


#: The date and time a browser prints over a page it saves as PDF ("12/6/26, 4:46 PM", "06/12/2026
#: 16:46"), alone on the text's first line or before the page's title.
_PRINT_STAMP = re.compile(r"[ \t]{0,20}\d{1,2}/\d{1,2}/\d{2,4},? \d{1,2}:\d{2}(?: ?[AP]M)?(?=[ \t]|\n|$)")


def _print_stamp(text: str) -> list[tuple[int, int]]:
    """The header of a page printed by a browser, on the first page of a text layer cut into pages
    (over a single page it cannot be told from recurrence): the stamp's line and, when the stamp
    stands alone, the page's title on the next line (a site's tab title, which the HTML reader
    leaves out too)."""
    m = _PRINT_STAMP.match(text)
    if not m:
        return []
    end = text.find("\n", m.end(), m.end() + LINE_WINDOW)
    end = len(text) if end < 0 else end
    out = [(0, end)]
    if not text[m.end():end].strip():
        for ls, le, key in _adjacent_lines(text, end, end, reach=1):
            if ls >= end:
                out.append((ls, le))
    return out


def _page_number_lines(text: str) -> list[tuple[int, int]]:
    """Spans of the lines that are only a page number: the first line, then each after a "\n"
    (the text is not copied to put a "\n" before it)."""
    first = _PAGE_NUMBER_FIRST.match(text)
    return ([(0, first.end())] if first else []) + [(m.start() + 1, m.end()) for m in _PAGE_NUMBER.finditer(text)
                                                    if text[m.start() - 1:m.start()] not in _NEEDS_NUMBER_END
                                                    or not _number_of_the_sentence(text, m.start(), m.end())]


def _number_of_the_sentence(text: str, s: int, e: int) -> bool:
    """Whether the number alone on the line text[s+1:e] (s: the "\n" before it) is the one the
    line before calls for ("ngày⏎24⏎tháng 11"), not a page number: the line before ends with a
    word that needs a number, and the line after does not bring one ("năm⏎2⏎2024": page 2)."""
    if not _NEEDS_NUMBER.search(text, max(0, s - 12), s):
        return False
    after = e + 1
    while after < len(text) and text[after] in " \t":
        after += 1
    return not (after < len(text) and text[after].isdigit())


#: How far apart (in page breaks) two places of a line may be for it to run along the pages: a
#: page (a form feed and a page-number line are two breaks), or two where odd and even pages
#: carry different headers. A line that recurs at the edges of pages further apart is text that
#: repeats: the same sentence opening two sections of a long PDF, two copies of a document.
RUNNING_GAP = 4


def _runs_along(breaks: list[int]) -> bool:
    """Whether a line's places (the indices of the page breaks it stands next to, sorted) are
    those of a running header or footer: two of them on nearby pages."""
    return any(b - a <= RUNNING_GAP for a, b in zip(breaks, breaks[1:]))


def _adjacent_lines(text: str, s: int, e: int, reach: int = 2) -> list[tuple[int, int, str]]:
    """Up to `reach` non-empty short lines on each side of a page break (blank lines skipped,
    at most six lines looked at), with a key that ignores digits (a footer carries the page number)."""
    out = []

    def take(start: int, end: int) -> bool:
        line = text[start:end].strip().strip("\f")
        if line and len(line) <= 120:
            out.append((start, end, running_key(line)))
        return bool(line)

    end, found = s, 0
    for _ in range(6):  # before the break
        start = max(text.rfind("\n", max(0, end - LINE_WINDOW), end) + 1, end - LINE_WINDOW, 0)
        found += take(start, end)
        if found >= reach or start == 0:
            break
        end = start - 1
    start, found = e, 0
    for _ in range(6):  # after it
        end = text.find("\n", start, start + LINE_WINDOW)
        end = min(len(text), start + LINE_WINDOW) if end < 0 else end
        found += take(start, end)
        if found >= reach or end == len(text):
            break
        start = end + 1
    return out


def _wide_line(text: str) -> int:
    """Length from which a line is "full width": 0.6 of the 75th percentile of line lengths.
    A shorter line without closing punctuation is a heading or a paragraph's end."""
    lengths = sorted(map(len, text.split("\n")))
    lengths = lengths[bisect.bisect_right(lengths, 1):]  # lines of more than one character
    if not lengths:
        return 0
    return int(0.6 * lengths[(3 * len(lengths)) // 4])


def _is_caps(line: str) -> bool:
    return line == line.upper() and line != line.lower()


def _line_break(text: str, start: int, end: int, wide: Callable[[], int], page: bool = False) -> str:
    """A single line break (or a page break) between text[:start] and text[end:]: " " when the
    sentence goes on across it, "\\n" when it ends or something new starts, "" inside a symbol. ``wide()``:
    `_wide_line(text)` (made only for a break that the line's length decides)."""
    before = text[start - 1] if start else "\n"
    if before in NEWLINE_END or before == "\n" or end >= len(text):
        return "\n"
    if _HARD_NEXT.match(text, end) and not (text.startswith(("Điều ", "ĐIỀU "), end)
                                             and _NAMES_BEFORE.search(text, max(0, start - 12), start)):
        return "\n"
    return _line_goes_on(text, start, end, wide, page)


def _hyphen_glues(ch: str) -> bool:
    """A character a symbol's or a range's hyphen stands between: a capital or a digit."""
    return ch.isupper() or ch.isdigit()


def _line_goes_on(text: str, start: int, end: int, wide: Callable[[], int], page: bool = False) -> str:
    """`_line_break` past its first test (the line after the break opens nothing new)."""
    before, nxt = text[start - 1], text[end]
    if before == "-" and start >= 2 and _hyphen_glues(text[start - 2]) and _hyphen_glues(nxt):
        return ""  # "18-⏎NQ/TW", "NĐ-⏎CP", "2020-⏎2025": a symbol or a range broken at its hyphen, whole again
    if before.isupper() and nxt.islower() and _caps_line_before(text, start):
        return "\n"  # "BÁO CÁO⏎sơ kết 03 năm …": the type word in capitals over the trích yếu, a title's two lines
    if before in ",-/(&" or nxt.islower() or nxt.isdigit():
        return " "
    if _RUNS_ON.search(text, max(0, start - 12), start):
        return " "  # "… chỉ đạo của Tổng\nBí thư": a line that stops inside a phrase
    if _OPENS_SENTENCE.match(text, end):
        return "\n"
    line_start = max(text.rfind("\n", max(0, start - LINE_WINDOW), start) + 1, start - LINE_WINDOW, 0)
    prev_line = text[line_start:start].strip()
    next_end = text.find("\n", end, end + LINE_WINDOW)
    next_line = text[end:next_end if next_end >= 0 else len(text)].strip()
    if _is_caps(prev_line) != _is_caps(next_line):  # a heading starts or ends here
        return "\n"
    return " " if page or len(prev_line) >= wide() else "\n"


def _caps_line_before(text: str, start: int) -> bool:
    """Whether the line that ends at ``start`` is words in capitals ("BÁO CÁO", "## KẾ HOẠCH"; not
    a symbol's half "HD/VPTW")."""
    line_start = max(text.rfind("\n", max(0, start - LINE_WINDOW), start) + 1, start - LINE_WINDOW, 0)
    line = text[line_start:start].strip()
    return " " in line and _is_caps(line)


def join_lines(text: str) -> tuple[str, list[int], list[int]]:
    """Whitespace runs folded (see above). Returns the joined text and its breakpoints: from
    ``points[k]`` on, a joined position p stands for p + shifts[k] in ``text``."""
    noise = _noise_lines(text) if ("\f" in text or "\n" in text) else []
    if noise:  # page numbers and running headers become page breaks ("\f"), length kept
        pieces, pos = [], 0
        for s, e in sorted(noise):
            if e <= pos:
                continue
            s = max(s, pos)
            pieces += [text[pos:s], "\f" * (e - s)]
            pos = e
        text = "".join(pieces) + text[pos:]
    edits: list[tuple[int, int, str]] = []
    width: list[int] = []

    def wide() -> int:
        if not width:
            width.append(_wide_line(text))
        return width[0]
    breaks_at = _BREAK if any(ch in text for ch in _RARE_BREAKS) else _NEWLINE_CHANGED
    for m in breaks_at.finditer(text):
        start, end = m.span()
        if m.lastgroup == "lone":  # the most common run, decided at once
            out = _line_goes_on(text, start, end, wide)
            if out != "\n":
                edits.append((start, end, out))
            continue
        if start and text[start - 1] == " ":
            while start and text[start - 1] == " ":  # spaces before the break belong to its run
                start -= 1
            run = text[start:end]
        else:
            run = m.group()
        if run == "\n" and start and text[start - 1] in NEWLINE_END:
            continue  # a line that ends a sentence: as it is
        breaks = run.count("\n")
        page = "\f" in run
        if breaks >= 2 and not page:
            # (a box boundary has text on both sides: blank lines that open or end the text are only that)
            if start == 0 or end == len(text) or not (
                    _NEEDS_NEXT.search(text, max(0, start - 12), start)
                    or (text.startswith(_NO_OPENING, end) and text[start - 1] not in NEWLINE_END)):
                if run == "\n\n":
                    continue  # a paragraph: as it is
                out = "\n\n"
            else:  # no paragraph ends on "của", "ngày", "số" or opens with "của": a text layer's box
                # boundary (pdfminer.six)
                out = " "
        elif breaks == 0 and not page:
            out = " "
        else:
            out = _line_break(text, start, end, wide, page)
            if out == "\n" and breaks >= 2:
                out = "\n\n"
        if out != run:
            edits.append((start, end, out))
    if "  " in text:  # two spaces inside a line ("Ban Thường vụ  Tỉnh ủy"): one
        n = len(text)
        for m in _SPACES.finditer(text):  # a maximal run of spaces
            s, e = m.start(), m.end()
            if (e < n and text[e] in _NOT_SPACE) or (s and text[s - 1] in _NOT_SPACE):
                continue  # part of a run with a line break, handled above
            edits.append((s, e, " "))
        edits.sort()
    pieces: list[str] = []
    points: list[int] = []
    shifts: list[int] = []
    pos = shift = 0
    for start, end, out in edits:
        pieces += [text[pos:start], out]
        pos = end
        if len(out) != end - start:
            points.append(start - shift + len(out))
            shift += end - start - len(out)
            shifts.append(shift)
    pieces.append(text[pos:])
    return "".join(pieces), points, shifts


@dataclass
class NormalisedText:
    """`norm` is what the patterns see; `span()` maps a span of it back to the original.

    Two layers: NFC (per-character arrays, only for text that was not NFC already) and line
    joining (breakpoints where whitespace runs were shortened)."""

    original: str
    norm: str
    _starts: array | None = None   # None when the folded text is aligned 1:1 with original
    _ends: array | None = None
    _points: list | None = None    # joined positions where the shift changes
    _shifts: list | None = None    # shift (folded - joined) from that point on
    _qpoints: list | None = None   # the same points in folded positions
    _lower: str | None = field(default=None, repr=False, compare=False)
    #: whether `norm` holds a character of CASE_ODD_CHARS (learnt by the fold's scan)
    case_odd: bool = field(default=True, compare=False)

    def lower(self) -> str:
        """``norm.lower()``, made once for the stages that scan it (short forms, relation cues)."""
        if self._lower is None:
            self._lower = self.norm.lower()
        return self._lower

    def _folded(self, p: int) -> int:
        """Position in the folded (unjoined) text of joined position p."""
        if not self._points:
            return p
        k = bisect.bisect_right(self._points, p) - 1
        return p + self._shifts[k] if k >= 0 else p

    def _nfc_pos(self, q: int) -> int:
        if self._starts is None:
            return q
        return self._starts[q] if q < len(self._starts) else len(self.original)

    def span(self, start: int, end: int) -> tuple[int, int]:
        if end <= start:
            o = self.pos(start)
            return o, o
        qs, qe = self._folded(start), self._folded(end - 1) + 1
        if self._starts is None:
            return qs, qe
        return self._starts[qs], self._ends[qe - 1]

    def to_norm(self, i: int) -> int:
        """Normalised position of original offset i."""
        q = i if self._starts is None else bisect.bisect_left(self._starts, i)
        if not self._points:
            return q
        k = bisect.bisect_right(self._qpoints, q) - 1
        p = q - self._shifts[k] if k >= 0 else q
        if k + 1 < len(self._points) and p > self._points[k + 1]:
            p = self._points[k + 1]  # inside a joined run: its (shortened) end
        return p

    def aligned(self) -> bool:
        """Whether the text needed no NFC composition: then `to_norm` maps every position `pos`
        gives, and every span end `span` gives, back to the normalised position it came from."""
        return self._starts is None

    def to_norm_many(self, offsets) -> list[int]:
        """``[self.to_norm(i) for i in offsets]`` in one call."""
        qs = list(offsets) if self._starts is None else [bisect.bisect_left(self._starts, i) for i in offsets]
        if not self._points:
            return qs
        points, shifts, qpoints, right, last = self._points, self._shifts, self._qpoints, bisect.bisect_right, len(self._points) - 1
        out = []
        for q in qs:
            k = right(qpoints, q) - 1
            p = q - shifts[k] if k >= 0 else q
            if k < last and p > points[k + 1]:
                p = points[k + 1]  # inside a joined run: its (shortened) end
            out.append(p)
        return out

    def pos(self, i: int) -> int:
        """Original offset of normalised position i (a boundary)."""
        return self._nfc_pos(self._folded(i))

    def positions(self, ps: list[int]) -> list[int]:
        """``[self.pos(i) for i in ps]`` in one call (no three calls a position)."""
        points, shifts = self._points, self._shifts
        if points:
            right = bisect.bisect_right
            ps = [p + shifts[k] if (k := right(points, p) - 1) >= 0 else p for p in ps]
        starts = self._starts
        if starts is None:
            return list(ps)
        n, end = len(starts), len(self.original)
        return [starts[q] if q < n else end for q in ps]


def fold(text: str) -> str:
    """Character-for-character folding (dashes, spaces, Đ, tone style) of NFC text."""
    return _new_tones(_FOLD_CHARS.sub(_fold_char, text))


def _fold_noting_odd(text: str) -> tuple[str, bool]:
    """`fold`, and whether the folded text holds a character of CASE_ODD_CHARS (every one passes
    through the scan; the tone step makes Vietnamese letters only)."""
    odd = False

    def one(m: re.Match) -> str:
        nonlocal odd
        out = _fold_char(m)
        if out in _CASE_ODD_SET:
            odd = True
        return out
    return _new_tones(_FOLD_OR_ODD.sub(one, text)), odd


def _new_tones(text: str) -> str:
    """Old-style tone pairs made new ("hoà" → "hòa")."""
    pairs = [m for p in _OLD_TONE_BY_HEAD for m in p.finditer(text)]
    if not pairs:
        return text
    pairs.sort(key=re.Match.start)
    pieces, pos = [], 0
    for m in pairs:  # _OLD_TONE.sub(_new_tone, text), from the four scans' pairs
        pieces += [text[pos:m.start()], _new_tone(m)]
        pos = m.end()
    pieces.append(text[pos:])
    return "".join(pieces)


def normalise(text: str) -> NormalisedText:
    if unicodedata.is_normalized("NFC", text):
        (folded, odd), starts, ends = _fold_noting_odd(text), None, None
    else:
        parts: list[str] = []
        starts, ends = array("q"), array("q")
        for m in _CLUSTER.finditer(text):
            piece = unicodedata.normalize("NFC", m.group())
            parts.append(piece)
            starts.extend([m.start()] * len(piece))
            ends.extend([m.end()] * len(piece))
        folded, odd = _fold_noting_odd("".join(parts))
    joined, points, shifts = join_lines(folded)
    qpoints = [p + s for p, s in zip(points, shifts)] if points else None
    return NormalisedText(text, joined, starts, ends, points or None, shifts or None, qpoints, case_odd=odd)


def search_key(text: str | None) -> str:
    """Lower case without diacritics, spaces folded ("Kết luận", "KẾT LUẬN" → "ket luan"; Đ → d):
    how users type a symbol or a body in a search box or a parameter. For search only, never for
    the extractor's matching (which keeps the diacritics)."""
    s = unicodedata.normalize("NFD", (text or "").replace("Đ", "D").replace("đ", "d"))
    return " ".join("".join(ch for ch in s if not unicodedata.combining(ch)).lower().split())


def canonical(text: str) -> str:
    """Canonical spelling of a short phrase: NFC, folded, single spaces."""
    if len(text) <= _CANONICAL_CACHED:
        return _canonical(text)
    return " ".join(fold(unicodedata.normalize("NFC", text)).split())


_CANONICAL_CACHED = 160  # phrases this short are remembered: body names, issuers, header lines repeat


@lru_cache(maxsize=8192)
def _canonical(text: str) -> str:
    return " ".join(fold(unicodedata.normalize("NFC", text)).split())

