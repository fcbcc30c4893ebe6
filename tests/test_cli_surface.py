"""Issue 20, the command line (6, 9, 10, 11, 13, 14): every command finds the store one way, one
meaning per short option, named parameters are required, validate shows the mention and both sides
of a conflict, relation names are the JSON ones, and the small ones."""
import json
import os
from pathlib import Path

import pytest

from conftest import ROOT, SEED
from conftest import kg as run_kg

SHARED_SEED = ROOT.parent / "shared" / "corpus" / "bao-cao-so-ket-3-nam-kl01-cbdv-2024.md"


def kg(*args, cwd=None, env=None, timeout=180):
    return run_kg(*args, cwd=cwd, timeout=timeout, env={**os.environ, **(env or {})})


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    st = tmp_path_factory.mktemp("surface") / "st"
    assert kg("load", str(SEED), "--store", str(st)).returncode == 0
    return st


# 6. one way to find the store

@pytest.mark.parametrize("command", [["stats"], ["show", "01-KL/TW"], ["export", "-f", "gexf"], ["validate"],
                                     ["viz", "--out", "{tmp}/g.html"]])
def test_every_command_finds_the_store_as_load_and_query_do(store, tmp_path, command):
    args = [a.replace("{tmp}", str(tmp_path)) for a in command]
    by_env = kg(*args, cwd=tmp_path, env={"KG_STORE": str(store)})
    assert by_env.returncode == 0, by_env.stderr
    (tmp_path / "kg-store").symlink_to(store)
    by_default = kg(*args, cwd=tmp_path, env={"KG_STORE": ""})
    assert by_default.returncode == 0, by_default.stderr
    assert by_default.stdout == by_env.stdout
    if command[0] == "show":
        assert b"01-KL/TW" in by_env.stdout


def test_no_store_and_no_files_is_one_line(tmp_path):
    run = kg("stats", cwd=tmp_path, env={"KG_STORE": ""})
    err = run.stderr.decode()
    assert run.returncode == 1 and err.startswith("kg: error:") and "kg-store" in err and err.count("\n") == 1


# 9. one meaning per short option

def test_one_meaning_per_short_option():
    import typer
    from kg.cli import app
    root = typer.main.get_command(app)
    meaning: dict[str, set[str]] = {}
    for name, cmd in root.commands.items():
        for p in cmd.params:
            if getattr(p, "param_type_name", "") == "option":  # typer may ship its own copy of click
                for short in [o for o in p.opts + p.secondary_opts if not o.startswith("--")]:
                    meaning.setdefault(short, set()).add(p.opts[0])
    assert meaning.get("-f") == {"--format"}
    assert {k: v for k, v in meaning.items() if len(v) > 1} == {}


def test_query_dash_f_is_the_format(store):
    run = kg("query", "most-cited", "-f", "json", "--store", str(store))
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["results"]["bindings"]


# 11. a required parameter is never a silent default

def test_a_named_query_without_its_parameter_is_a_usage_error(store):
    run = kg("query", "lineage", "--store", str(store))
    err = run.stderr.decode()
    assert run.returncode == 2 and "--param symbol=" in err and err.count("\n") == 1 and "Traceback" not in err
    assert kg("query", "lineage", "--param", "symbol=01-KL/TW", "--store", str(store)).returncode == 0
    assert kg("query", "relations", "--store", str(store)).returncode == 0  # "" means optional: all


# 13. relation names

def test_tables_show_json_relation_names(store):
    for args in (["relations"], ["lineage", "--param", "symbol=01-KL/TW"]):
        run = kg("query", *args, "--store", str(store), "-f", "csv")
        assert run.returncode == 0 and b"implements" in run.stdout and b"ensures_implementation_of" not in run.stdout


def test_readme_lists_the_relation_mapping():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for json_name, prop, vi in [("implements", "eli:ensures_implementation_of", "thực hiện"), ("reviews", "kg:reviews", "sơ kết"),
                                ("amends", "eli:amends", "sửa đổi, bổ sung"), ("replaces", "kg:replaces", "thay thế"),
                                ("repeals", "kg:repeals", "bãi bỏ"), ("guides", "kg:guides", "hướng dẫn"),
                                ("based_on", "eli:based_on", "căn cứ")]:
        assert any(f"`{json_name}`" in ln and prop in ln and vi in ln for ln in readme.splitlines()), json_name


# 10. validate shows the mention, and both sides of a conflict

@pytest.mark.skipif(not SHARED_SEED.exists(), reason="../shared is missing")
def test_validate_shows_the_mention_and_both_sentences(tmp_path):
    run = kg("validate", str(SHARED_SEED), "-f", "json")
    findings = [f for f in json.loads(run.stdout) if f["symbol"] == "07-CT/TU" and "conflict" in f["check"]]
    assert findings and len(findings[0]["sentences"]) == 2
    assert any("08/9/2021" in s for s in findings[0]["sentences"]) and any("07/12/2021" in s for s in findings[0]["sentences"])
    table = kg("validate", str(SHARED_SEED)).stdout.decode()
    assert table.count("07-CT/TU") >= 3  # the document column and both sentences: the words around the mention


def test_excerpt_centres_on_the_mention():
    from kg.validate import excerpt
    sentence = "Chỉ thị số 01-CT/TU về việc này; " * 20 + "Chỉ thị số 07-CT/TU, ngày 08/9/2021 của Ban Thường vụ." + " tiếp" * 50
    shown = excerpt(sentence, "07-CT/TU", width=120)
    assert "07-CT/TU" in shown and shown.startswith("…") and shown.endswith("…") and len(shown) <= 122


# 14. the small ones

def test_counts_take_the_singular(tmp_path):
    f = tmp_path / "r.txt"
    f.write_text("Thực hiện Chỉ thị số 05-CT/TW, ngày 15/5/2016 của Bộ Chính trị.", encoding="utf-8")
    run = kg("stats", str(f))
    assert "1 document cited by 1 report" in run.stdout.decode()
    f2 = tmp_path / "bad.txt"
    f2.write_text("Chỉ thị số 05-CT/TW, ngày 15/5/2016 và Chỉ thị số 05-CT/TW, ngày 16/5/2016 của Bộ Chính trị.", encoding="utf-8")
    out = kg("validate", str(f2)).stdout.decode()
    assert "1 finding\n" in out or "1 finding " in out, out


def test_export_to_standard_output(store):
    run = kg("export", "--store", str(store), "-f", "graphml")
    assert run.returncode == 0 and run.stdout.startswith(b"<?xml") and b"01-KL/TW" in run.stdout
    dash = kg("export", "--store", str(store), "-f", "gexf", "--out", "-")
    assert dash.returncode == 0 and b"<gexf" in dash.stdout
    csv = kg("export", "--store", str(store), "-f", "csv")
    assert csv.returncode == 2 and b"folder" in csv.stderr


def test_show_suggestions_carry_years(store):
    run = kg("show", "01-KL/TW", "--year", "2019", "--store", str(store))
    err = run.stderr.decode()
    assert run.returncode == 1 and "01-KL/TW (2021)" in err


def test_empty_sections_print_no_header_only_tables(tmp_path):
    f = tmp_path / "r.txt"
    f.write_text("Thực hiện Chỉ thị số 05-CT/TW, ngày 15/5/2016 của Bộ Chính trị.", encoding="utf-8")
    out = kg("show", "05-CT/TW", str(f)).stdout.decode()
    assert "What it does" not in out and "Implementation tree" not in out  # nothing to list
    stats = kg("stats", str(f)).stdout.decode()
    assert "Implementation lag" not in stats and "Chains of" not in stats


def test_notebook_plots_years_as_numbers():
    nb = json.loads((ROOT / "notebooks" / "explore.ipynb").read_text(encoding="utf-8"))
    cell = next("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code" and "by_year" in "".join(c["source"])
                and "plt.subplots" in "".join(c["source"]))
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    code = cell.replace("%matplotlib inline", "").replace("plt.show()", "")
    ns = {"by_year": [{"year": "2019", "documents": "3"}, {"year": "2021", "documents": "2"}],
          "most_cited": [{"symbol": "01-KL/TW", "mentions": "4"}]}
    exec(compile(code, "notebook", "exec"), ns)  # noqa: S102  (the notebook's own cell)
    bars = ns["a"].patches
    centres = sorted(round(b.get_x() + b.get_width() / 2) for b in bars)
    assert centres == [2019, 2021]  # 2020 is a gap on a number line, not a missing category
    plt.close("all")
