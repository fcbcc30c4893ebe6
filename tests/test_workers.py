"""Extraction in worker processes: `kg extract` of several files with -j writes what one process
writes, byte for byte, and a worker that dies costs one file, not the run."""
import os
import shutil
from pathlib import Path

import pytest

from conftest import kg
from kg.workers import WorkerDied, in_order

SHARED = Path(__file__).resolve().parents[2] / "shared"


def _square_unless_fatal(x: int) -> int:
    if x in (4, 9):
        os._exit(3)  # a worker dying as a crash in a reader would (no exception, no result)
    return x * x


def test_results_come_back_in_order_and_a_fatal_item_costs_only_itself():
    got = list(in_order(_square_unless_fatal, list(range(12)), 2))
    assert [i for i, _ in got] == list(range(12))
    for i, r in got:
        if i in (4, 9):
            assert isinstance(r, WorkerDied)
        else:
            assert r == i * i


def test_stopping_early_stops_the_workers():
    results = in_order(_square_unless_fatal, list(range(100)), 2)
    assert next(results) == (0, 0)
    results.close()  # the caller went away (Ctrl-C, a closed pipe): the pool is killed, not waited for
    # (the session's fixture checks that no process is left behind)


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    d = tmp_path_factory.mktemp("reports")
    for p in sorted((SHARED / "devset" / "docs").iterdir())[:8] + sorted((SHARED / "devset2" / "docs").iterdir())[:8]:
        shutil.copy(p, d / p.name)
    (d / "0-unreadable.txt").write_bytes(b"\xff\xfe\x00\xd8" * 50 + b"\x81\x8d")  # not UTF-8, not UTF-16
    return d


@pytest.mark.parametrize("fmt", ["json", "nq", "nt", "table"])
def test_several_files_in_workers_write_what_one_process_writes(folder, fmt):
    one = kg("extract", str(folder), "-f", fmt, "-j", "1")
    two = kg("extract", str(folder), "-f", fmt, "-j", "3")
    assert one.returncode == two.returncode == 1  # the unreadable file
    assert one.stdout == two.stdout and len(one.stdout) > 1000
    assert one.stderr == two.stderr and b"0-unreadable.txt" in two.stderr


def test_with_out_an_unreadable_file_leaves_no_file(folder, tmp_path):
    out = tmp_path / "x.jsonl"
    run = kg("extract", str(folder), "-f", "json", "-j", "2", "-o", str(out))
    assert run.returncode == 1 and not out.exists()
    assert run.stderr.decode().count("kg: error:") == 1
