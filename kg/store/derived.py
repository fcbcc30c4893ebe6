"""The derived graphs: the ontology graph, identity (owl:sameAs between an undated and a dated
document), lineage (status, inverses, lags) and index (the rows slow named queries would join),
each computed from the documents graph and redone whole after a load."""
from __future__ import annotations

import pyoxigraph as ox

from ..rdf import DOCUMENTS_GRAPH, ELI, KG, VOCAB, ascii_slug, scheme_quads
from .graphs import (IDENTITY_GRAPH, INDEX_GRAPH, LINEAGE_GRAPH, ONTOLOGY_DIR, ONTOLOGY_GRAPH, OWL_SAME_AS, RDF_TYPE,
                     XSD_DATE, XSD_DECIMAL, XSD_INTEGER)


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



def _values(var: str, iris) -> str:
    return f"VALUES ?{var} {{ " + " ".join(f"<{i}>" for i in iris) + " }"



def _chunks(items: list, size: int):
    for i in range(0, len(items), size):
        yield items[i:i + size]


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



RELATION_NAMES = {ELI + "ensures_implementation_of": "implements", ELI + "amends": "amends", ELI + "based_on": "based_on",
                  KG + "replaces": "replaces", KG + "repeals": "repeals", KG + "reviews": "reviews", KG + "guides": "guides"}


def lineage_quads(store) -> list[ox.Quad]:
    """The lineage graph (status, inverses, lags; see `kg.lineage.lineage_triples`), derived in
    Python from two reads of the documents graph."""
    from ..lineage import lineage_triples, partial_effects
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

