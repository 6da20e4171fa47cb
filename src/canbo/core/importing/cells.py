"""Cell parsing for the list reader: what one cell of a commune list says, cell by cell.

Dates as lists write them (:func:`parse_date`: date cells, Excel serial numbers, a year typed as
a number or as "1980.0" pasted from a number cell, dd/mm/yyyy with any separator and two-digit
years, month/year, "00/00/1975" for an unknown day and month, "ngày 5 tháng 9 năm 1980"), each
with its precision (day, month, year) or the reason it cannot be read; :func:`format_date`
writes one back in Vietnamese (:func:`canbo.core.formatting.fmt_date`). Marks ("x", "✓", "1",
"có", True; "không", "0", "-"), the Party cell's words ("Đảng viên", "dự bị", "chính thức",
"không phải", "quần chúng") and its two-date form ("DB: 2005, CT: 2006"), sex words, "no
religion" words, names typed in capitals, and a qualification cell that Excel turned into a date
("9/12" → 9 December). :func:`_key` is the folded, punctuation-free form the look-ups compare.

These serve issue 9 §2 (every column a list carries is kept: the Party marks "x", "✓", "có",
"Đảng viên" or a date are read) and §4 (what Excel did to a cell is undone when it is certain).
The row reader (:mod:`.rows`) calls them and reports each problem with its cell.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache

from canbo.core.formatting import fmt_date
from canbo.core.text import fold

from .layout import cell_text

_EXCEL_EPOCH = date(1899, 12, 30)

_D = r"\s*[/\-.]\s*"
_TIME = r"(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?"
_DMY = re.compile(rf"^(\d{{1,2}}){_D}(\d{{1,2}}){_D}(\d{{4}}|\d{{2}}){_TIME}$")
_YMD = re.compile(rf"^(\d{{4}}){_D}(\d{{1,2}}){_D}(\d{{1,2}}){_TIME}$")
_MY = re.compile(rf"^(\d{{1,2}}){_D}(\d{{4}})$")
_YM = re.compile(rf"^(\d{{4}}){_D}(\d{{1,2}})$")
_Y = re.compile(r"^(\d{4})(?:\.0+)?$")
_WORDS = re.compile(r"^(?:ngay\s*)?(\d{1,2})\s*thang\s*(\d{1,2})\s*(?:nam\s*)?(\d{4})$")
_MONTH_WORDS = re.compile(r"^thang\s*(\d{1,2})\s*(?:nam\s*|/\s*)?(\d{4})$")
_YEAR_WORDS = re.compile(r"^nam\s*(\d{4})$")

_MARK_YES = frozenset({"x", "1", "✓", "✔", "√", "v", "co", "yes", "+", "*", "dang vien", "dv", "x x"})
_MARK_NO = frozenset({"0", "khong", "k", "-", "no", "chua", "--", "ko", "none"})
#: Dates in a Party cell holding two ("19/05/2005 - 19/05/2006", "DB: 2005, CT: 2006").
_DATE_TOKEN = re.compile(
    r"\d{1,2}\s*[/.\-]\s*\d{1,2}\s*[/.\-]\s*\d{4}|\d{1,2}\s*[/.\-]\s*\d{4}|(?<!\d)\d{4}(?!\d)"
)
_PAIR_WORDS = frozenset({"du", "bi", "chinh", "thuc", "ct", "db", "ngay", "vao", "dang", "va", "nam"})
_PARTY_NO = frozenset(
    {"khong phai", "khong phai dang vien", "chua vao dang", "chua la dang vien", "chua ket nap", "quan chung"}
)
_PARTY_YES = _MARK_YES | {
    "du bi",
    "chinh thuc",
    "dang vien du bi",
    "dang vien chinh thuc",
    "la dang vien",
    "dang",
}
_SEX = {
    "nam": "male",
    "nu": "female",
    "nam gioi": "male",
    "nu gioi": "female",
    "male": "male",
    "female": "female",
}
_SEX_VI = {"male": "Nam", "female": "Nữ"}
_RELIGION_NONE = frozenset({"khong", "k", "ko", "0", "-", "khong co", "khong theo", "khong ton giao"})
_PUNCT = re.compile(r"[\s.,;:()\[\]\-–—/\\\"“”'’]+")


@lru_cache(maxsize=65536)
def _key(text: str) -> str:
    """Folded, punctuation as single spaces (cached: the same texts recur row after row)."""
    return _PUNCT.sub(" ", fold(text)).strip()


def format_date(d: date | None, precision: str = "day") -> str:
    """``d`` as written in Vietnamese, to its precision (:func:`canbo.core.formatting.fmt_date`)."""
    return fmt_date(d, precision=precision)


@dataclass(frozen=True)
class ParsedDate:
    value: date | None
    precision: str = "day"
    error_vi: str = ""
    error_en: str = ""


_UNREADABLE = ParsedDate(None, "day", "không đọc được", "cannot be read")
_NO_SUCH_DAY = ParsedDate(None, "day", "không có ngày này", "no such day")
_BEFORE_1900 = ParsedDate(None, "day", "năm trước 1900", "year before 1900")


def _ymd(y: int, m: int, d: int, precision: str = "day") -> ParsedDate:
    if y < 1900:
        return _BEFORE_1900
    try:
        return ParsedDate(date(y, m, d), precision)
    except ValueError:
        return _NO_SUCH_DAY


def _year(y: int, today: date) -> int:
    """A two-digit year: 19yy, or 20yy when that is not after this year."""
    return 2000 + y if 2000 + y <= today.year else 1900 + y


_date_cache: dict[tuple[str, int], ParsedDate] = {}


#: Readings of date, datetime, int and float cells (which do not depend on today), by value.
_value_cache: dict[object, ParsedDate] = {}


def parse_date(value: object, today: date) -> ParsedDate:
    """A date cell or text → :class:`ParsedDate` (value and precision, or why not)."""
    cls = value.__class__
    if cls is str:
        return _parse_text(value, today)
    if cls is date or cls is datetime or cls is int or cls is float:
        # The same birth dates and years recur row after row. (Equal keys give equal readings:
        # 1980 and 1980.0 are the same year; a date never equals a datetime; bool is not cached.)
        found = _value_cache.get(value)
        if found is None:
            found = _parse_value(value)
            assert found is not None  # a date or a number always has a reading
            if len(_value_cache) < 200_000:
                _value_cache[value] = found
        return found
    return _parse_value(value) or _parse_text(value, today)


def _parse_value(value: object) -> ParsedDate | None:
    """A cell that is not text: a date, an Excel serial number or a year; None for others
    (read as their text)."""
    if isinstance(value, datetime):
        return _ymd(value.year, value.month, value.day)
    if isinstance(value, date):
        return _ymd(value.year, value.month, value.day)
    if isinstance(value, (bool, time)):
        return _UNREADABLE
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not value.is_integer():
            if 367 <= value <= 2958465:  # a serial with a time of day
                value = int(value)
            else:
                return _UNREADABLE
        n = int(value)
        if 1000 <= n <= 9999:
            return _ymd(n, 1, 1, "year")
        if 367 <= n <= 2958465:  # an Excel serial day number (general-format date cell)
            d = _EXCEL_EPOCH + timedelta(days=n)
            return _ymd(d.year, d.month, d.day)
        if 0 <= n < 1000:
            return ParsedDate(None, "day", "không phải là ngày", "not a date")
        return _UNREADABLE
    return None


def _parse_text(value: object, today: date) -> ParsedDate:
    text = cell_text(value)
    key = (text, today.year)
    found = _date_cache.get(key)
    if found is None:
        found = _parse_date_text(text, today)
        if len(_date_cache) < 200_000:
            _date_cache[key] = found
    return found


def _parse_date_text(text: str, today: date) -> ParsedDate:
    t = text.strip().strip("'").strip()
    if m := _DMY.match(t):
        d, mo, y = int(m.group(1)), int(m.group(2)), m.group(3)
        year = int(y) if len(y) == 4 else _year(int(y), today)
        # Lists write an unknown day or month as 00: "00/00/1975" is a year, "00/05/1975" a month.
        if d == 0 and mo == 0:
            return _ymd(year, 1, 1, "year")
        if d == 0 and 1 <= mo <= 12:
            return _ymd(year, mo, 1, "month")
        return _ymd(year, mo, d)
    if m := _YMD.match(t):
        return _ymd(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    if m := _MY.match(t):
        return _ymd(int(m.group(2)), int(m.group(1)), 1, "month")
    if m := _Y.match(t):  # before _YM: "1980.0" (a number cell pasted as text) is a year, not month 0
        return _ymd(int(m.group(1)), 1, 1, "year")
    if m := _YM.match(t):
        return _ymd(int(m.group(1)), int(m.group(2)), 1, "month")
    f = _key(t)
    if m := _WORDS.match(f):
        return _ymd(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    if m := _MONTH_WORDS.match(f):
        return _ymd(int(m.group(2)), int(m.group(1)), 1, "month")
    if m := _YEAR_WORDS.match(f):
        return _ymd(int(m.group(1)), 1, 1, "year")
    return _UNREADABLE


def _is_empty(v: object) -> bool:
    return v is None or v == "" or (isinstance(v, str) and not v.strip())


def _is_mark(v: object) -> bool | None:
    """True for a tick ("x", "1", "✓", True), False for an explicit no, None for blank;
    any other text counts as a tick (something was written in the column)."""
    if _is_empty(v):
        return None
    if isinstance(v, bool):
        return v
    if isinstance(v, (int, float)):
        return v != 0
    return _key(cell_text(v)) not in _MARK_NO


def _capitalise(word: str) -> str:
    return "-".join(p[:1].upper() + p[1:].lower() for p in word.split("-"))


def _clean_name(text: str) -> str:
    s = " ".join(text.split())
    if s.isupper():
        s = " ".join(_capitalise(w) for w in s.split())
    return s


def _qual_text(field: str, value: object) -> str:
    """The text of a qualification cell; "9/12" typed into Excel may have become a date."""
    if field == "general_education" and isinstance(value, (date, datetime)):
        d, m = value.day, value.month
        if m in (10, 12) and d <= m:
            return f"{d}/{m}"
        if d in (10, 12) and m <= d:
            return f"{m}/{d}"
    return cell_text(value)
