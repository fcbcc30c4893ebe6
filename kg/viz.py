"""Stage 10: draw the graph as one self-contained HTML file (pyvis over networkx).

pyvis builds the node and edge data; our own template replaces pyvis's, which fetches
vis-network and Bootstrap from CDNs even in its "local" mode: vis-network (shipped inside the
pyvis package) is inlined, nothing else is loaded, so the page makes no network request. All
strings from documents travel as JSON inside <script type="application/json"> with "<"
escaped, and the page puts them in the DOM with textContent only: a title such as
"</script><img src=x onerror=…>" stays text.
"""
from __future__ import annotations

import json
from importlib import resources

import networkx as nx

from . import lineage
from .normalise import search_key as fold  # the page's search folds the same way
from pyvis.network import Network


MAX_NODES = 5000

#: Colours by document type id (data, not logic: unknown types fall back to grey).
TYPE_COLOURS = {
    "nghi-quyet": "#d62728", "chi-thi": "#1f77b4", "ket-luan": "#9467bd", "quy-dinh": "#2ca02c",
    "quyet-dinh": "#17becf", "huong-dan": "#ff7f0e", "ke-hoach": "#8c564b", "chuong-trinh": "#e377c2",
    "chuong-trinh-hanh-dong": "#e377c2", "thong-tri": "#bcbd22", "thong-bao": "#7f7f7f", "bao-cao": "#393b79",
    "cong-van": "#637939", "de-an": "#8c6d31", "quy-che": "#843c39", "luat": "#000000", "nghi-dinh": "#5254a3",
}
#: A conflict's field, as the pages name it.
FIELD_VI = {"date": "ngày ban hành", "issuer": "cơ quan ban hành", "doc_type": "loại văn bản", "title": "trích yếu"}
#: A relation in Vietnamese: (what the subject does, what was done to the object).
RELATION_VI = {
    "based_on": ("căn cứ", "là căn cứ của"),
    "implements": ("thực hiện", "được thực hiện bởi"),
    "guides": ("hướng dẫn", "được hướng dẫn bởi"),
    "reviews": ("sơ kết / tổng kết", "được sơ kết / tổng kết bởi"),
    "amends": ("sửa đổi, bổ sung", "được sửa đổi, bổ sung bởi"),
    "replaces": ("thay thế", "bị thay thế bởi"),
    "repeals": ("bãi bỏ", "bị bãi bỏ bởi"),
}
RELATION_STYLES = {
    "implements": {"color": "#2b7bb9", "dashes": False, "width": 2.5},
    "reviews": {"color": "#e6550d", "dashes": [6, 4], "width": 2.5},
    "amends": {"color": "#31a354", "dashes": False, "width": 3},
    "replaces": {"color": "#000000", "dashes": [2, 3], "width": 3},
    "repeals": {"color": "#d62728", "dashes": [2, 3], "width": 3},
    "guides": {"color": "#756bb1", "dashes": [8, 3, 2, 3], "width": 2.5},
    "based_on": {"color": "#969696", "dashes": [4, 4], "width": 2},
    "cites": {"color": "#d9d9d9", "dashes": False, "width": 0.6},
}


class VizError(Exception):
    """A graph that cannot be drawn as asked; one line for the user."""


def year_of(attrs: dict) -> int | None:
    return int(attrs["date"][:4]) if attrs.get("date") else None


def select(g: nx.MultiDiGraph, *, focus: str | None = None, depth: int = 1, issuer: str | None = None,
           doc_type: str | None = None, year_from: int | None = None, year_to: int | None = None,
           relations: list[str] | None = None, only_lineage: bool = False) -> nx.MultiDiGraph:
    """The part of the graph the filters keep. Reports stay when they cite a kept document.
    ``only_lineage`` (with ``focus``): the document, what it is related to, and its implementation
    tree, without the reports."""
    if relations:
        drop = [(a, b, k) for a, b, k, d in g.edges(keys=True, data=True)
                if d["relation"] != "cites" and d["relation"] not in relations]
        g = g.copy()
        g.remove_edges_from(drop)
    docs = {n for n, a in g.nodes(data=True) if a["kind"] == "document"}
    if issuer:
        docs = {n for n in docs if fold(issuer) in fold(g.nodes[n].get("issuer"))}
    if doc_type:
        docs = {n for n in docs if fold(doc_type) == fold(g.nodes[n].get("doc_type"))}
    if year_from or year_to:
        docs = {n for n in docs if year_of(g.nodes[n]) and (year_from or 0) <= year_of(g.nodes[n]) <= (year_to or 9999)}
    if focus:
        hits = [n for n in docs if fold(g.nodes[n]["symbol"]) == fold(focus)] or \
               [n for n in docs if fold(focus) in fold(g.nodes[n]["symbol"])]
        if not hits:
            raise VizError(f"no document {focus!r} in the graph")
        if only_lineage:
            return g.subgraph(set().union(*(lineage_of(g, h) for h in hits))).copy()
        undirected = nx.Graph(g.subgraph(docs | {n for n, a in g.nodes(data=True) if a["kind"] == "report"}))
        around = set()
        for h in hits:
            around |= set(nx.ego_graph(undirected, h, radius=depth))
        docs = {n for n in around if n in docs}
    reports = {a for a, b, d in g.edges(data=True) if d["relation"] == "cites" and b in docs}
    keep = docs | reports
    return g.subgraph(keep).copy()


def lineage_details(g: nx.MultiDiGraph, n: str) -> dict:
    """What the page's "Lược đồ" and "Cây thực hiện" sections show for one document."""
    from .provisions import compact
    st = lineage.status(g, n)

    def rel(r, side):
        # the label reads from this document's side: "được sửa đổi, bổ sung bởi 215-KL/TW"
        return {"relation": r["predicate"], "label": RELATION_VI[r["predicate"]][side], "id": r["document"]["id"],
                "symbol": r["document"].get("symbol") or r["document"].get("report"), "date": r["document"].get("date")}

    def tree(nodes):
        return [{"id": x["document"]["id"], "symbol": x["document"]["symbol"], "predicate": x["predicate"],
                 "label": RELATION_VI[x["predicate"]][0],
                 "date": x["document"]["date"], "lag_days": x["lag_days"], "children": tree(x["children"])} for x in nodes]
    # a partial effect names its provisions: "bị bãi bỏ một phần (Điều 16–18)", never just "bị bãi bỏ"
    acted = "; ".join(compact(p["provisions"]) for p in st.get("provisions") or [])
    return {"status": {"value": st["status"].replace(" ", "-"),
                       "label": lineage.STATUS_VI[st["status"]] + (f" ({acted})" if acted else ""),
                       "by": [b.get("symbol") or b.get("report") or "" for b in st["by"]]},
            "lineage_out": [rel(r, 0) for r in lineage.relations_out(g, n)],
            "lineage_in": [rel(r, 1) for r in lineage.relations_in(g, n)],
            "tree": tree(lineage.implementation_tree(g, n))}


def lineage_of(g: nx.MultiDiGraph, node: str) -> set[str]:
    """A document, the documents it is related to either way, and its implementation tree."""
    keep = {node} | {b for _, b, d in g.out_edges(node, data=True) if d["relation"] in lineage.RELATIONS} \
        | {a for a, _, d in g.in_edges(node, data=True) if d["relation"] in lineage.RELATIONS}

    def walk(nodes):
        for x in nodes:
            keep.add(x["document"]["id"])
            walk(x["children"])
    walk(lineage.implementation_tree(g, node))
    return keep


def _tooltip(a: dict) -> str:
    if a["kind"] == "report":
        return a["label"]
    parts = [f"{a.get('doc_type') or ''} {a['symbol']}".strip()]
    if a.get("date"):
        parts.append(a["date"])
    if a.get("issuer"):
        parts.append(a["issuer"])
    return " · ".join(parts)


def build_network(g: nx.MultiDiGraph) -> tuple[Network, dict]:
    """pyvis Network and the details the page shows on click (keyed by node id)."""
    cited = {n: sum(1 for _ in g.predecessors(n)) for n in g if g.nodes[n]["kind"] == "document"}
    rank = nx.pagerank(nx.DiGraph(g)) if len(g) else {}
    net = Network(height="100%", width="100%", directed=True, cdn_resources="in_line")
    details: dict[str, dict] = {}
    big = len(g) > 1000
    positions = nx.spring_layout(nx.Graph(g), seed=7, k=None, iterations=50) if big else {}
    for n, a in g.nodes(data=True):
        if a["kind"] == "report":
            kw = {"shape": "box", "color": "#fdd0a2", "size": 14, "label": a["label"]}
        else:
            year = year_of(a)
            label = a["symbol"] + (f"\n{year}" if year else "")
            colour = TYPE_COLOURS.get(a.get("type_id") or "", "#aaaaaa")
            kw = {"shape": "diamond" if a.get("system") == "state" else "dot", "color": colour,
                  "size": 10 + 6 * (cited.get(n, 0) ** 0.5) + 200 * rank.get(n, 0), "label": label}
        if big and n in positions:
            x, y = positions[n]
            kw.update(x=float(x) * 3000, y=float(y) * 3000, physics=False)
        net.add_node(n, title=_tooltip(a), **kw)
        details[n] = {
            "kind": a["kind"], "symbol": a.get("symbol"), "label": a.get("label"), "doc_type": a.get("doc_type"),
            "date": a.get("date"), "issuer": a.get("issuer"), "title": a.get("title"), "system": a.get("system"),
            "mentions": a.get("mentions"), "reports": a.get("reports", []), "conflicts": a.get("conflicts", []),
            "sentences": a.get("sentences", [])[:8], "year": year_of(a) if a["kind"] == "document" else None,
            "search": fold(" ".join(str(a.get(k) or "") for k in ("doc_type", "symbol", "title", "issuer", "label"))),
            "pagerank": round(rank.get(n, 0.0), 5), "cited_by": cited.get(n, 0),
        }
        if a["kind"] == "document":
            details[n].update(lineage_details(g, n))
    for a, b, d in g.edges(data=True):
        style = RELATION_STYLES.get(d["relation"], RELATION_STYLES["cites"])
        name = RELATION_VI.get(d["relation"], ("trích dẫn",))[0]
        net.add_edge(a, b, title=name + (f": {d['cue']}" if d.get("cue") else ""),
                     relation=d["relation"], arrows="to", **style)
    return net, details


def render(g: nx.MultiDiGraph, title: str = "kg — trích dẫn văn bản", force: bool = False,
           focus: str | None = None) -> str:
    """The whole page as a string; ``focus`` (a symbol) is selected when the page opens."""
    if len(g) > MAX_NODES and not force:
        raise VizError(f"the graph has {len(g)} nodes (more than {MAX_NODES} is slow to explore); "
                       f"narrow it with --focus SYMBOL --depth N, --issuer, --type or --from/--to (or --force), "
                       f"or make a page per document with `kg site`")
    net, details = build_network(g)
    nodes, edges, _, _, _, options = net.get_network_data()
    big = len(g) > 1000
    data = {
        "nodes": nodes, "edges": edges, "details": details, "title": title,
        "types": sorted({(d["doc_type"], TYPE_COLOURS.get(g.nodes[n].get("type_id") or "", "#aaaaaa"))
                         for n, d in details.items() if d["kind"] == "document" and d["doc_type"]}),
        "relations": {k: v["color"] for k, v in RELATION_STYLES.items()},
        "physics": not big,
        "focus": sorted(n for n, a in g.nodes(data=True) if focus and a.get("kind") == "document"
                        and fold(a.get("symbol")) == fold(focus)),
        "relation_names": {k: v[0] for k, v in RELATION_VI.items()} | {"cites": "trích dẫn"},
        "field_names": FIELD_VI,
    }
    payload = json.dumps(data, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    lib = resources.files("pyvis") / "templates" / "lib" / "vis-9.1.2"
    js = (lib / "vis-network.min.js").read_text(encoding="utf-8")
    css = (lib / "vis-network.css").read_text(encoding="utf-8")
    page = (resources.files("kg") / "templates" / "graph.html").read_text(encoding="utf-8")
    # str.replace, not a template engine: the vis-network source must stay byte-for-byte.
    return (page.replace("/*VIS_CSS*/", css).replace("/*VIS_JS*/", js.replace("</script", "<\\/script"))
            .replace("/*KG_DATA*/", payload).replace("<!--TITLE-->", _escape(title)))


def _escape(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
