"""The life of a document (lược đồ): what it does, what was done to it, its status as far as the
loaded reports say, and the tree of documents that implement it down the levels of the Party.

Pure functions over the networkx graph of `kg.graph` (built from reports, JSON extractions or a
store), so `kg show`, `kg stats` and a notebook share them.
"""
from __future__ import annotations

import datetime as dt
import statistics

import networkx as nx

from . import tables
from .normalise import search_key

#: What one document does to another, as `kg show` lists them.
RELATIONS = ("based_on", "implements", "guides", "reviews", "amends", "replaces", "repeals")
#: The relations a tree of implementation follows downwards (from the implemented document).
TREE_RELATIONS = {"implements", "guides", "reviews"}
#: The rungs of the Party, top down (issuer codes carry their level: kg/data/issuer_codes.tsv).
LEVELS = ("central", "province", "district", "cell")
LEVEL_NAMES = {"central": "Trung ương", "province": "Tỉnh ủy / Thành ủy", "district": "Huyện ủy / Đảng ủy",
               "cell": "Chi bộ"}
STATUS_VI = {"replaced": "bị thay thế", "repealed": "bị bãi bỏ", "amended": "được sửa đổi, bổ sung",
             "partly replaced": "bị thay thế một phần", "partly repealed": "bị bãi bỏ một phần",
             "partly amended": "được sửa đổi, bổ sung một phần", "no change known": "chưa thấy thay đổi"}
#: What was done to a document decides its status, in this order of precedence.
STATUS_BY = (("replaced", "replaces"), ("repealed", "repeals"), ("amended", "amends"))
#: The same with partial effects (a relation that names the provisions it acts on: "bãi bỏ Điều 16
#: Thông tư …"): (status, relation, partly). A whole repeal outranks a partial one, and a partial
#: repeal an amendment.
STATUS_RANK = (("replaced", "replaces", False), ("repealed", "repeals", False),
               ("partly replaced", "replaces", True), ("partly repealed", "repeals", True),
               ("amended", "amends", False), ("partly amended", "amends", True))
MAX_DEPTH = 12  # a tree deeper than the Party has levels is a data error (cycles are cut anyway)


def level(node: dict) -> str | None:
    """The level a document comes from, by its issuer code ("TU" → province); a chi bộ's unit
    code (CB…) is a cell."""
    if node.get("system") == "state":
        return None
    code = (node.get("issuer_code") or "").split("-")[0]
    entry = tables.issuer_codes().get(code)
    if entry and entry.level:
        return entry.level
    return "cell" if code.upper().startswith("CB") else None


def documents(g: nx.MultiDiGraph) -> list[str]:
    return [n for n, a in g.nodes(data=True) if a.get("kind") == "document"]


def find(g: nx.MultiDiGraph, symbol: str, year: int | None = None) -> list[str]:
    """The documents with this symbol (numbers restart each term: there may be several), the
    symbol compared without case and diacritics; ``year`` picks one."""
    want = search_key(symbol.strip())
    # "Kết luận 01-KL/TW", "ket luan 01-kl/tw": the symbol is the word with a "/"
    want = next((w for w in reversed(want.split()) if "/" in w), want)
    found = [n for n in documents(g) if search_key(g.nodes[n]["symbol"]) == want]
    if year is not None:
        found = [n for n in found if (g.nodes[n].get("date") or "")[:4] == str(year) or n.endswith(f"-{year}")]
    return sorted(found, key=lambda n: g.nodes[n].get("date") or "")


def near(g: nx.MultiDiGraph, symbol: str, n: int = 5) -> list[str]:
    """Symbols close to one that is not in the graph: the same number, or the same text without
    diacritics and punctuation."""
    want = search_key(symbol)
    number = "".join(ch for ch in want.split("-")[0].split("/")[0] if ch.isdigit()).lstrip("0")
    bare = "".join(ch for ch in want if ch.isalnum())
    scored = []
    for node in documents(g):
        s = g.nodes[node]["symbol"]
        f = search_key(s)
        num = "".join(ch for ch in f.split("-")[0].split("/")[0] if ch.isdigit()).lstrip("0")
        same_number = bool(number) and num == number
        bare_hit = bare and bare in "".join(ch for ch in f if ch.isalnum())
        if same_number or bare_hit:
            scored.append((0 if bare_hit else 1, s))
    return [s for _, s in sorted(set(scored))][:n]


def _doc(g: nx.MultiDiGraph, node: str) -> dict:
    a = g.nodes[node]
    if a.get("kind") == "report":
        return {"id": node, "symbol": None, "report": a.get("label"), "date": a.get("date")}
    return {"id": node, "symbol": a.get("symbol"), "doc_type": a.get("doc_type"), "date": a.get("date"),
            "issuer": a.get("issuer") or a.get("body"), "level": level(a)}


def _edge(g, a, b, data, other) -> dict:
    return {"predicate": data["relation"], "document": _doc(g, other), "cue": data.get("cue"),
            "sentence": data.get("sentence"), "report": data.get("report"),
            "provisions": list(data.get("provisions") or [])}


def _in_order(edges: list[dict]) -> list[dict]:
    """By relation, date, document and report: the same list whatever order the store returned."""
    return sorted(edges, key=lambda e: (e["predicate"], e["document"].get("date") or "", e["document"]["id"],
                                        e["report"] or "", e["cue"] or ""))


def relations_out(g: nx.MultiDiGraph, node: str) -> list[dict]:
    return _in_order([_edge(g, node, b, d, b) for _, b, d in g.out_edges(node, data=True) if d["relation"] in RELATIONS])


def relations_in(g: nx.MultiDiGraph, node: str) -> list[dict]:
    return _in_order([_edge(g, a, node, d, a) for a, _, d in g.in_edges(node, data=True) if d["relation"] in RELATIONS])


def partial_by(edges: list[dict]) -> dict[str, list[str]]:
    """For the documents that acted on this one by one relation: the provisions each acted on, or
    [] for the whole document (`kg.provisions.merge`)."""
    from .provisions import merge
    out: dict[str, list[str]] = {}
    for r in edges:
        key = r["document"]["id"]
        out[key] = merge(r["predicate"], out[key], r["provisions"]) if key in out else list(r["provisions"])
    return out


def status(g: nx.MultiDiGraph, node: str) -> dict:
    """replaced (by whom, from when), repealed, amended — or partly so, with the provisions, where
    only provisions were acted on ("partly repealed (Điều 16–18, by …)") — or "no change known":
    never "in force", since the graph knows only what its reports cite. With the evidence and the
    wording (`text`, `text_vi`)."""
    incoming = relations_in(g, node)
    for value, predicate, partly in STATUS_RANK:
        edges = [r for r in incoming if r["predicate"] == predicate]
        acted = partial_by(edges)
        by = [r for r in edges if bool(acted[r["document"]["id"]]) == partly]
        if by:
            dates = sorted(r["document"]["date"] for r in by if r["document"].get("date"))
            docs = list({r["document"]["id"]: r["document"] for r in by}.values())
            out = {"status": value, "by": docs, "since": dates[0] if dates else None,
                   "provisions": [{"by": d.get("symbol") or d.get("report"), "provisions": acted[d["id"]]}
                                  for d in docs if acted[d["id"]]],
                   "evidence": [{"sentence": r["sentence"], "report": r["report"], "cue": r["cue"],
                                 "provisions": r["provisions"]} for r in by]}
            out["text"], out["text_vi"] = wording(out), wording(out, vi=True)
            return out
    out = {"status": "no change known", "by": [], "since": None, "provisions": [], "evidence": []}
    out["text"], out["text_vi"] = wording(out), wording(out, vi=True)
    return out


def wording(st: dict, vi: bool = False) -> str:
    """A status in words: "partly repealed (Điều 16–18, by 12/2025/TT-NHNN)", "replaced by
    69-QĐ/TW since 2022-07-06"; in Vietnamese with ``vi`` ("bị bãi bỏ một phần (Điều 16–18,
    bởi …)")."""
    from .provisions import compact
    name = STATUS_VI[st["status"]] if vi else st["status"]
    by_word = "bởi" if vi else "by"
    if st.get("provisions"):
        parts = [f"{compact(p['provisions'])}, {by_word} {p['by']}" for p in st["provisions"]]
        return f"{name} ({'; '.join(parts)})"
    who = ", ".join(d.get("symbol") or d.get("report") or "" for d in st["by"])
    since = ("từ" if vi else "since") + f" {st['since']}" if st.get("since") else ""
    return " ".join(x for x in (name, f"{by_word} {who}" if who else "", since) if x)


def lag_days(later: str | None, earlier: str | None) -> int | None:
    if not later or not earlier:
        return None
    return (dt.date.fromisoformat(later) - dt.date.fromisoformat(earlier)).days


def implementation_tree(g: nx.MultiDiGraph, node: str) -> list[dict]:
    """The documents that implement, guide or review ``node``, recursively, each with its lag in
    days after the root (None when a date is missing). A document is shown once (cycles cut)."""
    root_date = g.nodes[node].get("date")
    seen = {node}

    def children(of: str, depth: int) -> list[dict]:
        if depth >= MAX_DEPTH:
            return []
        out = []
        for a, _, d in sorted(g.in_edges(of, data=True), key=lambda e: (g.nodes[e[0]].get("date") or "", e[0])):
            if d["relation"] not in TREE_RELATIONS or a in seen or g.nodes[a].get("kind") != "document":
                continue
            seen.add(a)
            doc = _doc(g, a)
            out.append({"document": doc, "predicate": d["relation"], "lag_days": lag_days(doc["date"], root_date),
                        "children": children(a, depth + 1)})
        return out
    return children(node, 0)


def cited_by(g: nx.MultiDiGraph, node: str) -> list[dict]:
    """The reports that cite the document, with their mentions of it and their own dates."""
    out = []
    mentions = g.nodes[node].get("report_mentions") or {}
    for a, _, d in g.in_edges(node, data=True):
        if d["relation"] == "cites" and g.nodes[a].get("kind") == "report":
            r = g.nodes[a]
            out.append({"report": r.get("label"), "paths": r.get("paths") or [r.get("path")],
                        "mentions": mentions.get(a), "date": r.get("date")})
    out.sort(key=lambda r: (r["date"] or "", r["report"] or ""))
    return out


def show(g: nx.MultiDiGraph, node: str) -> dict:
    """Everything `kg show` says about one document (the JSON of `kg show --format json`)."""
    reports = cited_by(g, node)
    dates = sorted(r["date"] for r in reports if r["date"])
    doc = _doc(g, node)
    a = g.nodes[node]
    doc.update({"title": a.get("title"), "system": a.get("system"), "term": a.get("term"),
                "mentions": a.get("mentions")})
    return {"document": doc, "relations_out": relations_out(g, node), "relations_in": relations_in(g, node),
            "status": status(g, node), "implementation_tree": implementation_tree(g, node), "cited_by": reports,
            "first_cited": dates[0] if dates else None, "last_cited": dates[-1] if dates else None,
            "conflicts": list(a.get("conflicts") or [])}


def lag_summary(days: list[int]) -> tuple[float, float, float]:
    """Median and quartiles of lags in days (inclusive quartiles: no value outside the data)."""
    days = sorted(days)
    q = statistics.quantiles(days, n=4, method="inclusive") if len(days) > 1 else [days[0]] * 3
    return statistics.median(days), q[0], q[2]


def lag_table(g: nx.MultiDiGraph) -> list[dict]:
    """How long directives take to travel down: for each pair of levels (higher → lower), the
    days from a document to one that implements, guides or reviews it (median, quartiles, count),
    with the slowest and fastest pair."""
    by_pair: dict[tuple, list[tuple[int, str, str]]] = {}
    for a, b, d in g.edges(data=True):
        if d["relation"] not in TREE_RELATIONS:
            continue
        na, nb = g.nodes[a], g.nodes[b]
        if na.get("kind") != "document" or nb.get("kind") != "document":
            continue
        days = lag_days(na.get("date"), nb.get("date"))
        la, lb = level(na), level(nb)
        if days is None or la is None or lb is None:
            continue
        by_pair.setdefault((lb, la), []).append((days, nb["symbol"], na["symbol"]))
    out = []
    for (hi, lo), lags in sorted(by_pair.items(), key=lambda x: (LEVELS.index(x[0][0]), LEVELS.index(x[0][1]))):
        median, q1, q3 = lag_summary([x[0] for x in lags])
        slow, fast = max(lags), min(lags)
        out.append({"from": LEVEL_NAMES[hi], "to": LEVEL_NAMES[lo], "count": len(lags), "median": median,
                    "q1": q1, "q3": q3, "slowest": f"{slow[1]} → {slow[2]} ({slow[0]} days)",
                    "fastest": f"{fast[1]} → {fast[2]} ({fast[0]} days)"})
    return out


# --- The same, derived once into the store's lineage graph (rebuilt after every load) --------

STATUS = {"replaced": "replaced", "repealed": "repealed", "amended": "amended", "partly replaced": "partly-replaced",
          "partly repealed": "partly-repealed", "partly amended": "partly-amended", "no change known": "no-change-known"}
#: The relations whose partial form the lineage graph records (kg:PartialEffect).
PARTIAL = ("replaces", "repeals", "amends")


def partial_effects(store, names: dict[str, str]) -> dict[tuple[str, str, str], list[str]]:
    """(subject, relation name, object) → the provisions acted on, for the relations that every
    report statement of them restricts to provisions (one statement of the whole makes the
    relation whole). Read from the statements' kg:provision: only partial statements have one."""
    from .provisions import sort_key
    wanted = {iri: name for iri, name in names.items() if name in PARTIAL}
    acted: dict[tuple[str, str, str], set[str]] = {}
    for r in store.select("""SELECT ?a ?p ?b ?prov WHERE { GRAPH ?r { ?s kg:provision ?prov ;
            rdf:subject ?a ; rdf:predicate ?p ; rdf:object ?b } }"""):
        if r["p"] in wanted:
            acted.setdefault((r["a"], r["p"], r["b"]), set()).add(r["prov"])
    keys = sorted(k for k in acted if wanted[k[1]] != "amends")  # an amendment's provisions add up (merge)
    for i in range(0, len(keys), 500):  # the same relations stated whole somewhere
        values = " ".join(f"(<{a}> <{p}> <{b}>)" for a, p, b in keys[i:i + 500])
        for r in store.select(f"""SELECT DISTINCT ?a ?p ?b WHERE {{ VALUES (?a ?p ?b) {{ {values} }}
                GRAPH ?r {{ ?s rdf:subject ?a ; rdf:predicate ?p ; rdf:object ?b FILTER NOT EXISTS {{ ?s kg:provision ?x }} }} }}"""):
            acted.pop((r["a"], r["p"], r["b"]), None)
    return {(a, wanted[p], b): sorted(provs, key=sort_key) for (a, p, b), provs in acted.items()}


def lineage_triples(relations: list[tuple[str, str, str]], facts: dict[str, dict], vocab: str, kg_ns: str,
                    partial: dict[tuple[str, str, str], list[str]] | None = None):
    """Triples of the lineage graph from the documents graph's relations (subject, predicate
    name, object) and each document's facts ({"date", "issuer_code", "system"}):

    - ``kg:status`` (a concept of the status scheme) on every document, and ``kg:replacedBy``,
      ``kg:repealedBy``, ``kg:amendedBy`` (the inverses, for easy queries);
    - for a relation that acts on provisions only (``partial``: (subject, name, object) → the
      provisions), ``kg:partlyReplacedBy`` … instead, and a ``kg:PartialEffect`` node with the
      provisions (each a ``kg:provision``, all as ``kg:provisions`` "Điều 16–18", each ELI
      subdivision as ``kg:actsOn``);
    - a ``kg:Lag`` node per implements / guides / reviews pair with both dates: ``kg:lagDays``,
      and the levels it runs between;
    - a ``kg:LagSummary`` per pair of levels: count, median and quartiles of the days.
    One node per pair of documents, not per report statement: a relation three reports state is
    one lag, and queries do not repeat rows."""
    from .resolve import ascii_slug
    out: list[tuple[str, str, object]] = []
    inverse = {"replaces": "replacedBy", "repeals": "repealedBy", "amends": "amendedBy"}
    done_to: dict[str, set[str]] = {}
    lags: dict[tuple[str, str], list[int]] = {}
    from .provisions import compact, path
    partial = partial or {}
    for a, p, b in relations:
        if p in inverse and (a, p, b) in partial:
            provs = partial[(a, p, b)]
            name = inverse[p]
            out.append((b, kg_ns + "partly" + name[0].upper() + name[1:], a))
            done_to.setdefault(b, set()).add(("partly", p))
            node = f"{vocab}effect/{ascii_slug(b.rsplit('/', 1)[-1])}--{p}--{ascii_slug(a.rsplit('/', 1)[-1])}"
            out += [(node, "type", kg_ns + "PartialEffect"), (node, kg_ns + "effectOn", b), (node, kg_ns + "effectBy", a),
                    (node, kg_ns + "effectRelation", kg_ns + p if p != "amends" else "http://data.europa.eu/eli/ontology#amends"),
                    (node, kg_ns + "provisions", compact(provs))]
            out += [(node, kg_ns + "provision", x) for x in provs]
            out += [(node, kg_ns + "actsOn", f"{b}/{path(x)}") for x in provs]
        elif p in inverse:
            out.append((b, kg_ns + inverse[p], a))
            done_to.setdefault(b, set()).add(p)
        if p in TREE_RELATIONS and a in facts and b in facts:
            days = lag_days(facts[a].get("date"), facts[b].get("date"))
            if days is None:
                continue
            node = f"{vocab}lag/{ascii_slug(b.rsplit('/', 1)[-1])}--{p}--{ascii_slug(a.rsplit('/', 1)[-1])}"
            out += [(node, "type", kg_ns + "Lag"), (node, kg_ns + "lagFrom", b), (node, kg_ns + "lagTo", a),
                    (node, kg_ns + "lagRelation", kg_ns + p if p != "implements" else "http://data.europa.eu/eli/ontology#ensures_implementation_of"),
                    (node, kg_ns + "lagDays", days)]
            hi, lo = level(facts[b]), level(facts[a])
            if hi and lo:
                out += [(node, kg_ns + "fromLevel", hi), (node, kg_ns + "toLevel", lo)]
                lags.setdefault((hi, lo), []).append(days)
    for d in facts:
        ps = done_to.get(d, set())
        value = next((v for v, p, partly in STATUS_RANK if (("partly", p) if partly else p) in ps), "no change known")
        out.append((d, kg_ns + "status", f"{vocab}status/{STATUS[value]}"))
    for (hi, lo), days in lags.items():
        median, q1, q3 = lag_summary(days)
        node = f"{vocab}lag-summary/{hi}--{lo}"
        out += [(node, "type", kg_ns + "LagSummary"), (node, kg_ns + "fromLevel", hi), (node, kg_ns + "toLevel", lo),
                (node, kg_ns + "count", len(days)), (node, kg_ns + "medianDays", float(median)),
                (node, kg_ns + "q1Days", float(q1)), (node, kg_ns + "q3Days", float(q3))]
    return out
