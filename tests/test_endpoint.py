"""Issue 20, the endpoint (3, 8, 16, 30): `kg serve` has no second port, decides SERVICE on the
parsed query, reads each request one way only, answers only its own Host, and predeclares kg's
prefixes for every client. Real HTTP against a real `kg serve` and a real listener that records
whether anything called it."""
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import SEED
from conftest import kg as run_kg

KG = [sys.executable, "-m", "kg"]


def kg(*args, timeout=120):
    return run_kg(*args, timeout=timeout)


class Listener:
    """A TCP listener on loopback that counts the connections it gets (a SERVICE target)."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.hits = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.hits += 1
            conn.close()

    def close(self):
        self.stop.set()
        self.thread.join(5)
        self.sock.close()


@pytest.fixture
def listener():
    lis = Listener()
    yield lis
    lis.close()


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    st = tmp_path_factory.mktemp("endpoint") / "st"
    assert kg("load", str(SEED), "--store", str(st)).returncode == 0
    return st


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(store):
    import httpx
    port = _free_port()
    proc = subprocess.Popen(KG + ["serve", "--store", str(store), "--port", str(port), "--timeout", "20"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            httpx.get(url + "/", timeout=1)
            break
        except httpx.HTTPError:
            assert proc.poll() is None, proc.stderr.read()
            time.sleep(0.1)
    yield proc, url, port
    proc.terminate()
    out, err = proc.communicate(timeout=20)
    proc.output = out + err


def raw(port: int, request: bytes) -> tuple[int, bytes]:
    """Send bytes as they are (duplicate headers included) and read the status and body."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
        s.sendall(request)
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split()[1]), body


# 3. no second port, nothing printed but the endpoint

def _listening_ports(pids: set[int]) -> set[int]:
    inodes = set()
    for pid in pids:
        try:
            for fd in os.listdir(f"/proc/{pid}/fd"):
                link = os.readlink(f"/proc/{pid}/fd/{fd}")
                if link.startswith("socket:["):
                    inodes.add(link[8:-1])
        except OSError:
            continue
    ports = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            f = line.split()
            if f[3] == "0A" and f[9] in inodes:  # LISTEN
                ports.add(int(f[1].rsplit(":", 1)[1], 16))
    return ports


def _tree(pid: int) -> set[int]:
    out = {pid}
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                if int((d / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    out |= _tree(int(d.name))
            except OSError:
                continue
    return out


def test_serve_listens_on_one_port_and_prints_no_other(server):
    import httpx
    proc, url, port = server
    assert httpx.get(url + "/query", params={"query": "ASK { ?s ?p ?o }"}).json()["boolean"] is True
    assert _listening_ports(_tree(proc.pid)) == {port}


# 16. SERVICE decided on the parsed query

BYPASSES = [
    "PREFIX dct: <http://purl.org/dc/terms/> SELECT * WHERE {{ ?s dct:a\\# ?o . SERVICE <http://127.0.0.1:{p}/> {{ ?a ?b ?c }} }}",
    "SELECT * WHERE {{ ?s ?p ?o OPTIONAL {{ service <http://127.0.0.1:{p}/> {{ ?a ?b ?c }} }} }}",
    "SELECT * WHERE {{ SERVICE<http://127.0.0.1:{p}/>{{ ?a ?b ?c }} }}",
    "SELECT * WHERE {{ SERVICE SILENT <http://127.0.0.1:{p}/> {{ ?a ?b ?c }} }}",
    "SELECT * WHERE {{ ?s <http://x/#> \"#\" . SERVICE <http://127.0.0.1:{p}/> {{ ?a ?b ?c }} }}",
]


@pytest.mark.parametrize("template", BYPASSES)
def test_service_is_refused_however_it_is_written(template):
    from kg.query import uses_service
    assert uses_service(template.format(p=1))


@pytest.mark.parametrize("text", [
    'SELECT * WHERE { ?s ?p "SERVICE <http://x/>" }',
    "SELECT * WHERE { ?s ?p ?o } # SERVICE <http://x/> { }",
    "SELECT * WHERE { ?s <http://x/service> ?o }",
    "PREFIX dct: <http://purl.org/dc/terms/> SELECT * WHERE { ?s dct:title ?o }",
])
def test_a_query_that_only_mentions_service_runs(text):
    from kg.query import uses_service
    assert not uses_service(text)


def test_kg_query_refuses_the_escaped_bypass_and_calls_nobody(store, listener):
    q = BYPASSES[0].format(p=listener.port)
    run = kg("query", q, "--store", str(store))
    assert run.returncode == 1 and b"SERVICE" in run.stderr and listener.hits == 0


@pytest.mark.parametrize("template", BYPASSES)
def test_kg_serve_refuses_every_bypass_and_calls_nobody(server, listener, template):
    import httpx
    _, url, _ = server
    q = template.format(p=listener.port)
    assert httpx.get(url + "/query", params={"query": q}).status_code == 403
    assert httpx.post(url + "/query", content=q.encode(), headers={"Content-Type": "application/sparql-query"}).status_code == 403
    assert httpx.post(url + "/query", data={"query": q}).status_code == 403
    time.sleep(0.3)
    assert listener.hits == 0


def test_the_listener_would_see_an_allowed_service(store, listener):
    """The check above can fail: with --allow-service the same query does reach the listener."""
    kg("query", BYPASSES[2].format(p=listener.port), "--store", str(store), "--allow-service")
    time.sleep(0.3)
    assert listener.hits >= 1


def test_two_content_types_or_lengths_are_refused(server, listener):
    _, _, port = server
    q = f"query=SELECT * WHERE {{ SERVICE <http://127.0.0.1:{listener.port}/> {{ ?a ?b ?c }} }}".encode()
    status, body = raw(port, b"POST /query HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nContent-Type: application/sparql-query\r\n"
                             b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\n%s" % (port, len(q), q))
    assert status == 400 and b"Content-Type" in body
    status, _ = raw(port, b"POST /query HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nContent-Type: application/sparql-query\r\n"
                          b"Content-Length: 5\r\nContent-Length: 9\r\n\r\nASK {}   " % port)
    assert status == 400
    status, _ = raw(port, b"GET /query?query=ASK%%7B%%7D&query=ASK%%7B%%7D HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n\r\n" % port)
    assert status == 400
    assert listener.hits == 0


# 30. Host: only the bound address and --host's name

def test_a_foreign_host_is_refused(server):
    import httpx
    _, url, port = server
    q = {"query": "ASK { ?s ?p ?o }"}
    assert httpx.get(url + "/query", params=q, headers={"Host": f"attacker.example:{port}"}).status_code == 421
    assert httpx.get(url + "/", headers={"Host": f"attacker.example:{port}"}).status_code == 421
    assert httpx.get(url + "/query", params=q, headers={"Host": f"localhost:{port}"}).status_code == 200
    assert httpx.get(url + "/query", params=q).status_code == 200


def test_a_page_of_another_site_cannot_make_it_query(server):
    import httpx
    _, url, _ = server
    q = {"query": "ASK { ?s ?p ?o }"}
    assert httpx.get(url + "/query", params=q, headers={"Sec-Fetch-Site": "cross-site"}).status_code == 403
    assert httpx.get(url + "/query", params=q, headers={"Sec-Fetch-Site": "same-origin"}).status_code == 200
    assert httpx.get(url + "/query", params=q, headers={"Origin": url}).status_code == 200


# 8. kg's prefixes for every client; a missing one named

def test_a_plain_client_gets_kg_prefixes(server):
    import httpx
    _, url, _ = server
    r = httpx.get(url + "/query", params={"query": "SELECT ?s WHERE { ?d eli:id_local ?s } LIMIT 2"},
                  headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200 and len(r.json()["results"]["bindings"]) == 2


def test_a_missing_prefix_is_named(server, store):
    import httpx
    _, url, _ = server
    r = httpx.get(url + "/query", params={"query": "SELECT ?s WHERE { ?d foaf:name ?s }"})
    assert r.status_code == 400 and r.text.startswith("unknown prefix foaf:") and r.text.count("\n") == 1
    run = kg("query", "SELECT ?s WHERE { ?d foaf:name ?s }", "--store", str(store))
    err = run.stderr.decode()
    assert run.returncode == 1 and err.startswith("kg: error: unknown prefix foaf:") and err.count("\n") == 1


def test_update_and_graph_store_are_refused(server):
    import httpx
    _, url, _ = server
    assert httpx.post(url + "/update", content=b"DROP ALL", headers={"Content-Type": "application/sparql-update"}).status_code == 403
    assert httpx.post(url + "/query", data={"update": "DROP ALL"}).status_code == 403
    assert httpx.get(url + "/store", params={"default": ""}).status_code == 403


def test_a_runaway_query_is_stopped_at_the_limit(store):
    import httpx
    port = _free_port()
    proc = subprocess.Popen(KG + ["serve", "--store", str(store), "--port", str(port), "--timeout", "1"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                httpx.get(url + "/", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        r = httpx.post(url + "/query", content=b"SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
                       headers={"Content-Type": "application/sparql-query"}, timeout=60)
        assert r.status_code == 503 and "limit" in r.text
        ok = httpx.get(url + "/query", params={"query": "ASK { ?s ?p ?o }"}, timeout=60)
        assert ok.json()["boolean"] is True   # a new worker took the place of the killed one
    finally:
        proc.terminate()
        proc.wait(20)


def test_the_query_page_runs_a_query_pasted_without_prefixes(server, browser):
    """In Chromium: the page's own request (Origin and Sec-Fetch-Site as a browser sends them)
    passes the gate, and a query without PREFIX lines runs on kg's predeclared prefixes."""
    _, url, _ = server
    page = browser.new_page()
    try:
        page.goto(url + "/")
        assert "PREFIX eli:" in page.locator("#prefixes").text_content()
        page.fill("#query", "SELECT ?s WHERE { ?d eli:id_local ?s } ORDER BY ?s LIMIT 3")
        page.click("#run")
        page.wait_for_selector("#results table")
        assert page.locator("#results tr").count() == 4
        page.fill("#query", "SELECT ?s WHERE { ?d foaf:name ?s }")
        page.click("#run")
        page.wait_for_selector("#results .error")
        assert "unknown prefix foaf:" in page.locator("#results").text_content()
    finally:
        page.close()
