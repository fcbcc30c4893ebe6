"""The spaCy side of the text: a tokenizer that keeps symbols and dates whole, and sentence
boundaries that suit administrative Vietnamese.

``spacy.blank("vi")`` splits on whitespace only ("1155-QĐ/TU," keeps its comma), and pyvi
cuts symbols apart, so the blank pipeline gets this tokenizer instead. Whitespace runs other
than one plain space become whitespace tokens, so ``doc.text`` is the input exactly.
"""
from __future__ import annotations

import re

import numpy
import spacy
from spacy.attrs import IDX, SENT_START
from spacy.language import Language
from spacy.tokens import Doc

# Dates and symbols first, then words (letters and digits), then any other single character.
_TOKEN = re.compile(
    r"\d{1,4}(?:[/.\-]\d{1,4}){1,2}(?:/[A-ZĐ][\w\-]{0,20})?"   # 18/5/2021, 15/2020/NĐ-CP
    r"|\d{1,4}-[A-ZĐ]\w{0,3}/[A-ZĐƯ][\w\-]{0,20}"             # 01-KL/TW
    r"|\w+"
    r"|[^\w\s]"
)


def _letters(pred) -> str:
    return "".join(re.escape(chr(c)) for c in (*range(0x41, 0x250), *range(0x1E00, 0x1F00)) if pred(chr(c)))


#: A lower-case letter right before a capital: words a scrape glued together ("BộChính trị").
GLUED = re.compile(f"[{_letters(str.islower)}][{_letters(str.isupper)}]")
#: The same pairs found from the capital (rarer than a lower-case letter: three times faster),
#: for asking whether a text has one; a match is the capital alone.
_GLUED_CAPITAL = re.compile(f"[{_letters(str.isupper)}](?<=[{_letters(str.islower)}].)")


def has_glued(text: str, start: int = 0, end: int | None = None) -> bool:
    """Whether ``text[start:end]`` holds a lower-case letter right before a capital (GLUED)."""
    return _GLUED_CAPITAL.search(text, start + 1, len(text) if end is None else end) is not None


def glued_pieces(word: str) -> list[str]:
    """Cut a word where a lower-case letter meets a capital ("BộChính" → "Bộ", "Chính")."""
    pieces, start = [], 0
    for m in GLUED.finditer(word):
        pieces.append(word[start:m.start() + 1])
        start = m.start() + 1
    pieces.append(word[start:])
    return pieces


# One match a token, with the single space after it (a Doc's "spaces"), or a whitespace run that
# is a token of its own (any run but one plain space between two tokens): `words_and_spaces`
# builds a Doc's words in one C-level findall instead of a Python loop over the tokens.
_TOKEN_SPACE = re.compile(f"({_TOKEN.pattern})( (?=\\S))?|(\\s+)")


def words_and_spaces(text: str) -> tuple[list[str], list[bool]]:
    """The words of ``text`` and whether a space follows each: symbols and dates whole,
    punctuation split off, glued words ("BộChính") cut, whitespace other than one space kept
    as tokens, so the Doc's text is ``text`` exactly."""
    found = _TOKEN_SPACE.findall(text)
    words = [w or g for w, _, g in found]
    spaces = [s == " " for _, s, _ in found]
    if not has_glued(text):  # the rare text with glued words pays for the check
        return words, spaces
    out_w: list[str] = []
    out_s: list[bool] = []
    for word, space in zip(words, spaces):
        if GLUED.search(word):  # "BộChính" from a scrape that glued words: two tokens, so bodies still match
            pieces = glued_pieces(word)
            out_w += pieces
            out_s += [False] * (len(pieces) - 1) + [space]
        else:
            out_w.append(word)
            out_s.append(space)
    return out_w, out_s


def token_spans(text: str, pos: int = 0, glued: bool = True):
    """(start, end) of the tokens `words_and_spaces` makes, from ``pos`` on (an iterator); ``pos``
    must be where a token starts (after whitespace, or after a character no token runs across).
    ``glued``: False when the text has no glued words (then each token is a match as it stands:
    its span, made in C)."""
    if not glued:
        return map(_SPAN, _TOKEN.finditer(text, pos))
    return _glued_token_spans(text, pos)


_SPAN = re.Match.span


def _glued_token_spans(text: str, pos: int):
    for m in _TOKEN.finditer(text, pos):
        start, end = m.span()
        if not has_glued(text, start, end):
            yield start, end
            continue
        for piece in glued_pieces(m.group()):
            yield start, start + len(piece)
            start += len(piece)


class SymbolTokenizer:
    """Words, whole symbols and dates; punctuation split off; text reproduced exactly."""

    def __init__(self, vocab):
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        words, spaces = words_and_spaces(text)
        doc = Doc(self.vocab, words=words, spaces=spaces)
        doc.user_data["kg.text"] = text  # Doc.text rebuilds the string token by token
        return doc

    # spaCy serialises tokenizers with the pipeline; this one has no state of its own.
    def to_bytes(self, **kwargs):
        return b""

    def from_bytes(self, data, **kwargs):
        return self

    def to_disk(self, path, **kwargs):
        pass

    def from_disk(self, path, **kwargs):
        return self


@spacy.registry.tokenizers("kg.symbol_tokenizer.v1")
def create_symbol_tokenizer():
    def make(nlp):
        return SymbolTokenizer(nlp.vocab)
    return make


# Where a sentence starts: after a blank line; after a line break (normalise has joined the
# lines a PDF or DOCX broke inside a sentence, so a line break left is a heading's end, a list
# item, a new paragraph) but not after ";" or "," (lists of citations run across them); after
# . ! ? and spaces before a capital or a list marker.
_BOUNDARY = re.compile(r"([ \t\r]*\n\s*)|[.!?](?:\[\d{1,3}\])?[ \t]+|\^\*{0,2}")  # each starts with a character class: a fast scan; group 1: a line break
_NUMBER_WORD_END = re.compile(r"(?<!\w)(?i:số)\s?:?$")
_LIST_ITEM = re.compile(r"[-+*•#<>]|\(\d|\d{1,2}[.)] ")
#: Abbreviations with a full stop before a name: "UBND TP. Hồ Chí Minh", "TX. Sơn Tây", "PGS. TS. Nguyễn Văn A".
_ABBREVIATION_END = re.compile(r"(?<![\w.])(?:TP|Tp|TX|Tx|TT|Q|P|GS|PGS|TS|ThS|Ths|BS|KS)$")
# `_BOUNDARY` opening with one character class, which the engine scans for (a pattern opening
# with a group or with "[ \t\r]*" is tried at every character); `_boundaries` puts the spaces
# before a line break back into its run.
# ("… Chính phủ số.[5] Đồng thời": a footnote mark; "…**^**Quyết định …": a wiki page's reference entries)
_BOUNDARY_AT = re.compile(r"[\n.!?^](?:(?<=\n)\s*|(?<=[.!?])(?:\[\d{1,3}\])?[ \t]+|(?<=\^)\*{0,2})")


#: Characters past its start within which a boundary match is decided (".[123] " is 7): a scan that
#: stops at ``stop`` reads up to ``stop`` + this, not to the next boundary (which may be the text's end).
BOUNDARY_DECIDED = 8


def _boundaries(text: str, pos: int, stop: int | None = None, done: int | None = None):
    """(start, end, a line break?) of each match of ``_BOUNDARY.finditer(text, pos)`` that
    starts before ``stop`` (every one if None). ``done``: where the match before ``pos`` ended
    (the spaces before a line break are taken back to there at most; ``pos`` if None)."""
    done = pos if done is None else done
    n = len(text)
    end = n if stop is None else min(n, stop + BOUNDARY_DECIDED)
    for m in _BOUNDARY_AT.finditer(text, pos, end):
        s, e = m.span()
        if stop is not None and s >= stop:
            return
        if e == end < n:
            e = _BOUNDARY_AT.match(text, s).end()  # its spaces cut short by the scan's end
        if text[s] == "\n":
            while s > done and text[s - 1] in " \t\r":
                s -= 1
            yield s, e, True
        else:
            yield s, e, False
        done = e


def sentence_starts(text: str) -> list[int]:
    """Character offsets where sentences start (0 included)."""
    starts = [0]
    _scan_starts(text, 0, starts, len(text))
    return starts


def _scan_starts(text: str, q: int, out: list[int], stop: int, after: int | None = None,
                 done: int | None = None) -> tuple[int, int]:
    """Append to ``out`` the sentence starts of the boundaries that begin before ``stop``, found
    by a scan from ``q`` (a place where the scan of the whole text is in step: see
    `sentence_starts_around`; ``done``: where its last match ended, if not at ``q``); with
    ``after``, stop once a start beyond it is found. Returns where to go on from, in step too,
    and where the last match ended there."""
    n = len(text)
    done = q if done is None else done
    for b, e, line_break in _boundaries(text, q, stop, done):
        done = e
        if e >= n:
            return n, n  # the text ends in this boundary: no sentence starts after it
        if line_break:
            if b and text[b - 1] in ";," and text.count("\n", b, e) < 2 and not _LIST_ITEM.match(text, e):
                continue  # a list of citations runs on across ";" and ","
            if text[e:e + 1].isdigit() and text.count("\n", b, e) < 2 and _NUMBER_WORD_END.search(text, max(0, b - 5), b):
                continue  # "Tờ trình số:⏎421/TTr-STC": the number on the next line (a cell) is the same sentence
        elif not (text[e].isupper() or text[e] in "-+*•<(" or text[e].isdigit()):
            continue  # ". và" after spaces: not a new sentence
        elif text[b] == "." and _ABBREVIATION_END.search(text, max(0, b - 4), b):
            continue  # "UBND TP. Hồ Chí Minh": an abbreviation's full stop
        out.append(e)
        if after is not None and e > after:
            return e, e
    return max(q, stop, done), done  # no boundary starts between the last one and ``stop``


#: How far back from an anchor the start of its sentence is looked for first (then 4×, 16× …
#: as far), and how far apart two anchors stand before the text between them is not scanned.
FIRST_LOOK = 256
IN_STEP_WALK = 64  # characters walked back from a place to one where the scan is in step


def _in_step_at_or_before(text: str, t: int, floor: int) -> int:
    """A place q in [floor, t] where a scan from q finds what the whole text's scan finds after
    q: just after a letter (no boundary holds a letter, so none runs across q, and none reaches
    back past it), else ``floor`` (in step already), if no letter is near."""
    q = max(t, floor)
    lowest = max(floor, q - IN_STEP_WALK)
    while q > lowest:
        if text[q - 1].isalpha():
            return q
        q -= 1
    return floor


def sentence_starts_around(text: str, anchors: list[int], reach: int) -> list[int]:
    """The sentence starts `segments` and `_segment_sentences` read for these anchors (sorted
    offsets), each one the whole text's (`sentence_starts(text)`): for each anchor, the start
    of its sentence (if within ``reach`` before it), the next start (if within ``reach`` after
    it) and every start between; 0 first. The text between two far anchors is not scanned: the
    start of an anchor's sentence is looked for backwards, from places ever further back where
    the scan is in step with the whole text's (FIRST_LOOK), not by scanning ``reach`` around it."""
    n = len(text)
    out = [0]
    pos = done = 0  # where the scan goes on from, in step, and where its last match ended;
    # every start needed before ``pos`` is in ``out``
    for a in anchors:
        if out[-1] > a:
            continue  # the scan went on to the start after the last anchor, which is after this one too
        if pos >= n:
            break
        if a - pos <= FIRST_LOOK:
            pos, done = _scan_starts(text, pos, out, a + reach, a, done)
            continue
        # far from the last stretch: the start of a's sentence, looked for from ever further back
        look = FIRST_LOOK
        q = _in_step_at_or_before(text, a - look, pos)
        found: list[int] = []
        resume = _scan_starts(text, q, found, a + reach, a, done if q == pos else q)
        while q > pos and q > a - reach and not (found and found[0] <= a):
            look *= 4
            before = _in_step_at_or_before(text, a - look, pos)
            earlier: list[int] = []
            _scan_starts(text, before, earlier, q, None, done if before == pos else before)
            found = earlier + found
            q = before
        out += found
        pos, done = resume
    return out


def doc_text(doc: Doc) -> str:
    """``doc.text``, from the copy our tokenizer keeps when it made the Doc."""
    text = doc.user_data.get("kg.text")
    return text if text is not None and len(text) == doc[-1].idx + len(doc[-1].text_with_ws) else doc.text


@Language.component("party_sentences")
def party_sentences(doc: Doc) -> Doc:
    """Set sentence starts from `sentence_starts` in one array write (setting
    ``token.is_sent_start`` one token at a time is the slow path in spaCy)."""
    if not len(doc):
        return doc
    idx = doc.to_array(IDX)
    flags = numpy.full(len(doc), -1, dtype="int32")
    where = numpy.searchsorted(idx, numpy.array(sentence_starts(doc_text(doc)), dtype=idx.dtype))
    flags[where[where < len(doc)]] = 1
    flags[0] = 1
    doc.from_array([SENT_START], flags.reshape(-1, 1).astype("uint64"))
    return doc


def group_entry_points() -> None:
    """Give spaCy's registries the installed entry points grouped once.

    catalogue (spaCy's registries) takes one snapshot of every package's entry points when it is
    imported, and asks it for a group some 30 times while a blank pipeline is built; each ask of
    importlib's snapshot scans every entry point: 40 % of ``spacy.blank``'s time. catalogue also
    accepts a plain ``{group: [entry points]}`` mapping (what older importlib gave), so the same
    snapshot is handed over in that form. Anything unexpected leaves it as it is."""
    try:
        import catalogue
        snapshot = catalogue.AVAILABLE_ENTRY_POINTS
        if not hasattr(snapshot, "select"):
            return  # a mapping already
        if isinstance(snapshot, dict):  # Python ≤ 3.11: SelectableGroups, group → EntryPoints
            points = [ep for group in dict.values(snapshot) for ep in group]
        else:  # 3.12 on: EntryPoints, one flat tuple
            points = list(snapshot)
        grouped: dict[str, list] = {}
        for ep in points:
            grouped.setdefault(ep.group, []).append(ep)
        catalogue.AVAILABLE_ENTRY_POINTS = grouped
    except Exception:  # noqa: BLE001  (a speed-up only: spaCy works without it)
        pass


def blank_vietnamese() -> Language:
    """Blank Vietnamese without pyvi, with the symbol tokenizer and sentence boundaries."""
    group_entry_points()
    nlp = spacy.blank("vi", config={"nlp": {"tokenizer": {"@tokenizers": "kg.symbol_tokenizer.v1"}}})
    nlp.add_pipe("party_sentences")
    return nlp
