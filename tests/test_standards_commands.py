"""``canbo standards check`` and ``canbo standards staffing`` on a small world (``standards_fixtures``) with test
rule files written into ``tmp_path``: JSON, table and xlsx output, the unit and date errors,
a draft rule directory, the staffing roll-ups — and one smoke test with the national rules."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date

import pytest
from django.core.management import ManagementUtility, call_command
from django.core.management.base import CommandError
from standards_fixtures import standards_world, write_rules  # noqa: F401  (fixture)


def run(*args) -> str:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue()


def check_json(*args) -> dict:
    return json.loads(run("standards_check", *args, "--format", "json"))


def finding(doc: dict, person, criterion: str) -> dict:
    rows = [f for f in doc["findings"] if f["person_id"] == person.pk and f["criterion"] == criterion]
    assert len(rows) == 1, rows
    return rows[0]


# --------------------------------------------------------------------------- check


def test_check_json_lists_the_unmet_finding_with_its_reference(standards_world):
    w = standards_world
    doc = check_json("--unit", "99901", "--date", "2024-12-31")
    assert doc["command"] == "check"
    assert doc["date"] == "2024-12-31"
    assert doc["unit"] == {
        "id": w.units["c1"].pk,
        "code": "99901",
        "name": "Xã Một",
        "level": "commune_level",
        "kind": "commune",
        "valid_from": None,
        "valid_to": "2025-06-30",
    }
    assert doc["summary"]["people"] == 4 and doc["summary"]["posts"] == 4
    binh = finding(doc, w.people["binh"], "professional")
    assert binh["status"] == "unmet"
    assert binh["status_label"] == "Chưa đạt"
    assert binh["person_name"] == "Trần Thị Bình"
    assert binh["title_code"] == "TP_HT" and binh["title_name"] == "Tư pháp - hộ tịch"
    assert binh["unit_name"] == "Xã Một"
    assert binh["required"] == "university" and binh["required_label"] == "Đại học"
    assert binh["actual"] == "intermediate" and binh["actual_label"] == "Trung cấp"
    assert binh["reference"] == "VB thử 2020, Điều 5, khoản 1"
    assert binh["rule_id"] == "test-2020.tp-ht.professional"
    assert binh["message"] == "Công chức tư pháp - hộ tịch: đại học trở lên"
    an = finding(doc, w.people["an"], "professional")
    assert an["status"] == "met" and an["basis"] == "standard"
    assert finding(doc, w.people["cuong"], "professional")["status"] == "unknown"
    em = finding(doc, w.people["em"], "professional")
    assert (em["status"], em["basis"], em["deadline"]) == ("met", "transition", "2026-12-31")
    assert em["basis_reference"] == "VB thử 2020, Điều 9"
    assert finding(doc, w.people["an"], "field_of_study")["verified"] is False


def test_check_status_filter_and_english(standards_world):
    w = standards_world
    doc = check_json("--unit", "999", "--date", "2024-12-31", "--status", "unmet", "--lang", "en")
    assert {f["status"] for f in doc["findings"]} == {"unmet"}
    assert {f["person_id"] for f in doc["findings"]} == {w.people["binh"].pk}
    assert doc["summary"]["met"] >= 2  # the summary counts every finding
    assert finding(doc, w.people["binh"], "professional")["status_label"] == "Not met"
    assert (
        finding(doc, w.people["binh"], "professional")["message"] == "Justice officer: university or higher"
    )


def test_check_one_person_by_id_or_identity_number(standards_world):
    w = standards_world
    binh = w.people["binh"]
    by_id = check_json("--unit", "99", "--date", "2024-12-31", "--person", str(binh.pk))
    by_number = check_json("--unit", "99", "--date", "2024-12-31", "--person", binh.identity_number)
    assert {f["person_id"] for f in by_id["findings"]} == {binh.pk}
    assert by_id["findings"] == by_number["findings"]
    assert by_id["person"] == {"id": binh.pk, "full_name": "Trần Thị Bình"}
    with pytest.raises(CommandError, match="«123456789»"):
        run("standards_check", "--unit", "99", "--date", "2024-12-31", "--person", "123456789")


def test_check_table_has_vietnamese_headers(standards_world):
    text = run("standards_check", "--unit", "999", "--date", "2024-12-31")
    lines = text.splitlines()
    assert lines[0].startswith("Kiểm tra tiêu chuẩn cán bộ, công chức — Huyện Thử (mã 999), ngày 31/12/2024")
    header = next(line for line in lines if line.startswith("Họ và tên"))
    for h in (
        "Chức danh",
        "Đơn vị",
        "Tiêu chí",
        "Kết quả",
        "Yêu cầu",
        "Hiện có",
        "Căn cứ đạt / thời hạn",
        "Căn cứ pháp lý",
        "Nội dung quy định",
    ):
        assert h in header
    # Columns are aligned: every cell of a column starts where its header starts.
    start = header.index("Kết quả")
    binh = next(line for line in lines if line.startswith("Trần Thị Bình") and "Chuyên môn" in line)
    assert binh[start:].startswith("Chưa đạt")
    assert "(chưa kiểm chứng)" in text  # the field-of-study rule is not verified
    em = next(line for line in lines if line.startswith("Phạm Thị Em") and "Chuyên môn" in line)
    assert "trong thời hạn chuyển tiếp, đến 31/12/2026" in em
    english = run("standards_check", "--unit", "999", "--date", "2024-12-31", "--lang", "en")
    assert "Full name" in english and "Legal reference" in english


def test_check_xlsx(standards_world, tmp_path):
    from python_calamine import CalamineWorkbook

    path = tmp_path / "kiem-tra.xlsx"
    out = run(
        "standards_check", "--unit", "999", "--date", "2024-12-31", "--format", "xlsx", "--output", str(path)
    )
    assert str(path) in out
    with zipfile.ZipFile(path) as z:  # a real xlsx package
        assert z.testzip() is None
        assert "xl/workbook.xml" in z.namelist()
        sheet_xml = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<autoFilter" in sheet_xml and "<pane" in sheet_xml and "<mergeCell " in sheet_xml
    assert 'paperSize="9"' in sheet_xml and 'orientation="landscape"' in sheet_xml  # A4 landscape
    wb = CalamineWorkbook.from_path(str(path))
    assert wb.sheet_names == ["Kết quả kiểm tra"]
    rows = wb.get_sheet_by_index(0).to_python()
    assert rows[0][0].startswith("Kiểm tra tiêu chuẩn cán bộ, công chức — Huyện Thử")
    header = rows[2]
    assert header[:5] == ["Họ và tên", "Chức danh", "Đơn vị", "Tiêu chí", "Kết quả"]
    data = [dict(zip(header, r)) for r in rows[3:]]
    binh = [r for r in data if r["Họ và tên"] == "Trần Thị Bình" and r["Tiêu chí"] == "Chuyên môn, nghiệp vụ"]
    assert len(binh) == 1
    assert binh[0]["Kết quả"] == "Chưa đạt"
    assert binh[0]["Căn cứ pháp lý"] == "VB thử 2020, Điều 5, khoản 1"
    em = next(r for r in data if r["Họ và tên"] == "Phạm Thị Em" and r["Tiêu chí"] == "Chuyên môn, nghiệp vụ")
    assert em["Thời hạn"] == date(2026, 12, 31)  # an Excel date, not text
    assert len(data) == len(check_json("--unit", "999", "--date", "2024-12-31")["findings"])


def test_xlsx_longer_than_a_sheet_continues_on_the_next(standards_world, tmp_path, monkeypatch):
    from python_calamine import CalamineWorkbook

    from canbo.core.standards import output

    monkeypatch.setattr(output, "MAX_ROWS", 5)
    path = tmp_path / "dai.xlsx"
    run("standards_check", "--unit", "999", "--date", "2024-12-31", "--format", "xlsx", "--output", str(path))
    wb = CalamineWorkbook.from_path(str(path))
    total = len(check_json("--unit", "999", "--date", "2024-12-31")["findings"])
    assert len(wb.sheet_names) == -(-total // 5) > 1
    assert wb.sheet_names[1] == "Kết quả kiểm tra (2)"
    assert sum(len(wb.get_sheet_by_name(n).to_python()) - 3 for n in wb.sheet_names) == total


def test_xlsx_needs_an_output_file(standards_world):
    with pytest.raises(CommandError, match="--output"):
        run("standards_check", "--unit", "999", "--date", "2024-12-31", "--format", "xlsx")


def test_json_to_a_file(standards_world, tmp_path):
    path = tmp_path / "out.json"
    run("standards_check", "--unit", "999", "--date", "2024-12-31", "--format", "json", "--output", str(path))
    assert json.loads(path.read_text(encoding="utf-8"))["summary"]["people"] == 4


# --------------------------------------------------------------------------- units and dates


def test_the_code_picks_the_unit_of_the_date(standards_world):
    w = standards_world
    assert check_json("--unit", "99", "--date", "2025-06-30")["unit"]["id"] == w.units["province"].pk
    assert check_json("--unit", "99", "--date", "2025-07-01")["unit"]["id"] == w.units["province2"].pk


def test_unknown_unit_code_is_a_clear_vietnamese_error(standards_world):
    with pytest.raises(CommandError) as e:
        run("standards_check", "--unit", "12345", "--date", "2024-12-31")
    assert str(e.value) == "Không tìm thấy đơn vị hành chính có mã «12345» còn hiệu lực vào ngày 31/12/2024."
    # A code that exists in another era says where it belongs.
    with pytest.raises(CommandError, match=r"«99903».*31/12/2024.*Xã Mới \(01/07/2025–…\)") as e:
        run("standards_staffing", "--unit", "99903", "--date", "2024-12-31")


@pytest.mark.parametrize("bad", ["2025-02-30", "2025-13-01", "31-12-2024", "hôm qua", "2024/12/31"])
def test_bad_dates_are_clear_errors(standards_world, bad):
    with pytest.raises(
        CommandError, match=f"Ngày không hợp lệ «{bad}»: cần một ngày có thật, dạng YYYY-MM-DD"
    ):
        run("standards_check", "--unit", "999", "--date", bad)


def test_dates_in_vietnamese_order_are_accepted(standards_world):
    assert check_json("--unit", "999", "--date", "31/12/2024")["date"] == "2024-12-31"


def test_errors_exit_non_zero_without_a_traceback(standards_world, capsys):
    # (run_from_argv closes the database connections when it ends: nothing may follow it here.)
    with pytest.raises(SystemExit) as e:
        ManagementUtility(["canbo", "standards_check", "--unit", "12345", "--date", "2024-12-31"]).execute()
    assert e.value.code != 0
    err = capsys.readouterr().err
    assert "«12345»" in err and "Traceback" not in err


# --------------------------------------------------------------------------- draft rules


def test_a_draft_rule_directory_changes_the_verdict(standards_world):
    w = standards_world
    args = ("--unit", "99901", "--date", "2025-01-01")
    national = check_json(*args)
    assert finding(national, w.people["an"], "professional")["status"] == "met"
    draft = check_json(*args, "--rules", str(w.draft_dir))
    an = finding(draft, w.people["an"], "professional")
    assert an["status"] == "unmet"
    assert an["required"] == "master"
    assert an["reference"] == "Dự thảo 2025, Điều 1"
    assert draft["rules"]["draft"] == str(w.draft_dir)
    # Before the draft's first day the national rule still applies.
    before = check_json("--unit", "99901", "--date", "2024-12-31", "--rules", str(w.draft_dir))
    assert finding(before, w.people["an"], "professional")["status"] == "met"


def test_a_broken_draft_gives_the_rule_file_error_and_a_non_zero_exit(standards_world, tmp_path, capsys):
    from standards_fixtures import DRAFT_RULES

    broken = write_rules(
        tmp_path / "broken", "draft-2025", DRAFT_RULES.replace("minimum: master", "minimum: mastr")
    )
    with pytest.raises(CommandError) as e:
        run("standards_check", "--unit", "99901", "--date", "2025-01-01", "--rules", str(broken))
    message = str(e.value)
    assert "draft-2025.yaml:11:" in message and "mastr" in message and "không tồn tại" in message
    with pytest.raises(CommandError, match="Không tìm thấy thư mục quy tắc"):
        run("standards_check", "--unit", "999", "--date", "2025-01-01", "--rules", str(tmp_path / "nowhere"))
    # Last: run_from_argv closes the database connections when it ends.
    with pytest.raises(SystemExit) as exit_:
        ManagementUtility(
            ["canbo", "standards_staffing", "--unit", "999", "--date", "2025-01-01", "--rules", str(broken)]
        ).execute()
    assert exit_.value.code != 0
    assert "mastr" in capsys.readouterr().err


# --------------------------------------------------------------------------- staffing


def staffing_json(*args) -> dict:
    return json.loads(run("standards_staffing", *args, "--format", "json"))


def test_staffing_json_quota_headcount_vacancies_and_rollups(standards_world):
    w = standards_world
    doc = staffing_json("--unit", "999", "--date", "2024-12-31")
    assert doc["command"] == "staffing" and doc["unit"]["code"] == "999"
    units = {u["code"]: u for u in doc["units"]}
    assert set(units) == {"999", "99901", "99902"}  # the district and its communes, not the province above
    c1, c2, district = units["99901"], units["99902"], units["999"]
    # Xã Một, class II: quota 2; An, Bình, Cường and Em in post: 4, two too many.
    assert (c1["quota"], c1["headcount"], c1["surplus"], c1["shortfall"]) == (2, 4, 2, 0)
    assert c1["vacant_titles"] == ["CHT_QS (0/1)"] and c1["vacant_count"] == 1
    assert c1["over_titles"] == ["TP_HT (2/1)"]
    assert (c1["below_standard"], c1["missing_data"]) == (1, 1)
    assert c1["quota_reference"] == "VB thử 2020, Điều 3"
    # Xã Hai, class III, nobody in post: every title of the establishment is vacant.
    assert (c2["quota"], c2["headcount"], c2["shortfall"]) == (2, 0, 2)
    assert sorted(c2["vacant_titles"]) == ["CHT_QS (0/1)", "CT_UBND (0/1)", "TP_HT (0/1)"]
    # The district is the sum of its communes.
    for key in (
        "quota",
        "headcount",
        "surplus",
        "shortfall",
        "vacant_count",
        "below_standard",
        "missing_data",
    ):
        assert district[key] == c1[key] + c2[key], key
    assert district["communes"] == 2 and district["level"] == "district"
    people = {(p["person_id"], p["category"]) for p in doc["people"]}
    assert people == {(w.people["binh"].pk, "below_standard"), (w.people["cuong"].pk, "missing_data")}
    binh = next(p for p in doc["people"] if p["person_id"] == w.people["binh"].pk)
    # An intermediate law diploma: below the level, and so not a qualifying degree of the field either.
    assert binh["titles"] == ["TP_HT"] and binh["criteria"] == ["field_of_study", "professional"]
    assert binh["references"] == ["VB thử 2020, Điều 5, khoản 1", "VB thử 2020, Điều 5, khoản 2"]


def test_staffing_of_the_province_rolls_up_its_districts(standards_world):
    doc = staffing_json("--unit", "99", "--date", "2024-12-31")
    units = {u["code"]: u for u in doc["units"]}
    assert [u["code"] for u in doc["units"]] == ["99", "999", "99901", "99902"]  # tree order
    assert units["99"]["quota"] == units["999"]["quota"] == 4
    assert units["99"]["headcount"] == units["999"]["headcount"] == 4
    assert units["99"]["communes"] == 2


def test_staffing_table_and_xlsx(standards_world, tmp_path):
    from python_calamine import CalamineWorkbook

    text = run("standards_staffing", "--unit", "999", "--date", "2024-12-31")
    header = next(line for line in text.splitlines() if line.startswith("Đơn vị"))
    for h in (
        "Định biên",
        "Hiện có",
        "Thừa",
        "Thiếu",
        "Chức danh còn trống",
        "Yếu",
        "Trái ngành",
        "Thiếu dữ liệu",
    ):
        assert h in header
    assert "Chỉ huy trưởng Ban Chỉ huy quân sự (0/1)" in text  # vacant titles by name
    assert "Trần Thị Bình" in text and "Chưa đạt chuẩn (yếu)" in text
    path = tmp_path / "bien-che.xlsx"
    run(
        "standards_staffing",
        "--unit",
        "999",
        "--date",
        "2024-12-31",
        "--format",
        "xlsx",
        "--output",
        str(path),
    )
    wb = CalamineWorkbook.from_path(str(path))
    assert wb.sheet_names == ["Đơn vị", "Người cần lưu ý"]
    units = wb.get_sheet_by_index(0).to_python()
    assert units[2][:5] == ["Đơn vị", "Mã", "Cấp", "Định biên", "Hiện có"]
    c1 = next(r for r in units[3:] if r[1] == "99901")
    assert (c1[3], c1[4]) == (2, 4)
    people = wb.get_sheet_by_index(1).to_python()
    assert any(r[1] == "Trần Thị Bình" for r in people[3:])


def test_staffing_counts_only_the_title_kinds_of_the_quota(standards_world):
    doc = staffing_json("--unit", "99", "--date", "2025-07-01")  # the province of the two-tier era
    units = {u["code"]: u for u in doc["units"]}
    assert set(units) == {"99", "99903"}
    assert units["99903"]["quota"] == 3  # class I
    assert (
        units["99903"]["headcount"] == 0
    )  # Giang's CV_TP is a job position; this quota counts cadres, civil servants


def test_a_rollup_of_unknown_quotas_is_unknown_not_zero(standards_world):
    from canbo.registry.models import UnitClassification

    UnitClassification.objects.filter(unit=standards_world.units["c3"]).delete()
    doc = staffing_json("--unit", "99", "--date", "2025-07-01")
    units = {u["code"]: u for u in doc["units"]}
    assert units["99903"]["quota"] is None
    assert units["99903"]["quota_note"] == "Chưa có phân loại đơn vị hành chính vào ngày này"
    assert (units["99"]["quota"], units["99"]["surplus"], units["99"]["quota_unknown"]) == (None, None, 1)
    text = run("standards_staffing", "--unit", "99", "--date", "2025-07-01")
    assert "1 xã chưa xác định được định biên" in text


# --------------------------------------------------------------------------- the national rules


def test_the_national_rules_load_and_check_runs(standards_world, settings):
    from canbo.core.standards.rules import DEFAULT_RULES_DIR, load_rules

    assert load_rules().standards
    settings.CANBO_RULES_DIRS = [DEFAULT_RULES_DIR]
    doc = check_json("--unit", "99901", "--date", "2024-12-31")
    assert doc["summary"]["posts"] == 4
    assert all(f["reference"] for f in doc["findings"])
    staffing_json("--unit", "99", "--date", "2025-07-01")


def test_djangos_system_check_is_check_again(db):
    out = run("check")
    assert "no issues" in out


def test_an_unknown_verdict_from_a_year_only_birth_gives_its_reason(standards_world, settings, tmp_path):
    """Issue 9 item 7: a birth date known only to the year leaves the retirement month open; the
    finding is unknown and says why, in the JSON, the table and the xlsx, in both languages."""
    from python_calamine import CalamineWorkbook

    from canbo.core.standards.rules import DEFAULT_RULES_DIR
    from canbo.registry.models import Person

    w = standards_world
    settings.CANBO_RULES_DIRS = [DEFAULT_RULES_DIR]
    # Cường (CT_UBND, elected 2021), now born "1964": a man born 01/1964 retires on 01/05/2025,
    # one born 12/1964 on 01/07/2026 (Decree 135/2020 Annex I).
    Person.objects.filter(pk=w.people["cuong"].pk).update(
        birth_date=date(1964, 1, 1), birth_date_precision="year"
    )
    args = ("--unit", "99901", "--date", "2025-05-01")
    cuong = finding(check_json(*args), w.people["cuong"], "retirement_age")
    assert cuong["status"] == "unknown"
    assert cuong["reason"] == (
        "Ngày sinh chỉ biết năm (1964): ngày nghỉ hưu trong khoảng từ 01/05/2025 đến "
        "01/07/2026, tùy tháng sinh (NĐ 135/2020 Phụ lục I)."
    )
    english = finding(check_json(*args, "--lang", "en"), w.people["cuong"], "retirement_age")
    assert "known only to the year (1964)" in english["reason"] and "01/07/2026" in english["reason"]
    # The day before the earliest retirement date every birth month gives the same answer: no reason.
    before = finding(
        check_json("--unit", "99901", "--date", "2025-04-30"), w.people["cuong"], "retirement_age"
    )
    assert before["status"] == "met" and before["reason"] == ""
    text = run("standards_check", *args)
    header = next(line for line in text.splitlines() if line.startswith("Họ và tên"))
    assert "Lý do chưa rõ" in header
    assert "Ngày sinh chỉ biết năm (1964)" in text
    path = tmp_path / "kiem-tra.xlsx"
    run("standards_check", *args, "--format", "xlsx", "--output", str(path))
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    data = [dict(zip(rows[2], r)) for r in rows[3:]]
    row = next(
        r
        for r in data
        if r["Họ và tên"] == "Lê Văn Cường"
        and r["Kết quả"] == "Chưa đủ dữ liệu"
        and "nghỉ hưu" in r["Lý do chưa rõ"]
    )
    assert "01/05/2025" in row["Lý do chưa rõ"]
