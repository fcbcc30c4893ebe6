import unicodedata

from kg.normalise import canonical, fold, normalise


def test_nfd_text_maps_back_to_original_offsets():
    original = unicodedata.normalize("NFD", "Kết luận số 01-KL/TW của Bộ Chính trị")
    nt = normalise(original)
    assert nt.norm == "Kết luận số 01-KL/TW của Bộ Chính trị"
    i = nt.norm.index("01-KL/TW")
    s, e = nt.span(i, i + len("01-KL/TW"))
    assert original[s:e] == "01-KL/TW"
    j = nt.norm.index("Bộ Chính trị")
    s, e = nt.span(j, j + len("Bộ Chính trị"))
    assert unicodedata.normalize("NFC", original[s:e]) == "Bộ Chính trị"
    assert nt.to_norm(s) == j


def test_folding_keeps_length_and_unifies_variants():
    raw = "Quyết định 99-QÐ/TW\u00a0ngày 03\u201310\u20132017 của Thành uỷ khoá XII, hoà bình"
    out = fold(raw)
    assert len(out) == len(raw)
    assert "99-QĐ/TW ngày 03-10-2017" in out
    assert "Thành ủy khóa XII, hòa bình" in out


def test_tone_folding_leaves_closed_syllables_and_qu_alone():
    assert fold("hoàng quý thuỷ") == "hoàng quý thủy"
    assert canonical("  Ban  Thường vụ\nTỉnh uỷ ") == "Ban Thường vụ Tỉnh ủy"
