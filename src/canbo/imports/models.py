"""What an import leaves behind: the uploaded file, its rows' links to people, and the rows
held for review.

DESIGN.md principle 6 ("nothing is lost"): every uploaded workbook is kept with its SHA-256
hash, who uploaded it and when; the import is validated first and committed all or nothing;
a row that may be a person already on record is never merged silently but held for review;
re-importing the same file changes nothing; no record is ever deleted by an import. Personal
data written by an import carries its history entry (who, when, before, after) like any edit.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from canbo.common.models import AuditedModel


class BatchStatus(models.TextChoices):
    #: Kept, not read yet: its preview is a job, queued or running (canbo.jobs).
    RECEIVED = "received", _("Đã nhận, đang kiểm tra")
    PREVIEWED = "previewed", _("Đã kiểm tra, chưa nhập")
    REFUSED = "refused", _("Có lỗi, không nhập")
    COMMITTED = "committed", _("Đã nhập")


def upload_path(instance: ImportBatch, filename: str) -> str:
    return f"imports/{instance.sha256[:2]}/{instance.sha256}/{filename}"


def sha256_of(fileobj) -> str:
    h = hashlib.sha256()
    for chunk in iter(lambda: fileobj.read(1 << 20), b""):
        h.update(chunk)
    fileobj.seek(0)
    return h.hexdigest()


class ImportBatch(AuditedModel):
    """One uploaded Excel list (danh sách cán bộ, công chức) and what became of it: the file
    as uploaded and its hash, the unit it was imported for, who uploaded and who committed it,
    the date the list is *as of*, the problems found and the counts of people created,
    updated, unchanged and held for review."""

    scope_path = "unit"

    file = models.FileField(_("tệp"), upload_to=upload_path, max_length=300)
    original_name = models.CharField(_("tên tệp"), max_length=255)
    size = models.PositiveBigIntegerField(_("dung lượng (byte)"))
    sha256 = models.CharField(_("mã băm SHA-256"), max_length=64, db_index=True)
    unit = models.ForeignKey(
        "registry.Unit",
        verbose_name=_("đơn vị"),
        on_delete=models.PROTECT,
        related_name="import_batches",
        help_text=_("Đơn vị có danh sách; các dòng không ghi xã thuộc đơn vị này."),
    )
    as_of = models.DateField(_("danh sách tính đến ngày"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tải lên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("thời điểm tải lên"), auto_now_add=True)
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=BatchStatus.choices, default=BatchStatus.PREVIEWED
    )
    committed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nhập"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    committed_at = models.DateTimeField(_("thời điểm nhập"), null=True, blank=True)
    summary = models.JSONField(_("kết quả"), default=dict, blank=True)
    problems = models.JSONField(_("lỗi và cảnh báo"), default=list, blank=True)
    #: Each change the commit would make to a person on record, as the preview showed it
    #: (person, field, old → new); the commit applies exactly these (issue 9 §1).
    changes = models.JSONField(_("thay đổi so với hồ sơ"), default=list, blank=True)

    class Meta:
        verbose_name = _("lần nhập danh sách")
        verbose_name_plural = _("nhập danh sách từ Excel")
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.original_name}"

    def earlier_commit(self) -> ImportBatch | None:
        """The first committed import of the same file (same hash), if any."""
        return (
            ImportBatch.objects.filter(sha256=self.sha256, status=BatchStatus.COMMITTED)
            .exclude(pk=self.pk)
            .order_by("committed_at")
            .first()
        )


class ImportedRow(AuditedModel):
    """The link from a row *without an ID number* to the person it created or was matched to,
    by the row's key (folded full name, birth date, unit). It makes re-importing a list that
    has no ID numbers idempotent: the same row finds the same person again instead of being
    held for review as a possible duplicate. Not personal data itself (the person's own record
    carries the history)."""

    scope_path = "batch__unit"

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="rows")
    row = models.PositiveIntegerField(_("dòng"))
    key = models.CharField(_("khóa dòng"), max_length=64, db_index=True)
    person = models.ForeignKey("registry.Person", on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("dòng đã nhập")
        verbose_name_plural = _("dòng đã nhập")


class ReviewDecision(models.TextChoices):
    PENDING = "pending", _("Chờ xem xét")
    SAME_PERSON = "same_person", _("Là cùng một người: đã cập nhật vào hồ sơ có sẵn")
    NEW_PERSON = "new_person", _("Là người khác: đã tạo hồ sơ mới")


class ImportReview(AuditedModel):
    """A row that may be a person already on record — same name, birth date and unit, but no
    ID number to prove it; or a row whose value conflicts with one an officer entered by hand
    since the earlier import — held for an officer to decide rather than merged silently
    (``reason`` says why). The row's data is kept as read; the decision applies it to the
    existing person or creates a new one, through the same code as the import itself. One
    review per batch row (a database constraint); a decision is taken once, under a row lock,
    even when two officers decide at once (issue 9 §8)."""

    scope_path = "unit"

    batch = models.ForeignKey(
        ImportBatch, verbose_name=_("lần nhập"), on_delete=models.CASCADE, related_name="reviews"
    )
    row = models.PositiveIntegerField(_("dòng"))
    unit = models.ForeignKey(
        "registry.Unit", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+"
    )
    full_name = models.CharField(_("họ và tên"), max_length=200)
    candidate = models.ForeignKey(
        "registry.Person", verbose_name=_("hồ sơ có thể trùng"), on_delete=models.CASCADE, related_name="+"
    )
    data = models.JSONField(_("dữ liệu dòng"))
    decision = models.CharField(
        _("quyết định"), max_length=16, choices=ReviewDecision.choices, default=ReviewDecision.PENDING
    )
    person = models.ForeignKey(
        "registry.Person",
        verbose_name=_("hồ sơ được ghi"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người quyết định"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("thời điểm quyết định"), null=True, blank=True)
    reason = models.TextField(_("lý do cần xem xét"), blank=True)

    class Meta:
        verbose_name = _("dòng cần xem xét")
        verbose_name_plural = _("dòng nhập cần xem xét (có thể trùng)")
        ordering = ["decision", "batch", "row"]
        # One review per row of a batch, whatever races (issue 9 §8).
        constraints = [models.UniqueConstraint(fields=["batch", "row"], name="import_review_one_per_row")]

    def __str__(self) -> str:
        return f"{self.full_name} (#{self.batch_id}, dòng {self.row})"
