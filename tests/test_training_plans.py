"""Training plans from draft to diploma (issue 13 §5) on the small standards world
(``standards_fixtures``): a solved plan is stored with its attendances and history, approved by a
province role only, never changed once approved (edits make a new draft), its first year turned
into planned enrolments; completing an enrolment records the qualification with the course as
evidence and the standards verdict changes."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import make_user
from django.core.exceptions import PermissionDenied, ValidationError
from standards_fixtures import standards_world  # noqa: F401  (fixture)

from canbo.access.models import Role
from canbo.registry.models import Qualification
from canbo.standards import services
from canbo.training.models import (
    ApprovedPlanError,
    Course,
    EnrolmentStatus,
    PlannedAttendance,
    TrainingEnrolment,
    TrainingPlan,
)
from canbo.training.plans import PlanParameters, approve, complete_enrolment, solve_plan

PARAMS = PlanParameters(start_year=2025, years=5, planned_on=date(2024, 12, 1), time_limit=20)


@pytest.fixture
def plan(standards_world):
    w = standards_world
    Qualification.objects.create(
        person=w.people["binh"], dimension="general_education", level="upper_secondary"
    )
    return solve_plan(w.units["c1"], PARAMS)


def status_of(person, criterion: str, on: date) -> str:
    f = services.findings_for_person(person, on)
    return {r["criterion"]: r["status"] for r in f.iter_rows(named=True)}[criterion]


def test_a_solved_plan_is_stored_as_a_draft_with_its_attendances(standards_world, plan):
    w = standards_world
    assert plan.status == "draft" and plan.solver_status == "optimal" and plan.gap == 0
    assert plan.objective >= plan.greedy_objective > 0
    assert plan.needs_count >= 1
    binh = plan.attendances.get(person=w.people["binh"])
    assert binh.course.code == "DH-LUAT" and binh.start_year == 2025 and binh.counts_from == 2029
    assert "professional" in binh.closes
    assert plan.history.count() == 1 and PlannedAttendance.history.filter(plan_id=plan.pk).exists()


def test_only_a_province_role_in_scope_approves(standards_world, plan):
    w = standards_world
    for user in (
        make_user("commune", Role.UNIT_OFFICER, w.units["c1"]),
        make_user("inspector", Role.INSPECTOR, w.units["province"]),
        make_user("admin", Role.SYSTEM_ADMIN),
        make_user("other_province", Role.PROVINCE_OFFICER, w.units["province2"]),
    ):
        with pytest.raises(PermissionDenied):
            approve(plan, user)
    plan.refresh_from_db()
    assert plan.status == "draft" and not TrainingEnrolment.objects.exists()


def test_approval_turns_the_first_year_into_planned_enrolments(standards_world, plan):
    w = standards_world
    officer = make_user("so_noi_vu", Role.PROVINCE_OFFICER, w.units["province"])
    made = approve(plan, officer)
    plan.refresh_from_db()
    assert plan.status == "approved" and plan.approved_by == officer and plan.approved_at
    first = plan.attendances.filter(start_year=2025)
    assert len(made) == first.count() >= 1
    e = TrainingEnrolment.objects.get(person=w.people["binh"])
    assert e.status == EnrolmentStatus.PLANNED and e.course.code == "DH-LUAT"
    assert e.start == date(2025, 1, 1) and e.end == date(2029, 1, 1)
    assert first.get(person=w.people["binh"]).enrolment == e
    assert not TrainingEnrolment.objects.filter(start__year__gt=2025).exists()
    with pytest.raises(ValidationError):
        approve(plan, officer)


def test_an_approved_plan_is_never_changed_edits_make_a_new_draft(standards_world, plan):
    w = standards_world
    approve(plan, make_user("so_noi_vu", Role.PROVINCE_OFFICER, w.units["province"]))
    plan.refresh_from_db()
    plan.budget_vnd = 1
    with pytest.raises(ApprovedPlanError):
        plan.save()
    a = plan.attendances.first()
    a.start_year = 2026
    with pytest.raises(ApprovedPlanError):
        a.save()
    with pytest.raises(ApprovedPlanError):
        a.delete()
    with pytest.raises(ApprovedPlanError):
        plan.delete()
    draft = plan.new_draft()
    assert draft.status == "draft" and draft.supersedes == plan and draft.pk != plan.pk
    assert draft.attendances.count() == plan.attendances.count()
    d = draft.attendances.first()
    d.start_year = 2026
    d.save()
    assert TrainingPlan.objects.get(pk=plan.pk).budget_vnd is None


def test_completing_an_enrolment_records_the_qualification_and_the_verdict_changes(standards_world):
    w = standards_world
    binh = w.people["binh"]
    on = date(2024, 6, 1)
    assert status_of(binh, "professional", on) == "unmet"
    course = Course.objects.get(code="DH-LUAT")
    e = TrainingEnrolment.objects.create(
        person=binh,
        course=course,
        course_name=course.name,
        kind=course.kind,
        target_dimension=course.target_dimension,
        target_level=course.target_level,
        field_of_study=course.field_of_study,
        start=date(2020, 9, 1),
        status=EnrolmentStatus.ENROLLED,
    )
    officer = make_user("xa_mot", Role.UNIT_OFFICER, w.units["c1"])
    q = complete_enrolment(e, date(2024, 5, 31), officer)
    e.refresh_from_db()
    assert e.status == EnrolmentStatus.COMPLETED and e.qualification == q
    assert (q.dimension, q.level, q.field_of_study, q.obtained_on) == (
        "professional",
        "university",
        "law",
        date(2024, 5, 31),
    )
    assert course.name in q.original_text
    assert status_of(binh, "professional", on) == "met"
    assert status_of(binh, "professional", date(2024, 5, 1)) == "unmet"  # counts from the diploma
    assert complete_enrolment(e, date(2024, 5, 31)) == q  # completing again adds nothing
    assert Qualification.objects.filter(person=binh, level="university").count() == 1


def test_completing_outside_the_scope_is_refused(standards_world):
    w = standards_world
    e = TrainingEnrolment.objects.create(
        person=w.people["binh"], course_name="X", kind="it", start=date(2023, 1, 1)
    )
    with pytest.raises(PermissionDenied):
        complete_enrolment(e, date(2023, 6, 1), make_user("xa_moi", Role.UNIT_OFFICER, w.units["c3"]))
    e.refresh_from_db()
    assert e.status == EnrolmentStatus.ENROLLED
