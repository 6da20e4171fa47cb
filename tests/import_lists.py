"""Excel lists the way communes keep them, written with xlsxwriter for the import tests (the
Django adapter's tests and the browser test). Synthetic names; ID numbers made valid for the
birth year and sex with :func:`canbo.core.identity.make_identity_number`."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import xlsxwriter

from canbo.core.identity import make_identity_number


def person_row(
    family,
    middle,
    given,
    born: date | str,
    sex,
    commune,
    title,
    *,
    number=True,
    serial=1,
    education="12/12",
    professional="ĐH Luật",
    politics="TC LLCT",
    it="Tin học B",
    ethnic="Tày",
):
    year = born.year if isinstance(born, date) else int(str(born)[-4:])
    ident = make_identity_number(20, year, sex, 500 + serial) if number else ""
    return {
        "name": f"{family} {middle} {given}",
        "born": born,
        "sex": sex,
        "id": ident,
        "ethnic": ethnic,
        "title": title,
        "commune": commune,
        "education": education,
        "professional": professional,
        "politics": politics,
        "it": it,
    }


def write_list(path: Path, people: list[dict], *, totals: bool = False) -> Path:
    """A list the way communes keep them: a title block, a two-row merged header with the
    birth date written under Nam or Nữ, a column-numbering row, the rows, a signature block.
    ``totals``: a "Tổng cộng" row under the people; a person with ``id_as_number`` has the ID
    number typed into a number cell (Excel drops its leading zero)."""
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("DS CBCC")
    bold = wb.add_format(
        {"bold": True, "align": "center", "valign": "vcenter", "border": 1, "text_wrap": True}
    )
    ws.write(0, 0, "UBND HUYỆN CAO LỘC")
    ws.merge_range(1, 0, 1, 12, "DANH SÁCH CÁN BỘ, CÔNG CHỨC CẤP XÃ", bold)
    ws.write(2, 0, "Tính đến ngày 31/12/2024")
    heads = ["STT", "Họ và tên", None, None, "Số CCCD", "Dân tộc", "Chức vụ", "Đơn vị"]
    for col, text in enumerate(heads):
        if text:
            ws.merge_range(4, col, 5, col, text, bold)
    ws.merge_range(4, 2, 4, 3, "Ngày, tháng, năm sinh", bold)
    ws.write(5, 2, "Nam", bold)
    ws.write(5, 3, "Nữ", bold)
    ws.merge_range(4, 8, 4, 11, "Trình độ", bold)
    for col, text in zip(range(8, 12), ["Văn hóa", "Chuyên môn", "LLCT", "Tin học"]):
        ws.write(5, col, text, bold)
    ws.merge_range(4, 12, 5, 12, "Ghi chú", bold)
    for col in range(13):
        ws.write(6, col, str(col + 1), bold)
    r = 7
    for i, p in enumerate(people, start=1):
        born = p["born"].strftime("%d/%m/%Y") if isinstance(p["born"], date) else p["born"]
        ws.write(r, 0, i)
        ws.write(r, 1, p["name"])
        ws.write(r, 2 if p["sex"] == "male" else 3, born)
        if p.get("id_as_number"):
            ws.write_number(r, 4, int(p["id"]))
        else:
            ws.write_string(r, 4, p["id"])
        ws.write(r, 5, p["ethnic"])
        ws.write(r, 6, p["title"])
        ws.write(r, 7, p["commune"])
        ws.write(r, 8, p["education"])
        ws.write(r, 9, p["professional"])
        ws.write(r, 10, p["politics"])
        ws.write(r, 11, p["it"])
        r += 1
    if totals:
        ws.write(r, 1, f"Tổng cộng: {len(people)} người")
        r += 1
    ws.write(r + 1, 9, "Người lập biểu")
    wb.close()
    return path


def good_people(number=True):
    return [
        person_row(
            "Hoàng",
            "Văn",
            "Nam",
            date(1980, 5, 17),
            "male",
            "Xã Bảo Lâm",
            "Chủ tịch UBND",
            number=number,
            serial=1,
        ),
        person_row(
            "Lương",
            "Thị",
            "Hoa",
            date(1988, 11, 2),
            "female",
            "Thanh Lòa",
            "Tư pháp - hộ tịch",
            number=number,
            serial=2,
            professional="Cử nhân Luật",
            politics="Sơ cấp",
        ),
        person_row(
            "Vy",
            "Văn",
            "Đức",
            "1979",
            "male",
            "xa xuat le",
            "Văn phòng - thống kê",
            number=number,
            serial=3,
            professional="TC Kế toán",
            it="B",
            ethnic="Nùng",
        ),
    ]
