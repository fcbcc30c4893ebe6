"""`kg site` at scale: build time, page count and sizes from a store of synthetic reports, then a
rebuild with nothing changed (it should render nothing).

    .venv/bin/python bench/bench_site.py --reports 10000 [--work /tmp/site-bench] [--reuse]

Makes the reports with bench/synth.py and loads them with `kg load` (skipped with --reuse when the
store is already there), then times `kg site --store`. Prints one JSON line of figures.
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
KG = [sys.executable, "-m", "kg"]


def run(*args) -> tuple[float, str]:
    t = time.perf_counter()
    p = subprocess.run(list(args), capture_output=True, text=True)
    if p.returncode:
        sys.exit(f"bench_site: {' '.join(map(str, args))} failed: {p.stderr.strip()}")
    return time.perf_counter() - t, p.stderr.strip()


def sizes(folder: Path) -> dict:
    files = [p for p in folder.rglob("*") if p.is_file() and p.name != ".kg-site.json"]
    by = sorted((p.stat().st_size for p in files), reverse=True)
    index = (folder / "index.html").stat().st_size
    return {"pages": len(files), "mb": round(sum(by) / 1e6, 1), "largest_kb": round(by[0] / 1e3, 1),
            "median_kb": round(by[len(by) // 2] / 1e3, 1), "index_kb": round(index / 1e3, 1),
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
        run(sys.executable, str(HERE / "synth.py"), str(reports), "--reports", str(a.reports))
        run(*KG, "load", str(reports), "--store", str(store), "-j", "2")
    shutil.rmtree(out, ignore_errors=True)
    build, msg = run(*KG, "site", "--store", str(store), "--out", str(out))
    rebuild, msg2 = run(*KG, "site", "--store", str(store), "--out", str(out))
    print(json.dumps({"reports": a.reports, "build_s": round(build, 1), "rebuild_unchanged_s": round(rebuild, 1),
                      **sizes(out), "kg": msg, "rebuild": msg2}, ensure_ascii=False))


if __name__ == "__main__":
    main()
