"""`kg ARGS` in a process of its own, forked from a Python that has kg imported already (tests only).

A new ``python -m kg`` spends 1–3 s starting Python, importing spaCy and the rest, and building the
pipeline before it runs the command; the suite runs some three hundred commands. Here each one is
a child of a fork server (multiprocessing's "forkserver") that imported this module, and so has all
of that done once: the command starts at once, and is still a process of its own. Its exit code is
the one `kg.cli.main` exits with, its standard streams are files, the store locks, the working
directory and the environment are its own, and nothing it does stays in the test process.

Why a fork server and not a fork of the test process: the tests open Oxigraph stores, and a fork of
a process that has RocksDB's background threads running waits for ever on its next flush.

What only a new interpreter shows (signals to a running load, `kg serve`, the jemalloc restart, an
installed wheel, argv that is not UTF-8) the tests still start with subprocess.
"""
from __future__ import annotations

import importlib
import multiprocessing
import os
import subprocess
import sys
import tempfile
from pathlib import Path

#: What the commands import, imported here once for every child.
MODULES = ("kg", "kg.cli", "kg.extract", "kg.store", "kg.load", "kg.rdf", "kg.formats", "kg.graph", "kg.lineage",
           "kg.stats", "kg.export", "kg.annotate", "kg.viz", "kg.validate", "kg.query", "kg.site", "kg.shard",
           "rich.console", "rich.table", "rich.progress", "pyoxigraph", "rdflib", "pyshacl", "httpx")


def _warm() -> None:
    for name in MODULES:
        importlib.import_module(name)
    import kg
    kg.extract("Kết luận số 01-KL/TW, ngày 18/5/2021 của Bộ Chính trị.")  # builds the spaCy pipeline


_warm()  # in the fork server (it imports this module first), and in the test process when it first runs kg

_CONTEXT = None


def _context():
    global _CONTEXT
    if _CONTEXT is None:
        from multiprocessing import forkserver
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload([__name__])
        # Python 3.11's fork server imports what it preloads before it takes this process's
        # sys.path: it finds this module on PYTHONPATH (without it, every child would import it)
        before = os.environ.get("PYTHONPATH")
        os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(Path(__file__).resolve().parent), before]))
        try:
            forkserver.ensure_running()
        finally:
            if before is None:
                del os.environ["PYTHONPATH"]
            else:
                os.environ["PYTHONPATH"] = before
        _CONTEXT = context
    return _CONTEXT


def run(*args, input: bytes | str | None = None, cwd=None, env: dict | None = None, timeout: float | None = 600,
        text: bool = False) -> subprocess.CompletedProcess:
    """``kg ARGS`` as ``subprocess.run([python, "-m", "kg", *ARGS], capture_output=True, ...)`` runs
    it, and the same CompletedProcess back (``stdout`` and ``stderr`` bytes, or str with ``text``).
    Like subprocess, the child has this process's environment and working directory unless given."""
    argv = [os.fsdecode(a) if isinstance(a, bytes) else str(a) for a in args]
    if isinstance(input, str):
        input = input.encode("utf-8")
    with tempfile.TemporaryDirectory(prefix="kg-run-") as tmp:
        files = {name: os.path.join(tmp, name) for name in ("in", "out", "err")}
        Path(files["in"]).write_bytes(input or b"")
        child = _context().Process(target=_child, name="kg " + " ".join(argv)[:80],
                                   args=(argv, files, input is not None, str(cwd or os.getcwd()),
                                         dict(os.environ if env is None else env)))
        child.start()
        child.join(timeout)
        if child.exitcode is None:
            child.kill()
            child.join()
            raise subprocess.TimeoutExpired([sys.executable, "-m", "kg", *argv], timeout)
        stdout, stderr = Path(files["out"]).read_bytes(), Path(files["err"]).read_bytes()
    if text:
        stdout, stderr = stdout.decode("utf-8"), stderr.decode("utf-8", "backslashreplace")
    return subprocess.CompletedProcess([sys.executable, "-m", "kg", *argv], child.exitcode, stdout, stderr)


def _child(argv: list[str], files: dict, has_input: bool, cwd: str, env: dict) -> None:
    """In the child: the streams, signals, start method, environment, directory and argv a new
    `python -m kg` would have, then kg's own entry point. Its SystemExit is the exit code (multiprocessing
    exits with it, and prints a traceback and exits 1 on anything else, as Python does)."""
    import io
    import signal
    stdin = os.open(files["in"] if has_input else os.devnull, os.O_RDONLY)
    out = os.open(files["out"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    err = os.open(files["err"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    for fd, target in ((stdin, 0), (out, 1), (err, 2)):
        os.dup2(fd, target)
        os.close(fd)
    sys.stdin = io.TextIOWrapper(io.BufferedReader(io.FileIO(0, "r", closefd=False)), encoding="utf-8")
    sys.stdout = io.TextIOWrapper(io.BufferedWriter(io.FileIO(1, "w", closefd=False)), encoding="utf-8")
    sys.stderr = io.TextIOWrapper(io.BufferedWriter(io.FileIO(2, "w", closefd=False)), encoding="utf-8",
                                  errors="backslashreplace", line_buffering=True)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGPIPE, signal.SIG_IGN)
    for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGCHLD):
        signal.signal(sig, signal.SIG_DFL)
    multiprocessing.set_start_method(None, force=True)  # unset, as in a new interpreter (a child has its parent's)
    os.environ.clear()
    os.environ.update(env)
    os.chdir(cwd)
    import kg.cli
    kg.cli._Messages.console = None  # made anew, on this process's standard error
    sys.argv = [str(Path(kg.cli.__file__).with_name("__main__.py")), *argv]  # as `python -m kg` sets it
    kg.cli.main()
