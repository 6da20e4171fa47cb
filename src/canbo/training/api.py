"""Training plans in the REST API (issue 13 §7): ask for a plan (a background job, 202), read the
plans of one's scope and one plan with its attendances and open needs, approve a plan.

The pages' twins through the same code: the gate of the page (``training_plan_new``,
``training_plans``, ``training_plan_approve`` → 403), the unit or plan through
:func:`canbo.web.views.common.get_visible` (404 outside the scope, nothing queued), the job through
:func:`canbo.jobs.services.submit_training_plan` (bad parameters: the form's Vietnamese messages,
422), approval through :func:`canbo.training.plans.approve` (a province role whose scope holds the
plan's unit; an approved plan: 422)."""

from __future__ import annotations

from datetime import date, datetime

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict

from canbo.access import scope
from canbo.api.common import LIMIT, MAX_ID, MAX_LIMIT, MAX_OFFSET, Id, PageInfo, UnitRef, gate, unit_ref
from canbo.api.errors import COMMON
from canbo.jobs import services
from canbo.jobs.api import JobOut, _job
from canbo.registry.models import Unit
from canbo.training import plans
from canbo.training.models import TrainingPlan
from canbo.web.views.common import get_visible

router = Router(tags=["Kế hoạch đào tạo (training plans)"])


class PlanIn(Schema):
    """A plan to make: of which unit, from which year, for how many years, within what."""

    model_config = ConfigDict(extra="forbid")

    unit: int = Field(ge=1, le=MAX_ID, description="Đơn vị (trong phạm vi).")
    start_year: int = Field(description="Năm đầu kế hoạch.")
    years: int = Field(5, description="Số năm (1–15).")
    degree_seats: int | None = Field(
        None, description="Chỉ tiêu đào tạo trình độ mỗi năm (trống: không giới hạn)."
    )
    budget_vnd: int | None = Field(None, description="Kinh phí mỗi năm, đồng (trống: không giới hạn).")
    away_share: float = Field(
        0.2, description="Tỷ lệ tối đa cán bộ của một xã đi học dài hạn cùng lúc (0–1)."
    )
    time_limit: float = Field(60.0, description="Thời gian giải tối đa (giây, 1–600).")


class AttendanceOut(Schema):
    person: int
    person_name: str
    unit: str
    course: str
    course_name: str
    start_year: int
    counts_from: int | None
    closes: list[str]
    cost_vnd: int
    enrolment: int | None


class PlanOut(Schema):
    """A plan: its parameters, status, the solver's status and gap, the greedy rule's objective."""

    id: int
    unit: UnitRef
    status: str = Field(description="draft (dự thảo) hoặc approved (đã phê duyệt).")
    planned_on: date
    start_year: int
    years: int
    degree_seats: int | None
    budget_vnd: int | None
    away_share: float
    solver_status: str = Field(description="optimal, time_limit, gap_above_tolerance, empty.")
    gap: float | None = Field(description="Khoảng cách tối ưu đã chứng minh (0–1).")
    objective: float
    greedy_objective: float = Field(description="Điểm của cách làm thủ công (cấp thiết trước).")
    needs: int
    created_at: datetime
    approved_at: datetime | None
    approved_by: str | None
    supersedes: int | None


class PlanDetail(PlanOut):
    attendances: list[AttendanceOut]
    open_needs: list[dict] = Field(description="Nhu cầu chưa đáp ứng và lý do.")


class PlanPage(PageInfo):
    items: list[PlanOut]


def _plan(p: TrainingPlan) -> dict:
    return {
        "id": p.pk,
        "unit": unit_ref(p.unit),
        "status": p.status,
        "planned_on": p.planned_on,
        "start_year": p.start_year,
        "years": p.years,
        "degree_seats": p.degree_seats,
        "budget_vnd": p.budget_vnd,
        "away_share": p.away_share,
        "solver_status": p.solver_status,
        "gap": p.gap,
        "objective": p.objective,
        "greedy_objective": p.greedy_objective,
        "needs": p.needs_count,
        "created_at": p.created_at,
        "approved_at": p.approved_at,
        "approved_by": p.approved_by.get_username() if p.approved_by else None,
        "supersedes": p.supersedes_id,
    }


def _detail(p: TrainingPlan) -> dict:
    rows = p.attendances.select_related("course", "person", "person__managing_unit").order_by(
        "start_year", "course__code", "pk"
    )
    return {
        **_plan(p),
        "attendances": [
            {
                "person": a.person_id,
                "person_name": a.person.full_name,
                "unit": a.person.managing_unit.name,
                "course": a.course.code,
                "course_name": a.course.name,
                "start_year": a.start_year,
                "counts_from": a.counts_from,
                "closes": list(a.closes or []),
                "cost_vnd": a.cost_vnd,
                "enrolment": a.enrolment_id,
            }
            for a in rows
        ],
        "open_needs": list(p.open_needs or []),
    }


@router.post(
    "/training/plans/",
    response={202: JobOut, **COMMON},
    summary="Lập một kế hoạch đào tạo (công việc chạy nền)",
    operation_id="training_plan_submit",
)
def training_plan_submit(request: HttpRequest, body: PlanIn):
    """Ask for a plan of a unit of one's scope: the job (202) is queued for the worker; when done,
    its ``plan`` is the new draft. A unit outside the scope: 404, nothing queued."""
    gate(request, "training_plan_new")
    unit = get_visible(request, Unit.objects.select_related("parent"), pk=body.unit)
    params = body.dict(exclude={"unit"})
    job = services.submit_training_plan(request.user, unit=unit, params=params)
    return Status(202, _job(job))


class PlanFilters(Schema):
    status: str | None = Field(None, pattern="^(draft|approved)$")
    limit: int = Field(LIMIT, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


@router.get(
    "/training/plans/",
    response={200: PlanPage, **COMMON},
    summary="Các kế hoạch đào tạo trong phạm vi",
    operation_id="training_plans_list",
)
def training_plans_list(request: HttpRequest, filters: Query[PlanFilters]):
    gate(request, "training_plans")
    qs = scope.restrict(TrainingPlan.objects.select_related("unit", "approved_by"), request.user, scope.VIEW)
    if filters.status:
        qs = qs.filter(status=filters.status)
    total = qs.count()
    rows = qs.order_by("-created_at", "-id")[filters.offset : filters.offset + filters.limit]
    return {
        "count": total,
        "limit": filters.limit,
        "offset": filters.offset,
        "items": [_plan(p) for p in rows],
    }


@router.get(
    "/training/plans/{plan_id}",
    response={200: PlanDetail, **COMMON},
    summary="Một kế hoạch đào tạo: các lượt, nhu cầu chưa đáp ứng",
    operation_id="training_plan_detail",
)
def training_plan_detail(request: HttpRequest, plan_id: Id):
    gate(request, "training_plans")
    plan = get_visible(request, TrainingPlan.objects.select_related("unit", "approved_by"), pk=plan_id)
    return _detail(plan)


@router.post(
    "/training/plans/{plan_id}/approve",
    response={200: PlanDetail, **COMMON},
    summary="Phê duyệt một kế hoạch đào tạo",
    operation_id="training_plan_approve",
)
def training_plan_approve(request: HttpRequest, plan_id: Id):
    """Approve a draft (a province role): the first year's attendances become planned
    enrolments (each attendance's ``enrolment``). An approved plan: 422."""
    gate(request, "training_plan_approve")
    plan = get_visible(request, TrainingPlan.objects.all(), pk=plan_id)
    plans.approve(plan, request.user)
    plan = TrainingPlan.objects.select_related("unit", "approved_by").get(pk=plan.pk)
    return _detail(plan)
