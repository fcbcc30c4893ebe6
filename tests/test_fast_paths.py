"""The fast paths of issue 22 find exactly what the plain code they replace finds.

Each test holds the plain version (a per-line loop, an alternation, a left-to-right scan) and
compares it with the library's on generated text built from the words that matter there."""
from __future__ import annotations

import re
import sys
import unicodedata

import pytest

pytest.importorskip("hypothesis")
from hypothesis import example, given, settings, strategies as st  # noqa: E402

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
    made = layout.Lines(text)  # made when read, in any order
    assert [made[i] for i in reversed(range(len(made)))] == _lines_plain(text)[::-1]
    assert made[-1:] == _lines_plain(text)[-1:]
    made, made.LAZY = layout.Lines(text), 2  # all made at once after two
    assert [made[i] for i in reversed(range(len(made)))] == _lines_plain(text)[::-1]
    plain = _lines_plain(text)
    made, made.FEW = layout.Lines(text), 3  # the first three found one by one, then the text split
    assert len(made) == len(plain)
    assert [made[i] for i in (1, 0, 5, 2, 4, 3) if i < len(plain)] == [plain[i] for i in (1, 0, 5, 2, 4, 3) if i < len(plain)]
    assert list(made) == plain


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


_CUE_BITS = st.sampled_from(["thực hiện", "tiếp tục", "triển khai", "sơ kết", "tổng kết", "5 năm", "12 năm", "căn cứ",
                             "vào", "sửa đổi", "bổ sung", "bởi", "được", "đã", "bị", "hết hiệu lực", "thay thế", "cho",
                             "bãi bỏ", "hướng dẫn", "quy định chi tiết", "luật", "nghị định", "đánh giá", "việc",
                             " ", ",", "x", "thi hành", "cụ thể hóa", "\n", "hủy bỏ", "của", "một số điều"])


@settings(max_examples=600, deadline=None)
@given(st.lists(_CUE_BITS, max_size=14).map("".join), st.integers(0, 5), st.integers(0, 5))
def test_cue_scan_finds_what_finditer_finds(text, lo, cut):
    from kg import relate
    end = max(lo, len(text) - cut)
    fast = [(m.span(), m.lastgroup) for m in relate._cue_scan().finditer(text, lo, end)]
    assert fast == [(m.span(), m.lastgroup) for m in relate.CUE_LOWER.finditer(text, lo, end)]


@pytest.mark.parametrize("pattern", [r"a{3}b", r"ab\s+c|a\d", r"(?i:ab)c|d", r"[^a]bc|ab", r"(?:ab)?c|d{2,}", r"(?P<x>xy|z)(?!w)", r"q?r*s", r"\bxy", r"(?i)ab",
                                     r"\d+x", r"x*"])
@settings(max_examples=150, deadline=None)
@given(text=st.text(alphabet="abcdqrsxyzw 1", max_size=30))
def test_scan_is_finditer(pattern, text):
    p = re.compile(pattern)
    assert [m.span() for m in find.Scan(p, reach=3).finditer(text)] == [m.span() for m in p.finditer(text)]


@settings(max_examples=600, deadline=None)
@given(st.text(alphabet=" \t\r\n.!?aB;,-", max_size=40), st.integers(0, 6))
def test_boundaries_are_the_boundary_scan(text, pos):
    from kg import tokenizer
    plain = [(m.start(), m.end(), bool(m.lastindex)) for m in tokenizer._BOUNDARY.finditer(text, pos)]
    assert list(tokenizer._boundaries(text, pos)) == plain


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="aBđĐxYỷỶ 1-", max_size=20), st.integers(0, 4), st.integers(0, 4))
def test_has_glued_is_a_glued_search(text, start, cut):
    from kg import tokenizer
    end = max(start, len(text) - cut)
    assert tokenizer.has_glued(text, start, end) == (tokenizer.GLUED.search(text, start, end) is not None)


_ACT_BITS = st.sampled_from(["Ban Chỉ đạo", "ban chỉ đạo", "BAN CHỈ ĐẠO", "đề nghị", "Đề nghị", "kiến nghị", "dự thảo",
                             "DỰ KIẾN", "về", "việc", "xem xét", "tỉnh", " ", "ı", "ſ", "İ", "K", "Σ", ",", "x"])


@settings(max_examples=600, deadline=None)
@given(st.lists(_ACT_BITS, max_size=10).map("".join), st.integers(0, 3), st.integers(0, 3))
def test_not_an_act_check_is_the_search(text, start, cut):
    from kg import relate
    end = max(start, len(text) - cut)
    lower = text.lower()
    fast = relate._not_an_act(text, lower if len(lower) == len(text) else None, start, end)
    assert fast == (relate.NOT_AN_ACT.search(text, start, end) is not None)


@settings(max_examples=600, deadline=None)
@given(st.lists(_SHORT_BITS | st.sampled_from(["Nghị quyết", "Bộ Luật", "SỐ", "İ", "_", " nghị quyết 5 "]), max_size=18),
       st.integers(0, 18), st.integers(0, 18))
def test_a_segments_short_forms_from_the_whole_text_are_its_own(bits, a, b):
    """The short forms a segment is given from the scan of the whole text (when its edges allow)
    are those `find.short_forms` finds in the segment alone (cut between the generated pieces)."""
    from kg.extract import _segment_short_forms
    text = "".join(bits)
    cuts = [len("".join(bits[:i])) for i in range(len(bits) + 1)]
    lo, hi = sorted((cuts[min(a, len(bits))], cuts[min(b, len(bits))]))
    shorts = list(find.short_forms(text))
    given_ = _segment_short_forms(text, shorts, [m.start() for m in shorts], lo, hi)
    if given_ is not None:
        seg = text[lo:hi]
        assert given_ == [(m.start(), m.end(), m.group("word"), m.group("num")) for m in find.short_forms(seg)]


_END_BITS = st.sampled_from(["Nơi nhận", "NƠI NHẬN", "N", "ơi", ":", "T/M", "TM.", "TM ", "K/T", "KT.", "KT ", "Q.", "TL.",
                             "TUQ.", "T/L", "PHÓ ", "CHỦ TỊCH", "BÍ THƯ", "THỦ TƯỚNG", "BỘ TRƯỞNG", "CHÁNH VĂN PHÒNG",
                             "TRƯỞNG BAN", "(Đã ký)", "(đã ký)", "PHỤ LỤC", "Phụ lục", "MẪU", "Mẫu số", "(Ban hành kèm theo",
                             "(kèm theo", "BIỂU MẪU", "Biểu mẫu", " ", "  ", "**", "_", "# ", "|", "> ", "`", "x", "\n", "\t"])


@settings(max_examples=700, deadline=None)
@given(st.lists(_END_BITS | st.just("Số"), max_size=12).map("".join), st.integers(0, 6), st.integers(0, 8),
       st.sampled_from([1, 64]))
def test_end_matter_lines_are_found_from_their_needles(text, start, stop, few):
    """A line whose words `_RECIPIENTS`, `_SIGNATURE` or `_ANNEX` match holds a needle of theirs,
    and `Lines.holding` gives every line in [start, stop) that holds one, in order (the lines'
    places found one by one or from the split text)."""
    made = layout.Lines(text)
    made.FEW = few
    for pattern, needles in ((layout._RECIPIENTS, layout._RECIPIENTS_NEEDLES),
                             (layout._SIGNATURE, layout._SIGNATURE_NEEDLES), (layout._ANNEX, layout._ANNEX_NEEDLES),
                             (layout._NUMBER, layout._NUMBER_NEEDLES)):
        holding = [i for i in range(start, len(made)) if needles.search(made.raw[i])]
        assert list(made.holding(needles, start)) == holding
        assert list(made.holding(needles, start, stop)) == [i for i in holding if i < stop]
        for i in range(len(made)):
            if pattern.match(made[i].words):
                assert needles.search(made.raw[i]), (pattern.pattern, made.raw[i])


_LOWER_BITS = st.sampled_from(["Nghị quyết", "NGHỊ QUYẾT", "quyết định", "Kết luận", "số", "SỐ", "So", ":", " ", "  ", "\n",
                               "(bổ sung)", "(Sửa đổi)", "phối hợp", "Hội nghị", "HỘI NGHỊ", "lần thứ 8", "ví dụ", "VD",
                               "chẳng hạn", "Ban Chấp hành Trung ương", "x", "ı", "ſ", "İ", "K", "Σ", "ς", "ǅ", "-", ","])


@settings(max_examples=700, deadline=None)
@given(st.lists(_LOWER_BITS, max_size=14).map("".join), st.integers(0, 40), st.integers(0, 40))
def test_patterns_on_the_lowered_copy_find_what_ignorecase_finds(text, a, b):
    """Where `parse.lowered` gives a copy, the (?i)-free patterns find there what their (?i)
    originals find in the text (spans and the lower-cased type word)."""
    from kg import parse
    low = parse.lowered(text)
    if low is None:
        assert len(text.lower()) != len(text) or find.case_odd(text)
        return
    lo, hi = sorted((min(a, len(text)), min(b, len(text))))
    for plain, fast in ((find.type_word_before(), find.type_word_before_lower()), (find.type_word(), find.type_word_lower()),
                        (find.EXAMPLE_BEFORE, find.EXAMPLE_BEFORE_LOWER)):
        p, f = plain.search(text, lo, hi), fast.search(low, lo, hi)
        assert (p and p.span()) == (f and f.span())
        assert [m.span() for m in plain.finditer(text, lo, hi)] == [m.span() for m in fast.finditer(low, lo, hi)]
        if p is not None and "word" in plain.groupindex:
            assert p.group("word").lower() == f.group("word")


def _plenum_named_plain(text, start, by_start):
    """`parse.issuer_of_plenum_named` as it was: every type word of the clause looked for in the text."""
    from kg import parse
    n = find.NUMBER_WORD_BEFORE.search(text, max(0, start - 8), start)
    if n is None:
        return None
    found = None
    for w in find.type_word().finditer(text, parse.clause_start(text, n.start(), 240), n.start()):
        found = w
    if found is None:
        return None
    p = find.PLENUM.match(text, found.end() + 1) if text[found.end():found.end() + 1] == " " else None
    if p is None or not text[p.start():p.end()].lower().startswith("hội nghị"):
        return None
    return parse.body_at(text, p.end(), by_start)


@settings(max_examples=800, deadline=None)
@given(st.lists(_LOWER_BITS | st.sampled_from(["Bộ Chính trị", " về Giá ", "khóa V", ".", "số 25-NQ/TW"]), max_size=14))
def test_plenum_named_issuer_with_its_shortcut_is_the_plain_look_back(bits):
    from kg import parse
    from kg.component import find_bodies
    text = "".join(bits)
    by_start = {b.start: b for b in find_bodies(text)}
    for start in {len("".join(bits[:i])) for i in range(len(bits) + 1)}:
        assert parse.issuer_of_plenum_named(text, start, by_start) == _plenum_named_plain(text, start, by_start)


@settings(max_examples=700, deadline=None)
@given(st.text(alphabet="ab ,;\n().^_1à\u2028", max_size=40) | st.lists(st.sampled_from(["abc ", "d.e", "x", ".", "v.v.", "1.2"]),
       max_size=120).map("".join), st.integers(0, 40))
def test_unquoted_title_runs_end_where_the_pattern_ends(text, pos):
    from kg import parse
    pos = min(pos, len(text))
    m = find.UNQUOTED_TITLE.match(text, pos)
    assert parse.unquoted_title_end(text, pos) == (m.end() if m else None)


_SIGNED_BITS = st.sampled_from(["Vũ Đức Đam", " Nguyễn Văn A", " ký ", " kí ", " ngày ", "28/07/2014", "12/5/2020", "\n", ".", ";",
                                " ", "Phê duyệt Đề án", "x" * 60, ":", "gồm", "bao gồm", "như sau", "sau đây", ",", "Nghị quyết"])


@settings(max_examples=700, deadline=None)
@given(st.lists(_SIGNED_BITS, max_size=14).map("".join), st.integers(0, 40))
def test_look_ups_skipped_without_their_words_would_have_found_nothing(text, pos):
    """The look-ups skipped when their words are absent: SIGNED_ON_LATER ("ký" within
    SIGNED_REACH), LIST_INTRO (":", "gồm" or "sau" in its window)."""
    pos = min(pos, len(text))
    if find.SIGNED_ON_LATER.match(text, pos):
        assert "ký" in text[pos:pos + find.SIGNED_REACH] or "kí" in text[pos:pos + find.SIGNED_REACH]
    window = text[max(0, pos - 20):pos]
    if find.LIST_INTRO.search(text, max(0, pos - 20), pos):
        assert ":" in window or "gồm" in window or "sau" in window


_ISSUED_BITS = st.sampled_from(["đã", "vừa", "mới đây", "đã kịp thời", "chính thức", "thay mặt", "ký ban hành", "ban hành", "ký",
                                "có", "ra", "thông qua", "kèm theo", "các", "12", "hai", "bốn", "**", "_", " ", "   ", "\n",
                                "Luật", "Bộ luật", "Pháp lệnh", "tại", "theo", "bằng", "phê duyệt", "x", "Bộ Chính trị"])


@settings(max_examples=1000, deadline=None)
@given(st.lists(_ISSUED_BITS, max_size=16).map("".join), st.integers(0, 80))
@example("kèm theo   \n", 9)  # "$" before a line break that ends the window: the match ends one short of it
@example(" đã ký ban hành theo   \n", 40)
def test_issuer_look_backs_skipped_without_their_words_would_have_found_nothing(text, back):
    """`parse.issuer_before` skips a look-back whose words are absent or narrows it to the
    pattern's widest match: the same leftmost match."""
    from re import _parser
    from kg import parse
    end = len(text)
    lo = max(0, end - back)
    if find.ISSUED_BY_BEFORE.search(text, lo, end):
        assert parse._holds(text, max(lo, end - find.ISSUED_VERB_REACH), end, find.ISSUED_VERBS)
    if find.LAW_TITLE_BEFORE.search(text, lo, end):
        assert parse._holds(text, lo, end, ("Luật", "Bộ luật", "Pháp lệnh"))
    if find.OF_BODY_AT.search(text, lo, end):
        assert "tại" in text[lo:end]
    for pattern, width in ((find.APPROVED_BY_AT, find.APPROVED_BY_AT_WIDTH), (find.PASSIVE_ACT_AT, find.PASSIVE_ACT_AT_WIDTH)):
        assert _parser.parse(pattern.pattern, pattern.flags).getwidth()[1] <= width
        a, b = pattern.search(text, lo, end), pattern.search(text, max(lo, end - width), end)
        assert (a and a.span()) == (b and b.span())


def test_bodies_handed_out_extended_are_those_extend_body_makes():
    """`parse.body_at` gives the component's bodies extended once a segment: what `extend_body`
    makes of each, for a segment analysed and for one never seen."""
    from kg import parse
    from kg.component import find_bodies
    from kg.extract import pipeline
    text = ("Đảng ủy Khối các cơ quan thành phố, Ủy ban nhân dân tỉnh Bắc Ninh và Chi bộ Sở Tư pháp tỉnh "
            "An Giang ban hành Kế hoạch số 12-KH/TU; Thành ủy Hà Nội, Sở Giáo dục và Đào tạo tỉnh An Giang.")
    pipeline().get_pipe("party_citations").analyse(text, [0, len(text)])
    by_start = parse._EXTENDED[1]
    assert parse._EXTENDED[0] is text and len(by_start) >= 4
    for pos, b in by_start.items():
        assert parse.body_at(text, pos, by_start) == parse.extend_body(text, b, by_start)
    other = {b.start: b for b in find_bodies(text)}
    assert all(parse.body_at(text, p, other) == parse.extend_body(text, b, other) for p, b in other.items())


def _body_names():
    from kg import tables
    return sorted({n for b in tables.bodies().values() for n in (b.vi, *b.variants)})


def _overlapping_names():
    """Two names, the second opening with the first's last words, written over each other
    ("BTV Huyện ủy ban Kiểm tra Trung ương"): a walk from inside the first runs past its end."""
    names = _body_names()
    out = []
    for a in names:
        for b in names:
            ta, tb = a.lower().split(), b.lower().split()
            for k in range(1, len(ta)):
                if len(ta) - k < len(tb) and tb[:len(ta) - k] == ta[k:]:
                    out.append(a + " " + " ".join(b.split()[len(ta) - k:]))
    return sorted(set(out))


_BODY_BITS = st.sampled_from(_body_names()) | st.sampled_from(_overlapping_names()) | st.sampled_from(
    ["Chi bộ", "Thành ủy", "Ban Thường vụ", "Tỉnh ủy", "Trung ương", "Đảng", " ", "  ", "\n", ", ", "-", "/", ".", "(",
     "x", "1/2", "15/2020/NĐ-CPxxxxxxxxxxxxxxxxxxxxx", "01-KL/TW", "BộChính", "ủy", "İ", "_", "Hà Nội", " về "])


@settings(max_examples=600, deadline=None)
@given(st.lists(_BODY_BITS, max_size=10).map("".join))
@example("15/2020/NĐ-CPxxxxxxxxxxxxxxxxxxxxxban chấp hành trung ương đảng")
@example("Chi bộ Ban Thường vụ Tỉnh ủy, Thành ủy-Hà Nội")
@example("BTV Huyện ủy ban Kiểm tra Trung ương")
def test_bodies_of_plain_words_from_their_words_are_the_token_walks(text):
    """`find_bodies` reads a place of plain words (letters one space apart, between token
    boundaries) from its words: the same bodies as the token walk over every place."""
    from kg.component import find_bodies
    assert find_bodies(text) == find_bodies(text, plain=True)


_SYMBOL_BITS = st.sampled_from(["12", "1", "12345", "123456", "-", " - ", "/", " /", "/ ", "NQ", "QĐ", "TW", "HĐND", "UBND",
                                "2024", "Ctr", "a", "BCT", " ", "  ", "\n", ".", ",", "CP", "-CP", "**", "TTg", "x", "ngày 5/6/2020"])


@settings(max_examples=1000, deadline=None)
@given(st.lists(_SYMBOL_BITS, max_size=20).map("".join))
def test_symbol_scan_with_its_slash_look_ahead_is_the_plain_scan(text):
    plain = find._digit_first(find.PARTY_SYMBOL, find.STATE_SYMBOL)
    assert [m.span() for m in find.SYMBOL.finditer(text)] == [m.span() for m in plain.finditer(text)]
    assert [m.groupdict() for m in find.SYMBOL.finditer(text)] == [m.groupdict() for m in plain.finditer(text)]


def test_symbol_width_is_the_longest_match_of_the_symbol_scan():
    from re import _parser
    assert _parser.parse(find.SYMBOL.pattern).getwidth()[1] == find.SYMBOL_WIDTH


@settings(max_examples=800, deadline=None)
@example("1" * 40 + "/TW 12-NQ/TW", 0, 60)
@example("12345  -  Ctrl  /TW", 0, 400)  # the first digit 16 characters before the "/"
@example("x 12/Qaaaaaaa123- **Bccccccccccc- **Deeeeeeeeeee-45", 0, 400)  # 47 characters past the last "/"
@example("1/Qaaaaaaa-Bccccccccc1-NQ/TW", 0, 400)  # a match reaching into the next run's stretch
@example("12/2024/QĐ-TTg", 0, 400)  # a first "/" before a year (its look-ahead reads 5 characters)
@example("x 7-NQ/  TW", 0, 400)  # a first "/" before two spaces
@example("theo 01-KL/TW, 02-KL/TW và 3/NQ-CP", 0, 400)  # symbols of one run of "/"
@example("1-NQ/TW5/NQ", 0, 400)  # a match right after one that ends just before the run's last "/"
@given(st.lists(_SYMBOL_BITS | st.sampled_from(["x" * 20, "1" * 12, "///", "1/2/3/4/5"]), max_size=30).map("".join),
       st.integers(0, 80), st.integers(0, 400))
def test_symbol_scan_near_slashes_is_the_plain_scan(text, start, end):
    """`find.symbol_scan` (SYMBOL run only before each run of "/") finds what SYMBOL finds, groups
    and all, between any two places."""
    end = min(end, len(text))
    plain = list(find.SYMBOL.finditer(text, start, end))
    near = list(find.symbol_scan(text, start, end))
    assert [m.span() for m in near] == [m.span() for m in plain]
    assert [m.groupdict() for m in near] == [m.groupdict() for m in plain]


@settings(max_examples=800, deadline=None)
@given(st.text(alphabet="aAΣσςΟΔİıẞßǅ Đđ.-\u0345", max_size=24), st.integers(0, 24), st.integers(0, 24))
def test_a_segments_lower_case_is_a_slice_of_the_texts_where_extract_takes_it(text, a, b):
    """`extract.find_citations` hands each segment text.lower()[lo:hi] when lower-casing kept the
    text's length and the segment holds no "Σ": that is the segment's own lower()."""
    lo, hi = sorted((min(a, len(text)), min(b, len(text))))
    lower = text.lower()
    if len(lower) == len(text) and "Σ" not in text[lo:hi]:
        assert lower[lo:hi] == text[lo:hi].lower()


_opt = lambda values: st.one_of(st.none(), st.just(""), st.sampled_from(values))  # noqa: E731


@st.composite
def _single_mentions(draw):
    from kg.models import Citation
    system = draw(st.sampled_from(["party", "state"]))
    if system == "party":
        number, code, issuer_code = draw(st.sampled_from(["01", "7", "115", "03a"])), draw(
            st.sampled_from(["KL", "CTr", "Ctr", "QĐi", "NQ", None])), draw(st.sampled_from(["TW", "TU", "HU"]))
        symbol = f"{number}-{code}/{issuer_code}"
    else:
        number, code, issuer_code = draw(st.sampled_from(["15", "130"])), draw(st.sampled_from(["NĐ-CP", "CĐ-TTg"])), None
        symbol = draw(st.sampled_from([f"{number}/2020/{code}", f"{number}/{code}"]))
    return Citation(
        text=symbol, start=0, end=len(symbol), system=system, symbol=symbol, number=number, type_code=code,
        issuer_code=issuer_code, doc_type=draw(_opt(["Kết luận", "Nghị định"])),
        doc_type_id=draw(_opt(["ket-luan", "nghi-dinh"])), date=draw(_opt(["2021-05-18", "2019-01-02"])),
        issuer=draw(_opt(["Bộ Chính trị", "Hội đồng Thi đua  Khen thưởng"])), issuer_id=draw(_opt(["bo-chinh-tri"])),
        term=draw(_opt(["khóa XIII"])), title=draw(_opt(["về công tác cán bộ"])),
        year=2020 if "/2020/" in symbol else None, shared_date=draw(_opt(["2020-03-04"])),
        shared_issuer=draw(_opt(["Ban Bí thư", "Sở Nội vụ tỉnh X"])), shared_issuer_id=draw(_opt(["ban-bi-thu"])),
        type_from_word=draw(st.booleans()))


@settings(max_examples=250, deadline=None)
@given(_single_mentions())
def test_a_document_mentioned_once_is_what_the_majorities_give(c):
    """resolve's one-mention shortcut gives the very Document the general rules give."""
    from kg import resolve
    from kg.resolve import DEFAULT_BASE
    assert resolve._document(DEFAULT_BASE, [c]) == resolve._document_general(DEFAULT_BASE, [c])


def test_the_rare_breaks_are_the_break_class_but_a_newline():
    brk = {chr(c) for c in range(0x110000) if normalise._BREAK.fullmatch(chr(c))}
    assert brk == set(normalise._RARE_BREAKS) | {"\n"}


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab .\n \t") + list(normalise._RARE_BREAKS)), max_size=80))
def test_newline_runs_are_the_break_runs_in_a_text_without_rare_breaks(text):
    """join_lines scans for runs opening with "\\n" where no other break character stands."""
    if any(ch in text for ch in normalise._RARE_BREAKS):
        text = "".join(ch for ch in text if ch not in normalise._RARE_BREAKS)
    assert [m.span() for m in normalise._NEWLINE_BREAK.finditer(text)] == \
        [m.span() for m in normalise._BREAK.finditer(text)]



_TONE_ALPHABET = list("oOuUqQah kK.-1_") + list("àáảãạÀÁẺẼẸỳýỶòÒ") + ["\u0301"]


@settings(max_examples=1500, deadline=None)
@given(st.text(alphabet=st.sampled_from(_TONE_ALPHABET), max_size=40))
def test_old_tone_pairs_from_four_scans_are_the_one_substitution(text):
    """`fold` finds old-style tone pairs with one scan a head; the result is `_OLD_TONE.sub`'s."""
    assert normalise.fold(text) == normalise._OLD_TONE.sub(normalise._new_tone, normalise._FOLD_CHARS.sub(
        normalise._fold_char, text))


_JOIN_PIECES = st.sampled_from(["\n", "\n", "\n\n", " ", "  ", " \n", "\n ", ".", ":", ";", "!", ",", "a", "A", "Bộ",
                                "của", "HEADING", "- ", "1. ", "2)", "(a) ", "Căn cứ", "Số", "Điều 3", "12", "\t",
                                "x" * 30, "\f", "Trang 2"])


@settings(max_examples=800, deadline=None)
@example("a\n\nb\n\n\nc")
@example(" \n")
@example("của\n\n")  # blank lines after "của" that end the text: no box boundary (nothing after it)
@example("của\t\nĐiều 3")  # a tab before the break: the article's sentence goes on across it
@example("Trang 2của\nĐiều 3")  # "của" after a digit still names the article
@example("\n\ncủa ")  # blank lines that open the text: no box boundary
@example(".\n\ncủa ")  # after a sentence's end a blank line is a paragraph's end
@given(st.lists(_JOIN_PIECES, max_size=30).map("".join))
def test_newline_runs_join_lines_changes_are_the_runs_it_scanned_before(text):
    """join_lines scans for the "\\n" runs it may change only (`_NEWLINE_CHANGED`): the same
    joined text and breakpoints as the loop over every run (`_NEWLINE_BREAK`)."""
    from unittest import mock
    with mock.patch.object(normalise, "_NEWLINE_CHANGED", normalise._NEWLINE_BREAK):
        plain = normalise.join_lines(text)
    assert normalise.join_lines(text) == plain


@settings(max_examples=500, deadline=None)
@example("12\nx")
@example("\n12")
@example("\n\u0663\n\t\u2014 4 \u2014\nTRANG 2/9\n")
@given(st.lists(st.sampled_from(["\n", "12", "3", " ", "- ", " -", "Trang ", "trang ", "TRANG ", "/", "2020", "x", "ngày",
                                 "\n\n", "\t", "\u2013", "\u2014 ", "\u0663", "\uff15"]), max_size=14).map("".join))
def test_page_number_lines_are_those_found_after_a_newline_put_first(text):
    """`_page_number_lines` (no "\\n" put before the text; a look-ahead for the characters the
    words can open with) finds the lines the plain pattern finds after a "\\n" put first."""
    plain = re.compile(r"\n" + normalise.PAGE_NUMBER_WORDS + r"(?=\n|$)")
    assert normalise._page_number_lines(text) == [
        (m.start(), m.end() - 1) for m in plain.finditer("\n" + text)
        if m.start() == 0 or not normalise._number_of_the_sentence(text, m.start() - 1, m.end() - 1)]


@settings(max_examples=500, deadline=None)
@example("Nghị quyết \u0663, luật 5")
@given(st.lists(_SHORT_BITS | st.sampled_from(["\u0663", "\uff15", "Nghị Quyết", "\u017f", "\u0130", "ı", "Σ"]),
                max_size=16).map("".join))
def test_short_forms_of_a_normalised_text_are_the_plain_scans(text):
    """`find.short_forms` as `find_citations` calls it (the fold's case-odd note, [0-9] for \\d on
    the folded text) finds what the (?i) pattern finds in the normalised text."""
    nt = normalise.normalise(text)
    fast = find.short_forms(nt.norm, nt.lower(), case_odd=nt.case_odd, folded=True)
    plain = find.short_form().finditer(nt.norm)
    assert [(m.span(), m.group("word").lower(), m.group("num")) for m in fast] == \
        [(m.span(), m.group("word").lower(), m.group("num")) for m in plain]


def test_every_case_odd_character_passes_through_the_fold_scan():
    assert all(normalise._FOLD_OR_ODD.fullmatch(ch) for ch in normalise.CASE_ODD_CHARS)
    assert find._CASE_ODD.pattern == "[" + normalise.CASE_ODD_CHARS + "]"


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(list(normalise.CASE_ODD_CHARS) + list("aoà\u2013\u00a0Đ1 \n\u0663")
                                + ["\U0001d7ce", "\u0432", "\u043e", "o\u0300"]), max_size=12).map("".join))
@example("\u0663\nµ\nµ")
def test_the_fold_notes_whether_the_folded_text_holds_a_case_odd_character(text):
    folded, odd = normalise._fold_noting_odd(text)
    assert folded == normalise.fold(text)
    assert odd == find.case_odd(folded)
    # the flag may err only on the safe side (the general path): a page number or a running line
    # dropped after folding ("٣⏎µ⏎µ") can take the one case-odd character away
    nt = normalise.normalise(text)
    assert nt.case_odd or not find.case_odd(nt.norm)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["a", "Đ", "e\u0301", "o\u0302\u0300", " ", "  ", "\n", "-\n", "\n\n", "\t", "x.", "1"]),
                max_size=30).map("".join))
def test_positions_are_pos_of_each(text):
    """`NormalisedText.positions` and `to_norm_many` map many positions as `pos` and `to_norm`
    map each (NFD text, joined lines)."""
    nt = normalise.normalise(text)
    ps = list(range(len(nt.norm) + 1))
    assert nt.positions(ps) == [nt.pos(i) for i in ps]
    assert nt.positions(ps[::-1]) == [nt.pos(i) for i in ps[::-1]]
    os = list(range(len(nt.original) + 1))
    assert nt.to_norm_many(os) == [nt.to_norm(i) for i in os]
    assert nt.to_norm_many(reversed(os)) == [nt.to_norm(i) for i in reversed(os)]


def _trie_alternation_plain(words, after_first: str = "", gap: str | None = None) -> str:
    """find.trie_alternation as it was before runs were emitted without recursion: the oracle."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict, depth: int) -> str:
        alts = []
        for ch, child in sorted(node.items()):
            if ch:
                piece = " ?" if ch == gap else re.escape(ch)
                alts.append(piece + (after_first if depth == 0 else "") + emit(child, depth + 1))
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body
    return emit(trie, 0)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="ab.ộ\0 ", max_size=6), max_size=8),
       st.sampled_from(["", r"(?<!\w\w)"]), st.sampled_from([None, "\0"]))
def test_trie_alternation_emits_runs_as_the_plain_recursion(words, after_first, gap):
    assert find.trie_alternation(words, after_first, gap) == _trie_alternation_plain(words, after_first, gap)


_WINDOW_BITS = st.sampled_from(["Kết luận", "số", "01-KL/TW", "15/2020/NĐ-CP", "12/3/2024", "BộChính trị", "của", " ",
                                "  ", "\n", ",", "(", ")", "“", "x", "1", "-", "/", "."])


@settings(max_examples=400, deadline=None)
@given(st.lists(st.lists(_WINDOW_BITS, min_size=1, max_size=8).map("".join), max_size=5))
def test_windows_tokenised_at_once_are_each_tokenised(pieces):
    """`extract._window_words`: the windows' words and spaces from one pass over their joined
    text are those of each window tokenised alone, one space apart."""
    from kg.extract import _window_words
    from kg.tokenizer import words_and_spaces
    words, spaces = [], []
    for p in pieces:
        if words:
            spaces[-1] = True
        w, s = words_and_spaces(p)
        words += w
        spaces += s
    assert _window_words(pieces) == (words, spaces)


_WORD_BITS = _WINDOW_BITS | st.sampled_from(["\t", "\xa0", "\u00ad", "ĐẢNG", "e\u0301", "_", "18/5/2021a", "aB", " x", "x "])


@settings(max_examples=400, deadline=None)
@given(st.lists(st.lists(_WORD_BITS, max_size=8).map("".join), max_size=5))
def test_windows_tokenised_word_by_word_are_each_tokenised(pieces):
    """`extract._window_orths`: the windows' tokens as orth ids, made word by word (and
    remembered by the word) where a window's only whitespace is single spaces between words,
    are the words and spaces of each window tokenised alone (`_window_words`), asked for twice
    (the second time from what was remembered)."""
    from spacy.vocab import Vocab

    from kg.extract import _window_orths, _window_words
    vocab = Vocab()
    words, spaces = _window_words(pieces)
    for _ in range(2):
        orths, made = _window_orths(vocab, pieces)
        assert ([vocab.strings[o] for o in orths], made) == (words, spaces)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(["a", "ộ", " ", "\n", "\t", "\xa0", "\u2028", "\x1c", ".", "1"]), max_size=30))
def test_folded_spaces_is_split_and_join(text):
    from kg.parse import folded_spaces
    assert folded_spaces(text) == " ".join(text.split())


def test_every_whitespace_character_but_the_space_is_unprintable():
    """What `parse.folded_spaces` relies on, for every code point."""
    assert [c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace() and c.isprintable()] == [" "]


_CITED_BITS = st.sampled_from(["Kết luận số 01-KL/TW", "Nghị định 15/2020/NĐ-CP", " ngày 12/3/2024", " của Bộ Chính trị",
                               " về việc", " ", "  ", "\n", "\n\n", "-\n", " \n ", ". ", "; ", "Điều 5", "e\u0301", "x"])


@settings(max_examples=150, deadline=None)
@given(st.lists(_CITED_BITS, max_size=14).map("".join))
def test_offsets_known_from_the_mapping_are_to_norm(text):
    """`find_citations` hands links and pinpoints each citation's offsets back in the normalised
    text, known from mapping them there: each is what `to_norm` makes of it (an aligned text maps
    every `pos` and span end back to where it came from)."""
    from kg.extract import find_citations
    nt = normalise.normalise(text)
    norm_of: dict = {}
    find_citations(nt, norm_of)
    assert all(nt.to_norm(o) == p for o, p in norm_of.items())
    if nt.aligned():
        assert all(nt.to_norm(nt.pos(p)) == p for p in range(len(nt.norm) + 1))
        assert all(nt.to_norm(nt.span(a, b)[1]) == b for a in range(len(nt.norm)) for b in range(a + 1, len(nt.norm) + 1))
    else:
        assert not norm_of


_LINK_BITS = st.sampled_from(["Căn cứ ", "Thực hiện ", "thay thế", "bãi bỏ", "sửa đổi, bổ sung", "hướng dẫn", "hết hiệu lực",
                              "Nghị định này bãi bỏ các văn bản sau:", "thay thế:", "\n- ", "\n", ":", "Luật Đất đai",
                              "“Quy định về”", "Số: 12", "QUYẾT ĐỊNH", "x", " ", ". ", "được sửa đổi bởi", "Nghị quyết 18"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_LINK_BITS, max_size=16).map("".join))
def test_a_text_without_citations_has_no_links(text):
    """extract_chunks skips `relate.links` for a chunk without citations: every link holds one."""
    from kg import relate
    from kg.layout import layout
    nt = normalise.normalise(text)
    for own in (relate.Own(), relate.Own(header=True, doc_type="Nghị định", layout=layout(nt.norm))):
        assert relate.links(nt, [], own) == []


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(list("aĐđ -\n\u2013\u00a0ſıİµ\u0345\u03c2e") + ["e\u0301"]), max_size=30).map("".join))
def test_a_text_without_case_odd_characters_has_segments_without_them(text):
    """`find_citations` spares each segment's case-odd scan (`parse.prime_lower`) when
    `NormalisedText.case_odd` says the text holds none: it says so only when none stands there."""
    from kg import find
    nt = normalise.normalise(text)
    assert nt.case_odd or not find.case_odd(nt.norm)



def test_citations_are_made_with_their_fields_in_order():
    """`component.PartyCitations._citation` gives a Citation's fields positionally, in the order
    `component.CITATION_FIELDS` names: the dataclass's own."""
    from dataclasses import fields

    from kg.component import CITATION_FIELDS
    from kg.models import Citation
    assert tuple(f.name for f in fields(Citation))[:len(CITATION_FIELDS)] == CITATION_FIELDS


def test_only_v_lower_cases_to_a_word_opening_with_v():
    """What `component._generic_word`'s quick refusal relies on, for every code point."""
    assert [c for c in map(chr, range(sys.maxunicode + 1)) if c.lower().startswith("v")] == ["V", "v"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["văn bản", "Văn bản", "VĂN BẢN", "Quyết định", "quyết  định", " ", "\n", "số ", "x",
                                 "Nghị quyết", "v"]), max_size=6).map("".join), st.integers(0, 12), st.integers(0, 30))
def test_generic_word_refused_at_once_is_the_plain_test(text, start, end):
    from kg.component import _generic_word
    assert _generic_word(text, start, end) == text[start:end].lstrip().lower().startswith("văn bản")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["Quyết định", "quyết  định", "QUYẾT ĐỊNH", "Nghị\nquyết", "Kết luận", "xKế hoạch",
                                 " số ", "số:", " (sửa đổi) ", "Quy định", "  ", "\n"]), max_size=6).map("".join),
       st.sampled_from(["party", "state"]))
def test_type_words_remembered_are_the_types_they_name(text, system):
    """`parse.type_before` reads a type word's type from what it remembered of that word: the
    type `tables.type_by_word` gives the word's lower-cased words."""
    from kg import parse, tables
    start, dtype = parse.type_before(text + "01-KL/TW", len(text), system)
    m = find.type_word_before().search(text + "01-KL/TW", max(0, len(text) - 40), len(text))
    assert dtype == (tables.type_by_word(system).get(" ".join(m.group("word").lower().split())) if m else None)


_PINPOINT_BITS = st.sampled_from(["Điều 5", "điều 2", "ĐIỀU", "khoản 2", "KHOẢN 1", "Khoản", "điểm a", "tiểu mục 1",
                                  "Tiểu mục", "Mục II", "mục 3", "MỤC", "Chương I", "phần", "tiết b", "danh ", "thời ", " ",
                                  ", ", " và ", "5", "2.1", "a", "II", "x", "\n", "İ", "\u212a", "Kết luận số 01-KL/TW"])


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(_PINPOINT_BITS, st.sampled_from([" ", ", ", " và ", "\n", " x ", "danh ", ""])),
                max_size=8).map(lambda pairs: "".join(a + b for a, b in pairs)), st.integers(0, 40), st.integers(0, 80))
@example("Điều 5 khoản 2", 0, 20)
def test_pinpoint_runs_tried_at_unit_places_are_the_scans(text, lo, hi):
    """`provisions.runs_at` over `provisions.unit_places` (str.find of each lower-cased unit
    word): the runs `_RUN.finditer` finds between any two offsets."""
    from kg import provisions
    places = provisions.unit_places(text, text.lower())
    if places is None:
        assert len(text.lower()) != len(text)
        return
    assert [m.span() for m in provisions.runs_at(text, places, lo, hi)] == \
        [m.span() for m in provisions._RUN.finditer(text, lo, hi)]


_MARK_BITS = st.sampled_from([",", "[12]", "^3^", "^4", "*", "_", "_x", " ", "ngày", "(", "ví dụ", "Ví dụ:", "vd", "VD",
                              "chẳng hạn", " số ", ": ", "Số:", "ký", "ban hành", "có", "ra", "thông qua", "Luật", "x"])


@settings(max_examples=400, deadline=None)
@given(st.lists(_MARK_BITS, max_size=10).map("".join), st.integers(0, 40), st.integers(0, 40))
def test_look_ups_refused_at_once_are_the_plain_ones(text, lo, hi):
    """The quick refusals in front of two look-ups refuse only what the plain one finds nothing
    in: a footnote mark after a symbol (`FOOTNOTE` opens with one of `FOOTNOTE_OPENS`), words in a
    window (`parse._holds`)."""
    from kg import parse
    if find.FOOTNOTE.match(text, lo):
        assert text[lo:lo + 1] in find.FOOTNOTE_OPENS
    for words in (find.ISSUED_VERBS, ("Luật", "Bộ luật", "Pháp lệnh")):
        assert parse._holds(text, lo, hi, words) == any(text.find(w, lo, hi) >= 0 for w in words)


_LOOK_BACK_BITS = st.sampled_from(["phê duyệt", "ban hành", "thông qua", "ký", "tại", "theo", "bằng", "Tại", "kèm theo",
                                   "Kèm Theo", "KÈM THEO", "\u212aèm theo", " ", "  ", "\n", "\t", "được", "x", "Bộ Y tế"])


@settings(max_examples=500, deadline=None)
@given(st.lists(st.tuples(_LOOK_BACK_BITS, st.sampled_from([" ", "  ", "\n", " \t", " \n", "   \n", ""])),
                max_size=6).map(lambda pairs: "".join(a + b for a, b in pairs)), st.integers(0, 60))
@example("phê duyệt bằng ", 15)
@example("Bộ Y tế theo\t", 13)
def test_look_backs_refused_by_their_last_word_find_nothing(text, pos):
    """`parse.ends_with_word` refuses a look-back only where its pattern finds nothing: each
    match of the patterns it guards ends with one of the words it asks for."""
    from kg import parse
    pos = min(pos, len(text))
    for pattern, words, lower, lo in ((find.APPROVED_BY_AT, parse._LOCATING_WORDS, False, pos - find.APPROVED_BY_AT_WIDTH),
                                      (find.PASSIVE_ACT_AT, parse._LOCATING_WORDS, False, pos - find.PASSIVE_ACT_AT_WIDTH),
                                      (find.ATTACHED_TO_BEFORE, ("kèm theo",), True, pos - 24)):
        if pattern.search(text, max(0, lo), pos):
            assert parse.ends_with_word(text, pos, words, lower)


_TITLE_BITS = st.sampled_from(["được sửa đổi", "được ban hành", "thay thế", "bãi bỏ", "sửa đổi, bổ sung", "hết hiệu lực",
                               "có hiệu lực", "hướng dẫn thực hiện", "hướng dẫn thi hành", "hướng dẫn", "đã", "diễn ra",
                               "do", "Bộ", "và", "ý kiến", "công văn", "của", "tiếp tục", "x", " ", "  ", "\t", "\n"])


@settings(max_examples=500, deadline=None)
@given(st.lists(st.tuples(_TITLE_BITS, st.sampled_from([" ", "  ", "\t", ""])), max_size=8)
       .map(lambda pairs: "".join(a + b for a, b in pairs)))
@example(" và ý kiến của")
@example(" do Bộ")
def test_titles_without_a_stop_word_have_no_stop(text):
    """`parse.may_stop` is False only for words in which `find.TITLE_STOP` finds nothing."""
    from kg import parse
    if find.TITLE_STOP.search(text):
        assert parse.may_stop(text)


def test_every_stop_of_a_title_has_a_stop_word():
    from kg import parse
    phrases = [f" và {w} của" for w in ("hướng dẫn", "ý kiến", "chỉ đạo", "kết luận", "đề nghị", "yêu cầu", "kế hoạch",
                                        "văn bản", "công văn")] + [
        f" {w}" for w in ("được sửa đổi", "được bổ sung", "được thay thế", "được bãi bỏ", "được hướng dẫn",
                          "được cụ thể hóa", "thay thế", "bãi bỏ", "sửa đổi bổ sung", "sửa đổi, bổ sung", "hết hiệu lực",
                          "có hiệu lực", "hướng dẫn thực hiện", "hướng dẫn thi hành", "đã", "được ban hành", "diễn ra",
                          "do Bộ")]
    for phrase in phrases:
        assert find.TITLE_STOP.search(phrase) and parse.may_stop(phrase), phrase


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["Ban", "chấp", "BộChính", "1", "2a", "_", "x", " ", "  ", "\n", "-", "/", ".", "KL/TW",
                                 "ộ", "e\u0301", "\u0663", "ǅ"]), max_size=8).map("".join), st.integers(0, 30))
@example("x 1/2", 1)
def test_the_token_after_a_place_is_the_tokenizers(text, end):
    """`component._token_after` reads a word's token from its run of word characters: the
    token `token_spans` makes there."""
    from kg.component import _token_after
    from kg.tokenizer import token_spans
    end = min(end, len(text))
    lower = text.lower()
    if len(lower) != len(text):
        return
    at = end + 1 if end < len(text) and text[end] == " " else end
    if at >= len(text) or text[at].isspace():
        plain = None
    else:
        a, b = next(token_spans(text, at))
        plain = lower[a:b]
    assert _token_after(text, lower, end) == plain


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab .;:\n()^", max_size=20), st.sampled_from([".;:\n", ").;\n"]))
def test_breaks_looked_for_mark_by_mark_are_the_character_loop(words, marks):
    from kg.parse import _breaks_in
    assert _breaks_in(words, marks) == any(ch in marks for ch in words)
