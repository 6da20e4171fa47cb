"""The qualification reader on the corpus of real strings (issue 9, item 5).

``qualification_corpus.tsv`` holds qualification strings found in public sources (listed in
``SOURCES.md``), each labelled by hand from its meaning. The reader must read at least 95 % of
them right and give a definite wrong answer (a level the label does not have, or "none" where
there is one) for at most 0.5 %. The scoring is ``bench/quals.py``'s.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from canbo.core.normalise import read_qualifications
from canbo.core.scales import is_valid_level

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).parent


def _bench():
    spec = importlib.util.spec_from_file_location("bench_quals", ROOT / "bench" / "quals.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


BENCH = _bench()
ENTRIES = BENCH.load_corpus(HERE / "qualification_corpus.tsv")


def test_the_corpus_is_real_deduplicated_and_labelled_with_scale_codes():
    assert len(ENTRIES) >= 1000  # issue 9, item 5: at least 1,000 real strings
    assert len({e.text for e in ENTRIES}) == len(ENTRIES), "exact duplicates"
    for e in ENTRIES:
        for dim, level in e.levels:
            assert is_valid_level(dim, level), (e.line, dim, level)
        assert not (e.none and e.levels), e.line
    kinds = {"level" if e.levels else "none" if e.none else "unknown" for e in ENTRIES}
    assert kinds == {"level", "none", "unknown"}


def test_every_source_is_listed_in_sources_md():
    listed = (HERE / "SOURCES.md").read_text(encoding="utf-8")
    for e in ENTRIES:
        repo, path = e.source.split(":", 1)
        assert f"{repo}" in listed and path in listed, e.source


@pytest.mark.parametrize(
    "text, levels, none, readings, expected",
    [
        (
            "Cử nhân Luật",
            {("professional", "university")},
            False,
            [("professional", "university", False)],
            "right",
        ),
        ("Đại học trở lên", set(), False, [("professional", "university", False)], "confident_wrong"),
        ("Cao cấp", {("political_theory", "advanced")}, False, [(None, None, False)], "abstained"),
        ("Không", set(), True, [(None, None, True)], "right"),
        ("Thạc sĩ", {("professional", "master")}, False, [("professional", None, True)], "confident_wrong"),
    ],
)
def test_the_scoring(text, levels, none, readings, expected):
    """A definite wrong answer is confident-wrong; leaving a known level unread is abstaining."""
    from canbo.core.normalise import ReadQualification
    from canbo.core.scales import Dimension

    entry = BENCH.Entry(1, text, None, frozenset(levels), none, "x:y")
    got = [
        ReadQualification(text, Dimension(d) if d else None, lv, confidence=1.0 if lv else 0.0, none=n)
        for d, lv, n in readings
    ]
    assert BENCH.score(entry, got) == expected


def test_the_reader_meets_the_targets_on_the_corpus():
    result = BENCH.run(ENTRIES, read_qualifications)
    n = len(ENTRIES)
    wrong = [(e.line, e.text) for e in result["confident_wrong"]]
    assert len(result["confident_wrong"]) / n <= BENCH.TARGET_CONFIDENT_WRONG, wrong
    assert len(result["right"]) / n >= BENCH.TARGET_RIGHT
