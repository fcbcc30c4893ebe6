"""Linear time on hostile input, and bounded memory on a huge file.

    .venv/bin/python bench/bench_hostile.py [--mb 5] [--big-mb 200]

Each adversarial text is timed against ordinary text of the same size (the seed report
repeated); the ratio should stay under 3. Then `kg extract` runs on a --big-mb file in a child
process and its peak RSS is printed (the file is read in chunks, never whole).
"""
from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def sized(unit: str, n: int) -> str:
    return (unit * (n // len(unit) + 1))[:n]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mb", type=float, default=5)
    ap.add_argument("--big-mb", type=int, default=200)
    args = ap.parse_args()
    import kg
    n = int(args.mb * 1_000_000)
    seed = (ROOT / "corpus" / "bao-cao-so-ket-3-nam-kl01-cbdv-2024.md").read_text(encoding="utf-8")
    cases = {
        "ordinary (seed report repeated)": sized(seed + "\n\n", n),
        "digits and hyphens": sized("1-2-3-45-6789-0-", n),
        "long runs of digits": sized("9" * 997 + "-KL", n),
        "số số số …": sized("số ", n),
        "unclosed quotes": sized("“về ", n),
        "one line, no newline, dense citations": sized("Kết luận số 01-KL/TW của Bộ Chính trị về tiếp tục thực hiện Chỉ thị số 05-CT/TW, ", n),
        "symbols without end": sized("Chỉ thị số 1-CT/TW", n),
        "dates without end": sized("ngày 1/1/2020 ", n),
        "type words, no symbols": sized("Kết luận Nghị quyết Chỉ thị ", n),
        # line joining and the relation rules
        "line breaks only": sized("\n", n),
        "space, line break, space …": sized(" \n ", n),
        "a page number on every line": sized("của Ban\n12\n", n),
        "form feeds and capitals": sized("\fBÁO CÁO\nTRANG\n", n),
        "wrapped lines, no punctuation": sized("Thực hiện Kết luận số 01-KL/TW của Ban Thường vụ\nTỉnh ủy và ", n),
        "preamble lines": sized("Căn cứ Quy định số 30-QĐ/TW; ", n),
        "back-references": sized("Quy định này thay thế Quy định số 102-QĐ/TW và ", n),
        "brackets after type words": sized("Quy chế làm việc (số 06-QĐ/TW ", n),
        # pinpoints (kg.provisions): endless lists of them, with and without a document
        "pinpoint lists, no document": sized("Điều 1, khoản 2, 3 và 4 điểm a ", n),
        "pinpoint lists before documents": sized("Bãi bỏ Điều 16, 17, Điều 18 Thông tư số 41/2025/TT-NHNN tại Điều 2 ", n),
    }
    kg.extract(seed)
    base = None
    print(f"{'input':36} {'MB':>5} {'seconds':>8} {'MB/s':>6} {'ratio':>6} {'citations':>9} {'µs/citation':>11}")
    for name, text in cases.items():
        t0 = time.perf_counter()
        ex = kg.extract(text)
        secs = time.perf_counter() - t0
        mb = len(text.encode("utf-8")) / 1e6
        base = base or secs
        per = f"{secs / len(ex.citations) * 1e6:11.0f}" if ex.citations else f"{'—':>11}"
        print(f"{name:36} {mb:5.1f} {secs:8.2f} {mb / secs:6.2f} {secs / base:6.2f} {len(ex.citations):9d} {per}", flush=True)

    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "big.md"
        with open(big, "w", encoding="utf-8") as f:
            written = 0
            while written < args.big_mb * 1_000_000:
                f.write(seed + "\n\n")
                written += len(seed.encode("utf-8")) + 2
        t0 = time.perf_counter()
        out = Path(tmp) / "big.json"
        subprocess.run([str(ROOT / ".venv/bin/kg"), "extract", str(big), "--format", "json", "--out", str(out)], check=True)
        secs = time.perf_counter() - t0
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"\n`kg extract` on a {written / 1e6:.0f} MB file: {secs:.0f} s ({written / 1e6 / secs:.1f} MB/s), "
              f"peak RSS {peak:.0f} MB, JSON {out.stat().st_size / 1e6:.0f} MB")


if __name__ == "__main__":
    sys.exit(main())
