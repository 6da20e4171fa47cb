"""A job: long work run in the background, with its progress and its result (issue 11 §2).

DESIGN.md, "The web layer": long work becomes a job with progress, never a request that waits a
minute. A job is queued as a task of Django's tasks framework (``django.tasks``, the database
backend of django-tasks-db: the queue is a table of the one database, on SQLite and on
PostgreSQL) and run by ``canbo worker`` — or, when it is small, at once in the request that asked
for it, through the same code (:mod:`canbo.jobs.runner`). ``docs/jobs.md`` tells the whole story.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class JobKind(models.TextChoices):
    """What a job does (its handler in :mod:`canbo.jobs.handlers`)."""

    IMPORT_PREVIEW = "import_preview", _("Kiểm tra danh sách Excel")
    IMPORT_COMMIT = "import_commit", _("Ghi danh sách vào hồ sơ")
    REPORT = "report", _("Lập báo cáo")
    RESUMES = "resumes", _("In sơ yếu lý lịch của một xã")
    TRAINING_PLAN = "training_plan", _("Lập kế hoạch đào tạo")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Đang chờ")
    RUNNING = "running", _("Đang chạy")
    DONE = "done", _("Đã xong")
    FAILED = "failed", _("Không thành công")
    CANCELLED = "cancelled", _("Đã hủy")


#: The statuses a job never leaves.
FINISHED = frozenset({JobStatus.DONE, JobStatus.FAILED, JobStatus.CANCELLED})


def result_path(instance: Job, filename: str) -> str:
    """MEDIA_ROOT/jobs/2026/03/<job>/<file>: a job's result file, served only by the job's page."""
    when = instance.created_at
    return f"jobs/{when:%Y}/{when:%m}/{instance.pk}/{PurePosixPath(filename).name}"


class Job(models.Model):
    """One piece of long work a user asked for — an Excel list to check or to write into the
    records, a report to draw up — and what became of it: who asked, for which unit of their
    scope (a job for a unit outside it is refused before it is queued: issue 11, "Bad input"),
    with which parameters; its status, its progress (step done of total, the step's Vietnamese
    label), its message (Vietnamese, for a failure too) and its result (a file under
    ``MEDIA_ROOT/jobs/``, the import batch it read or wrote and its counts).

    The job is itself the record of a request, like :class:`canbo.access.models.FileAccess`:
    it keeps no change history of its own (its progress changes every second), and the records
    its work writes keep theirs (an import's people, posts and qualifications).
    """

    #: A job belongs to the unit it is for; a user sees only their own jobs of units still in
    #: their scope (the system administrator every job): :func:`canbo.jobs.services.visible_jobs`.
    scope_path = "unit"

    kind = models.CharField(_("loại việc"), max_length=32, choices=JobKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người yêu cầu"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    unit = models.ForeignKey(
        "registry.Unit", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+"
    )
    #: The language the job speaks (its messages, a report's text): the requester's.
    language = models.CharField(_("ngôn ngữ"), max_length=8, default="vi")
    params = models.JSONField(_("tham số"), default=dict, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED, db_index=True
    )
    #: Asked to stop: the job stops at its next step and writes nothing (all or nothing).
    cancel_requested = models.BooleanField(_("đã yêu cầu hủy"), default=False)
    step = models.CharField(_("bước đang làm"), max_length=300, blank=True)
    done = models.PositiveIntegerField(_("đã xong"), default=0)
    total = models.PositiveIntegerField(_("tổng số"), default=0)
    message = models.TextField(_("thông báo"), blank=True)
    result = models.JSONField(_("kết quả"), default=dict, blank=True)
    result_file = models.FileField(_("tệp kết quả"), upload_to=result_path, max_length=300, blank=True)
    result_name = models.CharField(_("tên tệp kết quả"), max_length=255, blank=True)
    batch = models.ForeignKey(
        "imports.ImportBatch",
        verbose_name=_("lần nhập"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="jobs",
    )
    attempts = models.PositiveSmallIntegerField(_("số lần chạy"), default=0)
    #: The id of the django.tasks task result that runs it (django-tasks-db's row; a newer one
    #: when the job was queued again after its worker died).
    task_id = models.CharField(_("mã tác vụ"), max_length=64, blank=True, db_index=True)
    #: Where it runs or ran: host name and process id.
    worker = models.CharField(_("tiến trình xử lý"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("thời điểm yêu cầu"), auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(_("thời điểm bắt đầu"), null=True, blank=True)
    finished_at = models.DateTimeField(_("thời điểm kết thúc"), null=True, blank=True)
    #: When the progress was last written.
    updated_at = models.DateTimeField(_("cập nhật lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("công việc")
        verbose_name_plural = _("công việc chạy nền")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"], name="jobs_job_user_recent")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_kind_display()} ({self.get_status_display()})"

    @property
    def finished(self) -> bool:
        return self.status in FINISHED

    @property
    def percent(self) -> int | None:
        """How far it is, 0–100, when the steps are counted."""
        if not self.total:
            return None
        return max(0, min(100, round(100 * self.done / self.total)))
