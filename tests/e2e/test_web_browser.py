"""The web application in a real browser (issue 10 §4): Playwright driving Debian's Chromium
against Django's live server, on the small world of ``tests/conftest.py`` (one person per
place, one user per role).

The world's reference units are loaded once (``load_reference``, some seconds) and copied back
row for row before each test: the live server needs committed data, so every test here runs in
its own flushed database.

Each flow leaves screenshots under ``/tmp/e2e-shots/`` (outside the repository) for a person to
look at: what a test cannot see — English words, month-first dates, a broken layout — shows there.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.db import transaction

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = Path("/tmp/e2e-shots")
PASSWORD = "mat-khau-thu-nghiem-2026"

#: Rows of the reference tables (units of legacy provinces 1 and 20 and their successors, the
#: lineage, the titles) read once, written back before each test.
_REFERENCE: dict[str, list[dict]] = {}


@pytest.fixture
def reference(transactional_db):
    """Overrides ``tests/conftest.py``'s module-wide ``reference`` (which the flush after each
    live-server test would wipe): the same units and titles, restored for this test."""
    from canbo.registry.models import Title, Unit, UnitLineage
    from canbo.registry.reference import load_reference

    models = {"unit": Unit, "lineage": UnitLineage, "title": Title}
    if not _REFERENCE:
        load_reference({1, 20})
        for key, model in models.items():
            _REFERENCE[key] = list(model.objects.order_by("pk").values())
        return
    with transaction.atomic():
        for key, model in models.items():
            model.objects.bulk_create([model(**row) for row in _REFERENCE[key]], batch_size=2000)


@pytest.fixture
def people_world(world, settings):
    """The world with a password for each account, so its users log in through the form. The
    passwords are hashed with a fast hasher (the real one takes a second per hash, by design),
    here and in the live server, which shares these settings."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *settings.PASSWORD_HASHERS]
    for user in world.users.values():
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    return world


def shot(page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def log_in(page, base: str, username: str, password: str = PASSWORD) -> None:
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.click("main button[type=submit]")


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
        assert "Thôn Nà Pàn, xã Bảo Lâm" in alert.inner_text()  # the other's change, shown
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
