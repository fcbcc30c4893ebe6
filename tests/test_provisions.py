"""Pinpoints and partial effects (issue 19 §2): citations carry the provisions the text attaches to
them, relations the provisions of the object they act on, and the RDF, the store, `kg show`, the
lineage graph and the status say "partly repealed (Điều 16–18, by …)", never just "repealed".
Every sentence here is written for these tests."""
import json

import pytest

import kg
from conftest import kg as run_kg
from kg.formats import extraction_json
from kg.graph import from_extractions
from kg.lineage import status
from kg.provisions import compact, merge, path, sort_key


def cited(text: str) -> dict[str, list[str]]:
    """symbol → provisions, for each citation (the last mention of a symbol wins)."""
    return {c.symbol: c.provisions for c in kg.extract(text).citations}


def acted(text: str) -> set[tuple]:
    ex = kg.extract(text)
    symbol = {d.id: d.symbol for d in ex.documents}
    return {(r.predicate, symbol.get(r.object), tuple(r.provisions)) for r in ex.relations}


@pytest.mark.parametrize("text, symbol, provisions", [
    # before the document
    ("Theo Điều 12 Quy định số 366-QĐ/TW ngày 30/8/2025 của Bộ Chính trị, đảng viên phải gương mẫu.",
     "366-QĐ/TW", ["Điều 12"]),
    ("Việc kê khai thực hiện theo khoản 4 Điều 1 Nghị định số 20/2021/NĐ-CP.", "20/2021/NĐ-CP", ["khoản 4 Điều 1"]),
    ("Mức hỗ trợ quy định tại điểm a khoản 2 Điều 3 Thông tư số 07/2022/TT-BNV.", "07/2022/TT-BNV",
     ["điểm a khoản 2 Điều 3"]),
    ("Nội dung nêu ở Mục II Kết luận số 14-KL/TW ngày 22/9/2021 của Bộ Chính trị.", "14-KL/TW", ["Mục II"]),
    ("Cán bộ được đánh giá theo khoản 3 Điều 10 của Luật số 80/2015/QH13.", "80/2015/QH13", ["khoản 3 Điều 10"]),
    # several at once
    ("Xem Điều 16, Điều 17, Điều 18 Thông tư số 41/2025/TT-NHNN về thanh toán.", "41/2025/TT-NHNN",
     ["Điều 16", "Điều 17", "Điều 18"]),
    ("Theo các Điều 16, 17 và 18 Thông tư số 41/2025/TT-NHNN.", "41/2025/TT-NHNN", ["Điều 16", "Điều 17", "Điều 18"]),
    ("Áp dụng khoản 1, khoản 2 Điều 5 Nghị định số 30/2020/NĐ-CP.", "30/2020/NĐ-CP", ["khoản 1 Điều 5", "khoản 2 Điều 5"]),
    ("Áp dụng điểm b, c khoản 1 Điều 8 Nghị định số 30/2020/NĐ-CP.", "30/2020/NĐ-CP",
     ["điểm b khoản 1 Điều 8", "điểm c khoản 1 Điều 8"]),
    ("Áp dụng từ Điều 4 đến Điều 7 Nghị định số 30/2020/NĐ-CP.", "30/2020/NĐ-CP", ["Điều 4", "Điều 5", "Điều 6", "Điều 7"]),
    ("Nêu tại tiết b, điểm 2, mục III Hướng dẫn số 12-HD/BTCTW.", "12-HD/BTCTW", ["tiết b điểm 2 Mục III"]),
    ("Ghi rõ tại Phần thứ hai Chỉ thị số 08-CT/TU.", "08-CT/TU", ["Phần thứ hai"]),
    ("Nêu tại tiểu mục 2.1 Mục 2 Phần IV Nghị quyết số 45-NQ/TW năm 2023.", "45-NQ/TW", ["tiểu mục 2.1 Mục 2 Phần IV"]),
    # after the document
    ("Theo Quyết định số 1210-QĐ/TU ngày 12/3/2024 của Ban Thường vụ Tỉnh ủy tại Điều 2 thì tổ công tác giải thể.",
     "1210-QĐ/TU", ["Điều 2"]),
    ("Luật số 52/2019/QH14 (khoản 2 Điều 5) yêu cầu công khai.", "52/2019/QH14", ["khoản 2 Điều 5"]),
    ("Căn cứ Nghị định số 30/2020/NĐ-CP, tại Điều 8 quy định thể thức văn bản.", "30/2020/NĐ-CP", ["Điều 8"]),
    # case and spacing as the drafting rules write them
    ("Thực hiện  Khoản 2  điều 9 Quyết định số 99-QĐ/TW.", "99-QĐ/TW", ["khoản 2 Điều 9"]),
])
def test_pinpoints_of_a_citation(text, symbol, provisions):
    assert cited(text)[symbol] == provisions


@pytest.mark.parametrize("text, symbol", [
    # the text's own article heading, not a pinpoint of the next citation
    ("Điều 3. Hiệu lực thi hành\nQuyết định số 88-QĐ/TU ngày 1/2/2024 hết hiệu lực.", "88-QĐ/TU"),
    ("**Điều 3.** Quyết định số 88-QĐ/TU ngày 1/2/2024 hết hiệu lực.", "88-QĐ/TU"),
    ("Điều 2:\nKế hoạch số 17-KH/TU được thực hiện.", "17-KH/TU"),
    # words that begin like a unit
    ("Theo Điều lệ Đảng và Chương trình số 06-CTr/TU, mọi đảng viên học tập.", "06-CTr/TU"),
    ("Mục tiêu của Kế hoạch số 21-KH/TU là rõ ràng.", "21-KH/TU"),
    ("Hồ sơ theo danh mục 4 Quyết định số 31-QĐ/TU được lưu.", "31-QĐ/TU"),
    # numbers that do not continue a list
    ("Theo Điều 5, 12 đơn vị thực hiện Kế hoạch số 30-KH/TU.", "30-KH/TU"),
    # a pinpoint of the text's own articles, a word between it and the citation
    ("Điều 2 Quyết định này thay thế Quyết định số 45-QĐ/TU.", "45-QĐ/TU"),
])
def test_no_pinpoint(text, symbol):
    assert cited(text)[symbol] == []


def test_a_pinpoint_belongs_to_one_citation():
    """Between two citations, "tại Điều 2" before the second is the second's."""
    got = cited("Quyết định số 10-QĐ/TU ngày 2/3/2022 tại Điều 2 Nghị định số 15/2020/NĐ-CP quy định rõ.")
    assert got == {"10-QĐ/TU": [], "15/2020/NĐ-CP": ["Điều 2"]}
    got = cited("Bãi bỏ Điều 4 Quyết định số 10-QĐ/TU và Điều 9 Quyết định số 11-QĐ/TU.")
    assert got == {"10-QĐ/TU": ["Điều 4"], "11-QĐ/TU": ["Điều 9"]}


def test_offsets_are_the_original_text():
    text = "Bãi bỏ  Điều 16,\u00a0Điều 17 Thông tư số 41/2025/TT-NHNN ngày 01/7/2025."
    ex = kg.extract(text)
    (c,) = ex.citations
    assert text[c.start:c.end] == c.text and c.text.startswith("Thông tư") and c.provisions == ["Điều 16", "Điều 17"]


def test_relations_carry_the_provisions_they_act_on():
    assert acted("Bãi bỏ Điều 16, Điều 17, Điều 18 Thông tư số 41/2025/TT-NHNN ngày 01/7/2025 của Ngân hàng Nhà nước.") == \
        {("repeals", "41/2025/TT-NHNN", ("Điều 16", "Điều 17", "Điều 18"))}
    assert acted("Sửa đổi, bổ sung Điều 15 của Thông tư số 12/2024/TT-BTC như sau:") == \
        {("amends", "12/2024/TT-BTC", ("Điều 15",))}
    # a list: each object with its own provisions, or none (the whole document)
    assert acted("Bãi bỏ khoản 3 Điều 2 Quyết định số 10-QĐ/TU ngày 1/1/2020 và Quyết định số 11-QĐ/TU ngày 2/1/2020.") == \
        {("repeals", "10-QĐ/TU", ("khoản 3 Điều 2",)), ("repeals", "11-QĐ/TU", ())}


def test_a_pinpoint_after_tai_is_not_what_a_relation_acts_on():
    """"Quyết định A bãi bỏ Quyết định B tại Điều 2" may say where A says so: B is cited with Điều
    2, but the repeal is not taken as partial; in brackets, the pinpoint is B's."""
    text = "Quyết định số 25-QĐ/TU ngày 5/5/2024 bãi bỏ Quyết định số 10-QĐ/TU ngày 1/1/2020 tại Điều 2."
    assert cited(text)["10-QĐ/TU"] == ["Điều 2"] and acted(text) == {("repeals", "10-QĐ/TU", ())}
    text = "Quyết định số 25-QĐ/TU ngày 5/5/2024 bãi bỏ Quyết định số 10-QĐ/TU ngày 1/1/2020 (khoản 1 Điều 2)."
    assert acted(text) == {("repeals", "10-QĐ/TU", ("khoản 1 Điều 2",))}


def test_a_relation_stated_twice():
    """A whole repeal wins over a partial one; an amendment's provisions add up."""
    assert merge("repeals", ["Điều 2"], []) == [] and merge("repeals", ["Điều 2"], ["Điều 3"]) == ["Điều 2", "Điều 3"]
    assert merge("amends", [], ["Điều 15"]) == ["Điều 15"]
    text = ("Bãi bỏ Điều 4 Quyết định số 10-QĐ/TU ngày 1/1/2020. Bãi bỏ Quyết định số 10-QĐ/TU ngày 1/1/2020.\n"
            "Sửa đổi một số điều của Quyết định số 12-QĐ/TU ngày 1/1/2020. Sửa đổi Điều 7 Quyết định số 12-QĐ/TU ngày 1/1/2020.")
    assert acted(text) == {("repeals", "10-QĐ/TU", ()), ("amends", "12-QĐ/TU", ("Điều 7",))}


def test_provisions_in_words_and_paths():
    assert compact(["Điều 16", "Điều 17", "Điều 18", "khoản 2 Điều 5", "Điều 20", "Điều 21"]) == \
        "Điều 16–18, khoản 2 Điều 5, Điều 20, 21"
    assert path("khoản 4 Điều 1") == "dieu-1/khoan-4" and path("Mục II") == "muc-ii"
    assert sorted(["Điều 10", "khoản 1 Điều 2", "Điều 2"], key=sort_key) == ["Điều 2", "khoản 1 Điều 2", "Điều 10"]


AMENDING = """NGÂN HÀNG NHÀ NƯỚC VIỆT NAM
Số: 12/2025/TT-NHNN
Hà Nội, ngày 15 tháng 8 năm 2025

THÔNG TƯ
Sửa đổi một số điều của Thông tư số 41/2025/TT-NHNN

Căn cứ Luật Ngân hàng Nhà nước Việt Nam số 46/2010/QH12;
Căn cứ khoản 2 Điều 8 Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ;

Điều 1. Sửa đổi, bổ sung khoản 2 Điều 5 của Thông tư số 41/2025/TT-NHNN ngày 01 tháng 7 năm 2025 như sau.
Điều 2. Bãi bỏ Điều 16, Điều 17, Điều 18 Thông tư số 41/2025/TT-NHNN ngày 01 tháng 7 năm 2025.
Điều 3. Hiệu lực thi hành
Thông tư này có hiệu lực từ ngày 01 tháng 10 năm 2025 và thay thế Thông tư số 08/2019/TT-NHNN.
"""


def kg_cli(*args):
    return run_kg(*args, text=True)


@pytest.fixture(scope="module")
def amending(tmp_path_factory):
    folder = tmp_path_factory.mktemp("provisions")
    path_ = folder / "tt-12-2025.txt"
    path_.write_text(AMENDING, encoding="utf-8")
    store = folder / "store"
    run = kg_cli("load", str(path_), "--store", str(store))
    assert run.returncode == 0, run.stderr
    return path_, store


def test_json_fields(amending):
    run = kg_cli("extract", str(amending[0]), "--format", "json")
    data = json.loads(run.stdout)
    pins = [c["provisions"] for c in data["citations"] if c["symbol"] == "41/2025/TT-NHNN"]
    assert ["khoản 2 Điều 5"] in pins and ["Điều 16", "Điều 17", "Điều 18"] in pins
    rels = {(r["predicate"], r["object"].rsplit("/", 1)[-1]): r["provisions"] for r in data["relations"]}
    assert rels[("repeals", "41-2025-TT-NHNN")] == ["Điều 16", "Điều 17", "Điều 18"]
    assert rels[("amends", "41-2025-TT-NHNN")] == ["khoản 2 Điều 5"]
    assert rels[("replaces", "08-2019-TT-NHNN")] == []
    # the preamble's basis may name a provision: based_on, with it
    assert rels[("based_on", "30-2020-ND-CP")] == ["khoản 2 Điều 8"]


def test_status_from_files_says_partly(amending):
    g = from_extractions([extraction_json(kg.extract(AMENDING, path="tt.txt"))])
    (node,) = [n for n, a in g.nodes(data=True) if a.get("symbol") == "41/2025/TT-NHNN"]
    st = status(g, node)
    assert st["status"] == "partly repealed"
    assert st["text"] == "partly repealed (Điều 16–18, by 12/2025/TT-NHNN)"
    assert st["text_vi"] == "bị bãi bỏ một phần (Điều 16–18, bởi 12/2025/TT-NHNN)"
    (whole,) = [n for n, a in g.nodes(data=True) if a.get("symbol") == "08/2019/TT-NHNN"]
    assert status(g, whole)["status"] == "replaced"


@pytest.mark.parametrize("source", ["files", "store"])
def test_kg_show_says_partly(amending, source):
    where = [str(amending[0])] if source == "files" else ["--store", str(amending[1])]
    run = kg_cli("show", "41/2025/TT-NHNN", *where)
    assert run.returncode == 0, run.stderr
    assert "Status: partly repealed (Điều 16–18, by 12/2025/TT-NHNN)" in run.stdout
    assert "bị bãi bỏ một phần" in run.stdout and "repeals (Điều 16–18)" in run.stdout
    assert "amends (khoản 2 Điều 5)" in run.stdout
    view = json.loads(kg_cli("show", "41/2025/TT-NHNN", *where, "--format", "json").stdout)
    assert view["status"]["provisions"] == [{"by": "12/2025/TT-NHNN", "provisions": ["Điều 16", "Điều 17", "Điều 18"]}]


def select(store, sparql):
    from kg.store import open_store
    db = open_store(str(store), read_only=True)
    try:
        return db.select(sparql)
    finally:
        db.close()


def test_sparql_finds_the_provisions(amending):
    rows = select(amending[1], """SELECT ?prov ?part ?label ?doc WHERE {
        ?s a kg:RelationStatement ; rdf:predicate kg:repeals ; rdf:object ?doc ; kg:provision ?prov ; kg:actsOn ?part .
        ?part eli:is_part_of ?doc ; rdfs:label ?label . FILTER(STR(?label) = ?prov) }""")
    assert {r["prov"] for r in rows} == {"Điều 16", "Điều 17", "Điều 18"}
    assert {r["part"] for r in rows} == {f"{r['doc']}/dieu-{n}" for r in rows for n in (16, 17, 18)}
    # the lineage graph: the status and the partial effect
    rows = select(amending[1], """SELECT ?label ?provisions WHERE {
        ?d eli:id_local "41/2025/TT-NHNN" .
        GRAPH <https://kg.example.org/graph/lineage> { ?d kg:status ?st . ?e kg:effectOn ?d ; kg:provisions ?provisions ;
            kg:effectRelation kg:repeals }
        ?st skos:prefLabel ?label FILTER(lang(?label) = "en") }""")
    assert rows == [{"label": "partly repealed", "provisions": "Điều 16–18"}]


def query_rows(store, name, *params):
    args = [a for p in params for a in ("--param", p)]
    run = kg_cli("query", name, *args, "--store", str(store), "--format", "json")
    assert run.returncode == 0, run.stderr
    return [{k: v["value"] for k, v in b.items()} for b in json.loads(run.stdout)["results"]["bindings"]]


def test_named_queries_say_partly(amending):
    got = {(r["symbol"], r["status"], r.get("provisions"), r["by"]) for r in query_rows(amending[1], "status")}
    assert got == {("41/2025/TT-NHNN", "partly repealed", "Điều 16–18", "12/2025/TT-NHNN"),
                   ("41/2025/TT-NHNN", "partly amended", "khoản 2 Điều 5", "12/2025/TT-NHNN"),
                   ("08/2019/TT-NHNN", "replaced", None, "12/2025/TT-NHNN")}
    rows = query_rows(amending[1], "lineage", "symbol=41/2025/TT-NHNN")
    assert {(r["relation"], r.get("provisions")) for r in rows} == {("repeals", "Điều 16–18"), ("amends", "khoản 2 Điều 5")}
    assert {r["status"] for r in rows} == {"partly repealed"}


def test_the_store_validates(amending):
    run = kg_cli("validate", "--store", str(amending[1]))
    assert run.returncode == 0, run.stdout + run.stderr
