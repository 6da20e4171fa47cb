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

from canbo.common.validators import plain_name


class Role(models.TextChoices):
    """The roles of canbo's users (issue 2 §3)."""

    SYSTEM_ADMIN = "system_admin", _("Quản trị hệ thống")
    PROVINCE_OFFICER = "province_officer", _("Cán bộ cấp tỉnh (Sở Nội vụ)")
    UNIT_OFFICER = "unit_officer", _("Cán bộ đơn vị (xã, phường, huyện)")
    INSPECTOR = "inspector", _("Thanh tra, kiểm tra (chỉ xem)")


class User(AbstractUser):
    """A person who logs in: an official of the Department of Home Affairs, a
    Party organisation board, a commune People's Committee, or an inspector."""

    # A user's names are plain text (issue 10 §3): the same fields as Django's, with the validator.
    first_name = models.CharField(_("first name"), max_length=150, blank=True, validators=[plain_name])
    last_name = models.CharField(_("last name"), max_length=150, blank=True, validators=[plain_name])
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
    must_change_password = models.BooleanField(
        _("phải đổi mật khẩu"),
        default=False,
        help_text=_(
            "Người dùng phải đặt mật khẩu mới ở lần đăng nhập tới (tài khoản mới, mật khẩu vừa đặt lại)."
        ),
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


class FileAccess(models.Model):
    """One view or export of personal data: who, when, what (issue 10 §2).

    Decree 13/2023/NĐ-CP on personal data protection (Art. 27: the controller keeps a record of
    the processing of personal data) and the Law on Cadres and Civil Servants' rule that a
    personnel file is confidential: every opening of a person's file and every export of a list
    of people is logged. The log is append-only; it is not personal data history (that is
    ``history`` on each record) but a record of reading.
    """

    #: Whose reading it records: the log of a person's file follows the person's scope.
    scope_path = "person__managing_unit"

    class Action(models.TextChoices):
        VIEW = "view", _("xem hồ sơ")
        EXPORT = "export", _("xuất danh sách")
        REPORT = "report", _("tải báo cáo")
        PRINT = "print", _("in sơ yếu lý lịch")
        REFUSED = "refused", _("bị từ chối")

    user = models.ForeignKey(
        User, verbose_name=_("người dùng"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    username = models.CharField(_("tên đăng nhập"), max_length=150)
    at = models.DateTimeField(_("thời điểm"), auto_now_add=True, db_index=True)
    action = models.CharField(_("việc"), max_length=16, choices=Action.choices)
    person = models.ForeignKey(
        "registry.Person",
        verbose_name=_("cán bộ"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    what = models.CharField(_("nội dung"), max_length=500, blank=True)
    address = models.GenericIPAddressField(_("địa chỉ IP"), null=True, blank=True)

    class Meta:
        verbose_name = _("lượt xem, xuất hồ sơ")
        verbose_name_plural = _("nhật ký xem, xuất hồ sơ")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.username} {self.get_action_display()} {self.what}"


class ApiToken(models.Model):
    """A personal access token of the REST API (issue 11 §3): a user creates it on the page *Mã
    truy cập API*, gives it a name (which program uses it), optionally an expiry date, and may
    revoke it at any time. The API (``/api/``, docs/api.md) accepts it as ``Authorization: Bearer
    <token>`` and acts as that user, with exactly that user's role and scope
    (:mod:`canbo.access.scope`).

    Only the SHA-256 digest of the token is stored (the token is 32 random bytes, shown once when
    it is created): a copy of the database does not let anyone call the API. ``prefix`` (the
    first characters) lets the user tell their tokens apart. A token stops working when it is
    revoked, when its expiry date has passed, and while its user is deactivated or must change
    their password. Creating and revoking are kept in ``history`` (who, when); each use sets
    ``last_used_at`` (without a history entry).
    """

    user = models.ForeignKey(
        User, verbose_name=_("người dùng"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("tên gợi nhớ"), max_length=100, validators=[plain_name])
    prefix = models.CharField(_("đầu mã"), max_length=16)
    digest = models.CharField(_("mã băm SHA-256"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("thời điểm tạo"), auto_now_add=True)
    expires_on = models.DateField(
        _("hết hạn sau ngày"), null=True, blank=True, help_text=_("Trống: không hết hạn.")
    )
    last_used_at = models.DateTimeField(_("dùng lần cuối"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("thời điểm thu hồi"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["digest", "last_used_at"])

    class Meta:
        verbose_name = _("mã truy cập API")
        verbose_name_plural = _("mã truy cập API")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def is_expired(self, today=None) -> bool:
        from django.utils import timezone

        return self.expires_on is not None and (today or timezone.localdate()) > self.expires_on

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and not self.is_expired()
