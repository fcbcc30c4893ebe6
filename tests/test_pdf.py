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


def matplotlib_pdf(tmp_path: Path, pages: list[list[tuple[float, str]]]) -> Path:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.backends.backend_pdf import PdfPages
    out = tmp_path / "m.pdf"
    with matplotlib.rc_context({"pdf.fonttype": 42}), PdfPages(out) as pdf:  # TrueType, as office software embeds
        for lines in pages:
            fig = plt.figure(figsize=(8.27, 11.69))
            for y, text in lines:
                fig.text(0.08, y, text, fontsize=10)
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
