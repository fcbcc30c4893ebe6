"""`kg stats`, `kg export`, `kg annotate` and the notebook."""
import csv
import json
import xml.etree.ElementTree as ET

import networkx as nx

from conftest import ROOT, SEED
from conftest import kg as run_kg

XSS = "</script><img src=x onerror=alert(1)>"


def kg(*args):
    run = run_kg(*args)
    assert run.returncode == 0, run.stderr
    return run


def test_stats_ranks_chains_counts_and_errors():
    out = json.loads(kg("stats", str(SEED), "--format", "json").stdout)
    assert out["most_cited"][0]["symbol"] == "01-KL/TW" and out["most_cited"][0]["mentions"] == 29
    assert ["07-NQ/TU", "17-CTr/ĐUK", "03-KH/CBDV"] in out["chains"]
    # a chain follows one relation: the plans review 01-KL/TW, they do not implement it (issue 12 #8)
    assert not any("04-KH/CBDV" in c or "05-KH/CBDV" in c for c in out["chains"])
    assert any(c[0] == "01-KL/TW" and c[1] in {"04-KH/CBDV", "05-KH/CBDV", "22-BC/CBDV"}
               for c in out["chains_by_relation"]["reviews"])
    assert dict(out["counts"]["type"])["Kết luận"] == 3
    assert "07-CT/TU" in out["undated"]
    assert {"kind": "conflict", "documents": ["07-CT/TU"], "message": "date: 2021-12-07 ≠ 2021-09-08"} in out["errors"]


def test_stats_finds_cycles_and_anachronisms(tmp_path):
    # kg extract never states a relation that runs back in time (it drops it with a warning); a
    # JSON file edited by hand, or written by an older kg, can: stats reads it and says so
    f = tmp_path / "r.txt"
    f.write_text("Kế hoạch số 02-KH/TU của Ban Thường vụ Tỉnh ủy về thực hiện Nghị quyết số 09-NQ/TU.\n\n"
                 "Nghị quyết số 09-NQ/TU về thực hiện Kế hoạch số 02-KH/TU.", encoding="utf-8")
    ex = json.loads(kg("extract", str(f), "--format", "json").stdout)
    for d in ex["documents"]:
        d["date"] = {"02-KH/TU": "2020-02-01", "09-NQ/TU": "2022-02-01"}[d["symbol"]]
    j = tmp_path / "r.json"
    j.write_text(json.dumps(ex, ensure_ascii=False), encoding="utf-8")
    kinds = {e["kind"] for e in json.loads(kg("stats", str(j), "--format", "json").stdout)["errors"]}
    assert {"cycle", "anachronism"} <= kinds


def test_export_graphml_gexf_csv_keep_vietnamese(tmp_path):
    kg("export", str(SEED), "--format", "graphml", "--out", str(tmp_path / "g.graphml"))
    g = nx.read_graphml(tmp_path / "g.graphml")
    assert g.nodes["https://kg.example.org/doc/01-KL-TW-2021"]["doc_type"] == "Kết luận"
    kg("export", str(SEED), "--format", "gexf", "--out", str(tmp_path / "g.gexf"))
    assert "Quy định" in (tmp_path / "g.gexf").read_text(encoding="utf-8")
    ET.parse(tmp_path / "g.gexf")
    kg("export", str(SEED), "--format", "csv", "--out", str(tmp_path / "csv"))
    with open(tmp_path / "csv" / "nodes.csv", encoding="utf-8-sig", newline="") as f:
        nodes = list(csv.DictReader(f))
    assert any(n["symbol"] == "11-QĐi/TW" and n["issuer"] == "Bộ Chính trị" for n in nodes)
    with open(tmp_path / "csv" / "edges.csv", encoding="utf-8-sig", newline="") as f:
        edges = list(csv.DictReader(f))
    # eight between cited documents, one from the report itself ("Thực hiện Hướng dẫn số 19-HD/ĐUK …")
    assert sum(1 for e in edges if e["relation"] == "implements") == 9


def test_annotate_highlights_every_citation_with_exact_offsets(tmp_path, seed_text, seed_extraction):
    import html as htmlmod
    out = tmp_path / "a.html"
    kg("annotate", str(SEED), "--out", str(out), "--graph", "graph.html")
    page = out.read_text(encoding="utf-8")
    import re
    cits = re.findall(r'<a class="cit"[^>]*href="graph.html#([^"]+)"[^>]*>(.*?)</a>', page, re.S)
    assert len(cits) == len(seed_extraction.citations)
    assert [htmlmod.unescape(t) for _, t in cits] == [c.text for c in seed_extraction.citations]
    assert page.count('<mark class="rel"') >= 8
    body = re.search(r'<main id="text">(.*)</main>', page, re.S).group(1)
    assert htmlmod.unescape(re.sub(r"<[^>]+>", "", body)) == seed_text


def test_annotate_escapes_hostile_text(tmp_path):
    f = tmp_path / "evil.txt"
    f.write_text(f"Chỉ thị số 01-CT/TW về “{XSS}” {XSS}", encoding="utf-8")
    out = tmp_path / "evil.html"
    kg("annotate", str(f), "--out", str(out))
    page = out.read_text(encoding="utf-8")
    assert "<img" not in page and "&lt;img src=x" in page
    data = page.split('id="kg-docs">')[1].split("</script>")[0]
    assert "<" not in data and json.loads(data)


def test_notebook_runs_top_to_bottom():
    import nbformat
    from nbclient import NotebookClient
    path = ROOT / "notebooks" / "explore.ipynb"
    nb = nbformat.read(path, as_version=4)
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code"), "commit the notebook without outputs"
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(ROOT / "notebooks")}}).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    assert any("image/png" in o.get("data", {}) for o in outputs)
    assert any("text/html" in o.get("data", {}) for o in outputs)


def test_the_texts_own_document_is_drawn_with_its_relations(tmp_path, shared):
    out = tmp_path / "g.json"
    run = kg("extract", str(shared / "devset/docs/hethongphapluat_06-HD-UBKTTW.txt"), "--format", "json", "--out", str(out))
    assert run.returncode == 0, run.stderr
    from kg.graph import from_extractions, load_json_extractions
    g = from_extractions(load_json_extractions(str(out)))
    own = "https://kg.example.org/doc/06-HD-UBKTTW-2018"
    assert g.nodes[own]["symbol"] == "06-HD/UBKTTW" and g.nodes[own]["kind"] == "document"
    # the title says it guides 07-QĐi/TW, a "Căn cứ" line that it rests on it too
    assert {(g.nodes[b]["symbol"], k) for _, b, k in g.out_edges(own, keys=True)} == {
        ("07-QĐi/TW", "guides"), ("07-QĐi/TW", "based_on"), ("30-QĐ/TW", "based_on")}


def test_graphml_keeps_numbers_and_has_pagerank(tmp_path):
    kg("export", str(SEED), "--format", "graphml", "--out", str(tmp_path / "g.graphml"))
    g = nx.read_graphml(tmp_path / "g.graphml")
    node = g.nodes["https://kg.example.org/doc/01-KL-TW-2021"]
    assert node["mentions"] == 29 and isinstance(node["pagerank"], float) and node["pagerank"] > 0
