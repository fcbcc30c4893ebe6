"""`kg annotate`: the report's text with every citation highlighted, as one offline HTML page.

Citations are coloured by type and link to the same document id the HTML graph uses
(``graph.html#<IRI>``); a hover card shows the resolved document; relation phrases are marked.
The text is escaped; the card data is JSON read with JSON.parse and shown with textContent.
"""
from __future__ import annotations

import html
import json
import re
from urllib.parse import quote

from .lineage import STATUS_RANK, STATUS_VI
from .provisions import compact
from .models import Extraction
from .viz import FIELD_VI, RELATION_STYLES, RELATION_VI, TYPE_COLOURS

PAGE = """<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'">
<title>{title}</title>
<style>
body {{ margin: 0; font: 15px/1.6 system-ui, "Segoe UI", "Noto Sans", Arial, sans-serif; color: #222; }}
header {{ padding: 10px 16px; background: #f4f1ea; border-bottom: 1px solid #ddd; position: sticky; top: 0; }}
header h1 {{ font-size: 17px; margin: 0; }}
header p {{ margin: 4px 0 0; font-size: 13px; color: #555; }}
main {{ max-width: 60em; margin: 0 auto; padding: 16px; white-space: pre-wrap; }}
a.cit {{ color: inherit; text-decoration: none; border-bottom: 3px solid var(--c); background: color-mix(in srgb, var(--c) 14%, white); }}
a.cit:hover {{ background: color-mix(in srgb, var(--c) 30%, white); }}
mark.rel {{ background: none; border-bottom: 2px dashed var(--c); color: var(--c); font-weight: 600; }}
#card {{ position: fixed; display: none; max-width: 26em; background: #fff; border: 1px solid #bbb; box-shadow: 0 2px 8px #0003;
         padding: 8px 10px; font-size: 13px; white-space: normal; z-index: 10; }}
#card h2 {{ font-size: 14px; margin: 0 0 4px; }}
#card dl {{ display: grid; grid-template-columns: max-content 1fr; gap: 0 8px; margin: 0; }}
#card dt {{ color: #666; }} #card dd {{ margin: 0; }}
.h {{ font-weight: 700; font-size: 1.1em; }} .md {{ display: none; }}
#legend {{ font-size: 12px; margin-top: 6px; }} #legend span {{ margin-right: 12px; white-space: nowrap; }}
#legend i {{ display: inline-block; width: 18px; height: 0; border-bottom: 3px solid var(--c); margin-right: 4px; vertical-align: middle; }}
#legend i.rel {{ border-bottom-style: dashed; }}
</style></head>
<body>
<header><h1>{title}</h1><p>{summary}</p><div id="legend">{legend}</div></header>
<main id="text">{body}</main>
<div id="card" role="tooltip"></div>
<script type="application/json" id="kg-docs">{data}</script>
<script>
"use strict";
(function () {{
  const docs = JSON.parse(document.getElementById("kg-docs").textContent);
  const card = document.getElementById("card");
  function el(tag, text) {{ const e = document.createElement(tag); if (text !== undefined && text !== null) e.textContent = String(text); return e; }}
  function show(a, ev) {{
    const d = docs[a.dataset.doc]; if (!d) return;
    card.replaceChildren(el("h2", ((d.doc_type || "") + " " + d.symbol).trim()));
    const dl = el("dl");
    for (const [k, v] of [["Ngày", d.date || "—"], ["Cơ quan", d.issuer || "—"], ["Trích yếu", d.title || "—"], ["Số lần", d.mentions],
                          ["Tình trạng", d.status]])
      dl.append(el("dt", k), el("dd", v));
    for (const r of d.relations) dl.append(el("dt", r[0]), el("dd", r[1]));
    for (const c of d.conflicts) dl.append(el("dt", "Mâu thuẫn"), el("dd", c.field + ": " + c.values.join(" ≠ ")));
    card.appendChild(dl);
    card.style.display = "block";
    card.style.left = Math.min(ev.clientX + 12, window.innerWidth - 380) + "px";
    card.style.top = Math.min(ev.clientY + 14, window.innerHeight - 180) + "px";
  }}
  for (const a of document.querySelectorAll("a.cit")) {{
    a.addEventListener("mouseenter", ev => show(a, ev));
    a.addEventListener("mouseleave", () => {{ card.style.display = "none"; }});
  }}
}})();
</script>
</body></html>
"""


def _json_for_script(obj) -> str:
    return json.dumps(obj, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


_SUP = re.compile(r"&lt;sup&gt;(\d{1,3})&lt;/sup&gt;")
_HEADING = re.compile(r"^(#{1,6} )")
_BOLD = re.compile(r"\*\*")
MD = '<span class="md">{}</span>'  # a Markdown marker kept in the text (it is the report's) but not shown


def markdown_marks(body: str) -> str:
    """The little Markdown reports carry, shown as it reads: footnote marks as superscripts, a
    heading line ("## …") in bold, its hashes and "**" hidden. Every character of the report stays
    in the page (the markers are hidden, not removed); a line is wrapped only when its citation
    and relation elements open and close on it, so the page's elements stay nested."""
    body = _SUP.sub(lambda m: MD.format("&lt;sup&gt;") + f"<sup>{m.group(1)}</sup>" + MD.format("&lt;/sup&gt;"), body)
    body = _BOLD.sub(MD.format("**"), body)
    lines = body.split("\n")
    for i, line in enumerate(lines):
        m = _HEADING.match(line)
        if m and line.count("<a ") == line.count("</a>") and line.count("<mark") == line.count("</mark>"):
            lines[i] = '<span class="h">' + MD.format(m.group(1)) + line[m.end():] + "</span>"
    return "\n".join(lines)


def status_here(ex: Extraction, doc: str, symbol_of: dict) -> str:
    """The document's status as this report says it (see `kg show` for all loaded reports)."""
    for value, predicate, partly in STATUS_RANK:
        rels = [r for r in ex.relations if r.object == doc and r.predicate == predicate and bool(r.provisions) == partly]
        if rels and partly:  # "bị bãi bỏ một phần (Điều 16–18, bởi …)", never just "bị bãi bỏ"
            return f"{STATUS_VI[value]} (" + "; ".join(
                f"{compact(r.provisions)}, bởi {symbol_of.get(r.subject, 'văn bản này')}" for r in rels) + ")"
        if rels:
            return f"{STATUS_VI[value]} bởi {', '.join(symbol_of.get(r.subject, 'văn bản này') for r in rels)}"
    return STATUS_VI["no change known"]


def card_data(ex: Extraction) -> dict:
    """What the hover card shows for each document the report cites: relations in Vietnamese,
    read from the document's side ("thực hiện 05-CT/TW", "được sơ kết / tổng kết bởi báo cáo
    này"), never a raw IRI."""
    own = ex.source_document.id if ex.source_document else None
    symbol_of = {d.id: d.symbol for d in ex.documents}

    def name(iri):
        if iri in symbol_of:
            return symbol_of[iri]
        return "văn bản này" if iri == own and ex.source_document.symbol else "báo cáo này"
    docs = {}
    for d in ex.documents:
        rels = [[RELATION_VI[r.predicate][0], name(r.object)] for r in ex.relations if r.subject == d.id]
        rels += [[RELATION_VI[r.predicate][1], name(r.subject)] for r in ex.relations if r.object == d.id]
        docs[d.id] = {"symbol": d.symbol, "doc_type": d.doc_type, "date": vn_date(d.date), "issuer": d.issuer,
                      "title": d.title, "mentions": d.mentions, "relations": rels,
                      "status": status_here(ex, d.id, symbol_of),
                      "conflicts": [{"field": FIELD_VI.get(c.field, c.field), "values": [vn_date(str(v)) for v in c.values]}
                                    for c in d.conflicts]}
    return docs


def vn_date(iso: str | None) -> str | None:
    """2021-05-18 → 18/05/2021 (dates on pages read as Vietnamese write them)."""
    if not iso or len(iso) < 10 or iso[4] != "-":
        return iso
    return f"{iso[8:10]}/{iso[5:7]}/{iso[:4]}"


def annotated_text(ex: Extraction, href_for=None) -> str:
    """The report's text as HTML: every character escaped, citations as ``a.cit`` (linking to
    ``href_for(document IRI)`` when given, else focusable without a link), relation cues as
    ``mark.rel``, the little Markdown it carries shown as it reads."""
    text = ex.text
    type_of = {d.id: d.doc_type_id for d in ex.documents}
    spans = [(c.start, c.end, "cit", c) for c in ex.citations]
    taken = [(c.start, c.end) for c in ex.citations]
    for r in ex.relations:  # a cue inside a citation's own words is not marked twice
        if r.cue_end > r.cue_start and not any(s < r.cue_end and r.cue_start < e for s, e in taken):
            spans.append((r.cue_start, r.cue_end, "rel", r))
            taken.append((r.cue_start, r.cue_end))
    spans.sort(key=lambda s: s[0])
    out, pos = [], 0
    for start, end, kind, obj in spans:
        if start < pos:
            continue
        out.append(html.escape(text[pos:start]))
        inner = html.escape(text[start:end])
        if kind == "cit":
            colour = TYPE_COLOURS.get(type_of.get(obj.document) or "", "#999999")
            link = f'href="{html.escape(href_for(obj.document))}"' if href_for and obj.document else 'tabindex="0"'
            out.append(f'<a class="cit" style="--c:{colour}" {link} data-doc="{html.escape(obj.document or "")}">{inner}</a>')
        else:
            colour = RELATION_STYLES[obj.predicate]["color"]
            out.append(f'<mark class="rel" style="--c:{colour}" title="{html.escape(RELATION_VI[obj.predicate][0])}">{inner}</mark>')
        pos = end
    out.append(html.escape(text[pos:]))
    return markdown_marks("".join(out))


def legend(ex: Extraction) -> str:
    used_types = sorted({(d.doc_type, TYPE_COLOURS.get(d.doc_type_id or "", "#999999")) for d in ex.documents if d.doc_type})
    used_rels = sorted({r.predicate for r in ex.relations})
    return "".join(f'<span><i style="--c:{c}"></i>{html.escape(t)}</span>' for t, c in used_types) + \
        "".join(f'<span><i class="rel" style="--c:{RELATION_STYLES[p]["color"]}"></i>{html.escape(RELATION_VI[p][0])}</span>'
                for p in used_rels)


def annotate(ex: Extraction, graph_href: str | None = None) -> str:
    """The annotated page. Citations link to ``graph_href#<IRI>`` (a `kg viz` page) when given;
    without it they link nowhere (a graph.html that may not exist is no link)."""
    href_for = (lambda iri: f"{graph_href}#{quote(iri, safe='')}") if graph_href else None
    name = (ex.path or "-").rsplit("/", 1)[-1]
    summary = f"{len(ex.citations)} trích dẫn · {len(ex.documents)} văn bản · {len(ex.relations)} quan hệ"
    return PAGE.format(title=html.escape(name), summary=html.escape(summary), body=annotated_text(ex, href_for),
                       legend=legend(ex), data=_json_for_script(card_data(ex)))
