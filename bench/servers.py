"""Real SPARQL servers for the benchmarks and tests: Oxigraph's (`oxigraph serve`, from the
project's own virtualenv) and Virtuoso 7 (Debian's virtuoso-opensource-7-bin, with its own
virtuoso.ini in a folder of the caller's)."""
from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

VIRTUOSO = shutil.which("virtuoso-t")
VIRTUOSO_INI = """[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
Striping = 0

[Parameters]
ServerPort = {sql}
DisableUnixSocket = 1
ServerThreads = 10
CheckpointInterval = 60
NumberOfBuffers = 100000
MaxDirtyBuffers = 60000
DirsAllowed = ., {d}

[HTTPServer]
ServerPort = {http}
ServerRoot = {d}
ServerThreads = 10
MaxClientConnections = 10
EnabledDavVSP = 0

[SPARQL]
ResultSetMaxRows = 10000000
MaxQueryExecutionTime = 600
MaxQueryCostEstimationTime = 0
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_answers(url, proc, seconds):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited ({proc.returncode})")
        try:
            if httpx.get(url, params={"query": "ASK {}"}, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise TimeoutError(url)


def start_oxigraph(folder):
    port = free_port()
    proc = subprocess.Popen([str(Path(sys.executable).parent / "oxigraph"), "serve", "--location", str(folder),
                             "--bind", f"127.0.0.1:{port}", "--union-default-graph"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    wait_until_answers(url + "/query", proc, 20)
    return proc, url


def start_virtuoso(folder):
    """Virtuoso on free ports; returns the process and its address (…/sparql is the endpoint)."""
    if VIRTUOSO is None:
        raise RuntimeError("Virtuoso 7 is not installed (apt-get install virtuoso-opensource-7-bin)")
    folder.mkdir(parents=True, exist_ok=True)
    http_port, sql_port = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(VIRTUOSO_INI.format(d=folder, sql=sql_port, http=http_port), encoding="utf-8")
    proc = subprocess.Popen([VIRTUOSO, "-f", "-c", str(ini)], cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{http_port}"
    wait_until_answers(url + "/sparql", proc, 90)
    return proc, url


def stop(proc):
    proc.terminate()
    try:
        proc.wait(20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


