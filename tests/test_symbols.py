"""Symbols and issuers as unseen texts write them (issue 19 §3, issue 20 items 15 and 26).
Every sentence here is written for the test; none is taken from a devset."""
import pytest

import kg
from kg import find


def docs(text):
    ex = kg.extract(text)
    for c in ex.citations:
        assert text[c.start:c.end] == c.text
    return {d.symbol: d for d in ex.documents}


def found(text):
    return [find.symbol_text(s) for s in find.symbols(text)]


# --- symbols -----------------------------------------------------------------------------------

@pytest.mark.parametrize("text, symbol", [
    ("Kế hoạch số 42/KH- UBND ngày 3/3/2024 của UBND huyện.", "42/KH-UBND"),
    ("Nghị định số 88/2019/NĐ -CP về xử phạt.", "88/2019/NĐ-CP"),
    ("Số: 07 /2023/TT-BTC", "07/2023/TT-BTC"),
    ("Nghị quyết số 11/2024/NQ- HĐND của HĐND tỉnh.", "11/2024/NQ-HĐND"),
])
def test_spaces_a_typist_left_inside_a_state_symbol(text, symbol):
    assert found(text) == [symbol]


def test_a_spaced_dash_between_sentences_joins_nothing():
    assert found("theo Nghị định 15/2020/NĐ-CP - UBND tỉnh đã triển khai") == ["15/2020/NĐ-CP"]


def test_five_digit_numbers_suffixes_and_the_generic_word_for_a_letter():
    d = docs("Văn phòng Trung ương Đảng có Văn bản số 20417-CV/VPTW ngày 02/3/2024 và Văn bản số "
             "311-CV/VPTW/nb ngày 4/4/2019 về chế độ chi.")
    assert d["20417-CV/VPTW"].doc_type == "Công văn"
    assert d["20417-CV/VPTW"].issuer == "Văn phòng Trung ương Đảng"
    assert d["311-CV/VPTW"].doc_type == "Công văn" and d["311-CV/VPTW"].date == "2019-04-04"


def test_a_state_issuer_code_in_capitals_takes_the_tables_spelling():
    assert found("Quyết định số 77/QĐ-TTG ngày 1/2/2022") == ["77/QĐ-TTg"]


@pytest.mark.parametrize("text, symbol", [
    ("Năm 1947, Chủ tịch Chính phủ ký Sắc lệnh số 71/SL về quân đội.", "71/SL"),
    ("Thủ tướng ra Nghị định 312/TTg về biên chế.", "312/TTg"),
    ("Hội đồng Chính phủ ban hành Quyết định số 88/CP ngày 5/6/1970.", "88/CP"),
    ("Theo Quyết định số 21/QĐ-77 ngày 2 tháng 5 năm 1977, tỉnh được chia.", "21/QĐ-77"),
    ("Nghị định số 7/NQ/1977 về việc điều chỉnh địa giới.", "7/NQ/1977"),
    ("Bộ Nội vụ ban hành Nghị định số 412BNV/HC/NĐ về quận mới.", "412BNV/HC/NĐ"),
    ("Giấy phép số 310/NC cho phép thành lập hội.", "310/NC"),
])
def test_old_state_symbols_after_a_type_word(text, symbol):
    assert found(text) == [symbol]


@pytest.mark.parametrize("text", [
    "Tỷ lệ đạt 312/TTg trong bảng.",
    "xem mục 71/SL và 88/CP ở phụ lục",
    "mã 21/QĐ-77 trên phiếu",
    "ô 7/NQ/1977 của bảng kê",
])
def test_old_shapes_alone_are_no_citation(text):
    assert found(text) == []


def test_old_symbols_resolve_with_type_date_and_issuer():
    d = docs("Ngày 12 tháng 3 năm 1962, Hội đồng Chính phủ ra Quyết định số 47/CP về thành lập trường; "
             "Sắc lệnh số 71/SL ngày 22/5/1950 về quân hàm.")
    assert (d["47/CP"].doc_type, d["47/CP"].issuer, d["47/CP"].date) == ("Quyết định", "Hội đồng Chính phủ", "1962-03-12")
    assert (d["71/SL"].doc_type, d["71/SL"].date) == ("Sắc lệnh", "1950-05-22")


@pytest.mark.parametrize("spoof", ["０２-KL/TW", "𝟎𝟐-KL/TW", "٠٢-KL/TW", "۰۲-KL/TW"])
def test_look_alike_digits_fold_to_ascii_with_a_warning(spoof):
    text = f"Thực hiện Kết luận số {spoof} ngày 5/6/2021 của Ban Bí thư và Kết luận số 02-KL/TW."
    ex = kg.extract(text)
    assert [d.symbol for d in ex.documents] == ["02-KL/TW"]
    assert any("look-alike" in w and "02-KL/TW" in w for w in ex.warnings)
    assert [c.text for c in ex.citations][0] == text[ex.citations[0].start:ex.citations[0].end]


def test_look_alike_letters_read_as_latin_and_the_document_keeps_the_normal_symbol():
    text = "Bộ Tài chính hướng dẫn tại văn bản số 5521/BТС-QLCS (Cyrillic) và văn bản số 5521/BTC-QLCS."
    ex = kg.extract(text)
    assert [d.symbol for d in ex.documents] == ["5521/BTC-QLCS"]
    assert any("CYRILLIC" in w for w in ex.warnings)
    from kg.rdf import extraction_nquads  # the RDF names the document by the normal symbol only
    quads = extraction_nquads(ex).decode()
    local = [q for q in quads.splitlines() if "eli/ontology#id_local" in q]
    assert local and all('"5521/BTC-QLCS"' in q for q in local)


def test_ascii_text_has_no_look_alike_warning():
    ex = kg.extract("Kết luận số 02-KL/TW ngày 5/6/2021 của Ban Bí thư.")
    assert not any("look-alike" in w for w in ex.warnings)


# --- types -------------------------------------------------------------------------------------

def test_a_generic_word_or_a_codeless_type_yields_to_the_code():
    d = docs("Xét báo cáo của Sở Tài chính tại văn bản số 310/BC-STC ngày 2/3/2025; theo chỉ đạo tại văn bản "
             "số 77-KL/TW; theo quyết định Quy hoạch số 90/QĐ-TTg của Thủ tướng Chính phủ.")
    assert d["310/BC-STC"].doc_type == "Báo cáo"
    assert d["77-KL/TW"].doc_type == "Kết luận"
    assert d["90/QĐ-TTg"].doc_type == "Quyết định"


# --- issuers -----------------------------------------------------------------------------------

def test_an_issuer_named_in_a_list_heading_covers_every_item():
    d = docs("(2) Các văn bản của Ban Tổ chức Trung ương: Hướng dẫn số 12-HD/BTCTW ngày 1/2/2022 hướng dẫn một số "
             "vấn đề; Công văn số 3301-CV/BTCTW ngày 5/5/2023 bổ sung chế độ; Công văn số 3502-CV/BTCTW "
             "ngày 9/9/2023 hướng dẫn kinh phí.")
    assert {s: x.issuer for s, x in d.items()} == {s: "Ban Tổ chức Trung ương" for s in d}
    assert len(d) == 3


def test_an_officials_title_names_the_ministry():
    d = docs("Thông tư số 12/2024/TT-BYT ngày 3/4/2024 của Bộ trưởng Bộ Y tế quy định chi tiết.")
    assert d["12/2024/TT-BYT"].issuer == "Bộ Y tế"


@pytest.mark.parametrize("text, symbol, issuer", [
    ("Năm 1965, Quân ủy Trung ương ra Nghị quyết số 88-NQ/QUTW về xây dựng lực lượng.", "88-NQ/QUTW", "Quân ủy Trung ương"),
    ("Ngày 4/5/1957, Tổng quân ủy đã ra Chỉ thị số 31/CT-TQU về huấn luyện.", "31/CT-TQU", "Tổng quân ủy"),
    ("Đảng ủy Công an Trung ương ban hành Nghị quyết số 12-NQ/ĐUCA về công tác cán bộ.", "12-NQ/ĐUCA", "Đảng ủy Công an Trung ương"),
    ("Đảng ủy Chính phủ có Báo cáo số 44-BC/ĐU ngày 2/6/2025 về phân cấp.", "44-BC/ĐU", "Đảng ủy Chính phủ"),
    ("Kết luận số 19-KL/BCĐ ngày 4/3/2025 của Ban Chỉ đạo Trung ương về phòng, chống tham nhũng, lãng phí, tiêu cực.",
     "19-KL/BCĐ", "Ban Chỉ đạo Trung ương về phòng, chống tham nhũng, lãng phí, tiêu cực"),
    ("Bộ Tổng Tham mưu ban hành Công văn số 215/BTTM về tổ chức.", "215/BTTM", "Bộ Tổng Tham mưu"),
])
def test_bodies_the_tables_lacked(text, symbol, issuer):
    assert docs(text)[symbol].issuer == issuer


@pytest.mark.parametrize("text, symbol, issuer", [
    ("Ủy ban nhân dân Thành phố ban hành Kế hoạch số 77/KH-UBND ngày 2/2/2025.", "77/KH-UBND", "Ủy ban nhân dân Thành phố"),
    ("Nghị quyết số 08/2023/NQ-HĐND ngày 7/7/2023 của Hội đồng nhân dân tỉnh Lâm Đồng.", "08/2023/NQ-HĐND",
     "Hội đồng nhân dân tỉnh Lâm Đồng"),
    ("Ngày 9/9/2025, UBND tỉnh Cà Mau đã ban hành Kế hoạch 211/KH-UBND về chuyển đổi số.", "211/KH-UBND", "UBND tỉnh Cà Mau"),
])
def test_the_level_and_place_are_kept(text, symbol, issuer):
    assert docs(text)[symbol].issuer == issuer


@pytest.mark.parametrize("text, symbol, issuer", [
    ("Ngày 2/9/1980, Bộ Chính trị lại ra Nghị quyết số 31-NQ/TW về biên giới.", "31-NQ/TW", "Bộ Chính trị"),
    ("Năm 2019, Ban Bí thư thông qua Kết luận số 60-KL/TW về báo chí.", "60-KL/TW", "Ban Bí thư"),
    ("Ban Bí thư Trung ương Đảng (khóa X) đã ban hành Chỉ thị số 27-CT/TW về nghi lễ.", "27-CT/TW", "Ban Bí thư Trung ương Đảng"),
    ("Bộ Chính trị Ban Chấp hành Trung ương Đảng ra Nghị quyết số 09/NQ-TW về quốc phòng.", "09-NQ/TW", "Bộ Chính trị"),
    ("Ủy ban Trung ương Mặt trận Tổ quốc Việt Nam (UBTWMTTQVN) ra Quyết định số 210 -QĐ/MTTQ công nhận hội.",
     "210-QĐ/MTTQ", "Ủy ban Trung ương Mặt trận Tổ quốc Việt Nam"),
    ("Ngày 3/1/1959, Bộ Tài chính Việt Nam Cộng hòa ban hành Nghị định số 14-BTC/NV/NĐ[8] về thuế.", "14-BTC/NV/NĐ", "Bộ Tài chính"),
])
def test_a_body_that_issued_with_its_place_term_or_abbreviation_between(text, symbol, issuer):
    assert docs(text)[symbol].issuer == issuer


def test_a_report_named_before_its_bracketed_symbol():
    d = docs("Sau khi nghe Báo cáo của Ban Dân vận Trung ương về kết quả công tác dân vận năm 2024 theo tinh thần "
             "Nghị quyết Trung ương 7 khóa XI (Báo cáo số 210-BC/BDVTW, ngày 3/1/2025); Nghị quyết của Bộ Chính trị về "
             "phát triển y tế (Nghị quyết số 80-NQ/TW).")
    assert d["210-BC/BDVTW"].issuer == "Ban Dân vận Trung ương"
    assert d["80-NQ/TW"].issuer == "Bộ Chính trị"


def test_a_body_before_tai_belongs_to_the_next_citation():
    d = docs("Căn cứ chỉ đạo của Bộ Chính trị tại thông báo số 45-TB/TW ngày 2/3/2025, của Ban Bí thư tại văn bản "
             "số 160-KL/TW ngày 2/3/2025.")
    assert d["45-TB/TW"].issuer == "Bộ Chính trị"
    assert d["160-KL/TW"].issuer == "Ban Bí thư"


@pytest.mark.parametrize("text", [
    "Ban Tuyên giáo Tỉnh ủy và Ủy ban Kiểm tra Tỉnh ủy ban hành Quy chế phối hợp số 07-QC/BTGTU-UBKTTU về kiểm tra.",
    "Năm 2022, Ban Tổ chức Thành ủy, Ban Dân vận Thành ủy đã ký Kế hoạch liên tịch số 15-KH/BTCTU-BDVTU.",
])
def test_two_bodies_named_together_leave_the_issuer_null(text):
    (d,) = docs(text).values()
    assert d.issuer is None


def test_a_date_after_the_issuer_and_footnote_marks():
    d = docs("Theo đề án số 120/ĐA-CP của Chính phủ ngày 14 tháng 3 năm 2025 về sắp xếp; Nghị định số "
             "31/2001/NĐ-CP,[12] ngày 6/6/2001 của Chính phủ; Nghị quyết 67- NQ/TW[4] của Bộ chính trị về đô thị.")
    assert d["120/ĐA-CP"].date == "2025-03-14"
    assert (d["31/2001/NĐ-CP"].date, d["31/2001/NĐ-CP"].issuer) == ("2001-06-06", "Chính phủ")
    assert d["67-NQ/TW"].issuer.lower() == "bộ chính trị"


def test_an_issuer_closing_separately_dated_items_of_its_own_code():
    d = docs("Kết luận số 14-KL/BCĐ ngày 2/2/2025 và Công văn số 33-CV/BCĐ ngày 5/3/2025 của Ban Chỉ đạo Trung ương "
             "về tổng kết; Kết luận số 01-KL/TW ngày 18/5/2021 và Chỉ thị số 05-CT/TU ngày 2/2/2022 của Ban Thường vụ Tỉnh ủy.")
    assert d["14-KL/BCĐ"].issuer == "Ban Chỉ đạo Trung ương"
    assert d["01-KL/TW"].issuer is None  # another code: not the closing body's


def test_do_body_ban_hanh_after_a_nested_title_is_the_outer_ones():
    d = docs("Quyết định 410/QĐ-TTg về kế hoạch thực hiện Nghị quyết 13-NQ/TW về phát triển vùng Đông Nam Bộ "
             "do Thủ tướng Chính phủ ban hành.")
    assert d["13-NQ/TW"].issuer is None


def test_a_title_ends_before_a_passive_relation_cue():
    d = docs("Quy định số 22-QĐ/TU ngày 2/3/2020 của Ban Thường vụ Tỉnh ủy về trách nhiệm nêu gương được sửa đổi, "
             "bổ sung bởi Quy định số 40-QĐ/TU.")
    assert d["22-QĐ/TU"].title == "trách nhiệm nêu gương"


def test_a_second_act_of_the_body_named_before_the_first():
    d = docs("Ngày 3 tháng 4 năm 1970, Bộ Nội vụ ra Quyết định số 55/QĐ-NV thành lập trường và ra Quyết định "
             "số 56/QĐ-NV thành lập Cục Cảnh sát.")
    assert (d["56/QĐ-NV"].issuer, d["56/QĐ-NV"].date) == ("Bộ Nội vụ", "1970-04-03")


def test_a_list_member_named_by_so_alone_takes_the_type_word_and_body_before():
    d = docs("theo hướng dẫn của Bộ Xây dựng tại văn bản số 8812/BXD-QLN ngày 2/10/2025, số 7710/BXD-QLN ngày 1/9/2025.")
    assert (d["7710/BXD-QLN"].doc_type, d["7710/BXD-QLN"].issuer) == ("Công văn", "Bộ Xây dựng")


def test_a_body_that_passed_a_document_named_before_its_bracketed_symbol():
    d = docs("Ngày 20 tháng 11 năm 2024, Quốc hội thông qua Luật Địa chất và khoáng sản (Luật số 54/2024/QH15) gồm 12 chương.")
    assert d["54/2024/QH15"].issuer == "Quốc hội"


def test_a_party_committee_of_a_state_body():
    d = docs("Ngày 2/10/2025, Đảng ủy Sở Y tế tỉnh Hà Tĩnh ban hành Công văn 71-CV/ĐU về phòng dịch.")
    assert d["71-CV/ĐU"].issuer.startswith("Đảng ủy Sở Y tế")


def test_two_officials_titles():
    d = docs("Thông tư số 05/2020/TT-VPCP ngày 1/6/2020 của Bộ trưởng, Chủ nhiệm Văn phòng Chính phủ hướng dẫn.")
    assert d["05/2020/TT-VPCP"].issuer == "Văn phòng Chính phủ"


# --- issue 19, pool audit round 2: types, dates and issuers the words around a citation give ----

def test_the_word_cong_van_decides_over_the_code_in_its_symbol():
    d = docs("Sở Y tế đã có Công văn 512/QĐ-SYT năm 2024 về tiêm chủng; Văn phòng Chính phủ gửi "
             "Công văn 88/TTg-KGVX về phòng dịch và Quy hoạch số 41/QĐ-TTg về vùng.")
    assert d["512/QĐ-SYT"].doc_type == "Công văn"
    assert d["88/TTg-KGVX"].doc_type == "Công văn"
    assert d["41/QĐ-TTg"].doc_type == "Quyết định"   # a plan is issued under its decision's symbol


def test_a_letter_symbol_without_a_type_word_names_no_type():
    # number/issuer-unit: "TTg" is the Prime Minister, not the "TT" of a Thông tư
    assert docs("Thực hiện văn bản chỉ đạo 3021/TTg-NN của Thủ tướng.")["3021/TTg-NN"].doc_type != "Thông tư"


def test_cong_dien_is_a_type():
    d = docs("Thủ tướng Chính phủ vừa ký Công điện số 77/CĐ-TTg ngày 02/8/2024 về ứng phó bão.")
    assert d["77/CĐ-TTg"].doc_type == "Công điện"
    assert d["77/CĐ-TTg"].issuer == "Thủ tướng Chính phủ"


def test_emphasis_between_the_symbol_and_its_date():
    d = docs("Theo **Chỉ thị số 09-CT/TU** ngày 14/3/2022 và *Kết luận số 12-KL/TU*, ngày 5/5/2023 của Ban Thường vụ Tỉnh ủy.")
    assert d["09-CT/TU"].date == "2022-03-14"
    assert d["12-KL/TU"].date == "2023-05-05"


@pytest.mark.parametrize("text, symbol, issuer", [
    ("Tại Quyết định số 640/QĐ-TTg ngày 2/6/2019, Thủ tướng Chính phủ đã phê duyệt đề án.", "640/QĐ-TTg",
     "Thủ tướng Chính phủ"),
    ("Cũng tại Nghị quyết số 30/NQ-CP, Chính phủ giao các bộ rà soát.", "30/NQ-CP", "Chính phủ"),
])
def test_the_body_acting_in_a_document_cited_with_tai_is_its_issuer(text, symbol, issuer):
    assert docs(text)[symbol].issuer == issuer


def test_a_body_carrying_a_document_out_is_not_its_issuer():
    d = docs("Thực hiện Quyết định số 640/QĐ-TTg, Ủy ban nhân dân tỉnh đã ban hành kế hoạch.")
    assert d["640/QĐ-TTg"].issuer is None


def test_issued_by_in_the_passive_and_a_chief_auditors_title():
    d = docs("Kế hoạch kèm theo Quyết định 215/QĐ-UBND năm 2023 được ban hành bởi Ủy ban nhân dân tỉnh Nam Định; "
             "Quy chế kèm theo Quyết định 903/QĐ-KTNN của Tổng Kiểm toán nhà nước; Quyết định 11/QĐ-TTCP "
             "của Tổng Thanh tra Chính phủ.")
    assert d["215/QĐ-UBND"].issuer == "Ủy ban nhân dân tỉnh Nam Định"
    assert d["903/QĐ-KTNN"].issuer == "Kiểm toán nhà nước"
    assert d["11/QĐ-TTCP"].issuer == "Thanh tra Chính phủ"


def test_a_notice_conveys_another_bodys_words():
    d = docs("Văn phòng Chính phủ ban hành Thông báo 402/TB-VPCP. Tại Thông báo 402/TB-VPCP, Thủ tướng yêu cầu các bộ khẩn trương.")
    assert d["402/TB-VPCP"].issuer == "Văn phòng Chính phủ"


def test_an_action_plan_and_a_body_that_opens_the_main_clause():
    ex = kg.extract("Thực hiện Kế hoạch hành động số 41-KH/TU ngày 2/5/2025 của Ban Thường vụ Tỉnh ủy; Kế hoạch số "
                    "09-KH/BCĐTW ngày 1/6/2025 của Ban Chỉ đạo Trung ương, Ủy ban nhân dân tỉnh ban hành Kế hoạch "
                    "chuyển đổi số như sau:")
    d = {x.symbol: x for x in ex.documents}
    assert d["41-KH/TU"].doc_type == "Kế hoạch"
    assert d["09-KH/BCĐTW"].issuer == "Ban Chỉ đạo Trung ương"
    assert {r.object.rsplit("/", 1)[-1] for r in ex.relations if r.predicate == "implements"} >= {"41-KH-TU-2025"}


def test_two_bodies_before_a_list_still_leave_the_issuer_null():
    d = docs("Căn cứ Hướng dẫn số 12-HD/BTCTW của Ban Tổ chức Trung ương, Ủy ban Kiểm tra Trung ương về công tác cán bộ.")
    assert d["12-HD/BTCTW"].issuer is None


# --- issue 19, pool audit round 3 ----------------------------------------------------------------

def test_the_place_after_a_local_council_symbol_names_its_issuer():
    d = docs("Mức thu theo Nghị quyết 41/NQ-HĐND tỉnh Lào Cai năm 2021 và Quyết định 12/QĐ-UBND huyện Bảo Thắng.")
    assert d["41/NQ-HĐND"].issuer == "Hội đồng nhân dân tỉnh Lào Cai"
    assert d["12/QĐ-UBND"].issuer == "Ủy ban nhân dân huyện Bảo Thắng"


def test_a_plenum_or_a_session_named_without_cua():
    d = docs("Nghị quyết số 07-NQ/TW ngày 4/2/2019 Hội nghị lần thứ chín (lần 2) Ban Chấp hành Trung ương khóa XII; "
             "Nghị quyết 88/NQ-CP phiên họp Chính phủ thường kỳ tháng 6 năm 2025.")
    assert d["07-NQ/TW"].issuer == "Ban Chấp hành Trung ương"
    assert d["88/NQ-CP"].issuer == "Chính phủ"


def test_a_plenum_that_names_the_last_item_closes_no_list():
    d = docs("Theo định hướng của Bộ Chính trị tại Kết luận 141-KL/TW ngày 2/4/2025 và Nghị quyết 61-NQ/TW "
             "Hội nghị lần thứ 12 Ban Chấp hành Trung ương Đảng khóa XIII, Chính phủ đã trình.")
    assert d["61-NQ/TW"].issuer == "Ban Chấp hành Trung ương Đảng"
    assert d["141-KL/TW"].issuer != "Ban Chấp hành Trung ương Đảng"


def test_a_document_inside_a_steering_committees_name_takes_no_issuer_from_it():
    d = docs("Ban Chỉ đạo về tổng kết thực hiện Nghị quyết 26-NQ/TW năm 2018 của Chính phủ ban hành hướng dẫn.")
    assert d["26-NQ/TW"].issuer is None


def test_a_bodys_duty_under_a_document_is_no_authorship():
    d = docs("Nhiệm vụ của Bộ Quốc phòng tại Nghị quyết 77/NQ-CP gồm bảo đảm an ninh. Theo đề nghị của Sở Nội vụ "
             "tại Tờ trình số 15/TTr-SNV; quan điểm của Ban Chỉ đạo Trung ương tại Kế hoạch 9/KH-BCĐTW.")
    assert d["77/NQ-CP"].issuer is None
    assert d["15/TTr-SNV"].issuer == "Sở Nội vụ"
    assert d["9/KH-BCĐTW"].issuer == "Ban Chỉ đạo Trung ương"


def test_the_date_of_an_issuing_clause_when_the_issuer_follows_the_symbol():
    d = docs("Ngày 10/6/2025, Chính phủ đã thông qua Nghị quyết 150/NQ-CP phiên họp Chính phủ thường kỳ tháng 5.")
    assert (d["150/NQ-CP"].date, d["150/NQ-CP"].issuer) == ("2025-06-10", "Chính phủ")


def test_a_state_symbol_without_its_year_is_one_document_a_year():
    ex = kg.extract("Giấy phép số 04/GP-UBND ngày 3/3/2013 của UBND tỉnh đã hết hạn; Giấy phép số 04/GP-UBND ngày "
                    "5/5/2019 của UBND tỉnh cấp mới; Nghị định số 15/2020/NĐ-CP ngày 3/2/2020.")
    ids = sorted(d.id.rsplit("/", 1)[-1] for d in ex.documents)
    assert ids == ["04-GP-UBND-2013", "04-GP-UBND-2019", "15-2020-ND-CP"]


# --- issue 19, pool audit round 4 ----------------------------------------------------------------

def test_a_body_named_with_the_body_it_belongs_to_before_the_verb():
    d = docs("Ngày 5/5/1997, Bộ Chính trị, Ban Chấp hành Trung ương Đảng đã ra Quyết định số 118-QĐNS/TW thành lập.")
    assert (d["118-QĐNS/TW"].issuer, d["118-QĐNS/TW"].date) == ("Bộ Chính trị", "1997-05-05")


def test_the_central_committee_named_short():
    d = docs("Theo Nghị quyết 57-NQ/TW ngày 22/12/2024 của Trung ương, tỉnh sẽ triển khai; "
             "Chỉ thị số 09-CT/TW của Trung ương Đoàn về công tác.")
    # "Trung ương" alone names no body: the Central Committee by its own name
    assert (d["57-NQ/TW"].issuer, d["57-NQ/TW"].issuer_id) == ("Ban Chấp hành Trung ương", "bch-tw")
    assert d["09-CT/TW"].issuer != "Ban Chấp hành Trung ương"


def test_a_signer_acting_for_a_body_and_an_approval_by_a_body():
    d = docs("Thay mặt Ủy ban Thường vụ Quốc hội, Chủ tịch Quốc hội đã ký ban hành Nghị quyết số 95/2025/UBTVQH15 về lập pháp. "
             "Quy hoạch đã được Thủ tướng Chính phủ phê duyệt tại Quyết định 1402/QĐ-TTg ngày 2/12/2024: khu vực phía Tây.")
    assert d["95/2025/UBTVQH15"].issuer == "Ủy ban Thường vụ Quốc hội"
    assert d["1402/QĐ-TTg"].issuer == "Thủ tướng Chính phủ"


def test_an_example_in_a_forms_instructions_is_no_citation():
    assert "55/2019/QĐXXST-DS" not in docs("(3) Ghi số và năm của quyết định (ví dụ: Số: 55/2019/QĐXXST-DS).")


def test_a_national_assembly_committee_and_an_abbreviated_ministry():
    d = docs("Báo cáo thẩm tra số 431/BC-UBPLTP15 ngày 3/6/2025 của Ủy ban Pháp luật và Tư pháp; ngày 2/4/2024 "
             "Bộ LĐTBXH có Thông báo 1201/TB-BLĐTBXH về nghỉ lễ.")
    assert d["431/BC-UBPLTP15"].issuer == "Ủy ban Pháp luật và Tư pháp"
    assert d["1201/TB-BLĐTBXH"].issuer == "Bộ LĐTBXH"


def test_a_bibliography_entry_gives_its_author_and_date():
    d = docs('^ HĐND tỉnh Sóc Trăng (ngày 2 tháng 5 năm 2025). "Nghị quyết số 31/NQ-HĐND về sắp xếp đơn vị hành chính" (PDF). '
             'Bộ Nội vụ (12/3/2024). “Quyết định số 202/QĐ-BNV về công nhận” (PDF).')
    assert (d["31/NQ-HĐND"].issuer, d["31/NQ-HĐND"].date) == ("HĐND tỉnh Sóc Trăng", "2025-05-02")
    assert (d["202/QĐ-BNV"].issuer, d["202/QĐ-BNV"].date) == ("Bộ Nội vụ", "2024-03-12")


def test_an_old_government_named_in_lower_case_with_its_country():
    d = docs("Ngày 2 tháng 9 năm 1968, chính phủ Việt Nam Dân chủ Cộng hòa ban hành quyết định số 150/CP về lịch.")
    assert (d["150/CP"].issuer, d["150/CP"].date) == ("Chính phủ", "1968-09-02")


# --- issue 19, pool audit round 5 ----------------------------------------------------------------

def test_bodies_round_five_found_missing_and_a_citys_abbreviation():
    d = docs("Chủ tịch nước đã ký Quyết định số 1601/QĐ-CTN về quốc tịch. BHXH tỉnh Nghệ An đã ban hành Thông báo "
             "233/TB-BHXH về đóng phí. Thông tư số 07/TT-VH ngày 5/6/1994 của Bộ Văn hóa - Thông tin. Báo cáo thẩm tra "
             "số 88/BC-BKTNS ngày 2/3/2026 của Ban Kinh tế - Ngân sách Hội đồng nhân dân tỉnh. Giấy phép số 09/GP-UBND "
             "ngày 3/4/2008 của UBND TP, thời hạn 6 tháng.")
    assert d["1601/QĐ-CTN"].issuer == "Chủ tịch nước"
    assert d["233/TB-BHXH"].issuer == "BHXH tỉnh Nghệ An"
    assert d["07/TT-VH"].issuer == "Bộ Văn hóa - Thông tin"
    assert d["88/BC-BKTNS"].issuer == "Ban Kinh tế - Ngân sách Hội đồng nhân dân tỉnh"
    assert d["09/GP-UBND"].issuer == "Ủy ban nhân dân Thành phố"


def test_a_second_body_with_a_tense_word_opens_a_clause_and_a_number_on_the_next_line():
    d = docs("Theo Kết luận 140-KL/TW ngày 2/4/2025 của Bộ Chính trị, Chính phủ đã đề xuất phương án. "
             "Theo đề nghị của Sở Tài chính tại Tờ trình số:\n77/TTr-STC ngày 2/3/2026, 78/TTr-STC ngày 4/3/2026 và ý kiến.")
    assert d["140-KL/TW"].issuer == "Bộ Chính trị"
    assert d["77/TTr-STC"].issuer == "Sở Tài chính" and d["78/TTr-STC"].issuer == "Sở Tài chính"


# --- issue 19, pool audit round 6 ----------------------------------------------------------------

def test_a_steering_committee_named_up_to_its_verb_issues_the_plan():
    d = docs("Ngày 2/3/2026, Ban Chỉ đạo về tổng kết thực hiện Nghị quyết 19-NQ/TW năm 2018 của Chính phủ ban hành "
             "Kế hoạch 88/KH-BCĐ về sắp xếp. Phó Trưởng Ban Chỉ đạo Trung ương về tổng kết Nghị quyết số 19-NQ/TW "
             "đã ký Kế hoạch 89/KH-BCĐ về sắp xếp.")
    assert d["88/KH-BCĐ"].issuer == "Ban Chỉ đạo về tổng kết thực hiện Nghị quyết 19-NQ/TW năm 2018 của Chính phủ"
    assert d["89/KH-BCĐ"].issuer == "Ban Chỉ đạo Trung ương về tổng kết Nghị quyết số 19-NQ/TW"
    assert d["19-NQ/TW"].issuer is None


def test_emphasis_inside_cua_and_a_broken_date_before_the_issuer():
    ex = kg.extract("Căn cứ Nghị định số 210/2025/NĐ-CP ngày 9 tháng 7 năm 2025 của* *Chính phủ quy định; Thông tư "
                    "44/2025/TT-BCT ngày 04/7/025 của Bộ Công Thương quy định kỹ thuật.")
    d = {x.symbol: x for x in ex.documents}
    assert d["210/2025/NĐ-CP"].issuer == "Chính phủ"
    assert (d["44/2025/TT-BCT"].date, d["44/2025/TT-BCT"].issuer) == (None, "Bộ Công Thương")
    assert any("04/7/025" in w for w in ex.warnings)


# --- issue 19, pool audit round 7 ----------------------------------------------------------------

def test_the_date_after_the_year_of_the_work_and_after_ki_ngay():
    d = docs("Thực hiện Chỉ thị 31-CT/TW năm 2024 ngày 2 tháng 4 năm 2024 của Ban Bí thư; thay thế Quyết định "
             "1601/QĐ-NHNN năm 2022 ngày 3/8/2022 của Thống đốc NHNN; Quyết định số 46/QĐ-UBND kí ngày 5/6/2024.")
    assert (d["31-CT/TW"].date, d["31-CT/TW"].issuer) == ("2024-04-02", "Ban Bí thư")
    assert (d["1601/QĐ-NHNN"].date, d["1601/QĐ-NHNN"].issuer) == ("2022-08-03", "Ngân hàng Nhà nước Việt Nam")
    assert d["46/QĐ-UBND"].date == "2024-06-05"


def test_a_body_with_its_abbreviation_in_brackets_before_the_verb():
    d = docs("Thống đốc Ngân hàng Nhà nước Việt Nam (NHNN) đã ban hành Quyết định 2801/QĐ-NHNN năm 2025 về lãi suất.")
    assert d["2801/QĐ-NHNN"].issuer == "Ngân hàng Nhà nước Việt Nam"


# --- bodies the tables lack, and what stands between a body and its verb (round 7 and the pool's nulls) ---------

@pytest.mark.parametrize("text, symbol, issuer", [
    ("Ngày 3/3/2024, Hội đồng Thi đua - Khen thưởng tỉnh Lào Cai đã ban hành Kế hoạch số 12/KH-HĐTĐKT về phong trào.",
     "12/KH-HĐTĐKT", "Hội đồng Thi đua - Khen thưởng tỉnh Lào Cai"),
    ("Sở GD&ĐT Hà Nội ban hành Kế hoạch 77/KH-SGDĐT về kỳ thi tuyển sinh.", "77/KH-SGDĐT", "Sở GD&ĐT Hà Nội"),
    ("Năm 2009, Chủ tịch Viện Hàn lâm Khoa học xã hội Việt Nam ký Quyết định số 215/QĐ-KHXH về việc thành lập phòng.",
     "215/QĐ-KHXH", "Viện Hàn lâm Khoa học xã hội Việt Nam"),
    ("Xét đề nghị của Giám đốc Sở Ngoại vụ tỉnh Yên Bái tại Tờ trình số 90/TTr-SNgV ngày 2/5/2025.",
     "90/TTr-SNgV", "Sở Ngoại vụ tỉnh Yên Bái"),
    ("Kế hoạch số 12/KH-HĐTĐKT ngày 3/3/2024 của Hội đồng Thi đua - Khen thưởng tỉnh Lào Cai về phát động thi đua.",
     "12/KH-HĐTĐKT", "Hội đồng Thi đua - Khen thưởng tỉnh Lào Cai"),
    ("Ban Tổ chức – Cán bộ của Chính phủ ban hành Quyết định số 77/QĐ-TCCP về việc điều chỉnh địa giới.",
     "77/QĐ-TCCP", "Ban Tổ chức - Cán bộ của Chính phủ"),
])
def test_a_body_the_tables_lack_is_named_by_its_kind_and_its_proper_name(text, symbol, issuer):
    d = docs(text)[symbol]
    assert d.issuer == issuer
    assert d.issuer_id is None  # no row of kg/data/bodies.tsv: named, not identified


def test_a_body_the_tables_lack_never_takes_a_clause_or_a_committee_named_short():
    d = docs("Các khoản chi khác theo Nghị định 20/2021/NĐ-CP do Ban Vận động Cứu trợ phối hợp với xã chi trả. "
             "Thực hiện Kế hoạch số 05-KH/BCĐ ngày 2/6/2025 của Ban Chỉ đạo\nchuyển đổi số tỉnh. "
             "Căn cứ Kế hoạch 31/KH-SGDĐT được ban hành bởi Sở GD&ĐT Bình Định Xem thêm về lịch thi.")
    assert d["20/2021/NĐ-CP"].issuer is None
    assert d["05-KH/BCĐ"].issuer == "Ban Chỉ đạo chuyển đổi số tỉnh"  # a steering committee, named in full
    assert d["31/KH-SGDĐT"].issuer == "Sở GD&ĐT Bình Định"


def test_two_mentions_of_one_unlisted_body_agree_and_two_different_ones_conflict():
    d = docs("Sở GD&ĐT Hà Nội ban hành Kế hoạch 77/KH-SGDĐT về thi. Kế hoạch 77/KH-SGDĐT của Sở GD&ĐT Hà Nội nêu rõ. "
             "Cục Thuế Hà Nội ban hành Công văn 51/CT-TTHT về thuế. Công văn 51/CT-TTHT của Cục Hải quan Hà Nội nêu rõ.")
    assert d["77/KH-SGDĐT"].issuer == "Sở GD&ĐT Hà Nội" and not d["77/KH-SGDĐT"].conflicts
    assert d["51/CT-TTHT"].issuer is None
    assert [c.field for c in d["51/CT-TTHT"].conflicts] == ["issuer"]


@pytest.mark.parametrize("text, symbol, issuer", [
    ("- Ngày 5-4-2004, Ban Bí thư Trung ương Đảng khóa IX đã ban hành Chỉ thị số 41-CT/TW về việc học tập.",
     "41-CT/TW", "Ban Bí thư Trung ương Đảng"),
    ("Ban Chấp hành Trung ương Đảng Cộng sản Việt Nam đã ban hành Nghị quyết 28-NQ/TW về cải cách bảo hiểm.",
     "28-NQ/TW", "Ban Chấp hành Trung ương Đảng"),
    ("Chính phủ mới đây đã ban hành Nghị quyết 19/2025/NQ-CP về đầu tư công.", "19/2025/NQ-CP", "Chính phủ"),
    ("Thay mặt Bộ Chính trị, Tổng Bí thư Nguyễn Văn A đã ký ban hành Quy định số 77-QĐ/TW ngày 2/3/2020 về việc khen.",
     "77-QĐ/TW", "Bộ Chính trị"),
])
def test_a_term_the_partys_full_name_an_adverb_or_a_signer_between_body_and_verb(text, symbol, issuer):
    assert docs(text)[symbol].issuer == issuer


def test_a_signer_acting_for_a_body_in_an_earlier_sentence_is_not_read():
    d = docs("Thay mặt Bộ Chính trị, Tổng Bí thư phát biểu. Ông đã ký ban hành Quy định số 77-QĐ/TW về việc khen.")
    assert d["77-QĐ/TW"].issuer is None


def test_vao_ngay_dates_a_document_only_after_an_issuing_verb():
    d = docs("Bộ Chính trị đã ban hành Nghị quyết 36-NQ/TW vào ngày 3 tháng 6 năm 2019 về biển. "
             "Quy định 80-QĐ/TW được ban hành vào ngày 18/8/2022. "
             "Việc thực hiện Nghị định 60/2024/NĐ-CP vào ngày 1/7/2024 sẽ tăng lương.")
    assert d["36-NQ/TW"].date == "2019-06-03"
    assert d["80-QĐ/TW"].date == "2022-08-18"
    assert d["60/2024/NĐ-CP"].date is None


def test_emphasis_closed_before_the_comma_of_a_date():
    d = docs("Hướng dẫn này **thay thế Hướng dẫn 09-HD/TW năm 2017**, ngày 3/5/2017 của Ban Bí thư khóa XII.")
    assert d["09-HD/TW"].date == "2017-05-03"
    assert d["09-HD/TW"].issuer == "Ban Bí thư"


@pytest.mark.parametrize("text, symbol, issuer", [
    # "do <body> ban hành" closing the words about a citation (a site's title line)
    ("Nghị định 31/2019/NĐ-CP quy định chi tiết một số điều của Luật Tố cáo do Chính phủ ban hành.",
     "31/2019/NĐ-CP", "Chính phủ"),
    ("Nghị quyết 40-NQ/TW năm 2019 được Bộ Chính trị ban hành về công tác phòng chống.", "40-NQ/TW", "Bộ Chính trị"),
    # a body acting in a document cited with "tại", with an appointing verb
    ("Ngày 2/3/2016, tại Quyết định số 07-QĐNS/TW ngày 2/3/2016, Bộ Chính trị phân công đồng chí B làm Bí thư.",
     "07-QĐNS/TW", "Bộ Chính trị"),
    # a regulation issued with a decision: the body that has the regulation issued the decision
    ("Đồng thời, Bộ Tài chính đã có Quy chế ban hành kèm theo Quyết định 512/QĐ-BTC năm 2023 quy định về thưởng.",
     "512/QĐ-BTC", "Bộ Tài chính"),
    # a bracketed citation closing a clause whose subject is a body doing an act
    ("Ngày 12/5/1991 Hội đồng Bộ trưởng (nay là Chính phủ) cho phép thành lập Hội Nhà báo (Giấy phép số 112/NC).",
     "112/NC", "Hội đồng Bộ trưởng"),
    # an official of the Republic of Vietnam, the regime named between him and the verb
    ("Ngày 2 tháng 3 năm 1970, Tổng trưởng Nội vụ chính quyền Việt Nam Cộng hòa ban hành Nghị định số 120BNV/NĐ, đổi tên.",
     "120BNV/NĐ", "Tổng trưởng Nội vụ"),
])
def test_issuers_named_later_in_the_clause_or_by_the_act_they_did(text, symbol, issuer):
    assert docs(text)[symbol].issuer == issuer


@pytest.mark.parametrize("text, symbol", [
    ("Quyết định 366/QĐ-TTg về kế hoạch triển khai Nghị quyết 45-NQ/TW về giai cấp công nhân do Thủ tướng ban hành.",
     "45-NQ/TW"),  # the body closes the title this citation stands in
    ("Theo Nghị định 20/2021/NĐ-CP, khoản kinh phí do Bộ Tài chính ban hành hướng dẫn.", "20/2021/NĐ-CP"),
    ("Nhiều hộ dân đã được hỗ trợ (Quyết định số 12/QĐ-UBND).", "12/QĐ-UBND"),
    ("Phụ lục II ban hành kèm theo Nghị định 135/2020/NĐ-CP quy định tuổi nghỉ hưu.", "135/2020/NĐ-CP"),
])
def test_no_issuer_from_a_clause_about_something_else(text, symbol):
    assert docs(text)[symbol].issuer is None


@pytest.mark.parametrize("text, symbol, issuer", [
    ("Theo tiểu mục 3.1 Mục 3 Kết luận 77-KL/TW năm 2024, Bộ Chính trị yêu cầu các cấp ủy rà soát.", "77-KL/TW", "Bộ Chính trị"),
    ("Tại Mục 4 Kết luận 77-KL/TW năm 2024, Bộ Chính trị có kết luận như sau.", "77-KL/TW", "Bộ Chính trị"),
    ("Năm 2019, tại Quyết định số 455/QĐ-TTg, Thủ tướng Trần Văn C quyết định bổ nhiệm lại ông A.", "455/QĐ-TTg", "Thủ tướng"),
    ("Xem xét đề nghị của Ban Tổ chức Trung ương (Tờ trình số 300-TTr/BTCTW, ngày 09/01/2025 và Báo cáo số "
     "61-BC/BTCTW, ngày 16/01/2025), Bộ Chính trị quyết định.", "61-BC/BTCTW", "Ban Tổ chức Trung ương"),
    ("Ngày 16/6/2023, Quốc hội đã thông qua Luật Tổ chức chính quyền đô thị số 99/2023/QH15 với nhiều quy định mới.",
     "99/2023/QH15", "Quốc hội"),
    ("Hướng dẫn này thay thế Hướng dẫn 30-HD/BTCTW 2021 của Ban Tổ chức Trung ương.", "30-HD/BTCTW", "Ban Tổ chức Trung ương"),
    ("Ngày 3/5/2025, Bộ Chính trị ban hành **Quyết định số 320-QĐ/TW** thành lập Đảng bộ.", "320-QĐ/TW", "Bộ Chính trị"),
    ("Bộ Quy tắc ứng xử do Bộ trưởng Bộ Y tế ban hành kèm theo Quyết định 800/QĐ-BYT năm 2021 được áp dụng.",
     "800/QĐ-BYT", "Bộ Y tế"),
    ("Kế hoạch ban hành kèm theo Quyết định 150/QĐ-UBND năm 2025 Tải về được ban hành bởi UBND tỉnh Nam Định.",
     "150/QĐ-UBND", "UBND tỉnh Nam Định"),
    ("Giấy phép số 81/GP-BTTTT do Bộ Thông tin và Truyền thông cấp ngày 26/02/2021.", "81/GP-BTTTT",
     "Bộ Thông tin và Truyền thông"),
    ("Ngày 2/4/2024, Ủy ban Thường vụ Quốc hội nước Cộng hòa xã hội chủ nghĩa Việt Nam khóa 15 ban hành Nghị quyết "
     "1500/NQ-UBTVQH15 năm 2024.", "1500/NQ-UBTVQH15", "Ủy ban Thường vụ Quốc hội"),
    ("theo hướng dẫn của Tòa án nhân dân tối cao tại khoản 1 Điều 2 Nghị quyết 05/2022/NQ-HĐTP về án phí.",
     "05/2022/NQ-HĐTP", "Tòa án nhân dân tối cao"),
    ("Quyết định số 1200/QĐ-UBND ngày 3/4/2022 của Ủy ban nhân dân tỉnh Bà Rịa - Vũng Tàu về việc phê duyệt.",
     "1200/QĐ-UBND", "Ủy ban nhân dân tỉnh Bà Rịa - Vũng Tàu"),
    ("Quyết định số 80/2003/QĐ-UB ngày 6/10/2003 của Ủy ban nhân dân tỉnh Bình Phước Tách phòng tổ chức.",
     "80/2003/QĐ-UB", "Ủy ban nhân dân tỉnh Bình Phước"),
    ("Ngày 7/3/2025 Sở Giáo dục và đào tạo tỉnh An Giang ban hành Kế hoạch 800/KH-SGDĐT về tuyển sinh.",
     "800/KH-SGDĐT", "Sở Giáo dục và đào tạo tỉnh An Giang"),
])
def test_issuers_after_a_locator_a_proposal_a_law_title_or_a_site_link(text, symbol, issuer):
    assert docs(text)[symbol].issuer == issuer


def test_a_body_that_only_reported_on_a_document_did_not_issue_it():
    assert docs("Sửa đổi Nghị quyết số 20-NQ/TW do Đảng ủy Chính phủ báo cáo tại hội nghị.")["20-NQ/TW"].issuer is None


def test_a_signature_for_a_body_stays_in_its_sentence():
    d = docs("Thay mặt Bộ Chính trị, đồng chí Trần Văn D ký Kết luận số 150-KL/TW về triển khai.\n\n"
             "Ngày 12/10/2025, Chính phủ ban hành Nghị định 301/2025/NĐ-CP quy định chi tiết.")
    assert d["150-KL/TW"].issuer == "Bộ Chính trị"
    assert (d["301/2025/NĐ-CP"].issuer, d["301/2025/NĐ-CP"].date) == ("Chính phủ", "2025-10-12")


@pytest.mark.parametrize("text, symbol, date", [
    ("• Ngày 15-12-1983, Bộ Chính trị ra Nghị quyết số 09-NQ/TW về việc đổi mới.", "09-NQ/TW", "1983-12-15"),
    ("[sửa | sửa mã nguồn]Ngày 20 tháng 9 năm 1977, Bộ Chính trị ban hành Nghị quyết số 247-NQ/TW về việc hợp nhất.",
     "247-NQ/TW", "1977-09-20"),
    ("Vì vậy, ngày 10 tháng 9 năm 1974, Hội đồng Chính phủ ban hành Nghị định số 212/CP về việc.", "212/CP", "1974-09-10"),
    ("Ngày 20/11/2025, Bộ trưởng Bộ Tư pháp đã ban hành Thông tư 33/2025/TT-BTP về phân cấp.", "33/2025/TT-BTP", "2025-11-20"),
    ("Ngày 25/5/2025, thay mặt Bộ Chính trị, đồng chí Trần Văn D ký ban hành Kết luận số 158-KL/TW về triển khai.",
     "158-KL/TW", "2025-05-25"),
    ("**Trả lời:**Ngày 7 tháng 11 năm 2007 Bộ Chính trị ban hành Chỉ thị số 08-CT/TW về cuộc vận động.", "08-CT/TW",
     "2007-11-07"),
])
def test_the_date_that_opens_an_issuing_sentence_after_a_bullet_a_link_a_comma_or_a_signer(text, symbol, date):
    assert docs(text)[symbol].date == date


def test_a_title_stops_where_another_bodys_word_opens_the_next_item():
    ex = kg.extract("KẾ HOẠCH\nThực hiện Thông tri số 05-TT/TU ngày 3/10/2025 của Thành ủy Thành phố Hồ Chí Minh về lãnh đạo "
                    "thực hiện phong trào và hướng dẫn của Bộ Nội vụ tại Công văn số 900/BNV-CTTN ngày 3/10/2025 về việc "
                    "hướng dẫn triển khai.")
    d = {x.symbol: x for x in ex.documents}
    assert d["05-TT/TU"].title == "lãnh đạo thực hiện phong trào"
    assert d["05-TT/TU"].issuer == "Thành ủy Thành phố Hồ Chí Minh"
    implemented = {r.object for r in ex.relations if r.predicate == "implements"}
    assert {d["05-TT/TU"].id, d["900/BNV-CTTN"].id} <= implemented


@pytest.mark.parametrize("text, symbol, issuer", [
    ("UBND TPHCM đã có Chỉ thị 08/CT-UBND về phòng cháy.", "08/CT-UBND", "Ủy ban nhân dân Thành phố Hồ Chí Minh"),
    ("Quyết định 12/QĐ-UBND của UBND TP. Hồ Chí Minh về việc cấp phép.", "12/QĐ-UBND", "UBND TP. Hồ Chí Minh"),
    ("Nghị quyết số 52/NQ-HĐND của HĐND huyện Thái Thụy về việc.", "52/NQ-HĐND", "HĐND huyện Thái Thụy"),
    ("Kết luận số 90-KL/ĐU ngày 7/11/2025 của Đảng ủy UBND tỉnh về việc.", "90-KL/ĐU", "Đảng ủy UBND tỉnh"),
    ("Đảng ủy Sở Tư pháp tỉnh Hà Giang ban hành Công văn 66-CV/ĐU về việc.", "66-CV/ĐU", "Đảng ủy Sở Tư pháp tỉnh Hà Giang"),
])
def test_a_bodys_level_place_and_party_cell_are_kept(text, symbol, issuer):
    assert docs(text)[symbol].issuer == issuer


@pytest.mark.parametrize("text, symbol, issuer", [
    ("*Theo đề nghị của Giám đốc Sở Nội vụ và Đào\ntạo tại Tờ trình số 4400/TTr-SNVĐT ngày 17 tháng 11 năm 2025.*",
     "4400/TTr-SNVĐT", "Sở Nội vụ và Đào tạo"),
    ("Ngày 27/11/2024, Hội đồng nhân dân thành phố Hải Phòng khóa XVI, kỳ họp thứ 20 đã thông qua Nghị quyết "
     "80/2024/NQ-HĐND về học phí.", "80/2024/NQ-HĐND", "Hội đồng nhân dân thành phố Hải Phòng"),
    ("Ban Bí thư khoá III đã ban hành Nghị quyết số 12-NQ/TW về việc chuyển giao.", "12-NQ/TW", "Ban Bí thư"),
    ("Nghị quyết 210/2025/QH15 được Quốc hội thông qua khóa XV, kỳ họp thứ 9.", "210/2025/QH15", "Quốc hội"),
])
def test_a_name_broken_by_a_line_a_session_between_body_and_verb_and_passing_by_a_vote(text, symbol, issuer):
    assert docs(text)[symbol].issuer == issuer


def test_an_unlisted_name_whose_end_is_unsure_is_not_read():
    # after "của" nothing anchors the name's end: a capitalised word on the next line is another sentence
    d = docs("Kế hoạch số 14/KH-CTHADS của Cục Thi hành án\nKhen thưởng các tập thể có thành tích.")
    assert d["14/KH-CTHADS"].issuer is None
    d = docs("Báo cáo số 3001/BC-CAT của Công an tỉnh về việc cấp căn cước. Kế hoạch số 15/KH-CTHADS của Cục Thi hành án "
             "dân sự tỉnh Lào Cai về thi đua.")
    assert d["3001/BC-CAT"].issuer == "Công an tỉnh"
    assert d["15/KH-CTHADS"].issuer is None


def test_tu_with_a_horn_is_the_centre_when_a_central_body_issued_it():
    d = docs("Nghị quyết số 08-NQ/TƯ, ngày 02/02/1998 Hội nghị lần thứ năm BCHTW Đảng (khóa VIII) về việc. "
             "Kết luận số 211-KL/TƯ ngày 3/2/2020 của Ban Thường vụ Tỉnh ủy về việc.")
    assert "08-NQ/TW" in d and d["08-NQ/TW"].issuer_code == "TW"
    assert "211-KL/TU" in d  # elsewhere an OCR "TU"


def test_a_bracketed_qualifier_after_the_type_word_and_an_authors_party_abbreviation():
    d = docs('Bộ Chính trị ĐCSVN (28/4/2010). "Quy định (Bổ sung) số 217-QĐ/TW ngày 01 tháng 4 năm 2010 về quan hệ".')
    assert (d["217-QĐ/TW"].doc_type, d["217-QĐ/TW"].issuer) == ("Quy định", "Bộ Chính trị")


def test_a_state_symbol_typed_without_d_bar_is_the_same_document():
    d = docs("Ngày 15/12/2025, Chính phủ đã ban hành Nghị định 321/2025/ND-CP về thuế. Nghị định 321/2025/NĐ-CP có hiệu lực "
             "từ ngày ký. Ban Chỉ đạo ban hành Kế hoạch 131/KH-BCĐTKNQ18. Theo Kế hoạch 131/KH-BCDDTKNQ18 các bộ rà soát.")
    assert set(d) == {"321/2025/NĐ-CP", "131/KH-BCĐTKNQ18"}
    assert d["321/2025/NĐ-CP"].mentions == 2 and d["321/2025/NĐ-CP"].issuer == "Chính phủ"


def test_a_wiki_reference_separator_ends_an_entry_and_its_title():
    d = docs("**^**Nghị định 140/2006/NĐ-CP về việc thành lập thành phố Vĩnh Yên**^**Nghị quyết số 16/2008/QH12 về việc "
             "điều chỉnh địa giới hành chính do Quốc hội ban hành**^**")
    assert d["140/2006/NĐ-CP"].issuer is None
    assert d["16/2008/QH12"].issuer == "Quốc hội"


def test_a_footnote_mark_after_a_full_stop_ends_the_sentence():
    ex = kg.extract("Chính phủ ban hành Nghị quyết số 70/NQ-CP về cải cách hành chính và Chính phủ số.[5] Đồng thời, "
                    "năm 2024 đánh dấu 7 năm thực hiện Nghị quyết 19-NQ/TW của Ban Chấp hành Trung ương.")
    assert not [r for r in ex.relations if r.predicate == "implements"]


def test_an_official_named_by_title_and_person_signing_a_type_only_one_body_issues():
    d = docs("Ngày 25 tháng 3 năm 1947, Chủ tịch Hồ Chí Minh ký Sắc lệnh số 35/SL về việc thành lập. "
             "Ngày 10/3/1958, Chủ tịch Hồ Chí Minh ký Quyết định số 12/QĐ về việc.")
    assert (d["35/SL"].issuer, d["35/SL"].issuer_id, d["35/SL"].date) == ("Chủ tịch nước", "chu-tich-nuoc", "1947-03-25")
    assert d["12/QĐ"].issuer is None  # a Quyết định has many issuers: "Chủ tịch" alone says not whose


def test_a_wiki_reference_separator_starts_a_sentence():
    ex = kg.extract("Truy cập ngày 29 tháng 3 năm 2024.**^**Quyết định 360/QĐ-TTg về kế hoạch triển khai tiếp Nghị quyết "
                    "40-NQ/TW về xây dựng thành phố do Thủ tướng Chính phủ ban hành Lưu trữ ngày 10 tháng 1 năm 2021.**^**")
    d = {x.symbol: x for x in ex.documents}
    assert [(r.subject, r.predicate, r.object) for r in ex.relations] == \
        [(d["360/QĐ-TTg"].id, "implements", d["40-NQ/TW"].id)]


def test_a_cut_or_glued_state_symbol_is_the_whole_one_the_page_writes():
    d = docs("Phụ lục IX ban hành kèm theo Nghị định số 176/2024/NĐ-CPngày 30 tháng 12 năm 2024 của Chính phủ. "
             "Căn cứ Điều 79 Nghị định 176/2024/NĐ-CP thì điều kiện chung như sau.")
    assert set(d) == {"176/2024/NĐ-CP"} and d["176/2024/NĐ-CP"].mentions == 2
    two = docs("Theo Nghị định 12/2020/NĐ về việc. Nghị định 12/2020/NĐ-CP và Nghị định 12/2020/NĐ-TTg.")
    assert set(two) == {"12/2020/NĐ", "12/2020/NĐ-CP", "12/2020/NĐ-TTg"}  # two whole ones: which is unsure


@pytest.mark.parametrize("text, symbol, issuer", [
    ("Ngày 16/10/2019, ông B được Chủ tịch nước Việt Nam bổ nhiệm chức danh Thẩm phán Tòa án nhân dân tối cao theo "
     "Quyết định số 1900/QĐ-CTN.", "1900/QĐ-CTN", "Chủ tịch nước"),
    ("Nội dung sửa đổi được Ban Chấp hành Trung ương cho chủ trương tại Nghị quyết số 70-NQ/TW, được thể hiện.",
     "70-NQ/TW", "Ban Chấp hành Trung ương"),
    ("theo hướng dẫn của Hội đồng thẩm phán Tòa án nhân dân tối cao tại khoản 1 Điều 2 Nghị quyết 02/2021/NQ-HĐTP.",
     "02/2021/NQ-HĐTP", "Hội đồng thẩm phán Tòa án nhân dân tối cao"),
])
def test_a_body_whose_act_a_passive_clause_locates_in_a_document(text, symbol, issuer):
    assert docs(text)[symbol].issuer == issuer


def test_a_passive_clause_without_its_agent_names_no_issuer():
    d = docs("Dự án được triển khai theo Quyết định số 12/QĐ-UBND của tỉnh. Ông A được bổ nhiệm theo Quyết định số "
             "13/QĐ-UBND.")
    assert d["12/QĐ-UBND"].issuer is None and d["13/QĐ-UBND"].issuer is None


def test_the_date_of_a_vote_closing_a_citations_words():
    d = docs("Nghị quyết số 207/2025/QH15 của Quốc hội về cơ chế đặc biệt được Quốc hội khóa XV, Kỳ họp thứ 9 thông qua "
             "ngày 25/6/2025.")
    assert (d["207/2025/QH15"].issuer, d["207/2025/QH15"].date) == ("Quốc hội", "2025-06-25")


def test_a_date_glued_to_the_next_cells_symbol_keeps_its_year():
    d = docs("| 1 | Giấy phép số 102/GP-UB ngày 14/11/200310/GP- UBND ngày 20/06/2022 | 6.613 |")
    assert d["102/GP-UB"].date == "2003-11-14"


@pytest.mark.parametrize("text, symbol, issuer", [
    ("Quyết định số 90/2006/QĐ-UB ngày 6/10/2006 của Ủy ban nhân dân tỉnh Bình Phước Không thu một phần viện phí.",
     "90/2006/QĐ-UB", "Ủy ban nhân dân tỉnh Bình Phước"),
    ("Quyết định số 1180/QĐ-UBND ngày 13/4/2022 của Ủy ban nhân dân tỉnh Bà Rịa-Vũng Tàu về việc.", "1180/QĐ-UBND",
     "Ủy ban nhân dân tỉnh Bà Rịa-Vũng Tàu"),
    ("Quyết định 3/QĐ-UBND của UBND Thành phố Hồ Chí Minh Về việc cấp phép.", "3/QĐ-UBND", "UBND Thành phố Hồ Chí Minh"),
])
def test_a_province_the_table_knows_ends_where_its_name_ends(text, symbol, issuer):
    assert docs(text)[symbol].issuer == issuer


@pytest.mark.parametrize("text, symbol", [
    ("Căn cứ khoản 1 Điều 3 Nghị định 124/2024/NĐ-CPquy định như sau.", "124/2024/NĐ-CP"),
    ("Quy chế ban hành kèm theo Thông tư 25/2024/TT-BGDĐTquy định về chấm thi.", "25/2024/TT-BGDĐT"),
    ("Phụ lục ban hành kèm theo Nghị định số 177/2024/NĐ-CPngày 30 tháng 12 năm 2024 của Chính phủ.", "177/2024/NĐ-CP"),
])
def test_a_word_glued_to_the_issuer_code_is_not_part_of_the_symbol(text, symbol):
    assert found(text) == [symbol]


def test_mixed_case_codes_keep_their_lower_case_letters():
    assert found("Quyết định 12/2021/QĐ-TTg và Công văn 97/SGDĐT-GDTrH") == ["12/2021/QĐ-TTg", "97/SGDĐT-GDTrH"]


def test_round_nine_shapes_a_signing_day_a_date_after_a_quoted_title_emphasis_and_a_steering_committee():
    d = docs("- Quyết định số 1263/QĐ-TTg của Thủ tướng Chính phủ: Phê duyệt Đề án biên soạn từ điển Nguyễn Văn An ký "
             "12/05/2016\n- Nghị quyết 12-NQ/TW, Hội nghị lần thứ năm Ban Chấp hành Trung ương Đảng khóa XII về “Sắp xếp "
             "tổ chức bộ máy”, ngày 3/6/2017 đã đưa ra.\n- Xét Tờ trình số 411/TTr-**CP và Đề án số 412/ĐA-CP** của Chính "
             "phủ.\n- Kế hoạch số 06-KH/BCĐ ngày 2/3/2025 của Ban Chỉ đạo\nphát triển du lịch, dịch vụ về việc tổ chức lễ hội.\n")
    assert d["1263/QĐ-TTg"].date == "2016-05-12"
    assert d["12-NQ/TW"].date == "2017-06-03"
    assert "411/TTr-CP" in d and "411/TTr" not in d
    assert d["06-KH/BCĐ"].issuer == "Ban Chỉ đạo phát triển du lịch, dịch vụ"


def test_a_signing_day_inside_a_sentence_and_a_committee_named_short_give_nothing():
    d = docs("Theo Nghị định 21/2021/NĐ-CP, ông Nguyễn Văn A ký 3/4/2022 hợp đồng. Kế hoạch số 7/KH-BCĐ của Ban Chỉ đạo, "
             "các sở ngành phối hợp.")
    assert d["21/2021/NĐ-CP"].date is None
    assert d["7/KH-BCĐ"].issuer is None


def test_a_body_in_a_documents_name_a_meetings_day_and_a_captions_issuer():
    d = docs("Căn cứ khoản 5 Điều 7 Điều lệ Liên đoàn Luật sư Việt Nam được ban hành kèm theo Quyết định số 858/QĐ-TTg năm "
             "2022 quy định như sau. Điều lệ Hội Luật gia Việt Nam ban hành kèm theo Quyết định 859/QĐ-TTg năm 2022.")
    assert d["858/QĐ-TTg"].issuer is None and not d["858/QĐ-TTg"].conflicts
    assert d["859/QĐ-TTg"].issuer is None
    meeting = docs("THÔNG BÁO KẾT LUẬN VỀ TÌNH HÌNH THỰC HIỆN NGHỊ QUYẾT SỐ 67-NQ/TW\nNgày 28 tháng 11 năm 2025, tại\n"
                   "Trụ sở Chính phủ, Phó Thủ tướng chủ trì cuộc họp về Nghị quyết số 67-NQ/TW ngày 30/4/2025 của Bộ "
                   "Chính trị.\n")
    assert (meeting["67-NQ/TW"].date, meeting["67-NQ/TW"].issuer) == ("2025-04-30", "Bộ Chính trị")
    caption = docs("Thông báo 660/TB-VPCP năm 2025 về tình hình thực hiện và Nghị quyết 141/NQ-CP thực hiện Nghị quyết "
                   "68-NQ/TW do Văn phòng Chính phủ ban hành\n")
    assert caption["660/TB-VPCP"].issuer == "Văn phòng Chính phủ" and caption["68-NQ/TW"].issuer is None


def test_a_closing_date_and_issuer_stay_with_their_own_kind_and_a_plenum_named_before_the_title():
    d = docs("Chi trả theo quy định Luật Bảo hiểm xã hội số\n42/2024/QH15 và Nghị định số 177/2025/NĐ-CP\nngày 30 tháng "
             "6 năm 2025 của Chính phủ về trợ cấp. Nghị quyết Hội nghị lần thứ 8 Ban Chấp hành Trung ương Đảng khóa V về "
             "Giá Lương Tiền số 26-NQ/TW ngày 17/6/1985 đã nêu.")
    assert (d["42/2024/QH15"].date, d["42/2024/QH15"].issuer) == (None, None)  # the decree's, not the law's
    assert d["177/2025/NĐ-CP"].issuer == "Chính phủ"
    assert d["26-NQ/TW"].issuer == "Ban Chấp hành Trung ương Đảng"
