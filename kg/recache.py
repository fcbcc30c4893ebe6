"""Compiled regular expressions kept between runs: a cold `kg extract` compiles some 120 patterns
of its own and 200 of spaCy's, in pure Python (`re._compiler`): about a tenth of a second, half
of what kg adds to `import spacy`.

`install()` (called when `kg` is imported) reads the compiled form of the patterns earlier runs
compiled and puts it behind `re`'s own cache: a pattern `re.compile` asks for is rebuilt from its
stored form the first time (a run needs some 400 of the file's patterns; rebuilding them all
cost more than the rest of the cache). A `kg` command (`save_at_exit`, called by the CLI) writes
the patterns compiled anew back when it ends, each only after checking that the stored form
rebuilds the very pattern `re` compiled (patterns compare equal on their code); a library user
(a notebook, the tests) reads the file but never adds its own patterns to it. The file is one
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

MAX_PATTERNS = 1000  # patterns kept, the least recently used go first (a `kg extract` uses ~400) ...
MAX_BYTES = 1 << 20  # ... and their compiled code at most this large (a `kg extract`'s: 0.5 MB)

_loaded: set = set()    # patterns this run rebuilt from the file
_stored: dict = {}      # key → stored form, of the file's patterns not rebuilt yet
_entries: list = []     # the file as read: (pattern, flags, stored form), oldest first
_path_read: list = []   # the file read (one path, once install() ran)


def _path() -> str | None:
    if os.environ.get("KG_REGEX_CACHE", "1") == "0":
        return None
    root = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    import _sre
    build = zlib.crc32(f"{sys.version}|{sys.maxunicode}".encode())
    return os.path.join(root, "kg", f"re-{sys.implementation.cache_tag}-{_sre.MAGIC}-{build:08x}.marshal")


def _rebuild(key, form):
    import _sre
    final_flags, code, *rest = form
    return _sre.compile(key[1], final_flags, array("I", code).tolist(), *rest)


class _Rebuilding(dict):
    """`re`'s lookup cache with the stored patterns behind it: a key it lacks is rebuilt from the
    file's form, if the file has it (`re` compiles the rest as usual)."""
    __slots__ = ()

    def __missing__(self, key):
        form = _stored.pop(key, None)
        if form is None:
            raise KeyError(key)
        compiled = _rebuild(key, form)
        _loaded.add(key)
        self[key] = compiled
        return compiled


def _lookup_cache_name() -> str | None:
    """The dict `re._compile` looks a pattern up in by subscript (a miss raising KeyError):
    ``_cache`` up to Python 3.11, ``_cache2`` from 3.12. None if it is not a plain dict."""
    name = "_cache2" if hasattr(re, "_cache2") else "_cache"
    return name if type(getattr(re, name, None)) is dict else None


def install() -> None:
    """Put the file's patterns behind `re`'s cache (see the module's docstring)."""
    try:
        if array("I").itemsize != 4 or not isinstance(getattr(re, "_cache", None), dict):  # SRE_CODE: 32-bit words
            return
        path = _path()
        if path is None:
            return
        try:
            with open(path, "rb") as f:
                entries = marshal.load(f)
        except (OSError, EOFError, ValueError, TypeError):
            entries = []
        name = _lookup_cache_name()
        try:
            stored = {(str, pattern, flags): form for pattern, flags, form in entries}
            if name is None:  # an unknown `re`: every stored pattern rebuilt now
                for key, form in stored.items():
                    if key not in re._cache:  # type: ignore[attr-defined]
                        re._cache[key] = _rebuild(key, form)  # type: ignore[attr-defined]
                    _loaded.add(key)
            else:
                _stored.update(stored)
                setattr(re, name, _Rebuilding(getattr(re, name)))
        except Exception:  # noqa: BLE001 — a damaged file: written anew by the next command
            entries = []
            _stored.clear()
            _loaded.clear()
        _entries[:] = entries
        _path_read[:] = [path]
    except Exception:  # noqa: BLE001 — a cache never stops kg; `re` compiles as usual
        _loaded.clear()


def save_at_exit() -> None:
    """Write this run's new patterns to the file when the process ends (a `kg` command)."""
    if _path_read:
        atexit.register(_save, _path_read[0], _entries)


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
        known = {(str, p, f) for p, f, _ in entries}
        compiled: dict = {}
        for cache in (getattr(re, "_cache", {}), getattr(re, "_cache2", {})):
            compiled.update(cache)
        new = [(key, p) for key, p in compiled.items()
               if key not in known and isinstance(key, tuple) and len(key) == 3 and key[0] is str
               and isinstance(p, re.Pattern) and not key[2] & re.DEBUG]
        added = []
        for (_, pattern, flags), p in new:
            args = _compiled_form(pattern, flags, p)
            if args is not None:
                added.append((pattern, flags, args))
        size = sum(len(form[1]) for _, _, form in entries)
        if not added and len(entries) <= MAX_PATTERNS and size <= MAX_BYTES:
            return  # nothing new, and no file grown by an earlier version to cut down
        # the patterns this run used last (recently used), so that the oldest unused go first
        unused = [e for e in entries if (str, e[0], e[1]) not in _loaded]
        used = [e for e in entries if (str, e[0], e[1]) in _loaded]
        ordered = unused + used + added
        kept, size = [], 0
        for e in reversed(ordered):  # the most recent first, while within both limits
            size += len(e[2][1])
            if len(kept) >= MAX_PATTERNS or size > MAX_BYTES:
                break
            kept.append(e)
        kept.reverse()
        import tempfile
        os.makedirs(os.path.dirname(path), exist_ok=True)
        _remove_stale_temporaries(os.path.dirname(path))
        fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".re-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as f:
                marshal.dump(kept, f)
            os.replace(tmp, path)  # whole or not at all: another run may read it meanwhile
        except BaseException:
            os.unlink(tmp)
            raise
    except Exception:  # noqa: BLE001 — an unwritable cache folder costs the next run its compile time only
        pass
