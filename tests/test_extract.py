"""One short example of our own for each phenomenon of ../shared/DOMAIN.md."""
import unicodedata

import pytest

import kg


def docs(text):
    ex = kg.extract(text)
    for c in ex.citations:
        assert text[c.start:c.end] == c.text
    return {d.symbol: d for d in ex.documents}


def rels(text, own=False):
    """Relations as symbols; the text's own document is "SELF" (left out unless ``own``)."""
    ex = kg.extract(text)
    sym = {d.id: d.symbol for d in ex.documents} | {ex.source_document.id: "SELF"}
    out = {(sym[r.subject], r.predicate, sym[r.object]) for r in ex.relations}
    return out if own else {r for r in out if "SELF" not in r}


def test_type_word_decides_not_code():
    d = docs("Quy định số 37-QĐ/TW và Quyết định số 23-QĐ/TW của Bộ Chính trị.")
    assert d["37-QĐ/TW"].doc_type == "Quy định"
    assert d["23-QĐ/TW"].doc_type == "Quyết định"


def test_type_from_code_when_no_word():
    d = docs("theo tinh thần 05-CT/TW và 11-QĐi/TW")
    assert d["05-CT/TW"].doc_type == "Chỉ thị"
    assert d["11-QĐi/TW"].doc_type == "Quy định"


def test_upper_case_heading():
    d = docs("KẾT LUẬN SỐ 01-KL/TW NGÀY 18/5/2021 CỦA BỘ CHÍNH TRỊ")
    assert (d["01-KL/TW"].doc_type, d["01-KL/TW"].date, d["01-KL/TW"].issuer) == ("Kết luận", "2021-05-18", "Bộ Chính trị")


@pytest.mark.parametrize("tail,date", [
    (", ngày 18/5/2021 của Bộ Chính trị", "2021-05-18"),
    (" ngày 18/2/2019", "2019-02-18"),
    (" ngày 18-2-2019", "2019-02-18"),
    (", ngày 20 tháng 7 năm 2022", "2022-07-20"),
    (", ngày\n18/5/2021", "2021-05-18"),
    (" ngày 18/5/\n2021", "2021-05-18"),
    (" năm 2021", None),                    # the year of the work, not a date
    (" ngày 31/02/2021", None),             # not a calendar date
    (" ngày 01/01/1925", None),             # before the Party existed
])
def test_dates(tail, date):
    assert docs("Chỉ thị số 05-CT/TW" + tail)["05-CT/TW"].date == date


def test_meeting_date_is_not_the_documents():
    d = docs("Hội nghị tổ chức vào ngày 30/3/2023, Thường trực Thành ủy ban hành Thông báo số 1457-TB/TU, chỉ đạo giải quyết.")
    assert d["1457-TB/TU"].date is None
    assert d["1457-TB/TU"].issuer == "Thường trực Thành ủy"


def test_issuer_before_and_after():
    d = docs("Ban Thường vụ Tỉnh ủy đã ban hành Chỉ thị số 12-CT/TU về công tác dân vận. "
             "Kết luận số 14-KL/ĐU ngày 20/10/2016 của Ban Thường vụ Đảng ủy Khối các cơ quan thành phố về sinh hoạt.")
    assert d["12-CT/TU"].issuer == "Ban Thường vụ Tỉnh ủy"
    assert d["14-KL/ĐU"].issuer == "Ban Thường vụ Đảng ủy Khối các cơ quan thành phố"


def test_thi_uy_uses_code_tu_but_issuer_comes_from_words():
    d = docs("theo Chỉ thị 05-CT/TU, ngày 25/12/2020 của Ban Thường vụ Thị ủy.")
    assert d["05-CT/TU"].issuer == "Ban Thường vụ Thị ủy"


def test_two_bodies_make_the_issuer_ambiguous():
    d = docs("gắn với Quy định số 101-QĐ/TW, Quy định số 37-QĐ/TW của Bộ Chính trị, Ban Chấp hành Trung ương Đảng.")
    assert d["101-QĐ/TW"].issuer is None and d["37-QĐ/TW"].issuer is None


def test_list_shares_one_date_and_issuer():
    d = docs("tổng kết Quyết định số 217-QĐ/TW, Quyết định số 218-QĐ/TW, ngày 12/12/2013 của Bộ Chính trị.")
    for s in ("217-QĐ/TW", "218-QĐ/TW"):
        assert (d[s].date, d[s].issuer) == ("2013-12-12", "Bộ Chính trị")


def test_list_member_dated_elsewhere_keeps_its_own_date():
    d = docs("Kết luận số 01-KL/TW, ngày 18/5/2021 của Bộ Chính trị về học tập. "
             "Thực hiện Kết luận số 01-KL/TW, Kết luận số 21-KL/TW, ngày 25/10/2021 của Ban Chấp hành Trung ương.")
    assert (d["01-KL/TW"].date, d["01-KL/TW"].issuer) == ("2021-05-18", "Bộ Chính trị")
    assert d["01-KL/TW"].conflicts == []
    assert d["21-KL/TW"].date == "2021-10-25"


def test_issuer_after_quoted_titles_closes_a_list():
    d = docs("tổng kết Chương trình 03-Ctr/TU ngày 28/6/2016 về “Tái cơ cấu kinh tế”; Chương trình số 06-Ctr/TU "
             "ngày 29/6/2016 về “Hạ tầng đô thị” và Chương trình số 08-Ctr/TU ngày 26/4/2016 về “Cải cách hành chính” "
             "của Thành uỷ khoá XVI.")
    assert {d[s].issuer for s in d} == {"Thành ủy"}
    assert d["08-Ctr/TU"].term == "XVI"


def test_short_forms_join_the_full_citation():
    ex = kg.extract("Nghị quyết số 18-NQ/TW, ngày 25/10/2017 của Ban Chấp hành Trung ương về tinh gọn. "
                    "Việc thực hiện Nghị quyết 18 còn chậm; Kết luận 01 chưa được cụ thể hóa.")
    assert [d.symbol for d in ex.documents] == ["18-NQ/TW"]
    assert ex.documents[0].mentions == 2
    assert [c.short_form for c in ex.citations] == [False, True]


def test_conflicting_dates_are_kept_not_merged():
    d = docs("Chỉ thị số 07-CT/TU, ngày 07/12/2021 về điểm nóng. Chỉ thị số 07-CT/TU, ngày 08/9/2021 "
             "của Ban Thường vụ Thành ủy về điểm nóng.")
    doc = d["07-CT/TU"]
    assert doc.date is None
    assert [(c.field, sorted(c.values)) for c in doc.conflicts] == [("date", ["2021-09-08", "2021-12-07"])]


def test_same_symbol_in_two_terms_is_two_documents():
    ex = kg.extract("Chỉ thị số 35-CT/TW, ngày 26/5/2014 của Bộ Chính trị về tiếp dân và "
                    "Chỉ thị số 35-CT/TW ngày 30/5/2019 của Bộ Chính trị về đại hội.")
    assert sorted(d.date for d in ex.documents) == ["2014-05-26", "2019-05-30"]
    assert len({d.id for d in ex.documents}) == 2


def test_undated_mention_joins_the_dated_one():
    ex = kg.extract("Kết luận số 01-KL/TW, ngày 18/5/2021 của Bộ Chính trị. Thực hiện Kết luận 01-KL/TW.")
    assert len(ex.documents) == 1 and ex.documents[0].mentions == 2
    assert ex.documents[0].id.endswith("01-KL-TW-2021")


def test_source_document_header_is_not_a_citation():
    ex = kg.extract("ĐẢNG ỦY KHỐI\n\nSố 41-HD/ĐUK\n\nHải Phòng, ngày 16 tháng 5 năm 2024\n\nHƯỚNG DẪN\n\n"
                    "Thực hiện Kết luận số 01-KL/TW, ngày 18/5/2021 của Bộ Chính trị.")
    assert ex.source_document.symbol == "41-HD/ĐUK"
    assert (ex.source_document.doc_type, ex.source_document.date) == ("Hướng dẫn", "2024-05-16")
    assert ex.source_document.issuer == "Đảng ủy Khối"
    assert [d.symbol for d in ex.documents] == ["01-KL/TW"]


def test_header_of_a_reproduced_document_further_down_stays_a_mention():
    ex = kg.extract("Tại Quy định số 97-QĐ/TW ngày 7/2/2023 của Bộ Chính trị có điểm mới.\n\nSố: 97-QĐ/TW\n\nQUY ĐỊNH\n")
    assert ex.source_document.symbol is None
    assert ex.documents[0].doc_type == "Quy định"


def test_state_citations():
    ex = kg.extract("Căn cứ Luật số 59/2020/QH14 và Nghị định số 15/2020/NĐ-CP của Chính phủ.")
    by = {d.symbol: d for d in ex.documents}
    assert by["15/2020/NĐ-CP"].system == "state"
    assert (by["15/2020/NĐ-CP"].doc_type, by["15/2020/NĐ-CP"].type_code, by["15/2020/NĐ-CP"].issuer_code) == ("Nghị định", "NĐ", "CP")
    assert by["59/2020/QH14"].doc_type == "Luật"


def test_text_pitfalls_nfd_d_with_stroke_dashes_nbsp():
    text = unicodedata.normalize("NFD", "Quyết định số 99\u2013QÐ/TW,\u00a0ngày 03/10/2017 của Ban Bí thư")
    d = docs(text)
    assert (d["99-QĐ/TW"].doc_type, d["99-QĐ/TW"].date, d["99-QĐ/TW"].issuer) == ("Quyết định", "2017-10-03", "Ban Bí thư")


def test_old_and_new_tone_marks_match_the_same_body():
    d = docs("Kết luận số 21-KL/TW của Ban Chấp hành Trung ương khoá XIII; Chỉ thị số 15-CT/TU của Ban Thường vụ Thành uỷ.")
    assert d["21-KL/TW"].issuer == "Ban Chấp hành Trung ương" and d["21-KL/TW"].term == "XIII"
    assert d["15-CT/TU"].issuer == "Ban Thường vụ Thành ủy"


@pytest.mark.parametrize("text,expected", [
    ("Kết luận số 01-KL/TW, ngày 18/5/2021 của Bộ Chính trị về tiếp tục thực hiện Chỉ thị số 05-CT/TW.",
     {("01-KL/TW", "implements", "05-CT/TW")}),
    ("Báo cáo số 22-BC/CBDV, ngày 27/3/2023 của Chi bộ sơ kết 02 năm thực hiện Kết luận số 01-KL/TW.",
     {("22-BC/CBDV", "reviews", "01-KL/TW")}),
    ("Kết luận số 215-KL/TW ngày 23/11/2025 về việc sửa đổi, bổ sung Quy định số 11-QĐi/TW.",
     {("215-KL/TW", "amends", "11-QĐi/TW")}),
    ("Quy định số 24-QĐ/TW thay thế Quy định số 29-QĐ/TW.", {("24-QĐ/TW", "replaces", "29-QĐ/TW")}),
    ("Hướng dẫn số 02-HD/TW hướng dẫn thực hiện Quy định số 24-QĐ/TW.", {("02-HD/TW", "guides", "24-QĐ/TW")}),
    ("Nghị quyết số 10-NQ/TU căn cứ Nghị quyết số 43-NQ/TW.", {("10-NQ/TU", "based_on", "43-NQ/TW")}),
    ("Công văn số 824-CV/TU, ngày 27/02/2023 về đẩy mạnh thực hiện Chỉ thị số 35-CT/TW, ngày 26/5/2014 "
     "của Bộ Chính trị về “Tiếp dân” và Quy định số 11-QĐi/TW.",
     {("824-CV/TU", "implements", "35-CT/TW"), ("824-CV/TU", "implements", "11-QĐi/TW")}),
    ("Kế hoạch số 04-KH/CBDV, ngày 08/3/2023 của Chi bộ về thực hiện Chuyên đề năm 2023; sơ kết 2 năm "
     "thực hiện Kết luận 01-KL/TW.", {("04-KH/CBDV", "reviews", "01-KL/TW")}),
])
def test_relations(text, expected):
    assert rels(text) == expected


@pytest.mark.parametrize("text", [
    "tổng kết 10 năm thực hiện Quyết định số 217-QĐ/TW, Quyết định số 218-QĐ/TW, ngày 12/12/2013 của Bộ Chính trị.",
    "Thực hiện Hướng dẫn số 19-HD/ĐUK, ngày 26/02/2024 của Ban Thường vụ Đảng ủy Khối về thực hiện Chuyên đề, "
    "sơ kết 03 năm thực hiện Kết luận 01-KL/TW của Bộ Chính trị.",
    "Triển khai thực hiện Quyết định số 23-QĐ/TW, ngày 30/7/2021 của Bộ Chính trị về việc ban hành Quy chế; "
    "Quyết định 446-QĐ/TU, ngày 26/11/2021 của Ban Thường vụ Thành ủy về ban hành Quy chế.",
    "Thông tri số 08-TT/TU thực hiện Chỉ thị số 18-CT/TW về “Giám sát”; Quyết định số 446-QĐ/TU về dân vận.",
    "Thực hiện Kết luận số 01-KL/TW. Chỉ thị số 05-CT/TW được ban hành.",
])
def test_no_relation_where_the_text_states_none(text):
    sym_pairs = rels(text)
    assert not {(a, b) for a, _, b in sym_pairs} - {("08-TT/TU", "18-CT/TW")}


@pytest.mark.parametrize("text", [
    "Điện thoại: 0225.3842.123 - 0912-345-678. Fax 0225 3842 124.",
    "nhiệm kỳ 2020 - 2025, tăng 7,3 – 7,8%/năm; dịch vụ 63,8 – 64,2%.",
    "Điều 1. Khoản 2, Điều 3. Trang 3/12. Trang 4",
    "Nghị quyết Trung ương 4 khóa XII về xây dựng Đảng; các nghị quyết, chỉ thị của Đảng.",
    "Báo cáo số 06 ngày 18/3/2021 của chi bộ.",  # a number without a symbol names no cited document here
    "",
    "số số số số số 01- - - - /",
])
def test_nothing_is_found_in(text):
    assert kg.extract(text).documents == []


def test_hostile_inputs_do_not_break_the_extractor():
    for text in ["1-" * 5000, "số " * 5000, "“" * 10000, "9" * 20000 + "-KL/TW", "ngày " * 3000 + "1/1/2020",
                 "Kết luận số 01-KL/TW" + " của" * 3000, "\u0301" * 1000 + "01-KL/TW", "\x00\ufeff\ud7ff"]:
        ex = kg.extract(text)
        for c in ex.citations:
            assert text[c.start:c.end] == c.text


def test_plenum_as_issuer_and_term_in_parentheses():
    d = docs("Nghị quyết số 18-NQ/TW ngày 25-10-2017 của Hội nghị lần thứ sáu Ban Chấp hành Trung ương Đảng khóa XII. "
             "Kết luận số 12-KL/TW, ngày 01/7/2021 của Bộ Chính trị (khóa XIII).")
    assert (d["18-NQ/TW"].date, d["18-NQ/TW"].issuer, d["18-NQ/TW"].term) == ("2017-10-25", "Ban Chấp hành Trung ương Đảng", "XII")
    assert d["12-KL/TW"].term == "XIII"


def test_qualified_type_words():
    d = docs("Quy chế phối hợp số 05-QC/BDVTU-UBKTTU và Kế hoạch liên tịch số 12-KH/ĐUK.")
    assert d["05-QC/BDVTU-UBKTTU"].doc_type == "Quy chế" and d["12-KH/ĐUK"].doc_type == "Kế hoạch"


def test_a_sentence_that_opens_with_the_date_of_issue():
    d = docs("Ngày 12/12/2013, Bộ Chính trị ban hành Quyết định số 217-QĐ/TW về quy chế giám sát. "
             "Hội nghị tổ chức vào ngày 30/3/2023, Thường trực Thành ủy ban hành Thông báo số 1457-TB/TU.")
    assert (d["217-QĐ/TW"].date, d["217-QĐ/TW"].issuer) == ("2013-12-12", "Bộ Chính trị")
    assert d["1457-TB/TU"].date is None


def test_plenum_named_as_hoi_nghi_trung_uong_and_thong_bao_ket_luan():
    d = docs("Nghị quyết 19-NQ/TW ngày 25/10/2017 của Hội nghị Trung ương 6 khóa XII. "
             "Theo Thông báo kết luận số 123-TB/TW ngày 1/2/2023 của Bộ Chính trị.")
    assert (d["19-NQ/TW"].issuer, d["19-NQ/TW"].term) == ("Ban Chấp hành Trung ương", "XII")
    assert d["123-TB/TW"].doc_type == "Thông báo kết luận"


def test_a_cue_that_opens_the_sentence_names_the_document_issued_later():
    assert rels("Để triển khai thực hiện Kết luận số 01-KL/TW, Ban Thường vụ Tỉnh ủy ban hành Kế hoạch số 50-KH/TU "
                "ngày 2/8/2021.") == {("50-KH/TU", "implements", "01-KL/TW")}
    assert rels("Thực hiện Hướng dẫn số 19-HD/ĐUK, Kế hoạch số 05-KH/CBDV của Chi bộ, Chi bộ báo cáo như sau.") == set()
