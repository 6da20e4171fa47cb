"""The rules page of the web application (issue 10 §1, rules): the national rules by instrument,
the province's own decisions read upwards, and their editing by the province's officers with the
model's validation, history and the refusal of a lost update."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.test import Client

from canbo.standards.models import ProvincialDecision

pytestmark = pytest.mark.django_db

QUOTA_NUMBER = "Quyết định số 30/2025/QĐ-UBND ngày 15/07/2025"


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def quota(world) -> ProvincialDecision:
    d = ProvincialDecision(
        province=world.units.p20,
        kind="commune_quota",
        unit=world.units.dongdang,
        quota=25,
        valid_from=date(2025, 7, 15),
        decision_number=QUOTA_NUMBER,
    )
    d.full_clean()
    d.save()
    return d


def form_data(d: ProvincialDecision, client: Client, **changes) -> dict:
    """The edit form as the page renders it (with its version token), with ``changes``."""
    html = client.get(f"/rules/decisions/{d.pk}/edit/").content.decode()
    version = re.search(r'name="version" value="([^"]+)"', html)
    assert version, "the edit form carries a version token"
    data = {
        "province": d.province_id,
        "kind": d.kind,
        "decision_number": d.decision_number,
        "valid_from": d.valid_from.strftime("%d/%m/%Y"),
        "valid_to": d.valid_to.strftime("%d/%m/%Y") if d.valid_to else "",
        "title": d.title_id or "",
        "dimension": d.dimension,
        "minimum": d.minimum,
        "unit": d.unit_id or "",
        "quota": "" if d.quota is None else d.quota,
        "note": d.note,
        "version": version.group(1),
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


# --------------------------------------------------------------------------- the national rules


def test_every_role_reads_the_national_rules_by_instrument(world):
    for role in ("admin", "province", "inspector", "caoloc", "dongdang", "hanoi"):
        response = client_for(world.users[role]).get("/rules/?on=01/08/2023&all=1")
        assert response.status_code == 200, role
        html = response.content.decode()
        # Decree 33/2023 with its dates and one of its references, in the officer's words.
        assert "NĐ 33/2023" in html
        assert "10/06/2023" in html and "01/08/2023" in html
        assert "NĐ 33/2023, Điều 8, khoản 3" in html
        assert "Chuyên môn, nghiệp vụ" in html and "Đại học" in html


def test_the_date_filter_shows_only_rules_in_force(world):
    c = client_for(world.users["dongdang"])
    before = c.get("/rules/?on=01/01/2010").content.decode()
    assert "NĐ 33/2023" not in before  # not yet in force in 2010
    assert "NĐ 92/2009" in before
    assert c.get("/rules/?on=01/01/1990").status_code == 400


def test_anonymous_goes_to_login(world):
    response = Client().get("/rules/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


# --------------------------------------------------------------------------- provincial decisions, read upwards


def test_a_province_decision_is_read_by_its_communes_not_by_another_province(world, quota):
    # (The legacy district of Cao Lộc reads upwards to the legacy province, not to the new one.)
    for role in ("province", "inspector", "dongdang", "admin"):
        html = client_for(world.users[role]).get("/rules/").content.decode()
        assert QUOTA_NUMBER in html, role
        assert client_for(world.users[role]).get(f"/rules/decisions/{quota.pk}/").status_code == 200
    html = client_for(world.users["hanoi"]).get("/rules/").content.decode()
    assert QUOTA_NUMBER not in html
    assert client_for(world.users["hanoi"]).get(f"/rules/decisions/{quota.pk}/").status_code == 404


def test_only_the_province_officer_and_admin_see_edit_links(world, quota):
    edit = f"/rules/decisions/{quota.pk}/edit/"
    assert edit in client_for(world.users["province"]).get("/rules/").content.decode()
    assert edit in client_for(world.users["admin"]).get("/rules/").content.decode()
    for role in ("inspector", "dongdang", "caoloc"):
        assert edit not in client_for(world.users[role]).get("/rules/").content.decode(), role


# --------------------------------------------------------------------------- editing


def test_province_officer_creates_a_decision_recorded_in_history(world):
    c = client_for(world.users["province"])
    assert c.get("/rules/decisions/new/").status_code == 200
    response = c.post(
        "/rules/decisions/new/",
        {
            "province": world.units.p20.pk,
            "kind": "commune_quota",
            "decision_number": QUOTA_NUMBER,
            "valid_from": "15/07/2025",
            "unit": world.units.kylua.pk,
            "quota": "22",
            "dimension": "professional",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    d = ProvincialDecision.objects.get(unit=world.units.kylua)
    assert d.quota == 22 and d.valid_from == date(2025, 7, 15)
    record = d.history.get()
    assert record.history_user == world.users["province"]
    # The engine's layer reads the new decision at once (no cache to invalidate).
    from canbo.standards.services import provincial_layer

    assert any(p.unit_id == world.units.kylua.pk and p.quota == 22 for p in provincial_layer().decisions)


def test_province_officer_edits_and_the_history_shows_the_change(world, quota):
    from canbo.web.dashboard_data import data_stamp

    c = client_for(world.users["province"])
    before = data_stamp()
    response = c.post(f"/rules/decisions/{quota.pk}/edit/", form_data(quota, c, quota="27"))
    assert response.status_code == 302
    # The dashboard's cached figures are keyed by a data stamp the change moves.
    assert data_stamp() != before
    quota.refresh_from_db()
    assert quota.quota == 27
    html = c.get(f"/rules/decisions/{quota.pk}/").content.decode()
    assert "25 → 27" in html and "sonoivu_langson" in html


@pytest.mark.parametrize("role", ["dongdang", "caoloc", "inspector"])
def test_unit_officer_and_inspector_get_403(world, quota, role):
    c = client_for(world.users[role])
    assert c.get("/rules/decisions/new/").status_code == 403
    assert c.get(f"/rules/decisions/{quota.pk}/edit/").status_code == 403
    assert c.post(f"/rules/decisions/{quota.pk}/edit/", {"quota": "99"}).status_code == 403
    assert c.post(f"/rules/decisions/{quota.pk}/end/", {"valid_to": "31/12/2025"}).status_code == 403
    quota.refresh_from_db()
    assert quota.quota == 25 and quota.valid_to is None


def test_another_province_gets_404_and_cannot_create_in_this_province(world, quota):
    c = client_for(world.users["hanoi"])
    assert c.get(f"/rules/decisions/{quota.pk}/edit/").status_code == 404
    assert c.post(f"/rules/decisions/{quota.pk}/end/", {"valid_to": "31/12/2025"}).status_code == 404
    response = c.post(
        "/rules/decisions/new/",
        {
            "province": world.units.p20.pk,
            "kind": "commune_quota",
            "decision_number": "QĐ giả",
            "valid_from": "15/07/2025",
            "unit": world.units.kylua.pk,
            "quota": "22",
            "dimension": "professional",
        },
    )
    assert response.status_code == 200
    assert "nằm ngoài phạm vi được phân quyền" in response.content.decode()
    assert not ProvincialDecision.objects.filter(unit=world.units.kylua).exists()


def test_looser_than_national_is_refused_with_a_vietnamese_message(world):
    """A 'stricter' minimum below the national one: Decree 33/2023 Art. 8(3) asks a university
    degree of a commune chair; the province may not lower it to an intermediate diploma."""
    c = client_for(world.users["province"])
    response = c.post(
        "/rules/decisions/new/",
        {
            "province": world.units.p20_old.pk,
            "kind": "stricter_minimum",
            "decision_number": "Quyết định số 5/2024/QĐ-UBND",
            "valid_from": "15/01/2024",
            "valid_to": "30/06/2025",
            "title": world.titles["CT_UBND"].pk,
            "dimension": "professional",
            "minimum": "intermediate",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="errorlist"' in html
    assert "NĐ 33/2023" in html  # the national provision is cited
    assert not ProvincialDecision.objects.exists()


def test_a_date_out_of_bounds_is_refused(world):
    c = client_for(world.users["province"])
    response = c.post(
        "/rules/decisions/new/",
        {"province": world.units.p20.pk, "kind": "commune_quota", "valid_from": "15/07/9999"},
    )
    assert response.status_code == 200
    assert "Ngày phải từ 01/01/2005" in response.content.decode()


def test_concurrent_edit_is_refused_and_shows_the_other_change(world, quota):
    first = client_for(world.users["province"])
    second = client_for(world.users["admin"])
    mine = form_data(quota, first, quota="30")
    theirs = form_data(quota, second, quota="28")
    assert second.post(f"/rules/decisions/{quota.pk}/edit/", theirs).status_code == 302
    response = first.post(f"/rules/decisions/{quota.pk}/edit/", mine)
    assert response.status_code == 200
    html = response.content.decode()
    assert "vừa được người khác sửa" in html
    assert "25 → 28" in html and "quantri" in html
    quota.refresh_from_db()
    assert quota.quota == 28
    # The refused form keeps the officer's value with a fresh token: saving again overwrites knowingly.
    again = re.search(r'name="version" value="([^"]+)"', html).group(1)
    assert 'name="quota" value="30"' in html
    assert first.post(f"/rules/decisions/{quota.pk}/edit/", {**mine, "version": again}).status_code == 302
    quota.refresh_from_db()
    assert quota.quota == 30


def test_a_save_that_changed_nothing_refuses_no_one(world, quota):
    first = client_for(world.users["province"])
    second = client_for(world.users["admin"])
    mine = form_data(quota, first, quota="30")
    response = second.post(f"/rules/decisions/{quota.pk}/edit/", form_data(quota, second), follow=True)
    assert "Không có thay đổi nào để lưu" in response.content.decode()
    assert quota.history.count() == 1  # nothing written
    assert first.post(f"/rules/decisions/{quota.pk}/edit/", mine).status_code == 302
    quota.refresh_from_db()
    assert quota.quota == 30


def test_a_missing_or_forged_version_is_a_400(world, quota):
    c = client_for(world.users["province"])
    data = form_data(quota, c, quota="30")
    for forged in ("", "123", data["version"] + "x"):
        response = c.post(f"/rules/decisions/{quota.pk}/edit/", {**data, "version": forged})
        assert response.status_code == 400
    quota.refresh_from_db()
    assert quota.quota == 25


def test_ending_a_decision(world, quota):
    c = client_for(world.users["province"])
    html = c.get(f"/rules/decisions/{quota.pk}/").content.decode()
    version = re.search(r'name="version" value="([^"]+)"', html).group(1)
    response = c.post(f"/rules/decisions/{quota.pk}/end/", {"valid_to": "31/12/2025", "version": version})
    assert response.status_code == 302
    quota.refresh_from_db()
    assert quota.valid_to == date(2025, 12, 31)
    # Ending before it starts is refused by the model, nothing saved.
    version = re.search(
        r'name="version" value="([^"]+)"', c.get(f"/rules/decisions/{quota.pk}/").content.decode()
    ).group(1)
    response = c.post(
        f"/rules/decisions/{quota.pk}/end/", {"valid_to": "01/07/2025", "version": version}, follow=True
    )
    assert "không được trước" in response.content.decode()
    quota.refresh_from_db()
    assert quota.valid_to == date(2025, 12, 31)


def test_queries_do_not_grow_with_the_decisions(world, quota, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    c = client_for(world.users["province"])
    with CaptureQueriesContext(connection) as few:
        assert c.get("/rules/").status_code == 200
    communes = (
        type(world.units.dongdang)
        .objects.filter(parent=world.units.p20, level="commune_level")
        .exclude(pk=world.units.dongdang.pk)[:10]
    )
    for unit in communes:
        ProvincialDecision.objects.create(
            province=world.units.p20,
            kind="commune_quota",
            unit=unit,
            quota=20,
            valid_from=date(2025, 7, 15),
            decision_number=QUOTA_NUMBER,
        )
    with django_assert_max_num_queries(len(few)):
        html = c.get("/rules/").content.decode()
    assert html.count(QUOTA_NUMBER) == 1 + len(communes)
