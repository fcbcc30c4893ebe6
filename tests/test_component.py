import spacy

from kg.component import PartyCitations
from kg.extract import pipeline
from kg.tokenizer import blank_vietnamese


def test_component_is_registered_and_sets_spans():
    nlp = blank_vietnamese()
    nlp.add_pipe("party_citations")
    assert "party_citations" in nlp.pipe_names
    assert isinstance(nlp.get_pipe("party_citations"), PartyCitations)
    doc = nlp("Thực hiện Kết luận số 01-KL/TW, ngày 18/5/2021 của Bộ Chính trị. Chi bộ đã ban hành "
              "Nghị quyết số 04-NQ/CBDV.")
    spans = list(doc.spans["citations"])
    assert [s._.citation.symbol for s in spans] == ["01-KL/TW", "04-NQ/CBDV"]
    assert spans[0].text.startswith("Kết luận số 01-KL/TW")
    assert [b.text for b in doc.spans["bodies"]] == ["Bộ Chính trị", "Chi bộ"]
    # spaCy's sentences bound each citation
    assert spans[0]._.citation.sentence_end <= spans[1]._.citation.sentence_start


def test_tokenizer_keeps_symbols_and_dates_whole_and_text_exact():
    nlp = blank_vietnamese()
    text = "Quyết định số 1155-QĐ/TU,  ngày 20/10/2023\ncủa Ban Thường vụ."
    doc = nlp(text)
    assert doc.text == text
    words = [t.text for t in doc]
    assert "1155-QĐ/TU" in words and "20/10/2023" in words and "," in words


def test_blank_vietnamese_does_not_need_pyvi():
    assert spacy.util.is_package("pyvi") is False or True  # pyvi may exist; we never import it
    nlp = pipeline()
    assert nlp.lang == "vi"
    assert nlp.tokenizer.__class__.__name__ == "SymbolTokenizer"


# --- the bodies: found as spaCy's PhraseMatcher over the tokens finds them ------------------
from hypothesis import example, given, settings, strategies as st  # noqa: E402
from spacy.matcher import PhraseMatcher  # noqa: E402
from spacy.util import filter_spans  # noqa: E402

from kg import parse, tables  # noqa: E402
from kg.component import find_bodies  # noqa: E402
from kg.normalise import canonical  # noqa: E402

_NLP = blank_vietnamese()
_MATCHER = PhraseMatcher(_NLP.vocab, attr="LOWER")
_NAMES = []
_TAKEN = set()  # token sequences (lower case) already given to a body
for _body in tables.bodies().values():
    if _body.id in parse.NAMED_IN_FULL:
        continue  # a kind of body ("Ban Chỉ đạo"), never matched alone
    # a name two bodies share (the same tokens) is the first one's, as in find_bodies; the matcher
    # would return both, and filter_spans keep either
    _docs = []
    for _n in sorted({canonical(n) for n in (_body.vi, *_body.variants)}):
        _NAMES.append(_n)
        _doc = _NLP.make_doc(_n)
        _key = tuple(t.lower_ for t in _doc if not t.is_space)
        if _key not in _TAKEN:
            _TAKEN.add(_key)
            _docs.append(_doc)
    if _docs:
        _MATCHER.add(_body.id, _docs)


def phrase_matcher_bodies(text):
    doc = _NLP.make_doc(text)
    return [(s.start_char, s.end_char, _NLP.vocab.strings[s.label]) for s in filter_spans(_MATCHER(doc, as_spans=True))]


def trie_bodies(text):
    return [(b.start, b.end, b.body_id) for b in find_bodies(text)]


def test_bodies_as_the_phrase_matcher_finds_them():
    text = ("Bộ Chính trị, BAN CHẤP HÀNH TRUNG ƯƠNG và Ban Thường vụ Tỉnh ủy; ban thường vụ thành ủy Hà Nội, "
            "BộChính trị (glued), Bộ  Chính trị (two spaces), Bộ\nChính trị, Ủy ban Kiểm tra Trung ương, "
            "cán bộ chính trị, Sở Lao động-Thương binh và Xã hội, 1/2/Ban Tuyên giáo, Chi bộ")
    assert trie_bodies(text) == phrase_matcher_bodies(text)
    assert ("Bộ Chính trị" in [text[s:e] for s, e, _ in trie_bodies(text)])


_PIECES = st.one_of(
    st.sampled_from(_NAMES),
    st.sampled_from(_NAMES).map(str.upper),
    st.sampled_from(_NAMES).map(lambda n: n.replace(" ", "")),
    st.sampled_from(_NAMES).map(lambda n: " ".join(w.capitalize() for w in n.split())),
    st.sampled_from([" ", "  ", "\n", ", ", "-", "/", "1/2/", "x", "cán bộ", "của ", "ủy", "Ủy", "İ", "12-QĐ/TU", "Hà Nội"]),
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_PIECES, max_size=12).map("".join))
def test_bodies_as_the_phrase_matcher_finds_them_on_any_text(text):
    assert trie_bodies(text) == phrase_matcher_bodies(text)


# --- sentence starts around the anchors only: the segments read what the whole text's give ----
from kg.extract import _segment_sentences, segments  # noqa: E402
from kg.tokenizer import sentence_starts, sentence_starts_around  # noqa: E402

_SENTENCE_PIECES = st.sampled_from(["Chi bộ", " ", "  ", "\n", "\n\n", ". ", ".", "; ", ",\n", ";\n", "- ", "1. ",
                                    "(2", "và", "Kết luận", "x", "A", "!", "? ", "\t", " \n ", ".[5] ", "^**", "số:\n4",
                                    "TP. H", "1" * 20, "Nghị quyết số 18 " * 3])


@settings(max_examples=400, deadline=None)
@example("A. B" + "x" * 300 + ". C" + "y" * 300, [310, 620], 200, 8)
@example("Xx. B" + "y" * 60, [39], 40, 8)  # the sentence's start found by the third look back
@example("A x.\n" + " " * 30 + "B" + "x" * 40 + ".  \n\n  C", [2, 50], 3, 8)  # boundaries' spaces past a scan's end
@example("1-CT/TW " + "9 " * 300 + "1-CT/TW " + "9 " * 300, [0, 608], 40, 8)  # no boundary at all
@example("A b.[5] C d", [0, 9], 4, 256)  # a boundary that starts just before a scan's stop and ends after it
@given(st.lists(_SENTENCE_PIECES, max_size=60).map("".join), st.lists(st.integers(0, 600), max_size=5),
       st.sampled_from([0, 3, 12, 40, 100, 300, 4000]), st.sampled_from([8, 30, 256]))
def test_sentence_starts_around_anchors_give_the_whole_texts_segments(text, anchors, reach, first_look):
    """`sentence_starts_around` (the start of each anchor's sentence looked for backwards, far
    anchors' text between them unscanned) gives `segments` and `_segment_sentences` what the
    whole text's starts give them (also with a short first look, so the look goes back often)."""
    from unittest import mock

    from kg import tokenizer
    anchors = sorted({a for a in anchors if a < len(text)})
    whole = sentence_starts(text)
    with mock.patch.object(tokenizer, "FIRST_LOOK", first_look):
        around = sentence_starts_around(text, anchors, reach)
    assert set(around) <= set(whole) and around == sorted(set(around)) and around[:1] == [0]
    with mock.patch("kg.extract.MAX_SEGMENT", reach):
        spans = segments(text, anchors, around)
        assert spans == segments(text, anchors, whole)
        for lo, hi in spans:
            assert _segment_sentences(text, around, lo, hi) == _segment_sentences(text, whole, lo, hi)


ENTRY_POINTS_PROBE = r"""
import catalogue, json
from kg.tokenizer import group_entry_points
def seen():
    groups = {ep.group for g in dict.values(catalogue.AVAILABLE_ENTRY_POINTS) for ep in g} \
        if isinstance(catalogue.AVAILABLE_ENTRY_POINTS, dict) else {ep.group for ep in catalogue.AVAILABLE_ENTRY_POINTS}
    return {g: [(ep.name, ep.value) for ep in catalogue.Registry(g.split("_"))._get_entry_points()] for g in sorted(groups)}
before = seen()
group_entry_points()
after = {g: [(ep.name, ep.value) for ep in catalogue.Registry(g.split("_"))._get_entry_points()] for g in before}
print(json.dumps([before == after, len(before), sum(map(len, before.values())),
                  not hasattr(catalogue.AVAILABLE_ENTRY_POINTS, "select")]))
"""


def test_spacy_registries_find_the_same_entry_points_once_grouped():
    """`group_entry_points` hands catalogue its own snapshot grouped: every group gives the same
    entry points, in the same order (spacy-legacy and spacy-loggers register some)."""
    import json
    import subprocess
    import sys
    out = subprocess.run([sys.executable, "-c", ENTRY_POINTS_PROBE], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    same, groups, points, grouped = json.loads(out.stdout)
    assert same and grouped
    assert groups > 1 and points > 1
