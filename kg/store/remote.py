"""The remote store: any SPARQL 1.1 server (Update, and the Graph Store Protocol where it has one)."""
from __future__ import annotations

import json
import os

import pyoxigraph as ox

from ..rdf import DOCUMENTS_GRAPH
from .base import StoreError, _Store
from .derived import _chunks, ontology_quads
from ..rdf import KG, VOCAB
from .graphs import (IDENTITY_GRAPH, INDEX_GRAPH, LINEAGE_GRAPH, LOADING, META_GRAPH, ONTOLOGY_GRAPH, SPARQL_PREFIXES,
                     STALE, XSD_DECIMAL)

STORE_NODE = VOCAB + "store"


def server_auth(user: str, password: str):
    """HTTP basic or digest authentication, whichever the server's 401 asks for
    ($KG_SPARQL_USER, $KG_SPARQL_PASSWORD), built on httpx's own two schemes (imported here:
    commands that never reach a server do not pay for httpx)."""
    import httpx

    class _Auth(httpx.Auth):
        def __init__(self):
            self.basic, self.digest = httpx.BasicAuth(user, password), httpx.DigestAuth(user, password)
            self.scheme: httpx.Auth | None = None

        def auth_flow(self, request):
            if self.scheme is not None:  # the server asked once: answer up front from then on
                yield from self.scheme.auth_flow(request)
                return
            response = yield request
            if response.status_code != 401:
                return
            challenge = response.headers.get("www-authenticate", "").lower()
            self.scheme = self.digest if challenge.startswith("digest") else self.basic
            flow = self.scheme.auth_flow(request)
            first = next(flow)                     # digest: the unauthenticated try, already made
            if self.scheme is self.digest:
                first = flow.send(response)        # … answered with the challenge we hold
            final = yield first
            try:
                flow.send(final)
            except StopIteration:
                pass
    return _Auth()


#: Seconds to wait for an answer ($KG_SPARQL_TIMEOUT, `kg load --timeout`), and the largest
#: answer read ($KG_SPARQL_MAX_BYTES): a 318 MB body took 686 MB of memory.
TIMEOUT = 600.0
MAX_BYTES = 256 << 20


def shown(text: str) -> str:
    """A URL (or a message holding URLs) as kg shows it: without the user and password."""
    import re
    return re.sub(r"(https?://)[^/\s@]*@", r"\1", text)


def _redirect(location: str) -> str:
    return f", a redirect to {shown(location)}: kg does not follow redirects, give that URL" if location else ""


#: Writes to a server go in requests of at most so many triples and bytes: Virtuoso's SPARQL
#: parser runs out of stack at about 5,000 triples in one request.
UPDATE_LINES = 2000
UPDATE_BYTES = 1 << 20


def endpoints(url: str, update: str | None = None, graph_store: str | None = None) -> tuple[str, str, str | None]:
    """The query, update and Graph Store endpoints of a server. ``url`` is the query endpoint; a
    bare server address (no path) or one ending in /query is laid out as Oxigraph's (/query,
    /update, /store). Otherwise updates go to the query endpoint itself (SPARQL 1.1 allows one
    endpoint for both; Virtuoso's /sparql is one) and graphs are replaced by SPARQL Update, unless
    --update-endpoint / --graph-store ($KG_UPDATE_ENDPOINT, $KG_GRAPH_STORE) name them."""
    from urllib.parse import urlsplit
    url = url.rstrip("/")
    update = update or os.environ.get("KG_UPDATE_ENDPOINT") or None
    graph_store = graph_store or os.environ.get("KG_GRAPH_STORE") or None
    path = urlsplit(url).path
    if path in ("", "/") or path.endswith("/query"):
        root = url[: -len("/query")] if path.endswith("/query") else url
        return root + "/query", update or root + "/update", graph_store or root + "/store"
    return url, update or url, graph_store


class RemoteStore(_Store):
    """Any SPARQL 1.1 server: queries to its query endpoint, writes as SPARQL Update (many report
    graphs per request), whole graphs replaced through the Graph Store Protocol when it has one.
    Tested against Oxigraph's server and Virtuoso 7."""

    def __init__(self, url: str, *, update_endpoint: str | None = None, graph_store: str | None = None,
                 timeout: float | None = None):
        import httpx
        self.location = shown(url.rstrip("/"))  # what is shown: never the password in the URL
        self.query_url, self.update_url, self.graph_store_url = endpoints(url, update_endpoint, graph_store)
        user, password = os.environ.get("KG_SPARQL_USER"), os.environ.get("KG_SPARQL_PASSWORD")
        auth = server_auth(user, password or "") if user else None
        self.timeout = float(timeout or os.environ.get("KG_SPARQL_TIMEOUT") or TIMEOUT)
        self.max_bytes = int(os.environ.get("KG_SPARQL_MAX_BYTES") or MAX_BYTES)
        self.http = httpx.Client(timeout=self.timeout, auth=auth)
        self.lease: Lease | None = None
        try:
            status, headers, _ = self._request("GET", self.query_url, params={"query": "ASK {}"},
                                               headers={"Accept": "application/sparql-results+json"}, check=False)
        except StoreError as e:
            raise StoreError(f"no SPARQL server answers at {self.location}: {e}") from None
        if status in (401, 403):
            raise StoreError(f"the server at {self.location} refused kg ({status}): set $KG_SPARQL_USER and $KG_SPARQL_PASSWORD")
        if not 200 <= status < 300:
            raise StoreError(f"no SPARQL query endpoint at {self.location} (HTTP {status}"
                             f"{_redirect(headers.get('location', '')) if 300 <= status < 400 else ''})")

    def _request(self, method: str, url: str, *, what: str = "the request", check: bool = True, **kw):
        """One request: (status, headers, body), the body read up to max_bytes. Any answer but 2xx
        is an error naming its status when ``check`` (a redirect is not followed: it would carry
        the credentials elsewhere); so is no answer within the timeout."""
        import httpx
        try:
            with self.http.stream(method, url, **kw) as r:
                body = bytearray()
                for chunk in r.iter_bytes():
                    body += chunk
                    if len(body) > self.max_bytes:
                        raise StoreError(f"the server's answer to {what} is larger than {self.max_bytes >> 20} MB "
                                         f"($KG_SPARQL_MAX_BYTES)")
                status, headers = r.status_code, r.headers
        except httpx.TimeoutException:
            raise StoreError(f"the server at {self.location} did not answer {what} within {self.timeout:g} s "
                             f"(--timeout, $KG_SPARQL_TIMEOUT)") from None
        except httpx.HTTPError as e:
            raise StoreError(f"the server at {self.location} failed {what}: {shown(str(e))}") from None
        if check and not 200 <= status < 300:
            detail = _first_line(bytes(body).decode("utf-8", "replace"))
            where = _redirect(headers.get("location", "")) if 300 <= status < 400 else (f": {detail}" if detail else "")
            raise StoreError(f"the server refused {what} (HTTP {status}){where}")
        return status, headers, bytes(body)

    def _post_query(self, sparql: str, accept: str) -> bytes:
        return self._request("POST", self.query_url, what="the query", data={"query": sparql}, headers={"Accept": accept})[2]

    def query(self, sparql: str, *, prefixes: bool = True):
        """Results parsed back into pyoxigraph objects, so callers see one API."""
        text = SPARQL_PREFIXES + sparql if prefixes else sparql
        kind = ox.Store().query(text)  # parse here: syntax errors stay local and read the same everywhere
        if isinstance(kind, ox.QueryBoolean):
            answer = b'{"head":{},"boolean":%s}' % (b"true" if self._ask(text) else b"false")
            return ox.parse_query_results(answer, format=ox.QueryResultsFormat.JSON)
        if isinstance(kind, ox.QuerySolutions):
            data = self._post_query(text, "application/sparql-results+json")
            data = _standard_json(data)
            try:  # read once here: a malformed answer is the server's fault, not a SPARQL syntax error
                for _ in ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON):
                    pass
            except (SyntaxError, ValueError) as e:
                raise StoreError(f"the server's answer is not SPARQL JSON results: {_first_line(str(e))}") from None
            return ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON)
        data = self._post_query(text, "application/n-triples")
        try:
            return iter(list(ox.parse(data, format=ox.RdfFormat.N_TRIPLES)))
        except (SyntaxError, ValueError) as e:
            raise StoreError(f"the server's answer is not N-Triples: {_first_line(str(e))}") from None

    def _ask(self, sparql: str) -> bool:
        """ASK: a boolean, or (Virtuoso) a one-row result holding 1 or 0."""
        try:
            data = json.loads(self._post_query(sparql, "application/sparql-results+json"))
            if "boolean" in data:
                return bool(data["boolean"])
            rows = data.get("results", {}).get("bindings", [])
            return bool(rows) and any(v.get("value") not in ("0", "false") for v in rows[0].values())
        except (ValueError, AttributeError, TypeError, RecursionError):
            raise StoreError("the server's answer to an ASK query is not SPARQL JSON results") from None

    def _update(self, sparql: str) -> None:
        if self.lease is not None and self.lease.lost:
            raise StoreError(f"this load lost the writer lease of {self.location} (its heartbeat stopped for "
                             f"{LEASE_SECONDS} s); run it again")
        self._request("POST", self.update_url, what="the update", content=sparql.encode("utf-8"),
                      headers={"Content-Type": "application/sparql-update"})

    def begin_writing(self) -> None:
        """Take the server's writer lease before anything is written or recovered (see `Lease`)."""
        if self.lease is None:
            self.lease = Lease(self)
            self.lease.acquire()

    def end_writing(self) -> None:
        if self.lease is not None:
            lease, self.lease = self.lease, None
            lease.release()

    def sources(self, report: str) -> set[str]:
        return {r["s"] for r in self.select(f"SELECT ?s WHERE {{ GRAPH <{report}> {{ <{report}> dct:source ?s }} }}")}

    def all_sources(self) -> dict[str, set[str]]:
        out: dict[str, set[str]] = {}
        for r in self.select("SELECT ?r ?s WHERE { GRAPH ?r { ?r a kg:Report ; dct:source ?s } }"):
            out.setdefault(r["r"], set()).add(r["s"])
        return out

    #: A batch is several requests; the journal (as in the local store) lets the next load drop
    #: the reports of a batch a killed load left, but what reached the documents graph is unknown.
    batches_are_atomic = False

    def put_reports(self, reports: list[tuple[str, bytes]], summary: bytes = b"") -> None:
        """A batch of reports as SPARQL Update ``INSERT DATA { GRAPH <report> { … } … }``, many
        reports a request, journalled in the meta graph first."""
        journal = [" ".join(f"<{r}> <{LOADING}> true ." for r, _ in chunk) for chunk in _chunks(reports, UPDATE_LINES)]
        for lines in journal:
            self._update(f"INSERT DATA {{ GRAPH <{META_GRAPH}> {{ {lines} }} }}")
        self._insert_lines((report, line) for report, nquads in reports for line in triple_lines(nquads))
        self.add_documents(summary)
        for lines in journal:
            self._update(f"DELETE DATA {{ GRAPH <{META_GRAPH}> {{ {lines} }} }}")

    def _insert_lines(self, lines) -> None:
        """(graph, N-Triples line) pairs as INSERT DATA requests of at most UPDATE_LINES triples and
        UPDATE_BYTES (Virtuoso's SPARQL parser runs out of stack at about 5,000 triples a request)."""
        request: list[str] = []
        graph, size, count = None, 0, 0
        for g, line in lines:
            if count >= UPDATE_LINES or size > UPDATE_BYTES:
                self._update("INSERT DATA {\n" + "".join(request) + "} }")
                request, graph, size, count = [], None, 0, 0
            if g != graph:
                request.append(("} " if graph is not None else "") + f"GRAPH <{g}> {{\n")
                graph = g
            request.append(line)
            size += len(line)
            count += 1
        if request:
            self._update("INSERT DATA {\n" + "".join(request) + "} }")

    def recover(self) -> int:
        """Drop the reports a killed load was writing (their files load again)."""
        journal = [r["r"] for r in self.select(f"SELECT ?r WHERE {{ GRAPH <{META_GRAPH}> {{ ?r <{LOADING}> ?x }} }}")]
        if journal:
            self.mark_for_rebuild()
        for report in journal:
            self.drop_report(report)
            self._update(f"DELETE WHERE {{ GRAPH <{META_GRAPH}> {{ <{report}> <{LOADING}> ?x }} }}")
        return len(journal)

    def compact(self) -> None:
        pass  # the server's own business

    def drop_report(self, report: str) -> None:
        self._update(f"DROP SILENT GRAPH <{report}>")

    def put_ontology(self) -> None:
        self.replace_graph(ONTOLOGY_GRAPH, ontology_quads())

    def add_documents(self, nquads: bytes) -> None:
        """Add lines to the documents graph, many a request."""
        if nquads:
            self._insert_lines((DOCUMENTS_GRAPH, line) for line in triple_lines(nquads))

    def cited_by(self, report: str) -> set[str]:
        """What a report states facts about in the documents graph (see LocalStore.cited_by)."""
        return {report} | {r["d"] for r in self.select(
            f"SELECT ?d WHERE {{ GRAPH <{report}> {{ <{report}> eli:cites|kg:ownDocument ?d }} }}")}

    def update(self, sparql: str, *, prefixes: bool = True) -> None:
        self._update((SPARQL_PREFIXES if prefixes else "") + sparql)

    def clear_stale(self) -> None:
        self._update(f"DELETE DATA {{ GRAPH <{META_GRAPH}> {{ {STALE[0]} {STALE[1]} {STALE[2]} }} }}")

    def mark_stale(self) -> None:
        self._update(f"INSERT DATA {{ GRAPH <{META_GRAPH}> {{ {STALE[0]} {STALE[1]} {STALE[2]} }} }}")

    def is_stale(self) -> bool:
        return self._ask(f"ASK {{ GRAPH <{META_GRAPH}> {{ {STALE[0]} {STALE[1]} {STALE[2]} }} }}")

    def replace_graph(self, graph: str, quads: list[ox.Quad]) -> None:
        """A whole derived graph: one Graph Store PUT where the server has the protocol, else
        DROP then INSERT DATA in requests of at most UPDATE_BYTES."""
        body = ox.serialize([q.triple for q in quads], format=ox.RdfFormat.N_TRIPLES)
        if self.graph_store_url:
            self._request("PUT", self.graph_store_url, what=f"the graph {graph}", params={"graph": graph},
                          content=body, headers={"Content-Type": "application/n-triples"})
            return
        self._update(f"DROP SILENT GRAPH <{graph}>")
        self.add_quads(quads)

    def pairs(self, predicate: str, graph: str | None = None):
        """(subject, object, graph) of every quad with this predicate (in this graph)."""
        where = f"GRAPH <{graph}> {{ ?s <{predicate}> ?o }}" if graph else f"GRAPH ?g {{ ?s <{predicate}> ?o }}"
        for r in self.select(f"SELECT ?s ?o ?g WHERE {{ {where} }}"):
            yield r["s"], r["o"], graph or r["g"]

    def add_quads(self, quads: list[ox.Quad]) -> None:
        by_graph: dict[str, list[ox.Triple]] = {}
        for q in quads:
            by_graph.setdefault(q.graph_name.value, []).append(q.triple)
        for graph, triples in by_graph.items():
            self._insert_lines((graph, term_line(t)) for t in triples)

    def dump(self, fmt: ox.RdfFormat = ox.RdfFormat.N_QUADS) -> bytes:
        """Every quad of the server's named graphs (what `kg validate --store` checks)."""
        rows = self.query("SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }")
        return ox.serialize([ox.Quad(r["s"], r["p"], r["o"], r["g"]) for r in rows], format=fmt)

    def counts(self) -> dict:
        reports = self.select("SELECT (COUNT(?r) AS ?n) WHERE { GRAPH ?r { ?r a kg:Report } }")[0]["n"]
        # kg's graphs only (a server keeps graphs of its own: Virtuoso's system graphs), counted
        # graph by graph: Virtuoso answers 0 when one pattern joins both
        n = int(self.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?g a kg:Report . ?s ?p ?o } }")[0]["n"])
        for g in (ONTOLOGY_GRAPH, DOCUMENTS_GRAPH, IDENTITY_GRAPH, LINEAGE_GRAPH, INDEX_GRAPH, META_GRAPH):
            n += int(self.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{g}> {{ ?s ?p ?o }} }}")[0]["n"])
        return {"reports": int(reports), "documents": self.document_count(), "triples": int(n)}

    def close(self) -> None:
        try:
            self.end_writing()
        finally:
            self.http.close()


def _first_line(text: str) -> str:
    lines = (text or "").strip().splitlines()
    return lines[0][:200] if lines else ""


def _standard_json(data: bytes) -> bytes:
    """SPARQL JSON results as the W3C format has them: Virtuoso writes "typed-literal" (an old
    draft's name) for literals with a datatype."""
    import re
    return re.sub(rb'("type"\s*:\s*)"typed-literal"', rb'\1"literal"', data)


def term_line(t) -> str:
    """One triple as a line of SPARQL, each term serialised by pyoxigraph (never pasted from the
    input), with the characters some servers and line readers take for line breaks (NEL, LS, PS)
    escaped in literals as well."""
    o = t.object
    obj = str(o)
    if isinstance(o, ox.Literal) and any(c in obj for c in "\x85\u2028\u2029"):
        obj = obj.replace("\x85", "\\u0085").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return f"{t.subject} {t.predicate} {obj} .\n"


def triple_lines(nquads: bytes):
    """N-Quads, parsed strictly, as lines of triples for a GRAPH block of INSERT DATA."""
    for q in ox.parse(nquads, format=ox.RdfFormat.N_QUADS):
        yield term_line(q)


#: A writer lease lives this long without a heartbeat; the holder renews it every LEASE_BEAT.
LEASE_SECONDS = 120
LEASE_BEAT = 15
WRITER, HEARTBEAT = KG + "writer", KG + "heartbeat"


class Lease:
    """One load writes to a server at a time, as kg.lock makes it for a local store: a load holds
    ``kg:store kg:writer "owner" ; kg:heartbeat <epoch seconds>`` in the meta graph, renewed
    every LEASE_BEAT seconds. A load finding another's lease renewed within LEASE_SECONDS is
    refused; a lease older than that is a dead load's, and is taken over (with it, that load's
    journal, which `recover` then undoes). Without it, a second load took a running load's
    journal for a crash's and dropped its batch. Heartbeats use the clocks of the machines that
    load, which must roughly agree."""

    def __init__(self, store: "RemoteStore"):
        import socket
        import uuid
        self.store = store
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:12]}"
        self.lost = False
        self.stopping = None
        self.thread = None

    def _now(self) -> str:
        import time
        return f'"{time.time():.3f}"^^<{XSD_DECIMAL}>'

    def acquire(self) -> None:
        import time
        s, me, g = STORE_NODE, str(ox.Literal(self.owner)), META_GRAPH
        cutoff = f'"{time.time() - LEASE_SECONDS:.3f}"^^<{XSD_DECIMAL}>'
        self.store._request("POST", self.store.update_url, what="the writer lease", headers={"Content-Type": "application/sparql-update"}, content=(
            f"DELETE {{ GRAPH <{g}> {{ ?s <{WRITER}> ?o . ?s <{HEARTBEAT}> ?t }} }} "
            f"INSERT {{ GRAPH <{g}> {{ <{s}> <{WRITER}> {me} . <{s}> <{HEARTBEAT}> {self._now()} }} }} "
            f"WHERE {{ FILTER NOT EXISTS {{ GRAPH <{g}> {{ ?x <{WRITER}> ?y . ?x <{HEARTBEAT}> ?u "
            f"FILTER(?y != {me} && ?u >= {cutoff}) }} }} "
            f"OPTIONAL {{ GRAPH <{g}> {{ ?s <{WRITER}> ?o . ?s <{HEARTBEAT}> ?t }} }} }}").encode("utf-8"))
        rows = self.store.select(f"SELECT ?o ?t WHERE {{ GRAPH <{g}> {{ ?s <{WRITER}> ?o . OPTIONAL {{ ?s <{HEARTBEAT}> ?t }} }} }}")
        others = [r for r in rows if r["o"] != self.owner]
        if others or not rows:
            if any(r["o"] == self.owner for r in rows):  # two took it at once: both step back
                self.release()
            ago = ""
            try:
                ago = f", renewed {max(0, time.time() - max(float(r['t']) for r in others if r['t'])):.0f} s ago"
            except ValueError:
                pass
            raise StoreError(f"the store at {self.store.location} is in use by another kg load "
                             f"({others[0]['o'] if others else 'unknown'}{ago}); wait for it to finish")
        import threading
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._beat, name="kg-lease", daemon=True)
        self.thread.start()

    def _beat(self) -> None:
        s, me, g = STORE_NODE, str(ox.Literal(self.owner)), META_GRAPH
        while not self.stopping.wait(LEASE_BEAT):
            try:
                self.store._request("POST", self.store.update_url, what="the lease's heartbeat",
                                    headers={"Content-Type": "application/sparql-update"}, content=(
                    f"DELETE {{ GRAPH <{g}> {{ <{s}> <{HEARTBEAT}> ?t }} }} "
                    f"INSERT {{ GRAPH <{g}> {{ <{s}> <{HEARTBEAT}> {self._now()} }} }} "
                    f"WHERE {{ GRAPH <{g}> {{ <{s}> <{WRITER}> {me} . <{s}> <{HEARTBEAT}> ?t }} }}").encode("utf-8"))
                mine = self.store.select(f"SELECT ?o WHERE {{ GRAPH <{g}> {{ <{s}> <{WRITER}> ?o }} }}")
                if [r["o"] for r in mine] != [self.owner]:
                    self.lost = True
                    return
            except Exception:  # noqa: BLE001  (a missed beat; the next one may pass)
                continue

    def release(self) -> None:
        if self.stopping is not None:
            self.stopping.set()
            self.thread.join(LEASE_BEAT + 5)
        s, me, g = STORE_NODE, str(ox.Literal(self.owner)), META_GRAPH
        self.store._request("POST", self.store.update_url, what="the writer lease",
                            headers={"Content-Type": "application/sparql-update"}, content=(
            f"DELETE {{ GRAPH <{g}> {{ <{s}> <{WRITER}> {me} . <{s}> <{HEARTBEAT}> ?t }} }} "
            f"WHERE {{ GRAPH <{g}> {{ <{s}> <{WRITER}> {me} . <{s}> <{HEARTBEAT}> ?t }} }}").encode("utf-8"))
