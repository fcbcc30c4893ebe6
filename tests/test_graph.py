"""The graph contract (../shared/spec/graph.md), the ontology, SHACL and `kg validate`."""
import json
from pathlib import Path

import pyoxigraph as ox
import rdflib
import pytest

import kg
from conftest import kg as run_kg
from kg.rdf import ELI, KG, SKOS, extraction_quads, scheme_quads, serialise, write_schemes
from kg.validate import memory_store, validate_store

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ("Kết luận số 01-KL/TW, ngày 18/5/2021 của Bộ Chính trị về tiếp tục thực hiện Chỉ thị số 05-CT/TW "
          "ngày 15/5/2016 của Bộ Chính trị. Kế hoạch số 04-KH/CBDV của Chi bộ sơ kết 2 năm thực hiện Kết luận 01-KL/TW.")


def findings(*texts):
    quads = []
    for i, t in enumerate(texts):
        quads += extraction_quads(kg.extract(t, path=f"r{i}.txt"))
    mem = memory_store(quads)
    return validate_store(mem, mem.dump())


def test_ontology_parses_and_aligns_to_eli():
    g = rdflib.Graph().parse(ROOT / "ontology/kg.ttl")
    sub = rdflib.RDFS.subPropertyOf
    assert (rdflib.URIRef(KG + "reviews"), sub, rdflib.URIRef(ELI + "refers_to")) in g
    assert (rdflib.URIRef(KG + "guides"), sub, rdflib.URIRef(ELI + "ensures_implementation_of")) in g
    assert (rdflib.URIRef(KG + "replaces"), sub, rdflib.URIRef(ELI + "repeals")) in g
    for cls in ("PartyDocument", "StateDocument", "Report"):
        assert (rdflib.URIRef(KG + cls), rdflib.RDFS.subClassOf, rdflib.URIRef(ELI + "Work")) in g
    labelled = {s for s, _, o in g.triples((None, rdflib.RDFS.label, None)) if o.language == "vi"}
    assert all(s in labelled for s in g.subjects(rdflib.RDF.type, rdflib.OWL.ObjectProperty))


def test_committed_schemes_match_the_tables(tmp_path):
    write_schemes(str(tmp_path))
    for name in ("doc-types.ttl", "bodies.ttl"):
        assert (tmp_path / name).read_bytes() == (ROOT / "ontology" / name).read_bytes(), f"regenerate ontology/{name}"


def test_schemes_cover_the_types_of_66_399_and_the_body_hierarchy():
    labels = {q.object.value for q in scheme_quads("type") if q.predicate.value == SKOS + "prefLabel"}
    for word in ["Cương lĩnh", "Điều lệ", "Chiến lược", "Nghị quyết", "Quyết định", "Chỉ thị", "Kết luận", "Quy chế",
                 "Quy định", "Thông tri", "Hướng dẫn", "Thông báo", "Thông cáo", "Tuyên bố", "Lời kêu gọi", "Báo cáo",
                 "Kế hoạch", "Quy hoạch", "Chương trình", "Đề án", "Phương án", "Dự án", "Tờ trình", "Công văn", "Biên bản"]:
        assert word in labels
    broader = {(q.subject.value.rsplit("/", 1)[1], q.object.value.rsplit("/", 1)[1])
               for q in scheme_quads("body") if q.predicate.value == SKOS + "broader"}
    assert ("btv-thanh-uy", "thanh-uy") in broader and ("bo-chinh-tri", "bch-tw") in broader


@pytest.mark.parametrize("fmt,parser", [("ttl", "turtle"), ("nt", "nt"), ("nq", "nquads"), ("trig", "trig"), ("jsonld", "json-ld")])
def test_every_rdf_format_parses(fmt, parser):
    data = serialise(extraction_quads(kg.extract(SAMPLE, path="a.txt")), fmt)
    g = rdflib.Dataset() if fmt in {"nq", "trig", "jsonld"} else rdflib.Graph()
    g.parse(data=data, format=parser)
    assert len(g) > 0 or sum(1 for _ in g.quads()) > 0
    if fmt in {"nq", "trig"}:
        graphs = {c.identifier for c in g.graphs() if len(c)}
        assert any(str(x).startswith("https://kg.example.org/report/") for x in graphs)


def test_no_blank_nodes_and_iris_carry_the_year():
    quads = extraction_quads(kg.extract(SAMPLE, path="a.txt"))
    assert not any(isinstance(t, ox.BlankNode) for q in quads for t in (q.subject, q.object))
    docs = {q.subject.value for q in quads if q.predicate.value == ELI + "id_local"}
    assert "https://kg.example.org/doc/01-KL-TW-2021" in docs and "https://kg.example.org/doc/05-CT-TW-2016" in docs


def test_clean_extraction_has_no_findings():
    assert findings(SAMPLE) == []


def test_validate_finds_anachronisms_and_impossible_dates():
    # kg extract drops a relation that runs back in time (with a warning) ...
    text = ("Kế hoạch số 02-KH/TU, ngày 01/02/2020 của Ban Thường vụ Tỉnh ủy về thực hiện Nghị quyết số "
            "09-NQ/TW, ngày 01/02/2022 của Bộ Chính trị. Chỉ thị số 03-CT/TW ngày 31/02/2021 của Ban Bí thư.")
    ex = kg.extract(text, path="r0.txt")
    assert ex.relations == [] and any("before 2022-02-01" in w for w in ex.warnings)
    # ... but a graph can still hold one (a later report dates the object): validate finds it
    ex = kg.extract(text.replace(", ngày 01/02/2022", ""), path="r0.txt")
    for d in ex.documents:
        if d.symbol == "09-NQ/TW":
            d.date = "2022-02-01"
    mem = memory_store(extraction_quads(ex))
    checks = {(x.check, x.symbol) for x in validate_store(mem, mem.dump())}
    assert ("anachronism", "02-KH/TU") in checks
    assert ("impossible-date", "03-CT/TW") in checks


def test_validate_finds_conflicts_across_reports_and_shacl_catches_them():
    f = findings("Chỉ thị số 12-CT/TW, ngày 02/3/2022 của Ban Bí thư.", "Chỉ thị số 12-CT/TW, ngày 05/3/2022 của Ban Bí thư.")
    checks = {(x.check, x.symbol) for x in f}
    assert ("date-conflict", "12-CT/TW") in checks
    assert ("shacl", "12-CT/TW") in checks


def test_validate_finds_type_word_against_code_and_unknown_codes():
    f = findings("Chỉ thị số 07-NQ/TW của Bộ Chính trị; Kết luận số 03-KL/XYZQ.")
    checks = {(x.check, x.symbol) for x in f}
    assert ("type-code", "07-NQ/TW") in checks
    assert ("unknown-code", "03-KL/XYZQ") in checks


def test_validate_cli_strict_and_json(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text("Chỉ thị số 07-CT/TU, ngày 07/12/2021 về điểm nóng. Chỉ thị số 07-CT/TU, ngày 08/9/2021 về điểm nóng.",
                   encoding="utf-8")
    run = run_kg("validate", str(bad), "--format", "json", "--strict")
    assert run.returncode == 1
    out = json.loads(run.stdout)
    assert out[0]["check"] == "date-conflict" and "07-CT/TU" in out[0]["sentence"]
    good = tmp_path / "good.txt"
    good.write_text(SAMPLE, encoding="utf-8")
    assert run_kg("validate", str(good), "--strict").returncode == 0
