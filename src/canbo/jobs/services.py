"""Asking for a job, finding one's jobs, cancelling, running again: the interface the pages (and
the REST API) call (issue 11 §2).

Every submit checks, before anything is queued, through the one scope mechanism
(:mod:`canbo.access.scope`), that the user may open the page the work belongs to and that the
unit it is for lies in their scope. A job for a unit outside the scope is refused with
:class:`JobRefused` (a ``PermissionDenied`` with a Vietnamese message: 403), bad parameters with
a ``ValidationError`` (400) — never queued (issue 11, "Bad input").

Small work runs at once, in the request, through the same code as in a worker (the ``inline``
backend of ``settings.TASKS``: :func:`canbo.jobs.runner.execute`): an Excel list up to
``CANBO_JOBS_INLINE_IMPORT_BYTES`` (100 KB, some thousand rows) is read, a list of up to
``CANBO_JOBS_INLINE_IMPORT_ROWS`` rows written, a commune's or district's report drawn up at
once. Anything larger — a province's report, a 200,000-row list (about a minute) — is queued for
``canbo worker``, and its page shows the progress. ``inline=True``/``False`` forces either.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import OperationalError, connection, transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from canbo.access import scope
from canbo.access.models import Role
from canbo.common.dates import out_of_range
from canbo.core.formatting import fmt_date
from canbo.registry.models import Unit, UnitLevel

from .models import FINISHED, Job, JobKind, JobStatus

__all__ = [
    "JobRefused",
    "again",
    "cancel",
    "job_for",
    "submit_import",
    "submit_import_commit",
    "submit_import_preview",
    "submit_report",
    "submit_resumes",
    "visible_jobs",
]


class JobRefused(PermissionDenied):
    """The user may not ask for this job: a unit outside their scope, work their role may not do.
    ``message`` says which, in the active language (Vietnamese first)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _language() -> str:
    return "en" if (translation.get_language() or "vi").startswith("en") else "vi"


def _require(user, page: str) -> None:
    if scope.role_of(user) is None:
        raise JobRefused(_("Hãy đăng nhập bằng một tài khoản đang hoạt động."))
    if not scope.may_open(user, page):
        raise JobRefused(_("Vai trò của tài khoản này không được làm việc này."))


def _in_scope(user, unit: Unit) -> None:
    """Refuse a unit outside ``user``'s scope (checked against the database, not the form)."""
    if not scope.restrict(Unit.objects.filter(pk=unit.pk), user, scope.VIEW).exists():
        raise JobRefused(
            _("Đơn vị “%(u)s” nằm ngoài phạm vi được phân quyền của bạn; công việc không được tạo.")
            % {"u": unit.name}
        )


def _active_same(user, kind: str, unit: Unit, params: dict, batch=None) -> Job | None:
    """The same job of the same user still queued or running (a second click): that one."""
    qs = Job.objects.filter(user=user, kind=kind, unit=unit, batch=batch).exclude(status__in=FINISHED)
    return next((j for j in qs.order_by("-pk")[:20] if j.params == params), None)


def _submit(user, kind: str, unit: Unit, params: dict, *, inline: bool, batch=None) -> Job:
    """Write the job and queue it — or run it at once (``inline``), through the same task."""
    from .tasks import run_job

    same = _active_same(user, kind, unit, params, batch)
    if same is not None:
        return same
    job = Job(kind=kind, user=user, unit=unit, params=params, batch=batch, language=_language())
    if inline:
        job.save()
        run_job.using(backend="inline").enqueue(job.pk)
    else:
        # The job and its task are written together: a worker never finds one without the other.
        with transaction.atomic():
            job.save()
            result = run_job.enqueue(job.pk)
            Job.objects.filter(pk=job.pk, task_id="").update(task_id=str(result.id))
    job.refresh_from_db()
    return job


# --------------------------------------------------------------------------- reports


def submit_report(user, *, report: str, unit: Unit, on: date, fmt: str, inline: bool | None = None) -> Job:
    """Ask for report ``report`` (:data:`canbo.reports.services.REPORTS`) of ``unit`` on ``on``
    in format ``fmt`` (xlsx, pdf). A province's report is queued; a commune's or district's is
    drawn up at once (``inline`` forces either way)."""
    from canbo.reports import services as reports

    _require(user, "reports")
    _in_scope(user, unit)
    if report not in reports.REPORTS:
        raise ValidationError(_("Hãy chọn một báo cáo trong danh sách."))
    if fmt not in reports.FORMATS:
        raise ValidationError(_("Định dạng “%(f)s” không có; hãy chọn xlsx hoặc pdf.") % {"f": str(fmt)[:10]})
    refused = out_of_range(on)
    if refused:
        raise ValidationError(refused[1] if _language() == "en" else refused[0])
    if not unit.is_valid_on(on):
        raise ValidationError(
            _("Đơn vị “%(unit)s” không tồn tại vào ngày %(date)s (hiệu lực %(a)s–%(b)s).")
            % {
                "unit": unit.name,
                "date": fmt_date(on),
                "a": fmt_date(unit.valid_from, missing="…"),
                "b": fmt_date(unit.valid_to, missing="…"),
            }
        )
    if inline is None:
        inline = unit.level in settings.CANBO_JOBS_INLINE_REPORT_LEVELS
    params = {"report": report, "on": on.isoformat(), "format": fmt}
    return _submit(user, JobKind.REPORT, unit, params, inline=inline)


# --------------------------------------------------------------------------- résumés


#: The formats of the résumés' bulk print.
RESUME_FORMATS = ("docx", "pdf")


def submit_resumes(user, *, unit: Unit, fmt: str, inline: bool | None = None) -> Job:
    """Ask for the résumés (Mẫu 2C-BNV/2008) of every person whose file commune ``unit`` keeps
    (and the communes merged into it), one file each, in a zip (issue 15 §2). Queued for the
    worker (``inline`` runs it at once). A commune outside the scope is refused."""
    _require(user, "person_resume")
    _in_scope(user, unit)
    if unit.level != UnitLevel.COMMUNE:
        raise ValidationError(_("Chỉ in sơ yếu lý lịch theo từng xã."))
    if fmt not in RESUME_FORMATS:
        raise ValidationError(_("Định dạng “%(f)s” không có; chọn docx hoặc pdf.") % {"f": str(fmt)[:10]})
    return _submit(user, JobKind.RESUMES, unit, {"format": fmt}, inline=bool(inline))


# --------------------------------------------------------------------------- training plans


def submit_training_plan(user, *, unit: Unit, params: dict, inline: bool = False) -> Job:
    """Ask for a training plan (issue 13 §7) of ``unit`` with ``params`` (``start_year``,
    ``years``, ``degree_seats``, ``budget_vnd``, ``away_share``, ``time_limit``; checked by
    :func:`canbo.training.forms.clean_plan_params`): queued for a worker (``inline``: at once)."""
    from canbo.training.forms import clean_plan_params

    _require(user, "training_plan_new")
    _in_scope(user, unit)
    cleaned = clean_plan_params(params)
    return _submit(user, JobKind.TRAINING_PLAN, unit, cleaned, inline=inline)


# --------------------------------------------------------------------------- imports


def _import_allowed(user, batch) -> None:
    from canbo.imports import flow

    _require(user, "imports")
    if not flow.may_import(user):
        raise JobRefused(_("Vai trò của tài khoản này không được nhập danh sách."))
    _in_scope(user, batch.unit)
    if not scope.can(user, scope.VIEW, batch):
        raise JobRefused(_("Lần nhập #%(n)s nằm ngoài phạm vi được phân quyền của bạn.") % {"n": batch.pk})


def submit_import_preview(user, batch, *, inline: bool | None = None) -> Job:
    """Ask to read and check the uploaded list ``batch`` (kept by
    :func:`canbo.imports.flow.keep_upload`) and show what committing would do. A file up to
    ``CANBO_JOBS_INLINE_IMPORT_BYTES`` is read at once."""
    from canbo.imports.models import BatchStatus

    _import_allowed(user, batch)
    if batch.status == BatchStatus.COMMITTED:
        raise ValidationError(_("Lần nhập #%(n)s đã được ghi vào hồ sơ.") % {"n": batch.pk})
    if inline is None:
        inline = batch.size <= settings.CANBO_JOBS_INLINE_IMPORT_BYTES
    return _submit(user, JobKind.IMPORT_PREVIEW, batch.unit, {}, inline=inline, batch=batch)


def submit_import(user, *, file, unit: Unit, as_of: date, inline: bool | None = None) -> Job:
    """Keep an uploaded Excel list (``file``, an ``UploadedFile``) as the list of ``unit`` as of
    ``as_of`` and ask for its preview — the upload of the import page in one call (the REST
    API's import). A unit outside the scope is refused before anything is kept; the file and
    the date are checked as the page's form checks them (:class:`canbo.imports.flow.UploadForm`)."""
    from canbo.imports import flow

    _require(user, "imports")
    if not flow.may_import(user):
        raise JobRefused(_("Vai trò của tài khoản này không được nhập danh sách."))
    _in_scope(user, unit)
    form = flow.UploadForm({"unit": unit.pk, "as_of": as_of.strftime("%d/%m/%Y")}, {"file": file}, user=user)
    if not form.is_valid():
        raise ValidationError([m for messages in form.errors.values() for m in messages])
    batch = flow.keep_upload(form, user)
    return submit_import_preview(user, batch, inline=inline)


def submit_import_commit(user, batch, shown: str | None = None, *, inline: bool | None = None) -> Job:
    """Ask to write ``batch`` into the records as the preview the officer saw showed it
    (``shown``: that preview's fingerprint; refused when the file or the records changed
    since). A list of up to ``CANBO_JOBS_INLINE_IMPORT_ROWS`` rows is written at once."""
    from canbo.imports.models import BatchStatus

    _import_allowed(user, batch)
    if batch.status == BatchStatus.RECEIVED:
        raise ValidationError(_("Tệp đang được kiểm tra; hãy chờ bản xem trước rồi mới ghi."))
    if inline is None:
        rows = (batch.summary or {}).get("rows") or 0
        inline = rows <= settings.CANBO_JOBS_INLINE_IMPORT_ROWS
    params = {"shown": shown or ""}
    return _submit(user, JobKind.IMPORT_COMMIT, batch.unit, params, inline=inline, batch=batch)


def active_for_batch(batch) -> Job | None:
    """The job reading or writing ``batch`` now (queued or running), if any."""
    return batch.jobs.exclude(status__in=FINISHED).order_by("-pk").first()


# --------------------------------------------------------------------------- finding, cancelling


def visible_jobs(user) -> QuerySet[Job]:
    """The jobs ``user`` sees: their own, of units still in their scope; the system
    administrator's, every job."""
    role = scope.role_of(user)
    if role is None:
        return Job.objects.none()
    if role == Role.SYSTEM_ADMIN:
        return Job.objects.all()
    return scope.restrict(Job.objects.filter(user=user), user, scope.VIEW)


def job_for(user, pk: int) -> Job:
    """Job ``pk`` if ``user`` may see it, else ``Job.DoesNotExist`` (the pages answer 404: a job
    of another user is not shown to exist)."""
    return visible_jobs(user).select_related("unit", "user", "batch").get(pk=pk)


@contextmanager
def _short_wait(seconds: float = 2.0) -> Iterator[None]:
    """On SQLite, wait at most ``seconds`` for the write lock (a job's long transaction may hold
    it: the officer is told to try again rather than kept waiting half a minute)."""
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        yield
        return
    usual = float(connection.settings_dict.get("OPTIONS", {}).get("timeout", 5))
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA busy_timeout = {int(seconds * 1000)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA busy_timeout = {int(usual * 1000)}")


def cancel(user, job: Job) -> Job:
    """Stop ``job``: a queued one is cancelled at once; a running one stops at its next step and
    writes nothing (its work is all or nothing). Only its requester or the system administrator."""
    job = job_for(user, job.pk)
    if job.user_id != user.pk and scope.role_of(user) != Role.SYSTEM_ADMIN:
        raise JobRefused(_("Chỉ người yêu cầu mới hủy được công việc này."))
    if job.finished:
        raise ValidationError(_("Công việc đã kết thúc; không còn gì để hủy."))
    now = timezone.now()
    try:
        with _short_wait():
            stopped = Job.objects.filter(pk=job.pk, status=JobStatus.QUEUED).update(
                status=JobStatus.CANCELLED,
                cancel_requested=True,
                finished_at=now,
                updated_at=now,
                message=_("Đã hủy trước khi chạy; không có gì được ghi."),
                result={"level": "warning"},
            )
            if not stopped:
                Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(cancel_requested=True)
    except OperationalError as e:
        raise ValidationError(
            _(
                "Công việc đang ghi vào hồ sơ (một giao dịch: tất cả hoặc không gì) nên lúc này chưa nhận "
                "được yêu cầu hủy. Hãy thử lại sau ít giây."
            )
        ) from e
    job.refresh_from_db()
    return job


def again(user, job: Job) -> Job:
    """Ask again for a job that failed or was cancelled: the same work, checked again."""
    job = job_for(user, job.pk)
    if job.status not in (JobStatus.FAILED, JobStatus.CANCELLED):
        raise ValidationError(_("Chỉ chạy lại được công việc không thành công hoặc đã hủy."))
    if job.kind == JobKind.REPORT:
        p = job.params
        return submit_report(
            user, report=p["report"], unit=job.unit, on=date.fromisoformat(p["on"]), fmt=p["format"]
        )
    if job.batch is None:
        raise ValidationError(_("Công việc này không chạy lại được."))
    if job.kind == JobKind.IMPORT_PREVIEW:
        return submit_import_preview(user, job.batch)
    return submit_import_commit(user, job.batch, job.params.get("shown") or None)
