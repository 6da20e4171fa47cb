"""Training needs from the standards engine (issue 13 §2).

For each person in post and each criterion they do not meet — now, or by a legal deadline — the
catalogue courses that would close it, the deadline and its reference, and whether the person may
be sent under the rules of the date:

* **unmet** on the planning date (:func:`canbo.core.standards.engine.evaluate`). From 1/7/2025 a
  civil servant recruited before that date is to be placed in a job position and its rank by
  1/7/2027 (Law 80/2025/QH15 Art. 45(2)), whose standard then applies: that is the deadline given
  to such a need (our reading; before the reform an unmet standard has no deadline — it is
  already late);
* **transition**: met today only through a transition (Law 80/2025 Art. 45(1); Circular 13/2019),
  due by the transition's deadline (the engine's ``deadline``, with the transition's reference);
* **future**: met today but unmet under the rule set in force on a later date (``future``): due
  by that date;
* **duty**: a leader appointed from 1/7/2025 must complete the state-management programme within
  12 months of the appointment (Decree 171/2025 Art. 16(2)). The yearly 40 class periods of
  Art. 16(3) are a duty of everyone and are not listed person by person.

Eligibility comes from :func:`canbo.core.standards.eligibility.evaluate_eligibility`, evaluated on
the planning date: ``degree_training`` for intermediate, college and university courses (Decree
101/2017 to 30/6/2025; the discipline bar of Law 52/2019 Art. 1 / Law 80/2025 Art. 38(2)),
``postgraduate_training`` for master's and doctorate (Decree 171/2025 Art. 5), and for every other
course only the discipline bar (Law 80/2025 Art. 38(2) bars "đào tạo, bồi dưỡng" alike). The
service commitment — a multiple of the training period (Decree 101/2017: 2×; Decree 171/2025
Art. 5(3): 3× for postgraduate training) — is read from the same rule entries, and must fit
before the person's retirement date (Decree 135/2020, :func:`retirement_dates`).

Unknown verdicts (missing data) are not needs: the data must be completed first; they are counted.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from importlib import resources

import polars as pl
import yaml

from canbo.core.scales import SCALES, Dimension, rank
from canbo.core.standards.eligibility import evaluate_eligibility
from canbo.core.standards.engine import evaluate, retirement_dates
from canbo.core.standards.provincial import ProvincialLayer
from canbo.core.standards.rules import RuleSet, default_rules
from canbo.core.standards.snapshot import Snapshot

from .catalogue import Course

__all__ = [
    "LAW80_DEADLINE",
    "LAW80_REFERENCE",
    "LEADER_DUTY_REFERENCE",
    "Eligibility",
    "Need",
    "NeedsResult",
    "PlanningPerson",
    "course_purpose",
    "leadership_titles",
    "training_needs",
]

#: Law 80/2025/QH15 Art. 45(2): job positions and ranks of those recruited before 1/7/2025.
LAW80_DEADLINE = date(2027, 7, 1)
LAW80_REFERENCE = "Luật 80/2025/QH15 Đ.45 k.2"
LAW80_IN_FORCE = date(2025, 7, 1)
#: Decree 171/2025 Art. 16(2): a leader's state-management programme within 12 months.
LEADER_DUTY_REFERENCE = "NĐ 171/2025 Đ.16 k.2"
DISCIPLINE = "no_discipline_in_effect"


@dataclass(frozen=True)
class Eligibility:
    """Whether a person may be sent to a course of a purpose, on the planning date."""

    purpose: str
    status: str  # met | unmet | unknown
    unmet: tuple[str, ...] = ()  # "condition — message (reference)"
    unknown: tuple[str, ...] = ()
    references: tuple[str, ...] = ()
    commitment_multiple: float = 0.0


@dataclass(frozen=True)
class Need:
    """One person's need for one criterion (see the module docstring for ``source``)."""

    person_id: int
    unit_id: int
    title_code: str
    criterion: str  # a dimension, field_of_study, or leadership_programme
    required: str  # a level code, or the accepted fields
    actual: str | None
    source: str  # unmet | transition | future | duty
    deadline: date | None
    deadline_reference: str | None
    reference: str | None
    courses: tuple[str, ...]  # catalogue codes whose completion closes the need


@dataclass(frozen=True)
class PlanningPerson:
    """What the planner needs to know about a person with needs."""

    person_id: int
    name: str
    unit_id: int
    leader: bool
    especially_difficult: bool
    retirement: date | None  # the earliest possible retirement date; None: unknown
    ranks: dict[str, int] = field(default_factory=dict)  # best rank per dimension on the date
    eligibility: dict[str, Eligibility] = field(default_factory=dict)


@dataclass(frozen=True)
class NeedsResult:
    on: date
    needs: list[Need]
    people: dict[int, PlanningPerson]
    unknown_findings: int  # findings left unknown (data to complete), not turned into needs
    staff: dict[int, int]  # people in post per unit on the date

    def frame(self) -> pl.DataFrame:
        """The needs as a frame (one row per need; ``courses`` joined by commas)."""
        rows = [
            (
                n.person_id,
                self.people[n.person_id].name if n.person_id in self.people else "",
                n.unit_id,
                n.title_code,
                n.criterion,
                n.required,
                n.actual,
                n.source,
                n.deadline,
                n.deadline_reference,
                n.reference,
                ", ".join(n.courses),
            )
            for n in self.needs
        ]
        return pl.DataFrame(
            rows,
            orient="row",
            schema={
                "person_id": pl.Int64,
                "person_name": pl.String,
                "unit_id": pl.Int64,
                "title_code": pl.String,
                "criterion": pl.String,
                "required": pl.String,
                "actual": pl.String,
                "source": pl.String,
                "deadline": pl.Date,
                "deadline_reference": pl.String,
                "reference": pl.String,
                "courses": pl.String,
            },
        )


def leadership_titles() -> frozenset[str]:
    """Codes of the leadership titles of ``canbo/data/titles.yaml`` (``leadership: true``)."""
    rows = yaml.safe_load(resources.files("canbo.data").joinpath("titles.yaml").read_text("utf-8"))
    return frozenset(r["code"] for r in rows if r.get("leadership"))


def course_purpose(course: Course) -> str:
    """The eligibility purpose governing ``course`` (module docstring)."""
    if course.kind == "degree" and course.dimension == "professional":
        return "postgraduate_training" if rank("professional", course.level) >= 5 else "degree_training"
    return "training"


def _closing(
    catalogue: Iterable[Course], criterion: str, required: str, fields: list[str] | None
) -> tuple[str, ...]:
    if criterion == "field_of_study":
        return tuple(c.code for c in catalogue if c.closes("professional", required, fields))
    return tuple(c.code for c in catalogue if c.closes(criterion, required))


def _eligibility(snapshot: Snapshot, on: date, rules: RuleSet) -> dict[int, dict[str, Eligibility]]:
    out: dict[int, dict[str, Eligibility]] = {}
    for purpose in ("degree_training", "postgraduate_training"):
        multiple = max(
            (
                e.service_commitment_multiple or 0.0
                for e in rules.eligibility
                if e.purpose == purpose and e.in_force(on)
            ),
            default=0.0,
        )
        frame = evaluate_eligibility(snapshot, on, purpose, rules)
        per: dict[int, list[tuple]] = {}
        for row in frame.select("person_id", "condition", "status", "reference", "message_vi").iter_rows():
            per.setdefault(row[0], []).append(row[1:])
        for pid, rows in per.items():
            for p, subset in (
                (purpose, rows),
                *(
                    (("training", [r for r in rows if r[0] == DISCIPLINE]),)
                    if purpose == "degree_training"
                    else ()
                ),
            ):
                unmet = tuple(f"{c} — {m} ({ref})" for c, s, ref, m in subset if s == "unmet")
                unknown = tuple(f"{c} — {m} ({ref})" for c, s, ref, m in subset if s == "unknown")
                status = "unmet" if unmet else "unknown" if unknown else "met"
                refs = tuple(sorted({ref for _, _, ref, _ in subset if ref}))
                out.setdefault(pid, {})[p] = Eligibility(
                    p, status, unmet, unknown, refs, multiple if p == purpose else 0.0
                )
    return out


def training_needs(
    snapshot: Snapshot,
    on: date,
    catalogue: list[Course],
    rules: RuleSet | None = None,
    provincial: ProvincialLayer | None = None,
    *,
    future: date | None = None,
    leaders: frozenset[str] | None = None,
) -> NeedsResult:
    """The training needs of everyone in post in ``snapshot`` on ``on`` (module docstring);
    ``future``: also the criteria unmet under the rules in force on that later date."""
    rules = rules or default_rules()
    leaders = leadership_titles() if leaders is None else leaders
    now = evaluate(snapshot, on, rules, provincial)
    unknown = int((now["status"] == "unknown").sum()) if len(now) else 0
    # the professional level each post requires (for a field-of-study need)
    prof_required = {
        a: r
        for a, c, r in now.filter(pl.col("criterion") == "professional")
        .select("assignment_id", "criterion", "required")
        .iter_rows()
    }
    people = snapshot.people.select("person_id", "full_name", "first_start")
    first_start = dict(people.select("person_id", "first_start").iter_rows())
    needs: dict[tuple[int, str, str], Need] = {}

    def add(row: dict, source: str, deadline: date | None, deadline_ref: str | None) -> None:
        criterion, required = row["criterion"], row["required"]
        if criterion == "field_of_study":
            fields = [f.strip() for f in (required or "").split(",") if f.strip()]
            level = prof_required.get(row["assignment_id"], "university")
            courses = _closing(catalogue, criterion, level, fields)
        elif criterion in {d.value for d in Dimension}:
            if not required:
                return
            courses = _closing(catalogue, criterion, required, None)
        else:
            return  # age, retirement and term criteria are not closed by training
        key = (row["person_id"], criterion, required or "")
        need = Need(
            row["person_id"],
            row["unit_id"],
            row["title_code"],
            criterion,
            required or "",
            row["actual"],
            source,
            deadline,
            deadline_ref,
            row["reference"],
            courses,
        )
        old = needs.get(key)
        if old is None or (deadline or date.max) < (old.deadline or date.max):
            needs[key] = need

    for row in now.iter_rows(named=True):
        if row["status"] == "unmet":
            fs = first_start.get(row["person_id"])
            if on >= LAW80_IN_FORCE and fs is not None and fs < LAW80_IN_FORCE and on < LAW80_DEADLINE:
                add(row, "unmet", LAW80_DEADLINE, LAW80_REFERENCE)
            else:
                add(row, "unmet", None, None)
        elif row["status"] == "met" and row["basis"] == "transition" and row["deadline"] is not None:
            add(row, "transition", row["deadline"], row["basis_reference"])
    if future is not None and future > on:
        later = evaluate(snapshot, future, rules, provincial)
        for row in later.filter(pl.col("status") == "unmet").iter_rows(named=True):
            if (row["person_id"], row["criterion"], row["required"] or "") not in needs:
                add(row, "future", future, row["reference"])

    held = snapshot.posts_on(on)
    if on >= LAW80_IN_FORCE:
        leader_courses = tuple(c.code for c in catalogue if c.kind == "leadership")
        for pid, uid, title, start in held.select("person_id", "unit_id", "title_code", "start").iter_rows():
            if title in leaders and start >= LAW80_IN_FORCE and start.replace(year=start.year + 1) > on:
                due = _add_months(start, 12)
                needs[(pid, "leadership_programme", "")] = Need(
                    pid,
                    uid,
                    title,
                    "leadership_programme",
                    "",
                    None,
                    "duty",
                    due,
                    LEADER_DUTY_REFERENCE,
                    LEADER_DUTY_REFERENCE,
                    leader_courses,
                )

    with_needs = {n.person_id for n in needs.values()}
    return NeedsResult(
        on,
        sorted(needs.values(), key=lambda n: (n.person_id, n.criterion)),
        planning_people(snapshot, on, rules, with_needs, leaders),
        unknown,
        dict(held.group_by("unit_id").agg(pl.col("person_id").n_unique()).iter_rows()),
    )


def _add_months(d: date, months: int) -> date:
    m = d.month - 1 + months
    y, mo = d.year + m // 12, m % 12 + 1
    for day in (d.day, 30, 29, 28):
        try:
            return date(y, mo, day)
        except ValueError:
            continue
    raise AssertionError


def planning_people(
    snapshot: Snapshot, on: date, rules: RuleSet, person_ids: set[int], leaders: frozenset[str]
) -> dict[int, PlanningPerson]:
    """The :class:`PlanningPerson` of each of ``person_ids``: main unit (first post held on
    ``on``), leadership, especially difficult commune (area flag in force), retirement date, best
    ranks and eligibility."""
    sub = snapshot.for_people(sorted(person_ids))
    held = sub.posts_on(on).sort("person_id", "is_concurrent", "start")
    flagged = set(
        Snapshot.in_force(sub.unit_flags, on).filter(pl.col("flag") == "especially_difficult")["unit_id"]
    )
    main = dict(
        held.select("person_id", "unit_id").unique("person_id", keep="first", maintain_order=True).iter_rows()
    )
    leader = {pid for pid, t in held.select("person_id", "title_code").iter_rows() if t in leaders}
    retire = dict(retirement_dates(sub.people, rules).select("person_id", "retirement_earliest").iter_rows())
    ranks: dict[int, dict[str, int]] = {}
    codes = {(d.value, lv.code): lv.rank for d, s in SCALES.items() for lv in s}
    for pid, dim, lv, got in sub.qualifications.select(
        "person_id", "dimension", "level", "obtained_on"
    ).iter_rows():
        r = codes.get((dim, lv))
        if r is not None and (got is None or got <= on):
            ranks.setdefault(pid, {})[dim] = max(r, ranks.get(pid, {}).get(dim, 0))
    elig = _eligibility(sub, on, rules)
    out = {}
    for pid, name in sub.people.select("person_id", "full_name").iter_rows():
        uid = main.get(pid)
        if uid is None:
            continue
        out[pid] = PlanningPerson(
            pid,
            name or "",
            uid,
            pid in leader,
            uid in flagged,
            retire.get(pid),
            ranks.get(pid, {}),
            elig.get(pid, {}),
        )
    return out
