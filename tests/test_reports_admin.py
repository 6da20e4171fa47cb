"""The report download page of the admin (``/admin/reports/``): each role downloads the reports
of the units in its scope and is refused (403) outside it or for a unit id that names no unit;
the staffing list shows only the people the reader may see. Roles and scopes come from the
shared ``world`` (``conftest``): Lạng Sơn's units, its 2025 successors and Hà Nội."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import pytest
from django.urls import reverse

from canbo.registry.models import Assignment, Person, Qualification

OLD_DAY = date(2024, 12, 31)
NEW_DAY = date(2025, 12, 31)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def url(
    unit=None, report: str | None = "quality", on: date | None = OLD_DAY, fmt: str = "xlsx", **extra
) -> str:
    params = {
        "unit": unit.pk if hasattr(unit, "pk") else unit,
        "report": report,
        "on": on.isoformat() if on else None,
        "format": fmt,
        **extra,
    }
    query = "&".join(f"{k}={v}" for k, v in params.items() if v is not None)
    return reverse("reports:download") + (f"?{query}" if query else "")


@pytest.fixture
def login(client, world):
    def as_role(role):
        client.force_login(world.users[role])
        return client

    return as_role


def sheet_values(response) -> set:
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    return {c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None}


# (role, unit key, date): a unit of each role's scope, on a day it exists.
IN_SCOPE = [
    ("admin", "hn_commune", NEW_DAY),
    ("province", "p20_old", OLD_DAY),  # the legacy province: merged into the user's new province
    ("province", "p20", NEW_DAY),
    ("inspector", "caoloc", OLD_DAY),
    ("caoloc", "caoloc", OLD_DAY),
    ("caoloc", "baolam", OLD_DAY),
    ("dongdang", "dongdang", NEW_DAY),
    ("dongdang", "baolam", OLD_DAY),  # merged into the user's commune
    ("hanoi", "hn", NEW_DAY),
]
OUT_OF_SCOPE = [
    ("province", "hn"),
    ("inspector", "hn_commune"),
    ("caoloc", "dongdang"),
    ("caoloc", "kylua"),
    ("dongdang", "thanhloa"),
    ("hanoi", "p20"),
]


@pytest.mark.parametrize(("role", "unit", "on"), IN_SCOPE)
def test_each_role_downloads_reports_of_its_units(login, world, role, unit, on):
    target = getattr(world.units, unit)
    response = login(role).get(url(target, on=on))
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"].startswith('attachment; filename="bao-cao-chat-luong-')
    values = sheet_values(response)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in values and f"Tính đến ngày {on:%d/%m/%Y}" in values
    assert f"UBND {target.name.upper()}" in values


@pytest.mark.parametrize(("role", "unit"), OUT_OF_SCOPE)
def test_units_outside_the_scope_are_refused(login, world, role, unit):
    target = getattr(world.units, unit)
    client = login(role)
    for report in ("quality", "staffing", "trend"):
        assert client.get(url(target, report=report, on=NEW_DAY)).status_code == 403
    assert client.get(url(target, report=None, on=None)).status_code == 403  # not even the form


@pytest.mark.parametrize("role", ["admin", "province", "inspector", "caoloc", "dongdang"])
@pytest.mark.parametrize("forged", ["999999999", "abc", "-1", "1.5"])
def test_a_forged_unit_id_is_refused(login, world, role, forged):
    assert login(role).get(url(forged)).status_code == 403


def test_anonymous_users_are_sent_to_the_login(client, world):
    response = client.get(url(world.units.caoloc))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_the_form_offers_only_units_in_scope(login, world):
    html = login("caoloc").get(reverse("reports:download")).content.decode()
    assert "Lập báo cáo" in html and "Tải báo cáo" in html
    assert f'value="{world.units.caoloc.pk}"' in html and f'value="{world.units.baolam.pk}"' in html
    assert f'value="{world.units.dongdang.pk}"' not in html and f'value="{world.units.kylua.pk}"' not in html
    assert f'value="{world.units.p20.pk}"' not in html
    # Preselected from the unit's page, with the default date moved into the unit's existence.
    html = login("caoloc").get(url(world.units.caoloc, report=None, on=None)).content.decode()
    assert f'<option value="{world.units.caoloc.pk}" selected>' in html
    assert 'value="2025-06-30"' in html


def test_the_unit_page_links_to_the_reports(login, world):
    page = login("caoloc").get(reverse("admin:registry_unit_change", args=[world.units.caoloc.pk]))
    assert f'href="{reverse("reports:download")}?unit={world.units.caoloc.pk}"' in page.content.decode()


def test_a_date_on_which_the_unit_does_not_exist_is_a_form_error(login, world):
    response = login("caoloc").get(url(world.units.caoloc, on=NEW_DAY))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert "không tồn tại vào ngày 31/12/2025" in response.content.decode()
    bad = login("caoloc").get(url(world.units.caoloc, on=None, extra="1") + "&on=2024-02-30")
    assert bad.status_code == 200 and bad["Content-Type"].startswith("text/html")


def test_pdf_and_trend_downloads(login, world):
    response = login("dongdang").get(url(world.units.dongdang, report="trend", on=NEW_DAY, fmt="pdf"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-") and b"/Subtype /Image" in response.content
    assert response["Content-Disposition"].endswith('.pdf"')


def test_english_users_get_english_reports(login, world, client):
    client = login("caoloc")
    client.cookies["django_language"] = "en"
    values = sheet_values(client.get(url(world.units.caoloc)))
    assert "SOCIALIST REPUBLIC OF VIET NAM" in values and "Total" in values


@pytest.fixture
def hidden_person(world):
    """Someone working in Xã Thanh Lòa (in Cao Lộc's scope) whose file is kept by Phường Kỳ Lừa
    (outside it), below the university standard of a justice officer."""
    person = Person.objects.create(
        family_name="Mã",
        middle_name="Thị",
        given_name="Kín",
        sex="female",
        birth_date=date(1985, 3, 3),
        managing_unit=world.units.kylua,
    )
    Assignment.objects.create(
        person=person,
        unit=world.units.thanhloa,
        title=world.titles["TP_HT"],
        start=date(2015, 1, 1),
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
    return person


def test_the_staffing_list_shows_who_held_the_posts_wherever_their_file_is_kept(login, world, hidden_person):
    """Issue 10 §2: the officers of a unit see the people who held posts in it — Cao Lộc's officer
    reads the name of someone who worked in Thanh Lòa although her file is kept by Kỳ Lừa (until
    issue 10 she was left out as "người ngoài phạm vi")."""
    caoloc = sheet_values(login("caoloc").get(url(world.units.caoloc, report="staffing")))
    province = sheet_values(login("province").get(url(world.units.caoloc, report="staffing")))
    assert "Mã Thị Kín" in province and "Mã Thị Kín" in caoloc
    assert not any("người ngoài phạm vi" in str(v) for v in caoloc)
    assert not any("người ngoài phạm vi" in str(v) for v in province)


def test_the_staffing_list_leaves_out_a_post_pending_confirmation(login, world, hidden_person):
    """A post recorded by another unit's officer and not yet confirmed by the province is not
    counted in the unit's staffing (canbo.registry.services)."""
    hidden_person.assignments.update(confirmation="pending")
    caoloc = sheet_values(login("caoloc").get(url(world.units.caoloc, report="staffing")))
    province = sheet_values(login("province").get(url(world.units.caoloc, report="staffing")))
    assert "Mã Thị Kín" not in caoloc and "Mã Thị Kín" not in province


def test_the_form_has_the_admins_breadcrumb_bar(login, world):
    """Django 6's admin styles only ``<ol class="breadcrumbs">`` with one ``<li>`` per step (the
    old ``<div class="breadcrumbs">`` showed as unstyled links at the page's edge)."""
    html = login("caoloc").get(url(world.units.caoloc, report=None, on=None)).content.decode()
    bar = html[
        html.index('<ol class="breadcrumbs">') : html.index("</ol>", html.index('<ol class="breadcrumbs">'))
    ]
    assert '<li><a href="/admin/">Trang chủ</a></li>' in bar
    unit_page = reverse("admin:registry_unit_change", args=[world.units.caoloc.pk])
    assert f'<li><a href="{unit_page}">{world.units.caoloc.name}</a></li>' in bar
    assert '<li aria-current="page">Lập báo cáo</li>' in bar
    assert '<div class="breadcrumbs">' not in html
