"""A commune's page (issue 10 §1, ``/units/<pk>/``): posts and holders, vacancies, people below
standard with the unmet criterion, its requirement and reference, retirements, the staffing
summary, the lineage across the 2025 merger, scope, bounds and the number of queries.

The population is small and known: the expectations below are written by hand from the rules
(Law 80/2025 Art. 23(3)(a): the titles a commune must have filled from 01/07/2025; Decree
33/2023 Art. 8(3): the chair of the People's Committee has finished upper secondary school;
Labour Code 2019 Art. 169 and Decree 135/2020 Annex I: men retire at 61 years 6 months in 2026,
women at 57 years 4 months in 2027, on the first day of the next month)."""

from __future__ import annotations

import re
from datetime import date
from html import unescape
from urllib.parse import parse_qsl, urlsplit

import pytest
from conftest import REFORM
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from canbo.web import dashboard_data

pytestmark = pytest.mark.django_db

ON = "01/10/2025"
D = date(2025, 10, 1)

#: Law 80/2025 Art. 23(3)(a) titles, none of which the world fills in new Đồng Đăng.
ESTABLISHMENT = {
    "BT_DU",
    "PBT_DU",
    "CT_HDND",
    "PCT_HDND",
    "CT_UBND",
    "PCT_UBND",
    "CT_MTTQ",
    "CVP",
    "TP_KT",
    "TP_VHXH",
    "GD_HCC",
}


def client_for(user) -> Client:
    c = Client()
    c.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return c


def page(client, unit, on: str | None = ON, **extra):
    params = {"on": on, **extra} if on else extra
    response = client.get(reverse("web:unit", args=[unit.pk]), params)
    return response


def text_of(response) -> str:
    return response.content.decode()


def section(html: str, ident: str) -> str:
    """The HTML of ``<section id="ident">`` (sections do not nest on this page)."""
    m = re.search(rf'<section[^>]*id="{ident}".*?</section>', html, re.S)
    assert m, f"no section {ident}"
    return m.group(0)


def row(html: str, ident: str) -> str:
    m = re.search(rf'<tr id="{ident}".*?</tr>', html, re.S)
    assert m, f"no row {ident}"
    return m.group(0)


def kpi(html: str, ident: str) -> str:
    m = re.search(rf'<div class="kpi" id="{ident}">(.*?)</div>\s*(?=<div class="kpi"|</div>)', html, re.S)
    assert m, f"no kpi {ident}"
    return m.group(1)


def kpi_value(html: str, ident: str) -> str:
    m = re.search(r'<div class="value num">(.*?)</div>', kpi(html, ident), re.S)
    assert m
    return re.sub(r"<[^>]+>", "", m.group(1)).strip()


def person(world, family, middle, given, born, sex, unit, **kw):
    from canbo.core.identity import make_identity_number
    from canbo.registry.models import Person

    serial = 500 + Person.objects.count()
    return Person.objects.create(
        identity_number=make_identity_number(20, born.year, sex, serial),
        family_name=family,
        middle_name=middle,
        given_name=given,
        birth_date=born,
        sex=sex,
        managing_unit=unit,
        **kw,
    )


def qualify(p, **levels):
    from canbo.registry.models import Qualification

    for dimension, level in levels.items():
        Qualification.objects.create(
            person=p,
            dimension=dimension,
            level=level,
            field_of_study="law" if dimension == "professional" else "",
            obtained_on=date(2000, 6, 30),
        )


def post(p, unit, title, start=REFORM, **kw):
    from canbo.registry.models import Assignment

    return Assignment.objects.create(
        person=p, unit=unit, title=title, start=start, start_reason="elected", **kw
    )


@pytest.fixture
def commune(world):
    """New Xã Đồng Đăng on 01/10/2025: the world's Hoàng Văn Thắng (CV_TP) and four more.

    * Lý Văn An — Chủ tịch UBND, lower secondary school only: below standard on general education;
    * Tô Thị Bích — Bí thư Đảng ủy and, concurrently, Chủ tịch HĐND;
    * Mã Văn Cường — Phó Chủ tịch UBND, a man born 15/01/1965: retires 01/08/2026 (within 12 months);
    * Bế Thị Dung — Phó Chủ tịch HĐND, a woman born 10/03/1970: retires 01/08/2027 (within 24 months).

    Vacant: PBT_DU, CT_MTTQ, CVP, TP_KT, TP_VHXH, GD_HCC (six titles of the establishment)."""
    u, t = world.units.dongdang, world.titles
    full = {
        "general_education": "upper_secondary",
        "professional": "university",
        "political_theory": "advanced",
        "state_management": "senior_specialist",
    }
    an = person(world, "Lý", "Văn", "An", date(1980, 5, 5), "male", u)
    qualify(an, general_education="lower_secondary", professional="university")
    post(an, u, t["CT_UBND"])
    bich = person(world, "Tô", "Thị", "Bích", date(1978, 2, 2), "female", u)
    qualify(bich, **full)
    post(bich, u, t["BT_DU"])
    post(bich, u, t["CT_HDND"], is_concurrent=True)
    cuong = person(world, "Mã", "Văn", "Cường", date(1965, 1, 15), "male", u)
    qualify(cuong, **full)
    post(cuong, u, t["PCT_UBND"])
    dung = person(world, "Bế", "Thị", "Dung", date(1970, 3, 10), "female", u)
    qualify(dung, **full)
    post(dung, u, t["PCT_HDND"])
    return {"an": an, "bich": bich, "cuong": cuong, "dung": dung, "thang": world.people["dongdang"]}


def test_posts_holders_concurrent_and_vacancies(world, commune):
    response = page(client_for(world.users["province"]), world.units.dongdang)
    assert response.status_code == 200
    html = text_of(response)
    # Each title of the establishment is listed; the six unfilled ones are vacant.
    vacant = {"PBT_DU", "CT_MTTQ", "CVP", "TP_KT", "TP_VHXH", "GD_HCC"}
    for code in ESTABLISHMENT:
        r = row(html, f"post-{code}")
        assert ("Trống 1" in r) == (code in vacant), code
    assert "Lý Văn An" in row(html, "post-CT_UBND")
    assert "Tô Thị Bích" in row(html, "post-BT_DU") and "kiêm nhiệm" not in row(html, "post-BT_DU")
    ct_hdnd = row(html, "post-CT_HDND")
    assert "Tô Thị Bích" in ct_hdnd and "kiêm nhiệm" in ct_hdnd
    # A title held outside the establishment's list is listed too, with its holder.
    assert "Hoàng Văn Thắng" in row(html, "post-CV_TP")
    # Links to the person pages on the same date.
    assert f'href="/people/{commune["an"].pk}/?on=01%2F10%2F2025"' in row(html, "post-CT_UBND")
    assert kpi_value(html, "kpi-vacant") == "6"
    assert kpi_value(html, "kpi-headcount") == "5"


def test_person_below_standard_with_criterion_requirement_and_reference(world, commune):
    html = text_of(page(client_for(world.users["dongdang"]), world.units.dongdang))
    below = section(html, "below-standard")
    m = re.search(rf'<tbody id="below-{commune["an"].pk}">(.*?)</tbody>', below, re.S)
    assert m, "Lý Văn An is not listed below standard"
    rows = m.group(1)
    assert "Lý Văn An" in rows and "Chủ tịch Ủy ban nhân dân" in rows
    general = next(r for r in re.findall(r"<tr>.*?</tr>", rows, re.S) if "Giáo dục phổ thông" in r)
    cells = [re.sub(r"<[^>]+>", " ", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", general, re.S)]
    assert "Trung học phổ thông" in cells[2]  # required
    assert "Trung học cơ sở" in cells[3]  # what he has
    assert "Điều 8" in cells[4] and "khoản 3" in cells[4] and "33/2023" in cells[4]  # the reference
    # Tô Thị Bích meets every criterion she is judged on, or lacks only data: never below standard.
    assert f'id="below-{commune["bich"].pk}"' not in below


def test_retirements_due(world, commune):
    html = text_of(page(client_for(world.users["province"]), world.units.dongdang))
    retiring = section(html, "retiring")
    assert "Mã Văn Cường" in retiring and "01/08/2026" in retiring
    assert "Bế Thị Dung" in retiring and "01/08/2027" in retiring
    assert "Lý Văn An" not in retiring and "Tô Thị Bích" not in retiring
    value = kpi_value(html, "kpi-retiring")
    assert value.replace(" ", "") == "1/2"


def links(html: str) -> list[str]:
    return [unescape(h) for h in re.findall(r'href="(/people/\?[^"]+)"', html)]


def test_every_count_links_to_the_people_behind_it(world, commune):
    """The counts of the page and the people list's filter (canbo.web.people_query) agree."""
    from canbo.web.people_query import people_query

    user = world.users["province"]
    html = text_of(page(client_for(user), world.units.dongdang))
    checked = 0
    for ident, filters in [
        ("kpi-headcount", {"in_post": "1"}),
        ("kpi-below", {"category": "below_standard"}),
        ("kpi-mismatch", {"category": "field_mismatch"}),
        ("kpi-missing", {"category": "missing_data"}),
    ]:
        hrefs = links(kpi(html, ident))
        assert len(hrefs) == 1, ident
        params = dict(parse_qsl(urlsplit(hrefs[0]).query))
        assert params == {"unit": str(world.units.dongdang.pk), "on": ON, **filters}, ident
        qs, _ = people_query(user, params)
        assert str(qs.count()) == kpi_value(html, ident), ident
        checked += 1
    twelve, twentyfour = links(kpi(html, "kpi-retiring"))
    for href, want in ((twelve, {"cuong"}), (twentyfour, {"cuong", "dung"})):
        qs, _ = people_query(user, dict(parse_qsl(urlsplit(href).query)))
        assert set(qs.values_list("pk", flat=True)) == {commune[k].pk for k in want}
    # A title's holders.
    (href,) = links(row(html, "post-CT_HDND"))
    qs, _ = people_query(user, dict(parse_qsl(urlsplit(href).query)))
    assert list(qs.values_list("pk", flat=True)) == [commune["bich"].pk]
    assert checked == 4


def test_summary_matches_the_staffing_report(world, commune):
    """The quota, headcount and thừa / thiếu / yếu of the page are the staffing report's."""
    from canbo.standards.services import staffing_for_unit

    html = text_of(page(client_for(world.users["province"]), world.units.dongdang))
    report = staffing_for_unit(world.units.dongdang, D)
    (row_,) = [r for r in report.units.to_dicts() if r["unit_id"] == world.units.dongdang.pk]
    assert kpi_value(html, "kpi-headcount") == str(row_["headcount"])
    assert kpi_value(html, "kpi-below") == str(row_["below_standard"])
    assert kpi_value(html, "kpi-vacant") == str(row_["vacant_count"])


@pytest.mark.parametrize(
    ("key", "seen_by"),
    [
        ("dongdang", {"admin", "province", "inspector", "dongdang"}),
        ("baolam", {"admin", "province", "inspector", "caoloc", "dongdang"}),
        ("thanhloa", {"admin", "province", "inspector", "caoloc"}),
        ("kylua", {"admin", "province", "inspector"}),
        ("hn_commune", {"admin", "hanoi"}),
    ],
)
def test_scope_each_role(world, key, seen_by):
    unit = getattr(world.units, key)
    for role in ("admin", "province", "inspector", "caoloc", "dongdang", "hanoi"):
        response = page(client_for(world.users[role]), unit, on=None)
        assert response.status_code == (200 if role in seen_by else 404), (role, key)
        if response.status_code == 200:
            assert unit.name in text_of(response)
    anonymous = Client().get(reverse("web:unit", args=[unit.pk]))
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("web:login"))


def test_no_name_outside_the_scope(world, commune):
    """An officer of Đồng Đăng sees its old communes, but not the Cao Lộc district's person who
    works in Xuất Lễ — nor is Xuất Lễ's page open to them."""
    dongdang = client_for(world.users["dongdang"])
    assert page(dongdang, world.units.xuatle, on="01/01/2020").status_code == 404
    caoloc = client_for(world.users["caoloc"])
    html = text_of(page(caoloc, world.units.xuatle, on="01/01/2020"))
    assert "Nông Thị Mai" in html  # the district's officer sees its own person


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("99/99/2024", "không phải là một ngày hợp lệ"),
        ("31/12/2004", "nằm ngoài khoảng cho phép"),
        ("01/01/9999", "nằm ngoài khoảng cho phép"),
        ("x" * 40, "Ngày quá dài"),
    ],
)
def test_bad_date_is_400(world, value, message):
    response = page(client_for(world.users["province"]), world.units.dongdang, on=value)
    assert response.status_code == 400
    assert message in text_of(response)


def test_district_and_province_go_to_the_dashboard(world):
    client = client_for(world.users["province"])
    r = page(client, world.units.caoloc, on=None)
    # A district of the three-tier era opens on its last day.
    assert r.status_code == 302
    assert r["Location"] == f"/?unit={world.units.caoloc.pk}&on=30%2F06%2F2025"
    r = page(client, world.units.p20, on="05/11/2025")
    assert r.status_code == 302 and r["Location"] == f"/?unit={world.units.p20.pk}&on=05%2F11%2F2025"
    # Out of scope stays 404, not a redirect that would reveal the unit.
    assert page(client, world.units.hn, on=None).status_code == 404


def test_ended_commune_opens_on_its_last_day(world):
    html = text_of(page(client_for(world.users["caoloc"]), world.units.baolam, on=None))
    assert 'value="30/06/2025"' in html
    # Lộc Thị Huyền held TP_HT in Bảo Lâm until the merger.
    assert "Lộc Thị Huyền" in row(html, "post-TP_HT")


def test_new_commune_before_the_reform_shows_its_predecessors(world):
    html = text_of(page(client_for(world.users["dongdang"]), world.units.dongdang, on="15/03/2024"))
    elsewhere = section(html, "elsewhere")
    assert "được thành lập từ ngày 01/07/2025" in elsewhere
    baolam = world.units.baolam
    assert f'href="/units/{baolam.pk}/?on=15%2F03%2F2024"' in elsewhere
    # Bảo Lâm had one person in post then (Lộc Thị Huyền, TP_HT since 2015).
    m = re.search(rf'<a href="/units/{baolam.pk}/[^"]*">Xã Bảo Lâm</a>.*?</tr>', elsewhere, re.S)
    assert m
    assert re.search(r'in_post=1">1</a>', m.group(0))
    # No post table of the new commune, which did not exist.
    assert 'id="posts"' not in html


def test_old_commune_after_the_reform_shows_its_successor(world):
    html = text_of(page(client_for(world.users["dongdang"]), world.units.baolam, on=ON))
    elsewhere = section(html, "elsewhere")
    assert "chỉ tồn tại đến ngày 30/06/2025" in elsewhere
    assert f'href="/units/{world.units.dongdang.pk}/?on=01%2F10%2F2025"' in elsewhere


def test_lineage_both_ways(world):
    from canbo.registry.models import UnitLineage

    client = client_for(world.users["province"])
    new, old = world.units.dongdang, world.units.baolam
    link = UnitLineage.objects.get(predecessor=old, successor=new)
    html = text_of(page(client, new))
    lineage = section(html, "lineage")
    assert "Các đơn vị cũ nhập vào xã này" in lineage
    # The predecessor linked on its last day, with the date and legal reference of the merger.
    assert f'href="/units/{old.pk}/?on=30%2F06%2F2025"' in lineage
    assert "01/07/2025" in lineage
    if link.legal_reference:
        assert unescape(link.legal_reference) in unescape(lineage)
    back = section(text_of(page(client, old, on=None)), "lineage")
    assert "Xã này được sắp xếp vào" in back
    assert f'href="/units/{new.pk}/?on=01%2F07%2F2025"' in back
    # The lineage link to a unit outside the user's scope is a name without a link.
    caoloc = section(text_of(page(client_for(world.users["caoloc"]), old, on=None)), "lineage")
    assert new.name in caoloc and f'href="/units/{new.pk}/' not in caoloc


def test_breadcrumbs(world):
    html = text_of(page(client_for(world.users["province"]), world.units.baolam, on=None))
    crumbs = re.search(r'<ol class="breadcrumbs">.*?</ol>', html, re.S).group(0)
    assert crumbs.index("Tỉnh Lạng Sơn") < crumbs.index("Huyện Cao Lộc") < crumbs.index("Xã Bảo Lâm")
    assert f"/?unit={world.units.caoloc.pk}&amp;on=30%2F06%2F2025" in crumbs
    # The commune's own officer sees the province and district as names, not links.
    html = text_of(page(client_for(world.users["dongdang"]), world.units.baolam, on=None))
    crumbs = re.search(r'<ol class="breadcrumbs">.*?</ol>', html, re.S).group(0)
    assert "Huyện Cao Lộc" in crumbs and "/?unit=" not in crumbs


def test_queries_do_not_grow_with_the_people(world, commune):
    """Doubling the commune's people (with posts and qualifications) adds no query."""
    client = client_for(world.users["province"])
    page(client, world.units.dongdang)  # warm caches (rules, scope)

    def count() -> int:
        dashboard_data.clear_memo()  # the engine's run is counted too, not read from the memo
        with CaptureQueriesContext(connection) as ctx:
            response = page(client, world.units.dongdang)
        assert response.status_code == 200
        return len(ctx.captured_queries)

    before = count()
    u, t = world.units.dongdang, world.titles
    for i in range(6):
        p = person(world, "Nông", "Văn", f"Phụ{i}", date(1970 + i, 4, 4), "male", u)
        qualify(p, general_education="lower_secondary", professional="university")
        post(p, u, t["PCT_UBND" if i % 2 else "CV_TP"], is_concurrent=bool(i % 3 == 0))
    after = count()
    assert after == before, (before, after)


def test_the_check_is_kept_until_the_data_change(world, commune):
    """The commune's engine run is kept per data stamp (:func:`canbo.web.dashboard_data.unit_check`):
    the page asked again reads it (fewer queries, the same page), and a new post is seen."""
    client = client_for(world.users["province"])
    first = page(client, world.units.dongdang).content.decode()
    with CaptureQueriesContext(connection) as ctx:
        again = page(client, world.units.dongdang).content.decode()
    dashboard_data.clear_memo()
    with CaptureQueriesContext(connection) as cold:
        page(client, world.units.dongdang)
    assert len(ctx.captured_queries) < len(cold.captured_queries)
    strip = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"|"X-CSRFToken": "[^"]*"')
    assert strip.sub("", again) == strip.sub("", first)
    p = person(world, "Nông", "Văn", "Mới", date(1980, 4, 4), "male", world.units.dongdang)
    post(p, world.units.dongdang, world.titles["CV_TP"])
    assert "Nông Văn Mới" in page(client, world.units.dongdang).content.decode()


def test_queries_before_the_reform_do_not_grow_with_the_people(world):
    """The new commune asked about 2024 (its old communes' figures): doubling the old communes'
    people adds no query."""
    client = client_for(world.users["dongdang"])
    page(client, world.units.dongdang, on="15/03/2024")

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = page(client, world.units.dongdang, on="15/03/2024")
        assert response.status_code == 200
        return len(ctx.captured_queries)

    before = count()
    t = world.titles
    for i, unit in enumerate([world.units.baolam, world.units.dongdang_old] * 3):
        p = person(world, "Nông", "Thị", f"Cũ{i}", date(1975 + i, 4, 4), "female", unit)
        qualify(p, general_education="upper_secondary", professional="university")
        post(
            p,
            unit,
            t["TP_HT" if i % 2 else "VP_TK"],
            start=date(2020, 1, 1),
            end=date(2025, 6, 30),
            end_reason="unit_merged",
        )
    after = count()
    assert after == before, (before, after)


def test_successor_outside_the_scope_shows_no_figures(world):
    """The Cao Lộc district's officer asks about Bảo Lâm after the merger: the new Đồng Đăng is
    outside their scope — named, with no figures and no link to its people."""
    html = text_of(page(client_for(world.users["caoloc"]), world.units.baolam, on=ON))
    elsewhere = section(html, "elsewhere")
    assert world.units.dongdang.name in elsewhere
    assert "Ngoài phạm vi được phân quyền của bạn" in elsewhere
    assert "/people/?" not in elsewhere and f"/units/{world.units.dongdang.pk}/" not in elsewhere


def test_non_professional_holders_are_not_in_the_headcount(world):
    """Xuất Lễ on 01/01/2020: Nông Thị Mai (TP_HT, a civil servant) and one non-professional
    worker (KCT): the headcount is 1 and links to her alone (in post as the reports count); the
    worker is mentioned, listed under his title, and the title's link lists him."""
    from canbo.web.people_query import people_query

    xuatle = world.units.xuatle
    kct = person(world, "Hà", "Văn", "Khánh", date(1990, 1, 1), "male", xuatle)
    post(
        kct,
        xuatle,
        world.titles["KCT"],
        start=date(2019, 1, 1),
        end=date(2025, 6, 30),
        end_reason="unit_merged",
    )
    user = world.users["caoloc"]
    html = text_of(page(client_for(user), xuatle, on="01/01/2020"))
    assert kpi_value(html, "kpi-headcount") == "1"
    box = kpi(html, "kpi-headcount")
    assert "1 người hoạt động không chuyên trách" in box
    (href,) = links(box)
    qs, _ = people_query(user, dict(parse_qsl(urlsplit(href).query)))
    assert list(qs.values_list("pk", flat=True)) == [world.people["caoloc"].pk]
    kct_row = row(html, "post-KCT")
    assert "Hà Văn Khánh" in kct_row
    (href,) = links(kct_row)
    qs, _ = people_query(user, dict(parse_qsl(urlsplit(href).query)))
    assert list(qs.values_list("pk", flat=True)) == [kct.pk]
