"""Extraction on Dask against the plain `kg load`, in the same run, on the same synthetic reports.

    .venv/bin/python bench/bench_distribute.py [--size 10000] [--workers 2] [--scheduler tcp://…] [--workdir /tmp/kg-bench]

Three timings: `kg load REPORTS` (extraction in local processes, written as it goes); extraction
as Dask jobs into shards; `kg load SHARDS`. On one machine Dask's workers compete with nothing
else, so extract + load of shards shows the price of the detour; on a cluster only the load of
shards stays on the store's machine.
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synth import generate  # noqa: E402

from kg.distribute import extract_to_shards  # noqa: E402
from kg.load import load, restart_under_jemalloc  # noqa: E402
from kg.query import named_queries  # noqa: E402
from kg.resolve import DEFAULT_BASE  # noqa: E402
from kg.store import LocalStore  # noqa: E402


def main() -> None:
    # measured as `kg load` runs a large load: under jemalloc where the machine has it
    restart_under_jemalloc([sys.executable, *sys.argv])
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", type=int, default=10000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--scheduler", default=None)
    ap.add_argument("--files-per-shard", type=int, default=500)
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/kg-bench"))
    ap.add_argument("--skip-plain", action="store_true", help="only the Dask path")
    ap.add_argument("--reuse-shards", action="store_true", help="load the shards a previous run wrote")
    args = ap.parse_args()
    folder = args.workdir / f"reports-{args.size}"
    if not folder.exists():
        generate(folder, args.size)
    shards, direct, via = args.workdir / "shards", args.workdir / "store-direct", args.workdir / "store-shards"
    for p in (direct, via) if args.reuse_shards else (shards, direct, via):
        shutil.rmtree(p, ignore_errors=True)

    plain = float("nan")
    if not args.skip_plain:
        store = LocalStore(str(direct))
        t0 = time.perf_counter()
        s = load([str(folder)], store, workers=args.workers)
        plain = time.perf_counter() - t0
        store.close()
        print(f"kg load REPORTS:        {plain:7.1f} s  {s.loaded / plain:6.0f} reports/s  (derived graphs {s.finish_seconds:.1f} s, "
              f"compaction {s.compact_seconds:.1f} s; {s.store['triples']:,} quads, {disk(direct):.0f} MB)", flush=True)

    t0 = time.perf_counter()
    x = None if args.reuse_shards else extract_to_shards([str(folder)], str(shards), base=DEFAULT_BASE, scheduler=args.scheduler,
                          workers=args.workers, files_per_shard=args.files_per_shard)
    extract = time.perf_counter() - t0
    size = sum(f.stat().st_size for f in shards.glob("*.nq")) / 1e6
    if x is not None:
        print(f"dask extract → shards: {extract:7.1f} s  {x.reports / extract:6.0f} reports/s  ({x.shards} shards, {size:.0f} MB)", flush=True)

    store = LocalStore(str(via))
    t0 = time.perf_counter()
    s2 = load([str(shards)], store)
    loaded = time.perf_counter() - t0
    store.close()
    print(f"kg load SHARDS:         {loaded:7.1f} s  {s2.loaded / loaded:6.0f} reports/s  (derived graphs {s2.finish_seconds:.1f} s, "
          f"compaction {s2.compact_seconds:.1f} s; {s2.store['triples']:,} quads, {disk(via):.0f} MB)", flush=True)
    print("  derived graphs: " + ", ".join(f"{k} {v:.1f} s" for k, v in s2.finish_steps.items()), flush=True)
    print(f"dask total:             {extract + loaded:7.1f} s  against {plain:.1f} s", flush=True)
    store = LocalStore(str(via), read_only=True)
    for name, path in named_queries().items():
        text = path.read_text(encoding="utf-8")
        times = []
        for _ in range(5):
            t = time.perf_counter()
            rows = store.select(text)
            times.append(time.perf_counter() - t)
        print(f"{name:24} {statistics.median(times) * 1000:9.1f} ms {len(rows):6d} rows", flush=True)
    store.close()


def disk(folder: Path) -> float:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file()) / 1e6


if __name__ == "__main__":
    main()
