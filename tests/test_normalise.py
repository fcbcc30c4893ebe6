import pytest
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
    assert norm.count("Báo cáo sơ kết") == 0 and norm.count("01-KL/TW") == 2  # the first page's header too (an edge)
    # the same sentence on two nearby pages runs along them: a header's place, dropped as before
    bodies[9], bodies[2] = filler, repeated + filler
    assert normalise(_pages(bodies)).norm.count("01-KL/TW") == 0


_WIDE = "Chi bộ đã quán triệt, triển khai đầy đủ các nội dung công tác dân vận trong năm qua và\n"


def _doc(ex, symbol):
    return next(d for d in ex.documents if d.symbol == symbol)


def test_a_number_alone_on_a_line_is_the_date_s_when_the_line_before_calls_for_it():
    """A text layer may leave a date's day alone on a line ("ngày⏎24⏎tháng 11"): it is not a
    page number. After "năm" with the year on the next line, the lone number is the page's."""
    import kg
    text = _WIDE * 3 + "Căn cứ Báo cáo thẩm tra số 163/BC-KTNS ngày\n24\ntháng 11 năm 2025 của Ban Kinh tế - Ngân sách.\n" + _WIDE * 3
    assert _doc(kg.extract(text), "163/BC-KTNS").date == "2025-11-24"
    paged = _WIDE * 3 + "thực hiện Chỉ thị số 05-CT/TW, ngày 15/5/2016 của Bộ Chính trị trong năm\n2\n2024 và những năm tiếp theo.\n"
    assert " 2 2024" not in normalise(paged).norm and "năm 2024" in normalise(paged).norm


def test_a_sentence_opener_after_a_title_line_starts_a_sentence():
    """A title or heading that stops without punctuation is followed by a new sentence when the
    next line opens with "Thực hiện", "Ngày 06/7/2022, …": the date and the relation of that
    sentence are its own."""
    import kg
    text = (_WIDE * 3 + "Quy định về kỷ luật tổ chức đảng, đảng viên vi phạm trong công tác dân vận\n"
            "Ngày 06/7/2022, Bộ Chính trị ban hành Quy định số 69-QĐ/TW về kỷ luật tổ chức đảng.\n")
    assert _doc(kg.extract(text), "69-QĐ/TW").date == "2022-07-06"
    norm = normalise(_WIDE + "về đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh\nThực hiện Hướng dẫn số 19-HD/ĐUK\n").norm
    assert "Hồ Chí Minh\nThực hiện" in norm


def test_an_article_or_a_programme_on_the_next_line_can_go_on_a_sentence():
    """"Điều 1" after "bởi", "tại" … is the article the sentence names, not a heading; "Chương
    trình hành động" is a programme, not a chapter ("Chương II" is)."""
    import kg
    text = (_WIDE * 2 + "Căn cứ khoản 1 Điều 101 Nghị định 15/2020/NĐ-CP được sửa đổi, bổ sung bởi\n"
            "Điều 1 Nghị định 14/2022/NĐ-CP quy định như sau:\n")
    ex = kg.extract(text)
    assert any(r.predicate == "amends" for r in ex.relations)
    norm = normalise(_WIDE + "Chi bộ ban hành Kế hoạch số 03-KH/CBDV, ngày 10/02/2023 về thực hiện\n"
                     "Chương trình hành động số 17-CTr/ĐUK, ngày 30/01/2023.\nChương II\nĐiều 1. Phạm vi\n").norm
    assert "về thực hiện Chương trình" in norm and "\nChương II\nĐiều 1. Phạm vi" in norm


def test_a_symbol_or_a_range_broken_at_its_hyphen_is_whole_again():
    """A text layer breaks "18-NQ/TW", "12/NĐ-CP", "2020-2025" after the hyphen: joined with
    nothing, so a name that holds a symbol reads it whole; offsets still point into the text.
    Between lower-case words ("Bà Rịa-⏎Vũng Tàu") the break stays a space."""
    text = ("Ban Chỉ đạo về tổng kết thực hiện Nghị quyết 18-\nNQ/TW năm 2017 và Nghị định số 12/NĐ-\nCP, "
            "giai đoạn 2020-\n2025, tỉnh Bà Rịa-\nVũng Tàu")
    nt = normalise(text)
    assert "Nghị quyết 18-NQ/TW năm" in nt.norm and "12/NĐ-CP," in nt.norm and "2020-2025," in nt.norm
    assert "Bà Rịa- Vũng Tàu" in nt.norm
    i = nt.norm.index("18-NQ/TW")
    s, e = nt.span(i, i + len("18-NQ/TW"))
    assert text[s:e] == "18-\nNQ/TW"


def test_list_items_that_open_pages_are_text_and_a_numbered_footer_is_noise():
    """A list of decisions whose items open consecutive pages ("7. Quyết định số 111/1999/QĐ-UB
    ngày 19 …", "8. Quyết định số 141/1999/QĐ-UB …") differ in their numbers: they are text, not
    a running line. A footer that differs only in its page number ("Trang 3/12") is one."""
    import kg
    filler = "Chi bộ đã quán triệt, triển khai đầy đủ các nội dung công tác dân vận trong năm qua.\n" * 30
    items = [f"{i}. Quyết định số {100 + 7 * i}/{1990 + i}/QĐ-UB ngày {i + 1} tháng 5 năm {1990 + i} của Ủy ban nhân\n"
             "dân tỉnh Bình Phước về việc thành lập Ban chỉ đạo.\n" for i in range(1, 9)]  # lines as a PDF wraps them
    pages = [item + filler + f"Báo cáo rà soát văn bản - Trang {n}/8\n" for n, item in enumerate(items, 1)]
    text = "\f".join(pages)
    norm = normalise(text).norm
    assert norm.count("Trang") == 0  # the last page's too: the text's end is a page's edge
    ex = kg.extract(text)
    assert len([d for d in ex.documents if d.symbol.endswith("/QĐ-UB")]) == 8


def test_a_type_word_in_capitals_is_not_joined_to_the_trich_yeu_under_it():
    """A text layer without blank lines puts the title's type word in capitals right over its
    trích yếu, which opens in lower case: two lines of a title, not one sentence."""
    import kg
    text = ("BÁO CÁO\nsơ kết 02 năm thực hiện Kết luận số 21-KL/TW, ngày 25/10/2021 của Ban Chấp hành Trung ương\n"
            "về đẩy mạnh xây dựng, chỉnh đốn Đảng\nThực hiện Hướng dẫn số 07-HD/ĐUK, ngày 12/3/2023 của Ban Thường vụ"
            " Đảng ủy Khối, Chi bộ báo cáo kết quả như sau:\nI. KẾT QUẢ\nChi bộ đã quán triệt đến toàn thể đảng viên.\n")
    assert normalise(text).norm.startswith("BÁO CÁO\nsơ kết 02 năm")
    ex = kg.extract(text)
    sym = {d.id: d.symbol for d in ex.documents}
    own = ex.source_document.id
    assert (own, "reviews", "21-KL/TW") in {(r.subject, r.predicate, sym[r.object]) for r in ex.relations}
    assert normalise("của Hướng dẫn số 56-HD/VPTW\nngày 27/10/2015").norm.endswith("HD/VPTW ngày 27/10/2015")


@pytest.mark.parametrize("br", ["\r\n", "\n    "])
def test_an_article_named_after_bởi_stays_in_the_sentence_across_any_line_break(br):
    """"… được sửa đổi, bổ sung bởi⏎Điều 1 Nghị định …" names an article: with a CRLF break
    (pypdfium2) or an indented next line (pdftotext -layout) as with a bare one."""
    import kg
    text = f"Khoản 2 Điều 7 Nghị định số 30/2020/NĐ-CP được sửa đổi, bổ sung bởi{br}Điều 1 Nghị định số 78/2022/NĐ-CP."
    assert "bởi Điều 1 Nghị định" in normalise(text).norm
    ex = kg.extract(text)
    sym = {d.id: d.symbol for d in ex.documents}
    assert {(sym[r.subject], r.predicate, sym[r.object]) for r in ex.relations} == {
        ("78/2022/NĐ-CP", "amends", "30/2020/NĐ-CP")}
