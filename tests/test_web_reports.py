"""The web application's reports page (issue 10 §1): choose report, unit, date and format →
download; per role, in and out of scope; dates out of range refused; every download logged —
the files read back with openpyxl."""

from __future__ import annotations

import io

import openpyxl
import pytest

ON = "31/12/2025"


def sheet_text(content: bytes) -> str:
    wb = openpyxl.load_workbook(io.BytesIO(content))
    return "\n".join(
        str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row if v is not None
    )


def get(client, subject, **params):
    return client.get(
        "/reports/download/", {"report": "quality", "format": "xlsx", "on": ON, "unit": subject.pk, **params}
    )


def test_the_form_preselects_the_users_unit_and_offers_only_its_scope(world, client):
    client.force_login(world.users["dongdang"])
    response = client.get("/reports/")
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<option value="{world.units.dongdang.pk}" selected>' in html
    assert f'value="{world.units.baolam.pk}"' in html  # merged into Đồng Đăng: in scope
    assert f'value="{world.units.kylua.pk}"' not in html and f'value="{world.units.p20.pk}"' not in html
    for name in ("quality", "staffing", "trend"):
        assert f'name="report" value="{name}"' in html
    assert 'name="format" value="pdf"' in html and 'name="on"' in html


@pytest.mark.parametrize(
    "role, unit_key, status",
    [
        ("admin", "hn_commune", 200),
        ("province", "p20", 200),
        ("province", "hn", 404),
        ("inspector", "kylua", 200),
        ("caoloc", "caoloc", 200),
        ("caoloc", "dongdang", 404),
        ("dongdang", "dongdang", 200),
        ("dongdang", "kylua", 404),
        ("dongdang", "p20", 404),
        ("hanoi", "dongdang", 404),
    ],
)
def test_download_per_role_in_and_out_of_scope(world, client, role, unit_key, status):
    from canbo.access.models import FileAccess

    unit = getattr(world.units, unit_key)
    client.force_login(world.users[role])
    on = "30/06/2025" if unit.valid_to else ON
    response = get(client, unit, on=on)
    assert response.status_code == status
    logged = FileAccess.objects.filter(user=world.users[role], action="report")
    if status == 200:
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        assert "attachment;" in response["Content-Disposition"]
        text = sheet_text(response.content)
        assert "BÁO CÁO THỐNG KÊ SỐ LƯỢNG, CHẤT LƯỢNG" in text and unit.name.upper() in text
        assert logged.count() == 1 and unit.code in logged.get().what
    else:
        assert not logged.exists()


def test_each_report_and_format(world, client):
    client.force_login(world.users["dongdang"])
    for name in ("quality", "staffing", "trend"):
        xlsx = get(client, world.units.dongdang, report=name)
        assert xlsx.status_code == 200, name
        openpyxl.load_workbook(io.BytesIO(xlsx.content))
        pdf = get(client, world.units.dongdang, report=name, format="pdf")
        assert (
            pdf.status_code == 200
            and pdf.content.startswith(b"%PDF")
            and pdf["Content-Type"] == "application/pdf"
        )


def test_the_staffing_report_names_only_people_in_scope(world, client):
    """The legacy district's report, downloaded by the new commune's officer: refused; by the
    district officer: the people below standard of the district's communes."""
    client.force_login(world.users["caoloc"])
    response = get(client, world.units.caoloc, report="staffing", on="30/06/2025")
    assert response.status_code == 200
    assert "Biên chế" in openpyxl.load_workbook(io.BytesIO(response.content)).sheetnames


@pytest.mark.parametrize(
    "params, message",
    [
        ({"on": "31/12/2004"}, "nằm ngoài khoảng cho phép"),
        ({"on": "01/01/9999"}, "nằm ngoài khoảng cho phép"),
        ({"on": "32/13/2024"}, "không phải là một ngày hợp lệ"),
        ({"on": "x" * 40}, "Ngày quá dài"),
        ({"report": "salaries"}, "Hãy chọn một báo cáo"),
        ({"format": "docx"}, "không có; hãy chọn xlsx hoặc pdf"),
        ({"unit": "abc"}, "không phải là số"),
        ({"unit": ""}, "Hãy chọn đơn vị"),
    ],
)
def test_bad_input_is_400_with_a_vietnamese_message(world, client, params, message):
    from canbo.access.models import FileAccess

    client.force_login(world.users["province"])
    response = get(client, world.units.p20, **params)
    assert response.status_code == 400 and message in response.content.decode()
    assert not FileAccess.objects.exists()


def test_the_trend_for_year_9999_is_not_computed(world, client):
    client.force_login(world.users["province"])
    response = get(client, world.units.p20, report="trend", on="31/12/9999")
    assert response.status_code == 400


def test_a_unit_that_did_not_exist_on_the_date_is_400(world, client):
    client.force_login(world.users["province"])
    response = get(client, world.units.caoloc, on=ON)  # the legacy district ended on 30/06/2025
    assert response.status_code == 400 and "không tồn tại vào ngày 31/12/2025" in response.content.decode()


def test_anonymous_goes_to_login(world, client):
    response = get(client, world.units.p20)
    assert response.status_code == 302 and "/login/" in response.url
    assert client.get("/reports/").status_code == 302


# --------------------------------------------------------------------------- names behind the counts


def table_rows(ws) -> list[tuple]:
    """The rows of a report sheet under its column-numbering row (A, B, …), to the first blank."""
    rows = list(ws.iter_rows(values_only=True))
    start = next(k for k, r in enumerate(rows) if r[0] == "A" and r[1] == "B") + 1
    out = []
    for r in rows[start:]:
        if all(v in (None, "") for v in r):
            break
        out.append(r)
    return out


def commune_figures(ws, keys) -> dict:
    """Commune name → {key: figure}: the data rows (numbered) of a count sheet."""
    return {
        r[1]: {k: (r[2 + i] or 0) for i, k in enumerate(keys)}
        for r in table_rows(ws)
        if r[0] and str(r[0]).isdigit()
    }


def names_by_commune(ws) -> dict:
    """Commune name → the people rows of a list sheet (each under its commune's group row)."""
    out: dict = {}
    commune = None
    for r in table_rows(ws):
        if r[0] and not str(r[0]).isdigit():
            commune = r[1]
        else:
            out.setdefault(commune, []).append(r)
    return out


@pytest.fixture
def more_people(world):
    """People in post in new Xã Đồng Đăng and Phường Kỳ Lừa on 31/12/2025 with different
    qualifications (some meeting the standard, some not, some without data), and names an
    attacker would type into a spreadsheet."""
    from datetime import date

    from canbo.registry.models import Assignment, Person, Qualification

    made = []
    specs = [
        ('=HYPERLINK("http://x.example","bấm")', "female", "university", world.units.dongdang, "CV_TP"),
        ("+84 912 345 678", "male", "intermediate", world.units.dongdang, "CV_TP"),
        ("@SUM(A1:A9)", "male", None, world.units.kylua, "CV_TP"),
        ("-2+3", "female", "college", world.units.kylua, "CV_TP"),
        ("Đinh", "male", "university", world.units.dongdang, "CT_UBND"),
    ]
    for k, (family, sex, level, unit, title) in enumerate(specs):
        person = Person.objects.create(
            family_name=family,
            middle_name="Văn" if sex == "male" else "Thị",
            given_name=f"Thử{k}",
            sex=sex,
            birth_date=date(1980 + k, 1 + k, 10),
            ethnicity="01" if k % 2 else "07",
            managing_unit=unit,
        )
        Assignment.objects.create(
            person=person, unit=unit, title=world.titles[title], start=date(2025, 7, 1), start_reason="placed"
        )
        if level:
            Qualification.objects.create(
                person=person,
                dimension="professional",
                level=level,
                field_of_study="law",
                obtained_on=date(2010, 6, 30),
            )
        made.append(person)
    return made


def test_the_quality_list_names_the_people_behind_every_count(world, client, more_people):
    """Read back from the file: in each commune, the people of the list marked in a column are
    as many as the count table says — for every column of the table."""
    from canbo.core.reports.quality import GROUPS, KEYS

    client.force_login(world.users["province"])
    response = get(client, world.units.p20, report="quality")
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == ["Chất lượng", "Danh sách"]
    figures = commune_figures(wb["Chất lượng"], KEYS)
    people = names_by_commune(wb["Danh sách"])
    # Where each column's people are marked in the list: STT, name, birth, post, then the marks
    # of "Trong đó", then one column per other group holding the label of the column counted.
    where: dict = {"female": (4, "x"), "minority": (5, "x"), "party": (6, "x")}
    position = 7
    for group, cols in GROUPS:
        if group is None or group[0] == "Trong đó":
            continue
        for key, label, *_ in cols:
            where[key] = (position, label)
        position += 1
    checked = 0
    for commune in ("Xã Đồng Đăng", "Phường Kỳ Lừa"):
        rows = people[commune]
        assert figures[commune]["total"] == len(rows) > 0
        for key in KEYS[1:]:
            column, mark = where[key]
            assert sum(1 for r in rows if r[column] == mark) == figures[commune][key], (commune, key)
            checked += 1
    assert checked == 2 * (len(KEYS) - 1)
    assert {c for c, f in figures.items() if f["total"]} == set(people)
    everyone = [r[1] for rows in people.values() for r in rows]
    assert world.name("dongdang") in everyone and world.name("kylua") in everyone
    assert len(everyone) == len(set(everyone)) == 2 + len(more_people)
    assert figures["Xã Đồng Đăng"]["female"] == 1 and figures["Phường Kỳ Lừa"]["prof_none"] == 1


def test_the_staffing_list_names_the_people_behind_every_count(world, client, more_people):
    client.force_login(world.users["province"])
    response = get(client, world.units.p20, report="staffing")
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == ["Biên chế", "Chưa đạt chuẩn", "Danh sách"]
    keys = ["quota", "headcount", "surplus", "shortfall", "vacant_count", "over_count"]
    keys += ["below_standard", "field_mismatch", "missing_data"]
    figures = commune_figures(wb["Biên chế"], keys)
    people = names_by_commune(wb["Danh sách"])
    columns = {"headcount": 3, "below_standard": 4, "field_mismatch": 5, "missing_data": 6}
    for commune in ("Xã Đồng Đăng", "Phường Kỳ Lừa"):
        for key, column in columns.items():
            marked = sum(1 for r in people[commune] if r[column] == "x")
            assert marked == figures[commune][key], (commune, key)
    assert figures["Xã Đồng Đăng"]["headcount"] == 4 and figures["Phường Kỳ Lừa"]["headcount"] == 3
    # Part 2 (below standard) names the same people as the list's below-standard marks.
    below = {r[1] for rows in names_by_commune(wb["Chưa đạt chuẩn"]).values() for r in rows if r[1]}
    marked = {r[1] for rows in people.values() for r in rows if r[4] == "x"}
    assert below == marked and below


def test_no_text_cell_is_written_as_a_formula(world, client, more_people):
    """A person named "=HYPERLINK(…)", "+84 …", "@SUM(…)" or "-2+3" is written as text in every
    sheet of every report (issue 10 §3)."""
    client.force_login(world.users["province"])
    seen = set()
    for name in ("quality", "staffing"):
        response = get(client, world.units.p20, report=name)
        wb = openpyxl.load_workbook(io.BytesIO(response.content))
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", (name, ws.title, cell.coordinate, cell.value)
                    if isinstance(cell.value, str) and cell.value[:1] in "=+-@":
                        seen.add(cell.value.split(" ")[0][:6])
    assert {"=HYPER", "+84", "@SUM(A", "-2+3"} <= seen
