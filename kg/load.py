"""Loading reports into the store: incremental, in parallel, one transaction per report.

Each file is hashed; a report whose bytes are already in the store under that path is skipped,
a changed one replaces the old graph, `prune` drops reports whose files are gone. Extraction
runs in worker processes; only the main process writes to the store.
"""
from __future__ import annotations

import hashlib
import os
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass, field

from .rdf import report_iri
from .read import ReadError, expand, read_report
from .resolve import DEFAULT_BASE


@dataclass
class LoadSummary:
    loaded: int = 0
    unchanged: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    pruned: int = 0
    citations: int = 0
    documents: int = 0
    quads: int = 0
    seconds: float = 0.0
    store: dict = field(default_factory=dict)


def extract_to_nquads(path: str, base: str, encoding: str | None):
    """Worker: read, extract, serialise. Returns (path, sha256, nquads, citations, documents,
    quads, document IRIs) or (path, None, error message)."""
    from .extract import extract_report
    from .rdf import extraction_quads, serialise
    try:
        report = read_report(path, encoding)
        ex = extract_report(report, base=base)
        quads = extraction_quads(ex, base, concepts=False, for_store=True)
        docs = [d.id for d in ex.documents]
        return path, report.sha256, serialise(quads, "nq"), len(ex.citations), len(ex.documents), len(quads), docs
    except ReadError as e:
        return path, None, str(e)
    except Exception as e:  # noqa: BLE001  (one bad report never stops the rest)
        return path, None, f"{path}: {type(e).__name__}: {e}"


def file_sha256(path: str) -> str | None:
    """The hash of a regular file's bytes; None for anything else (a FIFO would block)."""
    if not os.path.isfile(path):
        return None
    h = hashlib.sha256()
    try:
        with open(path, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                h.update(chunk)
    except OSError:
        return None
    return h.hexdigest()


def load(paths: list[str], store, *, base: str = DEFAULT_BASE, encoding: str | None = None,
         workers: int | None = None, prune: bool = False, on_progress=None) -> LoadSummary:
    """Load files and folders into an open store. ``on_progress(done, total, path)`` is called
    after each report."""
    t0 = time.perf_counter()
    summary = LoadSummary()
    files = [os.path.abspath(f) for f in expand(paths)]
    store.put_ontology()
    sources = store.all_sources()                      # report → its files, read once
    by_path: dict[str, set[str]] = {}
    for report, paths_ in sources.items():
        for p in paths_:
            by_path.setdefault(p, set()).add(report)
    todo = []
    for f in files:
        sha = file_sha256(f)
        if sha is None:
            todo.append(f)  # let the worker say what is wrong with it
            continue
        if f in sources.get(report_iri(base, sha), ()):
            summary.unchanged += 1
            continue
        todo.append(f)
    total = len(files)
    done = summary.unchanged
    stale = store.is_stale()
    docs_before = summary_size(store)
    affected: set[str] = set()  # documents whose facts in the documents graph must be rebuilt
    if todo or prune:
        store.mark_stale()
    if on_progress:
        on_progress(done, total, None)

    def commit(result):
        nonlocal done
        path, sha = result[0], result[1]
        done += 1
        if sha is None:
            summary.failed.append((path, result[2]))
        else:
            nquads, n_cit, n_doc, n_quads, docs = result[2:]
            affected.update(docs)
            report = report_iri(base, sha)
            if report in sources:  # same bytes under another path: one report, two sources
                store.add_source(report, path)
                sources[report].add(path)
            else:
                store.put_report(report, nquads)
                sources[report] = {path}
            for old in by_path.get(path, set()) - {report}:  # the file changed: its old report goes
                affected.update(_remove_source(store, old, path))
            summary.loaded += 1
            summary.citations += n_cit
            summary.documents += n_doc
            summary.quads += n_quads
        if on_progress:
            on_progress(done, total, path)

    # the main process writes (one writer per store); the others extract: one core is the writer's
    workers = workers or max(1, (os.cpu_count() or 2) - 1)
    if len(todo) <= 1:
        for f in todo:
            commit(extract_to_nquads(f, base, encoding))
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            pending = set()
            queue = list(todo)
            try:
                while queue or pending:
                    while queue and len(pending) < workers * 4:  # bounded: memory stays flat
                        pending.add(pool.submit(extract_to_nquads, queue.pop(0), base, encoding))
                    finished, pending = wait(pending, return_when=FIRST_COMPLETED)
                    for fut in finished:
                        commit(fut.result())
            except BaseException:
                for fut in pending:
                    fut.cancel()
                raise

    if prune:
        for report, sources in store.all_sources().items():
            for s in sources:
                if not os.path.exists(s):
                    affected.update(_remove_source(store, report, s))
                    summary.pruned += 1
    if summary.loaded or summary.pruned or stale or todo or prune:
        # a few documents: rebuild their facts only; most of them (or after a killed load): all
        partial = not stale and len(affected) <= 0.2 * docs_before
        store.refresh_summary(affected if partial else None)
        store.put_identity()
        store.clear_stale()
    summary.seconds = time.perf_counter() - t0
    summary.store = store.counts()
    return summary


def _remove_source(store, report: str, path: str) -> set[str]:
    """A report stays while any file still has its bytes. Returns the documents it cited when
    it goes (their facts change)."""
    if store.sources(report) - {path}:
        store.remove_source(report, path)
        return set()
    cited = store.cited_by(report)
    store.drop_report(report)
    return cited


def summary_size(store) -> int:
    """How many documents the documents graph holds."""
    rows = store.select("SELECT (COUNT(?d) AS ?n) WHERE { GRAPH <https://kg.example.org/graph/documents> { ?d eli:id_local ?s } }")
    return int(rows[0]["n"]) if rows else 0
