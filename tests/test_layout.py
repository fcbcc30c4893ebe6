"""The layout stage (kg/layout.py) and the relations that stand on it. Sentences are our own,
written in the forms Nghị định 30/2020/NĐ-CP and Hướng dẫn 36-HD/VPTW prescribe."""
from __future__ import annotations

import json

from typer.testing import CliRunner

import kg
from kg.cli import app
from kg.layout import layout
from kg.normalise import normalise

STATE_DOC = """ỦY BAN NHÂN DÂN
TỈNH AN GIANG
-------
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 21/2024/QĐ-UBND
An Giang, ngày 12 tháng 3 năm 2024

QUYẾT ĐỊNH
Ban hành Quy chế quản lý cụm công nghiệp trên địa bàn tỉnh

ỦY BAN NHÂN DÂN TỈNH AN GIANG

Căn cứ Luật Tổ chức chính quyền địa phương số 77/2015/QH13 được sửa đổi, bổ sung bởi Luật số 47/2019/QH14;
Căn cứ các Luật: Luật Đầu tư số 61/2020/QH14; Luật Xây dựng số 50/2014/QH13;
Căn cứ Nghị định số 32/2024/NĐ-CP ngày 15 tháng 1 năm 2024 của Chính phủ về quản lý cụm công nghiệp;
Theo đề nghị của Giám đốc Sở Công Thương tại Tờ trình số 145/TTr-SCT ngày 01 tháng 3 năm 2024.

QUYẾT ĐỊNH:

Điều 1. Ban hành kèm theo Quyết định này Quy chế quản lý cụm công nghiệp.
Điều 2. Quyết định này có hiệu lực từ ngày 25 tháng 3 năm 2024 và thay thế Quyết định số 11/2017/QĐ-UBND ngày 20 tháng 4 năm 2017 của Ủy ban nhân dân tỉnh; Quyết định số 09/2019/QĐ-UBND ngày 02 tháng 5 năm 2019 của Ủy ban nhân dân tỉnh và bãi bỏ Điều 3 của Quyết định số 40/2020/QĐ-UBND ngày 10 tháng 9 năm 2020 của Ủy ban nhân dân tỉnh.
Quyết định số 07/2016/QĐ-UBND ngày 01 tháng 2 năm 2016 của Ủy ban nhân dân tỉnh quy định về thu phí hết hiệu lực kể từ ngày Quyết định này có hiệu lực.

Nơi nhận:
- Như Điều 3;
- Bộ Công Thương;
- Lưu: VT.
TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH
Nguyễn Văn A

PHỤ LỤC
(Kèm theo Quyết định số 21/2024/QĐ-UBND ngày 12 tháng 3 năm 2024)
Mẫu báo cáo tình hình thực hiện Nghị định số 68/2017/NĐ-CP của Chính phủ.
"""


def _by_symbol(ex):
    names = {d.id: d.symbol for d in ex.documents}
    names.setdefault(ex.source_document.id, "OWN")  # a page's topic is a cited document
    return {(names.get(r.subject), r.predicate, names.get(r.object)) for r in ex.relations}


def test_parts_of_a_state_document_in_order():
    ex = kg.extract(STATE_DOC)
    kinds = [p.kind for p in ex.parts]
    assert kinds == ["header", "title", "preamble", "enacting", "body", "recipients", "signature", "annex"]
    starts = [p.start for p in ex.parts]
    assert starts == sorted(starts)
    text = {p.kind: STATE_DOC[p.start:p.end] for p in ex.parts}
    assert text["header"].startswith("ỦY BAN NHÂN DÂN") and "Số: 21/2024/QĐ-UBND" in text["header"]
    assert text["title"].startswith("QUYẾT ĐỊNH\nBan hành Quy chế")
    assert text["preamble"].startswith("Căn cứ Luật Tổ chức") and "Tờ trình số 145" in text["preamble"]
    assert text["enacting"].strip() == "QUYẾT ĐỊNH:"
    assert text["body"].startswith("Điều 1.")
    assert text["recipients"].startswith("Nơi nhận:")
    assert text["signature"].startswith("TM. ỦY BAN NHÂN DÂN")
    assert text["annex"].startswith("PHỤ LỤC")


def test_own_document_from_the_header():
    src = kg.extract(STATE_DOC).source_document
    assert (src.symbol, src.doc_type, src.date) == ("21/2024/QĐ-UBND", "Quyết định", "2024-03-12")


def test_every_basis_of_the_preamble_and_nothing_considered():
    rel = _by_symbol(kg.extract(STATE_DOC))
    bases = {o for s, p, o in rel if s == "OWN" and p == "based_on"}
    # a list under one "Căn cứ", "Luật <tên> số …" and the amending law inside the line
    assert bases == {"77/2015/QH13", "47/2019/QH14", "61/2020/QH14", "50/2014/QH13", "32/2024/NĐ-CP"}
    assert ("47/2019/QH14", "amends", "77/2015/QH13") in rel
    assert not any(o == "145/TTr-SCT" for _, _, o in rel)  # "Theo đề nghị … tại Tờ trình" is no basis


def test_a_list_after_one_cue_gives_each_item_its_own_predicate():
    rel = _by_symbol(kg.extract(STATE_DOC))
    assert ("OWN", "replaces", "11/2017/QĐ-UBND") in rel
    assert ("OWN", "replaces", "09/2019/QĐ-UBND") in rel
    assert ("OWN", "repeals", "40/2020/QĐ-UBND") in rel


def test_ends_when_this_document_takes_effect_is_a_replacement():
    assert ("OWN", "replaces", "07/2016/QĐ-UBND") in _by_symbol(kg.extract(STATE_DOC))


def test_annex_and_recipients_never_speak_for_the_document():
    ex = kg.extract(STATE_DOC)
    rel = _by_symbol(ex)
    assert not any(o == "68/2017/NĐ-CP" for _, _, o in rel)  # "thực hiện" inside a form of the annex
    assert all(r.part in ("preamble", "body", "enacting", "title") for r in ex.relations)


def test_a_successor_named_in_the_text_replaces_the_old_one():
    ex = kg.extract("Chỉ thị số 05-CT/TU ngày 02/3/2016 của Ban Thường vụ Tỉnh ủy về phòng chống tham nhũng "
                    "hết hiệu lực kể từ ngày Chỉ thị số 12-CT/TU ngày 10/5/2021 của Ban Thường vụ Tỉnh ủy có hiệu lực.")
    assert _by_symbol(ex) == {("12-CT/TU", "replaces", "05-CT/TU")}


def test_passive_amendments_read_backwards():
    ex = kg.extract("Theo Điều 5 Nghị định 63/2010/NĐ-CP được sửa đổi bởi khoản 2 Điều 1 Nghị định 92/2017/NĐ-CP, "
                    "cơ quan kiểm soát thủ tục hành chính gồm các đơn vị sau. Hội được tổ chức theo Nghị định "
                    "45/2010/NĐ-CP ngày 21 tháng 4 năm 2010 của Chính phủ quy định về tổ chức và quản lý hội "
                    "(sửa đổi, bổ sung tại Nghị định 33/2012/NĐ-CP ngày 13 tháng 4 năm 2012 của Chính phủ).")
    rel = _by_symbol(ex)
    assert ("92/2017/NĐ-CP", "amends", "63/2010/NĐ-CP") in rel
    assert ("33/2012/NĐ-CP", "amends", "45/2010/NĐ-CP") in rel


def test_a_page_that_discusses_documents_has_no_preamble():
    page = ("# Đảng viên vi phạm bị xử lý thế nào?\n\nCăn cứ theo Điều 12 Quy định 69-QĐ/TW năm 2022 của Bộ Chính "
            "trị quy định về kỷ luật tổ chức đảng, đảng viên vi phạm thì đảng viên bị khiển trách.\n\n"
            "Căn cứ Nghị định 112/2020/NĐ-CP thì cán bộ bị xử lý kỷ luật.\n")
    ex = kg.extract(page)
    assert [p.kind for p in ex.parts] == ["body"]
    assert not any(r.predicate == "based_on" for r in ex.relations)
    assert {d.symbol for d in ex.documents} == {"69-QĐ/TW", "112/2020/NĐ-CP"}


def test_this_document_is_the_own_one_not_the_last_of_its_type_cited():
    text = ("BAN TỔ CHỨC TỈNH ỦY\n*\nSố 07-HD/BTCTU\nAn Giang, ngày 05 tháng 6 năm 2023\n\nHƯỚNG DẪN\n"
            "thực hiện một số nội dung về công tác đảng viên\n\n"
            "Căn cứ Hướng dẫn số 12-HD/BTCTW, ngày 06/7/2018 của Ban Tổ chức Trung ương;\n\n"
            "I. NỘI DUNG\n1. Hướng dẫn này thay thế Hướng dẫn số 03-HD/BTCTU, ngày 10/01/2019 của Ban Tổ chức Tỉnh ủy.\n")
    rel = _by_symbol(kg.extract(text))
    assert ("OWN", "replaces", "03-HD/BTCTU") in rel
    assert ("OWN", "based_on", "12-HD/BTCTW") in rel
    assert not any(s == "12-HD/BTCTW" for s, _, _ in rel)


CRAWLED = """Bản dịch này thuộc quyền sở hữu của **THƯ VIỆN PHÁP LUẬT**.
|
**Số hiệu:**
|
18/2024/NQ-HĐND
|
**Loại văn bản:**
|
Nghị quyết
|
**Ngày ban hành:**
|
10/7/2024
|
|
**HỘI ĐỒNG NHÂN
DÂN **
TỈNH BẮC NINH
-------
|
**CỘNG HÒA XÃ HỘI
CHỦ NGHĨA VIỆT NAM**
Độc lập - Tự do - Hạnh phúc
---------------
|
|
Số:
|
18/2024/NQ-HĐND
|
*Bắc Ninh, ngày 10
tháng 7 năm 2024 *
|
**NGHỊ QUYẾT**
QUY ĐỊNH MỨC CHI HỖ TRỢ CÔNG TÁC DÂN VẬN
*Căn cứ Luật Ngân sách nhà nước số 83/2015/QH13;*
*Xét Tờ trình số 77/TTr-UBND ngày 01 tháng 7 năm 2024 của Ủy ban nhân dân tỉnh.*
**Điều 1. Phạm vi điều chỉnh**
Nghị quyết này quy định mức chi.
"""


def test_a_crawled_page_with_a_site_table_and_a_split_number_cell():
    ex = kg.extract(CRAWLED)
    assert ex.source_document.symbol == "18/2024/NQ-HĐND"
    assert ex.source_document.date == "2024-07-10"
    assert "18/2024/NQ-HĐND" not in {d.symbol for d in ex.documents}  # the site's table names the page itself
    assert _by_symbol(ex) == {("OWN", "based_on", "83/2015/QH13")}
    assert [p.kind for p in ex.parts][:4] == ["header", "title", "preamble", "body"]


def test_layout_works_on_normalised_offsets_and_maps_back():
    text = "Mở đầu\u00a0trang.\n" + STATE_DOC.replace("ỦY BAN", "U\u0309Y BAN")  # NFD and a non-breaking space
    ex = kg.extract(text)
    header = next(p for p in ex.parts if p.kind == "header")
    assert text[header.start:header.end].startswith("U\u0309Y BAN NHÂN DÂN")
    assert layout(normalise(text).norm).document


def test_parts_and_relation_parts_in_the_json(tmp_path):
    f = tmp_path / "qd.txt"
    f.write_text(STATE_DOC, encoding="utf-8")
    out = CliRunner().invoke(app, ["extract", str(f), "--format", "json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert [p["kind"] for p in data["parts"]][0] == "header"
    assert all(set(p) == {"kind", "start", "end"} for p in data["parts"])
    assert {r["part"] for r in data["relations"]} <= {"preamble", "body"}
    assert all("provisions" in r for r in data["relations"]) and all("provisions" in c for c in data["citations"])


def test_a_title_and_an_opening_without_a_number_make_a_document():
    text = ("\n## BÁO CÁO\n\nkết quả 02 năm thực hiện Nghị quyết số 21-NQ/TW, ngày 16/6/2022\nvề củng cố tổ chức cơ sở đảng\n\n"
            "Thực hiện Kế hoạch số 12-KH/ĐU, ngày 02/3/2024 của Đảng ủy, Chi bộ báo cáo như sau:\n\n"
            "I. KẾT QUẢ\n1. Chi bộ đã quán triệt.\n")
    ex = kg.extract(text)
    assert [p.kind for p in ex.parts] == ["title", "preamble", "body"]
    assert ("OWN", "implements", "12-KH/ĐU") in _by_symbol(ex)


def test_a_news_page_quoting_a_document_speaks_for_that_document():
    page = ("# Công văn 2150/BTC-NSNN hướng dẫn lập dự toán năm 2026 ra sao?\n\n"
            "Ngày 02/6/2025, Bộ Tài chính đã ban hành Công văn 2150/BTC-NSNN về lập dự toán. Cụ thể như sau:\n\n"
            "Triển khai Quyết định 1508/QĐ-TTg năm 2025 của Thủ tướng Chính phủ, các bộ, ngành lập dự toán.\n")
    assert _by_symbol(kg.extract(page)) == {("2150/BTC-NSNN", "implements", "1508/QĐ-TTg")}


def test_a_guides_own_opening_carries_out_but_its_title_guides():
    head = "BAN TỔ CHỨC TỈNH ỦY\n*\nSố 09-HD/BTCTU\nBắc Giang, ngày 05 tháng 6 năm 2024\n\nHƯỚNG DẪN\n"
    opening = kg.extract(head + "về sinh hoạt chi bộ\n\nThực hiện Chỉ thị số 50-CT/TW, ngày 23/7/2023 của Ban Bí thư, "
                                "Ban Tổ chức Tỉnh ủy hướng dẫn một số nội dung như sau:\n\nI. NỘI DUNG\n")
    assert ("OWN", "implements", "50-CT/TW") in _by_symbol(opening)
    titled = kg.extract(head + "THỰC HIỆN CHỈ THỊ SỐ 50-CT/TW, NGÀY 23/7/2023 CỦA BAN BÍ THƯ\n\nI. NỘI DUNG\n1. Chi bộ họp.\n")
    assert ("OWN", "guides", "50-CT/TW") in _by_symbol(titled)


def test_detailing_a_law_guides_it_and_a_guide_can_supplement():
    assert ("163/2016/NĐ-CP", "guides", "83/2015/QH13") in _by_symbol(kg.extract(
        "Nghị định số 163/2016/NĐ-CP ngày 21 tháng 12 năm 2016 của Chính phủ quy định chi tiết thi hành một số điều "
        "của Luật Ngân sách nhà nước số 83/2015/QH13."))
    assert ("55-KL/TW", "guides", "24-QĐ/TW") in _by_symbol(kg.extract(
        "Năm 2023, Ban Bí thư có Kết luận số 55-KL/TW hướng dẫn bổ sung thực hiện Quy định số 24-QĐ/TW."))


def test_a_regulation_changed_through_the_decision_that_issued_it():
    assert ("12/2024/QĐ-UBND", "amends", "05/2021/QĐ-UBND") in _by_symbol(kg.extract(
        "Quyết định số 12/2024/QĐ-UBND ngày 3/4/2024 của UBND tỉnh sửa đổi, bổ sung một số điều của Quy chế làm việc "
        "ban hành kèm theo Quyết định số 05/2021/QĐ-UBND ngày 2/2/2021 của UBND tỉnh."))


def test_a_text_that_opens_with_its_preamble():
    ex = kg.extract("Căn cứ Hướng dẫn số 115-HD/BTGTW, ngày 08/01/2020 của Ban Tuyên giáo Trung ương;\n"
                    "Ban Thường vụ báo cáo như sau:\n\n1. Kết quả.\n")
    assert [p.kind for p in ex.parts][:1] == ["preamble"]
    assert ("OWN", "based_on", "115-HD/BTGTW") in _by_symbol(ex)


def test_a_lower_body_never_changes_a_central_document():
    text = ("HUYỆN ỦY PHÚ LỘC\n*\nSố 15-QĐ/HU\nPhú Lộc, ngày 10 tháng 3 năm 2024\n\nQUYẾT ĐỊNH\nvề danh mục văn bản\n\n"
            "Điều 1. Bãi bỏ Quyết định số 290-QĐ/TW, ngày 25/02/2010 của Bộ Chính trị và Quyết định số 07-QĐ/HU, "
            "ngày 02/3/2015 của Ban Thường vụ Huyện ủy.\n")
    ex = kg.extract(text)
    rel = _by_symbol(ex)
    assert ("OWN", "repeals", "07-QĐ/HU") in rel and ("OWN", "repeals", "290-QĐ/TW") not in rel
    assert any("cannot change a higher body" in w for w in ex.warnings)


def test_a_document_that_has_expired_is_a_fact_not_an_act():
    text = ("HUYỆN ỦY PHÚ LỘC\n*\nSố 16-BC/HU\nPhú Lộc, ngày 10 tháng 3 năm 2024\n\nBÁO CÁO\nrà soát văn bản\n\n"
            "1. Các văn bản đã hết hiệu lực:\n4. Quyết định số 12-QĐ/HU, ngày 25/02/2010 của Ban Thường vụ Huyện ủy đã hết hiệu lực.\n")
    assert not any(p == "repeals" for _, p, _ in _by_symbol(kg.extract(text)))


def test_amended_by_a_later_regulation_keeps_the_title_whole():
    ex = kg.extract("Quy định số 08-QĐi/TW, ngày 25/10/2018 của Ban Chấp hành Trung ương về trách nhiệm nêu gương "
                    "được sửa đổi, bổ sung bởi Quy định số 144-QĐ/TW, ngày 09/5/2024 của Bộ Chính trị.")
    assert _by_symbol(ex) == {("144-QĐ/TW", "amends", "08-QĐi/TW")}
    assert {d.symbol: d.title for d in ex.documents}["08-QĐi/TW"].endswith("nêu gương")


def test_a_question_page_and_a_news_page_without_a_topic_never_speak():
    qa = kg.extract("# Kế hoạch thực hiện Nghị quyết 57 gồm những gì?\n\nCăn cứ Mục II Nghị quyết 57-NQ/TW năm 2024 "
                    "của Bộ Chính trị thì các nhiệm vụ gồm:\n\n- Thực hiện Kết luận 90-KL/TW về phát triển.\n")
    assert qa.relations == [] and [p.kind for p in qa.parts] == ["body"]


def test_steering_committees_and_proposals_are_no_acts():
    rel = _by_symbol(kg.extract(
        "Ban Chỉ đạo Trung ương về tổng kết Nghị quyết số 18-NQ/TW có Kế hoạch số 15-KH/BCĐ ngày 2/3/2025. "
        "Bộ Tư pháp đề nghị sửa đổi, bổ sung Nghị định số 142/2025/NĐ-CP ngày 12/6/2025 của Chính phủ."))
    assert not any(o in ("18-NQ/TW", "142/2025/NĐ-CP") for _, _, o in rel)


def test_what_a_basis_is_about_is_no_basis():
    text = ("ỦY BAN NHÂN DÂN TỈNH\n-------\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSố: 30/KH-UBND\n"
            "Hà Giang, ngày 02 tháng 5 năm 2025\n\nKẾ HOẠCH\nThực hiện chuyển đổi số\n\n"
            "Căn cứ Quyết định số 178/QĐ-TTg ngày 12/3/2025 của Thủ tướng Chính phủ về ban hành Kế hoạch triển khai "
            "Thông báo kết luận số 196-TB/TW ngày 10/1/2025 của Bộ Chính trị;\n\nI. MỤC ĐÍCH\n1. Triển khai.\n")
    rel = _by_symbol(kg.extract(text))
    assert ("OWN", "based_on", "178/QĐ-TTg") in rel and ("OWN", "based_on", "196-TB/TW") not in rel


def test_a_law_named_by_its_name_after_the_text_gave_its_symbol():
    text = ("CHÍNH PHỦ\n-------\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nSố: 41/2026/NĐ-CP\n"
            "Hà Nội, ngày 02 tháng 3 năm 2026\n\nNGHỊ ĐỊNH\nQuy định chi tiết một số điều của Luật Đường sắt\n\n"
            "Căn cứ Luật Tổ chức Chính phủ số 63/2025/QH15;\nCăn cứ Luật Đường sắt số 95/2025/QH15;\n"
            "Căn cứ Nghị định số 12/2026/NĐ-CP ngày 5 tháng 1 năm 2026 của Chính phủ quy định chi tiết thi hành "
            "một số điều của Luật Tổ chức Chính phủ;\n\nChính phủ ban hành Nghị định quy định chi tiết.\n\n"
            "Điều 1. Phạm vi điều chỉnh\n")
    rel = _by_symbol(kg.extract(text))
    assert ("OWN", "guides", "95/2025/QH15") in rel          # its title names the law
    assert ("12/2026/NĐ-CP", "guides", "63/2025/QH15") in rel  # a basis's words name another
    assert ("OWN", "guides", "63/2025/QH15") not in rel


def test_a_name_given_to_two_symbols_names_neither():
    text = ("Căn cứ Luật Đất đai số 45/2013/QH13 và Luật Đất đai số 31/2024/QH15; Nghị định số 88/2024/NĐ-CP "
            "của Chính phủ quy định chi tiết thi hành một số điều của Luật Đất đai.")
    assert not any(p == "guides" for _, p, _ in _by_symbol(kg.extract(text)))


def test_the_own_issuer_keeps_the_level_and_place_its_header_names():
    text = ("|\n**ỦY BAN NHÂN\nDÂN **\nTỈNH LÂM ĐỒNG\n-------\n|\n**CỘNG HÒA XÃ HỘI\nCHỦ NGHĨA VIỆT NAM**\n"
            "Độc lập - Tự do - Hạnh phúc\n|\n|\nSố: 77/KH-UBND\n|\n*Lâm Đồng, ngày 3\ntháng 2 năm 2026*\n|\n\n"
            "**KẾ HOẠCH**\n\nTRIỂN KHAI CÔNG TÁC NĂM 2026\n\nThực hiện Chỉ thị số 05/CT-TTg ngày 1/1/2026 của Thủ tướng.\n")
    own = kg.extract(text).source_document
    assert (own.symbol, own.issuer) == ("77/KH-UBND", "Ủy ban nhân dân tỉnh Lâm Đồng")


def test_headings_that_talk_about_a_document_are_no_title():
    for text in ("# Chỉ thị 45 yêu cầu những gì? Ai tổ chức thực hiện Chỉ thị 45?\n\n**>>> Chỉ thị 45 nêu gì**\n\n"
                 "Căn cứ Mục 2 Chỉ thị 45-CT/TW năm 2025 có quy định như sau:\n\n1. Nội dung.\n",
                 "# Cách điền phiếu đánh giá theo mẫu 3A Hướng dẫn 21\n\nHướng dẫn điền phiếu mẫu 3A Hướng dẫn 21\n\n"
                 "Căn cứ Phụ lục kèm theo Hướng dẫn 21-HD/BTCTW năm 2026, mẫu 3A dùng cho tập thể.\n"):
        assert not any(p == "based_on" for _, p, _ in _by_symbol(kg.extract(text)))


def test_a_consequence_and_a_site_speaking_are_no_acts():
    ex = kg.extract("Số: 88/CT-CS\nHà Nội, ngày 2 tháng 3 năm 2026\n\nKính gửi: Ông A.\n\n"
                    "Thực hiện Nghị quyết số 68-NQ/TW ngày 04/5/2025 của Bộ Chính trị thì hộ kinh doanh không phải nộp.\n\n"
                    "Thực hiện Nghị định 13/2023/NĐ-CP, chúng tôi cập nhật chính sách dữ liệu.\n")
    assert not {o for _, _, o in _by_symbol(ex)} & {"68-NQ/TW", "13/2023/NĐ-CP"}


def test_a_news_lede_names_the_document_whose_articles_the_text_reports():
    ex = kg.extract("Bộ Tài chính ban hành Thông tư số 12/2026/TT-BTC ngày 5/2/2026 hướng dẫn quản lý phí.\n\n"
                    "Thông tư gồm 4 chương, có hiệu lực từ ngày 1/4/2026.\n\n"
                    "Bãi bỏ Điều 5 Thông tư số 40/2021/TT-BTC ngày 1/6/2021 của Bộ Tài chính.\n")
    assert ("12/2026/TT-BTC", "repeals", "40/2021/TT-BTC") in _by_symbol(ex)


def test_a_heading_about_another_bodys_act_leaves_the_page_without_a_topic():
    ex = kg.extract("# Bộ Nội vụ đề nghị tạm dừng hội nghị thi đua\n\nNgày 2/4/2024, Hội đồng Thi đua - Khen thưởng "
                    "Trung ương đã ban hành Kế hoạch số 07/KH-HĐTĐKT về hội nghị.\n\nThực hiện Kết luận số 130-KL/TW "
                    "ngày 3/3/2025 của Bộ Chính trị, Bộ Nội vụ đề nghị các địa phương tạm dừng.\n")
    assert not any(o == "130-KL/TW" for _, _, o in _by_symbol(ex))


def test_a_cue_whose_object_starts_the_last_citation_is_read_whole():
    ex = kg.extract("Căn cứ Nghị định số 77/2026/NĐ-CP ngày 1/3/2026 của Chính phủ quy định chi tiết một số điều và "
                    "biện pháp thi hành Nghị quyết số 210/2025/QH15 ngày 2/6/2025 của Quốc hội.")
    assert ("77/2026/NĐ-CP", "guides", "210/2025/QH15") in _by_symbol(ex)


def test_the_own_issuer_from_the_header_column_the_authority_line_and_the_sites_table():
    column = kg.extract("BỘ TÀI CHÍNH\nC**ỤC THUẾ**\n-------\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
                        "Số: 812/CT-CS\nHà Nội, ngày 2 tháng 3 năm 2026\n\nKính gửi: Ông A.\n\nCục Thuế trả lời như sau.\n")
    assert column.source_document.issuer == "Cục Thuế"   # the issuing body stands under its parent
    two_lines = kg.extract("**VĂN PHÒNG\nCHÍNH PHỦ**\n--------\n**CỘNG HÒA XÃ\nHỘI CHỦ NGHĨA VIỆT NAM**\n"
                           "Độc lập - Tự do - Hạnh phúc\nSố: 701/TB-VPCP\n*Hà Nội, ngày 2 tháng 3 năm 2026*\n\n"
                           "**THÔNG BÁO**\nKết luận của Phó Thủ tướng\n\nNgày 1/3/2026, Phó Thủ tướng chủ trì.\n")
    assert two_lines.source_document.issuer == "Văn phòng Chính phủ"
    authority = kg.extract("Số: 1702/NQ-UBTVQH15 |\n|\n\n**NGHỊ QUYẾT**\n\n**Về việc sắp xếp đơn vị hành chính**\n\n\n"
                           "**ỦY BAN THƯỜNG VỤ QUỐC HỘI**\n\n*Căn cứ Luật Tổ chức chính quyền địa phương số 72/2025/QH15;*\n\n"
                           "**QUYẾT NGHỊ:**\n\n**Điều 1.** Sắp xếp.\n")
    assert authority.source_document.issuer == "Ủy ban Thường vụ Quốc hội"


def test_a_type_word_and_its_title_in_one_line_of_two_bold_runs():
    ex = kg.extract("Số: 1703/NQ-UBTVQH15 |\n|\n\n**NGHỊ QUYẾT****Về việc sắp xếp đơn vị hành chính cấp xã**\n\n"
                    "**Về việc sắp xếp đơn vị hành chính cấp xã**\n\n\n**ỦY BAN THƯỜNG VỤ QUỐC HỘI**\n\n"
                    "*Căn cứ Hiến pháp đã được sửa đổi, bổ sung một số điều theo Nghị quyết số 203/2025/QH15;*\n\n"
                    "*Căn cứ Luật Tổ chức chính quyền địa phương số 72/2025/QH15;*\n\n**QUYẾT NGHỊ:**\n\n**Điều 1.** Sắp xếp.\n")
    assert [p.kind for p in ex.parts][:4] == ["header", "title", "preamble", "enacting"]
    assert ex.source_document.issuer == "Ủy ban Thường vụ Quốc hội"
    bases = {d.symbol for d in ex.documents for r in ex.relations if r.predicate == "based_on" and r.object == d.id}
    assert bases == {"203/2025/QH15", "72/2025/QH15"}


def test_a_task_under_a_heading_that_names_another_body_is_not_the_plans_act():
    ex = kg.extract("KẾ HOẠCH\nThực hiện Chương trình phòng, chống ma túy năm 2025\n\n2. Nhiệm vụ\n\n*2.13.\n"
                    "Ủy ban nhân dân xã, phường*\n\na) Căn cứ tình hình thực tế, phối hợp với các cơ quan.\n\n"
                    "b) Triển khai hiệu quả Kế hoạch số 64/KH-UBND ngày 22/8/2025 của Ủy ban nhân dân tỉnh về xây dựng "
                    "xã không ma túy.\n\n3. Tổ chức thực hiện\n\nb) Triển khai hiệu quả Kế hoạch số 65/KH-UBND ngày "
                    "22/8/2025 của Ủy ban nhân dân tỉnh về xây dựng xã.\n")
    d = {x.symbol: x.id for x in ex.documents}
    implemented = {r.object for r in ex.relations if r.predicate == "implements" and r.subject == ex.source_document.id}
    assert d["65/KH-UBND"] in implemented  # the plan's own task
    assert d["64/KH-UBND"] not in implemented  # the communes' task


def test_a_work_named_by_its_quoted_title_is_the_decision_that_issued_it():
    ex = kg.extract("Thực hiện Quyết định số 45-QĐ/TU, ngày 3-5-2012 ban hành Quy chế “làm việc của Ban Thường vụ Tỉnh ủy "
                    "khóa XV” và Quyết định số 60-QĐ/TU, ngày 9-9-2014 sửa đổi một số điều của “Quy chế làm việc của "
                    "Ban Thường vụ Tỉnh ủy khóa XV”, Văn phòng Tỉnh ủy hướng dẫn như sau.")
    d = {x.symbol: x.id for x in ex.documents}
    assert (d["60-QĐ/TU"], "amends", d["45-QĐ/TU"]) in {(r.subject, r.predicate, r.object) for r in ex.relations}
    other = kg.extract("Quyết định số 61-QĐ/TU, ngày 9-9-2014 sửa đổi một số điều của “Quy chế làm việc của Ban Thường "
                       "vụ Tỉnh ủy khóa XV”.")
    assert not [r for r in other.relations if r.predicate == "amends"]  # no citation issued that title here


def test_recall_shapes_amended_in_some_articles_a_listed_change_and_a_document_called_van_ban():
    amended = kg.extract("Luật Đấu thầu số 23/2023/QH15 đã được sửa đổi, bổ sung một số điều theo Luật số 58/2024/QH15, "
                         "Luật số 91/2025/QH15.")
    d = {x.symbol: x.id for x in amended.documents}
    got = {(r.subject, r.predicate, r.object) for r in amended.relations}
    assert {(d["58/2024/QH15"], "amends", d["23/2023/QH15"]), (d["91/2025/QH15"], "amends", d["23/2023/QH15"])} <= got
    listed = kg.extract("Những điểm mới:\n(2) Nghị định 321/2025/NĐ-CP thay thế:\n- Nghị định 218/2013/NĐ-CP quy định chi "
                        "tiết Luật Thuế;\n- Nghị định 91/2014/NĐ-CP sửa đổi các Nghị định về thuế.\nThay thế các biểu mẫu "
                        "như sau:\n- Mẫu số 01 ban hành kèm theo Thông tư 80/2021/TT-BTC.\n")
    d = {x.symbol: x.id for x in listed.documents}
    replaced = {r.object for r in listed.relations if r.predicate == "replaces" and r.subject == d["321/2025/NĐ-CP"]}
    assert replaced == {d["218/2013/NĐ-CP"], d["91/2014/NĐ-CP"]}  # a form's list names no document replaced
    own = kg.extract("HƯỚNG DẪN\nSố: 12/HD-UBTVQH15\nHướng dẫn về việc.\n(Văn bản Hướng dẫn này thay thế cho văn bản Hướng dẫn "
                     "số 1305/HD-UBTVQH15 ngày 08/6/2025.)")
    assert [(r.predicate, r.subject) for r in own.relations] == [("replaces", own.source_document.id)]


def test_an_alias_in_brackets_does_not_end_a_list_of_objects():
    ex = kg.extract("KẾ HOẠCH\nThực hiện Nghị quyết số 164/2024/QH15 ngày 27/11/2024 của Quốc hội về Chương trình (Nghị quyết "
                    "số 164/2024/QH15), Nghị quyết số 51/NQ-CP ngày 3/4/2025 của Chính phủ về ban hành Kế hoạch (Nghị quyết số "
                    "51/NQ-CP) và Quyết định số 7620/QĐ-BCA ngày 5/5/2025 của Bộ Công an; Ủy ban nhân dân tỉnh ban hành Kế "
                    "hoạch thực hiện như sau.")
    implemented = {d.symbol for d in ex.documents for r in ex.relations if r.object == d.id and r.predicate == "implements"}
    assert implemented == {"164/2024/QH15", "51/NQ-CP", "7620/QĐ-BCA"}


def test_a_reporters_connective_before_the_reported_documents_opening():
    ex = kg.extract("# Toàn văn Công văn 17900/BTC-VP năm 2025 về kế hoạch\n\nNgày 3/11/2025, Bộ Tài chính ban hành Công văn "
                    "17900/BTC-VP năm 2025 về kế hoạch.\n\nTheo đó, thực hiện Kết luận 187-KL/TW năm 2025 và Kết luận "
                    "196-KL/TW năm 2025 của Bộ Chính trị, Bộ Tài chính xây dựng kế hoạch như sau.")
    d = {x.symbol: x.id for x in ex.documents}
    assert {(r.predicate, r.object) for r in ex.relations} == {("implements", d["187-KL/TW"]), ("implements", d["196-KL/TW"])}
    assert {r.subject for r in ex.relations} == {ex.source_document.id}


def test_an_effect_heading_is_no_act_and_a_resolution_with_its_summary_ends_on_the_own_ones_day():
    ex = kg.extract("HỘI ĐỒNG NHÂN DÂN\nTHÀNH PHỐ HÀ NỘI\nSố: 61/2025/NQ-HĐND\nNGHỊ QUYẾT\nQuy định danh mục các khoản thu\n\n"
                    "Điều 4. Hiệu lực thi hành\nNghị quyết số 04/2024/NQ-HĐND ngày 29 tháng 3 năm 2024 của Hội đồng nhân dân "
                    "Thành phố quy định danh mục các khoản thu của thành phố Hà Nội hết hiệu lực kể từ ngày Nghị quyết này có "
                    "hiệu lực thi hành.")
    assert [(r.subject, r.predicate) for r in ex.relations] == [(ex.source_document.id, "replaces")]
