"""The training plan pages (issue 13 §7) on the small standards world: the parameters form with
its Vietnamese messages → the job → the plan by course and by commune with the open needs, the
solver's status and the greedy comparison → approval by the province's officer → the enrolments.
Who may open which page, in and out of scope: tests/test_web_matrix.py."""

from __future__ import annotations

import pytest
from conftest import make_user
from django.test import Client
from standards_fixtures import standards_world  # noqa: F401  (fixture)

from canbo.access.models import Role
from canbo.jobs.models import Job
from canbo.registry.models import Qualification
from canbo.training.models import TrainingEnrolment, TrainingPlan


def client(user) -> Client:
    c = Client()
    c.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return c


FORM = {
    "start_year": "2024",
    "years": "5",
    "degree_seats": "",
    "budget_vnd": "",
    "away_share": "0,2",
    "time_limit": "20",
}


@pytest.fixture
def officers(standards_world):
    w = standards_world
    Qualification.objects.create(
        person=w.people["binh"], dimension="general_education", level="upper_secondary"
    )
    return {
        "commune": make_user("xa_mot", Role.UNIT_OFFICER, w.units["c1"]),
        "province": make_user("so_noi_vu", Role.PROVINCE_OFFICER, w.units["province"]),
        "inspector": make_user("thanh_tra", Role.INSPECTOR, w.units["province"]),
    }


def test_from_the_form_through_the_job_to_the_approved_plan(standards_world, officers):
    w = standards_world
    commune = client(officers["commune"])
    menu = commune.get("/training/plans/").content.decode()
    assert "Kế hoạch đào tạo" in menu and 'id="new-plan"' in menu
    r = commune.post("/training/plans/new/", {**FORM, "unit": w.units["c1"].pk})
    assert r.status_code == 302 and r["Location"].startswith("/jobs/")
    job = Job.objects.get(kind="training_plan")
    assert job.status == "done", job.message
    job_page = commune.get(r["Location"]).content.decode()
    plan = TrainingPlan.objects.get()
    assert f"/training/plans/{plan.pk}/" in job_page
    page = commune.get(f"/training/plans/{plan.pk}/").content.decode()
    for text in ("Theo khóa học", "Theo xã", "Xã Một", "DH-LUAT", "Trần Thị Bình", "tối ưu (đã chứng minh)"):
        assert text in page, text
    assert "Cách làm thủ công" in page and 'id="approve"' not in page  # not for a commune
    assert commune.post(f"/training/plans/{plan.pk}/approve/").status_code == 403

    province = client(officers["province"])
    page = province.get(f"/training/plans/{plan.pk}/").content.decode()
    assert 'id="approve"' in page
    r = province.post(f"/training/plans/{plan.pk}/approve/", follow=True)
    page = r.content.decode()
    assert "Đã phê duyệt" in page and 'id="enrolments"' in page and 'id="approve"' not in page
    assert TrainingEnrolment.objects.filter(person=w.people["binh"], status="planned").exists()


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"start_year": "1990"}, "start_year", "Năm bắt đầu phải từ 2000 đến 2100."),
        ({"years": "0"}, "years", "Số năm phải từ 1 đến 15."),
        ({"years": "năm"}, "years", "Hãy nhập một số."),
        ({"budget_vnd": "-1"}, "budget_vnd", "Kinh phí không được âm."),
        ({"degree_seats": "-3"}, "degree_seats", "Chỉ tiêu không được âm."),
        ({"away_share": "1,5"}, "away_share", "Tỷ lệ đi học phải từ 0 đến 1."),
        ({"time_limit": "0"}, "time_limit", "Thời gian giải phải từ 1 đến 600 giây."),
        ({"start_year": ""}, "start_year", "Trường này là bắt buộc."),
    ],
)
def test_bad_parameters_are_answered_in_vietnamese(standards_world, officers, change, field, message):
    w = standards_world
    r = client(officers["commune"]).post("/training/plans/new/", {**FORM, "unit": w.units["c1"].pk, **change})
    assert r.status_code == 400
    page = r.content.decode()
    assert f'id="error-{field}"' in page and message in page
    assert not Job.objects.exists() and not TrainingPlan.objects.exists()


def test_a_unit_outside_the_scope_is_not_offered_nor_accepted(standards_world, officers):
    w = standards_world
    other = make_user("xa_moi", Role.UNIT_OFFICER, w.units["c3"])
    r = client(other).post("/training/plans/new/", {**FORM, "unit": w.units["c1"].pk})
    assert r.status_code == 400 and "Hãy chọn một đơn vị trong phạm vi của bạn." in r.content.decode()
    assert not Job.objects.exists()
    assert client(officers["inspector"]).get("/training/plans/new/").status_code == 403


def test_the_form_offers_the_units_that_still_exist_and_next_year(standards_world, officers):
    """A plan is for the years ahead: a commune abolished on 30/06/2025 is not offered beside the
    new one; an officer whose scope holds only abolished units still sees theirs."""
    from datetime import date

    w = standards_world
    from canbo.registry.models import UnitLineage

    # The new province's officer also keeps the files of the communes merged into it.
    UnitLineage.objects.create(predecessor=w.units["c1"], successor=w.units["c3"], date=date(2025, 7, 1))
    p2_officer = make_user("so_moi", Role.PROVINCE_OFFICER, w.units["province2"])
    assert f'value="{w.units["c1"].pk}"' in client(p2_officer).get("/reports/").content.decode()
    page = client(p2_officer).get("/training/plans/new/").content.decode()
    assert f'value="{w.units["c3"].pk}"' in page
    assert f'value="{w.units["c1"].pk}"' not in page
    assert f'name="start_year" value="{date.today().year + 1}"' in page
    legacy = client(officers["commune"]).get("/training/plans/new/").content.decode()
    assert f'value="{w.units["c1"].pk}"' in legacy
