"""Normal retirement age (tuổi nghỉ hưu trong điều kiện lao động bình thường).

Sources: Labour Code 2019 (45/2019/QH14) Art. 169(2); Decree 135/2020/NĐ-CP (18/11/2020)
Art. 4 and its Annex I; ``legal/bang-tuoi-nghi-huu-nd-135-2020.md``; ``domain/LEGAL.md`` §8.

* Before 2021 (Labour Code 2012 Art. 187): men 60, women 55.
* From 2021 the age rises each calendar year: men 60y3m in 2021, +3 months a year, 62 from 2028;
  women 55y4m in 2021, +4 months a year, 60 from 2035.

The age that applies is that of the **calendar year in which the person reaches it**. Annex I
of Decree 135 maps each birth month/year to an age and to the month/year retirement takes
effect; e.g. a man born 10/1964 reaches 61y6m (the 2026 age) in 4/2026, so his row reads
"61y6m — 5/2026", while a man born 9/1964 reaches the 2025 age (61y3m) in 12/2025. The
computation therefore walks the calendar years until the age of year Y is reached within Y.

Only the birth month and year matter: the day of birth is ignored (Annex I is keyed by month).
Retirement takes effect from the **first day of the month after** the month in which the age
is reached (the month/year column of Annex I, the month from which the pension is paid;
the retirement moment itself is the end of the last day of the month of reaching the age).
:func:`retirement_date` returns that first day.

The ages are read from the rule set (``retirement`` entries of ``rules/blld-1994.yaml``,
``blld-2012.yaml``, ``blld-2019.yaml``) through the standards engine's
:func:`canbo.core.standards.engine.retirement_month`, so the generator, the engine and these
helpers share one source; no figure is written here.

Earlier (Decree 135 Art. 5, up to 5 years earlier) or later (Labour Code Art. 169(4))
retirement, and postponement for civil servants (Decree 170/2025 Art. 61), are not handled here.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from canbo.core.standards.rules import RuleSet

__all__ = [
    "months_to_retirement",
    "normal_retirement_age_months",
    "retirement_age_months",
    "retirement_date",
]


def _check_sex(sex: str) -> None:
    if sex not in ("male", "female"):
        raise ValueError(f"sex must be 'male' or 'female', not {sex!r}")


def _rules(rules: RuleSet | None) -> RuleSet:
    from canbo.core.standards.rules import default_rules

    return rules or default_rules()


def normal_retirement_age_months(year: int, sex: str, rules: RuleSet | None = None) -> int:
    """The normal retirement age (in months) for people who reach it during ``year``, from the
    rule set: Labour Code 2019 Art. 169(2) and Decree 135/2020/NĐ-CP Art. 4(2); before 2021
    the Labour Code 2012 / 1994 ages (60/55). E.g. 2026: men 61y6m (738), women 57y (684)."""
    from canbo.core.standards.engine import _age_in_year

    _check_sex(sex)
    months = _age_in_year(_rules(rules), sex, year)
    if months is None:
        raise ValueError(f"the rule set has no retirement age for {sex} in {year}")
    return months


def _retirement(birth: date, sex: str, rules: RuleSet | None = None) -> tuple[int, int]:
    """(age in months, month index of reaching it) where month index = year*12 + month-1."""
    _check_sex(sex)
    if rules is None:
        return _retirement_by_month(birth.year, birth.month, sex)
    return _compute(birth.year, birth.month, sex, rules)


@lru_cache(maxsize=8192)
def _retirement_by_month(birth_year: int, birth_month: int, sex: str) -> tuple[int, int]:
    # Only the birth month and year matter, so the answer is cached per month (national rules).
    return _compute(birth_year, birth_month, sex, _rules(None))


def _compute(birth_year: int, birth_month: int, sex: str, rules: RuleSet) -> tuple[int, int]:
    from canbo.core.standards.engine import retirement_month

    reached = retirement_month(birth_year, birth_month, sex, rules)
    if reached is None:
        raise ValueError(f"the rule set has no retirement age for {sex} born {birth_month:02d}/{birth_year}")
    return reached - (birth_year * 12 + birth_month - 1), reached


def retirement_age_months(birth: date, sex: str, rules: RuleSet | None = None) -> int:
    """Normal retirement age in months for a person born on ``birth`` (Decree 135/2020 Annex I).

    ``sex`` is ``"male"`` or ``"female"``. E.g. a man born 1/1961 → 723 (60y3m); a woman born
    1/1966 → 664 (55y4m).
    """
    return _retirement(birth, sex, rules)[0]


def retirement_date(birth: date, sex: str, rules: RuleSet | None = None) -> date:
    """First day of the month from which normal retirement takes effect.

    This is the month after the month in which the person reaches the age of
    :func:`retirement_age_months` — the "month/year of retirement" column of Decree 135/2020
    Annex I. E.g. a man born 1/1961 → 1/5/2021.
    """
    _age, reached = _retirement(birth, sex, rules)
    effective = reached + 1
    return date(effective // 12, effective % 12 + 1, 1)


def months_to_retirement(birth: date, sex: str, on: date, rules: RuleSet | None = None) -> int:
    """Calendar months from the month of ``on`` to the month retirement takes effect.

    0 means retirement takes effect in the month of ``on`` (or ``on`` is that very month);
    1 means next month; negative values count months since retirement took effect. The day of
    ``on`` is ignored, like the day of birth (Decree 135/2020 Annex I works in months).
    """
    effective = retirement_date(birth, sex, rules)
    return (effective.year * 12 + effective.month) - (on.year * 12 + on.month)
