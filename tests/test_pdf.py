"""PDF input: text layers from two real producers (Chromium's --print-to-pdf and matplotlib's
PDF backend), read by PDFium. Citations broken across lines and pages, with running headers,
footers and page numbers between the halves, are found whole."""
import json
import subprocess
from pathlib import Path

import pytest

import kg
from conftest import kg as run_kg
from kg.read import read_report
from kg.extract import extract_report

CHROMIUM = "/usr/bin/chromium"
FILLER = " ".join(["Chi bộ đã quán triệt, triển khai đầy đủ các nội dung công tác dân vận trong năm qua."] * 14)


def chromium_pdf(tmp_path: Path, html: str) -> Path:
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is missing: run ./setup")
    src, out = tmp_path / "r.html", tmp_path / "r.pdf"
    src.write_text(html, encoding="utf-8")
    subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--no-first-run", f"--print-to-pdf={out}",
                    src.as_uri()], check=True, capture_output=True, timeout=60)
    return out


def matplotlib_pdf(tmp_path: Path, pages: list[list[tuple]]) -> Path:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.backends.backend_pdf import PdfPages
    out = tmp_path / "m.pdf"
    with matplotlib.rc_context({"pdf.fonttype": 42}), PdfPages(out) as pdf:  # TrueType, as office software embeds
        for lines in pages:
            fig = plt.figure(figsize=(8.27, 11.69))
            for y, text, *x in lines:  # (y, text) or (y, text, x): x 0.08 is the left margin
                fig.text(x[0] if x else 0.08, y, text, fontsize=10)
            pdf.savefig(fig)
            plt.close(fig)
    return out


def extract_pdf(path: Path):
    report = read_report(str(path))
    return report, extract_report(report)


def test_chromium_pdf_citation_across_a_page_break_with_headers_and_footers(tmp_path):
    # Chromium prints a running header (date, title) and footer (URL, "1/2") on every page; the
    # citation's issuer is cut by the page break, a symbol by a line break
    pdf = chromium_pdf(tmp_path, f"""<!doctype html><html><head><meta charset="utf-8"><title>Báo cáo sơ kết</title>
        <style>body {{ font: 13pt serif; width: 15cm }} p {{ margin: 0 }}</style></head><body>
        <p>{FILLER} Thực hiện Kết luận số 01-KL/TW, ngày 18/5/2021 của Ủy ban Kiểm tra</p>
        <p style="break-before: page">Trung ương về tiếp tục thực hiện Chỉ thị số 05-CT/TW, Ban Thường vụ Thành ủy ban
        hành Quyết định số 1155-<br>QĐ/TU, ngày 20/10/2023 của Ban Thường vụ<br>Thành ủy.</p></body></html>""")
    report, ex = extract_pdf(pdf)
    text = report.text
    assert "file://" not in text and "Báo cáo sơ kết" not in text  # header and footer left out
    assert "\f" in text  # the page break, which the extractor reads as a space inside the sentence
    docs = {d.symbol: d for d in ex.documents}
    assert docs["01-KL/TW"].issuer == "Ủy ban Kiểm tra Trung ương"
    assert (docs["1155-QĐ/TU"].date, docs["1155-QĐ/TU"].issuer) == ("2023-10-20", "Ban Thường vụ Thành ủy")
    sym = {d.id: d.symbol for d in ex.documents}
    assert {(sym.get(r.subject), r.predicate, sym[r.object]) for r in ex.relations} >= {
        ("01-KL/TW", "implements", "05-CT/TW"), ("1155-QĐ/TU", "implements", "01-KL/TW")}
    for c in ex.citations:
        assert text[c.start:c.end] == c.text
    assert not [w for w in ex.warnings if "glyph" in w or "text layer" in w]


def test_matplotlib_pdf_page_numbers_and_running_header_between_the_halves(tmp_path):
    header = "ĐẢNG BỘ TỈNH BẮC KẠN - BÁO CÁO SỐ 12-BC/TU"
    pdf = matplotlib_pdf(tmp_path, [
        [(0.95, header), (0.5, "Căn cứ Hướng dẫn số 115-HD/BTGTW, ngày 08 tháng 01 năm 2020 của Ban Tuyên giáo"),
         (0.03, "- 1 -")],
        [(0.95, header), (0.9, "Trung ương; Kế hoạch số 157-KH/TU, ngày 17/9/2019 của Ban Thường vụ Tỉnh ủy."),
         (0.03, "- 2 -")],
        [(0.95, header), (0.9, "Báo cáo số 3 kết thúc."), (0.03, "- 3 -")],
    ])
    report, ex = extract_pdf(pdf)
    assert header not in report.text and "- 2 -" not in report.text
    docs = {d.symbol: d for d in ex.documents}
    assert set(docs) == {"115-HD/BTGTW", "157-KH/TU"}  # the header's own symbol is not cited on any page
    assert docs["115-HD/BTGTW"].issuer == "Ban Tuyên giáo Trung ương"
    assert docs["115-HD/BTGTW"].date == "2020-01-08"
    own = ex.source_document.id
    assert {(r.subject, r.predicate) for r in ex.relations} == {(own, "based_on")}


def test_page_without_text_layer_is_a_warning_and_a_scan_an_error(tmp_path):
    pdf = matplotlib_pdf(tmp_path, [[(0.5, "Thực hiện Kết luận số 01-KL/TW, ngày 18/5/2021 của Bộ Chính trị.")], []])
    run = run_kg("extract", str(pdf), "--format", "json")
    data = json.loads(run.stdout)
    assert run.returncode == 0 and [d["symbol"] for d in data["documents"]] == ["01-KL/TW"]
    assert any("page 2 of 2 has no text layer" in w for w in data["warnings"])
    scan = matplotlib_pdf(tmp_path, [[], []])
    run = run_kg("extract", str(scan))
    assert run.returncode == 1 and b"no text layer" in run.stderr and b"Traceback" not in run.stderr


@pytest.mark.parametrize("page_break", ["\n\n- 7 -\n\n", "\n7\n", "\f", "\n\nTrang 7/12\n\n"])
def test_text_layers_saved_as_text_keep_citations_whole_across_page_numbers(page_break):
    text = ("Báo cáo của chi bộ.\n\nThực hiện Kết luận số 01-KL/TW, ngày 18/5/2021 của Ủy ban Kiểm tra"
            + page_break + "Trung ương về tiếp tục thực hiện Chỉ thị số 05-CT/TW, chi bộ đã triển khai.")
    ex = kg.extract(text)
    d = {x.symbol: x for x in ex.documents}
    assert d["01-KL/TW"].issuer == "Ủy ban Kiểm tra Trung ương"
    assert set(d) == {"01-KL/TW", "05-CT/TW"}  # the page number is no document
    for c in ex.citations:
        assert text[c.start:c.end] == c.text


def test_a_symbol_broken_at_its_hyphen_keeps_its_hyphen(tmp_path):
    """PDFium joins a word broken after a hyphen at a line's end and marks the hyphen U+FFFE
    ("136/2003/NĐ\\ufffeCP"): read as the hyphen it is, so State symbols keep their issuer code."""
    pdf = chromium_pdf(tmp_path, """<!doctype html><html><head><meta charset="utf-8"><style>
        body { font: 13pt serif; width: 15cm } p { margin: 0 }</style></head><body>
        <p>Căn cứ Nghị định số 136/2003/NĐ-<br>CP ngày 14/11/2003 của Chính phủ; thực hiện Kế hoạch số 130/KH-<br>UBND
        ngày 03/12/2025 của Ủy ban nhân dân tỉnh Tuyên Quang.</p></body></html>""")
    report, ex = extract_pdf(pdf)
    assert "\ufffe" not in report.text and "NĐ-CP" in report.text
    assert {d.symbol for d in ex.documents} >= {"136/2003/NĐ-CP", "130/KH-UBND"}
    for c in ex.citations:
        assert report.text[c.start:c.end] == c.text


# Text layers that other tools made (pdftotext, pdfminer.six, PyMuPDF, pypdfium2 saved as it is),
# given to kg as plain text: bench/pdf_roundtrip.py --producer measures them on the shared texts.

@pytest.mark.parametrize("mark, newline", [("\ufffe", "\r\n"), ("\x02", "\n")])
def test_a_pdfium_text_layer_saved_as_it_is_keeps_its_hyphens(mark, newline):
    """pypdfium2's get_text_range marks a hyphen at a line's end U+FFFE (U+0002 in some builds)
    and ends lines with CRLF: read as the hyphen it is, as kg's own PDF reader does."""
    text = (f"Căn cứ Nghị định số 45/2019/NĐ{mark}{newline}CP ngày 21 tháng 5 năm 2019 của Chính phủ; thực hiện"
            f" Kế hoạch số 88/KH{mark}{newline}UBND ngày 02/02/2024 của Ủy ban nhân dân tỉnh Lạng Sơn.{newline}")
    ex = kg.extract(text)
    assert {d.symbol for d in ex.documents} == {"45/2019/NĐ-CP", "88/KH-UBND"}
    for c in ex.citations:
        assert text[c.start:c.end] == c.text


def test_a_browser_s_header_over_the_first_page_is_a_running_header_too():
    """A page printed by a browser has its date and title over every page and its address and
    "1/2" under it; a text layer cut into pages ("\\f") has the first page's header before any
    break: it is dropped as the others are, so the page's own heading opens the text."""
    filler = " ".join(["Các bộ, ngành và địa phương cần tập trung chỉ đạo, tổ chức thực hiện nghiêm túc các nhiệm"
                       " vụ được giao trong năm."] * 8)
    stamp = "6/3/25, 10:05 AM\n\nThủ tướng chỉ thị về phòng chống thiên tai\n\n"
    foot = "\n\nhttps://tintuc.example.vn/thu-tuong-chi-thi-12\n\n{}/2\n\n\f"
    page1 = ("# Thủ tướng chỉ thị tăng cường phòng chống thiên tai năm 2025\n\n"
             "Mới đây, Thủ tướng Chính phủ ban hành Chỉ thị số 12/CT-TTg về tăng cường công tác phòng, chống thiên"
             " tai.\n\nĐể thực hiện Kết luận số 77-KL/TW ngày 12 tháng 4 năm 2024 của Bộ Chính trị, Thủ tướng yêu cầu"
             " các bộ, ngành tiếp tục thực hiện quyết liệt các giải pháp.\n\n" + filler)
    text = stamp + page1 + foot.format(1) + stamp + filler + " Hết." + foot.format(2)
    ex = kg.extract(text)
    sym = {d.id: d.symbol for d in ex.documents}
    assert [(sym.get(r.subject), r.predicate, sym[r.object]) for r in ex.relations] == [
        ("12/CT-TTg", "implements", "77-KL/TW")]


def test_a_header_rule_glued_to_the_next_cell_is_no_part_of_it():
    """pdftotext reads a two-column header row by row and glues the dashes drawn under the body's
    name to the motto and those under the motto to the "Số" line."""
    text = ("TỈNH ỦY LẠNG SƠN\nBAN TUYÊN GIÁO\n-------ĐẢNG CỘNG SẢN VIỆT NAM\n---------Số: 24-HD/BTGTU\n"
            "Lạng Sơn, ngày 10 tháng 5 năm 2024\nHƯỚNG DẪN\ntuyên truyền Quy định số 144-QĐ/TW của Bộ Chính trị\n"
            "Thực hiện Quy định số 144-QĐ/TW, ngày 09/5/2024 của Bộ Chính trị về chuẩn mực đạo đức cách mạng của"
            " cán bộ,\nđảng viên, Ban Tuyên giáo Tỉnh ủy hướng dẫn như sau:\nI. MỤC ĐÍCH, YÊU CẦU\n"
            "1. Nâng cao nhận thức của cán bộ, đảng viên.\n")
    ex = kg.extract(text)
    assert (ex.source_document.symbol, ex.source_document.date) == ("24-HD/BTGTU", "2024-05-10")
    sym = {d.id: d.symbol for d in ex.documents}
    assert {(r.subject, sym[r.object]) for r in ex.relations} == {(ex.source_document.id, "144-QĐ/TW")}


def test_a_stray_nul_in_a_text_layer_is_read_and_many_are_binary(tmp_path):
    """A glyph a PDF's font maps to no character comes out of some extractors as NUL: one in a
    text layer is no binary file (UTF-16 without a BOM, half NUL bytes, still is)."""
    layer = tmp_path / "layer.txt"
    layer.write_bytes(("Thực hiện Kết luận số 14-KL/TW, ngày 22/9/2021 của Bộ Chính trị (\x00僚).\n"
                       + FILLER + "\n").encode())
    run = run_kg("extract", str(layer), "--format", "json")
    assert run.returncode == 0, run.stderr
    assert [d["symbol"] for d in json.loads(run.stdout)["documents"]] == ["14-KL/TW"]
    wide = tmp_path / "wide.txt"
    wide.write_bytes("Kết luận số 14-KL/TW".encode("utf-16-le"))
    run = run_kg("extract", str(wide))
    assert run.returncode == 1 and b"binary" in run.stderr


def test_a_blank_line_inside_a_citation_is_a_box_boundary_not_a_paragraph():
    """pdfminer.six writes a blank line wherever its layout analysis starts a new text box, also
    inside a sentence: after "ngày", "của", "số" or before "của" no paragraph ends or opens."""
    text = ("Căn cứ Nghị quyết số 52/NQ-CP ngày\n\n12 tháng 3 năm 2024 của Chính phủ về chuyển đổi số;\n"
            "Căn cứ Quyết định số 806/QĐ-TTg ngày 15 tháng 7 năm 2024\n\ncủa Thủ tướng Chính phủ về phê duyệt đề án;\n\n"
            "QUYẾT ĐỊNH\n\nvề việc ban hành quy chế\n"
            "Điều 3. Quyết định số 17/2019/QĐ-UBND ngày 02 tháng 5 năm 2019 quy định mức chi\n\nvà mức hỗ trợ hết hiệu"
            " lực kể từ ngày Quyết định này có hiệu lực.\n")
    ex = kg.extract(text)
    docs = {d.symbol: d for d in ex.documents}
    assert (docs["52/NQ-CP"].date, docs["52/NQ-CP"].issuer) == ("2024-03-12", "Chính phủ")
    assert docs["806/QĐ-TTg"].issuer == "Thủ tướng Chính phủ"
    from kg.normalise import normalise as _n
    assert "mức chi và mức hỗ trợ" in _n(text).norm
    from kg.normalise import normalise
    assert "QUYẾT ĐỊNH\n\nvề việc" in normalise(text).norm  # a title's trích yếu in lower case: a paragraph still


@pytest.mark.parametrize("stamp", ["6/3/25, 10:05 AM\n\nThủ tướng chỉ thị về phòng chống thiên tai\n\n",
                                   "06/03/2025 10:05 Thủ tướng chỉ thị về phòng chống thiên tai\n"])
def test_a_browser_s_header_over_a_single_page_is_left_out(stamp):
    """Over one page a running header cannot recur: a browser's date and time on the text's first
    line (with the page's title beside it or under it) is the print's, not the page's."""
    text = (stamp + "# Thủ tướng chỉ thị tăng cường phòng chống thiên tai năm 2025\n\n"
            "Mới đây, Thủ tướng Chính phủ ban hành Chỉ thị số 12/CT-TTg về tăng cường công tác phòng, chống thiên"
            " tai.\n\nĐể thực hiện Kết luận số 77-KL/TW ngày 12 tháng 4 năm 2024 của Bộ Chính trị, Thủ tướng yêu cầu"
            " các bộ, ngành tiếp tục thực hiện quyết liệt các giải pháp.\n\n"
            "https://tintuc.example.vn/thu-tuong-chi-thi-12\n\n1/1\n\n\f")
    ex = kg.extract(text)
    sym = {d.id: d.symbol for d in ex.documents}
    assert [(sym.get(r.subject), r.predicate, sym[r.object]) for r in ex.relations] == [
        ("12/CT-TTg", "implements", "77-KL/TW")]


def test_paragraphs_of_a_pdf_are_told_by_the_space_above_them_and_their_indent(tmp_path):
    """PDFium's text has no blank line between paragraphs: a heading or a label without closing
    punctuation ran on into the paragraph under it (the report's title into "Thực hiện …").
    The space above a line (larger than the page's line pitch) or a first-line indent starts a
    paragraph; a sentence that runs on (lower case under a line without closing mark) stays one."""
    pdf = matplotlib_pdf(tmp_path, [[
        (0.92, "BÁO CÁO"),
        (0.88, "sơ kết 02 năm thực hiện Kết luận số 21-KL/TW, ngày 25/10/2021 của Ban Chấp hành Trung ương"),
        (0.865, "về đẩy mạnh xây dựng, chỉnh đốn Đảng và hệ thống chính trị"),
        (0.83, "Thực hiện Hướng dẫn số 07-HD/ĐUK, ngày 12/3/2023 của Ban Thường vụ Đảng ủy Khối, Chi bộ"),
        (0.815, "báo cáo kết quả thực hiện như sau:"),
        (0.78, "I. KẾT QUẢ THỰC HIỆN"),
        (0.75, "Chi bộ đã tổ chức quán triệt Kết luận số 21-KL/TW đến toàn thể đảng viên, gắn với việc"),
        (0.735, "học tập chuyên đề năm 2023 của Đảng bộ Khối"),
        (0.72, "Ban Thường vụ Đảng ủy Khối đánh giá cao kết quả của Chi bộ trong năm qua và đề nghị tiếp", 0.12),
        (0.705, "tục phát huy."),
    ]])
    report, ex = extract_pdf(pdf)
    paragraphs = [" ".join(p.split()) for p in report.text.split("\n\n")]
    assert [p[:22] for p in paragraphs] == ["BÁO CÁO", "sơ kết 02 năm thực hiệ", "Thực hiện Hướng dẫn số",
                                            "I. KẾT QUẢ THỰC HIỆN", "Chi bộ đã tổ chức quán", "Ban Thường vụ Đảng ủy "]
    sym = {d.id: d.symbol for d in ex.documents}
    own = ex.source_document.id
    assert {(r.subject, r.predicate, sym[r.object]) for r in ex.relations} == {
        (own, "reviews", "21-KL/TW"), (own, "implements", "07-HD/ĐUK")}
