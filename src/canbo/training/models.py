"""Training enrolments (đào tạo, bồi dưỡng): degree training, political
theory, state management, IT, language and professional refresher courses,
and remedial general education (bổ túc văn hóa).

Legal frame: Decree 18/2010 and Decree 101/2017/NĐ-CP (until 30/6/2025),
Decree 171/2025/NĐ-CP from 1/7/2025 (eligibility, service commitment,
reimbursement).
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from canbo.common.models import AuditedModel, check_period
from canbo.registry.models import Dimension, Person, field_choices, level_choices


class CourseKind(models.TextChoices):
    DEGREE = "degree", _("Đào tạo trình độ (trung cấp, cao đẳng, đại học, sau đại học)")
    REMEDIAL = "remedial", _("Bổ túc văn hóa")
    POLITICAL_THEORY = "political_theory", _("Lý luận chính trị")
    STATE_MANAGEMENT = "state_management", _("Quản lý nhà nước")
    IT = "it", _("Tin học")
    FOREIGN_LANGUAGE = "foreign_language", _("Ngoại ngữ")
    ETHNIC_LANGUAGE = "ethnic_language", _("Tiếng dân tộc thiểu số")
    PROFESSIONAL = "professional", _("Bồi dưỡng chuyên môn, nghiệp vụ")
    LEADERSHIP = "leadership", _("Bồi dưỡng lãnh đạo, quản lý")


class EnrolmentStatus(models.TextChoices):
    PLANNED = "planned", _("Dự kiến")
    ENROLLED = "enrolled", _("Đang học")
    COMPLETED = "completed", _("Hoàn thành")
    DROPPED = "dropped", _("Bỏ học")
    FAILED = "failed", _("Không đạt")


class Funding(models.TextChoices):
    STATE = "state", _("Ngân sách nhà nước")
    PROVINCE = "province", _("Ngân sách tỉnh")
    UNIT = "unit", _("Kinh phí đơn vị")
    SELF = "self", _("Tự túc")
    OTHER = "other", _("Nguồn khác")


class TrainingEnrolment(AuditedModel):
    """One person's attendance of one course (a *lượt* in the story's "116
    attendances a year"); degree training leads, when completed, to a
    qualification and carries a service commitment (Decree 101/2017 Art. 37;
    Decree 171/2025: at least 2× / 3× the training period)."""

    scope_path = "person__managing_unit"

    person = models.ForeignKey(
        Person, verbose_name=_("cán bộ, công chức"), on_delete=models.CASCADE, related_name="enrolments"
    )
    course_name = models.CharField(_("tên khóa học"), max_length=200)
    kind = models.CharField(_("loại khóa học"), max_length=24, choices=CourseKind.choices)
    target_dimension = models.CharField(
        _("lĩnh vực trình độ đạt được"), max_length=24, choices=Dimension.choices, blank=True
    )
    target_level = models.CharField(_("trình độ đạt được"), max_length=24, choices=level_choices, blank=True)
    field_of_study = models.CharField(_("ngành đào tạo"), max_length=40, choices=field_choices, blank=True)
    institution = models.CharField(_("cơ sở đào tạo"), max_length=200, blank=True)
    start = models.DateField(_("ngày bắt đầu"))
    end = models.DateField(_("ngày kết thúc"), null=True, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=EnrolmentStatus.choices, default=EnrolmentStatus.ENROLLED
    )
    result = models.CharField(_("kết quả"), max_length=200, blank=True)
    funding = models.CharField(
        _("nguồn kinh phí"), max_length=16, choices=Funding.choices, default=Funding.STATE
    )
    cost_vnd = models.PositiveBigIntegerField(_("kinh phí (đồng)"), null=True, blank=True)
    service_commitment_months = models.PositiveSmallIntegerField(
        _("cam kết thời gian công tác (tháng)"), null=True, blank=True
    )
    qualification = models.ForeignKey(
        "registry.Qualification",
        verbose_name=_("văn bằng đạt được"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("lượt đào tạo, bồi dưỡng")
        verbose_name_plural = _("lượt đào tạo, bồi dưỡng")
        ordering = ["person", "start"]
        indexes = [models.Index(fields=["start"])]

    def __str__(self) -> str:
        return f"{self.course_name} ({self.start:%d/%m/%Y})"

    def clean(self) -> None:
        super().clean()
        check_period(self, "start", "end")
        if self.status == EnrolmentStatus.COMPLETED and not self.end:
            raise ValidationError({"end": _("Khóa học đã hoàn thành cần có ngày kết thúc.")})
        if bool(self.target_dimension) != bool(self.target_level):
            raise ValidationError(
                {"target_level": _("Cần ghi cả lĩnh vực và trình độ đạt được, hoặc bỏ trống cả hai.")}
            )
        if self.target_dimension:
            from canbo.core import scales

            if not scales.is_valid_level(scales.Dimension(self.target_dimension), self.target_level):
                raise ValidationError({"target_level": _("Trình độ không thuộc lĩnh vực đã chọn.")})
        if self.person_id and self.person.birth_date and self.start < self.person.birth_date:
            raise ValidationError({"start": _("Ngày bắt đầu trước ngày sinh.")})
