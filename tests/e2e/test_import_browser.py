"""In a real browser, a district officer downloads the template, uploads a commune list, reads
the preview with a problem named by row and column, uploads the corrected list and commits it."""

from datetime import date

import pytest
from import_lists import good_people, write_list

from canbo.access.models import Role, User
from canbo.registry.models import Person, Unit
from canbo.registry.reference import load_reference

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def officer(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    load_reference({20})
    caoloc = Unit.objects.get(level="district", code="183", valid_to=date(2025, 6, 30))
    User.objects.create_user(
        "caoloc", password="pw-caoloc-123", role=Role.UNIT_OFFICER, scope_unit=caoloc, is_staff=True
    )
    return caoloc


def test_upload_preview_fix_and_commit(page, live_server, officer, tmp_path):
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "caoloc")
    page.fill("#id_password", "pw-caoloc-123")
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")

    page.goto(f"{live_server.url}/admin/imports/importbatch/add/")
    with page.expect_download() as download:
        page.select_option("#template-form select", str(officer.pk))
        page.click("#template-form input[type=submit]")
    assert download.value.suggested_filename.endswith(".xlsx")

    people = good_people()
    people[1]["born"] = "31/02/1988"
    bad = write_list(tmp_path / "sai.xlsx", people)
    page.goto(f"{live_server.url}/admin/imports/importbatch/add/")
    page.set_input_files("#id_file", str(bad))
    page.select_option("#id_unit", str(officer.pk))
    page.fill("#id_as_of", "31/12/2024")
    page.click("#upload-form input[type=submit]")
    page.locator("#problems").wait_for()
    row = page.locator("#problems tbody tr", has_text="31/02/1988")
    assert row.count() == 1 and "9" in row.inner_text()
    assert page.locator("#commit-form").count() == 0
    assert not Person.objects.filter(given_name="Hoa").exists()

    good = write_list(tmp_path / "dung.xlsx", good_people())
    page.goto(f"{live_server.url}/admin/imports/importbatch/add/")
    page.set_input_files("#id_file", str(good))
    page.select_option("#id_unit", str(officer.pk))
    page.fill("#id_as_of", "31/12/2024")
    page.click("#upload-form input[type=submit]")
    page.locator("#commit-form").wait_for()
    page.click("#commit-form input[type=submit]")
    page.locator("#written").wait_for()
    assert "Đã nhập" in page.locator("#batch-status").inner_text()
    assert Person.objects.filter(given_name="Hoa", managing_unit__code="06193").exists()
