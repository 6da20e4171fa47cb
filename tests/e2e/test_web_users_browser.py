"""In a real browser (issue 10 §4): the system administrator creates a commune officer in the web
application, picking the scope unit by typing its name without diacritics; the new officer logs
in at once in a fresh browser with the temporary password, is made to change it, and reaches the
dashboard. A province officer is refused the users page with the Vietnamese 403 page."""

from datetime import date

import pytest

from canbo.access.models import Role, User
from canbo.registry.models import Unit
from canbo.registry.reference import load_reference

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def setting():
    load_reference({20})
    province = Unit.objects.get(code="20", level="province", valid_from=date(2025, 7, 1))
    admin = User.objects.create_user(
        "quantri", password="pw-quantri-12345", role=Role.SYSTEM_ADMIN, is_staff=True, is_superuser=True
    )
    officer = User.objects.create_user(
        "sonoivu", password="pw-sonoivu-12345", role=Role.PROVINCE_OFFICER, scope_unit=province
    )
    return {"admin": admin, "officer": officer}


def login(page, live_server, username, password):
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.click("main button[type=submit]")


def test_a_new_user_created_in_the_web_app_logs_in_and_changes_the_password(setting, live_server, browser):
    admin_context = browser.new_context(locale="vi-VN", viewport={"width": 1300, "height": 900})
    page = admin_context.new_page()
    page.set_default_timeout(15_000)
    login(page, live_server, "quantri", "pw-quantri-12345")
    page.click("nav.menu >> text=Người dùng")
    page.click("text=Tạo người dùng")
    page.fill("#id_username", "xa_dongdang")
    page.fill("#id_full_name", "Lò Văn Pắng")
    page.select_option("#id_role", Role.UNIT_OFFICER)
    page.fill("#id_unit_q", "dong dang")
    option = page.locator("#id_scope_unit option", has_text="Xã Đồng Đăng")
    option.first.wait_for(state="attached")
    page.select_option("#id_scope_unit", option.first.get_attribute("value"))
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    password = page.inner_text("#temporary-password").strip()
    assert len(password) >= 16
    user = User.objects.get(username="xa_dongdang")
    assert user.scope_unit.name == "Xã Đồng Đăng" and user.must_change_password and not user.is_staff

    # A fresh browser, as the new officer: straight to the password change, then the dashboard.
    officer_context = browser.new_context(locale="vi-VN", viewport={"width": 1300, "height": 900})
    officer = officer_context.new_page()
    officer.set_default_timeout(15_000)
    login(officer, live_server, "xa_dongdang", password)
    assert officer.url.endswith("/password/")
    officer.goto(f"{live_server.url}/people/")
    assert officer.url.endswith("/password/")
    officer.fill("#id_old_password", password)
    officer.fill("#id_new_password1", "Mat-khau-rieng-cua-Pang-2026")
    officer.fill("#id_new_password2", "Mat-khau-rieng-cua-Pang-2026")
    with officer.expect_navigation():
        officer.click("main form button[type=submit]")
    assert officer.url == f"{live_server.url}/"
    assert "Lò Văn Pắng" in officer.inner_text("header")
    user.refresh_from_db()
    assert not user.must_change_password

    # The administrator sees the first login in the list.
    page.goto(f"{live_server.url}/users/")
    row = page.locator("tr", has_text="xa_dongdang")
    assert "chưa đăng nhập" not in row.inner_text()
    admin_context.close()
    officer_context.close()


def test_a_province_officer_gets_the_vietnamese_403_page(setting, live_server, page):
    login(page, live_server, "sonoivu", "pw-sonoivu-12345")
    response = page.goto(f"{live_server.url}/users/")
    assert response.status == 403
    assert "Không có quyền truy cập" in page.inner_text("main")
    assert page.locator("nav.menu >> text=Người dùng").count() == 0
