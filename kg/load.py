"""Loading reports into the store: incremental, in parallel, in whole batches.

Each file is hashed; a report whose bytes are already in the store under that path is skipped,
a changed one replaces the old graph, `prune` drops reports whose files are gone. Extraction
runs in worker processes; only the main process writes to the store, a batch of reports at a
time (with their share of the documents graph), so each report is fully in or fully out.
After the reports: the documents whose citing reports went are rebuilt, mention counts are
recounted, the identity graph is redone.
"""
from __future__ import annotations

import hashlib
import os
import queue
import sys
import threading
import time
from collections import deque
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass, field

from .rdf import report_iri
from .read import ReadError, display_name, expand, read_report
from .resolve import DEFAULT_BASE
from .shard import ShardError, check_shard, read_shard, shard_files
from .workers import KILLED_WORKER
from .workers import start as start_worker
from .workers import stop as stop_workers


@dataclass
class LoadSummary:
    """What a load did. A report is one content (the hash of a file's bytes); a file is one of its
    sources. ``files``: files (and shard entries) read; ``loaded``: reports written, new to the
    store; ``duplicates``: files whose bytes are a report already in the store or loaded earlier
    in this load (one more source, no new report); ``unchanged``: files already in the store as they
    are. ``citations``, ``documents`` and ``quads`` are of the reports loaded."""
    files: int = 0
    loaded: int = 0
    duplicates: int = 0
    unchanged: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    pruned: int = 0
    citations: int = 0
    documents: int = 0
    quads: int = 0
    seconds: float = 0.0
    compact_seconds: float = 0.0  # part of seconds: the store's compaction after a large load, beside the derived graphs
    finish_seconds: float = 0.0   # part of seconds: the derived graphs (documents, identity, lineage, index)
    finish_steps: dict = field(default_factory=dict)  # … step by step
    store: dict = field(default_factory=dict)


#: Batches start at BATCH_FIRST reports and double up to the batch size (BATCH_REPORTS unless
#: told), or BATCH_BYTES of N-Quads: a small load is written early, a large one in large batches.
#: Each batch is one bulk load, so one more file in every RocksDB index for its compaction to merge:
#: with batches of 100, writing a report cost 2.5× more at 20 k reports than at 5 k; with 1,000,
#: 1.2×. At 100 k reports, batches of 3,000 reports (about 1 M quads, the bulk loader's own batch)
#: loaded 13 % faster than batches capped at 64 MB (about 580 reports), for 4.7 GB of memory at
#: most instead of 1.5. A killed load loses at most one batch, which the next load redoes.
#: Writing 6,000 reports cost 43 s of CPU starting at 100, 38 s starting at 500 (37 s at 3,000).
BATCH_FIRST = 500
BATCH_REPORTS = 3000
BATCH_BYTES = 320 << 20
#: How many documents-graph lines a load remembers having written (~80 bytes each).
WRITTEN_MAX = 2_000_000
#: A load that wrote at least this share of the store's reports, and COMPACT_MIN reports or
#: more, compacts the store after.
COMPACT_SHARE, COMPACT_MIN = 0.1, 100
#: Above this share of the store's documents, rebuild or recount all of them in one pass.
WHOLE_SHARE = 0.2


#: Where Debian and others put jemalloc (package libjemalloc2; ./setup installs it).
JEMALLOC = ("/usr/lib/x86_64-linux-gnu/libjemalloc.so.2", "/usr/lib/aarch64-linux-gnu/libjemalloc.so.2",
            "/usr/lib64/libjemalloc.so.2", "/usr/lib/libjemalloc.so.2", "/usr/local/lib/libjemalloc.so.2")
#: A load this large (files found, or bytes) is worth starting Python again for.
LARGE_FILES, LARGE_BYTES = 1000, 64 << 20


def inputs(paths: list[str]) -> tuple[list[str], list[str]]:
    """What a load reads from these files and folders: kg's own shards, and the report files in
    the rest (`kg.read.expand`)."""
    shards = list(dict.fromkeys(shard_files(paths)))  # kg's own N-Quads, from `kg extract --engine dask`
    is_shard = set(shards)
    # a file named twice (`kg load X X`, or a file inside a folder also given) is read once
    files = [os.path.abspath(f) for f in expand([p for p in paths if p not in is_shard])]
    return shards, list(dict.fromkeys(files))


def is_large(paths: list[str]) -> bool:
    """Whether a load of these files and folders reads at least LARGE_FILES files or LARGE_BYTES
    bytes (sizes are summed until then)."""
    shards, files = inputs(paths)
    size = 0
    for n, f in enumerate(shards + files, 1):
        try:
            size += os.path.getsize(f)
        except OSError:
            continue
        if n >= LARGE_FILES or size >= LARGE_BYTES:
            return True
    return False


def jemalloc_command(argv: list[str], environ: dict) -> tuple[list[str], dict] | None:
    """The command and environment that run this program again with jemalloc preloaded, or None
    when it already runs so, was told not to (KG_MALLOC=system), or the machine has no jemalloc.

    Why: Oxigraph's bulk loader and RocksDB allocate and free millions of small keys; glibc's
    malloc took 30 % of a bulk load's CPU, and jemalloc makes a large load 10 % faster. An
    allocator is chosen when a process starts, so the load starts again (the same arguments;
    the workers inherit it)."""
    preload = environ.get("LD_PRELOAD", "")
    if environ.get("KG_MALLOC", "") == "system" or "jemalloc" in preload:
        return None
    lib = next((p for p in JEMALLOC if os.path.exists(p)), None)
    if lib is None:
        return None
    return argv, {**environ, "LD_PRELOAD": f"{lib} {preload}".strip()}


def kg_command(args: list[str]) -> list[str]:
    """This Python running kg with ``args``, with the safe path (-P): ``python -m kg`` would
    otherwise put the working directory first on sys.path, and run a ``kg/`` found there."""
    safe = "-P" if sys.version_info >= (3, 11) else "-I"  # -P: 3.11 on; -I also drops $PYTHON* and user site
    return [sys.executable, safe, "-m", "kg", *args]


def restart_under_jemalloc(argv: list[str]) -> None:
    """Replace this process by ``argv`` under jemalloc (see `jemalloc_command`); returns only when
    there is nothing to do."""
    again = jemalloc_command(argv, dict(os.environ))
    if again is not None:
        sys.stdout.flush()
        sys.stderr.flush()
        os.execve(argv[0], *again)


def extract_to_nquads(path: str, base: str, encoding: str | None):
    """Worker: read, extract, serialise. Returns (path, sha256, report N-Quads, documents-graph
    N-Quads, citations, documents, quads, document IRIs, mentions per document) or (path, None,
    error message)."""
    from .extract import extract_report
    from .rdf import extraction_nquads, summary_nquads
    try:
        report = read_report(path, encoding)
        ex = extract_report(report, base=base)
        nquads = extraction_nquads(ex, base, for_store=True)
        docs = [d.id for d in ex.documents]
        mentions: dict[str, int] = {}  # each citation is one mention (oa:hasBody) of its document,
        for _, _, doc in {(c.start, c.end, c.document) for c in ex.citations}:  # named by its span
            mentions[doc] = mentions.get(doc, 0) + 1
        return (path, report.sha256, nquads, summary_nquads(ex),
                len(ex.citations), len(ex.documents), nquads.count(b"\n"), docs, mentions)
    except ReadError as e:
        return path, None, str(e)
    except Exception as e:  # noqa: BLE001  (one bad report never stops the rest)
        return path, None, f"{path}: {type(e).__name__}: {e}"




def worker_lock(store) -> tuple[int, int, int] | None:
    """The store's kg.lock as a forked worker inherits it (fd, device, inode), for the worker to
    close: a flock is held while any process has it open, and a worker outliving a killed load
    would keep every later load and query out."""
    fd = getattr(store, "_lock", None)
    if fd is None:
        return None
    st = os.fstat(fd)
    return fd, st.st_dev, st.st_ino


class terminate_as_interrupt:
    """SIGTERM (a `kill`, a service manager, a closed session) is handled as Ctrl-C: the batch
    being written is finished, the workers stopped, the lock freed. Main thread only."""

    def __enter__(self):
        import signal
        self.old = None
        if threading.current_thread() is threading.main_thread():
            def interrupt(signum, frame):
                raise KeyboardInterrupt
            self.old = signal.signal(signal.SIGTERM, interrupt)
        return self

    def __exit__(self, *exc):
        import signal
        if self.old is not None:
            signal.signal(signal.SIGTERM, self.old)
        return False


def extract_in_workers(files: list[str], base: str, encoding: str | None, workers: int, commit, *,
                       lock=None) -> None:
    """Extract ``files`` in ``workers`` processes, handing each result to ``commit`` (in this
    thread). A worker that dies (a crash in a reader, the OOM killer) breaks its pool: the files
    then in flight are read again one at a time in a pool of their own, and a file that kills its
    worker there too is skipped with KILLED_WORKER; the rest go on."""
    from concurrent.futures.process import BrokenProcessPool
    left = deque(files)
    suspects: deque[str] = deque()
    while left or suspects:
        alone = bool(suspects)
        queue_ = suspects if alone else left
        pool = ProcessPoolExecutor(max_workers=1 if alone else workers, initializer=start_worker,
                                   initargs=(os.getpid(), lock))
        pending: dict = {}
        processes: dict = {}
        clean = False
        try:
            while queue_ or pending:
                while queue_ and len(pending) < (1 if alone else workers * 8):  # bounded: memory stays flat
                    f = queue_.popleft()
                    pending[pool.submit(extract_to_nquads, f, base, encoding)] = f
                processes.update(getattr(pool, "_processes", None) or {})  # to stop them, even once the pool broke
                finished, _ = wait(pending, return_when=FIRST_COMPLETED)
                broken = False
                for fut in finished:
                    try:
                        result = fut.result()
                    except BrokenProcessPool:
                        broken = True
                        continue
                    del pending[fut]
                    commit(result)
                if broken:
                    break
            clean = True
        finally:
            if clean:
                pool.shutdown(wait=True)
            else:  # interrupted, or a worker died: stop the others now, never wait for them
                stop_workers(pool, list(processes.values()))
        if pending:  # a worker died with these in flight
            if alone:
                (f,) = pending.values()
                commit((f, None, f"{f}: {KILLED_WORKER}"))
            else:
                suspects.extend(pending.values())


def check_shards(shards: list[str], base: str, workers: int | None, lock) -> list:
    """`kg.shard.check_shard` of each shard, in worker processes when there are several (the
    strict parse costs about a fifth of an extraction per report)."""
    workers = min(workers or max(1, os.cpu_count() or 2), len(shards))
    if workers <= 1:
        return [check_shard(s, base) for s in shards]
    pool = ProcessPoolExecutor(max_workers=workers, initializer=start_worker, initargs=(os.getpid(), lock))
    try:
        results = list(pool.map(check_shard, shards, [base] * len(shards)))
    except BaseException:
        stop_workers(pool, list((getattr(pool, "_processes", None) or {}).values()))
        raise
    pool.shutdown(wait=True)
    return results




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
         workers: int | None = None, prune: bool = False, batch_reports: int = BATCH_REPORTS,
         compact: bool | None = None, on_progress=None) -> LoadSummary:
    """Load files and folders into an open store, ``batch_reports`` reports per write.
    ``compact``: compact the store after (None: when this load wrote a tenth of it or more).
    ``on_progress(done, total, path)`` is called after each report. A server's writer lease is
    held meanwhile (a local store's lock is held by opening it)."""
    begin = getattr(store, "begin_writing", None)
    if begin is not None:
        begin()
    try:
        return _load(paths, store, base=base, encoding=encoding, workers=workers, prune=prune,
                     batch_reports=batch_reports, compact=compact, on_progress=on_progress)
    finally:
        end = getattr(store, "end_writing", None)
        if end is not None:
            end()


def _load(paths, store, *, base, encoding, workers, prune, batch_reports, compact, on_progress) -> LoadSummary:
    t0 = time.perf_counter()
    summary = LoadSummary()
    shards, files = inputs(paths)
    checked: dict[str, str] = {}  # shard → digest of the bytes checked, before anything is written
    heads = []
    for shard, (digest, found) in zip(shards, check_shards(shards, base, workers, worker_lock(store))):
        checked[shard] = digest
        heads += found
    store.put_ontology()
    recovered = store.recover()                        # a batch a killed load left behind
    sources = store.all_sources()                      # report → its files, read once
    by_path: dict[str, set[str]] = {}
    for report, paths_ in sources.items():
        for p in paths_:
            by_path.setdefault(p, set()).add(report)
    for head in heads:  # a shard's report replaces the store's report of a file only if it has that file's bytes
        if by_path.get(head["path"], set()) - {head["report"]} and file_sha256(head["path"]) != head["sha256"]:
            raise ShardError(f"{head['_where']}: would replace the store's report of {head['path']}, but that "
                             f"file's bytes are not the shard's (extract it again)")
    todo = []
    for f in files:
        sha = file_sha256(f)
        if sha is None:
            todo.append(f)  # let the worker say what is wrong with it
            continue
        if display_name(f) in sources.get(report_iri(base, sha), ()):
            summary.unchanged += 1
            continue
        todo.append(f)
    total = len(files)  # grows by each shard's reports as it is read: a shard is read once
    done = summary.unchanged
    stale = store.is_stale()
    docs_before = store.document_count()
    added: set[str] = set()  # documents cited by the reports this load writes: to recount
    tally = Tally()          # … and their mentions and reports in what this load writes
    if todo or prune:
        store.mark_stale()
    if on_progress:
        on_progress(done, total, None)

    batch: list[tuple[str, bytes]] = []
    batch_summary: list[bytes] = []
    batch_bytes = 0
    limit = min(BATCH_FIRST, batch_reports)
    written: set[bytes] = set()  # digests of documents-graph lines this load has written
    queued: set[str] = set()     # reports handed to the writer, maybe not in the store yet
    writer = Writer(store)

    def flush():
        nonlocal batch_bytes, limit
        if batch:
            writer.put(list(batch), b"".join(batch_summary))
            limit = min(limit * 2, batch_reports)
        batch.clear()
        batch_summary.clear()
        batch_bytes = 0

    def commit(result):
        nonlocal done, batch_bytes
        real, sha = result[0], result[1]
        path = display_name(real)  # the name the store keeps (a non-UTF-8 name escaped)
        done += 1
        if sha is None:
            summary.failed.append((path, result[2]))
        else:
            nquads, summary_nq, n_cit, n_doc, n_quads, docs = result[2:8]
            added.update(docs)
            report = report_iri(base, sha)
            if report in sources:  # same bytes under another path: one report, two sources
                if report in queued:  # its graph must be in the store before a source is added to it
                    flush()
                    writer.drain()
                    queued.clear()
                store.add_source(report, path)
                sources[report].add(path)
                summary.duplicates += 1
            else:
                batch.append((report, nquads))
                tally.add(result[8] if len(result) > 8 else None)
                queued.add(report)
                batch_summary.append(unwritten(summary_nq, written))
                batch_bytes += len(nquads) + len(summary_nq)
                sources[report] = {path}
                summary.loaded += 1
                summary.citations += n_cit
                summary.documents += n_doc
                summary.quads += n_quads
            for old in by_path.get(path, set()) - {report}:  # the file changed: its old report goes
                _remove_source(store, old, path)  # (another graph: safe beside the writer)
            if len(batch) >= limit or batch_bytes >= BATCH_BYTES:
                flush()
        if on_progress:
            on_progress(done, total, path)

    # the main process writes (one writer per store), the workers extract; as many workers as
    # cores: the bulk loader is idle between batches (2 workers measured 10-15 % faster on 2 cores)
    workers = workers or max(1, os.cpu_count() or 2)
    try:
        with terminate_as_interrupt():
            for shard in shards:  # already extracted: each report is committed as a worker's result would be
                results = list(read_shard(shard, base, digest=checked[shard]))
                total += len(results)
                for result in results:
                    if result[0] in sources.get(report_iri(base, result[1]), ()):
                        summary.unchanged += 1
                        done += 1
                        continue
                    commit(result)
            if len(todo) <= 1:
                for f in todo:
                    commit(extract_to_nquads(f, base, encoding))
            else:
                extract_in_workers(todo, base, encoding, workers, commit, lock=worker_lock(store))
            flush()
    finally:
        writer.close()  # on Ctrl-C too: the batch being written is finished, not cut

    if prune:
        present = {display_name(f) for f in files}
        for report, files_ in store.all_sources().items():
            for f in files_:
                if f not in present and not os.path.exists(f):
                    _remove_source(store, report, f)
                    summary.pruned += 1
    if compact is None:  # len(sources): the reports known to the store now (a bound: a few may have gone)
        compact = summary.loaded >= max(COMPACT_MIN, COMPACT_SHARE * len(sources))
    # bulk-loaded batches leave overlapping files: queries ran 2-3× slower until the store was
    # compacted. RocksDB's full compaction runs on one thread, so it runs beside the derived
    # graphs (Python, the other core): at 100 k reports the two took 118 s and 54 s one after
    # the other. What the derived graphs write meanwhile stays outside it (a few small files).
    compactor = Compaction(store) if compact else None
    try:
        if summary.loaded or summary.pruned or stale or todo or prune or recovered:
            t1 = time.perf_counter()
            summary.finish_steps = finish_documents(store, added, stale=stale, docs_before=docs_before,
                                                   tally=tally)
            store.clear_stale()
            summary.finish_seconds = time.perf_counter() - t1
    finally:
        if compactor is not None:
            summary.compact_seconds = compactor.join()
    summary.files = done
    if getattr(store, "end_writing", None) is not None:
        store.end_writing()  # written: the counts below are the store's, without the lease
    summary.store = store.counts()
    summary.seconds = time.perf_counter() - t0
    return summary


#: Batches written at once. Oxigraph's bulk loader builds a batch's index files on one thread,
#: so with one writer the main process was the bottleneck (workers idle two thirds of the time at
#: 100 k reports); batches of distinct reports are independent, and RocksDB ingests files from
#: several threads.
WRITER_THREADS = 2


class Writer:
    """Writes batches of reports on threads of their own while the main thread goes on collecting
    the workers' results (the bulk loader releases the GIL). As many batches wait as there are
    threads, so memory stays bounded; an error in a write is raised in the main thread at its
    next call."""

    def __init__(self, store, threads: int = WRITER_THREADS):
        self.store = store
        threads = threads if getattr(store, "batches_are_atomic", False) else 1  # a server: one request at a time
        self.queue: queue.Queue = queue.Queue(maxsize=threads)
        self.error: BaseException | None = None
        self.threads = [threading.Thread(target=self._run, name=f"kg-writer-{i}", daemon=True) for i in range(threads)]
        for t in self.threads:
            t.start()

    def _run(self) -> None:
        while True:
            item = self.queue.get()
            try:
                if item is None:
                    return
                if self.error is None:
                    self.store.put_reports(*item)
            except BaseException as e:  # noqa: BLE001  (handed to the main thread)
                self.error = e
            finally:
                self.queue.task_done()

    def _check(self) -> None:
        if self.error is not None:
            error, self.error = self.error, None
            raise error

    def put(self, reports: list[tuple[str, bytes]], summary: bytes) -> None:
        self._check()
        self.queue.put((reports, summary))

    def drain(self) -> None:
        """Wait until every batch handed over is in the store."""
        self.queue.join()
        self._check()

    def close(self) -> None:
        alive = [t for t in self.threads if t.is_alive()]
        for _ in alive:
            self.queue.put(None)
        for t in alive:
            t.join()
        self._check()


class Tally:
    """Mentions and reports per document in the report graphs a load writes: what the documents
    graph's kg:mentionCount and kg:reportCount count (``?m oa:hasBody ?d`` in a report's graph).
    A report without its tally (from a shard) makes it unusable: the counts are then recounted."""

    def __init__(self):
        self.counts: dict[str, tuple[int, int]] = {}  # document → (mentions, reports)
        self.usable = True

    def add(self, mentions: dict[str, int] | None) -> None:
        if mentions is None:
            self.usable = False
            return
        for doc, n in mentions.items():
            m, r = self.counts.get(doc, (0, 0))
            self.counts[doc] = (m + n, r + 1)


class Compaction:
    """The store's compaction on a thread of its own (Oxigraph's optimize releases the GIL);
    ``join()`` waits for it, raises what it raised, and returns its seconds."""

    def __init__(self, store):
        self.store, self.error, self.seconds = store, None, 0.0
        self.done = threading.Event()  # not Thread.join: an interrupted join marks the thread ended (3.11)
        self.thread = threading.Thread(target=self._run, name="kg-compaction", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        t = time.perf_counter()
        try:
            self.store.compact()
        except BaseException as e:  # noqa: BLE001  (handed to the thread that joins)
            self.error = e
        self.seconds = time.perf_counter() - t
        self.done.set()

    def join(self) -> float:
        interrupted = None
        while not self.done.is_set():  # Ctrl-C or SIGTERM meanwhile: the compaction is finished first
            try:                       # (as when it ran on the main thread), not cut by closing the store
                self.done.wait()
            except KeyboardInterrupt as e:
                interrupted = e
        if interrupted is not None:
            raise interrupted
        if self.error is not None:
            raise self.error
        return self.seconds


def unwritten(summary_nq: bytes, written: set[bytes]) -> bytes:
    """The lines of a report's share of the documents graph this load has not written yet:
    reports citing one document mostly state the same facts about it (half the lines, on the
    synthetic corpus). Lines are remembered by a 128-bit digest, up to WRITTEN_MAX of them;
    past that a line may be written twice, which the store ignores."""
    out = []
    for line in summary_nq.splitlines(keepends=True):
        key = hashlib.blake2b(line, digest_size=16).digest()
        if key not in written:
            if len(written) < WRITTEN_MAX:
                written.add(key)
            out.append(line)
    return b"".join(out)


def finish_documents(store, added: set[str], *, stale: bool, docs_before: int, tally: Tally | None = None) -> dict[str, float]:
    """Bring the derived graphs up to date after reports were written and removed: the facts of
    documents whose citing reports went are rebuilt from the reports that remain, mention and
    report counts redone (or, given this load's ``tally`` of what it wrote, added to), identities,
    lineage and index redone. Whole-store passes when most documents changed (or when a killed
    load leaves no record of what it touched). Returns the seconds each step took."""
    took: dict[str, float] = {}

    def step(name, fn, *args):
        t = time.perf_counter()
        fn(*args)
        took[name] = took.get(name, 0.0) + time.perf_counter() - t

    dirty = store.documents_to_refresh()
    limit = WHOLE_SHARE * docs_before
    if store.needs_rebuild() or (stale and not store.batches_are_atomic) or len(dirty) > limit:
        step("documents", store.refresh_summary, None)   # facts and counts of every document
    else:
        if dirty:
            step("documents", store.refresh_summary, dirty)  # facts and counts of these
        rest = added - dirty
        if stale:
            step("counts", store.recount, None)          # a killed load's counts are unknown
        elif tally is not None and tally.usable and rest:
            # the store's counts were right before this load (not stale), and the documents not
            # rebuilt above only gained what this load wrote: counting every mention again took
            # 107 s at 100 k reports
            step("counts", store.add_counts, {d: tally.counts[d] for d in rest if d in tally.counts})
        elif len(rest) > limit:
            step("counts", store.recount, None)
        elif rest:
            step("counts", store.recount, rest)
    store.refreshed()
    step("identity+lineage", store.put_identity)
    step("index", store.put_index)
    return took


def _remove_source(store, report: str, path: str) -> None:
    """A report stays while any file still has its bytes. When it goes, the documents it cited
    are marked first (durably), so their facts are rebuilt even if the load is killed next."""
    if store.sources(report) - {path}:
        store.remove_source(report, path)
        return
    store.mark_for_refresh(store.cited_by(report))
    store.drop_report(report)
