"""Forms of the web application's person pages (issue 10 §1, "person page": editing).

Dates are typed dd/mm/yyyy (``settings.DATE_INPUT_FORMATS``); a date known only to the month or
the year may be typed ``mm/yyyy`` or ``yyyy`` and its precision follows. Every message is
Vietnamese (through gettext). The model's own ``clean`` (identity number, Party dates, birth
date against qualifications…) runs as in the admin; the sensitive parts (religion, Party) are
in the form only for the roles :func:`canbo.access.scope.sensitive_allowed` lets see them.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import cast

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models.fields import BLANK_CHOICE_LABEL
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from canbo.access import scope
from canbo.core import personnel
from canbo.core.formatting import fmt_date
from canbo.registry.models import (
    Assignment,
    AssignmentEnd,
    Award,
    DatePrecision,
    FamilyMember,
    OrganisationMembership,
    Person,
    Qualification,
    SalaryStep,
    Title,
    Unit,
    UnitLevel,
)
from canbo.registry.places import unit_place
from canbo.web.bounds import max_date

#: The earliest date a profile date (birth, Party) may take.
MIN_PROFILE_DATE = date(1900, 1, 1)
_YEAR = re.compile(r"^\d{4}$")
_MONTH = re.compile(r"^(\d{1,2})/(\d{4})$")
#: Markup and control characters are refused in names and short texts (issue 10 §3).
_FORBIDDEN = re.compile(r"[<>\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_FORBIDDEN_LINE = re.compile(r"[<>\x00-\x1f\x7f]")

#: The sensitive part each profile field belongs to (canbo.access.scope.SENSITIVE): a user who
#: may not see the part neither sees nor edits the field, nor its changes in the history.
SENSITIVE_FIELDS: dict[str, str] = {
    "religion": "religion",
    "is_party_member": "party",
    "party_joined_on": "party",
    "party_joined_on_precision": "party",
    "party_confirmed_on": "party",
    "party_confirmed_on_precision": "party",
    "party_left_on": "party",
    "party_left_reason": "party",
    # Health and policy status (item 23, 24 of Mẫu 2C-BNV/2008): the "health" part.
    "health_status": "health",
    "height_cm": "health",
    "weight_kg": "health",
    "blood_group": "health",
    "war_invalid_rank": "health",
    "policy_family": "health",
    # Self history (item 29: arrest, work under the old regime…): political, as the Party's.
    "self_history": "party",
}

#: The résumé's fields of the profile form (Mẫu 2C-BNV/2008), after the older ones.
RESUME_FIELDS = [
    "other_names",
    "birth_place",
    "permanent_address",
    "current_address",
    "recruited_occupation",
    "recruited_on",
    "recruiting_agency",
    "main_duties",
    "enlisted_on",
    "discharged_on",
    "military_rank",
    "honorary_title",
    "strengths",
    "health_status",
    "height_cm",
    "weight_kg",
    "blood_group",
    "war_invalid_rank",
    "policy_family",
    "identity_issued_on",
    "identity_issued_by",
    "social_insurance_number",
    "self_history",
]
#: The résumé's texts of several lines.
LONG_TEXT = {"main_duties", "self_history"}
#: The résumé's places given as administrative units (items 4, 5): the form takes a unit code.
UNIT_FIELDS = {"birth_place_unit": "birth_place_code", "home_town_unit": "home_town_code"}

#: The profile fields the web form edits, in the order shown.
PROFILE_FIELDS = [
    "family_name",
    "middle_name",
    "given_name",
    "birth_date",
    "birth_date_precision",
    "sex",
    "ethnicity",
    "identity_number",
    "home_town",
    "religion",
    "managing_unit",
    "is_party_member",
    "party_joined_on",
    "party_joined_on_precision",
    "party_confirmed_on",
    "party_confirmed_on_precision",
    "party_left_on",
    "party_left_reason",
    "notes",
    *RESUME_FIELDS,
    *UNIT_FIELDS,
]

#: Date field → the field keeping its precision.
PRECISION_OF = {
    "birth_date": "birth_date_precision",
    "party_joined_on": "party_joined_on_precision",
    "party_confirmed_on": "party_confirmed_on_precision",
}


def hidden_fields(user, person=None) -> set[str]:
    """The profile fields ``user`` may not see (their sensitive part is not allowed) — of
    ``person``'s file when given (an officer who only reads the file sees no sensitive part)."""
    return {
        name for name, part in SENSITIVE_FIELDS.items() if not scope.sensitive_allowed(user, part, person)
    }


class DayMonthYearField(forms.DateField):
    """A date typed dd/mm/yyyy (or YYYY-MM-DD); ``mm/yyyy`` and ``yyyy`` are read as the first
    day of the month or year (the form sets the precision). Between 01/01/1900 and today."""

    widget = forms.DateInput(
        format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "maxlength": 10}
    )
    default_error_messages = {
        "invalid": gettext_lazy(
            "“%(value)s” không phải là một ngày có thật; hãy nhập theo dạng dd/mm/yyyy (ví dụ 15/03/1980), "
            "hoặc mm/yyyy, yyyy khi chỉ biết tháng, năm."
        ),
    }

    def __init__(self, *, future: bool = False, **kwargs):
        kwargs.setdefault("input_formats", settings.DATE_INPUT_FORMATS)
        super().__init__(**kwargs)
        #: May the date lie after today (up to 31/12 of next year, e.g. a post's planned end)?
        self.future = future

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, (date, datetime)):
            return super().to_python(value)
        text = str(value).strip()
        if len(text) > 20:
            raise ValidationError(self.error_messages["invalid"], code="invalid", params={"value": text[:20]})
        if _YEAR.match(text):
            return date(int(text), 1, 1)
        month = _MONTH.match(text)
        if month and 1 <= int(month.group(1)) <= 12:
            return date(int(month.group(2)), int(month.group(1)), 1)
        for fmt in settings.DATE_INPUT_FORMATS:
            try:
                return datetime.strptime(text, fmt).date()
            except ValueError:
                continue
        raise ValidationError(self.error_messages["invalid"], code="invalid", params={"value": text})

    def validate(self, value):
        super().validate(value)
        if value is None:
            return
        today = timezone.localdate()
        if self.future:
            high = max_date(today)
            if not (MIN_PROFILE_DATE <= value <= high):
                raise ValidationError(
                    _("Ngày %(value)s nằm ngoài khoảng cho phép (từ %(low)s đến %(high)s).")
                    % {"value": fmt_date(value), "low": fmt_date(MIN_PROFILE_DATE), "high": fmt_date(high)},
                    code="out_of_range",
                )
        elif not (MIN_PROFILE_DATE <= value <= today):
            raise ValidationError(
                _("Ngày %(value)s nằm ngoài khoảng cho phép (từ %(low)s đến hôm nay, %(high)s).")
                % {"value": fmt_date(value), "low": fmt_date(MIN_PROFILE_DATE), "high": fmt_date(today)},
                code="out_of_range",
            )


def typed_precision(raw: str | None) -> str | None:
    """The precision a date was typed to: ``year`` for ``yyyy``, ``month`` for ``mm/yyyy``, else
    None (the precision chosen in the form stands)."""
    text = (raw or "").strip()
    if _YEAR.match(text):
        return DatePrecision.YEAR
    if _MONTH.match(text):
        return DatePrecision.MONTH
    return None


def units_near(queryset, person):
    """``queryset`` (units already narrowed to the user's scope) cut down to the province of the
    person's managing unit, in both eras (the province, the units below it, those merged into
    them): a system administrator's scope is the whole country — 14,000 units, a 1 MB page of
    choices that took seconds to draw. A post outside the province is recorded by the commune's
    code (:class:`PostForm`'s ``unit_code``)."""
    unit = getattr(person, "managing_unit", None)
    if unit is None:
        return queryset
    while unit.parent_id is not None and unit.level != UnitLevel.PROVINCE:
        unit = unit.parent
    return queryset.filter(pk__in=scope.expand_scope([unit.pk]))


class PersonForm(forms.ModelForm):
    """A person's profile, as an officer of the person's unit edits it. ``version`` is the
    latest history entry of the person when the form was shown (no lost update: the view
    refuses the save when the person changed since)."""

    version = forms.CharField(widget=forms.HiddenInput, max_length=20_000)

    class Meta:
        model = Person
        fields = PROFILE_FIELDS
        field_classes = {
            "birth_date": DayMonthYearField,
            "party_joined_on": DayMonthYearField,
            "party_confirmed_on": DayMonthYearField,
            "party_left_on": DayMonthYearField,
            "recruited_on": DayMonthYearField,
            "enlisted_on": DayMonthYearField,
            "discharged_on": DayMonthYearField,
            "identity_issued_on": DayMonthYearField,
        }
        widgets = {
            "notes": forms.Textarea(attrs={"rows": 3, "cols": 60}),
            "main_duties": forms.Textarea(attrs={"rows": 2, "cols": 60}),
            "self_history": forms.Textarea(attrs={"rows": 3, "cols": 60}),
            "birth_place_unit": forms.HiddenInput,
            "home_town_unit": forms.HiddenInput,
            "identity_number": forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 12, "size": 14}),
        }

    birth_place_code = forms.CharField(
        label=gettext_lazy("nơi sinh: mã xã (hoặc huyện, tỉnh)"),
        required=False,
        max_length=10,
        help_text=gettext_lazy(
            "Mã đơn vị hành chính của Tổng cục Thống kê; đơn vị cũ đã sắp xếp vẫn nhận (chọn đơn vị có "
            "hiệu lực vào ngày sinh)."
        ),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 8}),
    )
    home_town_code = forms.CharField(
        label=gettext_lazy("quê quán: mã xã (hoặc huyện, tỉnh)"),
        required=False,
        max_length=10,
        help_text=gettext_lazy("Mã đơn vị hành chính; đơn vị cũ đã sắp xếp vẫn nhận."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 8}),
    )
    religion = forms.ChoiceField(label=gettext_lazy("tôn giáo"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        for name in hidden_fields(user):
            self.fields.pop(name, None)
        if "religion" in self.fields:
            # The recognised religions (canbo.core.personnel.RELIGIONS); a value recorded before
            # (an imported list's own words) stays offered so that a save does not lose it.
            choices = [(r, r) for r in personnel.RELIGIONS]
            current = self.instance.religion if self.instance.pk else ""
            if current and current not in personnel.RELIGIONS:
                choices.append((current, current))
            cast(forms.ChoiceField, self.fields["religion"]).choices = choices
            self.initial.setdefault("religion", current or personnel.NO_RELIGION)
        for unit_field, code_field in UNIT_FIELDS.items():
            unit = getattr(self.instance, unit_field) if self.instance.pk else None
            if unit is not None and not self.is_bound:
                self.initial[code_field] = unit.code
            if unit is not None:
                self.fields[code_field].help_text = _("Hiện ghi: %(u)s.") % {"u": unit_place(unit)}
        order: list[str] = []
        for n in PROFILE_FIELDS:
            if n not in UNIT_FIELDS:
                order.append(n)
            if n in ("home_town", "birth_place"):
                order.append(f"{n}_code")
        self.order_fields(order)
        if "managing_unit" in self.fields:
            field = cast(forms.ModelChoiceField, self.fields["managing_unit"])
            # Only the units of the user's scope are offered (never a label from outside it).
            field.queryset = units_near(
                scope.restrict(Unit.objects.all(), user, scope.VIEW), self.instance
            ).order_by("-valid_from", "level", "name")
        # A date kept to the month or year is shown as it was recorded (03/1980, 1980).
        if not self.is_bound and self.instance.pk:
            for name, precision in PRECISION_OF.items():
                value = getattr(self.instance, name)
                level = getattr(self.instance, precision)
                if name in self.fields and value and level != DatePrecision.DAY:
                    self.initial[name] = fmt_date(value, precision=level)
        if "birth_date" in self.fields:
            self.fields["birth_date"].help_text = _("dd/mm/yyyy; mm/yyyy hoặc yyyy nếu chỉ biết tháng, năm.")

    def _clean_line(self, name: str) -> str:
        value = (self.cleaned_data.get(name) or "").strip()
        if _FORBIDDEN_LINE.search(value):
            raise ValidationError(_("Không được có ký hiệu “<”, “>” hoặc ký tự điều khiển."), code="markup")
        return value

    def clean_family_name(self):
        return self._clean_line("family_name")

    def clean_middle_name(self):
        return self._clean_line("middle_name")

    def clean_given_name(self):
        return self._clean_line("given_name")

    def clean_home_town(self):
        return self._clean_line("home_town")

    def clean_religion(self):
        return self._clean_line("religion")

    def _unit_by_code(self, code_field: str, on: date | None):
        """The unit the code names: of the era ``on`` falls in when several units bear it (codes
        are reused across eras), else the latest."""
        code = (self.cleaned_data.get(code_field) or "").strip()
        if not code:
            return None
        if not code.isdigit() or len(code) > 10:
            self.add_error(code_field, _("Mã đơn vị chỉ gồm chữ số."))
            return None
        units = list(Unit.objects.filter(code=code).select_related("parent__parent").order_by("-valid_from"))
        if not units:
            self.add_error(code_field, _("Không có đơn vị hành chính nào mang mã %(code)s.") % {"code": code})
            return None
        if on is not None:
            for u in units:
                if u.is_valid_on(on):
                    return u
        return units[0]

    def clean_identity_number(self):
        value = (self.cleaned_data.get("identity_number") or "").strip().replace(" ", "")
        return value or None

    def clean_notes(self):
        value = self.cleaned_data.get("notes") or ""
        if _FORBIDDEN.search(value):
            raise ValidationError(_("Không được có ký hiệu “<”, “>” hoặc ký tự điều khiển."), code="markup")
        return value

    def clean(self):
        data = super().clean() or {}
        birth = data.get("birth_date") or (self.instance.birth_date if self.instance.pk else None)
        for unit_field, code_field in UNIT_FIELDS.items():
            if self.add_prefix(code_field) not in self.data:
                continue  # not asked (the API's change of other fields): the unit stays
            unit = self._unit_by_code(code_field, birth)
            data[unit_field] = unit
            setattr(self.instance, unit_field, unit)
        for name in RESUME_FIELDS:
            value = data.get(name)
            if isinstance(value, str) and (_FORBIDDEN if name in LONG_TEXT else _FORBIDDEN_LINE).search(
                value
            ):
                self.add_error(name, _("Không được có ký hiệu “<”, “>” hoặc ký tự điều khiển."))
        for name, precision in PRECISION_OF.items():
            if name in self.fields and precision in self.fields and data.get(name):
                typed = typed_precision(self.data.get(self.add_prefix(name)))
                if typed:
                    data[precision] = typed
        return data


# --------------------------------------------------------------------------- posts and qualifications


class PostForm(forms.ModelForm):
    """A post the person holds or held (an Assignment). The unit is chosen among the communes of
    the user's scope, or — for an earlier post elsewhere — given by its code (the General
    Statistics Office's code of the commune, as on the unit's decision); such a post waits for
    the province's confirmation (:func:`canbo.registry.services.record_earlier_post`)."""

    unit_code = forms.CharField(
        label=gettext_lazy("hoặc mã xã ngoài phạm vi của bạn"),
        required=False,
        max_length=10,
        help_text=gettext_lazy("Mã đơn vị hành chính cấp xã (5 chữ số) nơi người này từng công tác."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 8}),
    )

    class Meta:
        model = Assignment
        fields = [
            "title",
            "unit",
            "start",
            "end",
            "start_reason",
            "end_reason",
            "is_concurrent",
            "decision_number",
        ]
        field_classes = {"start": DayMonthYearField, "end": DayMonthYearField}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        unit = cast(forms.ModelChoiceField, self.fields["unit"])
        unit.required = False
        unit.queryset = units_near(
            scope.restrict(Unit.objects.filter(level=UnitLevel.COMMUNE), user, scope.VIEW),
            getattr(self.instance, "person", None),
        ).order_by("-valid_from", "name")
        title = cast(forms.ModelChoiceField, self.fields["title"])
        title.queryset = Title.objects.order_by("-valid_from", "sort_order", "code")
        cast(DayMonthYearField, self.fields["end"]).future = True
        self.order_fields(["title", "unit", "unit_code", "start", "end"])

    def clean_unit_code(self):
        code = (self.cleaned_data.get("unit_code") or "").strip()
        if code and (not code.isdigit() or len(code) > 10):
            raise ValidationError(_("Mã xã chỉ gồm chữ số."), code="invalid")
        return code

    def clean_decision_number(self):
        value = (self.cleaned_data.get("decision_number") or "").strip()
        if _FORBIDDEN_LINE.search(value):
            raise ValidationError(_("Không được có ký hiệu “<”, “>” hoặc ký tự điều khiển."), code="markup")
        return value

    def clean(self):
        data = super().clean() or {}
        code, unit, start = data.get("unit_code"), data.get("unit"), data.get("start")
        if unit is not None and code:
            self.add_error("unit_code", _("Chọn một xã trong danh sách hoặc ghi mã xã, không cả hai."))
        elif unit is None and not code and "unit" not in self.errors:
            self.add_error("unit", _("Chọn xã nơi giữ chức danh, hoặc ghi mã xã."))
        elif unit is None and code and start:
            found = [
                u
                for u in Unit.objects.filter(code=code, level=UnitLevel.COMMUNE).order_by("valid_from")
                if u.is_valid_on(start)
            ]
            if not found:
                self.add_error(
                    "unit_code",
                    _("Không có xã nào mang mã %(code)s vào ngày %(date)s.")
                    % {"code": code, "date": fmt_date(start)},
                )
            else:
                data["unit"] = found[0]
                self.instance.unit = found[0]
        return data


class EndPostForm(forms.Form):
    """The end of a post: its last day and why it ended. ``version`` is the post's latest history
    entry when the form was shown (no lost update)."""

    post = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**62)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=2**62)
    end = DayMonthYearField(label=gettext_lazy("đến ngày"), future=True)
    end_reason = forms.ChoiceField(
        label=gettext_lazy("lý do kết thúc"), choices=[("", BLANK_CHOICE_LABEL), *AssignmentEnd.choices]
    )


class QualificationForm(forms.ModelForm):
    """A qualification the person gained (a level on one dimension's scale)."""

    class Meta:
        model = Qualification
        fields = [
            "dimension",
            "level",
            "field_of_study",
            "institution",
            "study_mode",
            "is_remedial",
            "obtained_on",
            "original_text",
        ]
        field_classes = {"obtained_on": DayMonthYearField}

    def clean_institution(self):
        return self._line("institution")

    def clean_original_text(self):
        return self._line("original_text")

    def _line(self, name: str) -> str:
        value = (self.cleaned_data.get(name) or "").strip()
        if _FORBIDDEN_LINE.search(value):
            raise ValidationError(_("Không được có ký hiệu “<”, “>” hoặc ký tự điều khiển."), code="markup")
        return value


# --------------------------------------------------------------------------- the résumé's records


class _LineForm(forms.ModelForm):
    """A record form whose text fields refuse markup and control characters."""

    def clean(self):
        data = super().clean() or {}
        for name, value in list(data.items()):
            if isinstance(value, str):
                value = value.strip()
                data[name] = value
                if _FORBIDDEN_LINE.search(value):
                    self.add_error(name, _("Không được có ký hiệu “<”, “>” hoặc ký tự điều khiển."))
        return data


class SalaryStepForm(_LineForm):
    """A change of salary (items 14 and 31 of Mẫu 2C-BNV/2008)."""

    class Meta:
        model = SalaryStep
        fields = [
            "valid_from",
            "rank_code",
            "step",
            "coefficient",
            "position_allowance",
            "other_allowances",
            "decision_number",
        ]
        field_classes = {"valid_from": DayMonthYearField}


class AwardForm(_LineForm):
    """An award (item 21 of Mẫu 2C-BNV/2008)."""

    class Meta:
        model = Award
        fields = ["decided_on", "form", "level", "name", "decision_number"]
        field_classes = {"decided_on": DayMonthYearField}


class MembershipForm(_LineForm):
    """A membership of a socio-political organisation (item 17 of Mẫu 2C-BNV/2008)."""

    class Meta:
        model = OrganisationMembership
        fields = ["organisation", "organisation_name", "joined_on", "left_on", "role"]
        field_classes = {"joined_on": DayMonthYearField, "left_on": DayMonthYearField}


class FamilyMemberForm(_LineForm):
    """A member of the family (item 30 of Mẫu 2C-BNV/2008)."""

    class Meta:
        model = FamilyMember
        fields = [
            "relation",
            "full_name",
            "birth_year",
            "is_deceased",
            "home_town",
            "occupation",
            "residence",
        ]
        widgets = {"birth_year": forms.NumberInput(attrs={"min": 1850, "max": 2100, "size": 6})}
