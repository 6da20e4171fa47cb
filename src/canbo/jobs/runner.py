"""Running a job, and finding the jobs whose runner died (issue 11 §2).

:func:`execute` is the one code path of every job, whether ``canbo worker`` runs it or the
request that asked for it (a small job, the ``inline`` backend):

1. take the job's lease (:mod:`canbo.jobs.lease`) — held until the end, released by the system if
   the process dies;
2. claim it: ``queued → running`` in one conditional update (a job is run once, whatever two
   workers or a retry do);
3. run its handler (:mod:`canbo.jobs.handlers`) in the requester's language, progress written
   beside the work (:mod:`canbo.jobs.progress`);
4. write the end: ``done`` with its message and result, ``failed`` with a Vietnamese message
   (an unexpected error is logged and re-raised, so that the task's row keeps the traceback for
   the administrator), or ``cancelled``.

A handler's writes are all or nothing (an import's commit is one transaction): a process killed
in the middle leaves nothing of them. :func:`recover` — run by ``canbo worker`` when it starts and
every half minute — finds the jobs still marked running whose lease is free (their runner is
gone), and queues each again, up to ``CANBO_JOBS_ATTEMPTS`` runs in all (default 2), after which
it is marked failed with a Vietnamese message.
"""

from __future__ import annotations

import logging
import os
import socket
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .lease import Lease, side_connection
from .models import Job, JobStatus
from .progress import Cancelled, Progress

log = logging.getLogger(__name__)


@dataclass
class Outcome:
    """What a handler's work came to: the message shown, the result kept (counts, ``level``:
    success, warning or error, how the page colours it)."""

    message: str
    result: dict = field(default_factory=dict)


class JobFailed(Exception):
    """The work could not be done, for a reason the user is told (``message``, in the job's
    language); nothing of it was written."""

    def __init__(self, message: str, result: dict | None = None):
        super().__init__(message)
        self.message = message
        self.result = result or {}


def identity() -> str:
    """This process: host name and process id."""
    return f"{socket.gethostname()}:{os.getpid()}"[:200]


def _finish(job: Job, status: str, message: str, result: dict | None = None, **extra) -> bool:
    now = timezone.now()
    values = {"status": status, "message": message, "finished_at": now, "updated_at": now, **extra}
    if result is not None:
        values["result"] = result
    return bool(Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(**values))


def execute(job_id: int, task_id: str = "") -> str:
    """Run job ``job_id`` (queued by task ``task_id``); returns the job's status."""
    from .handlers import HANDLERS

    job = Job.objects.filter(pk=job_id).first()
    if job is None:
        return "missing"
    if job.finished:  # cancelled while queued, or finished by an earlier run
        return job.status
    if job.task_id and task_id and job.task_id != task_id:
        return "superseded"  # queued again after its worker died: the newer task runs it
    if job.status == JobStatus.RUNNING:
        return job.status  # another runner has it
    side = None
    try:
        side = side_connection()
    except DatabaseError:
        log.warning("job %s: no second database connection; its progress is shown at the end", job_id)
    lease = Lease(job.pk, side if connection.vendor == "postgresql" else None)
    lease.acquire()
    try:
        now = timezone.now()
        claimed = (
            Job.objects.filter(pk=job.pk, status=JobStatus.QUEUED)
            .filter(Q(task_id=task_id) | Q(task_id=""))
            .update(
                status=JobStatus.RUNNING,
                started_at=now,
                updated_at=now,
                attempts=F("attempts") + 1,
                worker=identity(),
                task_id=task_id,
                step="",
                done=0,
                total=0,
            )
        )
        if not claimed:
            job.refresh_from_db()
            return job.status
        job.refresh_from_db()
        progress = Progress(job, side)
        with translation.override(job.language or "vi"):
            handler = HANDLERS.get(job.kind)
            try:
                if handler is None:
                    raise JobFailed(_("Loại công việc “%(k)s” không có; không làm gì.") % {"k": job.kind})
                outcome = handler(job, progress)
            except Cancelled:
                _finish(job, JobStatus.CANCELLED, _("Đã hủy theo yêu cầu; không có gì được ghi."))
            except JobFailed as e:
                _finish(job, JobStatus.FAILED, e.message, {"level": "error", **e.result})
            except Exception:
                log.exception("job %s (%s) failed", job.pk, job.kind)
                _finish(
                    job,
                    JobStatus.FAILED,
                    _(
                        "Lỗi hệ thống khi làm công việc này; không có gì được ghi dở. Hãy thử lại; "
                        "nếu lỗi lặp lại, hãy báo quản trị hệ thống (mã công việc #%(n)s)."
                    )
                    % {"n": job.pk},
                    {"level": "error"},
                )
                raise
            else:
                progress.flush()
                extra = {}
                if job.result_file:
                    extra = {"result_file": job.result_file.name, "result_name": job.result_name}
                _finish(
                    job,
                    JobStatus.DONE,
                    outcome.message,
                    {"level": "success", **outcome.result},
                    step=progress.label,
                    done=progress.total or progress.done,
                    total=progress.total,
                    **extra,
                )
        job.refresh_from_db()
        return job.status
    finally:
        lease.release(forget=True)
        if side is not None:
            side.close()


# --------------------------------------------------------------------------- recovery


def _fail_task_row(task_id: str) -> None:
    """Mark django-tasks-db's row of a task whose worker died as failed (it stays "running"
    otherwise: the backend has no notion of a dead worker)."""
    from django_tasks_db.models import DBTaskResult

    if not task_id:
        return
    try:
        DBTaskResult.objects.filter(id=task_id, status="RUNNING").update(
            status="FAILED",
            finished_at=timezone.now(),
            exception_class_path="canbo.jobs.runner.WorkerLost",
            traceback="The worker running this task stopped (killed, crashed or its machine went away).",
        )
    except (DatabaseError, ValidationError, ValueError):  # a task id of another backend (not a UUID)
        log.debug("task row %s not marked failed", task_id, exc_info=True)


def _enqueue(job: Job) -> None:
    from .tasks import run_job

    result = run_job.enqueue(job.pk)
    Job.objects.filter(pk=job.pk).exclude(task_id=str(result.id)).filter(status=JobStatus.QUEUED).update(
        task_id=str(result.id)
    )


def _recover_one(job: Job) -> str:
    attempts = settings.CANBO_JOBS_ATTEMPTS
    now = timezone.now()
    running = Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING, attempts=job.attempts)
    if job.attempts < attempts and not job.cancel_requested:
        message = _(
            "Tiến trình xử lý dừng đột ngột khi đang làm công việc này (lần chạy thứ %(n)s); không có gì "
            "được ghi dở. Công việc đã được xếp hàng chạy lại."
        ) % {"n": job.attempts}
        with transaction.atomic():
            if not running.update(
                status=JobStatus.QUEUED, step="", done=0, total=0, message=message, updated_at=now
            ):
                return ""
            _enqueue(job)
        _fail_task_row(job.task_id)
        return "requeued"
    if job.cancel_requested:
        status, message = JobStatus.CANCELLED, _("Đã hủy theo yêu cầu; không có gì được ghi.")
    else:
        status = JobStatus.FAILED
        message = _(
            "Tiến trình xử lý dừng đột ngột khi đang làm công việc này (đã chạy %(n)s lần); không có gì "
            "được ghi dở. Hãy chạy lại công việc; nếu lỗi lặp lại, hãy báo quản trị hệ thống."
        ) % {"n": job.attempts}
    if not running.update(
        status=status, message=message, finished_at=now, updated_at=now, result={"level": "error"}
    ):
        return ""
    _fail_task_row(job.task_id)
    return str(status)


#: A job queued without its task for this long was left by a process that died between writing
#: the job and running it (a small job run at once): it is queued for a worker.
ORPHAN_AFTER = timedelta(minutes=2)


def recover() -> dict[str, int]:
    """Find the jobs whose runner died and queue them again, or mark them failed (see the module's
    docstring). Returns how many of each."""
    counts: dict[str, int] = {}
    side = side_connection() if connection.vendor == "postgresql" else None
    try:
        for job in Job.objects.filter(status=JobStatus.RUNNING).order_by("pk"):
            lease = Lease(job.pk, side)
            if not lease.try_acquire():
                continue  # its runner is alive
            try:
                with translation.override(job.language or "vi"):
                    what = _recover_one(job)
            finally:
                lease.release(forget=True)
            if what:
                log.warning("job %s: its runner died; %s", job.pk, what)
                counts[what] = counts.get(what, 0) + 1
    finally:
        if side is not None:
            side.close()
    stale = Job.objects.filter(
        status=JobStatus.QUEUED, task_id="", created_at__lt=timezone.now() - ORPHAN_AFTER
    )
    for job in stale:
        with transaction.atomic():
            _enqueue(job)
        counts["orphans"] = counts.get("orphans", 0) + 1
    return counts


def prune_results(now=None) -> int:
    """Delete the result files of the jobs finished more than ``CANBO_JOBS_KEEP_DAYS`` days ago
    (a report lists people by name: it is not kept for ever) and django-tasks-db's rows of the
    tasks finished as long ago (their tracebacks); the jobs stay listed."""
    from django_tasks_db.models import DBTaskResult

    cutoff = (now or timezone.now()) - timedelta(days=settings.CANBO_JOBS_KEEP_DAYS)
    DBTaskResult.objects.finished().filter(finished_at__lt=cutoff).delete()
    n = 0
    for job in Job.objects.filter(finished_at__lt=cutoff).exclude(result_file=""):
        job.result_file.delete(save=False)
        Job.objects.filter(pk=job.pk).update(result_file="")
        n += 1
    return n
