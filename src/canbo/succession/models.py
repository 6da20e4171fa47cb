"""Succession planning (quy hoạch cán bộ).

Legal frame: Regulation 50-QĐ/TW (2021), Regulation 377-QĐ/TW (2025) and
Guidance 45-HD/BTCTW (21/11/2025): one term with direction for the next; at
most 3 people per leadership title and 3 titles per person; tier 1 (đối
tượng 1) and tier 2 (đối tượng 2); removal on discipline, age or failing the
political standard.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from canbo.common.models import AuditedModel, check_period
from canbo.registry.models import Person, Title, Unit


class Tier(models.TextChoices):
    TIER_1 = "tier_1", _("Đối tượng 1")
    TIER_2 = "tier_2", _("Đối tượng 2")


class RemovalReason(models.TextChoices):
    APPOINTED = "appointed", _("Đã được bầu, bổ nhiệm")
    AGE = "age", _("Quá tuổi")
    DISCIPLINE = "discipline", _("Bị kỷ luật")
    STANDARD = "standard", _("Không đáp ứng tiêu chuẩn")
    REVIEW = "review", _("Rà soát, điều chỉnh quy hoạch")
    LEFT = "left", _("Chuyển công tác, nghỉ việc")


class SuccessionEntry(AuditedModel):
    """One person in the succession plan for one title in one unit for one
    term (Guidance 45-HD/BTCTW §§1–3)."""

    scope_path = "unit"

    person = models.ForeignKey(
        Person,
        verbose_name=_("cán bộ, công chức"),
        on_delete=models.CASCADE,
        related_name="succession_entries",
    )
    title = models.ForeignKey(
        Title, verbose_name=_("chức danh quy hoạch"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="succession_entries"
    )
    term_start_year = models.PositiveSmallIntegerField(_("nhiệm kỳ từ năm"))
    term_end_year = models.PositiveSmallIntegerField(_("nhiệm kỳ đến năm"))
    tier = models.CharField(_("đối tượng"), max_length=8, choices=Tier.choices)
    added_on = models.DateField(_("ngày đưa vào quy hoạch"))
    removed_on = models.DateField(_("ngày đưa ra khỏi quy hoạch"), null=True, blank=True)
    removal_reason = models.CharField(
        _("lý do đưa ra"), max_length=16, choices=RemovalReason.choices, blank=True
    )
    decision_number = models.CharField(_("số quyết định"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("quy hoạch cán bộ")
        verbose_name_plural = _("quy hoạch cán bộ")
        ordering = ["unit", "title", "term_start_year"]

    def __str__(self) -> str:
        return f"{self.person} → {self.title.name} ({self.term_start_year}–{self.term_end_year})"

    def clean(self) -> None:
        super().clean()
        check_period(self, "added_on", "removed_on")
        if self.term_start_year and self.term_end_year and self.term_end_year <= self.term_start_year:
            raise ValidationError({"term_end_year": _("Năm kết thúc nhiệm kỳ phải sau năm bắt đầu.")})
        if self.removed_on and not self.removal_reason:
            raise ValidationError({"removal_reason": _("Cần ghi lý do đưa ra khỏi quy hoạch.")})
        if self.title_id and not self.title.is_leadership:
            raise ValidationError({"title": _("Chỉ quy hoạch vào chức danh lãnh đạo, quản lý.")})
