"""The collector is paused while kg starts and extracts (kg.collector): it comes back as it was,
only a `kg` command freezes what the start made, and an extraction makes no cyclic garbage."""
import gc
import subprocess
import sys
from pathlib import Path

import pytest

from kg.collector import paused

SENTENCE = "Thực hiện Kết luận số 01-KL/TW, ngày 18/5/2021 của Bộ Chính trị về việc học tập."


@pytest.mark.parametrize("was_on", [True, False])
def test_the_collector_comes_back_as_it_was(was_on):
    before = gc.isenabled()
    try:
        (gc.enable if was_on else gc.disable)()
        with paused():
            assert not gc.isenabled()
            with paused():  # nested: the inner block leaves it off for the outer one
                assert not gc.isenabled()
            assert not gc.isenabled()
        assert gc.isenabled() is was_on
        with pytest.raises(KeyError):  # an exception inside the block puts it back too
            with paused():
                raise KeyError("x")
        assert gc.isenabled() is was_on
    finally:
        (gc.enable if before else gc.disable)()


def _run(code: str) -> str:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=Path(__file__).parent, timeout=120)
    assert out.returncode == 0, out.stderr
    return out.stdout.split()


def test_a_library_user_gets_the_collector_back_and_nothing_frozen():
    # a fresh interpreter: the pipeline (and spaCy's import) is built there, under the pause
    on, frozen, found = _run(
        "import gc, kg\n"
        f"ex = kg.extract({SENTENCE!r})\n"
        "print(gc.isenabled(), gc.get_freeze_count(), ex.documents[0].symbol)")
    assert (on, frozen, found) == ("True", "0", "01-KL/TW")


def test_a_command_freezes_what_its_start_made(tmp_path):
    report = tmp_path / "r.txt"
    report.write_text(SENTENCE, encoding="utf-8")
    on, frozen = _run(
        "import gc, io, sys\n"
        "from kg import cli\n"
        f"sys.argv = ['kg', 'extract', {str(report)!r}, '--format', 'json']\n"
        "sys.stdout = io.TextIOWrapper(io.BytesIO(), encoding='utf-8')\n"
        "try:\n    cli.main()\nexcept SystemExit as e:\n    assert e.code == 0, e.code\n"
        "sys.stdout = sys.__stdout__\n"
        "print(gc.isenabled(), gc.get_freeze_count())")
    assert on == "True"
    assert int(frozen) > 10_000  # spaCy's modules and the pipeline, at least


def test_an_extraction_makes_no_cyclic_garbage():
    """What `kg.extract` drops is freed by reference counting, so pausing the collector through
    it holds no memory back. Fails when a change builds cycles (a citation pointing back at its
    document, a closure holding its frame …): then the pause must go, or the cycle."""
    import kg
    from kg.read import read_report
    texts = [SENTENCE * 3]
    shared = Path(__file__).parents[2] / "shared"
    for p in (sorted((Path(__file__).parents[1] / "corpus").glob("*"))
              + sorted((shared / "devset2" / "docs").glob("*.md"))[:10]
              + sorted((shared / "pool" / "party").glob("*.md"))[:60]):  # 52nd: a trie built
        texts.append(read_report(str(p)).text)
    kg.extract(SENTENCE)  # the pipeline built (spaCy's import leaves some garbage of its own)
    before = gc.isenabled()
    gc.collect()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        for text in texts:
            kg.extract(text)
            assert gc.isenabled() is before
        gc.collect()  # once: a collection walks the whole test process
        assert [getattr(o, "__qualname__", type(o).__name__) for o in gc.garbage][:10] == []
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
