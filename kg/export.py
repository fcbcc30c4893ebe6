"""`kg export`: the graph for Gephi (GraphML, GEXF) and spreadsheets (CSV), text intact."""
from __future__ import annotations

import csv
import io
import json
import os

import networkx as nx

from .formats import atomic_write


def flat(value):
    """Attribute values for GraphML/GEXF: numbers stay numbers (Gephi sizes nodes by them),
    lists are joined with "; ", records become JSON, the rest strings."""
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    if isinstance(value, (list, tuple)):
        return "; ".join(json.dumps(v, ensure_ascii=False) if isinstance(v, dict) else str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def flat_graph(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    h = nx.MultiDiGraph()
    rank = nx.pagerank(nx.DiGraph(g)) if len(g) else {}
    for n, a in g.nodes(data=True):
        attrs = {k: flat(v) for k, v in a.items()}
        attrs["label"] = a.get("symbol") or a.get("label") or n
        attrs["pagerank"] = round(rank.get(n, 0.0), 6)
        h.add_node(n, **attrs)
    for u, v, k, a in g.edges(keys=True, data=True):
        h.add_edge(u, v, key=k, **{key: flat(val) for key, val in a.items()})
    return h


def export(g: nx.MultiDiGraph, fmt: str, out: str | None) -> list[str]:
    """Write the graph; CSV gives a folder with nodes.csv and edges.csv (UTF-8 with BOM, so
    spreadsheets open Vietnamese text correctly). GraphML and GEXF go to standard output when
    ``out`` is None or "-"."""
    h = flat_graph(g)
    if fmt in ("graphml", "gexf"):
        buf = io.BytesIO()
        (nx.write_graphml if fmt == "graphml" else nx.write_gexf)(h, buf, encoding="utf-8")
        if out in (None, "-"):
            import sys
            sys.stdout.buffer.write(buf.getvalue())
            sys.stdout.flush()
            return ["standard output"]
        atomic_write(out, buf.getvalue())
        return [out]
    if out in (None, "-"):
        raise ValueError("csv writes two files (nodes.csv, edges.csv): give a folder with --out")
    os.makedirs(out, exist_ok=True)
    node_cols = ["id", "kind", "label", "symbol", "doc_type", "date", "issuer", "title", "system", "mentions",
                 "pagerank", "reports", "conflicts", "path", "paths"]
    s = io.StringIO()
    w = csv.writer(s)
    w.writerow(node_cols)
    for n, a in h.nodes(data=True):
        w.writerow([n] + [a.get(c, "") for c in node_cols[1:]])
    edge_s = io.StringIO()
    w = csv.writer(edge_s)
    w.writerow(["source", "target", "relation", "cue", "report"])
    for u, v, a in h.edges(data=True):
        w.writerow([u, v, a.get("relation", ""), a.get("cue", ""), a.get("report", "")])
    paths = [os.path.join(out, "nodes.csv"), os.path.join(out, "edges.csv")]
    atomic_write(paths[0], s.getvalue().encode("utf-8-sig"))
    atomic_write(paths[1], edge_s.getvalue().encode("utf-8-sig"))
    return paths
