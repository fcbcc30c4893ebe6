"""Issue 20, the store's half: interrupted loads, dead workers, hostile shards, a misbehaving
SPARQL server, two loads at once, counts that name what they count."""
import contextlib
import fcntl
import gc
import hashlib
import http.server
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import SEED
from conftest import kg as run_kg

ROOT = Path(__file__).resolve().parents[1]
KG = [sys.executable, "-m", "kg"]
ENV = {**os.environ, "PYTHONUNBUFFERED": "1"}
sys.path.insert(0, str(ROOT / "bench"))


def kg(*args, cwd=None, env=None, timeout=600):
    return run_kg(*args, cwd=cwd, env={**ENV, **(env or {})}, timeout=timeout)


def synthetic(folder: Path, n: int, seed: int = 11):
    from synth import generate
    return generate(folder, n, seed=seed)


def one_line_error(run, code=1):
    assert run.returncode == code, (run.returncode, run.stderr)
    lines = run.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("kg: error: ") and b"Traceback" not in run.stderr, run.stderr
    return lines[0]


def lock_is_free(store_dir: Path) -> bool:
    fd = os.open(store_dir / "kg.lock", os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False
    finally:
        os.close(fd)


def children(pid: int) -> list[int]:
    out = []
    for p in Path("/proc").iterdir():
        if p.name.isdigit():
            try:
                if int((p / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    out.append(int(p.name))
            except (OSError, IndexError, ValueError):
                pass
    return out


def wait_for(predicate, seconds=60.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return predicate()


def report_count(store) -> int:
    run = kg("query", "SELECT (COUNT(?r) AS ?n) WHERE { ?r a kg:Report }", "--store", str(store), "--format", "csv")
    assert run.returncode == 0, run.stderr
    return int(run.stdout.decode().splitlines()[1])


# 1 + 2: an interrupted load's workers die with it and free the store


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL])
def test_an_interrupted_load_leaves_no_worker_holding_the_store(tmp_path, sig):
    synthetic(tmp_path / "reports", 60)
    st = tmp_path / "st"
    proc = subprocess.Popen(KG + ["load", str(tmp_path / "reports"), "--store", str(st), "-j", "2", "--batch", "10"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=ENV)
    assert wait_for(lambda: len(children(proc.pid)) >= 2 or proc.poll() is not None, 120)
    workers = children(proc.pid)
    assert workers, "the load ended before it had workers"
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=300)
    if sig == signal.SIGTERM:  # handled as Ctrl-C: the batch finished, one line, 130
        assert proc.returncode in (0, 130) and b"Traceback" not in err, err
    assert wait_for(lambda: not any(Path(f"/proc/{w}").exists() and "zombie" not in _state(w) for w in workers), 60), \
        "a worker outlived its load"
    assert lock_is_free(st)
    final = kg("load", str(tmp_path / "reports"), "--store", str(st), "-j", "2")
    assert final.returncode == 0, final.stderr
    assert report_count(st) == 60


def _state(pid: int) -> str:
    try:
        return {"Z": "zombie"}.get(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0], "alive")
    except OSError:
        return "zombie"


# 27: a worker killed under a load costs no file


def test_a_killed_worker_does_not_abort_the_folder(tmp_path):
    synthetic(tmp_path / "reports", 80)
    st = tmp_path / "st"
    proc = subprocess.Popen(KG + ["load", str(tmp_path / "reports"), "--store", str(st), "-j", "2", "--batch", "20"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=ENV)
    assert wait_for(lambda: len(children(proc.pid)) >= 2 or proc.poll() is not None, 120)
    victims = children(proc.pid)
    assert victims, "the load ended before it had workers"
    os.kill(victims[0], signal.SIGKILL)  # as the OOM killer or a crash in PDFium would
    out, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err
    assert report_count(st) == 80


# 17, 28, 31: shards are checked strictly; a bad one changes nothing


@pytest.fixture(scope="module")
def shard(tmp_path_factory):
    """A real shard of three reports (written as `kg extract --engine dask` writes them)."""
    from kg.distribute import write_shard
    from kg.resolve import DEFAULT_BASE
    folder = tmp_path_factory.mktemp("shard")
    files = synthetic(folder / "reports", 3, seed=5)
    out = folder / "shard-000000.nq"
    write_shard([str(Path(f).resolve()) for f in files], str(out), DEFAULT_BASE, None)
    return out


def _blocks(data: bytes):
    from kg.shard import split_shard
    return list(split_shard("x", data))


def forge(shard: Path, folder: Path, edit) -> Path:
    data = shard.read_bytes()
    out = folder / "forged.nq"
    out.write_bytes(edit(data))
    return out


def store_dump(st: Path) -> bytes:
    from kg.store import LocalStore
    db = LocalStore(str(st), read_only=True)
    try:
        return hashlib.sha256(b"".join(sorted(str(q).encode() + b"\n" for q in db.db))).digest()
    finally:
        db.close()


@pytest.fixture
def loaded_store(tmp_path, shared):
    st = tmp_path / "st"
    assert kg("load", str(SEED), "--store", str(st)).returncode == 0
    return st


REPORT_G = b"<https://kg.example.org/report/"


def _first_report_graph(data: bytes) -> bytes:
    start = data.index(REPORT_G)
    return data[start:data.index(b">", start) + 1]


def _inject_line(data: bytes, line: bytes) -> bytes:
    """A line added to the first report's graph (its header's quad count kept right)."""
    head_at = data.index(b"# kg:report ")
    head_end = data.index(b"\n", head_at)
    head = json.loads(data[head_at + len(b"# kg:report "):head_end])
    head["quads"] += 1
    return (data[:head_at] + b"# kg:report " + json.dumps(head).encode() + b"\n" + line + b"\n"
            + data[head_end + 1:])


def _cases(data: bytes):
    g = _first_report_graph(data)
    subject = g
    yield "sparql injection", _inject_line(
        data, subject + b' <http://x/p> "a" } } ; DROP GRAPH <https://kg.example.org/graph/documents> ; INSERT DATA { GRAPH '
        + g + b" { <http://x/s> <http://x/p> <http://x/o> " + g + b" .")
    yield "journal quad in the meta graph", _inject_line(
        data, b"<https://kg.example.org/report/other> <https://kg.example.org/ontology#loading> true "
              b"<https://kg.example.org/graph/meta> .")
    yield "IRI with a quote", _inject_line(data, subject + b' <http://x/p> <http://x/a"b> ' + g + b" .")
    yield "IRI with a space", _inject_line(data, subject + b" <http://x/p> <http://x/a b> " + g + b" .")
    yield "a quad about another document", _inject_line(
        data, b"<https://kg.example.org/doc/01-KL-TW-2021> <http://data.europa.eu/eli/ontology#title> \"forged\" " + g + b" .")
    yield "documents line about an uncited document", data.replace(
        b"# kg:documents\n", b"# kg:documents\n<https://kg.example.org/doc/99-NQ-TW-1999> "
                             b"<http://data.europa.eu/eli/ontology#title> \"forged\"@vi <https://kg.example.org/graph/documents> .\n", 1)
    facts_at = data.index(b"<https://kg.example.org/ontology#facts> ")
    facts_end = data.index(b"^^<http://www.w3.org/1999/02/22-rdf-syntax-ns#JSON>", facts_at)
    for name, value in (("facts as a list", "[1, 2]"), ("facts as a string", '"x"'),
                        ("facts nested 100,000 deep", "[" * 100000 + "]" * 100000),
                        ("facts injecting a quad", json.dumps({"https://kg.example.org/doc/x": [
                            ["http://x/p", '"a" . <http://x/s> <http://x/p> "b"']]}))):
        lit = '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
        yield name, data[:facts_at] + b"<https://kg.example.org/ontology#facts> " + lit.encode() + data[facts_end:]
    yield "truncated", data[: len(data) // 2]
    yield "bad syntax", data.replace(b" .\n", b" \n", 1)
    head_at = data.index(b"# kg:report ")
    head_end = data.index(b"\n", head_at)
    head = json.loads(data[head_at + len(b"# kg:report "):head_end])
    for key, value in (("citations", "3"), ("quads", 1), ("sha256", "0" * 64), ("path", "/etc/other.txt")):
        forged = dict(head, **{key: value})
        yield f"header {key} forged", data[:head_at] + b"# kg:report " + json.dumps(forged).encode() + data[head_end:]


def test_every_forged_shard_is_refused_naming_it_and_the_store_is_unchanged(shard, tmp_path, loaded_store):
    data = shard.read_bytes()
    before = store_dump(loaded_store)
    names = []
    for name, forged in _cases(data):
        bad = tmp_path / "shards" / "bad.nq"
        bad.parent.mkdir(exist_ok=True)
        bad.write_bytes(forged)
        run = kg("load", str(bad.parent), "--store", str(loaded_store))
        line = one_line_error(run)
        assert "bad.nq" in line, (name, line)
        names.append(name)
    assert len(names) == 16
    assert store_dump(loaded_store) == before


def test_a_good_shard_loads_and_a_shard_of_another_base_says_so(shard, tmp_path):
    st = tmp_path / "st"
    run = kg("load", str(shard), "--store", str(st))
    assert run.returncode == 0, run.stderr
    assert report_count(st) == 3
    other = kg("load", str(shard), "--store", str(tmp_path / "st2"), "--base", "https://elsewhere.example/")
    assert "another --base" in one_line_error(other)


def test_an_nq_file_without_the_magic_line_is_an_error_when_named(tmp_path):
    nq = tmp_path / "mine.nq"
    nq.write_bytes(b"<http://a> <http://b> <http://c> <http://g> .\n")
    line = one_line_error(kg("load", str(nq), "--store", str(tmp_path / "st")))
    assert "not a kg shard" in line and "mine.nq" in line


def test_a_file_name_holding_the_shard_framing_loads(tmp_path):
    """28: a report named `… # kg:report x.txt` (and with U+2028) goes through a shard whole."""
    from kg.distribute import write_shard
    from kg.resolve import DEFAULT_BASE
    folder = tmp_path / "reports"
    folder.mkdir()
    odd = folder / "a\n# kg:report {}\u2028 # kg:documents\n.txt"
    shutil.copy(SEED, odd)
    write_shard([str(odd)], str(tmp_path / "shard-000000.nq"), DEFAULT_BASE, None)
    run = kg("load", str(tmp_path / "shard-000000.nq"), "--store", str(tmp_path / "st"))
    assert run.returncode == 0, run.stderr
    q = kg("query", "SELECT ?s WHERE { ?r a kg:Report ; dct:source ?s }", "--store", str(tmp_path / "st"), "--format", "json")
    assert [b["s"]["value"] for b in json.loads(q.stdout)["results"]["bindings"]] == [str(odd)]


def test_a_shard_cannot_replace_another_files_report(shard, tmp_path):
    """A forged path: the shard's report would replace the store's report of a file whose bytes
    are not the shard's."""
    st = tmp_path / "st"
    victim = tmp_path / "victim.txt"
    shutil.copy(SEED, victim)
    assert kg("load", str(victim), "--store", str(st)).returncode == 0
    before = store_dump(st)
    data = shard.read_bytes()
    head_at = data.index(b"# kg:report ")
    head_end = data.index(b"\n", head_at)
    head = json.loads(data[head_at + len(b"# kg:report "):head_end])
    old = json.dumps(head["path"])[1:-1].encode()
    forged = data.replace(old, json.dumps(str(victim))[1:-1].encode())  # header and dct:source alike
    bad = tmp_path / "bad.nq"
    bad.write_bytes(forged)
    line = one_line_error(kg("load", str(bad), "--store", str(st)))
    assert "bad.nq" in line and "victim.txt" in line
    assert store_dump(st) == before


def test_half_written_shards_of_a_killed_run_are_removed(tmp_path):
    pytest.importorskip("distributed")
    from kg.distribute import extract_to_shards
    from kg.resolve import DEFAULT_BASE
    out = tmp_path / "shards"
    out.mkdir()
    (out / "shard-000000.nq.part-12345").write_bytes(b"# kg shard 1\n# kg:rep")
    synthetic(tmp_path / "reports", 2)
    s = extract_to_shards([str(tmp_path / "reports")], str(out), base=DEFAULT_BASE, workers=1)
    assert sorted(p.name for p in out.iterdir()) == ["shard-000000.nq"]
    assert s.scheduler.startswith("tls://")  # 22: the local cluster talks TLS with credentials of its own


# 12 + 35: counts name what they count


def _summary(run) -> dict:
    out = {}
    for line in run.stdout.decode().splitlines():
        cells = [c.strip() for c in line.strip("│ ").split("│")]
        if len(cells) == 2 and cells[1].replace(".", "").isdigit():
            out[cells[0]] = cells[1]
    return out


def test_load_counts_files_and_reports_apart(tmp_path):
    (tmp_path / "a").mkdir()
    shutil.copy(SEED, tmp_path / "a" / "one.txt")
    shutil.copy(SEED, tmp_path / "a" / "copy.txt")  # the same content twice: one report
    run = kg("load", str(tmp_path / "a"), str(tmp_path / "a"), "--store", str(tmp_path / "st"))  # and named twice
    assert run.returncode == 0, run.stderr
    s = _summary(run)
    assert s["files read"] == "2" and s["reports loaded"] == "1" and s["same bytes, another file"] == "1"
    assert s["store: reports"] == "1" == str(report_count(tmp_path / "st"))


def test_stats_counts_reports_citing_as_most_cited_does(tmp_path, shared):
    st = tmp_path / "st"
    assert kg("load", str(shared / "corpus"), "--store", str(st)).returncode == 0
    q = kg("query", "most-cited", "--store", str(st), "--format", "json")
    reports = {b["symbol"]["value"]: int(b["reports"]["value"]) for b in json.loads(q.stdout)["results"]["bindings"]}
    stats = json.loads(kg("stats", "--store", str(st), "--format", "json").stdout)
    rows = stats["most_cited"]
    assert rows and all(r["reports"] == reports[r["symbol"]] for r in rows if r["symbol"] in reports)
    assert any(r["documents_relating"] for r in rows)  # what the old "cited by" mixed in


# 4 + 5: a store draws and shows as the files do


def test_viz_and_show_from_a_store_equal_them_from_files(tmp_path, shared):
    from kg.graph import from_store
    from kg.store import LocalStore
    st = tmp_path / "st"
    assert kg("load", str(shared / "corpus"), "--store", str(st)).returncode == 0
    from kg.extract import extract_report
    from kg.formats import extraction_json
    from kg.graph import from_extractions
    from kg.read import expand, read_report
    items = [json.loads(json.dumps(extraction_json(extract_report(read_report(os.path.abspath(f))))))
             for f in expand([str(shared / "corpus")])]
    g_files = from_extractions(items)
    db = LocalStore(str(st), read_only=True)
    try:
        g_store = from_store(db)
    finally:
        db.close()
    types = lambda g: {a["symbol"]: (a.get("type_id"), a.get("doc_type")) for _, a in g.nodes(data=True)  # noqa: E731
                       if a.get("kind") == "document"}
    assert types(g_store) == types(g_files)
    assert any(t == "nghi-quyet" for t, _ in types(g_store).values())
    from kg.viz import build_network
    colour = lambda g: {(n["label"], n["shape"], n["color"]) for n in build_network(g)[0].nodes}  # noqa: E731
    assert colour(g_store) == colour(g_files)
    for symbol in ("05-CT/TW", "01-KL/TW"):
        a = json.loads(kg("show", symbol, "--store", str(st), "--format", "json").stdout)
        b = json.loads(kg("show", symbol, str(shared / "corpus"), "--format", "json").stdout)
        assert a["relations_out"] == b["relations_out"] and a["relations_in"] == b["relations_in"]
        sentences = [r["sentence"] for r in a["relations_out"] + a["relations_in"]]
        assert sentences and all(sentences), symbol


# 18: the jemalloc restart never runs code from the working directory


def test_the_restart_under_jemalloc_ignores_the_working_directory(tmp_path):
    from kg.load import JEMALLOC, LARGE_FILES
    if not any(os.path.exists(p) for p in JEMALLOC):
        pytest.skip("no jemalloc on this machine (Debian's libjemalloc2): kg never restarts")
    hostile = tmp_path / "cwd"
    (hostile / "kg").mkdir(parents=True)
    marker = tmp_path / "ran"
    (hostile / "kg" / "__init__.py").write_text("")
    (hostile / "kg" / "__main__.py").write_text(f"open({str(marker)!r}, 'w').write('pwned')\n")
    reports = tmp_path / "reports"
    reports.mkdir()
    for i in range(LARGE_FILES):
        (reports / f"r{i}.txt").write_text(f"Báo cáo {i}.\n", encoding="utf-8")
    env = {k: v for k, v in ENV.items() if k not in ("KG_MALLOC", "LD_PRELOAD")}
    run = subprocess.run([str(Path(sys.executable).parent / "kg"), "load", str(reports), "--store", str(tmp_path / "st"),
                          "-j", "2"], capture_output=True, cwd=hostile, env=env, timeout=900)
    assert not marker.exists(), "kg ran kg/__main__.py from the working directory"
    assert run.returncode == 0, run.stderr


# 33: a store left mid-rebuild says so


def test_a_query_on_a_store_left_mid_rebuild_warns(tmp_path):
    from kg.store import LocalStore
    st = tmp_path / "st"
    assert kg("load", str(SEED), "--store", str(st)).returncode == 0
    assert b"warning" not in kg("query", "documents", "--store", str(st)).stderr
    db = LocalStore(str(st))
    db.mark_stale()  # where a load killed in the derived graphs leaves it
    db.close()
    del db  # Oxigraph closes the database when the store is dropped: never open it from two processes at once
    gc.collect()
    run = kg("query", "documents", "--store", str(st))
    assert run.returncode == 0 and b"kg: warning: the store is mid-rebuild" in run.stderr


# 34: a full disk is one line, exit 1


def test_a_full_disk_is_one_line(tmp_path):
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root")
    disk = tmp_path / "small"
    disk.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(disk)], capture_output=True).returncode:
        pytest.skip("cannot mount a tmpfs here")
    try:
        synthetic(tmp_path / "reports", 60)
        run = kg("load", str(tmp_path / "reports"), "--store", str(disk / "st"), "-j", "1")
        line = one_line_error(run)
        assert "no space left" in line
    finally:
        subprocess.run(["umount", "-l", str(disk)], capture_output=True)


# 19, 20, 21, 29, 32: the remote client


@pytest.fixture
def oxigraph(tmp_path):
    from servers import start_oxigraph, stop
    proc, url = start_oxigraph(tmp_path / "db")
    yield url
    stop(proc)


def test_a_remote_load_of_text_with_line_separators_matches_a_local_one(tmp_path, oxigraph):
    """19: a form feed between two pages splits a symbol; U+2028 in a file name."""
    folder = tmp_path / "reports"
    folder.mkdir()
    text = SEED.read_text(encoding="utf-8")
    (folder / "two-pages.txt").write_text(text[:2000] + "\nKết luận số 21-\f\x1c\x1d\x1e\x85\u2029KL/TW ngày 1/2/2022.\n"
                                          + text[2000:], encoding="utf-8")
    (folder / "line\u2028sep.txt").write_text(text + "\nChỉ thị số 05-CT/TW\u2028 của Bộ Chính trị.\f", encoding="utf-8")
    local = kg("load", str(folder), "--store", str(tmp_path / "st"))
    assert local.returncode == 0, local.stderr
    remote = kg("load", str(folder), "--store", oxigraph)
    assert remote.returncode == 0, remote.stderr
    q = "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } FILTER(?g != <https://kg.example.org/graph/meta>) }"
    here = kg("query", q, "--store", str(tmp_path / "st"), "--format", "json")
    there = kg("query", q, "--store", oxigraph, "--format", "json")
    rows = lambda r: sorted(json.dumps(b, sort_keys=True) for b in json.loads(r.stdout)["results"]["bindings"])  # noqa: E731
    assert rows(here) == rows(there) and len(rows(here)) > 100


class Fake(http.server.BaseHTTPRequestHandler):
    """A server that answers ASK as SPARQL should and everything else as the test says."""
    answer = (200, "application/sparql-results+json", b'{"head":{},"boolean":true}')
    redirect_writes = False

    def log_message(self, *a):
        pass

    def _reply(self, status, kind, body, extra=()):
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        for k, v in extra:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        self._reply(200, "application/sparql-results+json", b'{"head":{},"boolean":true}')

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.path.startswith(("/update", "/store")) and self.redirect_writes:
            return self._reply(301, "text/plain", b"moved", [("Location", "http://elsewhere.example/update")])
        if self.path.startswith(("/update", "/store")):
            return self._reply(204, "text/plain", b"")
        self._reply(*self.answer)

    do_PUT = do_POST


@contextlib.contextmanager
def fake_server(**attrs):
    handler = type("Handler", (Fake,), attrs)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    t = threading.Thread(target=server.serve_forever, daemon=True)
    t.start()
    try:
        yield f"http://alice:s3cret@127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


EMPTY = (200, "application/sparql-results+json", b'{"head":{"vars":["n"]},"results":{"bindings":[]}}')


def test_a_redirect_is_an_error_naming_it(tmp_path):
    with fake_server(redirect_writes=True, answer=EMPTY) as url:
        line = one_line_error(kg("load", str(SEED), "--store", url))
    assert "301" in line and "s3cret" not in line


def test_server_faults_are_one_line_exit_1(tmp_path):
    with fake_server(answer=(500, "text/plain", b"boom")) as url:
        line = one_line_error(kg("query", "most-cited", "--store", url))
        assert "HTTP 500" in line and "s3cret" not in line
    with fake_server(answer=(200, "application/sparql-results+json", b'{"head": {"vars": ["x"]}, "results": [')) as url:
        line = one_line_error(kg("query", "SELECT ?x WHERE { ?x ?p ?o }", "--store", url))
        assert "not SPARQL JSON results" in line and "syntax" not in line
    big = b'{"head":{"vars":["x"]},"results":{"bindings":[' + b",".join([b'{"x":{"type":"literal","value":"aaaaaaaaaa"}}'] * 50000) + b"]}}"
    with fake_server(answer=(200, "application/sparql-results+json", big)) as url:
        line = one_line_error(kg("query", "SELECT ?x WHERE { ?x ?p ?o }", "--store", url, env={"KG_SPARQL_MAX_BYTES": "100000"}))
        assert "larger than" in line


def test_no_server_and_the_summary_hide_the_password(tmp_path, oxigraph):
    from servers import free_port
    line = one_line_error(kg("load", str(SEED), "--store", f"http://alice:s3cret@127.0.0.1:{free_port()}/"))
    assert "s3cret" not in line and "alice" not in line
    with_creds = oxigraph.replace("http://", "http://alice:s3cret@")
    run = kg("load", str(SEED), "--store", with_creds)
    assert run.returncode == 0, run.stderr
    assert b"s3cret" not in run.stdout + run.stderr and b"127.0.0.1" in run.stdout


def test_load_timeout_option(tmp_path):
    import socket
    with socket.socket() as s:  # accepts, never answers
        s.bind(("127.0.0.1", 0))
        s.listen(8)
        line = one_line_error(kg("load", str(SEED), "--store", f"http://127.0.0.1:{s.getsockname()[1]}/", "--timeout", "1"))
    assert "within 1 s" in line


def test_two_loads_into_one_server_lose_nothing(tmp_path, oxigraph):
    """21: the second load is refused while the first holds the writer lease; none of the first
    load's reports is dropped as a crash's; the second, run again, completes."""
    synthetic(tmp_path / "one", 30, seed=1)
    synthetic(tmp_path / "two", 10, seed=2)
    first = subprocess.Popen(KG + ["load", str(tmp_path / "one"), "--store", oxigraph, "-j", "1", "--batch", "5"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=ENV)
    import httpx
    lease = "ASK { GRAPH <https://kg.example.org/graph/meta> { ?s <https://kg.example.org/ontology#writer> ?o } }"
    assert wait_for(lambda: httpx.get(oxigraph + "/query", params={"query": lease},
                                      headers={"Accept": "application/sparql-results+json"}).json()["boolean"]
                    or first.poll() is not None, 120)
    first.send_signal(signal.SIGSTOP)  # held still with the lease (renewed within LEASE_SECONDS), whatever the machine's speed
    try:
        assert first.poll() is None, "the first load ended before the second could try"
        second = kg("load", str(tmp_path / "two"), "--store", oxigraph, "-j", "1")
    finally:
        first.send_signal(signal.SIGCONT)
    assert "in use by another kg load" in one_line_error(second)
    out, err = first.communicate(timeout=600)
    assert first.returncode == 0, err
    again = kg("load", str(tmp_path / "two"), "--store", oxigraph, "-j", "1")
    assert again.returncode == 0, again.stderr
    assert report_count(oxigraph) == 40
