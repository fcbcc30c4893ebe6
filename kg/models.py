"""Plain dataclasses passed between the stages of the pipeline.

read → normalise → find → parse → resolve → relate: every stage takes and returns these,
so a notebook can stop after any stage and look.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Body:
    """An issuing body (cơ quan ban hành) as named in the text."""

    name: str                 # the words of the text, normalised ("Ban Thường vụ Đảng ủy Khối các cơ quan thành phố")
    body_id: str | None       # the row of kg/data/bodies.tsv it matched ("btv-dang-uy-khoi")
    canonical: str | None     # that row's canonical Vietnamese name
    start: int                # offsets into the original text
    end: int
    term: str | None = None   # khóa ("XIII") when the text gives it


@dataclass(slots=True)  # a 200 MB report has hundreds of thousands of them
class Citation:
    """One mention (trích dẫn) of a document in the text.

    Offsets point into the original text: ``source_text[start:end] == text``.
    """

    text: str
    start: int
    end: int
    system: str                    # "party" or "state"
    symbol: str                    # normalised symbol (số và ký hiệu): "01-KL/TW", "15/2020/NĐ-CP"
    number: str
    type_code: str | None
    issuer_code: str | None
    doc_type: str | None           # canonical Vietnamese type name ("Quy định")
    doc_type_id: str | None        # row of kg/data/doc_types.tsv
    date: str | None = None        # ISO date stated with this mention
    issuer: str | None = None      # body stated with this mention
    issuer_id: str | None = None
    term: str | None = None
    title: str | None = None       # trích yếu: "về …" after the citation
    year: int | None = None        # year inside a state symbol (not a date)
    short_form: bool = False       # cites without its date/issuer and refers back to a full citation
    shared_date: str | None = None     # date that closes a list this mention is in (weak evidence)
    shared_issuer: str | None = None   # issuer that closes a list this mention is in (weak evidence)
    shared_issuer_id: str | None = None
    issuer_ambiguous: bool = False     # "của Bộ Chính trị, Ban Chấp hành Trung ương": no single issuer
    sentence_start: int = 0        # the spaCy sentence holding the mention (original offsets)
    sentence_end: int = 0
    sentence_text: str = ""        # its words, whitespace folded (at most SENTENCE_MAX characters)
    tail_end: int = 0              # end of the mention's own date/issuer/term (original offsets)
    rejected_date: str | None = None   # a stated date that cannot be right ("31/02/2021", "1/1/1925")
    type_from_word: bool = False   # the type came from the words, not only from the code
    issuer_before: bool = False    # the issuer was named before the citation ("<body> ban hành …")
    title_quoted: bool = False
    symbol_start: int = 0          # where the symbol itself stands (original offsets)
    symbol_end: int = 0
    title_end: int = 0             # end of a quoted title, else tail_end
    document: str | None = None    # IRI of the resolved document, set by resolve
    provisions: list[str] = field(default_factory=list)  # pinpoints (điều, khoản, điểm, mục) the text attaches: ["khoản 4 Điều 1"]
    provisions_at: int = 0         # how many of them (the last) follow it behind "tại": "… B tại Điều 2" may say where a relation is stated

    @property
    def key(self) -> tuple:
        """Identity before dates: system, number value, type code, issuer code."""
        return citation_key(self.system, self.number, self.type_code, self.issuer_code, self.symbol)


def citation_key(system, number, type_code, issuer_code, symbol) -> tuple:
    if system == "state":
        return ("state", symbol)
    digits = "".join(ch for ch in number if ch.isdigit())
    return ("party", int(digits) if digits else number, (type_code or "").upper(), issuer_code or "")


@dataclass
class Conflict:
    """Mentions of one document that disagree on a field (mâu thuẫn)."""

    field: str
    values: list


@dataclass
class Document:
    """A distinct cited document (văn bản) after resolution."""

    id: str
    symbol: str
    system: str
    number: str
    type_code: str | None
    issuer_code: str | None
    doc_type: str | None
    doc_type_id: str | None
    date: str | None
    issuer: str | None
    issuer_id: str | None
    term: str | None
    title: str | None
    mentions: int
    conflicts: list[Conflict] = field(default_factory=list)


@dataclass
class Relation:
    """What one cited document does to another, with the span of text that says so."""

    subject: str          # document IRI (the text's own document or report for its preamble, title, articles)
    predicate: str        # implements | reviews | amends | replaces | repeals | guides | based_on
    object: str
    start: int
    end: int
    cue: str              # the words that state it ("sơ kết 03 năm thực hiện")
    cue_start: int = 0    # where those words stand (original offsets)
    cue_end: int = 0
    provisions: list[str] = field(default_factory=list)  # the object's provisions acted on; [] = the whole document
    part: str | None = None  # the layout part that states it ("preamble", "body", …)


@dataclass
class Part:
    """A part of the text's layout (thể thức văn bản): header, title, preamble, enacting, body,
    signature, recipients, annex. Offsets into the original text."""

    kind: str
    start: int
    end: int


@dataclass
class SourceDocument:
    """The report's own identity from its header ("Số 41-HD/ĐUK … ngày 16 tháng 5 năm 2024"); with
    no header, only `id` (the report's IRI), the subject of the relations its text states."""

    symbol: str | None
    doc_type: str | None
    date: str | None
    issuer: str | None
    start: int | None = None
    end: int | None = None
    id: str | None = None          # IRI of the text's own document, or of the report when no symbol
    system: str = "party"          # the parts of its symbol, as a Citation has them
    number: str = ""
    type_code: str | None = None
    issuer_code: str | None = None
    title_type: str | None = None  # a first line naming a document by its type alone ("Quy định đánh giá …")
    reproduced: Citation | None = None  # a page that cites it before reproducing it: its layout speaks for it


@dataclass
class Extraction:
    """Everything extracted from one text. ``text`` is None when a large file was read in
    chunks (the text was never held whole); ``chars`` is its length either way."""

    text: str | None
    citations: list[Citation]
    documents: list[Document]
    relations: list[Relation]
    source_document: SourceDocument | None
    warnings: list[str] = field(default_factory=list)
    parts: list[Part] = field(default_factory=list)
    path: str | None = None
    sha256: str | None = None
    chars: int = 0
