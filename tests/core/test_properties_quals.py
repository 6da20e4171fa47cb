"""Property tests of the qualification reader (canbo.core.normalise.read_qualifications).

No input makes it raise; every level it returns exists on its dimension's scale
(canbo.core.scales); a reading without a level says why (or is an explicit "none"); blanks
around a cell change nothing.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from canbo.core.normalise import read_qualifications
from canbo.core.scales import Dimension, is_valid_level, levels

PROPERTY = settings(max_examples=200, deadline=None)

CORPUS = Path(__file__).with_name("qualification_strings.tsv")


def _corpus_texts() -> list[str]:
    texts = []
    for line in CORPUS.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            texts.append(line.split("\t")[0])
    return texts


TEXTS = _corpus_texts()
WORDS = sorted(
    {w for t in TEXTS for w in t.split()} | {"không", "chưa", "có", "sau", "trên", "dưới", "đầu", "ra"}
)
hints = st.sampled_from([None, *Dimension])

# Cells made of the words real cells use, in any order and number, with the punctuation lists use.
word_salad = st.lists(
    st.one_of(st.sampled_from(WORDS), st.sampled_from([",", ";", "/", "(", ")", "-", "+", "\n"])), max_size=10
).map(" ".join)
# Real cells, cut, joined and mixed with noise.
spliced = st.tuples(
    st.sampled_from(TEXTS),
    st.sampled_from(TEXTS),
    st.sampled_from([", ", "; ", " ", "/", " và "]),
    st.text(max_size=4),
).map(lambda t: t[0] + t[2] + t[1] + t[3])


def _well_formed(readings) -> None:
    assert isinstance(readings, list)
    for r in readings:
        if r.level is not None:
            assert r.dimension is not None, r
            assert is_valid_level(r.dimension, r.level), r
            assert r.level in {lv.code for lv in levels(r.dimension)}, r
            assert 0 < r.confidence <= 1, r
        elif not r.none:
            assert r.confidence == 0 and r.reason_vi and r.reason_en, r


@PROPERTY
@given(st.text(), hints)
def test_arbitrary_text_never_crashes(text, hint):
    _well_formed(read_qualifications(text, hint))


@PROPERTY
@given(word_salad, hints)
def test_cells_of_real_words_never_crash_and_give_levels_on_their_scales(text, hint):
    _well_formed(read_qualifications(text, hint))


@PROPERTY
@given(spliced, hints)
def test_spliced_real_cells_never_crash_and_give_levels_on_their_scales(text, hint):
    _well_formed(read_qualifications(text, hint))


@PROPERTY
@given(st.sampled_from(TEXTS), hints)
def test_every_corpus_cell_under_every_hint_gives_levels_on_their_scales(text, hint):
    _well_formed(read_qualifications(text, hint))


@PROPERTY
@given(st.one_of(st.integers(), st.floats(), st.none(), st.booleans()), hints)
def test_non_text_cells_never_crash(value, hint):
    _well_formed(read_qualifications(value, hint))


@PROPERTY
@given(st.sampled_from(TEXTS), st.sampled_from(["", " ", "  ", "\n", "\u00a0"]))
def test_surrounding_blanks_change_nothing(text, pad):
    def levels_of(t):
        return [(r.dimension, r.level) for r in read_qualifications(t)]

    assert levels_of(pad + text + pad) == levels_of(text)
