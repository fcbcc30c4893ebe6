"""The spaCy side of the text: a tokenizer that keeps symbols and dates whole, and sentence
boundaries that suit administrative Vietnamese.

``spacy.blank("vi")`` splits on whitespace only ("1155-QĐ/TU," keeps its comma), and pyvi
cuts symbols apart, so the blank pipeline gets this tokenizer instead. Whitespace runs other
than one plain space become whitespace tokens, so ``doc.text`` is the input exactly.
"""
from __future__ import annotations

import re

import spacy
from spacy.language import Language
from spacy.tokens import Doc

# Dates and symbols first, then words (letters and digits), then any other single character.
_TOKEN = re.compile(
    r"\d{1,4}(?:[/.\-]\d{1,4}){1,2}(?:/[A-ZĐ][\w\-]{0,20})?"   # 18/5/2021, 15/2020/NĐ-CP
    r"|\d{1,4}-[A-ZĐ]\w{0,3}/[A-ZĐƯ][\w\-]{0,20}"             # 01-KL/TW
    r"|\w+"
    r"|[^\w\s]"
)


class SymbolTokenizer:
    """Words, whole symbols and dates; punctuation split off; text reproduced exactly."""

    def __init__(self, vocab):
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        words: list[str] = []
        spaces: list[bool] = []
        pos = 0
        for m in _TOKEN.finditer(text):
            gap = text[pos:m.start()]
            if gap:
                if gap == " " and words:
                    spaces[-1] = True
                else:
                    words.append(gap)
                    spaces.append(False)
            words.append(m.group())
            spaces.append(False)
            pos = m.end()
        if pos < len(text):
            words.append(text[pos:])
            spaces.append(False)
        return Doc(self.vocab, words=words, spaces=spaces)

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


_LIST_MARK = re.compile(r"^(?:[-+*•#<>]|\(\d{1,2}\)|\d{1,2}[.)]|[a-zđ]\)|[IVX]{1,4}\.)")
_CLOSERS = {".", "!", "?"}


@Language.component("party_sentences")
def party_sentences(doc: Doc) -> Doc:
    """Sentence starts: after . ! ? and a space before a capital or list marker; at a blank line;
    at a line break after . : ! ? or before a list marker. A bare line break inside a clause (PDF
    wrapping) is not a boundary, and neither is ";" (lists of citations run across it)."""
    last = None  # last non-space token before the current one
    gap = ""     # whitespace between it and the current token
    for tok in doc:
        if tok.i == 0:
            tok.is_sent_start = True
        elif tok.is_space:
            tok.is_sent_start = False
        else:
            start = False
            if last is not None:
                marker = bool(_LIST_MARK.match(tok.text))
                if gap.count("\n") >= 2:
                    start = True
                elif "\n" in gap:
                    start = marker or last.text in _CLOSERS or last.text == ":"
                elif gap and last.text in _CLOSERS:
                    start = tok.text[:1].isupper() or marker
            tok.is_sent_start = start
        if tok.is_space:
            gap += tok.text
        else:
            gap = tok.whitespace_
            last = tok
    return doc


def blank_vietnamese() -> Language:
    """Blank Vietnamese without pyvi, with the symbol tokenizer and sentence boundaries."""
    nlp = spacy.blank("vi", config={"nlp": {"tokenizer": {"@tokenizers": "kg.symbol_tokenizer.v1"}}})
    nlp.add_pipe("party_sentences")
    return nlp
