"""Users and their roles.

A user holds one role and, except for the system administrator, one scope
unit. Which records a role may read or change is decided in one place,
:mod:`canbo.access.scope`.
"""

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Role(models.TextChoices):
    """The roles of canbo's users (issue 2 §3)."""

    SYSTEM_ADMIN = "system_admin", _("Quản trị hệ thống")
    PROVINCE_OFFICER = "province_officer", _("Cán bộ cấp tỉnh (Sở Nội vụ)")
    UNIT_OFFICER = "unit_officer", _("Cán bộ đơn vị (xã, phường, huyện)")
    INSPECTOR = "inspector", _("Thanh tra, kiểm tra (chỉ xem)")


class User(AbstractUser):
    """A person who logs in: an official of the Department of Home Affairs, a
    Party organisation board, a commune People's Committee, or an inspector."""

    role = models.CharField(_("vai trò"), max_length=32, choices=Role.choices, default=Role.UNIT_OFFICER)
    scope_unit = models.ForeignKey(
        "registry.Unit",
        verbose_name=_("đơn vị phạm vi"),
        help_text=_(
            "Người dùng chỉ xem và sửa hồ sơ thuộc đơn vị này và các đơn vị trực thuộc, kể cả các đơn vị đã sáp nhập vào nó."
        ),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")

    @property
    def effective_role(self) -> str:
        return Role.SYSTEM_ADMIN if self.is_superuser else self.role

    def clean(self) -> None:
        super().clean()
        if self.effective_role != Role.SYSTEM_ADMIN and self.scope_unit_id is None:
            raise ValidationError({"scope_unit": _("Vai trò này cần chọn một đơn vị phạm vi.")})
        if (
            self.role == Role.PROVINCE_OFFICER
            and self.scope_unit is not None
            and self.scope_unit.level != "province"
        ):
            raise ValidationError(
                {"scope_unit": _("Cán bộ cấp tỉnh phải có phạm vi là một tỉnh, thành phố.")}
            )
