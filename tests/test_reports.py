"""Reports on the small standards world (``standards_fixtures``): the figures equal the engine's
(``services.check``) and the staffing analysis's; the trend follows the unit's lineage; and
``canbo report`` for each report and format, with its Vietnamese errors."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import openpyxl
import polars as pl
import pytest
from django.core.management import ManagementUtility, call_command
from django.core.management.base import CommandError
from standards_fixtures import REFORM, standards_world  # noqa: F401  (fixture)

from canbo.core.reports import quality
from canbo.registry.models import Assignment, UnitLineage
from canbo.reports import services
from canbo.standards import services as standards

ON = date(2024, 12, 31)


def run(*args) -> str:
    out, err = io.StringIO(), io.StringIO()
    call_command("report", *args, stdout=out, stderr=err)
    return out.getvalue()


def in_post(on: date) -> set[int]:
    """People holding a counted post in a commune on ``on``, by plain ORM queries (not the code
    under test)."""
    qs = Assignment.objects.filter(
        start__lte=on, unit__level="commune_level", title__kind__in=["cadre", "civil_servant", "job_position"]
    ).exclude(end__lt=on)
    return set(qs.values_list("person_id", flat=True))


# --------------------------------------------------------------------------- figures = the engine's


def test_quality_totals_equal_the_engines_counts(standards_world):
    w = standards_world
    result = standards.check(ON, unit=w.units["province"])
    report = services.build("quality", w.units["province"], ON)
    table = report.meta["table"]
    total = table.filter(pl.col("level") == "total").row(0, named=True)
    people = result.findings["person_id"].n_unique()
    assert (
        total["total"]
        == people
        == result.snapshot.posts_on(ON)["person_id"].n_unique()
        == len(in_post(ON))
        == 4
    )
    assert total["std_met"] + total["std_unmet"] + total["std_unknown"] == total["total"]
    unmet = result.findings.filter(pl.col("status") == "unmet")["person_id"].n_unique()
    assert total["std_unmet"] == unmet == 1  # Bình
    assert total["std_unknown"] == 1  # Cường: no qualification
    assert total["female"] == 2  # Bình, Em
    # Rows: total, the district, its two communes; the communes add up to the district and total.
    rows = report.tables[0].rows
    assert [(r.kind, r.values["name"]) for r in rows] == [
        ("total", "Tổng cộng"),
        ("subtotal", "Huyện Thử"),
        ("data", "Xã Một"),
        ("data", "Xã Hai"),
    ]
    for key in quality.KEYS:
        communes = sum(r.values[key] or 0 for r in rows if r.kind == "data")
        assert rows[0].values[key] == rows[1].values[key] == communes, key
    assert rows[2].values["total"] == 4 and rows[3].values["total"] == 0


def test_party_membership_is_read_from_the_registry(standards_world):
    w = standards_world
    binh = w.people["binh"]
    binh.party_joined_on = date(2015, 5, 19)
    binh.save()
    cuong = w.people["cuong"]
    cuong.party_joined_on, cuong.party_left_on, cuong.party_left_reason = (
        date(2000, 1, 1),
        date(2023, 1, 1),
        "other",
    )
    cuong.save()
    table = services.build("quality", w.units["district"], ON).meta["table"]
    assert table.filter(pl.col("level") == "total")["party"][0] == 1
    earlier = services.build("quality", w.units["district"], date(2022, 12, 31)).meta["table"]
    assert earlier.filter(pl.col("level") == "total")["party"][0] == 2


def test_staffing_figures_equal_the_staffing_analysis(standards_world):
    w = standards_world
    analysis = standards.staffing(standards.check(ON, unit=w.units["province"]))
    report = services.build("staffing", w.units["province"], ON)
    units, people, _names = report.tables
    by_name = {r["name"]: r for r in analysis.units.to_dicts()}
    for row in units.rows:
        name = "Tỉnh Thử" if row.kind == "total" else row.values["name"]
        for key in (
            "quota",
            "headcount",
            "surplus",
            "shortfall",
            "vacant_count",
            "over_count",
            "below_standard",
            "field_mismatch",
            "missing_data",
        ):
            assert row.values[key] == by_name[name][key], (name, key)
    one = next(r for r in units.rows if r.values["name"] == "Xã Một")
    assert (
        one.values["quota"],
        one.values["headcount"],
        one.values["surplus"],
        one.values["below_standard"],
    ) == (2, 4, 2, 1)
    assert "Chỉ huy trưởng Ban Chỉ huy quân sự (0/1)" in one.values["note"]  # vacant, with the title's name
    rows = [r.values for r in people.rows if r.kind == "data"]
    # One row per unmet criterion; the name on the first row of the person.
    assert [(r["stt"], r["full_name"]) for r in rows] == [("1", "Trần Thị Bình")] + [("", "")] * (
        len(rows) - 1
    )
    professional = next(r for r in rows if r["criterion"] == "Chuyên môn, nghiệp vụ")
    assert professional["title"] == "Tư pháp - hộ tịch"
    assert (professional["required"], professional["actual"]) == ("Đại học", "Trung cấp")
    assert professional["reference"] == "VB thử 2020, Điều 5, khoản 1"
    assert professional["message"] == "Công chức tư pháp - hộ tịch: đại học trở lên"
    below = set(analysis.people.filter(pl.col("category") == "below_standard")["person_id"].to_list())
    assert below == {w.people["binh"].pk}


def test_trend_counts_each_year_and_follows_the_lineage(standards_world):
    w = standards_world
    report = services.build("trend", w.units["province"], ON)
    table = report.meta["table"]
    assert table["on"].to_list() == [date(y, 12, 31) for y in range(2005, 2025)]
    for row in table.to_dicts():
        assert row["people"] == len(in_post(row["on"])), row["on"]
    assert table.filter(pl.col("year") == 2014)["people"][0] == 1  # Bình in Xã Hai
    assert table.filter(pl.col("year") == 2021)["people"][0] == 4
    # The new commune (from 1/7/2025) took over Xã Một: before it existed, Xã Một's figures.
    UnitLineage.objects.create(predecessor=w.units["c1"], successor=w.units["c3"], date=REFORM)
    later = services.build("trend", w.units["c3"], date(2025, 12, 31)).meta["table"]
    assert later.filter(pl.col("year") == 2021)["people"][0] == 4
    assert later.filter(pl.col("on") == date(2025, 12, 31))["people"][0] == 1  # Giang
    assert later.filter(pl.col("year") == 2014)["people"][0] == 0  # Bình was in Xã Hai, not merged into it
    roots = services.lineage_roots(w.units["c3"], [date(2020, 12, 31), date(2025, 12, 31)])
    assert roots == {date(2020, 12, 31): [w.units["c1"].pk], date(2025, 12, 31): [w.units["c3"].pk]}


def test_default_date():
    assert services.default_date(date(2026, 11, 27)) == date(2026, 11, 27)
    assert services.default_date(date(2026, 12, 31)) == date(2026, 12, 31)


# --------------------------------------------------------------------------- canbo report


@pytest.mark.parametrize("name", ["quality", "staffing", "trend"])
@pytest.mark.parametrize("fmt", ["xlsx", "pdf"])
def test_each_report_in_each_format(standards_world, tmp_path, name, fmt):
    path = tmp_path / f"r.{fmt}"
    out = run(name, "--unit", "999", "--date", "31/12/2024", "--format", fmt, "--output", str(path))
    assert f"Đã ghi {path}" in out and "Huyện Thử" in out
    data = path.read_bytes()
    if fmt == "pdf":
        assert data.startswith(b"%PDF-") and b"/Type /Page" in data
        assert (b"/Subtype /Image" in data) == (name == "trend")
        return
    wb = openpyxl.load_workbook(path)
    sheets = {
        "quality": ["Chất lượng", "Danh sách"],
        "staffing": ["Biên chế", "Chưa đạt chuẩn", "Danh sách"],
        "trend": ["Diễn biến"],
    }[name]
    assert wb.sheetnames == sheets
    ws = wb[sheets[0]]
    values = {c.value for row in ws.iter_rows() for c in row if c.value is not None}
    assert {"UBND HUYỆN THỬ", "PHÒNG NỘI VỤ", "Độc lập - Tự do - Hạnh phúc"} <= values
    with zipfile.ZipFile(path) as z:
        assert ("xl/charts/chart1.xml" in z.namelist()) == (name == "trend")


def test_the_default_file_name_and_english(standards_world, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    run("quality", "--unit", "99901", "--date", "2024-12-31", "--lang", "en")
    path = tmp_path / "bao-cao-chat-luong-99901-xa-mot-2024-12-31.xlsx"
    ws = openpyxl.load_workbook(path).active
    values = {c.value for row in ws.iter_rows() for c in row if c.value is not None}
    assert "SOCIALIST REPUBLIC OF VIET NAM" in values and "As of 31/12/2024" in values and "Total" in values


def test_the_default_date(standards_world, tmp_path):
    # Xã Mới exists from 1/7/2025 and today is later: the report is of today.
    path = tmp_path / "r.xlsx"
    run("quality", "--unit", "99903", "--output", str(path))
    ws = openpyxl.load_workbook(path).active
    values = {c.value for row in ws.iter_rows() for c in row if c.value is not None}
    today = services.default_date()
    assert f"Tính đến ngày {today:%d/%m/%Y}" in values


def test_unknown_report_unit_and_date_are_clear_vietnamese_errors(standards_world):
    with pytest.raises(CommandError, match="Không có báo cáo «bogus»") as e:
        run("bogus", "--unit", "999", "--date", "2024-12-31")
    assert "quality" in str(e.value) and "trend" in str(e.value)
    with pytest.raises(CommandError, match="Không tìm thấy đơn vị hành chính có mã «12345»"):
        run("quality", "--unit", "12345", "--date", "2024-12-31")
    with pytest.raises(CommandError, match="Ngày không hợp lệ «2024-02-30»"):
        run("quality", "--unit", "999", "--date", "2024-02-30")
    with pytest.raises(CommandError, match="Ngày không hợp lệ «30/02/2024»"):
        run("quality", "--unit", "999", "--date", "30/02/2024")
    # A legacy district on a day after it ceased to exist.
    with pytest.raises(CommandError, match="«999»"):
        run("quality", "--unit", "999", "--date", "2025-12-31")


def test_an_unwritable_output_is_a_clear_error(standards_world, tmp_path):
    with pytest.raises(CommandError, match="Không ghi được tệp"):
        run(
            "quality",
            "--unit",
            "999",
            "--date",
            "2024-12-31",
            "--output",
            str(tmp_path / "no" / "such" / "r.xlsx"),
        )


@pytest.mark.parametrize(
    "argv, expected",
    [
        (["bogus", "--unit", "999", "--date", "2024-12-31"], "Không có báo cáo «bogus»"),
        (["quality", "--unit", "12345", "--date", "2024-12-31"], "«12345»"),
        (["quality", "--unit", "999", "--date", "2024-13-01"], "Ngày không hợp lệ"),
    ],
)
def test_errors_exit_non_zero_without_a_traceback(standards_world, capsys, argv, expected):
    # (run_from_argv closes the database connections when it ends: nothing may follow it here.)
    with pytest.raises(SystemExit) as e:
        ManagementUtility(["canbo", "report", *argv]).execute()
    assert e.value.code != 0
    err = capsys.readouterr().err
    assert expected in err and "Traceback" not in err
