"""Who am I, in the REST API (issue 11 §3): ``GET /api/me`` answers the user the request acts as
(their role, scope unit and the pages of the web app their role opens — the API opens the same),
and the token it came with. A program checks its token with it."""

from __future__ import annotations

from datetime import date, datetime
from typing import cast

from django.http import HttpRequest
from ninja import Router, Schema

from canbo.access import scope
from canbo.access.models import Role, User
from canbo.api.common import UnitRef, unit_ref
from canbo.api.errors import COMMON

router = Router(tags=["Tài khoản (access)"])


class TokenInfo(Schema):
    """The token of the request (never the token itself: only its first characters)."""

    name: str
    prefix: str
    created_at: datetime
    expires_on: date | None


class Me(Schema):
    username: str
    full_name: str
    role: str
    role_label: str
    scope_unit: UnitRef | None
    pages: list[str]
    token: TokenInfo | None


@router.get("/me", response={200: Me, **COMMON}, summary="Tài khoản đang gọi API", operation_id="me")
def me(request: HttpRequest):
    user = cast(User, request.user)  # the authentication has made it a user
    role = scope.role_of(user) or ""
    token = getattr(request, "api_token", None)
    return {
        "username": user.get_username(),
        "full_name": user.get_full_name(),
        "role": role,
        "role_label": str(dict(Role.choices).get(role, role)),
        "scope_unit": unit_ref(user.scope_unit) if user.scope_unit_id else None,
        "pages": sorted(p for p in scope.PAGES if scope.may_open(user, p)),
        "token": (
            {
                "name": token.name,
                "prefix": token.prefix,
                "created_at": token.created_at,
                "expires_on": token.expires_on,
            }
            if token is not None
            else None
        ),
    }
