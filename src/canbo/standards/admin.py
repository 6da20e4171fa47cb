"""Vietnamese admin for the provincial layer (*Quyết định của tỉnh*), scoped like every other
admin page by :mod:`canbo.access.scope`."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from canbo.common.admin import ScopedAdmin
from canbo.registry.models import AreaFlag, field_choices

from . import models as m


class ProvincialDecisionForm(forms.ModelForm):
    """Areas and accepted fields as check boxes with their Vietnamese names, not raw JSON."""

    areas = forms.MultipleChoiceField(
        label=_("địa bàn áp dụng"),
        choices=AreaFlag.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Chỉ dùng cho quyết định áp dụng ngoại lệ vùng khó khăn; phải thuộc các địa bàn của quy định quốc gia."
        ),
    )
    accepted_fields = forms.MultipleChoiceField(
        label=_("ngành đào tạo được chấp nhận"),
        choices=field_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Chỉ dùng cho quyết định về ngành đào tạo; phải nằm trong danh sách ngành của quy định quốc gia."
        ),
    )

    class Meta:
        model = m.ProvincialDecision
        fields = "__all__"


@admin.register(m.ProvincialDecision)
class ProvincialDecisionAdmin(ScopedAdmin):
    form = ProvincialDecisionForm
    list_display = [
        "decision_number",
        "province",
        "kind",
        "title",
        "dimension",
        "minimum",
        "unit",
        "quota",
        "valid_from",
        "valid_to",
    ]
    list_filter = [
        "kind",
        ("province", admin.RelatedOnlyFieldListFilter),
        ("valid_to", admin.EmptyFieldListFilter),
    ]
    search_fields = ["decision_number", "note", "title__name", "unit__name"]
    autocomplete_fields = ["province", "title", "unit"]
    date_hierarchy = "valid_from"
    fieldsets = [
        (None, {"fields": ["province", "kind", "decision_number", ("valid_from", "valid_to")]}),
        (
            _("Tiêu chuẩn của chức danh"),
            {
                "fields": ["title", ("dimension", "minimum"), "areas", "accepted_fields"],
                "description": _(
                    "Ngành đào tạo, ngoại lệ vùng khó khăn và tiêu chuẩn cao hơn: tỉnh chỉ được quy định chặt hơn "
                    "quy định quốc gia, không được nới lỏng (Nghị định 33/2023/NĐ-CP, Điều 8 khoản 5, Điều 10 khoản 2)."
                ),
            },
        ),
        (
            _("Số lượng cán bộ, công chức của xã"),
            {
                "fields": ["unit", "quota"],
                "description": _(
                    "Từ 01/07/2025, UBND tỉnh quyết định số lượng cán bộ, công chức của từng xã."
                ),
            },
        ),
        (_("Khác"), {"fields": ["note"]}),
    ]
