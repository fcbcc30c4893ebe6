"""The collector is paused while kg starts (kg.startup): it comes back as it was, and only a
`kg` command freezes what the start made."""
import gc
import subprocess
import sys
from pathlib import Path

import pytest

from kg.startup import paused_collector

SENTENCE = "Thực hiện Kết luận số 01-KL/TW, ngày 18/5/2021 của Bộ Chính trị về việc học tập."


@pytest.mark.parametrize("was_on", [True, False])
def test_the_collector_comes_back_as_it_was(was_on):
    before = gc.isenabled()
    try:
        (gc.enable if was_on else gc.disable)()
        with paused_collector():
            assert not gc.isenabled()
            with paused_collector():  # nested: the inner block leaves it off for the outer one
                assert not gc.isenabled()
            assert not gc.isenabled()
        assert gc.isenabled() is was_on
        with pytest.raises(KeyError):  # an exception inside the block puts it back too
            with paused_collector():
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
