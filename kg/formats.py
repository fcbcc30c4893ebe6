"""Output of `kg extract`: the JSON of ../shared/spec/extract-json.md and a readable table."""
from __future__ import annotations

import contextlib
import re
import json
from dataclasses import asdict
from typing import TYPE_CHECKING

from .models import Extraction

if TYPE_CHECKING:  # rich is imported where a table or a message is printed, not by `kg extract --format json`
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text


def citation_json(c) -> dict:
    return {
        "text": c.text, "start": c.start, "end": c.end, "doc_type": c.doc_type,
        "type_code": c.type_code, "number": c.number, "issuer_code": c.issuer_code,
        "symbol": c.symbol, "date": c.date, "issuer": c.issuer, "title": c.title,
        "document": c.document, "system": c.system, "term": c.term,
        "short_form": c.short_form, "issuer_id": c.issuer_id, "rejected_date": c.rejected_date,
        "provisions": list(c.provisions),
        "sentence": {"start": c.sentence_start, "end": c.sentence_end, "text": c.sentence_text},
    }


def document_json(d) -> dict:
    return {
        "id": d.id, "symbol": d.symbol, "doc_type": d.doc_type, "type_code": d.type_code,
        "number": d.number, "issuer_code": d.issuer_code, "date": d.date, "issuer": d.issuer,
        "title": d.title, "mentions": d.mentions,
        "conflicts": [{"field": c.field, "values": c.values} for c in d.conflicts],
        "system": d.system, "term": d.term, "issuer_id": d.issuer_id, "doc_type_id": d.doc_type_id,
    }


def extraction_json(ex: Extraction) -> dict:
    """The whole extraction as one dict (see `write_extraction_json` for large ones)."""
    out = extraction_json_without_citations(ex)
    return {"source": out["source"], "source_document": out["source_document"],
            "citations": [citation_json(c) for c in ex.citations], "documents": out["documents"],
            "relations": out["relations"], "parts": out["parts"], "warnings": out["warnings"]}


def write_extraction_json(ex: Extraction, out, *, indent: int | None = 1) -> None:
    """The JSON of `extraction_json`, written piece by piece to a binary file: one citation's
    dict at a time, so a huge report's output is never one string in memory."""
    def dump(obj) -> bytes:
        return json.dumps(obj, ensure_ascii=False, indent=indent).encode("utf-8")
    nl = b"\n" if indent is not None else b""
    head = extraction_json_without_citations(ex)
    out.write(b"{" + nl + b'"source": ' + dump(head["source"]) + b"," + nl)
    out.write(b'"source_document": ' + dump(head["source_document"]) + b"," + nl + b'"citations": [' + nl)
    for i, c in enumerate(ex.citations):
        out.write((b"," + nl if i else b"") + dump(citation_json(c)))
    out.write(nl + b"]," + nl)
    for key in ("documents", "relations", "parts", "warnings"):
        out.write(f'"{key}": '.encode() + dump(head[key]) + (b"," if key != "warnings" else b"") + nl)
    out.write(b"}\n")


def extraction_json_without_citations(ex: Extraction) -> dict:
    src = ex.source_document
    return {
        "source": {"path": ex.path or "-", "sha256": ex.sha256, "chars": ex.chars},
        "source_document": None if src is None else {
            "id": src.id, "symbol": src.symbol, "doc_type": src.doc_type, "date": src.date, "issuer": src.issuer,
            "system": src.system if src.symbol else None},
        "documents": [document_json(d) for d in ex.documents],
        "relations": [asdict(r) for r in ex.relations],
        "parts": [{"kind": p.kind, "start": p.start, "end": p.end} for p in ex.parts],
        "warnings": list(ex.warnings),
    }


# C0 and C1 controls but tab and line feed: ESC and OSC sequences from report text, file names or
# query results must never reach the terminal.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def plain(value) -> Text:
    """Text from a report, a file name or a query result as terminal output: never read as rich
    markup ("[bold]", "[/x]", "[link=…]"), control characters shown as \\xNN."""
    s = "" if value is None else str(value)
    try:
        s.encode("utf-8")
    except UnicodeEncodeError:  # a file name that is not UTF-8 (lone surrogates): its bytes as \xNN
        s = s.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    if _CONTROL.search(s):
        s = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", s)
    from rich.text import Text
    return Text(s)


def add_plain_row(table: Table, *cells) -> None:
    """A table row whose cells are `plain` (a `Text` given stays as it is: our own styling)."""
    from rich.text import Text
    table.add_row(*(c if isinstance(c, Text) else plain(c) for c in cells))


def short_id(iri: str) -> str:
    return iri.rsplit("/", 1)[-1]


def print_table(ex: Extraction, console: Console) -> None:
    from rich.table import Table
    from rich.text import Text
    symbol_of = {d.id: d.symbol for d in ex.documents}
    if ex.source_document and ex.source_document.id and ex.source_document.id not in symbol_of:
        symbol_of[ex.source_document.id] = ex.source_document.symbol or "(this text)"
    title = plain(f"{ex.path or '-'}: {len(ex.documents)} documents, {len(ex.citations)} mentions")
    t = Table(title=title, title_justify="left", show_lines=False)
    for col in ("Symbol", "Type", "Date", "Issuer", "Mentions", "Conflicts"):
        t.add_column(col, justify="right" if col == "Mentions" else "left", overflow="fold")
    for d in ex.documents:
        conflicts = "; ".join(f"{c.field}: {' ≠ '.join(map(str, c.values))}" for c in d.conflicts)
        add_plain_row(t, d.symbol, d.doc_type or "", d.date or "", d.issuer or "", str(d.mentions),
                      Text(plain(conflicts).plain, style="red") if conflicts else "")
    console.print(t)
    if ex.relations:
        r = Table(title="Relations", title_justify="left")
        for col in ("Subject", "Relation", "Object", "Stated as"):
            r.add_column(col, overflow="fold")
        for rel in ex.relations:
            add_plain_row(r, symbol_of.get(rel.subject, short_id(rel.subject)), rel.predicate,
                          symbol_of.get(rel.object, short_id(rel.object)), rel.cue)
        console.print(r)
    src = ex.source_document
    if src and (src.symbol or src.doc_type):
        console.print(plain(f"Source document: {src.doc_type or ''} {src.symbol or ''} {src.date or ''}".strip()))
    for w in ex.warnings:
        console.print(Text.assemble(("warning:", "yellow"), " ", plain(w)))


def atomic_write(path: str, data: bytes) -> None:
    """Write a whole file or nothing: a temporary file beside it, fsync, then rename."""
    with atomic_file(path) as f:
        f.write(data)


@contextlib.contextmanager
def atomic_file(path: str):
    """A binary file to write that appears at ``path`` whole when the block ends, or not at all.

    A symlink is written through (its target gets the file; the link stays). A FIFO or a
    character device (/dev/null, /dev/stdout) is written straight into: it cannot be replaced by
    a rename, and must not be. Any other existing non-regular target, and a name ending in "/",
    is refused with one line."""
    import os
    import stat
    import tempfile

    if path.endswith(("/", os.sep)):
        raise OSError(f"{path}: names a folder; give a file name")
    target = os.path.realpath(path)  # through symlinks, to the file they name
    try:
        mode = os.stat(target).st_mode
    except FileNotFoundError:
        mode = None
    if mode is not None and (stat.S_ISFIFO(mode) or stat.S_ISCHR(mode)):
        with open(target, "wb") as f:
            yield f
        return
    if mode is not None and not stat.S_ISREG(mode):
        kind = "a folder" if stat.S_ISDIR(mode) else "not a regular file"
        raise OSError(f"{path}: {kind}; kg writes only regular files, FIFOs and character devices")
    folder = os.path.dirname(target)
    if not os.path.isdir(folder):
        raise OSError(f"{path}: the folder {folder} does not exist")
    fd, tmp = tempfile.mkstemp(prefix=".kg-", suffix=".part", dir=folder)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, (mode & 0o7777) if mode is not None else 0o666 & ~umask)  # an overwritten file keeps its mode
    try:
        with os.fdopen(fd, "wb") as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
