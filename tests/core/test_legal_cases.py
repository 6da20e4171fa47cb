"""The legal test cases (``src/canbo/rules/cases/*.yaml``), OpenFisca-style: each case, written
from the legal text and citing its article, is run through the real engine and rule files."""

from __future__ import annotations

from datetime import date

import pytest

from canbo.core.standards.cases import load_cases, run_case
from canbo.core.standards.rules import default_rules

CASES = load_cases()


@pytest.fixture(scope="module")
def rules():
    return default_rules()


@pytest.mark.parametrize("case", CASES, ids=[f"{c.file}:{c.line}" for c in CASES])
def test_case(case, rules):
    assert case.data.get("reference"), f"{case}: every case cites its article"
    assert not run_case(case, rules), f"{case}: {run_case(case, rules)}"


def test_there_are_enough_cases():
    assert len(CASES) >= 80


def test_every_title_in_the_catalogue_with_a_standard_has_a_case(rules):
    titled = {t for s in rules.standards for t in s.titles}
    cased = {c.data["post"]["title"] for c in CASES if c.data.get("post")}
    cased |= {p["title"] for c in CASES for p in c.data.get("posts") or []}
    assert titled - cased == set()


def _dates_of_cases() -> set[date]:
    out = set()
    for c in CASES:
        if c.data.get("date"):
            out.add(date.fromisoformat(str(c.data["date"])))
    return out


def test_the_day_before_and_the_day_of_every_standard_effective_date(rules):
    """Each date a standard starts to apply is tested on that day and on the day before."""
    from datetime import timedelta

    dates = _dates_of_cases()
    starts = {s.valid_from for s in rules.standards if s.valid_from > date(2005, 1, 1)}
    missing = sorted(d for d in starts if d not in dates or d - timedelta(days=1) not in dates)
    assert not missing, f"effective dates without a day-before/day-of case: {missing}"


def test_every_exception_is_exercised(rules):
    seen = " ".join(str(c.data.get("expect")) for c in CASES)
    for kind in ("met_by_exception", "met_by_transition"):
        assert kind in seen


def test_missing_data_cases_exist():
    assert sum("unknown" in str(c.data.get("expect")) for c in CASES) >= 5


@pytest.mark.parametrize("kind", ["standards", "quota", "eligibility", "discipline"])
def test_a_case_that_needs_a_date_and_has_none_says_so(kind, rules):
    """A malformed case fails naming what it lacks (``canbo rules test`` reports the message)."""
    from canbo.core.standards.cases import Case

    case = Case("no date", "draft.yaml", 1, {"kind": kind, "purpose": "planning", "expect": {}})
    with pytest.raises(ValueError, match=f"a '{kind}' case needs its 'date'"):
        run_case(case, rules)
