"""Jobs (issue 11 §2): "Công việc", the user's recent jobs; a job's page with its progress — a
small fragment the page asks for again every second (htmx), which stops asking once the job has
finished — then its result: the report to download, the import's counts and the way to its
batch; a failed job's Vietnamese message and a button to run it again.

A user sees only their own jobs, of units still in their scope; the system administrator every
job (:func:`canbo.jobs.services.visible_jobs`): any other job is 404. Every download of a
report's file is logged like the report downloads of :mod:`canbo.web.views.reports`.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from canbo.access import scope
from canbo.jobs import services
from canbo.jobs.models import Job, JobKind, JobStatus
from canbo.web import bounds
from canbo.web.views.common import log_access, page

PER_PAGE = 50
#: A job queued this long (seconds) without a worker taking it: the page says so.
WAITING_LONG = 30


def _job(request, pk: int) -> Job:
    try:
        return services.job_for(request.user, pk)
    except Job.DoesNotExist:
        raise Http404 from None


def job_url(job: Job) -> str:
    return reverse("web:job", args=[job.pk])


def _context(job: Job) -> dict:
    now = timezone.now()
    since = job.started_at or job.created_at
    end = job.finished_at or now
    elapsed = int((end - since).total_seconds()) if since else 0
    ahead = 0
    waiting_long = False
    if job.status == JobStatus.QUEUED:
        ahead = Job.objects.filter(status=JobStatus.QUEUED, created_at__lt=job.created_at).count()
        waiting_long = (now - job.created_at).total_seconds() > WAITING_LONG
    level = (job.result or {}).get("level") or ("error" if job.status == JobStatus.FAILED else "success")
    counts = []
    if job.kind in (JobKind.IMPORT_PREVIEW, JobKind.IMPORT_COMMIT):
        from canbo.imports import services as imports

        found = (job.result or {}).get("counts") or {}
        # A preview's counts (what committing would do); a commit's, what it wrote.
        keys = imports.PREVIEW_COUNTS if job.kind == JobKind.IMPORT_PREVIEW else imports.WRITTEN_COUNTS
        counts = [(imports.COUNT_LABELS[k], found[k]) for k in keys if k in found]
    minutes, seconds = divmod(max(elapsed, 0), 60)
    return {
        "job": job,
        "elapsed": elapsed,
        "elapsed_text": f"{minutes}:{seconds:02d}",
        "ahead": ahead,
        "waiting_long": waiting_long,
        "level": level,
        "counts": counts,
        "subject": subject(job),
    }


def subject(job: Job) -> str:
    """What the job is about, in a line: the report and its date, or the list's file."""
    from canbo.core.formatting import fmt_date

    if job.kind == JobKind.REPORT:
        from datetime import date

        from canbo.reports.services import FORMATS, REPORTS

        p = job.params
        name = REPORTS.get(p.get("report", ""), p.get("report", ""))
        try:
            on = fmt_date(date.fromisoformat(p.get("on") or ""))
        except ValueError:
            on = str(p.get("on", ""))
        fmt = FORMATS.get(p.get("format", ""), ("", p.get("format", "")))[1]
        return f"{name} — {job.unit.name}, {on} ({fmt})"
    if job.kind == JobKind.TRAINING_PLAN:
        p = job.params
        first = p.get("start_year") or 0
        return f"{job.unit.name}, {first}–{first + (p.get('years') or 1) - 1}"
    if job.batch is not None:
        return f"#{job.batch.pk} {job.batch.original_name} — {job.unit.name}"
    return job.unit.name


@page("jobs")
def jobs(request):
    """The user's recent jobs, newest first (the system administrator: everyone's with ``?all=1``)."""
    qs = services.visible_jobs(request.user).select_related("unit", "user", "batch")
    everyone = request.GET.get("all") == "1" and scope.role_of(request.user) == "system_admin"
    if not everyone:
        qs = qs.filter(user=request.user)
    listing = Paginator(qs.order_by("-created_at", "-id"), PER_PAGE).get_page(bounds.page_number(request))
    rows = [(j, subject(j)) for j in listing.object_list]
    return render(
        request,
        "web/jobs.html",
        {"jobs": listing, "rows": rows, "everyone": everyone, "extra": "&all=1" if everyone else ""},
    )


@page("jobs")
def job(request, pk: int):
    """A job's page: what it is, its progress, its result."""
    obj = _job(request, pk)
    return render(request, "web/job.html", _context(obj))


@page("jobs")
def job_status(request, pk: int):
    """The fragment of a job's page that shows its progress (asked for again every second while
    the job is queued or running; without the asking once it has finished)."""
    obj = _job(request, pk)
    return render(request, "web/job_status.html", _context(obj))


@page("jobs")
def job_file(request, pk: int):
    """The job's result file (a report): logged like every report download."""
    obj = _job(request, pk)
    if obj.status != JobStatus.DONE or not obj.result_file:
        raise bounds.BadInput(
            _("Công việc này không có tệp kết quả (chưa xong, hoặc tệp đã được xóa sau thời hạn lưu).")
        )
    log_access(request, "report", what=f"job #{obj.pk}: {obj.result_name}")
    return FileResponse(obj.result_file.open("rb"), as_attachment=True, filename=obj.result_name)


@require_POST
@page("jobs")
def job_cancel(request, pk: int):
    obj = _job(request, pk)
    try:
        obj = services.cancel(request.user, obj)
    except ValidationError as e:
        messages.warning(request, e.messages[0])
    else:
        if obj.status == JobStatus.CANCELLED:
            messages.success(request, obj.message)
        else:
            messages.info(request, _("Đã yêu cầu dừng; công việc sẽ dừng ở bước tới và không ghi gì."))
    return HttpResponseRedirect(job_url(obj))


@require_POST
@page("jobs")
def job_again(request, pk: int):
    obj = _job(request, pk)
    try:
        new = services.again(request.user, obj)
    except ValidationError as e:
        raise bounds.BadInput(e.messages[0]) from e
    return HttpResponseRedirect(job_url(new))
