"""`kg extract` as an analyst runs it: formats, files, standard input, and bad input."""
import codecs
import json

import pytest

from conftest import SEED, kg

SAMPLE = "Thực hiện Kết luận số 01-KL/TW, ngày 18/5/2021 của Bộ Chính trị về tiếp tục thực hiện Chỉ thị số 05-CT/TW.\n"


def test_table_shows_documents_and_relations():
    run = kg("extract", str(SEED))
    out = run.stdout.decode()
    assert run.returncode == 0
    assert "01-KL/TW" in out and "Kết luận" in out and "2021-05-18" in out
    assert "implements" in out and "date: 2021-12-07 ≠ 2021-09-08" in out.replace("\n", " ") or "2021-12-07" in out


def test_json_matches_the_contract(tmp_path):
    f = tmp_path / "r.txt"
    f.write_text(SAMPLE, encoding="utf-8")
    data = json.loads(kg("extract", str(f), "--format", "json").stdout)
    assert set(data) >= {"source", "source_document", "citations", "documents", "relations", "warnings"}
    assert data["source"]["chars"] == len(SAMPLE)
    c = data["citations"][0]
    assert set(c) >= {"text", "start", "end", "doc_type", "type_code", "number", "issuer_code", "symbol",
                      "date", "issuer", "title", "document"}
    assert SAMPLE[c["start"]:c["end"]] == c["text"]
    d = data["documents"][0]
    assert set(d) >= {"id", "symbol", "doc_type", "type_code", "number", "issuer_code", "date", "issuer",
                      "title", "mentions", "conflicts"}
    assert data["relations"][0]["predicate"] == "implements"
    assert data["citations"][0]["system"] == "party"


def test_ttl_is_valid_rdf(tmp_path):
    import rdflib
    f = tmp_path / "r.txt"
    f.write_text(SAMPLE, encoding="utf-8")
    run = kg("extract", str(f), "--format", "ttl")
    g = rdflib.Graph().parse(data=run.stdout.decode(), format="turtle")
    eli = rdflib.Namespace("http://data.europa.eu/eli/ontology#")
    assert (None, eli.id_local, rdflib.Literal("01-KL/TW")) in g
    pairs = {(str(a).rsplit("/", 2)[-2], str(b).rsplit("/", 1)[-1]) for a, b in g.subject_objects(eli.ensures_implementation_of)}
    # the report ("Thực hiện Kết luận …") implements 01-KL/TW, which implements 05-CT/TW
    assert pairs == {("report", "01-KL-TW-2021"), ("doc", "05-CT-TW")}


def test_stdin_and_several_files(tmp_path):
    run = kg("extract", "-", "--format", "json", input=SAMPLE.encode())
    assert json.loads(run.stdout)["source"]["path"] == "-"
    a, b = tmp_path / "a.md", tmp_path / "b.txt"
    a.write_text(SAMPLE, encoding="utf-8")
    b.write_text("Chỉ thị số 05-CT/TW.", encoding="utf-8")
    lines = kg("extract", str(tmp_path), "--format", "json").stdout.decode().splitlines()
    assert [json.loads(x)["source"]["path"].rsplit("/", 1)[-1] for x in lines] == ["a.md", "b.txt"]


def test_out_writes_the_file_atomically(tmp_path):
    f = tmp_path / "r.txt"
    f.write_text(SAMPLE, encoding="utf-8")
    out = tmp_path / "out.json"
    assert kg("extract", str(f), "--format", "json", "--out", str(out)).returncode == 0
    assert json.loads(out.read_text(encoding="utf-8"))["documents"]
    assert not list(tmp_path.glob("*.part"))


@pytest.mark.parametrize("encoding,bom", [("utf-8", codecs.BOM_UTF8), ("utf-16-le", codecs.BOM_UTF16_LE),
                                          ("utf-16-be", codecs.BOM_UTF16_BE)])
def test_boms(tmp_path, encoding, bom):
    f = tmp_path / "r.txt"
    f.write_bytes(bom + SAMPLE.encode(encoding))
    data = json.loads(kg("extract", str(f), "--format", "json").stdout)
    text = f.read_bytes().decode("utf-16" if "16" in encoding else "utf-8")
    assert [d["symbol"] for d in data["documents"]] == ["01-KL/TW", "05-CT/TW"]
    for c in data["citations"]:
        assert text[c["start"]:c["end"]] == c["text"]


def cp1258(text: str) -> bytes:
    """Encode as the legacy code page does: precomposed base letters, combining tone marks."""
    import unicodedata
    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    out = b""
    for ch in text:
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            nfd = unicodedata.normalize("NFD", ch)
            base = unicodedata.normalize("NFC", "".join(c for c in nfd if c not in tones))
            out += (base + "".join(c for c in nfd if c in tones)).encode("cp1258")
    return out


def test_cp1258_with_encoding_option(tmp_path):
    f = tmp_path / "legacy.txt"
    f.write_bytes(cp1258(SAMPLE))
    bad = kg("extract", str(f))
    assert bad.returncode != 0 and b"--encoding" in bad.stderr and b"Traceback" not in bad.stderr
    data = json.loads(kg("extract", str(f), "--format", "json", "--encoding", "cp1258").stdout)
    assert data["documents"][0]["issuer"] == "Bộ Chính trị"


@pytest.mark.parametrize("name,content,message", [
    ("missing.txt", None, b"no such file"),
    ("empty.txt", b"", b"empty file"),
    ("blank.txt", b"  \n\n", b"no text"),
    ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00", b"binary"),
    ("latin.txt", "Quyết định".encode("utf-8")[:-1] + b"\xff\xfe", b"not valid UTF-8"),
    ("truncated.txt", "Kết luậ".encode("utf-8")[:-1], b"not valid UTF-8"),
])
def test_bad_input_one_line_nonzero_no_output(tmp_path, name, content, message):
    f = tmp_path / name
    if content is not None:
        f.write_bytes(content)
    out = tmp_path / "out.json"
    run = kg("extract", str(f), "--format", "json", "--out", str(out))
    assert run.returncode != 0
    assert message in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1
    assert b"Traceback" not in run.stderr
    assert not out.exists()


def test_unknown_encoding_and_bad_base(tmp_path):
    f = tmp_path / "r.txt"
    f.write_text(SAMPLE, encoding="utf-8")
    run = kg("extract", str(f), "--encoding", "klingon")
    assert run.returncode != 0 and b"unknown encoding" in run.stderr
    run = kg("extract", str(f), "--base", "not an iri")
    assert run.returncode != 0 and b"--base" in run.stderr


def test_base_changes_document_iris(tmp_path):
    f = tmp_path / "r.txt"
    f.write_text(SAMPLE, encoding="utf-8")
    data = json.loads(kg("extract", str(f), "--format", "json", "--base", "http://example.com/kg").stdout)
    assert data["documents"][0]["id"] == "http://example.com/kg/doc/01-KL-TW-2021"


def _pdf(text: str | None) -> bytes:
    """A one-page PDF; with text=None a page without a text layer (like a scan)."""
    content = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode() if text else b""
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
            b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = b"%PDF-1.4\n", []
    for i, o in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1) + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return out


def test_docx_pdf_and_html_inputs(tmp_path):
    import docx
    d = docx.Document()
    d.add_paragraph("Thực hiện Kết luận số 01-KL/TW, ngày 18/5/2021 của Bộ Chính trị.")
    d.save(tmp_path / "r.docx")
    (tmp_path / "r.pdf").write_bytes(_pdf("Thuc hien Chi thi so 05-CT/TW ngay 15/5/2016"))
    (tmp_path / "r.html").write_text("<html><head><script>var x='02-CT/TW';</script></head><body><p>Theo "
                                     "<b>Quy định số 11-QĐi/TW</b> ngày 18/2/2019 của Bộ Chính trị</p></body></html>",
                                     encoding="utf-8")
    found = {}
    for name in ("r.docx", "r.pdf", "r.html"):
        data = json.loads(kg("extract", str(tmp_path / name), "--format", "json").stdout)
        found[name] = [(x["symbol"], x["date"]) for x in data["documents"]]
    assert found == {"r.docx": [("01-KL/TW", "2021-05-18")], "r.pdf": [("05-CT/TW", "2016-05-15")],
                     "r.html": [("11-QĐi/TW", "2019-02-18")]}
    (tmp_path / "scan.pdf").write_bytes(_pdf(None))
    run = kg("extract", str(tmp_path / "scan.pdf"))
    assert run.returncode != 0 and b"no text layer" in run.stderr
    (tmp_path / "broken.docx").write_bytes(b"PK\x03\x04 not really")
    run = kg("extract", str(tmp_path / "broken.docx"))
    assert run.returncode != 0 and b"not a readable .docx" in run.stderr


def test_several_reports_are_written_one_at_a_time_and_nothing_when_one_cannot_be_read(tmp_path):
    """A folder's output streams: each report's N-Quads are written before the next report is
    read (never all of a folder in memory). With --out a file that cannot be read leaves no file,
    wherever it comes, and every unreadable file is named."""
    import io

    from kg.cli import ExtractFormat, _write_extractions
    from kg.extract import extract
    from kg.rdf import extraction_quads, serialise

    out, asked = io.BytesIO(), []
    reports = [extract(SAMPLE, path="a.txt"), extract("Chỉ thị số 05-CT/TW.", path="b.txt")]

    def extractions():
        for ex in reports:
            asked.append(len(out.getvalue()))  # what was written when this report was asked for
            yield ex
    _write_extractions(extractions(), ExtractFormat.nq, out, "https://kg.example.org/", several=True, to_file=False)
    first = serialise(extraction_quads(reports[0], "https://kg.example.org/"), "nq")
    assert asked == [0, len(first)] and out.getvalue().startswith(first)

    good = tmp_path / "r"
    good.mkdir()
    for i in range(3):
        (good / f"{i}.txt").write_text(SAMPLE, encoding="utf-8")
    (good / "1.txt").write_bytes(b"Ch\xff th\xfe")  # the middle one: not UTF-8
    (tmp_path / "z.txt").write_bytes(b"")
    target = tmp_path / "out.nq"
    run = kg("extract", str(good), str(tmp_path / "z.txt"), "--format", "nq", "--out", str(target))
    assert run.returncode == 1 and b"Traceback" not in run.stderr
    assert b"1.txt" in run.stderr and b"z.txt" in run.stderr and len(run.stderr.splitlines()) == 2
    assert not target.exists() and not list(tmp_path.glob(".kg-*"))
    # on standard output, what could be read is written (the two good reports)
    run = kg("extract", str(good), "--format", "nq")
    assert run.returncode == 1 and run.stdout.count(b"/mention/") > 0
    assert len({line.rsplit(b" ", 2)[-2] for line in run.stdout.splitlines()}) == 1  # same bytes: one report graph


def test_ntriples_of_several_reports_are_their_union_written_a_report_at_a_time():
    """N-Triples of several reports drop the graphs: written a report at a time, each triple
    comes once, where it first came, as if all had been serialised together (the same report
    twice, and documents cited by both, are the repeats)."""
    from kg.extract import extract
    from kg.rdf import extraction_quads, serialise, union_ntriples

    base = "https://kg.example.org/"
    a, b = extract(SAMPLE, path="a.txt"), extract("Thực hiện Chỉ thị số 05-CT/TW của Bộ Chính trị.", path="b.txt")
    again = extract(SAMPLE, path="c.txt")
    chunks = list(union_ntriples([a, b, again], base))
    assert len(chunks) == 3
    assert b"".join(chunks) == serialise([q for ex in (a, b, again) for q in extraction_quads(ex, base)], "nt")
    assert b"c.txt" in chunks[2] and b"/mention/" not in chunks[2]


def test_a_command_runs_in_an_app_of_its_own_with_the_same_options_and_help():
    """`kg extract …` builds only extract's options (the whole command tree is 10-15 ms of a cold
    start); every command's help, and an unknown command's usage error, stay what the whole app says."""
    from typer.testing import CliRunner

    from kg.cli import app, app_for
    runner = CliRunner()
    names = [c.name for c in app_for([]).registered_commands]
    assert app_for([]) is app and app_for(["--help"]) is app and app_for(["nonsense"]) is app
    for info in app.registered_commands:
        from typer.main import get_command_name
        name = info.name or get_command_name(info.callback.__name__)
        one = app_for([name, "--help"])
        assert one is not app and len(one.registered_commands) == 1
        shown = runner.invoke(one, [name, "--help"]).output
        assert f"kg {name} [OPTIONS]" in shown.replace("root ", "kg ") or "Usage:" in shown
        assert shown == runner.invoke(app, [name, "--help"]).output
    assert names == [c.name for c in app.registered_commands]
