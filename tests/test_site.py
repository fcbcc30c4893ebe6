"""`kg site`: the static website, built from files, JSON extractions and a store, and opened from
file:// in Debian's Chromium (Playwright)."""
import json
import os
import re
from pathlib import Path

import pytest

from conftest import ROOT, SEED
from conftest import kg as run_kg
from test_hardening import XSS_PAYLOADS

SHOTS = Path(os.environ.get("KG_SITE_SHOTS", "")) if os.environ.get("KG_SITE_SHOTS") else None


def kg(*args, ok=True):
    run = run_kg(*args)
    if ok:
        assert run.returncode == 0, run.stderr
    return run


@pytest.fixture(scope="module")
def site(tmp_path_factory, shared):
    """The seed report and the shared corpus and devset: documents with lineage, trees, conflicts."""
    out = tmp_path_factory.mktemp("site") / "site"
    kg("site", str(SEED), str(shared / "corpus"), str(shared / "devset" / "docs"), "--out", str(out))
    return out


def pages(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file() and p.name != ".kg-site.json"}


def test_the_same_pages_from_files_json_and_a_store(tmp_path):
    files, js, st = tmp_path / "files", tmp_path / "json", tmp_path / "store-site"
    kg("site", str(SEED), "--out", str(files))
    (tmp_path / "seed.json").write_bytes(kg("extract", str(SEED), "--format", "json").stdout)
    kg("site", str(tmp_path / "seed.json"), "--out", str(js))
    kg("load", str(SEED), "--store", str(tmp_path / "st"))
    kg("site", "--store", str(tmp_path / "st"), "--out", str(st))
    assert pages(files) == pages(js) == pages(st)
    doc = {p for p in pages(files) if p.startswith("van-ban/")}
    assert "van-ban/01-KL-TW-2021.html" in doc and len(doc) >= 40
    report = next(p for p in pages(files) if p.startswith("bao-cao/"))
    assert 'id="text"' in (files / report).read_text(encoding="utf-8")          # the annotated text, from the file
    stored = (st / report).read_text(encoding="utf-8")
    assert 'id="text"' not in stored and "Các câu có trích dẫn" in stored      # the store keeps sentences only
    page = (st / "van-ban/01-KL-TW-2021.html").read_text(encoding="utf-8")
    assert "Kết luận 01-KL/TW" in page and "18/05/2021" in page and "được sơ kết / tổng kết bởi" in page


def test_every_page_is_small_vietnamese_and_self_contained(site):
    for p in site.rglob("*.html"):
        text = p.read_text(encoding="utf-8")
        assert len(text.encode()) < 200_000, p
        assert 'http-equiv="Content-Security-Policy"' in text and "default-src 'none'" in text
        # nothing named outside the folder: no scheme but in the IRI shown as text, no absolute path
        for url in re.findall(r'(?:href|src)="([^"]*)"', text):
            assert not re.match(r"[a-z]+:|/", url), (p, url)
    index = (site / "index.html").read_text(encoding="utf-8")
    assert "script-src 'unsafe-inline' 'self'" in index
    doc = (site / "van-ban/01-KL-TW-2021.html").read_text(encoding="utf-8")
    assert "script-src 'unsafe-inline';" in doc
    shown = re.sub(r"<[^>]+>", " ", re.sub(r"<code>.*?</code>|<style>.*?</style>", "", doc, flags=re.S))
    for english in ("implements", "reviews", "amends", "replaces", "repeals", "based_on", "guides", "status"):
        assert english not in shown, english


def open_page(browser, url, width=1400):
    page = browser.new_page(viewport={"width": width, "height": 900})
    log = {"errors": [], "requests": [], "dialogs": []}
    page.on("console", lambda m: log["errors"].append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: log["errors"].append(str(e)))
    page.on("request", lambda r: log["requests"].append(r.url))
    page.on("dialog", lambda d: (log["dialogs"].append(d.message), d.dismiss()))
    page.goto(url)
    return page, log


def search_ready(page):
    """The search shards are in (polled from outside: the page's CSP forbids the eval that
    wait_for_function's polling uses)."""
    for _ in range(600):
        if page.evaluate("window.kgSearchReady === true"):
            return
        page.wait_for_timeout(50)
    raise AssertionError("the search index never loaded")


def search(page, query):
    search_ready(page)
    page.fill("#q", query)
    return page.locator("#results li")


def test_search_without_diacritics_finds_documents_with_their_year(browser, site):
    page, log = open_page(browser, (site / "index.html").as_uri())
    for query in ("ket luan 01", "01-kl/tw", "KẾT LUẬN 01-KL/TW"):
        first = search(page, query).first.text_content()
        assert first.startswith("Kết luận 01-KL/TW (2021)"), (query, first)
    hits = search(page, "bo chinh tri")
    assert hits.count() > 5 and "Bộ Chính trị" in hits.first.text_content()
    page.select_option("#f-type", "Chỉ thị")
    texts = page.locator("#results li > a").all_text_contents()
    assert texts and all(t.startswith("Chỉ thị ") for t in texts)
    page.click("#clear")
    assert page.input_value("#q") == "" and page.locator("#results li").count() == 0
    assert log["errors"] == [] and log["dialogs"] == []
    page.close()


def test_index_to_document_to_report_and_back_without_leaving_the_folder(browser, site):
    root = site.as_uri()
    page, log = open_page(browser, (site / "index.html").as_uri())
    search(page, "01-kl/tw").first.locator("a").click()
    assert page.url.endswith("/van-ban/01-KL-TW-2021.html")
    assert "Kết luận 01-KL/TW" in page.locator("h1").text_content()
    doc_url = page.url
    page.locator("#bao-cao ~ ol a[href*='bao-cao/']").first.click()
    assert "/bao-cao/" in page.url
    assert page.locator("#text a.cit").count() > 10                         # the annotated text
    page.locator("#text a.cit", has_text="01-KL/TW").first.click()           # a citation → its document
    assert page.url == doc_url
    page.go_back()
    assert "/bao-cao/" in page.url
    page.go_back()
    assert page.url == doc_url
    for link in ("Cơ quan ban hành", "Theo năm"):
        page.click(f"header.top >> text={link}")
        page.locator("main a").first.click()
        assert page.locator(".timeline li").count() >= 1
    assert log["errors"] == [] and log["requests"], log
    assert all(u.startswith(root + "/") for u in log["requests"]), [u for u in log["requests"] if not u.startswith(root)]
    page.close()


def test_the_neighbourhood_graph_draws(browser, site):
    page, log = open_page(browser, (site / "van-ban/01-KL-TW-2021.html").as_uri())
    graph = page.locator("#lan-can + .graph svg")
    graph.scroll_into_view_if_needed()
    nodes = graph.locator("circle")
    assert nodes.count() >= 5 and graph.locator("circle.n0").count() == 1
    assert graph.locator("line").count() >= 4
    box = graph.bounding_box()
    assert box["width"] > 300 and box["height"] > 200
    for i in range(nodes.count()):  # every node drawn inside the picture
        b = nodes.nth(i).bounding_box()
        assert b and b["width"] > 4 and box["x"] <= b["x"] and b["x"] + b["width"] <= box["x"] + box["width"] + 1
    labels = graph.locator("text").all_text_contents()
    assert "05-CT/TW (2016)" in labels
    page.close()


def test_keyboard_navigation(browser, site):
    page, _ = open_page(browser, (site / "index.html").as_uri())
    search_ready(page)
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "q"
    page.keyboard.type("ket luan 01")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.textContent") == "Kết luận 01-KL/TW"
    page.keyboard.press("Enter")
    page.wait_for_url("**/van-ban/01-KL-TW-2021.html")
    page.keyboard.press("Tab")                                              # the skip link comes first
    assert page.evaluate("document.activeElement.className") == "skip"
    page.keyboard.press("Enter")
    page.wait_for_function("location.hash === '#main'")  # the skip link moved to the content (no race on the URL)
    assert page.url.endswith("#main")
    page.close()


def _overlaps(page, selector):
    """Pairs of elements matching ``selector`` whose boxes intersect (nested ones aside)."""
    return page.evaluate("""sel => {
        const els = [...document.querySelectorAll(sel)], out = [];
        const boxes = els.map(e => e.getBoundingClientRect());
        for (let i = 0; i < els.length; i++) for (let j = i + 1; j < els.length; j++) {
            if (els[i].contains(els[j]) || els[j].contains(els[i])) continue;
            const a = boxes[i], b = boxes[j];
            if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1)
                out.push([els[i].textContent.slice(0, 40), els[j].textContent.slice(0, 40)]);
        }
        return out; }""", selector)


@pytest.mark.parametrize("width", [1024, 1400])
def test_nothing_overlaps_in_the_luoc_do_and_the_tree(browser, site, width):
    for doc in ("01-KL-TW-2021", "05-CT-TW-2016", "102-QD-TW-2017"):
        path = site / f"van-ban/{doc}.html"
        if not path.exists():
            continue
        page, _ = open_page(browser, path.as_uri(), width)
        assert page.evaluate("document.documentElement.scrollWidth") <= width      # no sideways scrolling
        assert _overlaps(page, ".luoc > section, .luoc h3, .luoc li") == []
        assert _overlaps(page, ".tree .node") == []
        for sel in (".luoc li", ".tree .node"):                                     # nothing spills out of its box
            spill = page.evaluate("""sel => [...document.querySelectorAll(sel)].filter(e => e.scrollWidth > e.clientWidth + 1).length""", sel)
            assert spill == 0, (doc, sel)
        if SHOTS:
            SHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SHOTS / f"{doc}-{width}.png"), full_page=True)
        page.close()


def test_every_report_string_is_escaped(browser, tmp_path):
    """Payloads in symbols, titles, issuers, sentences, conflicts and the file name: inert on every page."""
    docs, cits, rels = [], [], []
    for i, p in enumerate(XSS_PAYLOADS):
        iri = f"https://kg.example.org/doc/{i:02d}-CT-TW-{p}"
        docs.append({"id": iri, "symbol": f"{i:02d}-CT/TW{p}", "doc_type": "Chỉ thị", "doc_type_id": "chi-thi",
                     "date": "2020-01-02", "issuer": p, "title": p, "mentions": 1, "system": "party",
                     "conflicts": [{"field": "date", "values": [p, "2020-01-03"]}]})
        cits.append({"text": p, "start": 0, "end": 1, "document": iri, "sentence": {"start": 0, "end": 1, "text": f"câu {p}"}})
        if i:
            rels.append({"subject": iri, "predicate": "amends", "object": docs[0]["id"], "start": 0, "end": 1,
                         "cue": p, "provisions": [p]})
    data = {"source": {"path": "".join(XSS_PAYLOADS) + ".txt", "sha256": "1" * 64, "chars": 1},
            "source_document": None, "citations": cits, "documents": docs, "relations": rels, "warnings": []}
    src = tmp_path / "evil.json"
    src.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "site"
    kg("site", str(src), "--out", str(out))
    files = sorted(out.rglob("*.html"))
    assert len(files) >= len(XSS_PAYLOADS) + 4
    for f in files:                                     # no markup from the payloads reaches a page
        text = f.read_text(encoding="utf-8")
        for tag in ("<img", "<svg onload", "<iframe", "<style>body", "<script>alert", "<!--<script"):
            assert tag not in text, (f, tag)
    for f in sorted(out.rglob("*.js")):
        assert "<" not in f.read_text(encoding="utf-8")
    page, log = open_page(browser, (out / "index.html").as_uri())
    hits = search(page, "ct/tw")
    assert hits.count() == len(XSS_PAYLOADS)
    visit = [out / "index.html", out / "mau-thuan.html"] + [f for f in files if "/van-ban/" in f.as_posix()][:4] + \
        [f for f in files if "/bao-cao/" in f.as_posix() or "/co-quan/" in f.as_posix()][:4]
    for f in visit:
        page.goto(f.as_uri())
        assert page.evaluate("document.querySelectorAll('img, iframe, object, embed, style:not(head style)').length") == 0
        assert page.evaluate(r"""[...document.scripts].every(s => s.id === 'kg-meta' || /\/tim\/\d+\.js$/.test(s.src)
                                  || (!s.src && s.textContent.includes('window.kgShard = ')))""")
    assert log["dialogs"] == [] and log["errors"] == []
    page.close()


def test_a_rebuild_rewrites_only_the_pages_whose_facts_changed(tmp_path, shared):
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "a.md").write_bytes(SEED.read_bytes())
    out = tmp_path / "site"
    first = kg("site", str(reports), "--out", str(out)).stderr.decode()
    assert " 0 unchanged" in first
    again = kg("site", str(reports), "--out", str(out)).stderr.decode()
    assert re.search(r"\(0 written, \d+ unchanged, 0 removed\)", again), again
    before = {p: (out / p).stat().st_mtime_ns for p in pages(out)}
    (reports / "b.txt").write_bytes((shared / "devset/docs/sonv_ninhthuan_69-QD-TW.txt").read_bytes())
    third = kg("site", str(reports), "--out", str(out)).stderr.decode()
    written = int(re.search(r"\((\d+) written", third).group(1))
    after = {p: (out / p).stat().st_mtime_ns for p in pages(out)}
    changed = {p for p in after if before.get(p) != after[p]}
    assert len(changed) == written and 0 < written < len(after) / 2
    assert "van-ban/01-KL-TW-2021.html" not in changed                   # the new report does not cite it
    assert "index.html" in changed and any(p.startswith("bao-cao/") for p in changed)
    (reports / "b.txt").unlink()
    fourth = kg("site", str(reports), "--out", str(out)).stderr.decode()
    assert re.search(r"[1-9]\d* removed", fourth) and pages(out) == set(before)


def test_refuses_a_folder_that_is_not_a_site(tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "notes.txt").write_text("keep me", encoding="utf-8")
    run = kg("site", str(SEED), "--out", str(folder), ok=False)
    assert run.returncode == 1 and run.stderr.decode().startswith("kg: error:") and b"Traceback" not in run.stderr
    assert (folder / "notes.txt").read_text(encoding="utf-8") == "keep me" and len(list(folder.iterdir())) == 1
    run = kg("site", "--out", str(tmp_path / "x"), ok=False)
    assert run.returncode == 1 and b"give reports" in run.stderr


def test_the_status_badge_names_the_articles_of_a_partial_change(tmp_path):
    """Relations carry `provisions` (pinpoints; [] = the whole document): a partial repeal or an
    amendment shows its articles, a whole repeal says so."""
    base = "https://kg.example.org/doc/"
    def doc(sym, iri, date):
        return {"id": base + iri, "symbol": sym, "doc_type": "Quy định", "doc_type_id": "quy-dinh", "date": date,
                "issuer": "Bộ Chính trị", "title": None, "mentions": 1, "conflicts": [], "system": "party",
                "type_code": "QĐ", "issuer_code": "TW"}
    docs = [doc("99-QĐ/TW", "99-QD-TW-2024", "2024-03-10"), doc("102-QĐ/TW", "102-QD-TW-2017", "2017-11-15"),
            doc("07-QĐ/TW", "07-QD-TW-2021", "2021-08-28"), doc("08-QĐ/TW", "08-QD-TW-2018", "2018-01-01")]
    sentence = "Sửa đổi, bổ sung Điều 16 Quy định số 102-QĐ/TW; bãi bỏ khoản 2 Điều 5 Quy định số 07-QĐ/TW."
    cits = [{"text": d["symbol"], "start": 0, "end": 5, "document": d["id"], "sentence": {"start": 0, "end": 90, "text": sentence}}
            for d in docs[1:]]
    rel = lambda p, o, prov: {"subject": docs[0]["id"], "predicate": p, "object": o["id"], "start": 0, "end": 5,  # noqa: E731
                              "cue": "sửa đổi", "cue_start": 1, "provisions": prov}
    data = {"source": {"path": "r.txt", "sha256": "3" * 64, "chars": 90},
            "source_document": {"id": docs[0]["id"], "symbol": "99-QĐ/TW", "doc_type": "Quy định", "date": "2024-03-10",
                                "issuer": "Bộ Chính trị"},
            "citations": cits, "documents": docs[1:],
            "relations": [rel("amends", docs[1], ["Điều 16"]), rel("repeals", docs[2], ["khoản 2 Điều 5"]),
                          rel("repeals", docs[3], [])], "warnings": []}
    (tmp_path / "r.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    kg("site", str(tmp_path / "r.json"), "--out", str(tmp_path / "s"))
    def badge_and_evidence(iri):
        page = (tmp_path / "s" / "van-ban" / f"{iri}.html").read_text(encoding="utf-8")
        status = page.split('id="tinh-trang"')[1].split('id="luoc-do"')[0]
        return re.search(r'class="badge [^"]+">([^<]+)<', page).group(1), re.sub(r"<[^>]+>", "", status)
    badge, ev = badge_and_evidence("102-QD-TW-2017")
    assert badge == "Được sửa đổi, bổ sung" and "Điều 16" in ev and "Quy định 99-QĐ/TW" in ev and "10/03/2024" in ev
    badge, ev = badge_and_evidence("07-QD-TW-2021")
    assert badge == "Bị bãi bỏ một phần" and "khoản 2 Điều 5" in ev
    badge, _ = badge_and_evidence("08-QD-TW-2018")
    assert badge == "Bị bãi bỏ"
    up = (tmp_path / "s/van-ban/99-QD-TW-2024.html").read_text(encoding="utf-8").split('class="up"')[1].split('class="self"')[0]
    assert "sửa đổi, bổ sung" in up and "bãi bỏ" in up and "Điều 16" in up   # the lược đồ from the amending side


def test_a_long_report_page_stays_under_200_kb(tmp_path):
    (tmp_path / "long.md").write_text(SEED.read_text(encoding="utf-8") * 6, encoding="utf-8")
    kg("site", str(tmp_path / "long.md"), "--out", str(tmp_path / "s"))
    page = next((tmp_path / "s" / "bao-cao").glob("*.html"))
    text = page.read_text(encoding="utf-8")
    assert len(text.encode()) < 200_000 and "quá dài" in text and "01-KL/TW" in text


def test_a_rebuild_from_a_store_after_a_load_rewrites_only_the_changed_pages(tmp_path, shared):
    """From a store: the graph is read again each time (mentions grouped and ordered by kg, not by
    the engine), so an unchanged store writes nothing; a load rewrites only what it touched. The
    lược đồ from the store states each relation with the sentence the files give."""
    store, out, files = tmp_path / "st", tmp_path / "site", tmp_path / "files"
    kg("load", str(SEED), "--store", str(store))
    kg("site", "--store", str(store), "--out", str(out))
    again = kg("site", "--store", str(store), "--out", str(out)).stderr.decode()
    assert re.search(r"\(0 written, \d+ unchanged, 0 removed\)", again), again
    kg("site", str(SEED), "--out", str(files))
    luoc = re.compile(r'<div class="luoc">.*?</section></div>', re.S)
    page = "van-ban/01-KL-TW-2021.html"
    from_store = luoc.search((out / page).read_text(encoding="utf-8")).group(0)
    assert from_store == luoc.search((files / page).read_text(encoding="utf-8")).group(0)
    assert from_store.count('class="sent"') >= 4
    before = {p: (out / p).stat().st_mtime_ns for p in pages(out)}
    kg("load", str(shared / "devset/docs/sonv_ninhthuan_69-QD-TW.txt"), "--store", str(store))
    third = kg("site", "--store", str(store), "--out", str(out)).stderr.decode()
    written = int(re.search(r"\((\d+) written", third).group(1))
    after = {p: (out / p).stat().st_mtime_ns for p in pages(out)}
    changed = {p for p in after if before.get(p) != after[p]}
    assert len(changed) == written and 0 < written < len(after) / 2
    assert page not in changed and "index.html" in changed


def test_a_build_stopped_half_way_leaves_whole_pages_and_the_next_build_finishes_it(tmp_path, monkeypatch):
    from kg.graph import from_extractions
    from kg.site import build, pages as P
    g = from_extractions([json.loads(kg("extract", str(SEED), "--format", "json").stdout)])
    clean = tmp_path / "clean"
    build(g, clean)
    render, calls = P.document_page, []

    def dies(*a, **k):
        calls.append(1)
        if len(calls) > 10:
            raise KeyboardInterrupt  # the user's Ctrl-C, or a kill, in the middle of the documents
        return render(*a, **k)
    monkeypatch.setattr(P, "document_page", dies)
    out = tmp_path / "site"
    with pytest.raises(KeyboardInterrupt):
        build(g, out)
    half = pages(out)
    assert 0 < len(half) < len(pages(clean)) and not [p for p in out.rglob("*.tmp")]
    assert all((out / p).read_bytes() == (clean / p).read_bytes() for p in half)   # each page whole
    monkeypatch.setattr(P, "document_page", render)
    result = build(g, out)                                                          # not refused: resumed
    assert pages(out) == pages(clean) and result.written >= len(pages(clean)) - len(half)
    assert all((out / p).read_bytes() == (clean / p).read_bytes() for p in pages(clean))
