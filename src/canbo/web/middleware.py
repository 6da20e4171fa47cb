"""A user whose account is new or whose password was reset must change the password before
anything else (issue 10 §1, users); an expired session is told so (issue 11 §1)."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, resolve_url
from django.urls import reverse
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect


class PasswordChangeRequiredMiddleware:
    #: The API answers such a user itself, in JSON (canbo.api.auth): a redirect to a page is no
    #: answer for a program.
    ALLOWED_PREFIXES = ("/static/", "/i18n/", "/api/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and getattr(user, "must_change_password", False):
            allowed = {reverse("web:password_change"), reverse("web:logout")}
            if request.path not in allowed and not request.path.startswith(self.ALLOWED_PREFIXES):
                return redirect("web:password_change")
        return self.get_response(request)


class SessionExpiryMiddleware:
    """An expired session (issue 11 §1, bad input): the browser still sends the cookie of a
    session the server no longer holds (past ``SESSION_COOKIE_AGE``, or ended elsewhere). The
    user is then anonymous, as Django makes them; this adds the notice «Phiên làm việc đã hết
    hạn» that the login page shows. A request of htmx (a fragment of a page) that would be sent
    to the login page is answered with ``HX-Redirect`` instead, so the whole page goes to the
    login page — never a login form inside a fragment.

    Placed after the messages middleware: the notice travels in the messages cookie.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._expired(request):
            messages.warning(
                request,
                _("Phiên làm việc đã hết hạn; hãy đăng nhập lại."),
                extra_tags="session-expired",
            )
        response = self.get_response(request)
        if request.headers.get("HX-Request") == "true" and self._to_login(response):
            # Back to the page the fragment was part of after logging in, not to the fragment.
            htmx = getattr(request, "htmx", None)
            page = htmx.current_url_abs_path if htmx else None
            login = urlsplit(response["Location"]).path
            return HttpResponseClientRedirect(redirect_to_login(page, login).url if page else login)
        return response

    @staticmethod
    def _expired(request) -> bool:
        if not request.COOKIES.get(settings.SESSION_COOKIE_NAME):
            return False
        if request.path.startswith(("/static/", "/api/")):
            return False
        if request.method == "POST" and request.path == resolve_url(settings.LOGIN_URL):
            return False  # logging in again from a login page left open
        user = getattr(request, "user", None)
        if user is None or user.is_authenticated:
            return False
        session = request.session
        session.keys()  # loads it: an unknown or expired key leaves it empty
        return session.is_empty()

    @staticmethod
    def _to_login(response) -> bool:
        if response.status_code not in (301, 302, 303, 307, 308) or "Location" not in response:
            return False
        login = resolve_url(settings.LOGIN_URL)
        return urlsplit(response["Location"]).path in (login, reverse("admin:login"))
