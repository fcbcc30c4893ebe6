"""Loading into a shared SPARQL server: `oxigraph serve` and Virtuoso 7, each started fresh here.

    .venv/bin/python bench/bench_remote.py [--size 10000] [--engines oxigraph,virtuoso] [--workdir /tmp/kg-bench]

Reports are synthetic (bench/synth.py). Prints reports/s of `kg load` into each server (batched
SPARQL Update, the derived graphs rebuilt on the server) and the median of each named query
over HTTP.
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

from servers import start_oxigraph, start_virtuoso, stop  # noqa: E402
from synth import generate  # noqa: E402

from kg.load import load  # noqa: E402
from kg.query import named_queries  # noqa: E402
from kg.store import RemoteStore  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", type=int, default=10000)
    ap.add_argument("--engines", default="oxigraph,virtuoso")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/kg-bench"))
    args = ap.parse_args()
    folder = args.workdir / f"reports-{args.size}"
    if not folder.exists():
        generate(folder, args.size)
    for name in args.engines.split(","):
        home = args.workdir / f"server-{name}"
        shutil.rmtree(home, ignore_errors=True)
        if name == "oxigraph":
            proc, url = start_oxigraph(home)
            store = RemoteStore(url)
        else:
            home.mkdir(parents=True)
            proc, url = start_virtuoso(home)
            os.environ.update(KG_SPARQL_USER="dba", KG_SPARQL_PASSWORD="dba")
            store = RemoteStore(url + "/sparql", update_endpoint=url + "/sparql-auth",
                                graph_store=url + "/sparql-graph-crud-auth")
        try:
            t0 = time.perf_counter()
            s = load([str(folder)], store)
            secs = time.perf_counter() - t0
            disk = sum(f.stat().st_size for f in home.rglob("*") if f.is_file()) / 1e6
            print(f"\n== {name}: {args.size} reports ==\nload: {secs:.1f} s = {s.loaded / secs:.1f} reports/s "
                  f"(derived graphs {s.finish_seconds:.1f} s); {s.store['triples']:,} quads; {disk:.0f} MB on disk", flush=True)
            for q, path in named_queries().items():
                text = path.read_text(encoding="utf-8")
                times = []
                for _ in range(args.runs):
                    t = time.perf_counter()
                    rows = store.select(text)
                    times.append(time.perf_counter() - t)
                print(f"{q:24} {statistics.median(times) * 1000:9.1f} ms {len(rows):6d} rows", flush=True)
        finally:
            store.close()
            stop(proc)


if __name__ == "__main__":
    main()
