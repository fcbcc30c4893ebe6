"""The store at scale: the index graph the fast named queries read must say what the reports say.

A synthetic corpus of 300 reports (bench/synth.py) is loaded once; each precomputed query is
compared with the query it replaced, which joins every mention and citation (slow at 100 k
reports, exact at any size).
"""
import json
import sys
from pathlib import Path

import pytest

from kg.query import apply_params, named_queries
from kg.store import LocalStore

ROOT = Path(__file__).resolve().parents[1]
#: Enough reports that reports-citing-body's top 100 is a cut for every body tested and the
#: documents graph holds hundreds of documents, each cited by many reports (how long a load of
#: 100 k reports takes is bench/bench_store.py's to measure).
REPORTS = 300

#: The queries as they were before the index graph: computed from the report graphs.
CONFLICTS_FROM_MENTIONS = """
SELECT ?symbol ?field ?values (GROUP_CONCAT(DISTINCT ?path; separator=" | ") AS ?where) WHERE {
  { { SELECT ?r ?doc ?field (GROUP_CONCAT(DISTINCT STR(?v); separator=" ≠ ") AS ?values) WHERE {
        GRAPH ?r { ?c a kg:Conflict ; kg:about ?doc ; kg:field ?field ; kg:value ?v } } GROUP BY ?r ?doc ?field }
    GRAPH ?r { ?r dct:source ?path }
  } UNION {
    { SELECT ?doc (GROUP_CONCAT(STR(?d); separator=" ≠ ") AS ?values) WHERE {
        GRAPH <https://kg.example.org/graph/documents> { ?doc eli:date_document ?d } } GROUP BY ?doc HAVING (COUNT(?d) > 1) }
    BIND("date" AS ?field) BIND("across reports" AS ?path)
  }
  GRAPH <https://kg.example.org/graph/documents> { ?doc eli:id_local ?symbol }
} GROUP BY ?symbol ?field ?values ?r"""
BODY_FROM_CITATIONS = """
SELECT ?report (GROUP_CONCAT(DISTINCT ?path; separator=" | ") AS ?file) ?documents WHERE {
  { SELECT ?report (COUNT(*) AS ?documents) WHERE {
      VALUES ?label { "%s"@vi }
      GRAPH <https://kg.example.org/graph/ontology> { ?body skos:prefLabel ?label }
      GRAPH <https://kg.example.org/graph/documents> { ?doc eli:passed_by ?body }
      GRAPH ?report { ?report eli:cites ?doc } } GROUP BY ?report }
  GRAPH ?report { ?report dct:source ?path }
} GROUP BY ?report ?documents"""


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    sys.path.insert(0, str(ROOT / "bench"))
    from synth import generate
    from kg.load import load
    base = tmp_path_factory.mktemp("scale")
    generate(base / "reports", REPORTS)
    store = LocalStore(str(base / "store"))
    load([str(base / "reports")], store)
    yield store, base / "reports"
    store.close()


def rows(store, sparql):
    """Rows as comparable strings (the values of a conflict in sorted order)."""
    out = []
    for r in store.select(sparql):
        if "values" in r:
            r["values"] = " ≠ ".join(sorted(r["values"].split(" ≠ ")))
        out.append(json.dumps(r, sort_keys=True, ensure_ascii=False))
    return out


def named(name, **params):
    text = named_queries()[name].read_text(encoding="utf-8")
    return apply_params(text, params) if params else text


def test_conflict_rows_are_the_conflicts_the_mentions_show(synthetic):
    store, _ = synthetic
    expected = rows(store, CONFLICTS_FROM_MENTIONS)
    got = rows(store, named("conflicts"))
    assert 0 < len(expected) <= 1000  # under the query's limit: the two must agree row for row
    assert sorted(got) == sorted(expected)
    assert any('"across reports"' in r for r in got)  # (a conflict inside one report: test_store, on the corpus)
    symbols = [json.loads(r)["symbol"] for r in got]
    assert symbols == sorted(symbols)


@pytest.mark.parametrize("body", ["Bộ Chính trị", "Ban Thường vụ Tỉnh ủy", "Chi bộ"])
def test_body_counts_are_the_top_of_the_citations(synthetic, body):
    store, _ = synthetic
    everything = [json.loads(r) for r in rows(store, BODY_FROM_CITATIONS % body)]
    top = sorted(everything, key=lambda r: (-int(r["documents"]), r["file"]))[:100]  # ties cut by file name
    got = store.select(named("reports-citing-body", body=body))
    assert len(everything) > 100  # the cut matters
    assert got == [{"file": r["file"], "documents": r["documents"]} for r in top]


def test_report_cites_finds_a_report_by_its_exact_name_or_path(synthetic):
    store, folder = synthetic
    path = sorted(folder.rglob("*.txt"))[7]
    by_name = store.select(named("report-cites", file=path.name))
    by_path = store.select(named("report-cites", file=str(path)))
    direct = store.select(f"""SELECT ?symbol WHERE {{ GRAPH ?r {{ ?r dct:source "{path}" ; eli:cites ?d }}
        GRAPH <https://kg.example.org/graph/documents> {{ ?d eli:id_local ?symbol }} }}""")
    assert by_name == by_path and len(by_name) >= len(direct) > 0  # (a document dated twice is two rows)
    assert {r["symbol"] for r in by_name} == {r["symbol"] for r in direct}
    assert store.select(named("report-cites", file=path.name[:-5])) == []  # a part is not a name
    found = store.select(named("reports", file=path.name[:-5]))  # … it is what `reports` searches
    assert str(path) in {r["file"] for r in found} and 1 < len(found) <= 10


def test_mention_counts_are_the_mentions(synthetic):
    store, _ = synthetic
    counted = {r["d"]: r["n"] for r in store.select(
        "SELECT ?d ?n WHERE { GRAPH <https://kg.example.org/graph/documents> { ?d kg:mentionCount ?n } }")}
    mentions = {r["d"]: r["n"] for r in store.select(
        "SELECT ?d (COUNT(?m) AS ?n) WHERE { GRAPH ?r { ?m a kg:Mention ; oa:hasBody ?d } } GROUP BY ?d")}
    assert counted == mentions and len(counted) > 2 * REPORTS


def test_a_mention_is_one_selector_node_in_its_reports_graph(synthetic):
    store, folder = synthetic
    (row,) = store.select("""SELECT ?r ?file ?start ?end ?exact (COUNT(?sel) AS ?selectors) WHERE {
        GRAPH ?r { ?m a kg:Mention ; oa:hasTarget ?t . ?t oa:hasSource ?r ; oa:hasSelector ?sel .
                   ?sel a oa:TextPositionSelector , oa:TextQuoteSelector ; oa:start ?start ; oa:end ?end ; oa:exact ?exact .
                   ?r dct:source ?file } } GROUP BY ?r ?file ?start ?end ?exact ORDER BY ?file ?start LIMIT 1""")
    assert row["selectors"] == "1"
    text = Path(row["file"]).read_text(encoding="utf-8")
    assert text[int(row["start"]):int(row["end"])] == row["exact"]


def test_a_large_load_asks_for_jemalloc_only_where_it_can_have_it(tmp_path, monkeypatch):
    """`kg load` of a large corpus starts again with jemalloc preloaded (10 % faster), unless told
    not to, already so, or the machine has none; small loads never pay for a second start."""
    import kg.load as kg_load
    lib = tmp_path / "libjemalloc.so.2"
    lib.write_bytes(b"")
    monkeypatch.setattr(kg_load, "JEMALLOC", (str(tmp_path / "absent.so"), str(lib)))
    argv = ["python", "-m", "kg", "load", "reports/"]
    again = kg_load.jemalloc_command(argv, {"PATH": "/bin", "LD_PRELOAD": "/x/other.so"})
    assert again == (argv, {"PATH": "/bin", "LD_PRELOAD": f"{lib} /x/other.so"})
    assert kg_load.jemalloc_command(argv, again[1]) is None            # no second restart
    assert kg_load.jemalloc_command(argv, {"KG_MALLOC": "system"}) is None
    monkeypatch.setattr(kg_load, "JEMALLOC", (str(tmp_path / "absent.so"),))
    assert kg_load.jemalloc_command(argv, {}) is None

    folder = tmp_path / "reports"
    (folder / "a" / "b").mkdir(parents=True)
    for i in range(5):
        (folder / "a" / "b" / f"{i}.txt").write_text("Chỉ thị 05-CT/TW", encoding="utf-8")
    assert not kg_load.is_large([str(folder)])
    monkeypatch.setattr(kg_load, "LARGE_FILES", 5)
    assert kg_load.is_large([str(folder)])
    monkeypatch.setattr(kg_load, "LARGE_FILES", 1000)
    monkeypatch.setattr(kg_load, "LARGE_BYTES", 40)
    assert kg_load.is_large([str(folder / "a")]) and not kg_load.is_large([str(folder / "a" / "b" / "0.txt")])
