"""`kg stats`: what matters most, how directives travel down, where the record contradicts itself."""
from __future__ import annotations

from collections import Counter

import networkx as nx

from .graph import document_graph
from .lineage import lag_table

CHAIN_RELATIONS = {"implements", "reviews", "guides"}


def most_cited(g: nx.MultiDiGraph, n: int = 15) -> list[dict]:
    docs = document_graph(g)
    rank = nx.pagerank(nx.DiGraph(g)) if len(g) else {}
    rows = []
    for node in docs:
        a = g.nodes[node]
        # reports that cite it (what `kg query most-cited` counts), apart from documents that
        # relate to it (implement, amend …): one in-degree mixed both
        citing = set(g.predecessors(node))
        reports = {p for p in citing if g.nodes[p].get("kind") == "report"}
        rows.append({"symbol": a["symbol"], "doc_type": a.get("doc_type"), "date": a.get("date"),
                     "mentions": a.get("mentions", 0), "reports": len(reports), "documents_relating": len(citing - reports),
                     "pagerank": round(rank.get(node, 0.0), 4), "id": node})
    rows.sort(key=lambda r: (-r["mentions"], -r["pagerank"], r["symbol"]))
    return rows[:n]


def chains(g: nx.MultiDiGraph, n: int = 10, relation: str = "implements") -> list[list[str]]:
    """Longest chains of one relation, from the directive down: 43-NQ/TW → 66-CTr/TU → … for
    ``implements``. One relation a chain: 05-CT/TW → 01-KL/TW → 04-KH/CBDV would read as if the
    plan implemented the conclusion, when it reviews it. Edges go from the implementing document
    to the implemented one; the chain is read backwards."""
    docs = {x for x, a in g.nodes(data=True) if a.get("kind") == "document"}
    sub = nx.DiGraph([(a, b) for a, b, d in g.edges(data=True)
                      if d.get("relation") == relation and a in docs and b in docs])
    if not len(sub):
        return []
    dag = sub.copy()
    for cycle in list(nx.simple_cycles(sub)):
        if dag.has_edge(cycle[-1], cycle[0]):
            dag.remove_edge(cycle[-1], cycle[0])  # a cycle is a data error, reported separately
    # the longest path ending at each node, by dynamic programming over a topological order
    best: dict[str, list[str]] = {}
    for node in nx.topological_sort(dag):
        preds = [best[p] for p in dag.predecessors(node)]
        # ties broken by symbol: the same chain whatever order the store returned its rows in
        best[node] = (max(preds, key=lambda p: (len(p), [g.nodes[x]["symbol"] for x in p])) if preds else []) + [node]
    ends = [p for node, p in best.items() if dag.out_degree(node) == 0 and len(p) > 1]
    ends.sort(key=lambda p: (-len(p), [g.nodes[x]["symbol"] for x in p]))
    return [[g.nodes[x]["symbol"] for x in reversed(p)] for p in ends[:n]]


def counts(g: nx.MultiDiGraph) -> dict[str, list[tuple[str, int]]]:
    docs = [a for _, a in g.nodes(data=True) if a.get("kind") == "document"]
    by = lambda key: sorted(Counter(a.get(key) or "—" for a in docs).items(), key=lambda kv: (-kv[1], kv[0]))
    years = Counter(a["date"][:4] if a.get("date") else "—" for a in docs)
    return {"issuer": by("body"), "type": by("doc_type"), "year": sorted(years.items())}


def undated(g: nx.MultiDiGraph) -> list[str]:
    return sorted(a["symbol"] for _, a in g.nodes(data=True) if a.get("kind") == "document" and not a.get("date"))


def errors(g: nx.MultiDiGraph) -> list[dict]:
    docs = document_graph(g)
    out = []
    for cycle in nx.simple_cycles(docs):
        out.append({"kind": "cycle", "documents": [g.nodes[x]["symbol"] for x in cycle],
                    "message": "documents implement or review each other in a circle"})
    for a, b, d in docs.edges(data=True):
        da, db = g.nodes[a].get("date"), g.nodes[b].get("date")
        if da and db and da < db:
            out.append({"kind": "anachronism", "documents": [g.nodes[a]["symbol"], g.nodes[b]["symbol"]],
                        "message": f"{g.nodes[a]['symbol']} ({da}) {d['relation']} {g.nodes[b]['symbol']} issued later ({db})"})
    for _, a in g.nodes(data=True):
        for c in a.get("conflicts", []):
            out.append({"kind": "conflict", "documents": [a["symbol"]],
                        "message": f"{c['field']}: {' ≠ '.join(map(str, c['values']))}"})
    return out


def stats(g: nx.MultiDiGraph, top: int = 15) -> dict:
    return {"documents": sum(1 for _, a in g.nodes(data=True) if a.get("kind") == "document"),
            "reports": sum(1 for _, a in g.nodes(data=True) if a.get("kind") == "report"),
            "most_cited": most_cited(g, top), "chains": chains(g, top),
            "chains_by_relation": {r: chains(g, top, r) for r in sorted(CHAIN_RELATIONS)}, "counts": counts(g),
            "undated": undated(g), "errors": errors(g), "implementation_lag": lag_table(g)}
