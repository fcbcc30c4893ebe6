"""Stored copies of `kg extract --format json` on the shared texts, to prove a change kept the
output byte for byte (tests/test_snapshot.py compares against them).

    .venv/bin/python bench/snapshot.py             # compare; exit 1 and name the files that differ
    .venv/bin/python bench/snapshot.py --update    # rewrite the stored copies (after a change meant to alter output)
    .venv/bin/python bench/snapshot.py --pool      # also the 750 pages of ../shared/pool (digests only)

Sets: ``corpus`` (the gold texts), ``devset`` and ``devset2`` are stored whole, one JSON Lines file
each (the line `kg extract a b --format json` writes for a file, its path relative to ../shared);
``pool`` as one SHA-256 of that line per file (the texts are 13 MB; the digests show *that* a page
changed, `kg extract` on it shows how).
"""
from __future__ import annotations

import argparse
import hashlib
import io
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("KG_SHARED", ROOT.parent / "shared")).resolve()
STORE = ROOT / "tests" / "data" / "snapshots"
SETS = {"corpus": "corpus", "devset": "devset/docs", "devset2": "devset2/docs", "pool": "pool"}
WHOLE = ("corpus", "devset", "devset2")


def texts(name: str) -> list[Path]:
    from kg.read import expand
    folder = SHARED / SETS[name]
    return sorted(Path(p) for p in expand([str(folder)], []))


def line(path: Path) -> bytes:
    """The JSON line of one report, as `kg extract` writes it for several files."""
    from kg.extract import extract_report
    from kg.formats import write_extraction_json
    from kg.read import read_report
    ex = extract_report(read_report(str(path)))
    ex.path = path.relative_to(SHARED).as_posix()  # the same wherever ../shared lives
    buf = io.BytesIO()
    write_extraction_json(ex, buf, indent=None)
    return buf.getvalue()


def current(name: str) -> bytes:
    lines = [line(p) for p in texts(name)]
    if name in WHOLE:
        return b"".join(lines)
    return b"".join(hashlib.sha256(ln).hexdigest().encode() + b"  " + p.relative_to(SHARED).as_posix().encode() + b"\n"
                    for p, ln in zip(texts(name), lines))


def stored_path(name: str) -> Path:
    return STORE / (f"{name}.jsonl" if name in WHOLE else f"{name}.sha256")


def differences(name: str, new: bytes) -> list[str]:
    """The files whose line differs from the stored copy (or that are new or gone)."""
    old = stored_path(name).read_bytes() if stored_path(name).exists() else b""

    def by_path(data: bytes) -> dict[str, bytes]:
        import json
        out = {}
        for ln in data.splitlines():
            if name in WHOLE:
                out[json.loads(ln)["source"]["path"]] = ln
            else:
                digest, _, path = ln.partition(b"  ")
                out[path.decode()] = digest
        return out
    a, b = by_path(old), by_path(new)
    return sorted(p for p in a.keys() | b.keys() if a.get(p) != b.get(p))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--update", action="store_true", help="rewrite the stored copies")
    ap.add_argument("--pool", action="store_true", help="also the 750 pool pages (digests)")
    args = ap.parse_args(argv)
    names = list(WHOLE) + (["pool"] if args.pool else [])
    bad = 0
    for name in names:
        new = current(name)
        if args.update:
            STORE.mkdir(parents=True, exist_ok=True)
            stored_path(name).write_bytes(new)
            print(f"{name}: stored {len(new):,} bytes in {stored_path(name).relative_to(ROOT)}")
            continue
        diff = differences(name, new)
        bad += len(diff)
        print(f"{name}: " + ("same" if not diff else f"{len(diff)} differ: " + ", ".join(diff[:10])))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
