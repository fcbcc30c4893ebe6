"""`kg show` and the implementation lag (issue 13): a document's relations, status, tree and reports."""
import json

import pytest

import kg
from conftest import SEED
from conftest import kg as run_kg
from kg.formats import extraction_json
from kg.graph import from_extractions
from kg.lineage import find, lag_table, show


def kg_cli(*args):
    return run_kg(*args)


def shown(*args):
    run = kg_cli("show", *args, "--format", "json")
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def tree_rows(nodes, depth=0):
    for n in nodes:
        yield depth, n["document"]["symbol"], n["predicate"], n["lag_days"]
        yield from tree_rows(n["children"], depth + 1)


def test_seed_conclusion_its_tree_and_lag():
    v = shown("01-KL/TW", str(SEED))
    assert v["document"]["date"] == "2021-05-18" and v["status"]["status"] == "no change known"
    rows = set(tree_rows(v["implementation_tree"]))
    assert (0, "04-KH/CBDV", "reviews", 659) in rows  # 8/3/2023 − 18/5/2021
    assert (0, "05-KH/CBDV", "reviews", 1028) in rows
    assert ("implements", "05-CT/TW") in {(r["predicate"], r["document"]["symbol"]) for r in v["relations_out"]}
    assert [(r["mentions"]) for r in v["cited_by"]] == [29]
    assert set(v) >= {"document", "relations_out", "relations_in", "status", "implementation_tree", "cited_by", "conflicts"}


@pytest.mark.parametrize("symbol", ["102-QĐ/TW", "07-QĐi/TW"])
def test_a_replaced_regulation(shared, symbol):
    v = shown(symbol, str(shared / "devset/docs/sonv_ninhthuan_69-QD-TW.txt"))
    st = v["status"]
    assert st["status"] == "replaced" and [d["symbol"] for d in st["by"]] == ["69-QĐ/TW"]
    assert st["since"] == "2022-07-06" and "thay thế" in st["evidence"][0]["sentence"]


def test_show_gives_the_relations_of_the_gold_files(shared):
    """Every gold relation between two cited documents is extracted and shown on both of them (91-QĐ/TW amends a Quy
    định the text names only by its quoted title: the decision that issued that title, 31-QĐ/TW)."""
    shown_pairs, missed = 0, []
    for gold_dir, text_dir in (("gold", "corpus"), ("devset/gold", "devset/docs")):
        for gp in sorted((shared / gold_dir).glob("*.gold.json")):
            gold = json.loads(gp.read_text(encoding="utf-8"))
            text = (shared / text_dir / gold["source"]).read_text(encoding="utf-8")
            g = from_extractions([extraction_json(kg.extract(text, path=gold["source"]))])
            for r in gold["relations"]:
                subject, obj = find(g, r["subject"]), find(g, r["object"])
                if not subject or not obj:
                    continue  # the text's own document, not a cited one
                ins = {(x["predicate"], x["document"]["symbol"]) for x in show(g, obj[0])["relations_in"]}
                outs = {(x["predicate"], x["document"]["symbol"]) for x in show(g, subject[0])["relations_out"]}
                if (r["predicate"], g.nodes[subject[0]]["symbol"]) not in ins:
                    missed.append((gp.name, r["subject"], r["object"]))
                    continue
                assert (r["predicate"], g.nodes[obj[0]]["symbol"]) in outs, (gp.name, r)
                shown_pairs += 1
    assert missed == []
    assert shown_pairs >= 27


def test_unknown_symbol_suggests_near_ones():
    run = kg_cli("show", "01-KL/TX", str(SEED))
    assert run.returncode == 1 and b"did you mean" in run.stderr and b"01-KL/TW" in run.stderr
    run = kg_cli("show", "ket luan 01-kl/tw", str(SEED))  # no diacritics, any case: found
    assert run.returncode == 0


def test_several_documents_share_a_symbol_and_year_picks_one(tmp_path):
    f = tmp_path / "r.txt"
    f.write_text("Chỉ thị số 35-CT/TW, ngày 26/5/2014 của Bộ Chính trị về tiếp dân. "
                 "Chỉ thị số 35-CT/TW, ngày 30/5/2019 của Bộ Chính trị về đại hội.", encoding="utf-8")
    both = shown("35-CT/TW", str(f))
    assert [v["document"]["date"] for v in both] == ["2014-05-26", "2019-05-30"]
    assert shown("35-CT/TW", str(f), "--year", "2019")["document"]["date"] == "2019-05-30"


def test_show_from_a_store_agrees_with_reports(tmp_path):
    store = tmp_path / "st"
    assert kg_cli("load", str(SEED), "--store", str(store)).returncode == 0
    v = shown("01-KL/TW", "--store", str(store))
    assert (0, "04-KH/CBDV", "reviews", 659) in set(tree_rows(v["implementation_tree"]))


def test_lag_table_per_pair_of_levels():
    g = from_extractions([extraction_json(kg.extract(SEED.read_text(encoding="utf-8"), path=str(SEED)))])
    rows = {(r["from"], r["to"]): r for r in lag_table(g)}
    central_cell = rows[("Trung ương", "Chi bộ")]
    assert central_cell["count"] >= 3 and central_cell["q1"] <= central_cell["median"] <= central_cell["q3"]
    assert "01-KL/TW → 04-KH/CBDV (659 days)" in (central_cell["fastest"], central_cell["slowest"]) or central_cell["count"] > 3


@pytest.fixture(scope="module")
def lineage_store(tmp_path_factory, shared):
    store = tmp_path_factory.mktemp("lineage") / "st"
    run = kg_cli("load", str(SEED), str(shared / "devset/docs/sonv_ninhthuan_69-QD-TW.txt"), "--store", str(store))
    assert run.returncode == 0, run.stderr
    return store


def rows(store, name, *params):
    args = [a for p in params for a in ("--param", p)]
    run = kg_cli("query", name, *args, "--store", str(store), "--format", "json")
    assert run.returncode == 0, run.stderr
    return [{k: v["value"] for k, v in b.items()} for b in json.loads(run.stdout)["results"]["bindings"]]


def test_status_query(lineage_store):
    got = {(r["symbol"], r["status"], r["by"], r.get("since")) for r in rows(lineage_store, "status")}
    assert got == {("07-QĐi/TW", "replaced", "69-QĐ/TW", "2022-07-06"), ("102-QĐ/TW", "replaced", "69-QĐ/TW", "2022-07-06")}


def test_lineage_query(lineage_store):
    got = {(r["direction"], r["relation"], r["other"]) for r in rows(lineage_store, "lineage", "symbol=01-KL/TW")}
    assert got == {("out", "implements", "05-CT/TW"), ("in", "reviews", "04-KH/CBDV"),
                   ("in", "reviews", "05-KH/CBDV"), ("in", "reviews", "22-BC/CBDV")}
    assert {r["status"] for r in rows(lineage_store, "lineage", "symbol=102-QĐ/TW")} == {"replaced"}


def test_implementation_lag_query_agrees_with_kg_stats(lineage_store):
    got = {(r["from_level"], r["to_level"]): r for r in rows(lineage_store, "implementation-lag")}
    g = from_extractions([extraction_json(kg.extract(SEED.read_text(encoding="utf-8"), path=str(SEED)))])
    names = {"Trung ương": "central", "Tỉnh ủy / Thành ủy": "province", "Huyện ủy / Đảng ủy": "district", "Chi bộ": "cell"}
    for r in lag_table(g):
        q = got[(names[r["from"]], names[r["to"]])]
        assert (int(q["pairs"]), float(q["median_days"]), float(q["q1_days"]), float(q["q3_days"])) == \
            (r["count"], r["median"], r["q1"], r["q3"])
    assert int(got[("central", "cell")]["pairs"]) >= 4
