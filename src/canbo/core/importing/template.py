"""The blank list in canbo's canonical layout, with drop-downs, written with xlsxwriter.

Three sheets: "Danh sách" (title block, one header row, a row numbering the columns, then
rows to fill, with Excel drop-downs and date checks and the identification-number column
formatted as text so that its leading 0 survives), "Hướng dẫn" (what each column accepts, with
examples) and the hidden "Danh mục" holding the drop-down lists (an inline list is limited to
255 characters). :func:`canbo.core.importing.read_list` reads the filled template back.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import BinaryIO

import xlsxwriter

from canbo.core.ethnicity import load_ethnic_groups
from canbo.core.spreadsheet import workbook
from canbo.core.text import fold

from .directory import in_force
from .model import TitleRef, UnitRef

__all__ = ["COLUMNS", "DATA_SHEET", "FIRST_DATA_ROW", "write_template"]

DATA_SHEET = "Danh sách"
GUIDE_SHEET = "Hướng dẫn"
LISTS_SHEET = "Danh mục"
#: 0-based row of the header, and of the first row to fill (Excel row 6).
HEADER_ROW = 3
FIRST_DATA_ROW = 5
#: Rows given drop-downs and date checks.
TEMPLATE_ROWS = 5000

GENERAL_EDUCATION = ["12/12", "9/12", "10/10", "7/10", "Trung học phổ thông", "Trung học cơ sở", "Tiểu học"]
PROFESSIONAL = ["Tiến sĩ", "Thạc sĩ", "Đại học", "Cao đẳng", "Trung cấp", "Sơ cấp", "Chưa qua đào tạo"]
POLITICAL_THEORY = ["Cử nhân", "Cao cấp", "Trung cấp", "Sơ cấp"]
STATE_MANAGEMENT = ["Chuyên viên cao cấp", "Chuyên viên chính", "Chuyên viên", "Cán sự"]
IT = ["Ứng dụng CNTT cơ bản", "Ứng dụng CNTT nâng cao", "Chứng chỉ A", "Chứng chỉ B", "Chứng chỉ C"]
FOREIGN_LANGUAGE = [
    "Tiếng Anh bậc 1 (A1)", "Tiếng Anh bậc 2 (A2)", "Tiếng Anh bậc 3 (B1)", "Tiếng Anh bậc 4 (B2)",
    "Tiếng Anh bậc 5 (C1)", "Tiếng Anh bậc 6 (C2)", "Tiếng Anh A", "Tiếng Anh B", "Tiếng Anh C",
]  # fmt: skip

#: (header, width, what it accepts, example) — the canonical columns, in order.
COLUMNS: tuple[tuple[str, int, str, str], ...] = (
    ("STT", 5, "Số thứ tự (không bắt buộc).", "1"),
    ("Họ và tên", 24, "Họ, tên đệm và tên, đầy đủ, có dấu (bắt buộc).", "Nguyễn Văn An"),
    (
        "Ngày sinh",
        12,
        "Ngày/tháng/năm (bắt buộc); nếu chỉ biết tháng/năm hoặc năm thì ghi 09/1980 hoặc 1980."
        " Phải đủ 18 tuổi.",
        "05/09/1980",
    ),
    ("Giới tính", 9, "Nam hoặc Nữ (chọn trong danh sách).", "Nam"),
    (
        "Số định danh cá nhân",
        16,
        "Số định danh cá nhân/căn cước, đủ 12 chữ số (cột đã định dạng Văn bản để giữ số 0 ở đầu).",
        "020080001234",
    ),
    ("Dân tộc", 11, "Tên dân tộc theo danh mục 54 dân tộc (chọn trong danh sách).", "Tày"),
    ("Tôn giáo", 11, "Tên tôn giáo, hoặc “Không”.", "Không"),
    ("Đảng viên", 11, "Ghi “x” nếu là đảng viên, hoặc ghi ngày vào Đảng; để trống nếu không phải.", "x"),
    (
        "Đơn vị (xã)",
        22,
        "Xã, phường, thị trấn nơi công tác (chọn trong danh sách); có thể ghi “Xã Hợp Thành”,"
        " “Hợp Thành”. Xã trùng tên: ghi kèm huyện trong ngoặc.",
        "Xã Hợp Thành",
    ),
    (
        "Chức danh",
        26,
        "Chức danh theo danh mục (chọn trong danh sách); chấp nhận viết tắt thông dụng như"
        " CT UBND, PCT UBND, VP-TK, ĐC-XD, TC-KT, TP-HT, VH-XH.",
        "Chủ tịch Ủy ban nhân dân",
    ),
    (
        "Ngày bắt đầu giữ chức danh",
        14,
        "Ngày được bầu, bổ nhiệm hoặc tuyển dụng vào chức danh; để trống thì"
        " ghi nhận đang giữ chức danh tại ngày của danh sách.",
        "01/07/2021",
    ),
    ("Trình độ văn hóa", 12, "Trình độ giáo dục phổ thông: 12/12, 9/12, 10/10… hoặc THPT, THCS.", "12/12"),
    ("Chuyên môn", 14, "Trình độ chuyên môn cao nhất: Đại học, Thạc sĩ, Cao đẳng, Trung cấp…", "Đại học"),
    ("Chuyên ngành", 18, "Chuyên ngành đào tạo của trình độ chuyên môn.", "Luật"),
    ("LLCT", 11, "Lý luận chính trị: Sơ cấp, Trung cấp, Cao cấp, Cử nhân.", "Trung cấp"),
    (
        "QLNN",
        14,
        "Quản lý nhà nước: Cán sự, Chuyên viên, Chuyên viên chính, Chuyên viên cao cấp.",
        "Chuyên viên",
    ),
    (
        "Tin học",
        16,
        "Tin học: Ứng dụng CNTT cơ bản/nâng cao, hoặc chứng chỉ A, B, C.",
        "Ứng dụng CNTT cơ bản",
    ),
    ("Ngoại ngữ", 16, "Ngoại ngữ: tên tiếng và bậc (1–6) hoặc chứng chỉ A, B, C.", "Tiếng Anh bậc 2 (A2)"),
    ("Ghi chú", 24, "Ghi chú (chức danh kiêm nhiệm, thông tin khác); được lưu nguyên văn.", ""),
)


def _unit_labels(units: Iterable[UnitRef], as_of: date) -> list[str]:
    live = [u for u in units if in_force(u.valid_from, u.valid_to, as_of)]
    counts: dict[str, int] = {}
    for u in live:
        counts[fold(u.name)] = counts.get(fold(u.name), 0) + 1
    labels = [
        f"{u.name} ({u.parent_name})" if counts[fold(u.name)] > 1 and u.parent_name else u.name for u in live
    ]
    return sorted(set(labels), key=fold)


def _title_labels(titles: Iterable[TitleRef], as_of: date) -> list[str]:
    seen: list[str] = []
    for t in titles:
        if in_force(t.valid_from, t.valid_to, as_of) and t.name not in seen:
            seen.append(t.name)
    return seen


def write_template(
    target: str | Path | BinaryIO,
    units: Iterable[UnitRef],
    titles: Iterable[TitleRef],
    *,
    as_of: date,
) -> None:
    """Write the blank list (.xlsx) to ``target`` (a path or a binary file object), with the
    units and titles in force on ``as_of`` in its drop-downs."""
    units = tuple(units)
    titles = tuple(titles)
    wb = workbook(str(target) if isinstance(target, (str, Path)) else target, {"in_memory": True})
    try:
        _write(wb, units, titles, as_of)
    finally:
        wb.close()


def _write(
    wb: xlsxwriter.Workbook, units: tuple[UnitRef, ...], titles: tuple[TitleRef, ...], as_of: date
) -> None:
    title_fmt = wb.add_format({"bold": True, "font_size": 14, "align": "center", "valign": "vcenter"})
    sub_fmt = wb.add_format({"italic": True, "align": "center"})
    head_fmt = wb.add_format(
        {
            "bold": True,
            "align": "center",
            "valign": "vcenter",
            "text_wrap": True,
            "border": 1,
            "bg_color": "#DDEBF7",
        }
    )
    num_fmt = wb.add_format({"italic": True, "align": "center", "border": 1, "font_size": 9})
    date_fmt = wb.add_format({"num_format": "dd/mm/yyyy"})
    text_fmt = wb.add_format({"num_format": "@"})
    wrap_fmt = wb.add_format({"text_wrap": True, "valign": "top"})
    bold = wb.add_format({"bold": True})
    guide_head = wb.add_format(
        {"bold": True, "border": 1, "bg_color": "#DDEBF7", "text_wrap": True, "valign": "top"}
    )
    guide_cell = wb.add_format({"border": 1, "text_wrap": True, "valign": "top"})

    ws = wb.add_worksheet(DATA_SHEET)
    guide = wb.add_worksheet(GUIDE_SHEET)
    lists = wb.add_worksheet(LISTS_SHEET)

    # --- the lists of the drop-downs (hidden sheet)
    ethnic = [g.name_vi for g in load_ethnic_groups()]
    list_columns = {
        "Dân tộc": ethnic,
        "Đơn vị (xã)": _unit_labels(units, as_of),
        "Chức danh": _title_labels(titles, as_of),
        "Trình độ văn hóa": GENERAL_EDUCATION,
        "Chuyên môn": PROFESSIONAL,
        "LLCT": POLITICAL_THEORY,
        "QLNN": STATE_MANAGEMENT,
        "Tin học": IT,
        "Ngoại ngữ": FOREIGN_LANGUAGE,
    }
    sources: dict[str, str] = {}
    for j, (name, values) in enumerate(list_columns.items()):
        lists.write(0, j, name, bold)
        for i, v in enumerate(values):
            lists.write_string(i + 1, j, v)
        if values:
            col = xlsxwriter.utility.xl_col_to_name(j)
            sources[name] = f"='{LISTS_SHEET}'!${col}$2:${col}${len(values) + 1}"
    lists.hide()

    # --- the list itself
    last_col = len(COLUMNS) - 1
    ws.merge_range(0, 0, 0, last_col, "DANH SÁCH CÁN BỘ, CÔNG CHỨC CẤP XÃ", title_fmt)
    ws.merge_range(1, 0, 1, last_col, f"Tính đến ngày {as_of:%d/%m/%Y}", sub_fmt)
    ws.set_row(HEADER_ROW, 45)
    first, last = FIRST_DATA_ROW, FIRST_DATA_ROW + TEMPLATE_ROWS - 1
    for j, (header, width, help_text, example) in enumerate(COLUMNS):
        ws.write_string(HEADER_ROW, j, header, head_fmt)
        ws.write_string(HEADER_ROW + 1, j, str(j + 1), num_fmt)
        cell_format = None
        if header in ("Ngày sinh", "Ngày bắt đầu giữ chức danh"):
            cell_format = date_fmt
        elif header == "Số định danh cá nhân":
            cell_format = text_fmt
        ws.set_column(j, j, width, cell_format)
        prompt = {
            "input_title": header[:32],
            "input_message": (help_text + (f" Ví dụ: {example}" if example else ""))[:255],
        }
        if header == "Giới tính":
            ws.data_validation(
                first,
                j,
                last,
                j,
                {
                    "validate": "list",
                    "source": ["Nam", "Nữ"],
                    **prompt,
                    "error_title": "Giới tính",
                    "error_message": "Chọn Nam hoặc Nữ.",
                },
            )
        elif header == "Đảng viên":
            ws.data_validation(
                first,
                j,
                last,
                j,
                {"validate": "list", "source": ["x"], "error_type": "information", **prompt},
            )
        elif header in ("Ngày sinh", "Ngày bắt đầu giữ chức danh"):
            ws.data_validation(first, j, last, j, {
                "validate": "date", "criteria": "between", "minimum": date(1900, 1, 1),
                "maximum": date(2100, 12, 31), "error_type": "warning", **prompt,
                "error_title": header[:32], "error_message": "Ghi ngày theo dạng ngày/tháng/năm, ví dụ 05/09/1980.",
            })  # fmt: skip
        elif header in sources:
            strict = header in ("Dân tộc",)
            ws.data_validation(first, j, last, j, {
                "validate": "list", "source": sources[header],
                "error_type": "warning" if strict else "information", **prompt,
                "error_title": header[:32],
                "error_message": f"Giá trị không có trong danh sách “{header}”; kiểm tra lại.",
            })  # fmt: skip
        elif help_text:
            ws.data_validation(first, j, last, j, {"validate": "any", **prompt})
    ws.freeze_panes(FIRST_DATA_ROW, 2)
    ws.repeat_rows(HEADER_ROW, HEADER_ROW + 1)
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.activate()

    # --- instructions
    guide.set_column(0, 0, 8)
    guide.set_column(1, 1, 26)
    guide.set_column(2, 2, 70)
    guide.set_column(3, 3, 24)
    lines = [
        ("HƯỚNG DẪN ĐIỀN DANH SÁCH CÁN BỘ, CÔNG CHỨC CẤP XÃ", title_fmt),
        (
            f"Danh sách tính đến ngày {as_of:%d/%m/%Y}. Điền mỗi người một dòng ở trang “{DATA_SHEET}”,"
            f" bắt đầu từ dòng {FIRST_DATA_ROW + 1}; không sửa dòng tiêu đề và dòng đánh số cột.",
            wrap_fmt,
        ),
        (
            "Các cột có danh sách chọn (mũi tên ở ô): Giới tính, Dân tộc, Đảng viên, Đơn vị, Chức danh và các"
            " cột trình độ. Có thể gõ trực tiếp; chữ hoa/thường và dấu không bắt buộc khớp tuyệt đối.",
            wrap_fmt,
        ),
        ("Ngày ghi theo dạng ngày/tháng/năm (05/09/1980). Số định danh cá nhân ghi đủ 12 chữ số.", wrap_fmt),
        (
            "Nhập lại cùng một tệp nhiều lần là an toàn: người đã có (cùng số định danh, hoặc cùng họ tên, ngày"
            " sinh và đơn vị) được cập nhật, không bị tạo trùng.",
            wrap_fmt,
        ),
        (
            "Khi nhập, mọi lỗi được báo theo trang, dòng và cột (ví dụ: Trang “Danh sách”, dòng 7, cột C (Ngày"
            " sinh)); chưa có gì được lưu cho đến khi sửa hết lỗi và xác nhận.",
            wrap_fmt,
        ),
        ("Trình độ không đọc được sẽ được giữ nguyên văn trong phần ghi chú của người đó.", wrap_fmt),
    ]
    for i, (text, fmt) in enumerate(lines):
        if i == 0:
            guide.merge_range(0, 0, 0, 3, text, fmt)
        else:
            guide.merge_range(i, 0, i, 3, text, fmt)
            guide.set_row(i, 32)
    top = len(lines) + 1
    for j, h in enumerate(("Cột", "Tiêu đề", "Nội dung", "Ví dụ")):
        guide.write_string(top, j, h, guide_head)
    for i, (header, _w, help_text, example) in enumerate(COLUMNS):
        r = top + 1 + i
        guide.write_string(r, 0, xlsxwriter.utility.xl_col_to_name(i), guide_cell)
        guide.write_string(r, 1, header, guide_cell)
        guide.write_string(r, 2, help_text, guide_cell)
        guide.write_string(r, 3, example, guide_cell)
