"""Synthetic lists of commune cadres and civil servants for the import benchmark.

:func:`make_people` draws deterministic synthetic people (names from the pools of
:mod:`canbo.core.synth`, valid ID numbers from :func:`canbo.core.identity.make_identity_number`);
:func:`write_messy` writes them the way communes keep their lists (title block, two-row merged
header with the birth date under "Nam" or "Nữ", a column-numbering row, free-text titles,
communes and qualifications, a signature block); :func:`write_flat` writes the same people as a
flat table with one header row and one column per :class:`~canbo.registry.models.Person` field
(what django-import-export can read). Both use xlsxwriter in ``constant_memory`` mode.

No real person's data: everything is drawn from a seeded ``random.Random``. Pure Python, no Django.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import xlsxwriter

from canbo.core.identity import make_identity_number
from canbo.core.synth import (
    FAMILY_BY_ETHNICITY,
    GIVEN_FEMALE,
    GIVEN_MALE,
    LEGACY_SEATS,
    MIDDLE_FEMALE,
    MIDDLE_MALE,
    _weighted,
)
from canbo.core.text import fold, name_sort_string

AS_OF = date(2024, 12, 31)

#: (typed text, GSO code, weight): the ethnic groups of a northern-central province, with the
#: spellings lists use.
ETHNIC_TEXTS: tuple[tuple[str, str, float], ...] = (
    ("Kinh", "01", 0.66), ("kinh", "01", 0.02), ("Mường", "06", 0.12), ("Thái", "03", 0.09),
    ("H'Mông", "08", 0.015), ("Mông", "08", 0.01), ("Tày", "02", 0.03), ("Nùng", "07", 0.02),
    ("Dao", "09", 0.02), ("Thổ", "24", 0.005), ("Khơ Mú", "29", 0.005), ("DT Mường", "06", 0.005),
)  # fmt: skip

#: Ways lists write each title in force on 31/12/2024 (catalogue code → typed texts).
TITLE_TEXTS: dict[str, tuple[str, ...]] = {
    "BT_DU": ("Bí thư Đảng ủy", "Bí thư ĐU", "BT ĐU"),
    "PBT_DU": ("Phó Bí thư Đảng ủy", "PBT ĐU", "Phó Bí thư TT Đảng ủy"),
    "CT_HDND": ("Chủ tịch HĐND", "CT HĐND", "Chủ tịch Hội đồng nhân dân xã"),
    "PCT_HDND": ("Phó Chủ tịch HĐND", "PCT HĐND"),
    "CT_UBND": ("Chủ tịch UBND", "CT UBND", "Chủ tịch UBND xã"),
    "PCT_UBND": ("Phó Chủ tịch UBND", "PCT UBND", "PCT UBND xã"),
    "CT_MTTQ": ("Chủ tịch UBMTTQ", "CT MTTQ", "Chủ tịch Ủy ban MTTQ Việt Nam xã"),
    "BT_DOAN": ("Bí thư Đoàn TN", "BT Đoàn", "Bí thư Đoàn TNCS Hồ Chí Minh"),
    "CT_HLHPN": ("Chủ tịch Hội LHPN", "CT Hội Phụ nữ", "CT HPN"),
    "CT_HND": ("Chủ tịch Hội Nông dân", "CT HND"),
    "CT_HCCB": ("Chủ tịch Hội CCB", "CT HCCB", "Chủ tịch Hội Cựu chiến binh"),
    "CHT_QS": ("Chỉ huy trưởng Quân sự", "CHT QS", "Chỉ huy trưởng BCHQS"),
    "VP_TK": ("Văn phòng - Thống kê", "VP-TK", "Công chức VP-TK"),
    "DC_XD": ("Địa chính - Xây dựng", "ĐC-XD", "Địa chính - NN - XD và MT"),
    "TC_KT": ("Tài chính - Kế toán", "TC-KT", "Kế toán"),
    "TP_HT": ("Tư pháp - Hộ tịch", "TP-HT", "Công chức Tư pháp - hộ tịch"),
    "VH_XH": ("Văn hóa - Xã hội", "VH-XH", "Công chức VH-XH"),
}
#: Seats of a commune in force on 31/12/2024, weighted as the generator fills them (the
#: commune police chief left the catalogue on 1/8/2023).
TITLE_CODES = tuple(code for code, _kind in LEGACY_SEATS if code in TITLE_TEXTS)

#: Qualification cells, (text, weight) per column; "" is an empty cell.
EDUCATION = (("12/12", 0.80), ("10/10", 0.06), ("9/12", 0.04), ("THPT", 0.10))
PROFESSIONAL = (
    ("ĐH Luật", 0.14), ("Cử nhân kinh tế", 0.12), ("TC Kế toán", 0.08), ("Kỹ sư Nông học", 0.07),
    ("Cao đẳng sư phạm", 0.05), ("Đại học Hành chính", 0.10), ("Cử nhân Luật", 0.08), ("ĐH Kế toán", 0.08),
    ("Trung cấp Văn thư", 0.04), ("CĐ Kế toán", 0.04), ("ThS Quản lý kinh tế", 0.03), ("ĐH Nông nghiệp", 0.05),
    ("Kỹ sư Quản lý đất đai", 0.05), ("", 0.07),
)  # fmt: skip
POLITICS = (
    ("TC LLCT-HC", 0.35),
    ("Sơ cấp", 0.25),
    ("Cao cấp chính trị", 0.05),
    ("Trung cấp", 0.15),
    ("", 0.20),
)
IT = (("B", 0.25), ("Tin học A", 0.20), ("CNTT cơ bản", 0.30), ("Chứng chỉ B", 0.05), ("", 0.20))
LANGUAGE = (("Anh B", 0.35), ("B1", 0.20), ("Tiếng Anh A2", 0.10), ("", 0.35))
NOTES = ("Kiêm nhiệm", "Nghỉ thai sản", "Đang học ĐH Luật", "Mới tuyển dụng", "Biệt phái")


@dataclass(frozen=True)
class Commune:
    """A legacy commune the list may name: its id in the database, code and full name."""

    id: int
    code: str
    name: str  # "Xã Quảng Phú"


@dataclass(frozen=True)
class Row:
    """One person of the list (one row): the truth and how the list writes it."""

    family: str
    middle: str
    given: str
    birth_date: date
    precision: str  # day | year
    born_as: str  # text | year | date
    sex: str
    identity_number: str
    ethnic_text: str
    ethnic_code: str
    title_code: str
    title_text: str
    commune: Commune
    commune_text: str
    name_text: str
    education: str
    professional: str
    politics: str
    it: str
    language: str
    note: str

    @property
    def qualification_cells(self) -> int:
        return sum(1 for c in (self.education, self.professional, self.politics, self.it, self.language) if c)


_PREFIX = re.compile(r"^(Xã|Phường|Thị trấn)\s+")


def bare_name(name: str) -> str:
    return _PREFIX.sub("", name)


def unambiguous(communes: list[Commune]) -> list[Commune]:
    """The communes whose name without its kind prefix, diacritics, case and punctuation is
    unique in the list (so that no text in the list can name two of them)."""

    def key(c: Commune) -> str:
        return re.sub(r"[^0-9a-z]", "", fold(bare_name(c.name)))

    seen: dict[str, int] = {}
    for c in communes:
        seen[key(c)] = seen.get(key(c), 0) + 1
    return [c for c in communes if seen[key(c)] == 1]


def _commune_text(rng: random.Random, c: Commune) -> str:
    r = rng.random()
    if r < 0.50:
        return c.name  # "Xã Quảng Phú"
    if r < 0.85:
        return bare_name(c.name)  # "Quảng Phú"
    if r < 0.95:
        return fold(bare_name(c.name)).title()  # "Quang Phu"
    return fold(c.name)  # "xa quang phu"


def make_people(n: int, communes: list[Commune], province_no: int, *, seed: int = 2024) -> list[Row]:
    """``n`` synthetic people, aged 20–59 on 31/12/2024, each in one post of one commune."""
    rng = random.Random(seed)
    serials = rng.sample(range(1_000_000), n)  # unique ID numbers whatever the year and sex
    ethnic = [(t, w) for t, _c, w in ETHNIC_TEXTS]
    ethnic_code = {t: c for t, c, _w in ETHNIC_TEXTS}
    earliest, latest = date(1965, 1, 1), date(2004, 12, 31)  # 59 … 20 years old on 31/12/2024
    span = (latest - earliest).days
    rows: list[Row] = []
    for i in range(n):
        sex = "female" if rng.random() < 0.42 else "male"
        e_text = _weighted(rng, ethnic)
        code = ethnic_code[e_text]
        families = FAMILY_BY_ETHNICITY.get(code, FAMILY_BY_ETHNICITY["01"])
        family = rng.choice(families if rng.random() < 0.7 else FAMILY_BY_ETHNICITY["01"])
        middle = rng.choice(MIDDLE_FEMALE if sex == "female" else MIDDLE_MALE)
        given = rng.choice(GIVEN_FEMALE if sex == "female" else GIVEN_MALE)
        born = earliest + timedelta(days=rng.randrange(span + 1))
        r = rng.random()
        born_as = "text" if r < 0.70 else ("year" if r < 0.80 else "date")
        precision = "year" if born_as == "year" else "day"
        if precision == "year":
            born = date(born.year, 1, 1)
        title = rng.choice(TITLE_CODES)
        commune = communes[i % len(communes)] if i < len(communes) else rng.choice(communes)
        name_text = f"{family} {middle} {given}"
        r = rng.random()
        if r < 0.02:
            name_text = f" {name_text}  "
        elif r < 0.03:
            name_text = name_text.upper()
        rows.append(
            Row(
                family=family,
                middle=middle,
                given=given,
                birth_date=born,
                precision=precision,
                born_as=born_as,
                sex=sex,
                identity_number=make_identity_number(province_no, born.year, sex, serials[i]),
                ethnic_text=e_text,
                ethnic_code=code,
                title_code=title,
                title_text=rng.choice(TITLE_TEXTS[title]),
                commune=commune,
                commune_text=_commune_text(rng, commune),
                name_text=name_text,
                education=_weighted(rng, EDUCATION),
                professional=_weighted(rng, PROFESSIONAL),
                politics=_weighted(rng, POLITICS),
                it=_weighted(rng, IT),
                language=_weighted(rng, LANGUAGE),
                note=rng.choice(NOTES) if rng.random() < 0.03 else "",
            )
        )
    return rows


def change_some(rows: list[Row], share: float, *, seed: int = 2025) -> tuple[list[Row], int]:
    """The later list of the same people: ``share`` of them changed the way a commune's next
    list changes them, five kinds in turn — a higher political-theory level, a new (or dropped)
    IT certificate, another foreign-language level, a year-only birth date completed to the full
    date of that year (written as text; a person already born on a known day has their ethnic
    group written in another spelling instead, which is no change), an ethnic group corrected
    (another group). Returns the new rows (same order) and how many people changed."""
    from dataclasses import replace

    rng = random.Random(seed)
    changed = set(rng.sample(range(len(rows)), round(len(rows) * share)))
    spelling = {
        "Kinh": "kinh",
        "kinh": "Kinh",
        "Mường": "DT Mường",
        "DT Mường": "Mường",
        "H'Mông": "Mông",
        "Mông": "H'Mông",
    }
    out = []
    for i, p in enumerate(rows):
        if i in changed:
            kind = i % 5
            if kind == 0:
                p = replace(
                    p,
                    politics="Cao cấp chính trị"
                    if p.politics != "Cao cấp chính trị"
                    else "Cử nhân chính trị",
                )
            elif kind == 1:
                p = replace(
                    p, it="Chứng chỉ ứng dụng CNTT cơ bản" if p.it != "Chứng chỉ ứng dụng CNTT cơ bản" else ""
                )
            elif kind == 2:
                p = replace(p, language="Tiếng Anh B1" if p.language != "Tiếng Anh B1" else "Tiếng Anh B2")
            elif kind == 3 and p.precision == "year":
                day = p.birth_date + timedelta(days=rng.randrange(365))
                p = replace(
                    p,
                    birth_date=day if day.year == p.birth_date.year else p.birth_date,
                    precision="day",
                    born_as="text",
                )
            elif kind == 3:
                p = replace(p, ethnic_text=spelling.get(p.ethnic_text, p.ethnic_text))
            else:
                text, code, _w = next(e for e in ETHNIC_TEXTS if e[1] != p.ethnic_code and e[0][0].isupper())
                p = replace(p, ethnic_text=text, ethnic_code=code)
        out.append(p)
    return out, len(changed)


# --------------------------------------------------------------------------- the messy list

HEADER = ("STT", "Họ và tên", "Nam", "Nữ", "Số CCCD", "Dân tộc", "Chức vụ", "Đơn vị", "Văn hóa", "Chuyên môn",
          "LLCT", "Tin học", "Ngoại ngữ", "Ghi chú")  # fmt: skip
NCOLS = len(HEADER)


def write_messy(
    path: Path, rows: list[Row], *, issuer: str, place: str, signature_names: bool = True, progress=None
) -> Path:
    """The list the way communes keep it (see the module docstring); returns ``path``."""
    say = progress or (lambda _m: None)
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    ws = wb.add_worksheet("DS CBCC")
    title = wb.add_format({"bold": True, "align": "center", "font_size": 14})
    centre = wb.add_format({"align": "center"})
    italic = wb.add_format({"italic": True, "align": "center"})
    bold = wb.add_format({"bold": True, "align": "center"})
    head = wb.add_format(
        {"bold": True, "align": "center", "valign": "vcenter", "border": 1, "text_wrap": True}
    )
    cell = wb.add_format({"border": 1})
    day = wb.add_format({"border": 1, "num_format": "dd/mm/yyyy"})
    for col, width in enumerate((5, 24, 11, 11, 14, 9, 22, 20, 8, 20, 12, 10, 10, 14)):
        ws.set_column(col, col, width)

    # Title block (rows 1–6).
    ws.merge_range(0, 0, 0, 4, issuer.upper(), bold)
    ws.merge_range(0, 8, 0, 13, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold)
    ws.merge_range(1, 0, 1, 4, "SỞ NỘI VỤ", bold)
    ws.merge_range(1, 8, 1, 13, "Độc lập - Tự do - Hạnh phúc", bold)
    ws.merge_range(3, 0, 3, 13, "DANH SÁCH CÁN BỘ, CÔNG CHỨC CẤP XÃ", title)
    ws.merge_range(4, 0, 4, 13, f"Tính đến ngày {AS_OF:%d/%m/%Y}", italic)

    # Two-row merged header (rows 7–8). In constant_memory mode a row is flushed as soon as a
    # later row is written, so the vertical merges are registered without their padding cells
    # (format None) and the cells of both rows written in order.
    top, sub = 6, 7
    vertical = {
        0: "STT",
        1: "Họ và tên",
        4: "Số CCCD",
        5: "Dân tộc",
        6: "Chức vụ",
        7: "Đơn vị",
        13: "Ghi chú",
    }
    for col in range(NCOLS):
        if col in vertical:
            ws.merge_range(top, col, sub, col, "", None)
            ws.write_string(top, col, vertical[col], head)
        elif col == 2:
            ws.merge_range(top, 2, top, 3, "Ngày, tháng, năm sinh", head)
        elif col == 8:
            ws.merge_range(top, 8, top, 12, "Trình độ", head)
    for col in range(NCOLS):
        if col in vertical:
            ws.write_blank(sub, col, None, head)
        else:
            ws.write_string(sub, col, HEADER[col], head)
    for col in range(NCOLS):  # column numbering (1), (2) …
        ws.write_number(sub + 1, col, col + 1, centre)

    r = sub + 2
    for i, p in enumerate(rows, start=1):
        ws.write_number(r, 0, i, cell)
        ws.write_string(r, 1, p.name_text, cell)
        col, other = (2, 3) if p.sex == "male" else (3, 2)
        if p.born_as == "text":
            ws.write_string(r, col, f"{p.birth_date:%d/%m/%Y}", cell)
        elif p.born_as == "year":
            ws.write_number(r, col, p.birth_date.year, cell)
        else:
            ws.write_datetime(r, col, datetime(p.birth_date.year, p.birth_date.month, p.birth_date.day), day)
        ws.write_blank(r, other, None, cell)
        ws.write_string(r, 4, p.identity_number, cell)
        ws.write_string(r, 5, p.ethnic_text, cell)
        ws.write_string(r, 6, p.title_text, cell)
        ws.write_string(r, 7, p.commune_text, cell)
        for c, text in enumerate(
            (p.education, p.professional, p.politics, p.it, p.language, p.note), start=8
        ):
            if text:
                ws.write_string(r, c, text, cell)
            else:
                ws.write_blank(r, c, None, cell)
        r += 1
        if i % 50_000 == 0:
            say(f"  {i:,} dòng…")

    # Signature block.
    r += 1
    ws.merge_range(r, 8, r, 13, f"{place}, ngày 15 tháng 01 năm 2025", italic)
    r += 1
    ws.merge_range(r, 1, r, 3, "Người lập biểu", bold)
    ws.merge_range(r, 8, r, 13, "THỦ TRƯỞNG ĐƠN VỊ", bold)
    r += 1
    ws.merge_range(r, 1, r, 3, "(Ký, ghi rõ họ tên)", italic)
    ws.merge_range(r, 8, r, 13, "(Ký tên, đóng dấu)", italic)
    if signature_names:
        r += 4
        ws.merge_range(r, 1, r, 3, "Lê Thị Hồng Nhung", bold)
        ws.merge_range(r, 8, r, 13, "Nguyễn Văn Thắng", bold)
    wb.close()
    return path


# --------------------------------------------------------------------------- the flat list

FLAT_COLUMNS = ("identity_number", "family_name", "middle_name", "given_name", "birth_date", "birth_date_precision",
                "sex", "ethnicity", "managing_unit", "name_folded", "sort_name")  # fmt: skip


def write_flat(path: Path, rows: list[Row], unit_id_of: dict[str, int]) -> Path:
    """The same people as a flat table (one header row, one column per Person field, the unit as
    its database id, the derived name keys precomputed); ``unit_id_of`` maps commune codes to ids."""
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    ws = wb.add_worksheet("Person")
    for col, name in enumerate(FLAT_COLUMNS):
        ws.write_string(0, col, name)
    for r, p in enumerate(rows, start=1):
        full = f"{p.family} {p.middle} {p.given}"
        values = (
            p.identity_number,
            p.family,
            p.middle,
            p.given,
            p.birth_date.isoformat(),
            p.precision,
            p.sex,
            p.ethnic_code,
            unit_id_of[p.commune.code],
            fold(full),
            name_sort_string(p.family, p.middle, p.given),
        )
        for col, v in enumerate(values):
            if isinstance(v, int):
                ws.write_number(r, col, v)
            else:
                ws.write_string(r, col, v)
    wb.close()
    return path
