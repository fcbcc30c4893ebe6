"""Stage 7: an extraction as RDF quads, in the vocabulary of ../shared/spec/graph.md.

ELI for documents and what they do to each other, SKOS for types and bodies, Web Annotation
and PROV-O for where each mention stands in which report, Dublin Core for the report's file.
Each report is its own named graph (the report's IRI), so reloading a changed report
replaces exactly its quads. IRIs are readable and stable; there are no blank nodes.
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from urllib.parse import quote

import pyoxigraph as ox

from . import tables
from .models import Document, Extraction
from .resolve import DEFAULT_BASE, ascii_slug, canonical_code, report_iri  # noqa: F401 (report_iri: imported from here too)

ELI = "http://data.europa.eu/eli/ontology#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCT = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"
OA = "http://www.w3.org/ns/oa#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
OWL = "http://www.w3.org/2002/07/owl#"
SH = "http://www.w3.org/ns/shacl#"
#: The project's own vocabulary and concept schemes (fixed: --base moves only the instances).
KG = "https://kg.example.org/ontology#"
VOCAB = "https://kg.example.org/"
#: The store's derived graph: every document with the facts all reports state about it.
DOCUMENTS_GRAPH = VOCAB + "graph/documents"

PREFIXES = {"eli": ELI, "skos": SKOS, "dct": DCT, "prov": PROV, "oa": OA, "rdf": RDF,
            "rdfs": RDFS, "xsd": XSD, "owl": OWL, "kg": KG}

#: JSON predicate → (main property, super-property also stated so a query needs no reasoner).
PREDICATES = {
    "implements": (ELI + "ensures_implementation_of", None),
    "amends": (ELI + "amends", None),
    "based_on": (ELI + "based_on", None),
    "replaces": (KG + "replaces", ELI + "repeals"),
    "repeals": (KG + "repeals", ELI + "repeals"),
    "reviews": (KG + "reviews", ELI + "refers_to"),
    "guides": (KG + "guides", ELI + "ensures_implementation_of"),
}


def N(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def type_iri(type_id: str) -> str:
    return f"{VOCAB}type/{type_id}"


def body_iri(body_id: str) -> str:
    return f"{VOCAB}body/{body_id}"


A = N(RDF + "type")


def lit(value: str, lang: str | None = None) -> ox.Literal:
    return ox.Literal(value, language=lang) if lang else ox.Literal(value)


# A report's quads are written as N-Quads text, term by term: building a pyoxigraph object per
# term cost more than the extraction itself when loading a corpus. The IRIs are made here from
# slugs and numbers (and a base the CLI checks), and strict parsing of the result is tested.


def iri_term(iri: str) -> str:
    return f"<{iri}>"


def literal_term(value: str, lang: str | None = None) -> str:
    """A literal in N-Triples syntax (only quote, backslash, LF and CR need escaping)."""
    if "\\" in value or '"' in value or "\n" in value or "\r" in value:  # rare: str.translate is slow
        value = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    text = f'"{value}"'
    return f"{text}@{lang}" if lang else text


def typed_term(value, datatype: str) -> str:
    return f'"{value}"^^<{XSD}{datatype}>'


def document_facts(d) -> list[tuple[str, str]]:
    """What one report says about one document (predicate IRI, object term): class, symbol,
    codes, type, date, issuer, term, title."""
    # kg:PartyDocument / kg:StateDocument are eli:Work subclasses (ontology/kg.ttl); one type
    # triple per document keeps a report's graph small (loading speed is per quad).
    out = [(RDF + "type", iri_term(KG + ("StateDocument" if d.system == "state" else "PartyDocument"))),
           (ELI + "id_local", literal_term(d.symbol))]
    if d.type_code:
        out.append((KG + "typeCode", literal_term(d.type_code)))
    if d.issuer_code:
        out.append((KG + "issuerCode", literal_term(d.issuer_code)))
    if d.doc_type_id:
        out.append((ELI + "type_document", iri_term(type_iri(d.doc_type_id))))
    if d.date:
        out.append((ELI + "date_document", typed_term(d.date, "date")))
    if d.issuer_id:
        out.append((ELI + "passed_by", iri_term(body_iri(d.issuer_id))))
    if d.issuer:
        out.append((KG + "issuerName", literal_term(d.issuer, "vi")))
    if d.term:
        out.append((KG + "term", literal_term(d.term)))
    if d.title:
        out.append((ELI + "title", literal_term(d.title, "vi")))
    return out


def facts_literal(facts: dict[str, list[tuple[str, str]]]) -> str:
    """A report's facts about the documents it describes as one rdf:JSON literal term
    ({document IRI: [[predicate, object term], …], …})."""
    return literal_term(json.dumps(facts, ensure_ascii=False, separators=(",", ":"))) + f"^^<{RDF}JSON>"


def documents_nquads(facts, relations) -> bytes:
    """Quads of the documents graph, each line once: ``facts`` are (document IRI, [(predicate,
    object term), …]) pairs, ``relations`` (subject, main predicate, object) IRIs; a relation's
    ELI super-property is stated too, so a query needs no reasoner."""
    g = iri_term(DOCUMENTS_GRAPH)
    lines: dict[str, None] = {}
    for doc, pairs in facts:
        for p, o in pairs:
            lines[f"<{doc}> <{p}> {o} {g} .\n"] = None
    supers = {main: sup for main, sup in PREDICATES.values() if sup}
    for a, p, b in relations:
        lines[f"<{a}> <{p}> <{b}> {g} .\n"] = None
        if p in supers:
            lines[f"<{a}> <{supers[p]}> <{b}> {g} .\n"] = None
    return "".join(lines).encode("utf-8", "replace")  # (a lone surrogate a caller's str may hold: "?")


def file_name(path: str) -> str:
    """A report file's base name (kg:fileName: `kg query report-cites` finds a report by it)."""
    return path.rstrip("/").rsplit("/", 1)[-1]


def own_document(ex: Extraction) -> Document | None:
    """The text's own document as a `Document` when its header gives a symbol (it is not cited,
    so it has no mentions): the subject of the relations its preamble, title and articles state."""
    src = ex.source_document
    if src is None or not src.symbol or not src.id or any(d.id == src.id for d in ex.documents):
        return None
    t = tables.type_by_word(src.system).get((src.doc_type or "").lower())
    return Document(id=src.id, symbol=src.symbol, system=src.system, number=src.number,
                    type_code=canonical_code(src.type_code), issuer_code=src.issuer_code,
                    doc_type=src.doc_type, doc_type_id=t.id if t else None, date=src.date, issuer=None,
                    issuer_id=None, term=None, title=None, mentions=0)


def described(ex: Extraction) -> list[Document]:
    """The documents a report states facts about: those it cites, and its own."""
    own = own_document(ex)
    return ex.documents + [own] if own else ex.documents


def summary_nquads(ex: Extraction) -> bytes:
    """One report's share of the documents graph: its facts about each document it cites, on the
    document itself, and the relations it states. Adding a report only adds such quads, so a
    load writes them with the report in one batch; removing a report makes the store rebuild
    its documents' facts from the reports that remain (``kg:facts``, the same pairs)."""
    return documents_nquads(((d.id, document_facts(d)) for d in described(ex)),
                            ((r.subject, PREDICATES[r.predicate][0], r.object) for r in ex.relations))


def extraction_nquads(ex: Extraction, base: str = DEFAULT_BASE, *, for_store: bool = False) -> bytes:
    """All quads of one report, in the report's named graph, as N-Quads (UTF-8)."""
    report = report_iri(base, ex.sha256 or "")
    R = f"<{report}>"
    lines: list[str] = []

    def add(s: str, p: str, o: str) -> None:
        lines.append(f"{s} <{p}> {o} {R} .\n")

    a = RDF + "type"
    add(R, a, iri_term(ELI + "Work"))
    add(R, a, iri_term(KG + "Report"))
    add(R, DCT + "source", literal_term(ex.path or "-"))
    add(R, KG + "fileName", literal_term(file_name(ex.path or "-")))
    add(R, KG + "sha256", literal_term(ex.sha256 or ""))
    add(R, KG + "characters", typed_term(ex.chars, "integer"))
    if ex.path:
        add(R, RDFS + "label", literal_term(ex.path.rsplit("/", 1)[-1]))
    src = ex.source_document
    if src:
        if src.symbol:
            add(R, KG + "ownSymbol", literal_term(src.symbol))
        if src.doc_type:
            t = tables.type_by_word("party").get(src.doc_type.lower())
            if t:
                add(R, ELI + "type_document", iri_term(type_iri(t.id)))
        if src.date:
            add(R, ELI + "date_document", typed_term(src.date, "date"))

    own = own_document(ex)
    if own is not None:
        add(R, KG + "ownDocument", f"<{own.id}>")
    stated: dict[str, list[tuple[str, str]]] = {}
    for d in described(ex):
        D = f"<{d.id}>"
        if d is not own:
            add(R, ELI + "cites", D)
        # In a file the facts sit on the document itself. In the store they sit in the documents
        # graph, once for all reports (a union default graph repeats a triple once per graph that
        # holds it); the report keeps what it stated about all its documents as one literal, to
        # rebuild that graph from (a node per document took 2 quads each, 8 % of a report's).
        if for_store:
            stated[d.id] = document_facts(d)
        else:
            for p, o in document_facts(d):
                add(D, p, o)
        for cf in d.conflicts:
            C = f"<{report}/conflict/{ascii_slug(d.symbol)}-{cf.field}>"
            add(C, a, iri_term(KG + "Conflict"))
            add(C, KG + "about", D)
            add(C, KG + "field", literal_term(cf.field))
            for v in cf.values:
                add(C, KG + "value", typed_term(v, "date") if cf.field == "date" else literal_term(str(v), "vi"))
            add(C, PROV + "wasDerivedFrom", R)

    if stated:
        add(R, KG + "facts", facts_literal(stated))

    # Web Annotation, in as few quads as keep it whole (loading costs per quad): one selector node
    # is both the position and the quote selector, and the report the mention came from is its
    # target's oa:hasSource and the graph it sits in (no prov:wasDerivedFrom each). The fixed
    # quads of a mention are one template (a line at a time cost a tenth of a report's load).
    t_type, t_body, t_target, t_source = f"<{a}> <{KG}Mention> {R} .\n", f"<{OA}hasBody>", f"<{OA}hasTarget>", \
        f"<{OA}hasSource> {R} {R} .\n"
    t_sel, t_pos, t_quote = f"<{OA}hasSelector>", f"<{a}> <{OA}TextPositionSelector> {R} .\n", \
        f"<{a}> <{OA}TextQuoteSelector> {R} .\n"
    t_start, t_end, t_int = f"<{OA}start>", f"<{OA}end>", f"^^<{XSD}nonNegativeInteger> {R} .\n"
    t_exact, t_sentence, t_tail = f"<{OA}exact>", f"<{KG}sentence>", f" {R} .\n"
    for c in ex.citations:
        m = f"{report}/mention/{c.start}-{c.end}"
        lines.append(f"<{m}> {t_type}"
                     f"<{m}> {t_body} <{c.document}> {R} .\n"
                     f"<{m}> {t_target} <{m}/target> {R} .\n"
                     f"<{m}/target> {t_source}"
                     f"<{m}/target> {t_sel} <{m}/selector> {R} .\n"
                     f"<{m}/selector> {t_pos}"
                     f"<{m}/selector> {t_quote}"
                     f'<{m}/selector> {t_start} "{c.start}"{t_int}'
                     f'<{m}/selector> {t_end} "{c.end}"{t_int}'
                     f"<{m}/selector> {t_exact} {literal_term(c.text)}{t_tail}"
                     f"<{m}> {t_sentence} {literal_term(c.sentence_text)}{t_tail}")
        M = f"<{m}>"
        if c.date:
            add(M, KG + "statedDate", typed_term(c.date, "date"))
        if c.issuer:
            add(M, KG + "statedIssuer", literal_term(c.issuer, "vi"))
        if c.doc_type_id:
            add(M, KG + "statedType", iri_term(type_iri(c.doc_type_id)))
        if c.short_form:
            add(M, KG + "shortForm", typed_term("true", "boolean"))
        if c.rejected_date:
            add(M, KG + "rejectedDate", literal_term(c.rejected_date))
        for p in c.provisions:  # the pinpoints this mention cites ("khoản 4 Điều 1")
            add(M, KG + "provision", literal_term(p))

    subdivisions: set[str] = set()
    for i, r in enumerate(ex.relations):
        main, sup = PREDICATES[r.predicate]
        if not for_store:  # in the store the documents graph has these (summary_nquads)
            add(f"<{r.subject}>", main, f"<{r.object}>")
            if sup:
                add(f"<{r.subject}>", sup, f"<{r.object}>")
        S = f"<{report}/statement/{r.start}-{r.end}-{quote(r.predicate)}-{i}>"
        add(S, a, iri_term(KG + "RelationStatement"))
        add(S, RDF + "subject", f"<{r.subject}>")
        add(S, RDF + "predicate", iri_term(main))
        add(S, RDF + "object", f"<{r.object}>")
        add(S, KG + "cue", literal_term(r.cue, "vi"))
        add(S, OA + "start", typed_term(r.start, "nonNegativeInteger"))
        add(S, OA + "end", typed_term(r.end, "nonNegativeInteger"))  # in the report's graph: its provenance
        # a partial effect: each provision acted on, as written and as an ELI subdivision of the object
        for p in r.provisions:
            add(S, KG + "provision", literal_term(p))
            add(S, KG + "actsOn", f"<{subdivision_iri(r.object, p)}>")
            add_subdivision(add, r.object, p, subdivisions)
    return "".join(lines).encode("utf-8", "replace")  # (a lone surrogate a caller's str may hold: "?")


def subdivision_iri(document: str, provision: str) -> str:
    """``<document IRI>/dieu-16``, ``…/dieu-1/khoan-4`` (coarsest first, as ELI paths are)."""
    from .provisions import path
    return f"{document}/{path(provision)}"


def add_subdivision(add, document: str, provision: str, done: set[str]) -> None:
    """A provision as an ``eli:LegalResourceSubdivision``: its label as written, ``eli:is_part_of``
    its document and the subdivision that contains it ("khoản 4 Điều 1" is part of "Điều 1")."""
    from .provisions import units
    pairs = units(provision)
    for i in range(1, len(pairs) + 1):
        label = " ".join(f"{u} {n}" for u, n in reversed(pairs[:i]))
        node = f"<{subdivision_iri(document, label)}>"
        if node in done:
            continue
        done.add(node)
        add(node, RDF + "type", iri_term(ELI + "LegalResourceSubdivision"))
        add(node, RDFS + "label", literal_term(label, "vi"))
        add(node, ELI + "is_part_of", f"<{document}>")
        if i > 1:
            parent = " ".join(f"{u} {n}" for u, n in reversed(pairs[:i - 1]))
            add(node, ELI + "is_part_of", f"<{subdivision_iri(document, parent)}>")


def extraction_quads(ex: Extraction, base: str = DEFAULT_BASE, *, concepts: bool = True,
                     for_store: bool = False) -> list[ox.Quad]:
    """All quads of one report as pyoxigraph quads (parsed strictly from ``extraction_nquads``).
    ``concepts`` adds the SKOS concepts the report uses (so a file is self-contained); the store
    keeps them once, in its ontology graph, because a union default graph repeats a triple once
    per graph that holds it."""
    quads = list(ox.parse(extraction_nquads(ex, base, for_store=for_store), format=ox.RdfFormat.N_QUADS))
    if concepts:
        used_types = {d.doc_type_id for d in described(ex) if d.doc_type_id}
        used_bodies = {d.issuer_id for d in ex.documents if d.issuer_id}
        quads.extend(concept_quads(used_types, used_bodies, N(report_iri(base, ex.sha256 or ""))))
    return quads


def union_ntriples(extractions: Iterable[Extraction], base: str = DEFAULT_BASE) -> Iterator[bytes]:
    """N-Triples of several reports' union graph, one report's chunk at a time: the bytes that
    serialising all their triples at once would give (each triple once, where it first came), with
    no more than one report's quads in memory. What is remembered of the triples already written
    is a 16-byte digest each (documents, concepts and relations repeat across reports; a report's
    own nodes repeat when the same bytes come twice)."""
    import hashlib
    seen: set[bytes] = set()
    for ex in extractions:
        new = []
        for line in serialise(extraction_quads(ex, base), "nt").splitlines(keepends=True):
            digest = hashlib.blake2b(line, digest_size=16).digest()
            if digest not in seen:
                seen.add(digest)
                new.append(line)
        yield b"".join(new)


def concept_quads(type_ids, body_ids, graph=None) -> list[ox.Quad]:
    """SKOS concepts for document types and bodies, from the data tables (labels vi and en,
    notation = type code, broader = the body a body is part of)."""
    g = graph or ox.DefaultGraph()
    out: list[ox.Quad] = []
    concept, pref = N(SKOS + "Concept"), N(SKOS + "prefLabel")
    types, bodies = tables.doc_types(), tables.bodies()
    for tid in sorted(type_ids):
        t = types[tid]
        T = N(type_iri(tid))
        out += [ox.Quad(T, A, concept, g), ox.Quad(T, N(SKOS + "inScheme"), N(VOCAB + "type"), g),
                ox.Quad(T, pref, lit(t.vi, "vi"), g), ox.Quad(T, pref, lit(t.en, "en"), g)]
        out += [ox.Quad(T, N(SKOS + "notation"), lit(c), g) for c in t.codes]
    for bid in sorted(body_ids):
        b = bodies[bid]
        B = N(body_iri(bid))
        out += [ox.Quad(B, A, concept, g), ox.Quad(B, N(SKOS + "inScheme"), N(VOCAB + "body"), g),
                ox.Quad(B, pref, lit(b.vi, "vi"), g), ox.Quad(B, pref, lit(b.en, "en"), g)]
        out += [ox.Quad(B, N(SKOS + "altLabel"), lit(v, "vi"), g) for v in b.variants]
        if b.broader:
            out.append(ox.Quad(B, N(SKOS + "broader"), N(body_iri(b.broader)), g))
    return out


SCHEMES = {
    "type": ("Thể loại văn bản", "Document types", "Quy định 66-QĐ/TW, 399-QĐ/TW; Hướng dẫn 36-HD/VPTW"),
    "body": ("Cơ quan ban hành", "Issuing bodies", "Điều lệ Đảng; Quy định 66-QĐ/TW, 399-QĐ/TW"),
}


def scheme_quads(which: str) -> list[ox.Quad]:
    """The whole SKOS concept scheme ("type" or "body") from the data tables."""
    vi, en, source = SCHEMES[which]
    S = N(VOCAB + which)
    g = ox.DefaultGraph()
    out = [ox.Quad(S, A, N(SKOS + "ConceptScheme"), g), ox.Quad(S, N(SKOS + "prefLabel"), lit(vi, "vi"), g),
           ox.Quad(S, N(SKOS + "prefLabel"), lit(en, "en"), g), ox.Quad(S, N(DCT + "source"), lit(source), g)]
    if which == "type":
        concepts = concept_quads(tables.doc_types(), [])
        tops = [N(type_iri(t)) for t in tables.doc_types()]
    else:
        concepts = concept_quads([], tables.bodies())
        tops = [N(body_iri(b.id)) for b in tables.bodies().values() if not b.broader]
    out += concepts
    out += [ox.Quad(S, N(SKOS + "hasTopConcept"), t, g) for t in tops]
    out += [ox.Quad(t, N(SKOS + "topConceptOf"), S, g) for t in tops]
    return out


def write_schemes(folder: str) -> list[str]:
    """Write ontology/doc-types.ttl and ontology/bodies.ttl from kg/data/ (the tables are the source)."""
    import os
    paths = []
    for which, name in (("type", "doc-types.ttl"), ("body", "bodies.ttl")):
        quads = scheme_quads(which)
        triples = sorted({q.triple for q in quads}, key=str)
        header = ("# Generated from kg/data/ by kg.rdf.write_schemes; edit the tables, not this file.\n").encode()
        path = os.path.join(folder, name)
        with open(path, "wb") as f:
            f.write(header + ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES))
        paths.append(path)
    return paths


FORMATS = {
    "ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "nq": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG, "jsonld": ox.RdfFormat.JSON_LD,
}


def serialise(quads: list[ox.Quad], fmt: str) -> bytes:
    """Quads as bytes; triple formats (ttl, nt) drop the graph name (the union)."""
    rdf_format = FORMATS[fmt]
    if rdf_format.supports_datasets:
        return ox.serialize(quads, format=rdf_format, prefixes=PREFIXES) if fmt != "nq" else \
            ox.serialize(quads, format=rdf_format)
    triples = list(dict.fromkeys(q.triple for q in quads))
    if fmt == "nt":
        return ox.serialize(triples, format=rdf_format)
    return ox.serialize(triples, format=rdf_format, prefixes=PREFIXES)
