"""Issue 20, the readers (7, 23, 24, 25) and issue 19's run-on .docx paragraphs: every format is
read in linear time under a per-file limit, entities are never expanded, .odt/.rtf are read,
.doc says how to convert, and no file in a folder is left out without a word."""
import io
import json
import zipfile

import pytest

from conftest import kg as run_kg
from kg import read
from kg.read import ReadError, decode_report

SENTENCE = "Thực hiện Quyết định số 1155-QĐ/TU, ngày 20/10/2023 của Ban Thường vụ Thành ủy"


def kg(*args, timeout=120):
    return run_kg(*args, timeout=timeout)


def one_line_error(run, code=1):
    err = run.stderr.decode()
    assert run.returncode == code, (run.returncode, err)
    assert "Traceback" not in err and err.startswith("kg: error:") and err.count("\n") == 1, err
    return err


def symbols(run) -> list[str]:
    assert run.returncode == 0, run.stderr
    return [d["symbol"] for d in json.loads(run.stdout)["documents"]]


# 23. HTML in linear time

def test_hostile_html_is_read_in_linear_time(tmp_path):
    page = tmp_path / "r.html"
    # 800 KB of unclosed tags: 392 s with the standard library's parser (quadratic)
    page.write_text(f"<p>{SENTENCE}.</p>" + "<a" * 400_000, encoding="utf-8")
    run = kg("extract", str(page), "--format", "json", timeout=300)
    assert "1155-QĐ/TU" in symbols(run)


def test_html_text_skips_scripts_and_keeps_entities():
    text = decode_report('<html><head><meta charset="koi8-r"><script>var x="07-CT/TW"</script></head>'
                         '<body><p>Theo <b>Quy định số 11-QĐi/TW</b> &amp; ngày&nbsp;18</p></body></html>'.encode(), "r.html")
    assert "07-CT/TW" not in text and "Quy định số 11-QĐi/TW & ngày\xa018" in text


def test_an_html_page_is_read_as_a_site_serves_it_without_its_menus():
    """A news page as HTML: its menus and side panels (links to other documents) and its <title>
    are not its text; its headings read as Markdown's ("# …"), so the page is a web page whose
    opening names the document it reports on, as the same page saved as Markdown is."""
    import kg as kglib
    page = ('<!doctype html><html><head><meta charset="utf-8"><title>Chỉ thị 05/CT-TTg năm 2025 - Tin tức</title></head>'
            '<body><nav><a href="/">Trang chủ</a><a href="/nq57">Nghị quyết 57-NQ/TW</a></nav><article>'
            '<h1>Thủ tướng yêu cầu đẩy mạnh giải ngân vốn đầu tư công</h1>'
            '<p>Mới đây, Thủ tướng Chính phủ có Chỉ thị 05/CT-TTg về các nhiệm vụ, giải pháp trọng tâm.</p>'
            '<p>Để thực hiện Kết luận số 123-KL/TW ngày 24 tháng 01 năm 2025 của Trung ương, Thủ tướng yêu cầu '
            'các Bộ trưởng tập trung triển khai.</p></article>'
            '<aside><h2>Văn bản liên quan</h2><a href="/x">Quyết định 1509/QĐ-TTg</a></aside></body></html>')
    text = decode_report(page.encode(), "r.html")
    assert "57-NQ/TW" not in text and "1509/QĐ-TTg" not in text and "Tin tức" not in text
    assert text.lstrip().startswith("# Thủ tướng yêu cầu")
    ex = kglib.extract(text)
    assert [d.symbol for d in ex.documents] == ["05/CT-TTg", "123-KL/TW"]
    by_symbol = {d.id: d.symbol for d in ex.documents}
    assert [(by_symbol.get(r.subject), r.predicate, by_symbol[r.object]) for r in ex.relations] == \
        [("05/CT-TTg", "implements", "123-KL/TW")]


def test_every_reader_has_a_time_limit(monkeypatch):
    monkeypatch.setattr(read, "READ_SECONDS", -1.0)
    for name, data in [("r.html", b"<p>x</p>"), ("r.docx", _docx(b"<w:p><w:r><w:t>x</w:t></w:r></w:p>")),
                       ("r.odt", _odt("<text:p>x</text:p>")), ("r.rtf", rb"{\rtf1 x}"), ("r.pdf", _pdf_pages(1))]:
        with pytest.raises(ReadError, match="took over"):
            decode_report(data, name)


# 24. PDF: shared page trees, encrypted files

def _pdf(objects: list[bytes], trailer_extra: bytes = b"") -> bytes:
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % i + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for o in offsets:
        out.write(b"%010d 00000 n \n" % o)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R %s >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, trailer_extra, xref))
    return out.getvalue()


def _pdf_pages(n: int) -> bytes:
    return _pdf([b"<< /Type /Catalog /Pages 2 0 R >>",
                 b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % (3 + i) for i in range(n)), n)]
                + [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>"] * n)


def test_a_pdf_whose_page_tree_shares_nodes_is_refused_at_once(tmp_path):
    # 1 catalog, 6 levels of a node that lists the level below ten times: 10**6 pages in 1.5 KB
    objs = [b"<< /Type /Catalog /Pages 8 0 R >>", b"<< /Type /Page /MediaBox [0 0 200 200] >>"]
    for level in range(1, 7):
        kid = b"%d 0 R" % (level + 1)
        objs.append(b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join([kid] * 10), 10 ** level))
    data = _pdf(objs)
    assert len(data) < 2000
    f = tmp_path / "bomb.pdf"
    f.write_bytes(data)
    err = one_line_error(kg("extract", str(f), timeout=300))
    assert "pages" in err and "1,000,000" in err


def test_an_encrypted_pdf_says_encrypted(tmp_path):
    enc = (b"/Encrypt 4 0 R /ID [<0123456789abcdef0123456789abcdef> <0123456789abcdef0123456789abcdef>]")
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
            b"<< /Filter /Standard /V 1 /R 2 /P -4 /O <" + b"ab" * 32 + b"> /U <" + b"cd" * 32 + b"> >>"]
    f = tmp_path / "locked.pdf"
    f.write_bytes(_pdf(objs, enc))
    assert "encrypted" in one_line_error(kg("extract", str(f)))


# 25. .docx: entities off wherever the DOCTYPE stands

W = b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'


def _docx(body: bytes, prefix: bytes = b"") -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", prefix + W + body + b"</w:body></w:document>")
    return buf.getvalue()


def test_a_doctype_after_a_long_comment_is_refused():
    laughs = (b'<?xml version="1.0"?><!--' + b"x" * 3000 + b'--><!DOCTYPE w:document [<!ENTITY a "aaaaaaaaaa">'
              b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">'
              b'<!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>')
    with pytest.raises(ReadError, match="entities"):
        decode_report(_docx(b"<w:p><w:r><w:t>&d;&d;&d;</w:t></w:r></w:p>", laughs), "r.docx")


def test_a_small_member_is_checked_for_its_ratio_too():
    body = b"<w:p><w:r><w:t>" + b"a" * 600_000 + b"</w:t></w:r></w:p>"  # 600 KB of XML in ~1 KB
    with pytest.raises(ReadError, match="zip bomb"):
        decode_report(_docx(body), "r.docx")


# issue 19: a .docx made from PDF or plain text, one line a paragraph

def test_docx_paragraphs_that_break_inside_a_sentence_are_joined(tmp_path):
    lines = ["Thực hiện Quyết định số 1155-", "QĐ/TU, ngày 20/10/2023 của Ban Thường vụ", "Thành ủy về việc tổ chức",
             "thực hiện Chỉ thị số 05-CT/TW, ngày", "15/5/2016 của Bộ Chính trị, Ban Thường vụ Huyện ủy báo",
             "cáo kết quả như sau:", "I. KẾT QUẢ", "1. Công tác lãnh đạo, chỉ đạo."]
    body = b"".join(b"<w:p><w:r><w:t>" + ln.encode() + b"</w:t></w:r></w:p>" for ln in lines)
    f = tmp_path / "wrapped.docx"
    f.write_bytes(_docx(body))
    text = decode_report(f.read_bytes(), "wrapped.docx")
    assert "1155-\nQĐ/TU" in text and "như sau:\n\nI. KẾT QUẢ" in text  # a line, not a paragraph
    run = kg("extract", str(f), "--format", "json")
    assert {"1155-QĐ/TU", "05-CT/TW"} <= set(symbols(run))
    data = json.loads(run.stdout)
    for c in data["citations"]:  # offsets point into the text as read
        assert text[c["start"]:c["end"]] == c["text"]


def test_ordinary_docx_paragraphs_stay_paragraphs():
    body = b"".join(b"<w:p><w:r><w:t>" + s.encode() + b"</w:t></w:r></w:p>"
                    for s in ["Báo cáo sơ kết.", "Ban Thường vụ Huyện ủy", "Nơi nhận:"])
    assert decode_report(_docx(body), "r.docx") == "Báo cáo sơ kết.\n\nBan Thường vụ Huyện ủy\n\nNơi nhận:"


# 7. .odt, .rtf, .doc

def _odt(paragraphs: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        z.writestr("content.xml", '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
                   'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
                   'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
                   'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"><office:body><office:text>'
                   + paragraphs + "</office:text></office:body></office:document-content>")
    return buf.getvalue()


def test_odt_is_read(tmp_path):
    f = tmp_path / "r.odt"
    f.write_bytes(_odt('<text:h>BÁO CÁO</text:h><text:p>Thực hiện <text:span>Kết luận số 01-KL/TW</text:span>,'
                       '<text:s text:c="2"/>ngày 18/5/2021 của Bộ Chính trị<office:annotation><text:p>07-CT/TW</text:p>'
                       '</office:annotation>.</text:p><table:table><table:table-row><table:table-cell><text:p>A</text:p>'
                       '</table:table-cell><table:table-cell><text:p>B</text:p></table:table-cell></table:table-row></table:table>'))
    text = decode_report(f.read_bytes(), "r.odt")
    assert "Kết luận số 01-KL/TW,  ngày 18/5/2021" in text and "A | B" in text and "07-CT/TW" not in text
    assert symbols(kg("extract", str(f), "--format", "json")) == ["01-KL/TW"]


def test_rtf_is_read_in_its_code_page_and_unicode(tmp_path):
    # Word writes Vietnamese as \uN with a one-byte fallback; older files as cp1258 bytes
    word = "".join(f"\\u{ord(c)}?" if ord(c) > 127 else c for c in "Thực hiện Kết luận số 01-KL/TW")
    legacy = "".join(f"\\'{b:02x}" if b > 127 else chr(b) for b in b"Chi\xd2 thi\xf2 s\xf4\xec 05-CT/TW")  # cp1258: tones combine
    rtf = ("{\\rtf1\\ansi\\ansicpg1258\\deff0{\\fonttbl{\\f0 Times New Roman;}}{\\*\\generator x;}"
           "{\\info{\\title 07-CT/TW}}\\pard " + word + ", ng\\u224?y 18/5/2021\\par " + legacy + " c\\u7911?a B\\u7897? "
           "Ch\\'ednh tr\\'d2\\par}")
    f = tmp_path / "r.rtf"
    f.write_bytes(rtf.encode("ascii"))
    text = decode_report(f.read_bytes(), "r.rtf")
    assert "Thực hiện Kết luận số 01-KL/TW, ngày 18/5/2021" in text and "07-CT/TW" not in text
    assert set(symbols(kg("extract", str(f), "--format", "json"))) == {"01-KL/TW", "05-CT/TW"}


def test_hostile_rtf_is_read_in_linear_time():
    # striprtf's hyperlink regex takes 260 s on this at 60 KB (cubic); here 1.5 MB
    data = b"{\\rtf1 " + b'{\\field{\\*\\fldinst{HYPERLINK "' * 50_000 + b"}"
    with pytest.raises(ReadError, match="nested"):
        decode_report(data, "r.rtf")
    data = b"{\\rtf1 " + b'{\\field{\\*\\fldinst{HYPERLINK "x}}{\\fldrslt 07-CT/TW }}' * 50_000 + b"}"
    text = decode_report(data, "r.rtf")
    assert text.count("07-CT/TW") == 50_000 and "HYPERLINK" not in text


def test_doc_says_how_to_convert_and_reads_rtf_under_that_name(tmp_path):
    ole = tmp_path / "old.doc"
    ole.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    assert "soffice --headless --convert-to docx" in one_line_error(kg("extract", str(ole)))
    rtf = tmp_path / "saved-as.doc"
    rtf.write_bytes(b"{\\rtf1\\ansi Ch\\'ec th\\'ec 05-CT/TW\\par}")
    assert "05-CT/TW" in symbols(kg("extract", str(rtf), "--format", "json"))


def test_no_file_in_a_folder_is_left_out_silently(tmp_path):
    (tmp_path / "a.txt").write_text(SENTENCE + ".", encoding="utf-8")
    (tmp_path / "b.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    (tmp_path / "c.xlsx").write_bytes(b"PK\x03\x04")
    run = kg("extract", str(tmp_path), "--format", "json")
    err = run.stderr.decode()
    assert run.returncode == 1  # b.doc could not be read
    assert "b.doc" in err and "soffice" in err and "c.xlsx" in err and "not a format kg reads" in err
    assert "1155-QĐ/TU" in run.stdout.decode()
