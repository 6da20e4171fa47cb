"""The import flow and a report download in the web application, in a real browser (issue 10
§4): a commune officer uploads a list (the htmx form shows that the work is going on), reads the
preview, commits it; a province officer downloads the quality report and finds in it the people
behind its counts. Same world and fixtures as ``test_web_browser.py``."""

from __future__ import annotations

import io
import re
from datetime import date

import openpyxl
import pytest

from e2e.browsing import log_in, shot

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_a_commune_officer_uploads_previews_and_commits_a_list(page, live_server, people_world, tmp_path):
    from import_lists import person_row, write_list

    from canbo.imports.models import ImportBatch
    from canbo.registry.models import Person

    rows = [
        person_row(
            "Triệu", "Văn", "Sơn", date(1982, 4, 9), "male", "Xã Đồng Đăng", "Chủ tịch UBND", serial=11
        ),
        person_row(
            "Hà", "Thị", "Lan", date(1990, 8, 21), "female", "Đồng Đăng", "Phó Chủ tịch UBND", serial=12
        ),
    ]
    rows[1]["professional"] = "Học lực khá"  # unreadable: listed among the doubts
    path = write_list(tmp_path / "danh-sach.xlsx", rows)
    base = live_server.url
    log_in(page, base, "xa_dongdang")
    page.click("nav.menu >> text=Nhập danh sách")
    page.click("#new-upload")
    assert page.locator("#id_unit").input_value() == str(people_world.units.dongdang.pk)
    page.set_input_files("#id_file", str(path))
    page.fill("#id_as_of", "31/12/2025")
    # The indicator is hidden until the form is sent.
    assert not page.locator("#upload-busy").is_visible()
    page.click("#upload-form button[type=submit]")
    page.wait_for_url(re.compile(r"/import/\d+/$"))
    shot(page, "web-import-preview")
    assert "Xã Đồng Đăng" in page.locator("#unit-counts").inner_text()
    assert "Học lực khá" in page.locator("#doubts").inner_text()
    assert not Person.objects.filter(given_name__in=["Sơn", "Lan"]).exists()
    page.click("#commit-form button[type=submit]")
    page.locator("#written").wait_for()
    shot(page, "web-import-committed")
    assert "Đã ghi: 2 hồ sơ mới" in page.locator(".messages").inner_text()
    assert ImportBatch.objects.get().status == "committed"
    assert Person.objects.filter(given_name__in=["Sơn", "Lan"]).count() == 2
    page.click(".breadcrumbs >> text=Nhập danh sách")
    assert "Đã nhập" in page.locator("#batches").inner_text()


def test_a_bad_file_is_answered_in_place_in_vietnamese(page, live_server, people_world, tmp_path):
    bad = tmp_path / "danh-sach.csv"
    bad.write_text("Họ và tên;Ngày sinh\n", encoding="utf-8")
    log_in(page, live_server.url, "xa_dongdang")
    page.goto(f"{live_server.url}/import/upload/")
    page.set_input_files("#id_file", str(bad))
    page.click("#upload-form button[type=submit]")
    page.locator("#upload-form .errorlist").wait_for()
    shot(page, "web-import-not-excel")
    assert "Chỉ nhận tệp Excel .xlsx hoặc .xls" in page.locator("#upload-form").inner_text()
    assert page.url.endswith("/import/upload/")


def test_a_province_officer_downloads_the_quality_report(page, live_server, people_world):
    from canbo.access.models import FileAccess

    log_in(page, live_server.url, "sonoivu_langson")
    page.click("nav.menu >> text=Báo cáo")
    assert page.locator("#unit").input_value() == str(people_world.units.p20.pk)
    page.fill("#on", "31/12/2025")
    shot(page, "web-report-form")
    with page.expect_download() as download:
        page.click("#report-form button[type=submit]")
    assert download.value.suggested_filename.startswith("bao-cao-chat-luong-20-")
    with open(download.value.path(), "rb") as fh:
        wb = openpyxl.load_workbook(io.BytesIO(fh.read()))
    assert wb.sheetnames == ["Chất lượng", "Danh sách"]
    listed = {c for row in wb["Danh sách"].iter_rows(values_only=True) for c in row if c}
    assert people_world.name("dongdang") in listed and people_world.name("kylua") in listed
    assert FileAccess.objects.filter(username="sonoivu_langson", action="report").count() == 1
