"""In a real browser, a district officer imports a commune list, then a later list of the same
people: the preview shows each change old → new before anything is written (issue 9 §1), the
commit writes it, and the person's page shows the new value."""

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


def upload(page, url, path, unit, as_of):
    page.goto(f"{url}/admin/imports/importbatch/add/")
    page.set_input_files("#id_file", str(path))
    page.select_option("#id_unit", str(unit.pk))
    page.fill("#id_as_of", as_of)
    page.click("#upload-form input[type=submit]")
    page.locator("#commit-form").wait_for()


def test_a_later_list_shows_each_change_old_to_new_and_commits_it(page, live_server, officer, tmp_path):
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "caoloc")
    page.fill("#id_password", "pw-caoloc-123")
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")

    # The first list: no ID numbers; Hoa written as Tày.
    first = good_people(number=False)
    upload(page, live_server.url, write_list(tmp_path / "ds-2024.xlsx", first), officer, "31/12/2024")
    page.click("#commit-form input[type=submit]")
    page.locator("#written").wait_for()
    hoa = Person.objects.get(family_name="Lương", given_name="Hoa")
    assert hoa.ethnicity == "02" and hoa.identity_number in (None, "")  # 02: Tày

    # The later list: ID numbers added, Hoa's ethnicity corrected to Nùng.
    later = good_people(number=True)
    later[1]["ethnic"] = "Nùng"
    upload(page, live_server.url, write_list(tmp_path / "ds-2024-sua.xlsx", later), officer, "31/12/2024")
    assert "Cập nhật hồ sơ có sẵn" in page.locator("#summary").inner_text()
    rows = page.locator("#changes tbody tr", has_text="Lương Thị Hoa")
    cells = [r.locator("td").all_inner_texts() for r in rows.all()]
    assert ["Lương Thị Hoa", "Dân tộc", "Tày", "Nùng"] in [c[2:] for c in cells]
    assert ["Lương Thị Hoa", "Số định danh cá nhân", "(trống)", later[1]["id"]] in [c[2:] for c in cells]
    # Nothing is written before the officer commits what the preview showed.
    hoa.refresh_from_db()
    assert hoa.ethnicity == "02"

    page.click("#commit-form input[type=submit]")
    page.locator("#written").wait_for()
    assert "Đã nhập" in page.locator("#batch-status").inner_text()
    hoa.refresh_from_db()
    assert hoa.ethnicity == "07" and hoa.identity_number == later[1]["id"]  # 07: Nùng
    # The name in the list of changes leads to her record, which shows the new values.
    page.locator("#changes a", has_text="Lương Thị Hoa").first.click()
    page.wait_for_url(f"**/admin/registry/person/{hoa.pk}/change/")
    assert page.locator("#id_ethnicity option:checked").inner_text().strip() == "Nùng"
    assert page.input_value("#id_identity_number") == later[1]["id"]
