"""Personal access tokens of the REST API (issue 11 §3): create, revoke, and recognise one.

A token reads ``canbo_`` followed by 43 characters (32 random bytes, URL-safe base64): shown once
to its owner, stored only as its SHA-256 digest (:class:`canbo.access.models.ApiToken`). The API
(:mod:`canbo.api.auth`) calls :func:`user_for` with the token of the request's
``Authorization: Bearer …`` header; every refusal is a :class:`TokenRefused` carrying a Vietnamese
message, answered 401.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from canbo.access import scope
from canbo.access.models import ApiToken, Role, User

#: What every token starts with: a secret scanner (or a person) recognises a canbo token.
PREFIX = "canbo_"
#: Characters of a token shown in the list to tell tokens apart (``canbo_`` and 6 more).
SHOWN = len(PREFIX) + 6
#: The longest text accepted as a token before it is refused without a database query.
MAX_LENGTH = 200
#: How many usable (not revoked, not expired) tokens one user may hold.
MAX_ACTIVE = 20
#: ``last_used_at`` is written at most once per this interval per token (not a write per request).
TOUCH_EVERY = timedelta(minutes=1)
#: The change reasons written to a token's history.
REASON_CREATE = "Tạo mã truy cập API"
REASON_REVOKE = "Thu hồi mã truy cập API"


class TokenRefused(Exception):
    """The token of a request is not accepted: ``message`` says why (Vietnamese, through gettext)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def usable(user) -> QuerySet[ApiToken]:
    """``user``'s tokens that still work: not revoked and not past their expiry date."""
    today = timezone.localdate()
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).filter(
        Q(expires_on__isnull=True) | Q(expires_on__gte=today)
    )


def create(user: User, name: str, expires_on: date | None = None) -> tuple[ApiToken, str]:
    """A new token of ``user`` named ``name``, valid through ``expires_on`` (or until revoked):
    the stored record and the token itself — the only time the token is known. Raises
    ``ValidationError`` (Vietnamese) for a bad name or date, or when ``user`` already holds
    :data:`MAX_ACTIVE` usable tokens; ``PermissionDenied``-like refusal is the caller's (any
    active user may hold tokens)."""
    if scope.role_of(user) is None:
        raise ValidationError(_("Tài khoản không hoạt động không tạo được mã truy cập."))
    if expires_on is not None and expires_on < timezone.localdate():
        raise ValidationError({"expires_on": _("Ngày hết hạn đã qua.")})
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user,
        name=(name or "").strip(),
        prefix=secret[:SHOWN],
        digest=digest(secret),
        expires_on=expires_on,
    )
    token.full_clean(exclude=["digest"])
    with transaction.atomic():
        # One user's tokens are counted under a lock of the user's row: two creations at once
        # cannot both pass the limit.
        User.objects.select_for_update().filter(pk=user.pk).first()
        if usable(user).count() >= MAX_ACTIVE:
            raise ValidationError(
                _(
                    "Bạn đã có %(n)s mã truy cập đang dùng được; hãy thu hồi mã không dùng nữa trước khi tạo mã mới."
                )
                % {"n": MAX_ACTIVE}
            )
        token._history_user = user  # type: ignore[attr-defined]  # django-simple-history's hooks
        token._change_reason = REASON_CREATE  # type: ignore[attr-defined]
        token.save()
    return token, secret


def revoke(user: User, token: ApiToken) -> ApiToken:
    """Revoke ``token`` — ``user`` must own it, or be the system administrator (a leaked token of
    someone else, revoked in the admin): it stops working at once; revoking a revoked token
    changes nothing. Kept in the token's history with who revoked it."""
    if token.user_id != user.pk and scope.role_of(user) != Role.SYSTEM_ADMIN:
        raise ValidationError(_("Đây không phải mã truy cập của bạn."))
    with transaction.atomic():
        locked = ApiToken.objects.select_for_update().get(pk=token.pk)
        if locked.revoked_at is None:
            locked.revoked_at = timezone.now()
            locked._history_user = user  # type: ignore[attr-defined]
            locked._change_reason = REASON_REVOKE  # type: ignore[attr-defined]
            locked.save(update_fields=["revoked_at"])
    return locked


def user_for(raw: str) -> tuple[User, ApiToken]:
    """The user a request acts as, given the token it presented; :class:`TokenRefused` if the
    token is unknown (forged, mistyped), revoked, expired, or its user may not work now
    (deactivated, or must change their password first). Records the use (``last_used_at``)."""
    text = (raw or "").strip()
    if not text:
        raise TokenRefused(_("Thiếu mã truy cập sau “Bearer”."))
    if len(text) > MAX_LENGTH or not text.isascii() or not text.startswith(PREFIX):
        raise TokenRefused(_("Mã truy cập không hợp lệ."))
    token = ApiToken.objects.select_related("user", "user__scope_unit").filter(digest=digest(text)).first()
    if token is None:
        raise TokenRefused(_("Mã truy cập không hợp lệ."))
    if token.revoked_at is not None:
        raise TokenRefused(_("Mã truy cập này đã bị thu hồi."))
    if token.is_expired():
        raise TokenRefused(_("Mã truy cập này đã hết hạn."))
    user = token.user
    if scope.role_of(user) is None:
        raise TokenRefused(_("Tài khoản của mã truy cập này đã bị khóa."))
    if getattr(user, "must_change_password", False):
        raise TokenRefused(
            _(
                "Tài khoản của mã truy cập này phải đổi mật khẩu trước: hãy đăng nhập trang web và đổi mật khẩu."
            )
        )
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= TOUCH_EVERY:
        # A plain UPDATE: a use is not a change of the token (no history entry).
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return user, token
