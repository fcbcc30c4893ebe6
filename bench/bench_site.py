"""`kg site` at scale: build time, page count and sizes from a store of synthetic reports, then a
rebuild with nothing changed (it renders and writes nothing).

    .venv/bin/python bench/bench_site.py --reports 10000 [--work /tmp/site-bench] [--reuse]

Makes the reports with bench/synth.py and loads them with `kg load` (skipped with --reuse when the
store is already there), then reads the store's graph once and builds the site twice in-process
(what `kg site --store` does, timed by stage). The machine is often shared: each stage gives its
wall time, this process's CPU time and the load average, and progress lines go to stderr every
5,000 pages (wall, CPU, pages done) so that a run stopped early still gives a rate. Prints one
JSON line of figures at the end.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def sizes(folder: Path) -> dict:
    files = [p for p in folder.rglob("*") if p.is_file() and p.name != ".kg-site.json"]
    pages = sorted((p.stat().st_size for p in files if p.suffix == ".html"), reverse=True)
    by = sorted((p.stat().st_size for p in files), reverse=True)
    return {"files": len(files), "html_pages": len(pages), "mb": round(sum(by) / 1e6, 1),
            "largest_kb": round(by[0] / 1e3, 1), "median_page_kb": round(pages[len(pages) // 2] / 1e3, 1),
            "mean_page_kb": round(sum(pages) / len(pages) / 1e3, 1), "index_kb": round((folder / "index.html").stat().st_size / 1e3, 1),
            "over_200kb": sum(1 for b in by if b >= 200_000)}


def open_index(folder: Path, runs: int = 3) -> dict:
    """index.html in Debian's Chromium from file://: the load event, the search index loaded (all
    shards), and one search over every record; best and worst of ``runs`` fresh pages."""
    from playwright.sync_api import sync_playwright
    loads, ready, searches = [], [], []
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
        for _ in range(runs):
            page = b.new_page()
            t = time.perf_counter()
            page.goto((folder / "index.html").as_uri(), wait_until="load")
            loads.append(time.perf_counter() - t)
            page.wait_for_function("window.kgSearchReady === true", timeout=120_000)
            ready.append(time.perf_counter() - t)
            t = time.perf_counter()
            page.fill("#q", "ket luan")
            page.wait_for_function("document.getElementById('count').textContent.includes('văn bản')", timeout=120_000)
            searches.append(time.perf_counter() - t)
            page.close()
        b.close()
    span = lambda xs: [round(min(xs), 2), round(max(xs), 2)]  # noqa: E731
    return {"index_load_event_s": span(loads), "search_ready_s": span(ready), "search_s": span(searches)}


class Clock:
    def __init__(self):
        self.t, self.c = time.perf_counter(), time.process_time()

    def lap(self) -> dict:
        t, c = time.perf_counter(), time.process_time()
        out = {"wall_s": round(t - self.t, 1), "cpu_s": round(c - self.c, 1), "load": round(os.getloadavg()[0], 1)}
        self.t, self.c = t, c
        return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--reports", type=int, default=10000)
    ap.add_argument("--work", type=Path, default=Path("/tmp/site-bench"))
    ap.add_argument("--reuse", action="store_true", help="keep an existing store of that size")
    ap.add_argument("--open-only", action="store_true", help="only time opening the built site's index.html")
    a = ap.parse_args()
    tag = f"{a.reports // 1000}k" if a.reports >= 1000 else str(a.reports)
    reports, store, out = a.work / f"r{tag}", a.work / f"s{tag}", a.work / f"site{tag}"
    if not (a.reuse and store.exists()):
        shutil.rmtree(reports, ignore_errors=True)
        shutil.rmtree(store, ignore_errors=True)
        subprocess.run([sys.executable, str(HERE / "synth.py"), str(reports), "--reports", str(a.reports)], check=True)
        subprocess.run([sys.executable, "-m", "kg", "load", str(reports), "--store", str(store), "-j", "2"], check=True,
                       stdout=subprocess.DEVNULL)
    if a.open_only:
        print(json.dumps({"reports": a.reports, **sizes(out), **open_index(out)}, ensure_ascii=False))
        return
    from kg.graph import from_store
    from kg.site import build
    from kg.store import open_store
    shutil.rmtree(out, ignore_errors=True)
    started = Clock()

    def progress(done: int, total: int) -> None:
        if done % 5000 < 200 or done == total:
            t = time.perf_counter() - started.t
            print(f"site bench: {done}/{total} pages, {t:.0f} s wall, {time.process_time() - started.c:.0f} s CPU, "
                  f"load {os.getloadavg()[0]:.1f}", file=sys.stderr, flush=True)

    clock = Clock()
    db = open_store(str(store), read_only=True)
    g = from_store(db)
    db.close()
    read = clock.lap()
    print(f"site bench: read the store {read}", file=sys.stderr, flush=True)
    started = Clock()
    first = build(g, out, progress=progress)
    pages = clock.lap()
    again = build(g, out)
    rebuild = clock.lap()
    print(json.dumps({"reports": a.reports, "documents": first.documents, "read_store": read, "build": pages,
                      "rebuild_unchanged": rebuild, "rebuild_written": again.written, "written": first.written,
                      "largest": first.largest[1], **sizes(out), **open_index(out)}, ensure_ascii=False))


if __name__ == "__main__":
    main()
