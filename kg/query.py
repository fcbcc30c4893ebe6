"""Stage 9: SPARQL over the store: named queries, output formats, one-line errors."""
from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox

from . import tables

QUERY_DIR = tables.shipped("queries")
_UPDATE = re.compile(r"^\s*(?:(?:PREFIX|BASE)\s[^\n]*\n\s*)*(?:INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b",
                     re.IGNORECASE)


class QueryError(Exception):
    """A query that cannot run; the message is one line."""


def named_queries() -> dict[str, Path]:
    return {p.stem: p for p in sorted(QUERY_DIR.glob("*.rq"))}


def describe(path: Path) -> str:
    """The first comment line of a named query: the question it answers."""
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            return line.lstrip("# ").strip()
    return ""


def resolve_query(text_or_name: str | None, file: str | None = None) -> str:
    if file:
        from .read import ReadError, read_bytes
        try:
            return read_bytes(file, "query file", cap=16 * 1024 * 1024).decode("utf-8")
        except ReadError as e:
            raise QueryError(str(e)) from None
        except UnicodeDecodeError:
            raise QueryError(f"{file}: not UTF-8") from None
    if text_or_name is None:
        raise QueryError("give a query, -f FILE, or the name of a query in queries/")
    named = named_queries()
    if text_or_name in named:
        return named[text_or_name].read_text(encoding="utf-8")
    if re.fullmatch(r"[\w-]+", text_or_name.strip()):
        raise QueryError(f"no named query {text_or_name!r}; known: {', '.join(named)}")
    return text_or_name


_PARAM = re.compile(r"VALUES\s+\?(\w+)_param\s*\{[^}]*\}")


def params_of(sparql: str) -> list[str]:
    """The parameters a named query takes: its ``VALUES ?NAME_param { default }`` lines."""
    return _PARAM.findall(sparql)


def required_params(sparql: str) -> dict[str, str]:
    """The parameters a named query cannot run without, with the example its text gives: those whose
    ``VALUES ?NAME_param { … }`` holds a value (an empty string "" means "optional: all")."""
    out: dict[str, str] = {}
    for m in re.finditer(r"VALUES\s+\?(\w+)_param\s*\{([^}]*)\}", sparql):
        example = m.group(2).strip()
        if example not in ('""', "''", ""):
            out.setdefault(m.group(1), example.strip('"'))
    return out


def apply_params(sparql: str, params: dict[str, str]) -> str:
    """Put each value in place of the default of ``VALUES ?NAME_param { … }``, as a string literal.
    One pass over the query as written: a value never becomes SPARQL, and a value that looks like
    another parameter's VALUES line is never substituted again."""
    known = params_of(sparql)
    for name, value in params.items():
        if name not in known:
            raise QueryError(f"this query takes no parameter {name!r}" + (f" (it takes: {', '.join(known)})" if known else ""))
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise QueryError(f"the value of --param {name} is not valid UTF-8") from None
    if "body" in params:
        params = {**params, "body": body_label(params["body"])}
    literals = {name: str(ox.Literal(value)) for name, value in params.items()}

    def put(m: re.Match) -> str:
        name = m.group(1)
        return f"VALUES ?{name}_param {{ {literals[name]} }}" if name in literals else m.group(0)
    return _PARAM.sub(put, sparql)


SERVICE_REFUSED = ("SERVICE (federation) is refused: it would make the engine send requests to the URLs "
                   "the query names")
_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def _unescape(sparql: str) -> str:
    """SPARQL's \\uXXXX and \\UXXXXXXXX escapes, which may stand anywhere in a query (even in a keyword)."""
    def put(m: re.Match) -> str:
        try:
            return chr(int(m.group(1) or m.group(2), 16))
        except ValueError:
            return m.group(0)
    return _CODEPOINT.sub(put, sparql)


def uses_service(sparql: str) -> bool:
    """Whether a query or update federates (SERVICE <…>): the engine would send requests to any URL.

    Decided on the parsed query, not on a scan of its text (a scan can be fooled: ``dct:a\\#`` is a
    prefixed name, not a comment). A text in which the letters "service" appear nowhere (after
    unescaping) cannot federate. Otherwise it is parsed with rdflib's SPARQL parser and refused if
    its tree holds a SERVICE pattern, or if rdflib cannot parse it (kg cannot tell, so it refuses)."""
    text = _unescape(sparql)
    if "service" not in text.casefold():
        return False
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
    for parse in (parseQuery, parseUpdate):
        try:
            tree = parse(text)
        except Exception:  # noqa: BLE001  (pyparsing's errors, and anything else: undecided)
            continue
        return _has_service(tree)
    return True


def _has_service(node, depth: int = 0) -> bool:
    from rdflib.plugins.sparql.parserutils import CompValue
    if depth > 500:  # nested deeper than any real query: undecided, so refused
        return True
    if isinstance(node, CompValue):
        if node.name == "ServiceGraphPattern":
            return True
        return any(_has_service(v, depth + 1) for v in node.values())
    if isinstance(node, (list, tuple)) or hasattr(node, "as_list"):
        return any(_has_service(v, depth + 1) for v in node)
    if isinstance(node, dict):
        return any(_has_service(v, depth + 1) for v in node.values())
    return False


_PREFIX_DECL = re.compile(r"PREFIX\s+([A-Za-z][\w.-]*)?:", re.IGNORECASE)
_PREFIXED = re.compile(r"(?<![\w<\"'?$:/#-])([A-Za-z][\w-]*(?:\.[\w-]+)*)?:(?=[\w%\\])")


def missing_prefix(sparql: str) -> str | None:
    """The first prefix a query uses without declaring it (and kg does not declare either)."""
    from .rdf import PREFIXES
    declared = set(PREFIXES) | {m.group(1) or "" for m in _PREFIX_DECL.finditer(sparql)}
    scrubbed = re.sub(r'<[^<>\s]*>|"[^"\n]*"|\'[^\'\n]*\'|#[^\n]*', " ", sparql)
    for m in _PREFIXED.finditer(scrubbed):
        if (m.group(1) or "") not in declared:
            return m.group(1) or ""
    return None


def syntax_message(sparql: str, error: str, shift: int | None = None) -> str:
    """One line for a query the engine could not parse: the prefix it misses, by name, or the
    engine's message cut to its first line, with the position in the query as the user wrote it."""
    first = error.splitlines()[0] if error else "unreadable query"
    if "Prefix not found" in error:
        name = missing_prefix(sparql)
        if name is not None:
            from .rdf import PREFIXES
            return (f"unknown prefix {name}: (declare it: PREFIX {name}: <…>; kg declares "
                    f"{', '.join(p + ':' for p in PREFIXES)})")
    return f"SPARQL syntax error: {query_position(first) if shift is None else first}"


def body_label(value: str) -> str:
    """A body as the user types it ("ban bi thu", "BCH TW", "Ban Bí thư Trung ương") → the canonical
    label the graph uses ("Ban Bí thư"): without diacritics, any case, the table's spelling variants.
    A value the table does not know is left as it is."""
    from .normalise import search_key
    want = search_key(value)
    for body in tables.bodies().values():
        if want in {search_key(n) for n in (body.vi, *body.variants)}:
            return body.vi
    return value


def is_update(sparql: str) -> bool:
    body = "\n".join(ln for ln in sparql.splitlines() if not ln.lstrip().startswith("#"))
    return bool(_UPDATE.match(body))


def run(store, sparql: str, *, params: dict | None = None, allow_service: bool = False):
    """Run a query; syntax errors become one line with the position. A federated query (SERVICE)
    is refused unless allowed: it makes kg send requests to any URL (SSRF)."""
    if params:
        sparql = apply_params(sparql, params)
    if not allow_service and uses_service(sparql):
        raise QueryError(SERVICE_REFUSED + "; pass --allow-service to run it")
    try:
        return store.query(sparql)
    except SyntaxError as e:
        raise QueryError(syntax_message(sparql, str(e))) from None
    except (OSError, RuntimeError, ValueError) as e:
        raise QueryError(f"query failed: {str(e).splitlines()[0] if str(e) else type(e).__name__}") from None


def query_position(message: str) -> str:
    """An error position counted in the query as the user wrote it: the store puts kg's
    predeclared PREFIX lines before it."""
    from .store import SPARQL_PREFIXES
    shift = SPARQL_PREFIXES.count("\n")
    return re.sub(r"\bat (\d+):(\d+)", lambda m: f"at line {max(1, int(m.group(1)) - shift)}, column {m.group(2)}"
                  if int(m.group(1)) > shift else m.group(0), message, count=1)


def rows(results) -> tuple[list[str], list[list[str]]]:
    names = [v.value for v in results.variables]
    out = []
    for sol in results:
        out.append(["" if sol[n] is None else term_text(sol[n]) for n in names])
    return names, out


def term_text(term) -> str:
    if isinstance(term, ox.Literal):
        return term.value
    if isinstance(term, ox.NamedNode):
        return term.value
    return str(term)


RESULT_FORMATS = {
    "json": ox.QueryResultsFormat.JSON, "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV, "xml": ox.QueryResultsFormat.XML,
}
