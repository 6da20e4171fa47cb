"""The repayment function (Decree 171/2025 Art. 6–8, 41(6); Decree 101/2017 before it) beyond the
legal cases (src/canbo/rules/cases/repayment.yaml): bad input refused, limits of the formula."""

from __future__ import annotations

from datetime import date

import pytest

from canbo.core.training.repayment import default_rules, repayment

ON = date(2026, 3, 1)


def test_the_rules_are_dated_without_gap_or_overlap():
    rules = sorted(default_rules(), key=lambda r: r.valid_from)
    assert [r.id for r in rules] == ["nd-101-2017.repayment", "nd-171-2025.repayment"]
    assert rules[0].valid_to == date(2025, 6, 30) and rules[1].valid_from == date(2025, 7, 1)
    assert not rules[0].verified and rules[1].verified


@pytest.mark.parametrize(
    "kwargs",
    [
        {"reason": "ran_away"},
        {"reason": "no_degree", "exemption": "luck"},
        {"reason": "no_degree", "cost": -1},
        {"reason": "left_after_graduation", "served_months": -2},
    ],
)
def test_bad_input_is_refused(kwargs):
    with pytest.raises(ValueError):
        repayment(on=ON, **{"cost": 1000, **kwargs})


def test_no_rule_before_decree_101():
    assert repayment(on=date(2010, 1, 1), reason="no_degree", cost=1000).basis == "no_rule"


def test_the_reduction_never_makes_the_amount_negative():
    r = repayment(on=ON, reason="no_degree", cost=1000, prior_service_years=80, female=True)
    assert r.amount == 0 and r.reduction == 1.0


def test_pro_rata_rounds_to_the_dong_and_falls_with_each_month_served():
    amounts = [
        repayment(
            on=ON, reason="left_after_graduation", cost=10_000_000, commitment_months=72, served_months=m
        ).amount
        for m in range(0, 73, 12)
    ]
    assert amounts[0] == 10_000_000 and amounts[-1] == 0
    assert amounts == sorted(amounts, reverse=True) and len(set(amounts)) == len(amounts)
    assert repayment(
        on=ON, reason="left_after_graduation", cost=10_000_000, commitment_months=72, served_months=1
    ).amount == round(10_000_000 * 71 / 72)
