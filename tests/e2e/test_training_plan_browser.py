"""A training plan in a real browser (issue 13 §7): the commune's officer fills the parameters,
the job runs (at once here), its page leads to the plan by course and by commune with the needs
left open; the province's officer approves it and sees the enrolments it made."""

from __future__ import annotations

import pytest

from e2e.browsing import PASSWORD, log_in, shot

IMMEDIATE = {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}


@pytest.fixture
def plan_world(transactional_db, tmp_path, settings):
    from conftest import make_user
    from standards_fixtures import build_world

    from canbo.access.models import Role
    from canbo.registry.models import Qualification
    from canbo.training.models import load_catalogue

    w = build_world(tmp_path)
    settings.CANBO_RULES_DIRS = [w.rules_dir]
    settings.TASKS = {"default": IMMEDIATE, "inline": IMMEDIATE}
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *settings.PASSWORD_HASHERS]
    load_catalogue()  # the flush after a live-server test wipes the migration's rows
    Qualification.objects.create(
        person=w.people["binh"], dimension="general_education", level="upper_secondary"
    )
    for name, role, unit in [
        ("xa_mot", Role.UNIT_OFFICER, w.units["c1"]),
        ("so_noi_vu", Role.PROVINCE_OFFICER, w.units["province"]),
    ]:
        u = make_user(name, role, unit)
        u.set_password(PASSWORD)
        u.save()
    return w


def test_plan_from_the_form_to_the_approval(page, live_server, plan_world):
    log_in(page, live_server.url, "xa_mot")
    page.click("nav.menu >> text=Kế hoạch đào tạo")
    page.click("#new-plan")
    page.fill("#id_start_year", "2024")
    page.fill("#id_years", "0")
    page.click("#plan-form button[type=submit]")
    assert "Số năm phải từ 1 đến 15." in page.locator("#error-years").inner_text()
    page.fill("#id_years", "5")
    page.fill("#id_time_limit", "20")
    page.click("#plan-form button[type=submit]")
    page.wait_for_selector("#job-plan")
    assert "Đã lập kế hoạch đào tạo" in page.locator("#job-message").inner_text()
    page.click("#job-plan")
    page.wait_for_selector("#by-course")
    assert "DH-LUAT" in page.locator("#by-course").inner_text()
    assert "Trần Thị Bình" in page.locator("#by-unit").inner_text()
    assert "Phạm Thị Em" in page.locator("#open-needs").inner_text()
    assert page.locator("#approve").count() == 0
    shot(page, "training-plan")
    url = page.url

    page.context.clear_cookies()
    log_in(page, live_server.url, "so_noi_vu")
    page.goto(url)
    page.click("#approve button")
    page.wait_for_selector("#enrolments")
    assert "Đã phê duyệt" in page.locator("#plan-status").inner_text()
    shot(page, "training-plan-approved")
