"""Extraction in worker processes (`kg load`, `kg extract` of several files): each worker dies
with the command that started it and leaves Ctrl-C to it; a pool is stopped without waiting;
`in_order` hands results back in the order of their inputs."""
from __future__ import annotations

import os
import threading
import time
from collections import deque
from concurrent.futures import ProcessPoolExecutor


def start(parent: int, lock: tuple[int, int, int] | None = None) -> None:
    """First thing in each extraction worker: die with the command that started it, and let go of
    its store lock (`kg load`)."""
    import signal
    try:  # Linux: the kernel kills the worker when its parent dies, however the parent dies
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # elsewhere: watch the parent
        def watch():
            while os.getppid() == parent:
                time.sleep(1.0)
            os._exit(1)
        threading.Thread(target=watch, name="kg-parent-watch", daemon=True).start()
    if os.getppid() != parent:  # the parent died before the line above: nobody to work for
        os._exit(1)
    # the load's own handlers are not the worker's: SIGTERM (from the pool, or a kill) ends it,
    # and Ctrl-C is the load's to handle (it stops the workers)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if lock is not None:
        fd, dev, ino = lock
        try:  # only the inherited descriptor (a forkserver or spawned worker has none)
            st = os.fstat(fd)
            if (st.st_dev, st.st_ino) == (dev, ino):
                os.close(fd)
        except OSError:
            pass


def stop(pool: ProcessPoolExecutor, processes: list) -> None:
    """Kill a pool's workers and never wait for their work: an interrupt, or a worker that died."""
    for p in processes:  # first: a pool shutting down waits for its workers
        try:
            p.kill()
        except (OSError, ValueError, AttributeError):
            pass
    pool.shutdown(wait=False, cancel_futures=True)
    for p in processes:
        try:
            p.join(5)
        except (OSError, ValueError, AssertionError):
            pass


#: What a file that killed its worker twice (once among others, once alone) is reported with.
KILLED_WORKER = "its extraction process died reading it, twice (a crash in a reader, or out of memory)"


class WorkerDied(Exception):
    """An input whose worker died twice (see KILLED_WORKER)."""


def in_order(function, items: list, workers: int, *args):
    """``(item, function(item, *args))`` for each item, in the items' order, computed in
    ``workers`` processes as they are read (at most 4 × workers in flight: memory stays flat).
    A worker that dies breaks its pool: the first item not yet handed back is then done alone in
    a pool of its own, and handed back as ``WorkerDied`` if it kills that one too; the rest go
    on in a new pool. Stopping early (an interrupt, the caller closing the generator) kills the
    workers."""
    from concurrent.futures.process import BrokenProcessPool
    done = 0
    alone = False  # the next item was in flight when a worker died
    while done < len(items):
        pool = ProcessPoolExecutor(max_workers=1 if alone else workers, initializer=start,
                                   initargs=(os.getpid(), None))
        futures: deque = deque()
        processes: dict = {}
        clean = False
        try:
            submitted = done
            while done < len(items):
                while submitted < len(items) and len(futures) < (1 if alone else 4 * workers):
                    futures.append(pool.submit(function, items[submitted], *args))
                    submitted += 1
                processes.update(getattr(pool, "_processes", None) or {})  # to stop them once it broke
                try:
                    result = futures[0].result()
                except BrokenProcessPool:
                    if alone:
                        yield items[done], WorkerDied(items[done])
                        done += 1
                    alone = not alone
                    break
                futures.popleft()
                yield items[done], result
                done += 1
                if alone:  # the suspect went through: back to a full pool
                    alone = False
                    break
            clean = not futures
        finally:
            if clean:
                pool.shutdown(wait=True)
            else:
                stop(pool, list(processes.values()))
