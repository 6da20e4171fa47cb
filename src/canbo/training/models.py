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
from canbo.registry.models import Dimension, Person, StudyMode, field_choices, level_choices


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
    course = models.ForeignKey(
        "training.Course",
        verbose_name=_("khóa học trong danh mục"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
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


class Course(AuditedModel):
    """One course of the province's training catalogue (issue 13 §1): its kind, the
    qualification it awards on the registry's scales (``canbo.core.scales``), field of study,
    duration, cost, provider, study mode, seats per intake and per year, and the levels a
    learner must already hold (upper-secondary education before a degree; the previous level of
    political theory). Degree training of commune staff: Decree 101/2017/NĐ-CP (to 30/6/2025),
    Decree 171/2025/NĐ-CP from 1/7/2025; the yearly retraining duties (leadership programme
    within 12 months of appointment, 40 class periods a year by job position) are Decree 171/2025
    Art. 16(2)–(3). A national catalogue (no scope): edited by the province's Department of
    Home Affairs; the shipped copy is ``canbo/data/training_catalogue.yaml``, loaded by a data
    migration. The planner reads it through :meth:`as_core`."""

    scope_path = None

    code = models.CharField(_("mã khóa học"), max_length=24, unique=True)
    name = models.CharField(_("tên khóa học"), max_length=200)
    kind = models.CharField(_("loại khóa học"), max_length=24, choices=CourseKind.choices)
    target_dimension = models.CharField(
        _("lĩnh vực trình độ đạt được"), max_length=24, choices=Dimension.choices, blank=True
    )
    target_level = models.CharField(_("trình độ đạt được"), max_length=24, choices=level_choices, blank=True)
    field_of_study = models.CharField(_("ngành đào tạo"), max_length=40, choices=field_choices, blank=True)
    months = models.PositiveSmallIntegerField(_("thời gian đào tạo (tháng)"))
    cost_vnd = models.PositiveBigIntegerField(_("kinh phí cả khóa (đồng)"))
    provider = models.CharField(_("cơ sở đào tạo"), max_length=200, blank=True)
    study_mode = models.CharField(
        _("hình thức đào tạo"), max_length=16, choices=StudyMode.choices, default=StudyMode.IN_SERVICE
    )
    seats_per_intake = models.PositiveIntegerField(_("chỉ tiêu mỗi khóa"), default=0)
    seats_per_year = models.PositiveIntegerField(_("chỉ tiêu mỗi năm"))
    prerequisites = models.JSONField(
        _("trình độ cần có trước"),
        default=list,
        blank=True,
        help_text=_('Danh sách [lĩnh vực, trình độ], ví dụ [["general_education", "upper_secondary"]].'),
    )
    active = models.BooleanField(_("đang tuyển sinh"), default=True)

    class Meta:
        verbose_name = _("khóa học trong danh mục")
        verbose_name_plural = _("danh mục khóa học")
        ordering = ["kind", "code"]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    def clean(self) -> None:
        super().clean()
        try:
            self.as_core()
        except (ValueError, TypeError, KeyError) as e:
            raise ValidationError(str(e)) from e

    def as_core(self):
        """The pure-core :class:`canbo.core.training.catalogue.Course` of this row."""
        from canbo.core.training.catalogue import Course as CoreCourse

        return CoreCourse(
            code=self.code,
            name=self.name,
            kind=self.kind,
            months=self.months,
            cost=self.cost_vnd,
            seats_per_year=self.seats_per_year,
            dimension=self.target_dimension,
            level=self.target_level,
            field=self.field_of_study,
            provider=self.provider,
            mode=self.study_mode,
            seats_per_intake=self.seats_per_intake,
            prerequisites=tuple((str(d), str(lv)) for d, lv in (self.prerequisites or [])),
        )


def load_catalogue(courses=None) -> int:
    """Create or update the catalogue rows from ``courses`` (default: the shipped file), by code;
    returns the number of rows written."""
    from canbo.core.training.catalogue import default_catalogue

    n = 0
    for c in courses if courses is not None else default_catalogue():
        Course.objects.update_or_create(code=c.code, defaults=_defaults(c))
        n += 1
    return n


def _defaults(c) -> dict:
    return dict(
        name=c.name,
        kind=c.kind,
        target_dimension=c.dimension,
        target_level=c.level,
        field_of_study=c.field,
        months=c.months,
        cost_vnd=c.cost,
        provider=c.provider,
        study_mode=c.mode,
        seats_per_intake=c.seats_per_intake,
        seats_per_year=c.seats_per_year,
        prerequisites=[list(p) for p in c.prerequisites],
    )


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    APPROVED = "approved", _("Đã phê duyệt")


class ApprovedPlanError(ValidationError):
    """An approved plan is never changed: edits make a new draft (:meth:`TrainingPlan.new_draft`)."""


class TrainingPlan(AuditedModel):
    """A multi-year training plan of a unit (issue 13 §5): the parameters it was solved with
    (start year, horizon, degree seats, yearly budget, share of a commune's staff away at once,
    the solver's time limit), the solver's status and proven gap, the objective reached against
    the greedy by-hand rule's on the same instance, and the needs it leaves open with the reasons.
    A draft is approved by a province role (:func:`canbo.access.scope.may_approve_plan`) and then
    never changed: editing makes a new draft (:meth:`new_draft`); approval turns the first year's
    attendances into planned :class:`TrainingEnrolment` rows. Planning and sending staff to
    training: Decree 101/2017/NĐ-CP Art. 5–6 (to 30/6/2025), Decree 171/2025/NĐ-CP from
    1/7/2025."""

    scope_path = "unit"

    unit = models.ForeignKey(
        "registry.Unit", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="training_plans"
    )
    planned_on = models.DateField(_("ngày lập (dữ liệu)"))
    start_year = models.PositiveSmallIntegerField(_("năm bắt đầu"))
    years = models.PositiveSmallIntegerField(_("số năm"))
    degree_seats = models.PositiveIntegerField(_("chỉ tiêu đào tạo trình độ mỗi năm"), null=True, blank=True)
    budget_vnd = models.PositiveBigIntegerField(_("kinh phí mỗi năm (đồng)"), null=True, blank=True)
    away_share = models.FloatField(_("tỷ lệ tối đa đi học cùng lúc"), default=0.2)
    time_limit = models.FloatField(_("thời gian giải tối đa (giây)"), default=60.0)
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    solver_status = models.CharField(_("kết quả giải"), max_length=32, blank=True)
    gap = models.FloatField(_("khoảng cách tối ưu"), null=True, blank=True)
    objective = models.FloatField(_("điểm của kế hoạch"), default=0.0)
    greedy_objective = models.FloatField(_("điểm của cách làm thủ công"), default=0.0)
    needs_count = models.PositiveIntegerField(_("số nhu cầu"), default=0)
    open_needs = models.JSONField(_("nhu cầu chưa đáp ứng"), default=list, blank=True)
    created_by = models.ForeignKey(
        "access.User",
        verbose_name=_("người lập"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("thời điểm lập"), auto_now_add=True)
    approved_by = models.ForeignKey(
        "access.User",
        verbose_name=_("người phê duyệt"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("thời điểm phê duyệt"), null=True, blank=True)
    supersedes = models.ForeignKey(
        "self",
        verbose_name=_("thay cho kế hoạch"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="drafts",
    )

    class Meta:
        verbose_name = _("kế hoạch đào tạo, bồi dưỡng")
        verbose_name_plural = _("kế hoạch đào tạo, bồi dưỡng")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.unit} {self.start_year}–{self.end_year}"

    @property
    def end_year(self) -> int:
        return self.start_year + self.years - 1

    @property
    def is_approved(self) -> bool:
        return self.status == PlanStatus.APPROVED

    def stored_approved(self) -> bool:
        """Is the row as stored (not as in memory) approved?"""
        return bool(self.pk and TrainingPlan.objects.filter(pk=self.pk, status=PlanStatus.APPROVED).exists())

    def save(self, *args, **kwargs):
        if self.stored_approved():
            raise ApprovedPlanError(_("Kế hoạch đã phê duyệt không được sửa; hãy tạo dự thảo mới."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.stored_approved():
            raise ApprovedPlanError(_("Kế hoạch đã phê duyệt không được xóa."))
        return super().delete(*args, **kwargs)

    def new_draft(self, user=None) -> "TrainingPlan":
        """A draft copy of this plan (parameters, results and attendances) to edit; the plan
        itself, approved or not, is left as it is."""
        copy = TrainingPlan.objects.create(
            **{
                f.name: getattr(self, f.name)
                for f in self._meta.concrete_fields
                if f.name
                not in {
                    "id",
                    "status",
                    "approved_by",
                    "approved_at",
                    "created_by",
                    "created_at",
                    "supersedes",
                }
            },
            status=PlanStatus.DRAFT,
            created_by=user,
            supersedes=self,
        )
        for a in self.attendances.all():
            PlannedAttendance.objects.create(
                plan=copy,
                person_id=a.person_id,
                course_id=a.course_id,
                start_year=a.start_year,
                counts_from=a.counts_from,
                closes=a.closes,
                cost_vnd=a.cost_vnd,
            )
        return copy


class PlannedAttendance(AuditedModel):
    """One attendance of a :class:`TrainingPlan`: who attends which catalogue course, starting in
    which year, the year from which the qualification counts (after the course ends), the
    criteria it closes and its cost. Part of the plan: fixed once the plan is approved; the
    first year's attendances become :class:`TrainingEnrolment` rows on approval."""

    scope_path = "plan__unit"

    plan = models.ForeignKey(
        TrainingPlan, verbose_name=_("kế hoạch"), on_delete=models.CASCADE, related_name="attendances"
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("cán bộ, công chức"),
        on_delete=models.CASCADE,
        related_name="planned_attendances",
    )
    course = models.ForeignKey(Course, verbose_name=_("khóa học"), on_delete=models.PROTECT, related_name="+")
    start_year = models.PositiveSmallIntegerField(_("năm bắt đầu"))
    counts_from = models.PositiveSmallIntegerField(_("có trình độ từ năm"), null=True, blank=True)
    closes = models.JSONField(_("tiêu chí đáp ứng"), default=list, blank=True)
    cost_vnd = models.PositiveBigIntegerField(_("kinh phí (đồng)"), default=0)
    enrolment = models.ForeignKey(
        TrainingEnrolment,
        verbose_name=_("lượt đào tạo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("lượt đào tạo dự kiến")
        verbose_name_plural = _("lượt đào tạo dự kiến")
        ordering = ["plan", "start_year", "course", "person"]

    def __str__(self) -> str:
        return f"{self.person} — {self.course.code} ({self.start_year})"

    def save(self, *args, **kwargs):
        if self.plan.stored_approved() and not getattr(self, "_approving", False):
            raise ApprovedPlanError(_("Kế hoạch đã phê duyệt không được sửa; hãy tạo dự thảo mới."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.plan.stored_approved():
            raise ApprovedPlanError(_("Kế hoạch đã phê duyệt không được sửa; hãy tạo dự thảo mới."))
        return super().delete(*args, **kwargs)
