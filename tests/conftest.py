import os
import subprocess
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("KG_SHARED", ROOT.parent / "shared")).resolve()
SEED = ROOT / "corpus" / "bao-cao-so-ket-3-nam-kl01-cbdv-2024.md"


@pytest.fixture(scope="session")
def shared() -> Path:
    if not (SHARED / "corpus").is_dir():
        pytest.fail(f"../shared is missing (looked in {SHARED}); set KG_SHARED")
    return SHARED


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seed_extraction(seed_text):
    import kg
    return kg.extract(seed_text, path=str(SEED))


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless, driven by Playwright: one for the whole run (a test opens
    its pages, each in a context of its own, and closes them)."""
    from playwright.sync_api import sync_playwright
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is missing: run ./setup")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


# --- `kg …` as a process of its own, without starting Python again ----------------------------

def kg(*args, **kw) -> subprocess.CompletedProcess:
    """``kg ARGS`` in a process of its own, as ``subprocess.run([python, "-m", "kg", ...],
    capture_output=True)`` runs it, forked from a Python that has kg imported (kg_process.run:
    keywords input, cwd, env, timeout, text)."""
    import kg_process
    return kg_process.run(*args, **kw)


@pytest.fixture(scope="session", autouse=True)
def _no_process_left_behind(tmp_path_factory):
    """No test leaves a process running: at the end, no child of this one is alive, and no
    process adopted by init names this run's temporary folder (a server, a load's worker, a
    browser whose parent was killed)."""
    base = str(tmp_path_factory.getbasetemp())
    yield
    deadline = time.monotonic() + 15  # a process killed a moment ago may still be exiting
    while (left := _left_behind(base)) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not left, "processes left behind by the tests:\n" + "\n".join(left)


def _left_behind(base: str) -> list[str]:
    me, out = os.getpid(), []
    for p in Path("/proc").iterdir():
        if not p.name.isdigit() or int(p.name) == me:
            continue
        try:
            state, ppid = (p / "stat").read_text().rsplit(")", 1)[1].split()[:2]
            cmd = (p / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
        except (OSError, ValueError):
            continue
        if state == "Z" or "multiprocessing.resource_tracker" in cmd or "multiprocessing.forkserver" in cmd:
            continue  # (multiprocessing's helpers end with this process)
        if int(ppid) == me or base in cmd:
            out.append(f"{p.name}: {cmd[:200]}")
    return out
