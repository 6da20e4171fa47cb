"""canbo.core.formatting: the one way dates, numbers, Excel columns and the language are written."""

from __future__ import annotations

from datetime import date

import pytest

from canbo.core.formatting import (
    column_letter,
    fmt_date,
    fmt_decimal,
    fmt_int,
    fmt_number,
    lang_index,
    lang_of,
    tr,
)


@pytest.mark.parametrize(
    ("d", "lang", "precision", "expected"),
    [
        (date(2024, 12, 31), "vi", "day", "31/12/2024"),
        (date(2024, 2, 9), "vi", "day", "09/02/2024"),
        (date(2024, 2, 9), "en", "day", "09/02/2024"),
        (date(1990, 5, 1), "vi", "month", "05/1990"),
        (date(1990, 5, 1), "en", "month", "05/1990"),
        (date(1990, 1, 1), "vi", "year", "1990"),
        (date(1990, 1, 1), "en", "year", "1990"),
    ],
)
def test_dates(d, lang, precision, expected):
    assert fmt_date(d, lang, precision=precision) == expected


def test_a_missing_date():
    assert fmt_date(None) == ""
    assert fmt_date(None, "en", missing="…") == "…"


def test_numbers_with_vietnamese_and_english_separators():
    assert fmt_int(1000001) == "1.000.001"
    assert fmt_int(1000001, "en") == "1,000,001"
    assert fmt_int(999) == "999"
    assert fmt_int(None) == ""
    assert fmt_decimal(1234.56) == "1.234,6"
    assert fmt_decimal(1234.56, 2, "en") == "1,234.56"
    assert fmt_number(0, "int") == "-"
    assert fmt_number(12345, "int") == "12.345"
    assert fmt_number(12.34, "percent") == "12,3"
    assert fmt_number(12.34, "percent", "en") == "12.3"
    assert fmt_number(None, "int") == ""


@pytest.mark.parametrize(
    ("index", "letters"),
    [
        (0, "A"),
        (25, "Z"),
        (26, "AA"),
        (27, "AB"),
        (51, "AZ"),
        (52, "BA"),
        (701, "ZZ"),
        (702, "AAA"),
        (16383, "XFD"),
    ],
)
def test_excel_column_letters(index, letters):
    assert column_letter(index) == letters


def test_the_language_switch():
    assert lang_of("en-us") == "en" and lang_of("en") == "en"
    assert lang_of("vi") == "vi" and lang_of(None) == "vi" and lang_of("fr") == "vi"
    assert tr("vi", "đạt", "met") == "đạt" and tr("en", "đạt", "met") == "met"
    assert ("Đạt", "Met")[lang_index("en")] == "Met" and ("Đạt", "Met")[lang_index("vi")] == "Đạt"
