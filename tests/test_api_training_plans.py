"""Training plans through the REST API (issue 13 §7) on the small standards world: a plan asked
for (202, the job), read back with its attendances and open needs, approved by the province's
officer (the enrolments), refused to the commune; bad parameters answered 422 in Vietnamese. Who
may call what, in and out of scope: tests/test_api_matrix.py."""

from __future__ import annotations

import json

import pytest
from conftest import make_user
from django.test import Client
from standards_fixtures import standards_world  # noqa: F401  (fixture)

from canbo.access import tokens
from canbo.access.models import Role
from canbo.registry.models import Qualification
from canbo.training.models import TrainingEnrolment


def caller(user):
    _record, token = tokens.create(user, "phần mềm thử")
    client = Client()

    def call(method: str, url: str, body=None):
        kwargs = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
        if body is not None:
            return getattr(client, method)(
                url, data=json.dumps(body), content_type="application/json", **kwargs
            )
        return getattr(client, method)(url, **kwargs)

    return call


@pytest.fixture
def users(standards_world):
    w = standards_world
    Qualification.objects.create(
        person=w.people["binh"], dimension="general_education", level="upper_secondary"
    )
    return {
        "commune": make_user("xa_mot", Role.UNIT_OFFICER, w.units["c1"]),
        "province": make_user("so_noi_vu", Role.PROVINCE_OFFICER, w.units["province"]),
    }


def test_ask_read_and_approve_a_plan(standards_world, users):
    w = standards_world
    commune = caller(users["commune"])
    r = commune(
        "post", "/api/training/plans/", {"unit": w.units["c1"].pk, "start_year": 2024, "time_limit": 20}
    )
    assert r.status_code == 202, r.content
    job = r.json()
    assert job["kind"] == "training_plan" and job["status"] == "done" and job["plan"]
    plan = commune("get", f"/api/training/plans/{job['plan']}").json()
    assert plan["status"] == "draft" and plan["solver_status"] == "optimal" and plan["gap"] == 0
    assert plan["objective"] >= plan["greedy_objective"]
    assert [(a["person_name"], a["course"], a["start_year"]) for a in plan["attendances"]] == [
        ("Trần Thị Bình", "DH-LUAT", 2024)
    ]
    assert plan["open_needs"] and plan["open_needs"][0]["person_name"] == "Phạm Thị Em"
    listed = commune("get", "/api/training/plans/").json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == plan["id"]

    assert commune("post", f"/api/training/plans/{plan['id']}/approve").status_code == 403
    province = caller(users["province"])
    r = province("post", f"/api/training/plans/{plan['id']}/approve")
    assert r.status_code == 200, r.content
    approved = r.json()
    assert approved["status"] == "approved" and approved["approved_by"] == "so_noi_vu"
    enrolment = TrainingEnrolment.objects.get(pk=approved["attendances"][0]["enrolment"])
    assert enrolment.person == w.people["binh"] and enrolment.status == "planned"
    again = province("post", f"/api/training/plans/{plan['id']}/approve")
    assert again.status_code == 422 and "đã được phê duyệt" in again.content.decode()


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"years": 0}, "Số năm phải từ 1 đến 15."),
        ({"budget_vnd": -1}, "Kinh phí không được âm."),
        ({"away_share": 2}, "Tỷ lệ đi học phải từ 0 đến 1."),
    ],
)
def test_bad_parameters_are_422_in_vietnamese(standards_world, users, change, words):
    from canbo.jobs.models import Job

    w = standards_world
    body = {"unit": w.units["c1"].pk, "start_year": 2024, **change}
    r = caller(users["commune"])("post", "/api/training/plans/", body)
    assert r.status_code == 422 and words in r.content.decode()
    assert not Job.objects.exists()
