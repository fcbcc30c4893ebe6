"""Store benchmark: load throughput and named-query latency at several corpus sizes, with the
same queries on rdflib's in-memory store for comparison.

    .venv/bin/python bench/bench_store.py [--sizes 1000,10000,100000] [--rdflib-max 10000] [--workdir /tmp/kg-bench]

Reports are synthetic (bench/synth.py, from the project's grammar tables). Prints one table per
size; the figures go in the closing notes, not in tests.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synth import generate  # noqa: E402

from kg.load import load, restart_under_jemalloc  # noqa: E402
from kg.query import named_queries  # noqa: E402
from kg.store import SPARQL_PREFIXES, LocalStore  # noqa: E402


RDFLIB_CAP = 60.0  # seconds one rdflib query may take before it is stopped and reported as "> cap"


def rdflib_query(graph, sparql: str) -> tuple[float | None, int]:
    """Time one query on rdflib in a forked child, so a query that runs for ever can be stopped."""
    import multiprocessing as mp
    ctx = mp.get_context("fork")
    q = ctx.Queue()

    def child():
        t0 = time.perf_counter()
        n = len(list(graph.query(sparql)))
        q.put((time.perf_counter() - t0, n))
    p = ctx.Process(target=child)
    p.start()
    p.join(RDFLIB_CAP)
    if p.is_alive():
        p.kill()
        p.join()
        return None, -1
    return q.get()


def cpu_seconds() -> tuple[float, float]:
    """CPU seconds (user + system) of this process and of its ended children (the workers)."""
    import resource
    me, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime, children.ru_utime + children.ru_stime


def time_query(fn, runs: int) -> tuple[float, int]:
    times, n = [], 0
    for _ in range(runs):
        t0 = time.perf_counter()
        n = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), n


def main() -> None:
    # measured as `kg load` runs a large load: under jemalloc where the machine has it
    restart_under_jemalloc([sys.executable, *sys.argv])
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1000,10000")
    ap.add_argument("--rdflib-max", type=int, default=10000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--workers", type=int, default=None, help="extraction processes (default: as many as cores)")
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/kg-bench"))
    args = ap.parse_args()
    queries = {name: path.read_text(encoding="utf-8") for name, path in named_queries().items()}

    for size in [int(s) for s in args.sizes.split(",")]:
        folder, store_dir = args.workdir / f"reports-{size}", args.workdir / f"store-{size}"
        if not folder.exists():
            t0 = time.perf_counter()
            generate(folder, size)
            print(f"[{size}] generated in {time.perf_counter() - t0:.1f} s", flush=True)
        shutil.rmtree(store_dir, ignore_errors=True)
        store = LocalStore(str(store_dir))
        t0 = time.perf_counter()
        marks: list[tuple[int, float]] = []

        def progress(done, total, path, step=max(1000, size // 10)):  # the rate per tenth of the load
            if done and done % step == 0:
                marks.append((done, time.perf_counter()))
        cpu0 = cpu_seconds()
        summary = load([str(folder)], store, workers=args.workers, on_progress=progress)
        secs = time.perf_counter() - t0
        cpu1 = cpu_seconds()
        store.close()
        del store
        store = LocalStore(str(store_dir), read_only=True)  # queried as `kg query` would: reopened
        print(f"\n== {size} reports ==")
        print(f"load: {secs:.1f} s (derived graphs {summary.finish_seconds:.1f} s, compaction beside them {summary.compact_seconds:.1f} s), {summary.loaded / secs:.1f} reports/s, "
              f"{summary.quads / secs:,.0f} quads/s; "
              f"{summary.citations:,} citations; store: {summary.store['documents']:,} documents, "
              f"{summary.store['triples']:,} quads; {sum(f.stat().st_size for f in store_dir.rglob('*') if f.is_file()) / 1e6:.0f} MB on disk",
              flush=True)

        print(f"  cpu: main process {cpu1[0] - cpu0[0]:.1f} s (the writer, the derived graphs, the compaction), "
              f"workers {cpu1[1] - cpu0[1]:.1f} s (extraction); load average {os.getloadavg()[0]:.1f}", flush=True)
        print("  derived graphs: " + ", ".join(f"{k} {v:.1f} s" for k, v in summary.finish_steps.items()), flush=True)
        last = (0, t0)
        for done, at in marks:
            print(f"  reports {last[0] + 1:>7,}–{done:<7,}: {(done - last[0]) / (at - last[1]):6.1f} reports/s", flush=True)
            last = (done, at)
        graph = None
        if size <= args.rdflib_max:
            import rdflib
            t0 = time.perf_counter()
            graph = rdflib.Dataset(default_union=True)
            graph.parse(data=store.dump(), format="nquads")
            print(f"rdflib Memory: loaded in {time.perf_counter() - t0:.1f} s", flush=True)
        print(f"{'query':24} {'oxigraph ms':>12} {'rows':>6} {'rdflib ms':>12} {'speed-up':>9}")
        for name, q in queries.items():
            ox_ms, rows = time_query(lambda: sum(1 for _ in store.query(q)), args.runs)
            line = f"{name:24} {ox_ms * 1000:12.1f} {rows:6d}"
            if graph is not None:
                rd_s, rd_rows = rdflib_query(graph, SPARQL_PREFIXES + q)
                if rd_s is None:
                    line += f" {'> ' + str(int(RDFLIB_CAP * 1000)):>12} {'> ' + str(int(RDFLIB_CAP / ox_ms)):>8}×"
                else:
                    line += f" {rd_s * 1000:12.1f} {rd_s / ox_ms:8.0f}×" + ("" if rd_rows == rows else f" (rows {rd_rows})")
            print(line, flush=True)
        store.close()


if __name__ == "__main__":
    main()
