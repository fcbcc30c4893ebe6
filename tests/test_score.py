"""The shared scorer on the gold files: the quality bar of issue 2."""
import re
import subprocess
import sys

from conftest import SEED, kg


def summary(output: str) -> dict:
    line = [ln for ln in output.splitlines() if ln.startswith("SUMMARY")][-1]
    return {k: float(v) for k, v in re.findall(r"(\w+)=([\d.]+)", line)}


def test_seed_report_scores(shared, tmp_path):
    out = tmp_path / "seed.json"
    assert kg("extract", str(SEED), "--format", "json", "--out", str(out)).returncode == 0
    run = subprocess.run([sys.executable, str(shared / "tools/score_extraction.py"),
                          str(shared / "gold/bao-cao-so-ket-3-nam-kl01-cbdv-2024.gold.json"), str(out), str(SEED)],
                         capture_output=True, text=True, check=True)
    s = summary(run.stdout)
    assert s["docF1"] == 1.0
    assert s["attr"] >= 0.98
    assert s["mentionF1"] >= 0.98
    assert s["relF1"] >= 0.80
    assert s["offsets_bad"] == 0
    assert "conflicts flagged: 1/1" in run.stdout


def score_folder(shared, gold: str, texts: str) -> tuple[dict, str]:
    """The scorer's --batch mode: one `kg extract FOLDER --format json` (a new interpreter, as
    installed) writes a JSON line per file."""
    cmd = f"{sys.executable} -m kg extract {{}} --format json"
    run = subprocess.run([sys.executable, str(shared / "tools/score_extraction.py"), "--batch", cmd,
                          str(shared / gold), str(shared / texts)], capture_output=True, text=True, check=True)
    return summary(run.stdout), run.stdout


def test_all_gold_files_score(shared):
    s, out = score_folder(shared, "gold", "corpus")
    assert (s["docF1"], s["attr"], s["mentionF1"], s["relF1"], s["offsets_bad"]) == (1.0, 1.0, 1.0, 1.0, 0), out
    assert "conflicts flagged: 1/1" in out, out


def test_devset_scores(shared):
    """20 real texts the extractor was not built on (../shared/devset): the quality bar of issue 11.
    On failure the message is the scorer's output, one line per thing that went wrong."""
    s, out = score_folder(shared, "devset/gold", "devset/docs")
    assert s["docF1"] >= 0.99, out
    assert s["attr"] >= 0.97, out
    assert s["mentionF1"] >= 0.98, out
    assert s["relF1"] >= 0.85, out
    assert s["offsets_bad"] == 0, out
