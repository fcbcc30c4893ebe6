"""Stage 4b: pinpoints (điều, khoản, điểm, mục …) the text attaches to each citation.

"Bãi bỏ Điều 16, Điều 17, Điều 18 Thông tư số 41/2025/TT-NHNN" cites three articles of the
Thông tư; "khoản 3 Điều 10 của Luật …", "Quyết định số … tại Điều 2" and "Luật số … (khoản 2
Điều 5)" cite one provision each. Runs after find/parse, before relate: each citation's
`provisions` gets its pinpoints as written, with normalised spacing and the unit words in the
drafting rules' case ("điểm a khoản 2 Điều 3", "Mục II"), finest unit first.

A run of pinpoints belongs to the citation right after it (joined by nothing, "của", "tại",
"thuộc", "trong"), else to the citation right before it when a "tại" or "(" leads to it. Never to
two: the citation after wins ("Quyết định số A tại Điều 2 Nghị định số B": Điều 2 is B's). An
article heading of the text itself ("Điều 3. Hiệu lực thi hành" opening a line) is never a
pinpoint. Offsets are never changed; only `Citation.provisions` is filled.
"""
from __future__ import annotations

import bisect
import re
from functools import lru_cache

from .models import Citation
from .normalise import NormalisedText

#: Unit words as a drafter writes them (Nghị định 30/2020/NĐ-CP; Hướng dẫn 36-HD/VPTW), finest
#: first: their rank says which contains which ("khoản 2 Điều 3": the khoản is inside the Điều).
UNITS = {"tiết": 0, "điểm": 1, "khoản": 2, "Điều": 3, "tiểu mục": 4, "Mục": 5, "Chương": 6, "Phần": 7}
_UNIT_WORDS = {
    "tiết": ("tiết", "Tiết", "TIẾT"), "điểm": ("điểm", "Điểm", "ĐIỂM"), "khoản": ("khoản", "Khoản", "KHOẢN"),
    "Điều": ("Điều", "điều", "ĐIỀU"), "tiểu mục": ("tiểu mục", "Tiểu mục", "TIỂU MỤC"), "Mục": ("Mục", "mục", "MỤC"),
    "Chương": ("Chương", "chương", "CHƯƠNG"), "Phần": ("Phần", "phần", "PHẦN"),
}
CANONICAL = {w: unit for unit, words in _UNIT_WORDS.items() for w in words}
#: A unit word that ends a longer word is none ("danh mục 4", "hạng mục 2", "thời điểm").
_NOT_AFTER = "".join(f"(?<!{w} )" for w in ("danh", "Danh", "hạng", "Hạng", "thời", "địa", "quan", "đặc"))
_UNIT = rf"(?<!\w){_NOT_AFTER}(?:" + "|".join(sorted(CANONICAL, key=len, reverse=True)) + ")"
_ORDINAL = r"thứ (?:nhất|hai|ba|tư|năm|sáu|bảy|tám|chín|mười)"
#: What numbers a unit: "16", "10a", "2.1", "II", "a", "thứ hai". A letter or a Roman numeral
#: must end the word ("Điều lệ", "Mục tiêu", "Chương trình" are no pinpoints).
_NUM = rf"(?:\d{{1,3}}(?:\.\d{{1,2}}){{0,2}}[a-zđ]?|[IVXLC]{{1,7}}|[a-zđ](?:\.\d{{1,2}})?|{_ORDINAL})(?![\w/])"
#: A number standing alone continues the unit before it ("Điều 16, 17 và 18"), unless a lower-case
#: word other than a unit or a link follows ("tại Điều 5, 12 đơn vị" is no list).
_LOWER = "a-zđàáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹ"
_BARE = (rf"(?:\d{{1,3}}[a-zđ]?|[IVXLC]{{1,7}}|[a-zđ])(?![\w/])(?!\.\d)"
         rf"(?!\s{{1,3}}(?!{_UNIT}\b|của\b|tại\b|trong\b|thuộc\b|và\b|hoặc\b|đến\b|tới\b)[{_LOWER}])")
_ITEM = rf"(?:{_UNIT}\s{{1,2}}{_NUM}|{_BARE})"
_SEP = r"(?:\s{0,2},\s{0,2}(?:(?:và|hoặc)\s{1,2})?|\s{1,2}(?:và|hoặc|đến|tới|của)\s{1,2}|\s{0,2}-\s{0,2}|\s{1,2})"
#: A run of pinpoints: items joined by commas, "và", "đến", "của" or a space. Flat (one level of
#: repetition, each item opening with a unit word or a number), so it runs in linear time.
RUN = rf"{_UNIT}\s{{1,2}}{_NUM}(?:{_SEP}{_ITEM}){{0,40}}"
#: The same for other stages' patterns ("bãi bỏ Điều 16, 17 của Thông tư …": the object's pinpoints).
PINPOINTS = rf"(?:(?:các|tại|từ)\s{{1,2}})?{RUN}"
_RUN = re.compile(RUN)


@lru_cache(maxsize=1)
def _run_scan():
    """`_RUN.finditer`, the places where a unit word stands found first (`find.Scan`)."""
    from .find import Scan
    return Scan(_RUN)
#: Every unit word lower-cased (what each spelling of `_UNIT_WORDS` lower-cases to).
_LOWER_UNITS = tuple(sorted({w.lower() for words in _UNIT_WORDS.values() for w in words}))


def unit_places(text: str, lower: str) -> list[int] | None:
    """Where a unit word may stand in ``text`` (``lower``: its lower-cased copy), in order: every
    place where the lower-cased text holds one lower-cased (each spelling `_RUN` opens with
    lower-cases to one, and a lower-cased copy as long as the text has each character where the
    text has it). A few `str.find` scans of the whole text instead of a regex scan of the text
    before each citation (the places' first letters, "c", "t", "m" …, are a third of the
    text). None when the copy is not as long as the text."""
    if len(lower) != len(text):
        return None
    out: list[int] = []
    for w in _LOWER_UNITS:
        i = lower.find(w)
        while i >= 0:
            out.append(i)
            i = lower.find(w, i + 1)
    out.sort()
    return out


def runs_at(text: str, places: list[int], lo: int, hi: int):
    """``_RUN.finditer(text, lo, hi)`` tried only at ``places`` (`unit_places`: every place
    where a match may start): the same matches (a match starting inside the last one is never
    tried, as finditer goes on from its end)."""
    done = lo
    for i in range(bisect.bisect_left(places, lo), len(places)):
        p = places[i]
        if p >= hi:
            return
        if p >= done:
            m = _RUN.match(text, p, hi)
            if m is not None:
                yield m
                done = m.end()


_TOKEN = re.compile(rf"(?P<sep>{_SEP})?(?:(?P<unit>{_UNIT})\s{{1,2}})?(?P<num>{_NUM}|{_BARE})")
#: Between a run and the citation after it: "của", "tại", "thuộc", "trong"; markdown marks.
BEFORE_GAP = re.compile(r"[ *_\[“\"]{0,4}(?:(?:của|tại|thuộc|trong)[ *_\[“\"]{1,4})?")
BEFORE_GAP_COMMA = re.compile(r"[ *_\[“\"]{0,4},?[ *_\[“\"]{0,4}(?:(?:của|tại|thuộc|trong)[ *_\[“\"]{1,4})?")
#: Between a citation and a run after it: "tại", "quy định tại", "(", "(theo".
AFTER_GAP = re.compile(
    r"(?:\]\([^)\n]{0,300}\))?[\]*_”\"]{0,3}\s{0,3},?\s{0,3}"
    r"(?:\(\s{0,2}(?:(?:tại|theo)\s{1,2})?|(?:(?:được|đã)\s{1,2})?(?:(?:quy định|nêu)\s{1,2})?(?:tại|ở)\s{1,2})")
#: A line that opens with an article or a chapter of the text itself: "Điều 3. Hiệu lực thi hành".
_HEADING_AFTER = re.compile(r"\s{0,2}[*_]{0,3}\s{0,2}[.:]|\s{0,3}(?:\n|$)")
_LINE_OPEN = re.compile(r"[ #*>_|\-]{0,8}")
WINDOW = 400    # characters before a citation where its pinpoints may start
MAX_RANGE = 50  # "Điều 16 đến Điều 18" is expanded; a wider range is kept as its two ends


def _parse(run: str) -> list[str]:
    """The pinpoints of a run, finest unit first, each whole: "khoản 1, khoản 2 Điều 5" →
    ["khoản 1 Điều 5", "khoản 2 Điều 5"]; "Điều 16 đến Điều 18" → three articles."""
    chains: list[list[tuple[str, str]]] = []
    last_unit = None
    for m in _TOKEN.finditer(run):
        sep = " ".join((m.group("sep") or "").split())
        unit = CANONICAL.get(m.group("unit")) if m.group("unit") else last_unit
        num = m.group("num")
        if unit is None:
            continue
        if unit in ("tiểu mục", "Mục", "Chương", "Phần") and num.islower() and len(num) == 1:
            continue  # "Mục a" is no numbering of these
        if sep in ("đến", "tới", "-") and chains and chains[-1][0][0] == unit:
            span = _expand(chains[-1][0][1], num)
            if span:
                chains += [[(unit, n)] for n in span[1:-1]]
            chains.append([(unit, num)])
        elif chains and m.group("unit") and sep in ("", ",", "của") and UNITS[unit] > UNITS[chains[-1][-1][0]]:
            chains[-1].append((unit, num))  # a coarser unit: the container ("khoản 2 Điều 3")
        else:
            chains.append([(unit, num)])
        last_unit = unit
    # a chain without its container borrows it from the parallel chain after it
    for i in range(len(chains) - 2, -1, -1):
        a, b = chains[i], chains[i + 1]
        if UNITS[a[0][0]] == UNITS[b[0][0]]:
            a += [x for x in b if UNITS[x[0]] > UNITS[a[-1][0]]]
    out: list[str] = []
    for chain in chains:
        s = " ".join(f"{u} {n.upper() if u in ('tiểu mục', 'Mục', 'Chương', 'Phần') and not n.startswith('thứ') else n}"
                     for u, n in chain)
        if s not in out:
            out.append(s)
    return out


def _expand(lo: str, hi: str) -> list[str] | None:
    """The numbers of "16 đến 18" (16, 17, 18), for plain numbers close enough."""
    if lo.isdigit() and hi.isdigit() and 0 < int(hi) - int(lo) <= MAX_RANGE:
        return [str(n) for n in range(int(lo), int(hi) + 1)]
    return None


def _heading(text: str, start: int, end: int) -> bool:
    """A run that opens its line and is closed by "." or ":" or the line's end: the text's own
    article or chapter heading."""
    lo = max(0, start - 9)  # _LINE_OPEN takes at most 8 characters: never scan a long line back
    k = text.rfind("\n", lo, start)
    if k < 0 and lo > 0:
        return False
    return bool(_LINE_OPEN.fullmatch(text, k + 1, start)) and bool(_HEADING_AFTER.match(text, end))


def pinpoints(nt: NormalisedText, citations: list[Citation]) -> list[list[str]]:
    """For each citation (in the order given), the pinpoints the text attaches to it. Pure."""
    return [found for found, _ in _pinpoints(nt, citations)]


def _pinpoints(nt: NormalisedText, citations: list[Citation], norm_of: dict | None = None) -> list[tuple[list[str], int]]:
    """Each citation's pinpoints, and how many of them (the last) follow it behind "tại".
    ``norm_of``: original offsets → `nt.to_norm` of them, where known already."""
    text = nt.norm
    order = sorted(range(len(citations)), key=lambda i: citations[i].start)
    offsets = [o for i in order for o in (
        citations[i].start, citations[i].end, max(citations[i].end, citations[i].title_end))]
    at = nt.to_norm_many(offsets) if not norm_of else [norm_of[o] if o in norm_of else nt.to_norm(o) for o in offsets]
    spans = list(zip(at[0::3], at[1::3], at[2::3]))
    out: list[list[str]] = [[] for _ in citations]
    at = [0] * len(citations)
    taken_before: list[tuple[int, int] | None] = [None] * len(order)
    prev_end = 0
    places = unit_places(text, nt.lower()) if spans else None
    for k, (s, e, _) in enumerate(spans):
        lo = max(prev_end, s - WINDOW)
        prev_end = max(prev_end, e)
        best = None
        for m in (_run_scan().finditer(text, lo, s) if places is None else runs_at(text, places, lo, s)):
            gap = BEFORE_GAP_COMMA if "," in m.group() and _chain_commas(m.group()) else BEFORE_GAP
            if gap.fullmatch(text, m.end(), s) and not _heading(text, m.start(), m.end()):
                best = m
        if best is not None:
            taken_before[k] = best.span()
            out[order[k]] = _parse(best.group())
    for k, (s, e, te) in enumerate(spans):
        limit = spans[k + 1][0] if k + 1 < len(spans) else len(text)
        for end in dict.fromkeys((e, te)):
            g = AFTER_GAP.match(text, end, limit)
            if g is None:
                continue
            m = _RUN.match(text, g.end(), limit)
            if m is None or _heading(text, m.start(), m.end()):
                continue
            if k + 1 < len(spans) and taken_before[k + 1] and taken_before[k + 1][0] <= m.start():
                continue  # the run is the next citation's ("… tại Điều 2 Nghị định số B")
            found = [p for p in _parse(m.group()) if p not in out[order[k]]]
            out[order[k]] = out[order[k]] + found
            if "(" not in g.group():
                at[order[k]] = len(found)
            break
    return list(zip(out, at))


def _chain_commas(run: str) -> bool:
    """A run whose commas separate the levels of one pinpoint ("điểm a, khoản 2, Điều 3"): its
    writer puts a comma before the document too ("…, Điều 3, Luật …")."""
    units = [CANONICAL[u] for u in re.findall(_UNIT, run)]
    return len(units) >= 2 and all(UNITS[a] < UNITS[b] for a, b in zip(units, units[1:]))


def attach(nt: NormalisedText, citations: list[Citation], norm_of: dict | None = None) -> None:
    """Fill each citation's `provisions` (see `pinpoints`; ``norm_of`` as `_pinpoints` takes it)."""
    for c, (found, at) in zip(citations, _pinpoints(nt, citations, norm_of)):
        c.provisions, c.provisions_at = found, at


def acted_on(c: Citation) -> list[str]:
    """The provisions a relation whose object is this mention acts on: those before it ("bãi bỏ
    Điều 16 Thông tư …") or in brackets after it, not those behind "tại" after it ("Quyết định A
    bãi bỏ Quyết định B tại Điều 2": A's Điều 2 may be where it says so)."""
    return c.provisions[:len(c.provisions) - c.provisions_at]


def merge(predicate: str, had: list[str], new: list[str]) -> list[str]:
    """The provisions of one relation stated twice (by one text or by two). A statement of the
    whole document wins ([]), but for an amendment: "sửa đổi một số điều của Thông tư A" names no
    provision, "sửa đổi Điều 15 Thông tư A" names the one amended, and an amendment never ends
    the whole document, so the named provisions add up."""
    if predicate != "amends" and (not had or not new):
        return []
    return had + [p for p in new if p not in had]


def compact(provisions: list[str]) -> str:
    """Provisions for a reader: consecutive articles as a range ("Điều 16–18"), the rest as
    written: ["Điều 16", "Điều 17", "Điều 18", "khoản 2 Điều 5"] → "Điều 16–18, khoản 2 Điều 5"."""
    out: list[str] = []
    run: list[int] = []

    def flush():
        if run:
            out.append(f"Điều {run[0]}" if len(run) == 1 else
                       f"Điều {run[0]}, {run[1]}" if len(run) == 2 else f"Điều {run[0]}–{run[-1]}")
            run.clear()
    for p in provisions:
        m = re.fullmatch(r"Điều (\d{1,3})", p)
        if m and (not run or int(m.group(1)) == run[-1] + 1):
            run.append(int(m.group(1)))
            continue
        flush()
        if m:
            run.append(int(m.group(1)))
        else:
            out.append(p)
    flush()
    return ", ".join(out)


_PAIR = re.compile(rf"({_UNIT}) (\S+(?: (?:nhất|hai|ba|tư|năm|sáu|bảy|tám|chín|mười))?)")


def units(provision: str) -> list[tuple[str, str]]:
    """A provision's (unit, number) pairs, coarsest first: "khoản 4 Điều 1" → [("Điều", "1"),
    ("khoản", "4")]."""
    return [(CANONICAL[u], n) for u, n in _PAIR.findall(provision)][::-1]


def sort_key(provision: str) -> tuple:
    """Document order: "Điều 2" before "Điều 10", an article before its clauses."""
    return tuple((-UNITS[u], (0, int(n), "") if n.isdigit() else (1, 0, n)) for u, n in units(provision))


def path(provision: str) -> str:
    """The ELI-style path of a provision under its document's IRI, coarsest first: "khoản 4 Điều
    1" → "dieu-1/khoan-4", "Mục II" → "muc-ii"."""
    from .resolve import ascii_slug
    return "/".join(ascii_slug(f"{u} {n}".lower().replace(" ", "-")) for u, n in units(provision))
