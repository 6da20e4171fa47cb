"""Jobs in the REST API (issue 11 §3: "reports (as jobs), import (as a job)"): asking for a report
or an import answers 202 with the job; the job's progress and its result file are read as the
job's page shows them.

Every operation is the web page's twin, through the same code:

* who may call it: the page's gate (:func:`canbo.api.common.gate`: ``reports``, ``imports``,
  ``jobs``) → 403, and the services' own refusals (:class:`canbo.jobs.services.JobRefused`: the
  inspector imports nothing) → 403;
* which unit or batch: :func:`canbo.web.views.common.get_visible` → 404 outside the scope, before
  anything is queued (no job is written);
* the work: :func:`canbo.jobs.services.submit_report`, :func:`~canbo.jobs.services.submit_import`,
  :func:`~canbo.jobs.services.submit_import_commit` (their Vietnamese ``ValidationError`` → 422);
* which jobs: :func:`canbo.jobs.services.visible_jobs` / :func:`~canbo.jobs.services.job_for`
  (another user's job → 404); the result file logged like every report download
  (:func:`canbo.web.views.common.log_access`, as :func:`canbo.web.views.jobs.job_file`).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from django.http import FileResponse, Http404, HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import ConfigDict

from canbo.api.common import LIMIT, MAX_ID, MAX_LIMIT, MAX_OFFSET, Id, PageInfo, UnitRef, gate, unit_ref
from canbo.api.errors import COMMON, Error
from canbo.imports.models import ImportBatch
from canbo.jobs import services
from canbo.jobs.models import Job, JobStatus
from canbo.registry.models import Unit
from canbo.reports.services import FORMATS, REPORTS
from canbo.web import bounds
from canbo.web.views.common import get_visible, log_access
from canbo.web.views.jobs import subject

router = Router(tags=["Công việc chạy nền (jobs)"])


class JobOut(Schema):
    """A job: what it is, for which unit, its status and progress, its message and its result."""

    id: int
    kind: Literal["import_preview", "import_commit", "report", "training_plan"]
    status: Literal["queued", "running", "done", "failed", "cancelled"]
    subject: str = Field(description="Việc gì (báo cáo và ngày, hoặc tệp danh sách).")
    unit: UnitRef
    step: str = Field(description="Bước đang làm.")
    done: int
    total: int
    percent: int | None = Field(description="Tiến độ 0–100 (trống khi chưa đếm được bước).")
    message: str = Field(description="Thông báo kết quả hoặc lỗi (tiếng Việt).")
    batch: int | None = Field(description="Lần nhập danh sách (việc nhập).")
    plan: int | None = Field(None, description="Kế hoạch đào tạo đã lập (việc lập kế hoạch đã xong).")
    counts: dict[str, int] = Field(description="Số liệu của việc nhập (số dòng, hồ sơ tạo mới…).")
    result_url: str | None = Field(description="Tải tệp kết quả (báo cáo đã xong).")
    result_name: str | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


class JobPage(PageInfo):
    items: list[JobOut]


def _job(job: Job) -> dict:
    has_file = job.status == JobStatus.DONE and bool(job.result_file)
    counts = (job.result or {}).get("counts") or {}
    return {
        "id": job.pk,
        "kind": job.kind,
        "status": job.status,
        "subject": subject(job),
        "unit": unit_ref(job.unit),
        "step": job.step,
        "done": job.done,
        "total": job.total,
        "percent": job.percent,
        "message": job.message,
        "batch": job.batch_id,
        "plan": (job.result or {}).get("plan") if job.status == JobStatus.DONE else None,
        "counts": {k: v for k, v in counts.items() if isinstance(v, int) and not isinstance(v, bool)},
        "result_url": reverse("api:job_file", args=[job.pk]) if has_file else None,
        "result_name": job.result_name if has_file else None,
        "created_at": job.created_at,
        "started_at": job.started_at,
        "finished_at": job.finished_at,
    }


def _visible(request: HttpRequest, pk: int) -> Job:
    try:
        return services.job_for(request.user, pk)
    except Job.DoesNotExist:
        raise Http404 from None


# =========================================================================== reports


class ReportIn(Schema):
    """A report to draw up: which, of which unit, on which date, in which format."""

    model_config = ConfigDict(extra="forbid")

    report: str = Field(max_length=50, description="Báo cáo: " + ", ".join(REPORTS) + ".")
    unit: int = Field(ge=1, le=MAX_ID, description="Đơn vị (trong phạm vi).")
    on: date = Field(description="Ngày của báo cáo (YYYY-MM-DD).")
    format: Literal["xlsx", "pdf"] = "xlsx"


@router.post(
    "/reports/",
    response={202: JobOut, **COMMON},
    summary="Lập một báo cáo (công việc chạy nền)",
    operation_id="report_submit",
)
def report_submit(request: HttpRequest, body: ReportIn):
    """Ask for a report: a commune's or district's is drawn up at once (the job answered is
    ``done``, its ``result_url`` the file), a province's is queued for the worker. A unit outside
    the scope: 404, nothing queued."""
    gate(request, "reports")
    unit = get_visible(request, Unit.objects.select_related("parent"), pk=body.unit)
    job = services.submit_report(request.user, report=body.report, unit=unit, on=body.on, fmt=body.format)
    return Status(202, _job(job))


# =========================================================================== imports


class ImportIn(Schema):
    """The fields of the upload besides the file."""

    unit: int = Field(ge=1, le=MAX_ID, description="Đơn vị của danh sách (trong phạm vi).")
    as_of: date = Field(description="Số liệu tính đến ngày (YYYY-MM-DD).")


@router.post(
    "/imports/",
    response={202: JobOut, **COMMON},
    summary="Nhập một danh sách Excel (công việc chạy nền)",
    operation_id="import_submit",
)
def import_submit(request: HttpRequest, body: Form[ImportIn], file: File[UploadedFile]):
    """Upload an Excel list (multipart: ``file``, ``unit``, ``as_of``) and have it read and
    checked: the job's ``counts`` say what committing would do, its ``batch`` is the batch to
    commit. A small list is read at once."""
    gate(request, "imports")
    found = get_visible(request, Unit.objects, pk=body.unit)
    as_of = bounds.check_date(body.as_of)
    job = services.submit_import(request.user, file=file, unit=found, as_of=as_of)
    return Status(202, _job(job))


class CommitIn(Schema):
    model_config = ConfigDict(extra="forbid")

    fingerprint: str | None = Field(
        None,
        max_length=128,
        description="Dấu vân tay của bản xem trước đã xem (counts của việc kiểm tra); "
        "bị từ chối nếu tệp hoặc hồ sơ đã thay đổi từ đó.",
    )


@router.post(
    "/imports/{batch_id}/commit",
    response={202: JobOut, **COMMON},
    summary="Ghi một danh sách đã kiểm tra vào hồ sơ (công việc chạy nền)",
    operation_id="import_commit",
)
def import_commit(request: HttpRequest, batch_id: Id, body: CommitIn | None = None):
    """Write the checked list ``batch_id`` into the records (all or nothing)."""
    gate(request, "imports")
    batch = get_visible(request, ImportBatch.objects.select_related("unit"), pk=batch_id)
    shown = body.fingerprint if body is not None else None
    job = services.submit_import_commit(request.user, batch, shown or batch.summary.get("fingerprint"))
    return Status(202, _job(job))


# =========================================================================== jobs


class JobFilters(Schema):
    status: Literal["queued", "running", "done", "failed", "cancelled"] | None = None
    limit: int = Field(LIMIT, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


@router.get(
    "/jobs/",
    response={200: JobPage, **COMMON},
    summary="Công việc của tôi",
    operation_id="jobs_list",
)
def jobs_list(request: HttpRequest, filters: Query[JobFilters]):
    """The user's own jobs, newest first (as the page "Công việc")."""
    gate(request, "jobs")
    qs = (
        services.visible_jobs(request.user)
        .filter(user_id=int(request.user.pk or 0))
        .select_related("unit", "batch")
    )
    if filters.status:
        qs = qs.filter(status=filters.status)
    total = qs.count()
    rows = qs.order_by("-created_at", "-id")[filters.offset : filters.offset + filters.limit]
    return {
        "count": total,
        "limit": filters.limit,
        "offset": filters.offset,
        "items": [_job(j) for j in rows],
    }


@router.get(
    "/jobs/{job_id}",
    response={200: JobOut, **COMMON},
    summary="Một công việc: tiến độ và kết quả",
    operation_id="job_detail",
)
def job_detail(request: HttpRequest, job_id: Id):
    gate(request, "jobs")
    return _job(_visible(request, job_id))


@router.get(
    "/jobs/{job_id}/file",
    response={200: None, **COMMON},
    summary="Tải tệp kết quả của một công việc",
    operation_id="job_file",
    url_name="job_file",
    openapi_extra={
        "responses": {
            200: {
                "description": "Tệp kết quả (báo cáo).",
                "content": {
                    mime: {"schema": {"type": "string", "format": "binary"}} for mime, _l in FORMATS.values()
                },
            }
        }
    },
)
def job_file(request: HttpRequest, job_id: Id):
    """The result file of a finished report (400 while it is not done); every download logged."""
    gate(request, "jobs")
    job = _visible(request, job_id)
    if job.status != JobStatus.DONE or not job.result_file:
        raise bounds.BadInput(
            _("Công việc này không có tệp kết quả (chưa xong, hoặc tệp đã được xóa sau thời hạn lưu).")
        )
    log_access(request, "report", what=f"job #{job.pk}: {job.result_name}")
    fmt = (job.params or {}).get("format", "")
    content_type = FORMATS.get(fmt, ("application/octet-stream", ""))[0]
    return FileResponse(
        job.result_file.open("rb"), as_attachment=True, filename=job.result_name, content_type=content_type
    )


__all__ = ["Error", "router"]
