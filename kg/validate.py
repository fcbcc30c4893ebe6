"""`kg validate`: SHACL shapes (pyshacl) and domain checks over extractions or a store.

Everything runs on RDF, so one set of checks serves both: extractions are loaded into an
in-memory Oxigraph store with the ontology (`memory_store`); a store is read as it is.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass


from . import tables
from .store import ONTOLOGY_DIR, LocalStore, ontology_quads

FOUNDED = "1930-02-03"


@dataclass
class Finding:
    severity: str        # "violation" or "warning"
    check: str           # shacl | date-conflict | anachronism | future-date | impossible-date | type-code | unknown-code
    symbol: str | None
    message: str
    sentence: str | None = None
    report: str | None = None
    sentences: list[str] | None = None  # a conflict: one sentence for each value the mentions disagree on

    def as_dict(self) -> dict:
        return asdict(self)


def excerpt(sentence: str, symbol: str | None, width: int = 180) -> str:
    """The words around the mention of ``symbol`` in a sentence (not the sentence's start, which
    may be lines away from it), cut at spaces, with "…" where text was left out."""
    import unicodedata
    text = " ".join(unicodedata.normalize("NFC", sentence).split())
    if len(text) <= width:
        return text
    at = text.find(symbol) if symbol else -1
    if at < 0 and symbol:
        at = text.casefold().find(symbol.casefold())
    if at < 0:
        at = 0
    start = max(0, at - width // 2)
    end = min(len(text), start + width)
    start = max(0, end - width)
    if start:
        cut = text.find(" ", start, at if at > start else start + 20)
        start = cut + 1 if cut >= 0 else start
    if end < len(text):
        cut = text.rfind(" ", max(start, at + len(symbol or "")), end)
        end = cut if cut > 0 else end
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")


_STATED = {"date": "kg:statedDate", "issuer": "kg:statedIssuer", "type": "kg:statedType"}


def _disagreeing(store, doc_iri: str, field: str, report: str | None = None) -> list[str]:
    """One sentence for each value the mentions of a document state for a field (in one report,
    or in all): the sentences that disagree."""
    prop = _STATED.get(field)
    if not prop:
        return []
    where = f"FILTER(?r = <{report}>)" if report else ""
    rows = store.select(f"""SELECT ?v ?s ?file WHERE {{ ?m oa:hasBody <{doc_iri}> ; {prop} ?v ; kg:sentence ?s ;
        oa:hasTarget/oa:hasSource ?r . ?r dct:source ?file {where} }} ORDER BY ?v ?file ?s""")
    first: dict[str, str] = {}
    for r in rows:
        first.setdefault(r["v"], r["s"])
    return list(first.values())


def memory_store(quads) -> LocalStore:
    """Extraction quads plus the ontology in an in-memory Oxigraph store."""
    store = LocalStore(None)
    store.db.extend(quads)
    store.db.extend(ontology_quads())
    return store


def _sentence(store, doc_iri: str, report: str | None = None) -> tuple[str | None, str | None]:
    where = f"FILTER(?r = <{report}>)" if report else ""
    rows = store.select(f"""SELECT ?s ?file WHERE {{ ?m oa:hasBody <{doc_iri}> ; kg:sentence ?s ;
        oa:hasTarget/oa:hasSource ?r . ?r dct:source ?file {where} }} ORDER BY ?file LIMIT 1""")
    return (rows[0]["s"], rows[0]["file"]) if rows else (None, None)


def _unequal(values: str) -> str:
    """GROUP_CONCAT's "|"-joined values as "a ≠ b" (joined here: Virtuoso narrows a "≠" separator to "?")."""
    return " ≠ ".join(sorted(values.split("|")))


def domain_checks(store, today: dt.date | None = None) -> list[Finding]:
    today_s = (today or dt.date.today()).isoformat()
    out: list[Finding] = []
    for r in store.select("""SELECT ?doc ?symbol ?field (GROUP_CONCAT(DISTINCT STR(?v); separator="|") AS ?values) ?r ?file
            WHERE { ?c a kg:Conflict ; kg:about ?doc ; kg:field ?field ; kg:value ?v ; prov:wasDerivedFrom ?r .
                    ?r dct:source ?file . ?doc eli:id_local ?symbol }
            GROUP BY ?doc ?symbol ?field ?r ?file ORDER BY ?symbol"""):
        sentence, _ = _sentence(store, r["doc"], r["r"])
        both = _disagreeing(store, r["doc"], r["field"], r["r"])
        out.append(Finding("violation", f"{r['field']}-conflict", r["symbol"],
                           f"mentions in one report disagree on the {r['field']}: {_unequal(r['values'])}",
                           both[0] if both else sentence, r["file"], both or None))
    for r in store.select("""SELECT ?doc ?symbol (GROUP_CONCAT(DISTINCT STR(?d); separator="|") AS ?dates)
            WHERE { ?doc eli:id_local ?symbol ; eli:date_document ?d } GROUP BY ?doc ?symbol
            HAVING (COUNT(DISTINCT ?d) > 1) ORDER BY ?symbol"""):
        sentence, file = _sentence(store, r["doc"])
        both = _disagreeing(store, r["doc"], "date")
        out.append(Finding("violation", "date-conflict", r["symbol"], f"reports give different dates: {_unequal(r['dates'])}",
                           both[0] if both else sentence, file, both or None))
    for r in store.select("""SELECT DISTINCT ?a ?sa ?p ?sb ?da ?db ?cue ?file WHERE {
            GRAPH ?r { ?st a kg:RelationStatement ; rdf:subject ?a ; rdf:predicate ?p ; rdf:object ?b ; kg:cue ?cue .
                       ?r dct:source ?file }
            ?a eli:id_local ?sa ; eli:date_document ?da . ?b eli:id_local ?sb ; eli:date_document ?db .
            FILTER(?da < ?db) } ORDER BY ?sa"""):
        rel = r["p"].rsplit("#", 1)[-1]
        sentence, _ = _sentence(store, r["a"])
        out.append(Finding("violation", "anachronism", r["sa"],
                           f"{r['sa']} ({r['da']}) {rel} {r['sb']}, issued later ({r['db']}): “{r['cue']}”", sentence, r["file"]))
    for r in store.select(f"""SELECT DISTINCT ?doc ?symbol ?d WHERE {{ ?doc eli:id_local ?symbol ; eli:date_document ?d
            FILTER(?d > "{today_s}"^^xsd:date || ?d < "{FOUNDED}"^^xsd:date) }} ORDER BY ?symbol"""):
        sentence, file = _sentence(store, r["doc"])
        when = "in the future" if r["d"] > today_s else "before the Party existed (3/2/1930)"
        out.append(Finding("violation", "future-date" if r["d"] > today_s else "impossible-date", r["symbol"],
                           f"dated {r['d']}, {when}", sentence, file))
    for r in store.select("""SELECT DISTINCT ?symbol ?x ?s ?file WHERE { ?m kg:rejectedDate ?x ; oa:hasBody ?doc ;
            kg:sentence ?s ; oa:hasTarget/oa:hasSource ?r . ?r dct:source ?file . ?doc eli:id_local ?symbol } ORDER BY ?symbol"""):
        out.append(Finding("violation", "impossible-date", r["symbol"],
                           f"the text dates it {r['x']}, which cannot be right (ignored)", r["s"], r["file"]))
    for r in store.select("""SELECT DISTINCT ?symbol ?code ?type ?s ?file WHERE {
            ?m oa:hasBody ?doc ; kg:statedType ?t ; kg:sentence ?s ; oa:hasTarget/oa:hasSource ?r . ?r dct:source ?file .
            ?doc a kg:PartyDocument ; eli:id_local ?symbol ; kg:typeCode ?code .
            ?t skos:prefLabel ?type FILTER(lang(?type) = "vi")
            FILTER EXISTS { ?t skos:notation ?any }
            FILTER NOT EXISTS { ?t skos:notation ?n FILTER(UCASE(STR(?n)) = UCASE(STR(?code))) } } ORDER BY ?symbol"""):
        out.append(Finding("warning", "type-code", r["symbol"],
                           f"the word says {r['type']} but the code {r['code']} is not that type's", r["s"], r["file"]))
    known_types = {c.upper() for t in tables.doc_types().values() for c in t.codes}
    known_issuers = {c.upper() for c in tables.issuer_codes()}
    for r in store.select("""SELECT DISTINCT ?doc ?symbol ?tc ?ic WHERE { ?doc a kg:PartyDocument ; eli:id_local ?symbol ;
            kg:typeCode ?tc ; kg:issuerCode ?ic } ORDER BY ?symbol"""):
        unknown = []
        if r["tc"].upper() not in known_types:
            unknown.append(f"type code {r['tc']}")
        parts = r["ic"].upper().split("-")
        if any(p not in known_issuers for p in parts):
            unknown.append(f"issuer code {r['ic']}")
        if unknown:
            sentence, file = _sentence(store, r["doc"])
            out.append(Finding("warning", "unknown-code", r["symbol"],
                               " and ".join(unknown) + " not in kg/data/ (a new unit, or an OCR error?)", sentence, file))
    return out


def shacl_checks(nquads: bytes) -> list[Finding]:
    """Run ontology/shapes.ttl with pyshacl over the union of all graphs."""
    import pyshacl
    import rdflib

    ds = rdflib.Dataset()
    ds.parse(data=nquads, format="nquads")
    data = rdflib.Graph()
    for s, p, o, _ in ds.quads((None, None, None, None)):
        data.add((s, p, o))
    shapes = rdflib.Graph().parse(ONTOLOGY_DIR / "shapes.ttl", format="turtle")
    conforms, results, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none", allow_warnings=True)
    if conforms:
        return []
    SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    ELI = rdflib.Namespace("http://data.europa.eu/eli/ontology#")
    out = []
    for res in results.subjects(rdflib.RDF.type, SH.ValidationResult):
        focus = results.value(res, SH.focusNode)
        path = results.value(res, SH.resultPath)
        msg = results.value(res, SH.resultMessage)
        symbol = data.value(focus, ELI.id_local)
        out.append(Finding("violation", "shacl", str(symbol) if symbol else str(focus),
                           f"{msg} [{path.n3(data.namespace_manager) if path is not None else ''}]".strip()))
    return sorted(out, key=lambda f: (f.symbol or "", f.message))


def validate_store(store, nquads: bytes, today: dt.date | None = None) -> list[Finding]:
    return merge_paths(shacl_checks(nquads) + domain_checks(store, today))


def merge_paths(findings: list[Finding]) -> list[Finding]:
    """One finding per report, however many paths the report was seen under (a report is its
    content: the same file loaded from two folders is one report with two paths)."""
    out: dict[tuple, Finding] = {}
    for f in findings:
        key = (f.severity, f.check, f.symbol, f.message, f.sentence)
        if key in out:
            have = out[key]
            if f.report and f.report not in (have.report or "").split(" | "):
                have.report = f"{have.report} | {f.report}" if have.report else f.report
        else:
            out[key] = f
    return list(out.values())
