"""`kg site` at scale: build time, page count and sizes from a store of synthetic reports, then a
rebuild with nothing changed (it renders nothing).

    .venv/bin/python bench/bench_site.py --reports 10000 [--work /tmp/site-bench] [--reuse]

Makes the reports with bench/synth.py and loads them with `kg load` (skipped with --reuse when the
store is already there), then reads the store's graph once and builds the site twice in-process
(what `kg site --store` does, timed by stage). Prints one JSON line of figures.
"""
from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def sizes(folder: Path) -> dict:
    files = [p for p in folder.rglob("*") if p.is_file() and p.name != ".kg-site.json"]
    by = sorted((p.stat().st_size for p in files), reverse=True)
    return {"pages": len(files), "mb": round(sum(by) / 1e6, 1), "largest_kb": round(by[0] / 1e3, 1),
            "median_kb": round(by[len(by) // 2] / 1e3, 1), "index_kb": round((folder / "index.html").stat().st_size / 1e3, 1),
            "over_200kb": sum(1 for b in by if b >= 200_000)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--reports", type=int, default=10000)
    ap.add_argument("--work", type=Path, default=Path("/tmp/site-bench"))
    ap.add_argument("--reuse", action="store_true", help="keep an existing store of that size")
    a = ap.parse_args()
    tag = f"{a.reports // 1000}k" if a.reports >= 1000 else str(a.reports)
    reports, store, out = a.work / f"r{tag}", a.work / f"s{tag}", a.work / f"site{tag}"
    if not (a.reuse and store.exists()):
        shutil.rmtree(reports, ignore_errors=True)
        shutil.rmtree(store, ignore_errors=True)
        subprocess.run([sys.executable, str(HERE / "synth.py"), str(reports), "--reports", str(a.reports)], check=True)
        subprocess.run([sys.executable, "-m", "kg", "load", str(reports), "--store", str(store), "-j", "2"], check=True,
                       stdout=subprocess.DEVNULL)
    from kg.graph import from_store
    from kg.site import build
    from kg.store import open_store
    shutil.rmtree(out, ignore_errors=True)
    t = time.perf_counter()
    db = open_store(str(store), read_only=True)
    g = from_store(db)
    db.close()
    read = time.perf_counter() - t
    t = time.perf_counter()
    first = build(g, out)
    pages = time.perf_counter() - t
    t = time.perf_counter()
    again = build(g, out)
    rebuild = time.perf_counter() - t
    print(json.dumps({"reports": a.reports, "documents": first.documents, "read_store_s": round(read, 1),
                      "pages_s": round(pages, 1), "rebuild_unchanged_s": round(rebuild, 1), "rebuild_written": again.written,
                      "largest": first.largest[1], **sizes(out)}, ensure_ascii=False))


if __name__ == "__main__":
    main()
