"""Past one machine: extraction as jobs on Dask's distributed scheduler, written as N-Quads shards.

Extraction is stateless per report, so an archive of millions of reports runs on an existing
engine (Dask: the same code on a laptop's LocalCluster and on a cluster behind
``tcp://scheduler:8786``), never one of our own. Each job extracts a slice of the files and writes
one shard, ``shard-NNNNNN.nq``, atomically (the format: `kg.shard`). `kg load SHARDS/` checks and
reads them back and builds the documents, identity, lineage and index graphs as a load of the
reports would.

Workers must see the input files and the output folder at the same paths (one machine, or a
shared filesystem on a cluster).
"""
from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from .shard import SHARD_MAGIC, report_block

FILES_PER_SHARD = 500
#: How long to wait for a scheduler that does not answer before saying so ($KG_DASK_TIMEOUT).
CONNECT_SECONDS = 10


@dataclass
class ShardSummary:
    shards: int = 0
    reports: int = 0
    citations: int = 0
    quads: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0
    scheduler: str = ""  # the address the jobs went to (tls:// for the local cluster)


def write_shard(files: list[str], out: str, base: str, encoding: str | None) -> dict:
    """One job: extract ``files`` and write them as one shard at ``out`` (whole or not at all).
    Returns counts and the files that failed, with why."""
    from .load import extract_to_nquads
    from .rdf import report_iri
    from .read import display_name
    parts = [SHARD_MAGIC]
    reports = citations = quads = 0
    failed = []
    for f in files:
        result = extract_to_nquads(f, base, encoding)
        path, sha = result[0], result[1]
        if sha is None:
            failed.append((path, result[2]))
            continue
        nquads, summary, n_cit, n_doc, n_quads = result[2:7]
        head = {"report": report_iri(base, sha), "sha256": sha, "path": display_name(path),
                "citations": n_cit, "documents": n_doc, "quads": n_quads}
        parts.append(report_block(head, nquads, summary))
        reports += 1
        citations += n_cit
        quads += n_quads
    tmp = f"{out}.part-{os.getpid()}"
    try:
        with open(tmp, "wb") as fh:
            fh.writelines(parts)
        os.replace(tmp, out)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return {"reports": reports, "citations": citations, "quads": quads, "failed": failed}


def extract_to_shards(paths: list[str], out_dir: str, *, base: str, encoding: str | None = None,
                      scheduler: str | None = None, workers: int = 2, files_per_shard: int = FILES_PER_SHARD,
                      on_progress=None) -> ShardSummary:
    """Extract every report under ``paths`` on a Dask cluster (``scheduler``: its address; None
    starts a LocalCluster of ``workers`` processes) into shards in ``out_dir``."""
    from dask.distributed import Client, LocalCluster, as_completed

    from .read import expand
    t0 = time.perf_counter()
    files = [os.path.abspath(f) for f in expand(paths)]
    os.makedirs(out_dir, exist_ok=True)
    out_dir = os.path.abspath(out_dir)
    for left in Path(out_dir).glob("shard-*.nq.part-*"):  # a killed earlier run's half-written shards
        left.unlink()
    slices = [files[i:i + files_per_shard] for i in range(0, len(files), files_per_shard)]
    summary = ShardSummary()
    cluster = None
    if scheduler is None:
        # security=True: TLS with credentials made for this run only, so that no other local user
        # can submit work to the scheduler (it runs whatever it is sent, as kg's user)
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                               dashboard_address=None, silence_logs=40, security=True)
    client = Client(scheduler or cluster, timeout=float(os.environ.get("KG_DASK_TIMEOUT", CONNECT_SECONDS)))
    summary.scheduler = client.scheduler.address
    try:
        jobs = [client.submit(write_shard, chunk, os.path.join(out_dir, f"shard-{i:06d}.nq"), base, encoding,
                              key=f"kg-shard-{i:06d}-{os.getpid()}", pure=False)
                for i, chunk in enumerate(slices)]
        for job in as_completed(jobs):
            r = job.result()
            summary.shards += 1
            summary.reports += r["reports"]
            summary.citations += r["citations"]
            summary.quads += r["quads"]
            summary.failed += [tuple(x) for x in r["failed"]]
            if on_progress:
                on_progress(summary.shards, len(slices))
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    for old in Path(out_dir).glob("shard-*.nq"):  # a longer earlier run's shards would load twice
        if old.name >= f"shard-{len(slices):06d}.nq" and len(old.stem) == len("shard-000000"):
            old.unlink()
    summary.seconds = time.perf_counter() - t0
    return summary
