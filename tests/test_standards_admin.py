"""Findings on the admin pages (issue "Standards as code"): the person page's *Kiểm tra tiêu
chuẩn* section and the unit page's staffing summary, read through
:mod:`canbo.standards.services` — the same engine every report uses.

The expectations are taken from the national rule set itself (which standard is in force on
which date, with what reference), so that the tests follow the rule files as they are amended.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.urls import reverse

from canbo.registry.models import Assignment, Person, Qualification, UnitClassification, UnitStatistics
from canbo.standards.rules_cache import national_rules

OLD_DAY = date(2024, 6, 1)
NEW_DAY = date(2025, 3, 1)


def fmt(d: date | None) -> str:
    return d.strftime("%d/%m/%Y") if d else "…"


def standard(title: str, criterion: str, on: date):
    found = [
        s
        for s in national_rules().standards
        if title in s.titles and s.criterion == criterion and s.in_force(on)
    ]
    assert len(found) == 1, f"expected one national {criterion} standard for {title} on {on}: {found}"
    return found[0]


def person_url(person, on: date | None = None) -> str:
    url = reverse("admin:registry_person_change", args=[person.pk])
    return url + (f"?on={on.isoformat()}" if on else "")


def unit_url(unit, on: date | None = None) -> str:
    url = reverse("admin:registry_unit_change", args=[unit.pk])
    return url + (f"?on={on.isoformat()}" if on else "")


def finding_row(html: str, criterion: str) -> str:
    rows = re.findall(
        rf'<tr class="canbo-finding[^"]*" data-criterion="{criterion}"[^>]*>(.*?)</tr>', html, re.S
    )
    assert len(rows) == 1, f"{len(rows)} rows for {criterion}"
    return rows[0]


@pytest.fixture
def gap(world):
    """A justice civil servant of legacy Xã Bảo Lâm since 2015 with only an intermediate law
    diploma: below the university standard of Decree 33/2023 Art. 10(1)(c)."""
    person = Person.objects.create(
        family_name="Triệu",
        middle_name="Thị",
        given_name="Hoa",
        sex="female",
        birth_date=date(1988, 4, 12),
        managing_unit=world.units.baolam,
    )
    Assignment.objects.create(
        person=person,
        unit=world.units.baolam,
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
    Qualification.objects.create(
        person=person, dimension="general_education", level="upper_secondary", obtained_on=date(2006, 6, 30)
    )
    return person


@pytest.fixture
def login(client, world):
    def as_role(role):
        client.force_login(world.users[role])
        return client

    return as_role


# --------------------------------------------------------------------------- the person page


def test_person_page_shows_a_gap_with_its_reference(login, world, gap):
    s = standard("TP_HT", "professional", NEW_DAY)
    assert s.minimum in ("college", "university", "master")
    response = login("dongdang").get(person_url(gap, NEW_DAY))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Kiểm tra tiêu chuẩn" in html and "01/03/2025" in html
    assert "Tư pháp - hộ tịch" in html
    row = finding_row(html, "professional")
    assert "Chưa đạt" in row and "canbo-status-unmet" in row
    assert s.reference.render("vi") in row
    assert s.message_vi in row
    assert "Trung cấp" in row  # what she has
    if not s.verified:
        assert "(chưa kiểm chứng)" in row


def test_person_page_on_an_earlier_date_shows_the_rule_then_in_force(login, world, gap):
    old, new = standard("TP_HT", "professional", OLD_DAY), standard("TP_HT", "professional", NEW_DAY)
    assert old.id != new.id
    client = login("caoloc")
    html_old = client.get(person_url(gap, OLD_DAY)).content.decode()
    html_new = client.get(person_url(gap, NEW_DAY)).content.decode()
    old_period, new_period = (
        f"{fmt(old.valid_from)}–{fmt(old.valid_to)}",
        f"{fmt(new.valid_from)}–{fmt(new.valid_to)}",
    )
    row_old, row_new = finding_row(html_old, "professional"), finding_row(html_new, "professional")
    assert f'data-rule="{old.id}"' in html_old and old_period in row_old and new_period not in row_old
    assert f'data-rule="{new.id}"' in html_new and new_period in row_new and old_period not in row_new
    transition = [
        e
        for e in old.exceptions
        if e.kind == "transition"
        and e.until
        and e.until >= OLD_DAY
        and e.in_post_before
        and e.in_post_before > date(2015, 1, 1)
        and not e.areas
    ]
    if transition:  # still within the transition window: met, with its deadline
        assert "Đạt" in row_old and "trong thời hạn chuyển tiếp" in row_old
        assert fmt(transition[0].until) in row_old


def test_person_page_defaults_to_today_and_says_when_no_post_is_held(login, world, gap):
    html = login("admin").get(person_url(gap)).content.decode()
    today = date.today()
    assert "Kiểm tra tiêu chuẩn" in html
    if today > date(2025, 6, 30):
        assert "Không giữ chức danh nào" in html
        assert "?on=2025-06-30" in html  # a link to the last day of her last post


def test_person_page_reports_a_bad_date(login, world, gap):
    html = login("admin").get(person_url(gap) + "?on=2025-02-31").content.decode()
    assert "không hợp lệ" in html


def test_person_page_in_english(login, world, gap):
    client = login("admin")
    client.cookies["django_language"] = "en"
    html = client.get(person_url(gap, NEW_DAY)).content.decode()
    assert "Standards check" in html
    row = finding_row(html, "professional")
    assert "Not met" in row and "Intermediate" in row


def test_out_of_scope_users_do_not_reach_the_findings(login, world, gap):
    for role in ("hanoi", "dongdang"):
        client = login(role)
        response = client.get(person_url(world.people["thanhloa"] if role == "dongdang" else gap, NEW_DAY))
        assert response.status_code in (302, 403, 404)
        assert "Kiểm tra tiêu chuẩn" not in response.content.decode()
    assert login("inspector").get(person_url(gap, NEW_DAY)).status_code == 200  # read-only, in scope


# --------------------------------------------------------------------------- the unit page


@pytest.fixture
def classified(world):
    u = world.units.baolam
    UnitClassification.objects.create(
        unit=u, unit_class="class_3", valid_from=date(2020, 1, 1), valid_to=date(2025, 6, 30)
    )
    UnitStatistics.objects.create(unit=u, year=2024, population=3000, natural_area_km2=12)
    return u


def test_unit_page_shows_quota_vacancies_and_the_people_concerned(login, world, gap, classified):
    rules = national_rules()
    quota = next(q for q in rules.quotas if classified.kind in q.unit_kinds and q.in_force(NEW_DAY))
    establishment = next(
        e for e in rules.establishment if classified.kind in e.unit_kinds and e.in_force(NEW_DAY)
    )
    response = login("caoloc").get(unit_url(classified, NEW_DAY))
    assert response.status_code == 200
    html = response.content.decode()
    section = html[html.index('id="canbo-staffing"') :]
    if not quota.set_by_province:
        assert f"<strong>{quota.by_class['class_3']}</strong>" in section
    assert quota.reference.render("vi") in section
    vacant = [code for code, (lo, _hi) in establishment.titles.items() if lo >= 1 and code not in ("TP_HT",)]
    name = world.titles[vacant[0]].name
    assert f"{name} (0/{establishment.titles[vacant[0]][0]})" in section
    # The people behind "below standard", with links to their pages on the same date.
    assert "Chưa đạt chuẩn (yếu)" in section
    assert f'href="{person_url(gap, NEW_DAY)}"' in section
    assert "Triệu Thị Hoa" in section


def test_unit_page_lists_the_people_who_held_posts_in_the_users_scope(login, world, gap, classified):
    """A person posted in Bảo Lâm but kept by Thanh Lòa: the Cao Lộc district officer sees the
    file; so does the new Đồng Đăng commune's officer, since Bảo Lâm was merged into Đồng Đăng
    and its officers see the people who held posts there (issue 10 §2). A post only pending the
    province's confirmation opens nothing."""
    outsider = Person.objects.create(
        family_name="Mã",
        middle_name="Văn",
        given_name="Kiên",
        sex="male",
        birth_date=date(1985, 1, 1),
        managing_unit=world.units.thanhloa,
    )
    Assignment.objects.create(
        person=outsider,
        unit=world.units.baolam,
        title=world.titles["VH_XH"],
        start=date(2016, 1, 1),
        end=date(2025, 6, 30),
        start_reason="recruited",
        end_reason="unit_merged",
    )
    seen = login("caoloc").get(unit_url(classified, NEW_DAY)).content.decode()
    assert "Mã Văn Kiên" in seen and "Triệu Thị Hoa" in seen
    merged = login("dongdang").get(unit_url(classified, NEW_DAY)).content.decode()
    assert "Triệu Thị Hoa" in merged and "Mã Văn Kiên" in merged
    assert "ngoài phạm vi được phân quyền của bạn (không liệt kê)" not in merged


def test_district_page_rolls_up_its_communes(login, world, gap, classified):
    html = login("caoloc").get(unit_url(world.units.caoloc, NEW_DAY)).content.decode()
    section = html[html.index('id="canbo-staffing"') :]
    assert "Các đơn vị trực thuộc" in section
    assert f'href="{unit_url(classified, NEW_DAY)}"' in section
    assert "Triệu Thị Hoa" in section


def test_unit_page_of_an_ended_unit_defaults_to_its_last_day(login, world, classified):
    html = login("caoloc").get(unit_url(classified)).content.decode()
    if date.today() > date(2025, 6, 30):
        assert 'value="2025-06-30"' in html


def test_unit_page_out_of_scope(login, world, classified):
    response = login("hanoi").get(unit_url(classified, NEW_DAY))
    assert response.status_code in (302, 403, 404)
    assert "canbo-staffing" not in response.content.decode()


def test_new_province_page_lists_its_communes(login, world):
    """Two-tier era: the communes hang directly under the province."""
    day = date(2025, 9, 1)
    html = login("province").get(unit_url(world.units.p20, day)).content.decode()
    section = html[html.index('id="canbo-staffing"') :]
    assert f'href="{unit_url(world.units.dongdang, day)}"' in section
    assert f'href="{unit_url(world.units.kylua, day)}"' in section
    commune = login("dongdang").get(unit_url(world.units.dongdang, day)).content.decode()
    assert "Các đơn vị trực thuộc" not in commune  # nothing below a commune; the province is not listed


def test_pages_still_open_when_the_check_fails(login, world, gap, classified, monkeypatch):
    """A failure of the engine is logged and reported on the page; the record stays editable."""
    import canbo.standards.services as services

    def broken(*args, **kwargs):
        raise RuntimeError("engine failure")

    monkeypatch.setattr(services, "findings_for_person", broken)
    monkeypatch.setattr(services, "staffing_for_unit", broken)
    client = login("province")
    for url in (person_url(gap, NEW_DAY), unit_url(classified, NEW_DAY)):
        response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        assert "Không tính được kết quả kiểm tra tiêu chuẩn" in html and 'name="_save"' in html
        assert "engine failure" not in html


def test_the_date_may_be_written_the_vietnamese_way(login, world, gap):
    html = login("admin").get(person_url(gap) + "?on=01/03/2025").content.decode()
    assert "Kiểm tra tiêu chuẩn — 01/03/2025" in html and 'value="2025-03-01"' in html
