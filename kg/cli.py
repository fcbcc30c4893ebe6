"""The `kg` command: a thin layer over the library (kg.extract, kg.rdf, kg.store, …)."""
from __future__ import annotations

import json
import os
import sys
from enum import Enum
from typing import List, Optional

import typer
from rich.console import Console

from .read import ReadError, expand, read_report

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="A knowledge graph of the citations inside Vietnamese Communist Party documents.")
err = Console(stderr=True, highlight=False)


@app.callback()
def _root():
    """A knowledge graph of the citations inside Vietnamese Communist Party documents."""


class KgError(Exception):
    """A user-facing failure: one line, non-zero exit."""


class ExtractFormat(str, Enum):
    table = "table"
    json = "json"
    ttl = "ttl"
    nt = "nt"
    nq = "nq"
    trig = "trig"
    jsonld = "jsonld"


def _fail(message: str, code: int = 1):
    err.print(f"kg: error: {message}", markup=False, soft_wrap=True)
    raise typer.Exit(code)


def _base(base: Optional[str]) -> str:
    from .resolve import DEFAULT_BASE
    base = base or os.environ.get("KG_BASE") or DEFAULT_BASE
    if not base.startswith(("http://", "https://", "urn:")):
        _fail(f"--base must be an http(s) or urn IRI, not {base!r}")
    return base if base.endswith(("/", "#", ":")) else base + "/"


@app.command()
def extract(
    paths: List[str] = typer.Argument(..., help="Report files or folders; - reads standard input."),
    format: ExtractFormat = typer.Option(ExtractFormat.table, "--format", "-f", help="Output format."),
    out: Optional[str] = typer.Option(None, "--out", "-o", help="Write to this file (atomically) instead of standard output."),
    encoding: Optional[str] = typer.Option(None, "--encoding", help="Text encoding when not UTF-8/UTF-16 with BOM (e.g. cp1258)."),
    base: Optional[str] = typer.Option(None, "--base", help="Base IRI of documents and reports (default https://kg.example.org/, or $KG_BASE)."),
):
    """Find every citation of a Party or State document in reports."""
    from . import extract as run_extract
    from .formats import atomic_write, extraction_json, print_table
    from .rdf import extraction_quads, serialise

    base_iri = _base(base)
    files = expand(paths)
    if not files:
        _fail("no reports found in " + ", ".join(paths))
    reports, failures = [], []
    for f in files:
        try:
            reports.append(read_report(f, encoding))
        except ReadError as e:
            failures.append(str(e))
    for message in failures:
        err.print(f"kg: error: {message}", markup=False, soft_wrap=True)
    if failures and out:
        raise typer.Exit(1)  # never a partial output file
    extractions = [run_extract(r.text, base=base_iri, path=r.path) for r in reports]

    if format == ExtractFormat.table:
        console = Console(record=bool(out), width=160 if out else None,
                          file=open(os.devnull, "w") if out else None)
        for ex in extractions:
            print_table(ex, console)
        data = console.export_text().encode("utf-8") if out else b""
    elif format == ExtractFormat.json:
        objs = [extraction_json(ex) for ex in extractions]
        if len(objs) == 1:
            data = (json.dumps(objs[0], ensure_ascii=False, indent=1) + "\n").encode("utf-8")
        else:  # one JSON object per line, one line per report
            data = "".join(json.dumps(o, ensure_ascii=False) + "\n" for o in objs).encode("utf-8")
    else:
        quads = [q for ex in extractions for q in extraction_quads(ex, base_iri)]
        data = serialise(quads, format.value)

    if out:
        try:
            atomic_write(out, data)
        except OSError as e:
            _fail(f"cannot write {out}: {e.strerror or e}")
    elif format != ExtractFormat.table:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    if failures:
        raise typer.Exit(1)


def main() -> None:
    """Entry point: user errors are one line, never a traceback (KG_DEBUG=1 shows it)."""
    try:
        code = app(standalone_mode=False)
        sys.exit(code if isinstance(code, int) else 0)
    except typer.Exit as e:
        sys.exit(e.exit_code)
    except (ReadError, KgError) as e:
        err.print(f"kg: error: {e}", markup=False, soft_wrap=True)
        sys.exit(1)
    except KeyboardInterrupt:
        err.print("kg: interrupted", markup=False)
        sys.exit(130)
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
    except Exception as e:  # noqa: BLE001
        import click
        if isinstance(e, click.exceptions.ClickException):
            e.show()
            sys.exit(e.exit_code)
        if isinstance(e, click.exceptions.Abort):
            sys.exit(130)
        if os.environ.get("KG_DEBUG"):
            raise
        err.print(f"kg: internal error: {type(e).__name__}: {e} (KG_DEBUG=1 shows the traceback)", markup=False)
        sys.exit(70)
