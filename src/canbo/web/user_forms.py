"""Forms of the users pages (issue 10 §1, users): an account's name, role and scope unit, and the
temporary password a new or reset account receives.

The rules of :meth:`canbo.access.models.User.clean` (a province officer's scope is a province,
every other role but the system administrator needs a unit) run through the model form. Names
refuse markup and control characters (issue 10 §3); a username is ASCII letters, digits and
``. _ -`` so that it can be typed on any keyboard and read aloud over the telephone.
"""

from __future__ import annotations

import re
import secrets

from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from canbo.access.models import Role, User
from canbo.common.validators import plain_name
from canbo.core.formatting import fmt_date
from canbo.registry.models import Unit, UnitLevel

USERNAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{2,149}$")
#: Letters and digits that cannot be mistaken for one another when read from a screen.
PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
#: How many units the scope picker lists at once.
UNIT_CHOICES = 50


def check_name(value: str) -> str:
    """``value`` without surrounding or repeated spaces; markup or control characters →
    the shared Vietnamese refusal (:class:`canbo.common.validators.PlainNameValidator`)."""
    plain_name(value)
    return " ".join(value.split())


def temporary_password(user: User | None = None) -> str:
    """A generated password, four groups of five unambiguous characters (about 115 bits), that
    passes ``AUTH_PASSWORD_VALIDATORS`` for ``user``."""
    while True:
        groups = ["".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(5)) for _ in range(4)]
        password = "-".join(groups)
        try:
            password_validation.validate_password(password, user)
        except ValidationError:  # pragma: no cover - vanishingly unlikely
            continue
        return password


def unit_label(unit: Unit) -> str:
    """A unit as the scope picker lists it: name, level, code, province and era."""
    parts = [unit.get_level_display(), unit.code]
    parent = unit.parent if unit.parent_id else None
    while parent is not None and parent.level != UnitLevel.PROVINCE:
        parent = parent.parent if parent.parent_id else None
    if parent is not None and parent.pk != unit.pk:
        parts.append(parent.name)
    if unit.valid_to:
        parts.append(gettext("đến %(d)s") % {"d": fmt_date(unit.valid_to)})
    elif unit.valid_from and unit.valid_from.year >= 2025:
        parts.append(gettext("từ %(d)s") % {"d": fmt_date(unit.valid_from)})
    return f"{unit.name} ({', '.join(parts)})"


class NameField(forms.CharField):
    """A name: markup and control characters refused in Vietnamese before any other check."""

    def to_python(self, value):
        value = super().to_python(value)
        return check_name(value) if value else value


class UsernameField(forms.CharField):
    """A username: ASCII letters, digits, ``. _ -``, checked before any other check."""

    def to_python(self, value):
        value = (super().to_python(value) or "").strip()
        if value and not USERNAME_RE.match(value):
            raise ValidationError(
                _(
                    "Tên đăng nhập phải dài 3–150 ký tự, gồm chữ cái không dấu, chữ số, dấu chấm, gạch dưới "
                    "hoặc gạch ngang, và bắt đầu bằng chữ cái hoặc chữ số."
                ),
                code="invalid",
            )
        return value


class UnitChoiceField(forms.ModelChoiceField):
    default_error_messages = {
        "invalid_choice": _("Đơn vị đã chọn không có hoặc nằm ngoài phạm vi được phép chọn."),
    }

    def label_from_instance(self, obj):
        return unit_label(obj)


class ScopeSelect(forms.Select):
    """A select listing only a few units (the chosen one and the provinces); the search box next
    to it fetches other units by name or code (``web:users_units``)."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.extra: list[Unit] = []

    def optgroups(self, name, value, attrs=None):
        chosen = {str(v) for v in value if v}
        units = list(self.extra)
        if chosen:
            have = {str(u.pk) for u in units}
            units = list(Unit.objects.select_related("parent").filter(pk__in=chosen - have)) + units
        groups = [(None, [self.create_option(name, "", "—", not chosen, 0)], 0)]
        for i, u in enumerate(units, start=1):
            groups.append((None, [self.create_option(name, u.pk, unit_label(u), str(u.pk) in chosen, i)], i))
        return groups


def province_units():
    return (
        Unit.objects.select_related("parent").filter(level=UnitLevel.PROVINCE).order_by("-valid_from", "name")
    )


def search_units(text: str, limit: int = UNIT_CHOICES) -> list[Unit]:
    """Units whose name or code contains ``text`` (diacritics and case ignored), current units
    first, provinces before communes."""
    from canbo.core.text import fold

    text = text.strip()
    qs = Unit.objects.select_related("parent", "parent__parent")
    if not text:
        return list(province_units()[:limit])
    if text.isdigit():
        qs = qs.filter(code__startswith=text)
    else:
        folded = fold(text)
        # The unit table has no folded column: fold the names (cached by fold) and match in memory.
        pks = [pk for pk, name in Unit.objects.values_list("pk", "name") if folded in fold(name)]
        order = {UnitLevel.PROVINCE.value: 0, UnitLevel.DISTRICT.value: 1}
        found = list(qs.filter(pk__in=pks[:2000]))
        found.sort(key=lambda u: (u.valid_to is not None, order.get(u.level, 2), fold(u.name)))
        return found[:limit]
    order_levels = {UnitLevel.PROVINCE.value: 0, UnitLevel.DISTRICT.value: 1}
    units = list(qs.order_by("code")[: limit * 4])
    units.sort(key=lambda u: (u.valid_to is not None, order_levels.get(u.level, 2), u.code))
    return units[:limit]


class AccountForm(forms.ModelForm):
    """Name, role and scope unit of an account (create and edit)."""

    full_name = NameField(label=_("Họ và tên"), max_length=150, widget=forms.TextInput(attrs={"size": 40}))
    scope_unit = UnitChoiceField(
        label=_("Đơn vị phạm vi"),
        queryset=Unit.objects.all(),
        required=False,
        widget=ScopeSelect,
        help_text=_(
            "Cán bộ cấp tỉnh: chọn một tỉnh, thành phố. Cán bộ đơn vị và thanh tra: chọn đơn vị (tỉnh, huyện cũ "
            "hoặc xã); người dùng xem được đơn vị đó, các đơn vị trực thuộc và các đơn vị đã sáp nhập vào nó. "
            "Gõ tên hoặc mã để tìm."
        ),
    )

    class Meta:
        model = User
        fields = ["role", "scope_unit", "email"]
        labels = {"role": _("Vai trò"), "email": _("Thư điện tử")}

    def __init__(self, *args, acting: User | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.acting = acting
        if self.instance.pk:
            self.fields["full_name"].initial = self.instance.get_full_name()
        self.fields["email"].required = False
        widget = self.fields["scope_unit"].widget
        assert isinstance(widget, ScopeSelect)
        widget.extra = list(province_units())
        self.order_fields(["username", "full_name", "role", "scope_unit", "email"])

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if (
            self.acting is not None
            and self.instance.pk == self.acting.pk
            and data.get("role")
            and data["role"] != self.instance.role
        ):
            self.add_error("role", _("Không thể tự đổi vai trò của chính mình."))
        if data.get("role") == Role.SYSTEM_ADMIN:
            data["scope_unit"] = None
        return data

    def _post_clean(self):
        self.instance.first_name = self.cleaned_data.get("full_name", self.instance.first_name)
        self.instance.last_name = ""
        super()._post_clean()  # type: ignore[misc]

    def save(self, commit: bool = True) -> User:
        user = super().save(commit=False)
        admin = user.role == Role.SYSTEM_ADMIN
        # The web application is everyone's; the admin is the system administrator's alone.
        user.is_staff = admin
        user.is_superuser = admin
        if admin:
            user.scope_unit = None
        if commit:
            user.save()
        return user


class NewAccountForm(AccountForm):
    username = UsernameField(
        label=_("Tên đăng nhập"),
        max_length=150,
        help_text=_("3–150 ký tự: chữ cái không dấu, chữ số, dấu chấm, gạch dưới, gạch ngang."),
    )

    class Meta(AccountForm.Meta):
        fields = ["username", "role", "scope_unit", "email"]

    def clean_username(self) -> str:
        value = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=value).exists():
            raise ValidationError(
                _("Tên đăng nhập “%(u)s” đã có người dùng.") % {"u": value}, code="duplicate"
            )
        return value

    def validate_unique(self):
        # The username's uniqueness is checked (case-insensitively) in clean_username, in Vietnamese.
        pass
