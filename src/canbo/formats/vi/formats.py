"""Dates in the Vietnamese admin as officers write them, dd/mm/yyyy (as
:func:`canbo.core.formatting.fmt_date`), not Django's "Ngày 07 tháng 12 năm 2026": the record
history's time column, the dates of a list, a read-only date field. Only the display formats;
what a form accepts is ``settings.DATE_INPUT_FORMATS``."""

DATE_FORMAT = "d/m/Y"
SHORT_DATE_FORMAT = "d/m/Y"
DATETIME_FORMAT = "d/m/Y H:i"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
MONTH_DAY_FORMAT = "d/m"
YEAR_MONTH_FORMAT = "m/Y"
