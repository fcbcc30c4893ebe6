"""The fast paths of issue 22 find exactly what the plain code they replace finds.

Each test holds the plain version (a per-line loop, an alternation, a left-to-right scan) and
compares it with the library's on generated text built from the words that matter there."""
from __future__ import annotations

import re
import sys
import unicodedata

import pytest

pytest.importorskip("hypothesis")
from hypothesis import given, settings, strategies as st  # noqa: E402

from kg import find, layout, normalise  # noqa: E402


def test_fold_class_is_the_alternation_it_replaced():
    """One character class (non-ASCII decimal digits as ranges, astral characters checked in the
    callback) folds every code point as `[fold chars]|[^\\D0-9]` did."""
    plain = re.compile("[" + "".join(re.escape(c) for c in normalise._FOLD) + "]|[^\\D0-9]")

    def plain_char(m):
        return normalise._FOLD.get(m.group()) or str(unicodedata.digit(m.group()))
    every = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c < 0xE000)
    assert normalise._FOLD_CHARS.sub(normalise._fold_char, every) == plain.sub(plain_char, every)


def _lines_plain(norm: str) -> list[layout.Line]:
    out, pos = [], 0
    while pos < len(norm):
        end = norm.find("\n", pos)
        end = len(norm) if end < 0 else end
        out.append(layout.Line(pos, end, " ".join(layout._DECOR.sub(" ", norm[pos:end]).split())))
        pos = end + 1
    return out


_LINE_BITS = st.sampled_from(["Số", " ", "  ", "\n", "\n\n", "|", "**", "# ", "\t", "\u2028", "\x1c", "\xa0",
                              "ĐẢNG", "ngày 5", "_x_", "`", ">"])


@settings(max_examples=400, deadline=None)
@given(st.lists(_LINE_BITS, max_size=30).map("".join))
def test_lines_fold_each_line_as_the_plain_loop(text):
    assert layout.lines(text) == _lines_plain(text)


_SHORT_BITS = st.sampled_from(["luật", "bộ luật", "bộ", "quyết định", "số", "nghị quyết", "kết luận",
                               "thông báo kết luận", "chương trình hành động", " ", "  ", "   ", "\n", "5", "12",
                               "2024", "12345", "x", "-", "/", ".", ",", "a1", "số5", "Đ"])


@settings(max_examples=600, deadline=None)
@given(st.lists(_SHORT_BITS, max_size=16).map("".join))
def test_short_forms_from_the_numbers_back_are_the_left_to_right_scan(text):
    lower = text.lower()
    fast = find._short_forms_by_number(lower)
    assert fast is not None
    plain = list(find.short_form_lower().finditer(lower))
    assert [(m.span(), m.group("word"), m.group("num")) for m in fast] == \
        [(m.span(), m.group("word"), m.group("num")) for m in plain]
