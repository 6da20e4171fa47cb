"""The parameters of a training plan (issue 13 §7), checked the same way for the page's form,
the background job and the API: Vietnamese messages by field."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from canbo.registry.models import Unit

#: Limits of each parameter (the CLI's, ``canbo plan training``).
YEARS = (2000, 2100)
HORIZON = (1, 15)
TIME_LIMIT = (1.0, 600.0)


def clean_plan_params(raw: dict) -> dict:
    """The parameters as the job keeps them, or :class:`ValidationError` by field."""
    errors: dict[str, str] = {}
    out: dict = {}

    def number(key: str, kind, required: bool = False):
        v = raw.get(key)
        if v is None or v == "":
            if required:
                errors[key] = _("Trường này là bắt buộc.")
            return None
        try:
            text = str(v).strip()
            if kind is float:
                return float(text.replace(",", "."))
            return int(text.replace(".", "").replace(" ", ""))  # 2.000.000.000 as typed
        except (TypeError, ValueError):
            errors[key] = _("Hãy nhập một số.")
            return None

    start = number("start_year", int, True)
    if start is not None and not YEARS[0] <= start <= YEARS[1]:
        errors["start_year"] = _("Năm bắt đầu phải từ %(a)s đến %(b)s.") % {"a": YEARS[0], "b": YEARS[1]}
    years = number("years", int, True)
    if years is not None and not HORIZON[0] <= years <= HORIZON[1]:
        errors["years"] = _("Số năm phải từ %(a)s đến %(b)s.") % {"a": HORIZON[0], "b": HORIZON[1]}
    seats = number("degree_seats", int)
    if seats is not None and seats < 0:
        errors["degree_seats"] = _("Chỉ tiêu không được âm.")
    budget = number("budget_vnd", int)
    if budget is not None and budget < 0:
        errors["budget_vnd"] = _("Kinh phí không được âm.")
    share = number("away_share", float)
    if share is not None and not 0 <= share <= 1:
        errors["away_share"] = _("Tỷ lệ đi học phải từ 0 đến 1.")
    limit = number("time_limit", float)
    if limit is not None and not TIME_LIMIT[0] <= limit <= TIME_LIMIT[1]:
        errors["time_limit"] = _("Thời gian giải phải từ %(a)s đến %(b)s giây.") % {
            "a": int(TIME_LIMIT[0]),
            "b": int(TIME_LIMIT[1]),
        }
    if errors:
        raise ValidationError(errors)
    out = {"start_year": start, "years": years, "degree_seats": seats, "budget_vnd": budget}
    out["away_share"] = 0.2 if share is None else share
    out["time_limit"] = 60.0 if limit is None else limit
    return out


class PlanForm(forms.Form):
    """The page's form: the unit (of the user's scope) and the parameters."""

    unit: forms.ModelChoiceField = forms.ModelChoiceField(
        queryset=Unit.objects.none(), label=gettext_lazy("Đơn vị")
    )
    start_year = forms.CharField(label=gettext_lazy("Năm bắt đầu"))
    years = forms.CharField(label=gettext_lazy("Số năm"), initial=5)
    degree_seats = forms.CharField(label=gettext_lazy("Chỉ tiêu đào tạo trình độ mỗi năm"), required=False)
    budget_vnd = forms.CharField(label=gettext_lazy("Kinh phí mỗi năm (đồng)"), required=False)
    away_share = forms.CharField(
        label=gettext_lazy("Tỷ lệ tối đa đi học cùng lúc (0–1)"), required=False, initial="0.2"
    )
    time_limit = forms.CharField(
        label=gettext_lazy("Thời gian giải tối đa (giây)"), required=False, initial=60
    )

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = units
        self.fields["unit"].error_messages["invalid_choice"] = _("Hãy chọn một đơn vị trong phạm vi của bạn.")
        for f in self.fields.values():
            f.error_messages["required"] = _("Trường này là bắt buộc.")

    def clean(self):
        data = super().clean()
        try:
            self.params = clean_plan_params(data or {})
        except ValidationError as e:
            for field, messages in e.message_dict.items():
                for m in messages:
                    self.add_error(field, m)
        return data
