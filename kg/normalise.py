"""Stage 2: a normalised copy of the text for matching, with a map back to the original.

Matching runs on NFC text with one tone-mark style ("uỷ" → "ủy"), "Ð" (U+00D0) folded to
"Đ", every dash variant folded to "-" and every space variant to " ". All of that keeps one
character per character except NFC itself, so the offset map is only built for text that
is not NFC already (the common case costs one C-level check).
"""
from __future__ import annotations

import bisect
import re
import unicodedata
from array import array
from dataclasses import dataclass

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
}
_FOLD_CHARS = re.compile("[" + "".join(re.escape(c) for c in _FOLD) + "]")

# Old-style tone placement in open syllables: "hoà", "khoẻ", "uỷ" → "hòa", "khỏe", "ủy".
# Only at a word end and not after "q" ("quý" is the same in both styles; "hoàng" is closed).
_OLD_TONE = re.compile(r"[oOuU][àáảãạÀÁẢÃẠèéẻẽẹÈÉẺẼẸỳýỷỹỵỲÝỶỸỴ](?![^\W\d_])")
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


@dataclass
class NormalisedText:
    """`norm` is what the patterns see; `span()` maps a span of it back to the original."""

    original: str
    norm: str
    _starts: array | None = None   # None when norm is aligned 1:1 with original
    _ends: array | None = None

    def span(self, start: int, end: int) -> tuple[int, int]:
        if self._starts is None:
            return start, end
        if end <= start:
            o = self._starts[start] if start < len(self._starts) else len(self.original)
            return o, o
        return self._starts[start], self._ends[end - 1]

    def to_norm(self, i: int) -> int:
        """Normalised position of original offset i."""
        if self._starts is None:
            return i
        return bisect.bisect_left(self._starts, i)

    def pos(self, i: int) -> int:
        """Original offset of normalised position i (a boundary)."""
        if self._starts is None:
            return i
        return self._starts[i] if i < len(self._starts) else len(self.original)


def fold(text: str) -> str:
    """Character-for-character folding (dashes, spaces, Đ, tone style) of NFC text."""
    text = _FOLD_CHARS.sub(lambda m: _FOLD[m.group()], text)
    return _OLD_TONE.sub(_new_tone, text)


def normalise(text: str) -> NormalisedText:
    if unicodedata.is_normalized("NFC", text):
        return NormalisedText(text, fold(text))
    parts: list[str] = []
    starts, ends = array("q"), array("q")
    for m in _CLUSTER.finditer(text):
        piece = unicodedata.normalize("NFC", m.group())
        parts.append(piece)
        starts.extend([m.start()] * len(piece))
        ends.extend([m.end()] * len(piece))
    return NormalisedText(text, fold("".join(parts)), starts, ends)


def canonical(text: str) -> str:
    """Canonical spelling of a short phrase: NFC, folded, single spaces."""
    return " ".join(fold(unicodedata.normalize("NFC", text)).split())

