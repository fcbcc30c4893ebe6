"""Starting sooner: the cyclic garbage collector is paused while kg imports its modules and
builds the spaCy pipeline.

Imports make long-lived objects (modules, classes, functions, compiled patterns) and almost no
garbage, yet every 700 new objects start a collection that walks the young ones, and every tenth
of those walks more: about a tenth of `import spacy`'s time (measured: ~80 ms of ~0.9 s) and
~8 ms of kg's own imports go to collections that find nothing. Paused, the collector is put back
as it was when the block ends (nested blocks, or a caller that had it off, are left alone), and
whatever the block allocated is looked at by the next collection as usual: nothing is lost, a
cycle made meanwhile is only collected later.
"""
from __future__ import annotations

import gc
from contextlib import contextmanager


_FREEZE = []  # [True] in a `kg` command's process (`for_a_command`)


def for_a_command() -> None:
    """A `kg` command's process: what its imports made is kept out of every later collection
    (`gc.freeze`). In a library user's process (a notebook) nothing is frozen: their own
    objects, made before kg started, must stay collectable."""
    _FREEZE[:] = [True]


@contextmanager
def paused_collector():
    """Run the block with the cyclic garbage collector off, then put it back as it was.

    Objects made meanwhile would all be walked by the next collection at once (tens of
    milliseconds after spaCy's import); in a command they are frozen instead (see
    `for_a_command`): modules and the pipeline live as long as the process anyway."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if _FREEZE:
            gc.freeze()
        if was_on:
            gc.enable()
