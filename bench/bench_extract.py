"""Extraction speed: kg.extract end to end vs. a bare re.finditer of the symbol pattern alone
(the practical limit), on the seed report replicated to >= 10 MB; and the cold CLI wall time.

    .venv/bin/python bench/bench_extract.py [--mb 10] [--runs 3]
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "corpus" / "bao-cao-so-ket-3-nam-kl01-cbdv-2024.md"


def best_of(runs: int, fn) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mb", type=float, default=10.0)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()

    import kg
    from kg import find

    seed = SEED.read_text(encoding="utf-8")
    copies = int(args.mb * 1_000_000 // len(seed.encode("utf-8"))) + 1
    text = "\n\n".join([seed] * copies)
    mb = len(text.encode("utf-8")) / 1_000_000
    kg.extract(seed)  # warm: spaCy pipeline built once per process

    bare = best_of(args.runs, lambda: sum(1 for _ in find.SYMBOL.finditer(text)))
    full = best_of(args.runs, lambda: kg.extract(text))
    ex = kg.extract(text)

    cold = []
    for _ in range(args.runs):
        t0 = time.perf_counter()
        subprocess.run([str(ROOT / ".venv/bin/kg"), "extract", str(SEED), "--format", "json"],
                       check=True, stdout=subprocess.DEVNULL)
        cold.append(time.perf_counter() - t0)

    print(f"text: {mb:.1f} MB ({copies} copies of the seed), {len(ex.citations)} citations")
    print(f"bare re.finditer (symbol pattern): {mb / bare:8.1f} MB/s  ({bare:.3f} s)")
    print(f"kg.extract end to end:             {mb / full:8.1f} MB/s  ({full:.3f} s)")
    print(f"extract / bare: {bare / full:.1%}")
    print(f"cold `kg extract <seed> --format json`: median {statistics.median(cold):.2f} s, best {min(cold):.2f} s")


if __name__ == "__main__":
    sys.exit(main())
