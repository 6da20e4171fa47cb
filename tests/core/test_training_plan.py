"""The training plan optimiser (issue 13 §3, §8): small instances whose optimum is known by hand
and by enumerating every plan, one test per constraint that a breaking plan is not produced, the
greedy rule strictly worse on a constructed instance, impossible settings explained without a
crash, and property tests on random small instances."""

from __future__ import annotations

import itertools
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from canbo.core.training.catalogue import Course
from canbo.core.training.optimise import (
    DEADLINE_BONUS,
    Assignment,
    Instance,
    PlanNeed,
    PlanPerson,
    evaluate_plan,
    greedy,
    optimise,
    options,
)

Y = 2026


def course(code, months=12, cost=0, seats=10, kind="it", dim="it", level="basic", prereq=()):
    return Course(code, code, kind, months, cost, seats, dim, level, prerequisites=tuple(prereq))


def person(pid, unit=1, ranks=None, retire=None, **kw):
    return PlanPerson(pid, unit, ranks=ranks or {}, retire_month=retire, **kw)


def instance(courses, people, needs, years=3, **kw):
    return Instance(Y, years, {c.code: c for c in courses}, {p.person_id: p for p in people}, needs, **kw)


def need(i, pid, *codes, weight=1.0, deadline=None):
    return PlanNeed(i, pid, tuple(codes), weight, deadline)


def brute_force(inst: Instance) -> float:
    """The best objective over every subset of the candidate starts that breaks nothing."""
    xs = options(inst).x
    assert len(xs) <= 14, len(xs)
    best = 0.0
    for k in range(len(xs) + 1):
        for subset in itertools.combinations(xs, k):
            value, broken = evaluate_plan(inst, [Assignment(*a) for a in subset])
            if not broken:
                best = max(best, value)
    return best


def solved(inst: Instance):
    plan = optimise(inst, mip_rel_gap=0.0)
    value, broken = evaluate_plan(inst, plan.assignments)
    assert broken == []
    assert value == pytest.approx(plan.objective)
    return plan


# ----------------------------------------------------------------- known optimum


def test_one_person_one_course_by_hand():
    # a one-year course started in 2026 counts from 2027: 2027, 2028, 2029 (the first year after
    # the horizon) = 3 years in compliance
    inst = instance([course("IT")], [person(1)], [need(0, 1, "IT")])
    plan = solved(inst)
    assert plan.status == "optimal" and plan.gap == 0
    assert plan.assignments == [Assignment(1, "IT", Y)]
    assert plan.objective == 3
    assert plan.outcomes[0].counts_from == Y + 1


def test_deadline_bonus_and_leader_weight_by_hand():
    inst = instance(
        [course("IT", seats=1)],
        [person(1), person(2)],
        [need(0, 1, "IT", weight=2.0), need(1, 2, "IT", deadline=date(Y + 1, 7, 1))],
        years=1,
    )
    plan = solved(inst)
    # one seat: the leader (2 × 1 year) against the deadline (1 × (1 year + bonus))
    assert plan.objective == 1 + DEADLINE_BONUS == brute_force(inst)
    assert plan.assignments == [Assignment(2, "IT", Y)]


def test_a_chain_remedial_then_degree_counts_only_after_each_course_ends():
    thpt = course("THPT", months=36, kind="remedial", dim="general_education", level="upper_secondary")
    uni = course(
        "DH",
        months=24,
        kind="degree",
        dim="professional",
        level="university",
        prereq=[("general_education", "lower_secondary"), ("general_education", "upper_secondary")],
    )
    inst = instance(
        [thpt, uni],
        [person(1, ranks={"general_education": 2})],
        [need(0, 1, "DH")],
        years=5,
    )
    plan = solved(inst)
    assert plan.assignments == [Assignment(1, "THPT", Y), Assignment(1, "DH", Y + 3)]
    assert plan.outcomes[0].counts_from == Y + 5
    assert plan.objective == 1 == brute_force(inst)
    # a horizon one year shorter cannot hold the chain: the need stays open, with its reason
    short = instance(inst.courses.values(), inst.people.values(), inst.needs, years=4)
    plan = solved(short)
    assert plan.assignments == []
    assert "prerequisite" in plan.outcomes[0].reasons


@pytest.mark.parametrize("seed", range(6))
def test_optimum_equals_brute_force_on_tiny_instances(seed):
    import random

    rnd = random.Random(seed)
    a = course("A", months=rnd.choice([6, 12, 24]), cost=rnd.choice([0, 10, 20]), seats=1)
    b = course(
        "B",
        months=12,
        cost=10,
        seats=rnd.choice([1, 2]),
        dim="it",
        level="advanced",
        prereq=[("it", "basic")],
    )
    people = [person(i, unit=1 + i % 2) for i in range(1, 4)]
    needs = [need(0, 1, "A", weight=rnd.choice([1, 2])), need(1, 2, "A", "B"), need(2, 3, "B", weight=1.5)]
    inst = instance([a, b], people, needs, years=2, budget=rnd.choice([None, 15, 25]), away_share=0.5)
    assert solved(inst).objective == pytest.approx(brute_force(inst))


# ----------------------------------------------------------------- each constraint


def test_seats_one_seat_two_candidates():
    inst = instance(
        [course("IT", seats=1)], [person(1), person(2)], [need(0, 1, "IT"), need(1, 2, "IT")], years=1
    )
    plan = solved(inst)
    assert len(plan.assignments) == 1
    _, broken = evaluate_plan(inst, [Assignment(1, "IT", Y), Assignment(2, "IT", Y)])
    assert broken and "seats" in broken[0]
    assert [o.reasons for o in plan.outcomes if o.closed_by is None] == [["capacity"]]


def test_degree_seats_across_degree_courses():
    a = course("DA", kind="degree", dim="professional", level="university")
    b = course("DB", kind="degree", dim="professional", level="college")
    inst = instance(
        [a, b], [person(1), person(2)], [need(0, 1, "DA"), need(1, 2, "DB")], years=1, degree_seats=1
    )
    assert len(solved(inst).assignments) == 1


def test_yearly_budget_counts_each_year_of_a_long_course():
    # 24 months, 20 a course = 10 a year; budget 15 a year: only one person at a time
    inst = instance(
        [course("C", months=24, cost=20)],
        [person(1), person(2)],
        [need(0, 1, "C"), need(1, 2, "C")],
        years=4,
        budget=15,
    )
    plan = solved(inst)
    assert len(plan.assignments) == 2
    first, second = sorted(a.year for a in plan.assignments)
    assert second >= first + 2
    assert plan.objective == pytest.approx(brute_force(inst))


def test_one_long_course_at_a_time():
    inst = instance(
        [course("A", months=12), course("B", months=12, dim="foreign_language", level="level_3")],
        [person(1)],
        [need(0, 1, "A"), need(1, 1, "B")],
        years=1,
    )
    plan = solved(inst)
    assert len(plan.assignments) == 1
    _, broken = evaluate_plan(inst, [Assignment(1, "A", Y), Assignment(1, "B", Y)])
    assert any("two long courses" in b for b in broken)


def test_short_courses_may_overlap():
    inst = instance(
        [course("A", months=2), course("B", months=2, dim="foreign_language", level="level_3")],
        [person(1)],
        [need(0, 1, "A"), need(1, 1, "B")],
        years=1,
    )
    assert len(solved(inst).assignments) == 2


def test_share_of_a_unit_away():
    people = [person(i, unit=7) for i in range(1, 6)]
    needs = [need(i, i, "A") for i in range(1, 6)]
    inst = instance([course("A", months=12)], people, needs, years=1, away_share=0.4, staff={7: 5})
    assert len(solved(inst).assignments) == 2
    inst.away_share = 0.0
    assert solved(inst).assignments == []


def test_service_commitment_must_end_before_retirement():
    # 12-month course, 2× commitment = 24 more months: starting January 2026 it ends in January
    # 2029; retiring in December 2028 leaves no room, retiring in January 2029 just enough
    p = person(1, retire=2028 * 12 + 11, commitment={"degree_training": 2.0})
    deg = course("D", kind="degree", dim="professional", level="intermediate")
    plan = solved(instance([deg], [p], [need(0, 1, "D")], years=1))
    assert plan.assignments == [] and plan.outcomes[0].reasons == ["retirement"]
    p = person(1, retire=2029 * 12, commitment={"degree_training": 2.0})
    assert len(solved(instance([deg], [p], [need(0, 1, "D")], years=1)).assignments) == 1


def test_an_ineligible_person_is_not_sent_and_told_why():
    p = person(1, barred={"training": ("no_discipline_in_effect — kỷ luật (Luật 80/2025 Đ.38 k.2)",)})
    plan = solved(instance([course("IT")], [p], [need(0, 1, "IT")]))
    assert plan.assignments == []
    assert plan.outcomes[0].reasons == ["not_eligible"]
    assert "Đ.38" in plan.outcomes[0].details[0]


# ----------------------------------------------------------------- greedy


def test_greedy_is_strictly_worse_on_a_constructed_instance():
    # the urgent need (a deadline) takes the only seat by hand; the optimiser gives it to the
    # need worth more
    inst = instance(
        [course("IT", seats=1)],
        [person(1), person(2)],
        [need(0, 1, "IT", deadline=date(Y + 1, 7, 1)), need(1, 2, "IT", weight=5.0)],
        years=1,
    )
    g, o = greedy(inst), solved(inst)
    assert g.assignments == [Assignment(1, "IT", Y)]
    assert g.objective == 1 + DEADLINE_BONUS
    assert o.objective == 5 > g.objective


# ----------------------------------------------------------------- impossible settings


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (dict(seats=0), "no_seats"),
        (dict(budget=0), "no_budget"),
        (dict(degree_seats=0), "no_seats"),
        (dict(prereq=[("political_theory", "intermediate")]), "prerequisite"),
        (dict(months=48), "horizon"),
    ],
)
def test_impossible_settings_leave_the_need_open_with_its_reason(change, reason):
    c = course(
        "D",
        kind="degree",
        dim="professional",
        level="university",
        seats=change.get("seats", 5),
        cost=10,
        months=change.get("months", 12),
        prereq=change.get("prereq", ()),
    )
    inst = instance(
        [c],
        [person(1)],
        [need(0, 1, "D")],
        budget=change.get("budget"),
        degree_seats=change.get("degree_seats"),
    )
    for plan in (optimise(inst), greedy(inst)):
        assert plan.assignments == []
        assert plan.objective == 0
        assert reason in plan.outcomes[0].reasons


def test_no_course_and_a_past_deadline():
    inst = instance(
        [course("IT")],
        [person(1)],
        [need(0, 1), need(1, 1, "IT", deadline=date(Y - 1, 7, 1))],
    )
    plan = solved(inst)
    assert plan.outcomes[0].reasons == ["no_course"]
    late = plan.outcomes[1]
    assert late.closed_by is not None and late.on_time is False and late.reasons == ["deadline_passed"]


def test_an_empty_instance_is_a_plan_too():
    plan = optimise(instance([], [], []))
    assert plan.assignments == [] and plan.status == "empty" and plan.outcomes == []


def test_a_time_limit_returns_a_valid_plan_marked_as_such():
    people = [person(i, unit=i % 9) for i in range(300)]
    courses = [course(f"C{k}", months=12 * (1 + k % 3), cost=5 + k, seats=4) for k in range(6)]
    needs = [need(i, i, f"C{i % 6}", f"C{(i + 1) % 6}", weight=1 + i % 4) for i in range(300)]
    inst = instance(courses, people, needs, years=5, budget=200, away_share=0.3)
    plan = optimise(inst, time_limit=0.0)
    assert plan.status in {"time_limit", "optimal"}
    assert evaluate_plan(inst, plan.assignments)[1] == []
    if plan.status == "time_limit":
        assert plan.gap is None or plan.gap >= 0


# ----------------------------------------------------------------- properties


@st.composite
def small_instances(draw):
    n_courses = draw(st.integers(1, 3))
    dims = [("it", "basic"), ("it", "advanced"), ("foreign_language", "level_3")]
    courses = []
    for k in range(n_courses):
        d, lv = dims[k]
        prereq = [("it", "basic")] if (d, lv) == ("it", "advanced") and draw(st.booleans()) else []
        courses.append(
            course(
                f"C{k}",
                months=draw(st.sampled_from([2, 6, 12, 24])),
                cost=draw(st.sampled_from([0, 5, 10])),
                seats=draw(st.integers(0, 2)),
                kind=draw(st.sampled_from(["it", "degree"])),
                dim=d,
                level=lv,
                prereq=prereq,
            )
        )
    n_people = draw(st.integers(1, 3))
    people = [
        person(
            i,
            unit=draw(st.integers(1, 2)),
            retire=draw(st.sampled_from([None, 2027 * 12 + 6, 2030 * 12])),
            commitment={"training": draw(st.sampled_from([0.0, 1.0]))},
        )
        for i in range(n_people)
    ]
    needs = []
    for i in range(n_people):
        for code in draw(st.lists(st.sampled_from([c.code for c in courses]), max_size=2, unique=True)):
            needs.append(
                need(
                    len(needs),
                    i,
                    code,
                    weight=draw(st.sampled_from([1.0, 1.5, 2.0])),
                    deadline=draw(st.sampled_from([None, date(Y + 1, 7, 1), date(Y + 2, 1, 1)])),
                )
            )
    return instance(
        courses,
        people,
        needs,
        years=draw(st.integers(1, 3)),
        budget=draw(st.sampled_from([None, 0, 5, 12])),
        degree_seats=draw(st.sampled_from([None, 0, 1])),
        away_share=draw(st.sampled_from([0.0, 0.5, 1.0])),
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_instances())
def test_property_optimiser_at_least_greedy_and_every_constraint_holds(inst):
    o, g = optimise(inst, mip_rel_gap=0.0), greedy(inst)
    assert evaluate_plan(inst, o.assignments)[1] == []
    assert evaluate_plan(inst, g.assignments)[1] == []
    assert o.objective >= g.objective - 1e-6
    if len(options(inst).x) <= 10:
        assert o.objective == pytest.approx(brute_force(inst))


def test_relax_and_fix_for_a_province_proves_its_gap_against_the_relaxation():
    import random

    rnd = random.Random(7)
    courses = [
        course(
            f"C{k}",
            months=rnd.choice([2, 12, 24, 36]),
            cost=rnd.choice([5, 10, 20]),
            seats=rnd.choice([2, 3, 5]),
        )
        for k in range(6)
    ]
    people = [person(i, unit=i % 12, retire=rnd.choice([None, 2029 * 12])) for i in range(200)]
    needs = [
        need(
            i,
            i,
            *rnd.sample([c.code for c in courses], 2),
            weight=rnd.choice([1, 1.5, 2, 3]),
            deadline=rnd.choice([None, date(Y + 2, 7, 1)]),
        )
        for i in range(200)
    ]
    inst = instance(courses, people, needs, years=4, budget=150, degree_seats=None, away_share=0.3)
    g = greedy(inst)
    exact = optimise(inst, mip_rel_gap=0.0)
    fast = optimise(inst, start=g, large=0, mip_rel_gap=0.01)
    assert evaluate_plan(inst, fast.assignments)[1] == []
    assert g.objective <= fast.objective <= exact.objective + 1e-6
    assert fast.bound is not None and fast.bound >= exact.objective - 1e-6
    assert fast.gap == pytest.approx((fast.bound - fast.objective) / fast.bound)
    assert fast.status in {"optimal", "gap_above_tolerance"}
    assert (fast.status == "optimal") == (fast.gap <= 0.01)
