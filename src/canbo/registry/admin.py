"""Vietnamese admin for the registry, scoped to the logged-in user."""

from django.contrib import admin
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from canbo.common.admin import ScopedAdmin, ScopedInline
from canbo.common.display import sorted_items, value_display
from canbo.conduct.models import Discipline, Evaluation
from canbo.training.models import TrainingEnrolment

from . import models as m


class ClassificationInline(ScopedInline):
    model = m.UnitClassification
    fields = ["unit_class", "valid_from", "valid_to", "decision"]


class AreaFlagInline(ScopedInline):
    model = m.UnitAreaFlag
    fields = ["flag", "valid_from", "valid_to", "decision"]


class StatisticsInline(ScopedInline):
    model = m.UnitStatistics
    fields = ["year", "population", "natural_area_km2"]


class PredecessorInline(ScopedInline):
    model = m.UnitLineage
    fk_name = "successor"
    fields = ["predecessor", "date", "kind", "is_primary", "legal_reference"]
    raw_id_fields = ["predecessor"]
    verbose_name = _("đơn vị cũ sáp nhập vào")
    verbose_name_plural = _("các đơn vị cũ sáp nhập vào")


class SuccessorInline(ScopedInline):
    model = m.UnitLineage
    fk_name = "predecessor"
    fields = ["successor", "date", "kind", "is_primary", "legal_reference"]
    raw_id_fields = ["successor"]
    verbose_name = _("đơn vị mới kế thừa")
    verbose_name_plural = _("các đơn vị mới kế thừa")


@admin.register(m.Unit)
class UnitAdmin(ScopedAdmin):
    list_display = ["code", "name", "level", "kind", "parent", "valid_from", "valid_to"]
    list_filter = ["level", "kind", ("valid_to", admin.EmptyFieldListFilter)]
    search_fields = ["code", "name"]
    raw_id_fields = ["parent"]
    inlines = [ClassificationInline, AreaFlagInline, StatisticsInline, PredecessorInline, SuccessorInline]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # The staffing summary (quota, headcount, thừa, thiếu, yếu) below the unit's form;
        # the admin has already checked that the user may view the unit.
        if obj is not None and obj.pk:
            from canbo.standards.pages import unit_staffing

            context["staffing"] = unit_staffing(request, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)


class UnitFactAdmin(ScopedAdmin):
    """A dated fact about a unit, found by the unit's name or code."""

    search_fields = ["unit__name", "unit__code"]
    raw_id_fields = ["unit"]


@admin.register(m.UnitClassification)
class UnitClassificationAdmin(UnitFactAdmin):
    list_display = ["unit", "unit_class", "valid_from", "valid_to", "decision"]
    list_filter = ["unit_class"]


@admin.register(m.UnitAreaFlag)
class UnitAreaFlagAdmin(UnitFactAdmin):
    list_display = ["unit", "flag", "valid_from", "valid_to", "decision"]
    list_filter = ["flag"]


@admin.register(m.UnitStatistics)
class UnitStatisticsAdmin(UnitFactAdmin):
    list_display = ["unit", "year", "population", "natural_area_km2"]
    list_filter = ["year"]


@admin.register(m.UnitLineage)
class UnitLineageAdmin(ScopedAdmin):
    list_display = ["predecessor", "successor", "date", "kind", "is_primary"]
    list_filter = ["date", "kind"]
    search_fields = ["predecessor__name", "successor__name", "predecessor__code", "successor__code"]
    raw_id_fields = ["predecessor", "successor"]


@admin.register(m.Title)
class TitleAdmin(ScopedAdmin):
    list_display = ["code", "name", "kind", "is_leadership", "valid_from", "valid_to", "legal_reference"]
    list_filter = ["kind", "is_leadership"]
    search_fields = ["code", "name"]


class AssignmentInline(ScopedInline):
    model = m.Assignment
    fields = [
        "unit",
        "title",
        "start",
        "end",
        "start_reason",
        "end_reason",
        "is_concurrent",
        "decision_number",
    ]
    autocomplete_fields = ["unit", "title"]


class QualificationInline(ScopedInline):
    model = m.Qualification
    fields = [
        "dimension",
        "level",
        "field_of_study",
        "study_mode",
        "is_remedial",
        "obtained_on",
        "institution",
        "original_text",
    ]


class EnrolmentInline(ScopedInline):
    model = TrainingEnrolment
    fields = ["course_name", "kind", "start", "end", "status", "funding", "service_commitment_months"]
    classes = ["collapse"]


class EvaluationInline(ScopedInline):
    model = Evaluation
    fields = ["year", "rating", "score", "note"]
    classes = ["collapse"]


class DisciplineInline(ScopedInline):
    model = Discipline
    fields = ["track", "form", "severity", "decided_on", "authority", "decision_number"]
    classes = ["collapse"]


class SalaryStepInline(ScopedInline):
    model = m.SalaryStep
    fields = ["valid_from", "rank_code", "step", "coefficient", "position_allowance", "other_allowances"]
    classes = ["collapse"]


class AwardInline(ScopedInline):
    model = m.Award
    fields = ["decided_on", "form", "level", "name", "decision_number"]
    classes = ["collapse"]


class MembershipInline(ScopedInline):
    model = m.OrganisationMembership
    fields = ["organisation", "organisation_name", "joined_on", "left_on", "role"]
    classes = ["collapse"]


class FamilyInline(ScopedInline):
    model = m.FamilyMember
    fields = ["relation", "full_name", "birth_year", "is_deceased", "home_town", "occupation", "residence"]
    classes = ["collapse"]


@admin.register(m.Person)
class PersonAdmin(ScopedAdmin):
    list_display = ["full_name", "birth_date_display", "sex", "ethnicity", "managing_unit", "identity_number"]
    list_filter = ["sex", "ethnicity", "birth_date_precision"]
    search_fields = ["identity_number", "family_name", "given_name"]
    folded_search_field = "name_folded"
    inlines = [
        AssignmentInline,
        QualificationInline,
        EnrolmentInline,
        EvaluationInline,
        DisciplineInline,
        SalaryStepInline,
        AwardInline,
        MembershipInline,
        FamilyInline,
    ]
    autocomplete_fields = ["managing_unit", "birth_place_unit", "home_town_unit"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "identity_number",
                    ("family_name", "middle_name", "given_name"),
                    ("birth_date", "birth_date_precision"),
                    "sex",
                ]
            },
        ),
        (_("Lý lịch"), {"fields": ["ethnicity", "religion", "home_town", "managing_unit"]}),
        (
            _("Sơ yếu lý lịch (Mẫu 2C-BNV/2008)"),
            {
                "classes": ["collapse"],
                "fields": [
                    "other_names",
                    ("birth_place_unit", "birth_place"),
                    "home_town_unit",
                    "permanent_address",
                    "current_address",
                    "recruited_occupation",
                    ("recruited_on", "recruiting_agency"),
                    "main_duties",
                    ("enlisted_on", "discharged_on", "military_rank"),
                    "honorary_title",
                    "strengths",
                    ("health_status", "height_cm", "weight_kg", "blood_group"),
                    ("war_invalid_rank", "policy_family"),
                    ("identity_issued_on", "identity_issued_by"),
                    "social_insurance_number",
                    "self_history",
                ],
            },
        ),
        (
            _("Đảng viên"),
            {
                "fields": [
                    "is_party_member",
                    ("party_joined_on", "party_joined_on_precision"),
                    ("party_confirmed_on", "party_confirmed_on_precision"),
                    ("party_left_on", "party_left_reason"),
                ]
            },
        ),
        (_("Khác"), {"fields": ["notes", "extra_columns_table"]}),
    ]
    #: The other columns of the lists are kept as read (issue 9 §2): shown, not typed in.
    readonly_fields = ["extra_columns_table"]

    @admin.display(description=_("họ và tên"), ordering="sort_name")
    def full_name(self, obj):
        return obj.full_name

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # The read-only "Kiểm tra tiêu chuẩn" section below the person's form; the admin has
        # already checked that the user may view the person.
        if obj is not None and obj.pk:
            from canbo.standards.pages import person_standards

            context["standards"] = person_standards(request, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    @admin.display(description=_("các cột khác của danh sách"))
    def extra_columns_table(self, obj):
        """The columns of an imported list that canbo does not read, as a small table of
        header → value; "(không có)" when the lists had none (never "null")."""
        columns = obj.extra_columns if obj is not None else None
        if not columns:
            return _("(không có)")
        if not isinstance(columns, dict):  # not written by an import: shown as it is
            return value_display(columns)
        rows = format_html_join(
            "",
            '<tr><th scope="row">{}</th><td>{}</td></tr>',
            ((header, value_display(value)) for header, value in sorted_items(columns)),
        )
        return format_html('<table class="extra-columns">{}</table>', rows)

    @admin.display(description=_("ngày sinh"), ordering="birth_date")
    def birth_date_display(self, obj):
        return obj.birth_date_display


@admin.register(m.Assignment)
class AssignmentAdmin(ScopedAdmin):
    list_display = [
        "person",
        "title",
        "unit",
        "start",
        "end",
        "start_reason",
        "end_reason",
        "is_concurrent",
        "confirmation",
    ]
    list_filter = ["start_reason", "end_reason", "is_concurrent", "confirmation", "title__kind"]
    search_fields = ["person__family_name", "person__given_name", "unit__name", "title__name"]
    folded_search_field = "person__name_folded"
    autocomplete_fields = ["person", "unit", "title"]
    date_hierarchy = "start"
    # Confirmed only by the province, through canbo.registry.services.confirm_post.
    readonly_fields = ["confirmation", "confirmed_by", "confirmed_at"]


@admin.register(m.Qualification)
class QualificationAdmin(ScopedAdmin):
    list_display = [
        "person",
        "dimension",
        "level",
        "field_of_study",
        "study_mode",
        "obtained_on",
        "original_text",
    ]
    list_filter = ["dimension", "study_mode", "is_remedial"]
    search_fields = ["person__family_name", "person__given_name", "original_text"]
    folded_search_field = "person__name_folded"
    autocomplete_fields = ["person"]
