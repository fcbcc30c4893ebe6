"""Draw an audit sample (relations, documents) from `kg extract --format json` JSON Lines output.

Usage:
    python3 bench/audit/sample.py POOL.jsonl --seed 19001 --out bench/audit/round1
        [--relations 100] [--documents 100] [--root /work/shared/pool]

Writes DIR/relations.tsv, DIR/documents.tsv (verdict columns empty, to be judged by hand
against the excerpt and the source text) and DIR/own.tsv (pages whose header has a "Số:" line
or a site's "Số hiệu" table, and the own document kg found there).

The population is every relation / every (file, document) pair, in file order then output
order; `random.Random(seed).sample` picks indices, so one seed always gives the same sample
from the same output, and a new seed gives a fresh one.
"""
from __future__ import annotations

import argparse
import csv
import json
import random
import re
import sys
from pathlib import Path

COLUMNS = ["id", "file", "offset", "item", "excerpt", "verdict", "wrong_field", "class", "why"]
EXCERPT = 420

# A header "Số:" line (also "Số:" alone on its line with the symbol on the next one, as a
# crawled two-column table gives it), a Party header "Số 45-HD/BTCTW", or a site's "Số hiệu" table.
HEADER_NUMBER = re.compile(r"^[\s|*#]*(?:Số|SỐ)[\s*]*:|^[\s|*#]*Số hiệu[\s*]*:|^[\s|*]*Số \d+-", re.M)
HEADER_WINDOW = 3000  # a header sits at the top of the page


def flat(text: str, limit: int = EXCERPT) -> str:
    """One TSV-safe line: line breaks as ⏎, tabs as spaces, cut to `limit` characters."""
    text = text.replace("\t", " ").replace("\r", "").replace("\n", "⏎")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def short_file(path: str, root: str | None) -> str:
    if root and path.startswith(root.rstrip("/") + "/"):
        return path[len(root.rstrip("/")) + 1 :]
    parts = Path(path).parts
    return "/".join(parts[-2:])


def read_text(path: str) -> str:
    return Path(path).read_bytes().decode("utf-8-sig", errors="replace")


def label(iri: str, record: dict) -> str:
    """A readable name for a relation end: the symbol of the document, or the page itself."""
    own = record.get("source_document") or {}
    cited = next((doc for doc in record.get("documents", []) if doc["id"] == iri), None)
    if iri == own.get("id"):
        if own.get("symbol"):
            return f"OWN({own['symbol']})"
        # A page that discusses a document it names as its topic: the page's IRI is that document's.
        if cited is not None:
            return f"TOPIC({cited.get('symbol') or cited.get('title') or iri})"
        return "OWN(page)"
    if cited is not None:
        return cited.get("symbol") or cited.get("title") or iri
    return iri.rsplit("/", 1)[-1]


def relation_row(rid: str, record: dict, rel: dict, text: str, root: str | None) -> dict:
    start, end = rel["start"], rel["end"]
    cs, ce = rel.get("cue_start"), rel.get("cue_end")
    if cs is not None and start <= cs <= ce <= end:
        sentence = text[start:cs] + "⟦" + text[cs:ce] + "⟧" + text[ce:end]
    else:
        sentence = text[start:end]
    item = (f"{label(rel['subject'], record)} —{rel['predicate']}→ {label(rel['object'], record)}"
            f" | part={rel.get('part')} | cue={rel.get('cue')!r} | provisions={rel.get('provisions') or []}")
    return {"id": rid, "file": short_file(record["source"]["path"], root), "offset": f"{start}-{end}",
            "item": item, "excerpt": flat(sentence), "verdict": "", "wrong_field": "", "class": "", "why": ""}


def document_row(did: str, record: dict, doc: dict, text: str, root: str | None) -> dict:
    cites = [c for c in record.get("citations", []) if c.get("document") == doc["id"]]
    # The full citations first (they carry date and issuer), then short forms; two are enough to judge.
    cites.sort(key=lambda c: (c.get("short_form", False), c["start"]))
    shown = []
    for c in cites[:2]:
        s = c.get("sentence") or {"start": max(0, c["start"] - 150), "end": c["end"] + 150}
        shown.append(f"[{c['start']}] " + text[s["start"]:s["end"]])
    item = (f"{doc.get('symbol')} | {doc.get('doc_type')} | date={doc.get('date')} | issuer={doc.get('issuer')}"
            f" | mentions={doc.get('mentions')} | conflicts={doc.get('conflicts') or []}")
    offset = cites[0]["start"] if cites else ""
    return {"id": did, "file": short_file(record["source"]["path"], root), "offset": offset,
            "item": item, "excerpt": flat(" ‖ ".join(shown)), "verdict": "", "wrong_field": "", "class": "", "why": ""}


def own_rows(records: list[tuple[dict, str]], root: str | None) -> list[dict]:
    rows = []
    for record, text in records:
        m = HEADER_NUMBER.search(text[:HEADER_WINDOW])
        if not m:
            continue
        line_start = text.rfind("\n", 0, m.start()) + 1
        own = record.get("source_document") or {}
        rows.append({"file": short_file(record["source"]["path"], root), "offset": m.start(),
                     "header": flat(text[line_start:m.end() + 40], 80), "found_symbol": own.get("symbol") or "",
                     "doc_type": own.get("doc_type") or "", "date": own.get("date") or "",
                     "issuer": own.get("issuer") or ""})
    return rows


def write_tsv(path: Path, rows: list[dict], columns: list[str]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=columns, delimiter="\t", quoting=csv.QUOTE_MINIMAL,
                           lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("jsonl", help="kg extract --format json output (JSON Lines, one object a file)")
    ap.add_argument("--seed", type=int, required=True, help="record it in README.md")
    ap.add_argument("--out", required=True, help="folder for relations.tsv, documents.tsv, own.tsv")
    ap.add_argument("--relations", type=int, default=100)
    ap.add_argument("--documents", type=int, default=100)
    ap.add_argument("--root", default=None, help="pool folder, to print file paths relative to it")
    args = ap.parse_args(argv)

    records: list[tuple[dict, str]] = []
    with open(args.jsonl, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                record = json.loads(line)
                records.append((record, read_text(record["source"]["path"])))
    records.sort(key=lambda rt: rt[0]["source"]["path"])

    rel_pop = [(r, t, rel) for r, t in records for rel in r.get("relations", [])]
    doc_pop = [(r, t, doc) for r, t in records for doc in r.get("documents", [])]
    rng = random.Random(args.seed)
    rel_pick = sorted(rng.sample(range(len(rel_pop)), min(args.relations, len(rel_pop))))
    doc_pick = sorted(rng.sample(range(len(doc_pop)), min(args.documents, len(doc_pop))))

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    write_tsv(out / "relations.tsv",
              [relation_row(f"R{n:03d}", r, rel, t, args.root) for n, (r, t, rel)
               in enumerate((rel_pop[i] for i in rel_pick), 1)], COLUMNS)
    write_tsv(out / "documents.tsv",
              [document_row(f"D{n:03d}", r, doc, t, args.root) for n, (r, t, doc)
               in enumerate((doc_pop[i] for i in doc_pick), 1)], COLUMNS)
    write_tsv(out / "own.tsv", own_rows(records, args.root),
              ["file", "offset", "header", "found_symbol", "doc_type", "date", "issuer"])
    print(f"{len(records)} files; relations {len(rel_pick)}/{len(rel_pop)}, documents "
          f"{len(doc_pick)}/{len(doc_pop)}; seed {args.seed} → {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
