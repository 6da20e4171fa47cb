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
