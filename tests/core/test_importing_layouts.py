"""canbo.core.importing: the layouts of real lists are recognised and read (no database)."""

from __future__ import annotations

import io
from datetime import date

import pytest
from importing_fixtures import (
    AS_OF,
    REPORT_FIRST_ROW,
    UNITS,
    XLS_FIRST_ROW,
    SheetSpec,
    build_xlsx,
    catalogue,
    context,
    fill_template,
    people,
    person,
    report_list,
    sex_mark_list,
    simple_list,
    three_name_list,
    write_rows,
    xls_list,
)

from canbo.core.importing import ImportRefused, read_list, write_template
from canbo.core.importing.layout import column_letter, find_layout, match_label


def expected(p):
    return (p.family, p.middle, p.given, p.sex)


def as_read(row):
    return (row.family_name, row.middle_name, row.given_name, row.sex)


def test_column_letters():
    assert [column_letter(i) for i in (0, 1, 25, 26, 27, 51, 52, 701, 702)] == [
        "A", "B", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA"
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("label", "field"),
    [
        ("STT", "stt"), ("TT", "stt"), ("Số TT", "stt"),
        ("Họ và tên", "full_name"), ("HỌ VÀ TÊN", "full_name"), ("Họ tên", "full_name"),
        ("Họ, chữ đệm và tên", "full_name"), ("ho va ten", "full_name"), ("Họ và tên\n(khai sinh)", "full_name"),
        ("Họ", "family_name"), ("Tên đệm", "middle_name"), ("Chữ đệm", "middle_name"), ("Tên", "given_name"),
        ("Họ và tên đệm", "family_middle"),
        ("Ngày sinh", "birth_date"), ("Ngày, tháng,\nnăm sinh", "birth_date"), ("Năm sinh", "birth_date"),
        ("Ngày tháng năm sinh", "birth_date"),
        ("Giới tính", "sex"),
        ("Số định danh cá nhân", "identity_number"), ("Số CCCD", "identity_number"), ("CCCD", "identity_number"),
        ("Căn cước", "identity_number"), ("Số CMND/CCCD", "identity_number"),
        ("Dân tộc", "ethnicity"), ("Tôn giáo", "religion"), ("Quê quán", "home_town"),
        ("Đảng viên", "party"), ("Ngày vào Đảng", "party_joined_on"),
        ("Đơn vị", "unit"), ("Xã", "unit"), ("Tên xã", "unit"), ("Xã/phường/thị trấn", "unit"),
        ("Đơn vị công tác", "unit"), ("Đơn vị (xã)", "unit"),
        ("Chức vụ", "title"), ("Chức danh", "title"), ("Chức vụ/chức danh", "title"),
        ("Chức danh công chức", "title"),
        ("Ngày bổ nhiệm", "post_start"), ("Ngày bầu", "post_start"), ("Thời gian giữ chức vụ", "post_start"),
        ("Ngày tuyển dụng", "post_start"), ("Thời điểm bắt đầu giữ chức danh", "post_start"),
        ("Ngày bắt đầu giữ chức danh", "post_start"),
        ("Trình độ văn hóa", "general_education"), ("Giáo dục phổ thông", "general_education"),
        ("Văn hóa", "general_education"),
        ("Trình độ chuyên môn", "professional"), ("Chuyên môn", "professional"), ("Chuyên ngành", "major"),
        ("Lý luận chính trị", "political_theory"), ("LLCT", "political_theory"), ("Chính trị", "political_theory"),
        ("Quản lý nhà nước", "state_management"), ("QLNN", "state_management"),
        ("Tin học", "it"), ("Ngoại ngữ", "foreign_language"), ("Tiếng dân tộc", "ethnic_language"),
        ("Ghi chú", "notes"),
        ("Hệ số lương", None), ("DANH SÁCH CÁN BỘ, CÔNG CHỨC XÃ", None), ("UBND XÃ HỢP THÀNH", None),
        ("Tính đến ngày 31/12/2024", None),
    ],
)  # fmt: skip
def test_header_labels(label, field):
    assert match_label(label) == field


# ------------------------------------------------------------------------------ the report form


def test_report_form_with_title_block_merged_header_numbering_groups_totals_and_signature():
    persons = people(6)
    plan = read_list(report_list(persons), context(), filename="ds.xlsx")
    assert plan.sheet == "Danh sách"
    assert plan.header_rows == (7, 8)
    assert plan.columns["full_name"] == "B (Họ và tên (khai sinh))"
    assert plan.columns["birth_date_male"] == "C (Ngày, tháng, năm sinh / Nam)"
    assert plan.columns["birth_date_female"] == "D (Ngày, tháng, năm sinh / Nữ)"
    assert plan.columns["general_education"] == "L (Trình độ / Văn hóa)"
    assert plan.columns["foreign_language"] == "R (Trình độ / Ngoại ngữ)"
    assert plan.columns["title"] == "J (Chức vụ)"
    # people only: not the group rows, the totals row, nor the signature block
    assert [as_read(r) for r in plan.rows] == [expected(p) for p in persons]
    # rows 10 "I. CÁN BỘ", 11–13 people, 14 "II. CÔNG CHỨC", 15–17 people
    assert [r.row for r in plan.rows] == [11, 12, 13, 15, 16, 17]
    first = plan.rows[0]
    assert first.row == REPORT_FIRST_ROW
    assert first.birth_date == persons[0].birth and first.birth_date_precision == "day"
    assert first.identity_number == persons[0].identity
    assert first.unit_code == "90001" and first.title_code == "CT_UBND"
    assert first.post_start == persons[0].post_start
    assert first.is_party_member is True
    assert first.ethnicity == "01"
    assert plan.rows[1].sex == "female" and plan.rows[1].is_party_member is None  # blank: unknown
    assert not plan.errors


def test_report_form_without_merged_ranges_fills_group_headers_rightwards():
    plan = read_list(report_list(merged=False), context())
    assert plan.columns["birth_date_male"] == "C (Ngày, tháng, năm sinh / Nam)"
    assert plan.columns["birth_date_female"] == "D (Ngày, tháng, năm sinh / Nữ)"
    assert plan.columns["state_management"] == "P (Trình độ / QLNN)"
    assert plan.header_rows == (7, 8)
    assert len(plan.rows) == 6 and not plan.errors


def test_old_xls_file():
    persons = people(6)
    plan = read_list(xls_list(persons), context(), filename="ds.xls")
    assert plan.sheet == "DS"  # the instructions sheet before it is passed over
    assert [as_read(r) for r in plan.rows] == [expected(p) for p in persons]
    assert plan.rows[0].row == XLS_FIRST_ROW
    assert plan.rows[0].birth_date == persons[0].birth
    assert plan.rows[0].identity_number == persons[0].identity
    assert not plan.errors


def test_three_name_columns_and_dates_as_text():
    persons = people(4)
    plan = read_list(three_name_list(persons), context())
    assert plan.header_rows == (3,)
    assert {"family_name", "middle_name", "given_name"} <= set(plan.columns)
    assert [as_read(r) for r in plan.rows] == [expected(p) for p in persons]
    assert [r.birth_date for r in plan.rows] == [p.birth for p in persons]
    assert [r.post_start for r in plan.rows] == [p.post_start for p in persons]
    assert plan.rows[0].row == 4
    assert not plan.errors


def test_sex_marked_in_two_columns_and_birth_year():
    persons = people(4)
    plan = read_list(sex_mark_list(persons), context())
    assert plan.columns["sex_male"] == "C (Giới tính / Nam)"
    assert plan.columns["sex_female"] == "D (Giới tính / Nữ)"
    assert [r.sex for r in plan.rows] == [p.sex for p in persons]
    assert [(r.birth_date, r.birth_date_precision) for r in plan.rows] == [
        (date(p.birth.year, 1, 1), "year") for p in persons
    ]
    assert not plan.errors


@pytest.mark.parametrize(
    ("birth_as", "precision"),
    [
        ("date", "day"), ("datetime", "day"), ("text", "day"), ("dash", "day"), ("dot", "day"),
        ("short", "day"), ("serial", "day"), ("month", "month"), ("year", "year"), ("year_text", "year"),
    ],
)  # fmt: skip
def test_birth_dates_written_every_way(birth_as, precision):
    persons = people(4)
    plan = read_list(simple_list(persons, birth_as=birth_as), context())
    assert not plan.errors, plan.errors
    for row, p in zip(plan.rows, persons, strict=True):
        assert row.birth_date_precision == precision
        if precision == "day":
            assert row.birth_date == p.birth
        elif precision == "month":
            assert row.birth_date == date(p.birth.year, p.birth.month, 1)
        else:
            assert row.birth_date == date(p.birth.year, 1, 1)


def test_header_further_down_and_data_not_starting_in_column_a():
    header = ["", "", "TT", "Họ và tên", "Năm sinh", "Giới tính", "Chức danh", "Xã"]
    rows = [["", "", 1, "Nguyễn Văn An", 1980, "Nam", "Chủ tịch UBND", "Hợp Thành"]]
    above = [["ỦY BAN NHÂN DÂN HUYỆN CAO LỘC"]] + [[]] * 12
    plan = read_list(write_rows(header, rows, above=above), context())
    assert plan.header_rows == (14,)
    assert plan.columns["full_name"] == "D (Họ và tên)"
    row = plan.rows[0]
    assert (row.row, row.given_name, row.unit_code, row.title_code) == (15, "An", "90001", "CT_UBND")


def test_birth_date_split_in_day_month_year_columns():
    h1 = ["STT", "Họ và tên", "Ngày sinh", "", "", "Giới tính", "Chức vụ", "Đơn vị"]
    h2 = ["", "", "Ngày", "Tháng", "Năm", "", "", ""]
    rows = [h1, h2, [1, "Lê Thị Mai", 5, 9, 1980, "Nữ", "VP-TK", "Xã Hợp Thành"],
            [2, "Lê Văn Nam", "", "", 1979, "Nam", "TP-HT", "Xã Hợp Thành"]]  # fmt: skip
    merges = [(0, 0, 1, 0), (0, 1, 1, 1), (0, 2, 0, 4), (0, 5, 1, 5), (0, 6, 1, 6), (0, 7, 1, 7)]
    plan = read_list(build_xlsx(SheetSpec("S", rows, merges)), context())
    assert plan.columns["birth_year"] == "E (Ngày sinh / Năm)"
    assert (plan.rows[0].birth_date, plan.rows[0].birth_date_precision) == (date(1980, 9, 5), "day")
    assert (plan.rows[1].birth_date, plan.rows[1].birth_date_precision) == (date(1979, 1, 1), "year")


def test_family_and_middle_in_one_column_given_in_another():
    header = ["STT", "Họ và tên đệm", "Tên", "Năm sinh", "Giới tính", "Chức danh", "Xã"]
    rows = [[1, "Nguyễn Thị Thu", "Hà", 1980, "Nữ", "VH-XH", "Hợp Thành"]]
    row = read_list(write_rows(header, rows), context()).rows[0]
    assert (row.family_name, row.middle_name, row.given_name) == ("Nguyễn", "Thị Thu", "Hà")


def test_single_female_mark_column_means_male_when_blank():
    header = ["STT", "Họ và tên", "Nữ", "Năm sinh", "Chức danh", "Xã"]
    rows = [
        [1, "Nguyễn Thị Lan", "x", 1980, "VH-XH", "Hợp Thành"],
        [2, "Nguyễn Văn Long", "", 1981, "TP-HT", "Hợp Thành"],
    ]
    plan = read_list(write_rows(header, rows), context())
    assert [r.sex for r in plan.rows] == ["female", "male"]
    assert not plan.errors


def test_repeated_header_and_numbering_rows_are_skipped():
    p0, p1 = person(0), person(1)
    header = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Chức danh", "Đơn vị"]
    numbers = ["1", "2", "3", "4", "5", "6"]
    rows = [
        numbers,
        [1, p0.name, p0.birth, p0.sex_vi, "VP-TK", "Hợp Thành"],
        header,  # a printed list repeats its header on the next page
        numbers,
        [2, p1.name, p1.birth, p1.sex_vi, "VP-TK", "Hợp Thành"],
        [3],  # a number in the STT column only
        [],
    ]
    plan = read_list(write_rows(header, rows), context())
    assert [r.row for r in plan.rows] == [3, 6]
    assert [r.given_name for r in plan.rows] == [p0.given, p1.given]


def test_group_row_naming_a_commune_gives_the_unit_of_the_rows_under_it():
    header = ["STT", "Họ và tên", "Năm sinh", "Giới tính", "Chức danh"]
    rows = [
        ["A", "Xã Hợp Thành"],
        [1, "Nguyễn Văn An", 1980, "Nam", "CT UBND"],
        ["B", "Phường Vĩnh Trại"],
        [1, "Trần Văn Bình", 1981, "Nam", "CT UBND"],
    ]
    plan = read_list(write_rows(header, rows), context())
    assert [r.unit_code for r in plan.rows] == ["90001", "90003"]
    assert not plan.errors


def test_no_unit_column_uses_the_default_unit():
    header = ["STT", "Họ và tên", "Năm sinh", "Giới tính", "Chức danh"]
    rows = [[1, "Nguyễn Văn An", 1980, "Nam", "CT UBND"]]
    plan = read_list(write_rows(header, rows), context(default_unit="90002"))
    assert plan.rows[0].unit_code == "90002"
    assert not plan.errors


def test_instruction_sheet_and_hidden_sheets_are_passed_over():
    # fmt: off
    data = build_xlsx(
        SheetSpec("Hướng dẫn", [["Hướng dẫn"], ["Cột", "Nội dung"], ["B", "Họ và tên"], ["C", "Ngày sinh"]]),
        SheetSpec("Ẩn", [["STT", "Họ và tên", "Năm sinh", "Chức danh", "Xã"], [1, "Ẩn Văn Danh", 1980, "VP-TK", "Hợp Thành"]],
                  hidden=True),
        SheetSpec("DS", [["STT", "Họ và tên", "Năm sinh", "Giới tính", "Chức danh", "Xã"],
                         [1, "Nguyễn Văn An", 1980, "Nam", "VP-TK", "Hợp Thành"]]),
    )
    # fmt: on
    plan = read_list(data, context())
    assert plan.sheet == "DS"
    assert [r.full_name for r in plan.rows] == ["Nguyễn Văn An"]


def test_unrecognised_columns_are_listed_and_not_read():
    header = ["STT", "Họ và tên", "Năm sinh", "Giới tính", "Chức danh", "Xã", "Hệ số lương"]
    rows = [[1, "Nguyễn Văn An", 1980, "Nam", "VP-TK", "Hợp Thành", 2.34]]
    plan = read_list(write_rows(header, rows), context())
    assert plan.ignored_columns == ["G (Hệ số lương)"]


def test_sources_path_and_file_object(tmp_path):
    two = people(2)
    names = [" ".join(part for part in (p.family, p.middle, p.given) if part) for p in two]
    data = simple_list(two)
    path = tmp_path / "ds.xlsx"
    path.write_bytes(data)
    assert [r.full_name for r in read_list(path, context()).rows] == names
    assert [r.full_name for r in read_list(str(path), context()).rows] == names
    with path.open("rb") as f:
        assert [r.full_name for r in read_list(f, context()).rows] == names
    assert [r.full_name for r in read_list(io.BytesIO(data), context(), filename="ds.xlsx").rows] == names


def test_find_layout_on_plain_rows():
    rows = [
        ["DANH SÁCH"],
        [],
        ["TT", "Họ và tên", "Ngày sinh", "Chức vụ"],
        ["1", "2", "3", "4"],
        [1, "A B", "", ""],
    ]
    layout = find_layout(rows)
    assert layout is not None
    assert layout.header_rows == (2,)
    assert layout.data_start == 4  # after the numbering row
    assert find_layout([["Họ và tên", "Ghi chú"]]) is None  # a name and one other field is not enough


# ------------------------------------------------------------------------------ the template


def test_template_reads_back_after_filling_two_rows():
    buf = io.BytesIO()
    write_template(buf, UNITS, catalogue(), as_of=AS_OF)
    template = buf.getvalue()
    with pytest.raises(ImportRefused) as refused:
        read_list(template, context())
    assert refused.value.problems[0].code == "empty_sheet"
    # fmt: off
    filled = fill_template(
        template,
        [
            [1, "Nguyễn Văn An", date(1980, 9, 5), "Nam", "020080001234", "Tày", "Không", "x", "Xã Hợp Thành",
             "Chủ tịch Ủy ban nhân dân", date(2021, 7, 1), "12/12", "Đại học", "Luật", "Trung cấp", "Chuyên viên",
             "Ứng dụng CNTT cơ bản", "Tiếng Anh bậc 2 (A2)", "Kiêm Chủ tịch Hội đồng nhân dân"],
            [2, "Trần Thị Bình", "1985", "Nữ", "020185001235", "Kinh", "", "", "Thị trấn Đồng Đăng",
             "Văn phòng - thống kê", "", "", "", "", "", "", "", "", ""],
        ],
    )
    # fmt: on
    plan = read_list(filled, context(), filename="mau.xlsx")
    assert plan.sheet == "Danh sách"
    assert plan.header_rows == (4,)
    a, b = plan.rows
    assert (a.row, a.full_name, a.birth_date, a.sex, a.identity_number) == (
        6, "Nguyễn Văn An", date(1980, 9, 5), "male", "020080001234"
    )  # fmt: skip
    assert (a.ethnicity, a.is_party_member, a.unit_code, a.title_code, a.post_start) == (
        "02", True, "90001", "CT_UBND", date(2021, 7, 1)
    )  # fmt: skip
    assert "Kiêm Chủ tịch Hội đồng nhân dân" in a.notes
    assert (b.row, b.full_name, b.birth_date_precision, b.sex, b.unit_code, b.title_code) == (
        7, "Trần Thị Bình", "year", "female", "90002", "VP_TK"
    )  # fmt: skip
    assert not plan.errors, plan.errors


def test_template_has_lists_validation_and_instructions(tmp_path):
    import openpyxl

    path = tmp_path / "mau.xlsx"
    write_template(path, UNITS, catalogue(), as_of=AS_OF)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Danh sách", "Hướng dẫn", "Danh mục"]
    assert wb["Danh mục"].sheet_state == "hidden"
    ws = wb["Danh sách"]
    headers = [c.value for c in ws[4]]
    assert headers[:5] == ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Số định danh cá nhân"]
    assert headers[-1] == "Ghi chú" and "Ngày bắt đầu giữ chức danh" in headers
    assert ws.freeze_panes == "C6"
    kinds = {dv.type for dv in ws.data_validations.dataValidation}
    assert {"list", "date"} <= kinds
    sources = " ".join(dv.formula1 or "" for dv in ws.data_validations.dataValidation)
    assert "'Danh mục'!" in sources
    lists = wb["Danh mục"]
    units = [c.value for c in lists["B"][1:] if c.value]
    # namesakes are told apart by their district; ended units are left out
    assert "Xã Bảo Lâm (Huyện Cao Lộc)" in units and "Xã Bảo Lâm (Huyện Lộc Bình)" in units
    assert "Xã Cũ" not in units and "Xã Mới" not in units
    titles = [c.value for c in lists["C"][1:] if c.value]
    assert "Chủ tịch Ủy ban nhân dân" in titles and "Chuyên viên văn phòng - tổng hợp" not in titles
    assert len([c.value for c in lists["A"][1:] if c.value]) == 54
    guide = " ".join(str(c.value) for row in wb["Hướng dẫn"].iter_rows() for c in row if c.value)
    assert "an toàn" in guide and "dòng" in guide and "cột" in guide
    # the ID column is text, so a leading 0 survives
    assert ws.column_dimensions["E"].number_format == "@" or ws["E6"].number_format == "@"


def test_signature_words_in_a_persons_row_do_not_end_the_list():
    header = ["STT", "Họ và tên", "Năm sinh", "Giới tính", "Chức danh", "Xã"]
    rows = [
        [1, "Nguyễn Văn An", "", "Nam", "Chủ tịch", "Hợp Thành"],  # no birth date, title "Chủ tịch"
        [2, "Trần Văn Bình", 1980, "Nam", "VP-TK", "Hợp Thành"],
        ["", "Người lập biểu", "", "", "Chủ tịch", ""],
        ["", "Lý Văn Lập", "", "", "Hoàng Văn Ký", ""],  # the signers: not people
        [3, "Lê Văn Cường", 1981, "Nam", "VP-TK", "Hợp Thành"],  # numbered, with a birth year: a person
    ]
    plan = read_list(write_rows(header, rows), context())
    assert [(r.row, r.given_name) for r in plan.rows] == [(2, "An"), (3, "Bình"), (6, "Cường")]


def test_every_sheet_holding_a_list_is_read_and_duplicates_are_found_across_sheets():
    from importing_fixtures import SIMPLE_HEADER, simple_row

    cadres, servants = people(4)[:2], people(4)[2:]
    servants.append(person(9, identity=cadres[0].identity, birth=cadres[0].birth, sex=cadres[0].sex))
    data = build_xlsx(
        SheetSpec("Hướng dẫn", [["Điền mỗi người một dòng."]]),
        SheetSpec(
            "Cán bộ", [SIMPLE_HEADER, *[simple_row(i, p) for i, p in enumerate(cadres)]], text_columns=[4]
        ),
        SheetSpec(
            "Công chức",
            [SIMPLE_HEADER, *[simple_row(i, p) for i, p in enumerate(servants)]],
            text_columns=[4],
        ),
        SheetSpec("Ghi chép", [["Số liệu tạm"], [1, 2, 3]]),
    )
    plan = read_list(data, context())
    assert [(r.sheet, r.row) for r in plan.rows] == [
        ("Cán bộ", 2),
        ("Cán bộ", 3),
        ("Công chức", 2),
        ("Công chức", 3),
        ("Công chức", 4),
    ]
    dup = [p for p in plan.errors if p.code == "duplicate_identity_number"]
    assert (
        len(dup) == 1
        and dup[0].sheet == "Công chức"
        and dup[0].row == 4
        and "trang “Cán bộ”" in dup[0].message_vi
    )
    skipped = [p for p in plan.warnings if p.code == "sheet_not_read"]
    assert (
        len(skipped) == 1 and "Ghi chép" in skipped[0].message_vi and "Hướng dẫn" not in skipped[0].message_vi
    )
