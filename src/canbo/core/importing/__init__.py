"""Read a list of commune cadres and civil servants from an Excel workbook (.xlsx, .xls).

The pure half of an import (DESIGN.md principles 1 and 6): :func:`read_list` opens the file
behind its guards (:mod:`.workbook`), picks the sheet and finds its header (:mod:`.layout`),
reads and validates every row (:mod:`.rows`; its cells parsed by :mod:`.cells`, rows that are
not people recognised by :mod:`.row_kinds`) against the communes and titles of the
:class:`~.model.ImportContext` (:mod:`.directory`) and returns an :class:`~.model.ImportPlan`:
the people as read and every problem, by sheet, row and column. Nothing is stored here; the
Django adapter (:mod:`canbo.imports`) commits a plan without errors, all or nothing.

:func:`write_template` (:mod:`.template`) writes the blank list in canbo's canonical layout,
which :func:`read_list` reads back.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from itertools import islice
from pathlib import Path
from typing import BinaryIO

from canbo.core.text import fold

from .directory import EthnicityIndex, TitleIndex, UnitIndex, in_force, norm
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
_EXPECTED_EN = (
    "“Họ và tên” (name), “Ngày sinh” (birth date), “Giới tính” (sex), “Đơn vị” (unit), “Chức danh” (title)…"
)


#: Sheets named like this are instructions or catalogues, passed over without a warning.
_NOT_LISTS = ("huong dan", "danh muc", "chu thich", "instruction")


#: Words that name a commune-level unit, and the bodies that head a commune's title block.
_COMMUNE_KINDS = ("xa", "phuong", "thi tran", "dac khu")
_AUTHORITIES = ("ubnd", "uy ban nhan dan", "hdnd", "hoi dong nhan dan", "dang uy", "dang bo", "uy ban mttq")


def _after_kind(words: list[str], folded: list[str], start: int) -> str | None:
    """The words from ``start`` when they read "<kind> <name>" ("XÃ HỢP THÀNH"), else None
    ("XÃ, PHƯỜNG, THỊ TRẤN" names no commune)."""
    rest = " ".join(folded[start:])
    for kind in _COMMUNE_KINDS:
        if rest.startswith(kind + " "):
            name = rest[len(kind) + 1 :]
            if name and not name.startswith((*_COMMUNE_KINDS, ",")):
                return " ".join(words[start:])
    return None


def commune_named(text: str, *, title: bool = False) -> tuple[str | None, bool]:
    """The commune ``text`` (a sheet's name, or a line of the title block when ``title``)
    names, and whether it names one explicitly: "Xã Hợp Thành", "UBND XÃ HỢP THÀNH", "ỦY BAN
    NHÂN DÂN PHƯỜNG …" are explicit; a plain sheet name ("Hợp Thành") may name one too (it is
    looked up), and a title "DANH SÁCH CÁN BỘ … XÃ HỢP THÀNH" names its last "xã …"."""
    words = text.replace(",", " , ").split()
    folded = [norm(w) or w.lower() for w in words]
    joined = " ".join(folded)
    start = 0
    for authority in _AUTHORITIES:
        if joined.startswith(authority + " "):
            start = len(authority.split())
            break
    found = _after_kind(words, folded, start)
    if found is not None:
        return found.replace(" , ", ", "), True
    if title and joined.startswith("danh sach"):
        for k in range(len(words) - 2, 0, -1):
            found = _after_kind(words, folded, k)
            if found is not None:
                return found.replace(" , ", ", "), False
        return None, False
    if not title and start == 0:
        return text.strip() or None, False
    return None, False


def _sheet_commune(
    name: str, head: list[list], layout: Layout, units: UnitIndex, as_of: date
) -> tuple[UnitRef | None, str, tuple[str, str, str] | None, list[Problem]]:
    """The commune of a sheet from its name, else from its title block: (unit, source, why a
    commune the sheet names explicitly cannot be used, warnings)."""

    def resolve(text: str) -> tuple[UnitRef | None, list[UnitRef]]:
        match = units.lookup(text)
        live = [u for u in match.candidates if in_force(u.valid_from, u.valid_to, as_of)]
        return (live[0] if len(live) == 1 else None), live

    found: list[tuple[UnitRef, str, str]] = []
    error: tuple[str, str, str] | None = None
    text, explicit = commune_named(name)
    if text:
        unit, live = resolve(text)
        if unit is not None:
            found.append((unit, "sheet_name", name))
        elif explicit:
            error = _unknown_commune(f"Tên trang “{name}”", f"The sheet's name “{name}”", text, live, as_of)
    for row in head[: layout.header_rows[0]]:
        for value in row:
            if not isinstance(value, str) or not value.strip():
                continue
            for line in value.splitlines():
                text, explicit = commune_named(line.strip(), title=True)
                if not text:
                    continue
                unit, live = resolve(text)
                if unit is not None:
                    found.append((unit, "sheet_title", line.strip()))
                elif explicit and error is None:
                    error = _unknown_commune(
                        f"Tiêu đề “{line.strip()}” của trang “{name}”",
                        f"The heading “{line.strip()}” of sheet “{name}”",
                        text,
                        live,
                        as_of,
                    )
    warnings: list[Problem] = []
    if not found:
        return None, "", error, warnings
    unit, source, said = found[0]
    other = next((f for f in found[1:] if f[0].code != unit.code), None)
    if other is not None:
        warnings.append(
            Problem(
                "sheet_unit_conflict",
                f"Trang “{name}”: “{said}” chỉ {unit.name} nhưng “{other[2]}” chỉ {other[0].name}; các dòng không"
                f" ghi xã được ghi cho {unit.name}. Hãy kiểm tra, hoặc thêm cột “Xã/phường”.",
                f"Sheet “{name}”: “{said}” names {unit.name} but “{other[2]}” names {other[0].name}; rows"
                f" without a commune are filed under {unit.name}. Please check, or add a “Xã/phường” column.",
                sheet=name,
                value=other[2],
                severity="warning",
            )
        )
    return unit, source, None, warnings


def _unknown_commune(
    where_vi: str, where_en: str, text: str, live: list[UnitRef], as_of: date
) -> tuple[str, str, str]:
    if len(live) > 1:
        listed = "; ".join(UnitIndex.describe(u) for u in live)
        vi = (
            f"{where_vi} chỉ “{text}” nhưng có {len(live)} đơn vị cùng tên ({listed}); hãy thêm cột"
            " “Xã/phường” ghi rõ xã (kèm huyện/tỉnh) hoặc mã đơn vị của từng người."
        )
        en = (
            f"{where_en} names “{text}” but {len(live)} units share that name ({listed}); add a"
            " “Xã/phường” column with each person's commune (with its district/province) or unit code."
        )
        return vi, en, text
    vi = (
        f"{where_vi} chỉ “{text}” nhưng không có xã này trong các đơn vị được phép nhập vào ngày"
        f" {as_of.strftime('%d/%m/%Y')}; các dòng không ghi xã không được ghi cho đơn vị khác. Hãy sửa tên"
        " trang/tiêu đề, hoặc thêm cột “Xã/phường”."
    )
    en = (
        f"{where_en} names “{text}” but no such commune is among the units this import may write to on"
        f" {as_of.strftime('%d/%m/%Y')}; rows without a commune are not filed under another unit. Correct"
        " the sheet's name or heading, or add a “Xã/phường” column."
    )
    return vi, en, text


def _no_commune(sheets: list[str], context: ImportContext) -> ImportRefused:
    unit_vi = f" ({context.unit_name})" if context.unit_name else ""
    return refuse(
        "no_commune",
        f"Danh sách được nhập cho một huyện hoặc tỉnh{unit_vi}, nhưng không biết mỗi người thuộc xã nào:"
        f" {_quote(sheets)} không có cột xã (hoặc cột xã để trống), không có dòng nhóm ghi tên xã, tên trang và tiêu đề cũng không"
        " chỉ xã nào. Hãy thêm cột “Xã/phường” ghi xã của từng người, hoặc tách mỗi xã một trang và đặt tên"
        " trang theo tên xã (ví dụ “Xã Hợp Thành”), hoặc nhập danh sách cho từng xã (chọn xã làm đơn vị).",
        f"The list is imported for a district or province{unit_vi}, but nothing says which commune each"
        f" person belongs to: {_quote(sheets)} have no commune column (or leave it blank), no group row naming a commune, and"
        " neither the sheet's name nor its heading names a commune. Add a “Xã/phường” column with each"
        " person's commune, or put each commune on its own sheet named after it (e.g. “Xã Hợp Thành”), or"
        " import the list for the commune itself.",
        sheet=sheets[0],
        value=FIELD_LABELS["unit"],
    )


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
    found = "; ".join(
        f"{c.letter} ({c.header}) → {FIELD_LABELS.get(c.field, c.field)}" for c in layout.all_columns()
    )
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
        with _no_cycle_collection():
            return _read(book, context)
    finally:
        book.close()


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """The cyclic garbage collector paused while the rows are read: reading creates hundreds of
    thousands of objects that all stay alive (the rows, their problems and qualifications), and
    each full collection would walk all of them again for nothing (a fifth of the reading time
    at 100,000 rows). Reference counting still frees everything as usual; the collector is
    switched back on (if it was on) when the reading ends, however it ends."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


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
            which_vi = (
                f"trang {_quote(empty)} trống"
                if len(empty) == 1
                else f"tất cả các trang ({_quote(empty)}) đều trống"
            )
            which_en = (
                f"sheet {_quote(empty)} is empty"
                if len(empty) == 1
                else f"every sheet ({_quote(empty)}) is empty"
            )
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
    ignored: list[str] = []  # columns not recognised, of every sheet read (their cells are kept)
    sheet_units: dict[str, tuple[str, str]] = {}
    no_commune: list[str] = []
    skipped: dict[str, list[Problem]] = {}
    for sheet, rows, head, layout in found:
        missing = _missing_columns(layout)
        if missing:
            raise _missing_column_error(layout, sheet.name, missing)
        reader = RowReader(sheet.name, layout, context, units, titles, ethnic)
        reader.seen_ids = seen_ids
        unit, source, unit_error, unit_warnings = _sheet_commune(
            sheet.name, head, layout, units, context.as_of
        )
        reader.sheet_unit, reader.sheet_unit_source, reader.sheet_unit_error = unit, source, unit_error
        problems.extend(unit_warnings)
        read = list(reader.read(_rows_of(head, rows, layout.data_start)))
        if unit is not None:
            sheet_units[sheet.name] = (unit.code, source)
        elif unit_error is None and context.default_unit is not None:
            sheet_units[sheet.name] = (context.default_unit, "default")
        if (
            context.default_unit is None
            and not reader.section_units_found
            and unit is None
            and unit_error is None
            and (
                "unit" not in layout.columns
                or (read and all(any(p.code == "missing_unit" for p in r.problems) for r in read))
            )
        ):
            no_commune.append(sheet.name)  # not a row names its commune (the column left blank)
            continue
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
        skipped[sheet.name] = reader.skipped
        first_layout = first_layout or (sheet, layout)
        for c in layout.ignored:
            if c.describe() not in ignored:
                ignored.append(c.describe())
    if no_commune:
        raise _no_commune(no_commune, context)
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
    # the rows' problems and the rows passed over (summary, note, signature), in file order
    by_sheet: dict[str, list[tuple[int, int, Problem]]] = {}
    for person in people:
        for p in person.problems:
            by_sheet.setdefault(person.sheet, []).append((person.row, len(by_sheet.get(person.sheet, ())), p))
    for name, passed in skipped.items():
        for p in passed:
            by_sheet.setdefault(name, []).append((p.row or 0, len(by_sheet.get(name, ())), p))
    for name in skipped:
        problems.extend(p for _r, _n, p in sorted(by_sheet.get(name, []), key=lambda t: (t[0], t[1])))
    counts: dict[str, int] = {}
    for person in people:
        if person.unit_code is not None:
            counts[person.unit_code] = counts.get(person.unit_code, 0) + 1
    assert first_layout is not None  # people were read, so a sheet was
    sheet, layout = first_layout
    return ImportPlan(
        sheet=", ".join(s.name for s, *_ in found),
        header_rows=tuple(r + 1 for r in layout.header_rows),
        columns=layout.describe(),
        rows=people,
        problems=problems,
        ignored_columns=ignored,
        unit_counts=counts,
        sheet_units=sheet_units,
    )
