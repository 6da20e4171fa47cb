"""Reading a date typed by a user: ISO ``YYYY-MM-DD`` or the Vietnamese ``dd/mm/yyyy``
(DESIGN.md principle 8), the formats of ``settings.DATE_INPUT_FORMATS``."""

from __future__ import annotations

from datetime import date, datetime

from django.conf import settings


def parse_user_date(text: str) -> date | None:
    """The date ``text`` names in one of ``settings.DATE_INPUT_FORMATS``, or None if it names no
    real date (e.g. 30/02/2024)."""
    text = text.strip()
    for fmt in settings.DATE_INPUT_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


# --------------------------------------------------------------------------- the bounds of a date asked about

#: The first day canbo keeps records of (the 2005 baseline of STORY.md): no page, report, API call
#: or command is asked about a date before it.
MIN_DATE = date(2005, 1, 1)


def max_date(today: date | None = None) -> date:
    """31 December of next year: the last date a page, report, API call or command may ask about."""
    from django.utils import timezone

    return date((today or timezone.localdate()).year + 1, 12, 31)


def out_of_range(value: date) -> tuple[str, str] | None:
    """``None`` if ``value`` lies within [:data:`MIN_DATE`, :func:`max_date`], else the refusal
    as a (Vietnamese, English) pair of messages — so that a report for year 9999 is never
    computed (issue 10 §3)."""
    high = max_date()
    if MIN_DATE <= value <= high:
        return None
    d = value.strftime("%d/%m/%Y") if value.year >= 1000 else str(value)
    low, top = MIN_DATE.strftime("%d/%m/%Y"), high.strftime("%d/%m/%Y")
    return (
        f"Ngày {d} nằm ngoài khoảng cho phép (từ {low} đến {top}).",
        f"The date {d} is outside the allowed range ({low} to {top}).",
    )
