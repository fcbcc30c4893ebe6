"""What each page of the site says, gathered from the networkx graph of `kg.graph` (built from
reports, JSON extractions or a store) as plain dicts: one per document (văn bản), report (báo
cáo), issuing body (cơ quan ban hành) and year, plus the index's records.

Every dict holds only JSON values, so a page's facts can be hashed: a rebuild renders and writes
only the pages whose facts changed (kg.site.build).
"""
from __future__ import annotations

import functools
import heapq
import hashlib
import re
from collections import defaultdict

import networkx as nx

from .. import lineage
from ..normalise import search_key
from ..resolve import ascii_slug
from ..viz import RELATION_VI

#: The lược đồ's two sides: what the document stands on (upstream) and what was done to it.
UPSTREAM = ("based_on", "implements", "guides", "reviews", "amends", "replaces", "repeals")
DOWNSTREAM = ("implements", "guides", "reviews", "amends", "replaces", "repeals", "based_on")
STATUS_LABEL = {
    "replaced": "Bị thay thế", "repealed": "Bị bãi bỏ", "partly-repealed": "Bị bãi bỏ một phần",
    "amended": "Được sửa đổi, bổ sung", "none": "Chưa thấy thay đổi",
}
LEVEL_VI = dict(lineage.LEVEL_NAMES)
NEIGHBOURS_MAX = 150     # nodes in a document's neighbourhood drawing
TREE_MAX = 200           # documents of the implementation tree a page shows (the lags count them all)
CITED_PER_PAGE = 60      # citing reports on a document page (the rest on pages of their own)
EXCERPTS_PER_REPORT = 3
_UNSAFE = re.compile(r"[^A-Za-z0-9_-]")


def _safe(tail: str) -> str:
    """A file name from an IRI's tail: kept when already safe, else its safe letters and a hash
    (two tails that differ only in unsafe characters keep different names)."""
    clean = _UNSAFE.sub("-", ascii_slug(tail))[:80].strip("-") or "x"
    if clean == tail:
        return clean
    return f"{clean}-{hashlib.sha1(tail.encode('utf-8', 'surrogatepass')).hexdigest()[:8]}"


@functools.lru_cache(maxsize=1 << 18)
def doc_slug(iri: str) -> str:
    tail = iri.split("/doc/", 1)[1] if "/doc/" in iri else iri.rsplit("/", 1)[-1]
    return _safe(tail.replace("/", "-"))


@functools.lru_cache(maxsize=1 << 18)
def report_slug(iri: str) -> str:
    return _safe(iri.rsplit("/", 1)[-1])


def issuer_slug(name: str) -> str:
    return _safe(ascii_slug(name).lower() or "khong-ro")


def issuer_of(a: dict) -> str | None:
    return a.get("issuer") or a.get("body")


def year_of(a: dict) -> int | None:
    d = a.get("date") or ""
    return int(d[:4]) if d[:4].isdigit() else None


def ref(g: nx.MultiDiGraph, n: str) -> dict:
    """How a page names and links another node."""
    a = g.nodes[n]
    if a.get("kind") == "report":
        return {"kind": "report", "slug": report_slug(n), "label": a.get("label") or "", "date": a.get("date")}
    return {"kind": "document", "slug": doc_slug(n), "symbol": a.get("symbol") or "", "doc_type": a.get("doc_type"),
            "date": a.get("date"), "issuer": issuer_of(a)}


def _stated(g, a, b, d, other) -> dict:
    return {"predicate": d["relation"], "other": ref(g, other), "cue": d.get("cue"), "sentence": d.get("sentence"),
            "report": d.get("report"), "report_slug": report_slug(d["report_id"]) if d.get("report_id") else None,
            "provisions": list(d.get("provisions") or [])}


def _order(rows: list[dict]) -> list[dict]:
    return sorted(rows, key=lambda r: (r["predicate"], r["other"].get("date") or "", r["other"].get("symbol") or
                                       r["other"].get("label") or "", r["report"] or "", r["cue"] or ""))


def relations(g: nx.MultiDiGraph, n: str) -> tuple[list[dict], list[dict]]:
    """(what the document does to others, what others do to it), one row per report statement."""
    out = [_stated(g, n, b, d, b) for _, b, d in g.out_edges(n, data=True) if d["relation"] in RELATION_VI]
    inn = [_stated(g, a, n, d, a) for a, _, d in g.in_edges(n, data=True) if d["relation"] in RELATION_VI]
    return _order(out), _order(inn)


def status(incoming: list[dict]) -> dict:
    """The status badge and its evidence: replaced, repealed (wholly or in part: the articles),
    amended (with the articles), or no change known. Never "in force": the graph knows only what
    its reports cite."""
    def rows(p):
        return [r for r in incoming if r["predicate"] == p]
    replaced, repealed, amended = rows("replaces"), rows("repeals"), rows("amends")
    if replaced:
        key, by = "replaced", replaced
    elif [r for r in repealed if not r["provisions"]]:
        key, by = "repealed", [r for r in repealed if not r["provisions"]]
    elif repealed:
        key, by = "partly-repealed", repealed
    elif amended:
        key, by = "amended", amended
    else:
        return {"key": "none", "label": STATUS_LABEL["none"], "evidence": [], "since": None}
    others = [r for r in repealed + amended if r not in by]  # partial effects beside the main one
    dates = sorted(r["other"]["date"] for r in by if r["other"].get("date"))
    return {"key": key, "label": STATUS_LABEL[key], "since": dates[0] if dates else None,
            "evidence": [{**r, "label": RELATION_VI[r["predicate"]][1]} for r in by + others]}


class Adjacency:
    """What every document page looks up, gathered in one pass over the graph's edges rather than
    per page: a document's in-edges include every report that cites it (thousands, for the most
    cited), and the tree and the neighbourhood only want the relations between documents."""

    def __init__(self, g: nx.MultiDiGraph, docs: nx.DiGraph):
        below: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for a, b, d in g.edges(data=True):
            p = d["relation"]
            if p in lineage.TREE_RELATIONS and g.nodes[a].get("kind") == "document":
                below[b].append((a, p))
        order = lambda e: (g.nodes[e[0]].get("date") or "", e[0])  # noqa: E731
        self.below = {b: sorted(rows, key=order) for b, rows in below.items()}
        self.around = {x: set(docs.successors(x)) | set(docs.predecessors(x)) for x in docs}
        # most cited first, then by symbol: the order a crowded neighbourhood keeps its nodes in
        self.weight = {x: (-(g.nodes[x].get("mentions") or 0), g.nodes[x].get("symbol") or "") for x in docs}
        self.docs = docs


def tree(g: nx.MultiDiGraph, n: str, limit: int = TREE_MAX, adj: Adjacency | None = None) -> tuple[list[dict], list[dict], int]:
    """The implementation tree (documents that implement, guide or review it, recursively, with
    their lag in days after the root, as `kg show` walks it), at most ``limit`` documents on the
    page; the lags summed up by level; and how many documents the cap left out."""
    below_of = (adj or Adjacency(g, nx.DiGraph())).below
    by_level: dict[str, list[int]] = defaultdict(list)
    root_date = g.nodes[n].get("date")
    seen, shown, left = {n}, 0, 0

    def walk(of: str, depth: int) -> list[dict]:
        nonlocal shown, left
        if depth >= lineage.MAX_DEPTH:
            return []
        out = []
        for a, p in below_of.get(of, ()):
            if a in seen:
                continue
            seen.add(a)
            lag = lineage.lag_days(g.nodes[a].get("date"), root_date)
            lvl = lineage.level(g.nodes[a])
            if lag is not None and lvl:
                by_level[lvl].append(lag)
            if shown >= limit:
                left += 1
                walk(a, depth + 1)  # counted, not shown
                continue
            shown += 1
            out.append({"node": ref(g, a), "predicate": p, "lag_days": lag, "level": LEVEL_VI.get(lvl),
                        "children": walk(a, depth + 1)})
        return out
    rows = walk(n, 0)
    lags = []
    for lvl in lineage.LEVELS:
        days = sorted(by_level.get(lvl, []))
        if days:
            lags.append({"level": LEVEL_VI[lvl], "count": len(days), "first": days[0],
                         "median": days[len(days) // 2], "last": days[-1]})
    return rows, lags, left


def cited_by(g: nx.MultiDiGraph, n: str) -> list[dict]:
    """The reports citing the document, newest first, each with its mentions and sentences."""
    a = g.nodes[n]
    mentions = a.get("report_mentions") or {}
    excerpts: dict[str, list[str]] = defaultdict(list)
    for s in a.get("sentences") or []:
        rid = s.get("report_id")
        if rid and s.get("text") and s["text"] not in excerpts[rid] and len(excerpts[rid]) < EXCERPTS_PER_REPORT:
            excerpts[rid].append(s["text"])
    out = []
    for r, _, d in g.in_edges(n, data=True):
        if d["relation"] == "cites" and g.nodes[r].get("kind") == "report":
            out.append({**ref(g, r), "mentions": mentions.get(r), "excerpts": excerpts.get(r, [])})
    out.sort(key=lambda x: (x["date"] or "", x["label"]), reverse=True)
    return out


def neighbourhood(g: nx.MultiDiGraph, docs: nx.DiGraph, n: str, limit: int = NEIGHBOURS_MAX,
                  adj: Adjacency | None = None) -> dict:
    """The documents one or two relations away (two when they fit in ``limit`` nodes; else the
    nearest ones, most cited first), and the relations between them: never the whole graph."""
    if n not in docs:
        return {"center": doc_slug(n), "nodes": [], "edges": []}
    adj = adj or Adjacency(g, docs)
    around, weight = adj.around, adj.weight.__getitem__
    ring1 = sorted(around[n] - {n})
    near = {x: around[x] for x in ring1}
    ring2 = set().union(*near.values()) - set(ring1) - {n} if near else set()
    if 1 + len(ring1) + len(ring2) > limit:
        ring1 = heapq.nsmallest(limit - 1, ring1, key=weight)
        ring2 = heapq.nsmallest(max(0, limit - 1 - len(ring1)), ring2, key=weight)
    ring2 = sorted(ring2)
    keep = [n] + ring1 + ring2
    kept = set(keep)
    parent = {y: next((x for x in ring1 if y in near[x]), None) for y in ring2}
    nodes = [{"id": doc_slug(x), "symbol": g.nodes[x].get("symbol") or "", "type_id": g.nodes[x].get("type_id"),
              "year": year_of(g.nodes[x]), "ring": 0 if x == n else (1 if x in near else 2),
              "parent": doc_slug(parent[x]) if parent.get(x) else None} for x in keep]
    # each kept node's relations to the others, from whichever side is shorter (a hub has thousands)
    pairs = set()
    for a in keep:
        out = docs[a]
        for b in (kept if len(out) > len(kept) else out):
            if b in kept and b in out:
                pairs.add((doc_slug(a), doc_slug(b), out[b]["relation"]))
    edges = sorted(pairs)
    return {"center": doc_slug(n), "nodes": nodes, "edges": [list(e) for e in edges]}


def document(g: nx.MultiDiGraph, docs: nx.DiGraph, n: str, adj: Adjacency | None = None) -> dict:
    """Everything a document's page shows. ``adj``: the build's `Adjacency` (made here if not given)."""
    adj = adj or Adjacency(g, docs)
    a = g.nodes[n]
    out, inn = relations(g, n)
    rows, lags, left = tree(g, n, adj=adj)
    lvl = lineage.level(a)
    return {
        "id": n, "slug": doc_slug(n), "symbol": a.get("symbol") or "", "doc_type": a.get("doc_type"),
        "type_id": a.get("type_id"), "date": a.get("date"), "issuer": issuer_of(a),
        "issuer_slug": issuer_slug(issuer_of(a)) if issuer_of(a) else None, "level": LEVEL_VI.get(lvl),
        "title": a.get("title"), "system": a.get("system"), "term": a.get("term"), "mentions": a.get("mentions") or 0,
        "status": status(inn), "upstream": out, "downstream": inn, "tree": rows, "lags": lags, "tree_left": left,
        "cited_by": cited_by(g, n), "conflicts": [dict(c) for c in a.get("conflicts") or []],
        "neighbourhood": neighbourhood(g, docs, n, adj=adj),
    }


def excerpts_by_report(g: nx.MultiDiGraph) -> dict[tuple[str, str], list[str]]:
    """(document, report) → the report's sentences citing it, in one pass: a report page looking
    them up in the document's list would read all of a much-cited document's sentences again for
    each report citing it."""
    out: dict[tuple[str, str], list[str]] = defaultdict(list)
    for n, a in g.nodes(data=True):
        for s in a.get("sentences") or ():
            if s.get("report_id") and s.get("text"):
                out[(n, s["report_id"])].append(s["text"])
    return out


def report(g: nx.MultiDiGraph, r: str, stated: list[dict], excerpts: dict | None = None) -> dict:
    """A report's page: its own document, what it cites (with its sentences) and the relations it
    states. ``stated`` are its relation statements (`statements_by_report`); ``excerpts``:
    `excerpts_by_report` (made here if not given)."""
    excerpts = excerpts if excerpts is not None else excerpts_by_report(g)
    a = g.nodes[r]
    cites = []
    for _, d, e in g.out_edges(r, data=True):
        if e["relation"] != "cites":
            continue
        node = g.nodes[d]
        sentences = excerpts.get((d, r), ())
        cites.append({**ref(g, d), "mentions": (node.get("report_mentions") or {}).get(r),
                      "excerpts": list(dict.fromkeys(sentences))[:EXCERPTS_PER_REPORT]})
    cites.sort(key=lambda x: (x["date"] or "", x["symbol"]))
    own = a.get("own")
    return {"id": r, "slug": report_slug(r), "name": a.get("label") or "", "paths": list(a.get("paths") or []),
            "date": a.get("date"), "own": ref(g, own) if own and own in g else None, "cites": cites,
            "relations": stated}


def statements_by_report(g: nx.MultiDiGraph) -> dict[str, list[dict]]:
    """Each report's relation statements, in one pass over the edges."""
    out: dict[str, list[dict]] = defaultdict(list)
    for a, b, d in g.edges(data=True):
        if d["relation"] in RELATION_VI and d.get("report_id"):
            out[d["report_id"]].append({"predicate": d["relation"], "subject": ref(g, a), "object": ref(g, b),
                                        "cue": d.get("cue"), "sentence": d.get("sentence"),
                                        "provisions": list(d.get("provisions") or [])})
    for rows in out.values():
        rows.sort(key=lambda x: (x["predicate"], x["object"].get("symbol") or "", x["cue"] or ""))
    return out


def record(g: nx.MultiDiGraph, n: str, st: str) -> list:
    """A document in the index's search: [slug, symbol, type, date, issuer, level, status, title,
    mentions, search key] (a list, not a dict: the index stays small)."""
    a = g.nodes[n]
    key = search_key(" ".join(str(a.get(k) or "") for k in ("doc_type", "symbol", "title")) + " " + (issuer_of(a) or ""))
    return [doc_slug(n), a.get("symbol") or "", a.get("doc_type") or "", a.get("date") or "", issuer_of(a) or "",
            LEVEL_VI.get(lineage.level(a)) or "", st, a.get("title") or "", a.get("mentions") or 0, key]


def listing(g: nx.MultiDiGraph, nodes) -> list[dict]:
    """Documents for a body's or a year's timeline, oldest first."""
    rows = [{**ref(g, n), "title": g.nodes[n].get("title"), "mentions": g.nodes[n].get("mentions") or 0} for n in nodes]
    rows.sort(key=lambda x: (x["date"] or "9999", x["symbol"]))
    return rows
