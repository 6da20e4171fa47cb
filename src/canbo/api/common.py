"""What every operation of the API shares with the web pages: the page gate, the bounds of a date,
pagination, and the small schemas many answers use (a unit named by id, code and name).

The gate is the web app's (:data:`canbo.access.scope.PAGES`): an operation opens for the roles
that may open the page showing the same thing, so the API gives no role more than the pages do.
Objects are found through :func:`canbo.web.views.common.get_visible` (404 outside the scope).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Path, Schema

from canbo.access import scope
from canbo.web import bounds

#: The largest id a path or filter accepts (a bigger number is refused by the schema, not by the
#: database: PostgreSQL's bigint ends at 2**63 - 1).
MAX_ID = 2**53
#: The largest ``offset`` of a list: as many rows as the pages reach (10,000 pages of 200).
MAX_OFFSET = bounds.MAX_PAGE * bounds.MAX_PAGE_SIZE
#: ``limit`` of a list: by default and at most (the pages' sizes).
LIMIT = bounds.PAGE_SIZE
MAX_LIMIT = bounds.MAX_PAGE_SIZE


#: A record's id in a path.
Id = Annotated[int, Path(ge=1, le=MAX_ID)]


def gate(request, page: str) -> None:
    """403 unless ``request.user``'s role may open the web page ``page``."""
    if not scope.may_open(request.user, page):
        raise PermissionDenied(_("Vai trò của bạn không được phép làm việc này."))


def on_date(value: date | None, default: date | None = None) -> date:
    """The date asked about (today by default), within 01/01/2005 … 31/12 of next year like the
    pages (:func:`canbo.web.bounds.check_date`: 400 otherwise)."""
    return bounds.check_date(value or default or timezone.localdate())


def text_or_none(value) -> str | None:
    return None if value is None else str(value)


class UnitRef(Schema):
    """A unit as other records name it."""

    id: int
    code: str
    name: str
    level: str


def unit_ref(unit) -> dict | None:
    if unit is None:
        return None
    return {"id": unit.pk, "code": unit.code, "name": unit.name, "level": unit.level}


class PageInfo(Schema):
    """The head of every list: how many there are in all (with the filters), and which slice this is."""

    count: int = Field(description="Tổng số bản ghi khớp bộ lọc (mọi trang).")
    limit: int
    offset: int
