"""The registry: administrative units, titles, people, assignments and
qualifications — every one a dated fact with its change history.

Legal frame (see ``shared/domain/LEGAL.md``): commune-level titles and
quotas under Decree 92/2009/NĐ-CP, Decree 34/2019/NĐ-CP and Decree
33/2023/NĐ-CP; the two-tier reform of 1/7/2025 (Resolution 202/2025/QH15,
Law 80/2025/QH15, Decree 170/2025/NĐ-CP); personal identification numbers
under Decree 137/2015/NĐ-CP and Circular 59/2021/TT-BCA.
"""

from __future__ import annotations

from datetime import date
from typing import cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone, translation
from django.utils.functional import lazy
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from canbo.common.choices import text_choices
from canbo.common.models import AuditedModel, DatedFact, check_period
from canbo.common.validators import plain_name
from canbo.core import age, identity, personnel, scales, vocab
from canbo.core.ethnicity import load_ethnic_groups
from canbo.core.formatting import fmt_date, lang_of, tr
from canbo.core.text import fold, name_sort_string


def _pick(vi: str, en: str) -> str:
    return tr(lang_of(translation.get_language()), vi, en)


#: A label from the core's (Vietnamese, English) pair, in the active language.
bilingual = lazy(_pick, str)


def _fmt(d: date | None) -> str:
    return fmt_date(d, missing="…")


# --------------------------------------------------------------------------- units


class UnitLevel(models.TextChoices):
    PROVINCE = "province", _("Tỉnh")
    DISTRICT = "district", _("Huyện")
    COMMUNE = "commune_level", _("Xã")


UnitKind = text_choices("UnitKind", vocab.UnitKind, __name__)


class Unit(DatedFact):
    """An administrative unit (đơn vị hành chính): province, district or
    commune-level unit, with its official code from the General Statistics
    Office list as shipped by the ``vietnam-provinces`` package.

    Units of the three-tier era end on 30/06/2025; the units of the two-tier
    era begin on 01/07/2025 (Resolution 202/2025/QH15 and the Standing
    Committee's resolutions on rearranging commune-level units). Codes are
    reused across eras, so a code is unique only together with ``valid_from``.
    """

    scope_path = "pk"

    code = models.CharField(_("mã đơn vị"), max_length=10, db_index=True)
    name = models.CharField(_("tên đơn vị"), max_length=200)
    level = models.CharField(_("cấp"), max_length=16, choices=UnitLevel.choices)
    kind = models.CharField(_("loại hình"), max_length=24, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị cấp trên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    source = models.CharField(_("nguồn dữ liệu"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = _("đơn vị hành chính")
        ordering = ["code", "valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "level", "valid_from"], name="unit_code_level_from_unique"
            ),
        ]

    def __str__(self) -> str:
        era = "" if self.valid_to is None else " " + str(_("(đến %(date)s)") % {"date": _fmt(self.valid_to)})
        return f"{self.name}{era}"

    def clean(self) -> None:
        super().clean()
        parent = self.parent if self.parent_id else None
        if parent is not None:
            if self.valid_from and parent.valid_from and self.valid_from < parent.valid_from:
                raise ValidationError(
                    {"valid_from": _("Đơn vị không thể có hiệu lực trước đơn vị cấp trên.")}
                )
            if (self.valid_to or date.max) > (parent.valid_to or date.max):
                raise ValidationError(
                    {"valid_to": _("Đơn vị không thể còn hiệu lực sau khi đơn vị cấp trên hết hiệu lực.")}
                )


class LineageKind(models.TextChoices):
    MERGED = "merged", _("Nhập toàn bộ")
    PARTLY_MERGED = "partly_merged", _("Nhập một phần")
    RENAMED = "renamed", _("Đổi tên, đổi loại hình")


class UnitLineage(AuditedModel):
    """One link of a unit's lineage (sắp xếp, sáp nhập): on ``date`` the
    predecessor's territory (wholly or partly) passed to the successor.

    The 1/7/2025 links come from the official old-to-new conversion table
    shipped by ``vietnam-provinces`` (source: the Ministry's conversion sheet,
    implementing Resolution 202/2025/QH15 and the UBTVQH resolutions of 2025).
    """

    scope_path = "successor"

    predecessor = models.ForeignKey(
        Unit, verbose_name=_("đơn vị cũ"), on_delete=models.PROTECT, related_name="successor_links"
    )
    successor = models.ForeignKey(
        Unit, verbose_name=_("đơn vị mới"), on_delete=models.PROTECT, related_name="predecessor_links"
    )
    date = models.DateField(_("ngày sắp xếp"))
    kind = models.CharField(
        _("hình thức"), max_length=16, choices=LineageKind.choices, default=LineageKind.MERGED
    )
    is_primary = models.BooleanField(
        _("đơn vị kế thừa chính"),
        default=True,
        help_text=_("Đơn vị mới chính khi đơn vị cũ được chia cho nhiều đơn vị."),
    )
    legal_reference = models.CharField(_("căn cứ pháp lý"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("sắp xếp đơn vị hành chính")
        verbose_name_plural = _("sắp xếp đơn vị hành chính")
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor", "date"], name="lineage_unique")
        ]

    def __str__(self) -> str:
        return f"{self.predecessor.name} → {self.successor.name} ({_fmt(self.date)})"

    def clean(self) -> None:
        super().clean()
        if self.predecessor_id and self.successor_id:
            if self.predecessor_id == self.successor_id:
                raise ValidationError(_("Đơn vị cũ và đơn vị mới phải khác nhau."))
            if self.predecessor.valid_to and self.date and self.predecessor.valid_to >= self.date:
                raise ValidationError({"date": _("Đơn vị cũ phải hết hiệu lực trước ngày sắp xếp.")})
            if self.successor.valid_from and self.date and self.successor.valid_from > self.date:
                raise ValidationError({"date": _("Đơn vị mới phải có hiệu lực từ ngày sắp xếp.")})


UnitClass = text_choices("UnitClass", vocab.UnitClass, __name__)


class UnitClassification(DatedFact):
    """The class of a unit over time (phân loại đơn vị hành chính):
    Resolution 1211/2016/UBTVQH13 until 26/11/2025, Decree 307/2025/NĐ-CP
    from 27/11/2025. The class sets the staffing quota (Decree 33/2023 Art. 6).
    """

    scope_path = "unit"

    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị"), on_delete=models.CASCADE, related_name="classifications"
    )
    unit_class = models.CharField(_("loại"), max_length=16, choices=UnitClass.choices)
    decision = models.CharField(_("quyết định"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("phân loại đơn vị")
        verbose_name_plural = _("phân loại đơn vị")
        ordering = ["unit", "valid_from"]

    def __str__(self) -> str:
        return f"{self.unit.name}: {self.get_unit_class_display()} ({_fmt(self.valid_from)}–{_fmt(self.valid_to)})"


AreaFlag = text_choices("AreaFlag", vocab.AreaFlag, __name__)


class UnitAreaFlag(DatedFact):
    """An area designation of a unit over time (mountainous, border, especially
    difficult commune…). These flags open the exceptions of Decree 33/2023
    Art. 8(4) and Art. 10 (intermediate level instead of university)."""

    scope_path = "unit"

    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị"), on_delete=models.CASCADE, related_name="area_flags"
    )
    flag = models.CharField(_("đặc điểm địa bàn"), max_length=24, choices=AreaFlag.choices)
    decision = models.CharField(_("căn cứ"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("đặc điểm địa bàn")
        verbose_name_plural = _("đặc điểm địa bàn")
        ordering = ["unit", "flag", "valid_from"]

    def __str__(self) -> str:
        return f"{self.unit.name}: {self.get_flag_display()}"


class UnitStatistics(AuditedModel):
    """Population and natural area of a unit as of 31 December of a year — the
    figures behind the quota increments of Decree 33/2023 Art. 6(2)."""

    scope_path = "unit"

    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị"), on_delete=models.CASCADE, related_name="statistics"
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    population = models.PositiveIntegerField(_("dân số (người)"), null=True, blank=True)
    natural_area_km2 = models.DecimalField(
        _("diện tích tự nhiên (km²)"), max_digits=10, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("dân số, diện tích")
        verbose_name_plural = _("dân số, diện tích")
        ordering = ["unit", "year"]
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="unit_statistics_year_unique")]

    def __str__(self) -> str:
        return f"{self.unit.name} {self.year}"

    def clean(self) -> None:
        super().clean()
        if self.year and not 1945 <= self.year <= timezone.localdate().year + 10:
            raise ValidationError({"year": _("Năm %(year)s không hợp lệ.") % {"year": self.year}})


# --------------------------------------------------------------------------- titles


TitleKind = text_choices("TitleKind", vocab.TitleKind, __name__)


class Title(DatedFact):
    """A title (chức danh) or, from 1/7/2025, a job position (vị trí việc làm)
    of a commune-level unit: the catalogue of each era, with the provision
    that created it (Decree 92/2009 Art. 3; Decree 33/2023 Art. 5; Law
    80/2025 Art. 23 and Decree 170/2025)."""

    code = models.CharField(_("mã chức danh"), max_length=40, unique=True)
    name = models.CharField(_("tên chức danh"), max_length=200)
    kind = models.CharField(_("loại"), max_length=24, choices=TitleKind.choices)
    is_leadership = models.BooleanField(_("lãnh đạo, quản lý"), default=False)
    legal_reference = models.CharField(_("căn cứ pháp lý"), max_length=300)
    sort_order = models.PositiveSmallIntegerField(_("thứ tự"), default=100)

    class Meta:
        verbose_name = _("chức danh")
        verbose_name_plural = _("chức danh")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        era = f" ({_fmt(self.valid_from)}–{_fmt(self.valid_to)})" if self.valid_from or self.valid_to else ""
        return f"{self.name}{era}"


# --------------------------------------------------------------------------- people


Sex = text_choices("Sex", vocab.Sex, __name__)


class DatePrecision(models.TextChoices):
    DAY = "day", _("Ngày, tháng, năm")
    MONTH = "month", _("Tháng, năm")
    YEAR = "year", _("Chỉ có năm")


def ethnicity_choices() -> list[tuple[str, str]]:
    return [(g.code, g.name_vi) for g in load_ethnic_groups()]


class PartyExit(models.TextChoices):
    EXPELLED = "expelled", _("Khai trừ khỏi Đảng")
    STRUCK_OFF = "struck_off", _("Xóa tên")
    OTHER = "other", _("Lý do khác")


class BloodGroup(models.TextChoices):
    GROUP_O = "O", "O"
    GROUP_A = "A", "A"
    GROUP_B = "B", "B"
    GROUP_AB = "AB", "AB"


#: "2/4": the rank of a war invalid over the number of ranks of the scale of the time (item 24 of
#: Mẫu 2C-BNV/2008; Pháp lệnh Ưu đãi người có công 02/2020/UBTVQH14).
war_invalid_validator = RegexValidator(
    r"^[1-4]/[1-4]$", _("Hạng thương binh ghi dạng hạng/số hạng, ví dụ 2/4.")
)
#: The social-insurance number: ten digits (Luật Bảo hiểm xã hội; Quyết định 595/QĐ-BHXH).
insurance_number_validator = RegexValidator(r"^\d{10}$", _("Số sổ bảo hiểm xã hội phải gồm đúng 10 chữ số."))

identity_number_validator = RegexValidator(r"^\d{12}$", _("Số định danh cá nhân phải gồm đúng 12 chữ số."))


class Person(AuditedModel):
    """A commune cadre, civil servant or non-professional worker — one file
    (hồ sơ) per person, identified from 1/7/2026 by the personal
    identification number (Decree 27/2026/NĐ-CP; number format: Decree
    137/2015/NĐ-CP Art. 7, Circular 59/2021/TT-BCA). The birth date keeps its
    precision because many records hold only a year; so do the Party dates (admission and
    full membership, Party Charter Art. 5). Columns of an imported list that canbo does not
    read are kept verbatim in ``extra_columns``."""

    scope_path = "managing_unit"

    identity_number = models.CharField(
        _("số định danh cá nhân"),
        max_length=12,
        unique=True,
        null=True,
        blank=True,
        validators=[identity_number_validator],
    )
    family_name = models.CharField(_("họ"), max_length=50, validators=[plain_name])
    middle_name = models.CharField(_("tên đệm"), max_length=80, blank=True, validators=[plain_name])
    given_name = models.CharField(_("tên"), max_length=50, validators=[plain_name])
    name_folded = models.CharField(_("họ tên không dấu"), max_length=200, editable=False, db_index=True)
    sort_name = models.CharField(_("khóa sắp xếp tên"), max_length=255, editable=False, db_index=True)
    birth_date = models.DateField(_("ngày sinh"), null=True, blank=True)
    birth_date_precision = models.CharField(
        _("độ chính xác ngày sinh"), max_length=8, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    sex = models.CharField(_("giới tính"), max_length=8, choices=Sex.choices)
    ethnicity = models.CharField(_("dân tộc"), max_length=2, choices=ethnicity_choices, default="01")
    religion = models.CharField(_("tôn giáo"), max_length=80, blank=True, default="Không")
    home_town = models.CharField(_("quê quán"), max_length=200, blank=True, validators=[plain_name])
    managing_unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị quản lý hồ sơ"), on_delete=models.PROTECT, related_name="people"
    )
    #: Party membership (Charter of the Communist Party of Viet Nam, Art. 1–5: admission, a
    #: twelve-month probation, then full membership). ``None``: not known — a list without a
    #: Party column, or its cell blank; a mark without a date: a member, date unknown.
    is_party_member = models.BooleanField(
        _("đảng viên"), null=True, blank=True, help_text=_("Trống: chưa rõ.")
    )
    party_joined_on = models.DateField(_("ngày vào Đảng"), null=True, blank=True)
    party_joined_on_precision = models.CharField(
        _("độ chính xác ngày vào Đảng"),
        max_length=8,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
    )
    party_confirmed_on = models.DateField(_("ngày chính thức"), null=True, blank=True)
    party_confirmed_on_precision = models.CharField(
        _("độ chính xác ngày chính thức"),
        max_length=8,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
    )
    party_left_on = models.DateField(_("ngày ra khỏi Đảng"), null=True, blank=True)
    party_left_reason = models.CharField(
        _("lý do ra khỏi Đảng"), max_length=16, choices=PartyExit.choices, blank=True
    )
    notes = models.TextField(_("ghi chú"), blank=True)
    #: The cells of an imported list's columns that canbo does not read ("Hệ số lương" → "2,34"),
    #: kept verbatim by header so that nothing a list carries is lost (issue 9 §2).
    extra_columns = models.JSONField(_("các cột khác của danh sách"), null=True, blank=True)

    # ---- the résumé's items (Mẫu 2C-BNV/2008, Quyết định 02/2008/QĐ-BNV); numbers are the form's
    other_names = models.CharField(
        _("tên gọi khác"), max_length=100, blank=True, default="", db_default=""
    )  # item 2
    #: Items 4 and 5: a unit of any era (a 1970 birthplace in an abolished district stays the unit
    #: it was, its successor read through the lineage) plus the place as written.
    birth_place_unit = models.ForeignKey(
        Unit,
        verbose_name=_("nơi sinh (đơn vị hành chính)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    birth_place = models.CharField(
        _("nơi sinh (ghi rõ)"), max_length=200, blank=True, default="", db_default=""
    )
    home_town_unit = models.ForeignKey(
        Unit,
        verbose_name=_("quê quán (đơn vị hành chính)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    permanent_address = models.CharField(
        _("nơi đăng ký thường trú"), max_length=300, blank=True, default="", db_default=""
    )  # 8
    current_address = models.CharField(
        _("nơi ở hiện nay"), max_length=300, blank=True, default="", db_default=""
    )  # item 9
    recruited_occupation = models.CharField(
        _("nghề nghiệp khi được tuyển dụng"), max_length=200, blank=True, default="", db_default=""
    )  # item 10
    recruited_on = models.DateField(_("ngày tuyển dụng"), null=True, blank=True)  # item 11
    recruiting_agency = models.CharField(
        _("cơ quan tuyển dụng"), max_length=200, blank=True, default="", db_default=""
    )
    main_duties = models.TextField(
        _("công việc chính được giao"), blank=True, default="", db_default=""
    )  # item 13
    enlisted_on = models.DateField(_("ngày nhập ngũ"), null=True, blank=True)  # item 18
    discharged_on = models.DateField(_("ngày xuất ngũ"), null=True, blank=True)
    military_rank = models.CharField(
        _("quân hàm cao nhất"), max_length=60, blank=True, default="", db_default=""
    )
    honorary_title = models.CharField(
        _("danh hiệu được phong tặng cao nhất"), max_length=200, blank=True, default="", db_default=""
    )
    strengths = models.CharField(
        _("sở trường công tác"), max_length=300, blank=True, default="", db_default=""
    )  # item 20
    health_status = models.CharField(
        _("tình trạng sức khỏe"), max_length=100, blank=True, default="", db_default=""
    )  # item 23
    height_cm = models.PositiveSmallIntegerField(
        _("chiều cao (cm)"), null=True, blank=True, validators=[MinValueValidator(50), MaxValueValidator(250)]
    )
    weight_kg = models.PositiveSmallIntegerField(
        _("cân nặng (kg)"), null=True, blank=True, validators=[MinValueValidator(20), MaxValueValidator(250)]
    )
    blood_group = models.CharField(
        _("nhóm máu"), max_length=4, choices=BloodGroup.choices, blank=True, default="", db_default=""
    )
    war_invalid_rank = models.CharField(
        _("thương binh hạng"),
        max_length=10,
        blank=True,
        default="",
        db_default="",
        validators=[war_invalid_validator],
    )  # item 24
    policy_family = models.CharField(
        _("con gia đình chính sách"), max_length=200, blank=True, default="", db_default=""
    )
    identity_issued_on = models.DateField(_("ngày cấp giấy tờ tùy thân"), null=True, blank=True)  # 25
    identity_issued_by = models.CharField(
        _("nơi cấp giấy tờ tùy thân"), max_length=200, blank=True, default="", db_default=""
    )
    social_insurance_number = models.CharField(
        _("số sổ bảo hiểm xã hội"),
        max_length=10,
        blank=True,
        default="",
        db_default="",
        validators=[insurance_number_validator],
    )  # item 26
    self_history = models.TextField(
        _("đặc điểm lịch sử bản thân"), blank=True, default="", db_default=""
    )  # item 29

    class Meta:
        verbose_name = _("cán bộ, công chức")
        verbose_name_plural = _("cán bộ, công chức")
        # Vietnamese order: given name, middle name, family name (canbo.core.text).
        ordering = ["sort_name", "id"]
        indexes = [models.Index(fields=["managing_unit", "sort_name"])]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.family_name, self.middle_name, self.given_name) if p)

    @property
    def birth_date_display(self) -> str:
        """The birth date as precise as it was recorded: dd/mm/yyyy, mm/yyyy or yyyy."""
        return fmt_date(self.birth_date, precision=self.birth_date_precision)

    def save(self, *args, **kwargs):
        self.name_folded = fold(self.full_name)
        self.sort_name = name_sort_string(self.family_name, self.middle_name, self.given_name)
        if self.identity_number == "":
            self.identity_number = None
        super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        errors: dict[str, list] = {}
        today = timezone.localdate()
        if self.birth_date:
            if self.birth_date > today:
                errors.setdefault("birth_date", []).append(
                    _("Ngày sinh %(d)s ở tương lai.") % {"d": _fmt(self.birth_date)}
                )
            if self.birth_date.year < 1900:
                errors.setdefault("birth_date", []).append(
                    _("Năm sinh %(y)s không hợp lệ.") % {"y": self.birth_date.year}
                )
        if self.identity_number:
            for issue in identity.check_identity_number(
                self.identity_number,
                birth_year=self.birth_date.year if self.birth_date else None,
                sex=self.sex or None,
            ):
                errors.setdefault("identity_number", []).append(_pick(issue.message_vi, issue.message_en))
        check_pairs = [("party_joined_on", "party_confirmed_on"), ("party_joined_on", "party_left_on")]
        for a, b in check_pairs:
            try:
                check_period(self, a, b)
            except ValidationError as e:
                for k, v in e.message_dict.items():
                    errors.setdefault(k, []).extend(v)
        if self.party_left_on and not self.party_left_reason:
            errors.setdefault("party_left_reason", []).append(_("Cần ghi lý do ra khỏi Đảng."))
        if self.birth_date and self.party_joined_on:
            # The minimum age is the rule set's (Party Charter 2011 Art. 1(1)); age by core.age.
            minimum = age.minimum_age("party_admission", self.party_joined_on)
            if (
                minimum
                and age.reached(self.birth_date, self.birth_date_precision, minimum[0], self.party_joined_on)
                is False
            ):
                errors.setdefault("party_joined_on", []).append(
                    _(
                        "Ngày vào Đảng %(d)s: chưa đủ %(n)s tuổi; người vào Đảng phải từ đủ %(n)s tuổi trở lên (%(ref)s)."
                    )
                    % {
                        "d": _fmt(self.party_joined_on),
                        "n": minimum[0],
                        "ref": minimum[1].reference.render(_pick("vi", "en")),
                    }
                )
        self._clean_resume_items(errors, today)
        if self.pk and self.birth_date:
            first = self.qualifications.exclude(obtained_on__isnull=True).order_by("obtained_on").first()
            if first and first.obtained_on and first.obtained_on < self.birth_date:
                errors.setdefault("birth_date", []).append(
                    _("Ngày sinh %(b)s sau ngày cấp văn bằng “%(q)s” (%(d)s).")
                    % {"b": _fmt(self.birth_date), "q": first, "d": _fmt(first.obtained_on)}
                )
        if errors:
            raise ValidationError(errors)

    def _clean_resume_items(self, errors: dict[str, list], today: date) -> None:
        """The résumé's dates (Mẫu 2C-BNV/2008 items 11, 18, 25): none in the future, none before
        the birth; the discharge not before the enlistment (item 18)."""
        for name in ("recruited_on", "enlisted_on", "discharged_on", "identity_issued_on"):
            value = getattr(self, name)
            if value is None:
                continue
            label = capfirst(cast(models.Field, self._meta.get_field(name)).verbose_name)
            if value > today:
                errors.setdefault(name, []).append(
                    _("%(f)s %(d)s ở tương lai.") % {"f": label, "d": _fmt(value)}
                )
            elif self.birth_date and value < self.birth_date:
                errors.setdefault(name, []).append(
                    _("%(f)s %(d)s trước ngày sinh %(b)s.")
                    % {"f": label, "d": _fmt(value), "b": _fmt(self.birth_date)}
                )
        if self.enlisted_on and self.discharged_on and self.discharged_on < self.enlisted_on:
            errors.setdefault("discharged_on", []).append(
                _("Ngày xuất ngũ %(b)s trước ngày nhập ngũ %(a)s.")
                % {"a": _fmt(self.enlisted_on), "b": _fmt(self.discharged_on)}
            )
        if self.discharged_on and not self.enlisted_on:
            errors.setdefault("enlisted_on", []).append(_("Có ngày xuất ngũ thì cần ghi ngày nhập ngũ."))


# --------------------------------------------------------------------------- assignments


AssignmentStart = text_choices("AssignmentStart", vocab.AssignmentStart, __name__)


class AssignmentEnd(models.TextChoices):
    TERM_END = "term_end", _("Hết nhiệm kỳ")
    RETIREMENT = "retirement", _("Nghỉ hưu")
    TRANSFER = "transfer", _("Điều động, chuyển công tác")
    RESIGNATION = "resignation", _("Thôi việc, xin nghỉ")
    DISMISSAL = "dismissal", _("Cách chức, bãi nhiệm, buộc thôi việc")
    DEATH = "death", _("Từ trần")
    UNIT_MERGED = "unit_merged", _("Sắp xếp đơn vị hành chính")


class Confirmation(models.TextChoices):
    """Whether a post recorded outside the recording officer's scope has been confirmed by the
    province (issue 10 §2). Blank: recorded by someone whose scope holds the unit — nothing to
    confirm."""

    PENDING = "pending", _("Chờ tỉnh xác nhận")
    CONFIRMED = "confirmed", _("Tỉnh đã xác nhận")


class Assignment(AuditedModel):
    """A person holding a title in a unit from ``start`` to ``end`` (both
    inclusive): how it began (election, appointment, recruitment, transfer,
    rotation) and how it ended. A person may hold several titles at once
    (kiêm nhiệm, Decree 33/2023 Art. 7).

    A post in a unit outside the scope of the officer who records it — a person's earlier post
    in another commune or province — is ``pending`` until an officer of the province whose scope
    holds the unit confirms it (:mod:`canbo.registry.services`). A pending post is part of the
    person's file but not of the unit's staffing: it is not counted in the unit's findings,
    reports or dashboards, and does not open the person's file to that unit's officers."""

    scope_path = "person__managing_unit"

    person = models.ForeignKey(
        Person, verbose_name=_("cán bộ, công chức"), on_delete=models.CASCADE, related_name="assignments"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="assignments"
    )
    title = models.ForeignKey(
        Title, verbose_name=_("chức danh"), on_delete=models.PROTECT, related_name="assignments"
    )
    start = models.DateField(_("từ ngày"))
    end = models.DateField(_("đến ngày"), null=True, blank=True)
    # Blank: not known — a post read from an Excel list that does not say how it began.
    start_reason = models.CharField(
        _("hình thức bắt đầu"), max_length=16, choices=AssignmentStart.choices, blank=True
    )
    end_reason = models.CharField(
        _("lý do kết thúc"), max_length=16, choices=AssignmentEnd.choices, blank=True
    )
    is_concurrent = models.BooleanField(_("kiêm nhiệm"), default=False)
    decision_number = models.CharField(_("số quyết định"), max_length=100, blank=True)
    confirmation = models.CharField(
        _("xác nhận của tỉnh"),
        max_length=16,
        choices=Confirmation.choices,
        blank=True,
        default="",
        # Also the database's default: the demo generator and other bulk writers insert rows by
        # their own column lists.
        db_default="",
        db_index=True,
        help_text=_("Trống: ghi trong phạm vi của người nhập, không cần xác nhận."),
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người xác nhận"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("thời điểm xác nhận"), null=True, blank=True)

    class Meta:
        verbose_name = _("quá trình công tác")
        verbose_name_plural = _("quá trình công tác")
        ordering = ["person", "start"]
        indexes = [models.Index(fields=["unit", "start", "end"]), models.Index(fields=["person", "start"])]

    def __str__(self) -> str:
        return f"{self.title.name} — {self.unit.name} ({_fmt(self.start)}–{_fmt(self.end)})"

    def clean(self) -> None:
        super().clean()
        check_period(self, "start", "end")
        errors: dict[str, list] = {}
        if self.end and not self.end_reason:
            errors.setdefault("end_reason", []).append(_("Cần ghi lý do kết thúc khi có ngày kết thúc."))
        if self.unit_id and self.start:
            unit = self.unit
            if not unit.is_valid_on(self.start):
                errors.setdefault("unit", []).append(
                    _("Đơn vị “%(u)s” không tồn tại vào ngày %(d)s (hiệu lực %(a)s–%(b)s).")
                    % {
                        "u": unit.name,
                        "d": _fmt(self.start),
                        "a": _fmt(unit.valid_from),
                        "b": _fmt(unit.valid_to),
                    }
                )
            elif unit.valid_to and (self.end is None or self.end > unit.valid_to):
                errors.setdefault("end", []).append(
                    _(
                        "Đơn vị “%(u)s” chấm dứt ngày %(b)s; quá trình công tác phải kết thúc chậm nhất ngày đó."
                    )
                    % {"u": unit.name, "b": _fmt(unit.valid_to)}
                )
            if unit.level != UnitLevel.COMMUNE:
                errors.setdefault("unit", []).append(
                    _("Chức danh cấp xã chỉ bố trí tại đơn vị hành chính cấp xã.")
                )
        if self.title_id and self.start and not self.title.is_valid_on(self.start):
            t = self.title
            errors.setdefault("title", []).append(
                _("Chức danh “%(t)s” không có hiệu lực vào ngày %(d)s (hiệu lực %(a)s–%(b)s).")
                % {"t": t.name, "d": _fmt(self.start), "a": _fmt(t.valid_from), "b": _fmt(t.valid_to)}
            )
        birth = self.person.birth_date if self.person_id else None
        if birth and self.start and self.start < birth:
            errors.setdefault("start", []).append(_("Ngày bắt đầu công tác trước ngày sinh."))
        elif (
            birth
            and self.start
            and (minimum := age.minimum_age("employment", self.start))
            and age.reached(birth, self.person.birth_date_precision, minimum[0], self.start) is False
        ):
            # The minimum age is the rule set's (Decree 33/2023 Art. 10(1), Law 80/2025 Art. 19(1)).
            errors.setdefault("start", []).append(
                _(
                    "%(p)s chưa đủ %(n)s tuổi vào ngày %(d)s; cán bộ, công chức phải từ đủ %(n)s tuổi trở lên (%(ref)s)."
                )
                % {
                    "p": self.person.full_name,
                    "d": _fmt(self.start),
                    "n": minimum[0],
                    "ref": minimum[1].reference.render(_pick("vi", "en")),
                }
            )
        if errors:
            raise ValidationError(errors)


# --------------------------------------------------------------------------- qualifications


class StudyMode(models.TextChoices):
    FULL_TIME = "full_time", _("Chính quy")
    IN_SERVICE = "in_service", _("Tại chức, vừa làm vừa học")
    DISTANCE = "distance", _("Từ xa")
    BRIDGING = "bridging", _("Liên thông")


# The functional API takes (member name, (value, label)) pairs at runtime; the
# stubs only describe its enum.Enum forms.
Dimension = models.TextChoices(  # type: ignore[call-overload]
    "Dimension", [(d.name, (d.value, bilingual(*scales.DIMENSION_LABELS[d]))) for d in scales.Dimension]
)


def level_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    return [
        (
            bilingual(*scales.DIMENSION_LABELS[d]),
            [(lv.code, bilingual(lv.label_vi, lv.label_en)) for lv in scales.levels(d)],
        )
        for d in scales.Dimension
    ]


def field_choices() -> list[tuple[str, str]]:
    return [(code, bilingual(*labels)) for code, labels in scales.FIELDS_OF_STUDY.items()]


class Qualification(AuditedModel):
    """A qualification a person gained on a date: a level on one dimension's
    ordered scale (general education, professional, political theory, state
    management, IT — Circular 03/2014/TT-BTTTT, foreign language — Circular
    01/2014/TT-BGDĐT, ethnic-minority language), with the text as originally
    recorded so that nothing typed by a commune is lost."""

    scope_path = "person__managing_unit"

    person = models.ForeignKey(
        Person, verbose_name=_("cán bộ, công chức"), on_delete=models.CASCADE, related_name="qualifications"
    )
    dimension = models.CharField(_("lĩnh vực trình độ"), max_length=24, choices=Dimension.choices)
    level = models.CharField(_("trình độ"), max_length=24, choices=level_choices)
    field_of_study = models.CharField(_("ngành đào tạo"), max_length=40, choices=field_choices, blank=True)
    institution = models.CharField(_("cơ sở đào tạo"), max_length=200, blank=True)
    study_mode = models.CharField(
        _("hình thức đào tạo"), max_length=16, choices=StudyMode.choices, blank=True
    )
    is_remedial = models.BooleanField(_("bổ túc văn hóa"), default=False)
    obtained_on = models.DateField(_("ngày cấp"), null=True, blank=True)
    original_text = models.CharField(_("ghi chép gốc"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("trình độ, văn bằng")
        verbose_name_plural = _("trình độ, văn bằng")
        ordering = ["person", "dimension", "obtained_on"]
        indexes = [models.Index(fields=["person", "dimension"])]

    def __str__(self) -> str:
        try:
            lv = scales.level(scales.Dimension(self.dimension), self.level)
            label = _pick(lv.label_vi, lv.label_en)
        except (ValueError, scales.UnknownLevel):
            label = self.level
        return f"{label}" + (f" — {self.get_field_of_study_display()}" if self.field_of_study else "")

    def clean(self) -> None:
        super().clean()
        errors: dict[str, list] = {}
        if self.dimension and self.level:
            try:
                scales.level(scales.Dimension(self.dimension), self.level)
            except scales.UnknownLevel as e:
                errors.setdefault("level", []).append(_pick(e.message_vi, e.message_en))
            except ValueError as e:
                errors.setdefault("dimension", []).append(str(e))
        if self.obtained_on:
            if self.obtained_on > timezone.localdate():
                errors.setdefault("obtained_on", []).append(
                    _("Ngày cấp %(d)s ở tương lai.") % {"d": _fmt(self.obtained_on)}
                )
            if self.person_id and self.person.birth_date and self.obtained_on < self.person.birth_date:
                errors.setdefault("obtained_on", []).append(
                    _("Ngày cấp %(d)s trước ngày sinh %(b)s của %(p)s.")
                    % {
                        "d": _fmt(self.obtained_on),
                        "b": _fmt(self.person.birth_date),
                        "p": self.person.full_name,
                    }
                )
        if self.is_remedial and self.dimension != scales.Dimension.GENERAL_EDUCATION:
            errors.setdefault("is_remedial", []).append(
                _("Bổ túc văn hóa chỉ áp dụng cho trình độ giáo dục phổ thông.")
            )
        if errors:
            raise ValidationError(errors)


# --------------------------------------------------------------------------- the résumé's records


def _not_future_nor_before_birth(errors: dict[str, list], record, name: str) -> None:
    """A date of a person's record neither in the future nor before the person's birth."""
    value = getattr(record, name)
    if value is None:
        return
    label = capfirst(cast(models.Field, record._meta.get_field(name)).verbose_name)
    if value > timezone.localdate():
        errors.setdefault(name, []).append(_("%(f)s %(d)s ở tương lai.") % {"f": label, "d": _fmt(value)})
    elif record.person_id and record.person.birth_date and value < record.person.birth_date:
        errors.setdefault(name, []).append(
            _("%(f)s %(d)s trước ngày sinh %(b)s.")
            % {"f": label, "d": _fmt(value), "b": _fmt(record.person.birth_date)}
        )


def rank_choices() -> list[tuple[str, str]]:
    return [(r.code, f"{r.code} — {r.name}") for r in personnel.RANKS.values()]


class SalaryStep(AuditedModel):
    """One change of a person's salary (item 14 and the table of item 31 of Mẫu 2C-BNV/2008,
    Quyết định 02/2008/QĐ-BNV): from ``valid_from`` the person is paid at ``step`` of the scale of
    rank ``rank_code`` (codes: Thông tư 02/2021/TT-BNV Art. 3), with its coefficient and the
    position and other allowances. From 01/10/2004 the step must lie within the rank's scale and
    the coefficient be the step's (Nghị định 204/2004/NĐ-CP, bảng 2; :mod:`canbo.core.personnel`).
    The latest change on a date is the salary of that date."""

    scope_path = "person__managing_unit"

    person = models.ForeignKey(
        Person, verbose_name=_("cán bộ, công chức"), on_delete=models.CASCADE, related_name="salary_steps"
    )
    valid_from = models.DateField(_("ngày hưởng"))
    rank_code = models.CharField(_("mã ngạch"), max_length=16, choices=rank_choices)
    step = models.PositiveSmallIntegerField(_("bậc lương"))
    coefficient = models.DecimalField(
        _("hệ số lương"),
        max_digits=4,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Để trống: theo bậc của ngạch."),
    )
    position_allowance = models.DecimalField(
        _("phụ cấp chức vụ (hệ số)"), max_digits=4, decimal_places=2, null=True, blank=True
    )
    other_allowances = models.CharField(_("phụ cấp khác"), max_length=200, blank=True)
    decision_number = models.CharField(_("số quyết định"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("diễn biến lương")
        verbose_name_plural = _("diễn biến lương")
        ordering = ["person", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["person", "valid_from"], name="salary_step_person_from_unique")
        ]

    def __str__(self) -> str:
        return f"{self.rank_code}/{self.step} ({_fmt(self.valid_from)})"

    @property
    def rank_name(self) -> str:
        rank = personnel.RANKS.get(self.rank_code)
        return rank.name if rank else self.rank_code

    def save(self, *args, **kwargs):
        rank = personnel.RANKS.get(self.rank_code)
        if self.coefficient is None and rank is not None and self.step and 1 <= self.step <= rank.steps:
            self.coefficient = rank.coefficient(self.step)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        errors: dict[str, list] = {}
        _not_future_nor_before_birth(errors, self, "valid_from")
        if self.rank_code and self.step is not None:
            for issue in personnel.check_step(self.rank_code, self.step, self.coefficient, self.valid_from):
                errors.setdefault(issue.field, []).append(_pick(issue.message_vi, issue.message_en))
        if errors:
            raise ValidationError(errors)


class AwardType(models.TextChoices):
    ORDER = "order", _("Huân chương")
    MEDAL = "medal", _("Huy chương")
    EMULATION_TITLE = "emulation_title", _("Danh hiệu thi đua")
    CERTIFICATE = "certificate", _("Bằng khen")
    COMMENDATION = "commendation", _("Giấy khen")
    OTHER = "other", _("Hình thức khác")


class AwardLevel(models.TextChoices):
    STATE = "state", _("Nhà nước")
    GOVERNMENT = "government", _("Chính phủ, Thủ tướng Chính phủ")
    PROVINCE = "province", _("Bộ, ngành, tỉnh")
    DISTRICT = "district", _("Huyện")
    COMMUNE = "commune", _("Xã")


class Award(AuditedModel):
    """An award (khen thưởng) a person received: its date, form and level (Luật Thi đua, khen
    thưởng 06/2022/QH15, Art. 9 and 24 on forms; item 21 of Mẫu 2C-BNV/2008, Quyết định
    02/2008/QĐ-BNV, prints the highest and its year). Discipline is kept beside it
    (``canbo.conduct``)."""

    scope_path = "person__managing_unit"

    person = models.ForeignKey(
        Person, verbose_name=_("cán bộ, công chức"), on_delete=models.CASCADE, related_name="awards"
    )
    decided_on = models.DateField(_("ngày quyết định"))
    form = models.CharField(_("hình thức khen thưởng"), max_length=16, choices=AwardType.choices)
    level = models.CharField(_("cấp khen thưởng"), max_length=16, choices=AwardLevel.choices)
    name = models.CharField(
        _("tên khen thưởng"),
        max_length=200,
        blank=True,
        help_text=_("Ví dụ: Bằng khen của Chủ tịch UBND tỉnh."),
    )
    decision_number = models.CharField(_("số quyết định"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("khen thưởng")
        verbose_name_plural = _("khen thưởng")
        ordering = ["person", "decided_on"]

    def __str__(self) -> str:
        return f"{self.name or self.get_form_display()} ({self.get_level_display()}, {_fmt(self.decided_on)})"

    def clean(self) -> None:
        super().clean()
        errors: dict[str, list] = {}
        _not_future_nor_before_birth(errors, self, "decided_on")
        if errors:
            raise ValidationError(errors)


class Organisation(models.TextChoices):
    YOUTH_UNION = "youth_union", _("Đoàn Thanh niên Cộng sản Hồ Chí Minh")
    WOMEN = "women", _("Hội Liên hiệp Phụ nữ Việt Nam")
    FARMERS = "farmers", _("Hội Nông dân Việt Nam")
    VETERANS = "veterans", _("Hội Cựu chiến binh Việt Nam")
    TRADE_UNION = "trade_union", _("Công đoàn Việt Nam")
    FRONT = "front", _("Mặt trận Tổ quốc Việt Nam")
    OTHER = "other", _("Tổ chức khác")


class OrganisationMembership(AuditedModel):
    """A person's membership of a socio-political organisation (tổ chức chính trị - xã hội:
    Hiến pháp 2013 Art. 9) — when they joined and what they did in it (item 17 of Mẫu
    2C-BNV/2008, Quyết định 02/2008/QĐ-BNV)."""

    scope_path = "person__managing_unit"

    person = models.ForeignKey(
        Person, verbose_name=_("cán bộ, công chức"), on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.CharField(_("tổ chức"), max_length=16, choices=Organisation.choices)
    organisation_name = models.CharField(_("tên tổ chức (nếu khác)"), max_length=200, blank=True)
    joined_on = models.DateField(_("ngày tham gia"))
    left_on = models.DateField(_("ngày thôi tham gia"), null=True, blank=True)
    role = models.CharField(_("làm việc gì trong tổ chức"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("tham gia tổ chức chính trị - xã hội")
        verbose_name_plural = _("tham gia tổ chức chính trị - xã hội")
        ordering = ["person", "joined_on"]

    def __str__(self) -> str:
        return f"{self.organisation_name or self.get_organisation_display()} ({_fmt(self.joined_on)})"

    def clean(self) -> None:
        super().clean()
        check_period(self, "joined_on", "left_on")
        errors: dict[str, list] = {}
        _not_future_nor_before_birth(errors, self, "joined_on")
        _not_future_nor_before_birth(errors, self, "left_on")
        if self.organisation == Organisation.OTHER and not self.organisation_name:
            errors.setdefault("organisation_name", []).append(_("Cần ghi tên tổ chức."))
        if errors:
            raise ValidationError(errors)


class Relation(models.TextChoices):
    """The relations item 30 of Mẫu 2C-BNV/2008 asks: a) the person's own (parents, spouse,
    children, siblings), b) the spouse's side (parents, siblings)."""

    FATHER = "father", _("Bố")
    MOTHER = "mother", _("Mẹ")
    SPOUSE = "spouse", _("Vợ (chồng)")
    CHILD = "child", _("Con")
    SIBLING = "sibling", _("Anh, chị, em ruột")
    SPOUSE_FATHER = "spouse_father", _("Bố vợ (bố chồng)")
    SPOUSE_MOTHER = "spouse_mother", _("Mẹ vợ (mẹ chồng)")
    SPOUSE_SIBLING = "spouse_sibling", _("Anh, chị, em ruột của vợ (chồng)")


#: The relations of the spouse's side (item 30 b).
SPOUSE_SIDE = frozenset({Relation.SPOUSE_FATHER, Relation.SPOUSE_MOTHER, Relation.SPOUSE_SIBLING})
#: The relations older than the person by nature, and younger.
_OLDER = frozenset({Relation.FATHER, Relation.MOTHER})
_YOUNGER = frozenset({Relation.CHILD})
#: A parent is at least this much older than the child (years): a rule of plausibility, not law.
MIN_PARENT_AGE = 12


class FamilyMember(AuditedModel):
    """A member of a person's family as item 30 of Mẫu 2C-BNV/2008 (Quyết định 02/2008/QĐ-BNV)
    records them: the relation, full name, year of birth, and in one text the home town,
    occupation, title and workplace, place of study; and the place of residence. A child born
    before the person (or a parent after) is refused."""

    scope_path = "person__managing_unit"

    person = models.ForeignKey(
        Person, verbose_name=_("cán bộ, công chức"), on_delete=models.CASCADE, related_name="family"
    )
    relation = models.CharField(_("mối quan hệ"), max_length=16, choices=Relation.choices)
    full_name = models.CharField(_("họ và tên"), max_length=150, validators=[plain_name])
    birth_year = models.PositiveSmallIntegerField(_("năm sinh"), null=True, blank=True)
    home_town = models.CharField(_("quê quán"), max_length=200, blank=True)
    occupation = models.CharField(
        _("nghề nghiệp, chức danh, chức vụ, đơn vị công tác, học tập"), max_length=300, blank=True
    )
    residence = models.CharField(_("nơi ở"), max_length=300, blank=True)
    is_deceased = models.BooleanField(_("đã mất"), default=False)
    sort_order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("quan hệ gia đình")
        verbose_name_plural = _("quan hệ gia đình")
        ordering = ["person", "sort_order", "birth_year", "pk"]

    def __str__(self) -> str:
        return f"{self.get_relation_display()}: {self.full_name}"

    @property
    def spouse_side(self) -> bool:
        return self.relation in SPOUSE_SIDE

    def clean(self) -> None:
        super().clean()
        errors: dict[str, list] = {}
        year = self.birth_year
        if year is not None:
            if year > timezone.localdate().year:
                errors.setdefault("birth_year", []).append(_("Năm sinh %(y)s ở tương lai.") % {"y": year})
            elif year < 1850:
                errors.setdefault("birth_year", []).append(_("Năm sinh %(y)s không hợp lệ.") % {"y": year})
            own = self.person.birth_date if self.person_id else None
            if own is not None and not errors:
                if self.relation in _YOUNGER and year < own.year + MIN_PARENT_AGE:
                    errors.setdefault("birth_year", []).append(
                        _("Con sinh năm %(y)s không thể sinh trước hoặc quá gần năm sinh của %(p)s (%(b)s).")
                        % {"y": year, "p": self.person.full_name, "b": own.year}
                    )
                if self.relation in _OLDER and year > own.year - MIN_PARENT_AGE:
                    errors.setdefault("birth_year", []).append(
                        _("%(r)s sinh năm %(y)s không thể sinh sau hoặc quá gần năm sinh của %(p)s (%(b)s).")
                        % {
                            "r": self.get_relation_display(),
                            "y": year,
                            "p": self.person.full_name,
                            "b": own.year,
                        }
                    )
        if errors:
            raise ValidationError(errors)
