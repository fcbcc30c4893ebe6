"""What the local and the remote store share: reading rows, the documents graph's upkeep (facts
rebuilt from the reports that remain, mention and report counts) and the bookkeeping in the meta
graph, all in SPARQL so that it works on both."""
from __future__ import annotations

import json

import pyoxigraph as ox

from ..rdf import DOCUMENTS_GRAPH, KG, documents_nquads, file_name
from .derived import _chunks, _values, document_iris, identity_quads, index_quads, lineage_quads
from .graphs import (DCT_SOURCE, IDENTITY_GRAPH, INDEX_GRAPH, LINEAGE_GRAPH, META_GRAPH, NEEDS_REBUILD, NEEDS_REFRESH,
                     SPARQL_PREFIXES, STALE, XSD_INTEGER)


class StoreError(Exception):
    """A store that cannot be used; the message is one line for the user."""


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


def recount_updates(docs: set[str], batch: int = 2000) -> list[str]:
    """SPARQL updates that recount the mentions and reports of some documents (all of them:
    `_Store.recount(None)`, which selects and writes instead)."""
    ordered = sorted(docs)
    return [SPARQL_PREFIXES + RECOUNT.format(g=DOCUMENTS_GRAPH, values=_values("d", chunk))
            for chunk in _chunks(ordered, batch)]


class _Store:
    """What the local and the remote store share: reading rows, and the bookkeeping in the meta
    graph, in SPARQL so that it works on both."""

    def select(self, sparql: str) -> list[dict]:
        """SELECT rows as dicts of plain values (None where unbound)."""
        res = self.query(sparql)
        names = [v.value for v in res.variables]
        return [{n: (row[n].value if row[n] is not None else None) for n in names} for row in res]

    def rows(self, sparql: str):
        """SELECT rows as tuples of plain values in the SELECT's order, read by position: no dict
        a row (the site reads millions of mentions this way)."""
        res = self.query(sparql)
        width = range(len(res.variables))
        for row in res:
            yield tuple(row[i].value if row[i] is not None else None for i in width)

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

    def add_counts(self, tally: dict[str, tuple[int, int]], batch: int = 2000) -> None:
        """Add (mentions, reports) to these documents' counts: what a load wrote, when the
        store's counts were right before it and no report citing them went. The old counts are
        read whole (a VALUES query per 2,000 documents took 0.4 s; all counts at 10 k reports, 0.1 s)."""
        g, m, r = ox.NamedNode(DOCUMENTS_GRAPH), ox.NamedNode(KG + "mentionCount"), ox.NamedNode(KG + "reportCount")
        integer = ox.NamedNode(XSD_INTEGER)
        old: dict[str, list] = {d: [n, None] for d, n, _ in self.pairs(KG + "mentionCount", DOCUMENTS_GRAPH) if d in tally}
        for d, k, _ in self.pairs(KG + "reportCount", DOCUMENTS_GRAPH):
            if d in old:
                old[d][1] = k
        for chunk in _chunks(sorted(old), batch):
            self.update(f"DELETE DATA {{ GRAPH <{DOCUMENTS_GRAPH}> {{ " + " ".join(
                f"<{d}> <{KG}mentionCount> {ox.Literal(old[d][0], datatype=integer)} ." +
                (f" <{d}> <{KG}reportCount> {ox.Literal(old[d][1], datatype=integer)} ." if old[d][1] is not None else "")
                for d in chunk) + " } }", prefixes=False)
        new: list[ox.Quad] = []
        for d, (n, k) in tally.items():
            if d in old:
                n, k = n + int(old[d][0]), k + int(old[d][1] or 0)
            new += [ox.Quad(ox.NamedNode(d), m, ox.Literal(str(n), datatype=integer), g),
                    ox.Quad(ox.NamedNode(d), r, ox.Literal(str(k), datatype=integer), g)]
        self.add_quads(new)

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

