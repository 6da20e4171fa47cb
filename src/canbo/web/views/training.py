"""Training plans (issue 13 §7): the list of plans of the user's scope, the parameters form → a
background job with progress (:func:`canbo.jobs.services.submit_training_plan`) → the plan by
course and by commune, the needs it leaves open and why, the solver's status and gap and the
greedy rule's result → approval by a province role (:func:`canbo.training.plans.approve`) → the
enrolments it made. Pages gated by ``training_plans`` / ``training_plan_new`` /
``training_plan_approve`` (:data:`canbo.access.scope.PAGES`); a plan outside the scope is 404."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from canbo.access import scope
from canbo.core.formatting import fmt_int
from canbo.jobs import services as jobs
from canbo.registry.models import Unit
from canbo.training import plans
from canbo.training.forms import PlanForm
from canbo.training.models import TrainingPlan
from canbo.web.views.common import get_visible, page

#: The solver's status in words.
STATUS = {
    "optimal": gettext_lazy("tối ưu (đã chứng minh)"),
    "time_limit": gettext_lazy("HẾT THỜI GIAN — phương án tốt nhất tìm được"),
    "empty": gettext_lazy("không có phương án nào khả thi"),
    "gap_above_tolerance": gettext_lazy(
        "chưa chứng minh được trong sai số cho phép — phương án tốt nhất tìm được"
    ),
}


def _plans(request):
    return scope.restrict(TrainingPlan.objects.select_related("unit"), request.user, scope.VIEW)


@page("training_plans")
def training_plans(request):
    """The plans of the user's scope, newest first, and the way to a new one."""
    rows = list(_plans(request)[:100])
    return render(
        request,
        "web/training_plans.html",
        {"rows": rows, "may_new": scope.may_open(request.user, "training_plan_new"), "status": STATUS},
    )


@page("training_plan_new")
def training_plan_new(request):
    """The parameters form; a valid POST asks for the job and goes to its page."""
    units = scope.restrict(Unit.objects.order_by("level", "name"), request.user, scope.VIEW)
    # A plan is for the years ahead: offer the units that still exist (communes abolished on
    # 30/06/2025 only to a user whose scope holds nothing else, e.g. a former district's officer).
    current = units.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=date.today()))
    if current.exists():
        units = current
    if request.method == "POST":
        form = PlanForm(request.POST, units=units)
        if form.is_valid():
            try:
                job = jobs.submit_training_plan(
                    request.user, unit=form.cleaned_data["unit"], params=form.params
                )
            except ValidationError as e:
                form.add_error(None, e)
            else:
                return HttpResponseRedirect(reverse("web:job", args=[job.pk]))
        status = 400
    else:
        initial = {"start_year": date.today().year + 1, "years": 5, "away_share": "0.2", "time_limit": 60}
        if request.user.scope_unit_id:
            initial["unit"] = request.user.scope_unit_id
        form = PlanForm(initial=initial, units=units)
        status = 200
    return render(request, "web/training_plan_new.html", {"form": form}, status=status)


def _by_course(attendances) -> list[dict]:
    groups: dict[str, dict] = {}
    for a in attendances:
        g = groups.setdefault(
            a.course.code, {"course": a.course, "years": defaultdict(int), "n": 0, "cost": 0}
        )
        g["years"][a.start_year] += 1
        g["n"] += 1
        g["cost"] += a.cost_vnd
    return list(groups.values())


def _by_unit(attendances) -> list[dict]:
    groups: dict[int, dict] = {}
    for a in attendances:
        u = a.person.managing_unit
        g = groups.setdefault(u.pk, {"unit": u, "rows": []})
        g["rows"].append(a)
    return sorted(groups.values(), key=lambda g: g["unit"].name)


@page("training_plans")
def training_plan(request, pk: int):
    """One plan: its parameters and results, by course and by commune, the open needs."""
    plan = get_visible(
        request, TrainingPlan.objects.select_related("unit", "approved_by", "created_by"), pk=pk
    )
    attendances = list(
        plan.attendances.select_related("course", "person", "person__managing_unit", "enrolment").order_by(
            "start_year", "course__code", "person__given_name"
        )
    )
    years = list(range(plan.start_year, plan.end_year + 1))
    by_course = _by_course(attendances)
    for g in by_course:
        g["per_year"] = [g["years"].get(y, 0) for y in years]
        g["cost_text"] = fmt_int(g["cost"])
    enrolments = [a.enrolment for a in attendances if a.enrolment is not None]
    context = {
        "plan": plan,
        "years": years,
        "by_course": by_course,
        "by_unit": _by_unit(attendances),
        "open_needs": plan.open_needs,
        "status_text": STATUS.get(plan.solver_status, plan.solver_status),
        "gap_pct": None if plan.gap is None else plan.gap * 100,
        "ratio": plan.objective / plan.greedy_objective if plan.greedy_objective else None,
        "may_approve": not plan.is_approved and scope.may_approve_plan(request.user, plan),
        "enrolments": enrolments,
        "total_cost_text": fmt_int(sum(a.cost_vnd for a in attendances)),
        "budget_text": fmt_int(plan.budget_vnd) if plan.budget_vnd is not None else "",
        "count": len(attendances),
    }
    return render(request, "web/training_plan.html", context)


@require_POST
@page("training_plan_approve")
def training_plan_approve(request, pk: int):
    """Approve the plan (a province role whose scope holds its unit); back to its page."""
    plan = get_visible(request, TrainingPlan.objects.all(), pk=pk)
    if plan.is_approved:
        messages.info(request, _("Kế hoạch này đã được phê duyệt."))
    else:
        made = plans.approve(plan, request.user)
        messages.success(
            request,
            _("Đã phê duyệt kế hoạch; %(n)s lượt đào tạo năm đầu đã được ghi (dự kiến).") % {"n": len(made)},
        )
    return HttpResponseRedirect(reverse("web:training_plan", args=[plan.pk]))
