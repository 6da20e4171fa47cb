"""The multi-year training plan (issue 13 §3): who attends which course in which year.

A mixed-integer programme solved by HiGHS (``highspy``). Time is in calendar years: a course
starting in year ``y`` runs ``ceil(months / 12)`` years and its qualification counts from the
January after it ends, ``f = y + years`` — "a qualification counts only after the course ends".

Variables: ``x[p, c, y]`` (binary) — person ``p`` starts course ``c`` in year ``y`` of the horizon;
``z[n, c, y]`` (continuous in [0, 1]) — need ``n`` is closed by that course.

Objective — weighted compliance reached: each need ``n`` closed by a course whose qualification
counts from ``f`` is worth ``w_n × (years_in_compliance + bonus)``, where ``years_in_compliance``
are the years from ``f`` to the end of the horizon (inclusive of the first year after it) during
which the person is still in service — so that years of service left weigh — and ``bonus`` =
:data:`DEADLINE_BONUS` if the need has a legal deadline and the course ends by it (to the month,
the course starting in January). ``w_n`` = 1, × :data:`LEADER_WEIGHT` for a leadership post, × :data:`DIFFICULT_WEIGHT` in an
especially difficult commune. These weights are a documented policy choice, not law.

Constraints:

* a need is closed at most once, and only by a course taken: ``Σ z[n, ·] ≤ 1``, ``z ≤ x``;
* a course is taken at most once per person;
* seats: ``Σ_p x[p, c, y] ≤ seats_per_year(c)``; degree seats (all degree courses together, the
  story's ~18 a year) ``≤ degree_seats`` when given;
* budget: each course's cost is paid in equal parts over the years it runs; per year ``≤ budget``;
* one long course (:data:`~canbo.core.training.catalogue.LONG_COURSE_MONTHS`) at a time per person;
* at most ``away_share`` of a unit's staff in long courses in any year (at least one person when
  the share is positive — a commune of three may still send one);
* prerequisites: a course needing a level the person lacks may start only when a course awarding
  it has ended: ``x[p, c, y] ≤ Σ x[p, c', y']`` over ``y' + years(c') ≤ y`` (chains: remedial
  upper-secondary education, then a degree);
* before retirement: the course and the service commitment (the eligibility rule's multiple of
  the training period: Decree 101/2017, 2×; Decree 171/2025 Art. 5(3), 3× for postgraduate
  training) end before the person's earliest retirement date — options that do not are not
  created, nor are options of a course the person is not eligible for.

The plan never fails: impossible settings (no seats, no budget, a deadline already past, an
unreachable prerequisite, no course in the catalogue) leave needs open, each with its reasons.
:func:`greedy` is the rule by hand — most urgent first, earliest feasible course within the
seats and budget left — evaluated by the same :func:`evaluate_plan`.
"""

from __future__ import annotations

import math
import os
import sys
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np

from canbo.core.scales import rank

from .catalogue import Course

__all__ = [
    "DEADLINE_BONUS",
    "DIFFICULT_WEIGHT",
    "LEADER_WEIGHT",
    "Assignment",
    "Instance",
    "NeedOutcome",
    "Plan",
    "PlanNeed",
    "PlanPerson",
    "evaluate_plan",
    "greedy",
    "optimise",
    "options",
]

LEADER_WEIGHT = 2.0
DIFFICULT_WEIGHT = 1.5
DEADLINE_BONUS = 3.0

REASONS = {
    "no_course": ("Danh mục không có khóa học nào đáp ứng", "No course in the catalogue closes it"),
    "not_eligible": ("Không đủ điều kiện được cử đi học", "Not eligible to be sent"),
    "retirement": (
        "Không đủ thời gian học và thời gian cam kết phục vụ trước tuổi nghỉ hưu",
        "The course and the service commitment do not fit before retirement",
    ),
    "horizon": ("Khóa học không kết thúc trong kỳ kế hoạch", "The course cannot end within the horizon"),
    "prerequisite": (
        "Không thể đạt trình độ cần có trước trong kỳ kế hoạch",
        "The prerequisite cannot be reached within the horizon",
    ),
    "no_seats": ("Không có chỉ tiêu", "No seats"),
    "no_budget": ("Không có kinh phí", "No budget"),
    "deadline_passed": ("Thời hạn đã qua trước kỳ kế hoạch", "The deadline passed before the horizon"),
    "late": ("Chỉ có thể đạt sau thời hạn", "Can only be met after the deadline"),
    "capacity": (
        "Chỉ tiêu, kinh phí hoặc tỷ lệ vắng mặt đã dành cho nhu cầu cấp thiết hơn",
        "Seats, budget or the share away went to more valuable needs",
    ),
}


@dataclass(frozen=True)
class PlanPerson:
    """A person as the planner sees them. ``ranks``: best rank held per dimension;
    ``last_month``: month index (year × 12 + month − 1) of the earliest retirement, None if
    unknown; ``barred``: purpose → why the person may not be sent (eligibility unmet);
    ``commitment``: purpose → multiple of the training period to serve afterwards."""

    person_id: int
    unit_id: int
    weight: float = 1.0
    ranks: dict[str, int] = field(default_factory=dict)
    retire_month: int | None = None
    barred: dict[str, tuple[str, ...]] = field(default_factory=dict)
    commitment: dict[str, float] = field(default_factory=dict)
    name: str = ""


@dataclass(frozen=True)
class PlanNeed:
    """A need to close: any of ``courses`` closes it; ``deadline`` the legal deadline if any."""

    need_id: int
    person_id: int
    courses: tuple[str, ...]
    weight: float = 1.0
    deadline: date | None = None
    label: str = ""


@dataclass
class Instance:
    """A planning instance: the horizon ``start_year`` … ``start_year + years − 1`` (the years a
    course may start), the catalogue, the people and their needs, and the means."""

    start_year: int
    years: int
    courses: dict[str, Course]
    people: dict[int, PlanPerson]
    needs: list[PlanNeed]
    budget: float | None = None  # VND per year; None: unlimited
    degree_seats: int | None = None  # all degree courses together per year; None: no limit
    away_share: float = 1.0
    staff: dict[int, int] = field(default_factory=dict)  # people in post per unit

    @property
    def end(self) -> int:
        """The first year after the horizon."""
        return self.start_year + self.years

    def away_cap(self, unit_id: int) -> int:
        if self.away_share <= 0:
            return 0
        staff = self.staff.get(unit_id) or sum(1 for p in self.people.values() if p.unit_id == unit_id)
        return max(1, math.floor(self.away_share * staff + 1e-9))


@dataclass(frozen=True)
class Assignment:
    person_id: int
    course: str
    year: int


@dataclass
class NeedOutcome:
    need: PlanNeed
    closed_by: Assignment | None = None
    counts_from: int | None = None
    on_time: bool | None = None
    reasons: list[str] = field(default_factory=list)
    details: list[str] = field(default_factory=list)


@dataclass
class Plan:
    """A plan and how good it is. ``status``: optimal | time_limit | greedy | empty | …;
    ``gap``: the solver's proven relative MIP gap (0 for a proven optimum, None for greedy)."""

    method: str
    assignments: list[Assignment]
    objective: float
    status: str
    gap: float | None = None
    bound: float | None = None
    seconds: float = 0.0
    outcomes: list[NeedOutcome] = field(default_factory=list)
    variables: int = 0
    constraints: int = 0
    build_seconds: float = 0.0  # building the programme, before the solver starts


# --------------------------------------------------------------------------- options


def _course_purpose(c: Course) -> str:
    if c.kind == "degree" and c.dimension == "professional":
        return "postgraduate_training" if rank("professional", c.level) >= 5 else "degree_training"
    return "training"


def _fits(inst: Instance, p: PlanPerson, c: Course, y: int) -> bool:
    """The course (and its service commitment) ends before retirement."""
    if p.retire_month is None:
        return True
    commitment = math.ceil(p.commitment.get(_course_purpose(c), 0.0) * c.months)
    return y * 12 + c.months + commitment <= p.retire_month


def on_time(n: PlanNeed, c: Course, y: int) -> bool | None:
    """Whether course ``c`` started in January of ``y`` ends by the need's deadline (to the
    month); None without a deadline."""
    if n.deadline is None:
        return None
    return y * 12 + c.months <= n.deadline.year * 12 + n.deadline.month - 1


def _value(inst: Instance, p: PlanPerson, n: PlanNeed, c: Course, y: int) -> float:
    finish = y + c.years
    last = inst.end
    if p.retire_month is not None:
        last = min(last, p.retire_month // 12 - 1 if p.retire_month % 12 == 0 else p.retire_month // 12)
    years = last - finish + 1
    if years <= 0:
        return 0.0
    bonus = DEADLINE_BONUS if on_time(n, c, y) else 0.0
    return n.weight * (years + bonus)


def _prereq_courses(inst: Instance, dim: str, level: str, exclude: str) -> list[str]:
    """Courses awarding at least ``level`` on ``dim`` — the lowest such level only (the shortest
    path to the prerequisite)."""
    need = rank(dim, level)
    found = [
        c
        for c in inst.courses.values()
        if c.code != exclude and c.dimension == dim and c.awards_rank is not None and c.awards_rank >= need
    ]
    if not found:
        return []
    low = min(c.awards_rank or 0 for c in found)
    return sorted(c.code for c in found if c.awards_rank == low)


def _missing(p: PlanPerson, c: Course) -> list[tuple[str, str]]:
    return [(d, lv) for d, lv in c.prerequisites if p.ranks.get(d, 0) < rank(d, lv)]


@dataclass
class _Options:
    """The candidate (person, course, start year) triples and what they close."""

    x: list[tuple[int, str, int]]
    index: dict[tuple[int, str, int], int]
    prereqs: dict[int, list[list[int]]]  # x index → one list of alternatives per missing prerequisite
    closes: dict[int, list[tuple[int, float]]]  # need position → [(x index, value)]
    reasons: dict[int, list[str]]
    details: dict[int, list[str]]


def options(inst: Instance) -> _Options:
    """Every start a plan could contain (module docstring: eligibility, retirement, horizon,
    reachable prerequisites), and the value of each for each need it closes."""
    by_person: dict[int, list[int]] = defaultdict(list)
    for i, n in enumerate(inst.needs):
        by_person[n.person_id].append(i)
    x: list[tuple[int, str, int]] = []
    index: dict[tuple[int, str, int], int] = {}
    prereqs: dict[int, list[list[int]]] = {}
    closes: dict[int, list[tuple[int, float]]] = defaultdict(list)
    reasons: dict[int, list[str]] = defaultdict(list)
    details: dict[int, list[str]] = defaultdict(list)

    for pid, need_ix in by_person.items():
        p = inst.people.get(pid)
        if p is None:
            continue
        memo: dict[tuple[str, int], bool] = {}
        why: dict[str, set[str]] = defaultdict(set)
        pending: list[tuple[int, int, list[tuple[str, str]]]] = []
        first = len(x)

        def usable(
            code: str,
            y: int,
            depth: int = 0,
            pid: int = pid,
            p: PlanPerson = p,
            memo=memo,
            why=why,
            pending=pending,
        ) -> bool:
            """Create x[p, code, y] (and what it needs) if it can be taken; True if it exists."""
            key = (code, y)
            if key in memo:
                return memo[key]
            memo[key] = False  # no cycles
            c = inst.courses.get(code)
            if c is None:
                return False
            barred = p.barred.get(_course_purpose(c))
            if barred:
                why[code].add("not_eligible")
                return False
            if y + c.years > inst.end:
                why[code].add("horizon")
                return False
            if not _fits(inst, p, c, y):
                why[code].add("retirement")
                return False
            if c.seats_per_year <= 0 or (
                c.is_degree and inst.degree_seats is not None and inst.degree_seats <= 0
            ):
                why[code].add("no_seats")
                return False
            if c.cost > 0 and inst.budget is not None and inst.budget < c.cost / c.years:
                why[code].add("no_budget")
                return False
            missing = _missing(p, c)
            for d, lv in missing:
                if depth >= 3:
                    why[code].add("prerequisite")
                    return False
                ok = []
                for pc in _prereq_courses(inst, d, lv, code):
                    for y2 in range(inst.start_year, y - inst.courses[pc].years + 1):
                        if usable(pc, y2, depth + 1):
                            ok.append(index[(pid, pc, y2)])
                if not ok:
                    why[code].add("prerequisite")
                    return False
            i = len(x)
            x.append((pid, code, y))
            index[(pid, code, y)] = i
            if missing:
                pending.append((i, y, missing))
            memo[key] = True
            return True

        for ni in need_ix:
            n = inst.needs[ni]
            if not n.courses:
                reasons[ni].append("no_course")
                continue
            if n.deadline is not None and n.deadline.year < inst.start_year:
                reasons[ni].append("deadline_passed")
            for code in n.courses:
                for y in range(inst.start_year, inst.end):
                    if usable(code, y):
                        c = inst.courses[code]
                        v = _value(inst, p, n, c, y)
                        if v > 0:
                            closes[ni].append((index[(pid, code, y)], v))
                        else:
                            why[code].add("retirement")
            if not closes[ni]:
                for code in n.courses:
                    for r in sorted(why.get(code, ())):
                        if r not in reasons[ni]:
                            reasons[ni].append(r)
                    if "not_eligible" in why.get(code, ()):
                        c = inst.courses[code]
                        for t in p.barred.get(_course_purpose(c), ()):
                            if f"{code}: {t}" not in details[ni]:
                                details[ni].append(f"{code}: {t}")
        # a prerequisite is met by any of the person's starts awarding at least that level and
        # ending before the course starts (the same rule as evaluate_plan)
        for i, y, missing in pending:
            alts = []
            for d, lv in missing:
                need = rank(d, lv)
                alts.append(
                    [
                        j
                        for j in range(first, len(x))
                        if inst.courses[x[j][1]].dimension == d
                        and (inst.courses[x[j][1]].awards_rank or 0) >= need
                        and x[j][2] + inst.courses[x[j][1]].years <= y
                    ]
                )
            prereqs[i] = alts
    return _Options(x, index, prereqs, dict(closes), dict(reasons), dict(details))


# --------------------------------------------------------------------------- evaluation


def evaluate_plan(inst: Instance, plan: Iterable[Assignment]) -> tuple[float, list[str]]:
    """The objective of ``plan`` and every constraint it breaks (module docstring), checked
    directly on the assignments — independent of the programme's formulation."""
    plan = list(plan)
    bad: list[str] = []
    seen = set()
    seats: dict[tuple[str, int], int] = defaultdict(int)
    degree: dict[int, int] = defaultdict(int)
    spend: dict[int, float] = defaultdict(float)
    long_busy: dict[tuple[int, int], int] = defaultdict(int)
    away: dict[tuple[int, int], int] = defaultdict(int)
    held_from: dict[tuple[int, str], list[tuple[int, int]]] = defaultdict(list)  # (pid, dim) → (from, rank)
    for a in plan:
        c, p = inst.courses.get(a.course), inst.people.get(a.person_id)
        if c is None or p is None:
            bad.append(f"unknown person or course {a}")
            continue
        if (a.person_id, a.course) in seen:
            bad.append(f"course taken twice {a}")
        seen.add((a.person_id, a.course))
        if not inst.start_year <= a.year < inst.end or a.year + c.years > inst.end:
            bad.append(f"outside the horizon {a}")
        if p.barred.get(_course_purpose(c)):
            bad.append(f"not eligible {a}")
        if not _fits(inst, p, c, a.year):
            bad.append(f"does not fit before retirement {a}")
        seats[(a.course, a.year)] += 1
        if c.is_degree:
            degree[a.year] += 1
        for t in range(a.year, a.year + c.years):
            spend[t] += c.cost / c.years
            if c.is_long:
                long_busy[(a.person_id, t)] += 1
                away[(p.unit_id, t)] += 1
        if c.dimension:
            held_from[(a.person_id, c.dimension)].append((a.year + c.years, c.awards_rank or 0))
    for (code, y), k in seats.items():
        if k > inst.courses[code].seats_per_year:
            bad.append(f"seats of {code} in {y}: {k} > {inst.courses[code].seats_per_year}")
    if inst.degree_seats is not None:
        bad += [
            f"degree seats in {y}: {k} > {inst.degree_seats}"
            for y, k in degree.items()
            if k > inst.degree_seats
        ]
    if inst.budget is not None:
        bad += [
            f"budget in {y}: {s:.0f} > {inst.budget:.0f}" for y, s in spend.items() if s > inst.budget + 1e-6
        ]
    bad += [f"two long courses at once: person {p} in {t}" for (p, t), k in long_busy.items() if k > 1]
    bad += [
        f"unit {u} in {t}: {k} away > {inst.away_cap(u)}"
        for (u, t), k in away.items()
        if k > inst.away_cap(u)
    ]

    def holds(pid: int, d: str, lv: str, y: int) -> bool:
        p = inst.people[pid]
        need = rank(d, lv)
        return p.ranks.get(d, 0) >= need or any(f <= y and r >= need for f, r in held_from[(pid, d)])

    valid = []
    for a in plan:
        c = inst.courses.get(a.course)
        if c is None or a.person_id not in inst.people:
            continue
        missing = [(d, lv) for d, lv in c.prerequisites if not holds(a.person_id, d, lv, a.year)]
        if missing:
            bad.append(f"prerequisite {missing} not held when {a} starts")
        else:
            valid.append(a)
    total = 0.0
    taken = defaultdict(list)
    for a in valid:
        taken[a.person_id].append(a)
    for n in inst.needs:
        p = inst.people.get(n.person_id)
        if p is None:
            continue
        best = 0.0
        for a in taken[n.person_id]:
            if a.course in n.courses:
                best = max(best, _value(inst, p, n, inst.courses[a.course], a.year))
        total += best
    return total, bad


def _outcomes(inst: Instance, opts: _Options, plan: list[Assignment]) -> list[NeedOutcome]:
    by = defaultdict(list)
    for a in plan:
        by[a.person_id].append(a)
    out = []
    for i, n in enumerate(inst.needs):
        o = NeedOutcome(n)
        p = inst.people.get(n.person_id)
        best = None
        for a in by[n.person_id]:
            if a.course in n.courses and p is not None:
                v = _value(inst, p, n, inst.courses[a.course], a.year)
                if v > 0 and (best is None or v > best[0]):
                    best = (v, a)
        if best is not None:
            a = best[1]
            o.closed_by, o.counts_from = a, a.year + inst.courses[a.course].years
            o.on_time = on_time(n, inst.courses[a.course], a.year)
            if o.on_time is False:
                o.reasons.append(
                    "deadline_passed" if n.deadline and n.deadline.year < inst.start_year else "late"
                )
        else:
            o.reasons = list(opts.reasons.get(i, [])) or (["capacity"] if opts.closes.get(i) else [])
            if not o.reasons:
                o.reasons.append("no_course")
            o.details = list(opts.details.get(i, []))
        out.append(o)
    return out


# --------------------------------------------------------------------------- the programme


def optimise(
    inst: Instance,
    *,
    time_limit: float = 60.0,
    mip_rel_gap: float = 1e-4,
    threads: int | None = None,
    start: Plan | None = None,
    large: int = 20000,
    reduced_cost: float = 0.3,
) -> Plan:
    """The optimal plan (or the best found within ``time_limit`` seconds from the call, with its
    proven gap). ``start``: a feasible plan (the greedy one) given to the solver as its first
    incumbent, so that a plan cut short by the time limit is never worse than it. Programmes of
    more than ``large`` starts (a province) are solved by relax-and-fix, the gap proven against
    the linear relaxation's bound."""
    import highspy

    t0 = time.perf_counter()
    opts = options(inst)
    nx = len(opts.x)
    # A start closing exactly one need carries that need's value itself; the starts closing
    # several needs go through z columns. A need's z closures that end in the same year, equally
    # on time, are worth the same: one column per (need, year it counts from, on time), at most
    # the starts in it. Per need: Σ (its own starts) + Σ z ≤ 1 — taking two starts that close
    # only that need is never better than the earlier one alone.
    by_x: dict[int, list[tuple[int, float]]] = defaultdict(list)
    for ni, lst in opts.closes.items():
        for xi, v in lst:
            by_x[xi].append((ni, v))
    groups: dict[tuple[int, int, bool | None], list[int]] = defaultdict(list)
    worth: dict[tuple[int, int, bool | None], float] = {}
    direct: dict[int, list[int]] = defaultdict(list)
    cost_x = np.zeros(nx)
    for xi, lst in by_x.items():
        pid, code, y = opts.x[xi]
        c = inst.courses[code]
        if len(lst) == 1:
            ni, v = lst[0]
            direct[ni].append(xi)
            cost_x[xi] = v
            continue
        for ni, v in lst:
            key = (ni, y + c.years, on_time(inst.needs[ni], c, y))
            groups[key].append(xi)
            worth[key] = v
    z_cols = [(key[0], xs, worth[key]) for key, xs in groups.items()]
    nz = len(z_cols)
    if nx == 0 or not by_x:
        plan = Plan("optimiser", [], 0.0, "empty", 0.0, 0.0, time.perf_counter() - t0)
        plan.outcomes = _outcomes(inst, opts, [])
        return plan
    ncol = nx + nz
    cost = np.zeros(ncol)
    cost[:nx] = cost_x
    cost[nx:] = [v for _, _, v in z_cols]

    starts = [0]
    idx: list[int] = []
    val: list[float] = []
    lo: list[float] = []
    hi: list[float] = []
    inf = highspy.kHighsInf

    def row(cols: Sequence[int], coefs: Sequence[float], upper: float, lower: float = -inf) -> None:
        idx.extend(cols)
        val.extend(coefs)
        starts.append(len(idx))
        lo.append(lower)
        hi.append(upper)

    # z ≤ Σ x of its group and, per need, Σ own starts + Σ z ≤ 1
    per_need: dict[int, list[int]] = defaultdict(list)
    for ni, xs in direct.items():
        per_need[ni].extend(xs)
    for k, (ni, xs, _) in enumerate(z_cols):
        row((nx + k, *xs), (1.0, *([-1.0] * len(xs))), 0.0)
        per_need[ni].append(nx + k)
    for cols in per_need.values():
        if len(cols) > 1:
            row(cols, [1.0] * len(cols), 1.0)
    # groupings of x
    once: dict[tuple[int, str], list[int]] = defaultdict(list)
    seats: dict[tuple[str, int], list[int]] = defaultdict(list)
    degree: dict[int, list[int]] = defaultdict(list)
    budget: dict[int, list[tuple[int, float]]] = defaultdict(list)
    busy: dict[tuple[int, int], list[int]] = defaultdict(list)
    away: dict[tuple[int, int], list[int]] = defaultdict(list)
    for i, (pid, code, y) in enumerate(opts.x):
        c = inst.courses[code]
        once[(pid, code)].append(i)
        seats[(code, y)].append(i)
        if c.is_degree:
            degree[y].append(i)
        for t in range(y, y + c.years):
            if c.cost:
                budget[t].append((i, c.cost / c.years))
            if c.is_long:
                busy[(pid, t)].append(i)
                away[(inst.people[pid].unit_id, t)].append(i)
    for cols in once.values():
        if len(cols) > 1:
            row(cols, [1.0] * len(cols), 1.0)
    for (code, _), cols in seats.items():
        if len(cols) > inst.courses[code].seats_per_year:
            row(cols, [1.0] * len(cols), float(inst.courses[code].seats_per_year))
    if inst.degree_seats is not None:
        for cols in degree.values():
            if len(cols) > inst.degree_seats:
                row(cols, [1.0] * len(cols), float(inst.degree_seats))
    if inst.budget is not None:
        for items in budget.values():
            if sum(v for _, v in items) > inst.budget:
                row([i for i, _ in items], [v / 1e6 for _, v in items], inst.budget / 1e6)
    for cols in busy.values():
        if len(cols) > 1:
            row(cols, [1.0] * len(cols), 1.0)
    for (u, _), cols in away.items():
        cap = inst.away_cap(u)
        if len(cols) > cap:
            row(cols, [1.0] * len(cols), float(cap))
    for i, alts in opts.prereqs.items():
        for alt in alts:
            row([i, *alt], [1.0] + [-1.0] * len(alt), 0.0)

    lp = highspy.HighsLp()
    lp.num_col_ = ncol
    lp.num_row_ = len(lo)
    lp.col_cost_ = cost
    lp.col_lower_ = np.zeros(ncol)
    lp.col_upper_ = np.ones(ncol)
    lp.row_lower_ = np.array(lo, dtype=float)
    lp.row_upper_ = np.array(hi, dtype=float)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.start_ = np.array(starts, dtype=np.int32)
    lp.a_matrix_.index_ = np.array(idx, dtype=np.int32)
    lp.a_matrix_.value_ = np.array(val, dtype=float)
    lp.sense_ = highspy.ObjSense.kMaximize
    lp.integrality_ = [highspy.HighsVarType.kInteger] * nx + [highspy.HighsVarType.kContinuous] * nz
    built = time.perf_counter() - t0

    def remaining() -> float:
        return max(0.1, float(time_limit) - (time.perf_counter() - t0))

    def solver(model) -> Any:
        h = _quiet_highs()
        h.setOptionValue("time_limit", remaining())
        h.setOptionValue("mip_rel_gap", float(mip_rel_gap))
        if threads:
            h.setOptionValue("threads", int(threads))
        h.setOptionValue("mip_heuristic_run_feasibility_jump", start is None)
        h.setOptionValue("mip_heuristic_effort", 0.3)
        h.passModel(model)
        return h

    names = {highspy.HighsModelStatus.kOptimal: "optimal", highspy.HighsModelStatus.kTimeLimit: "time_limit"}
    bound: float | None = None
    if nx <= large:
        # the whole programme: HiGHS's branch and bound proves its gap itself
        h = solver(lp)
        if start is not None and start.assignments:
            h.setSolution(_start_solution(highspy, start, opts, z_cols, nx, ncol))
        h.run()
        info = h.getInfo()
        text = names.get(h.getModelStatus(), h.modelStatusToString(h.getModelStatus()))
        values = np.asarray(h.getSolution().col_value) if info.primal_solution_status else np.zeros(ncol)
        gap = float(info.mip_gap) if math.isfinite(info.mip_gap) else None
        bound = float(info.mip_dual_bound) if math.isfinite(info.mip_dual_bound) else None
    else:
        # Relax and fix (a province): the linear relaxation bounds the optimum from above; the
        # starts it leaves out are removed, and the rest is solved as a (much smaller) programme. The gap is proven against the relaxation's bound.
        relaxed = _copy_lp(highspy, lp)
        relaxed.integrality_ = []
        h = solver(relaxed)
        h.run()
        lp_ok = h.getModelStatus() == highspy.HighsModelStatus.kOptimal
        bound = float(h.getInfo().objective_function_value) if lp_ok else None
        relax = np.asarray(h.getSolution().col_value) if lp_ok else np.zeros(ncol)
        reduced = np.abs(np.asarray(h.getSolution().col_dual)) if lp_ok else np.zeros(ncol)
        fixed = _copy_lp(highspy, lp)
        lower, upper = np.zeros(ncol), np.ones(ncol)
        # a start the relaxation leaves out, and whose reduced cost says it would cost more than
        # ``reduced_cost`` of objective to bring in, is removed
        upper[:nx][(relax[:nx] < 1e-6) & (reduced[:nx] > reduced_cost)] = 0.0
        if start is not None and start.assignments:
            # the greedy plan stays possible, and is the sub-programme's first incumbent
            first = _start_solution(highspy, start, opts, z_cols, nx, ncol)
            upper[np.asarray(first.col_value) > 0.5] = 1.0
        fixed.col_lower_, fixed.col_upper_ = lower, upper
        h = solver(fixed)
        if start is not None and start.assignments:
            h.setSolution(first)
        h.run()
        info = h.getInfo()
        status = h.getModelStatus()
        values = np.asarray(h.getSolution().col_value) if info.primal_solution_status else np.zeros(ncol)
        text = "time_limit" if status == highspy.HighsModelStatus.kTimeLimit or not lp_ok else "optimal"
        gap = None
    chosen = _useful([Assignment(*opts.x[i]) for i in range(nx) if values[i] > 0.5], inst)
    objective, broken = evaluate_plan(inst, chosen)
    if broken:  # never expected: keep the contract "a plan that holds"
        raise AssertionError(f"the solver's plan breaks constraints: {broken[:3]}")
    if start is not None and start.objective > objective:
        chosen, objective = list(start.assignments), start.objective
    if nx > large:
        gap = None if bound is None else max(0.0, bound - objective) / max(abs(bound), 1e-9)
        if gap is not None and gap > mip_rel_gap and text == "optimal":
            text = "gap_above_tolerance"
    plan = Plan(
        "optimiser",
        sorted(chosen, key=lambda a: (a.year, a.course, a.person_id)),
        objective,
        text,
        gap,
        bound,
        time.perf_counter() - t0,
        variables=ncol,
        constraints=len(lo),
        build_seconds=built,
    )
    plan.outcomes = _outcomes(inst, opts, plan.assignments)
    return plan


def _copy_lp(highspy, lp):
    out = highspy.HighsLp()
    out.num_col_, out.num_row_ = lp.num_col_, lp.num_row_
    out.col_cost_, out.col_lower_, out.col_upper_ = lp.col_cost_, lp.col_lower_, lp.col_upper_
    out.row_lower_, out.row_upper_ = lp.row_lower_, lp.row_upper_
    out.a_matrix_.format_ = lp.a_matrix_.format_
    out.a_matrix_.start_, out.a_matrix_.index_, out.a_matrix_.value_ = (
        lp.a_matrix_.start_,
        lp.a_matrix_.index_,
        lp.a_matrix_.value_,
    )
    out.sense_ = lp.sense_
    out.integrality_ = lp.integrality_
    return out


def _start_solution(highspy, start: Plan, opts: _Options, z_cols, nx: int, ncol: int):
    chosen_x = np.zeros(ncol)
    for a in start.assignments:
        i = opts.index.get((a.person_id, a.course, a.year))
        if i is not None:
            chosen_x[i] = 1.0
    best_of_need: dict[int, tuple[float, int]] = {}
    for k, (ni, xs, v) in enumerate(z_cols):
        if any(chosen_x[i] for i in xs) and v > best_of_need.get(ni, (0.0, -1))[0]:
            best_of_need[ni] = (v, k)
    for _, k in best_of_need.values():
        chosen_x[nx + k] = 1.0
    sol = highspy.HighsSolution()
    sol.col_value = chosen_x.tolist()
    return sol


def _useful(plan: list[Assignment], inst: Instance) -> list[Assignment]:
    """``plan`` without the starts that close no need and are no other start's prerequisite
    (the programme is indifferent to them)."""
    closes = {(n.person_id, code) for n in inst.needs for code in n.courses}
    keep = list(plan)
    while True:
        mine: dict[int, list[Assignment]] = defaultdict(list)
        for a in keep:
            mine[a.person_id].append(a)
        needed = set()
        for a in keep:
            for d, lv in inst.courses[a.course].prerequisites:
                for b in mine[a.person_id]:
                    cb = inst.courses[b.course]
                    if (
                        cb.dimension == d
                        and (cb.awards_rank or 0) >= rank(d, lv)
                        and b.year + cb.years <= a.year
                    ):
                        needed.add(b)
        kept = [a for a in keep if (a.person_id, a.course) in closes or a in needed]
        if len(kept) == len(keep):
            return kept
        keep = kept


def _quiet_highs():
    """A HiGHS instance whose constructor's banner does not reach standard output (the
    command's JSON goes there): file descriptor 1 points at /dev/null while it is built."""
    import highspy

    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 1)
            h = highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)
    h.setOptionValue("output_flag", False)
    return h


# --------------------------------------------------------------------------- by hand


def greedy(inst: Instance) -> Plan:
    """The rule by hand: needs by urgency (the earliest legal deadline first, then the largest
    weight), each given the earliest feasible course (with its prerequisite course first when
    needed) within the seats, budget and share away left."""
    t0 = time.perf_counter()
    opts = options(inst)
    plan: list[Assignment] = []
    seats: dict[tuple[str, int], int] = defaultdict(int)
    degree: dict[int, int] = defaultdict(int)
    spend: dict[int, float] = defaultdict(float)
    busy: set[tuple[int, int]] = set()
    away: dict[tuple[int, int], int] = defaultdict(int)
    taken: set[tuple[int, str]] = set()

    def free(pid: int, code: str, y: int) -> bool:
        c, p = inst.courses[code], inst.people[pid]
        if (pid, code) in taken or (pid, code, y) not in opts.index:
            return False
        if seats[(code, y)] >= c.seats_per_year:
            return False
        if c.is_degree and inst.degree_seats is not None and degree[y] >= inst.degree_seats:
            return False
        for t in range(y, y + c.years):
            if inst.budget is not None and spend[t] + c.cost / c.years > inst.budget + 1e-6:
                return False
            if c.is_long and ((pid, t) in busy or away[(p.unit_id, t)] >= inst.away_cap(p.unit_id)):
                return False
        return True

    planned: dict[int, set[str]] = defaultdict(set)
    mine: dict[int, list[Assignment]] = defaultdict(list)

    def book(pid: int, code: str, y: int) -> None:
        c, p = inst.courses[code], inst.people[pid]
        plan.append(Assignment(pid, code, y))
        planned[pid].add(code)
        mine[pid].append(plan[-1])
        taken.add((pid, code))
        seats[(code, y)] += 1
        if c.is_degree:
            degree[y] += 1
        for t in range(y, y + c.years):
            spend[t] += c.cost / c.years
            if c.is_long:
                busy.add((pid, t))
                away[(p.unit_id, t)] += 1

    def has(pid: int, d: str, lv: str, y: int) -> bool:
        p = inst.people[pid]
        if p.ranks.get(d, 0) >= rank(d, lv):
            return True
        return any(
            inst.courses[a.course].dimension == d
            and (inst.courses[a.course].awards_rank or 0) >= rank(d, lv)
            and a.year + inst.courses[a.course].years <= y
            for a in mine.get(pid, ())
        )

    def try_take(pid: int, code: str, y: int, depth: int = 0) -> bool:
        """Book ``code`` in ``y`` (and a missing prerequisite before it); all or nothing."""
        if not free(pid, code, y):
            return False
        c = inst.courses[code]
        booked = len(plan)
        for d, lv in c.prerequisites:
            if has(pid, d, lv, y):
                continue
            done = False
            for pc in _prereq_courses(inst, d, lv, code) if depth < 3 else []:
                for y2 in range(inst.start_year, y - inst.courses[pc].years + 1):
                    if try_take(pid, pc, y2, depth + 1):
                        done = True
                        break
                if done:
                    break
            if not done:
                _undo(booked)
                return False
        if not free(pid, code, y):
            _undo(booked)
            return False
        book(pid, code, y)
        return True

    def _undo(n: int) -> None:
        while len(plan) > n:
            a = plan.pop()
            c, p = inst.courses[a.course], inst.people[a.person_id]
            planned[a.person_id].discard(a.course)
            mine[a.person_id].pop()
            taken.discard((a.person_id, a.course))
            seats[(a.course, a.year)] -= 1
            if c.is_degree:
                degree[a.year] -= 1
            for t in range(a.year, a.year + c.years):
                spend[t] -= c.cost / c.years
                if c.is_long:
                    busy.discard((a.person_id, t))
                    away[(p.unit_id, t)] -= 1

    order = sorted(
        range(len(inst.needs)),
        key=lambda i: (
            inst.needs[i].deadline or date.max,
            -inst.needs[i].weight,
            inst.needs[i].person_id,
            inst.needs[i].need_id,
        ),
    )
    for i in order:
        n = inst.needs[i]
        if n.person_id not in inst.people or not opts.closes.get(i):
            continue
        if any(code in n.courses for code in planned.get(n.person_id, ())):
            continue
        cands = sorted(
            {
                (inst.courses[code].years + y, inst.courses[code].cost, code, y)
                for code in n.courses
                for y in range(inst.start_year, inst.end)
            }
        )
        for _, _, code, y in cands:
            if (n.person_id, code, y) in opts.index and try_take(n.person_id, code, y):
                break
    objective, broken = evaluate_plan(inst, plan)
    if broken:
        raise AssertionError(f"the greedy plan breaks constraints: {broken[:3]}")
    out = Plan(
        "greedy",
        sorted(plan, key=lambda a: (a.year, a.course, a.person_id)),
        objective,
        "greedy",
        None,
        None,
        time.perf_counter() - t0,
    )
    out.outcomes = _outcomes(inst, opts, out.assignments)
    return out
