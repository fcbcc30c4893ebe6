"""kg.recache: compiled patterns kept between runs are the patterns `re` compiles."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

# a run that imports kg, compiles a pattern of its own and says what it got
PROBE = r"""
import re, sys
import kg
from kg import recache
recache.save_at_exit()  # as a `kg` command does
p = re.compile(r"(?P<n>\d{1,4})-(?P<t>[A-ZĐ]\w{0,3})/(?P<i>[A-ZĐƯ]{1,9})", re.I)
m = p.search("Kết luận số 01-KL/TW")
print(m.group("n"), m.group("t"), m.group("i"), p.groupindex["i"], p.flags & re.I != 0)
print(len(recache._loaded))
"""


def _run(env_extra: dict, tmp_path: Path) -> list[str]:
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "cache"), **env_extra)
    out = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    return out.stdout.split("\n")


def _files(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "cache" / "kg").glob("re-*.marshal")) if (tmp_path / "cache" / "kg").exists() else []


def test_a_second_run_takes_its_patterns_from_the_cache_and_they_match_alike(tmp_path):
    first = _run({}, tmp_path)
    assert first[0] == "01 KL TW 3 True"
    assert first[1] == "0"  # nothing cached yet
    assert len(_files(tmp_path)) == 1
    size = _files(tmp_path)[0].stat().st_size
    second = _run({}, tmp_path)
    assert second[0] == first[0]
    assert int(second[1]) > 100  # kg's own patterns (and the probe's) came from the file
    assert _files(tmp_path)[0].stat().st_size == size  # nothing new: not rewritten larger


def test_a_damaged_cache_is_written_anew_and_never_stops_kg(tmp_path):
    _run({}, tmp_path)
    path = _files(tmp_path)[0]
    path.write_bytes(b"\x00not marshal")
    assert _run({}, tmp_path)[0] == "01 KL TW 3 True"
    assert _run({}, tmp_path)[1] != "0"  # the damaged file was replaced by a good one


def test_the_cache_can_be_turned_off(tmp_path):
    out = _run({"KG_REGEX_CACHE": "0"}, tmp_path)
    assert out[0] == "01 KL TW 3 True"
    assert _files(tmp_path) == []


LIBRARY = r"""
import re
import kg
re.compile(r"a pattern of the library user's own \d{3}")
"""


def test_a_library_user_reads_the_file_but_adds_nothing_to_it(tmp_path):
    _run({}, tmp_path)  # a command's run writes the file
    path = _files(tmp_path)[0]
    before = path.read_bytes()
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "cache"))
    out = subprocess.run([sys.executable, "-c", LIBRARY], env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert path.read_bytes() == before


def test_only_the_patterns_a_run_asks_for_are_rebuilt(tmp_path):
    _run({}, tmp_path)
    probe = PROBE + "print(len(recache._stored))\n"
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "cache"))
    # a pattern no run asks for, stored by an earlier command
    extra = PROBE.replace(r'"(?P<n>', r'"(?:never asked for)?(?P<n>')
    subprocess.run([sys.executable, "-c", extra], env=env, capture_output=True, text=True, timeout=300, check=True)
    out = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.split("\n")
    assert lines[0] == "01 KL TW 3 True"
    assert int(lines[1]) > 100 and int(lines[2]) >= 1  # rebuilt on demand; the other left stored


def test_a_file_over_the_limit_is_cut_to_its_most_recently_used_patterns(tmp_path):
    import marshal
    _run({}, tmp_path)
    path = _files(tmp_path)[0]
    entries = marshal.loads(path.read_bytes())
    # pad it as an older kg left it: patterns nobody asks for, before the ones a run uses
    padding = [(f"never asked for {i}", 0, entries[0][2]) for i in range(1100)]
    path.write_bytes(marshal.dumps(padding + entries))
    assert _run({}, tmp_path)[0] == "01 KL TW 3 True"
    kept = marshal.loads(path.read_bytes())
    assert len(kept) == 1000  # recache.MAX_PATTERNS
    assert {p for p, _, _ in entries} <= {p for p, _, _ in kept}  # the run's own patterns stay
