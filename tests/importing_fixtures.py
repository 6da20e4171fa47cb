"""Workbooks for the import tests (core and app): real .xlsx files written with xlsxwriter in the
layouts commune offices use, an .xls written with xlwt, and broken files of every kind.

All names and numbers are synthetic. Every builder returns the file's bytes (write them to
``tmp_path`` when a path is needed).

Layouts:

* :func:`report_list` — the printed form of REPORTS.md §1: title block, a two-row merged header
  ("Ngày, tháng, năm sinh" over Nam | Nữ, "Trình độ" over Văn hóa … Ngoại ngữ, the others merged
  down), a numbering row (A, B, 1, 2…), group rows, a totals row and a signature block;
* :func:`three_name_list` — Họ | Tên đệm | Tên, dates typed as text, a one-row header;
* :func:`sex_mark_list` — "Giới tính" over two marked columns Nam | Nữ, "Năm sinh" as a number;
* :func:`simple_list` — one header row of the canonical columns, birth dates as real dates,
  text, year, month/year or Excel serial numbers;
* :func:`xls_list` — the report layout as an old .xls (xlwt);
* :func:`write_rows` — any header and rows, for the error cases.

Broken files: :func:`encrypted_xlsx`, :func:`corrupt_files`, :func:`empty_workbook`,
:func:`no_header_workbook`, :func:`huge_dimension_xlsx`, :func:`rows_without_dimension_xlsx`,
:func:`zip_bomb_xlsx`. Big: :func:`messy_workbook`.
"""

from __future__ import annotations

import io
import random
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from functools import cache
from importlib import resources

import xlsxwriter
import yaml

from canbo.core.identity import make_identity_number
from canbo.core.importing.model import ImportContext, TitleRef, UnitRef

AS_OF = date(2024, 12, 31)
TODAY = date(2025, 3, 1)

# ------------------------------------------------------------------------------ reference data

#: Synthetic communes (codes not used by real lists). Two "Xã Bảo Lâm" in different districts;
#: "Xã Cũ" ended with the 2025 reform, "Xã Mới" began with it.
UNITS: tuple[UnitRef, ...] = (
    UnitRef("90001", "Xã Hợp Thành", None, date(2025, 6, 30), "Huyện Cao Lộc"),
    UnitRef("90002", "Thị trấn Đồng Đăng", None, date(2025, 6, 30), "Huyện Cao Lộc"),
    UnitRef("90003", "Phường Vĩnh Trại", None, date(2025, 6, 30), "Thành phố Lạng Sơn"),
    UnitRef("90004", "Xã Bảo Lâm", None, date(2025, 6, 30), "Huyện Cao Lộc"),
    UnitRef("90005", "Xã Bảo Lâm", None, date(2025, 6, 30), "Huyện Lộc Bình"),
    UnitRef("90006", "Xã Cũ", None, date(2020, 12, 31), "Huyện Cao Lộc"),
    UnitRef("90007", "Xã Mới", date(2025, 7, 1), None, "Tỉnh Lạng Sơn"),
    UnitRef("90008", "Xã Xá Lượng", None, date(2025, 6, 30), "Huyện Tương Dương"),
)
UNIT_CODE = {"Hợp Thành": "90001", "Đồng Đăng": "90002", "Vĩnh Trại": "90003"}


@cache
def catalogue() -> tuple[TitleRef, ...]:
    """The title catalogue of ``canbo/data/titles.yaml``."""
    text = resources.files("canbo.data").joinpath("titles.yaml").read_text("utf-8")
    return tuple(
        TitleRef(t["code"], t["name"], t.get("valid_from"), t.get("valid_to")) for t in yaml.safe_load(text)
    )


def context(**changes) -> ImportContext:
    """The import context of the tests: :data:`UNITS`, the real title catalogue, as of
    31/12/2024, today 01/03/2025."""
    base = ImportContext(units=UNITS, titles=catalogue(), as_of=AS_OF, today=TODAY)
    return replace(base, **changes)


# ------------------------------------------------------------------------------ synthetic people

FAMILY = ["Nguyễn", "Trần", "Lê", "Hoàng", "Lý", "Nông", "Vi", "Lương", "Hà", "Triệu", "Lăng", "Mã"]
MIDDLE_M = ["Văn", "Đức", "Minh", "Quang", "Hữu", "Thành"]
MIDDLE_F = ["Thị", "Thu", "Thanh", "Ngọc", "Hồng"]
GIVEN_M = ["An", "Bình", "Cường", "Dũng", "Hùng", "Khánh", "Long", "Nam", "Phúc", "Sơn", "Tuấn", "Vinh"]
GIVEN_F = ["Anh", "Chi", "Dung", "Hà", "Hạnh", "Lan", "Mai", "Nga", "Phương", "Thảo", "Trang", "Yến"]
ETHNIC = ["Kinh", "Tày", "Nùng", "Dao", "H'Mông", "Sán Chay"]


@dataclass
class Person:
    """One synthetic person as a list would show them."""

    family: str
    middle: str
    given: str
    birth: date
    sex: str  # "male" | "female"
    identity: str
    ethnicity: str = "Tày"
    religion: str = "Không"
    party: date | None = None
    unit: str = "Xã Hợp Thành"
    title: str = "Chủ tịch UBND"
    post_start: date | None = date(2021, 7, 1)
    general: str = "12/12"
    professional: str = "Đại học"
    major: str = "Luật"
    political: str = "Trung cấp"
    state: str = "Chuyên viên"
    it: str = "Chứng chỉ B"
    language: str = "Tiếng Anh B"
    notes: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def name(self) -> str:
        return " ".join(p for p in (self.family, self.middle, self.given) if p)

    @property
    def sex_vi(self) -> str:
        return "Nam" if self.sex == "male" else "Nữ"


TITLES_TYPED = [
    "Chủ tịch UBND",
    "PCT UBND",
    "Bí thư Đảng ủy",
    "CT HĐND",
    "VP-TK",
    "ĐC-XD",
    "TC-KT",
    "TP-HT",
    "VH-XH",
]


def person(i: int, **changes) -> Person:
    """The ``i``-th synthetic person (deterministic)."""
    sex = "female" if i % 3 == 1 else "male"
    year = 1965 + (i * 7) % 35
    birth = date(year, 1 + i % 12, 1 + (i * 5) % 28)
    p = Person(
        family=FAMILY[i % len(FAMILY)],
        middle=(MIDDLE_F if sex == "female" else MIDDLE_M)[i % 5],
        given=(GIVEN_F if sex == "female" else GIVEN_M)[(i * 7) % 12],
        birth=birth,
        sex=sex,
        identity=make_identity_number(20, year, sex, 100000 + i),
        ethnicity=ETHNIC[i % len(ETHNIC)],
        party=date(year + 25, 5, 19) if i % 2 == 0 else None,
        unit=["Xã Hợp Thành", "Thị trấn Đồng Đăng", "Phường Vĩnh Trại"][i % 3],
        title=TITLES_TYPED[i % len(TITLES_TYPED)],
        post_start=date(2010 + i % 12, 1 + i % 12, 1),
    )
    return replace(p, **changes)


def people(n: int = 6) -> list[Person]:
    return [person(i) for i in range(n)]


# ------------------------------------------------------------------------------ writing workbooks


@dataclass
class SheetSpec:
    """One sheet to write: rows of values ("" / None = empty), merged ranges (r1, c1, r2, c2),
    0-based columns to format as text, whether hidden."""

    name: str
    rows: Sequence[Sequence[object]] = ()
    merges: Sequence[tuple[int, int, int, int]] = ()
    text_columns: Sequence[int] = ()
    hidden: bool = False


def build_xlsx(*sheets: SheetSpec) -> bytes:
    """An .xlsx with ``sheets`` (xlsxwriter)."""
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(
        buf, {"in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False}
    )
    date_fmt = wb.add_format({"num_format": "dd/mm/yyyy"})
    text_fmt = wb.add_format({"num_format": "@"})
    wrap = wb.add_format(
        {"text_wrap": True, "bold": True, "align": "center", "valign": "vcenter", "border": 1}
    )
    for spec in sheets:
        ws = wb.add_worksheet(spec.name)
        for c in spec.text_columns:
            ws.set_column(c, c, 16, text_fmt)
        covered: set[tuple[int, int]] = set()
        for r1, c1, r2, c2 in spec.merges:
            value = spec.rows[r1][c1] if r1 < len(spec.rows) and c1 < len(spec.rows[r1]) else ""
            ws.merge_range(r1, c1, r2, c2, "" if value is None else value, wrap)
            covered.update((r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1))
        for r, row in enumerate(spec.rows):
            for c, v in enumerate(row):
                if (r, c) in covered or v is None or v == "":
                    continue
                _write_cell(ws, r, c, v, date_fmt)
        if spec.hidden:
            ws.hide()
    wb.close()
    return buf.getvalue()


def _write_cell(ws, r: int, c: int, v: object, date_fmt) -> None:
    if isinstance(v, bool):
        ws.write_boolean(r, c, v)
    elif isinstance(v, (datetime, date)):
        ws.write_datetime(r, c, v if isinstance(v, datetime) else datetime(v.year, v.month, v.day), date_fmt)
    elif isinstance(v, (int, float)):
        ws.write_number(r, c, v)
    else:
        ws.write_string(r, c, str(v))


def write_rows(
    header: Sequence[str],
    rows: Sequence[Sequence[object]],
    *,
    above: Sequence[Sequence[object]] = (),
    sheet: str = "Danh sách",
    text_columns: Sequence[int] = (),
    extra_sheets: Sequence[SheetSpec] = (),
) -> bytes:
    """A one-row header (after the ``above`` rows), then ``rows``."""
    spec = SheetSpec(sheet, [*above, list(header), *rows], text_columns=text_columns)
    return build_xlsx(*extra_sheets, spec)


# ------------------------------------------------------------------------------ layouts

TITLE_BLOCK = [
    ["UBND HUYỆN CAO LỘC", "", "", "", "", "", "", "", "", "", "", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
    ["PHÒNG NỘI VỤ", "", "", "", "", "", "", "", "", "", "", "Độc lập - Tự do - Hạnh phúc"],
    [],
    ["DANH SÁCH CÁN BỘ, CÔNG CHỨC XÃ, PHƯỜNG, THỊ TRẤN"],
    ["Tính đến ngày 31/12/2024"],
    [],
]

REPORT_HEADER_1 = [
    "STT", "Họ và tên\n(khai sinh)", "Ngày, tháng,\nnăm sinh", "", "Số CCCD", "Dân tộc", "Tôn giáo",
    "Đảng viên", "Xã, phường,\nthị trấn", "Chức vụ", "Ngày bổ nhiệm", "Trình độ", "", "", "", "", "", "",
    "Ghi chú",
]  # fmt: skip
REPORT_HEADER_2 = [
    "", "", "Nam", "Nữ", "", "", "", "", "", "", "", "Văn hóa", "Chuyên môn", "Chuyên ngành", "LLCT", "QLNN",
    "Tin học", "Ngoại ngữ", "",
]  # fmt: skip
REPORT_NUMBERS = ["A", "B", *[str(i) for i in range(1, 18)]]
#: Columns of the report layout (0-based): merged down over the two header rows, or across.
REPORT_VMERGED = [0, 1, 4, 5, 6, 7, 8, 9, 10, 18]


def report_row(n: int | str, p: Person) -> list[object]:
    return [
        n, p.name,
        p.birth if p.sex == "male" else "", p.birth if p.sex == "female" else "",
        p.identity, p.ethnicity, p.religion, "x" if p.party else "", p.unit, p.title, p.post_start or "",
        p.general, p.professional, p.major, p.political, p.state, p.it, p.language, p.notes,
    ]  # fmt: skip


def report_list(
    persons: Sequence[Person] | None = None,
    *,
    merged: bool = True,
    groups: bool = True,
    signature: bool = True,
) -> bytes:
    """The printed list of REPORTS.md §1 (see the module docstring). Header on Excel rows 7–8,
    numbering row 9, people from row 10 (after a group row when ``groups``). With
    ``merged=False`` the group headers are written in their first cell only, without merged
    ranges (as some exporters do)."""
    persons = list(persons if persons is not None else people())
    top = len(TITLE_BLOCK)
    rows: list[list[object]] = [list(r) for r in TITLE_BLOCK]
    rows += [list(REPORT_HEADER_1), list(REPORT_HEADER_2), list(REPORT_NUMBERS)]
    merges: list[tuple[int, int, int, int]] = [(0, 0, 0, 4), (0, 11, 0, 18), (1, 0, 1, 4), (1, 11, 1, 18),
                                               (3, 0, 3, 18), (4, 0, 4, 18)]  # fmt: skip
    if merged:
        merges += [(top, c, top + 1, c) for c in REPORT_VMERGED]
        merges += [(top, 2, top, 3), (top, 11, top, 17)]
    half = (len(persons) + 1) // 2
    if groups:
        rows.append(["I", "CÁN BỘ"])
    for i, p in enumerate(persons[:half]):
        rows.append(report_row(i + 1, p))
    if groups:
        rows.append(["II", "CÔNG CHỨC"])
    for i, p in enumerate(persons[half:]):
        rows.append(report_row(half + i + 1, p))
    rows.append(["", "Tổng cộng", "", "", "", "", "", "", "", f"{len(persons)} người"])
    if signature:
        rows.append([])
        rows.append(["", "", "", "", "", "", "", "", "", "", "", "Cao Lộc, ngày 31 tháng 12 năm 2024"])
        rows.append(["", "NGƯỜI LẬP BIỂU", "", "", "", "", "", "", "", "", "", "CHỦ TỊCH"])
        rows.append(["", "(Ký, ghi rõ họ tên)", "", "", "", "", "", "", "", "", "", "(Ký tên, đóng dấu)"])
        rows.append([])
        rows.append(["", "Lý Văn Lập", "", "", "", "", "", "", "", "", "", "Hoàng Văn Ký"])
    return build_xlsx(SheetSpec("Danh sách", rows, merges, text_columns=[4]))


#: Excel row of the first person of :func:`report_list` (after the "I. CÁN BỘ" group row).
REPORT_FIRST_ROW = 11


def xls_list(persons: Sequence[Person] | None = None) -> bytes:
    """The report layout (merged header, numbering row, group rows) as an .xls (xlwt)."""
    import xlwt

    persons = list(persons if persons is not None else people())
    book = xlwt.Workbook(encoding="utf-8")
    guide = book.add_sheet("Hướng dẫn")
    guide.write(0, 0, "Điền danh sách ở trang bên cạnh.")
    ws = book.add_sheet("DS")
    date_style = xlwt.easyxf(num_format_str="dd/mm/yyyy")
    for r, row in enumerate(TITLE_BLOCK):
        for c, v in enumerate(row):
            if v:
                ws.write(r, c, v)
    top = len(TITLE_BLOCK)
    for c in REPORT_VMERGED:
        ws.write_merge(top, top + 1, c, c, REPORT_HEADER_1[c])
    ws.write_merge(top, top, 2, 3, REPORT_HEADER_1[2])
    ws.write_merge(top, top, 11, 17, REPORT_HEADER_1[11])
    for c, v in enumerate(REPORT_HEADER_2):
        if v:
            ws.write(top + 1, c, v)
    for c, v in enumerate(REPORT_NUMBERS):
        ws.write(top + 2, c, v)
    r = top + 3
    for i, p in enumerate(persons):
        for c, v in enumerate(report_row(i + 1, p)):
            if v == "" or v is None:
                continue
            if isinstance(v, date):
                ws.write(r, c, v, date_style)
            else:
                ws.write(r, c, v)
        r += 1
    ws.write(r, 1, "Tổng cộng")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


#: Excel row of the first person of :func:`xls_list`.
XLS_FIRST_ROW = 10


def three_name_list(persons: Sequence[Person] | None = None) -> bytes:
    """Họ | Tên đệm | Tên, birth and post dates typed as text (dd/mm/yyyy), a one-row header
    under a title; people from Excel row 4."""
    persons = list(persons if persons is not None else people())
    header = ["TT", "Họ", "Tên đệm", "Tên", "Ngày sinh", "Giới tính", "Số định danh cá nhân", "Dân tộc",
              "Tên xã", "Chức danh", "Thời gian giữ chức vụ", "Trình độ chuyên môn", "Lý luận chính trị"]  # fmt: skip
    rows = [
        [i + 1, p.family, p.middle, p.given, p.birth.strftime("%d/%m/%Y"), p.sex_vi, p.identity, p.ethnicity,
         p.unit, p.title, p.post_start.strftime("%d/%m/%Y") if p.post_start else "",
         f"{p.professional} {p.major}".strip(), p.political]
        for i, p in enumerate(persons)
    ]  # fmt: skip
    return write_rows(header, rows, above=[["DANH SÁCH CÔNG CHỨC XÃ"], []], text_columns=[6])


def sex_mark_list(persons: Sequence[Person] | None = None) -> bytes:
    """ "Giới tính" merged over Nam | Nữ marked "x", "Năm sinh" as a number, "Đơn vị công tác".
    Header on Excel rows 1–2, people from row 3."""
    persons = list(persons if persons is not None else people())
    h1 = [
        "STT",
        "Họ và tên",
        "Giới tính",
        "",
        "Năm sinh",
        "Chức danh",
        "Đơn vị công tác",
        "Ngày bầu, bổ nhiệm",
    ]
    h2 = ["", "", "Nam", "Nữ", "", "", "", ""]
    rows: list[list[object]] = [h1, h2]
    for i, p in enumerate(persons):
        rows.append([i + 1, p.name, "x" if p.sex == "male" else "", "x" if p.sex == "female" else "",
                     p.birth.year, p.title, p.unit, p.post_start or ""])  # fmt: skip
    merges = [
        (0, 0, 1, 0),
        (0, 1, 1, 1),
        (0, 2, 0, 3),
        (0, 4, 1, 4),
        (0, 5, 1, 5),
        (0, 6, 1, 6),
        (0, 7, 1, 7),
    ]
    return build_xlsx(SheetSpec("Sheet1", rows, merges))


SIMPLE_HEADER = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Số định danh cá nhân", "Dân tộc", "Đơn vị",
                 "Chức danh", "Ngày bổ nhiệm", "Ghi chú"]  # fmt: skip


def birth_value(p: Person, birth_as: str) -> object:
    if birth_as == "date":
        return p.birth
    if birth_as == "datetime":
        return datetime(p.birth.year, p.birth.month, p.birth.day)
    if birth_as == "text":
        return p.birth.strftime("%d/%m/%Y")
    if birth_as == "dash":
        return p.birth.strftime("%d-%m-%Y")
    if birth_as == "dot":
        return p.birth.strftime("%d.%m.%Y")
    if birth_as == "short":
        return f"{p.birth.day}/{p.birth.month}/{p.birth.year}"
    if birth_as == "month":
        return p.birth.strftime("%m/%Y")
    if birth_as == "year":
        return p.birth.year
    if birth_as == "year_text":
        return str(p.birth.year)
    if birth_as == "serial":
        return float((p.birth - date(1899, 12, 30)).days)
    raise ValueError(birth_as)


def simple_row(i: int, p: Person, birth_as: str = "date") -> list[object]:
    return [i + 1, p.name, birth_value(p, birth_as), p.sex_vi, p.identity, p.ethnicity, p.unit, p.title,
            p.post_start or "", p.notes]  # fmt: skip


def simple_list(persons: Sequence[Person] | None = None, *, birth_as: str = "date") -> bytes:
    """One header row (Excel row 1) of :data:`SIMPLE_HEADER`; people from row 2."""
    persons = list(persons if persons is not None else people())
    return write_rows(
        SIMPLE_HEADER, [simple_row(i, p, birth_as) for i, p in enumerate(persons)], text_columns=[4]
    )


# ------------------------------------------------------------------------------ broken files


def encrypted_xlsx(password: str = "1234") -> bytes:
    """:func:`simple_list` encrypted with a password (msoffcrypto-tool, ECMA-376 agile)."""
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    OOXMLFile(io.BytesIO(simple_list())).encrypt(password, out)
    return out.getvalue()


def docx_bytes() -> bytes:
    """A minimal Word document (a zip with word/document.xml)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        z.writestr("word/document.xml", '<?xml version="1.0"?><w:document/>')
    return buf.getvalue()


def corrupt_files() -> dict[str, bytes]:
    """Files that are not workbooks, by a short name."""
    rnd = random.Random(7)
    good = simple_list()
    return {
        "random": bytes(rnd.randrange(256) for _ in range(4000)),
        "truncated_zip": good[: len(good) // 2],
        "docx_renamed": docx_bytes(),
        "csv_renamed": "STT,Họ và tên,Ngày sinh\n1,Nguyễn Văn An,05/09/1980\n".encode(),
        "html_renamed": b"<html><body><table><tr><td>STT</td></tr></table></body></html>",
        "empty_file": b"",
        "ole_not_excel": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(rnd.randrange(256) for _ in range(3000)),
    }


def empty_workbook(sheets: Sequence[str] = ("Sheet1",)) -> bytes:
    return build_xlsx(*(SheetSpec(name) for name in sheets))


def no_header_workbook() -> bytes:
    """Two sheets with text but no list header."""
    return build_xlsx(
        SheetSpec("Hướng dẫn", [["Hướng dẫn điền danh sách"], ["Ghi mỗi người một dòng."]]),
        SheetSpec("Số liệu", [["Tổng hợp"], ["Xã", "Số lượng"], ["Hợp Thành", 12]]),
    )


def _rewrite_member(data: bytes, member: str, change) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == member:
                body = change(body)
            dst.writestr(info.filename, body)
    return out.getvalue()


def huge_dimension_xlsx(last_row: int = 1_000_001) -> bytes:
    """A small .xlsx whose sheet declares ``<dimension ref="A1:J{last_row}"/>``."""
    data = simple_list()

    def change(body: bytes) -> bytes:
        return re.sub(rb'<dimension ref="[^"]*"/>', f'<dimension ref="A1:J{last_row}"/>'.encode(), body)

    return _rewrite_member(data, "xl/worksheets/sheet1.xml", change)


def rows_without_dimension_xlsx(rows: int = 400_000) -> bytes:
    """An .xlsx whose sheet has no ``<dimension>`` and ``rows`` (empty) ``<row>`` elements
    after its header — small once compressed."""
    data = simple_list()

    def change(body: bytes) -> bytes:
        body = re.sub(rb"<dimension [^>]*/>", b"", body)
        filler = b"".join(b'<row r="%d"/>' % r for r in range(100, 100 + rows))
        return body.replace(b"</sheetData>", filler + b"</sheetData>")

    return _rewrite_member(data, "xl/worksheets/sheet1.xml", change)


def zip_bomb_xlsx(unpacked: int) -> bytes:
    """:func:`simple_list` with an extra member of ``unpacked`` zero bytes (compresses to little)."""
    data = simple_list()
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info.filename))
        dst.writestr("xl/media/padding.bin", b"\0" * unpacked)
    return out.getvalue()


# ------------------------------------------------------------------------------ big and messy


def messy_workbook(n: int = 20_000, seed: int = 11) -> bytes:
    """The report layout with ``n`` people typed every which way: dates as dates, text, years,
    serials; units with and without their kind; titles abbreviated; qualifications in various
    spellings; a few mistakes (bad dates, unknown communes, wrong ID numbers, duplicates)."""
    rnd = random.Random(seed)
    units = ["Xã Hợp Thành", "Hợp Thành", "xa hop thanh", "X. Hợp Thành", "TT Đồng Đăng", "Thị trấn Đồng Đăng",
             "P. Vĩnh Trại", "Phường Vĩnh Trại"]  # fmt: skip
    generals = ["12/12", "9/12", "10/10", "THPT", "Trung học phổ thông"]
    profs = ["Đại học", "ĐH Luật", "Cao đẳng", "Trung cấp", "Thạc sĩ", "Đại học tại chức", ""]
    pols = ["Trung cấp", "Sơ cấp", "Cao cấp", "TC", ""]
    rows: list[list[object]] = [list(r) for r in TITLE_BLOCK]
    top = len(rows)
    rows += [list(REPORT_HEADER_1), list(REPORT_HEADER_2), list(REPORT_NUMBERS)]
    for i in range(n):
        p = person(i)
        birth_as = rnd.choice(["date", "date", "text", "year", "serial", "dash"])
        b = birth_value(p, birth_as)
        if i % 997 == 5:
            b = "31/02/1980"
        unit = rnd.choice(units) if i % 1009 != 7 else "Xã Không Có"
        ident: object = p.identity
        if i % 13 == 0:
            ident = float(p.identity)  # a number cell: the leading 0 is lost
        if i % 1013 == 3:
            ident = "12345"
        row = [
            i + 1, p.name.upper() if i % 17 == 0 else p.name,
            b if p.sex == "male" else "", b if p.sex == "female" else "",
            ident, p.ethnicity, p.religion, "x" if p.party else "", unit, p.title,
            p.post_start if i % 5 else p.post_start.strftime("%d/%m/%Y") if p.post_start else "",
            rnd.choice(generals), rnd.choice(profs), rnd.choice(["Luật", "Kế toán", ""]), rnd.choice(pols),
            rnd.choice(["Chuyên viên", "Cán sự", ""]), rnd.choice(["B", "Chứng chỉ A", "CNTT cơ bản", ""]),
            rnd.choice(["Tiếng Anh B", "Anh văn A", "bậc 2", ""]), "",
        ]  # fmt: skip
        rows.append(row)
        if i % 4999 == 100:
            rows.append([])
    rows.append(["", "Tổng cộng"])
    rows.append(["", "NGƯỜI LẬP BIỂU", "", "", "", "", "", "", "", "", "", "CHỦ TỊCH"])
    merges = [(top, c, top + 1, c) for c in REPORT_VMERGED] + [(top, 2, top, 3), (top, 11, top, 17)]
    return build_xlsx(SheetSpec("Danh sách", rows, merges, text_columns=[4]))


def fill_template(template: bytes, rows: Sequence[Sequence[object]], first_row: int = 6) -> bytes:
    """The template with ``rows`` typed in from Excel row ``first_row`` (openpyxl)."""
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(template))
    ws = wb.worksheets[0]
    for i, row in enumerate(rows):
        for j, v in enumerate(row):
            if v not in ("", None):
                ws.cell(row=first_row + i, column=j + 1, value=v)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
