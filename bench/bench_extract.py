"""Extraction speed, measured as ratios within one run (the machine is shared: absolute MB/s
move with its load, ratios far less).

    .venv/bin/python bench/bench_extract.py [--copies 100] [--runs 5] [--pool] [--cold 5] [--against DIR]

- ``seed ×N``: the seed report repeated N times (100 → 5 MB), one `kg.extract` call;
- ``pool``: the 750 pages of ../shared/pool, one `kg.extract` call each (texts read beforehand);
- against, in the same run: ``bare``, a `re.finditer` of the symbol pattern alone (the scan's
  limit), and ``naive``, a one-regex extractor (NFC, then one pattern: optional type word and
  "số", the symbol, an optional ", ngày d/m/y", an optional "của <body>"; a dict a match);
- ``cold``: `kg extract <seed> --format json` against `python -c 'import spacy'`, interleaved (also
  without the regex cache, and the ``--against`` checkout's);
- ``--against DIR``: also the kg of another checkout (``git worktree add --detach DIR main``),
  run in a worker process (PYTHONPATH=DIR) in turn with the others: ``kg@DIR``, the speed-up
  against it measured in the same run.

Each timing is CPU time of this process (`time.process_time`, which a busy machine disturbs far
less than wall time), best of ``--runs``, the contenders interleaved run by run.
"""
from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "corpus" / "bao-cao-so-ket-3-nam-kl01-cbdv-2024.md"
SHARED = Path(os.environ.get("KG_SHARED", ROOT.parent / "shared")).resolve()


def naive_extractors():
    """Two one-regex extractors to measure kg against: ``naive``, NFC then one pattern (an
    optional type word and "số", the symbol, an optional ", ngày d/m/y", an optional "của
    <body>"), a dict a match; ``naive-sym``, the same without the type word, so the pattern
    opens with the symbol's first digit and the engine skips to digits (the faster of the two)."""
    from kg import find, tables
    types = "|".join(re.escape(w) for w in sorted(tables.type_by_word("party"), key=len, reverse=True))
    names = {n for b in tables.bodies().values() for n in (b.vi, *b.variants)}
    bodies = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    tail = (rf"(?:,?\s{{0,3}}(?i:ngày)\s{{1,3}}(?P<date>\d{{1,2}}[/.\-]\d{{1,2}}[/.\-]\d{{4}}))?"
            rf"(?:,?\s{{0,3}}(?i:của)\s{{1,3}}(?P<body>{bodies}))?")
    full = re.compile(rf"(?:(?P<type>(?i:{types}))\s{{1,3}}(?:(?i:số)\s{{0,2}}:?\s{{0,2}})?)?"
                      rf"(?P<symbol>{find.PARTY_SYMBOL}|{find.STATE_SYMBOL})" + tail)
    sym = re.compile(rf"(?P<symbol>{find.PARTY_SYMBOL}|{find.STATE_SYMBOL})" + tail)

    def make(pattern):
        def extract(text: str) -> list[dict]:
            norm = unicodedata.normalize("NFC", text)
            return [{"text": m.group(), "start": m.start(), "end": m.end(), "type": m.groupdict().get("type"),
                     "symbol": m.group("symbol"), "date": m.group("date"), "issuer": m.group("body")}
                    for m in pattern.finditer(norm)]
        return extract
    return make(full), make(sym)


def cpu(fn) -> float:
    t0 = time.process_time()
    fn()
    return time.process_time() - t0


def race(runs: int, contenders: dict) -> dict[str, float]:
    """Best CPU time of each contender, run in turn ``runs`` times (a contender that returns a
    float reports its own CPU time: the other checkout's worker)."""
    best = {name: float("inf") for name in contenders}
    for _ in range(runs):
        for name, fn in contenders.items():
            t0 = time.process_time()
            own = fn()
            took = own if isinstance(own, float) else time.process_time() - t0
            best[name] = min(best[name], took)
    return best


class Worker:
    """The same texts extracted by the kg of another checkout, in a process of its own."""

    def __init__(self, folder: str, copies: int):
        env = dict(os.environ, PYTHONPATH=folder)
        self.proc = subprocess.Popen([sys.executable, __file__, "--worker", "--copies", str(copies)], env=env,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.ask("ready")

    def ask(self, what: str) -> float:
        self.proc.stdin.write(what + "\n")
        self.proc.stdin.flush()
        return float(self.proc.stdout.readline())

    def close(self):
        self.proc.stdin.close()
        self.proc.wait()


def worker(copies: int) -> None:
    import kg
    seed = SEED.read_text(encoding="utf-8")
    text = "\n\n".join([seed] * copies)
    kg.extract(seed)
    pages = None
    for line in sys.stdin:
        what = line.strip()
        if what == "pool" and pages is None:
            from kg.read import expand, read_report
            pages = [read_report(p).text for p in expand([str(SHARED / "pool")], [])]
        t0 = time.process_time()
        if what == "seed":
            kg.extract(text)
        elif what == "pool":
            for t in pages:
                kg.extract(t)
        print(time.process_time() - t0 if what != "ready" else 0.0, flush=True)


def report(label: str, mb: float, best: dict[str, float]) -> None:
    print(f"{label}: {mb:.2f} MB")
    for name, t in best.items():
        print(f"  {name:9s} {mb / t:8.2f} MB/s  ({t:.3f} s CPU)")
    print(f"  kg / naive: {best['naive'] / best['kg']:.2f}   kg / naive-sym: {best['naive-sym'] / best['kg']:.2f}"
          f"   kg / bare: {best['bare'] / best['kg']:.3f}")
    for name in best:
        if name.startswith("kg@"):
            print(f"  kg / {name}: {best[name] / best['kg']:.2f} (the speed-up)")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--copies", type=int, default=100, help="copies of the seed report (100: 5 MB)")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--pool", action="store_true", help="also the 750 pages of ../shared/pool")
    ap.add_argument("--cold", type=int, default=5, help="cold CLI runs (0: none)")
    ap.add_argument("--against", help="another checkout of kg to time in the same run")
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        return worker(args.copies)
    other = Worker(args.against, args.copies) if args.against else None
    tag = f"kg@{Path(args.against).name}" if args.against else None

    import kg
    from kg import find

    naive, naive_sym = naive_extractors()
    seed = SEED.read_text(encoding="utf-8")
    text = "\n\n".join([seed] * args.copies)
    mb = len(text.encode("utf-8")) / 1e6
    kg.extract(seed)  # warm: the pipeline is built once per process
    n = len(kg.extract(text).citations)
    print(f"seed ×{args.copies}: {n} citations (naive: {len(naive(text))} matches)")
    report(f"seed ×{args.copies}", mb, race(args.runs, {
        "bare": lambda: sum(1 for _ in find.SYMBOL.finditer(text)),
        "naive": lambda: naive(text),
        "naive-sym": lambda: naive_sym(text),
        "kg": lambda: kg.extract(text),
        **({tag: lambda: other.ask("seed")} if other else {}),
    }))

    if args.pool:
        from kg.read import expand, read_report
        pages = [read_report(p).text for p in expand([str(SHARED / "pool")], [])]
        pmb = sum(len(t.encode("utf-8")) for t in pages) / 1e6
        print(f"pool: {len(pages)} pages, {sum(len(kg.extract(t).citations) for t in pages)} citations")
        report("pool", pmb, race(args.runs, {
            "bare": lambda: [sum(1 for _ in find.SYMBOL.finditer(t)) for t in pages],
            "naive": lambda: [naive(t) for t in pages],
            "naive-sym": lambda: [naive_sym(t) for t in pages],
            "kg": lambda: [kg.extract(t) for t in pages],
            **({tag: lambda: other.ask("pool")} if other else {}),
        }))
    if other:
        other.close()

    if args.cold:
        # every kg as `python -m kg` from a neutral folder, its checkout first on the path
        def kg_run(folder: Path, **env):
            return ([sys.executable, "-m", "kg", "extract", str(SEED), "--format", "json"],
                    dict(os.environ, PYTHONPATH=str(folder), **env))
        runs = {"spacy": ([sys.executable, "-c", "import spacy"], dict(os.environ)), "kg": kg_run(ROOT),
                "kg, no regex cache": kg_run(ROOT, KG_REGEX_CACHE="0")}
        if args.against:
            runs[tag] = kg_run(Path(args.against).resolve())
        import resource
        times: dict[str, list[float]] = {name: [] for name in runs}
        cpus: dict[str, list[float]] = {name: [] for name in runs}  # the child's CPU: steadier on a busy machine
        for _ in range(args.cold):
            for name, (cmd, env) in runs.items():
                r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
                t0 = time.perf_counter()
                subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, env=env, cwd="/")
                times[name].append(time.perf_counter() - t0)
                r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
                cpus[name].append(r1.ru_utime + r1.ru_stime - r0.ru_utime - r0.ru_stime)
        floor, cpu_floor = min(times["spacy"]), min(cpus["spacy"])
        print(f"cold, {args.cold} interleaved runs (`kg extract <seed> --format json` against `import spacy`):")
        for name, ts in times.items():
            print(f"  {name:20s} wall best {min(ts):.2f} s, median {statistics.median(ts):.2f} s; best / spacy's "
                  f"{min(ts) / floor:.3f} ({min(ts) - floor:+.2f} s); CPU best {min(cpus[name]):.2f} s "
                  f"({min(cpus[name]) - cpu_floor:+.3f} s), median {statistics.median(cpus[name]):.2f} s")


if __name__ == "__main__":
    sys.exit(main())
