"""Defects found by using kg as a new user and as an attacker would (issue 12): one test each,
each failing before its fix."""
import json
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from conftest import SEED
from conftest import kg as run_kg

SAMPLE = "Thực hiện Kết luận số 01-KL/TW, ngày 18/5/2021 của Bộ Chính trị về tiếp tục thực hiện Chỉ thị số 05-CT/TW.\n"


def kg(*args, input=None, timeout=120):
    return run_kg(*args, input=input, timeout=timeout)


def one_line_error(run, code=1):
    err = run.stderr.decode()
    assert run.returncode == code, (run.returncode, err)
    assert b"Traceback" not in run.stderr and err.startswith("kg: error:") and err.count("\n") == 1, err


@pytest.fixture
def report(tmp_path):
    f = tmp_path / "r.txt"
    f.write_text(SAMPLE, encoding="utf-8")
    return f


# 1. --out replaces what it should not

def test_out_writes_through_a_symlink(tmp_path, report):
    real = tmp_path / "real.json"
    real.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    assert kg("extract", str(report), "--format", "json", "--out", str(link)).returncode == 0
    assert link.is_symlink() and json.loads(real.read_text(encoding="utf-8"))["documents"]


def test_out_writes_into_a_fifo(tmp_path, report):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got = []
    reader = threading.Thread(target=lambda: got.append(open(fifo, "rb").read()))
    reader.start()
    run = kg("extract", str(report), "--format", "json", "--out", str(fifo))
    reader.join(30)
    assert run.returncode == 0 and stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert json.loads(got[0])["documents"]


@pytest.mark.skipif(os.geteuid() != 0, reason="mknod needs root")
def test_out_to_a_character_device_is_never_replaced_by_a_file(tmp_path, report):
    null, full = tmp_path / "null", tmp_path / "full"
    os.mknod(null, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    os.mknod(full, stat.S_IFCHR | 0o666, os.makedev(1, 7))
    assert kg("extract", str(report), "--format", "json", "--out", str(null)).returncode == 0
    assert stat.S_ISCHR(os.stat(null).st_mode)
    one_line_error(kg("extract", str(report), "--format", "json", "--out", str(full)))  # "No space left on device"
    assert stat.S_ISCHR(os.stat(full).st_mode)


def test_out_refuses_folders_and_a_trailing_slash(tmp_path, report):
    one_line_error(kg("extract", str(report), "--out", str(tmp_path) + "/newdir/", "--format", "json"))
    assert not (tmp_path / "newdir").exists()
    (tmp_path / "adir").mkdir()
    one_line_error(kg("extract", str(report), "--out", str(tmp_path / "adir"), "--format", "json"))
    assert (tmp_path / "adir").is_dir()


# 4. Report text read as terminal markup

HOSTILE = ("Kết luận số 01-KL/TW, ngày 18/5/2021 của Bộ Chính trị về [bold]in đậm[/bold] [/x] "
           "[link=http://evil.example]bấm[/link] \x1b]8;;http://evil.example\x1b\\liên kết\x1b]8;;\x1b\\ \x1b[31mđỏ\x1b[0m. "
           "Chỉ thị số 03-CT/TW ngày 31/02/2021 [/x] của Ban Bí thư.\n")


@pytest.mark.parametrize("command", [["extract"], ["validate"], ["stats"]])
def test_report_text_is_shown_as_plain_text(tmp_path, command):
    f = tmp_path / "r[bold]\x1b[31m.txt"
    f.write_text(HOSTILE, encoding="utf-8")
    run = kg(*command, str(f))
    out = run.stdout.decode() + run.stderr.decode()
    assert run.returncode in (0, 1) and "Traceback" not in out and "internal error" not in out, out
    assert "\x1b" not in out and "\x07" not in out                     # no escape or OSC sequence reaches the terminal
    if command == ["extract"]:
        assert "[bold]" in out and "\\x1b" in out                      # shown, not interpreted


def test_query_table_shows_markup_in_results_as_text(tmp_path):
    f = tmp_path / "r.txt"
    f.write_text(HOSTILE, encoding="utf-8")
    store = tmp_path / "st"
    assert kg("load", str(f), "--store", str(store)).returncode == 0
    run = kg("query", "SELECT ?s WHERE { ?m kg:sentence ?s }", "--store", str(store))
    assert run.returncode == 0, run.stderr
    out = run.stdout.decode()
    assert "[/x]" in out and "\x1b" not in out


# 5. SPARQL parameters can become SPARQL

TWO_PARAMS = ('SELECT ?a ?b WHERE { VALUES ?a_param { "" } VALUES ?b_param { "" } '
              'BIND(?a_param AS ?a) BIND(?b_param AS ?b) }')


def test_a_parameter_value_never_becomes_sparql():
    from kg.query import apply_params
    evil = 'x" } VALUES ?b_param { "y'
    q = apply_params(TWO_PARAMS, {"a": "VALUES ?b_param { }", "b": evil})
    import pyoxigraph as ox
    (row,) = list(ox.Store().query(q))
    assert (row["a"].value, row["b"].value) == ("VALUES ?b_param { }", evil)


def _algebra(query: str) -> str:
    """The parsed query's algebra, every literal replaced by one placeholder."""
    from rdflib import Literal
    from rdflib.plugins.sparql import prepareQuery
    from rdflib.plugins.sparql.parserutils import CompValue

    def walk(x):
        if isinstance(x, Literal):
            return "LIT"
        if isinstance(x, (CompValue, dict)):
            return {k: walk(v) for k, v in x.items()}
        if isinstance(x, (list, tuple)):
            return [walk(v) for v in x]
        return repr(x)
    return repr(walk(prepareQuery(query).algebra))


def test_property_any_values_keep_the_querys_algebra():
    from hypothesis import example, given, settings, strategies as st
    from kg.query import apply_params
    harmless = _algebra(apply_params(TWO_PARAMS, {"a": "x", "b": "y"}))

    import re

    import pyoxigraph as ox
    store = ox.Store()

    @settings(max_examples=150, deadline=None)
    @given(st.text(st.characters(blacklist_categories=("Cs",))), st.text(st.characters(blacklist_categories=("Cs",))))
    @example("x", "\\U0000")
    def check(a, b):
        q = apply_params(TWO_PARAMS, {"a": a, "b": b})
        (row,) = list(store.query(q))
        assert (row["a"].value, row["b"].value) == (a, b)  # the engine reads back each value as it was
        # rdflib's parser (the algebra's) also reads "\\u…"/"\\U…" escapes inside a string, taking
        # 4 to 8 hex digits greedily, where SPARQL and Oxigraph read an escaped backslash then "u…"
        if not re.search(r"\\[uU]", a + b):
            assert _algebra(q) == harmless
    check()


def test_update_uses_its_params(tmp_path):
    store = tmp_path / "st"
    q = 'INSERT { GRAPH <urn:g> { <urn:s> <urn:p> ?v } } WHERE { VALUES ?v_param { "" } BIND(?v_param AS ?v) }'
    assert kg("query", q, "--update", "--param", "v=hello", "--store", str(store)).returncode == 0
    run = kg("query", "SELECT ?o WHERE { GRAPH <urn:g> { ?s ?p ?o } }", "--store", str(store), "--format", "csv")
    assert run.stdout.decode().split() == ["o", "hello"]


# 6. Reading a FIFO or a device

@pytest.mark.parametrize("command", [["viz", "{}", "--out", "{out}"], ["stats", "{}"], ["export", "{}", "--format", "gexf", "--out", "{out}"],
                                     ["query", "--file", "{}"]])
def test_every_path_kg_reads_refuses_fifos(tmp_path, command):
    fifo = tmp_path / ("x.rq" if command[0] == "query" else "x.json")
    os.mkfifo(fifo)
    args = [a.replace("{}", str(fifo)).replace("{out}", str(tmp_path / "o")) for a in command]
    if command[0] == "query":
        args += ["--store", str(tmp_path / "st")]
    run = kg(*args, timeout=30)  # before: blocked for ever
    assert run.returncode == 1 and b"not a regular file" in run.stderr, run.stderr


@pytest.mark.skipif(os.geteuid() != 0, reason="mknod needs root")
def test_a_device_is_not_read_until_memory_runs_out(tmp_path):
    zero = tmp_path / "zero.json"
    os.mknod(zero, stat.S_IFCHR | 0o666, os.makedev(1, 5))
    run = kg("stats", str(zero), timeout=30)
    assert run.returncode == 1 and b"not a regular file" in run.stderr


def test_standard_input_is_capped(monkeypatch):
    import io
    from kg.read import ReadError, read_stdin
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"x" * 2000)))
    with pytest.raises(ReadError, match="standard input is larger than"):
        read_stdin(cap=1000)


# 3. A small .docx (or .html, .pdf) can take all the memory

def _docx_bytes(xml: bytes) -> bytes:
    import io
    import zipfile
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", xml)
    return buf.getvalue()


W = b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'


def test_a_zip_bomb_docx_is_refused_unparsed(tmp_path):
    para = b"<w:p><w:r><w:t>" + b"a" * 1000 + b"</w:t></w:r></w:p>"
    bomb = tmp_path / "bomb.docx"
    bomb.write_bytes(_docx_bytes(W + para * 60_000 + b"</w:body></w:document>"))  # 60 MB of XML in ~200 KB
    assert bomb.stat().st_size < 1_000_000
    run = kg("extract", str(bomb), timeout=60)
    one_line_error(run)
    assert b"zip bomb" in run.stderr


def test_docx_text_is_read_as_a_stream_with_a_cap(tmp_path, monkeypatch):
    from kg import read
    ok = W + (b"<w:p><w:r><w:t>Th\xe1\xbb\xb1c hi\xe1\xbb\x87n K\xe1\xba\xbft lu\xe1\xba\xadn s\xe1\xbb\x91 01-KL/TW</w:t></w:r></w:p>"
              b"<w:tbl><w:tr><w:tc><w:p><w:r><w:t>A</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>B</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"
              b"</w:body></w:document>")
    text = read.decode_report(_docx_bytes(ok), "r.docx")
    assert "Thực hiện Kết luận số 01-KL/TW" in text and "A | B" in text
    monkeypatch.setattr(read, "MAX_TEXT_CHARS", 10)
    with pytest.raises(read.ReadError, match="more than"):
        read.decode_report(_docx_bytes(ok), "r.docx")
    with pytest.raises(read.ReadError, match="more than"):
        read.decode_report(b"<p>" + b"x" * 100 + b"</p>", "r.html")
    with pytest.raises(read.ReadError, match="entities"):
        read.decode_report(_docx_bytes(b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>' + W + b"</w:body></w:document>"), "r.docx")


def test_a_file_over_its_size_cap_is_refused_before_it_is_read(tmp_path):
    big = tmp_path / "big.html"
    with open(big, "wb") as f:
        f.truncate(200 << 20)  # sparse: 200 MB that take no disk
    run = kg("extract", str(big), timeout=60)
    one_line_error(run)
    assert b"larger than 128 MB" in run.stderr


# 7. The same file given twice is counted twice

def test_the_same_content_twice_is_one_report(tmp_path, shared):
    def kl(*paths):
        out = json.loads(kg("stats", *map(str, paths), "--format", "json").stdout)
        return next(r for r in out["most_cited"] if r["symbol"] == "01-KL/TW")
    once, twice = kl(SEED), kl(SEED.parent, shared / "corpus")  # the seed is in both folders
    assert once["mentions"] == twice["mentions"] == 29 and once["reports"] == twice["reports"]


def test_a_report_under_two_paths_is_listed_once_in_the_store(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir(), b.mkdir()
    text = "Chỉ thị số 07-CT/TU, ngày 07/12/2021 của Ban Thường vụ Thành ủy. Chỉ thị số 07-CT/TU ngày 08/9/2021.\n"
    (a / "r.txt").write_text(text, encoding="utf-8")
    (b / "r.txt").write_text(text, encoding="utf-8")
    store = tmp_path / "st"
    assert kg("load", str(a), str(b), "--store", str(store)).returncode == 0
    rows = json.loads(kg("query", "conflicts", "--store", str(store), "--format", "json").stdout)["results"]["bindings"]
    assert len(rows) == 1 and rows[0]["where"]["value"].count("r.txt") == 2
    rows = json.loads(kg("query", "report-cites", "--param", "file=r.txt", "--store", str(store), "--format", "json").stdout)
    assert len(rows["results"]["bindings"]) == 1
    found = json.loads(kg("validate", "--store", str(store), "--format", "json").stdout)
    conflicts = [f for f in found if f["check"] == "date-conflict"]
    assert len(conflicts) == 1 and conflicts[0]["report"].count("r.txt") == 2


# 9. A normal install loses the queries and the ontology

def test_a_wheel_install_has_the_queries_and_the_ontology(tmp_path):
    import shutil
    import venv
    import zipfile
    root = Path(__file__).resolve().parents[1]
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", str(root), "-w", str(wheels)],
                   check=True, capture_output=True, timeout=300)
    (wheel,) = wheels.glob("kg-*.whl")
    env = tmp_path / "venv"
    venv.create(env, with_pip=False)
    site = next(env.glob("lib/python3*/site-packages"))
    zipfile.ZipFile(wheel).extractall(site)  # a plain install of the wheel ...
    # ... with kg's dependencies from this environment (a path, not its .pth files: not the editable kg)
    deps = next(Path(p) for p in sys.path if p.endswith("site-packages") and Path(p, "spacy").is_dir())
    (site / "deps.pth").write_text(str(deps) + "\n")
    py = str(env / "bin" / "python")
    run = subprocess.run([py, "-m", "kg", "query", "--list"], capture_output=True, cwd=tmp_path, timeout=120)
    assert run.returncode == 0 and b"most-cited" in run.stdout, run.stderr
    assert str(site) in subprocess.run([py, "-c", "import kg; print(kg.__file__)"], capture_output=True,
                                       cwd=tmp_path, text=True).stdout
    shutil.copy(SEED, tmp_path / "r.md")
    run = subprocess.run([py, "-m", "kg", "load", "r.md", "--store", "st"], capture_output=True, cwd=tmp_path, timeout=120)
    assert run.returncode == 0, run.stderr
    run = subprocess.run([py, "-m", "kg", "query", "most-cited", "--store", "st", "--format", "csv"],
                         capture_output=True, cwd=tmp_path, timeout=120)
    assert run.returncode == 0 and b"01-KL/TW" in run.stdout, run.stderr


# 13. Non-UTF-8 file names

@pytest.mark.parametrize("command", [["extract", "--format", "json"], ["viz", "--out", "{out}"], ["validate"], ["stats"]])
def test_a_file_name_that_is_not_utf8(tmp_path, command):
    folder = tmp_path / "r"
    folder.mkdir()
    name = os.fsdecode(b"b\xe1o-c\xff.md")
    (folder / name).write_bytes(SEED.read_bytes())
    (folder / os.fsdecode(b"broken\xfe.txt")).write_bytes(b"not utf-8 \xff")
    args = [a.replace("{out}", str(tmp_path / "g.html")) for a in command]
    run = kg(args[0], str(folder), *args[1:])
    assert run.returncode in (0, 1) and b"internal error" not in run.stderr and b"Traceback" not in run.stderr, run.stderr
    if command[0] == "extract":
        paths = [json.loads(line)["source"]["path"] for line in run.stdout.decode().splitlines()]
        assert any(p.endswith("b\\xe1o-c\\xff.md") for p in paths)  # the name kept, its bytes shown escaped
        assert b"broken\\xfe.txt" in run.stderr                      # the bad file named, the rest extracted


def test_load_and_reload_a_file_with_a_non_utf8_name(tmp_path):
    folder = tmp_path / "r"
    folder.mkdir()
    (folder / os.fsdecode(b"b\xe1o-c\xff.md")).write_bytes(SEED.read_bytes())
    store = str(tmp_path / "st")
    assert kg("load", str(folder), "--store", store).returncode == 0
    run = kg("load", str(folder), "--store", store, "--prune")  # the same file: unchanged, not pruned
    import re
    out = run.stdout.decode()
    assert run.returncode == 0 and re.search(r"unchanged \(skipped\)\D*1", out) and re.search(r"pruned\D*0", out), out
    rows = json.loads(kg("query", "SELECT ?f WHERE { ?r a kg:Report ; dct:source ?f }", "--store", store, "--format", "json").stdout)
    assert [b["f"]["value"] for b in rows["results"]["bindings"]] == [str(folder / "b\\xe1o-c\\xff.md")]


# 12. Usage errors are not internal errors

@pytest.mark.parametrize("args", [["extrct"], ["extract", "--format", "bogus", "x"], ["export", str(SEED), "--format", "bogus"],
                                  ["load", str(SEED), "-j", "-1"], ["load", str(SEED), "--batch", "0"],
                                  ["serve", "--port", "99999"], ["extract", "--no-such-option"], ["query", "--format"]])
def test_usage_errors_get_usage_and_exit_2(args):
    run = kg(*args)
    assert run.returncode == 2 and b"Error:" in run.stderr and b"internal error" not in run.stderr, run.stderr


@pytest.mark.parametrize("encoding", ["rot13", "base64", "no-such-codec"])
def test_a_codec_that_is_not_a_text_encoding_is_one_line(encoding):
    one_line_error(kg("extract", str(SEED), "--encoding", encoding))


def test_a_param_value_that_is_not_utf8_is_one_line(tmp_path):
    run = subprocess.run([sys.executable, "-m", "kg", "query", "report-cites", "--param", b"file=\xff\xfe",
                          "--store", str(tmp_path / "st")], capture_output=True)
    assert run.returncode == 1 and b"not valid UTF-8" in run.stderr, run.stderr


def test_version():
    run = subprocess.run([sys.executable, "-m", "kg", "--version"], capture_output=True)  # a new interpreter, as installed
    assert run.returncode == 0 and run.stdout.decode().startswith("kg ")


# 2, 10, 11. The endpoint: cross-origin reads, federation, signals, loads while serving

def _free_port():
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _children(pid: int) -> list[int]:
    out = []
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                stat_line = (d / "stat").read_text()
            except OSError:
                continue
            if int(stat_line.rsplit(")", 1)[1].split()[1]) == pid:
                out.append(int(d.name))
    return out


def _alive(pid: int) -> bool:
    try:
        return (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.fixture(scope="module")
def small_store(tmp_path_factory):
    store = tmp_path_factory.mktemp("serve") / "st"
    assert kg("load", str(SEED), "--store", str(store)).returncode == 0
    return store


def _start(store, *extra):
    import httpx
    import time
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "kg", "serve", "--store", str(store), "--port", str(port), *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            httpx.get(url + "/", timeout=1)
            return proc, url
        except httpx.HTTPError:
            if proc.poll() is not None:
                raise RuntimeError(proc.stderr.read().decode())
            time.sleep(0.1)
    raise RuntimeError("kg serve did not start")


def test_cors_is_off_by_default_and_federation_refused(small_store):
    import httpx
    proc, url = _start(small_store)
    try:
        q = {"query": "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1"}
        r = httpx.get(url + "/query", params=q, headers={"Origin": "http://evil.example", "Accept": "application/sparql-results+json"})
        assert r.status_code == 403 and "access-control-allow-origin" not in r.headers  # not even run
        assert httpx.options(url + "/query", headers={"Origin": "http://evil.example"}).status_code == 403
        service = "SELECT * WHERE { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }"
        assert httpx.get(url + "/query", params={"query": service}).status_code == 403
        assert httpx.post(url + "/query", data={"query": service}).status_code == 403
        assert httpx.post(url + "/query", content=service.encode(),
                          headers={"Content-Type": "application/sparql-query"}).status_code == 403
    finally:
        proc.terminate()
        proc.wait(10)


def test_cors_for_the_origins_named(small_store):
    import httpx
    proc, url = _start(small_store, "--cors", "https://ok.example")
    try:
        q = {"query": "ASK { ?s ?p ?o }"}
        ok = httpx.get(url + "/query", params=q, headers={"Origin": "https://ok.example"})
        assert ok.headers["access-control-allow-origin"] == "https://ok.example"
        other = httpx.get(url + "/query", params=q, headers={"Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in other.headers
        pre = httpx.options(url + "/query", headers={"Origin": "https://ok.example", "Access-Control-Request-Method": "POST"})
        assert pre.status_code == 204 and pre.headers["access-control-allow-origin"] == "https://ok.example"
    finally:
        proc.terminate()
        proc.wait(10)


def test_kg_query_refuses_federation_unless_allowed(small_store):
    service = "SELECT * WHERE { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }"
    run = kg("query", service, "--store", str(small_store))
    assert run.returncode == 1 and b"SERVICE" in run.stderr
    run = kg("query", service, "--store", str(small_store), "--allow-service")  # allowed, and it fails: one line
    one_line_error(run)


@pytest.mark.parametrize("sig", ["SIGTERM", "SIGHUP", "SIGKILL"])
def test_the_server_dies_with_kg_serve(small_store, sig):
    import signal
    import time
    proc, url = _start(small_store)
    children = _children(proc.pid)
    assert children and all(_alive(c) for c in children)
    os.kill(proc.pid, getattr(signal, sig))  # kg's own PID, not its process group
    proc.wait(10)
    for _ in range(100):
        if not any(_alive(c) for c in children):
            break
        time.sleep(0.1)
    assert not any(_alive(c) for c in children)


def test_a_load_refuses_while_the_store_is_served(small_store, tmp_path):
    proc, url = _start(small_store)
    try:
        (tmp_path / "new.txt").write_text("Chỉ thị số 99-CT/TW của Bộ Chính trị.", encoding="utf-8")
        one_line_error(kg("load", str(tmp_path / "new.txt"), "--store", str(small_store)))
    finally:
        proc.terminate()
        proc.wait(10)
    assert kg("load", str(tmp_path / "new.txt"), "--store", str(small_store)).returncode == 0


# Friction: reports-citing-body takes a body as the user types it

def test_reports_citing_body_without_diacritics(small_store):
    def rows(body):
        run = kg("query", "reports-citing-body", "--param", f"body={body}", "--store", str(small_store), "--format", "csv")
        assert run.returncode == 0, run.stderr
        return run.stdout.decode().splitlines()[1:]
    exact = rows("Bộ Chính trị")
    assert exact and rows("bo chinh tri") == exact == rows("BỘ CHÍNH TRỊ") == rows("BCT")
