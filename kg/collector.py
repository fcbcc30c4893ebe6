"""When the cyclic garbage collector runs: not while kg starts, nor during an extraction.

- **Starting.** Imports make long-lived objects (modules, classes, functions, compiled
  patterns) and almost no garbage, yet every 700 new objects start a collection that walks the
  young ones, and every tenth of those walks more: about a tenth of `import spacy`'s time
  (measured: ~80 ms of ~0.9 s) and ~8 ms of kg's own imports went to collections that found
  nothing. kg's imports and the pipeline's building (where spaCy is imported) run paused.
- **Extracting.** An extraction makes no cyclic garbage (a test checks it: everything it drops
  is freed by reference counting), yet the collector walked the citations it builds up again
  and again: ~10 % of the seed ×100's extraction time. `kg.extract` runs paused.

Paused, the collector is put back as it was when the block ends (nested blocks, or a caller who
had it off, are left alone), and whatever the block allocated is looked at by the next
collection as usual: nothing is lost, a cycle made meanwhile is only collected later.
"""
from __future__ import annotations

import gc
from contextlib import contextmanager
from functools import wraps

_FREEZE = []  # [True] in a `kg` command's process (`for_a_command`)


def for_a_command() -> None:
    """A `kg` command's process: what the start made is kept out of every later collection
    (`gc.freeze`), else the first collection after the start walks it all at once (tens of
    milliseconds after spaCy's import). In a library user's process (a notebook) nothing is
    frozen: their own objects, made before kg started, must stay collectable."""
    _FREEZE[:] = [True]


@contextmanager
def paused(*, freeze: bool = False):
    """Run the block with the cyclic garbage collector off, then put it back as it was;
    ``freeze``: in a command's process, freeze what exists then (see `for_a_command`)."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze and _FREEZE:
            gc.freeze()
        if was_on:
            gc.enable()


def without_collection(function):
    """``function`` run with the collector paused (see the module's docstring)."""
    @wraps(function)
    def paused_call(*args, **kwargs):
        with paused():
            return function(*args, **kwargs)
    return paused_call
