"""The SPARQL endpoint under a bounded load on loopback.

    .venv/bin/python bench/bench_endpoint.py --store /tmp/kg-bench/store-10000 [--clients 4] [--queries 2000]

Starts `kg serve` on a free loopback port, sends --queries named queries from --clients processes
(bounded in count, and each request in time), and prints throughput and p50/p99 latency, the
errors, that an UPDATE is refused, and that a pathological query is stopped by the time limit
while the server keeps answering.
"""
from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kg.query import named_queries  # noqa: E402
from kg.store import SPARQL_PREFIXES  # noqa: E402

PATHOLOGICAL = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def client(args):
    url, queries, n, seed = args
    out = []
    with httpx.Client(timeout=30) as http:
        for i in range(n):
            q = queries[(seed + i) % len(queries)]
            t0 = time.perf_counter()
            try:
                r = http.post(url, content=q.encode(), headers={"Content-Type": "application/sparql-query",
                                                                 "Accept": "application/sparql-results+json"})
                ok = r.status_code == 200
            except httpx.HTTPError:
                ok = False
            out.append((time.perf_counter() - t0, ok))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--store", required=True)
    ap.add_argument("--clients", type=int, default=4)
    ap.add_argument("--queries", type=int, default=2000)
    ap.add_argument("--timeout", type=int, default=5)
    args = ap.parse_args()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([str(ROOT / ".venv/bin/kg"), "serve", "--store", args.store, "--port", str(port),
                             "--timeout", str(args.timeout)], stderr=subprocess.DEVNULL, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                httpx.get(base + "/", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        queries = [SPARQL_PREFIXES + p.read_text(encoding="utf-8") for p in named_queries().values()]
        per = args.queries // args.clients
        t0 = time.perf_counter()
        with mp.Pool(args.clients) as pool:
            results = [x for chunk in pool.map(client, [(base + "/query", queries, per, i * 7) for i in range(args.clients)])
                       for x in chunk]
        wall = time.perf_counter() - t0
        lat = sorted(t for t, _ in results)
        errors = sum(1 for _, ok in results if not ok)
        print(f"{len(results)} queries from {args.clients} clients in {wall:.1f} s: {len(results) / wall:.0f} queries/s; "
              f"p50 {statistics.median(lat) * 1000:.1f} ms, p99 {lat[int(len(lat) * 0.99)] * 1000:.1f} ms; errors {errors}")
        upd = httpx.post(base + "/update", content=b"INSERT DATA { <http://a> <http://b> <http://c> }",
                         headers={"Content-Type": "application/sparql-update"})
        print(f"UPDATE answered {upd.status_code} (refused: {upd.status_code >= 400})")
        t0 = time.perf_counter()
        try:
            bad = httpx.post(base + "/query", content=PATHOLOGICAL.encode(), timeout=args.timeout * 6,
                             headers={"Content-Type": "application/sparql-query"})
            status = bad.status_code
        except httpx.HTTPError as e:
            status = type(e).__name__
        print(f"pathological query: {status} after {time.perf_counter() - t0:.1f} s (limit {args.timeout} s)")
        after = httpx.get(base + "/query", params={"query": "ASK { ?s ?p ?o }"}, headers={"Accept": "application/sparql-results+json"})
        print(f"server still answers: {after.status_code == 200}")
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(10)


if __name__ == "__main__":
    main()
