"""The remote store: any SPARQL 1.1 server (Update, and the Graph Store Protocol where it has one)."""
from __future__ import annotations

import json
import os

import pyoxigraph as ox

from ..rdf import DOCUMENTS_GRAPH
from .base import StoreError, _Store
from .derived import _chunks, ontology_quads
from .graphs import (IDENTITY_GRAPH, INDEX_GRAPH, LINEAGE_GRAPH, LOADING, META_GRAPH, ONTOLOGY_GRAPH, SPARQL_PREFIXES,
                     STALE)


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
                 timeout: float = 600.0):
        import httpx
        self.location = url.rstrip("/")
        self.query_url, self.update_url, self.graph_store_url = endpoints(url, update_endpoint, graph_store)
        user, password = os.environ.get("KG_SPARQL_USER"), os.environ.get("KG_SPARQL_PASSWORD")
        auth = server_auth(user, password or "") if user else None
        self.http = httpx.Client(timeout=timeout, auth=auth)
        try:
            r = self.http.get(self.query_url, params={"query": "ASK {}"}, headers={"Accept": "application/sparql-results+json"})
        except Exception as e:  # noqa: BLE001
            raise StoreError(f"no SPARQL server answers at {url}: {e}") from None
        if r.status_code in (401, 403):
            raise StoreError(f"the server at {url} refused kg ({r.status_code}): set $KG_SPARQL_USER and $KG_SPARQL_PASSWORD")
        if r.status_code >= 400:
            raise StoreError(f"no SPARQL query endpoint at {url} ({r.status_code})")

    def _post_query(self, sparql: str, accept: str) -> bytes:
        r = self.http.post(self.query_url, data={"query": sparql}, headers={"Accept": accept})
        if r.status_code >= 400:
            raise StoreError(f"the server refused the query ({r.status_code}): {_first_line(r.text)}")
        return r.content

    def query(self, sparql: str, *, prefixes: bool = True):
        """Results parsed back into pyoxigraph objects, so callers see one API."""
        text = SPARQL_PREFIXES + sparql if prefixes else sparql
        kind = ox.Store().query(text)  # parse here: syntax errors stay local and read the same everywhere
        if isinstance(kind, ox.QueryBoolean):
            answer = b'{"head":{},"boolean":%s}' % (b"true" if self._ask(text) else b"false")
            return ox.parse_query_results(answer, format=ox.QueryResultsFormat.JSON)
        if isinstance(kind, ox.QuerySolutions):
            data = self._post_query(text, "application/sparql-results+json")
            return ox.parse_query_results(_standard_json(data), format=ox.QueryResultsFormat.JSON)
        data = self._post_query(text, "application/n-triples")
        return iter(ox.parse(data, format=ox.RdfFormat.N_TRIPLES))

    def _ask(self, sparql: str) -> bool:
        """ASK: a boolean, or (Virtuoso) a one-row result holding 1 or 0."""
        data = json.loads(self._post_query(sparql, "application/sparql-results+json"))
        if "boolean" in data:
            return bool(data["boolean"])
        rows = data.get("results", {}).get("bindings", [])
        return bool(rows) and any(v.get("value") not in ("0", "false") for v in rows[0].values())

    def _update(self, sparql: str) -> None:
        r = self.http.post(self.update_url, content=sparql.encode("utf-8"),
                           headers={"Content-Type": "application/sparql-update"})
        if r.status_code >= 400:
            raise StoreError(f"the server refused the update ({r.status_code}): {_first_line(r.text)}")

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
        self._insert_lines((report, line) for report, nquads in reports
                           for line in _triples_text(nquads).splitlines(keepends=True))
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
            self._insert_lines((DOCUMENTS_GRAPH, line) for line in _triples_text(nquads).splitlines(keepends=True))

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
            r = self.http.put(self.graph_store_url, params={"graph": graph}, content=body,
                              headers={"Content-Type": "application/n-triples"})
            if r.status_code >= 400:
                raise StoreError(f"the server refused the graph {graph} ({r.status_code}): {_first_line(r.text)}")
            return
        self._update(f"DROP SILENT GRAPH <{graph}>")
        self.add_lines(graph, body.decode("utf-8"))

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
            self.add_lines(graph, ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8"))

    def add_lines(self, graph: str, triples: str) -> None:
        self._insert_lines((graph, line) for line in triples.splitlines(keepends=True))

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
        self.http.close()


def _first_line(text: str) -> str:
    lines = (text or "").strip().splitlines()
    return lines[0][:200] if lines else ""


def _standard_json(data: bytes) -> bytes:
    """SPARQL JSON results as the W3C format has them: Virtuoso writes "typed-literal" (an old
    draft's name) for literals with a datatype."""
    import re
    return re.sub(rb'("type"\s*:\s*)"typed-literal"', rb'\1"literal"', data)


def _triples_text(nquads: bytes) -> str:
    """A report's N-Quads (one graph, the report's) as N-Triples text for a GRAPH block."""
    text = nquads.decode("utf-8")
    lines = text.splitlines(keepends=True)
    if not lines:
        return ""
    graph = lines[0].rsplit(" ", 2)[-2]  # every line of a report ends "<report> ."
    suffix = f" {graph} .\n"
    return "".join(line[: -len(suffix)] + " .\n" if line.endswith(suffix) else _quad_to_triple(line) for line in lines)


def _quad_to_triple(line: str) -> str:
    """One N-Quads line without its graph (parsed: the rare line that does not end as expected)."""
    (q,) = list(ox.parse(line.encode("utf-8"), format=ox.RdfFormat.N_QUADS))
    return f"{q.subject} {q.predicate} {q.object} .\n"
