"""kg against two real SPARQL 1.1 servers: Oxigraph's (`oxigraph serve`) and Virtuoso 7 (Debian's
virtuoso-opensource-7-bin, started here with its own virtuoso.ini in a temporary folder; `./setup`
installs it where it can). The same corpus loaded into either must answer as a local store does.
"""
import base64
import http.server
import json
import os
import re
import sys
import threading
from pathlib import Path

import httpx
import pytest

from conftest import kg as run_kg
from test_store import corpus, kg  # noqa: F401  (corpus: a fixture)

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
import servers  # noqa: E402  (bench/servers.py: how kg's benchmarks and tests start real servers)
from servers import start_oxigraph, stop  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
class Engine:
    """A running server: its endpoints and the environment kg needs to write to it."""

    def __init__(self, name, query, update=None, graph_store=None, user=None, password=None):
        self.name, self.query, self.update, self.graph_store = name, query, update, graph_store
        self.env = {"KG_SPARQL_USER": user, "KG_SPARQL_PASSWORD": password} if user else {}

    def args(self):
        out = ["--store", self.query]
        if self.update:
            out += ["--update-endpoint", self.update]
        if self.graph_store:
            out += ["--graph-store", self.graph_store]
        return out

    def run(self, *args):
        env = {**os.environ, "PYTHONUNBUFFERED": "1", **self.env}
        return run_kg(*args, env=env)


def start_virtuoso(folder):
    if servers.VIRTUOSO is None:
        pytest.skip("Virtuoso 7 is not installed (Debian's virtuoso-opensource-7-bin; ./setup installs it when run as root)")
    return servers.start_virtuoso(folder)


@pytest.fixture(scope="module", params=["oxigraph", "virtuoso"])
def engine(request, tmp_path_factory):
    folder = tmp_path_factory.mktemp(request.param)
    if request.param == "oxigraph":
        proc, url = start_oxigraph(folder / "db")
        yield Engine("oxigraph", url)  # the server's address: /query, /update, /store
    else:
        proc, url = start_virtuoso(folder)
        # public queries at /sparql; writes through the digest-authenticated endpoints, as dba
        yield Engine("virtuoso", url + "/sparql", url + "/sparql-auth", url + "/sparql-graph-crud-auth", "dba", "dba")
    stop(proc)


PARAMS = {"report-cites": ("--param", "file=bao-cao-so-ket-3-nam-kl01-cbdv-2024.md")}  # a required parameter


@pytest.fixture(scope="module")
def local(corpus, tmp_path_factory):  # noqa: F811
    """The corpus in a local store, and what kg answers from it (once for both engines)."""
    st = tmp_path_factory.mktemp("local") / "st"
    assert kg("load", str(corpus), "--store", str(st), "-j", "1").returncode == 0
    out = {"store": st}
    for name in ("most-cited", "conflicts", "report-cites"):
        out[name] = answer(kg("query", name, *PARAMS.get(name, ()), "--store", str(st), "--format", "csv"))
    for cmd in COMMANDS:
        out[" ".join(cmd)] = answer(kg(*cmd, "--store", str(st)))
    html = tmp_path_factory.mktemp("viz") / "local.html"
    out["viz"] = kg("viz", "--store", str(st), "--out", str(html)).stderr.replace(str(html).encode(), b"")
    out["site"] = tmp_path_factory.mktemp("site") / "local"
    assert kg("site", "--store", str(st), "--out", str(out["site"])).returncode == 0
    return out


@pytest.fixture(scope="module")
def loaded(engine, corpus, local):  # noqa: F811
    run = engine.run("load", str(corpus), *engine.args(), "-j", "1")
    assert run.returncode == 0, run.stderr.decode()
    return engine, local


COMMANDS = (["stats"], ["validate", "--format", "json"], ["show", "05-CT/TW", "--format", "json"])


def answer(run):
    assert run.returncode == 0, run.stderr.decode()
    return run.stdout


def test_named_queries_answer_as_the_local_store_does(loaded):
    engine, local = loaded
    for name in ("most-cited", "conflicts", "report-cites"):
        there = answer(engine.run("query", name, *PARAMS.get(name, ()), "--store", engine.query, "--format", "csv"))
        assert there == local[name] and len(there.splitlines()) > 1, name


def test_every_named_query_answers_alike(loaded):
    """All of them, in-process (the CLI path is the test above)."""
    from kg.query import named_queries
    from kg.store import LocalStore, RemoteStore
    engine, local = loaded
    here, there = LocalStore(str(local["store"]), read_only=True), RemoteStore(engine.query)
    try:
        for name, path in named_queries().items():
            q = path.read_text(encoding="utf-8")
            assert there.select(q) == here.select(q), name
    finally:
        here.close()
        there.close()


def test_counts_stats_validate_and_viz_agree(loaded, tmp_path):
    from kg.store import LocalStore, RemoteStore
    engine, local = loaded
    st = LocalStore(str(local["store"]), read_only=True)
    counts = st.counts()
    st.close()
    remote = RemoteStore(engine.query)
    assert remote.counts() == counts and counts["reports"] == 5
    remote.close()
    for cmd in COMMANDS:
        assert answer(engine.run(*cmd, "--store", engine.query)) == local[" ".join(cmd)], cmd
    html = tmp_path / "remote.html"
    assert engine.run("viz", "--store", engine.query, "--out", str(html)).stderr.replace(str(html).encode(), b"") == local["viz"]


def test_a_second_load_skips_everything(loaded, corpus):  # noqa: F811
    engine, _ = loaded
    again = answer(engine.run("load", str(corpus), *engine.args()))
    assert b"unchanged (skipped)" in again and b"reports loaded               \xe2\x94\x82    0" in again


# before the batching test below, which adds 40 synthetic reports to the shared server
def test_the_site_from_a_server_has_the_local_pages(loaded, tmp_path):
    import re
    engine, local = loaded
    there = tmp_path / "site"
    assert engine.run("site", "--store", engine.query, "--out", str(there)).returncode == 0
    def pages(folder):
        return {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file() and p.name != ".kg-site.json"}
    assert pages(there) == pages(local["site"]) and len(pages(there)) > 50
    assert (there / "index.html").read_bytes() == (local["site"] / "index.html").read_bytes()
    badge = re.compile(r'class="badge [^"]+">[^<]+<')
    for p in pages(there):
        if p.startswith("van-ban/"):
            a, b = ((f / p).read_text(encoding="utf-8") for f in (there, local["site"]))
            assert badge.findall(a) == badge.findall(b), p


def test_reports_are_written_in_batches_not_one_request_each(engine, tmp_path):
    """40 reports reach the server in a few updates of many reports each; the documents graph comes out as a
    local load builds it."""
    sys.path.insert(0, str(ROOT / "bench"))
    from synth import generate

    from kg.load import load
    from kg.store import DOCUMENTS_GRAPH, LocalStore, RemoteStore
    generate(tmp_path / "r", 40, seed=11)
    os.environ.update(engine.env)
    try:
        remote = RemoteStore(engine.query, update_endpoint=engine.update, graph_store=engine.graph_store)
        sent = []
        original = remote._update
        remote._update = lambda text: (sent.append(text), original(text))[1]
        load([str(tmp_path / "r")], remote, workers=1)
        with_reports = [t for t in sent if "/report/" in t and "INSERT DATA" in t and "#loading" not in t]
        graphs_a_request = [len(re.findall(r"GRAPH <[^>]*/report/[0-9a-f]+>", t)) for t in with_reports]
        assert len(with_reports) <= 40 // 3 and max(graphs_a_request) >= 3, graphs_a_request  # 2,000 triples a request
        local = LocalStore(str(tmp_path / "st"))
        load([str(tmp_path / "r")], local, workers=1)
        q = f"SELECT ?s ?p ?o WHERE {{ GRAPH <{DOCUMENTS_GRAPH}> {{ ?s ?p ?o }} }}"
        rows = lambda st: sorted(json.dumps(r, sort_keys=True) for r in st.select(q))  # noqa: E731
        # the documents graph of the 40 reports alone: the engine also holds the corpus when run after it
        mine = {r["d"] for r in local.select(f"SELECT ?d WHERE {{ GRAPH <{DOCUMENTS_GRAPH}> {{ ?d eli:id_local ?s }} }}")}
        theirs = [r for r in rows(remote) if json.loads(r)["s"] in mine]
        assert theirs == [r for r in rows(local) if json.loads(r)["s"] in mine]
        local.close()
        remote.close()
    finally:
        for k in engine.env:
            os.environ.pop(k)


class BasicAuthProxy(http.server.ThreadingHTTPServer):
    """An authenticating proxy in front of a server, as a team would run one: basic auth, then
    the request passed on unchanged."""

    def __init__(self, upstream, user, password):
        self.upstream, self.expected = upstream, "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
        upstream_url = upstream

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def _pass_on(self):
                if self.headers.get("Authorization") != self.server.expected:
                    self.send_response(401)
                    self.send_header("WWW-Authenticate", 'Basic realm="kg"')
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                headers = {k: v for k, v in self.headers.items() if k.lower() in ("content-type", "accept")}
                r = httpx.request(self.command, upstream_url + self.path, content=body, headers=headers, timeout=60)
                self.send_response(r.status_code)
                self.send_header("Content-Type", r.headers.get("content-type", "text/plain"))
                self.send_header("Content-Length", str(len(r.content)))
                self.end_headers()
                self.wfile.write(r.content)

            do_GET = do_POST = do_PUT = do_DELETE = _pass_on

        super().__init__(("127.0.0.1", 0), Handler)


def test_basic_auth_behind_a_proxy(tmp_path, corpus):  # noqa: F811
    proc, url = start_oxigraph(tmp_path / "db")
    proxy = BasicAuthProxy(url, "analyst", "s3cret")
    threading.Thread(target=proxy.serve_forever, daemon=True).start()
    front = f"http://127.0.0.1:{proxy.server_address[1]}"
    try:
        denied = kg("load", str(corpus), "--store", front)
        assert denied.returncode == 1 and b"KG_SPARQL_USER" in denied.stderr and b"Traceback" not in denied.stderr
        with_creds = Engine("proxy", front, user="analyst", password="s3cret")
        answer(with_creds.run("load", str(corpus), "--store", front, "-j", "1"))
        rows = json.loads(answer(with_creds.run("query", "SELECT (COUNT(?r) AS ?n) WHERE { ?r a kg:Report }",
                                                "--store", front, "--format", "json")))
        assert rows["results"]["bindings"][0]["n"]["value"] == "5"
    finally:
        proxy.shutdown()
        stop(proc)


def test_endpoints_are_laid_out_as_oxigraphs_unless_named(monkeypatch):
    from kg.store import endpoints
    monkeypatch.delenv("KG_UPDATE_ENDPOINT", raising=False)
    monkeypatch.delenv("KG_GRAPH_STORE", raising=False)
    assert endpoints("http://h:7878") == ("http://h:7878/query", "http://h:7878/update", "http://h:7878/store")
    assert endpoints("http://h:7878/query") == ("http://h:7878/query", "http://h:7878/update", "http://h:7878/store")
    assert endpoints("http://h/sparql") == ("http://h/sparql", "http://h/sparql", None)
    monkeypatch.setenv("KG_UPDATE_ENDPOINT", "http://h/sparql-auth")
    assert endpoints("http://h/sparql", graph_store="http://h/crud") == ("http://h/sparql", "http://h/sparql-auth", "http://h/crud")
