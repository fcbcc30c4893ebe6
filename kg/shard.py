"""The shard format: reports extracted elsewhere (`kg extract --engine dask`), for `kg load`.

A shard is kg's own N-Quads with comment lines that frame it::

    # kg shard 1
    # kg:report {"report": IRI, "sha256": …, "path": …, "citations": n, "documents": n, "quads": n}
    <the report's graph, N-Quads>
    # kg:documents
    <the report's share of the documents graph, N-Quads>
    # kg:report …

Framing lines are whole lines that start with ``#`` (an N-Quads line never does, and the header
is JSON, which escapes every line break), so no file name or literal can fake one.

A shard is input like any other, so it is not trusted: `check_shard` parses it strictly and
accepts a report only when its header agrees with its quads, every quad of its graph is about
the report (the report, or an IRI under it), every documents-graph quad is about a document the
report cites (or its own document, or itself), every IRI and JSON literal is well formed, and
the report's IRI is the hash of its bytes under this load's --base. `kg.distribute` writes
shards, `kg.load` reads them; neither imports the other for it.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path

#: First line of every shard: what `kg load` recognises a shard by.
SHARD_MAGIC = b"# kg shard 1\n"
REPORT_MARK = b"# kg:report "
DOCUMENTS_MARK = b"# kg:documents"

ELI = "http://data.europa.eu/eli/ontology#"
KG = "https://kg.example.org/ontology#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
DOCUMENTS_GRAPH = "https://kg.example.org/graph/documents"
HEAD_COUNTS = ("citations", "documents", "quads")
SHA256 = re.compile(r"[0-9a-f]{64}")


class ShardError(ValueError):
    """A shard that cannot be loaded; the message names it, in one line."""


def report_block(head: dict, nquads: bytes, summary: bytes) -> bytes:
    """One report of a shard: its header line, its graph, its share of the documents graph."""
    line = json.dumps(head, ensure_ascii=True, separators=(", ", ": ")).encode("ascii")
    return b"".join([REPORT_MARK, line, b"\n", nquads, DOCUMENTS_MARK, b"\n", summary])


def is_shard(path: str) -> bool:
    if not path.endswith(".nq") or not os.path.isfile(path):
        return False
    try:
        with open(path, "rb") as f:
            return f.read(len(SHARD_MAGIC)) == SHARD_MAGIC
    except OSError:
        return False


def shard_files(paths: list[str]) -> list[str]:
    """The shards among ``paths`` and in the folders among them (``*.nq`` that start as a shard).
    A ``.nq`` named on its own that is not a shard is an error, not a text report."""
    out = []
    for p in paths:
        if os.path.isdir(p):
            out += sorted(str(f) for f in Path(p).rglob("*.nq") if is_shard(str(f)))
        elif is_shard(p):
            out.append(p)
        elif p.endswith(".nq") and os.path.isfile(p):
            raise ShardError(f"{p}: not a kg shard (no '{SHARD_MAGIC.decode().strip()}' first line); "
                             f"load N-Quads of your own with `kg query --update`, or extract the reports again")
    return out


def split_shard(path: str, data: bytes):
    """(header, report N-Quads, documents N-Quads) of each report of a shard, by its framing lines."""
    if not data.startswith(SHARD_MAGIC):
        raise ShardError(f"{path}: not a kg shard")
    if data and not data.endswith(b"\n"):
        raise ShardError(f"{path}: truncated (the last line is cut)")
    head = None
    parts: list[list[bytes]] = [[], []]
    section = 0
    n = 0
    for line in data[len(SHARD_MAGIC):].splitlines(keepends=True):  # bytes: splits at \r and \n only
        if line.startswith(b"#"):
            if line.startswith(REPORT_MARK):
                if head is not None:
                    yield _head(path, n, head), b"".join(parts[0]), b"".join(parts[1])
                n += 1
                head, parts, section = line[len(REPORT_MARK):], [[], []], 0
                continue
            if line.rstrip(b"\r\n") == DOCUMENTS_MARK and head is not None and section == 0:
                section = 1
                continue
            raise ShardError(f"{path}: report {n}: unexpected line {line[:60]!r}")
        if head is None:
            raise ShardError(f"{path}: quads before the first report header")
        parts[section].append(line)
    if head is not None:
        if section == 0:
            raise ShardError(f"{path}: report {n}: truncated (no '# kg:documents' line)")
        yield _head(path, n, head), b"".join(parts[0]), b"".join(parts[1])


def _head(path: str, n: int, line: bytes) -> dict:
    where = f"{path}: report {n}"
    try:
        head = json.loads(line)
    except (ValueError, RecursionError):
        raise ShardError(f"{where}: its header is not JSON") from None
    if not isinstance(head, dict):
        raise ShardError(f"{where}: its header is not a JSON object")
    for key in ("report", "sha256", "path"):
        if not isinstance(head.get(key), str) or not head[key]:
            raise ShardError(f"{where}: its header has no {key} string")
    for key in HEAD_COUNTS:
        if type(head.get(key)) is not int or head[key] < 0:
            raise ShardError(f"{where}: its header's {key} is not a count")
    if not SHA256.fullmatch(head["sha256"]):
        raise ShardError(f"{where}: its header's sha256 is not a SHA-256 digest")
    if "\x00" in head["path"]:
        raise ShardError(f"{where}: its header's path holds a NUL")
    head["_where"] = where
    return head


def check_report(head: dict, nquads: bytes, summary: bytes, base: str) -> list[str]:
    """Check one report of a shard strictly (see the module's docstring); returns the documents
    it states an eli:id_local for. Raises ShardError naming the shard and the report."""
    import pyoxigraph as ox

    from .rdf import report_iri
    where = head["_where"]
    report = head["report"]
    expected = report_iri(base, head["sha256"])
    if report != expected:
        tail = expected[len(base):]  # report/<hash>
        if report.endswith(tail):
            raise ShardError(f"{where}: made with another --base ({report[: -len(tail)]}), "
                             f"this load uses {base}: load with that --base, or extract again")
        raise ShardError(f"{where}: its report IRI is not the hash of its bytes")

    def parse(data: bytes, what: str) -> list:
        try:
            return list(ox.parse(data, format=ox.RdfFormat.N_QUADS))
        except (SyntaxError, ValueError) as e:
            raise ShardError(f"{where}: {what}: {_first_line(str(e))}") from None

    quads = parse(nquads, "its graph")
    if len(quads) != head["quads"] or nquads.count(b"\n") != head["quads"]:
        raise ShardError(f"{where}: its header says {head['quads']} quads, its graph has {len(quads)}")
    g = ox.NamedNode(report)
    own = report + "/"
    cites: set[str] = set()
    owns: set[str] = set()
    mentions = 0
    facts = []
    sources: set[str] = set()
    sha: set[str] = set()
    statement_ends: list[str] = []
    for q in quads:
        if q.graph_name != g:
            raise ShardError(f"{where}: a quad outside the report's graph ({_short(q.graph_name)})")
        s = q.subject
        if not isinstance(s, ox.NamedNode) or not (s.value == report or s.value.startswith(own)):
            raise ShardError(f"{where}: a quad about {_short(s)}, not about the report")
        if isinstance(q.object, (ox.BlankNode, ox.Triple)):
            raise ShardError(f"{where}: a blank node or quoted triple as an object")
        p = q.predicate.value
        if s.value == report:
            if p == ELI + "cites":
                cites.add(q.object.value)
            elif p == KG + "ownDocument":
                owns.add(q.object.value)
            elif p == KG + "facts":
                facts.append(q.object)
            elif p == "http://purl.org/dc/terms/source":
                sources.add(q.object.value)
            elif p == KG + "sha256":
                sha.add(q.object.value)
        elif p == RDF + "type" and q.object.value == KG + "Mention":
            mentions += 1
        elif p in (RDF + "subject", RDF + "object"):
            statement_ends.append(q.object.value)
    if sources != {head["path"]}:
        raise ShardError(f"{where}: its header's path is not the report's dct:source")
    if sha != {head["sha256"]}:
        raise ShardError(f"{where}: its header's sha256 is not the report's kg:sha256")
    if mentions != head["citations"] or len(cites) != head["documents"]:
        raise ShardError(f"{where}: its header's counts do not match its graph")
    allowed = cites | owns | {report}
    stray = [d for d in statement_ends if d not in allowed]
    if stray:
        raise ShardError(f"{where}: a relation about {_short(stray[0])}, which the report does not cite")
    if len(facts) > 1:
        raise ShardError(f"{where}: two kg:facts literals")
    for lit in facts:
        _check_facts(where, lit, allowed)
    docs = set()
    for q in parse(summary, "its documents"):
        if q.graph_name != ox.NamedNode(DOCUMENTS_GRAPH):
            raise ShardError(f"{where}: a documents line outside the documents graph ({_short(q.graph_name)})")
        if not isinstance(q.subject, ox.NamedNode) or q.subject.value not in allowed:
            raise ShardError(f"{where}: a documents line about {_short(q.subject)}, which the report does not cite")
        if isinstance(q.object, (ox.BlankNode, ox.Triple)):
            raise ShardError(f"{where}: a blank node or quoted triple in its documents lines")
        if q.predicate.value == ELI + "id_local":
            docs.add(q.subject.value)
    return sorted(docs)


def _check_facts(where: str, lit, allowed: set[str]) -> None:
    """The kg:facts literal: {document IRI: [[predicate IRI, object term], …]}, every document one
    the report cites, every pair one well-formed triple (it is pasted into the documents graph
    when that graph is rebuilt)."""
    import pyoxigraph as ox
    if not isinstance(lit, ox.Literal) or lit.datatype.value != RDF + "JSON":
        raise ShardError(f"{where}: kg:facts is not an rdf:JSON literal")
    try:
        facts = json.loads(lit.value)
    except (ValueError, RecursionError):
        raise ShardError(f"{where}: kg:facts is not JSON") from None
    if not isinstance(facts, dict):
        raise ShardError(f"{where}: kg:facts is not a JSON object")
    lines = []
    for doc, pairs in facts.items():
        if doc not in allowed:
            raise ShardError(f"{where}: kg:facts about {doc[:80]!r}, which the report does not cite")
        if not isinstance(pairs, list) or not all(
                isinstance(x, list) and len(x) == 2 and all(isinstance(y, str) for y in x) for x in pairs):
            raise ShardError(f"{where}: kg:facts about {doc[:80]!r} is not a list of [predicate, term] pairs")
        lines += [f"<{doc}> <{p}> {o} .\n" for p, o in pairs]
    try:
        parsed = list(ox.parse("".join(lines).encode("utf-8"), format=ox.RdfFormat.N_TRIPLES))
    except (SyntaxError, ValueError) as e:
        raise ShardError(f"{where}: kg:facts holds a bad term: {_first_line(str(e))}") from None
    if len(parsed) != len(lines) or any(isinstance(t.object, (ox.BlankNode, ox.Triple)) for t in parsed):
        raise ShardError(f"{where}: kg:facts holds a term that is not one term")


def _short(term) -> str:
    return repr(str(term)[:80])


def _first_line(text: str) -> str:
    return (text.strip().split("\n") or [""])[0][:200]


def check_shard(path: str, base: str) -> tuple[str, list[dict]]:
    """Check a whole shard strictly; returns the SHA-256 of its bytes (`read_shard` reads exactly
    these bytes again without checking) and its reports' headers."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        raise ShardError(f"{path}: {e.strerror}") from None
    heads = []
    seen: set[str] = set()
    for head, nquads, summary in split_shard(path, data):
        check_report(head, nquads, summary, base)
        if head["report"] in seen:
            raise ShardError(f"{head['_where']}: the same report twice")
        seen.add(head["report"])
        heads.append(head)
    return hashlib.sha256(data).hexdigest(), heads


def read_shard(path: str, base: str | None = None, *, digest: str | None = None):
    """The reports of a shard, as `kg.load.extract_to_nquads` returns them (path, sha256, report
    N-Quads, documents-graph N-Quads, citations, documents, quads, document IRIs; without the
    mentions per document, so such a load recounts them). Checked as
    `check_shard` does, unless ``digest`` says these are the bytes it checked."""
    if base is None:
        from .resolve import DEFAULT_BASE
        base = DEFAULT_BASE
    with open(path, "rb") as f:
        data = f.read()
    trusted = digest is not None and hashlib.sha256(data).hexdigest() == digest
    if digest is not None and not trusted:
        raise ShardError(f"{path}: changed while it was being loaded")
    for head, nquads, summary in split_shard(path, data):
        if trusted:
            docs = sorted({line.split(b" ", 1)[0][1:-1].decode() for line in summary.splitlines()
                           if b"<" + ELI.encode() + b"id_local>" in line})
        else:
            docs = check_report(head, nquads, summary, base)
        yield (head["path"], head["sha256"], nquads, summary, head["citations"], head["documents"], head["quads"], docs)
