"""The web application in a real browser (issue 10 §4): Playwright driving Debian's Chromium
against Django's live server, on the small world of ``tests/conftest.py`` (one person per
place, one user per role).

The world's reference units are loaded once and copied back row for row before each test
(``reference`` in ``tests/e2e/conftest.py``): the live server needs committed data, so every test
here runs in its own flushed database.

Each flow leaves screenshots under ``/tmp/e2e-shots/`` (outside the repository) for a person to
look at: what a test cannot see — English words, month-first dates, a broken layout — shows there.
"""

from __future__ import annotations

import re

import pytest

from e2e.browsing import PASSWORD, log_in, shot

pytestmark = pytest.mark.django_db(transaction=True)

# --------------------------------------------------------------------------- logging in, errors


def test_login_refuses_a_wrong_password_in_vietnamese_then_lets_the_right_one_in(
    page, live_server, people_world
):
    base = live_server.url
    page.goto(f"{base}/people/")
    # Not logged in: the login page, which will lead back to the list.
    assert page.url.startswith(f"{base}/login/?next=")
    assert page.locator("html").get_attribute("lang") == "vi"  # an English browser still reads Vietnamese
    page.fill("#id_username", "sonoivu_langson")
    page.fill("#id_password", "sai-mat-khau")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    alert = page.get_by_role("alert")
    assert "mật khẩu" in alert.inner_text()
    assert "password" not in page.locator("main").inner_text().lower()
    shot(page, "01-login-wrong-password")
    assert page.locator("#id_username").input_value() == "sonoivu_langson"  # kept; the password not
    assert page.locator("#id_password").input_value() == ""

    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert page.url == f"{base}/people/"
    assert "sonoivu_langson" in page.locator("header .who").inner_text()
    # Logging out leads back to the login page; the list is closed again.
    with page.expect_navigation():
        page.get_by_role("button", name="Đăng xuất").click()
    assert page.url == f"{base}/login/"
    page.goto(f"{base}/people/")
    assert page.url.startswith(f"{base}/login/")


def test_a_forbidden_page_answers_403_in_vietnamese_with_a_way_back(page, live_server, people_world):
    base = live_server.url
    log_in(page, base, "thanhtra_langson")  # the inspector: reads, never writes
    # The menu does not offer what the inspector may not open ...
    menu = page.locator("header nav.menu").inner_text()
    assert "Người dùng" not in menu and "Nhập danh sách" not in menu
    # ... and typing the address is refused, in Vietnamese, with a way back.
    response = page.goto(f"{base}/users/")
    assert response.status == 403
    assert "Không có quyền truy cập" in page.locator("h1").inner_text()
    shot(page, "02-forbidden-403")
    with page.expect_navigation():
        page.get_by_role("link", name="Về trang tổng quan").click()
    assert page.url == f"{base}/"
    # An officer's person outside the scope is not found at all (not "forbidden": not shown to exist).
    hanoi = people_world.people["hanoi"]
    response = page.goto(f"{base}/people/{hanoi.pk}/")
    assert response.status == 404
    assert "Không tìm thấy" in page.locator("h1").inner_text()
    assert "Bình" not in page.content()
    shot(page, "03-not-found-404")
    # Editing a person in scope: the inspector only reads.
    kylua = people_world.people["kylua"]
    assert page.goto(f"{base}/people/{kylua.pk}/edit/").status == 403


def test_an_unknown_address_and_a_date_out_of_range(page, live_server, people_world):
    base = live_server.url
    log_in(page, base, "sonoivu_langson")
    response = page.goto(f"{base}/khong-co-trang-nay/")
    assert response.status == 404
    assert "Không tìm thấy trang" in page.locator("h1").inner_text()
    assert page.get_by_role("link", name="Về trang tổng quan").is_visible()

    # A date beyond 31/12 of next year (a trend for year 9999 must not be computable): 400 with
    # the reason, in Vietnamese, dd/mm/yyyy.
    response = page.goto(f"{base}/?on=01/01/9999")
    assert response.status == 400
    text = page.locator("main").inner_text()
    assert "01/01/9999" in text and "nằm ngoài khoảng cho phép" in text and "01/01/2005" in text
    shot(page, "04-date-out-of-range-400")
    response = page.goto(f"{base}/?on=31/02/2024")
    assert response.status == 400
    assert "không phải là một ngày hợp lệ" in page.locator("main").inner_text()
    assert re.search(r"dd/mm/yyyy", page.locator("main").inner_text())


# --------------------------------------------------------------------------- a person's file


def test_editing_a_person_and_the_second_of_two_concurrent_saves_is_refused(
    browser, live_server, people_world
):
    """The province's officer and the officer of new Xã Đồng Đăng (whose scope holds legacy Xã
    Bảo Lâm, where Lộc Thị Huyền's file is kept) open her file for editing at the same time; the
    first save wins, the second is refused and shows the first one's change; saved again
    deliberately, it goes through."""
    from canbo.registry.models import Person

    base = live_server.url
    huyen = people_world.people["baolam"]
    edit_url = f"{base}/people/{huyen.pk}/edit/"
    contexts = [browser.new_context(viewport={"width": 1300, "height": 900}) for _ in range(2)]
    try:
        first, second = (c.new_page() for c in contexts)
        for pg in (first, second):
            pg.set_default_timeout(15_000)
        log_in(first, base, "sonoivu_langson")
        log_in(second, base, "xa_dongdang")

        # The file as it reads: the standards at the top, dates dd/mm/yyyy.
        first.goto(f"{base}/people/{huyen.pk}/")
        assert first.locator("h1").inner_text() == "Lộc Thị Huyền"
        assert "02/03/1977" in first.locator("#profile").inner_text()
        shot(first, "10-person-page")
        with first.expect_navigation():
            first.get_by_role("link", name="Sửa hồ sơ").click()
        assert first.url == edit_url
        second.goto(edit_url)
        assert first.locator("#id_birth_date").input_value() == "02/03/1977"

        # A wrong date is refused in Vietnamese, the rest of the input kept.
        first.fill("#id_home_town", "Thôn Nà Pàn, xã Bảo Lâm")
        first.fill("#id_birth_date", "31/02/1977")
        with first.expect_navigation():
            first.get_by_role("button", name="Lưu").click()
        errors = first.locator(".field-birth_date .errorlist").inner_text()
        assert errors and "date" not in errors.lower()
        assert first.locator("#id_home_town").input_value() == "Thôn Nà Pàn, xã Bảo Lâm"
        shot(first, "11-person-edit-invalid-date")
        first.fill("#id_birth_date", "02/03/1977")
        with first.expect_navigation():
            first.get_by_role("button", name="Lưu").click()
        assert first.url == f"{base}/people/{huyen.pk}/"
        assert "Đã lưu hồ sơ của Lộc Thị Huyền" in first.locator(".messages").inner_text()
        assert "Thôn Nà Pàn, xã Bảo Lâm" in first.locator("#profile").inner_text()

        # The second officer, whose form was opened before that save, saves over it: refused.
        second.fill("#id_home_town", "Thôn Khòn Quang")
        with second.expect_navigation():
            second.get_by_role("button", name="Lưu").click()
        alert = second.locator(".conflict")
        assert "Chưa lưu" in alert.inner_text()
        assert "Thôn Nà Pàn, xã Bảo Lâm" in alert.inner_text()  # the other's change, shown ...
        assert "Tạo hồ sơ" not in alert.inner_text()  # ... and only what changed since the form was opened
        assert second.locator("#id_home_town").input_value() == "Thôn Khòn Quang"  # own input kept
        shot(second, "12-person-edit-conflict")
        assert Person.objects.get(pk=huyen.pk).home_town == "Thôn Nà Pàn, xã Bảo Lâm"

        # Having read the other's change, the second officer saves again on purpose.
        with second.expect_navigation():
            second.get_by_role("button", name="Lưu").click()
        assert second.url == f"{base}/people/{huyen.pk}/"
        assert Person.objects.get(pk=huyen.pk).home_town == "Thôn Khòn Quang"
        # Both saves are in the file's history.
        second.goto(f"{base}/people/{huyen.pk}/#history")
        history = second.locator("#history").inner_text()
        assert "Thôn Nà Pàn, xã Bảo Lâm" in history and "Thôn Khòn Quang" in history
    finally:
        for c in contexts:
            c.close()


# --------------------------------------------------------------------------- dashboard, drill-down


def test_dashboard_and_drill_down_from_the_province_to_a_commune_and_a_person(
    page, live_server, people_world
):
    """The province's officer: the dashboard of Lạng Sơn today (the six people of the province
    in the world, of whom two hold a post after the merger), a new commune, its officer; then
    before the merger: the legacy province → Huyện Cao Lộc → Xã Thanh Lòa → its officer."""
    base = live_server.url
    log_in(page, base, "sonoivu_langson")
    assert page.url == f"{base}/"
    assert page.locator("h1").inner_text() == "Tỉnh Lạng Sơn"
    kpis = page.locator(".kpi").all_inner_texts()
    # Today two people hold a post in Lạng Sơn's new communes (Đồng Đăng, Kỳ Lừa); the others'
    # posts ended with the merger.
    assert any(k.split()[0] == "2" and "Người đang giữ chức danh" in k for k in kpis), kpis
    assert page.locator("svg").count() >= 1  # the charts, drawn by the server
    assert "Nguyễn Văn Bình" not in page.content()  # Hà Nội's officer: another scope
    shot(page, "20-dashboard-province")

    with page.expect_navigation():
        page.locator("table.units th a", has_text="Xã Đồng Đăng").first.click()
    assert page.url.startswith(f"{base}/units/{people_world.units.dongdang.pk}/")
    assert "Xã Đồng Đăng" in page.locator("h1").inner_text()
    shot(page, "21-commune-dongdang")
    with page.expect_navigation():
        page.locator("#posts a", has_text="Hoàng Văn Thắng").click()
    assert page.url.startswith(f"{base}/people/{people_world.people['dongdang'].pk}/")
    assert page.locator("h1").inner_text() == "Hoàng Văn Thắng"

    # Before the merger: the legacy province lists its districts, a district its communes.
    page.goto(f"{base}/?on=01/06/2025")
    assert page.locator("h1").inner_text() == "Tỉnh Lạng Sơn"
    shot(page, "22-dashboard-province-before-merger")
    with page.expect_navigation():
        page.locator("table.units th a", has_text="Huyện Cao Lộc").first.click()
    assert "Huyện Cao Lộc" in page.locator("h1").inner_text()
    assert "01/06/2025" in page.locator("main").inner_text()  # the date is kept on the way down
    shot(page, "23-dashboard-district-caoloc")
    with page.expect_navigation():
        page.locator("table.units th a", has_text="Xã Thanh Lòa").first.click()
    assert page.url.startswith(f"{base}/units/{people_world.units.thanhloa.pk}/")
    shot(page, "24-commune-thanhloa-before-merger")
    with page.expect_navigation():
        page.locator("#posts a", has_text="Vi Văn Quyết").click()
    assert page.locator("h1").inner_text() == "Vi Văn Quyết"
    shot(page, "25-person-thanhloa")


# --------------------------------------------------------------------------- import, reports


def test_the_import_flow_upload_preview_commit(page, live_server, people_world, tmp_path, settings):
    """The officer of new Xã Đồng Đăng uploads the commune's list (their own unit preselected),
    reads the preview, commits; the two new people are then in the people list."""
    from datetime import date

    from import_lists import person_row, write_list

    from canbo.registry.models import Person

    settings.MEDIA_ROOT = tmp_path / "media"
    rows = [
        person_row(
            "Triệu", "Văn", "Sơn", date(1982, 4, 9), "male", "Xã Đồng Đăng", "Chủ tịch UBND", serial=11
        ),
        person_row(
            "Hà", "Thị", "Lan", date(1990, 8, 21), "female", "Đồng Đăng", "Phó Chủ tịch UBND", serial=12
        ),
    ]
    workbook = write_list(tmp_path / "danh-sach-dong-dang.xlsx", rows)
    base = live_server.url
    dongdang = people_world.units.dongdang
    log_in(page, base, "xa_dongdang")
    page.locator("header nav.menu").get_by_role("link", name="Nhập danh sách").click()
    page.wait_for_url(f"{base}/import/")
    shot(page, "30-imports")
    page.goto(f"{base}/import/upload/")
    assert page.locator("#upload-form #id_unit").input_value() == str(dongdang.pk)  # their own unit
    page.set_input_files("#id_file", str(workbook))
    page.fill("#id_as_of", "31/12/2025")
    shot(page, "31-import-upload")
    page.get_by_role("button", name="Kiểm tra và xem trước").click()
    page.wait_for_url(re.compile(rf"{re.escape(base)}/import/\d+/$"), timeout=60_000)
    shot(page, "32-import-preview")
    # Two new files, both rows of Xã Đồng Đăng; nothing written yet.
    assert page.locator("tr", has_text="Tạo hồ sơ mới").inner_text().split()[-1] == "2"
    assert page.locator("tr", has_text="Xã Đồng Đăng").first.inner_text().split()[-1] == "2"
    assert not Person.objects.filter(given_name__in=["Sơn", "Lan"]).exists()  # nothing written yet

    page.locator("#commit-form").get_by_role("button", name="Ghi vào hồ sơ").click()
    page.locator(".messages").wait_for(timeout=60_000)
    assert "Đã ghi: 2 hồ sơ mới" in page.locator(".messages").inner_text()
    assert page.locator("#commit-form").count() == 0  # committed: no second button
    shot(page, "33-import-committed")
    assert set(
        Person.objects.filter(given_name__in=["Sơn", "Lan"]).values_list("family_name", flat=True)
    ) == {
        "Triệu",
        "Hà",
    }
    page.goto(f"{base}/people/?q=trieu+van+son")
    assert "Triệu Văn Sơn" in page.locator("main").inner_text()


def test_a_report_downloaded_from_the_reports_page(page, live_server, people_world, tmp_path):
    """The officer of legacy Huyện Cao Lộc: their district preselected; the staffing report of
    Xã Thanh Lòa as of 31/12/2024, downloaded and opened — its officer, whose degree is below the
    standard, listed as below standard."""
    import openpyxl

    from canbo.registry.models import Qualification

    Qualification.objects.filter(person=people_world.people["thanhloa"]).update(level="intermediate")

    base = live_server.url
    log_in(page, base, "caoloc_huyen")
    page.goto(f"{base}/reports/")
    assert page.locator("#unit").input_value() == str(people_world.units.caoloc.pk)
    options = page.locator("#unit option").all_inner_texts()
    assert not any("Kỳ Lừa" in o or "Hà Nội" in o for o in options)  # only units of the scope
    shot(page, "34-reports")
    page.check("input[name=report][value=staffing]")
    page.select_option("#unit", str(people_world.units.thanhloa.pk))
    page.fill("#on", "31/12/2024")
    page.check("input[name=format][value=xlsx]")
    with page.expect_download() as info:
        page.get_by_role("button", name="Tải báo cáo").click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    assert path.suffix == ".xlsx" and "06193" in path.name
    wb = openpyxl.load_workbook(path)
    cells = {str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value}
    assert wb.sheetnames[:2] == ["Biên chế", "Chưa đạt chuẩn"]
    assert "Tính đến ngày 31/12/2024" in cells and "UBND XÃ THANH LÒA" in cells
    below = [str(c.value) for row in wb["Chưa đạt chuẩn"].iter_rows() for c in row if c.value]
    assert "Vi Văn Quyết" in below and "Trung cấp" in below
    assert not any(
        "Lộc Thị Huyền" in c or "Nguyễn Văn Bình" in c for c in cells
    )  # other communes, other scope

    # A date outside the bounds is refused with the reason, not computed.
    page.goto(
        f"{base}/reports/download/?report=staffing&format=xlsx&unit={people_world.units.thanhloa.pk}&on=31/12/9999"
    )
    assert "nằm ngoài khoảng cho phép" in page.locator("main").inner_text()
