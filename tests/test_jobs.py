"""Background jobs as the pages and the services show them (issue 11 §2), in this process: the
queue is django-tasks-db's table (the database backend), and the job is run here by the same
code a worker runs (:func:`canbo.jobs.runner.execute`) — the real workers are in
``test_jobs_worker.py``.

* a job for a unit outside the user's scope, or with bad parameters, is refused with a clear
  Vietnamese message and never queued (issue 11, "Bad input");
* a province's report is queued and its page shows it waiting, then the file (downloads logged);
  a commune's is drawn up at once, through the same code;
* a large list is read and written as jobs, the batch's page meanwhile offering no commit;
* a user sees only their own jobs; the system administrator all;
* a queued job can be cancelled; a failed one shows its message and can run again;
* a job whose runner is gone is queued again, then failed with a Vietnamese message.
"""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from import_lists import person_row, write_list

DATABASE = {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
IMMEDIATE = {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}
ON = date(2025, 12, 31)


@pytest.fixture
def queue(settings, tmp_path):
    """Jobs queued in the database (a worker would take them), files under a temporary folder."""
    settings.TASKS = {"default": DATABASE, "inline": IMMEDIATE}
    settings.MEDIA_ROOT = tmp_path / "media"


def run(job):
    """Run ``job`` here, as a worker would (its task: the one in the queue)."""
    from canbo.jobs.runner import execute

    status = execute(job.pk, job.task_id)
    job.refresh_from_db()
    assert job.status == status
    return job


def tasks():
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects


# --------------------------------------------------------------------------- refusals


@pytest.mark.parametrize(
    "role, unit_key",
    [
        ("dongdang", "kylua"),
        ("dongdang", "p20"),
        ("caoloc", "dongdang"),
        ("hanoi", "p20"),
        ("province", "hn"),
    ],
)
def test_a_report_for_a_unit_outside_the_scope_is_refused_and_never_queued(world, queue, role, unit_key):
    from canbo.jobs import services
    from canbo.jobs.models import Job

    unit = getattr(world.units, unit_key)
    with pytest.raises(services.JobRefused) as refused:
        services.submit_report(world.users[role], report="quality", unit=unit, on=ON, fmt="xlsx")
    assert refused.value.message == (
        f"Đơn vị “{unit.name}” nằm ngoài phạm vi được phân quyền của bạn; công việc không được tạo."
    )
    assert not Job.objects.exists() and not tasks().exists()


def test_an_import_outside_the_scope_or_by_a_reader_is_refused(world, queue, tmp_path):
    from canbo.imports import services as imports
    from canbo.jobs import services
    from canbo.jobs.models import Job

    path = write_list(tmp_path / "ds.xlsx", [])
    batch = imports.copy_into_batch(path, world.units.kylua, ON, world.users["province"])
    for role in ("dongdang", "hanoi"):  # Kỳ Lừa is not theirs
        with pytest.raises(services.JobRefused, match="nằm ngoài phạm vi"):
            services.submit_import_preview(world.users[role], batch)
        with pytest.raises(services.JobRefused, match="nằm ngoài phạm vi"):
            services.submit_import_commit(world.users[role], batch, None)
    with pytest.raises(services.JobRefused, match="không được"):  # the inspector only reads
        services.submit_import_commit(world.users["inspector"], batch, None)
    with pytest.raises(services.JobRefused, match="Hãy đăng nhập"):
        services.submit_report(
            world.users["inactive"], report="quality", unit=world.units.p20, on=ON, fmt="xlsx"
        )
    assert not Job.objects.exists() and not tasks().exists()


def test_the_refusal_is_a_403_page_that_says_why(world, rf):
    from canbo.jobs.services import JobRefused
    from canbo.web.errors import permission_denied

    request = rf.get("/")
    request.user = world.users["dongdang"]
    response = permission_denied(request, JobRefused("Đơn vị “Phường Kỳ Lừa” nằm ngoài phạm vi"))
    assert (
        response.status_code == 403
        and "Đơn vị “Phường Kỳ Lừa” nằm ngoài phạm vi" in response.content.decode()
    )


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"report": "salaries"}, "Hãy chọn một báo cáo trong danh sách."),
        ({"fmt": "docx"}, "Định dạng “docx” không có"),
        ({"on": date(2004, 12, 31)}, "nằm ngoài khoảng cho phép"),
        ({"on": date(9999, 1, 1)}, "nằm ngoài khoảng cho phép"),
        ({"on": date(2025, 3, 1)}, "không tồn tại vào ngày 01/03/2025"),  # new province from 01/07/2025
    ],
)
def test_bad_parameters_are_refused_before_anything_is_queued(world, queue, changes, message):
    from canbo.jobs import services
    from canbo.jobs.models import Job

    asked = {"report": "quality", "unit": world.units.p20, "on": ON, "fmt": "xlsx", **changes}
    with pytest.raises(ValidationError) as refused:
        services.submit_report(world.users["province"], **asked)
    assert message in refused.value.messages[0]
    assert not Job.objects.exists() and not tasks().exists()


# --------------------------------------------------------------------------- reports


def test_a_province_report_is_queued_then_its_page_offers_the_file(world, queue, client):
    from canbo.access.models import FileAccess
    from canbo.jobs.models import Job

    user = world.users["province"]
    client.force_login(user)
    asked = {"report": "staffing", "format": "xlsx", "on": "31/12/2025", "unit": world.units.p20.pk}
    response = client.get("/reports/download/", asked)
    job = Job.objects.get()
    assert response.status_code == 302 and response.url == f"/jobs/{job.pk}/"
    assert job.status == "queued" and job.kind == "report" and job.language == "vi"
    assert job.params == {"report": "staffing", "on": "2025-12-31", "format": "xlsx"}
    assert tasks().get().status == "READY" and str(tasks().get().id) == job.task_id
    # A second click while it waits: the same job, not a second one.
    assert client.get("/reports/download/", asked).url == f"/jobs/{job.pk}/"
    assert Job.objects.count() == 1 and tasks().count() == 1

    html = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "Đang chờ tiến trình xử lý" in html and 'hx-trigger="every 1s"' in html
    assert f'hx-get="/jobs/{job.pk}/status/"' in html and 'id="job-cancel"' in html
    assert "Biên chế" in html and "Tỉnh Lạng Sơn" in html  # what it is about

    job = run(job)
    assert job.status == "done" and job.attempts == 1 and job.done == job.total == 2
    assert job.result_file.name.startswith("jobs/") and job.result_name.endswith(".xlsx")
    fragment = client.get(f"/jobs/{job.pk}/status/").content.decode()
    assert "hx-trigger" not in fragment and 'id="job-cancel"' not in fragment
    assert "Đã lập báo cáo “Biên chế: thừa, thiếu, yếu" in fragment and 'id="job-download"' in fragment
    download = client.get(f"/jobs/{job.pk}/file/")
    assert download.status_code == 200 and job.result_name in download["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    assert "Biên chế" in book.sheetnames
    logged = FileAccess.objects.get(user=user, action="report")
    assert logged.what == f"job #{job.pk}: {job.result_name}"
    listing = client.get("/jobs/").content.decode()
    assert f'href="/jobs/{job.pk}/"' in listing and "Đã xong" in listing


def test_a_communes_report_is_drawn_up_at_once_through_the_same_job(world, queue, client):
    from canbo.access.models import FileAccess
    from canbo.jobs.models import Job

    client.force_login(world.users["dongdang"])
    response = client.get(
        "/reports/download/",
        {"report": "quality", "format": "pdf", "on": "31/12/2025", "unit": world.units.dongdang.pk},
    )
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    job = Job.objects.get()
    assert job.status == "done" and job.task_id and not tasks().exists()  # never in the queue
    assert FileAccess.objects.filter(action="report").count() == 1


def test_an_english_speaking_user_gets_the_job_in_english(world, queue, client):
    from canbo.jobs.models import Job

    client.force_login(world.users["province"])
    client.cookies["django_language"] = "en"
    client.get(
        "/reports/download/",
        {"report": "quality", "format": "xlsx", "on": "31/12/2025", "unit": world.units.p20.pk},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    job = run(Job.objects.get())
    assert job.language == "en" and job.message.startswith("Report")


def test_a_job_that_breaks_fails_with_a_vietnamese_message(world, queue, client):
    """An unexpected error inside a job: the job says so in Vietnamese; the error is re-raised for
    the task's record (its traceback), never shown as an error page."""
    from canbo.jobs.models import Job
    from canbo.jobs.runner import execute

    user = world.users["province"]
    job = Job.objects.create(
        kind="report",
        user=user,
        unit=world.units.p20,
        params={"report": "quality", "on": "31/31/2025", "format": "xlsx"},
    )
    with pytest.raises(ValueError):
        execute(job.pk)
    job.refresh_from_db()
    assert job.status == "failed" and "Lỗi hệ thống" in job.message and f"#{job.pk}" in job.message
    client.force_login(user)
    page = client.get(f"/jobs/{job.pk}/")
    assert page.status_code == 200 and "Lỗi hệ thống" in page.content.decode()
    assert 'id="job-again"' in page.content.decode()


# --------------------------------------------------------------------------- who sees which job


def test_each_user_sees_only_their_own_jobs_and_the_administrator_all(world, queue, client):
    from canbo.jobs import services

    mine = services.submit_report(
        world.users["dongdang"], report="quality", unit=world.units.dongdang, on=ON, fmt="xlsx"
    )
    theirs = services.submit_report(
        world.users["province"], report="quality", unit=world.units.p20, on=ON, fmt="xlsx"
    )
    client.force_login(world.users["dongdang"])
    listing = client.get("/jobs/").content.decode()
    assert f'href="/jobs/{mine.pk}/"' in listing and f'href="/jobs/{theirs.pk}/"' not in listing
    for url in ("/jobs/{}/", "/jobs/{}/status/", "/jobs/{}/file/"):
        assert client.get(url.format(theirs.pk)).status_code == 404
    assert client.post(f"/jobs/{theirs.pk}/cancel/").status_code == 404
    assert services.visible_jobs(world.users["province"]).get() == theirs  # even in their scope

    client.force_login(world.users["admin"])
    everyone = client.get("/jobs/?all=1").content.decode()
    assert f'href="/jobs/{mine.pk}/"' in everyone and f'href="/jobs/{theirs.pk}/"' in everyone
    assert client.get(f"/jobs/{theirs.pk}/").status_code == 200
    assert "Công việc" in client.get("/").content.decode()  # in the menu


def test_a_job_of_a_unit_that_left_the_users_scope_is_no_longer_theirs(world, queue):
    from canbo.jobs import services

    user = world.users["dongdang"]
    job = services.submit_report(user, report="quality", unit=world.units.dongdang, on=ON, fmt="xlsx")
    user.scope_unit = world.units.kylua
    user.save()
    user = type(user).objects.get(pk=user.pk)  # the scope is cached per request
    assert not services.visible_jobs(user).filter(pk=job.pk).exists()


# --------------------------------------------------------------------------- imports


def dongdang_rows():
    return [
        person_row(
            "Triệu", "Văn", "Sơn", date(1982, 4, 9), "male", "Xã Đồng Đăng", "Chủ tịch UBND", serial=11
        ),
        person_row(
            "Hà", "Thị", "Lan", date(1990, 8, 21), "female", "Đồng Đăng", "Phó Chủ tịch UBND", serial=12
        ),
    ]


def test_a_large_list_is_read_and_written_as_jobs(world, queue, client, tmp_path, settings):
    """Above the thresholds (here: any list) the preview and the commit go to the queue; the
    batch's page meanwhile says so and offers no commit."""
    from canbo.imports.models import ImportBatch
    from canbo.jobs.models import Job
    from canbo.registry.models import Person

    settings.CANBO_JOBS_INLINE_IMPORT_BYTES = 0
    settings.CANBO_JOBS_INLINE_IMPORT_ROWS = 0
    user = world.users["dongdang"]
    client.force_login(user)
    with open(write_list(tmp_path / "ds.xlsx", dongdang_rows()), "rb") as fh:
        response = client.post(
            "/import/upload/", {"file": fh, "unit": world.units.dongdang.pk, "as_of": "31/12/2025"}
        )
    batch, preview = ImportBatch.objects.get(), Job.objects.get()
    assert response.status_code == 302 and response.url == f"/jobs/{preview.pk}/"
    assert batch.status == "received" and preview.kind == "import_preview" and preview.batch == batch
    page = client.get(f"/import/{batch.pk}/").content.decode()
    assert 'id="batch-job"' in page and 'id="commit-form"' not in page

    preview = run(preview)
    batch.refresh_from_db()
    assert preview.status == "done" and batch.status == "previewed"
    assert preview.result["counts"]["rows"] == 2 and preview.result["counts"]["create"] == 2
    fragment = client.get(f"/jobs/{preview.pk}/status/").content.decode()
    assert "Đã kiểm tra 2 dòng hợp lệ" in fragment and f'href="/import/{batch.pk}/"' in fragment
    assert 'id="job-counts"' in fragment and "Tạo hồ sơ mới" in fragment
    assert 'id="commit-form"' in client.get(f"/import/{batch.pk}/").content.decode()

    response = client.post(f"/import/{batch.pk}/commit/", {"fingerprint": batch.summary["fingerprint"]})
    commit = Job.objects.get(kind="import_commit")
    assert response.url == f"/jobs/{commit.pk}/" and commit.status == "queued"
    page = client.get(f"/import/{batch.pk}/").content.decode()
    assert "Đang ghi danh sách này vào hồ sơ" in page and 'id="commit-form"' not in page
    # A second click: the same job.
    again = client.post(f"/import/{batch.pk}/commit/", {"fingerprint": batch.summary["fingerprint"]})
    assert again.url == f"/jobs/{commit.pk}/" and Job.objects.filter(kind="import_commit").count() == 1
    assert not Person.objects.filter(given_name__in=["Sơn", "Lan"]).exists()

    commit = run(commit)
    batch.refresh_from_db()
    assert commit.status == "done" and batch.status == "committed" and batch.committed_by == user
    assert commit.message.startswith("Đã ghi: 2 hồ sơ mới") and commit.done == commit.total
    fragment = client.get(f"/jobs/{commit.pk}/status/").content.decode()
    written = fragment[fragment.index('id="job-counts"') :]
    assert "Hồ sơ đã tạo" in written and "Số dòng hợp lệ" not in written  # what it wrote
    assert Person.objects.filter(given_name__in=["Sơn", "Lan"]).count() == 2


def test_a_small_list_is_read_at_once_and_a_stale_commit_is_refused_with_its_reason(
    world, queue, client, tmp_path
):
    from canbo.imports.models import ImportBatch
    from canbo.jobs.models import Job

    client.force_login(world.users["dongdang"])
    with open(write_list(tmp_path / "ds.xlsx", dongdang_rows()), "rb") as fh:
        response = client.post(
            "/import/upload/", {"file": fh, "unit": world.units.dongdang.pk, "as_of": "31/12/2025"}
        )
    batch = ImportBatch.objects.get()
    assert response.url == f"/import/{batch.pk}/" and batch.status == "previewed" and not tasks().exists()
    stale = client.post(f"/import/{batch.pk}/commit/", {"fingerprint": "0" * 64}, follow=True)
    assert "Hồ sơ hoặc tệp đã thay đổi từ lúc xem trước" in stale.content.decode()
    failed = Job.objects.get(kind="import_commit")
    assert failed.status == "failed" and "chưa ghi gì" in failed.message


def test_an_upload_in_one_call_for_the_rest_api(world, queue, tmp_path):
    """``submit_import``: kept and read (a small list: at once); a unit outside the scope refused
    before anything is kept; a file that is not Excel refused with the form's message."""
    from canbo.imports.models import ImportBatch
    from canbo.jobs import services

    user = world.users["dongdang"]
    content = write_list(tmp_path / "ds.xlsx", dongdang_rows()).read_bytes()
    with pytest.raises(services.JobRefused, match="nằm ngoài phạm vi"):
        services.submit_import(
            user, file=SimpleUploadedFile("ds.xlsx", content), unit=world.units.kylua, as_of=ON
        )
    with pytest.raises(ValidationError, match="Chỉ nhận tệp Excel"):
        services.submit_import(
            user, file=SimpleUploadedFile("ds.csv", b"a,b"), unit=world.units.dongdang, as_of=ON
        )
    assert not ImportBatch.objects.exists()
    job = services.submit_import(
        user, file=SimpleUploadedFile("ds.xlsx", content), unit=world.units.dongdang, as_of=ON
    )
    assert job.kind == "import_preview" and job.status == "done" and job.result["counts"]["rows"] == 2
    assert job.batch.status == "previewed" and job.batch.uploaded_by == user


def test_a_preview_cannot_be_committed_before_it_is_read(world, queue, tmp_path):
    from canbo.imports import services as imports
    from canbo.jobs import services

    path = write_list(tmp_path / "ds.xlsx", dongdang_rows())
    upload = SimpleUploadedFile("ds.xlsx", path.read_bytes())
    batch = imports.store_upload(
        upload, "ds.xlsx", world.units.dongdang, ON, world.users["dongdang"], status="received"
    )
    with pytest.raises(ValidationError, match="đang được kiểm tra"):
        services.submit_import_commit(world.users["dongdang"], batch, None)


# --------------------------------------------------------------------------- cancel, again, recover


def test_a_queued_job_is_cancelled_and_then_never_runs(world, queue, client):
    from canbo.jobs import services

    user = world.users["province"]
    job = services.submit_report(user, report="trend", unit=world.units.p20, on=ON, fmt="xlsx")
    client.force_login(user)
    response = client.post(f"/jobs/{job.pk}/cancel/", follow=True)
    assert "Đã hủy trước khi chạy" in response.content.decode()
    job = run(job)
    assert job.status == "cancelled" and job.attempts == 0 and not job.result_file
    again = client.post(f"/jobs/{job.pk}/cancel/", follow=True)
    assert "Công việc đã kết thúc; không còn gì để hủy." in again.content.decode()
    # Run again: a new job, queued.
    response = client.post(f"/jobs/{job.pk}/again/")
    new = type(job).objects.exclude(pk=job.pk).get()
    assert response.url == f"/jobs/{new.pk}/" and new.status == "queued" and new.params == job.params


def test_a_job_whose_runner_is_gone_runs_again_then_fails_with_a_vietnamese_message(world, queue, settings):
    """``recover`` (run by every worker): a job marked running whose lease nobody holds."""
    from canbo.jobs import services
    from canbo.jobs.lease import Lease
    from canbo.jobs.models import Job
    from canbo.jobs.runner import recover

    settings.CANBO_JOBS_ATTEMPTS = 2
    job = services.submit_report(
        world.users["province"], report="quality", unit=world.units.p20, on=ON, fmt="xlsx"
    )
    first_task = job.task_id
    # A worker took it and died (its claim written, its lease gone with it).
    Job.objects.filter(pk=job.pk).update(status="running", attempts=1, worker="elsewhere:1")
    tasks().filter(id=first_task).update(status="RUNNING")
    # While someone holds its lease, the job is left alone.
    held = Lease(job.pk)
    assert held.try_acquire()
    assert recover() == {}
    held.release()

    assert recover() == {"requeued": 1}
    job.refresh_from_db()
    assert job.status == "queued" and job.task_id != first_task
    assert "xếp hàng chạy lại" in job.message
    assert tasks().get(id=first_task).status == "FAILED" and tasks().get(id=job.task_id).status == "READY"

    Job.objects.filter(pk=job.pk).update(status="running", attempts=2)
    assert recover() == {"failed": 1}
    job.refresh_from_db()
    assert job.status == "failed" and job.finished_at is not None
    assert job.message.startswith("Tiến trình xử lý dừng đột ngột khi đang làm công việc này (đã chạy 2 lần)")


def test_result_files_are_deleted_after_the_keeping_period(world, queue, client, settings):
    from datetime import timedelta

    from django.utils import timezone

    from canbo.jobs import services
    from canbo.jobs.models import Job
    from canbo.jobs.runner import prune_results

    settings.CANBO_JOBS_KEEP_DAYS = 30
    user = world.users["dongdang"]
    old = services.submit_report(user, report="quality", unit=world.units.dongdang, on=ON, fmt="xlsx")
    new = services.submit_report(user, report="staffing", unit=world.units.dongdang, on=ON, fmt="xlsx")
    path = old.result_file.path
    Job.objects.filter(pk=old.pk).update(finished_at=timezone.now() - timedelta(days=31))
    assert prune_results() == 1
    old.refresh_from_db()
    new.refresh_from_db()
    assert not old.result_file and not Path(path).exists() and new.result_file
    client.force_login(user)
    fragment = client.get(f"/jobs/{old.pk}/status/").content.decode()
    assert 'id="job-file-gone"' in fragment
    assert client.get(f"/jobs/{old.pk}/file/").status_code == 400
