"""Who calls the API (issue 11 §3): a personal access token, or the logged-in web session.

1. ``Authorization: Bearer <token>`` — the way programs call the API. The token is one the user
   created on the page *Mã truy cập API* (:mod:`canbo.access.tokens`). When the header is present
   it decides alone: a forged, revoked or expired token, or one whose user is deactivated, is
   answered 401 even if the request also carries a valid session cookie. Tokens need no CSRF
   token (a browser never sends them by itself).
2. The web session (the ``sessionid`` cookie of a user logged in at ``/login/``) — so that a
   logged-in officer can try the API from its documentation page ``/api/docs``. A write (POST,
   PATCH, …) by session must carry the CSRF token (header ``X-CSRFToken``, as the web pages'
   forms do; the documentation page adds it), else 403: another site cannot make a logged-in
   officer's browser write through the API.

Either way the request then acts as that user: ``request.user`` is set to them, so the scope
(:mod:`canbo.access.scope`), the log of reading (``FileAccess``) and the change history
(django-simple-history's author) name them — exactly as when they use the pages.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from canbo.access import scope, tokens
from canbo.api.errors import ApiError
from canbo.common import logs

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


class BearerToken(HttpBearer):
    """``Authorization: Bearer canbo_…``: a personal access token."""

    def __call__(self, request: HttpRequest) -> Any:
        header = request.headers.get("Authorization")
        if header is None:
            return None
        scheme, _sep, value = header.strip().partition(" ")
        if scheme.lower() != "bearer":
            raise tokens.TokenRefused(_("Chỉ nhận tiêu đề “Authorization: Bearer <mã truy cập>”."))
        return self.authenticate(request, value)

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user, record = tokens.user_for(token)
        request.user = user
        request.api_token = record  # type: ignore[attr-defined]
        logs.set_user(user.get_username())  # every later log line of the request names them
        return user


class WebSession(APIKeyCookie):
    """The web application's session cookie, CSRF-checked for writes."""

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self) -> None:
        super().__init__(csrf=True)

    def __call__(self, request: HttpRequest) -> Any:
        return self.authenticate(request, request.COOKIES.get(self.param_name))

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or scope.role_of(user) is None:
            return None
        if request.method not in SAFE_METHODS and check_csrf(request) is not None:
            raise ApiError(
                403,
                _(
                    "Thiếu mã bảo vệ CSRF (tiêu đề X-CSRFToken) cho một thay đổi bằng phiên đăng nhập; "
                    "không có gì được ghi. Chương trình khác hãy dùng mã truy cập (Bearer)."
                ),
            )
        if getattr(user, "must_change_password", False):
            raise ApiError(403, _("Bạn phải đổi mật khẩu trước khi làm việc: hãy mở trang Đổi mật khẩu."))
        return user


#: Tried in this order on every operation: the token when one is sent, else the session.
AUTH = [BearerToken(), WebSession()]
