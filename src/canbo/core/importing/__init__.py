"""Read a list of commune cadres and civil servants from an Excel workbook (.xlsx, .xls).

The pure half of an import (DESIGN.md principles 1 and 6): :func:`read_list` opens the file
behind its guards (:mod:`.workbook`), picks the sheet and finds its header (:mod:`.layout`),
reads and validates every row (:mod:`.rows`) against the communes and titles of the
:class:`~.model.ImportContext` (:mod:`.directory`) and returns an :class:`~.model.ImportPlan`:
the people as read and every problem, by sheet, row and column. Nothing is stored here; the
Django adapter (:mod:`canbo.imports`) commits a plan without errors, all or nothing.

:func:`write_template` (:mod:`.template`) writes the blank list in canbo's canonical layout,
which :func:`read_list` reads back.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice
from pathlib import Path
from typing import BinaryIO

from canbo.core.text import fold

from .directory import EthnicityIndex, TitleIndex, UnitIndex
from .layout import FIELD_LABELS, MAX_HEADER_ROWS, SCAN_ROWS, Layout, find_layout
from .model import (
    ImportContext,
    ImportPlan,
    ImportRefused,
    PersonRow,
    Problem,
    QualificationRow,
    TitleRef,
    UnitRef,
)
from .rows import RowReader
from .template import write_template
from .workbook import (
    HEADER_ALLOWANCE,
    OpenWorkbook,
    WorkbookFile,
    inspect_file,
    open_workbook,
    refuse,
    too_many_rows,
)

__all__ = [
    "ImportContext",
    "ImportPlan",
    "ImportRefused",
    "PersonRow",
    "Problem",
    "QualificationRow",
    "TitleRef",
    "UnitRef",
    "WorkbookFile",
    "inspect_file",
    "read_list",
    "write_template",
]

_EXPECTED_VI = "“Họ và tên”, “Ngày sinh”, “Giới tính”, “Đơn vị (xã)”, “Chức danh”, “Số định danh cá nhân”…"
_EXPECTED_EN = "“Họ và tên” (name), “Ngày sinh” (birth date), “Giới tính” (sex), “Đơn vị” (unit), “Chức danh” (title)…"


#: Sheets named like this are instructions or catalogues, passed over without a warning.
_NOT_LISTS = ("huong dan", "danh muc", "chu thich", "instruction")


def _quote(names: list[str]) -> str:
    return ", ".join(f"“{n}”" for n in names)


def _rows_of(head: list[list], rest: Iterator[list], start: int) -> Iterator[tuple[int, list]]:
    """(Excel row number, cells) from 0-based row ``start`` on."""
    number = start
    for row in head[start:]:
        number += 1
        yield number, row
    for row in rest:
        number += 1
        yield number, row


def _has_data(rows: list[list]) -> bool:
    return any(v not in ("", None) for row in rows for v in row)


def _missing_columns(layout: Layout) -> list[str]:
    """Required fields without a column (the unit is checked after the rows: group rows may
    name it)."""
    cols = layout.columns
    missing = []
    if not any(f in cols for f in ("birth_date", "birth_date_male", "birth_date_female", "birth_year")):
        missing.append("birth_date")
    if "title" not in cols:
        missing.append("title")
    return missing


def _missing_column_error(layout: Layout, sheet: str, missing: list[str]) -> ImportRefused:
    rows = ", ".join(str(r + 1) for r in layout.header_rows)
    found = "; ".join(f"{c.letter} ({c.header}) → {FIELD_LABELS.get(c.field, c.field)}" for c in layout.all_columns())
    problems = []
    for f in missing:
        label = FIELD_LABELS[f]
        extra_vi = " (hoặc cột “Năm sinh”)" if f == "birth_date" else ""
        problems.append(
            Problem(
                "missing_column",
                f"Không tìm thấy cột “{label}”{extra_vi} trong dòng tiêu đề (dòng {rows}) của trang"
                f" “{sheet}”. Các cột đã nhận ra: {found}.",
                f"No “{label}” column in the header (row {rows}) of sheet “{sheet}”. Columns recognised:"
                f" {found}.",
                sheet=sheet,
                row=layout.header_rows[0] + 1,
                value=label,
            )
        )
    return ImportRefused(problems)


def read_list(
    source: str | Path | bytes | BinaryIO, context: ImportContext, *, filename: str = ""
) -> ImportPlan:
    """Read and validate a list of cadres and civil servants.

    ``source`` is a path, the file's bytes or a binary file object (an upload). Raises
    :class:`ImportRefused` when the file as a whole cannot be read (too large, encrypted,
    corrupt, too many rows, empty, no recognisable header, a required column missing); returns
    an :class:`ImportPlan` otherwise, whose rows carry their own problems."""
    wf = inspect_file(source, context, filename=filename)
    book = open_workbook(wf)
    try:
        return _read(book, context)
    finally:
        book.close()


def _read(book: OpenWorkbook, context: ImportContext) -> ImportPlan:
    """Read every visible sheet that holds a list (communes often keep cadres on one sheet and
    civil servants on another); sheets without a recognisable header (instructions, notes) are
    passed over and named in a warning when another sheet was read."""
    names = book.visible_sheets() or book.sheet_names()
    looked: list[str] = []
    empty: list[str] = []
    found: list[tuple] = []
    for name in names:
        sheet = book.sheet(name)
        rows = sheet.rows()
        head = list(islice(rows, SCAN_ROWS + MAX_HEADER_ROWS + 1))
        if sheet.height == 0 or (not _has_data(head) and sheet.height <= len(head)):
            empty.append(name)
            continue
        layout = find_layout(head, sheet.merged)
        if layout is None:
            looked.append(name)
            continue
        found.append((sheet, rows, head, layout))
    if not found:
        if empty and not looked:
            which_vi = f"trang {_quote(empty)} trống" if len(empty) == 1 else f"tất cả các trang ({_quote(empty)}) đều trống"
            which_en = f"sheet {_quote(empty)} is empty" if len(empty) == 1 else f"every sheet ({_quote(empty)}) is empty"
            raise refuse(
                "empty_sheet",
                f"Tệp không có dữ liệu: {which_vi}.",
                f"The file holds no data: {which_en}.",
                sheet=empty[0],
            )
        raise refuse(
            "no_header",
            f"Không tìm thấy dòng tiêu đề của danh sách trong {_quote(looked)} ({SCAN_ROWS} dòng đầu mỗi"
            f" trang). Cần một dòng tiêu đề có cột “Họ và tên” và ít nhất hai cột khác như {_EXPECTED_VI}"
            " Có thể tải mẫu danh sách của canbo để điền.",
            f"No list header found in {_quote(looked)} (first {SCAN_ROWS} rows of each sheet). A header"
            f" row needs a name column (“Họ và tên”) and at least two others such as {_EXPECTED_EN}"
            " The canbo template can be downloaded and filled in.",
            sheet=looked[0] if looked else None,
        )
    total = sum(max(sheet.height - layout.data_start, 0) for sheet, _rows, _head, layout in found)
    if total > context.max_rows + HEADER_ALLOWANCE * len(found):
        raise too_many_rows(found[0][0].name, total, context.max_rows, approximate=True)
    units, titles, ethnic = UnitIndex(context.units), TitleIndex(context.titles), EthnicityIndex()
    seen_ids: dict = {}
    people: list[PersonRow] = []
    problems: list[Problem] = []
    first_layout = None
    for sheet, rows, head, layout in found:
        missing = _missing_columns(layout)
        if missing:
            raise _missing_column_error(layout, sheet.name, missing)
        reader = RowReader(sheet.name, layout, context, units, titles, ethnic)
        reader.seen_ids = seen_ids
        read = list(reader.read(_rows_of(head, rows, layout.data_start)))
        if "unit" not in layout.columns and context.default_unit is None and not reader.section_units_found:
            raise _missing_column_error(layout, sheet.name, ["unit"])
        if not read and len(found) == 1:
            raise refuse(
                "empty_sheet",
                f"Trang “{sheet.name}” có dòng tiêu đề nhưng không có dòng dữ liệu nào bên dưới.",
                f"Sheet “{sheet.name}” has a header but no data rows under it.",
                sheet=sheet.name,
            )
        if "post_start" not in layout.columns and read:
            as_of = context.as_of.strftime("%d/%m/%Y")
            problems.append(
                Problem(
                    "missing_post_start",
                    f"Danh sách không có cột ngày bắt đầu giữ chức danh; mọi người được ghi nhận đang giữ"
                    f" chức danh tại ngày {as_of}.",
                    f"The list has no column for the start of the post; everyone is recorded as holding"
                    f" their post on {as_of}.",
                    sheet=sheet.name,
                    severity="warning",
                )
            )
        people.extend(read)
        first_layout = first_layout or (sheet, layout)
    if not people:
        raise refuse(
            "empty_sheet",
            f"Các trang {_quote([s.name for s, *_ in found])} có dòng tiêu đề nhưng không có dòng dữ liệu nào.",
            f"Sheets {_quote([s.name for s, *_ in found])} have a header but no data rows.",
            sheet=found[0][0].name,
        )
    unread = [n for n in looked if not any(word in fold(n) for word in _NOT_LISTS)]
    if unread:
        problems.append(
            Problem(
                "sheet_not_read",
                f"Không đọc các trang {_quote(unread)}: không có dòng tiêu đề danh sách.",
                f"Sheets {_quote(unread)} were not read: no list header.",
                sheet=unread[0],
                severity="warning",
            )
        )
    for person in people:
        problems.extend(person.problems)
    sheet, layout = first_layout
    return ImportPlan(
        sheet=", ".join(s.name for s, *_ in found),
        header_rows=tuple(r + 1 for r in layout.header_rows),
        columns=layout.describe(),
        rows=people,
        problems=problems,
        ignored_columns=[c.describe() for c in layout.ignored],
    )
