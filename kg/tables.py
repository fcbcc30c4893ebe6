"""The data tables under kg/data/ (document types, issuer codes, bodies), loaded once.

The tables are data, with their sources noted in each file; this module only reads them.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path


@dataclass(frozen=True)
class DocType:
    id: str
    system: str
    vi: str
    en: str
    codes: tuple[str, ...]
    words: tuple[str, ...] = ()   # other words naming the type ("văn bản" for a Công văn)
    own_symbol: bool = False      # issued under its own symbol though no code names it (a Công văn)
    issued_by: str | None = None  # the only body that issues this type (a Sắc lệnh: the President)


@dataclass(frozen=True)
class IssuerCode:
    code: str
    system: str
    vi: str
    en: str
    alias_of: str | None
    level: str | None = None   # central | province | district | cell (Party codes)


@dataclass(frozen=True)
class BodyEntry:
    id: str
    vi: str
    en: str
    broader: str | None
    level: str
    variants: tuple[str, ...]


def shipped(folder: str) -> Path:
    """A folder kg ships beside its code (``queries``, ``ontology``): inside the package when
    installed from a wheel (kg/queries), the top-level folder of the source tree otherwise."""
    here = Path(__file__).resolve().parent
    inside = here / folder
    return inside if inside.is_dir() else here.parent / folder


def _rows(name: str) -> list[dict]:
    text = resources.files("kg.data").joinpath(name).read_text(encoding="utf-8")
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


@lru_cache(maxsize=None)
def doc_types() -> dict[str, DocType]:
    return {
        r["id"]: DocType(r["id"], r["system"], r["vi"], r["en"],
                         tuple(c for c in r["codes"].split("|") if c),
                         tuple(w for w in (r.get("words") or "").split("|") if w),
                         (r.get("own_symbol") or "").strip() == "yes", (r.get("issued_by") or "").strip() or None)
        for r in _rows("doc_types.tsv")
    }


@lru_cache(maxsize=None)
def issuer_codes() -> dict[str, IssuerCode]:
    return {
        r["code"]: IssuerCode(r["code"], r["system"], r["vi"], r["en"], r["alias_of"] or None, r.get("level") or None)
        for r in _rows("issuer_codes.tsv")
    }


@lru_cache(maxsize=None)
def bodies() -> dict[str, BodyEntry]:
    return {
        r["id"]: BodyEntry(r["id"], r["vi"], r["en"], r["broader"] or None, r["level"],
                           tuple(v for v in r["variants"].split("|") if v))
        for r in _rows("bodies.tsv")
    }


@lru_cache(maxsize=None)
def province_names() -> tuple[str, ...]:
    """Every spelling of the provinces' and centrally-run cities' names (kg/data/provinces.tsv), longest first."""
    names = set()
    for r in _rows("provinces.tsv"):
        names.add(r["name"])
        names.update(v for v in (r.get("variants") or "").split("|") if v)
    return tuple(sorted(names, key=lambda n: (-len(n), n)))


@lru_cache(maxsize=None)
def body_kinds() -> tuple[str, ...]:
    """Kinds of organisation that open a body's proper name ("Sở", "Hội đồng", "Viện"), longest first."""
    return tuple(sorted((r["kind"] for r in _rows("body_kinds.tsv")), key=lambda k: (-len(k), k)))


@lru_cache(maxsize=None)
def type_by_word(system: str = "party") -> dict[str, DocType]:
    """Lower-cased Vietnamese type word → type; the State table only for words the Party lacks."""
    out: dict[str, DocType] = {}
    for t in doc_types().values():
        if t.system == system:
            out.setdefault(t.vi.lower(), t)
    for t in doc_types().values():
        out.setdefault(t.vi.lower(), t)
    for t in doc_types().values():  # words of a type come after every canonical name
        for w in t.words:
            if t.system == system:
                out.setdefault(w.lower(), t)
    return out


@lru_cache(maxsize=None)
def types_for_code(code: str, system: str = "party") -> list[DocType]:
    """Types whose symbol uses this code, the usual one first (QĐ → Quyết định, then Quy định)."""
    code_u = code.upper()
    hits = [t for t in doc_types().values()
            if t.system == system and any(c.upper() == code_u for c in t.codes)]
    hits.sort(key=lambda t: 0 if t.codes and t.codes[0].upper() == code_u else 1)
    return tuple(hits)
