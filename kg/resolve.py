"""Stage 5: resolve mentions into documents.

Mentions with the same number, type code and issuer code are one document unless their
dates put them in different terms (numbers restart each term: ``35-CT/TW`` of 2014 and of
2019 are two directives). Short forms ("Nghị quyết 18") join the one full citation they can
mean. Attributes come from all mentions; disagreements are kept as conflicts, not merged.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from functools import lru_cache

from . import tables
from .models import Citation, Conflict, Document

DEFAULT_BASE = "https://kg.example.org/"


@lru_cache(maxsize=8192)  # a report names the same few documents over and over
def ascii_slug(s: str) -> str:
    s = s.replace("Đ", "D").replace("đ", "d")
    s = "".join(ch for ch in unicodedata.normalize("NFD", s) if not unicodedata.combining(ch))
    return "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in s).strip("-")


@lru_cache(maxsize=1024)
def canonical_code(code: str | None) -> str | None:
    """The table's spelling of a type code ("CTR" → "CTr"), or the code as written."""
    if not code:
        return code
    for t in tables.doc_types().values():
        for c in t.codes:
            if c.upper() == code.upper():
                return c
    return code


def canonical_symbol(c: Citation) -> str:
    """A Party symbol with its type code as the table spells it ("07-QĐI/TW" in a heading in
    capitals is "07-QĐi/TW"); a State symbol as found."""
    if c.system != "party" or not c.type_code or c.type_code in _known_codes():
        return c.symbol  # "03-Ctr/TU" and "03-CTr/TU" are both spellings the table knows
    return f"{c.number}-{canonical_code(c.type_code)}/{c.issuer_code}"


@lru_cache(maxsize=1)
def _known_codes() -> frozenset:
    return frozenset(code for t in tables.doc_types().values() for code in t.codes)


def document_iri(base: str, c: Citation, year: int | None) -> str:
    if c.system == "state":
        # a symbol without its year ("130/CĐ-TTg", "04/GP-UBND") is numbered afresh each year: its
        # year (from the date) belongs to its identity, as a Party document's does
        suffix = f"-{year}" if year and c.year is None else ""
        return f"{base}doc/state/{ascii_slug(c.symbol.replace('/', '-'))}{suffix}"
    digits = "".join(ch for ch in c.number if ch.isdigit())
    number = f"{int(digits):02d}" if digits else c.number
    slug = ascii_slug(f"{number}-{canonical_code(c.type_code)}-{c.issuer_code}")
    return f"{base}doc/{slug}" + (f"-{year}" if year else "")


def report_iri(base: str, sha256: str) -> str:
    """The report itself (a file, by the hash of its bytes)."""
    return f"{base}report/{sha256[:20]}"


def _year(date: str | None) -> int | None:
    return int(date[:4]) if date else None


def _clusters(mentions: list[Citation]) -> list[list[Citation]]:
    """Split one symbol's mentions by term: dated mentions more than a year apart are different
    documents; an undated mention joins the dated one before it (or the first)."""
    dated = [c for c in mentions if c.date] or [c for c in mentions if c.shared_date]
    years = sorted({_year(c.date or c.shared_date) for c in dated})
    groups: list[list[int]] = []
    for y in years:
        if groups and y - groups[-1][-1] <= 1:
            groups[-1].append(y)
        else:
            groups.append([y])
    if len(groups) <= 1:
        return [mentions]
    out: list[list[Citation]] = [[] for _ in groups]
    which = {y: i for i, g in enumerate(groups) for y in g}
    current = 0
    for c in mentions:  # text order
        d = c.date or (c.shared_date if c in dated else None)
        if d:
            current = which[_year(d)]
        out[current].append(c)
    return out


def _majority(values: list) -> tuple[object, list]:
    """The value most mentions give when it is a strict majority, and the distinct values."""
    present = [v for v in values if v is not None]
    distinct = list(dict.fromkeys(present))
    if len(distinct) <= 1:  # the usual case: one value or none
        return (distinct[0] if distinct else None), distinct
    (top, n), *rest = Counter(present).most_common()
    if rest and rest[0][1] == n:
        return None, distinct
    return top, distinct


def issuer_key(issuer_id: str | None, issuer: str | None) -> str | None:
    """What two mentions must share to name the same issuer: a listed body's id; for a body the tables lack
    ("Hội đồng Thi đua - Khen thưởng Trung ương"), its name, case and spacing aside ("~hội đồng thi đua …")."""
    if issuer_id:
        return issuer_id
    return "~" + " ".join(issuer.lower().split()) if issuer else None


def _document(base: str, mentions: list[Citation]) -> Document:
    if len(mentions) == 1:
        return _document_of_one(base, mentions[0])
    return _document_general(base, mentions)


def _document_general(base: str, mentions: list[Citation]) -> Document:
    full = [c for c in mentions if not c.short_form] or mentions
    first = full[0]
    if first.system == "state" and any(c.symbol != first.symbol for c in full):
        # of a State symbol's spellings on the page, the whole one with "Đ" ("130/KH-BCĐTKNQ18", not
        # "130/KH-BCDDTKNQ18"; "175/2024/NĐ-CP", not "175/2024/NĐ")
        first = max(full, key=lambda c: ("Đ" in c.symbol, len(c.symbol)))
    conflicts: list[Conflict] = []

    dates = [c.date for c in mentions if c.date]
    date, distinct = _majority(dates)
    if len(distinct) > 1:
        conflicts.append(Conflict("date", distinct))
        date = None  # never pick one of two stated dates silently
    if not dates:
        date, distinct = _majority([c.shared_date for c in mentions])
        date = date if len(distinct) == 1 else None

    worded = [c.doc_type for c in mentions if c.type_from_word and c.doc_type]
    doc_type, distinct = _majority(worded or [c.doc_type for c in mentions])
    if len(set(distinct)) > 1:
        conflicts.append(Conflict("doc_type", distinct))
    doc_type = doc_type or (distinct[0] if distinct else None)
    type_id = next((c.doc_type_id for c in mentions if c.doc_type == doc_type), None)

    stated = [c for c in mentions if c.issuer]
    if stated:
        key, distinct = _majority([issuer_key(c.issuer_id, c.issuer) for c in stated])
        if len(distinct) > 1:
            names = [next(c.issuer for c in stated if issuer_key(c.issuer_id, c.issuer) == k) for k in distinct]
            conflicts.append(Conflict("issuer", names))
        names = [c.issuer for c in stated if key and issuer_key(c.issuer_id, c.issuer) == key]
    else:
        key, distinct = _majority([issuer_key(c.shared_issuer_id, c.shared_issuer) for c in mentions])
        key = key if len(distinct) == 1 else None
        names = [c.shared_issuer for c in mentions if key and issuer_key(c.shared_issuer_id, c.shared_issuer) == key]
    issuer = max((n for n in names if n), key=len, default=None)
    issuer_id = key if key and not key.startswith("~") else None

    years = sorted({_year(d) for d in dates} or ({_year(date)} if date else set()))
    iri = document_iri(base, first, years[0] if years else None)
    return Document(
        id=iri, symbol=canonical_symbol(first), system=first.system, number=first.number,
        type_code=canonical_code(first.type_code), issuer_code=first.issuer_code,
        doc_type=doc_type, doc_type_id=type_id, date=date, issuer=issuer,
        issuer_id=issuer_id, term=next((c.term for c in mentions if c.term), None),
        title=next((c.title for c in full if c.title), None), mentions=len(mentions),
        conflicts=conflicts,
    )


def _document_of_one(base: str, c: Citation) -> Document:
    """`_document` of a document mentioned once (most of a report's): what its majorities give
    when there is one value to count, without the lists (the same Document; property test in
    tests/test_fast_paths.py)."""
    date = c.date if c.date else c.shared_date
    if c.issuer:
        key, issuer = issuer_key(c.issuer_id, c.issuer), c.issuer
    else:
        key = issuer_key(c.shared_issuer_id, c.shared_issuer)
        issuer = c.shared_issuer if key and c.shared_issuer else None
    year = _year(c.date) if c.date else (_year(date) if date else None)
    return Document(
        id=document_iri(base, c, year), symbol=canonical_symbol(c), system=c.system, number=c.number,
        type_code=canonical_code(c.type_code), issuer_code=c.issuer_code,
        doc_type=c.doc_type, doc_type_id=c.doc_type_id, date=date, issuer=issuer,
        issuer_id=key if key and not key.startswith("~") else None, term=c.term if c.term else None,
        title=c.title if c.title else None, mentions=1, conflicts=[],
    )


#: A State symbol with its year and type but no issuer: "90/2007/NĐ".
_CUT_STATE_SYMBOL = re.compile(r"\d{1,5}/\d{4}/[A-ZĐ]{1,8}")


def _typed_without_d_bar(symbol: str) -> str:
    """A State symbol as typed on a keyboard without "Đ" ("BCDDTKNQ18" in Telex, "ND-CP" for "NĐ-CP")."""
    return symbol.upper().replace("Đ", "D").replace("DD", "D")


def _merge_typed_variants(by_key: dict[tuple, list[Citation]]) -> None:
    """One page writing a State symbol once with "Đ" and once typed without it ("130/KH-BCĐTKNQ18",
    "130/KH-BCDDTKNQ18") cites one document."""
    seen: dict[str, tuple] = {}
    for key in list(by_key):
        if key[0] != "state":
            continue
        first = seen.setdefault(_typed_without_d_bar(key[1]), key)
        if first != key:
            by_key[first].extend(by_key.pop(key))
    # "90/2007/NĐ-*⏎|" (a table cell cut), "175/2024/NĐ-CPngày" (a lost space): a dated State symbol without its
    # issuer part, where the page writes exactly one whole symbol that goes on from it, is that symbol
    for key in [k for k in by_key if k[0] == "state" and _CUT_STATE_SYMBOL.fullmatch(k[1])]:
        whole = [k for k in by_key if k[0] == "state" and k[1].startswith(key[1] + "-")]
        if len(whole) == 1:
            by_key[whole[0]].extend(by_key.pop(key))


def resolve(citations: list[Citation], base: str = DEFAULT_BASE) -> tuple[list[Citation], list[Document], list[str]]:
    """Group mentions into documents; returns the kept mentions (dropping short-form candidates
    that name no cited document), the documents in order of first mention, and warnings."""
    warnings: list[str] = []
    by_key: dict[tuple, list[Citation]] = defaultdict(list)
    for c in citations:
        if not c.short_form:
            by_key[c.key].append(c)
    _merge_typed_variants(by_key)
    groups: list[list[Citation]] = []
    for mentions in by_key.values():
        parts = _clusters(mentions)
        if len(parts) > 1:
            warnings.append(f"{mentions[0].symbol}: dates in different terms, kept as {len(parts)} documents")
        groups.extend(parts)

    # Short forms: same type and number as exactly one fully cited document.
    index: dict[tuple, list[int]] = defaultdict(list)
    for i, g in enumerate(groups):
        c = g[0]
        digits = "".join(ch for ch in c.number if ch.isdigit())
        types = {m.doc_type for m in g if m.doc_type}
        for t in types:
            index[(t, int(digits) if digits else c.number)].append(i)
    kept = [c for c in citations if not c.short_form]
    for c in citations:
        if not c.short_form:
            continue
        hits = sorted(set(index.get((c.doc_type, int(c.number)), [])))
        if len(hits) == 1:
            groups[hits[0]].append(c)
            kept.append(c)
        elif len(hits) > 1:
            warnings.append(f"short form {c.text!r} at {c.start} could mean {len(hits)} documents; not resolved")

    documents = []
    for g in groups:
        g.sort(key=lambda c: c.start)
        doc = _document(base, g)
        for c in g:
            c.document = doc.id
            if c.short_form:
                c.symbol, c.type_code, c.issuer_code = doc.symbol, doc.type_code, doc.issuer_code
        documents.append((g[0].start, doc))
    kept.sort(key=lambda c: c.start)
    return kept, [d for _, d in sorted(documents, key=lambda x: x[0])], warnings
