"""Forms of the rules page: a province's own decision on the standards (issue 10 §1, rules).

The decision's validation is the model's (:meth:`canbo.standards.models.ProvincialDecision.clean`:
stricter than the national rules allowed, looser refused citing both instruments); this form
adds the choices a user may make (provinces and communes of their scope, a date within the
bounds of the web application) and the version token that refuses a save when the decision was
changed by someone else since the form was shown (no lost update).
"""

from __future__ import annotations

from datetime import date

from django import forms
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from canbo.access import scope
from canbo.core.formatting import fmt_date
from canbo.registry.models import AreaFlag, Title, Unit, UnitLevel, field_choices
from canbo.standards.models import ProvincialDecision
from canbo.web import bounds
from canbo.web.user_forms import NameField

#: The first day of the two-tier era: a commune's quota is set by the province from then on.
REFORM = date(2025, 7, 1)


#: The fields of the decision form, whose values the version token holds.
FORM_FIELDS = [
    "province",
    "kind",
    "decision_number",
    "valid_from",
    "valid_to",
    "title",
    "dimension",
    "minimum",
    "areas",
    "accepted_fields",
    "unit",
    "quota",
    "note",
]
TOKEN_SALT = "canbo.web.provincial_decision"
MAX_TOKEN = 20_000


def snapshot(decision: ProvincialDecision) -> dict:
    """The stored values of the form's fields, JSON-able (a date ISO, a unit or title its id,
    a list sorted)."""
    out: dict = {}
    for name in FORM_FIELDS:
        field = decision._meta.get_field(name)
        assert isinstance(field, models.Field)
        value = getattr(decision, field.attname)
        if isinstance(value, date):
            value = value.isoformat()
        elif isinstance(value, list):
            value = sorted(str(v) for v in value)
        out[name] = value
    return out


def latest_history(decision: ProvincialDecision) -> int:
    latest = decision.history.order_by("-history_id").values_list("history_id", flat=True).first()
    return latest or 0


def version_of(decision: ProvincialDecision) -> str:
    """The version token of a saved decision: its latest history entry and the values the form
    shows, signed. A save is refused when a value of the form changed since (here, in the admin,
    anywhere); a save that changed nothing refuses no one."""
    return signing.dumps({"v": latest_history(decision), "s": snapshot(decision)}, salt=TOKEN_SALT)


def read_version(raw: str | None) -> dict:
    """The token a form carried; missing, forged or altered → :class:`BadInput` (400)."""
    message = _("Biểu mẫu thiếu mã phiên bản của quyết định hoặc mã không hợp lệ; hãy mở lại trang.")
    raw = (raw or "").strip()
    if not raw or len(raw) > MAX_TOKEN:
        raise bounds.BadInput(str(message))
    try:
        token = signing.loads(raw, salt=TOKEN_SALT)
    except signing.BadSignature:
        raise bounds.BadInput(str(message)) from None
    if (
        not isinstance(token, dict)
        or not isinstance(token.get("v"), int)
        or not isinstance(token.get("s"), dict)
    ):
        raise bounds.BadInput(str(message))
    return token


class DateInput(forms.DateInput):
    input_type = "text"

    def __init__(self, attrs=None):
        super().__init__(
            {"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "size": 12, **(attrs or {})}, "%d/%m/%Y"
        )


class BoundedDateField(forms.DateField):
    widget = DateInput

    def __init__(self, **kwargs):
        super().__init__(input_formats=settings.DATE_INPUT_FORMATS, **kwargs)
        self.error_messages["invalid"] = _("Hãy nhập ngày theo dạng dd/mm/yyyy.")

    def validate(self, value):
        super().validate(value)
        if value is not None:
            high = bounds.max_date()
            if not (bounds.MIN_DATE <= value <= high):
                raise ValidationError(
                    _("Ngày phải từ %(low)s đến %(high)s.")
                    % {"low": fmt_date(bounds.MIN_DATE), "high": fmt_date(high)},
                    code="out_of_bounds",
                )


class NoteField(forms.CharField):
    """Free text: control characters other than line breaks and tabs refused."""

    def to_python(self, value):
        value = super().to_python(value)
        if value and any(ord(c) < 32 and c not in "\r\n\t" for c in value):
            raise ValidationError(_("Ghi chú có ký tự điều khiển."), code="control")
        return value


class NamedChoiceField(forms.ModelChoiceField):
    default_error_messages = {
        "invalid_choice": _("Lựa chọn không có hoặc nằm ngoài phạm vi được phân quyền của bạn."),
    }

    def label_from_instance(self, obj):
        if isinstance(obj, Unit):
            era = f" (đến {fmt_date(obj.valid_to)})" if obj.valid_to else ""
            return f"{obj.name}{era}"
        return str(obj)


class DecisionForm(forms.ModelForm):
    """Create or edit a provincial decision."""

    province = NamedChoiceField(label=_("Tỉnh, thành phố"), queryset=Unit.objects.none())
    title = NamedChoiceField(label=_("Chức danh"), queryset=Title.objects.all(), required=False)
    unit = NamedChoiceField(
        label=_("Xã, phường"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("Chỉ dùng cho quyết định số lượng cán bộ, công chức của xã."),
    )
    areas = forms.MultipleChoiceField(
        label=_("Địa bàn áp dụng"),
        choices=AreaFlag.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Chỉ dùng cho quyết định áp dụng ngoại lệ vùng khó khăn."),
    )
    accepted_fields = forms.MultipleChoiceField(
        label=_("Ngành đào tạo được chấp nhận"),
        choices=field_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Chỉ dùng cho quyết định về ngành đào tạo; phải nằm trong danh sách ngành của quy định quốc gia."
        ),
    )
    decision_number = NameField(
        label=_("Số, ngày quyết định"),
        max_length=200,
        help_text=_("Ví dụ: Quyết định số 12/2025/QĐ-UBND ngày 15/07/2025"),
        widget=forms.TextInput(attrs={"size": 60}),
    )
    note = NoteField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    valid_from = BoundedDateField(label=_("Hiệu lực từ ngày"))
    valid_to = BoundedDateField(label=_("Hiệu lực đến ngày"), required=False)
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = ProvincialDecision
        fields = FORM_FIELDS
        labels = {
            "kind": _("Loại quyết định"),
            "decision_number": _("Số, ngày quyết định"),
            "dimension": _("Lĩnh vực trình độ"),
            "minimum": _("Trình độ tối thiểu"),
            "quota": _("Số lượng cán bộ, công chức"),
            "note": _("Ghi chú"),
        }
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        ids = scope.scope_unit_ids(user)
        provinces = Unit.objects.filter(level=UnitLevel.PROVINCE).order_by("-valid_from", "name")
        communes = Unit.objects.filter(level=UnitLevel.COMMUNE).exclude(valid_to__lt=REFORM)
        if ids is not None:
            provinces = provinces.filter(pk__in=ids)
            communes = communes.filter(pk__in=ids)
        keep = self.instance.unit_id if self.instance.pk else None
        if keep and ids is not None and keep not in ids:
            keep = None
        if keep:
            communes = communes | Unit.objects.filter(pk=keep)
        self.fields["province"].queryset = provinces  # type: ignore[attr-defined]
        self.fields["unit"].queryset = communes.order_by("name")  # type: ignore[attr-defined]
        if not self.instance.pk:
            # The user's own province in force today, chosen in advance.
            current = [p for p in provinces if p.valid_to is None]
            if len(current) == 1:
                self.fields["province"].initial = current[0].pk
        if self.instance.pk:
            self.fields["version"].initial = version_of(self.instance)


class EndForm(forms.Form):
    """End a decision on a day (it stays in the history and applies up to that day)."""

    valid_to = BoundedDateField(label=_("Hết hiệu lực từ sau ngày"))
    version = forms.CharField(widget=forms.HiddenInput, required=False)
