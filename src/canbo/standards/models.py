"""The provincial layer of the standards, stored as data.

The national rules are files (``src/canbo/rules``, loaded by :mod:`canbo.core.standards.rules`);
what a province decided on top of them is a :class:`ProvincialDecision` row, checked against the
national rules when it is saved (DESIGN.md principle 3: stricter, never looser).
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from canbo.common.models import DatedFact
from canbo.core import scales
from canbo.core.formatting import fmt_date, lang_of, tr
from canbo.core.standards import provincial as core_provincial
from canbo.core.standards.rules import AREA_FLAGS
from canbo.registry.models import Dimension, Title, Unit, UnitLevel, level_choices


def _pick(vi: str, en: str) -> str:
    return tr(lang_of(translation.get_language()), vi, en)


def _fmt(d: date | None) -> str:
    return fmt_date(d, missing="…")


class DecisionKind(models.TextChoices):
    ACCEPTED_FIELDS = "accepted_fields", _("Ngành đào tạo được chấp nhận")
    DIFFICULT_AREA_EXCEPTION = (
        "difficult_area_exception",
        _("Áp dụng ngoại lệ trình độ trung cấp ở vùng khó khăn"),
    )
    STRICTER_MINIMUM = "stricter_minimum", _("Tiêu chuẩn trình độ cao hơn quy định chung")
    COMMUNE_QUOTA = "commune_quota", _("Số lượng cán bộ, công chức của xã (từ 01/07/2025)")


#: The field of the model each field of the core's DecisionProblem refers to.
CORE_FIELD = {"title_code": "title", "fields": "accepted_fields", "unit": "unit"}
#: Kinds that need a title, a level minimum, an area list, a field list, a commune and number.
NEEDS_TITLE = {
    DecisionKind.ACCEPTED_FIELDS,
    DecisionKind.DIFFICULT_AREA_EXCEPTION,
    DecisionKind.STRICTER_MINIMUM,
}
NEEDS_MINIMUM = {DecisionKind.DIFFICULT_AREA_EXCEPTION, DecisionKind.STRICTER_MINIMUM}


def province_of(unit: Unit | None) -> Unit | None:
    """The province a unit belongs to (itself for a province), by walking up its parents."""
    seen = 0
    while unit is not None and unit.level != UnitLevel.PROVINCE and seen < 5:
        unit = unit.parent
        seen += 1
    return unit if unit is not None and unit.level == UnitLevel.PROVINCE else None


class ProvincialDecision(DatedFact):
    """A decision of a provincial People's Committee layered over the national standards:
    the training fields accepted for a title, where the intermediate-level exception for
    difficult areas applies, a minimum stricter than the national one (Decree 33/2023/NĐ-CP
    Art. 8(5) and Art. 10(2): the province details the standards, never below the decree's),
    or, from 1/7/2025, the number of cadres and civil servants of one commune (QĐ 759/QĐ-TTg,
    the province sets each commune's number). A decision that would loosen a national rule is
    refused with a message citing both the decision and the national provision.
    """

    scope_path = "province"

    province = models.ForeignKey(
        Unit,
        verbose_name=_("tỉnh, thành phố"),
        limit_choices_to={"level": UnitLevel.PROVINCE},
        on_delete=models.PROTECT,
        related_name="provincial_decisions",
    )
    kind = models.CharField(_("loại quyết định"), max_length=32, choices=DecisionKind.choices)
    title = models.ForeignKey(
        "registry.Title",
        verbose_name=_("chức danh"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="provincial_decisions",
    )
    dimension = models.CharField(
        _("lĩnh vực trình độ"),
        max_length=24,
        choices=Dimension.choices,
        default=scales.Dimension.PROFESSIONAL.value,
    )
    minimum = models.CharField(
        _("trình độ tối thiểu"),
        max_length=24,
        choices=level_choices,
        blank=True,
        help_text=_("Mức trình độ thấp nhất được chấp nhận, trên thang của lĩnh vực trình độ đã chọn."),
    )
    areas = models.JSONField(
        _("địa bàn áp dụng"),
        default=list,
        blank=True,
        help_text=_("Các đặc điểm địa bàn (miền núi, biên giới…) nơi áp dụng ngoại lệ."),
    )
    accepted_fields = models.JSONField(
        _("ngành đào tạo được chấp nhận"),
        default=list,
        blank=True,
        help_text=_("Phải nằm trong danh sách ngành của quy định quốc gia."),
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("xã, phường"),
        limit_choices_to={"level": UnitLevel.COMMUNE},
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="provincial_quotas",
        help_text=_("Chỉ dùng cho quyết định số lượng cán bộ, công chức của xã."),
    )
    quota = models.PositiveIntegerField(_("số lượng cán bộ, công chức"), null=True, blank=True)
    decision_number = models.CharField(
        _("số, ngày quyết định"),
        max_length=200,
        help_text=_("Ví dụ: Quyết định số 12/2025/QĐ-UBND ngày 15/07/2025"),
    )
    note = models.TextField(_("ghi chú"), blank=True)
    # A provincial decision always has a first day (DatedFact's is optional).
    valid_from = models.DateField(_("hiệu lực từ ngày"))

    class Meta:
        verbose_name = _("quyết định của tỉnh về tiêu chuẩn")
        verbose_name_plural = _("quyết định của tỉnh về tiêu chuẩn")
        ordering = ["province", "kind", "valid_from", "id"]
        indexes = [models.Index(fields=["province", "kind", "valid_from"])]

    def __str__(self) -> str:
        if (title := self._title()) is not None:
            what = title.name
        elif (unit := self._unit()) is not None:
            what = unit.name
        else:
            what = ""
        head = f"{self.get_kind_display()}: {what}" if what else str(self.get_kind_display())
        return f"{head} ({self.decision_number})"

    def _title(self) -> Title | None:
        """The decision's title; no query when it has none."""
        return self.title if self.title_id else None

    def _unit(self) -> Unit | None:
        """The decision's commune; no query when it has none."""
        return self.unit if self.unit_id else None

    # ------------------------------------------------------------------ the core's view

    def to_core(self) -> core_provincial.ProvincialDecision:
        """The decision as the pure engine sees it."""
        title, unit = self._title(), self._unit()
        return core_provincial.ProvincialDecision(
            kind=self.kind,
            province_id=self.province_id,
            valid_from=self.valid_from,
            valid_to=self.valid_to,
            decision=self.decision_number,
            title_code=title.code if title else None,
            dimension=self.dimension,
            minimum=self.minimum or None,
            areas=frozenset(self.areas or ()),
            fields=frozenset(self.accepted_fields or ()),
            unit_id=self.unit_id,
            unit_kind=unit.kind if unit else None,
            quota=self.quota,
        )

    # ------------------------------------------------------------------ validation

    def clean(self) -> None:
        super().clean()  # the period (valid_to not before valid_from)
        errors: dict[str, list] = {}

        def err(field: str, message) -> None:
            errors.setdefault(field, []).append(message)

        if self.kind not in DecisionKind.values:
            return  # the field's own choices validation reports it
        self._check_shape(err)
        if not errors and self.valid_from:
            self._check_against_national_rules(err)
        if not errors and self.valid_from and self.province_id:
            self._check_overlap(err)
        if errors:
            raise ValidationError(errors)

    def _check_shape(self, err) -> None:
        """What the core cannot check, or would choke on: codes that exist, the fields each kind
        needs (and only those), and the province and commune on the decision's first day."""
        kind = self.kind
        if kind in NEEDS_TITLE and not self.title_id:
            err("title", _("Cần chọn chức danh."))
        t = self._title()
        if t is not None and self.valid_from and not t.is_valid_on(self.valid_from):
            err(
                "title",
                _("Chức danh “%(t)s” không có hiệu lực vào ngày %(d)s (hiệu lực %(a)s–%(b)s).")
                % {"t": t.name, "d": _fmt(self.valid_from), "a": _fmt(t.valid_from), "b": _fmt(t.valid_to)},
            )
        if kind == DecisionKind.COMMUNE_QUOTA and self.title_id:
            err("title", _("Quyết định số lượng cán bộ, công chức của xã không gắn với một chức danh."))
        try:
            dimension = scales.Dimension(self.dimension)
        except ValueError:
            err("dimension", _("Lĩnh vực trình độ '%(d)s' không tồn tại.") % {"d": self.dimension})
            dimension = None
        if kind in NEEDS_MINIMUM and not self.minimum:
            err("minimum", _("Cần chọn trình độ tối thiểu."))
        if self.minimum and dimension is not None:
            try:
                scales.level(dimension, self.minimum)
            except scales.UnknownLevel as e:
                err("minimum", _pick(e.message_vi, e.message_en))
        if self.minimum and kind not in NEEDS_MINIMUM:
            err("minimum", _("Loại quyết định này không quy định trình độ tối thiểu."))
        areas = self.areas if isinstance(self.areas, list) else None
        if areas is None:
            err("areas", _("Địa bàn áp dụng phải là một danh sách mã."))
        else:
            unknown = sorted({str(a) for a in areas} - AREA_FLAGS)
            if unknown:
                err("areas", _("Mã địa bàn không tồn tại: %(codes)s.") % {"codes": ", ".join(unknown)})
            if areas and kind != DecisionKind.DIFFICULT_AREA_EXCEPTION:
                err("areas", _("Chỉ quyết định áp dụng ngoại lệ vùng khó khăn mới có địa bàn áp dụng."))
        fields = self.accepted_fields if isinstance(self.accepted_fields, list) else None
        if fields is None:
            err("accepted_fields", _("Ngành đào tạo phải là một danh sách mã."))
        else:
            unknown = sorted({str(f) for f in fields} - set(scales.FIELDS_OF_STUDY))
            if unknown:
                err(
                    "accepted_fields",
                    _("Mã ngành đào tạo không tồn tại: %(codes)s.") % {"codes": ", ".join(unknown)},
                )
            if fields and kind != DecisionKind.ACCEPTED_FIELDS:
                err("accepted_fields", _("Chỉ quyết định về ngành đào tạo mới có danh sách ngành."))
        if kind != DecisionKind.COMMUNE_QUOTA:
            if self.unit_id:
                err("unit", _("Chỉ quyết định số lượng cán bộ, công chức của xã mới chọn xã."))
            if self.quota is not None:
                err("quota", _("Chỉ quyết định số lượng cán bộ, công chức của xã mới có số lượng."))
        province = self.province if self.province_id else None
        if province is not None and province.level != UnitLevel.PROVINCE:
            err("province", _("Cần chọn một tỉnh, thành phố."))
            province = None
        if province is not None and self.valid_from:
            if not province.is_valid_on(self.valid_from):
                err(
                    "valid_from",
                    _("Tỉnh “%(p)s” không tồn tại vào ngày %(d)s (hiệu lực %(a)s–%(b)s).")
                    % {
                        "p": province.name,
                        "d": _fmt(self.valid_from),
                        "a": _fmt(province.valid_from),
                        "b": _fmt(province.valid_to),
                    },
                )
            elif province.valid_to and (self.valid_to is None or self.valid_to > province.valid_to):
                err(
                    "valid_to",
                    _("Tỉnh “%(p)s” chấm dứt ngày %(b)s; quyết định phải hết hiệu lực chậm nhất ngày đó.")
                    % {"p": province.name, "b": _fmt(province.valid_to)},
                )
        unit = self._unit() if kind == DecisionKind.COMMUNE_QUOTA else None
        if unit is not None:
            if unit.level != UnitLevel.COMMUNE:
                err("unit", _("Cần chọn một đơn vị hành chính cấp xã."))
            elif self.valid_from and not unit.is_valid_on(self.valid_from):
                err(
                    "unit",
                    _("Đơn vị “%(u)s” không tồn tại vào ngày %(d)s (hiệu lực %(a)s–%(b)s).")
                    % {
                        "u": unit.name,
                        "d": _fmt(self.valid_from),
                        "a": _fmt(unit.valid_from),
                        "b": _fmt(unit.valid_to),
                    },
                )
            elif province is not None and (
                (unit_province := province_of(unit)) is None or unit_province.pk != province.pk
            ):
                err("unit", _("“%(u)s” không thuộc %(p)s.") % {"u": unit.name, "p": province.name})

    def _check_against_national_rules(self, err) -> None:
        """The core's check: never looser than the national rules, citing both."""
        from .rules_cache import national_rules

        rules = national_rules()
        core = self.to_core()
        for problem in core_provincial.check_decision(core, rules):
            err(CORE_FIELD.get(problem.field, problem.field), _pick(problem.message_vi, problem.message_en))
        if self.kind == DecisionKind.STRICTER_MINIMUM and not any(
            core.title_code in s.titles and s.criterion == core.dimension and s.minimum and core.overlaps(s)
            for s in rules.standards
        ):
            # The engine raises a national minimum; without one the decision would do nothing.
            err(
                "title",
                _(
                    "Không có tiêu chuẩn quốc gia về %(d)s của chức danh %(t)s trong thời gian này: "
                    "tiêu chuẩn cao hơn của tỉnh chỉ áp dụng trên một tiêu chuẩn quốc gia."
                )
                % {"d": self.get_dimension_display(), "t": self.title.name if self.title else ""},
            )

    def _check_overlap(self, err) -> None:
        """Two decisions of a province on the same thing may not be in force on the same day."""
        same = ProvincialDecision.objects.filter(province_id=self.province_id, kind=self.kind).exclude(
            pk=self.pk
        )
        # An empty id is an IS NULL match (Django's exact lookup on None); the plugin's lookup
        # check does not allow None.
        if self.kind == DecisionKind.COMMUNE_QUOTA:
            same = same.filter(unit_id=self.unit_id)  # type: ignore[misc]
        else:
            same = same.filter(title_id=self.title_id)  # type: ignore[misc]
            if self.kind != DecisionKind.ACCEPTED_FIELDS:
                same = same.filter(dimension=self.dimension)
        if self.valid_to:
            same = same.filter(valid_from__lte=self.valid_to)
        same = same.filter(models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=self.valid_from))
        for other in same:
            if self.kind == DecisionKind.DIFFICULT_AREA_EXCEPTION and not set(other.areas or ()) & set(
                self.areas or ()
            ):
                continue  # different areas: both may stand
            err(
                "valid_from",
                _("Thời gian hiệu lực chồng lấn với %(other)s (%(a)s–%(b)s).")
                % {"other": other.decision_number, "a": _fmt(other.valid_from), "b": _fmt(other.valid_to)},
            )
            return
