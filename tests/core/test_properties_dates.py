"""Property tests of the import's date reader (canbo.core.importing.rows.parse_date).

Every accepted spelling of a valid date reads back to that date, with day precision; a day that
does not exist is refused, never rolled over into the next month; and no input, text or number,
makes the reader raise: it returns a date or a reason.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from canbo.core.importing.rows import parse_date

TODAY = date(2026, 11, 27)
EXCEL_EPOCH = date(1899, 12, 30)  # Excel's day 0 (its 1900 leap-year bug makes day 60 the 29/02/1900)

PROPERTY = settings(max_examples=200, deadline=None)

dates = st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31))


def _spellings(d: date) -> list[str]:
    dd, mm, yyyy = f"{d.day:02d}", f"{d.month:02d}", f"{d.year:04d}"
    return [
        f"{dd}/{mm}/{yyyy}",
        f"{d.day}/{d.month}/{yyyy}",
        f"{dd}-{mm}-{yyyy}",
        f"{dd}.{mm}.{yyyy}",
        f"{dd} / {mm} / {yyyy}",
        f"  {dd}/{mm}/{yyyy}  ",
        f"'{dd}/{mm}/{yyyy}",  # a text cell forced with an apostrophe
        f"{dd}/{mm}/{yyyy} 00:00:00",
        f"{dd}/{mm}/{yyyy} 7:30",
        f"{yyyy}-{mm}-{dd}",
        f"{yyyy}/{d.month}/{d.day}",
        f"{yyyy}.{mm}.{dd}",
        f"{yyyy}-{mm}-{dd} 00:00:00",
        f"ngày {d.day} tháng {d.month} năm {yyyy}",
        f"Ngày {dd} tháng {mm} năm {yyyy}",
        f"ngay {d.day} thang {d.month} nam {yyyy}",
        f"{d.day} tháng {d.month} {yyyy}",
    ]


@PROPERTY
@given(dates, st.data())
@example(date(2000, 2, 29), None)
@example(date(1900, 1, 1), None)
@example(date(2024, 12, 31), None)
def test_every_accepted_spelling_reads_back_to_the_date(d, data):
    for text in _spellings(d):
        got = parse_date(text, TODAY)
        assert (got.value, got.precision) == (d, "day"), text
    if data is not None:  # a random upper/lower-case mix of the worded spelling
        worded = f"ngày {d.day} tháng {d.month} năm {d.year}"
        mixed = "".join(c.upper() if data.draw(st.booleans()) else c for c in worded)
        got = parse_date(mixed, TODAY)
        assert (got.value, got.precision) == (d, "day"), mixed


@PROPERTY
@given(dates)
def test_date_and_datetime_cells_read_back(d):
    assert (parse_date(d, TODAY).value, parse_date(d, TODAY).precision) == (d, "day")
    moment = datetime(d.year, d.month, d.day, 13, 45)
    assert (parse_date(moment, TODAY).value, parse_date(moment, TODAY).precision) == (d, "day")


@PROPERTY
@given(st.dates(min_value=date(1927, 5, 19), max_value=date(9999, 12, 31)), st.floats(0, 0.999))
def test_excel_serial_numbers_read_back(d, time_of_day):
    # Serials 1000–9999 (1902-09-26 … 1927-05-18) are read as years: a number cell "1980" is a
    # year far more often than a date in 1905 (see the next test). Later serials are dates.
    serial = (d - EXCEL_EPOCH).days
    assert serial >= 10_000
    got = parse_date(serial, TODAY)
    assert (got.value, got.precision) == (d, "day")
    got = parse_date(float(serial), TODAY)
    assert (got.value, got.precision) == (d, "day")
    got = parse_date(serial + time_of_day, TODAY)  # a serial with a time of day keeps its day
    assert (got.value, got.precision) == (d, "day")


@PROPERTY
@given(st.integers(1900, 9999))
def test_a_four_digit_number_or_text_is_a_year(year):
    for value in (year, float(year), str(year), f"{year}.000", f"năm {year}", f"Năm {year}"):
        got = parse_date(value, TODAY)
        assert (got.value, got.precision) == (date(year, 1, 1), "year"), value


@pytest.mark.parametrize("text", ["1980.0", "1980.00"])
def test_a_year_typed_with_a_decimal_zero_is_a_year(text):
    # Found by test_a_four_digit_number_or_text_is_a_year: the text "1980.0" (a number cell
    # pasted as text) was read by _YM before _Y, whose pattern allows the ".0", and refused as
    # "no such day" instead of read as the year 1980. Fixed: _Y is tried first.
    got = parse_date(text, TODAY)
    assert (got.value, got.precision) == (date(1980, 1, 1), "year")


@PROPERTY
@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31)))
def test_month_precision_spellings(d):
    first = date(d.year, d.month, 1)
    for text in (
        f"{d.month:02d}/{d.year}",
        f"{d.month}-{d.year}",
        f"{d.year}-{d.month:02d}",
        f"00/{d.month:02d}/{d.year}",
        f"tháng {d.month} năm {d.year}",
        f"Tháng {d.month}/{d.year}",
    ):
        got = parse_date(text, TODAY)
        assert (got.value, got.precision) == (first, "month"), text
    got = parse_date(f"00/00/{d.year}", TODAY)
    assert (got.value, got.precision) == (date(d.year, 1, 1), "year")


@PROPERTY
@given(st.dates(min_value=date(TODAY.year - 99, 1, 1), max_value=TODAY))
def test_two_digit_years_read_within_the_last_hundred_years(d):
    # "05/09/80" is 1980 and "05/09/05" is 2005: the two-digit year is the latest year ending so
    # that is not after this year.
    text = f"{d.day:02d}/{d.month:02d}/{d.year % 100:02d}"
    got = parse_date(text, TODAY)
    assert (got.value, got.precision) == (d, "day"), text


@PROPERTY
@given(st.integers(1900, 2099), st.integers(1, 12), st.integers(1, 31))
def test_a_day_that_does_not_exist_is_refused_not_rolled_over(year, month, day):
    try:
        real = date(year, month, day)
    except ValueError:
        real = None
    for text in (
        f"{day:02d}/{month:02d}/{year}",
        f"{year}-{month:02d}-{day:02d}",
        f"ngày {day} tháng {month} năm {year}",
    ):
        got = parse_date(text, TODAY)
        if real is None:
            assert (
                got.value is None and got.error_vi == "không có ngày này" and got.error_en == "no such day"
            ), text
        else:
            assert got.value == real, text


def _answers(got) -> None:
    """A value, or a reason in both languages: never neither."""
    if got.value is None:
        assert got.error_vi and got.error_en
    else:
        assert isinstance(got.value, date) and not got.error_vi and got.precision in ("day", "month", "year")


@PROPERTY
@given(st.text())
def test_arbitrary_text_never_crashes(text):
    _answers(parse_date(text, TODAY))


_date_like = st.lists(
    st.one_of(
        st.integers(0, 3000).map(str),
        st.sampled_from(
            ["/", "-", ".", " ", ":", "ngày", "tháng", "năm", "00", "'", "\u00a0", "T", "h", "Z"]
        ),
    ),
    max_size=12,
).map("".join)


@PROPERTY
@given(_date_like)
def test_date_like_text_never_crashes(text):
    _answers(parse_date(text, TODAY))


@PROPERTY
@given(
    st.one_of(
        st.integers(),
        st.floats(allow_nan=True, allow_infinity=True),
        st.booleans(),
        st.none(),
        st.times(),
        st.decimals(allow_nan=False),
    )
)
def test_arbitrary_cell_values_never_crash(value):
    _answers(parse_date(value, TODAY))


def test_serial_boundaries():
    # The first serial read as a date and the last: 367 is 01/01/1901, 2958465 is 31/12/9999.
    assert parse_date(367, TODAY).value == date(1901, 1, 1)
    assert parse_date(2958465, TODAY).value == date(9999, 12, 31)
    assert parse_date(2958466, TODAY).value is None
