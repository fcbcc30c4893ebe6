"""Extraction on a real Dask cluster (a LocalCluster of 2 worker processes, as on a laptop; the
same code runs against a remote scheduler), shards loaded by `kg load`: the store must be the
one a plain `kg load` of the reports builds."""
import os
import shutil
import sys
from pathlib import Path

import pytest

from conftest import kg

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def reports(tmp_path_factory, shared):
    sys.path.insert(0, str(ROOT / "bench"))
    from synth import generate
    folder = tmp_path_factory.mktemp("reports")
    for f in (shared / "corpus").glob("*.txt"):
        shutil.copy(f, folder / f.name)
    generate(folder / "synthetic", 30, seed=3)
    return folder


@pytest.fixture(scope="module")
def cluster():
    """A LocalCluster of two worker processes for the module's jobs, reached by its address as
    a remote scheduler would be (the CLI's own cluster is started by test_the_cli_writes_shards…)."""
    from dask.distributed import LocalCluster
    c = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=40)
    yield c.scheduler_address
    c.close()


def everything(store):
    from kg.query import named_queries
    from kg.store import LocalStore
    st = LocalStore(str(store), read_only=True)
    try:
        out = {name: st.select(path.read_text(encoding="utf-8")) for name, path in named_queries().items()}
        out["quads"] = sorted(str(q) for q in st.db if "graph/meta" not in str(q.graph_name))
        return out
    finally:
        st.close()


def test_shards_from_a_two_worker_cluster_load_into_the_same_store(reports, cluster, tmp_path):
    from kg.distribute import extract_to_shards
    from kg.shard import read_shard, shard_files
    from kg.resolve import DEFAULT_BASE
    s = extract_to_shards([str(reports)], str(tmp_path / "shards"), base=DEFAULT_BASE, scheduler=cluster,
                          files_per_shard=7)
    shards = shard_files([str(tmp_path / "shards")])
    assert s.shards == len(shards) == 5 and s.reports == 34 and not s.failed
    assert sum(1 for sh in shards for _ in read_shard(sh)) == 34
    run = kg("load", str(tmp_path / "shards"), "--store", str(tmp_path / "from-shards"))
    assert run.returncode == 0, run.stderr
    assert kg("load", str(reports), "--store", str(tmp_path / "direct")).returncode == 0
    a, b = everything(tmp_path / "from-shards"), everything(tmp_path / "direct")
    assert a == b and len(a["quads"]) > 10000
    again = kg("load", str(tmp_path / "shards"), "--store", str(tmp_path / "from-shards"))
    assert b"unchanged (skipped)" in again.stdout and b"34" in again.stdout


def test_the_cli_writes_shards_and_says_so(reports, cluster, tmp_path):
    out = tmp_path / "out"
    run = kg("extract", str(reports), "--engine", "dask", "--out", str(out), "-j", "2", "--files-per-shard", "20")
    assert run.returncode == 0, run.stderr
    assert b"34 reports" in run.stderr and b"2 shards" in run.stderr
    assert sorted(p.name for p in out.iterdir()) == ["shard-000000.nq", "shard-000001.nq"]
    # a smaller rerun leaves no shard of the larger one behind (it would load twice); on a
    # scheduler named by its address, as on a cluster
    run = kg("extract", str(reports), "--engine", "dask", "--out", str(out), "--scheduler", cluster,
             "--files-per-shard", "40")
    assert run.returncode == 0 and [p.name for p in out.iterdir()] == ["shard-000000.nq"]


@pytest.mark.parametrize("args, says", [
    (["--engine", "dask"], b"give the folder with --out"),
    (["--engine", "dask", "--out", "{file}"], b"is a file"),
    (["--engine", "dask", "--out", "{dir}", "--scheduler", "tcp://127.0.0.1:9"], b"kg: error:"),
])
def test_bad_use_is_one_line(reports, tmp_path, args, says):
    (tmp_path / "f").write_text("x")
    args = [a.replace("{file}", str(tmp_path / "f")).replace("{dir}", str(tmp_path / "d")) for a in args]
    # the unreachable scheduler: no need to wait the default 10 s here
    run = kg("extract", str(reports), *args, env={**os.environ, "KG_DASK_TIMEOUT": "2"})
    assert run.returncode == 1 and says in run.stderr and b"Traceback" not in run.stderr, run.stderr
    assert len(run.stderr.decode().strip().splitlines()) == 1
