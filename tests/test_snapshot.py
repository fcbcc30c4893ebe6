"""`kg extract` on the shared texts gives the JSON stored in tests/data/snapshots, byte for byte.

A change meant to alter the output (a new stage, a better rule) refreshes the copies with
``.venv/bin/python bench/snapshot.py --update`` and commits them with the change: the diff of the
stored lines is then the review of what the change did to real text.
"""
import importlib.util

import pytest

from conftest import ROOT

spec = importlib.util.spec_from_file_location("snapshot", ROOT / "bench" / "snapshot.py")
snapshot = importlib.util.module_from_spec(spec)
spec.loader.exec_module(snapshot)


@pytest.mark.parametrize("name", snapshot.WHOLE)
def test_output_is_the_stored_copy(shared, name):
    stored = snapshot.stored_path(name)
    assert stored.exists(), f"{stored} missing: run bench/snapshot.py --update"
    new = snapshot.current(name)
    diff = snapshot.differences(name, new)
    assert not diff, (f"{name}: the JSON of {len(diff)} files changed ({', '.join(diff[:5])}); if that was meant, "
                      "refresh with `.venv/bin/python bench/snapshot.py --update` and commit the copies")
    assert new == stored.read_bytes()  # the same lines in the same order
