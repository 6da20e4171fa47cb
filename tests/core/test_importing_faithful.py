"""canbo.core.importing keeps every fact a list carries and invents none (issue 9, items 2–4 and
"Bad input"): every column kept, Party membership in all its spellings, the right commune for
every row, ID numbers that lost their leading zeros, summary and note rows wherever they stand,
and qualification cells read with low confidence — each shown as a warning. Real .xlsx files
written with xlsxwriter (no database)."""

from __future__ import annotations

from datetime import date

import pytest
from importing_fixtures import SheetSpec, build_xlsx, context, write_rows

import canbo.core.importing.rows as rows_module
from canbo.core.identity import make_identity_number
from canbo.core.importing import ImportRefused, read_list
from canbo.core.normalise import ReadQualification
from canbo.core.scales import Dimension

HEADER = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Chức danh", "Xã", "Đảng viên"]


def row(n: int = 1, name: str = "Nguyễn Văn An", born: object = date(1980, 3, 4), sex: str = "Nam",
        title: str = "VP-TK", unit: str = "Hợp Thành", party: object = "") -> list[object]:  # fmt: skip
    return [n, name, born, sex, title, unit, party]


def codes(plan, *wanted):
    return [(p.code, p.row) for p in plan.problems if p.code in wanted]


# ------------------------------------------------------------------------------ 2. Party membership


@pytest.mark.parametrize(
    ("cell", "member", "joined", "precision"),
    [
        ("x", True, None, "day"),
        ("X", True, None, "day"),
        ("✓", True, None, "day"),
        ("có", True, None, "day"),
        ("Có", True, None, "day"),
        ("Đảng viên", True, None, "day"),
        ("ĐV", True, None, "day"),
        ("đv", True, None, "day"),
        ("không", False, None, "day"),
        ("Không", False, None, "day"),
        ("", None, None, "day"),  # blank: unknown, never "not a member"
        ("19/05/2005", True, date(2005, 5, 19), "day"),
        (date(2005, 5, 19), True, date(2005, 5, 19), "day"),
        (38491, True, date(2005, 5, 19), "day"),  # an Excel date number (general format)
        (2005, True, date(2005, 1, 1), "year"),  # a year
        ("2005", True, date(2005, 1, 1), "year"),
        ("05/2005", True, date(2005, 5, 1), "month"),
    ],
)
def test_party_membership_in_every_spelling(cell, member, joined, precision):
    (r,) = read_list(write_rows(HEADER, [row(party=cell)]), context()).rows
    assert (r.is_party_member, r.party_joined_on) == (member, joined)
    assert r.party_joined_on_precision == precision
    assert r.party_official_on is None
    assert not r.problems or all(p.severity == "warning" for p in r.problems)


@pytest.mark.parametrize(
    ("cell", "joined", "official"),
    [
        ("19/05/2005 - 19/05/2006", date(2005, 5, 19), date(2006, 5, 19)),
        ("19/05/2005\n19/05/2006", date(2005, 5, 19), date(2006, 5, 19)),
        ("DB: 2005, CT: 2006", date(2005, 1, 1), date(2006, 1, 1)),
    ],
)
def test_a_cell_with_the_admission_and_the_full_membership_dates(cell, joined, official):
    (r,) = read_list(write_rows(HEADER, [row(party=cell)]), context()).rows
    assert (r.is_party_member, r.party_joined_on, r.party_official_on) == (True, joined, official)
    assert not r.problems


def test_no_party_column_is_unknown():
    header = HEADER[:-1]
    (r,) = read_list(write_rows(header, [row()[:-1]]), context()).rows
    assert r.is_party_member is None


def test_admission_and_full_membership_dates_are_both_kept():
    header = [
        "STT",
        "Họ và tên",
        "Năm sinh",
        "Giới tính",
        "Chức danh",
        "Xã",
        "Ngày vào Đảng",
        "Ngày chính thức vào Đảng",
    ]
    rows = [
        [1, "Nguyễn Văn An", 1980, "Nam", "VP-TK", "Hợp Thành", "03/02/2004", "03/02/2005"],
        [2, "Trần Văn Bình", 1981, "Nam", "VP-TK", "Hợp Thành", "x", ""],
        [3, "Lê Văn Cường", 1982, "Nam", "VP-TK", "Hợp Thành", "", "2010"],
        [4, "Hà Văn Dũng", 1983, "Nam", "VP-TK", "Hợp Thành", "03/02/2010", "03/02/2009"],
    ]
    plan = read_list(write_rows(header, rows), context())
    assert plan.columns["party_joined_on"] == "G (Ngày vào Đảng)"
    assert plan.columns["party_official_on"] == "H (Ngày chính thức vào Đảng)"
    a, b, c, d = plan.rows
    assert (a.is_party_member, a.party_joined_on, a.party_official_on) == (
        True,
        date(2004, 2, 3),
        date(2005, 2, 3),
    )
    assert (b.is_party_member, b.party_joined_on, b.party_official_on) == (True, None, None)
    # only the full-membership year: a member; the admission date is not invented from it
    assert (c.is_party_member, c.party_joined_on, c.party_official_on) == (True, None, date(2010, 1, 1))
    assert c.party_official_on_precision == "year"
    (p,) = [p for p in d.problems if p.code == "bad_date"]
    assert (p.column, p.severity) == ("H", "error") and "trước ngày vào Đảng" in p.message_vi


def test_not_a_member_in_one_column_and_a_date_in_another_is_a_warning():
    header = ["STT", "Họ và tên", "Năm sinh", "Giới tính", "Chức danh", "Xã", "Đảng viên", "Ngày vào Đảng"]
    rows = [[1, "Nguyễn Văn An", 1980, "Nam", "VP-TK", "Hợp Thành", "không", "03/02/2004"]]
    (r,) = read_list(write_rows(header, rows), context()).rows
    assert (r.is_party_member, r.party_joined_on) == (True, date(2004, 2, 3))
    (p,) = [p for p in r.problems if p.code == "party_conflict"]
    assert (p.severity, p.column, p.value) == ("warning", "G", "không")


def test_party_group_header_over_probationary_and_full():
    rows = [
        ["STT", "Họ và tên", "Năm sinh", "Giới tính", "Chức danh", "Xã", "Ngày vào Đảng", ""],
        ["", "", "", "", "", "", "Dự bị", "Chính thức"],
        [1, "Nguyễn Văn An", 1980, "Nam", "VP-TK", "Hợp Thành", "03/02/2004", "03/02/2005"],
    ]
    merges = [(0, c, 1, c) for c in range(6)] + [(0, 6, 0, 7)]
    (r,) = read_list(build_xlsx(SheetSpec("DS", rows, merges)), context()).rows
    assert (r.party_joined_on, r.party_official_on) == (date(2004, 2, 3), date(2005, 2, 3))


# ------------------------------------------------------------------------------ 2. every column kept

FULL_HEADER = [
    "STT", "Họ và tên", "Ngày sinh", "Giới tính", "Số định danh cá nhân", "Dân tộc", "Tôn giáo", "Quê quán",
    "Đảng viên", "Ngày vào Đảng", "Ngày chính thức vào Đảng", "Xã", "Chức danh", "Ngày bổ nhiệm", "Văn hóa",
    "Chuyên môn", "Chuyên ngành", "Lý luận chính trị", "Quản lý nhà nước", "Tin học", "Ngoại ngữ",
    "Tiếng dân tộc", "Ghi chú", "Hệ số lương", "Số điện thoại", "", "Hệ số lương",
]  # fmt: skip


def test_every_recognised_column_gives_a_value_and_the_others_are_kept_verbatim():
    ident = make_identity_number(20, 1980, "female", 123)
    values = [
        1, "Hoàng Thị Mai", date(1980, 3, 4), "Nữ", ident, "Tày", "Phật giáo", "Cao Lộc, Lạng Sơn",
        "x", "19/05/2005", "19/05/2006", "Hợp Thành", "VP-TK", date(2021, 7, 1), "12/12",
        "Đại học", "Luật", "Trung cấp", "Chuyên viên", "Chứng chỉ B", "Tiếng Anh B",
        "Chứng chỉ tiếng Tày", "Chuyển đến 2020", 2.34, "0912 345 678", "nhóm 2", "3,00",
    ]  # fmt: skip
    plan = read_list(write_rows(FULL_HEADER, [values], text_columns=[4]), context())
    (r,) = plan.rows
    recognised = {k.split("#")[0] for k in plan.columns}
    assert recognised == {
        "stt", "full_name", "birth_date", "sex", "identity_number", "ethnicity", "religion", "home_town",
        "party", "party_joined_on", "party_official_on", "unit", "title", "post_start", "general_education",
        "professional", "major", "political_theory", "state_management", "it", "foreign_language",
        "ethnic_language", "notes",
    }  # fmt: skip
    assert (r.family_name, r.middle_name, r.given_name) == ("Hoàng", "Thị", "Mai")
    assert (r.birth_date, r.sex, r.identity_number) == (date(1980, 3, 4), "female", ident)
    assert (r.ethnicity, r.religion, r.home_town) == ("02", "Phật giáo", "Cao Lộc, Lạng Sơn")
    assert (r.is_party_member, r.party_joined_on, r.party_official_on) == (
        True,
        date(2005, 5, 19),
        date(2006, 5, 19),
    )
    assert (r.unit_code, r.unit_source, r.title_code, r.post_start) == (
        "90001",
        "column",
        "VP_TK",
        date(2021, 7, 1),
    )
    # each qualification column gives its qualification, from its column, with the text as typed
    assert {(q.dimension, q.column, q.original_text) for q in r.qualifications} == {
        ("general_education", "O", "12/12"), ("professional", "P", "Đại học — Chuyên ngành: Luật"),
        ("political_theory", "R", "Trung cấp"), ("state_management", "S", "Chuyên viên"),
        ("it", "T", "Chứng chỉ B"), ("foreign_language", "U", "Tiếng Anh B"),
        ("ethnic_language", "V", "Chứng chỉ tiếng Tày"),
    }  # fmt: skip
    assert any(q.dimension == "professional" and q.field_of_study == "law" for q in r.qualifications)
    assert r.notes == "Chuyển đến 2020"
    # not recognised: kept as typed, by header (a second "Hệ số lương" by its letter; no header: "Cột Z")
    assert r.extra == {"Hệ số lương": "2.34", "Số điện thoại": "0912 345 678", "Cột Z": "nhóm 2",
                       "Hệ số lương [AA]": "3,00"}  # fmt: skip
    assert plan.ignored_columns == ["X (Hệ số lương)", "Y (Số điện thoại)", "AA (Hệ số lương)"]


def test_blank_unrecognised_cells_are_left_out():
    header = [*HEADER, "Hệ số lương"]
    a, b = read_list(write_rows(header, [[*row(), "2,34"], [*row(2, "Trần Văn Bình"), ""]]), context()).rows
    assert (a.extra, b.extra) == ({"Hệ số lương": "2,34"}, {})


# ------------------------------------------------------------------------------ 3. the commune


def district(**changes):
    """An import for a district: no default commune."""
    return context(default_unit=None, unit_name="Huyện Cao Lộc", **changes)


NO_UNIT = ["STT", "Họ và tên", "Năm sinh", "Giới tính", "Chức danh"]


def people_rows(*names: str) -> list[list[object]]:
    return [[i + 1, n, 1980 + i, "Nam", "VP-TK"] for i, n in enumerate(names)]


def test_one_sheet_per_commune_named_after_it():
    data = build_xlsx(
        SheetSpec("Xã Hợp Thành", [NO_UNIT, *people_rows("Nguyễn Văn An", "Trần Văn Bình")]),
        SheetSpec("TT Đồng Đăng", [NO_UNIT, *people_rows("Lê Văn Cường")]),
        SheetSpec("Vĩnh Trại", [NO_UNIT, *people_rows("Hà Văn Dũng")]),
    )
    plan = read_list(data, district())
    assert [(r.given_name, r.unit_code, r.unit_source) for r in plan.rows] == [
        ("An", "90001", "sheet_name"), ("Bình", "90001", "sheet_name"), ("Cường", "90002", "sheet_name"),
        ("Dũng", "90003", "sheet_name"),
    ]  # fmt: skip
    assert plan.unit_counts == {"90001": 2, "90002": 1, "90003": 1}
    assert plan.sheet_units == {"Xã Hợp Thành": ("90001", "sheet_name"), "TT Đồng Đăng": ("90002", "sheet_name"),
                                "Vĩnh Trại": ("90003", "sheet_name")}  # fmt: skip
    assert not plan.errors


def test_commune_from_the_title_block():
    title_a = [["UBND XÃ HỢP THÀNH", "", "", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"], ["DANH SÁCH CÁN BỘ"], []]
    title_b = [["ỦY BAN NHÂN DÂN\nPHƯỜNG VĨNH TRẠI"], []]
    title_c = [["PHƯỜNG VĨNH TRẠI"]]
    title_d = [["UBND HUYỆN CAO LỘC"], ["DANH SÁCH CÁN BỘ, CÔNG CHỨC THỊ TRẤN ĐỒNG ĐĂNG"]]
    data = build_xlsx(
        SheetSpec("Sheet1", [*title_a, NO_UNIT, *people_rows("Nguyễn Văn An")]),
        SheetSpec("Sheet2", [*title_b, NO_UNIT, *people_rows("Trần Văn Bình")]),
        SheetSpec("Sheet3", [*title_c, NO_UNIT, *people_rows("Lê Văn Cường")]),
        SheetSpec("Sheet4", [*title_d, NO_UNIT, *people_rows("Hà Văn Dũng")]),
    )
    plan = read_list(data, district())
    assert [(r.given_name, r.unit_code, r.unit_source) for r in plan.rows] == [
        ("An", "90001", "sheet_title"), ("Bình", "90003", "sheet_title"), ("Cường", "90003", "sheet_title"),
        ("Dũng", "90002", "sheet_title"),
    ]  # fmt: skip
    assert plan.unit_counts == {"90001": 1, "90003": 2, "90002": 1}


def test_sheets_naming_different_communes_are_not_filed_under_the_unit_imported_for():
    data = build_xlsx(
        SheetSpec("Xã Hợp Thành", [NO_UNIT, *people_rows("Nguyễn Văn An")]),
        SheetSpec("Thị trấn Đồng Đăng", [NO_UNIT, *people_rows("Trần Văn Bình")]),
        SheetSpec("Cán bộ khác", [NO_UNIT, *people_rows("Lê Văn Cường")]),
    )
    plan = read_list(data, context(default_unit="90001"))
    assert [(r.given_name, r.unit_code, r.unit_source) for r in plan.rows] == [
        ("An", "90001", "sheet_name"), ("Bình", "90002", "sheet_name"), ("Cường", "90001", "default"),
    ]  # fmt: skip
    assert plan.unit_counts == {"90001": 2, "90002": 1}


def test_a_sheet_naming_a_commune_not_in_scope_is_an_error_not_the_default():
    data = build_xlsx(
        SheetSpec("Xã Hợp Thành", [NO_UNIT, *people_rows("Nguyễn Văn An")]),
        SheetSpec("Xã Không Có", [NO_UNIT, *people_rows("Trần Văn Bình")]),
    )
    plan = read_list(data, context(default_unit="90001"))
    a, b = plan.rows
    assert a.unit_code == "90001" and b.unit_code is None
    (p,) = [p for p in b.problems if p.code == "unknown_unit"]
    assert (p.sheet, p.row, p.severity, p.value) == ("Xã Không Có", 2, "error", "Xã Không Có")
    assert "Tên trang “Xã Không Có”" in p.message_vi and "không được ghi cho đơn vị khác" in p.message_vi
    assert plan.unit_counts == {"90001": 1}


def test_a_column_beats_the_sheet_and_a_blank_cell_falls_back_to_the_sheet():
    header = [*NO_UNIT, "Xã"]
    rows = [
        [1, "Nguyễn Văn An", 1980, "Nam", "VP-TK", "Đồng Đăng"],
        [2, "Trần Văn Bình", 1981, "Nam", "VP-TK", ""],
    ]
    plan = read_list(build_xlsx(SheetSpec("Xã Hợp Thành", [header, *rows])), district())
    assert [(r.unit_code, r.unit_source) for r in plan.rows] == [("90002", "column"), ("90001", "sheet_name")]


def test_group_rows_naming_communes_beat_the_sheet():
    rows = [NO_UNIT, ["I", "Xã Hợp Thành"], *people_rows("Nguyễn Văn An"), ["II", "Phường Vĩnh Trại"],
            [2, "Trần Văn Bình", 1981, "Nam", "VP-TK"]]  # fmt: skip
    plan = read_list(build_xlsx(SheetSpec("Xã Hợp Thành", rows)), district())
    assert [(r.unit_code, r.unit_source) for r in plan.rows] == [
        ("90001", "group_row"),
        ("90003", "group_row"),
    ]


def test_a_workbook_naming_no_commune_is_refused_for_a_district():
    data = build_xlsx(
        SheetSpec("Cán bộ", [NO_UNIT, *people_rows("Nguyễn Văn An")]),
        SheetSpec("Công chức", [NO_UNIT, *people_rows("Trần Văn Bình")]),
    )
    with pytest.raises(ImportRefused) as exc:
        read_list(data, district())
    (p,) = exc.value.problems
    assert (p.code, p.severity, p.sheet) == ("no_commune", "error", "Cán bộ")
    assert "Huyện Cao Lộc" in p.message_vi and "“Cán bộ”, “Công chức”" in p.message_vi
    assert "thêm cột “Xã/phường”" in p.message_vi and "đặt tên trang theo tên xã" in p.message_vi
    assert "Xã/phường" in p.message_en and "named after it" in p.message_en
    # the same workbook for a commune: its rows are that commune's
    plan = read_list(data, context(default_unit="90002"))
    assert plan.unit_counts == {"90002": 2}


def test_a_commune_column_left_blank_is_refused_for_a_district_too():
    header = [*NO_UNIT, "Xã"]
    rows = [[1, "Nguyễn Văn An", 1980, "Nam", "VP-TK", ""], [2, "Trần Văn Bình", 1981, "Nam", "VP-TK", ""]]
    with pytest.raises(ImportRefused) as exc:
        read_list(write_rows(header, rows), district())
    assert [p.code for p in exc.value.problems] == ["no_commune"]
    # one row naming its commune: the others are errors of their own rows, not a refusal
    rows[0][5] = "Hợp Thành"
    plan = read_list(write_rows(header, rows), district())
    assert [r.unit_code for r in plan.rows] == ["90001", None]
    assert [(p.code, p.row, p.column) for p in plan.errors] == [("missing_unit", 3, "F")]


def test_sheet_name_and_title_naming_different_communes_is_a_warning():
    rows = [["UBND XÃ HỢP THÀNH"], [], NO_UNIT, *people_rows("Nguyễn Văn An")]
    plan = read_list(build_xlsx(SheetSpec("Phường Vĩnh Trại", rows)), district())
    assert plan.rows[0].unit_code == "90003"
    (p,) = [p for p in plan.warnings if p.code == "sheet_unit_conflict"]
    assert p.sheet == "Phường Vĩnh Trại" and "Xã Hợp Thành" in p.message_vi


# ------------------------------------------------------------------------------ 4. ID numbers

ID_HEADER = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "Chức danh", "Xã"]


def id_plan(value: object, born: object = date(1980, 3, 4), sex: str = "Nam"):
    plan = read_list(
        write_rows(ID_HEADER, [[1, "Nguyễn Văn An", born, sex, value, "VP-TK", "Hợp Thành"]]), context()
    )
    return plan.rows[0]


def test_one_lost_leading_zero_is_restored_and_shown():
    r = id_plan(20080000123)  # 020 080 000123 stored as a number
    assert r.identity_number == "020080000123"
    (p,) = [p for p in r.problems if p.code == "identity_number_as_number"]
    assert (p.severity, p.column, p.value) == ("warning", "E", "20080000123")
    assert "đã khôi phục số 0 đầu: 20080000123 → 020080000123" in p.message_vi
    assert "20080000123 → 020080000123" in p.message_en


def test_two_lost_leading_zeros_are_restored():
    r = id_plan(1180000123.0, born=date(1980, 3, 4), sex="Nữ")  # 001 1 80 000123: Hà Nội, a woman born 1980
    assert r.identity_number == "001180000123"
    (p,) = [p for p in r.problems if p.code == "identity_number_as_number"]
    assert "1180000123 → 001180000123" in p.message_vi and "2 số 0" in p.message_vi


@pytest.mark.parametrize(
    ("value", "born", "sex", "reason"),
    [
        (20180000123, date(1980, 3, 4), "Nam", "giới tính"),  # the sex digit says a woman
        (20280000123, date(1980, 3, 4), "Nam", "chữ số thứ 4"),  # born 2000–2099
        (20081000123, date(1980, 3, 4), "Nam", "năm sinh"),  # year digits 81
        (3080000123, date(1980, 3, 4), "Nam", "mã tỉnh"),  # 003 is no province
        (20080000123, "", "Nam", "không có năm sinh"),  # nothing to check against
    ],
)
def test_a_restoration_that_is_not_consistent_is_flagged_with_the_reason(value, born, sex, reason):
    r = id_plan(value, born=born, sex=sex)
    assert r.identity_number is None
    (p,) = [p for p in r.problems if p.code == "identity_number_not_restored"]
    assert (p.severity, p.column, p.value) == ("error", "E", str(value))
    assert reason in p.message_vi
    assert not [p for p in r.problems if p.code == "identity_number_as_number"]


def test_digits_typed_as_text_are_not_padded():
    r = id_plan("20080000123")
    assert r.identity_number is None
    assert [p.code for p in r.problems if p.severity == "error"] == ["bad_identity_number"]


# ------------------------------------------------------------------------------ 4. summary and note rows


def test_summary_note_and_signature_rows_wherever_they_stand():
    rows = [
        ["DANH SÁCH CÁN BỘ"],
        HEADER,
        row(1, "Nguyễn Văn An"),
        row(2, "Trần Thị Bình", sex="Nữ"),
        ["", "Cộng: 2 người"],
        ["", "Trong đó: nữ 1, đảng viên 0"],
        row(3, "Lê Văn Cường"),
        ["", "- Nữ: 1 người"],
        ["", "+ Đảng viên: 2"],
        ["Ghi chú: danh sách chưa gồm người hoạt động không chuyên trách"],
        ["", "Tổng cộng", "", "", "3"],
        ["", "Người lập biểu", "", "", "", "Thủ trưởng đơn vị"],
        ["", "(Ký, ghi rõ họ tên)"],
        ["", "Hoàng Văn Ký", "", "", "", "Lý Văn Duyệt"],
        [4, "Hà Văn Dũng", date(1984, 1, 2), "Nam", "VP-TK", "Hợp Thành"],  # a person after the signatures
        ["", "", "", "", "", "Hợp Thành, ngày 31 tháng 12 năm 2024"],
        ["", "Tổng số"],
    ]
    plan = read_list(build_xlsx(SheetSpec("DS", rows)), context())
    assert [r.given_name for r in plan.rows] == ["An", "Bình", "Cường", "Dũng"]
    assert [r.row for r in plan.rows] == [3, 4, 7, 15]
    skipped = codes(plan, "summary_row", "note_row", "signature_row")
    assert skipped == [
        ("summary_row", 5), ("summary_row", 6), ("summary_row", 8), ("summary_row", 9), ("note_row", 10),
        ("summary_row", 11), ("signature_row", 12), ("signature_row", 13), ("signature_row", 14),
        ("signature_row", 16), ("summary_row", 17),
    ]  # fmt: skip
    by_row = {p.row: p for p in plan.warnings if p.code.endswith("_row")}
    assert (
        by_row[5].value == "Cộng: 2 người"
        and by_row[5].sheet == "DS"
        and "không nhập" in by_row[5].message_vi
    )
    assert by_row[8].value == "- Nữ: 1 người"
    assert by_row[14].value == "Hoàng Văn Ký | Lý Văn Duyệt"
    assert all(p.severity == "warning" for p in by_row.values())
    # in file order with the rows' own problems
    rows_in_order = [p.row for p in plan.problems if p.row is not None]
    assert rows_in_order == sorted(rows_in_order)


def test_a_group_row_for_civil_servants_is_not_a_summary():
    rows = [HEADER, ["I", "Cán bộ"], row(1), ["II", "Công chức"], row(2, "Trần Văn Bình")]
    plan = read_list(build_xlsx(SheetSpec("DS", rows)), context())
    assert [r.full_name for r in plan.rows] == ["Nguyễn Văn An", "Trần Văn Bình"]
    assert not codes(plan, "summary_row", "note_row", "signature_row")


# ------------------------------------------------------------------------------ qualifications read with doubt


def test_a_qualification_read_with_low_confidence_is_a_warning_with_its_reason(monkeypatch):
    def fake(text, hint=None):
        if text == "Tin học văn phòng":
            return [ReadQualification(text, Dimension.IT, "basic", confidence=0.6, reason_vi="không ghi trình độ: suy ra",
                                      reason_en="no level given: inferred")]  # fmt: skip
        return [ReadQualification(text, None, None, reason_vi="không rõ", reason_en="unclear")]

    monkeypatch.setattr(rows_module, "read_qualifications", fake)
    header = [*HEADER, "Tin học", "Chuyên môn"]
    plan = read_list(write_rows(header, [[*row(), "Tin học văn phòng", "Trường ABC"]]), context())
    (r,) = plan.rows
    (low,) = [p for p in r.problems if p.code == "uncertain_qualification"]
    assert (low.sheet, low.row, low.column, low.header, low.severity) == (
        "Danh sách",
        2,
        "H",
        "Tin học",
        "warning",
    )
    assert "không ghi trình độ: suy ra" in low.message_vi and "60" in low.message_vi
    (unknown,) = [p for p in r.problems if p.code == "unreadable_qualification"]
    assert (unknown.row, unknown.column, unknown.value) == (2, "I", "Trường ABC")
    assert "không rõ" in unknown.message_vi
    assert [q.level for q in r.qualifications] == ["basic"]


def test_columns_not_recognised_on_a_second_sheet_are_kept_too():
    data = build_xlsx(
        SheetSpec("Cán bộ", [[*HEADER, "Hệ số lương"], [*row(), "2,34"]]),
        SheetSpec("Công chức", [[*HEADER, "Số điện thoại"], [*row(2, "Trần Văn Bình"), "0912 000 111"]]),
    )
    plan = read_list(data, context())
    assert [r.extra for r in plan.rows] == [{"Hệ số lương": "2,34"}, {"Số điện thoại": "0912 000 111"}]
    assert plan.ignored_columns == ["H (Hệ số lương)", "H (Số điện thoại)"]
