"""What every view of the web application shares: the page gate and the audit of reading."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from canbo.access import scope
from canbo.access.models import FileAccess
from canbo.common.clientip import client_ip


def page(name: str) -> Callable:
    """Guard a view: an anonymous user goes to the login page; a user whose role may not open
    page ``name`` (:data:`canbo.access.scope.PAGES`) gets 403."""

    def decorate(view):
        @wraps(view)
        def guarded(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not scope.may_open(request.user, name):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        guarded.canbo_page = name  # type: ignore[attr-defined]
        return guarded

    return decorate


def get_visible(request, queryset, action: str = scope.VIEW, **lookup):
    """The object of ``queryset`` matching ``lookup`` if ``request.user`` may take ``action`` on
    it, else 404 — an object outside the user's scope is not shown to exist."""
    return get_object_or_404(scope.restrict(queryset.filter(**lookup), request.user, action, few=True))


def client_address(request) -> str | None:
    """The client's address, through the trusted proxies if any (canbo.common.clientip)."""
    return client_ip(request)


def log_access(request, action: str, *, person=None, what: str = "") -> None:
    """Record that ``request.user`` viewed or exported personal data (issue 10 §2)."""
    FileAccess.objects.create(
        user=request.user,
        username=request.user.get_username(),
        action=action,
        person=person,
        what=what[:500],
        address=client_address(request),
    )
