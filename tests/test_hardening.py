"""Hostile input, faults and concurrency: property tests, bad files, killed loads, XSS."""
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import kg
from conftest import kg as run_kg
from kg import read as kg_read
from kg.extract import extract_report

KG = [sys.executable, "-m", "kg"]
SEEDS = [
    "Kết luận số 01-KL/TW, ngày 18/5/2021 của Bộ Chính trị",
    "Quyết định số 217-QĐ/TW, Quyết định số 218-QĐ/TW, ngày 12/12/2013 của Bộ Chính trị",
    "Ban Thường vụ Thành ủy ban hành Chỉ thị số 15-CT/TU, ngày 21/11/2022",
    "Nghị định số 15/2020/NĐ-CP",
    "Chương trình 03-Ctr/TU ngày 28/6/2016 về “Đẩy mạnh tái cơ cấu kinh tế” của Thành uỷ khoá XVI",
    "Kế hoạch số 04-KH/CBDV … sơ kết 2 năm thực hiện Kết luận 01-KL/TW",
]
TRICKY = list("0123456789-–—/ \n\u00a0\u0301\u0300ÐĐđ“”\"(),.;:số") + ["\ud7ff", "\ufeff", "\u200b"]


def check_offsets(text, ex):
    for c in ex.citations:
        assert 0 <= c.start <= c.end <= len(text)
        assert text[c.start:c.end] == c.text
        assert c.sentence_start <= c.start and c.end <= c.sentence_end + 1
    for r in ex.relations:
        assert 0 <= r.cue_start <= r.cue_end <= len(text)


def check_rdf(ex):
    """The store's loader takes our N-Quads without checking them: they must parse strictly."""
    import pyoxigraph as ox
    from kg.rdf import extraction_nquads, summary_nquads
    for data in (extraction_nquads(ex, for_store=True), extraction_nquads(ex), summary_nquads(ex)):
        quads = list(ox.parse(data, format=ox.RdfFormat.N_QUADS))
        assert len(quads) == data.count(b"\n")


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400))
def test_arbitrary_unicode_never_breaks_the_extractor(text):
    ex = kg.extract(text)
    check_offsets(text, ex)
    check_rdf(ex)


@st.composite
def mutated(draw):
    s = list(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["insert", "delete", "replace"]))
        i = draw(st.integers(0, len(s)))
        ch = draw(st.one_of(st.sampled_from(TRICKY), st.characters()))
        if op == "insert":
            s.insert(i, ch)
        elif s and i < len(s):
            if op == "delete":
                del s[i]
            else:
                s[i] = ch
    return "".join(s)


@settings(max_examples=300, deadline=None)
@given(mutated())
@example("\ud800Kết luận số 01-KL/TW, ngày 18/5/2021 của Bộ Chính trị")  # a lone surrogate in the sentence's text
def test_mutated_citations_never_break_the_extractor(text):
    ex = kg.extract(text)
    check_offsets(text, ex)
    check_rdf(ex)


WORDS = ["Kết luận", "Chỉ thị", "Nghị quyết", "Quy định", "Kế hoạch", "Hướng dẫn"]
CODES = {"Kết luận": "KL", "Chỉ thị": "CT", "Nghị quyết": "NQ", "Quy định": "QĐ", "Kế hoạch": "KH", "Hướng dẫn": "HD"}


@st.composite
def report_text(draw):
    parts = []
    for _ in range(draw(st.integers(0, 4))):
        word = draw(st.sampled_from(WORDS))
        n = draw(st.integers(1, 999))
        iss = draw(st.sampled_from(["TW", "TU", "ĐUK"]))
        date = draw(st.sampled_from(["", ", ngày 18/5/2021", " ngày 20 tháng 7 năm 2022"]))
        body = draw(st.sampled_from(["", " của Bộ Chính trị", " của Ban Thường vụ Tỉnh ủy"]))
        filler = draw(st.sampled_from(["Chi bộ đã quán triệt nghiêm túc.", "Tăng 7,3 – 7,8%/năm.", "Điều 1."]))
        parts.append(f"Thực hiện {word} số {n:02d}-{CODES[word]}/{iss}{date}{body}. {filler}")
    return " ".join(parts)


@settings(max_examples=150, deadline=None)
@given(report_text(), report_text())
def test_concatenation_keeps_the_citations_of_both_parts(a, b):
    both = kg.extract(a + b)
    found = sorted(c.symbol for c in both.citations)
    margin = 40  # a citation this close to the seam may be cut by it
    expect = [c.symbol for c in kg.extract(a).citations if c.end <= len(a) - margin] + \
             [c.symbol for c in kg.extract(b).citations if c.start >= margin]
    for s in expect:
        assert s in found
        found.remove(s)


def test_streamed_file_gives_the_same_extraction(tmp_path, seed_text, monkeypatch):
    f = tmp_path / "big.md"
    f.write_text("\n\n".join([seed_text] * 12), encoding="utf-8")
    monkeypatch.setattr(kg_read, "CHUNK_CHARS", 40_000)
    streamed = extract_report(kg_read.read_report(str(f), stream_bytes=10_000))
    whole = kg.extract(f.read_text(encoding="utf-8"))
    assert streamed.text is None and streamed.chars == whole.chars and streamed.sha256 != ""
    assert [(c.start, c.end, c.document) for c in streamed.citations] == [(c.start, c.end, c.document) for c in whole.citations]
    assert [(r.subject, r.predicate, r.object) for r in streamed.relations] == [(r.subject, r.predicate, r.object) for r in whole.relations]
    assert [d.mentions for d in streamed.documents] == [d.mentions for d in whole.documents]


def test_streamed_file_with_bad_bytes_fails_cleanly(tmp_path):
    f = tmp_path / "bad.txt"
    f.write_bytes(("Kết luận số 01-KL/TW.\n\n" * 2000).encode() + b"\xff\xfe broken" + b"x" * 100)
    with pytest.raises(kg_read.ReadError, match="not valid utf-8"):
        extract_report(kg_read.read_report(str(f), stream_bytes=1000))


def fresh_kg(*args, **kw):
    """`python -m kg` in a new interpreter (conftest's `kg` forks this one)."""
    return subprocess.run(KG + list(args), capture_output=True, **kw)


def test_utf16_without_bom_fifo_and_symlink_loop(tmp_path):
    nobom = tmp_path / "utf16.txt"
    nobom.write_bytes("Kết luận số 01-KL/TW".encode("utf-16-le"))
    run = fresh_kg("extract", str(nobom))
    assert run.returncode != 0 and b"utf-16" in run.stderr and b"Traceback" not in run.stderr
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    run = fresh_kg("extract", str(fifo), timeout=30)
    assert run.returncode != 0 and b"not a regular file" in run.stderr
    (tmp_path / "a.txt").symlink_to(tmp_path / "b.txt")
    (tmp_path / "b.txt").symlink_to(tmp_path / "a.txt")
    run = fresh_kg("extract", str(tmp_path / "a.txt"))
    assert run.returncode != 0 and len(run.stderr.splitlines()) == 1 and b"Traceback" not in run.stderr


def test_a_folder_with_bad_files_loads_the_rest_and_says_what_it_skipped(tmp_path):
    folder = tmp_path / "reports"
    (folder / "sub").mkdir(parents=True)
    (folder / "good.txt").write_text("Kết luận số 01-KL/TW, ngày 18/5/2021 của Bộ Chính trị.", encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    (folder / "sub" / "loop.txt").symlink_to(folder / "sub" / "loop.txt")
    (folder / "sub" / "cycle").symlink_to(folder)  # a folder link loop is not followed
    os.mkfifo(folder / "pipe.txt")
    st_dir = tmp_path / "st"
    run = run_kg("load", str(folder), "--store", str(st_dir), timeout=120)
    assert run.returncode == 1
    skipped = [ln for ln in run.stderr.decode().splitlines() if ln.startswith("kg: skipped")]
    assert len(skipped) == 4 and b"Traceback" not in run.stderr
    assert b"reports loaded" in run.stdout
    q = run_kg("query", "SELECT (COUNT(?r) AS ?n) WHERE { ?r a kg:Report }", "--store", str(st_dir), "--format", "csv")
    assert q.stdout.decode().splitlines()[1].strip() == "1"


def _synthetic(folder: Path, n: int):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    from synth import generate
    return generate(folder, n, seed=7)


def _graph_sizes(store_dir) -> dict:
    run = run_kg("query", "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } ?g a kg:Report } GROUP BY ?g",
                 "--store", str(store_dir), "--format", "json")
    assert run.returncode == 0, run.stderr
    return {b["g"]["value"]: int(b["n"]["value"]) for b in json.loads(run.stdout)["results"]["bindings"]}


def test_killed_loads_leave_whole_reports_and_a_rerun_completes(tmp_path):
    files = _synthetic(tmp_path / "reports", 60)
    from kg.rdf import extraction_quads, report_iri
    from kg.resolve import DEFAULT_BASE
    expected = {}
    for f in files:
        r = kg_read.read_report(str(f.resolve()))
        expected[report_iri(DEFAULT_BASE, r.sha256)] = len(set(extraction_quads(extract_report(r), concepts=False, for_store=True)))
    store_dir = tmp_path / "st"
    rng = random.Random(3)
    for attempt in range(3):
        proc = subprocess.Popen(KG + ["load", str(tmp_path / "reports"), "--store", str(store_dir), "-j", "1", "--batch", "5"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(1.5, 3.5))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        if not (store_dir / "CURRENT").exists():
            continue
        for graph, n in _graph_sizes(store_dir).items():
            assert n == expected[graph], f"report {graph} is half in the store after kill {attempt}"
    final = run_kg("load", str(tmp_path / "reports"), "--store", str(store_dir), timeout=300)
    assert final.returncode == 0, final.stderr
    assert _graph_sizes(store_dir) == expected
    stale = run_kg("query", "ASK { GRAPH <https://kg.example.org/graph/meta> { ?s ?p ?o } }", "--store", str(store_dir))
    assert stale.returncode == 1  # no journal, no stale marker, nothing left to refresh
    assert_documents_graph_is_exact(store_dir)


def assert_documents_graph_is_exact(store_dir):
    """The documents graph a load grew batch by batch (and mended after kills) equals the one
    rebuilt from scratch out of the reports' own descriptions."""
    import pyoxigraph as ox
    from kg.store import DOCUMENTS_GRAPH, LocalStore
    db = LocalStore(str(store_dir))
    g = ox.NamedNode(DOCUMENTS_GRAPH)
    grown = {q.triple for q in db.db.quads_for_pattern(None, None, None, g)}
    db.refresh_summary(None)
    rebuilt = {q.triple for q in db.db.quads_for_pattern(None, None, None, g)}
    del db
    assert grown == rebuilt and len(rebuilt) > 100


def test_a_batch_left_by_a_killed_load_is_undone_and_loaded_again(tmp_path):
    """Kill between the journal and its removal, with half the batch written: the next load
    drops the batch, loads its files again, and mends the documents they cited."""
    import pyoxigraph as ox
    from kg.load import load
    from kg.rdf import extraction_nquads, report_iri, summary_nquads
    from kg.resolve import DEFAULT_BASE
    from kg.store import LOADING, META_GRAPH, LocalStore
    files = _synthetic(tmp_path / "reports", 30)
    late = files[-1]
    late.rename(tmp_path / late.name)             # not there for the first load
    db = LocalStore(str(tmp_path / "st"))
    load([str(tmp_path / "reports")], db, workers=1)
    (tmp_path / late.name).rename(late)
    ex = extract_report(kg_read.read_report(str(late.resolve())))
    report = report_iri(DEFAULT_BASE, ex.sha256)
    lines = extraction_nquads(ex, for_store=True).splitlines(keepends=True)
    db.db.extend([ox.Quad(ox.NamedNode(report), ox.NamedNode(LOADING), ox.Literal(True), ox.NamedNode(META_GRAPH))])
    db.db.load(b"".join(lines[: len(lines) // 2]) + summary_nquads(ex), format=ox.RdfFormat.N_QUADS)
    summary = load([str(tmp_path / "reports")], db, workers=1)
    assert summary.loaded == 1 and summary.unchanged == 29
    written = sum(1 for _ in db.db.quads_for_pattern(None, None, None, ox.NamedNode(report)))
    assert written == len(lines)
    assert not list(db.db.quads_for_pattern(None, None, None, ox.NamedNode(META_GRAPH)))
    del db
    assert_documents_graph_is_exact(tmp_path / "st")


def test_two_loads_on_one_store(tmp_path):
    _synthetic(tmp_path / "reports", 40)
    store_dir = tmp_path / "st"
    first = subprocess.Popen(KG + ["load", str(tmp_path / "reports"), "--store", str(store_dir), "-j", "1"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while not (store_dir / "LOCK").exists() and first.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    # the store is open (kg.lock is taken before RocksDB's LOCK appears): held still, the first
    # load keeps it while the second tries, however fast or slow the machine is
    first.send_signal(signal.SIGSTOP)
    try:
        assert first.poll() is None, "the first load ended before the second could try"
        second = run_kg("load", str(tmp_path / "reports"), "--store", str(store_dir))
    finally:
        first.send_signal(signal.SIGCONT)
    assert second.returncode != 0 and b"in use by another kg process" in second.stderr
    out, err = first.communicate(timeout=300)
    assert first.returncode == 0, err
    assert len(_graph_sizes(store_dir)) == 40


XSS_PAYLOADS = [
    "</script><img src=x onerror=alert(1)>",
    "<script>alert(1)</script>",
    "\"><svg onload=alert(1)>",
    "'><iframe src=javascript:alert(1)>",
    "<img src=x onerror=alert(1)//",
    "javascript:alert(1)",
    "<!--<script>alert(1)</script>-->",
    "\u2028\u2029</script >",
    "&lt;b&gt;&amp;{{7*7}}${7*7}",
    "<style>body{display:none}</style>",
]


def test_annotate_is_inert_for_every_payload(tmp_path):
    for i, p in enumerate(XSS_PAYLOADS):
        f = tmp_path / f"r{i}.txt"
        f.write_text(f"{p}\n\nChỉ thị số 01-CT/TW về “{p}” của Bộ Chính trị. {p}", encoding="utf-8")
        out = tmp_path / f"r{i}.html"
        assert run_kg("annotate", str(f), "--out", str(out)).returncode == 0
        page = out.read_text(encoding="utf-8")
        main = page.split('<main id="text">')[1].split("</main>")[0]
        for tag in ("<script", "<img", "<svg", "<iframe", "<style", "<!--"):
            assert tag not in main.lower()
        data = page.split('id="kg-docs">')[1].split("</script>")[0]
        assert "<" not in data and ">" not in data


def test_viz_is_inert_for_every_payload(tmp_path, browser):
    docs, cits = [], []
    for i, p in enumerate(XSS_PAYLOADS):
        iri = f"https://kg.example.org/doc/{i:02d}-CT-TW"
        docs.append({"id": iri, "symbol": f"{i:02d}-CT/TW", "doc_type": "Chỉ thị", "doc_type_id": "chi-thi", "date": None,
                     "issuer": p, "title": p, "mentions": 1, "conflicts": [{"field": "date", "values": [p, "x"]}], "system": "party"})
        cits.append({"text": p, "start": 0, "end": 1, "document": iri, "sentence": {"start": 0, "end": 1, "text": p}})
    data = {"source": {"path": "".join(XSS_PAYLOADS), "sha256": "1" * 64, "chars": 1}, "source_document": None,
            "citations": cits, "documents": docs, "relations": [], "warnings": []}
    src = tmp_path / "evil.json"
    src.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "evil.html"
    assert run_kg("viz", str(src), "--out", str(out), "--title", XSS_PAYLOADS[0]).returncode == 0
    page = browser.new_page()
    dialogs, errors = [], []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(out.as_uri())
    page.wait_for_function("window.kgNetwork !== undefined")
    for i in range(len(XSS_PAYLOADS)):
        page.fill("#search", f"{i:02d}-CT")
        page.click("#results button")
        assert XSS_PAYLOADS[i].strip() in page.locator("#panel").text_content()
    page.hover("#network")
    assert page.evaluate("document.querySelectorAll('img, svg, iframe, style:not(head style)').length") == 0
    assert dialogs == [] and errors == []
    page.close()


def test_fuzz_target_runs_without_atheris():
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fuzz"))
    import fuzz_extract
    for data in [b"", b"\xff\xfe", "Kết luận số 01-KL/TW, ngày 18/5/2021".encode(), os.urandom(300)]:
        fuzz_extract.TestOneInput(data)
