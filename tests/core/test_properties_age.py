"""Property tests of the one age rule (canbo.core.age) against ``dateutil.relativedelta``.

``relativedelta`` counts whole years the usual way and agrees with the Civil Code 2015
(Art. 147–148) on every birth date but 29/02: there, in a common year, it makes the person turn N
on 28/02, where the Code makes the N-year period end with the last day of February, so the person
is N from 01/03. 29/02 births are therefore compared with relativedelta everywhere except on
28/02 of a common year, and that day has its own example test.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

import polars as pl
from dateutil.relativedelta import relativedelta
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from canbo.core.age import age_on, age_range, anniversary, birth_interval, definite_age, reached
from canbo.core.reports.people import age_years

PROPERTY = settings(max_examples=200, deadline=None)

births = st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))
days = st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31))


def _is_feb_29_birth_on_feb_28_of_a_common_year(birth: date, on: date) -> bool:
    return (
        (birth.month, birth.day) == (2, 29) and (on.month, on.day) == (2, 28) and not calendar.isleap(on.year)
    )


@PROPERTY
@given(births, days)
@example(date(2000, 1, 31), date(2018, 1, 31))
@example(date(2000, 1, 31), date(2018, 1, 30))
@example(date(1980, 12, 31), date(2025, 12, 31))
@example(date(2000, 2, 29), date(2018, 3, 1))
@example(date(2000, 2, 29), date(2020, 2, 29))
def test_age_is_relativedeltas_whole_years(birth, on):
    assume(on >= birth)
    assume(not _is_feb_29_birth_on_feb_28_of_a_common_year(birth, on))
    assert age_on(birth, on) == relativedelta(on, birth).years


@PROPERTY
@given(
    st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))
    .filter(lambda d: not calendar.isleap(d.year))
    .map(lambda d: d.year)
)
def test_a_29_february_birth_turns_n_on_1_march_of_a_common_year(year):
    birth = date(2000, 2, 29)
    assume(year > 2000)
    n = year - 2000
    assert age_on(birth, date(year, 2, 28)) == n - 1
    assert age_on(birth, date(year, 3, 1)) == n
    assert relativedelta(date(year, 2, 28), birth).years == n  # the day relativedelta differs
    assert anniversary(birth, n) == date(year, 3, 1)


def test_29_february_examples():
    born = date(2004, 2, 29)
    assert age_on(born, date(2022, 2, 28)) == 17  # relativedelta says 18
    assert age_on(born, date(2022, 3, 1)) == 18
    assert age_on(born, date(2024, 2, 28)) == 19
    assert age_on(born, date(2024, 2, 29)) == 20  # a leap year has the day itself


@PROPERTY
@given(births, st.integers(0, 120))
def test_the_age_is_reached_on_the_anniversary_and_not_the_day_before(birth, n):
    day = anniversary(birth, n)
    assert age_on(birth, day) == n
    assert age_on(birth, day - timedelta(days=1)) == n - 1


@PROPERTY
@given(births, days, days)
def test_age_never_decreases_with_time(birth, a, b):
    early, late = sorted((a, b))
    assert age_on(birth, early) <= age_on(birth, late)


@PROPERTY
@given(st.lists(st.tuples(births, days), min_size=1, max_size=20), days)
def test_the_reports_polars_age_agrees_with_the_rule(pairs, on):
    frame = pl.DataFrame({"birth": [b for b, _ in pairs]}, schema={"birth": pl.Date})
    got = frame.select(age_years(pl.col("birth"), on).alias("age"))["age"].to_list()
    assert got == [age_on(b, on) for b, _ in pairs]


@PROPERTY
@given(births, st.sampled_from(["day", "month", "year"]), days)
def test_an_uncertain_birth_date_gives_the_range_of_every_possible_birth_date(birth, precision, on):
    first, last = birth_interval(birth, precision)
    assert first <= birth <= last
    low, high = age_range(birth, precision, on)
    # Every possible birth date's age lies in the range, and both ends are someone's age.
    ages = {age_on(first + timedelta(days=k), on) for k in range(0, (last - first).days + 1, 7)}
    ages |= {age_on(first, on), age_on(last, on)}
    assert min(ages) == low and max(ages) == high
    if low == high:
        assert definite_age(birth, precision, on) == low
    else:
        assert definite_age(birth, precision, on) is None
    for years in (low, high, high + 1):
        verdict = reached(birth, precision, years, on)
        if all(a >= years for a in ages):
            assert verdict is True
        elif all(a < years for a in ages):
            assert verdict is False
        else:  # depends on the missing part of the birth date: unknown
            assert verdict is None
