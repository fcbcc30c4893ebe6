"""Stage 8: the persistent store (Oxigraph).

A local Oxigraph database (pyoxigraph, RocksDB on disk) by default, or any SPARQL 1.1 server
(Update + Graph Store Protocol) when the location is an http(s) URL. One named graph per
report, keyed by the hash of the report's bytes; the ontology and the SKOS schemes in a graph
of their own. Reports are written in batches, journalled in a meta graph so that a batch a
killed load leaves half-written is undone by the next load: a report is fully in or fully out.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import pyoxigraph as ox

from . import tables
from .rdf import DOCUMENTS_GRAPH, ELI, KG, PREFIXES, VOCAB, ascii_slug, documents_nquads, file_name, scheme_quads

DEFAULT_STORE = "./kg-store"
ONTOLOGY_GRAPH = VOCAB + "graph/ontology"
ONTOLOGY_DIR = tables.shipped("ontology")
SPARQL_PREFIXES = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())
DCT_SOURCE = "http://purl.org/dc/terms/source"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"
XSD_DECIMAL = "http://www.w3.org/2001/XMLSchema#decimal"
XSD_DATE = "http://www.w3.org/2001/XMLSchema#date"


class StoreError(Exception):
    """A store that cannot be used; the message is one line for the user."""


def store_location(location: str | None) -> str:
    return location or os.environ.get("KG_STORE") or DEFAULT_STORE


def open_store(location: str | None = None, *, read_only: bool = False, must_exist: bool = False,
               update_endpoint: str | None = None, graph_store: str | None = None):
    """A LocalStore for a folder, a RemoteStore for an http(s) URL (its query endpoint; see
    `endpoints` for the update and Graph Store endpoints)."""
    loc = store_location(location)
    if loc.startswith(("http://", "https://")):
        return RemoteStore(loc, update_endpoint=update_endpoint, graph_store=graph_store)
    return LocalStore(loc, read_only=read_only, must_exist=must_exist or read_only)


def ontology_quads() -> list[ox.Quad]:
    """kg.ttl and the SKOS schemes (generated from kg/data/ so they cannot drift)."""
    g = ox.NamedNode(ONTOLOGY_GRAPH)
    quads = []
    own = ONTOLOGY_DIR / "kg.ttl"
    if own.exists():
        quads += [ox.Quad(t.subject, t.predicate, t.object, g)
                  for t in ox.parse(own.read_bytes(), format=ox.RdfFormat.TURTLE)]
    for which in ("type", "body"):
        quads += [ox.Quad(q.subject, q.predicate, q.object, g) for q in scheme_quads(which)]
    return quads


IDENTITY_GRAPH = VOCAB + "graph/identity"
META_GRAPH = VOCAB + "graph/meta"
STALE = (ox.NamedNode(VOCAB + "store"), ox.NamedNode(VOCAB + "ontology#summaryStale"), ox.Literal("true"))
#: In the meta graph: a report being written in a batch (``<report> kg:loading true``) and a
#: document whose facts must be rebuilt because a report citing it went (``kg:needsRefresh``).
#: Each is written before the change it guards, so a killed load leaves a trail to finish.
LOADING = KG + "loading"
NEEDS_REFRESH = KG + "needsRefresh"
#: ``kg:store kg:needsRebuild true``: the whole documents graph must be rebuilt (a killed batch
#: was undone: what it had added there is unknown).
NEEDS_REBUILD = KG + "needsRebuild"

#: The documents graph: what all reports say about each document (eli:id_local,
#: eli:date_document …, relations, mention and report counts), on the document. A load adds each
#: report's share as it writes the report; when reports go, the facts of the documents they cited
#: are rebuilt from what the reports that remain stated (each report's kg:facts, one JSON
#: literal keyed by document) and from their relation statements. A document's facts so live in
#: one graph: Oxigraph's union default graph returns a triple once per graph that holds it, and
#: queries would otherwise repeat rows.
DESCRIPTIONS = "SELECT DISTINCT ?f WHERE {{ {values} GRAPH ?r {{ ?r kg:facts ?f {link} }} }}"
#: Stores loaded by an earlier kg keep a node per (report, document): ``?x kg:describes ?d ; kg:facts ?f``.
OLD_DESCRIPTIONS = "SELECT ?d ?f WHERE {{ {values} GRAPH ?r {{ ?x kg:describes ?d ; kg:facts ?f }} }}"
STATEMENTS = """SELECT ?a ?p ?b WHERE {{ {values}
  GRAPH ?r {{ ?st rdf:subject ?a ; rdf:predicate ?p ; rdf:object ?b . ?st a kg:RelationStatement }} }}"""
DROP_FACTS = "DELETE {{ GRAPH <{g}> {{ ?d ?p ?o }} }} WHERE {{ VALUES ?d {{ {docs} }} GRAPH <{g}> {{ ?d ?p ?o }} }}"
#: Mention and report counts of some documents (a VALUES line).
RECOUNT = """
DELETE {{ GRAPH <{g}> {{ ?d kg:mentionCount ?n }} }} WHERE {{ {values} GRAPH <{g}> {{ ?d kg:mentionCount ?n }} }} ;
DELETE {{ GRAPH <{g}> {{ ?d kg:reportCount ?n }} }} WHERE {{ {values} GRAPH <{g}> {{ ?d kg:reportCount ?n }} }} ;
INSERT {{ GRAPH <{g}> {{ ?d kg:mentionCount ?n ; kg:reportCount ?k }} }} WHERE {{
  SELECT ?d (COUNT(?m) AS ?n) (COUNT(DISTINCT ?r) AS ?k) WHERE {{ {values} GRAPH ?r {{ ?m oa:hasBody ?d }} }} GROUP BY ?d }}
"""
OWL_SAME_AS = "http://www.w3.org/2002/07/owl#sameAs"
OA_HAS_BODY = "http://www.w3.org/ns/oa#hasBody"


def _values(var: str, iris) -> str:
    return f"VALUES ?{var} {{ " + " ".join(f"<{i}>" for i in iris) + " }"


def recount_updates(docs: set[str], batch: int = 2000) -> list[str]:
    """SPARQL updates that recount the mentions and reports of some documents (all of them:
    `_Store.recount(None)`, which selects and writes instead)."""
    ordered = sorted(docs)
    return [SPARQL_PREFIXES + RECOUNT.format(g=DOCUMENTS_GRAPH, values=_values("d", chunk))
            for chunk in _chunks(ordered, batch)]


def identity_quads(doc_iris: list[str]) -> list[ox.Quad]:
    """Identity across reports: an undated document (…/doc/05-CT-TW) is the dated one
    (…/doc/05-CT-TW-2016) when the corpus has exactly one dated document of that symbol
    (owl:sameAs both ways); with several, kg:ambiguousWith says it cannot tell which."""
    import re
    g = ox.NamedNode(IDENTITY_GRAPH)
    dated: dict[str, list[str]] = {}
    for iri in doc_iris:
        m = re.match(r"^(.*)-(\d{4})$", iri)
        if m:
            dated.setdefault(m.group(1), []).append(iri)
    out = []
    for iri in doc_iris:
        hits = dated.get(iri)
        if not hits:
            continue
        if len(hits) == 1:
            u, d = ox.NamedNode(iri), ox.NamedNode(hits[0])
            out += [ox.Quad(u, ox.NamedNode(OWL_SAME_AS), d, g), ox.Quad(d, ox.NamedNode(OWL_SAME_AS), u, g)]
        else:
            out += [ox.Quad(ox.NamedNode(iri), ox.NamedNode(KG + "ambiguousWith"), ox.NamedNode(h), g) for h in sorted(hits)]
    return out


LINEAGE_GRAPH = VOCAB + "graph/lineage"
RELATION_NAMES = {ELI + "ensures_implementation_of": "implements", ELI + "amends": "amends", ELI + "based_on": "based_on",
                  KG + "replaces": "replaces", KG + "repeals": "repeals", KG + "reviews": "reviews", KG + "guides": "guides"}


def lineage_quads(store) -> list[ox.Quad]:
    """The lineage graph (status, inverses, lags; see `kg.lineage.lineage_triples`), derived in
    Python from two reads of the documents graph."""
    from .lineage import lineage_triples, partial_effects
    g = ox.NamedNode(LINEAGE_GRAPH)
    rels = [(a, name, b) for p, name in RELATION_NAMES.items() for a, b, _ in store.pairs(p, DOCUMENTS_GRAPH)]
    kinds = {d: k for d, k, _ in store.pairs(RDF_TYPE, DOCUMENTS_GRAPH) if k in (KG + "PartyDocument", KG + "StateDocument")}
    symbols = {d for d, _, _ in store.pairs(ELI + "id_local", DOCUMENTS_GRAPH)}
    dates: dict[str, set[str]] = {}
    for d, date, _ in store.pairs(ELI + "date_document", DOCUMENTS_GRAPH):
        dates.setdefault(d, set()).add(date)
    codes: dict[str, str] = {}
    for d, code, _ in store.pairs(KG + "issuerCode", DOCUMENTS_GRAPH):
        codes[d] = min(code, codes.get(d, code))
    facts: dict[str, dict] = {}
    for d, k in kinds.items():
        if d in symbols:
            ds = dates.get(d, ())
            facts[d] = {"date": next(iter(ds)) if len(ds) == 1 else None,  # two dates: the reports disagree, no lag
                        "issuer_code": codes.get(d), "system": "state" if k.endswith("StateDocument") else "party"}
    out = []
    for s, p, o in lineage_triples(rels, facts, VOCAB, KG, partial_effects(store, RELATION_NAMES)):
        pred = ox.NamedNode(RDF_TYPE if p == "type" else p)
        if isinstance(o, bool) or not isinstance(o, (int, float)):
            obj = ox.NamedNode(o) if str(o).startswith(("http://", "https://")) else ox.Literal(str(o))
        else:
            obj = ox.Literal(str(o), datatype=ox.NamedNode(XSD_INTEGER if isinstance(o, int) else XSD_DECIMAL))
        out.append(ox.Quad(ox.NamedNode(s), pred, obj, g))
    return out


INDEX_GRAPH = VOCAB + "graph/index"
#: How many reports `reports-citing-body` lists per body (the index keeps exactly these).
TOP_REPORTS = 100
#: How many rows `documents`, `timeline`, `conflicts` and `status` show; `most-cited` and
#: `undated` show MOST_CITED and UNDATED.
FIRST_PAGE = 1000
MOST_CITED = 25
UNDATED = 200


def index_quads(store, sources: dict[str, set[str]]) -> list[ox.Quad]:
    """The index graph: rows the slow named queries would otherwise join from every mention, redone
    after each load (a few seconds at 100 k reports, against half a second per query):
    - a kg:ConflictRow per (report, document, field) whose mentions disagree, and per document
      that reports date differently (`kg query conflicts`);
    - a kg:BodyCitation for each of the TOP_REPORTS reports citing most documents of each body,
      ranked by count, then file name (`kg query reports-citing-body`).
    ``sources``: each report's files (to break ties by name as the query did)."""
    g = ox.NamedNode(INDEX_GRAPH)
    out: list[ox.Quad] = []

    def add(s: str, p: str, o) -> None:
        out.append(ox.Quad(ox.NamedNode(s), ox.NamedNode(p), o, g))

    def integer(n: int) -> ox.Literal:
        return ox.Literal(str(n), datatype=ox.NamedNode(XSD_INTEGER))

    symbols = {d: sym for d, sym, _ in store.pairs(ELI + "id_local", DOCUMENTS_GRAPH)}
    # values are joined here, not by GROUP_CONCAT: Virtuoso narrows a separator such as "≠" to "?"
    values: dict[tuple, set[str]] = {}
    for r in store.select("""SELECT DISTINCT ?r ?doc ?field ?v WHERE {
            GRAPH ?r { ?c a kg:Conflict ; kg:about ?doc ; kg:field ?field ; kg:value ?v } }"""):
        values.setdefault((r["r"], r["doc"], r["field"]), set()).add(r["v"])
    dates: dict[str, list[str]] = {}
    for doc, date, _ in store.pairs(ELI + "date_document", DOCUMENTS_GRAPH):
        dates.setdefault(doc, []).append(date)
    values.update({(None, doc, "date"): set(ds) for doc, ds in dates.items() if len(ds) > 1})
    rows = [{"r": r, "doc": doc, "field": field, "values": " ≠ ".join(sorted(vs))} for (r, doc, field), vs in values.items()]
    for r in rows:
        who = r["r"].rsplit("/", 1)[-1] if r.get("r") else "across-reports"
        r["row"] = f"{r['doc']}/conflict/{ascii_slug(r['field'])}/{who}"
    where = lambda r: " | ".join(sorted(sources.get(r["r"], ()))) if r.get("r") else "across reports"  # noqa: E731
    rows = sorted((r for r in rows if r["doc"] in symbols), key=lambda r: (symbols[r["doc"]], where(r), r["row"]))
    for rank, r in enumerate(rows, 1):
        row = r["row"]
        if rank <= FIRST_PAGE:
            add(row, KG + "rank", integer(rank))
        add(row, RDF_TYPE, ox.NamedNode(KG + "ConflictRow"))
        add(row, KG + "about", ox.NamedNode(r["doc"]))
        add(row, KG + "symbol", ox.Literal(symbols[r["doc"]]))
        add(row, KG + "field", ox.Literal(r["field"]))
        add(row, KG + "values", ox.Literal(r["values"]))
        if r.get("r"):
            add(row, KG + "report", ox.NamedNode(r["r"]))

    # per body, counted and cut by the query engine on its own ids (decoding every (body, report)
    # pair took 16 s at 100 k reports), with every report tied at the cut, which is then made
    # here by count and file name, as the query orders its rows.
    per_body: dict[str, list[tuple[int, str, str]]] = {}
    counted = f"""SELECT ?report (COUNT(*) AS ?n) WHERE {{{{ GRAPH <{DOCUMENTS_GRAPH}> {{{{ ?doc eli:passed_by <{{body}}> }}}}
        GRAPH ?report {{{{ ?report eli:cites ?doc }}}} }}}} GROUP BY ?report {{tail}}"""
    for body in sorted({b for _, b, _ in store.pairs(ELI + "passed_by", DOCUMENTS_GRAPH)}):
        top = store.select(counted.format(body=body, tail=f"ORDER BY DESC(?n) LIMIT {TOP_REPORTS}"))
        if len(top) == TOP_REPORTS:  # all the reports tied with the last one, to cut the same way every time
            cut = min(int(r["n"]) for r in top)
            top = store.select(counted.format(body=body, tail=f"HAVING (COUNT(*) >= {cut})"))
        per_body[body] = [(-int(r["n"]), " | ".join(sorted(sources.get(r["report"], ()))), r["report"]) for r in top]
    for body, reports in per_body.items():
        slug = body.rsplit("/", 1)[-1]
        for rank, (neg, _, report) in enumerate(sorted(reports)[:TOP_REPORTS], 1):
            row = f"{report}/cites-body/{slug}"
            add(row, RDF_TYPE, ox.NamedNode(KG + "BodyCitation"))
            add(row, KG + "body", ox.NamedNode(body))
            add(row, KG + "report", ox.NamedNode(report))
            add(row, KG + "documentCount", integer(-neg))
            add(row, KG + "rank", integer(rank))

    # the first page of the lists the named queries show without a parameter, in their order
    # (sorting 150 k documents for each query took 130-180 ms at 100 k reports)
    by_symbol = sorted((sym, d) for d, sym in symbols.items())
    for rank, (_, d) in enumerate(by_symbol[:FIRST_PAGE], 1):
        add(d, KG + "symbolRank", integer(rank))
    dated = sorted((date, symbols[d], d) for d, ds in dates.items() if d in symbols for date in set(ds))
    seen: set[str] = set()
    for date, _, d in dated:
        if d not in seen and len(seen) < FIRST_PAGE:
            seen.add(d)
            add(d, KG + "dateRank", integer(len(seen)))
    # `status`: replaced, repealed or amended documents, by whom, by symbol (from the lineage graph,
    # redone just before this one)
    changed = sorted((symbols.get(d, ""), status, symbols.get(b, ""), d, b)
                     for status, inverse in (("replaced", "replacedBy"), ("repealed", "repealedBy"), ("amended", "amendedBy"),
                                             ("partly replaced", "partlyReplacedBy"), ("partly repealed", "partlyRepealedBy"),
                                             ("partly amended", "partlyAmendedBy"))
                     for d, b, _ in store.pairs(KG + inverse, LINEAGE_GRAPH))
    # a partial effect's provisions ("Điều 16–18"), shown on its row
    acted = {(r["d"], r["b"], r["p"]): r["provisions"] for r in store.select(
        f"SELECT ?d ?b ?p ?provisions WHERE {{ GRAPH <{LINEAGE_GRAPH}> {{ ?e a kg:PartialEffect ; kg:effectOn ?d ; "
        f"kg:effectBy ?b ; kg:effectRelation ?p ; kg:provisions ?provisions }} }}")}
    relation_of = {"partly replaced": KG + "replaces", "partly repealed": KG + "repeals", "partly amended": ELI + "amends"}
    # the row carries what the query shows (symbols, date), under properties of its own: joining
    # the documents graph, or sharing kg:about with the conflict rows, cost 0.2-1.5 s at 100 k
    for rank, (sym, status, by, d, b) in enumerate(changed[:FIRST_PAGE], 1):
        row = f"{VOCAB}index/status/{rank}"
        add(row, KG + "statusRank", integer(rank))
        add(row, KG + "statusOf", ox.Literal(sym))
        add(row, KG + "statusValue", ox.Literal(status))  # the status concept's English label
        add(row, KG + "statusBy", ox.Literal(by))
        if (d, b, relation_of.get(status)) in acted:
            add(row, KG + "statusProvisions", ox.Literal(acted[(d, b, relation_of[status])]))
        for date in sorted(dates.get(b, ())):
            add(row, KG + "statusSince", ox.Literal(date, datatype=ox.NamedNode(XSD_DATE)))
    # `undated`: documents no report dates, most mentioned first, then by symbol
    mentions = {d: int(n) for d, n, _ in store.pairs(KG + "mentionCount", DOCUMENTS_GRAPH)}
    undated = sorted((-mentions[d], sym, d) for d, sym in symbols.items() if d not in dates and d in mentions)
    for rank, (_, _, d) in enumerate(undated[:UNDATED], 1):
        add(d, KG + "undatedRank", integer(rank))
    top = store.select(f"SELECT ?d ?n WHERE {{ GRAPH <{DOCUMENTS_GRAPH}> {{ ?d kg:mentionCount ?n }} }} ORDER BY DESC(?n) LIMIT {MOST_CITED}")
    if top:  # with every document tied with the last one, ranked by mentions, then symbol
        cut = min(int(r["n"]) for r in top)
        tied = store.select(f"SELECT ?d ?n WHERE {{ GRAPH <{DOCUMENTS_GRAPH}> {{ ?d kg:mentionCount ?n FILTER(?n >= {cut}) }} }}")
        ranked = sorted((-int(r["n"]), symbols.get(r["d"], ""), r["d"]) for r in tied)[:MOST_CITED]
        for rank, (_, _, d) in enumerate(ranked, 1):
            add(d, KG + "citedRank", integer(rank))
    return out


def document_iris(store) -> list[str]:
    return [r["d"] for r in store.select(f"SELECT ?d WHERE {{ GRAPH <{DOCUMENTS_GRAPH}> {{ ?d a kg:PartyDocument }} }}")]


class _Store:
    """What the local and the remote store share: reading rows, and the bookkeeping in the meta
    graph, in SPARQL so that it works on both."""

    def select(self, sparql: str) -> list[dict]:
        """SELECT rows as dicts of plain values (None where unbound)."""
        res = self.query(sparql)
        names = [v.value for v in res.variables]
        return [{n: (row[n].value if row[n] is not None else None) for n in names} for row in res]

    def add_source(self, report: str, path: str) -> None:
        """The same bytes read from another file: one report, one more source (and file name)."""
        self.update(f"INSERT DATA {{ GRAPH <{report}> {{ <{report}> <{DCT_SOURCE}> {ox.Literal(path)} ; "
                    f"<{KG}fileName> {ox.Literal(file_name(path))} }} }}", prefixes=False)

    def remove_source(self, report: str, path: str) -> None:
        """A file of a report is gone; its base name goes too unless another file shares it."""
        self.update(f"DELETE DATA {{ GRAPH <{report}> {{ <{report}> <{DCT_SOURCE}> {ox.Literal(path)} }} }}", prefixes=False)
        if file_name(path) not in {file_name(p) for p in self.sources(report)}:
            self.update(f"DELETE DATA {{ GRAPH <{report}> {{ <{report}> <{KG}fileName> {ox.Literal(file_name(path))} }} }}",
                        prefixes=False)

    def put_identity(self) -> None:
        """Redo the identity graph, and the lineage graph derived from the same documents graph."""
        self.replace_graph(IDENTITY_GRAPH, identity_quads(document_iris(self)))
        self.replace_graph(LINEAGE_GRAPH, lineage_quads(self))

    def put_index(self, sources: dict[str, set[str]] | None = None) -> None:
        """Redo the index graph (see `index_quads`)."""
        self.replace_graph(INDEX_GRAPH, index_quads(self, self.all_sources() if sources is None else sources))

    def mark_for_refresh(self, docs) -> None:
        """These documents' facts must be rebuilt (a report citing them is about to go)."""
        for chunk in _chunks(sorted(docs), 2000):
            self.update(f"INSERT DATA {{ GRAPH <{META_GRAPH}> {{ " +
                        " ".join(f"<{d}> <{NEEDS_REFRESH}> true ." for d in chunk) + " } }")

    def documents_to_refresh(self) -> set[str]:
        return {r["d"] for r in self.select(f"SELECT ?d WHERE {{ GRAPH <{META_GRAPH}> {{ ?d <{NEEDS_REFRESH}> true }} }}")}

    def refreshed(self) -> None:
        self.update(f"DELETE WHERE {{ GRAPH <{META_GRAPH}> {{ ?d <{NEEDS_REFRESH}> ?x }} }} ; "
                    f"DELETE WHERE {{ GRAPH <{META_GRAPH}> {{ ?s <{NEEDS_REBUILD}> ?x }} }}")

    def mark_for_rebuild(self) -> None:
        self.update(f"INSERT DATA {{ GRAPH <{META_GRAPH}> {{ {STALE[0]} <{NEEDS_REBUILD}> true }} }}")

    def needs_rebuild(self) -> bool:
        return bool(self.select(f"SELECT ?s WHERE {{ GRAPH <{META_GRAPH}> {{ ?s <{NEEDS_REBUILD}> true }} }} LIMIT 1"))

    def recount(self, docs: set[str] | None = None) -> None:
        """Mention and report counts of some documents (SPARQL Update), or of all: selected, then
        written whole (the update's own INSERT took 8× longer at 100 k reports)."""
        if docs is not None:
            for update in recount_updates(docs):
                self.update(update, prefixes=False)
            return
        # counted by the query engine on its own ids: only the per-document totals are decoded
        rows = self.select("SELECT ?d (COUNT(?m) AS ?n) (COUNT(DISTINCT ?r) AS ?k) WHERE { GRAPH ?r { ?m oa:hasBody ?d } } GROUP BY ?d")
        self.update(f"DELETE WHERE {{ GRAPH <{DOCUMENTS_GRAPH}> {{ ?d kg:mentionCount ?n }} }} ; "
                    f"DELETE WHERE {{ GRAPH <{DOCUMENTS_GRAPH}> {{ ?d kg:reportCount ?n }} }}")
        g, m, r = ox.NamedNode(DOCUMENTS_GRAPH), ox.NamedNode(KG + "mentionCount"), ox.NamedNode(KG + "reportCount")
        integer = ox.NamedNode(XSD_INTEGER)
        self.add_quads([q for row in rows for q in (
            ox.Quad(ox.NamedNode(row["d"]), m, ox.Literal(row["n"], datatype=integer), g),
            ox.Quad(ox.NamedNode(row["d"]), r, ox.Literal(row["k"], datatype=integer), g))])

    def refresh_summary(self, docs: set[str] | None = None, batch: int = 2000) -> None:
        """Rebuild the documents graph from the reports' descriptions: whole (docs=None) or the
        facts and counts of some documents."""
        if docs is None:
            self.drop_documents(None)
            chunks: list = [None]
        else:
            chunks = list(_chunks(sorted(docs), batch))
        for chunk in chunks:
            if chunk is not None:
                self.drop_documents(chunk)
            descriptions = self.descriptions(chunk)
            relations = [(r["a"], r["p"], r["b"]) for r in self.select(
                STATEMENTS.format(values=_values("a", chunk) if chunk else ""))]
            self.add_documents(documents_nquads(descriptions, relations))
        self.recount(docs)

    def descriptions(self, docs: list[str] | None) -> list[tuple[str, list]]:
        """(document, [[predicate, object term], …]) for every report's statement about these
        documents (or about all)."""
        values = _values("d", docs) if docs else ""
        link = "; eli:cites|kg:ownDocument ?d" if docs else ""
        wanted = set(docs) if docs else None
        out = []
        for row in self.select(DESCRIPTIONS.format(values=values, link=link)):
            out += [(d, facts) for d, facts in json.loads(row["f"]).items() if wanted is None or d in wanted]
        out += [(r["d"], json.loads(r["f"])) for r in self.select(OLD_DESCRIPTIONS.format(values=values))]
        return out

    def drop_documents(self, docs: list[str] | None) -> None:
        """The documents graph goes, whole or these documents' facts."""
        self.update(f"DROP SILENT GRAPH <{DOCUMENTS_GRAPH}>" if docs is None
                    else DROP_FACTS.format(g=DOCUMENTS_GRAPH, docs=" ".join(f"<{d}>" for d in docs)), prefixes=False)

    def document_count(self) -> int:
        rows = self.select(f"SELECT (COUNT(?d) AS ?n) WHERE {{ GRAPH <{DOCUMENTS_GRAPH}> {{ ?d eli:id_local ?s }} }}")
        return int(rows[0]["n"]) if rows else 0


def _chunks(items: list, size: int):
    for i in range(0, len(items), size):
        yield items[i:i + size]


def store_lock(path: str, *, shared: bool) -> int:
    """Hold ``<store>/kg.lock``: shared by readers (queries, `kg serve`), exclusive for a writer
    (`kg load`). RocksDB locks out a second writer, but not a reader beside a writer, and a reader
    opened while a load writes sees undefined data: so a load refuses while a server or a query
    runs, and they refuse while it writes. Returns the lock's file descriptor (closing frees it)."""
    import fcntl
    os.makedirs(path, exist_ok=True)
    fd = os.open(os.path.join(path, "kg.lock"), os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, (fcntl.LOCK_SH if shared else fcntl.LOCK_EX) | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        what = "a load is writing it" if shared else "a server (kg serve), a query or another load is using it"
        raise StoreError(f"the store {path} is in use by another kg process ({what}); wait for it to finish, "
                         f"or stop it") from None
    return fd


class LocalStore(_Store):
    """An Oxigraph store on disk, or in memory when ``path`` is None."""

    def __init__(self, path: str | None, *, read_only: bool = False, must_exist: bool = False):
        self.location = path or ":memory:"
        if path is None:
            self.db = ox.Store()
            return
        p = Path(path)
        if must_exist and not (p / "CURRENT").exists():
            raise StoreError(f"no store at {path} (run `kg load` first, or pass --store)")
        if p.exists() and not p.is_dir():
            raise StoreError(f"{path} is a file, not a store folder")
        self._lock = store_lock(path, shared=read_only)
        try:
            self.db = ox.Store.read_only(path) if read_only else ox.Store(path)
        except OSError as e:
            if "lock" in str(e).lower():
                raise StoreError(f"the store {path} is in use by another kg process (a load or a server); "
                                 f"wait for it to finish") from None
            raise StoreError(f"cannot open the store {path}: {e}") from None

    # --- reading -------------------------------------------------------------------------
    def query(self, sparql: str, *, prefixes: bool = True):
        return self.db.query((SPARQL_PREFIXES if prefixes else "") + sparql, use_default_graph_as_union=True)

    def sources(self, report: str) -> set[str]:
        return {q.object.value for q in self.db.quads_for_pattern(
            ox.NamedNode(report), ox.NamedNode(DCT_SOURCE), None, ox.NamedNode(report))}

    def all_sources(self) -> dict[str, set[str]]:
        out: dict[str, set[str]] = {}
        for q in self.db.quads_for_pattern(None, ox.NamedNode(DCT_SOURCE), None, None):
            if isinstance(q.graph_name, ox.NamedNode) and q.graph_name == q.subject:
                out.setdefault(q.subject.value, set()).add(q.object.value)
        return out

    # --- writing -------------------------------------------------------------------------
    #: A killed load leaves whole batches: the bulk loader ingests a batch's files at once (seen
    #: under SIGKILL), and the journal makes the next load drop a batch that may not be whole.
    batches_are_atomic = True

    def put_reports(self, reports: list[tuple[str, bytes]], summary: bytes = b"") -> None:
        """Write a batch of reports (their graphs, as N-Quads) and their share of the documents
        graph with Oxigraph's bulk loader, 3× faster than a transaction per report. The batch's
        reports are journalled in the meta graph first and struck off after, so a load killed
        in between is undone by ``recover()``."""
        meta = ox.NamedNode(META_GRAPH)
        journal = [ox.Quad(ox.NamedNode(r), ox.NamedNode(LOADING), ox.Literal(True), meta) for r, _ in reports]
        self.db.extend(journal)
        # lenient: the quads come from our own serialiser, whose IRIs pyoxigraph already checked
        self.db.bulk_load(b"".join(nq for _, nq in reports) + summary, format=ox.RdfFormat.N_QUADS, lenient=True)
        for q in journal:
            self.db.remove(q)

    def recover(self) -> int:
        """Undo the batch a killed load was writing: its reports go (their files load again, as
        their hashes are not in the store). What it added to the documents graph is unknown, so
        the load that recovers rebuilds that graph whole. Returns how many reports went."""
        journal = list(self.db.quads_for_pattern(None, ox.NamedNode(LOADING), None, ox.NamedNode(META_GRAPH)))
        if journal:
            self.mark_for_rebuild()  # first: a load killed while recovering leaves the flag
        for q in journal:
            self.drop_report(q.subject.value)
            self.db.remove(q)
        return len(journal)

    def drop_report(self, report: str) -> None:
        g = ox.NamedNode(report)
        if self.db.contains_named_graph(g):
            self.db.remove_graph(g)

    def put_ontology(self) -> None:
        g = ox.NamedNode(ONTOLOGY_GRAPH)
        if self.db.contains_named_graph(g):
            self.db.remove_graph(g)
        self.db.extend(ontology_quads())

    def add_documents(self, nquads: bytes) -> None:
        self.db.load(nquads, format=ox.RdfFormat.N_QUADS)

    def cited_by(self, report: str) -> set[str]:
        """What a report states facts about in the documents graph: the documents it cites, its own
        document, and itself (the subject of its preamble's relations)."""
        r = ox.NamedNode(report)
        return {report} | {q.object.value for p in (ELI + "cites", KG + "ownDocument")
                           for q in self.db.quads_for_pattern(r, ox.NamedNode(p), None, r)}

    def update(self, sparql: str, *, prefixes: bool = True) -> None:
        self.db.update((SPARQL_PREFIXES if prefixes else "") + sparql)

    def clear_stale(self) -> None:
        self.db.remove(ox.Quad(*STALE, ox.NamedNode(META_GRAPH)))

    def mark_stale(self) -> None:
        """Reports are about to change: until the documents graph is rebuilt, say so, so that a
        load killed half-way is finished by the next one even if no file changed meanwhile."""
        self.db.add(ox.Quad(*STALE, ox.NamedNode(META_GRAPH)))

    def is_stale(self) -> bool:
        return ox.Quad(*STALE, ox.NamedNode(META_GRAPH)) in self.db

    def replace_graph(self, graph: str, quads: list[ox.Quad]) -> None:
        """A derived graph, whole, by its difference from what is there: removing quads is the
        slow part (9 s for the lineage graph at 100 k reports, whose next version differs in a
        few). Not one transaction; a load killed meanwhile leaves the store stale, and the next
        load derives the graph again."""
        g = ox.NamedNode(graph)
        old = set(self.db.quads_for_pattern(None, None, None, g))
        new = set(quads)
        for q in old - new:
            self.db.remove(q)
        self.add_quads(list(new - old))

    def add_quads(self, quads: list[ox.Quad]) -> None:
        # the bulk loader writes new files each call (~50 ms): a transaction for a few quads
        if len(quads) < 20000:
            self.db.extend(quads)
        else:
            self.db.bulk_extend(quads)

    def pairs(self, predicate: str, graph: str | None = None):
        """(subject, object, graph) of every quad with this predicate (in this named graph, or in
        any): a SELECT read by position decodes only the terms asked for, half the time of
        ``quads_for_pattern`` (7.6 → 4 µs a row) and 5-10× faster than ``select``'s dicts."""
        where = f"GRAPH <{graph}> {{ ?s <{predicate}> ?o }}" if graph else f"GRAPH ?g {{ ?s <{predicate}> ?o }}"
        solutions = self.db.query(f"SELECT ?s ?o ?g WHERE {{ {where} }}")
        for row in solutions:
            yield row[0].value, row[1].value, graph or row[2].value

    def counts(self) -> dict:
        reports = sum(1 for _ in self.db.quads_for_pattern(None, ox.NamedNode(RDF_TYPE), ox.NamedNode(KG + "Report"), None))
        return {"reports": reports, "documents": self.document_count(), "triples": len(self.db)}

    def compact(self) -> None:
        """RocksDB's full compaction (Oxigraph's optimize): after bulk loads, reads touch fewer files."""
        self.db.optimize()

    def dump(self, fmt: ox.RdfFormat = ox.RdfFormat.N_QUADS) -> bytes:
        return self.db.dump(format=fmt)

    def close(self) -> None:
        try:
            self.db.flush()
        except Exception:  # noqa: BLE001  (read-only stores cannot flush)
            pass
        self._unlock()

    def _unlock(self) -> None:
        lock = getattr(self, "_lock", None)
        if lock is not None:
            self._lock = None
            os.close(lock)

    def __del__(self):  # a store dropped without close() frees its lock, as Oxigraph frees its own
        self._unlock()


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
