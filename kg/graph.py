"""A networkx view of the knowledge graph, from extractions or from a store.

Nodes are documents (kind "document") and reports (kind "report"); edges are "cites" (report →
document) and the relations between documents. `kg viz`, `kg stats` and `kg export` all start
from this graph.
"""
from __future__ import annotations

import json
from pathlib import Path

import networkx as nx

from . import tables
from .rdf import ELI, KG, OA, report_iri
from .resolve import DEFAULT_BASE


def _doc_attrs(d: dict) -> dict:
    return {
        "kind": "document", "symbol": d["symbol"], "doc_type": d.get("doc_type"), "type_id": d.get("doc_type_id"),
        "date": d.get("date"), "issuer": d.get("issuer"), "title": d.get("title"), "system": d.get("system", "party"),
        "issuer_code": d.get("issuer_code"), "type_code": d.get("type_code"),
        "body": d.get("body") or (tables.bodies()[d["issuer_id"]].vi if d.get("issuer_id") in tables.bodies() else None),
        "mentions": 0, "reports": [], "sentences": [], "conflicts": [],
    }


def add_extraction(g: nx.MultiDiGraph, data: dict, base: str = DEFAULT_BASE) -> None:
    """Add one extraction, as the JSON of `kg extract --format json`."""
    src = data["source"]
    report = report_iri(base, src["sha256"] or "")
    name = Path(src["path"]).name
    if report in g:  # the same content again (one file given twice, or copied): one report, two paths
        if src["path"] not in g.nodes[report]["paths"]:
            g.nodes[report]["paths"].append(src["path"])
        return
    own = data.get("source_document") or {}
    g.add_node(report, kind="report", label=name, path=src["path"], paths=[src["path"]], symbol=None,
               date=own.get("date"), own=own.get("id") if own.get("symbol") else None)
    text_sentences: dict[str, list] = {}
    for c in data["citations"]:
        text_sentences.setdefault(c["document"], []).append(c)
    for d in data["documents"]:
        if d["id"] not in g:
            g.add_node(d["id"], **_doc_attrs(d))
        node = g.nodes[d["id"]]
        for key, src_key in (("date", "date"), ("issuer", "issuer"), ("title", "title"), ("doc_type", "doc_type"),
                             ("type_id", "doc_type_id")):
            if not node.get(key) and d.get(src_key):
                node[key] = d.get(src_key)
        if not node.get("body") and d.get("issuer_id") in tables.bodies():
            node["body"] = tables.bodies()[d["issuer_id"]].vi
        node["mentions"] += d["mentions"]
        node.setdefault("report_mentions", {})[report] = d["mentions"]
        node["reports"].append(name)
        node["conflicts"] += [{"report": name, **c} for c in d.get("conflicts", [])]
        for c in text_sentences.get(d["id"], [])[:5]:
            node["sentences"].append({"report": name, "report_id": report,
                                      "text": (c.get("sentence") or {}).get("text") or c["text"]})
        g.add_edge(report, d["id"], key="cites", relation="cites")
    if own.get("id") and own.get("symbol") and own["id"] not in g:
        # the text's own document (its header's symbol): the subject of its preamble's relations
        g.add_node(own["id"], **_doc_attrs({**own, "system": own.get("system") or "party"}))
    spans = sorted(((c["sentence"]["start"], c["sentence"]["end"], c["sentence"].get("text") or c["text"])
                    for c in data["citations"] if c.get("sentence")), key=lambda x: x[0])
    for r in data["relations"]:
        if r["subject"] not in g or r["object"] not in g:
            continue  # a JSON file edited by hand: no edge to a node nothing describes
        at = r.get("cue_start", r.get("start", 0))
        sentence = next((t for s0, e0, t in spans if s0 <= at < e0), None)
        add_relation(g, r["subject"], r["object"], r["predicate"], r.get("provisions") or [], cue=r.get("cue"),
                     report=name, report_id=report, sentence=sentence)


def add_relation(g: nx.MultiDiGraph, a: str, b: str, name: str, provisions: list[str], **attrs) -> None:
    """One edge per relation between two documents, with the provisions of ``b`` it acts on ([]
    for the whole), merged over the reports that state it (`kg.provisions.merge`)."""
    if g.has_edge(a, b, key=name):
        from .provisions import merge
        provisions = merge(name, g.edges[a, b, name].get("provisions") or [], provisions)
    g.add_edge(a, b, key=name, relation=name, provisions=list(provisions), **attrs)


def from_extractions(items: list[dict], base: str = DEFAULT_BASE) -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    for data in items:
        add_extraction(g, data, base)
    return g


def load_json_extractions(path: str) -> list[dict]:
    """A file written by `kg extract --format json`: one object, or JSON Lines."""
    from .read import ReadError, read_bytes
    try:
        text = read_bytes(path, "JSON file").decode("utf-8")
    except UnicodeDecodeError:
        raise ReadError(f"{path}: not UTF-8 JSON") from None
    try:
        obj = json.loads(text)
        return obj if isinstance(obj, list) else [obj]
    except json.JSONDecodeError:
        return [json.loads(line) for line in text.splitlines() if line.strip()]


def from_store(store, progress=None) -> nx.MultiDiGraph:
    """The same graph from a store, by SPARQL. ``progress(done, total)`` after each of its reads."""
    g = nx.MultiDiGraph()
    step = (lambda done: progress(done, 6)) if progress else (lambda done: None)  # noqa: E731
    from .rdf import type_iri
    types = {type_iri(t.id): t.id for t in tables.doc_types().values()}
    for r in store.select("""SELECT ?doc ?symbol (SAMPLE(?t) AS ?type) (SAMPLE(?ty) AS ?typeIri) (SAMPLE(?dt) AS ?date) (SAMPLE(?i) AS ?issuer)
            (SAMPLE(?ti) AS ?title) (SAMPLE(?b) AS ?body) (SAMPLE(?k) AS ?kind) (SAMPLE(?tc) AS ?tcode) (SAMPLE(?ic) AS ?icode) WHERE {
            ?doc eli:id_local ?symbol ; a ?k . FILTER(?k IN (kg:PartyDocument, kg:StateDocument))
            OPTIONAL { ?doc eli:type_document ?ty OPTIONAL { ?ty skos:prefLabel ?t FILTER(lang(?t) = "vi") } }
            OPTIONAL { ?doc eli:date_document ?dt } OPTIONAL { ?doc kg:issuerName ?i }
            OPTIONAL { ?doc eli:passed_by/skos:prefLabel ?b FILTER(lang(?b) = "vi") } OPTIONAL { ?doc eli:title ?ti }
            OPTIONAL { ?doc kg:typeCode ?tc } OPTIONAL { ?doc kg:issuerCode ?ic }
            } GROUP BY ?doc ?symbol"""):
        g.add_node(r["doc"], **_doc_attrs({
            "symbol": r["symbol"], "doc_type": r["type"], "doc_type_id": types.get(r["typeIri"]), "date": r["date"],
            "issuer": r["issuer"], "title": r["title"], "issuer_code": r["icode"], "type_code": r["tcode"], "body": r["body"],
            "system": "state" if r["kind"].endswith("StateDocument") else "party"}))
    step(1)
    for r in store.select("SELECT ?r ?file WHERE { ?r a kg:Report ; dct:source ?file }"):
        if r["r"] not in g:
            g.add_node(r["r"], kind="report", label=Path(r["file"]).name, path=r["file"], paths=[r["file"]], symbol=None)
        elif r["file"] not in g.nodes[r["r"]]["paths"]:
            g.nodes[r["r"]]["paths"].append(r["file"])
    for r in store.select("""SELECT ?r ?own ?date WHERE { ?r a kg:Report .
            OPTIONAL { ?r kg:ownDocument ?own } OPTIONAL { ?r eli:date_document ?date } }"""):
        if r["r"] in g:
            g.nodes[r["r"]].update(own=r.get("own"), date=r.get("date"))
    step(2)
    for r, d, _ in store.pairs(ELI + "cites"):  # read by position: 3x the select's speed
        if d in g and r in g and g.nodes[r].get("kind") == "report":
            g.add_edge(r, d, key="cites", relation="cites")
    step(3)
    from .provisions import sort_key
    found: dict[tuple, dict] = {}
    for r in store.select("""SELECT ?st ?a ?p ?b ?cue ?r ?s0 ?e0 (GROUP_CONCAT(?prov; separator="|") AS ?provisions) WHERE {
            GRAPH ?r { ?st a kg:RelationStatement ; rdf:subject ?a ; rdf:predicate ?p ; rdf:object ?b ; kg:cue ?cue ;
            oa:start ?s0 ; oa:end ?e0 OPTIONAL { ?st kg:provision ?prov } } } GROUP BY ?st ?a ?p ?b ?cue ?r ?s0 ?e0"""):
        if r["r"] in g:
            found[(r["st"], r["r"])] = r
    # Mentions: their documents, then their sentences, each read by position and joined here on
    # the mention (the engine's join, or its COUNT(DISTINCT)/SAMPLE over oa:hasTarget/oa:hasSource,
    # cost 5-10x). A mention's place is in its IRI (<report>/mention/<start>-<end>, kg.rdf), which
    # spares reading its selector: a relation's sentence is that of the last mention of its object
    # inside the statement (a statement spans from its cue or subject to its object's mention).
    wanted = {(r["r"], r["b"]) for r in found.values()}
    body = {(m, rid): d for m, d, rid in store.pairs(OA + "hasBody") if d in g and rid in g}
    spans: dict[tuple, list] = {}
    for m, text, rid in store.pairs(KG + "sentence"):
        d = body.pop((m, rid), None)
        if d is None:
            continue
        at = _mention_span(m, rid)
        spans.setdefault((rid, d), []).append((at or (-1, -1), text))
    del body
    names = {n: a["label"] for n, a in g.nodes(data=True) if a.get("kind") == "report"}
    seen_names: dict[str, set] = {}
    for (rid, d), found_here in sorted(spans.items()):
        node = g.nodes[d]
        found_here.sort()
        node["mentions"] += len(found_here)
        node.setdefault("report_mentions", {})[rid] = len(found_here)
        known = seen_names.setdefault(d, set(node["reports"]))
        if names[rid] not in known:
            known.add(names[rid])
            node["reports"].append(names[rid])
        texts = list(dict.fromkeys(t for _, t in found_here if t))[:5]  # as from files: a report's first 5
        node["sentences"] += [{"report": names[rid], "report_id": rid, "text": t} for t in texts]
        if (rid, d) not in wanted:
            spans[(rid, d)] = None  # only the relations' objects need their places
    step(5)
    for key, r in found.items():
        s0, e0 = int(r["s0"]), int(r["e0"])
        inside = [(me, ms, text) for (ms, me), text in spans.get((r["r"], r["b"])) or () if 0 <= s0 <= ms and me <= e0]
        r["sentence"] = max(inside)[2] if inside else None
    seen = set()  # one edge per statement: a report read under two paths states it once
    for r in sorted(found.values(), key=lambda x: (g.nodes[x["r"]]["path"], x["st"])):
        name = {"ensures_implementation_of": "implements", "amends": "amends", "based_on": "based_on",
                "replaces": "replaces", "repeals": "repeals", "reviews": "reviews", "guides": "guides"}.get(r["p"].rsplit("#", 1)[-1])
        key = (r["a"], name, r["b"], r["cue"], r["r"])
        if name and r["a"] in g and r["b"] in g and key not in seen:
            seen.add(key)
            provisions = sorted(set(filter(None, (r["provisions"] or "").split("|"))), key=sort_key)
            # the report's file name from its node (a join on dct:source inside GRAPH ?r took 3x longer)
            add_relation(g, r["a"], r["b"], name, provisions, cue=r["cue"], report=g.nodes[r["r"]]["label"],
                         report_id=r["r"], sentence=r["sentence"])
    for r in store.select("""SELECT ?doc ?field (GROUP_CONCAT(DISTINCT STR(?v); separator="|") AS ?vals) WHERE {
            ?c a kg:Conflict ; kg:about ?doc ; kg:field ?field ; kg:value ?v } GROUP BY ?doc ?field"""):
        if r["doc"] in g:
            g.nodes[r["doc"]]["conflicts"].append({"field": r["field"], "values": r["vals"].split("|")})
    step(6)
    return g


def _mention_span(mention: str, report: str) -> tuple[int, int] | None:
    """(start, end) from a mention's IRI, ``<report>/mention/<start>-<end>`` (kg.rdf)."""
    head = report + "/mention/"
    if mention.startswith(head):
        a, _, b = mention[len(head):].partition("-")
        if a.isdigit() and b.isdigit():
            return int(a), int(b)
    return None


def document_graph(g: nx.MultiDiGraph) -> nx.DiGraph:
    """Documents only, one edge per related pair: what PageRank and chains run on."""
    d = nx.DiGraph()
    d.add_nodes_from((n, a) for n, a in g.nodes(data=True) if a.get("kind") == "document")
    for a, b, data in g.edges(data=True):
        if data["relation"] != "cites" and a in d and b in d:
            d.add_edge(a, b, relation=data["relation"])
    return d
