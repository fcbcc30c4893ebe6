"""Compiled regular expressions kept between runs: a cold `kg extract` compiles some 120 patterns
of its own and 200 of spaCy's, in pure Python (`re._compiler`): about a tenth of a second, half
of what kg adds to `import spacy`.

`install()` (called when `kg` is imported) reads the compiled form of the patterns an earlier
run compiled and puts them into `re`'s own cache, so `re.compile` finds them there. When the run
ends, the patterns compiled anew are written back, each only after checking that the stored form
rebuilds the very pattern `re` compiled (patterns compare equal on their code). The file is one
per Python build (its code format is `re`'s private business), in the user's cache folder
($XDG_CACHE_HOME/kg, else ~/.cache/kg); set KG_REGEX_CACHE=0 to do without. Anything unexpected
(another Python's internals, a damaged or unwritable file) leaves `re` compiling as usual.
"""
from __future__ import annotations

import atexit
import marshal
from array import array
import os
import re
import sys
import zlib

MAX_PATTERNS = 2000  # patterns kept (a text's own patterns, built from its data, make new ones)

_loaded: set = set()


def _path() -> str | None:
    if os.environ.get("KG_REGEX_CACHE", "1") == "0":
        return None
    root = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    import _sre
    build = zlib.crc32(f"{sys.version}|{sys.maxunicode}".encode())
    return os.path.join(root, "kg", f"re-{sys.implementation.cache_tag}-{_sre.MAGIC}-{build:08x}.marshal")


def install() -> None:
    """Fill `re`'s cache from the file, and write the new patterns back at exit."""
    try:
        import _sre
        cache = re._cache  # type: ignore[attr-defined]
        if not isinstance(cache, dict) or array("I").itemsize != 4:  # SRE_CODE: 32-bit words
            return
        path = _path()
        if path is None:
            return
        try:
            with open(path, "rb") as f:
                entries = marshal.load(f)
        except (OSError, EOFError, ValueError, TypeError):
            entries = []
        try:
            for pattern, flags, (final_flags, code, *rest) in entries:
                key = (type(pattern), pattern, flags)
                if key not in cache:
                    cache[key] = _sre.compile(pattern, final_flags, array("I", code).tolist(), *rest)
                _loaded.add(key)
        except Exception:  # noqa: BLE001 — a damaged file: written anew at exit
            entries = []
            _loaded.clear()
        atexit.register(_save, path, entries)
    except Exception:  # noqa: BLE001 — a cache never stops kg; `re` compiles as usual
        _loaded.clear()


def _compiled_form(pattern: str, flags: int, compiled: re.Pattern):
    """What `_sre.compile` needs to rebuild ``compiled``, as `re._compiler.compile` computes it;
    None unless the rebuilt pattern is the same."""
    import _sre
    from re import _compiler, _parser
    tree = _parser.parse(pattern, flags)
    code = [int(c) for c in _compiler._code(tree, flags)]
    groupindex = dict(tree.state.groupdict)
    indexgroup = [None] * tree.state.groups
    for name, i in groupindex.items():
        indexgroup[i] = name
    args = (int(flags | tree.state.flags), code, tree.state.groups - 1, groupindex, tuple(indexgroup))
    if _sre.compile(pattern, *args) != compiled:
        return None
    return (args[0], array("I", code).tobytes(), *args[2:])  # the code as bytes: read back at once


STALE_SECONDS = 3600  # a temporary file this old was left by a run killed while it wrote the cache


def _remove_stale_temporaries(folder: str) -> None:
    """The ".re-*.tmp" files of runs killed mid-write (SIGKILL skips the clean-up): gone once they are old."""
    import time
    now = time.time()
    for name in os.listdir(folder):
        if name.startswith(".re-") and name.endswith(".tmp"):
            p = os.path.join(folder, name)
            try:
                if now - os.stat(p).st_mtime > STALE_SECONDS:
                    os.unlink(p)
            except OSError:
                pass  # another run removed it or still writes it


def _save(path: str, entries: list) -> None:
    try:
        new = [(key, p) for key, p in list(re._cache.items())  # type: ignore[attr-defined]
               if key not in _loaded and isinstance(key, tuple) and len(key) == 3 and key[0] is str
               and isinstance(p, re.Pattern) and not key[2] & re.DEBUG]
        if not new:
            return
        added = []
        for (_, pattern, flags), compiled in new:
            args = _compiled_form(pattern, flags, compiled)
            if args is not None:
                added.append((pattern, flags, args))
        if not added:
            return
        kept = entries[max(0, len(entries) + len(added) - MAX_PATTERNS):]  # the oldest go first
        import tempfile
        os.makedirs(os.path.dirname(path), exist_ok=True)
        _remove_stale_temporaries(os.path.dirname(path))
        fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".re-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as f:
                marshal.dump(kept + added, f)
            os.replace(tmp, path)  # whole or not at all: another run may read it meanwhile
        except BaseException:
            os.unlink(tmp)
            raise
    except Exception:  # noqa: BLE001 — an unwritable cache folder costs the next run its compile time only
        pass
