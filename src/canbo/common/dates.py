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
