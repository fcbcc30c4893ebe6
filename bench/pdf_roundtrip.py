"""Text layers: each shared text printed to PDF by Chromium, read back by kg, and its extraction
compared with the extraction of the text itself.

    .venv/bin/python bench/pdf_roundtrip.py [--sets corpus,devset,devset2] [--workdir /tmp/kg-pdf] [--copies 1]

Chromium wraps each line of the text at 16 cm and adds its running header and footer (date,
title, URL, "1/3"), so the PDF has what a real one has: lines broken inside issuers, symbols and
dates, hyphens PDFium marks, page breaks with headers between a citation's halves. A difference
is a place where reading a PDF loses what reading the text finds (or finds more). ``--copies N``
prints each text N times in one PDF (a long text layer: running-header rules must not take a
sentence that opens pages far apart for a header; a text of two or three pages repeated puts its
lines at page edges a few pages apart, which is what a running header does, so short texts lose
a few lines there). Some differences are the rendering's own: Markdown printed as it is ("## ",
"**", "|" tables, very long unbroken lines a page clips), a source already wrapped by hand (a
short line is a paragraph's end in a PDF).

Measured 2026-12-06 (corpus + devset + devset2, 56 texts): before the PDF fixes of that day
39 documents, 18 relations and 93 citations differed; after, 13 / 5 / 15, all but a few of them
from the rendering (see above).

``--producer NAME`` reads the PDF's text layer as another tool makes it, saved as .txt (the hidden
reports' text layers were not all made by PDFium): pdftotext (poppler-utils, default, -layout,
-raw), pdfminer.six (three LAParams), PyMuPDF, pypdfium2 as it is (pages joined by "\f" or "\n"),
pypdf; all but pdftotext run in a scratch venv (``--producer-python``, default
/tmp/pdftext-venv/bin/python: pdfminer.six pypdfium2 pymupdf pypdf, none a kg dependency). The
layers are kept in WORKDIR/PRODUCER/. Differences after the fixes of 2026-12-06 (x1, 55 texts,
documents / relations / citations): pdfium 13/1/15, pdfium-ff 13/2/41, pdftotext 10/2/86 (its
dehyphenation glues "05-⏎KH/CBDV" into "05KH/CBDV": same document, other citation text),
pdftotext-layout 2/1/7, pdftotext-raw 2/2/7, mupdf 2/1/7, pdfminer 16/3/17, pypdf 537/92/1092
(glyphs spaced out: the producer's damage).
"""
from __future__ import annotations

import argparse
import collections
import html
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SETS = {"corpus": "corpus", "devset": "devset/docs", "devset2": "devset2/docs"}
CHROMIUM = "/usr/bin/chromium"


def print_pdf(src: Path, pdf: Path, copies: int) -> None:
    """The text as HTML paragraphs (one a line, as a text layer saved as text has them), printed."""
    lines = src.read_text(encoding="utf-8").splitlines() * copies
    body = "\n".join(f"<p>{html.escape(line)}</p>" if line.strip() else "<p>&nbsp;</p>" for line in lines)
    page = pdf.with_suffix(".html")
    page.write_text(f'<!doctype html><html><head><meta charset="utf-8"><title>{html.escape(src.stem)}</title>'
                    '<style>body { font: 13pt "Times New Roman", serif; width: 16cm } p { margin: 0 0 4pt 0 }</style>'
                    f"</head><body>{body}</body></html>", encoding="utf-8")
    subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--no-first-run", f"--print-to-pdf={pdf}",
                    page.as_uri()], check=True, capture_output=True, timeout=300)
    page.unlink()


#: Text layers as other tools make them, given to kg as .txt (the hidden reports were not all read
#: by PDFium): name → how the scratch interpreter (``--producer-python``, a venv with pdfminer.six,
#: pypdfium2, pymupdf and pypdf; none of them is a kg dependency) or a command makes one.
PRODUCERS = {
    "pdfium": "kg's own reader (the .pdf itself)",
    "pdfium-ff": "pypdfium2 get_text_range page by page, pages joined by a form feed",
    "pdfium-nl": "pypdfium2 get_text_range page by page, pages joined by a line break",
    "pdfminer": "pdfminer.six extract_text, default LAParams",
    "pdfminer-A": "pdfminer.six extract_text, LAParams(all_texts=True) (pdf2txt.py -A)",
    "pdfminer-noflow": "pdfminer.six extract_text, LAParams(boxes_flow=None) (pdf2txt.py -F none)",
    "pdftotext": "poppler pdftotext (Debian poppler-utils), default reading order",
    "pdftotext-layout": "poppler pdftotext -layout (columns kept with spaces)",
    "pdftotext-raw": "poppler pdftotext -raw (content stream order)",
    "mupdf": "PyMuPDF page.get_text() per page, pages concatenated",
    "pypdf": "pypdf extract_text per page, pages joined by a line break",
}
PRODUCER_PYTHON = os.environ.get("PDFTEXT_PYTHON", "/tmp/pdftext-venv/bin/python")


def emit(producer: str, pdf: Path, out: Path) -> None:
    """Make one text layer (runs in the scratch interpreter: ``--emit``)."""
    if producer.startswith("pdfium-"):
        import pypdfium2 as pdfium
        doc = pdfium.PdfDocument(str(pdf))
        pages = []
        for page in doc:
            tp = page.get_textpage()
            pages.append(tp.get_text_range())
        text = ("\f" if producer == "pdfium-ff" else "\n").join(pages)
    elif producer.startswith("pdfminer"):
        from pdfminer.high_level import extract_text
        from pdfminer.layout import LAParams
        params = {"pdfminer": LAParams(), "pdfminer-A": LAParams(all_texts=True),
                  "pdfminer-noflow": LAParams(boxes_flow=None)}[producer]
        text = extract_text(str(pdf), laparams=params)
    elif producer == "mupdf":
        import pymupdf
        text = "".join(page.get_text() for page in pymupdf.open(str(pdf)))
    elif producer == "pypdf":
        import pypdf
        text = "\n".join(page.extract_text() for page in pypdf.PdfReader(str(pdf)).pages)
    else:
        raise SystemExit(f"unknown producer {producer}")
    out.write_text(text, encoding="utf-8")


def text_layer(producer: str, pdf: Path, workdir: Path, python: str) -> Path:
    """The producer's text layer of ``pdf`` as a .txt (made once, kept in workdir/PRODUCER/)."""
    out = workdir / producer / (pdf.stem + ".txt")
    if out.exists():
        return out
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".part")
    if producer.startswith("pdftotext"):
        flag = {"pdftotext": [], "pdftotext-layout": ["-layout"], "pdftotext-raw": ["-raw"]}[producer]
        subprocess.run(["pdftotext", "-enc", "UTF-8", *flag, str(pdf), str(tmp)], check=True, capture_output=True)
    else:
        subprocess.run([python, __file__, "--emit", producer, str(pdf), str(tmp)], check=True, capture_output=True)
    tmp.rename(out)
    return out


def extraction(path: Path) -> dict:
    from kg.extract import extract_report
    from kg.formats import extraction_json
    from kg.read import read_report
    return extraction_json(extract_report(read_report(str(path))))


def facts(ex: dict, copies: int = 1):
    """What is compared: documents (symbol, type, date, issuer), relations by symbol (the report
    itself as REPORT: its IRI is its bytes'), and citations by their text with whitespace folded
    (a line break inside a citation is no difference)."""
    symbol = {d["id"]: d["symbol"] for d in ex["documents"]}
    report = ex["source"]["sha256"][:20]
    name = lambda iri: "REPORT" if iri.rsplit("/", 1)[-1] == report else symbol.get(iri, iri)  # noqa: E731
    docs = {(d["symbol"], d.get("doc_type"), d.get("date"), d.get("issuer")) for d in ex["documents"]}
    rels = {(name(r["subject"]), r["predicate"], name(r["object"])) for r in ex["relations"]}
    cits = collections.Counter(" ".join(c["text"].split()).replace("- ", "-") for c in ex["citations"])
    if copies > 1:
        cits = collections.Counter({k: n * copies for k, n in cits.items()})
    return docs, rels, cits


def mentions(ex: dict, copies: int = 1) -> collections.Counter:
    """Citations counted by symbol, as the scorer counts mentions (a citation whose text holds a
    page's footer between its halves, or a symbol a producer dehyphenated, is the same mention)."""
    return collections.Counter({k: n * copies for k, n in collections.Counter(c["symbol"] for c in ex["citations"]).items()})


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sets", default="corpus,devset,devset2")
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/kg-pdf"))
    ap.add_argument("--copies", type=int, default=1)
    ap.add_argument("--producer", default="pdfium", help="who makes the text layer: " + ", ".join(PRODUCERS))
    ap.add_argument("--producer-python", default=PRODUCER_PYTHON, help="interpreter with the producers' libraries")
    ap.add_argument("--emit", nargs=3, metavar=("PRODUCER", "PDF", "OUT"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.emit:
        emit(args.emit[0], Path(args.emit[1]), Path(args.emit[2]))
        return
    if args.producer not in PRODUCERS:
        sys.exit(f"--producer: one of {', '.join(PRODUCERS)}")
    if args.producer.startswith("pdftotext") and not Path("/usr/bin/pdftotext").exists():
        sys.exit("pdftotext is missing: apt-get install poppler-utils")
    if args.producer not in ("pdfium",) and not args.producer.startswith("pdftotext") \
            and not Path(args.producer_python).exists():
        sys.exit(f"{args.producer_python} is missing: python3 -m venv /tmp/pdftext-venv && "
                 "/tmp/pdftext-venv/bin/pip install pdfminer.six pypdfium2 pymupdf pypdf")
    if not Path(CHROMIUM).exists():
        sys.exit(f"{CHROMIUM} is missing: run ./setup")
    args.workdir.mkdir(parents=True, exist_ok=True)
    totals = collections.Counter()
    for name in args.sets.split(","):
        for src in sorted(p for p in (SHARED / SETS[name]).iterdir()
                          if p.suffix in (".txt", ".md") and p.stem not in ("SOURCES", "README")):
            pdf = args.workdir / f"{src.stem}-x{args.copies}.pdf"
            if not pdf.exists():
                print_pdf(src, pdf, args.copies)
            read = pdf if args.producer == "pdfium" else text_layer(args.producer, pdf, args.workdir, args.producer_python)
            try:
                ea, eb = extraction(src), extraction(read)
                (da, ra, ca), (db, rb, cb) = facts(ea, args.copies), facts(eb)
                ma, mb = mentions(ea, args.copies), mentions(eb)
            except Exception as e:  # kg refused the layer (kg.read.ReadError): the whole text differs
                print(f"== {name}/{src.name}\n   refused: {e}")
                totals.update(texts=1, refused=1)
                continue
            totals.update(texts=1, documents=len(da), documents_differ=len(da ^ db), relations=len(ra),
                          relations_differ=len(ra ^ rb), citations=sum(ca.values()),
                          citations_differ=sum(((ca - cb) + (cb - ca)).values()),
                          mentions_differ=sum(((ma - mb) + (mb - ma)).values()))
            if (da, ra, ca) == (db, rb, cb):
                continue
            print(f"== {name}/{src.name}")
            for label, a, b in (("document", da, db), ("relation", ra, rb)):
                for x in sorted(a - b, key=str):
                    print(f"   {label} text only: {x}")
                for x in sorted(b - a, key=str):
                    print(f"   {label} PDF only:  {x}")
            for x, n in (ca - cb).items():
                print(f"   citation text only ×{n}: {x[:140]}")
            for x, n in (cb - ca).items():
                print(f"   citation PDF only ×{n}:  {x[:140]}")
    print(json.dumps(dict(totals)))


if __name__ == "__main__":
    main()
