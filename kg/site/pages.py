"""The site's pages as HTML strings, from the facts of kg.site.facts.

Every string that comes from a report goes through `esc` (text and attributes) or, for the
index's search records, travels as JSON with "<", ">" and "&" escaped and reaches the page by
textContent. Each page carries a Content-Security-Policy that allows only its inlined script and
style (the index page also its own search shards, files beside it: scripts cannot be fetched
otherwise from file://). No page names anything outside the site's folder.
"""
from __future__ import annotations

import html
import json
import math

from ..annotate import vn_date
from ..viz import FIELD_VI, RELATION_STYLES, RELATION_VI, TYPE_COLOURS
from .facts import DOWNSTREAM, UPSTREAM

CSP = ("default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; "
       "base-uri 'none'; form-action 'none'")
#: The index page loads its search shards (tim/*.js, in the site's folder) as scripts.
CSP_INDEX = CSP.replace("script-src 'unsafe-inline'", "script-src 'unsafe-inline' 'self'")
SYSTEM_VI = {"party": "Đảng", "state": "Nhà nước"}

CSS = """
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,"Segoe UI","Noto Sans",Arial,sans-serif;color:#1d1d1d;background:#fbfaf7}
a{color:#0b4f8a}a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible{outline:3px solid #f0a500;outline-offset:2px}
.skip{position:absolute;left:-999px}.skip:focus{left:8px;top:8px;background:#fff;padding:4px 8px;z-index:9}
header.top{background:#7a1f1f;color:#fff;padding:8px 16px;display:flex;flex-wrap:wrap;gap:6px 18px;align-items:center}
header.top a{color:#fff;text-decoration:none;font-weight:600}header.top a:hover{text-decoration:underline}
main{max-width:1240px;margin:0 auto;padding:12px 16px 40px}
h1{font-size:22px;margin:10px 0 6px;overflow-wrap:anywhere}h2{font-size:18px;margin:26px 0 8px;border-bottom:2px solid #e3ddd0;padding-bottom:3px}
h3{font-size:15px;margin:12px 0 4px}
dl.id{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:2px 14px;margin:8px 0}
dl.id dt{color:#666}dl.id dd{margin:0;overflow-wrap:anywhere}
code{font-size:12px;overflow-wrap:anywhere}
.badge{display:inline-block;padding:2px 10px;border-radius:12px;font-size:13px;font-weight:600;color:#fff;background:#5b6b73;vertical-align:middle}
.badge.replaced,.badge.repealed{background:#a11d1d}.badge.partly-repealed{background:#c2561a}.badge.amended{background:#2f7d32}
.muted{color:#666;font-size:13px}.year{color:#666}
.sent{font-size:13px;color:#333;margin:2px 0 0;padding-left:8px;border-left:3px solid #e3ddd0;overflow-wrap:anywhere}
.sent mark{background:#fff1b8}
.prov{font-size:12px;background:#efe9dc;border-radius:3px;padding:0 4px;margin-left:4px;white-space:nowrap}
.luoc{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,.8fr) minmax(0,1fr);gap:14px;align-items:start}
.luoc>section{background:#fff;border:1px solid #e3ddd0;border-radius:6px;padding:8px 10px;min-width:0}
.luoc .self{border:2px solid #7a1f1f;text-align:center}
.luoc ul{list-style:none;margin:0;padding:0}.luoc li{margin:0 0 8px;overflow-wrap:anywhere}
.luoc h3{color:#7a1f1f}
.tree ul{list-style:none;margin:0;padding-left:22px;border-left:1px dashed #c9bfae}.tree>ul{padding-left:0;border:0}
.tree li{margin:4px 0;overflow-wrap:anywhere}
.tree .node{display:inline-block;background:#fff;border:1px solid #e3ddd0;border-radius:4px;padding:1px 8px;max-width:100%}
.lag{font-size:12px;color:#7a1f1f;margin-left:6px;white-space:nowrap}
table{border-collapse:collapse;width:100%;background:#fff}th,td{border:1px solid #e3ddd0;padding:3px 8px;text-align:left;vertical-align:top;overflow-wrap:anywhere}
th{background:#f3efe6;font-weight:600}
ol.list,ul.list{padding-left:20px}ol.list li,ul.list li{margin:4px 0;overflow-wrap:anywhere}
.search{display:grid;grid-template-columns:minmax(0,1fr);gap:8px;background:#fff;border:1px solid #e3ddd0;border-radius:6px;padding:10px}
.search input{font-size:17px;padding:6px 10px;width:100%}
.filters{display:flex;flex-wrap:wrap;gap:6px 10px}.filters label{font-size:13px;color:#555}.filters select{max-width:16em}
#results li{margin:6px 0}
.cols{display:grid;grid-template-columns:repeat(auto-fit,minmax(330px,1fr));gap:0 22px}
.timeline{border-left:3px solid #7a1f1f;padding-left:14px;margin-left:6px}.timeline h3{margin-left:-24px}
.timeline h3::before{content:"";display:inline-block;width:11px;height:11px;border-radius:50%;background:#7a1f1f;margin-right:6px}
.pager{margin:12px 0}.pager a{margin-right:12px}
.graph{background:#fff;border:1px solid #e3ddd0;border-radius:6px}.graph svg{display:block;width:100%;height:auto;max-height:760px}
.graph text{font:11px system-ui,sans-serif;fill:#222;paint-order:stroke;stroke:#fff;stroke-width:3px;stroke-linejoin:round}.graph a:focus circle{stroke:#f0a500;stroke-width:4}
.legend{font-size:12px;display:flex;flex-wrap:wrap;gap:4px 14px;padding:6px 10px}.legend i{display:inline-block;width:20px;border-bottom:3px solid;margin-right:4px;vertical-align:middle}
#text{white-space:pre-wrap;background:#fff;border:1px solid #e3ddd0;border-radius:6px;padding:12px 16px;overflow-wrap:anywhere}
a.cit{color:inherit;text-decoration:none;border-bottom:3px solid var(--c);background:color-mix(in srgb,var(--c) 14%,white)}
mark.rel{background:none;border-bottom:2px dashed var(--c);color:var(--c);font-weight:600}.h{font-weight:700}.md{display:none}
@media (max-width:900px){.luoc{grid-template-columns:minmax(0,1fr)}}
"""

#: The index page's search: shards loaded as scripts after the page opens, then search and
#: filters in memory. Folding matches kg.normalise.search_key (NFD, marks dropped, đ → d).
INDEX_JS = r"""
"use strict";
(function () {
  const meta = JSON.parse(document.getElementById("kg-meta").textContent);
  const recs = []; let loaded = 0;
  const q = document.getElementById("q"), res = document.getElementById("results"), count = document.getElementById("count");
  const sel = {type: 2, issuer: 4, level: 5, year: 3, status: 6};
  function fold(s) { return (s || "").replace(/Đ/g, "D").replace(/đ/g, "d").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().split(/\s+/).filter(Boolean).join(" "); }
  function el(tag, text, cls) { const e = document.createElement(tag); if (text != null) e.textContent = String(text); if (cls) e.className = cls; return e; }
  window.kgShard = function (rows) { for (const r of rows) recs.push(r); loaded++; if (loaded === meta.shards) { window.kgSearchReady = true; run(); } };
  // the shards load once the page has opened (scripts added before the load event would delay it)
  function loadShards() { for (let i = 0; i < meta.shards; i++) { const s = document.createElement("script"); s.src = "tim/" + i + ".js"; document.head.appendChild(s); } }
  if (document.readyState === "complete") loadShards(); else window.addEventListener("load", () => setTimeout(loadShards, 0));
  function vnDate(d) { return d && d.length >= 10 ? d.slice(8, 10) + "/" + d.slice(5, 7) + "/" + d.slice(0, 4) : ""; }
  function run() {
    const words = fold(q.value).split(" ").filter(Boolean);
    const want = {}; for (const k in sel) { const v = document.getElementById("f-" + k).value; if (v) want[k] = v; }
    if (!words.length && !Object.keys(want).length) { res.replaceChildren(); count.textContent = ""; return; }
    if (!window.kgSearchReady) { count.textContent = "Đang nạp chỉ mục…"; return; }
    const whole = fold(q.value);
    const hits = [];
    for (const r of recs) {
      let ok = true;
      for (const k in want) { const v = k === "year" ? r[3].slice(0, 4) : r[sel[k]]; if (v !== want[k]) { ok = false; break; } }
      if (!ok) continue;
      for (const w of words) if (r[9].indexOf(w) < 0) { ok = false; break; }
      if (!ok) continue;
      const sym = fold(r[1]);
      hits.push([sym === whole || words.indexOf(sym) >= 0 ? 0 : 1, -r[8], r]);
    }
    hits.sort((a, b) => a[0] - b[0] || a[1] - b[1] || (a[2][1] < b[2][1] ? -1 : 1));
    count.textContent = hits.length + " văn bản" + (hits.length > 100 ? " (100 đầu tiên)" : "");
    const items = hits.slice(0, 100).map(h => {
      const r = h[2], li = el("li"), a = el("a", (r[2] + " " + r[1]).trim());
      a.href = "van-ban/" + r[0] + ".html";
      li.append(a, el("span", " (" + (r[3] ? r[3].slice(0, 4) : "không rõ năm") + ")", "year"));
      const more = [r[3] ? "ngày " + vnDate(r[3]) : "", r[4], r[7]].filter(Boolean).join(" · ");
      if (more) li.append(el("div", more, "muted"));
      return li;
    });
    res.replaceChildren(...items);
  }
  q.addEventListener("input", run);
  for (const k in sel) document.getElementById("f-" + k).addEventListener("change", run);
  document.getElementById("clear").addEventListener("click", () => { q.value = ""; for (const k in sel) document.getElementById("f-" + k).value = ""; run(); q.focus(); });
  // keyboard: "/" to the search box, arrows through the results, Escape clears
  document.addEventListener("keydown", ev => {
    const links = [...res.querySelectorAll("a")], i = links.indexOf(document.activeElement);
    if (ev.key === "/" && document.activeElement !== q) { ev.preventDefault(); q.focus(); }
    else if (ev.key === "ArrowDown" && (document.activeElement === q || i >= 0) && links.length) { ev.preventDefault(); links[Math.min(i + 1, links.length - 1)].focus(); }
    else if (ev.key === "ArrowUp" && i >= 0) { ev.preventDefault(); (i === 0 ? q : links[i - 1]).focus(); }
    else if (ev.key === "Escape" && document.activeElement === q) { q.value = ""; run(); }
  });
  if (q.value) run();
})();
"""


def esc(value) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def js_data(obj) -> str:
    """JSON safe inside a <script> element: no "<", ">" or "&" that could end it."""
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c") \
        .replace(">", "\\u003e").replace("&", "\\u0026")


def page(title: str, body: str, root: str, *, script: str = "", csp: str = CSP, css: str = "") -> str:
    """A whole page. ``root`` is the way back to the site's folder ("" or "../")."""
    return (f'<!DOCTYPE html>\n<html lang="vi"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width,initial-scale=1">'
            f'<meta http-equiv="Content-Security-Policy" content="{csp}">'
            f'<title>{esc(title)}</title><style>{CSS}{css}</style></head><body>'
            f'<a class="skip" href="#main">Đến nội dung chính</a>'
            f'<header class="top"><a href="{root}index.html">Tra cứu văn bản</a>'
            f'<a href="{root}co-quan/index.html">Cơ quan ban hành</a><a href="{root}nam/index.html">Theo năm</a>'
            f'<a href="{root}mau-thuan.html">Mâu thuẫn</a></header>'
            f'<main id="main">{body}</main>{script}</body></html>\n')


def doc_name(r: dict) -> str:
    if r.get("kind") == "report":
        return f"báo cáo {r.get('label') or ''}".strip()
    return f"{r.get('doc_type') or ''} {r.get('symbol') or ''}".strip()


def link(r: dict, root: str) -> str:
    """A link to a document's or report's page, with its year."""
    if r.get("kind") == "report":
        return f'<a href="{root}bao-cao/{esc(r["slug"])}.html">{esc(doc_name(r))}</a>'
    year = f' <span class="year">({esc(r["date"][:4])})</span>' if r.get("date") else ""
    return f'<a href="{root}van-ban/{esc(r["slug"])}.html">{esc(doc_name(r))}</a>{year}'


def provisions(ps: list[str]) -> str:
    return "".join(f'<span class="prov">{esc(p)}</span>' for p in ps)


def excerpt(sentence: str | None, mark: str | None = None, limit: int = 400) -> str:
    """A sentence from a report, escaped, cut to ``limit`` characters, the cited symbol marked."""
    if not sentence:
        return ""
    s = sentence if len(sentence) <= limit else sentence[:limit].rsplit(" ", 1)[0] + " …"
    out = esc(s)
    if mark:
        m = esc(mark)
        out = out.replace(m, f"<mark>{m}</mark>")
    return out


def statement(r: dict, root: str, mark: str | None = None) -> str:
    """One relation row of the lược đồ: the other document, its articles, the sentence, the report."""
    src = ""
    if r.get("report_slug"):
        src = f' — <a class="muted" href="{root}bao-cao/{esc(r["report_slug"])}.html">{esc(r["report"])}</a>'
    elif r.get("report"):
        src = f' — <span class="muted">{esc(r["report"])}</span>'
    sent = f'<div class="sent">{excerpt(r.get("sentence"), mark)}{src}</div>' if r.get("sentence") or src else ""
    return f'<li>{link(r["other"], root)}{provisions(r.get("provisions") or [])}{sent}</li>'


TEXT_MAX = 150_000  # characters of annotated text a report page carries
GROUP_MAX = 25  # statements of one relation on one side of the lược đồ (the tree and the report pages hold the rest)


def grouped(rows: list[dict], order, side: int, root: str, mark: str | None) -> str:
    out = []
    for p in order:
        mine = [r for r in rows if r["predicate"] == p]
        if mine:
            more = (f'<li class="muted">… và {len(mine) - GROUP_MAX} lần nêu khác</li>' if len(mine) > GROUP_MAX else "")
            out.append(f'<h3>{esc(RELATION_VI[p][side])} ({len(mine)})</h3><ul>'
                       + "".join(statement(r, root, mark) for r in mine[:GROUP_MAX]) + more + "</ul>")
    return "".join(out) or '<p class="muted">Chưa thấy trong các báo cáo đã nạp.</p>'


def tree_html(nodes: list[dict], root: str) -> str:
    if not nodes:
        return ""
    items = []
    for x in nodes:
        lag = f'<span class="lag">sau {x["lag_days"]} ngày</span>' if x["lag_days"] is not None else ""
        lvl = f' <span class="muted">· {esc(x["level"])}</span>' if x.get("level") else ""
        items.append(f'<li><span class="node"><span class="muted">{esc(RELATION_VI[x["predicate"]][0])}:</span> '
                     f'{link(x["node"], root)}{lvl}{lag}</span>{tree_html(x["children"], root)}</li>')
    return "<ul>" + "".join(items) + "</ul>"


#: The drawing's edges and circles, styled once in the document page's head rather than on each
#: element: a 150-node drawing was 76 KB of repeated attributes.
GRAPH_CSS = ".graph line{stroke-width:1.6}.graph circle{stroke:#fff;stroke-width:2}" + "".join(
    f'.graph .e-{p}{{stroke:{st["color"]};marker-end:url(#m-{p})'
    + (f';stroke-dasharray:{" ".join(map(str, st["dashes"]))}' if st["dashes"] else "") + "}"
    for p, st in RELATION_STYLES.items() if p != "cites")


def svg_graph(nb: dict, prefix: str, names: dict) -> str:
    """The neighbourhood as an SVG drawn at build time: the document in the middle, the documents
    one relation away on a ring, two away on an outer ring, each ring spaced so nodes never touch.
    Every node links to its page (focusable with Tab): ``prefix`` + slug + ".html"; ``names``:
    a longer name to show on hover, by slug."""
    nodes = nb["nodes"]
    used = sorted({e[2] for e in nb["edges"] if e[2] in RELATION_STYLES})
    if len(nodes) <= 1:
        return '<p class="muted">Chưa thấy quan hệ với văn bản khác.</p>'
    ring1 = [n for n in nodes if n["ring"] == 1]
    ring2 = [n for n in nodes if n["ring"] == 2]
    r1 = max(110.0, len(ring1) * 30 / (2 * math.pi))
    r2 = max(r1 + 110.0, len(ring2) * 26 / (2 * math.pi)) if ring2 else r1
    pos, angle = {}, {}
    for i, n in enumerate(ring1):
        a = 2 * math.pi * i / len(ring1) - math.pi / 2
        angle[n["id"]] = a
        pos[n["id"]] = (r1 * math.cos(a), r1 * math.sin(a))
    ring2.sort(key=lambda n: (angle.get(n["parent"], 0.0), n["symbol"]))
    for i, n in enumerate(ring2):
        a = 2 * math.pi * i / len(ring2) - math.pi / 2 + (math.pi / len(ring2))
        angle[n["id"]] = a
        pos[n["id"]] = (r2 * math.cos(a), r2 * math.sin(a))
    pos[nb["center"]] = (0.0, 0.0)
    pad = 130  # room for the outer labels
    size = r2 + pad
    parts = [f'<svg viewBox="{-size:.0f} {-size + 40:.0f} {2 * size:.0f} {2 * size - 80:.0f}" role="img" '
             f'style="max-width:{2 * size * 1.3:.0f}px;margin:0 auto" '
             f'aria-label="Đồ thị lân cận: {len(nodes)} văn bản">',
             "<defs>" + "".join(f'<marker id="m-{p}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" '
                                f'orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="{RELATION_STYLES[p]["color"]}"/></marker>'
                                for p in used) + "</defs>"]
    for a, b, p in nb["edges"]:
        if a in pos and b in pos and p in RELATION_STYLES:
            (x1, y1), (x2, y2) = pos[a], pos[b]
            d = math.hypot(x2 - x1, y2 - y1) or 1
            # stop at the target's rim so the arrow shows
            x2, y2 = x2 - (x2 - x1) / d * 12, y2 - (y2 - y1) / d * 12
            parts.append(f'<line class="e-{p}" x1="{x1:.0f}" y1="{y1:.0f}" x2="{x2:.0f}" y2="{y2:.0f}"/>')
    for n in nodes:
        x, y = pos[n["id"]]
        colour = TYPE_COLOURS.get(n.get("type_id") or "", "#9a9a9a")
        r = 14 if n["ring"] == 0 else 9
        a = angle.get(n["id"])
        if a is None:
            tx, ty, anchor = 0, r + 14, "middle"
        else:
            tx, ty = math.cos(a) * (r + 5), math.sin(a) * (r + 5) + 4
            anchor = "start" if math.cos(a) > 0.2 else ("end" if math.cos(a) < -0.2 else "middle")
            if anchor == "middle":
                ty = (r + 14) if math.sin(a) > 0 else -(r + 5)
        label = n["symbol"] + (f" ({n['year']})" if n.get("year") else "")
        title = names.get(n["id"])
        parts.append(f'<a href="{prefix}{esc(n["id"])}.html">' + (f"<title>{esc(title)}</title>" if title else "")
                     + f'<circle class="n{n["ring"]}" cx="{x:.0f}" cy="{y:.0f}" r="{r}" fill="{colour}"/>'
                     f'<text x="{x + tx:.0f}" y="{y + ty:.0f}"' + (f' text-anchor="{anchor}"' if anchor != "start" else "")
                     + (' font-weight="700"' if n["ring"] == 0 else "") + f">{esc(label)}</text></a>")
    parts.append("</svg>")
    legend = "".join(f'<span><i style="border-color:{RELATION_STYLES[p]["color"]}"></i>{esc(RELATION_VI[p][0])}</span>'
                     for p in used if p in RELATION_VI)
    return f'<div class="graph">{"".join(parts)}<div class="legend">{legend}</div></div>'


def pager(base: str, page_no: int, pages: int) -> str:
    if pages <= 1:
        return ""
    def name(i):
        return f"{base}.html" if i == 1 else f"{base}.{i}.html"  # slugs have no dot: no clash with a page
    links = [f'<a href="{esc(name(i))}"{" aria-current=page" if i == page_no else ""}>{"Trang " if i == 1 else ""}{i}</a>'
             for i in range(1, pages + 1)]
    return '<nav class="pager" aria-label="Trang">' + "".join(links) + "</nav>"


def document_page(f: dict, cited: list[dict], page_no: int = 1, pages: int = 1) -> str:
    """A document's page (trang văn bản). ``cited`` is this page's share of the citing reports;
    the second and later pages carry only that list."""
    root = "../"
    name = f"{f.get('doc_type') or ''} {f['symbol']}".strip()
    cites_html = "".join(
        f'<li>{link(r, root)}{" <span class=muted>· ngày " + esc(vn_date(r["date"])) + "</span>" if r.get("date") else ""}'
        f'{" <span class=muted>· " + str(r["mentions"]) + " lần</span>" if r.get("mentions") else ""}'
        + "".join(f'<div class="sent">{excerpt(s, f["symbol"])}</div>' for s in r["excerpts"]) + "</li>"
        for r in cited)
    total = f.get("cited_total", len(cited))
    cited_section = (f'<h2 id="bao-cao">Báo cáo trích dẫn ({total})</h2>{pager(f["slug"], page_no, pages)}'
                     + (f'<ol class="list">{cites_html}</ol>' if cited else '<p class="muted">Không có.</p>'))
    if page_no > 1:
        body = f'<h1>{esc(name)} — báo cáo trích dẫn, trang {page_no}</h1><p><a href="{esc(f["slug"])}.html">← Trang văn bản</a></p>' + cited_section
        return page(f"{name} — trang {page_no}", body, root)
    st = f["status"]
    since = f' <span class="muted">từ ngày {esc(vn_date(st["since"]))}</span>' if st.get("since") else ""
    evidence = "".join(f'<li><span class="muted">{esc(e["label"])}</span> {link(e["other"], root)}'
                       f'{provisions(e.get("provisions") or [])}'
                       + (f'<div class="sent">{excerpt(e.get("sentence"), f["symbol"])}'
                          + (f' — <a class="muted" href="{root}bao-cao/{esc(e["report_slug"])}.html">{esc(e["report"])}</a>'
                             if e.get("report_slug") else "") + "</div>" if e.get("sentence") or e.get("report_slug") else "")
                       + "</li>" for e in st["evidence"])
    issuer = (f'<a href="{root}co-quan/{esc(f["issuer_slug"])}.html">{esc(f["issuer"])}</a>' if f.get("issuer_slug")
              else '<span class="muted">không rõ</span>')
    ident = [("Số, ký hiệu", esc(f["symbol"])), ("Loại văn bản", esc(f.get("doc_type") or "—")),
             ("Ngày ban hành", esc(vn_date(f.get("date")) or "không rõ")), ("Cơ quan ban hành", issuer),
             ("Cấp", esc(f.get("level") or "—")), ("Trích yếu", esc(f.get("title") or "—")),
             ("Hệ thống", esc(SYSTEM_VI.get(f.get("system"), f.get("system") or "—"))),
             ("Số lần được trích dẫn", str(f.get("mentions") or 0)), ("IRI", f'<code>{esc(f["id"])}</code>')]
    if f.get("term"):
        ident.insert(5, ("Nhiệm kỳ", esc(f["term"])))
    lags = "".join(f'<tr><td>{esc(x["level"])}</td><td>{x["count"]}</td><td>{x["first"]}</td><td>{x["median"]}</td><td>{x["last"]}</td></tr>'
                   for x in f["lags"])
    lag_table = (f'<table class="lags"><thead><tr><th>Cấp</th><th>Số văn bản</th><th>Sớm nhất (ngày)</th><th>Trung vị</th>'
                 f'<th>Muộn nhất</th></tr></thead><tbody>{lags}</tbody></table>') if lags else ""
    conflicts = "".join(f'<li>{esc(FIELD_VI.get(c.get("field"), c.get("field")))}: {" ≠ ".join(esc(vn_date(str(v))) for v in c.get("values", []))}'
                        f'{" <span class=muted>— " + esc(c["report"]) + "</span>" if c.get("report") else ""}</li>'
                        for c in f["conflicts"])
    body = (f'<h1>{esc(name)} <span class="badge {esc(st["key"])}">{esc(st["label"])}</span></h1>'
            f'<dl class="id">{"".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in ident)}</dl>'
            f'<h2 id="tinh-trang">Tình trạng</h2><p><span class="badge {esc(st["key"])}">{esc(st["label"])}</span>{since}</p>'
            + (f'<ul class="list">{evidence}</ul>' if evidence else
               '<p class="muted">Các báo cáo đã nạp không nói văn bản này bị sửa đổi, thay thế hay bãi bỏ.</p>')
            + f'<h2 id="luoc-do">Lược đồ</h2><div class="luoc">'
            f'<section class="up"><h3 class="side">Văn bản này căn cứ, thực hiện, hướng dẫn…</h3>'
            f'{grouped(f["upstream"], UPSTREAM, 0, root, f["symbol"])}</section>'
            f'<section class="self"><strong>{esc(name)}</strong><br><span class="badge {esc(st["key"])}">{esc(st["label"])}</span>'
            f'<div class="muted">{esc(vn_date(f.get("date")) or "")} {esc(f.get("issuer") or "")}</div>'
            f'<div>{esc(f.get("title") or "")}</div></section>'
            f'<section class="down"><h3 class="side">Văn bản khác đối với văn bản này</h3>'
            f'{grouped(f["downstream"], DOWNSTREAM, 1, root, f["symbol"])}</section></div>'
            f'<h2 id="cay">Cây thực hiện</h2>'
            + (f'<div class="tree">{tree_html(f["tree"], root)}</div>'
               + (f'<p class="muted">… và {f["tree_left"]} văn bản khác (độ trễ dưới đây tính cả các văn bản này).</p>'
                  if f.get("tree_left") else "")
               + f'<h3>Độ trễ theo cấp (ngày sau văn bản này)</h3>{lag_table}'
               if f["tree"] else '<p class="muted">Chưa thấy văn bản nào thực hiện, hướng dẫn hay sơ kết văn bản này.</p>')
            + cited_section
            + f'<h2 id="mau-thuan">Mâu thuẫn</h2>' + (f'<ul class="list">{conflicts}</ul>' if conflicts else '<p class="muted">Không có.</p>')
            + f'<h2 id="lan-can">Lân cận</h2>{svg_graph(f["neighbourhood"], "", {})}')
    return page(name, body, root, css=GRAPH_CSS)


def report_page(f: dict, text_html: str | None = None, legend_html: str = "") -> str:
    """A report's page (trang báo cáo): its own document, what it cites, the relations it states,
    and its text annotated as `kg annotate` shows it (when the text was read in this build)."""
    root = "../"
    own = f'{link(f["own"], root)}' if f.get("own") else '<span class="muted">không có số, ký hiệu ở đầu văn bản</span>'
    ident = [("Tệp", "<br>".join(f"<code>{esc(p)}</code>" for p in f["paths"])),
             ("Ngày", esc(vn_date(f.get("date")) or "không rõ")), ("Văn bản của báo cáo", own),
             ("Số văn bản được trích dẫn", str(len(f["cites"])))]
    rows = "".join(f'<tr><td>{link(c, root)}</td><td>{esc(vn_date(c.get("date")) or "")}</td><td>{esc(c.get("issuer") or "")}</td>'
                   f'<td>{c.get("mentions") or ""}</td></tr>' for c in f["cites"])
    rels = "".join(f'<li>{link(r["subject"], root)} <strong>{esc(RELATION_VI[r["predicate"]][0])}</strong> {link(r["object"], root)}'
                   f'{provisions(r.get("provisions") or [])}'
                   + (f'<div class="sent">{excerpt(r.get("sentence"))}</div>' if r.get("sentence") else "") + "</li>"
                   for r in f["relations"])
    if text_html is not None and len(text_html) > TEXT_MAX:  # a page stays under 200 KB: the sentences instead
        text_html, long_text = None, True
    else:
        long_text = False
    if text_html is not None:
        text = f'<h2 id="van-ban">Toàn văn, các trích dẫn được đánh dấu</h2><div class="legend">{legend_html}</div><div id="text">{text_html}</div>'
    else:
        ex = "".join(f'<li>{link(c, root)}' + "".join(f'<div class="sent">{excerpt(s, c.get("symbol"))}</div>' for s in c["excerpts"])
                     + "</li>" for c in f["cites"] if c["excerpts"])
        why = ("Toàn văn quá dài cho một trang; mở tệp gốc để đọc hết." if long_text else
               "Toàn văn không có trong kho; đây là các câu trích dẫn của báo cáo.")
        text = (f'<h2 id="van-ban">Các câu có trích dẫn</h2><p class="muted">{why}</p>' + (f'<ul class="list">{ex}</ul>' if ex else ""))
    body = (f'<h1>Báo cáo {esc(f["name"])}</h1><dl class="id">{"".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in ident)}</dl>'
            f'<h2 id="trich-dan">Văn bản được trích dẫn</h2>'
            + (f'<table><thead><tr><th>Văn bản</th><th>Ngày</th><th>Cơ quan</th><th>Số lần</th></tr></thead><tbody>{rows}</tbody></table>'
               if rows else '<p class="muted">Không có.</p>')
            + '<h2 id="quan-he">Quan hệ nêu trong báo cáo</h2>' + (f'<ul class="list">{rels}</ul>' if rels else '<p class="muted">Không có.</p>')
            + text)
    return page(f"Báo cáo {f['name']}", body, root)


def timeline(rows: list[dict], root: str, show_issuer: bool) -> str:
    out, year = [], object()
    for r in rows:
        y = (r.get("date") or "")[:4] or "Không rõ năm"
        if y != year:
            if out:
                out.append("</ol>")
            out.append(f'<h3>{esc(y)}</h3><ol class="list">')
            year = y
        extra = [esc(vn_date(r["date"])) if r.get("date") else ""]
        if show_issuer and r.get("issuer"):
            extra.append(esc(r["issuer"]))
        if r.get("title"):
            extra.append(esc(r["title"]))
        out.append(f'<li>{link(r, root)} <span class="muted">{" · ".join(x for x in extra if x)}</span></li>')
    if out:
        out.append("</ol>")
    return '<div class="timeline">' + "".join(out) + "</div>"


def listing_page(title: str, rows: list[dict], base: str, page_no: int, pages: int, show_issuer: bool, intro: str = "") -> str:
    root = "../"
    body = (f'<h1>{esc(title)}</h1>{intro}<p class="muted">{esc(str(len(rows)))} văn bản trên trang này</p>'
            f'{pager(base, page_no, pages)}{timeline(rows, root, show_issuer)}{pager(base, page_no, pages)}')
    return page(title + (f" — trang {page_no}" if page_no > 1 else ""), body, root)


def directory_page(title: str, entries: list[tuple[str, str, int]]) -> str:
    """co-quan/index.html, nam/index.html: (href, name, documents)."""
    items = "".join(f'<li><a href="{esc(h)}">{esc(n)}</a> <span class="muted">({c} văn bản)</span></li>' for h, n, c in entries)
    return page(title, f'<h1>{esc(title)}</h1><ul class="list cols">{items}</ul>', "../")


def conflict(r: dict, root: str) -> str:
    return (f'<li>{link(r["doc"], root)}: {esc(FIELD_VI.get(r["field"], r["field"]))}: '
            f'{" ≠ ".join(esc(vn_date(str(v))) for v in r["values"])}</li>')


def conflicts_page(rows: list[dict], page_no: int = 1, pages: int = 1) -> str:
    items = "".join(conflict(r, "") for r in rows)
    return page("Mâu thuẫn" + (f" — trang {page_no}" if page_no > 1 else ""),
                '<h1>Mâu thuẫn giữa các lần trích dẫn</h1><p class="muted">Các báo cáo ghi khác nhau về cùng một văn bản.</p>'
                + pager("mau-thuan", page_no, pages)
                + (f'<ul class="list">{items}</ul>' if items else '<p class="muted">Không có.</p>'), "")


def index_page(meta: dict, options: dict, top: list[dict], latest: list[dict], conflicts: list[dict], n_conflicts: int) -> str:
    """The index (trang tra cứu): search without diacritics, filters, most cited, latest, conflicts."""
    def select(key, label, values):
        opts = "".join(f'<option value="{esc(v)}">{esc(shown)}</option>' for v, shown in values)
        return f'<label>{label} <select id="f-{key}"><option value="">tất cả</option>{opts}</select></label>'
    filters = (select("type", "Loại", [(v, f"{v} ({n})") for v, n in options["type"]])
               + select("issuer", "Cơ quan", [(v, f"{v} ({n})") for v, n in options["issuer"]])
               + select("level", "Cấp", [(v, f"{v} ({n})") for v, n in options["level"]])
               + select("year", "Năm", [(v, f"{v} ({n})") for v, n in options["year"]])
               + select("status", "Tình trạng", [(v, f"{STATUS_NAMES.get(v, v)} ({n})") for v, n in options["status"]]))
    top_rows = "".join(f'<li>{link(r, "")} <span class="muted">· {r["mentions"]} lần, {r["reports"]} báo cáo</span></li>' for r in top)
    latest_rows = "".join(f'<li>{link(r, "")} <span class="muted">· {esc(vn_date(r.get("date")))}</span></li>' for r in latest)
    conflict_rows = "".join(conflict(r, "") for r in conflicts[:20])
    body = (f'<h1>Tra cứu văn bản</h1><p class="muted">{meta["documents"]} văn bản, {meta["reports"]} báo cáo. '
            f'Gõ số ký hiệu, vài chữ của trích yếu hay tên cơ quan, có dấu hay không dấu (ví dụ “ket luan 01”, “01-kl/tw”, '
            f'“bo chinh tri”). Phím / để tìm, ↓ ↑ để chọn kết quả.</p>'
            f'<div class="search" role="search"><label for="q" class="muted">Tìm văn bản</label>'
            f'<input id="q" type="search" autocomplete="off" placeholder="Số ký hiệu, trích yếu, cơ quan ban hành…">'
            f'<div class="filters">{filters}<button id="clear" type="button">Xóa bộ lọc</button></div>'
            f'<div id="count" class="muted" aria-live="polite"></div><ol id="results" class="list"></ol></div>'
            f'<div class="cols"><section><h2>Được trích dẫn nhiều nhất</h2><ol class="list">{top_rows}</ol></section>'
            f'<section><h2>Mới nhất</h2><ol class="list">{latest_rows}</ol></section></div>'
            f'<h2>Mâu thuẫn</h2>' + (f'<ul class="list">{conflict_rows}</ul>' if conflict_rows else '<p class="muted">Không có.</p>')
            + (f'<p><a href="mau-thuan.html">Tất cả {n_conflicts} mâu thuẫn</a></p>' if n_conflicts > 20 else ""))
    script = f'<script type="application/json" id="kg-meta">{js_data(meta)}</script><script>{INDEX_JS}</script>'
    return page("Tra cứu văn bản", body, "", script=script, csp=CSP_INDEX)


STATUS_NAMES = {"replaced": "Bị thay thế", "repealed": "Bị bãi bỏ", "partly-repealed": "Bị bãi bỏ một phần",
                "amended": "Được sửa đổi, bổ sung", "none": "Chưa thấy thay đổi"}


def shard(rows: list[list]) -> str:
    """tim/N.js: a slice of the search records."""
    return f"kgShard({js_data(rows)});\n"
