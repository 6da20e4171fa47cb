"""The one age rule (canbo.core.age): Civil Code 2015 Art. 147–148. Expected values are worked
out by hand from the dates, not by the code under test."""

from datetime import date

import pytest

from canbo.core import age


@pytest.mark.parametrize(
    ("birth", "on", "expected"),
    [
        # the day before and the day of the 18th birthday
        (date(2000, 5, 10), date(2018, 5, 9), 17),
        (date(2000, 5, 10), date(2018, 5, 10), 18),
        (date(2000, 5, 10), date(2018, 5, 11), 18),
        # days 29–31 of a month
        (date(1990, 1, 31), date(2008, 1, 30), 17),
        (date(1990, 1, 31), date(2008, 1, 31), 18),
        (date(1990, 3, 31), date(2008, 3, 30), 17),
        (date(1990, 3, 31), date(2008, 3, 31), 18),
        (date(1990, 4, 30), date(2008, 4, 29), 17),
        (date(1990, 4, 30), date(2008, 4, 30), 18),
        (date(1990, 12, 31), date(2008, 12, 30), 17),
        (date(1990, 12, 31), date(2008, 12, 31), 18),
        (date(1990, 12, 31), date(2009, 1, 1), 18),
        (date(1991, 1, 1), date(2008, 12, 31), 17),
        # 29/02: in a common year the age is reached on 01/03, not on 28/02
        (date(2000, 2, 29), date(2018, 2, 28), 17),
        (date(2000, 2, 29), date(2018, 3, 1), 18),
        (date(2000, 2, 29), date(2019, 2, 28), 18),
        (date(2000, 2, 29), date(2019, 3, 1), 19),
        # in a leap year on 29/02 itself
        (date(2000, 2, 29), date(2020, 2, 28), 19),
        (date(2000, 2, 29), date(2020, 2, 29), 20),
        (date(1996, 2, 29), date(2014, 2, 28), 17),
        (date(1996, 2, 29), date(2014, 3, 1), 18),
        # 28/02 and 01/03 births are not moved
        (date(2000, 2, 28), date(2018, 2, 28), 18),
        (date(2000, 3, 1), date(2018, 2, 28), 17),
        (date(2000, 3, 1), date(2018, 3, 1), 18),
        # the birth day itself, and before it
        (date(2000, 5, 10), date(2000, 5, 10), 0),
        (date(2000, 5, 10), date(2000, 5, 9), -1),
        (date(1962, 8, 15), date(2024, 8, 14), 61),
        (date(1962, 8, 15), date(2024, 8, 15), 62),
    ],
)
def test_age_on(birth, on, expected):
    assert age.age_on(birth, on) == expected


def test_anniversary():
    assert age.anniversary(date(2000, 2, 29), 18) == date(2018, 3, 1)
    assert age.anniversary(date(2000, 2, 29), 20) == date(2020, 2, 29)
    assert age.anniversary(date(1990, 1, 31), 18) == date(2008, 1, 31)


def test_birth_interval():
    assert age.birth_interval(date(1960, 1, 1), "year") == (date(1960, 1, 1), date(1960, 12, 31))
    assert age.birth_interval(date(1960, 2, 1), "month") == (date(1960, 2, 1), date(1960, 2, 29))
    assert age.birth_interval(date(1961, 2, 1), "month") == (date(1961, 2, 1), date(1961, 2, 28))
    assert age.birth_interval(date(1960, 4, 1), "month") == (date(1960, 4, 1), date(1960, 4, 30))
    assert age.birth_interval(date(1960, 4, 7), "day") == (date(1960, 4, 7), date(1960, 4, 7))
    assert age.birth_interval(date(1960, 4, 7), None) == (date(1960, 4, 7), date(1960, 4, 7))
    with pytest.raises(ValueError):
        age.birth_interval(date(1960, 4, 7), "week")


def test_year_only_birth():
    # born 1960, known to the year: on 01/06/2000 the age is 39 (born after 01/06) or 40
    assert age.age_range(date(1960, 1, 1), "year", date(2000, 6, 1)) == (39, 40)
    assert age.definite_age(date(1960, 1, 1), "year", date(2000, 6, 1)) is None
    # on 31/12/2000 every birth date in 1960 gives 40
    assert age.definite_age(date(1960, 1, 1), "year", date(2000, 12, 31)) == 40
    # born 1960: within an age limit of 45 whatever the day, in 2000
    assert age.reached(date(1960, 1, 1), "year", 46, date(2000, 6, 1)) is False
    assert age.reached(date(1960, 1, 1), "year", 18, date(2000, 6, 1)) is True
    # 18 in 2007 for a 1989 birth: unknown in the year, certain on its last day, impossible the day before 01/01
    assert age.reached(date(1989, 1, 1), "year", 18, date(2006, 12, 31)) is False
    assert age.reached(date(1989, 1, 1), "year", 18, date(2007, 1, 1)) is None
    assert age.reached(date(1989, 1, 1), "year", 18, date(2007, 12, 30)) is None
    assert age.reached(date(1989, 1, 1), "year", 18, date(2007, 12, 31)) is True


def test_month_only_birth():
    # born 05/1989: 18 from some day in 05/2007
    assert age.reached(date(1989, 5, 1), "month", 18, date(2007, 4, 30)) is False
    assert age.reached(date(1989, 5, 1), "month", 18, date(2007, 5, 1)) is None
    assert age.reached(date(1989, 5, 1), "month", 18, date(2007, 5, 30)) is None
    assert age.reached(date(1989, 5, 1), "month", 18, date(2007, 5, 31)) is True
    # born 02/2000 (a leap February): the 29/02 birth turns 18 on 01/03/2018
    assert age.reached_on(date(2000, 2, 1), "month", 18) == (date(2018, 2, 1), date(2018, 3, 1))
    assert age.reached(date(2000, 2, 1), "month", 18, date(2018, 2, 28)) is None
    assert age.reached(date(2000, 2, 1), "month", 18, date(2018, 3, 1)) is True


def test_precision_reason_names_the_days():
    vi, en = age.precision_reason(date(1989, 1, 1), "year", 18)
    assert "chỉ biết năm (1989)" in vi and "01/01/2007" in vi and "31/12/2007" in vi
    assert "only to the year (1989)" in en and "01/01/2007" in en and "31/12/2007" in en
    vi, en = age.precision_reason(date(1989, 5, 1), "month", 18)
    assert "tháng, năm (05/1989)" in vi and "01/05/2007" in vi and "31/05/2007" in vi
    assert "to the month (05/1989)" in en


def test_minimum_ages_come_from_the_rule_set():
    years, rule = age.minimum_age("party_admission", date(2020, 1, 1))
    assert years == 18 and rule.id == "dl-dang-2011.party-admission.min-age"
    assert (
        age.minimum_age("party_admission", date(2011, 1, 18)) is None
    )  # before the 2011 Charter: not in the rule set
    years, rule = age.minimum_age("employment", date(2024, 12, 31))
    assert years == 18 and rule.id == "nd-33-2023.employment.min-age"
    assert age.minimum_age("employment", date(2025, 6, 30))[1].id == "nd-33-2023.employment.min-age"
    assert age.minimum_age("employment", date(2025, 7, 1))[1].id == "luat-80-2025.employment.min-age"
    assert age.minimum_age("employment", date(2009, 12, 31))[1].id == "qd-04-2004.employment.min-age"
    assert age.minimum_age("employment", date(2004, 1, 15)) is None  # before the first rule: none
