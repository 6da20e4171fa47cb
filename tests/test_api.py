"""The REST API (issue 11 §3) beyond the permission matrix (``test_api_matrix``): the life of a
token, the web session as a second way in, writes read back with their author in the history, no
lost update (409), bad input answered 4xx in JSON and Vietnamese, pagination, the log of reading,
and the documentation page served without the internet.

Real database, the world of tests/conftest.py, the tokens made as a user makes them (the web page).
"""

from __future__ import annotations

import json
import re
from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

pytestmark = pytest.mark.django_db


def bearer(token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def send(client: Client, method: str, url: str, body=None, **headers):
    if body is None:
        return getattr(client, method)(url, **headers)
    data = body if isinstance(body, (str, bytes)) else json.dumps(body)
    return getattr(client, method)(url, data=data, content_type="application/json", **headers)


def web_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def make_token_on_the_page(user, name: str = "Phần mềm của Sở", expires: str = "") -> str:
    """Create a token as the user does: the form on /account/tokens/; the token read off the page."""
    response = web_client(user).post("/account/tokens/", {"name": name, "expires_on": expires})
    assert response.status_code == 201, response.content.decode()[:500]
    found = re.search(r'id="api-token">(canbo_[A-Za-z0-9_-]+)<', response.content.decode())
    assert found, "the new token is shown on the page"
    return found.group(1)


@pytest.fixture
def province_token(world) -> str:
    return make_token_on_the_page(world.users["province"])


# =========================================================================== tokens


def test_a_token_is_made_on_the_page_shown_once_and_stored_only_as_its_digest(world):
    from canbo.access.models import ApiToken
    from canbo.access.tokens import digest

    user = world.users["dongdang"]
    token = make_token_on_the_page(user, "Bảng tính tổng hợp")
    stored = ApiToken.objects.get(user=user)
    assert stored.digest == digest(token)
    assert stored.name == "Bảng tính tổng hợp"
    assert token.startswith(stored.prefix) and len(stored.prefix) < 16
    # Nowhere else in the row, and the list page shows only its first characters.
    row = ApiToken.objects.filter(pk=stored.pk).values().get()
    assert all(token not in str(v) for v in row.values())
    listing = web_client(user).get("/account/tokens/").content.decode()
    assert stored.prefix in listing and token not in listing
    assert "Bảng tính tổng hợp" in listing
    # Its creation is in the history, by its owner.
    created = stored.history.get()
    assert created.history_type == "+" and created.history_user == user


def test_a_token_acts_as_its_user_and_its_use_is_recorded(world, province_token):
    from canbo.access.models import ApiToken

    response = Client().get("/api/me", **bearer(province_token))
    assert response.status_code == 200
    me = response.json()
    assert me["username"] == "sonoivu_langson"
    assert me["role"] == "province_officer"
    assert me["scope_unit"]["id"] == world.units.p20.pk
    assert me["token"]["prefix"] in province_token and "person_edit" in me["pages"]
    used = ApiToken.objects.get(user=world.users["province"])
    assert used.last_used_at is not None
    assert timezone.now() - used.last_used_at < timedelta(minutes=1)
    # A use is not a change: no history entry beyond the creation.
    assert used.history.count() == 1


def test_revoking_a_token_stops_it_at_once_and_is_recorded(world, province_token):
    from canbo.access.models import ApiToken

    user = world.users["province"]
    assert Client().get("/api/people/", **bearer(province_token)).status_code == 200
    token = ApiToken.objects.get(user=user)
    page = web_client(user)
    response = page.post(f"/account/tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    refused = Client().get("/api/people/", **bearer(province_token))
    assert refused.status_code == 401
    assert refused.json()["detail"] == "Mã truy cập này đã bị thu hồi."
    assert refused["WWW-Authenticate"].startswith("Bearer")
    latest = ApiToken.objects.get(pk=token.pk).history.order_by("-history_id").first()
    assert latest.history_user == user and latest.revoked_at is not None
    assert latest.history_change_reason == "Thu hồi mã truy cập API"
    assert "Đã thu hồi" in page.get("/account/tokens/").content.decode()


def test_only_ones_own_tokens_are_listed_and_revoked(world, province_token):
    from canbo.access.models import ApiToken

    token = ApiToken.objects.get(user=world.users["province"])
    other = web_client(world.users["dongdang"])
    assert other.post(f"/account/tokens/{token.pk}/revoke/").status_code == 404
    assert token.prefix not in other.get("/account/tokens/").content.decode()
    assert Client().get("/api/me", **bearer(province_token)).status_code == 200
    # Anonymous: to the login page; revoking is a POST.
    assert Client().get("/account/tokens/").status_code == 302
    assert web_client(world.users["province"]).get(f"/account/tokens/{token.pk}/revoke/").status_code == 405


def test_an_expired_token_is_refused(world, province_token):
    from canbo.access.models import ApiToken

    today = timezone.localdate()
    ApiToken.objects.filter(user=world.users["province"]).update(expires_on=today)
    assert Client().get("/api/me", **bearer(province_token)).status_code == 200  # valid through that day
    ApiToken.objects.filter(user=world.users["province"]).update(expires_on=today - timedelta(days=1))
    refused = Client().get("/api/me", **bearer(province_token))
    assert refused.status_code == 401 and refused.json()["detail"] == "Mã truy cập này đã hết hạn."


@pytest.mark.parametrize(
    "header",
    [
        "Bearer canbo_" + "A" * 43,  # well formed, never issued
        "Bearer not-a-canbo-token",
        "Bearer ",
        "Bearer " + "x" * 5000,
        "Bearer canbo_ümlaut",
        "Basic c29ub2l2dTpwYXNz",
        "Token abc",
    ],
)
def test_a_forged_or_malformed_token_is_401_in_vietnamese(world, province_token, header):
    response = Client().get("/api/people/", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    detail = response.json()["detail"]
    assert "mã truy cập" in detail.lower() or "Authorization" in detail


def test_a_forged_token_is_refused_even_with_a_valid_session(world):
    client = web_client(world.users["province"])
    assert client.get("/api/me").status_code == 200
    assert client.get("/api/me", **bearer("canbo_" + "B" * 43)).status_code == 401


def test_a_deactivated_or_reset_account_s_tokens_do_not_work(world, province_token):
    from canbo.access.models import User

    user = world.users["province"]
    User.objects.filter(pk=user.pk).update(is_active=False)
    refused = Client().get("/api/me", **bearer(province_token))
    assert refused.status_code == 401 and "khóa" in refused.json()["detail"]
    User.objects.filter(pk=user.pk).update(is_active=True, must_change_password=True)
    refused = Client().get("/api/me", **bearer(province_token))
    assert refused.status_code == 401 and "đổi mật khẩu" in refused.json()["detail"]
    User.objects.filter(pk=user.pk).update(must_change_password=False)
    assert Client().get("/api/me", **bearer(province_token)).status_code == 200


def test_the_token_form_refuses_bad_input_in_vietnamese(world):
    from canbo.access import tokens
    from canbo.access.models import ApiToken

    user = world.users["dongdang"]
    page = web_client(user)
    yesterday = (timezone.localdate() - timedelta(days=1)).strftime("%d/%m/%Y")
    cases = [
        ({"name": "", "expires_on": ""}, "bắt buộc"),
        ({"name": "<script>", "expires_on": ""}, "Không được chứa ký tự"),
        ({"name": "ok", "expires_on": yesterday}, "Ngày hết hạn đã qua"),
        ({"name": "ok", "expires_on": "31/02/2026"}, "không phải là một ngày có thật"),
        ({"name": "ok", "expires_on": "01/01/2999"}, "nằm ngoài khoảng cho phép"),
    ]
    for data, message in cases:
        response = page.post("/account/tokens/", data)
        assert response.status_code == 400, data
        assert message in response.content.decode(), (data, message)
    assert not ApiToken.objects.filter(user=user).exists()
    for i in range(tokens.MAX_ACTIVE):
        tokens.create(user, f"mã {i}")
    response = page.post("/account/tokens/", {"name": "một mã nữa", "expires_on": ""})
    assert response.status_code == 400 and "hãy thu hồi mã không dùng nữa" in response.content.decode()
    assert ApiToken.objects.filter(user=user).count() == tokens.MAX_ACTIVE


def test_the_account_menu_leads_to_the_tokens_page(world):
    page = web_client(world.users["inspector"]).get("/").content.decode()
    assert 'href="/account/tokens/"' in page and "Mã truy cập API" in page


# =========================================================================== the web session


def test_the_session_reads_and_writes_with_its_csrf_token(world):
    user = world.users["dongdang"]
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    person = world.people["dongdang"]
    assert client.get(f"/api/people/{person.pk}").status_code == 200
    body = {"dimension": "it", "level": "basic", "obtained_on": "2015-01-02"}
    refused = send(client, "post", f"/api/people/{person.pk}/qualifications/", body)
    assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]
    # The documentation page hands the CSRF token to its requests (as the web pages' forms do).
    docs = client.get("/api/docs").content.decode()
    csrf = re.search(r'data-csrf-token="([^"]+)"', docs).group(1)
    accepted = send(client, "post", f"/api/people/{person.pk}/qualifications/", body, HTTP_X_CSRFTOKEN=csrf)
    assert accepted.status_code == 201, accepted.content
    # A logged-out browser is anonymous to the API.
    client.logout()
    assert client.get(f"/api/people/{person.pk}").status_code == 401


def test_a_session_that_must_change_its_password_gets_json_not_a_redirect(world):
    from canbo.access.models import User

    user = world.users["dongdang"]
    User.objects.filter(pk=user.pk).update(must_change_password=True)
    client = web_client(User.objects.get(pk=user.pk))
    response = client.get("/api/me")
    assert response.status_code == 403 and "đổi mật khẩu" in response.json()["detail"]
    assert client.get("/").status_code == 302  # the pages still send them to the password page


# =========================================================================== writes


def test_a_person_created_read_back_with_its_author(world, province_token):
    from canbo.registry.models import Person

    body = {
        "family_name": "Hà",
        "middle_name": "Thị",
        "given_name": "Lan",
        "birth_date": "1988-04-05",
        "sex": "female",
        "ethnicity": "07",
        "identity_number": "020188000777",
        "managing_unit": world.units.kylua.pk,
        "is_party_member": True,
        "party_joined_on": "2012-05-19",
        "notes": "Tạo qua API",
    }
    response = send(Client(), "post", "/api/people/", body, **bearer(province_token))
    assert response.status_code == 201, response.content
    created = response.json()
    assert response["Location"] == f"/api/people/{created['id']}"
    assert response["ETag"] == f'"{created["version"]}"'
    again = Client().get(f"/api/people/{created['id']}", **bearer(province_token)).json()
    assert again["full_name"] == "Hà Thị Lan"
    assert again["birth_date"] == "1988-04-05" and again["party_joined_on"] == "2012-05-19"
    assert again["managing_unit"]["id"] == world.units.kylua.pk
    record = Person.history.get(id=created["id"])
    assert record.history_type == "+" and record.history_user == world.users["province"]


def test_a_change_read_back_with_its_author_in_the_history(world, province_token):
    from canbo.registry.models import Person

    person = world.people["kylua"]
    read = Client().get(f"/api/people/{person.pk}", **bearer(province_token))
    version = read.json()["version"]
    response = send(
        Client(),
        "patch",
        f"/api/people/{person.pk}",
        {"notes": "Đã bổ sung qua API", "home_town": "Cao Lộc, Lạng Sơn", "birth_date": "1980-05-05"},
        HTTP_IF_MATCH=read["ETag"],
        **bearer(province_token),
    )
    assert response.status_code == 200, response.content
    answer = response.json()
    assert answer["notes"] == "Đã bổ sung qua API" and answer["home_town"] == "Cao Lộc, Lạng Sơn"
    assert answer["version"] != version
    latest = Person.history.filter(id=person.pk).order_by("-history_id").first()
    assert latest.history_user == world.users["province"]
    assert latest.notes == "Đã bổ sung qua API" and latest.birth_date == date(1980, 5, 5)
    # The person page shows the change and who made it.
    page = web_client(world.users["province"]).get(f"/people/{person.pk}/").content.decode()
    assert "Đã bổ sung qua API" in page and "sonoivu_langson" in page


def test_a_stale_version_is_409_and_nothing_is_written(world, province_token):
    from canbo.registry.models import Person

    person = world.people["kylua"]
    client = Client()
    old = client.get(f"/api/people/{person.pk}", **bearer(province_token)).json()["version"]
    first = send(
        client,
        "patch",
        f"/api/people/{person.pk}",
        {"version": old, "given_name": "Tùng Lâm"},
        **bearer(province_token),
    )
    assert first.status_code == 200
    second = send(
        client,
        "patch",
        f"/api/people/{person.pk}",
        {"version": old, "home_town": "Hà Nội"},
        **bearer(province_token),
    )
    assert second.status_code == 409
    conflict = second.json()
    assert "đã được thay đổi" in conflict["detail"]
    assert [c["field"] for c in conflict["changes"]] == ["Tên"]
    assert conflict["changes"][0]["old"] == "Tùng" and conflict["changes"][0]["new"] == "Tùng Lâm"
    assert conflict["history"] and conflict["history"][0]["who"] == "sonoivu_langson"
    assert Person.objects.get(pk=person.pk).home_town == ""
    # With the version the conflict gave back, the change goes through.
    third = send(
        client,
        "patch",
        f"/api/people/{person.pk}",
        {"version": conflict["version"], "home_town": "Hà Nội"},
        **bearer(province_token),
    )
    assert third.status_code == 200 and third.json()["home_town"] == "Hà Nội"


def test_a_change_without_a_version_or_with_a_forged_one_is_refused(world, province_token):
    person = world.people["kylua"]
    missing = send(Client(), "patch", f"/api/people/{person.pk}", {"notes": "x"}, **bearer(province_token))
    assert missing.status_code == 428 and "If-Match" in missing.json()["detail"]
    forged = send(
        Client(),
        "patch",
        f"/api/people/{person.pk}",
        {"notes": "x", "version": "abc:def"},
        **bearer(province_token),
    )
    assert forged.status_code == 400 and "Mã phiên bản" in forged.json()["detail"]


def test_posts_and_qualifications_written_as_the_pages_do(world, province_token):
    from canbo.registry.models import Assignment, Confirmation, Qualification

    person = world.people["kylua"]
    client = Client()
    # An earlier post in a commune of Hà Nội (another province), named by its code: recorded,
    # waiting for that province's confirmation.
    elsewhere = (
        type(world.units.hn_commune)
        .objects.filter(level="commune_level", valid_to=date(2025, 6, 30), parent__parent__code="01")
        .order_by("code")
        .first()
    )
    added = send(
        client,
        "post",
        f"/api/people/{person.pk}/posts/",
        {
            "title": "TP_HT",
            "unit_code": elsewhere.code,
            "start": "2015-01-01",
            "end": "2020-12-31",
            "end_reason": "transfer",
        },
        **bearer(province_token),
    )
    assert added.status_code == 201, added.content
    assert added.json()["confirmation"] == Confirmation.PENDING
    post = Assignment.objects.get(pk=added.json()["id"])
    assert post.history.get().history_user == world.users["province"]
    # Ending the open post of the person: with the version read, once.
    detail = client.get(f"/api/people/{person.pk}", **bearer(province_token)).json()
    current = next(p for p in detail["posts"] if p["end"] is None)
    ended = send(
        client,
        "post",
        f"/api/people/{person.pk}/posts/{current['id']}/end",
        {"end": "2026-01-31", "end_reason": "retirement", "version": current["version"]},
        **bearer(province_token),
    )
    assert ended.status_code == 200, ended.content
    assert ended.json()["end"] == "2026-01-31" and ended.json()["version"] > current["version"]
    again = send(
        client,
        "post",
        f"/api/people/{person.pk}/posts/{current['id']}/end",
        {"end": "2026-02-28", "end_reason": "retirement", "version": current["version"]},
        **bearer(province_token),
    )
    assert again.status_code == 409 and again.json()["post"]["end"] == "2026-01-31"
    assert Assignment.objects.get(pk=current["id"]).end == date(2026, 1, 31)
    latest = Assignment.history.filter(id=current["id"]).order_by("-history_id").first()
    assert latest.history_user == world.users["province"]
    # A qualification.
    q = send(
        client,
        "post",
        f"/api/people/{person.pk}/qualifications/",
        {
            "dimension": "political_theory",
            "level": "intermediate",
            "obtained_on": "2019-06-30",
            "institution": "Trường Chính trị tỉnh",
        },
        **bearer(province_token),
    )
    assert q.status_code == 201, q.content
    assert Qualification.history.get(id=q.json()["id"]).history_user == world.users["province"]


def test_the_forms_messages_come_back_in_vietnamese(world, province_token):
    from canbo.registry.models import Person

    before = Person.objects.count()
    body = {
        "family_name": "Hà",
        "given_name": "Lan<b>",
        "birth_date": "2030-01-01",
        "sex": "female",
        "identity_number": "12345",
        "managing_unit": world.units.hn_commune.pk,  # another province: not among the choices
    }
    response = send(Client(), "post", "/api/people/", body, **bearer(province_token))
    assert response.status_code == 422
    errors = {tuple(e["loc"]): e["message"] for e in response.json()["errors"]}
    assert "Không được có ký hiệu" in errors[("body", "given_name")]
    assert "nằm ngoài khoảng cho phép" in errors[("body", "birth_date")]
    assert "12 chữ số" in errors[("body", "identity_number")]
    assert "lựa chọn hợp lệ" in errors[("body", "managing_unit")]
    assert Person.objects.count() == before
    post = send(
        Client(),
        "post",
        f"/api/people/{world.people['kylua'].pk}/posts/",
        {"title": "NO_SUCH", "unit": world.units.kylua.pk, "start": "2026-01-01"},
        **bearer(province_token),
    )
    assert post.status_code == 422 and ("body", "title") in {tuple(e["loc"]) for e in post.json()["errors"]}


# =========================================================================== bad input


@pytest.mark.parametrize(
    ("method", "url", "body", "status", "words"),
    [
        ("post", "/api/people/", "{not json", 400, "không phải JSON"),
        ("post", "/api/people/", "[1, 2]", 422, "đối tượng JSON"),
        (
            "post",
            "/api/people/",
            {"family_name": 12, "given_name": "A", "sex": "male", "managing_unit": "x"},
            422,
            "chuỗi ký tự",
        ),
        (
            "post",
            "/api/people/",
            {"family_name": "A", "given_name": "B", "sex": "male", "managing_unit": 1, "shoe_size": 42},
            422,
            "không có trong lược đồ",
        ),
        ("get", "/api/people/?on=2004-12-31", None, 400, "nằm ngoài khoảng cho phép"),
        ("get", "/api/people/?on=31/12/2024", None, 422, "YYYY-MM-DD"),
        ("get", "/api/people/?limit=0", None, 422, "lớn hơn hoặc bằng 1"),
        ("get", "/api/people/?limit=201", None, 422, "nhỏ hơn hoặc bằng 200"),
        ("get", "/api/people/?offset=-1", None, 422, "lớn hơn hoặc bằng 0"),
        ("get", "/api/people/?status=maybe", None, 422, "chỉ nhận"),
        ("get", "/api/people/?title=NO_SUCH", None, 400, "Không có chức danh"),
        ("get", "/api/people/?q=%01", None, 400, "ký tự điều khiển"),
        ("get", "/api/people/?age=abc", None, 422, "định dạng"),
        ("get", "/api/units/?on=2999-01-01", None, 400, "nằm ngoài khoảng cho phép"),
        ("get", "/api/units/99999999999999999999", None, 422, "nhỏ hơn hoặc bằng"),
        ("get", "/api/units/abc", None, 422, "số nguyên"),
        ("get", "/api/no/such/path", None, 404, None),
    ],
)
def test_bad_input_is_4xx_json_in_vietnamese(world, province_token, method, url, body, status, words):
    response = send(Client(), method, url, body, **bearer(province_token))
    assert response.status_code == status, response.content
    if words is None:  # a path the API does not have: Django's 404, not the API's
        return
    assert response["Content-Type"].startswith("application/json")
    assert words in json.dumps(response.json(), ensure_ascii=False)


def test_a_unit_outside_the_scope_as_a_filter_is_400_as_on_the_page(world, province_token):
    response = Client().get(f"/api/people/?unit={world.units.hn_commune.pk}", **bearer(province_token))
    assert response.status_code == 400
    assert response.json()["detail"] == "Không có đơn vị này trong phạm vi được phân quyền của bạn."


def test_the_dates_of_findings_and_staffing_are_bounded(world, province_token):
    person, unit = world.people["kylua"], world.units.kylua
    for url in (
        f"/api/people/{person.pk}/findings?on=2004-12-31",
        f"/api/units/{unit.pk}/staffing?on=2100-01-01",
    ):
        response = Client().get(url, **bearer(province_token))
        assert response.status_code == 400 and "nằm ngoài khoảng cho phép" in response.json()["detail"]


def test_an_oversized_body_is_413_and_nothing_is_written(world, province_token, settings):
    from canbo.registry.models import Person

    before = Person.objects.count()
    big = json.dumps(
        {"family_name": "A", "given_name": "B", "sex": "male", "managing_unit": 1, "notes": "x" * 3_000_000}
    )
    response = send(Client(), "post", "/api/people/", big, **bearer(province_token))
    assert response.status_code == 413
    assert "quá lớn" in response.json()["detail"]
    assert Person.objects.count() == before


# =========================================================================== reading


def test_pagination_slices_the_list_in_order_without_gaps(world, province_token):
    client = Client()
    everyone = client.get("/api/people/?limit=200", **bearer(province_token)).json()
    assert everyone["count"] == 6
    seen = []
    for offset in range(0, 8, 2):
        page = client.get(f"/api/people/?limit=2&offset={offset}", **bearer(province_token)).json()
        assert page["count"] == 6 and page["limit"] == 2 and page["offset"] == offset
        seen.extend(i["id"] for i in page["items"])
    assert seen == [i["id"] for i in everyone["items"]]
    beyond = client.get("/api/people/?offset=600", **bearer(province_token)).json()
    assert beyond["items"] == [] and beyond["count"] == 6
    units = client.get("/api/units/?limit=3&level=commune_level", **bearer(province_token)).json()
    assert len(units["items"]) == 3 and units["count"] > 3


def test_the_list_shows_posts_and_verdicts_on_its_date(world, province_token):
    response = Client().get("/api/people/?on=2025-12-31&q=thang", **bearer(province_token))
    assert "Hoàng Văn Thắng".encode() in response.content  # UTF-8 as it is, not \u escapes
    body = response.json()
    assert [i["full_name"] for i in body["items"]] == ["Hoàng Văn Thắng"]
    item = body["items"][0]
    assert item["posts"][0]["title_code"] == "CV_TP"
    assert item["posts"][0]["unit"]["id"] == world.units.dongdang.pk
    assert item["status"] in ("met", "not_met", "unknown")
    assert "tìm" in body["description"]


def test_opening_a_file_is_logged(world, province_token):
    from canbo.access.models import FileAccess

    person = world.people["baolam"]
    Client().get(f"/api/people/{person.pk}", **bearer(province_token))
    Client().get(f"/api/people/{person.pk}/findings?on=2024-12-31", **bearer(province_token))
    logged = list(FileAccess.objects.filter(person=person).order_by("at", "pk"))
    assert [e.action for e in logged] == ["view", "view"]
    assert {e.user for e in logged} == {world.users["province"]}
    assert logged[0].what == "API" and "tiêu chuẩn ngày 31/12/2024" in logged[1].what


def test_sensitive_fields_are_left_out_as_on_the_page(world):
    from canbo.registry.models import Person

    person = world.people["dongdang"]
    Person.objects.filter(pk=person.pk).update(religion="Phật giáo", is_party_member=True)
    inspector = make_token_on_the_page(world.users["inspector"])
    seen = Client().get(f"/api/people/{person.pk}", **bearer(inspector))
    body = seen.json()
    assert "religion" not in body and "Phật giáo" not in seen.content.decode()
    assert body["hidden_fields"] == ["religion"]
    assert body["is_party_member"] is True  # the inspector's task needs Party membership
    keeper = make_token_on_the_page(world.users["dongdang"])
    assert Client().get(f"/api/people/{person.pk}", **bearer(keeper)).json()["religion"] == "Phật giáo"


def test_findings_name_the_verdict_and_the_reference(world, province_token):
    person = world.people["dongdang"]
    body = Client().get(f"/api/people/{person.pk}/findings?on=2025-12-31", **bearer(province_token)).json()
    assert body["on"] == "2025-12-31" and body["failure"] == ""
    [post] = body["posts"]
    assert post["post"]["title_code"] == "CV_TP"
    by_criterion = {f["criterion"]: f for f in post["findings"]}
    assert by_criterion["professional"]["status"] == "met"
    assert "Luật 80/2025/QH15" in by_criterion["professional"]["reference"]
    assert sum(post["counts"].values()) == len(post["findings"])
    # A person without a post on the date: no posts, and when their last post ended.
    retired = world.people["baolam"]
    later = Client().get(f"/api/people/{retired.pk}/findings?on=2025-12-31", **bearer(province_token)).json()
    assert later["posts"] == [] and later["last_post_end"] == "2025-06-30"


def test_staffing_is_the_commune_page_s(world, province_token):
    from canbo.standards.services import staffing_for_unit

    unit = world.units.dongdang
    body = Client().get(f"/api/units/{unit.pk}/staffing?on=2025-12-31", **bearer(province_token)).json()
    row = next(
        r for r in staffing_for_unit(unit, date(2025, 12, 31)).units.to_dicts() if r["unit_id"] == unit.pk
    )
    assert body["summary"]["headcount"] == row["headcount"] == 1
    assert body["summary"]["vacant_count"] == row["vacant_count"]
    assert body["summary"]["missing_data"] == row["missing_data"]
    held = {r["code"]: r for r in body["posts"]}
    assert held["CV_TP"]["holders"][0]["name"] == "Hoàng Văn Thắng"
    # Before the reform the new commune did not exist: no figures, said so.
    before = Client().get(f"/api/units/{unit.pk}/staffing?on=2024-12-31", **bearer(province_token)).json()
    assert before["exists_on_date"] is False and before["summary"] is None


# =========================================================================== the documentation


def test_the_docs_page_needs_no_internet(world):
    from django.contrib.staticfiles import finders

    page = Client().get("/api/docs")
    assert page.status_code == 200
    html = page.content.decode()
    assert "swagger-ui-bundle.js" in html
    external = re.findall(r'(?:src|href)="(https?:)?//', html)
    assert not external, "the docs page loads something from another site"
    for asset in re.findall(r'(?:src|href)="/static/([^"]+)"', html):
        assert finders.find(asset), f"{asset} is not among the static files"
    assert '"validatorUrl": null' in html  # Swagger UI would otherwise call validator.swagger.io


def test_the_schema_is_openapi_3_1_with_both_ways_in(world):
    schema = Client().get("/api/openapi.json").json()
    assert schema["openapi"].startswith("3.1")
    assert schema["components"]["securitySchemes"]["BearerToken"] == {"type": "http", "scheme": "bearer"}
    assert schema["components"]["securitySchemes"]["WebSession"]["in"] == "cookie"
    assert "/api/people/" in schema["paths"] and "/api/units/{unit_id}/staffing" in schema["paths"]


def test_the_schema_names_no_key_twice(world):
    """Swagger UI refuses a document with a key twice ("duplicated mapping key"): the job file's
    200 answer was once written both as 200 and as "200"."""
    import json

    twice: list[list[str]] = []

    def keep(pairs):
        keys = [k for k, _ in pairs]
        twice.extend([k for k in set(keys) if keys.count(k) > 1] for _ in [0] if len(set(keys)) < len(keys))
        return dict(pairs)

    schema = json.loads(Client().get("/api/openapi.json").content, object_pairs_hook=keep)
    assert not twice
    assert (
        "application/pdf" in schema["paths"]["/api/jobs/{job_id}/file"]["get"]["responses"]["200"]["content"]
    )


def test_the_administrator_revokes_a_leaked_token_in_the_admin(world, province_token):
    from canbo.access.models import ApiToken

    token = ApiToken.objects.get(user=world.users["province"])
    admin = web_client(world.users["admin"])
    listing = admin.get("/admin/access/apitoken/")
    assert listing.status_code == 200
    assert token.prefix in listing.content.decode() and token.digest not in listing.content.decode()
    response = admin.post("/admin/access/apitoken/", {"action": "revoke", "_selected_action": [token.pk]})
    assert response.status_code == 302
    assert Client().get("/api/me", **bearer(province_token)).status_code == 401
    latest = ApiToken.objects.get(pk=token.pk).history.order_by("-history_id").first()
    assert latest.history_user == world.users["admin"] and latest.revoked_at is not None
    # An officer has no such page.
    assert web_client(world.users["province"]).get("/admin/access/apitoken/").status_code in (302, 403)
