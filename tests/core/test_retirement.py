"""Tests for canbo.core.retirement (Labour Code 2019 Art. 169; Decree 135/2020/NĐ-CP Annex I).

The table cases are the rows of ``/work/shared/legal/bang-tuoi-nghi-huu-nd-135-2020.md``
(birth month | birth year | retirement month | retirement year).
"""

from datetime import date

import pytest

from canbo.core.retirement import (
    months_to_retirement,
    normal_retirement_age_months,
    retirement_age_months,
    retirement_date,
)

# Annex I, men retiring in 2026 at 61y6m.
MEN_2026 = [
    (10, 1964, 5, 2026), (11, 1964, 6, 2026), (12, 1964, 7, 2026), (1, 1965, 8, 2026),
    (2, 1965, 9, 2026), (3, 1965, 10, 2026), (4, 1965, 11, 2026), (5, 1965, 12, 2026),
    (6, 1965, 1, 2027),
]  # fmt: skip
# Annex I, women retiring in 2026 at 57y.
WOMEN_2026 = [
    (5, 1969, 6, 2026), (6, 1969, 7, 2026), (7, 1969, 8, 2026), (8, 1969, 9, 2026),
    (9, 1969, 10, 2026), (10, 1969, 11, 2026), (11, 1969, 12, 2026), (12, 1969, 1, 2027),
]  # fmt: skip


@pytest.mark.parametrize(("bm", "by", "rm", "ry"), MEN_2026)
def test_table_men_2026(bm, by, rm, ry):
    birth = date(by, bm, 17)
    assert retirement_age_months(birth, "male") == 61 * 12 + 6
    assert retirement_date(birth, "male") == date(ry, rm, 1)


@pytest.mark.parametrize(("bm", "by", "rm", "ry"), WOMEN_2026)
def test_table_women_2026(bm, by, rm, ry):
    birth = date(by, bm, 3)
    assert retirement_age_months(birth, "female") == 57 * 12
    assert retirement_date(birth, "female") == date(ry, rm, 1)


def test_legal_md_2026_check():
    assert divmod(normal_retirement_age_months(2026, "male"), 12) == (61, 6)
    assert divmod(normal_retirement_age_months(2026, "female"), 12) == (57, 0)


@pytest.mark.parametrize(
    ("year", "men", "women"),
    [
        (2020, (60, 0), (55, 0)),
        (2021, (60, 3), (55, 4)),
        (2022, (60, 6), (55, 8)),
        (2027, (61, 9), (57, 4)),
        (2028, (62, 0), (57, 8)),
        (2034, (62, 0), (59, 8)),
        (2035, (62, 0), (60, 0)),
        (2050, (62, 0), (60, 0)),
    ],
)
def test_roadmap(year, men, women):
    assert divmod(normal_retirement_age_months(year, "male"), 12) == men
    assert divmod(normal_retirement_age_months(year, "female"), 12) == women


def test_first_roadmap_year_men_born_1_1961():
    birth = date(1961, 1, 20)
    assert retirement_age_months(birth, "male") == 60 * 12 + 3
    assert retirement_date(birth, "male") == date(2021, 5, 1)


def test_women_born_1_1966():
    birth = date(1966, 1, 1)
    assert retirement_age_months(birth, "female") == 55 * 12 + 4
    assert retirement_date(birth, "female") == date(2021, 6, 1)


def test_reaching_age_before_2021_uses_labour_code_2012():
    assert retirement_age_months(date(1960, 12, 31), "male") == 720
    assert retirement_date(date(1960, 12, 31), "male") == date(2021, 1, 1)
    assert retirement_age_months(date(1965, 6, 1), "female") == 660
    assert retirement_date(date(1965, 6, 1), "female") == date(2020, 7, 1)


def test_year_boundary_men_1961():
    # 9/1961 reaches 60y3m in 12/2021; 10/1961 would reach it only in 1/2022, so gets 60y6m.
    assert retirement_age_months(date(1961, 9, 1), "male") == 723
    assert retirement_date(date(1961, 9, 1), "male") == date(2022, 1, 1)
    assert retirement_age_months(date(1961, 10, 1), "male") == 726
    assert retirement_date(date(1961, 10, 1), "male") == date(2022, 5, 1)


def test_men_born_1966_cap_at_62():
    # 3/1966 reaches the 2027 age (61y9m) in 12/2027; from 4/1966 the 62-year cap applies.
    assert retirement_age_months(date(1966, 3, 1), "male") == 61 * 12 + 9
    assert retirement_age_months(date(1966, 4, 1), "male") == 62 * 12
    assert retirement_date(date(1966, 4, 1), "male") == date(2028, 5, 1)
    assert retirement_age_months(date(1980, 7, 1), "male") == 62 * 12


def test_women_born_1975_cap_at_60():
    assert retirement_age_months(date(1975, 4, 1), "female") == 59 * 12 + 8
    assert retirement_date(date(1975, 4, 1), "female") == date(2035, 1, 1)
    assert retirement_age_months(date(1975, 5, 1), "female") == 60 * 12
    assert retirement_date(date(1975, 5, 1), "female") == date(2035, 6, 1)
    assert retirement_age_months(date(1990, 1, 1), "female") == 60 * 12


def test_day_of_birth_is_ignored():
    assert retirement_date(date(1965, 1, 1), "male") == retirement_date(date(1965, 1, 31), "male")


def test_months_to_retirement():
    birth = date(1964, 10, 5)  # retires 1/5/2026
    assert months_to_retirement(birth, "male", date(2026, 1, 15)) == 4
    assert months_to_retirement(birth, "male", date(2026, 4, 30)) == 1
    assert months_to_retirement(birth, "male", date(2026, 5, 1)) == 0
    assert months_to_retirement(birth, "male", date(2027, 5, 1)) == -12


def test_bad_sex():
    with pytest.raises(ValueError):
        retirement_age_months(date(1970, 1, 1), "nam")
