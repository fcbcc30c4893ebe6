"""Write the site: gather each page's facts, render and write only the pages whose facts changed.

The folder keeps a manifest (``.kg-site.json``: each page's path and the hash of its facts); a
rebuild after a load compares the new hash with it, renders and writes only the pages that
differ, and removes the pages of documents and reports that are gone. A folder that holds files
but no manifest is not ours: the build refuses it rather than write over someone's files.
"""
from __future__ import annotations

import hashlib
import json
import os
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import networkx as nx

from ..graph import document_graph
from ..normalise import search_key
from . import facts as F
from . import pages as P

MANIFEST = ".kg-site.json"
VERSION = 2          # bump when pages change shape: every page is then rewritten
SHARD_SIZE = 1000    # search records a shard (about 190 KB): the index page itself stays small
LIST_PAGE = 500      # documents a timeline page
TOP = 25


class SiteError(Exception):
    """A folder the site cannot be written to; one line for the user."""


@dataclass
class BuildResult:
    pages: int = 0          # pages the site has
    written: int = 0        # pages written by this build (the others had the same facts)
    removed: int = 0
    bytes: int = 0          # the site's size
    largest: tuple[int, str] = (0, "")
    documents: int = 0
    reports: int = 0
    written_paths: list[str] = field(default_factory=list)


class _Writer:
    """Pages by relative path; skips a page whose facts hash is the manifest's."""

    def __init__(self, out: Path, old: dict[str, str]):
        self.out, self.old, self.new, self.result = out, old, {}, BuildResult()

    def fresh(self, rel: str, key: str) -> bool:
        """True when the page exists with these facts: nothing to render."""
        self.new[rel] = key
        if self.old.get(rel) == key and (self.out / rel).is_file():
            size = (self.out / rel).stat().st_size
            self._count(rel, size)
            return True
        return False

    def write(self, rel: str, text: str) -> None:
        data = text.encode("utf-8")
        path = self.out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)  # a page is whole or absent, never half-written
        self.result.written += 1
        self.result.written_paths.append(rel)
        self._count(rel, len(data))

    def page(self, rel: str, facts, render: Callable[[], str]) -> None:
        if not self.fresh(rel, digest(facts)):
            self.write(rel, render())

    def _count(self, rel: str, size: int) -> None:
        self.result.pages += 1
        self.result.bytes += size
        if size > self.result.largest[0]:
            self.result.largest = (size, rel)


def digest(obj) -> str:
    return hashlib.sha1((str(VERSION) + json.dumps(obj, ensure_ascii=False, sort_keys=True, default=str))
                        .encode("utf-8", "surrogatepass")).hexdigest()


def _open(out: Path) -> dict[str, str]:
    if out.exists() and not out.is_dir():
        raise SiteError(f"{out} is a file, not a folder")
    manifest = out / MANIFEST
    if manifest.is_file():
        try:
            data = json.loads(manifest.read_text(encoding="utf-8"))
            return data["pages"] if data.get("version") == VERSION else {}
        except (ValueError, KeyError, TypeError):
            return {}
    if out.is_dir() and any(out.iterdir()):
        raise SiteError(f"{out} holds files but is not a kg site (no {MANIFEST}): give an empty or new folder")
    return {}


def _save(out: Path, pages: dict[str, str]) -> None:
    tmp = out / (MANIFEST + ".tmp")
    tmp.write_text(json.dumps({"version": VERSION, "pages": pages}, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, out / MANIFEST)


def _paginate(rows: list, size: int) -> list[list]:
    return [rows[i:i + size] for i in range(0, len(rows), size)] or [[]]


def build(g: nx.MultiDiGraph, out: str | Path, *, texts: dict[str, tuple[str, str]] | None = None,
          progress: Callable[[int, int], None] | None = None) -> BuildResult:
    """Write the site for graph ``g`` into ``out``. ``texts`` maps a report's IRI to its annotated
    text and legend (HTML, from `kg.annotate`), for reports read in this build; the others show
    their cited sentences. ``progress(done, total)`` is called as pages are done."""
    out = Path(out)
    old = _open(out)
    out.mkdir(parents=True, exist_ok=True)
    if not (out / MANIFEST).is_file():  # ours from the first page on: a first build stopped half-way is resumed, not refused
        _save(out, {})
    w = _Writer(out, old)
    texts = texts or {}
    docs = [n for n, a in g.nodes(data=True) if a.get("kind") == "document"]
    reports = [n for n, a in g.nodes(data=True) if a.get("kind") == "report"]
    total = len(docs) + len(reports) + 1
    done = 0
    dgraph = document_graph(g)
    adj = F.Adjacency(g, dgraph)
    statuses: dict[str, str] = {}

    def tick():
        nonlocal done
        done += 1
        if progress and (done % 200 == 0 or done == total):
            progress(done, total)

    for n in sorted(docs):
        f = F.document(g, dgraph, n, adj)
        slug = f["slug"]
        statuses[n] = f["status"]["key"]
        cited = f.pop("cited_by")
        f["cited_total"] = len(cited)
        chunks = _paginate(cited, F.CITED_PER_PAGE)
        for i, chunk in enumerate(chunks, 1):
            rel = f"van-ban/{slug}.html" if i == 1 else f"van-ban/{slug}.{i}.html"
            w.page(rel, [f, chunk, i, len(chunks)] if i == 1 else [f["symbol"], f["slug"], f["cited_total"], chunk, i, len(chunks)],
                   lambda f=f, chunk=chunk, i=i, k=len(chunks): P.document_page(f, chunk, i, k))
        tick()

    stated = F.statements_by_report(g)
    excerpts = F.excerpts_by_report(g)
    for r in sorted(reports):
        f = F.report(g, r, stated.get(r, []), excerpts)
        body = texts.get(r)
        w.page(f"bao-cao/{f['slug']}.html", [f, body], lambda f=f, body=body: P.report_page(f, *(body or (None, ""))))
        tick()

    _lists(g, w, docs)
    _index(g, w, docs, reports, statuses)
    tick()
    result = w.result
    for rel in set(old) - set(w.new):  # documents and reports that are gone
        path = out / rel
        if path.is_file():
            path.unlink()
            result.removed += 1
    _save(out, w.new)
    result.documents, result.reports = len(docs), len(reports)
    return result


def _lists(g: nx.MultiDiGraph, w: _Writer, docs: list[str]) -> None:
    """One timeline per issuing body and per year, and their directories."""
    by_issuer: dict[str, list[str]] = defaultdict(list)
    by_year: dict[str, list[str]] = defaultdict(list)
    for n in docs:
        a = g.nodes[n]
        if F.issuer_of(a):
            by_issuer[F.issuer_of(a)].append(n)
        by_year[str(F.year_of(a) or "khong-ro")].append(n)
    entries = []
    for name in sorted(by_issuer, key=search_key):
        slug = F.issuer_slug(name)
        rows = F.listing(g, by_issuer[name])
        entries.append((f"{slug}.html", name, len(rows)))
        chunks = _paginate(rows, LIST_PAGE)
        for i, chunk in enumerate(chunks, 1):
            rel = f"co-quan/{slug}.html" if i == 1 else f"co-quan/{slug}.{i}.html"
            w.page(rel, [name, chunk, i, len(chunks)], lambda name=name, chunk=chunk, i=i, k=len(chunks), slug=slug:
                   P.listing_page(name, chunk, slug, i, k, show_issuer=False,
                                  intro='<p class="muted">Các văn bản của cơ quan này mà báo cáo đã nạp trích dẫn, theo thời gian.</p>'))
    w.page("co-quan/index.html", entries, lambda: P.directory_page("Cơ quan ban hành", entries))
    years = []
    for y in sorted(by_year, reverse=True):
        rows = F.listing(g, by_year[y])
        name = f"Năm {y}" if y != "khong-ro" else "Không rõ năm"
        years.append((f"{y}.html", name, len(rows)))
        chunks = _paginate(rows, LIST_PAGE)
        for i, chunk in enumerate(chunks, 1):
            rel = f"nam/{y}.html" if i == 1 else f"nam/{y}.{i}.html"
            w.page(rel, [name, chunk, i, len(chunks)], lambda name=name, chunk=chunk, i=i, k=len(chunks), y=y:
                   P.listing_page(name, chunk, y, i, k, show_issuer=True))
    w.page("nam/index.html", years, lambda: P.directory_page("Văn bản theo năm ban hành", years))


def _index(g: nx.MultiDiGraph, w: _Writer, docs: list[str], reports: list[str], statuses: dict[str, str]) -> None:
    records = [F.record(g, n, statuses.get(n, "none")) for n in sorted(docs)]
    shards = _paginate(records, SHARD_SIZE)
    for i, rows in enumerate(shards):
        w.page(f"tim/{i}.js", rows, lambda rows=rows: P.shard(rows))
    options = {
        "type": sorted(Counter(r[2] for r in records if r[2]).items()),
        "issuer": sorted(Counter(r[4] for r in records if r[4]).items(), key=lambda x: search_key(x[0])),
        "level": sorted(Counter(r[5] for r in records if r[5]).items()),
        "year": sorted(Counter(r[3][:4] for r in records if r[3]).items(), reverse=True),
        "status": sorted(Counter(r[6] for r in records).items()),
    }
    cited_by = {n: sum(1 for _ in g.predecessors(n) if g.nodes[_].get("kind") == "report") for n in docs}
    top = sorted(docs, key=lambda n: (-(g.nodes[n].get("mentions") or 0), g.nodes[n].get("symbol") or ""))[:TOP]
    top_rows = [{**F.ref(g, n), "mentions": g.nodes[n].get("mentions") or 0, "reports": cited_by[n]} for n in top]
    latest = sorted((n for n in docs if g.nodes[n].get("date")), key=lambda n: (g.nodes[n]["date"], n), reverse=True)[:TOP]
    latest_rows = [F.ref(g, n) for n in latest]
    conflicts = []
    for n in sorted(docs, key=lambda n: g.nodes[n].get("symbol") or ""):
        seen = set()
        for c in g.nodes[n].get("conflicts") or []:
            key = (c.get("field"), tuple(map(str, c.get("values") or [])))
            if key not in seen:
                seen.add(key)
                conflicts.append({"doc": F.ref(g, n), "field": c.get("field"), "values": list(key[1])})
    meta = {"shards": len(shards), "documents": len(docs), "reports": len(reports)}
    chunks = _paginate(conflicts, LIST_PAGE)
    for i, chunk in enumerate(chunks, 1):
        w.page("mau-thuan.html" if i == 1 else f"mau-thuan.{i}.html", [chunk, i, len(chunks)],
               lambda chunk=chunk, i=i, k=len(chunks): P.conflicts_page(chunk, i, k))
    w.page("index.html", [meta, options, top_rows, latest_rows, conflicts[:20], len(conflicts)],
           lambda: P.index_page(meta, options, top_rows, latest_rows, conflicts[:20], len(conflicts)))
