"""canbo.core.importing on a big, messy list: 20,000 people typed every which way (no database).

No time is asserted (DESIGN.md conventions); ``bench/`` measures speed. This checks that a list
of that size is read whole, that the mistakes planted in it are all found where they are, and
nothing else is reported as an error.
"""

from __future__ import annotations

import pytest
from importing_fixtures import context, messy_workbook, person

from canbo.core.importing import read_list

N = 20_000


@pytest.fixture(scope="module")
def plan():
    return read_list(messy_workbook(N), context(), filename="messy.xlsx")


def by_index(plan, i: int):
    """The row of person ``i`` (rows are in order; numbered 1… in the STT column)."""
    return plan.rows[i]


def test_every_person_is_read(plan):
    assert len(plan.rows) == N
    assert plan.header_rows == (7, 8)
    # blank rows were planted after people 100, 5099, 10098, 15097
    assert plan.rows[0].row == 10 and plan.rows[-1].row == 10 + N - 1 + 4
    assert all(r.unit_code in {"90001", "90002", "90003"} for r in plan.rows if r.ok)
    assert all(r.title_code for r in plan.rows if r.ok)
    assert sum(1 for r in plan.rows if r.birth_date) >= N - N // 997 - 1


def test_planted_mistakes_are_found_where_they_are(plan):
    errors = {}
    for p in plan.errors:
        errors.setdefault(p.code, []).append(p)
    assert set(errors) == {"bad_date", "unknown_unit", "bad_identity_number", "identity_number_not_restored"}
    # a number that lost its leading zero on a row whose birth date cannot be read: not restored
    unchecked = [i for i in range(N) if i % 13 == 0 and i % 997 == 5]
    assert [p.row for p in errors["identity_number_not_restored"]] == [
        by_index(plan, i).row for i in unchecked
    ]
    assert all("không có năm sinh" in p.message_vi for p in errors["identity_number_not_restored"])
    bad_dates = [i for i in range(N) if i % 997 == 5]
    assert len(errors["bad_date"]) == len(bad_dates)
    assert {p.value for p in errors["bad_date"]} == {"31/02/1980"}
    assert {p.column for p in errors["bad_date"]} <= {"C", "D"}
    assert len(errors["unknown_unit"]) == len([i for i in range(N) if i % 1009 == 7])
    assert {(p.column, p.value) for p in errors["unknown_unit"]} == {("I", "Xã Không Có")}
    assert len(errors["bad_identity_number"]) == len([i for i in range(N) if i % 1013 == 3])
    for p in plan.errors:
        assert p.sheet == "Danh sách" and p.row and p.column and p.header


def test_numbers_in_the_identity_column_get_their_zero_back(plan):
    padded = [p for p in plan.warnings if p.code == "identity_number_as_number"]
    expected = [i for i in range(N) if i % 13 == 0 and i % 1013 != 3 and i % 997 != 5]
    assert len(padded) == len(expected)
    by_row = {r.row: r for r in plan.rows}
    first = by_row[padded[0].row]
    assert first.identity_number == person(0).identity


def test_names_in_capitals_are_title_cased(plan):
    assert plan.rows[0].full_name == person(0).name  # typed in capitals
    assert plan.rows[17].full_name == person(17).name
