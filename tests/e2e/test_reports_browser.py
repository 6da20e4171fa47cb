"""In a real browser, a province officer goes from a commune's page to its reports, chooses the
staffing report as of an earlier date, and downloads the workbook; then the PDF of the quality
report."""

from datetime import date

import openpyxl
import pytest

from canbo.access.models import Role, User
from canbo.registry.models import Assignment, Person, Qualification, Title, Unit
from canbo.registry.reference import load_reference

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def setting():
    load_reference({20})
    province = Unit.objects.get(level="province", code="20", valid_to=date(2025, 6, 30))
    commune = Unit.objects.get(level="commune_level", code="06193", valid_to=date(2025, 6, 30))
    person = Person.objects.create(
        family_name="Hoàng",
        middle_name="Văn",
        given_name="Tư",
        sex="male",
        birth_date=date(1985, 2, 1),
        ethnicity="02",
        managing_unit=commune,
    )
    Assignment.objects.create(
        person=person,
        unit=commune,
        title=Title.objects.get(code="TP_HT"),
        start=date(2010, 3, 1),
        end=date(2025, 6, 30),
        start_reason="recruited",
        end_reason="unit_merged",
    )
    Qualification.objects.create(
        person=person,
        dimension="professional",
        level="intermediate",
        field_of_study="law",
        obtained_on=date(2008, 6, 30),
    )
    User.objects.create_user(
        "sonoivu", password="pw-sonoivu-123", role=Role.PROVINCE_OFFICER, scope_unit=province, is_staff=True
    )
    return {"person": person, "commune": commune}


def test_from_the_commune_page_to_the_downloaded_reports(page, live_server, setting, tmp_path):
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "sonoivu")
    page.fill("#id_password", "pw-sonoivu-123")
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")

    commune = setting["commune"]
    page.goto(f"{live_server.url}/admin/registry/unit/{commune.pk}/change/")
    page.click("ul.object-tools >> text=Báo cáo")
    page.wait_for_url(f"**/admin/reports/?unit={commune.pk}")
    assert page.locator("#id_unit").input_value() == str(commune.pk)
    assert page.locator("#id_on").input_value() == "2025-06-30"  # the commune's last day

    page.check("input[name=report][value=staffing]")
    page.fill("#id_on", "2024-12-31")
    with page.expect_download() as info:
        page.click("input[type=submit]")
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    assert path.name == "bao-cao-bien-che-06193-xa-thanh-loa-2024-12-31.xlsx"
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Biên chế", "Chưa đạt chuẩn", "Danh sách"]
    listed = {c.value for row in wb["Chưa đạt chuẩn"].iter_rows() for c in row}
    assert "Hoàng Văn Tư" in listed and "Đại học" in listed and "Trung cấp" in listed
    # The people behind the counts.
    assert "Hoàng Văn Tư" in {c.value for row in wb["Danh sách"].iter_rows() for c in row}

    page.check("input[name=report][value=quality]")
    page.check("input[name=format][value=pdf]")
    with page.expect_download() as info:
        page.click("input[type=submit]")
    pdf = tmp_path / "chat-luong.pdf"
    info.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF-")
