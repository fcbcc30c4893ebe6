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


# What a SPARQL query says outside its strings, IRIs and comments (a keyword cannot hide there).
_LEXEMES = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'"
    r'|<[^<>"{}|^`\\\x00-\x20]*>'
    r"|#[^\n]*"
)
_SERVICE = re.compile(r"(?<![\w:])SERVICE(?![\w:-])", re.IGNORECASE)


def uses_service(sparql: str) -> bool:
    """Whether a query federates (SERVICE <…>): the engine would send requests to any URL."""
    return bool(_SERVICE.search(_LEXEMES.sub(" ", sparql)))


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
        raise QueryError("the query uses SERVICE (federation), which sends requests to other servers; "
                         "pass --allow-service to run it")
    try:
        return store.query(sparql)
    except SyntaxError as e:
        raise QueryError(f"SPARQL syntax error: {query_position(str(e).splitlines()[0])}") from None
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
