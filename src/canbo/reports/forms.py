"""The report download form: which report, of which unit (within the user's scope), on which
date, in which format."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from canbo.common.dates import out_of_range

from . import services


def get_language_vi() -> bool:
    return not (translation.get_language() or "vi").startswith("en")


class ReportForm(forms.Form):
    """The unit's choices are given by the view (the units in the user's scope, see
    :func:`canbo.reports.views.unit_choices`)."""

    report = forms.ChoiceField(
        label=_("Báo cáo"), choices=list(services.REPORTS.items()), widget=forms.RadioSelect
    )
    unit = forms.TypedChoiceField(label=_("Đơn vị"), coerce=int)
    on = forms.DateField(
        label=_("Tính đến ngày"),
        input_formats=settings.DATE_INPUT_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    format = forms.ChoiceField(
        label=_("Định dạng"),
        choices=[(k, v[1]) for k, v in services.FORMATS.items()],
        initial="xlsx",
        widget=forms.RadioSelect,
    )

    def clean_on(self):
        on = self.cleaned_data["on"]
        refused = out_of_range(on)
        if refused:
            raise forms.ValidationError(refused[0] if get_language_vi() else refused[1])
        return on

    def __init__(self, *args, unit_choices: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, forms.ChoiceField)
        unit_field.choices = unit_choices
