"""User management and logging in (issue 10 §1, users; the login lock-out of django-axes).

A user created by the administrator in the web application logs in at once with the temporary
password shown once, is sent to change it first, then reaches the dashboard — the defect of the
admin-only era (a new user could not log in) must not come back."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from canbo.access.models import Role, User

pytestmark = pytest.mark.django_db

PASSWORD_RE = re.compile(r'id="temporary-password">([^<]+)<')
NEW_PASSWORD = "Mật-khẩu-mới-của-Pắng-2026"


def admin_client(world) -> Client:
    c = Client()
    c.force_login(world.users["admin"])
    return c


def create(world, c: Client, **changes):
    data = {
        "username": "xa_dongdang_2",
        "full_name": "Lò Văn Pắng",
        "role": Role.UNIT_OFFICER,
        "scope_unit": world.units.dongdang.pk,
        "email": "",
    }
    data.update(changes)
    return c.post("/users/new/", data)


def temporary_password(response) -> str:
    found = PASSWORD_RE.search(response.content.decode())
    assert found, response.content.decode()[:3000]
    return found.group(1)


def login(username: str, password: str, address: str = "10.0.0.1") -> tuple[Client, object]:
    c = Client(REMOTE_ADDR=address)
    response = c.post("/login/", {"username": username, "password": password})
    return c, response


# --------------------------------------------------------------------------- create → log in → change → dashboard


def test_new_user_logs_in_at_once_changes_password_then_reaches_the_dashboard(world):
    response = create(world, admin_client(world))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    password = temporary_password(response)
    user = User.objects.get(username="xa_dongdang_2")
    assert user.get_full_name() == "Lò Văn Pắng"
    assert user.must_change_password and user.is_active
    assert not user.is_staff and not user.is_superuser  # the web app, not the admin
    assert user.scope_unit == world.units.dongdang and user.role == Role.UNIT_OFFICER
    # Generated and strong: passes the validators, not the username.
    from django.contrib.auth.password_validation import validate_password

    validate_password(password, user)
    assert len(password) >= 16
    # The creation is in the account's history, made by the administrator.
    record = user.history.get()
    assert record.history_type == "+" and record.history_user == world.users["admin"]

    c, response = login("xa_dongdang_2", password)
    assert response.status_code == 302
    # Every page sends them to the password change first.
    for path in ("/", "/people/", "/rules/"):
        response = c.get(path)
        assert response.status_code == 302 and response["Location"] == "/password/", path
    assert c.get("/password/").status_code == 200
    response = c.post(
        "/password/",
        {"old_password": password, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302 and response["Location"] == "/"
    assert c.get("/").status_code == 200
    user.refresh_from_db()
    assert not user.must_change_password
    # The new password works, the temporary one no more.
    assert login("xa_dongdang_2", NEW_PASSWORD)[1].status_code == 302
    assert login("xa_dongdang_2", password)[1].status_code == 200


def test_the_list_shows_accounts_with_role_unit_and_state(world):
    html = admin_client(world).get("/users/").content.decode()
    for username in ("quantri", "sonoivu_langson", "xa_dongdang", "sonoivu_nghi"):
        assert username in html
    assert "Xã Đồng Đăng" in html and "Đã khóa" in html
    html = admin_client(world).get("/users/?active=0").content.decode()
    assert "sonoivu_nghi" in html and "xa_dongdang" not in html
    assert admin_client(world).get("/users/?page=999999").status_code == 400


# --------------------------------------------------------------------------- deactivate, reactivate, reset


def test_deactivated_user_cannot_log_in_and_reactivated_can(world):
    c = admin_client(world)
    password = temporary_password(create(world, c))
    user = User.objects.get(username="xa_dongdang_2")
    logged_in, _ = login("xa_dongdang_2", password)
    assert logged_in.get("/password/").status_code == 200

    assert c.post(f"/users/{user.pk}/active/", {"active": "0"}).status_code == 302
    user.refresh_from_db()
    assert not user.is_active
    # The open session ends and a new login is refused.
    assert logged_in.get("/password/").status_code == 302
    assert login("xa_dongdang_2", password)[1].status_code == 200

    assert c.post(f"/users/{user.pk}/active/", {"active": "1"}).status_code == 302
    assert login("xa_dongdang_2", password)[1].status_code == 302
    reasons = list(
        user.history.filter(history_change_reason__isnull=False)
        .order_by("history_id")
        .values_list("history_change_reason", flat=True)
    )
    assert reasons == ["Tạo tài khoản", "Khóa tài khoản", "Mở lại tài khoản"]
    html = c.get(f"/users/{user.pk}/").content.decode()
    assert "Khóa tài khoản" in html and "Đang hoạt động: có → không" in html


def test_reset_password(world):
    c = admin_client(world)
    first = temporary_password(create(world, c))
    user = User.objects.get(username="xa_dongdang_2")
    user.must_change_password = False
    user.save()
    response = c.post(f"/users/{user.pk}/reset/")
    assert response.status_code == 200
    second = temporary_password(response)
    assert second != first
    user.refresh_from_db()
    assert user.must_change_password
    assert login("xa_dongdang_2", first)[1].status_code == 200
    client, response = login("xa_dongdang_2", second)
    assert response.status_code == 302
    assert client.get("/")["Location"] == "/password/"
    assert c.get(f"/users/{user.pk}/reset/").status_code == 405
    assert "Đặt lại mật khẩu" in c.get(f"/users/{user.pk}/").content.decode()


def test_the_administrator_cannot_lock_themself_out(world):
    c = admin_client(world)
    admin = world.users["admin"]
    c.post(f"/users/{admin.pk}/active/", {"active": "0"})
    admin.refresh_from_db()
    assert admin.is_active


# --------------------------------------------------------------------------- who may


@pytest.mark.parametrize("role", ["province", "inspector", "caoloc", "dongdang", "hanoi"])
def test_other_roles_get_403(world, role):
    c = Client()
    c.force_login(world.users[role])
    target = world.users["dongdang"]
    assert c.get("/users/").status_code == 403
    assert c.get("/users/new/").status_code == 403
    assert c.get(f"/users/{target.pk}/").status_code == 403
    assert c.get("/users/units/?unit_q=dong").status_code == 403
    assert c.post(f"/users/{target.pk}/reset/").status_code == 403
    assert c.post(f"/users/{target.pk}/active/", {"active": "0"}).status_code == 403
    assert create(world, c).status_code == 403
    assert not User.objects.filter(username="xa_dongdang_2").exists()
    target.refresh_from_db()
    assert target.is_active
    # Not in their menu either.
    assert 'href="/users/"' not in c.get("/rules/").content.decode()


# --------------------------------------------------------------------------- validation


@pytest.mark.parametrize(
    ("changes", "field_message"),
    [
        ({"username": "XA_DONGDANG"}, "đã có người dùng"),
        ({"username": "đồng đăng"}, "chữ cái không dấu"),
        ({"username": "ab"}, "3–150 ký tự"),
        ({"full_name": "<script>alert(1)</script>"}, "không được chứa ký tự đánh dấu"),
        ({"full_name": "Lò Văn\x00 Pắng"}, "ký tự điều khiển"),
        ({"full_name": "Lò Văn\u202ePắng"}, "ký tự điều khiển"),
        ({"role": Role.PROVINCE_OFFICER}, "phải có phạm vi là một tỉnh"),
        ({"scope_unit": ""}, "cần chọn một đơn vị phạm vi"),
        ({"scope_unit": "999999999"}, "nằm ngoài phạm vi được phép chọn"),
    ],
)
def test_invalid_accounts_are_refused_in_vietnamese(world, changes, field_message):
    response = create(world, admin_client(world), **changes)
    assert response.status_code == 200
    html = response.content.decode()
    assert field_message.lower() in html.lower(), html[
        html.find("errorlist") - 200 : html.find("errorlist") + 600
    ]
    assert 'id="temporary-password"' not in html
    assert not User.objects.filter(first_name="Lò Văn Pắng").exists()


def test_province_officer_with_a_province_is_accepted(world):
    response = create(world, admin_client(world), role=Role.PROVINCE_OFFICER, scope_unit=world.units.p20.pk)
    temporary_password(response)
    assert User.objects.get(username="xa_dongdang_2").scope_unit == world.units.p20


def test_edit_changes_role_and_scope_with_history(world):
    c = admin_client(world)
    target = world.users["dongdang"]
    response = c.post(
        f"/users/{target.pk}/edit/",
        {
            "full_name": "Hoàng Thị Lan",
            "role": Role.INSPECTOR,
            "scope_unit": world.units.caoloc.pk,
            "email": "",
        },
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.role == Role.INSPECTOR and target.scope_unit == world.units.caoloc
    assert target.first_name == "Hoàng Thị Lan"
    html = c.get(f"/users/{target.pk}/").content.decode()
    assert "Xã Đồng Đăng → Huyện Cao Lộc" in html


def test_the_unit_picker_lists_only_units_ignoring_diacritics(world):
    html = admin_client(world).get("/users/units/?unit_q=dong dang").content.decode()
    assert "Xã Đồng Đăng" in html
    assert "<option" in html and "Hoàng Văn Thắng" not in html
    html = admin_client(world).get("/users/units/?unit_q=06184").content.decode()
    assert "Đồng Đăng" in html
    assert admin_client(world).get("/users/units/?unit_q=" + "x" * 500).status_code == 400


# --------------------------------------------------------------------------- logging in, lock-out


def test_login_page_and_logout(world):
    c = Client()
    assert c.get("/login/").status_code == 200
    assert "Đăng nhập" in c.get("/login/").content.decode()
    admin = admin_client(world)
    response = admin.post("/logout/")
    assert response.status_code == 302 and response["Location"] == "/login/"
    assert admin.get("/").status_code == 302


def test_five_wrong_passwords_lock_that_user_from_that_address_only(world):
    c = admin_client(world)
    victim = temporary_password(create(world, c))
    colleague = temporary_password(create(world, c, username="xa_dongdang_3", full_name="Lò Thị Mai"))
    office = "10.1.2.3"
    for _ in range(4):
        assert login("xa_dongdang_2", "sai-mat-khau-123", office)[1].status_code == 200
    # The fifth wrong password locks the account from this address.
    assert login("xa_dongdang_2", "sai-mat-khau-123", office)[1].status_code == 429
    # Locked: even the right password gets the Vietnamese lock-out page.
    _, response = login("xa_dongdang_2", victim, office)
    assert response.status_code == 429
    html = response.content.decode()
    assert "Tạm khóa đăng nhập" in html and "Về trang tổng quan" in html
    # A colleague in the same office still logs in; the same user from another address too.
    assert login("xa_dongdang_3", colleague, office)[1].status_code == 302
    assert login("xa_dongdang_2", victim, "10.9.9.9")[1].status_code == 302


def test_queries_do_not_grow_with_the_accounts(world, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    c = admin_client(world)
    with CaptureQueriesContext(connection) as few:
        assert c.get("/users/").status_code == 200
    for i in range(20):
        User.objects.create(username=f"xa_them_{i}", role=Role.UNIT_OFFICER, scope_unit=world.units.kylua)
    with django_assert_max_num_queries(len(few)):
        html = c.get("/users/").content.decode()
    assert "xa_them_19" in html


def test_a_password_reset_lifts_the_lock_out(world):
    c = admin_client(world)
    temporary_password(create(world, c))
    user = User.objects.get(username="xa_dongdang_2")
    for _ in range(5):
        login("xa_dongdang_2", "sai-mat-khau-123", "10.1.2.3")
    assert login("xa_dongdang_2", "sai-mat-khau-123", "10.1.2.3")[1].status_code == 429
    fresh = temporary_password(c.post(f"/users/{user.pk}/reset/"))
    assert login("xa_dongdang_2", fresh, "10.1.2.3")[1].status_code == 302


def test_without_javascript_the_unit_search_comes_back_in_the_select(world):
    response = create(world, admin_client(world), scope_unit="", unit_q="ky lua")
    html = response.content.decode()
    assert response.status_code == 200 and not User.objects.filter(username="xa_dongdang_2").exists()
    assert f'<option value="{world.units.kylua.pk}">Phường Kỳ Lừa' in html
