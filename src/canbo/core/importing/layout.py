"""Find the header of a cadre list and say which column holds what.

Real lists are printed forms, not tables (REPORTS.md §1, §3): a title block above the header
(issuing body, "DANH SÁCH CÁN BỘ, CÔNG CHỨC XÃ…", "Tính đến ngày 31/12/2024"); a header of one
to four rows with merged group cells ("Ngày, tháng, năm sinh" over "Nam" | "Nữ", "Trình độ" over
"Văn hóa" | "Chuyên môn" | "LLCT"…, "Họ và tên" merged down over two rows); a row numbering the
columns ("1", "2", … or "A", "B", "1", "2"…); then the people, with group rows, a totals row and
a signature block. This module finds the header in the first rows, labels each column
"parent / child" (a merged parent is repeated over its range: from the workbook's merged
ranges, or by filling rightwards while the sub-header row has values) and matches the labels
to fields by name — without diacritics, case, punctuation or line breaks.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time

from canbo.core.formatting import column_letter
from canbo.core.scales import Dimension

from .directory import norm

__all__ = [
    "NAME_FIELDS",
    "QUALIFICATION_FIELDS",
    "Column",
    "Layout",
    "cell_text",
    "column_letter",
    "find_layout",
    "is_numbering_row",
]

#: Rows searched for the header.
SCAN_ROWS = 30
#: At most this many rows in one header block.
MAX_HEADER_ROWS = 4

NAME_FIELDS = ("full_name", "family_name", "family_middle", "middle_name", "given_name")

#: Qualification column field → the dimension hint given to the reader.
QUALIFICATION_FIELDS: dict[str, Dimension] = {
    "general_education": Dimension.GENERAL_EDUCATION,
    "professional": Dimension.PROFESSIONAL,
    "political_theory": Dimension.POLITICAL_THEORY,
    "state_management": Dimension.STATE_MANAGEMENT,
    "it": Dimension.IT,
    "foreign_language": Dimension.FOREIGN_LANGUAGE,
    "ethnic_language": Dimension.ETHNIC_LANGUAGE,
}
#: Fields that may appear in several columns (each is read).
REPEATABLE = frozenset(QUALIFICATION_FIELDS) | {"notes"}

#: Vietnamese names of the fields, for messages (what was expected, what was found).
FIELD_LABELS: dict[str, str] = {
    "stt": "STT",
    "full_name": "Họ và tên",
    "family_name": "Họ",
    "family_middle": "Họ và tên đệm",
    "middle_name": "Tên đệm",
    "given_name": "Tên",
    "birth_date": "Ngày sinh",
    "birth_date_male": "Ngày sinh (Nam)",
    "birth_date_female": "Ngày sinh (Nữ)",
    "birth_day": "Ngày sinh (ngày)",
    "birth_month": "Ngày sinh (tháng)",
    "birth_year": "Ngày sinh (năm)",
    "sex": "Giới tính",
    "sex_male": "Giới tính (Nam)",
    "sex_female": "Giới tính (Nữ)",
    "identity_number": "Số định danh cá nhân",
    "ethnicity": "Dân tộc",
    "religion": "Tôn giáo",
    "home_town": "Quê quán",
    "party": "Đảng viên",
    "party_joined_on": "Ngày vào Đảng",
    "party_official_on": "Ngày chính thức vào Đảng",
    "unit": "Đơn vị (xã)",
    "title": "Chức danh",
    "post_start": "Ngày bắt đầu giữ chức danh",
    "general_education": "Trình độ văn hóa",
    "professional": "Trình độ chuyên môn",
    "major": "Chuyên ngành",
    "political_theory": "Lý luận chính trị",
    "state_management": "Quản lý nhà nước",
    "it": "Tin học",
    "foreign_language": "Ngoại ngữ",
    "ethnic_language": "Tiếng dân tộc",
    "notes": "Ghi chú",
}

# Ordered: the first rule whose pattern is found in the normalised label wins, so specific
# rules come before general ones ("Thời gian giữ chức vụ" is a date, not the title).
_RULES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern))
    for name, pattern in (
        ("stt", r"^(stt|tt|so tt|so thu tu|thu tu|s tt)$"),
        ("family_middle", r"^(ho (va )?(ten |chu )?(dem|lot)|ho dem|ho lot)$"),
        ("full_name", r"\bho (va |chu dem va |chu lot va |, )?ten\b|^ho ten|^ten can bo|^ho va ten"),
        ("family_name", r"^ho$"),
        ("middle_name", r"^(ten dem|chu dem|dem|ten lot|chu lot)$"),
        ("given_name", r"^(ten|ten goi|ten rieng)$"),
        ("identity_number", r"dinh danh|cccd|cmnd|can cuoc|chung minh|\bcmt\b|\bso dd\b|\bddcn\b"),
        ("party_official_on", r"\bchinh thuc\b.*\bdang\b|\bdang\b.*\bchinh thuc\b|^ngay chinh thuc"
                              r"|\bdang vien chinh thuc\b"),
        ("party_joined_on", r"vao dang|ket nap|\bvao dcs"),
        ("party", r"^(la )?dang vien|^dang$|^dv$|\bdang vien\b"),
        ("post_start", r"ngay (duoc )?(bo nhiem|bau|tuyen dung|bat dau|nhan (chuc|nhiem vu))"
                       r"|thoi gian (giu|bat dau|bo nhiem|dam nhiem|dam nhan|cong tac tai chuc)"
                       r"|thoi diem bat dau|bat dau giu|(nam|thang nam) (bo nhiem|bau|tuyen dung)"
                       r"|ngay giu chuc|giu chuc (vu|danh) tu|bo nhiem ngay|ngay vao co quan"
                       r"|tuyen dung ngay|^ngay bo nhiem"),
        ("birth_date", r"ngay thang nam sinh|ngay sinh|nam sinh|sinh ngay|ngay thang sinh|thang nam sinh"),
        ("sex", r"^gioi( tinh)?$|gioi tinh|^phai$"),
        ("ethnic_language", r"tieng dan toc|tieng dtts|tieng thieu so"),
        ("ethnicity", r"\bdan toc\b|^dt$"),
        ("religion", r"ton giao"),
        ("home_town", r"que quan|nguyen quan"),
        ("title", r"chuc vu|chuc danh|vi tri viec lam|^cv$"),
        ("unit", r"^(don vi|xa|ten xa|don vi cong tac|ten don vi|co quan don vi|noi cong tac"
                 r"|don vi hanh chinh|co quan cong tac|don vi xa|don vi cap xa|ten don vi hanh chinh"
                 r"|xa phuong( thi tran| dac khu)?|xa thi tran|phuong xa|xa phuong thi tran dac khu)$"
                 r"|^don vi\b|^ten xa\b|^xa phuong"),
        ("it", r"tin hoc|\bcntt\b|cong nghe thong tin"),
        ("foreign_language", r"ngoai ngu|tieng anh"),
        ("state_management", r"quan ly nha nuoc|\bqlnn\b|ql nha nuoc|\bqlhcnn\b|quan ly hanh chinh nha nuoc"),
        ("political_theory", r"ly luan|\bllct\b|chinh tri|\bll ct\b"),
        ("major", r"chuyen nganh|nganh dao tao|nganh hoc|^nganh$"),
        ("general_education", r"van hoa|giao duc pho thong|pho thong|\bgdpt\b|hoc van|^vh$"),
        ("professional", r"chuyen mon|\bcmnv\b|trinh do dao tao|^cm$|^dao tao$|\bbang cap\b"),
        ("notes", r"ghi chu"),
    )
)  # fmt: skip

# Sub-headers that mean something only under their parent.
_SEX_WORDS = {"nam": "male", "nu": "female", "nam gioi": "male", "nu gioi": "female"}
_DATE_PART_WORDS = {"ngay": "birth_day", "thang": "birth_month"}
_HEADER_WORDS = {"nam", "nu", "ngay", "thang", "chinh thuc", "du bi", "trinh do", "khac"}

_NUMBERING_TOKEN = re.compile(
    r"^\(?\s*(\d{1,3}|[a-z]|[ivxl]{1,5})\s*\)?\.?$|^\d{1,3}\s*[=+\-*]\s*[\d\s+\-*=()]+$"
)


def cell_text(value: object) -> str:
    """A cell as the text a person would read in it."""
    if value.__class__ is str:
        if not value:
            return ""
        if value.isprintable() and "  " not in value and value[0] != " " and value[-1] != " ":
            # Already as read: the only whitespace a printable text can hold is the plain space
            # (tabs, line breaks, no-break and zero-width spaces, BOMs are not printable).
            return value
        text = " ".join(value.split())
        if "\u200b" in text or "\ufeff" in text:
            text = " ".join(text.replace("\u200b", "").replace("\ufeff", "").split())
        return text
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        return " ".join(value.replace("\u200b", "").replace("\ufeff", "").split())
    if isinstance(value, bool):
        return "x" if value else ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y") if value.time() == time(0) else value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, time):
        return value.strftime("%H:%M")
    return str(value).strip()


@dataclass(frozen=True)
class Column:
    """A recognised column: 0-based ``index``, Excel ``letter``, ``field`` and its header label."""

    index: int
    letter: str
    field: str
    header: str

    def describe(self) -> str:
        return f"{self.letter} ({self.header})"


@dataclass
class Layout:
    """Where the list is in its sheet: header rows (0-based), first data row, columns by field."""

    header_rows: tuple[int, ...]
    data_start: int
    columns: dict[str, Column]
    repeated: dict[str, list[Column]] = field(default_factory=dict)
    ignored: list[Column] = field(default_factory=list)
    labels: dict[int, str] = field(default_factory=dict)

    def has(self, name: str) -> bool:
        return name in self.columns

    @property
    def name_column(self) -> Column | None:
        for f in ("full_name", "family_middle", "family_name", "given_name"):
            if f in self.columns:
                return self.columns[f]
        return None

    def all_columns(self) -> list[Column]:
        out = list(self.columns.values())
        for cols in self.repeated.values():
            out.extend(cols[1:])
        return sorted(out, key=lambda c: c.index)

    def describe(self) -> dict[str, str]:
        """field → "D (Ngày sinh / Nam)", repeated fields as "field#2"…"""
        out: dict[str, str] = {}
        for c in self.all_columns():
            key = c.field
            n = 2
            while key in out:
                key = f"{c.field}#{n}"
                n += 1
            out[key] = c.describe()
        return out


# --------------------------------------------------------------------------- label matching


def match_label(label: str) -> str | None:
    """The field a single header label names, or None."""
    n = norm(label)
    if not n:
        return None
    for name, pattern in _RULES:
        if pattern.search(n):
            return name
    return None


def _match_column(parts: Sequence[str], date_parts: bool = False) -> str | None:
    """The field of a column whose header parts (top → bottom) are ``parts``."""
    if not parts:
        return None
    child = parts[-1]
    child_n = norm(child)
    ancestors = [match_label(p) for p in parts[:-1]]
    if len(parts) > 1:
        raw = child.strip().lower()
        if "birth_date" in ancestors:
            if raw.startswith("năm") or (child_n == "nam" and date_parts):
                return "birth_year"
            if child_n in _DATE_PART_WORDS:
                return _DATE_PART_WORDS[child_n]
        if child_n in _SEX_WORDS:
            sex = _SEX_WORDS[child_n]
            if "birth_date" in ancestors:
                return f"birth_date_{sex}"
            if all(a in (None, "sex") for a in ancestors):
                return f"sex_{sex}"
            return None
        if "party_joined_on" in ancestors or "party" in ancestors:
            if child_n == "chinh thuc":
                return "party_official_on"
            if child_n in ("du bi", "ngay", "ngay vao"):
                return "party_joined_on"
    else:
        if child_n in _SEX_WORDS:
            return f"sex_{_SEX_WORDS[child_n]}"
    found = match_label(child)
    if found is not None and found != "stt":
        return found
    if found == "stt" and len(parts) == 1:
        return found
    # the child alone says nothing ("Trình độ", "Khác"): read it with its parents
    for k in range(len(parts) - 2, -1, -1):
        found = match_label(" ".join(parts[k:]))
        if found is not None:
            return found
    return None


# --------------------------------------------------------------------------- the header


def is_numbering_row(texts: Sequence[str], minimum: int = 3) -> bool:
    """A row numbering the columns: "1", "2", "3"… or "A", "B", "(1)", "5=6+7"."""
    filled = [t for t in texts if t]
    if len(filled) < minimum:
        return False
    return all(_NUMBERING_TOKEN.match(t.lower()) for t in filled)


def _recognised(fields: set[str]) -> bool:
    has_name = "full_name" in fields or "given_name" in fields
    others = fields - {"stt", *NAME_FIELDS}
    return has_name and len(others) >= 2


def find_layout(
    rows: Sequence[Sequence[object]],
    merged: Sequence[tuple[tuple[int, int], tuple[int, int]]] = (),
) -> Layout | None:
    """The layout of a sheet from its first rows (0-based absolute cells) and merged ranges."""
    head = [[cell_text(v) for v in row] for row in rows[: SCAN_ROWS + MAX_HEADER_ROWS + 1]]
    raw_types = [[isinstance(v, str) or v is None for v in row] for row in rows[: len(head)]]
    if not head:
        return None
    width = max((len(r) for r in head), default=0)
    for (r1, _c1), (_r2, c2) in merged:
        if r1 < len(head):
            width = max(width, c2 + 1)
    grid = [r + [""] * (width - len(r)) for r in head]
    is_text = [t + [True] * (width - len(t)) for t in raw_types]
    # fill merged ranges with their top-left value
    vmerge_end: dict[int, int] = {}  # top row → last row of vertical merges starting there
    merged_cells: set[tuple[int, int]] = set()
    for (r1, c1), (r2, c2) in merged:
        if r1 >= len(grid):
            continue
        value = grid[r1][c1]
        for r in range(r1, min(r2, len(grid) - 1) + 1):
            for c in range(c1, c2 + 1):
                grid[r][c] = value
                merged_cells.add((r, c))
        if r2 > r1 and value:
            vmerge_end[r1] = max(vmerge_end.get(r1, r1), r2)
    single = [[match_label(t) if t else None for t in row] for row in grid]

    for r in range(min(len(grid), SCAN_ROWS)):
        fields_here = {f for f in single[r] if f}
        if not (fields_here - {"stt"}):
            continue
        name_cols = [c for c, f in enumerate(single[r]) if f in NAME_FIELDS]
        end = min(vmerge_end.get(r, r), r + MAX_HEADER_ROWS - 1, len(grid) - 1)
        while (
            end + 1 < len(grid)
            and end - r < MAX_HEADER_ROWS - 1
            and _is_subheader(grid, is_text, end + 1, r, name_cols, merged_cells)
        ):
            end += 1
        layout = _label_block(grid, r, end, merged_cells)
        if layout is None:
            continue
        data_start = end + 1
        if data_start < len(grid) and is_numbering_row(grid[data_start]):
            data_start += 1
        layout.data_start = data_start
        return layout
    return None


def _is_subheader(
    grid: list[list[str]],
    is_text: list[list[bool]],
    k: int,
    top: int,
    name_cols: list[int],
    merged_cells: set[tuple[int, int]],
) -> bool:
    row = grid[k]
    if not any(row) or is_numbering_row(row):
        return False
    for c in name_cols:
        if row[c] and row[c] != grid[top][c]:
            return False  # a name under the name header: a person, not a header
    if not all(is_text[k][c] for c, t in enumerate(row) if t and (k, c) not in merged_cells):
        return False  # dates and numbers are data
    if any((k, c) in merged_cells and grid[k - 1][c] == t for c, t in enumerate(row) if t):
        return True  # a header cell merged down into this row
    for t in row:
        if not t:
            continue
        n = norm(t)
        if n in _SEX_WORDS or n in _HEADER_WORDS or match_label(t):
            return True
    return False


def _label_block(
    grid: list[list[str]], top: int, end: int, merged_cells: set[tuple[int, int]]
) -> Layout | None:
    width = len(grid[top])
    block = [list(grid[r]) for r in range(top, end + 1)]
    # Without merged ranges a group header sits in its first column only: carry it rightwards
    # while the row below has sub-headers.
    for i in range(len(block) - 1):
        below = block[i + 1]
        for c in range(1, width):
            if (
                not block[i][c]
                and below[c]
                and block[i][c - 1]
                and below[c - 1]
                and (top + i, c) not in merged_cells
                and block[i][c - 1] != below[c - 1]
            ):
                block[i][c] = block[i][c - 1]
    labels: dict[int, list[str]] = {}
    for c in range(width):
        parts: list[str] = []
        for row in block:
            t = row[c]
            if t and (not parts or parts[-1] != t):
                parts.append(t)
        if parts:
            labels[c] = parts
    # "Ngày | Tháng | Năm" under a birth-date group?
    children = {norm(p[-1]) for p in labels.values() if len(p) > 1 and match_label(p[0]) == "birth_date"}
    date_parts = "thang" in children
    columns: dict[str, Column] = {}
    repeated: dict[str, list[Column]] = {}
    ignored: list[Column] = []
    for c, parts in sorted(labels.items()):
        f = _match_column(parts, date_parts)
        col = Column(c, column_letter(c), f or "", " / ".join(parts))
        if f is None:
            ignored.append(col)
        elif f not in columns:
            columns[f] = col
            if f in REPEATABLE:
                repeated[f] = [col]
        elif f in REPEATABLE:
            repeated[f].append(col)
        else:
            ignored.append(col)
    fields = set(columns)
    if "birth_date_male" in fields or "birth_date_female" in fields or "birth_year" in fields:
        fields.add("birth_date")
    if "family_middle" in fields and "given_name" in fields:
        fields.add("full_name")
    if not _recognised(fields):
        return None
    return Layout(
        header_rows=tuple(range(top, end + 1)),
        data_start=end + 1,
        columns=columns,
        repeated=dict(repeated),
        ignored=ignored,
        labels={c: " / ".join(p) for c, p in labels.items()},
    )
