"""Bounds on every input of the web pages (issue 10 §3).

Dates lie between :data:`MIN_DATE` (01/01/2005, the first year canbo keeps) and 31/12 of next
year; page numbers and page sizes are bounded; a value outside its bounds is refused with a
Vietnamese message (:class:`BadInput`, answered 400 by :class:`canbo.web.errors.BadInputMiddleware`),
never computed and never a 500.
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from canbo.common.dates import MIN_DATE as MIN_DATE  # the bounds of a date: one source
from canbo.common.dates import max_date as max_date
from canbo.common.dates import parse_user_date
from canbo.core.formatting import fmt_date

#: Rows per page of a list, by default and at most.
PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
#: The highest page number accepted (a list of 200-row pages up to 2 million rows).
MAX_PAGE = 10_000
#: Longest free-text query accepted (a name search).
MAX_QUERY = 100


class BadInput(Exception):
    """A request value out of its bounds or unreadable: answered 400 with ``message``."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def check_date(value: date, what: str | None = None) -> date:
    """``value`` if it lies within [01/01/2005, 31/12 of next year], else :class:`BadInput`."""
    high = max_date()
    if not (MIN_DATE <= value <= high):
        raise BadInput(
            _("%(what)s %(value)s nằm ngoài khoảng cho phép (từ %(low)s đến %(high)s).")
            % {
                "what": what or _("Ngày"),
                "value": fmt_date(value),
                "low": fmt_date(MIN_DATE),
                "high": fmt_date(high),
            }
        )
    return value


def parse_date(raw: str | None, default: date | None = None, what: str | None = None) -> date:
    """The date typed in ``raw`` (dd/mm/yyyy or YYYY-MM-DD), checked against the bounds; ``default``
    (today) when blank. Unreadable or out of bounds → :class:`BadInput`."""
    text = (raw or "").strip()
    if not text:
        return default or timezone.localdate()
    if len(text) > 20:
        raise BadInput(_("Ngày quá dài; hãy nhập theo dạng dd/mm/yyyy."))
    parsed = parse_user_date(text)
    if parsed is None:
        raise BadInput(
            _("“%(value)s” không phải là một ngày hợp lệ; hãy nhập theo dạng dd/mm/yyyy.") % {"value": text}
        )
    return check_date(parsed, what)


def chosen_date(request, param: str = "on", default: date | None = None) -> date:
    """The date a page is asked about (``?on=``), today by default."""
    return parse_date(request.GET.get(param), default)


def bounded_int(raw: str | None, default: int, low: int, high: int, what: str) -> int:
    """An integer query parameter within [low, high]; else :class:`BadInput` naming ``what``."""
    text = (raw or "").strip()
    if not text:
        return default
    if not text.isdigit() or len(text) > 9:
        raise BadInput(_("%(what)s “%(value)s” không phải là số.") % {"what": what, "value": text[:20]})
    value = int(text)
    if not (low <= value <= high):
        raise BadInput(_("%(what)s phải từ %(low)s đến %(high)s.") % {"what": what, "low": low, "high": high})
    return value


def page_number(request) -> int:
    return bounded_int(request.GET.get("page"), 1, 1, MAX_PAGE, _("Số trang"))


def page_size(request) -> int:
    return bounded_int(request.GET.get("size"), PAGE_SIZE, 1, MAX_PAGE_SIZE, _("Số dòng mỗi trang"))


def query_text(request, param: str = "q") -> str:
    """A search text: at most :data:`MAX_QUERY` characters, control characters refused."""
    text = (request.GET.get(param) or "").strip()
    if len(text) > MAX_QUERY:
        raise BadInput(_("Từ khóa tìm kiếm dài quá %(n)s ký tự.") % {"n": MAX_QUERY})
    if any(ord(c) < 32 for c in text):
        raise BadInput(_("Từ khóa tìm kiếm có ký tự điều khiển."))
    return text
