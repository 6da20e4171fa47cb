"""Background jobs run by real workers (issue 11 §2): ``canbo worker`` processes, started by the
test, on the test's own database — a file on SQLite (the in-memory test database copied into it),
the test database on PostgreSQL.

* a job asked for through the pages survives a restart of the web server: a worker started
  afterwards runs it, and its page then offers the file (each download logged);
* two workers take distinct jobs and none runs twice (20 jobs; every task claimed once, every job
  run once, both workers busy);
* a worker killed (SIGKILL) inside an import's transaction leaves nothing written — no person,
  post, qualification or history entry of that list — and the next worker to start queues the job
  again and runs it once (or, its attempts spent, marks it failed with a Vietnamese message);
* a running job's progress shows on its page, which stops asking once the job has finished;
* a running import asked to stop stops at its next step and writes nothing.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from django.db import connection, transaction
from import_lists import person_row, write_list

pytestmark = pytest.mark.slow

TESTS = Path(__file__).resolve().parent
DATABASE = {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
IMMEDIATE = {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}
#: A worker that does not finish in this many seconds has failed the test.
PATIENCE = 120

# --------------------------------------------------------------------------- the world, committed

_REFERENCE: dict[str, list[dict]] = {}


@pytest.fixture
def reference(transactional_db):
    """Overrides ``tests/conftest.py``'s module-wide ``reference`` (which the flush after each
    transactional test would wipe): the same units and titles, loaded once, then copied back."""
    from canbo.registry.models import Title, Unit, UnitLineage
    from canbo.registry.reference import load_reference

    models = {"unit": Unit, "lineage": UnitLineage, "title": Title}
    if not _REFERENCE:
        load_reference({1, 20})
        for key, model in models.items():
            _REFERENCE[key] = list(model.objects.order_by("pk").values())
        return
    with transaction.atomic():
        for key, model in models.items():
            model.objects.bulk_create([model(**row) for row in _REFERENCE[key]], batch_size=2000)


@pytest.fixture
def shared(transactional_db, tmp_path, settings):
    """The environment of a process of its own that opens this test's database: on PostgreSQL
    the test database; on SQLite the in-memory test database copied into a file, which this
    process then uses too (and leaves again at the end). Media files under the same home; jobs
    queued in the database (django-tasks-db)."""
    home = tmp_path / "home"
    (home / "var").mkdir(parents=True)
    settings.MEDIA_ROOT = home / "var" / "media"
    settings.TASKS = {"default": DATABASE, "inline": IMMEDIATE}
    env = {
        **os.environ,
        "CANBO_HOME": str(home),
        "DJANGO_SETTINGS_MODULE": "canbo.settings",
        "CANBO_LOG_LEVEL": "WARNING",
    }
    d = connection.settings_dict
    if connection.vendor == "postgresql":
        password = f":{d['PASSWORD']}" if d.get("PASSWORD") else ""
        env["DATABASE_URL"] = f"postgres://{d['USER']}{password}@{d['HOST']}:{d['PORT'] or 5432}/{d['NAME']}"
        yield env
        return
    path = home / "var" / "canbo.sqlite3"
    connection.ensure_connection()
    memory, name = connection.connection, d["NAME"]
    target = sqlite3.connect(path)
    memory.backup(target)
    target.close()
    connection.connection = None  # the next query opens the file
    d["NAME"] = str(path)
    env["DATABASE_URL"] = f"sqlite:///{path}"
    try:
        yield env
    finally:
        connection.close()
        d["NAME"] = name
        connection.connection = memory


class Workers:
    """The worker processes of a test, stopped at its end whatever happens."""

    def __init__(self, env: dict, tmp: Path):
        self.env, self.tmp, self.procs = env, tmp, []

    def start(self, *args: str, script: bool = False, **env: str) -> subprocess.Popen:
        log = self.tmp / f"worker-{len(self.procs)}.log"
        command = (
            [sys.executable, str(TESTS / "jobs_worker.py")]
            if script
            else [sys.executable, "-c", "from canbo.cli import main; main()", "worker"]
        )
        proc = subprocess.Popen(
            [*command, "--no-startup-delay", "--interval", "0.2", "--recover-every", "0", *args],
            env={**self.env, **env},
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
        )
        proc.log = log  # type: ignore[attr-defined]
        self.procs.append(proc)
        return proc

    def wait(self, proc: subprocess.Popen, timeout: float = PATIENCE) -> str:
        """Wait for a ``--batch`` worker to finish; its output."""
        proc.wait(timeout=timeout)
        out = proc.log.read_text()  # type: ignore[attr-defined]
        assert proc.returncode == 0, out
        return out

    def ready(self, proc: subprocess.Popen, timeout: float = PATIENCE) -> None:
        """Wait until the worker polls the queue."""
        wait_for(lambda: "Starting worker" in proc.log.read_text(), timeout, proc)  # type: ignore[attr-defined]

    def stop_all(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait(timeout=30)


def wait_for(condition, timeout: float = PATIENCE, proc: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if proc is not None and proc.poll() is not None:
            raise AssertionError(f"the worker stopped: {proc.log.read_text()}")  # type: ignore[attr-defined]
        if time.monotonic() > deadline:
            log = proc.log.read_text() if proc is not None else ""  # type: ignore[attr-defined]
            raise AssertionError(f"not within {timeout} s. {log}")
        time.sleep(0.1)


@pytest.fixture
def workers(shared, tmp_path):
    w = Workers(shared, tmp_path)
    yield w
    w.stop_all()


def job_status(pk: int) -> str:
    from canbo.jobs.models import Job

    return Job.objects.values_list("status", flat=True).get(pk=pk)


# --------------------------------------------------------------------------- a list to import

FAMILY = ["Hoàng", "Lương", "Vy", "Nông", "Lăng", "Chu", "Triệu", "Hà", "Lộc", "Mã"]
GIVEN = ["An", "Bình", "Cường", "Dung", "Giang", "Hải", "Khánh", "Linh", "Minh", "Ngọc", "Phúc", "Quân"]
TITLES = ["Chủ tịch UBND", "Phó Chủ tịch UBND", "Tư pháp - hộ tịch"]


def dongdang_list(n: int) -> list[dict]:
    """``n`` people of new Xã Đồng Đăng, each with an ID number, a post and qualifications."""
    rows = []
    for i in range(n):
        female = i % 2 == 1
        rows.append(
            person_row(
                FAMILY[i % len(FAMILY)],
                "Thị" if female else "Văn",
                f"{GIVEN[i % len(GIVEN)]} {chr(ord('A') + i // len(GIVEN))}",
                date(1970 + i % 25, 1 + i % 12, 1 + i % 27),
                "female" if female else "male",
                "Xã Đồng Đăng",
                TITLES[i % len(TITLES)],
                serial=100 + i,
            )
        )
    return rows


@pytest.fixture
def previewed(world, tmp_path):
    """A 40-row list of new Xã Đồng Đăng uploaded and previewed by its officer (nothing written)."""
    from canbo.imports import services

    user = world.users["dongdang"]
    path = write_list(tmp_path / "ds-dong-dang.xlsx", dongdang_list(40))
    batch = services.copy_into_batch(path, world.units.dongdang, date(2025, 12, 31), user)
    assert services.prepare(batch, user).ok
    return batch


def written_by(batch) -> dict[str, int]:
    """What the commit of ``batch`` wrote: its people, posts, qualifications, history entries."""
    from canbo.registry.models import Assignment, Person, Qualification

    reason = f"(lần nhập #{batch.pk})"
    return {
        "people": Person.objects.filter(identity_number__in=batch_numbers(batch)).count(),
        "posts": Assignment.objects.filter(person__identity_number__in=batch_numbers(batch)).count(),
        "qualifications": Qualification.objects.filter(
            person__identity_number__in=batch_numbers(batch)
        ).count(),
        "history": Person.history.filter(history_change_reason__contains=reason).count()
        + Assignment.history.filter(history_change_reason__contains=reason).count()
        + Qualification.history.filter(history_change_reason__contains=reason).count(),
    }


def batch_numbers(batch) -> list[str]:
    from canbo.core.identity import make_identity_number

    return [
        make_identity_number(20, r["born"].year, r["sex"], 500 + 100 + i)
        for i, r in enumerate(dongdang_list(40))
    ]


# --------------------------------------------------------------------------- the tests


def test_a_queued_job_survives_a_restart_of_the_web_server(world, workers, client):
    """A province's report asked for on the reports page is queued (no worker is running); the
    web server stops (its connections closed: nothing of the job lives in it); a worker started
    afterwards runs it; the job's page then offers the file, and the download is logged."""
    import openpyxl
    from django_tasks_db.models import DBTaskResult

    from canbo.access.models import FileAccess
    from canbo.jobs.models import Job

    user = world.users["province"]
    client.force_login(user)
    response = client.get(
        "/reports/download/",
        {"report": "quality", "format": "xlsx", "on": "31/12/2025", "unit": world.units.p20.pk},
    )
    job = Job.objects.get()
    assert response.status_code == 302 and response.url == f"/jobs/{job.pk}/"
    assert job.status == "queued" and job.user == user and job.unit == world.units.p20
    assert DBTaskResult.objects.get().status == "READY"
    page = client.get(response.url).content.decode()
    assert "Đang chờ tiến trình xử lý" in page and 'hx-trigger="every 1s"' in page

    from django.db import connections

    connections.close_all()  # the web server stops; the queue is in the database
    out = workers.wait(workers.start("--batch"))
    assert "SUCCESSFUL" in out
    job.refresh_from_db()
    assert job.status == "done" and job.attempts == 1 and job.result_name.startswith("bao-cao-chat-luong-20-")
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"

    fragment = client.get(f"/jobs/{job.pk}/status/").content.decode()
    assert "hx-trigger" not in fragment  # finished: the page stops asking
    assert f'href="/jobs/{job.pk}/file/"' in fragment and "Đã lập báo cáo" in fragment
    download = client.get(f"/jobs/{job.pk}/file/")
    assert download.status_code == 200 and "attachment;" in download["Content-Disposition"]
    book = openpyxl.load_workbook(__import__("io").BytesIO(b"".join(download.streaming_content)))
    assert "BÁO CÁO THỐNG KÊ SỐ LƯỢNG, CHẤT LƯỢNG" in str(
        [c for ws in book for row in ws.values for c in row]
    )
    logged = FileAccess.objects.get(user=user, action="report")
    assert f"job #{job.pk}" in logged.what
    # Another officer does not see the job at all.
    other = world.users["dongdang"]
    client.force_login(other)
    assert client.get(f"/jobs/{job.pk}/").status_code == 404
    assert client.get(f"/jobs/{job.pk}/file/").status_code == 404


def test_two_workers_take_distinct_jobs_and_none_runs_twice(world, workers):
    """20 reports queued while two workers poll the one queue: every task is claimed by exactly
    one worker, every job run exactly once, and both workers worked."""
    from django_tasks_db.models import DBTaskResult

    from canbo.jobs import services
    from canbo.jobs.models import Job

    first, second = workers.start(), workers.start()
    workers.ready(first)
    workers.ready(second)
    user = world.users["dongdang"]
    for day in range(1, 21):
        services.submit_report(
            user,
            report="quality",
            unit=world.units.dongdang,
            on=date(2025, 12, day),
            fmt="xlsx",
            inline=False,
        )
    assert Job.objects.count() == 20
    wait_for(lambda: Job.objects.filter(status="done").count() == 20)

    tasks = list(DBTaskResult.objects.all())
    assert len(tasks) == 20 and all(t.status == "SUCCESSFUL" for t in tasks)
    assert all(len(t.worker_ids) == 1 for t in tasks), [t.worker_ids for t in tasks]
    jobs = list(Job.objects.all())
    assert all(j.attempts == 1 for j in jobs)
    by_process = {j.worker.rsplit(":", 1)[1] for j in jobs}
    assert by_process == {str(first.pid), str(second.pid)}, by_process
    assert len({t.worker_ids[0] for t in tasks}) == 2


def test_a_worker_killed_inside_an_import_leaves_nothing_and_the_job_runs_again(
    world, workers, previewed, tmp_path, client
):
    """The commit of a list is a job; its worker is killed (SIGKILL) inside the import's
    transaction, people already inserted: nothing of the list is in the records. The next worker
    to start finds the job's runner gone, queues it again and runs it: the list is written once."""
    from canbo.imports.models import BatchStatus
    from canbo.jobs import services

    user = world.users["dongdang"]
    client.force_login(user)  # before the worker holds SQLite's write lock (a session is a write)
    job = services.submit_import_commit(user, previewed, previewed.summary["fingerprint"], inline=False)
    assert job.status == "queued"
    paused = tmp_path / "paused"
    victim = workers.start(
        "--batch", script=True, CANBO_TEST_PAUSE_AT="Ghi quá trình công tác", CANBO_TEST_PAUSED=str(paused)
    )
    wait_for(paused.exists, proc=victim)
    job.refresh_from_db()
    assert job.status == "running" and job.attempts == 1
    # The progress shows from inside the transaction on PostgreSQL; on SQLite, whose one write
    # lock the transaction holds, the last step before it (docs/jobs.md).
    if connection.vendor == "postgresql":
        assert job.step.startswith("Ghi quá trình công tác")
    else:
        assert job.step.startswith("Ghi vào hồ sơ")
    assert job.step in client.get(f"/jobs/{job.pk}/status/").content.decode()
    if connection.vendor == "sqlite":
        # Asked to stop while SQLite's write lock is held: told to try again, no error page.
        refused = client.post(f"/jobs/{job.pk}/cancel/", follow=True)
        assert refused.status_code == 200 and "Hãy thử lại sau ít giây" in refused.content.decode()

    os.kill(victim.pid, signal.SIGKILL)
    victim.wait(timeout=30)
    assert written_by(previewed) == {"people": 0, "posts": 0, "qualifications": 0, "history": 0}
    previewed.refresh_from_db()
    assert previewed.status == BatchStatus.PREVIEWED
    assert job_status(job.pk) == "running"  # until a worker looks

    out = workers.wait(workers.start("--batch"))
    job.refresh_from_db()
    assert job.status == "done", (job.message, out)
    assert job.attempts == 2 and "xếp hàng chạy lại" not in job.message
    previewed.refresh_from_db()
    assert previewed.status == BatchStatus.COMMITTED and previewed.summary["people_created"] == 40
    quals = previewed.summary["qualifications_added"]
    assert quals >= 80
    assert written_by(previewed) == {
        "people": 40,
        "posts": 40,
        "qualifications": quals,
        "history": 80 + quals,
    }


def test_a_job_whose_attempts_are_spent_fails_with_a_vietnamese_message(
    world, workers, previewed, tmp_path, client
):
    from canbo.jobs import services
    from canbo.jobs.models import Job

    user = world.users["dongdang"]
    job = services.submit_import_commit(user, previewed, previewed.summary["fingerprint"], inline=False)
    paused = tmp_path / "paused"
    victim = workers.start(
        "--batch", script=True, CANBO_TEST_PAUSE_AT="Ghi quá trình công tác", CANBO_TEST_PAUSED=str(paused)
    )
    wait_for(paused.exists, proc=victim)
    os.kill(victim.pid, signal.SIGKILL)
    victim.wait(timeout=30)

    workers.wait(workers.start("--batch", CANBO_JOBS_ATTEMPTS="1"))
    job.refresh_from_db()
    assert job.status == "failed" and job.finished_at is not None
    assert "Tiến trình xử lý dừng đột ngột" in job.message and "không có gì được ghi dở" in job.message
    assert written_by(previewed)["people"] == 0
    client.force_login(user)
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "Tiến trình xử lý dừng đột ngột" in page and 'id="job-again"' in page
    # Run again: a new job (the officer's permissions checked again) — a 40-row list is written
    # at once, in the request.
    again = client.post(f"/jobs/{job.pk}/again/")
    new = Job.objects.exclude(pk=job.pk).get()
    assert again.status_code == 302 and again.url == f"/jobs/{new.pk}/"
    assert new.status == "done" and new.attempts == 1 and written_by(previewed)["people"] == 40


def test_the_progress_of_a_running_job_shows_on_its_page(world, workers, tmp_path, client):
    """A province's trend report, held at its tenth year: its page shows the step, how far it is
    and keeps asking; once the worker goes on, the page shows the result and stops asking."""
    from canbo.jobs.models import Job

    user = world.users["province"]
    client.force_login(user)
    paused, resume = tmp_path / "paused", tmp_path / "resume"
    worker = workers.start(
        script=True,
        CANBO_TEST_PAUSE_AT="31/12/2014",
        CANBO_TEST_PAUSED=str(paused),
        CANBO_TEST_RESUME=str(resume),
    )
    response = client.get(
        "/reports/download/",
        {"report": "trend", "format": "xlsx", "on": "31/12/2025", "unit": world.units.p20.pk},
    )
    job = Job.objects.get()
    assert response.url == f"/jobs/{job.pk}/"
    wait_for(paused.exists, proc=worker)
    fragment = client.get(f"/jobs/{job.pk}/status/").content.decode()
    assert 'data-status="running"' in fragment and 'hx-trigger="every 1s"' in fragment
    assert "đã xong 31/12/2014" in fragment
    assert 'max="22" value="10"' in fragment and "10/22" in fragment
    resume.touch()
    wait_for(lambda: job_status(job.pk) == "done", proc=worker)
    fragment = client.get(f"/jobs/{job.pk}/status/").content.decode()
    assert "hx-trigger" not in fragment and 'id="job-download"' in fragment


def test_a_running_import_asked_to_stop_writes_nothing(world, workers, previewed, tmp_path, client):
    """Held as it is about to write (the people inserted next, in one transaction): asked to
    stop, it stops at its next step — inside the transaction — and nothing is written."""
    from canbo.imports.models import BatchStatus
    from canbo.jobs import services

    user = world.users["dongdang"]
    client.force_login(user)
    job = services.submit_import_commit(user, previewed, previewed.summary["fingerprint"], inline=False)
    paused, resume = tmp_path / "paused", tmp_path / "resume"
    worker = workers.start(
        "--batch",
        script=True,
        CANBO_TEST_PAUSE_AT="Ghi vào hồ sơ",
        CANBO_TEST_PAUSED=str(paused),
        CANBO_TEST_RESUME=str(resume),
    )
    wait_for(paused.exists, proc=worker)
    response = client.post(f"/jobs/{job.pk}/cancel/", follow=True)
    assert "Đã yêu cầu dừng" in response.content.decode()
    resume.touch()
    workers.wait(worker)
    job.refresh_from_db()
    assert job.status == "cancelled" and "không có gì được ghi" in job.message
    assert written_by(previewed) == {"people": 0, "posts": 0, "qualifications": 0, "history": 0}
    previewed.refresh_from_db()
    assert previewed.status == BatchStatus.PREVIEWED
