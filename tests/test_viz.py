"""The HTML graph in a real headless Chromium (Debian's, driven by Playwright: conftest's `browser`)."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SEED
from conftest import kg as run_kg

XSS = "</script><img src=x onerror=alert(1)>"


def open_page(browser, html: Path):
    page = browser.new_page(viewport={"width": 1300, "height": 800})
    log = {"errors": [], "requests": [], "dialogs": []}
    page.on("console", lambda m: log["errors"].append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: log["errors"].append(str(e)))
    page.on("request", lambda r: log["requests"].append(r.url))
    page.on("dialog", lambda d: (log["dialogs"].append(d.message), d.dismiss()))
    page.goto(html.as_uri())
    page.wait_for_function("window.kgNetwork !== undefined")
    return page, log


def kg(*args):
    run = run_kg(*args)
    assert run.returncode == 0, run.stderr
    return run


@pytest.fixture(scope="module")
def seed_html(tmp_path_factory):
    out = tmp_path_factory.mktemp("viz") / "seed.html"
    kg("viz", str(SEED), "--out", str(out))
    return out


def test_seed_graph_renders_offline_with_the_right_counts(browser, seed_html, seed_extraction):
    page, log = open_page(browser, seed_html)
    counts = page.evaluate("window.kgVisibleCount()")
    docs = len(seed_extraction.documents)
    assert counts["nodes"] == docs + 1                                   # + the report itself
    assert counts["edges"] == docs + len(seed_extraction.relations)      # cites + relations
    page.wait_for_timeout(500)
    assert log["errors"] == []
    assert all(u == seed_html.as_uri() for u in log["requests"]), log["requests"]
    page.close()


def test_search_ignores_diacritics_and_case(browser, seed_html):
    page, _ = open_page(browser, seed_html)
    for query in ("ket luan 01", "01-KL", "KẾT LUẬN 01-kl/tw"):
        page.fill("#search", query)
        first = page.locator("#results button").first.text_content()
        assert first.startswith("Kết luận 01-KL/TW"), (query, first)
    page.close()


def test_clicking_a_node_opens_its_panel(browser, seed_html):
    page, _ = open_page(browser, seed_html)
    page.wait_for_timeout(3000)  # physics settles
    node = "https://kg.example.org/doc/05-CT-TW-2016"
    page.evaluate(f"window.kgNetwork.focus({json.dumps(node)}, {{scale: 1.5, animation: false}})")
    pos = page.evaluate(f"""(() => {{ const p = window.kgNetwork.getPositions([{json.dumps(node)}])[{json.dumps(node)}];
        const d = window.kgNetwork.canvasToDOM(p); const r = document.getElementById('network').getBoundingClientRect();
        return {{x: d.x + r.left, y: d.y + r.top}}; }})()""")
    page.mouse.click(pos["x"], pos["y"])
    panel = page.locator("#panel")
    assert "Chỉ thị 05-CT/TW" in panel.locator("h2").text_content()
    assert "2016-05-15" in panel.text_content() and "Bộ Chính trị" in panel.text_content()
    assert page.locator("#panel .sentence").count() >= 1
    page.click("#neighbourhood")
    visible = page.evaluate("window.kgVisibleCount()")
    assert 2 <= visible["nodes"] < 40
    page.close()


def test_filters_in_the_page(browser, seed_html):
    page, _ = open_page(browser, seed_html)
    total = page.evaluate("window.kgVisibleCount()")["nodes"]
    page.select_option("#type", "Chỉ thị")
    chi_thi = page.evaluate("window.kgVisibleCount()")["nodes"]
    assert 1 < chi_thi < total
    page.click("#reset")
    page.fill("#from", "2023")
    assert page.evaluate("window.kgVisibleCount()")["nodes"] < total
    page.close()


def test_xss_payloads_stay_text(browser, tmp_path):
    data = {
        "source": {"path": f"report{XSS}.txt", "sha256": "0" * 64, "chars": 10},
        "source_document": None,
        "citations": [{"text": "Chỉ thị số 01-CT/TW", "start": 0, "end": 19, "document": "https://kg.example.org/doc/01-CT-TW",
                       "sentence": {"start": 0, "end": 19, "text": f"câu {XSS}"}}],
        "documents": [{"id": "https://kg.example.org/doc/01-CT-TW", "symbol": "01-CT/TW", "doc_type": f"Chỉ thị{XSS}",
                       "doc_type_id": "chi-thi", "date": None, "issuer": f"Bộ{XSS}", "title": f"tiêu đề {XSS}",
                       "mentions": 1, "conflicts": [], "system": "party"}],
        "relations": [], "warnings": [],
    }
    src = tmp_path / "evil.json"
    src.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "evil.html"
    kg("viz", str(src), "--out", str(out), "--title", f"t{XSS}")
    page, log = open_page(browser, out)
    page.fill("#search", "01-CT")
    page.click("#results button")
    page.wait_for_timeout(300)
    panel = page.locator("#panel").text_content()
    assert f"tiêu đề {XSS}" in panel and f"câu {XSS}" in panel
    assert page.locator("img").count() == 0
    assert log["dialogs"] == [] and log["errors"] == []
    assert page.title() == f"t{XSS}"
    page.close()


def test_too_big_graph_says_so(tmp_path):
    import networkx as nx
    from kg.viz import VizError, render
    g = nx.MultiDiGraph()
    for i in range(5001):
        g.add_node(f"n{i}", kind="document", symbol=f"{i}-CT/TW")
    with pytest.raises(VizError, match="--focus"):
        render(g)


def test_the_panel_shows_the_lineage_and_the_implementation_tree(browser, tmp_path, shared):
    out = tmp_path / "lineage.html"
    kg("viz", str(SEED), str(shared / "devset/docs/sonv_ninhthuan_69-QD-TW.txt"), "--out", str(out))
    def opened_on(iri):
        page = browser.new_page(viewport={"width": 1300, "height": 800})
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(out.as_uri() + "#" + iri)
        page.wait_for_function("window.kgNetwork !== undefined")
        return page, errors
    page, errors = opened_on("https://kg.example.org/doc/102-QD-TW-2017")
    panel = page.locator("#panel")
    assert "Lược đồ" in panel.text_content() and panel.locator(".badge").text_content() == "bị thay thế"
    panel.locator(".lineage a", has_text="69-QĐ/TW").first.click()          # each relation links to its node
    assert panel.locator("h2").text_content().endswith("69-QĐ/TW")
    page.close()
    page, more = opened_on("https://kg.example.org/doc/01-KL-TW-2021")
    tree = page.locator("#panel .tree").text_content()
    assert "04-KH/CBDV" in tree and "+659 ngày" in tree
    assert errors == [] and more == []
    page.close()


def test_focus_lineage_draws_only_the_lineage(tmp_path):
    out = tmp_path / "l.html"
    run = kg("viz", str(SEED), "--focus", "01-KL/TW", "--lineage", "--out", str(out))
    assert b"5 documents" in run.stderr  # 01-KL/TW, 05-CT/TW and the three plans/reports reviewing it


def test_annotate_card_shows_the_status(browser, tmp_path, shared):
    out = tmp_path / "a.html"
    kg("annotate", str(shared / "devset/docs/sonv_ninhthuan_69-QD-TW.txt"), "--out", str(out))
    page = browser.new_page(viewport={"width": 1300, "height": 800})
    page.goto(out.as_uri())
    page.locator("a.cit", has_text="102-QĐ/TW").first.hover()
    assert "bị thay thế bởi 69-QĐ/TW" in page.locator("#card").text_content()
    page.close()


def test_the_served_query_page_runs_an_example_offline(browser, tmp_path):
    import socket
    import time

    import httpx
    store = tmp_path / "st"
    kg("load", str(SEED), "--store", str(store))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "kg", "serve", "--store", str(store), "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/"
    try:
        for _ in range(200):
            try:
                httpx.get(url, timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        page = browser.new_page()
        requests, errors = [], []
        page.on("request", lambda r: requests.append(r.url))
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(url)
        assert "PREFIX eli:" in page.locator("#query").input_value()   # kg's prefixes, declared
        page.select_option("#examples", "most-cited")
        page.click("#run")
        page.wait_for_selector("#results table")
        assert page.locator("#results tr").count() > 5 and "01-KL/TW" in page.locator("#results").text_content()
        assert errors == [] and all(r.startswith(url) for r in requests), requests
        page.close()
    finally:
        proc.terminate()
        proc.wait(10)


def test_annotate_reads_as_the_report_does(browser, tmp_path):
    out = tmp_path / "a.html"
    kg("annotate", str(SEED), "--out", str(out))
    page = browser.new_page()
    page.goto(out.as_uri())
    text = page.locator("#text").inner_text()                     # what a reader sees
    assert "##" not in text and "<sup>" not in text and "**" not in text
    assert page.locator("#text").text_content().count("<sup>") >= 2  # ... while every character stays
    assert page.locator("#text sup").count() >= 2 and page.locator("#text .h").count() >= 3
    legend = page.locator("#legend").text_content()
    assert "Kết luận" in legend and "thực hiện" in legend and "sơ kết / tổng kết" in legend and "implements" not in legend
    page.close()


def _positions(page):
    """Positions of the visible nodes once the layout settled (vis stops physics then)."""
    page.wait_for_function("window.kgNetwork.physics.stabilized !== false || !window.kgData.physics", timeout=30000)
    page.wait_for_timeout(300)
    return page.evaluate("(() => { const ids = window.kgNetwork.body.nodeIndices; return window.kgNetwork.getPositions(ids); })()")


def _stacked(pos, near=8):
    pts = list(pos.items())
    return [(a, b) for i, (a, pa) in enumerate(pts) for b, pb in pts[i + 1:]
            if abs(pa["x"] - pb["x"]) < near and abs(pa["y"] - pb["y"]) < near]


def test_a_filter_keeps_the_nodes_where_they_were(browser, seed_html):
    page, _ = open_page(browser, seed_html)
    before = _positions(page)
    for t in ("Kế hoạch", "Chỉ thị"):
        page.select_option("#type", t)
        after = _positions(page)
        assert 1 < len(after) < len(before) and _stacked(after) == [], t
        assert all(abs(after[n]["x"] - before[n]["x"]) < 1 for n in after)      # nothing moved
    page.close()


def test_reset_clears_the_search_and_the_panel_never_shows_a_hidden_node(browser, seed_html):
    page, _ = open_page(browser, seed_html)
    page.fill("#search", "05-CT")
    page.click("#results button")
    assert "05-CT/TW" in page.locator("#panel h2").text_content()
    page.select_option("#type", "Kết luận")                      # 05-CT/TW is a Chỉ thị: filtered out
    assert "05-CT/TW" not in page.locator("#panel").text_content()
    assert page.is_disabled("#neighbourhood")
    page.fill("#search", "01-KL")
    page.click("#reset")
    assert page.input_value("#search") == "" and page.locator("#results button").count() == 0
    page.close()


def test_focus_lineage_selects_the_document_and_stacks_nothing(browser, tmp_path):
    out = tmp_path / "focus.html"
    kg("viz", str(SEED), "--focus", "01-KL/TW", "--lineage", "--out", str(out))
    page, log = open_page(browser, out)
    pos = _positions(page)
    assert _stacked(pos, near=25) == []
    assert page.evaluate("window.kgNetwork.getSelectedNodes()") == ["https://kg.example.org/doc/01-KL-TW-2021"]
    assert page.locator("#panel h2").text_content() == "Kết luận 01-KL/TW"
    assert log["errors"] == []
    page.close()


def test_the_panel_speaks_vietnamese_and_reads_from_the_documents_side(browser, tmp_path, shared):
    out = tmp_path / "vi.html"
    kg("viz", str(shared / "devset/docs/sonv_ninhthuan_69-QD-TW.txt"), "--out", str(out))
    page = browser.new_page(viewport={"width": 1024, "height": 768})
    page.goto(out.as_uri() + "#https://kg.example.org/doc/102-QD-TW-2017")
    page.wait_for_function("window.kgNetwork !== undefined")
    panel = page.locator("#panel").text_content()
    assert "bị thay thế bởi 69-QĐ/TW" in panel and "Đối với văn bản này" in panel
    legend = page.locator("#legend").text_content()
    for english in ("implements", "replaces", "reviews", "amends", "Legend", "date"):
        assert english not in panel and english not in legend, english
    page.close()


def test_a_large_drawing_points_to_kg_site(tmp_path):
    docs = [{"id": f"https://kg.example.org/doc/{i}-CT-TW", "symbol": f"{i}-CT/TW", "doc_type": "Chỉ thị",
             "doc_type_id": "chi-thi", "date": None, "issuer": None, "title": None, "mentions": 1, "conflicts": [],
             "system": "party"} for i in range(1001)]
    data = {"source": {"path": "big.txt", "sha256": "2" * 64, "chars": 1}, "source_document": None,
            "citations": [], "documents": docs, "relations": [], "warnings": []}
    (tmp_path / "big.json").write_text(json.dumps(data), encoding="utf-8")
    run = kg("viz", str(tmp_path / "big.json"), "--out", str(tmp_path / "big.html"))
    assert b"kg site" in run.stderr
