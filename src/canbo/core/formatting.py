"""How canbo writes dates, numbers and Excel columns, and picks Vietnamese or English words —
once, for every adapter and core module (issue 9 item 10: one source for each fact).

* Dates: ``dd/mm/yyyy`` in Vietnamese (``mm/yyyy``, ``yyyy`` for a date known only to the
  month or year), ISO ``yyyy-mm-dd`` in English.
* Numbers: thousands grouped by ``.`` and decimals by ``,`` in Vietnamese (``1.234,5``), the
  other way round in English (``1,234.5``).
* Excel columns: 0 → ``A``, 25 → ``Z``, 26 → ``AA``.
* Other values as an officer reads them: yes/no as ``Có``/``Không``, none as ``(trống)``.
* The language switch: ``lang`` is ``"vi"`` (the default) or ``"en"``; :func:`tr` picks the
  words, :func:`lang_of` turns a language code (``"en-us"``, Django's active language) into one.
"""

from __future__ import annotations

from datetime import date

__all__ = [
    "column_letter",
    "fmt_bool",
    "fmt_date",
    "fmt_decimal",
    "fmt_int",
    "fmt_missing",
    "fmt_number",
    "lang_index",
    "lang_of",
    "tr",
]


# --------------------------------------------------------------------------- language


def lang_of(code: str | None) -> str:
    """``"en"`` for an English language code (``en``, ``en-us`` …), else ``"vi"``."""
    return "en" if (code or "vi").lower().startswith("en") else "vi"


def tr(lang: str, vi: str, en: str) -> str:
    """The Vietnamese or English text."""
    return en if lang == "en" else vi


def lang_index(lang: str) -> int:
    """0 for Vietnamese, 1 for English: the index into a ``(vi, en)`` pair."""
    return 1 if lang == "en" else 0


# --------------------------------------------------------------------------- yes/no, none


def fmt_missing(lang: str = "vi") -> str:
    """How a value not recorded (none, an empty text) is shown: ``(trống)`` / ``(empty)``."""
    return tr(lang, "(trống)", "(empty)")


def fmt_bool(value: bool | None, lang: str = "vi") -> str:
    """``Có``/``Không`` (``Yes``/``No``); :func:`fmt_missing` for none (not known)."""
    if value is None:
        return fmt_missing(lang)
    return tr(lang, "Có", "Yes") if value else tr(lang, "Không", "No")


# --------------------------------------------------------------------------- dates

_VI_FORMATS = {"year": "%Y", "month": "%m/%Y"}


def fmt_date(d: date | None, lang: str = "vi", *, precision: str = "day", missing: str = "") -> str:
    """``d`` as written: ``31/12/2024`` — in English too, since every date canbo shows reads
    dd/mm/yyyy (DESIGN.md principle 8; issue 10 "dd/mm/yyyy everywhere": an English page mixing
    ISO dates with the dd/mm/yyyy its date picker takes misleads); a date known only to the month
    or year (``precision``) as ``12/2024`` or ``2024``; ``missing`` for none. ``lang`` is kept
    for callers that format other things by language."""
    if d is None:
        return missing
    return d.strftime(_VI_FORMATS.get(precision, "%d/%m/%Y"))


# --------------------------------------------------------------------------- numbers


def _localise(text: str, lang: str) -> str:
    """Python's ``1,234.5`` as written in ``lang`` (``1.234,5`` in Vietnamese)."""
    if lang == "en":
        return text
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def fmt_int(n: int | None, lang: str = "vi") -> str:
    """1000001 → ``1.000.001`` (Vietnamese) or ``1,000,001`` (English); ``""`` for none."""
    if n is None:
        return ""
    return _localise(f"{n:,}", lang)


def fmt_decimal(value: float, digits: int = 1, lang: str = "vi") -> str:
    """1234.56 → ``1.234,6`` (Vietnamese) or ``1,234.6`` (English) with ``digits`` decimals."""
    return _localise(f"{value:,.{digits}f}", lang)


def fmt_number(value, kind: str, lang: str = "vi") -> str:
    """A figure as printed in a report: counts with a thousands separator, zero as ``-``,
    percentages (``kind="percent"``) with one decimal; ``""`` for none."""
    if value is None:
        return ""
    if kind == "percent":
        return fmt_decimal(value, 1, lang)
    if value == 0:
        return "-"
    return fmt_int(int(value), lang)


# --------------------------------------------------------------------------- Excel


def column_letter(index: int) -> str:
    """The Excel column of a 0-based index: 0 → ``A``, 25 → ``Z``, 26 → ``AA``."""
    letters = ""
    n = index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters
