"""Annual evaluations, inspections and discipline decisions.

Legal frame: evaluation under Decree 90/2020/NĐ-CP (amended by Decree
48/2023) until 31/12/2025, then Law 80/2025 Arts. 25–27 and Decree
335/2025/NĐ-CP; discipline under Decree 112/2020/NĐ-CP (amended by Decree
71/2023) until 30/6/2025, then Law 80/2025 Arts. 35–39 and Decree
172/2025/NĐ-CP; Party discipline under Regulation 30-QĐ/TW and the Party
Charter.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from canbo.common.choices import text_choices
from canbo.common.models import AuditedModel, check_period
from canbo.core import vocab
from canbo.registry.models import Person

Rating = text_choices("Rating", vocab.Rating, __name__)


class Evaluation(AuditedModel):
    """The annual evaluation and classification of one person for one year
    (đánh giá, xếp loại chất lượng): four ratings (Law 80/2025 Art. 26) and,
    from 2026, a score out of 100 (Decree 335/2025 Art. 20: ≥90 excellent,
    70–<90 good, 50–<70 completed)."""

    scope_path = "person__managing_unit"

    person = models.ForeignKey(
        Person, verbose_name=_("cán bộ, công chức"), on_delete=models.CASCADE, related_name="evaluations"
    )
    year = models.PositiveSmallIntegerField(_("năm đánh giá"))
    rating = models.CharField(_("xếp loại"), max_length=16, choices=Rating.choices)
    score = models.DecimalField(_("điểm"), max_digits=5, decimal_places=2, null=True, blank=True)
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("đánh giá, xếp loại")
        verbose_name_plural = _("đánh giá, xếp loại")
        ordering = ["person", "year"]
        constraints = [
            models.UniqueConstraint(fields=["person", "year"], name="evaluation_person_year_unique")
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.get_rating_display()}"

    def clean(self) -> None:
        super().clean()
        if self.score is not None and not 0 <= self.score <= 100:
            raise ValidationError({"score": _("Điểm đánh giá phải từ 0 đến 100.")})
        if self.year and self.year > timezone.localdate().year:
            raise ValidationError(
                {"year": _("Không thể đánh giá cho năm %(y)s chưa tới.") % {"y": self.year}}
            )
        if (
            self.person_id
            and self.year
            and self.person.birth_date
            and self.year < self.person.birth_date.year + 15
        ):
            raise ValidationError({"year": _("Năm đánh giá không phù hợp với năm sinh.")})


class Inspection(AuditedModel):
    """An inspection or check (kiểm tra, thanh tra) of a person showing signs
    of violation, and its conclusion — the basis for discipline."""

    scope_path = "person__managing_unit"

    person = models.ForeignKey(
        Person, verbose_name=_("cán bộ, công chức"), on_delete=models.CASCADE, related_name="inspections"
    )
    authority = models.CharField(_("cơ quan kiểm tra"), max_length=200)
    subject = models.CharField(_("nội dung"), max_length=300)
    started_on = models.DateField(_("ngày bắt đầu"))
    concluded_on = models.DateField(_("ngày kết luận"), null=True, blank=True)
    found_violation = models.BooleanField(_("có vi phạm"), default=False)
    conclusion = models.TextField(_("kết luận"), blank=True)

    class Meta:
        verbose_name = _("kiểm tra, thanh tra")
        verbose_name_plural = _("kiểm tra, thanh tra")
        ordering = ["person", "started_on"]

    def __str__(self) -> str:
        return f"{self.subject} ({self.started_on:%d/%m/%Y})"

    def clean(self) -> None:
        super().clean()
        check_period(self, "started_on", "concluded_on")


Track = text_choices("Track", vocab.DisciplineTrack, __name__)


DisciplineForm = text_choices("DisciplineForm", vocab.DisciplineForm, __name__)


PARTY_FORMS = vocab.DisciplineForm.party_forms()


class Severity(models.TextChoices):
    LESS_SERIOUS = "less_serious", _("Ít nghiêm trọng")
    SERIOUS = "serious", _("Nghiêm trọng")
    VERY_SERIOUS = "very_serious", _("Rất nghiêm trọng")
    EXTREMELY_SERIOUS = "extremely_serious", _("Đặc biệt nghiêm trọng")


class Discipline(AuditedModel):
    """A discipline decision (quyết định kỷ luật), Party or administrative:
    its form, severity, authority and decision number. Its effects (12 or 24
    months barred from training, appointment and planning before 1/7/2025;
    12 months after, Decree 172/2025) are computed by the rules engine."""

    scope_path = "person__managing_unit"

    person = models.ForeignKey(
        Person, verbose_name=_("cán bộ, công chức"), on_delete=models.CASCADE, related_name="disciplines"
    )
    track = models.CharField(_("loại kỷ luật"), max_length=16, choices=Track.choices)
    form = models.CharField(_("hình thức"), max_length=24, choices=DisciplineForm.choices)
    severity = models.CharField(_("mức độ vi phạm"), max_length=20, choices=Severity.choices, blank=True)
    decided_on = models.DateField(_("ngày quyết định"))
    authority = models.CharField(_("cơ quan quyết định"), max_length=200)
    decision_number = models.CharField(_("số quyết định"), max_length=100)
    reason = models.TextField(_("lý do"), blank=True)
    inspection = models.ForeignKey(
        Inspection,
        verbose_name=_("kiểm tra liên quan"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="disciplines",
    )

    class Meta:
        verbose_name = _("kỷ luật")
        verbose_name_plural = _("kỷ luật")
        ordering = ["person", "decided_on"]

    def __str__(self) -> str:
        return f"{self.get_form_display()} ({self.get_track_display()}, {self.decided_on:%d/%m/%Y})"

    def clean(self) -> None:
        super().clean()
        if self.track == Track.PARTY and self.form and self.form not in PARTY_FORMS:
            raise ValidationError(
                {"form": _("Hình thức này không phải hình thức kỷ luật Đảng (Điều lệ Đảng).")}
            )
        if self.track == Track.ADMINISTRATIVE and self.form == DisciplineForm.EXPULSION:
            raise ValidationError(
                {"form": _("Khai trừ là hình thức kỷ luật Đảng, không phải kỷ luật hành chính.")}
            )
        if self.decided_on and self.decided_on > timezone.localdate():
            raise ValidationError({"decided_on": _("Ngày quyết định ở tương lai.")})
        if (
            self.person_id
            and self.decided_on
            and self.person.birth_date
            and self.decided_on < self.person.birth_date
        ):
            raise ValidationError({"decided_on": _("Ngày quyết định trước ngày sinh.")})
