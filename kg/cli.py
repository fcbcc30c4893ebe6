"""The `kg` command: a thin layer over the library (kg.extract, kg.rdf, kg.store, …)."""
from __future__ import annotations

import io
import json
import os
import sys
import time
from enum import Enum
from typing import List, Optional

from . import collector, recache

with collector.paused():  # typer, click: imports make no garbage (kg.collector)
    import typer
from .formats import add_plain_row, plain
from .read import ReadError, expand, read_report, skipped_lines

_APP = dict(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
            help="A knowledge graph of the citations inside Vietnamese Communist Party documents.")
app = typer.Typer(**_APP)


class _Messages:
    """Standard error's console (one message, one line), made when the first message is printed:
    a command that succeeds quietly (`kg extract … --format json`) never imports rich."""

    console = None

    def __getattr__(self, name):
        if _Messages.console is None:
            from rich.console import Console
            _Messages.console = Console(stderr=True, highlight=False, soft_wrap=True)
        return getattr(_Messages.console, name)


err = _Messages()


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


def _out():
    """The console for tables on standard output: a pipe or a file gets wide rows (200 columns)
    instead of rich's 80, so `kg query … | grep` sees one row a line."""
    from rich.console import Console
    return Console(highlight=False, width=None if sys.stdout.isatty() else 200)


def _fail(message: str, code: int = 1):
    err.print(plain(f"kg: error: {message}"), soft_wrap=True)
    raise typer.Exit(code)


def _base(base: Optional[str]) -> str:
    from .resolve import DEFAULT_BASE
    base = base or os.environ.get("KG_BASE") or DEFAULT_BASE
    if not base.startswith(("http://", "https://", "urn:")):
        _fail(f"--base must be an http(s) or urn IRI, not {base!r}")
    if base == DEFAULT_BASE:
        return base  # valid: no need to import pyoxigraph for it
    import pyoxigraph as ox
    try:  # every IRI we write starts with it, and the store's loader trusts them
        ox.NamedNode(base)
    except ValueError:
        _fail(f"--base is not a valid IRI: {base!r}")
    return base if base.endswith(("/", "#", ":")) else base + "/"


def _n(count: int, noun: str, plural: str | None = None) -> str:
    """"1 document", "2 documents": a count with its noun."""
    return f"{count} {noun if count == 1 else (plural or noun + 's')}"


def _say_skipped(skipped) -> None:
    for line in skipped_lines(skipped):
        err.print(plain(f"kg: {line}"), soft_wrap=True)


class Engine(str, Enum):
    local = "local"
    dask = "dask"


def _extract_on_dask(paths, out, base_iri, encoding, scheduler, workers, files_per_shard):
    """`kg extract --engine dask`: shards in the --out folder, one line of counts."""
    try:
        from .distribute import extract_to_shards
        import importlib.util
        if not scheduler and importlib.util.find_spec("cryptography") is None:  # the local cluster's TLS
            raise ImportError("cryptography")
    except ImportError:
        _fail("--engine dask needs Dask's distributed scheduler (and cryptography for its TLS): pip install 'kg[cluster]'")
    if not out:
        _fail("--engine dask writes N-Quads shards: give the folder with --out")
    if os.path.exists(out) and not os.path.isdir(out):
        _fail(f"{out} is a file; --engine dask writes shards into a folder")
    if "-" in paths:
        _fail("--engine dask reads files, not standard input")
    missing = [p for p in paths if not os.path.exists(p)]
    if missing:
        _fail(f"{missing[0]}: no such file or folder")
    try:
        s = extract_to_shards(paths, out, base=base_iri, encoding=encoding, scheduler=scheduler, workers=workers,
                              files_per_shard=files_per_shard)
    except OSError as e:
        _fail(f"the Dask cluster failed: {e}")
    for path, message in s.failed:
        err.print(plain(f"kg: error: {message}"), soft_wrap=True)
    err.print(plain(f"kg: {_n(s.reports, 'report')}, {_n(s.citations, 'citation')}, {_n(s.quads, 'quad')} in {_n(s.shards, 'shard')} in {out} "
                    f"({s.seconds:.1f} s, {s.reports / max(s.seconds, 1e-9):.0f} reports/s); load them with `kg load {out}`"))
    if s.failed:
        raise typer.Exit(1)


@app.command()
def extract(
    paths: List[str] = typer.Argument(..., help="Report files or folders; - reads standard input."),
    format: ExtractFormat = typer.Option(ExtractFormat.table, "--format", "-f", help="Output format. json: one indented object for one input file, JSON Lines (an object a line) for several."),
    out: Optional[str] = typer.Option(None, "--out", "-o", help="Write to this file (atomically) instead of standard output."),
    encoding: Optional[str] = typer.Option(None, "--encoding", help="Text encoding when not UTF-8/UTF-16 with BOM (e.g. cp1258)."),
    base: Optional[str] = typer.Option(None, "--base", help="Base IRI of documents and reports (default https://kg.example.org/, or $KG_BASE)."),
    engine: Engine = typer.Option(Engine.local, "--engine", help="dask: extract as jobs on a Dask cluster into N-Quads shards in the --out folder, for `kg load`."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", envvar="KG_DASK_SCHEDULER", help="With --engine dask: the scheduler's address (tcp://host:8786); default a local cluster."),
    workers: Optional[int] = typer.Option(None, "--workers", "-j", min=1, help="Worker processes: several files are extracted in this many at once, the output in the files' order (default: one a CPU; 1: in this process). With --engine dask and no --scheduler: the local cluster's (default 2)."),
    files_per_shard: int = typer.Option(500, "--files-per-shard", min=1, help="With --engine dask: reports per job (and per shard)."),
):
    """Find every citation of a Party or State document in reports."""
    from functools import partial

    from .extract import extract_files
    from .formats import atomic_file

    base_iri = _base(base)
    if engine == Engine.dask:
        _extract_on_dask(paths, out, base_iri, encoding, scheduler, workers or 2, files_per_shard)
        return
    skipped: list[tuple[str, str]] = []
    files = expand(paths, skipped)
    _say_skipped(skipped)
    if not files:
        _fail("no reports found in " + ", ".join(paths))
    # A report at a time (or a few, in worker processes), written in the files' order as each is
    # ready: a folder's output is never all in memory. Every unreadable file is named; with --out
    # nothing is written then (never a partial file), and the rest are still read, to name theirs too.
    failures: list[str] = []
    processes = workers or os.cpu_count() or 1
    parallel = processes > 1 and len(files) > 1
    # a worker renders JSON lines and N-Quads itself (one process writes a lone file's JSON indented)
    render = partial(_rendered, format.value, base_iri) if parallel and format in _RENDERED else None

    def extractions():
        for f, ex in extract_files(files, base=base_iri, encoding=encoding, workers=processes, render=render):
            if isinstance(ex, ReadError):
                failures.append(str(ex))
                err.print(plain(f"kg: error: {ex}"), soft_wrap=True)
            elif not (failures and out):
                yield ex

    try:
        if out:
            with atomic_file(out) as f:
                _write_extractions(extractions(), format, f, base_iri, several=len(files) > 1, to_file=True)
                if failures:
                    raise _Discard
        else:
            _write_extractions(extractions(), format, sys.stdout.buffer, base_iri, several=len(files) > 1,
                               to_file=False)
            sys.stdout.flush()
    except _Discard:
        pass
    except OSError as e:
        if not out:
            raise
        _fail(f"cannot write {out}: {e.strerror or e}")
    if failures:
        raise typer.Exit(1)


class _Discard(Exception):
    """Raised inside an --out file's block to leave no file: a report could not be read."""


_RENDERED = (ExtractFormat.json, ExtractFormat.nq)  # what a worker writes itself (see `_rendered`)


def _rendered(fmt: str, base_iri: str, ex) -> bytes:
    """An extraction as `kg extract` of several files writes it in ``fmt`` (json: a JSON line;
    nq: its quads), made in the worker that extracted it."""
    if fmt == "json":
        from .formats import write_extraction_json
        out = io.BytesIO()
        write_extraction_json(ex, out, indent=None)
        return out.getvalue()
    from .rdf import extraction_quads, serialise
    return serialise(extraction_quads(ex, base_iri), "nq")


def _write_extractions(extractions, format: "ExtractFormat", f, base_iri: str, *, several: bool,
                       to_file: bool) -> None:
    """Each extraction written as it comes: tables, JSON (one indented object for one input file,
    JSON Lines for several), N-Quads and N-Triples a report at a time. Turtle, TriG and JSON-LD are
    one document with its prefixes and grouped subjects, so their quads are gathered first."""
    from .formats import print_table, write_extraction_json
    if format == ExtractFormat.table:
        # a file or a pipe gets wide rows (a terminal wraps to its own width)
        from rich.console import Console
        text = io.TextIOWrapper(f, encoding="utf-8", newline="\n", write_through=True) if to_file else None
        console = Console(file=text, width=160 if to_file or not sys.stdout.isatty() else None,
                          force_terminal=False if to_file else None)
        try:
            for ex in extractions:
                print_table(ex, console)
        finally:
            if text is not None:
                text.detach()  # the atomic file is closed by its own block
        return
    if format == ExtractFormat.json:
        for ex in extractions:
            if isinstance(ex, bytes):  # written by its worker (`_rendered`)
                f.write(ex)
            else:
                write_extraction_json(ex, f, indent=None if several else 2)
        return
    from .rdf import extraction_quads, serialise, union_ntriples
    if format == ExtractFormat.nq:  # each report's quads are in its own graph: chunks concatenate
        for ex in extractions:
            f.write(ex if isinstance(ex, bytes) else serialise(extraction_quads(ex, base_iri), "nq"))
    elif format == ExtractFormat.nt:
        for chunk in union_ntriples(extractions, base_iri):
            f.write(chunk)
    else:
        f.write(serialise([q for ex in extractions for q in extraction_quads(ex, base_iri)], format.value))


StoreOption = typer.Option(None, "--store", "-s", help="Store folder, or a SPARQL server's query endpoint URL (default $KG_STORE, else ./kg-store; "
                                                            "a command that also takes files reads the store when no file is named).")
UpdateEndpointOption = typer.Option(None, "--update-endpoint", envvar="KG_UPDATE_ENDPOINT",
                                    help="The server's SPARQL Update endpoint (default: Oxigraph's /update beside /query, else the query endpoint).")
GraphStoreOption = typer.Option(None, "--graph-store", envvar="KG_GRAPH_STORE",
                                help="The server's Graph Store Protocol endpoint (default: Oxigraph's /store; none: graphs are written by SPARQL Update).")


def _restart_with_jemalloc(paths: List[str], store: Optional[str]) -> None:
    """A large load into a local store runs again with jemalloc preloaded, when the machine has it
    (10 % faster: see `kg.load.jemalloc_command`; KG_MALLOC=system to keep glibc's malloc)."""
    from .load import is_large, restart_under_jemalloc
    if os.path.basename(sys.argv[0]) not in ("kg", "__main__.py") or "load" not in sys.argv[1:]:
        return  # called in-process (a test's CliRunner, a notebook): not ours to restart
    if (store or os.environ.get("KG_STORE", "")).startswith(("http://", "https://")) or not is_large(paths):
        return
    from .load import kg_command
    restart_under_jemalloc(kg_command(sys.argv[1:]))


@app.command()
def load(
    paths: List[str] = typer.Argument(..., help="Report files or folders (recursively .txt .md .docx .odt .rtf .pdf .html)."),
    store: Optional[str] = StoreOption,
    prune: bool = typer.Option(False, "--prune", help="Remove reports whose files are gone."),
    workers: Optional[int] = typer.Option(None, "--workers", "-j", min=1, help="Extraction processes (default: all cores)."),
    batch: Optional[int] = typer.Option(None, "--batch", min=1, help="Reports per write, at most (default 3000; a killed load loses at most one batch)."),
    compact: Optional[bool] = typer.Option(None, "--compact/--no-compact", help="Compact the store after loading (default: when the load wrote a tenth of the store or more; queries run about 2× faster after)."),
    encoding: Optional[str] = typer.Option(None, "--encoding", help="Text encoding when not UTF-8/UTF-16 with BOM."),
    base: Optional[str] = typer.Option(None, "--base", help="Base IRI of documents and reports."),
    update_endpoint: Optional[str] = UpdateEndpointOption,
    graph_store: Optional[str] = GraphStoreOption,
    timeout: Optional[float] = typer.Option(None, "--timeout", min=1, envvar="KG_SPARQL_TIMEOUT",
                                            help="Seconds to wait for each answer of a SPARQL server (default 600)."),
):
    """Load reports into the store, incrementally (unchanged files are skipped). A report is one
    content: files with the same bytes are one report with several sources."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
    from rich.table import Table

    from .load import load as run_load
    from .store import StoreError, open_store

    base_iri = _base(base)
    missing = [p for p in paths if not os.path.exists(p)]
    if missing:
        _fail(f"{missing[0]}: no such file or folder")
    _restart_with_jemalloc(paths, store)
    skipped: list[tuple[str, str]] = []
    expand([p for p in paths if os.path.isdir(p)], skipped)  # the load walks the folders itself: say what it leaves out
    if skipped:
        from .shard import shard_files
        shards = {os.path.abspath(f) for f in shard_files(paths)}  # kg's own shards are read, not skipped
        _say_skipped([(f, why) for f, why in skipped if os.path.abspath(f) not in shards])
    try:
        db = open_store(store, update_endpoint=update_endpoint, graph_store=graph_store,
                        **({"timeout": timeout} if timeout else {}))
    except StoreError as e:
        _fail(str(e))
    started = time.perf_counter()
    columns = [TextColumn("loading"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[rate]}"),
               TimeElapsedColumn(), TextColumn("{task.fields[name]}")]
    with Progress(*columns, console=err, transient=True, disable=not err.is_terminal) as progress:
        task = progress.add_task("load", total=None, rate="", name="")

        def on_progress(done, total, path):
            rate = done / max(time.perf_counter() - started, 1e-6)
            progress.update(task, completed=done, total=total, rate=f"{rate:.1f} reports/s",
                            name=os.path.basename(path or ""))
        try:
            summary = run_load(paths, db, base=base_iri, encoding=encoding, workers=workers, prune=prune,
                               compact=compact, on_progress=on_progress, **({"batch_reports": batch} if batch else {}))
        finally:
            db.close()
    t = Table(title=f"kg load → {db.location}", title_justify="left", show_header=False)
    t.add_column("what")
    t.add_column("n", justify="right")
    rate = summary.loaded / summary.seconds if summary.seconds else 0.0
    # every count names what it counts: a report is one content (its bytes' hash), a file one of
    # its sources; the store's counts are of the same things as `kg stats` and `kg query`
    for label, value in [("files read", summary.files), ("reports loaded", summary.loaded),
                         ("same bytes, another file", summary.duplicates), ("unchanged (skipped)", summary.unchanged),
                         ("failed", len(summary.failed)), ("pruned", summary.pruned),
                         ("citations", summary.citations), ("documents (in these reports)", summary.documents),
                         ("quads written", summary.quads), ("seconds", f"{summary.seconds:.2f}"),
                         ("  of which compaction", f"{summary.compact_seconds:.2f}"), ("reports/s", f"{rate:.1f}"),
                         ("store: reports", summary.store.get("reports")), ("store: documents", summary.store.get("documents")),
                         ("store: triples", summary.store.get("triples"))]:
        add_plain_row(t, label, str(value))
    _out().print(t)
    for path, reason in summary.failed:
        err.print(plain(f"kg: skipped {reason}" if reason.startswith(path) else f"kg: skipped {path}: {reason}"),
                  soft_wrap=True)
    if summary.failed:
        raise typer.Exit(1)


class QueryFormat(str, Enum):
    table = "table"
    csv = "csv"
    tsv = "tsv"
    json = "json"
    xml = "xml"


@app.command()
def query(
    sparql: Optional[str] = typer.Argument(None, help="A SPARQL query, or the name of one in queries/."),
    file: Optional[str] = typer.Option(None, "--file", help="Read the query from a file."),
    store: Optional[str] = StoreOption,
    format: QueryFormat = typer.Option(QueryFormat.table, "--format", "-f", help="SELECT output (json = SPARQL 1.1 JSON results)."),
    update: bool = typer.Option(False, "--update", help="Allow SPARQL UPDATE (the store is read-only otherwise)."),
    list_: bool = typer.Option(False, "--list", help="List the named queries."),
    param: Optional[List[str]] = typer.Option(None, "--param", "-p", help="NAME=VALUE for a named query's parameter."),
    allow_service: bool = typer.Option(False, "--allow-service", help="Run federated queries (SERVICE <url>): kg then sends requests to those servers."),
    update_endpoint: Optional[str] = UpdateEndpointOption,
    graph_store: Optional[str] = GraphStoreOption,
):
    """Run SPARQL over the store. ASK sets the exit status (0 true, 1 false)."""
    import pyoxigraph as ox
    from rich.table import Table

    from .query import (RESULT_FORMATS, SERVICE_REFUSED, QueryError, apply_params, describe, is_update, named_queries,
                        required_params, resolve_query, rows, run, syntax_message, uses_service)
    from .store import StoreError, open_store

    if list_:
        t = Table("name", "question")
        for name, path in named_queries().items():
            add_plain_row(t, name, describe(path))
        _out().print(t)
        return
    try:
        text = resolve_query(sparql, file)
    except QueryError as e:
        _fail(str(e))
    if is_update(text) and not update:
        _fail("this is a SPARQL UPDATE; the store is read-only unless you pass --update")
    params = {}
    for p in param or []:
        if "=" not in p:
            _fail(f"--param wants NAME=VALUE, not {p!r}")
        k, v = p.split("=", 1)
        params[k.strip()] = v
    if sparql in named_queries() and not file:  # a named query never runs on its example value silently
        missing = {k: v for k, v in required_params(text).items() if k not in params}
        if missing:
            name, example = next(iter(missing.items()))
            _fail(f"the query {sparql} needs --param {name}=… (e.g. --param {name}={example})", 2)
    try:
        text = apply_params(text, params) if params else text  # checked before the store is opened
    except QueryError as e:
        _fail(str(e))
    try:
        db = open_store(store, read_only=not update, must_exist=not update, update_endpoint=update_endpoint,
                        graph_store=graph_store)
    except StoreError as e:
        _fail(str(e))
    try:
        if not update and db.is_stale():  # a load is writing it (a server) or was killed in its derived graphs
            err.print("kg: warning: the store is mid-rebuild (a load was killed, or one is running): answers may be "
                      "partial until `kg load` finishes it", markup=False, soft_wrap=True)
        if update:
            if uses_service(text) and not allow_service:
                _fail(SERVICE_REFUSED + "; pass --allow-service to run it")
            try:
                db.update(text)
            except SyntaxError as e:
                _fail(syntax_message(text, str(e)))
            err.print("update done", markup=False)
            return
        try:
            results = run(db, text, allow_service=allow_service)
        except QueryError as e:
            _fail(str(e))
        if isinstance(results, ox.QueryBoolean):
            print("true" if bool(results) else "false")
            raise typer.Exit(0 if bool(results) else 1)
        try:  # results are computed as they are read: a failing SERVICE fails here
            if isinstance(results, ox.QuerySolutions):
                if format == QueryFormat.table:
                    names, data = rows(results)
                    t = Table(*names, title=_n(len(data), "row"), title_justify="left")
                    for r in data:
                        add_plain_row(t, *r)
                    _out().print(t)
                else:
                    sys.stdout.buffer.write(results.serialize(format=RESULT_FORMATS[format.value]))
                return
            from .rdf import PREFIXES
            sys.stdout.buffer.write(ox.serialize(list(results), format=ox.RdfFormat.TURTLE, prefixes=PREFIXES))
        except BrokenPipeError:
            raise
        except (OSError, RuntimeError) as e:
            _fail(f"query failed: {str(e).splitlines()[0] if str(e) else type(e).__name__}")
    finally:
        db.close()


@app.command()
def serve(
    store: Optional[str] = StoreOption,
    host: str = typer.Option("127.0.0.1", "--host", help="Address to bind (loopback unless told otherwise)."),
    port: int = typer.Option(7878, "--port", min=1, max=65535, help="TCP port to listen on."),
    timeout: int = typer.Option(30, "--timeout", min=1, help="Query time limit in seconds."),
    cors: Optional[List[str]] = typer.Option(None, "--cors", help="An origin whose pages may read the endpoint "
                                             "(e.g. https://example.org); repeat for more. Default: none."),
    allow_service: bool = typer.Option(False, "--allow-service", help="Allow federated queries (SERVICE <url>): "
                                       "the server then fetches the URLs queries name."),
):
    """A read-only SPARQL 1.1 endpoint over the store, with kg's prefixes predeclared (no
    federation, no cross-origin reads unless allowed) and a query page at http://HOST:PORT/."""
    from .serve import serve as run_server
    from .store import StoreError, store_location

    loc = store_location(store)
    if loc.startswith(("http://", "https://")):
        _fail("kg serve serves a local store; that URL is a server already")
    if not os.path.exists(os.path.join(loc, "CURRENT")):
        _fail(f"no store at {loc} (run `kg load` first, or pass --store)")
    for origin in cors or []:
        if not origin.startswith(("http://", "https://")) or origin.count("/") != 2:
            _fail(f"--cors wants an origin like https://example.org, not {origin!r}")

    shown = f"[{host}]" if ":" in host else host

    def ready():
        err.print(plain(f"kg: SPARQL endpoint http://{shown}:{port}/query (read-only, {timeout}s limit); "
                        f"query page http://{shown}:{port}/ ; Ctrl-C stops"))
    try:
        raise typer.Exit(run_server(loc, host, port, timeout, cors=set(cors or []),
                                    allow_service=allow_service, on_ready=ready))
    except StoreError as e:
        _fail(str(e))
    except OSError as e:
        _fail(str(e))


class ReportFormat(str, Enum):
    table = "table"
    json = "json"


@app.command()
def validate(
    paths: Optional[List[str]] = typer.Argument(None, help="Reports to extract and check (or use --store)."),
    store: Optional[str] = StoreOption,
    format: ReportFormat = typer.Option(ReportFormat.table, "--format", "-f"),
    strict: bool = typer.Option(False, "--strict", help="Exit 1 when anything is violated."),
    encoding: Optional[str] = typer.Option(None, "--encoding", help="Text encoding of the reports when not UTF-8/UTF-16 with BOM (e.g. cp1258)."),
):
    """Check the graph: SHACL shapes, conflicting dates, anachronisms, impossible dates,
    type words that contradict their code, unknown codes."""
    from rich.table import Table

    from .extract import extract_report
    from .rdf import extraction_quads
    from .store import StoreError, open_store
    from .validate import excerpt, memory_store, validate_store

    store = _which_store(store, paths)
    if store:
        try:
            db = open_store(store, read_only=True)
        except StoreError as e:
            _fail(str(e))
        findings = validate_store(db, db.dump())
        db.close()
    else:
        quads = []
        skipped: list[tuple[str, str]] = []
        files = expand(paths, skipped)
        _say_skipped(skipped)
        for f in files:
            try:
                r = read_report(f, encoding)
            except ReadError as e:
                _fail(str(e))
            quads += extraction_quads(extract_report(r))
        mem = memory_store(quads)
        findings = validate_store(mem, mem.dump())
    if format == ReportFormat.json:
        print(json.dumps([f.as_dict() for f in findings], ensure_ascii=False, indent=1))
    else:
        t = Table("severity", "check", "document", "finding", "sentence", title=_n(len(findings), "finding"),
                  title_justify="left", show_lines=True)
        from rich.text import Text
        for f in findings:
            colour = "red" if f.severity == "violation" else "yellow"
            shown = [excerpt(x, f.symbol) for x in (f.sentences or ([f.sentence] if f.sentence else []))]
            add_plain_row(t, Text(f.severity, style=colour), f.check, f.symbol or "", f.message, "\n≠ ".join(shown))
        _out().print(t)
    if strict and any(f.severity == "violation" for f in findings):
        raise typer.Exit(1)


def _which_store(store: Optional[str], paths) -> Optional[str]:
    """The store a command reads, found as `kg load` and `kg query` find it: --store, else (when
    no files are named) $KG_STORE, else ./kg-store. None: read the files named instead."""
    from .store import store_location
    if store:
        return store
    if paths:
        return None
    loc = store_location(None)
    if loc.startswith(("http://", "https://")) or os.path.exists(loc):
        return loc
    _fail(f"give reports, JSON extractions, or --store (no store at {loc}; $KG_STORE names one)")


def _graph_from(paths, store, encoding, base=None, progress=None):
    """A networkx graph from a store, JSON extractions or report files."""
    from .extract import extract_report
    from .formats import extraction_json
    from .graph import from_extractions, from_store, load_json_extractions
    from .store import StoreError, open_store

    store = _which_store(store, paths)
    if store:
        try:
            db = open_store(store, read_only=True)
        except StoreError as e:
            _fail(str(e))
        try:
            return from_store(db, progress)
        finally:
            db.close()
    if not paths:
        _fail("give reports, JSON extractions, or --store")
    items = []
    skipped: list[tuple[str, str]] = []
    files = expand(paths, skipped)
    _say_skipped(skipped)
    for f in files:
        if f.lower().endswith((".json", ".jsonl")):
            try:
                items += load_json_extractions(f)
            except (OSError, ValueError) as e:
                _fail(f"{f}: not a kg extract JSON file ({e.__class__.__name__})")
        else:
            try:
                r = read_report(f, encoding)
            except ReadError as e:
                _fail(str(e))
            items.append(extraction_json(extract_report(r)))
    return from_extractions(items)


@app.command()
def viz(
    paths: Optional[List[str]] = typer.Argument(None, help="Reports or `kg extract --format json` files (or use --store)."),
    store: Optional[str] = StoreOption,
    out: str = typer.Option("graph.html", "--out", "-o", help="The HTML file to write."),
    focus: Optional[str] = typer.Option(None, "--focus", help="Only this document (symbol) and its neighbourhood."),
    depth: int = typer.Option(1, "--depth", min=0, help="Neighbourhood radius with --focus."),
    lineage_only: bool = typer.Option(False, "--lineage", help="With --focus: only the document's lineage (what it does, "
                                      "what was done to it, its implementation tree)."),
    issuer: Optional[str] = typer.Option(None, "--issuer", help="Only documents of this issuer (diacritics ignored)."),
    doc_type: Optional[str] = typer.Option(None, "--type", help="Only documents of this type (Chỉ thị, Kết luận …)."),
    year_from: Optional[int] = typer.Option(None, "--from", help="Only documents dated from this year."),
    year_to: Optional[int] = typer.Option(None, "--to", help="Only documents dated up to this year."),
    relations: Optional[str] = typer.Option(None, "--relations", help="Comma-separated relations to draw (implements,reviews,…)."),
    title: str = typer.Option("kg — trích dẫn văn bản của Đảng", "--title"),
    force: bool = typer.Option(False, "--force", help="Draw even a graph of more than 5,000 nodes."),
    encoding: Optional[str] = typer.Option(None, "--encoding", help="Text encoding of the reports when not UTF-8/UTF-16 with BOM (e.g. cp1258)."),
):
    """Draw the graph as one self-contained HTML file that works offline."""
    from .formats import atomic_write
    from .viz import VizError, render, select

    g = _graph_from(paths, store, encoding)
    rels = [r.strip() for r in relations.split(",")] if relations else None
    known = {"implements", "reviews", "amends", "replaces", "repeals", "guides", "based_on"}
    if rels and set(rels) - known:
        _fail(f"unknown relation {sorted(set(rels) - known)[0]!r}; use {', '.join(sorted(known))}")
    try:
        if lineage_only and not focus:
            _fail("--lineage draws one document's lineage: give --focus SYMBOL")
        part = select(g, focus=focus, depth=depth, issuer=issuer, doc_type=doc_type, year_from=year_from,
                      year_to=year_to, relations=rels, only_lineage=lineage_only)
        html = render(part, title=title, force=force, focus=focus)
    except VizError as e:
        _fail(str(e))
    try:
        atomic_write(out, html.encode("utf-8"))
    except OSError as e:
        _fail(f"cannot write {out}: {e.strerror or e}")
    docs = sum(1 for _, a in part.nodes(data=True) if a["kind"] == "document")
    err.print(plain(f"kg: wrote {out}: {_n(docs, 'document')}, {_n(part.number_of_nodes() - docs, 'report')}, "
                    f"{_n(part.number_of_edges(), 'edge')}"))
    if part.number_of_nodes() > 1000:
        err.print(plain(f"kg: {part.number_of_nodes()} nodes is more than a drawing shows legibly (about 1,000); "
                        f"`kg site … --out site/` makes a page per document, or narrow with --focus SYMBOL"))


@app.command()
def stats(
    paths: Optional[List[str]] = typer.Argument(None, help="Reports or `kg extract --format json` files (or use --store)."),
    store: Optional[str] = StoreOption,
    format: ReportFormat = typer.Option(ReportFormat.table, "--format", "-f"),
    top: int = typer.Option(15, "--top", help="How many rows of the rankings."),
    encoding: Optional[str] = typer.Option(None, "--encoding", help="Text encoding of the reports when not UTF-8/UTF-16 with BOM (e.g. cp1258)."),
):
    """Most cited documents, implementation chains, counts, undated documents, data errors."""
    from rich.table import Table

    from .stats import stats as compute

    result = compute(_graph_from(paths, store, encoding), top)
    if format == ReportFormat.json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
        return
    con = _out()
    con.print(plain(f"{_n(result['documents'], 'document')} cited by {_n(result['reports'], 'report')}"))
    t = Table("Symbol", "Type", "Date", "Mentions", "Reports citing", "Documents relating", "PageRank",
              title="Most cited", title_justify="left")
    for r in result["most_cited"]:
        add_plain_row(t, r["symbol"], r["doc_type"] or "", r["date"] or "", str(r["mentions"]), str(r["reports"]),
                      str(r["documents_relating"]), f"{r['pagerank']:.4f}")
    if result["most_cited"]:  # an empty section prints nothing, not a table of headers
        con.print(t)
    for relation, found in result["chains_by_relation"].items():
        if found:
            t = Table(f"Chain (each step: {relation})", title=f"Chains of {relation}", title_justify="left")
            for chain in found:
                add_plain_row(t, f" ←{relation}— ".join(chain))
            con.print(t)
    for key, label in (("issuer", "Issuer"), ("type", "Type"), ("year", "Year")):
        t = Table(label, "Documents", title=f"Per {key}", title_justify="left")
        for name, n in result["counts"][key]:
            add_plain_row(t, str(name), str(n))
        if result["counts"][key]:
            con.print(t)
    con.print(plain("Cited but never dated: " + (", ".join(result["undated"]) or "none")))
    t = Table("From", "To", "Pairs", "Median days", "Q1", "Q3", "Slowest", "Fastest",
              title="Implementation lag (a document → one that implements, guides or reviews it)", title_justify="left")
    for r in result["implementation_lag"]:
        add_plain_row(t, r["from"], r["to"], str(r["count"]), f"{r['median']:g}", f"{r['q1']:g}", f"{r['q3']:g}",
                      r["slowest"], r["fastest"])
    if result["implementation_lag"]:
        con.print(t)
    t = Table("Kind", "Documents", "Problem", title="Data errors", title_justify="left")
    for e in result["errors"]:
        add_plain_row(t, e["kind"], ", ".join(e["documents"]), e["message"])
    con.print(t if result["errors"] else plain("Data errors: none"))


@app.command()
def show(
    symbol: str = typer.Argument(..., help="The document's symbol (số và ký hiệu), e.g. 05-CT/TW."),
    paths: Optional[List[str]] = typer.Argument(None, help="Reports or `kg extract --format json` files (or use --store)."),
    store: Optional[str] = StoreOption,
    format: ReportFormat = typer.Option(ReportFormat.table, "--format", "-f", help="table, or json (keys: document, "
                                        "relations_out, relations_in, status, implementation_tree, cited_by, conflicts)."),
    year: Optional[int] = typer.Option(None, "--year", help="Which one, when several documents share the symbol (numbers restart each term)."),
    encoding: Optional[str] = typer.Option(None, "--encoding", help="Text encoding of the reports when not UTF-8/UTF-16 with BOM (e.g. cp1258)."),
):
    """The life of a document: what it does, what was done to it, its status as far as the
    loaded reports say, the tree of documents that implement it, and the reports that cite it."""
    from rich.table import Table

    from .lineage import LEVEL_NAMES, find, near, show as describe
    from .provisions import compact

    g = _graph_from(paths, store, encoding)
    found = find(g, symbol, year)
    if not found:
        close = [f"{s} ({', '.join(sorted({(g.nodes[n].get('date') or 'undated')[:4] for n in find(g, s, None)}))})"
                 for s in near(g, symbol)]
        _fail(f"no document {symbol}" + (f" from {year}" if year else "") +
              (f"; did you mean {', '.join(close)}?" if close else "; none with that number either"))
    if len(found) > 1:
        years = ", ".join((g.nodes[n].get("date") or "undated")[:4] for n in found)
        if format == ReportFormat.table:
            err.print(plain(f"kg: {len(found)} documents are {symbol} ({years}); showing each (--year picks one)"))
    views = [describe(g, n) for n in found]
    if format == ReportFormat.json:
        print(json.dumps(views[0] if len(views) == 1 else views, ensure_ascii=False, indent=2))
        return
    from rich.text import Text
    con = _out()
    for v in views:
        d = v["document"]
        con.print(plain(f"{d['symbol']}  {d.get('doc_type') or ''}  {d.get('date') or 'undated'}  "
                        f"{d.get('issuer') or ''}  [{LEVEL_NAMES.get(d.get('level'), '—')}]"))
        con.print(plain(f"{d['id']}" + (f"  “{d['title']}”" if d.get("title") else "")))
        st = v["status"]
        con.print(Text.assemble(("Status: ", "bold"), plain(f"{st['text']} — {st['text_vi']}")))
        for title, rows in (("What it does", v["relations_out"]), ("What was done to it", v["relations_in"])):
            if not rows:  # an empty section prints nothing, not a table of headers
                continue
            t = Table("Relation", "Document", "Date", "Report", "Sentence", title=title, title_justify="left")
            for r in rows:
                other = r["document"]
                acted = f" ({compact(r['provisions'])})" if r.get("provisions") else ""
                add_plain_row(t, r["predicate"] + acted, other.get("symbol") or other.get("report") or "", other.get("date") or "",
                              r.get("report") or "", (r.get("sentence") or "")[:200])
            con.print(t)
        t = Table("Document", "Relation", "Date", "Lag (days)", "Level", title="Implementation tree", title_justify="left")

        def walk(nodes, depth):
            for n in nodes:
                doc = n["document"]
                add_plain_row(t, "  " * depth + (doc.get("symbol") or ""), n["predicate"], doc.get("date") or "",
                              "" if n["lag_days"] is None else str(n["lag_days"]), LEVEL_NAMES.get(doc.get("level"), ""))
                walk(n["children"], depth + 1)
        walk(v["implementation_tree"], 0)
        if v["implementation_tree"]:
            con.print(t)
        t = Table("Report", "Mentions", "Date", title="Cited by", title_justify="left")
        for r in v["cited_by"]:
            add_plain_row(t, r["report"] or "", "" if r["mentions"] is None else str(r["mentions"]), r["date"] or "")
        if v["cited_by"]:
            con.print(t)
        for c in v["conflicts"]:
            con.print(plain(f"Conflict: {c.get('field')}: {' ≠ '.join(map(str, c.get('values', [])))}"))


class ExportFormat(str, Enum):
    graphml = "graphml"
    gexf = "gexf"
    csv = "csv"


@app.command()
def export(
    paths: Optional[List[str]] = typer.Argument(None, help="Reports or JSON extractions (or use --store)."),
    store: Optional[str] = StoreOption,
    format: ExportFormat = typer.Option(ExportFormat.graphml, "--format", "-f"),
    out: Optional[str] = typer.Option(None, "--out", "-o", help="File (graphml, gexf; default or - : standard output) or folder (csv: nodes.csv, edges.csv)."),
    encoding: Optional[str] = typer.Option(None, "--encoding", help="Text encoding of the reports when not UTF-8/UTF-16 with BOM (e.g. cp1258)."),
):
    """Export the graph for Gephi (GraphML, GEXF) or spreadsheets (CSV)."""
    from .export import export as run_export

    if format == ExportFormat.csv and out in (None, "-"):
        _fail("csv writes two files (nodes.csv, edges.csv): give a folder with --out", 2)
    try:
        written = run_export(_graph_from(paths, store, encoding), format.value, out)
    except OSError as e:
        _fail(f"cannot write {out}: {e.strerror or e}")
    if out not in (None, "-"):
        err.print("kg: wrote " + ", ".join(written), markup=False)


@app.command()
def annotate(
    path: str = typer.Argument(..., help="A report."),
    out: str = typer.Option(..., "--out", "-o", help="The HTML file to write."),
    graph: Optional[str] = typer.Option(None, "--graph", help="The `kg viz` page citations link to (without it, "
                                        "citations link nowhere: `kg site` makes pages that link every document)."),
    encoding: Optional[str] = typer.Option(None, "--encoding", help="Text encoding of the reports when not UTF-8/UTF-16 with BOM (e.g. cp1258)."),
):
    """The report's text with every citation highlighted and linked to the graph."""
    from .extract import extract_report
    from .annotate import annotate as render
    from .formats import atomic_write

    try:
        r = read_report(path, encoding, stream_bytes=1 << 62)  # the page shows the whole text anyway
    except ReadError as e:
        _fail(str(e))
    page = render(extract_report(r), graph)
    try:
        atomic_write(out, page.encode("utf-8"))
    except OSError as e:
        _fail(f"cannot write {out}: {e.strerror or e}")
    err.print(plain(f"kg: wrote {out}"))


@app.command()
def site(
    paths: Optional[List[str]] = typer.Argument(None, help="Reports or `kg extract --format json` files (or use --store)."),
    store: Optional[str] = StoreOption,
    out: str = typer.Option("site", "--out", "-o", help="The site's folder (made if missing; a rebuild rewrites only "
                            "the pages whose facts changed)."),
    encoding: Optional[str] = typer.Option(None, "--encoding", help="Text encoding of the reports when not UTF-8/UTF-16 with BOM (e.g. cp1258)."),
):
    """A static website of the archive: an index with search and filters, a page per document
    (status, lược đồ, implementation tree, citing reports, neighbourhood), per report, per issuing
    body and per year. Opens by double-click, offline, with no server."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from .site import SiteError, build

    store = _which_store(store, paths)  # found as every command finds it
    started = time.perf_counter()
    columns = [TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()]
    with Progress(*columns, console=err, transient=True, disable=not err.is_terminal) as progress:
        if store:
            task = progress.add_task("reading the store", total=None)
            g, texts = _graph_from(None, store, encoding,
                                   progress=lambda done, total: progress.update(task, completed=done, total=total)), {}
        else:
            task = progress.add_task("reading reports", total=None)
            g, texts = _site_inputs(paths, encoding, lambda done, total: progress.update(task, completed=done, total=total))
        read_s = time.perf_counter() - started
        progress.update(task, description="writing pages", completed=0, total=None)
        try:
            result = build(g, out, texts=texts,
                           progress=lambda done, total: progress.update(task, completed=done, total=total))
        except SiteError as e:
            _fail(str(e))
        except OSError as e:
            _fail(f"cannot write {out}: {e.strerror or e}")
    seconds = time.perf_counter() - started
    err.print(plain(f"kg: wrote {out}/index.html: {_n(result.documents, 'document')}, {_n(result.reports, 'report')}, "
                    f"{result.pages} pages ({result.written} written, {result.pages - result.written} unchanged, "
                    f"{result.removed} removed), {result.bytes / 1e6:.1f} MB, largest {result.largest[0] / 1e3:.0f} KB, "
                    f"{seconds:.1f} s ({read_s:.1f} s reading, {seconds - read_s:.1f} s pages)"))


def _site_inputs(paths, encoding, on_progress):
    """The graph of reports or JSON extractions, and the annotated text of each report read here
    (its citations linking to the site's document pages)."""
    from .annotate import annotated_text, legend
    from .extract import extract_report
    from .formats import extraction_json
    from .graph import from_extractions, load_json_extractions
    from .rdf import report_iri
    from .resolve import DEFAULT_BASE
    from .site.facts import doc_slug

    if not paths:
        _fail("give reports, JSON extractions, or --store")
    missing = [p for p in paths if not os.path.exists(p)]
    if missing:
        _fail(f"{missing[0]}: no such file or folder")
    skipped: list[tuple[str, str]] = []
    files = list(expand(paths, skipped))
    _say_skipped(skipped)
    items, texts = [], {}
    for i, f in enumerate(files, 1):
        if f.lower().endswith((".json", ".jsonl")):
            try:
                items += load_json_extractions(f)
            except (OSError, ValueError, KeyError) as e:
                _fail(f"{f}: not a kg extract JSON file ({e.__class__.__name__})")
        else:
            try:
                ex = extract_report(read_report(f, encoding))
            except ReadError as e:
                _fail(str(e))
            items.append(extraction_json(ex))
            if ex.text is not None:
                texts[report_iri(DEFAULT_BASE, ex.sha256 or "")] = (
                    annotated_text(ex, lambda iri: f"../van-ban/{doc_slug(iri)}.html"), legend(ex))
        on_progress(i, len(files))
    try:
        return from_extractions(items), texts
    except (KeyError, TypeError) as e:
        _fail(f"not a kg extract JSON file (missing {e})")


def _click_exceptions() -> tuple[tuple, tuple]:
    """Click's usage and abort exceptions, from click and from the copy typer ships (typer ≥ 0.20)."""
    import importlib
    usage, abort = [], []
    for name in ("typer._click.exceptions", "click.exceptions"):
        try:
            m = importlib.import_module(name)
        except ImportError:
            continue
        usage.append(m.ClickException)
        if hasattr(m, "Abort"):
            abort.append(m.Abort)
    return tuple(usage), tuple(abort)


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import PackageNotFoundError, version
        try:
            print(f"kg {version('kg')}")
        except PackageNotFoundError:
            print("kg (not installed)")
        raise typer.Exit(0)


@app.callback()
def _root(version_: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                        help="Print kg's version and exit.")):
    """kg: a knowledge graph of the citations inside Vietnamese Communist Party documents."""


def _user_error(e: Exception) -> str | None:
    """The one line for a failure that is not a bug: a store or a shard that cannot be used (a
    server's fault included), a full disk. Looked up without importing the store's modules."""
    import errno
    kinds = tuple(getattr(sys.modules[m], n) for m, n in (("kg.store.base", "StoreError"), ("kg.shard", "ShardError"))
                  if m in sys.modules)
    if kinds and isinstance(e, kinds):
        return str(e)
    if isinstance(e, OSError) and (e.errno in (errno.ENOSPC, errno.EDQUOT) or "No space left" in str(e)):
        return f"no space left on the device ({str(e).splitlines()[0][:200] if str(e) else 'ENOSPC'}); " \
               f"free some and run the command again (the store is consistent: a rerun completes)"
    return None


def app_for(args: list[str]) -> typer.Typer:
    """The app a command line needs: when its first word names a command, an app with that command
    alone. typer makes every command's options from its signature before it runs one: 10-15 ms of
    a cold `kg extract`. `kg`, `kg --help`, `kg --version` and unknown words get the whole app."""
    from typer.main import get_command_name
    first = args[0] if args else None
    for info in app.registered_commands:
        if (info.name or get_command_name(info.callback.__name__)) == first:
            one = typer.Typer(**_APP)
            one.registered_callback = app.registered_callback
            one.registered_commands = [info]
            return one
    return app


def main() -> None:
    """Entry point: user errors are one line, never a traceback (KG_DEBUG=1 shows it)."""
    recache.save_at_exit()  # the patterns a command compiles are kept for the next one
    collector.for_a_command()  # what the pipeline's imports make is never collected again
    try:
        code = app_for(sys.argv[1:])(standalone_mode=False)
        sys.exit(code if isinstance(code, int) else 0)
    except typer.Exit as e:
        sys.exit(e.exit_code)
    except (ReadError, KgError) as e:
        err.print(plain(f"kg: error: {e}"), soft_wrap=True)
        sys.exit(1)
    except KeyboardInterrupt:
        err.print("kg: interrupted", markup=False)
        sys.exit(130)
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
    except Exception as e:  # noqa: BLE001
        message = _user_error(e)
        if message:
            err.print(plain(f"kg: error: {message}"), soft_wrap=True)
            sys.exit(1)
        usage, abort = _click_exceptions()
        if isinstance(e, usage):  # a wrong option, a missing argument, an unknown command: usage, exit 2
            e.show()
            sys.exit(e.exit_code)
        if isinstance(e, abort):
            sys.exit(130)
        if os.environ.get("KG_DEBUG"):
            raise
        err.print(plain(f"kg: internal error: {type(e).__name__}: {e} (KG_DEBUG=1 shows the traceback)"))
        sys.exit(70)
