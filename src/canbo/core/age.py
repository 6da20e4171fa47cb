"""One rule for a person's age on a date (tuổi), for every part of the system.

**The rule.** Civil Code 2015 (Bộ luật Dân sự số 91/2015/QH13) Art. 147(1): a period counted
from an event starts on the day after the event; Art. 148(2)–(3): a period of years ends at the
end of the corresponding day of the last year, and where that month has no corresponding day
the period ends on the last day of that month. Age is a period of whole years counted from the
birth date, so:

* a person born on day *d* of month *m* is *N* years old (đủ *N* tuổi) from the day *d/m* of
  the year *birth + N* on — the day the project's standards, retirement (Decree 135/2020
  Annex I) and Party rules treat as the day the age is reached (a person born 10/05/2000 is 18
  on 10/05/2018 and 17 on 09/05/2018);
* a person born on 29/02 has no corresponding day in a common year: the *N*-year period ends
  with the last day of February (28/02), so the person is *N* from 01/03 of that year (and
  from 29/02 in a leap year). Days 29–31 of other months fall the same way: they exist in the
  same month of every year, except 29/02.

``dateutil.relativedelta`` does not follow this rule for 29/02: it makes such a person turn
*N* on 28/02 of a common year, a day early.

**Uncertain birth dates.** A birth date known only to the month or year (precision
``month`` / ``year``, stored as the first day of that month or year) stands for an interval
of possible birth dates (:func:`birth_interval`); the age on a date is then a range
(:func:`age_range`) and :func:`definite_age` answers ``None`` (*unknown*) when the range holds
more than one age. A rule whose verdict is the same for every possible birth date is answered
normally (:func:`reached`).
"""

from __future__ import annotations

import calendar
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from canbo.core.standards.rules import Eligibility, RuleSet

__all__ = [
    "DAY",
    "MONTH",
    "PRECISIONS",
    "YEAR",
    "age_on",
    "age_range",
    "anniversary",
    "birth_interval",
    "definite_age",
    "minimum_age",
    "precision_reason",
    "reached",
    "reached_on",
]

DAY, MONTH, YEAR = "day", "month", "year"
PRECISIONS = (DAY, MONTH, YEAR)


def anniversary(birth: date, years: int) -> date:
    """The day a person born on ``birth`` becomes ``years`` old (Civil Code 2015 Art. 147–148):
    the same day and month ``years`` later; for a 29/02 birth in a common year, 01/03."""
    y = birth.year + years
    if birth.month == 2 and birth.day == 29 and not calendar.isleap(y):
        return date(y, 3, 1)
    return birth.replace(year=y)


def age_on(birth: date, on: date) -> int:
    """Whole years of age on ``on`` of a person born on ``birth`` (Civil Code 2015 Art. 147–148;
    see the module docstring). A date before the birth gives a negative number."""
    years = on.year - birth.year
    return years if on >= anniversary(birth, years) else years - 1


def birth_interval(birth: date, precision: str | None = DAY) -> tuple[date, date]:
    """The first and last possible birth date of a birth date stored with ``precision``:
    the day itself, the whole month, or the whole year (``None`` counts as ``day``)."""
    if precision in (None, "", DAY):
        return birth, birth
    if precision == MONTH:
        last = calendar.monthrange(birth.year, birth.month)[1]
        return date(birth.year, birth.month, 1), date(birth.year, birth.month, last)
    if precision == YEAR:
        return date(birth.year, 1, 1), date(birth.year, 12, 31)
    raise ValueError(f"unknown date precision {precision!r}")


def age_range(birth: date, precision: str | None, on: date) -> tuple[int, int]:
    """(least, greatest) possible age on ``on``: the latest possible birth date gives the least
    age, the earliest the greatest."""
    first, last = birth_interval(birth, precision)
    return age_on(last, on), age_on(first, on)


def definite_age(birth: date, precision: str | None, on: date) -> int | None:
    """The age on ``on`` when every possible birth date gives the same age, else ``None``."""
    low, high = age_range(birth, precision, on)
    return low if low == high else None


def reached(birth: date, precision: str | None, years: int, on: date) -> bool | None:
    """Whether the person is at least ``years`` old on ``on``: ``True`` / ``False`` when every
    possible birth date agrees, ``None`` (unknown) when it depends on the missing part."""
    low, high = age_range(birth, precision, on)
    if low >= years:
        return True
    if high < years:
        return False
    return None


def reached_on(birth: date, precision: str | None, years: int) -> tuple[date, date]:
    """The earliest and latest possible day on which the person becomes ``years`` old."""
    first, last = birth_interval(birth, precision)
    return anniversary(first, years), anniversary(last, years)


def precision_reason(birth: date, precision: str | None, years: int) -> tuple[str, str]:
    """The reason (Vietnamese, English) an age verdict is unknown: the birth date is known only
    to the month or year, so the day ``years`` is reached lies between two days."""
    a, b = reached_on(birth, precision, years)
    fa, fb = a.strftime("%d/%m/%Y"), b.strftime("%d/%m/%Y")
    if precision == MONTH:
        shown = birth.strftime("%m/%Y")
        return (
            f"Ngày sinh chỉ biết tháng, năm ({shown}): đủ {years} tuổi vào một ngày từ {fa} đến {fb}.",
            f"The birth date is known only to the month ({shown}): the age of {years} is reached"
            f" on a day from {fa} to {fb}.",
        )
    shown = str(birth.year)
    return (
        f"Ngày sinh chỉ biết năm ({shown}): đủ {years} tuổi vào một ngày từ {fa} đến {fb}.",
        f"The birth date is known only to the year ({shown}): the age of {years} is reached"
        f" on a day from {fa} to {fb}.",
    )


def minimum_age(purpose: str, on: date, rules: RuleSet | None = None) -> tuple[int, Eligibility] | None:
    """The minimum age (``min_age``) the rule set requires on ``on`` for ``purpose`` —
    ``employment`` (any commune post: Law 22/2008 Art. 36(1)(b), Law 80/2025 Art. 19(1)(c)) or
    ``party_admission`` (Party Charter 2011 Art. 1(1)) — with the rule that says so; ``None``
    when no rule in force sets one. The figure lives in the rule files, not in code."""
    from canbo.core.standards.rules import default_rules

    rules = rules or default_rules()
    for e in rules.eligibility:
        if e.purpose == purpose and "min_age" in e.conditions and e.in_force(on):
            return int(e.conditions["min_age"]), e
    return None
