"""From the needs (:mod:`.needs`) to a planning instance (:mod:`.optimise`): the weights of
issue 13 §3 — leadership posts, especially difficult communes — and each person's retirement,
eligibility and service commitment under the rules of the planning date."""

from __future__ import annotations

from .catalogue import Course
from .needs import NeedsResult
from .optimise import DIFFICULT_WEIGHT, LEADER_WEIGHT, Instance, PlanNeed, PlanPerson

__all__ = ["build_instance"]


def build_instance(
    result: NeedsResult,
    catalogue: list[Course],
    start_year: int,
    years: int,
    *,
    budget: float | None = None,
    degree_seats: int | None = None,
    away_share: float = 0.2,
) -> Instance:
    """The planning instance of ``result`` over ``start_year`` … ``start_year + years − 1``."""
    people = {}
    for pid, p in result.people.items():
        weight = (LEADER_WEIGHT if p.leader else 1.0) * (DIFFICULT_WEIGHT if p.especially_difficult else 1.0)
        people[pid] = PlanPerson(
            person_id=pid,
            unit_id=p.unit_id,
            weight=weight,
            ranks=dict(p.ranks),
            retire_month=None if p.retirement is None else p.retirement.year * 12 + p.retirement.month - 1,
            barred={k: e.unmet for k, e in p.eligibility.items() if e.status == "unmet"},
            commitment={k: e.commitment_multiple for k, e in p.eligibility.items()},
            name=p.name,
        )
    needs = [
        PlanNeed(
            need_id=i,
            person_id=n.person_id,
            courses=n.courses,
            weight=people[n.person_id].weight if n.person_id in people else 1.0,
            deadline=n.deadline,
            label=f"{n.criterion}:{n.required}",
        )
        for i, n in enumerate(result.needs)
    ]
    return Instance(
        start_year=start_year,
        years=years,
        courses={c.code: c for c in catalogue},
        people=people,
        needs=needs,
        budget=budget,
        degree_seats=degree_seats,
        away_share=away_share,
        staff=dict(result.staff),
    )
