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


def _pages(bodies: list[str], header: str | None = None) -> str:
    """A text layer of pages joined by form feeds, each opening with ``header`` when given."""
    return "\f".join(((header + "\n") if header else "") + body for body in bodies)


def test_a_line_at_page_edges_far_apart_is_text_and_a_header_on_nearby_pages_is_noise():
    """A running header recurs on nearby pages; a sentence that opens two pages far apart (two
    sections of a long PDF, two copies of a document) is text, and its citations are found."""
    import kg
    filler = ("Chi bộ đã quán triệt, triển khai đầy đủ các nội dung công tác dân vận trong năm qua.\n" * 40)
    repeated = "Thực hiện Kết luận số 01-KL/TW, ngày 18/5/2021 của Bộ Chính trị về học tập.\n"
    bodies = [filler] * 12
    bodies[1] = repeated + filler
    bodies[9] = repeated + filler
    text = _pages(bodies, header="Báo cáo sơ kết - Trang #")
    ex = kg.extract(text)
    assert sum(c.text.startswith("Kết luận số 01-KL/TW") for c in ex.citations) == 2
    norm = normalise(text).norm
    assert norm.count("Báo cáo sơ kết") == 1 and norm.count("01-KL/TW") == 2  # (the first page's header is no break's)
    # the same sentence on two nearby pages runs along them: a header's place, dropped as before
    bodies[9], bodies[2] = filler, repeated + filler
    assert normalise(_pages(bodies)).norm.count("01-KL/TW") == 0
