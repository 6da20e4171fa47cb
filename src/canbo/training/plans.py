"""Training plans from the solver to the diploma (issue 13 §5): solve and store a plan, approve
it (a province role, :func:`canbo.access.scope.may_approve_plan`), turn its first year into
planned enrolments, and record the qualification when an enrolment is completed.

Sending staff to training and the qualification it awards: Decree 101/2017/NĐ-CP Art. 5–6, 37
(to 30/6/2025), Decree 171/2025/NĐ-CP from 1/7/2025."""

from __future__ import annotations

import calendar
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from canbo.access import scope
from canbo.registry.models import Qualification, Unit
from canbo.training.models import (
    Course,
    EnrolmentStatus,
    PlannedAttendance,
    PlanStatus,
    TrainingEnrolment,
    TrainingPlan,
)


@dataclass(frozen=True)
class PlanParameters:
    """What a plan is solved with (the CLI's options, the page's form, the API's body)."""

    start_year: int
    years: int = 5
    degree_seats: int | None = None
    budget_vnd: int | None = None
    away_share: float = 0.2
    time_limit: float = 60.0
    planned_on: date | None = None  # default: 1 January of the start year


def solve_plan(
    unit: Unit,
    params: PlanParameters,
    *,
    user=None,
    rules=None,
    progress: Callable[[int, str], None] | None = None,
    lang: str = "vi",
) -> TrainingPlan:
    """Solve the plan of ``unit`` with ``params`` (the needs of the standards engine, the HiGHS
    optimiser and the greedy rule on the same instance) and store it as a draft."""
    from canbo.core.training.instance import build_instance
    from canbo.core.training.needs import training_needs
    from canbo.core.training.optimise import greedy, optimise
    from canbo.standards import services
    from canbo.standards.snapshot import load_snapshot
    from canbo.training.management.commands.plan_training import _open_rows

    def step(pct: int, text: str) -> None:
        if progress:
            progress(pct, text)

    on = params.planned_on or date(params.start_year, 1, 1)
    ruleset = rules or services.national_rules()
    catalogue_rows = {c.code: c for c in Course.objects.filter(active=True)}
    catalogue = [c.as_core() for c in catalogue_rows.values()]
    step(5, _("Đang đọc dữ liệu của đơn vị"))
    snapshot = load_snapshot(on, unit, staffing=False)
    step(25, _("Đang xác định nhu cầu đào tạo"))
    end = date(params.start_year + params.years, 1, 1)
    result = training_needs(snapshot, on, catalogue, ruleset, services.provincial_layer(), future=end)
    inst = build_instance(
        result,
        catalogue,
        params.start_year,
        params.years,
        budget=params.budget_vnd,
        degree_seats=params.degree_seats,
        away_share=params.away_share,
    )
    step(40, _("Đang giải bài toán tối ưu"))
    best = optimise(inst, time_limit=params.time_limit)
    step(85, _("Đang so sánh với cách làm thủ công"))
    by_hand = greedy(inst)
    names = dict(snapshot.people.select("person_id", "full_name").iter_rows())
    units = dict(snapshot.units.select("unit_id", "name").iter_rows())
    open_rows = _open_rows(best, result, names, units, lang).to_dicts()
    closes: dict[tuple[int, str, int], list[str]] = {}
    for o in best.outcomes:
        if o.closed_by is not None:
            key = (o.closed_by.person_id, o.closed_by.course, o.closed_by.year)
            closes.setdefault(key, []).append(result.needs[o.need.need_id].criterion)
    step(95, _("Đang lưu kế hoạch"))
    with transaction.atomic():
        plan = TrainingPlan.objects.create(
            unit=unit,
            planned_on=on,
            start_year=params.start_year,
            years=params.years,
            degree_seats=params.degree_seats,
            budget_vnd=params.budget_vnd,
            away_share=params.away_share,
            time_limit=params.time_limit,
            solver_status=best.status,
            gap=best.gap,
            objective=best.objective,
            greedy_objective=by_hand.objective,
            needs_count=len(result.needs),
            open_needs=open_rows,
            created_by=user,
        )
        bulk_create_with_history(
            [
                PlannedAttendance(
                    plan=plan,
                    person_id=a.person_id,
                    course=catalogue_rows[a.course],
                    start_year=a.year,
                    counts_from=a.year + inst.courses[a.course].years,
                    closes=closes.get((a.person_id, a.course, a.year), []),
                    cost_vnd=int(inst.courses[a.course].cost or 0),
                )
                for a in best.assignments
            ],
            PlannedAttendance,
        )
    step(100, _("Xong"))
    return plan


def _add_months(d: date, months: int) -> date:
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def approve(plan: TrainingPlan, user) -> list[TrainingEnrolment]:
    """Approve the draft ``plan`` (a province role in whose scope the plan's unit lies) and turn
    its first year's attendances into planned :class:`TrainingEnrolment` rows (start 1 January
    of that year, end after the course's months); returns them."""
    if not scope.may_approve_plan(user, plan):
        raise PermissionDenied(_("Chỉ cán bộ cấp tỉnh trong phạm vi quản lý được phê duyệt kế hoạch."))
    with transaction.atomic():
        plan = TrainingPlan.objects.select_for_update().get(pk=plan.pk)
        if plan.is_approved:
            raise ValidationError(_("Kế hoạch này đã được phê duyệt."))
        made = []
        first = plan.attendances.filter(start_year=plan.start_year).select_related("course", "person")
        for a in first:
            c = a.course
            start = date(a.start_year, 1, 1)
            e = TrainingEnrolment(
                person=a.person,
                course=c,
                course_name=c.name,
                kind=c.kind,
                target_dimension=c.target_dimension,
                target_level=c.target_level,
                field_of_study=c.field_of_study,
                institution=c.provider,
                start=start,
                end=_add_months(start, c.months),
                status=EnrolmentStatus.PLANNED,
                cost_vnd=c.cost_vnd,
            )
            e.full_clean()
            e.save()
            a.enrolment = e
            made.append((a, e))
        for a, _e in made:
            a.save(update_fields=["enrolment"])
        plan.status = PlanStatus.APPROVED
        plan.approved_by = user
        plan.approved_at = timezone.now()
        plan.save()
    return [e for _a, e in made]


def complete_enrolment(
    enrolment: TrainingEnrolment, end: date, user=None, result: str = ""
) -> Qualification | None:
    """Record that ``enrolment`` was completed on ``end``: its status, and — for a course that
    awards a level on the registry's scales — the :class:`Qualification` with the course as
    evidence (``enrolment.qualification``; the original text names the course), so that the
    standards check reads the new level from ``end`` on. Returns the qualification."""
    if user is not None:
        scope.ensure_in_scope(user, enrolment, scope.CHANGE)
    with transaction.atomic():
        enrolment.status = EnrolmentStatus.COMPLETED
        enrolment.end = end
        if result:
            enrolment.result = result
        enrolment.full_clean()
        q = enrolment.qualification
        if q is None and enrolment.target_dimension and enrolment.target_level:
            q = Qualification(
                person=enrolment.person,
                dimension=enrolment.target_dimension,
                level=enrolment.target_level,
                field_of_study=enrolment.field_of_study,
                institution=enrolment.institution,
                obtained_on=end,
                original_text=(f"Hoàn thành khóa {enrolment.course_name}")[:300],
            )
            q.full_clean()
            q.save()
            enrolment.qualification = q
        enrolment.save()
    return q
