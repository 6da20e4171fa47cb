"""A province's report as a background job, in a real browser (issue 11 §2): the reports page
answers with the job's page, which waits; the job runs (here, in the test's process, by the code a
worker runs); the page — asking again every second on its own, no reload — shows the result and
stops asking; the file downloads, and the download is logged."""

from __future__ import annotations

import io
import time

import openpyxl

from e2e.browsing import log_in, shot

DATABASE = {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
IMMEDIATE = {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}


def test_a_province_report_waits_runs_and_is_downloaded(page, live_server, people_world, settings, tmp_path):
    from canbo.access.models import FileAccess
    from canbo.jobs.models import Job
    from canbo.jobs.runner import execute

    settings.TASKS = {"default": DATABASE, "inline": IMMEDIATE}
    settings.MEDIA_ROOT = tmp_path / "media"
    asked: list[str] = []
    page.on("request", lambda r: asked.append(r.url) if "/status/" in r.url else None)

    log_in(page, live_server.url, "sonoivu_langson")
    page.goto(f"{live_server.url}/reports/")
    page.check("input[name=report][value=staffing]")
    page.fill("#on", "31/12/2025")
    page.click("#report-form button[type=submit]")
    page.wait_for_url("**/jobs/*/")
    job = Job.objects.get()
    assert page.locator("#job-state").inner_text() == "Đang chờ"
    page.wait_for_function("window.htmx !== undefined")
    deadline = time.monotonic() + 10
    while not asked and time.monotonic() < deadline:
        page.wait_for_timeout(200)
    assert asked, "the page asks for the job's status on its own"
    shot(page, "job-waiting")

    execute(job.pk, job.task_id)  # what a worker does
    page.wait_for_selector("#job-download", timeout=15_000)
    assert page.locator("#job-state").inner_text() == "Đã xong"
    assert "Đã lập báo cáo" in page.locator("#job-message").inner_text()
    shot(page, "job-done")
    page.wait_for_timeout(300)  # the last answer's events
    seen = len(asked)
    page.wait_for_timeout(2500)  # (Playwright hands over the page's events while it waits)
    assert len(asked) == seen, "a finished job's page no longer asks"

    with page.expect_download() as download:
        page.click("#job-download")
    assert download.value.suggested_filename.startswith("bao-cao-bien-che-20-")
    with open(download.value.path(), "rb") as fh:
        assert "Biên chế" in openpyxl.load_workbook(io.BytesIO(fh.read())).sheetnames
    assert FileAccess.objects.filter(username="sonoivu_langson", action="report").count() == 1
    page.click("nav.menu >> text=Công việc")
    assert f"#{job.pk}" in page.locator("#jobs").inner_text()
