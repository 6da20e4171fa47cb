"""The dashboard (home page, issue 10 §1): figures against a small population counted by hand,
scope, bounds, lineage before the 2025 reform, drill-down links, the links of every count to
the people list, well-formed SVG, and a number of queries that does not grow with the data.

The population (``population`` fixture). The standard of CV_TP (Decree 33/2023, job positions
from 01/07/2025) asks upper secondary education and a university degree in the field (law):
p2 has both (meets the standard), p1 only a college degree (professional criterion not met: below
standard), p3, p4 and p5 have no qualification recorded (unknown: missing data).

==========  ===================  =============================================  ==============
key         born                 posts                                          retirement
==========  ===================  =============================================  ==============
p1          man 15/10/1964       CV_TP new Đồng Đăng from 01/07/2025            01/05/2026
p2          woman 01/03/1990     CV_TP new Đồng Đăng from 01/07/2025            (2040s)
p3          man 10/06/1965       TP_HT old Bảo Lâm 2015–30/06/2025,             01/01/2027
                                 CV_TP new Đồng Đăng from 01/07/2025
p4          man 01/01/1980       CV_TP new Kỳ Lừa from 01/07/2025               (2040s)
p5          woman 01/01/1970     TP_HT old Bảo Lâm 01/01/2010–30/06/2020        —
p6          man 05/05/1975       KCT old Bảo Lâm 2020–30/06/2025                —
==========  ===================  =============================================  ==============

p6 is a non-professional worker (KCT): listed, never counted as *in post* (the reports' rule).

Retirement (Decree 135/2020 Annex I): a man born 10/1964 reaches 61y6m (the 2026 age) in
4/2026 → from 01/05/2026; a man born 6/1965 reaches 61y6m in 12/2026 → from 01/01/2027. On
31/12/2025, within 12 months: p1; within 24 months: p1 and p3.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date
from urllib.parse import parse_qs, urlparse

import pytest
from conftest import LEGACY_END, REFORM, make_user
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from canbo.access import scope

pytestmark = pytest.mark.django_db

ON = date(2025, 12, 31)
ON_TEXT = "31/12/2025"
OLD = date(2024, 12, 31)


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def _person(n, family, given, born, sex, unit):
    from canbo.registry.models import Person

    return Person.objects.create(
        family_name=family,
        middle_name="Văn" if sex == "male" else "Thị",
        given_name=given,
        birth_date=born,
        sex=sex,
        ethnicity="01",
        managing_unit=unit,
    )


def _post(person, unit, title, start, end=None):
    from canbo.registry.models import Assignment

    return Assignment.objects.create(
        person=person,
        unit=unit,
        title=title,
        start=start,
        end=end,
        start_reason="placed" if start == REFORM else "recruited",
        end_reason="unit_merged" if end else "",
    )


def _qual(person, dimension, level, field=""):
    from canbo.registry.models import Qualification

    return Qualification.objects.create(
        person=person, dimension=dimension, level=level, field_of_study=field, obtained_on=date(2010, 6, 30)
    )


@pytest.fixture
def population(units, titles):
    p1 = _person(1, "Hoàng", "Một", date(1964, 10, 15), "male", units.dongdang)
    p2 = _person(2, "Lộc", "Hai", date(1990, 3, 1), "female", units.dongdang)
    p3 = _person(3, "Vi", "Ba", date(1965, 6, 10), "male", units.dongdang)
    p4 = _person(4, "Lăng", "Bốn", date(1980, 1, 1), "male", units.kylua)
    p5 = _person(5, "Nông", "Năm", date(1970, 1, 1), "female", units.baolam)
    for p in (p1, p2, p3):
        _post(p, units.dongdang, titles["CV_TP"], REFORM)
    _qual(p1, "general_education", "upper_secondary")
    _qual(p1, "professional", "college", "law")
    _qual(p2, "general_education", "upper_secondary")
    _qual(p2, "professional", "university", "law")
    _post(p3, units.baolam, titles["TP_HT"], date(2015, 1, 1), LEGACY_END)
    _post(p4, units.kylua, titles["CV_TP"], REFORM)
    _post(p5, units.baolam, titles["TP_HT"], date(2010, 1, 1), date(2020, 6, 30))
    p6 = _person(6, "Triệu", "Sáu", date(1975, 5, 5), "male", units.baolam)
    _post(p6, units.baolam, titles["KCT"], date(2020, 1, 1), LEGACY_END)
    return {"p1": p1, "p2": p2, "p3": p3, "p4": p4, "p5": p5, "p6": p6}


@pytest.fixture
def users(units):
    from canbo.access.models import Role

    return {
        "province": make_user("dash_tinh", Role.PROVINCE_OFFICER, units.p20),
        "caoloc": make_user("dash_huyen", Role.UNIT_OFFICER, units.caoloc),
        "dongdang": make_user("dash_xa", Role.UNIT_OFFICER, units.dongdang),
        "inspector": make_user("dash_tt", Role.INSPECTOR, units.p20),
        "hanoi": make_user("dash_hn", Role.PROVINCE_OFFICER, units.hn),
        "admin": make_user("dash_admin", Role.SYSTEM_ADMIN, superuser=True),
    }


def _get(client, user, **params):
    client.force_login(user)
    return client.get("/", params)


def _links(html: str) -> list[str]:
    return [h.replace("&amp;", "&") for h in re.findall(r'href="([^"]+)"', html)]


def _people_links(html: str) -> list[dict]:
    out = []
    for h in _links(html):
        u = urlparse(h)
        if u.path == "/people/":
            out.append({k: v[0] for k, v in parse_qs(u.query).items()})
    return out


def _kpi(html: str, label: str) -> str:
    """The value shown in the KPI box whose label starts with ``label``."""
    m = re.search(r'<div class="value num">([^<]*)</div><div class="label">' + re.escape(label), html)
    assert m, label
    return m.group(1)


# --------------------------------------------------------------------------- figures


def test_figures_of_a_new_commune(population, units):
    from canbo.web.dashboard_data import figures

    fig = figures(units.dongdang, ON)
    assert fig["people"] == 3
    assert fig["status"] == {"met": 1, "unmet": 1, "unknown": 1}
    crit = {c: (met, unmet, unknown) for c, met, unmet, unknown in fig["criteria"]}
    assert crit["professional"] == (1, 1, 1)
    assert crit["general_education"] == (2, 0, 1)
    assert fig["retiring"] == {12: 1, 24: 2}
    assert fig["staffing"]["below_standard"] == 1
    assert fig["rows"] == []  # a commune has no child units


def test_figures_of_the_province_list_its_communes(population, units):
    from canbo.web.dashboard_data import figures

    fig = figures(units.p20, ON)
    assert fig["people"] == 4
    assert fig["status"] == {"met": 1, "unmet": 1, "unknown": 2}
    assert fig["retiring"] == {12: 1, 24: 2}
    rows = {r["pk"]: r for r in fig["rows"]}
    assert rows[units.dongdang.pk]["people"] == 3
    assert rows[units.dongdang.pk]["retiring12"] == 1
    assert rows[units.kylua.pk]["people"] == 1
    assert rows[units.kylua.pk]["unknown"] == 1
    assert rows[units.kylua.pk]["below_standard"] == 0
    assert rows[units.dongdang.pk]["below_standard"] == 1
    assert (rows[units.dongdang.pk]["met"], rows[units.dongdang.pk]["unmet"]) == (1, 1)
    # Only units existing on the date: no legacy commune among the rows.
    assert units.baolam.pk not in rows
    assert sum(r["people"] for r in fig["rows"]) == 4


def test_before_the_reform_a_new_commune_shows_the_old_communes_merged_into_it(population, units):
    from canbo.web.dashboard_data import figures

    fig = figures(units.dongdang, OLD)
    assert fig["people"] == 1  # p3 at Bảo Lâm; p5 left in 2020; p6 (KCT) is not counted
    rows = {r["pk"]: r for r in fig["rows"]}
    assert units.baolam.pk in rows and rows[units.baolam.pk]["people"] == 1
    assert units.kylua.pk not in rows
    assert all(r["level"] == "commune_level" and r["valid_to"] == LEGACY_END for r in fig["rows"])
    # p3 retires from 01/01/2027: one day after the 24 months from 31/12/2024.
    assert fig["retiring"] == {12: 0, 24: 0}


def test_old_province_lists_its_districts(population, units):
    from canbo.web.dashboard_data import figures

    fig = figures(units.p20, OLD)  # the new province: its lineage root is the old province
    levels = {r["level"] for r in fig["rows"]}
    assert levels == {"district"}
    rows = {r["pk"]: r for r in fig["rows"]}
    assert rows[units.caoloc.pk]["people"] == 1
    assert fig["people"] == 1


def test_trend_points_counted_by_hand(population, units):
    from canbo.web.dashboard_data import trend_points

    points = trend_points(units.dongdang, ON)
    expected = dict.fromkeys(range(2005, 2010), 0)
    expected |= dict.fromkeys(range(2010, 2015), 1)  # p5
    expected |= dict.fromkeys(range(2015, 2020), 2)  # p5, p3
    expected |= dict.fromkeys(range(2020, 2025), 1)  # p3
    assert [(d.year, n) for d, n, _met in points[:-1]] == sorted(expected.items())
    assert points[-1] == (ON, 3, 1)
    assert all(met == 0 for _d, _n, met in points[:-1])  # p3 and p5: no qualification recorded
    assert all(d == date(d.year, 12, 31) for d, *_ in points)


# --------------------------------------------------------------------------- the page


def test_page_shows_vietnamese_figures_and_links_to_people(client, population, users, units):
    r = _get(client, users["dongdang"], on=ON_TEXT)
    assert r.status_code == 200
    html = r.content.decode()
    assert _kpi(html, "Người đang giữ chức danh") == "3"
    assert _kpi(html, "Đạt chuẩn") == "1"
    assert _kpi(html, "Chưa đạt chuẩn") == "1"
    assert _kpi(html, "Chưa đủ dữ liệu") == "1"
    assert _kpi(html, "Đến tuổi nghỉ hưu trong 12 tháng tới") == "1"
    assert _kpi(html, "Đến tuổi nghỉ hưu trong 24 tháng tới") == "2"
    links = _people_links(html)
    base = {"unit": str(units.dongdang.pk), "on": ON_TEXT}
    assert base | {"in_post": "1"} in links
    assert base | {"in_post": "1", "status": "not_met"} in links
    assert base | {"in_post": "1", "retiring": "12"} in links
    assert base | {"in_post": "1", "retiring": "24"} in links
    assert base | {"category": "below_standard"} in links
    assert base | {"in_post": "1", "criterion": "professional", "status": "not_met"} in links
    # every count's link (all but the menu's bare /people/) carries the unit and the date
    counts = [link for link in links if link]
    assert len(counts) >= 15
    assert all(link["on"] == ON_TEXT and "unit" in link for link in counts)


def test_province_drills_down_to_communes(client, population, users, units):
    r = _get(client, users["province"], on=ON_TEXT)
    html = r.content.decode()
    links = _links(html)
    assert f"/units/{units.dongdang.pk}/?on=31%2F12%2F2025" in links
    assert f"/units/{units.kylua.pk}/?on=31%2F12%2F2025" in links
    assert {"unit": str(units.kylua.pk), "on": ON_TEXT, "in_post": "1"} in _people_links(html)


def test_old_district_before_the_reform(client, population, users, units):
    # The old district's officer: the district no longer exists today, so the default date is its last day.
    r = _get(client, users["caoloc"])
    assert r.status_code == 200
    html = r.content.decode()
    assert "30/06/2025" in html
    assert _kpi(html, "Người đang giữ chức danh") == "1"
    assert f"/units/{units.baolam.pk}/?on=30%2F06%2F2025" in _links(html)


def test_province_before_the_reform_links_to_district_dashboards(client, population, users, units):
    r = _get(client, users["province"], on="31/12/2024")
    html = r.content.decode()
    assert f"/?unit={units.caoloc.pk}&on=31%2F12%2F2024" in _links(html)
    r = _get(client, users["province"], unit=units.caoloc.pk, on="31/12/2024")
    assert r.status_code == 200
    assert _kpi(r.content.decode(), "Người đang giữ chức danh") == "1"


def test_new_commune_before_the_reform_says_so(client, population, users, units):
    r = _get(client, users["dongdang"], on="31/12/2024")
    html = r.content.decode()
    assert "Xã Bảo Lâm" in html
    assert "01/07/2025" in html
    assert _kpi(html, "Người đang giữ chức danh") == "1"


@pytest.mark.parametrize(
    "role,unit_key",
    [("dongdang", "kylua"), ("caoloc", "dongdang"), ("hanoi", "p20"), ("dongdang", "p20")],
)
def test_unit_out_of_scope_is_404(client, population, users, units, role, unit_key):
    r = _get(client, users[role], unit=getattr(units, unit_key).pk, on=ON_TEXT)
    assert r.status_code == 404


@pytest.mark.parametrize("on", ["01/01/2004", "31/12/9999", "32/13/2020", "x" * 40])
def test_bad_date_is_400(client, users, units, on):
    r = _get(client, users["province"], on=on)
    assert r.status_code == 400
    assert "dd/mm/yyyy" in r.content.decode() or "ngoài khoảng" in r.content.decode()


@pytest.mark.parametrize("unit", ["abc", "-1", "9" * 30])
def test_bad_unit_is_400_or_404(client, users, unit):
    r = _get(client, users["province"], unit=unit)
    assert r.status_code in (400, 404)


def test_anonymous_goes_to_login(client):
    r = client.get("/")
    assert r.status_code == 302 and "/login/" in r["Location"]


def test_system_admin_sees_a_province(client, population, users, units):
    r = _get(client, users["admin"], on=ON_TEXT)
    assert r.status_code == 200
    html = r.content.decode()
    assert units.p20.name in html
    # the first province with somebody in post: Lạng Sơn, not Hà Nội (nobody there)
    assert _kpi(html, "Người đang giữ chức danh") == "4"


def test_svg_well_formed_and_trend_in_page(client, population, users, units):
    r = _get(client, users["province"], on=ON_TEXT, trend="1")
    html = r.content.decode()
    svgs = re.findall(r"<svg.*?</svg>", html, re.S)
    assert len(svgs) == 3  # criteria, people per year, share per year
    for svg in svgs:
        root = ET.fromstring(svg)
        assert root.find("{http://www.w3.org/2000/svg}title").text
        assert root.find("{http://www.w3.org/2000/svg}desc").text
    # the trend table: 2005 … 2024, then 31/12/2025
    assert html.count("<td>31/12/20") == 21


def test_trend_fragment(client, population, users, units):
    client.force_login(users["dongdang"])
    r = client.get("/", {"on": ON_TEXT, "part": "trend", "unit": units.dongdang.pk})
    assert r.status_code == 200
    html = r.content.decode()
    assert "<html" not in html
    ET.fromstring(re.search(r"<svg.*?</svg>", html, re.S).group(0))
    # a later page answers with the cached trend inline
    r = client.get("/", {"on": ON_TEXT})
    assert r.content.decode().count("<svg") == 3


def test_cache_follows_the_data(population, units, titles):
    """A change to any record gives new figures at once (the data stamp)."""
    from canbo.web.dashboard_data import data_stamp, figures

    before = data_stamp()
    assert figures(units.dongdang, ON)["people"] == 3
    p7 = _person(7, "Chu", "Sáu", date(1985, 5, 5), "female", units.dongdang)
    _post(p7, units.dongdang, titles["CV_TP"], REFORM)
    assert data_stamp() != before
    assert figures(units.dongdang, ON)["people"] == 4
    p7.assignments.first().delete()
    assert figures(units.dongdang, ON)["people"] == 3
    # a bulk insert without history (the reference loader's) moves the stamp too
    from canbo.registry.models import Unit

    before = data_stamp()
    Unit.objects.bulk_create([Unit(code="99999", name="Xã Thử", level="commune_level", kind="commune")])
    assert data_stamp() != before


def _grow(units, titles, n, offset):
    for k in range(n):
        p = _person(
            100 + offset + k,
            "Đặng",
            f"Thử{offset + k}",
            date(1970 + k % 20, 1 + k % 12, 1),
            "male",
            units.kylua,
        )
        _post(p, units.kylua if k % 2 else units.dongdang, titles["CV_TP"], REFORM)
        _post(p, units.baolam, titles["TP_HT"], date(2012, 1, 1), LEGACY_END)


def test_queries_do_not_grow_with_the_data(client, population, users, units, titles):
    client.force_login(users["province"])

    def count() -> int:
        cache.clear()
        scope._TREE = None  # both measurements read the unit tree (kept between requests)
        with CaptureQueriesContext(connection) as q:
            r = client.get("/", {"on": ON_TEXT, "trend": "1"})
            assert r.status_code == 200
        return len(q)

    _grow(units, titles, 5, 0)
    small = count()
    _grow(units, titles, 10, 100)
    large = count()
    assert large == small


def _count_links(html: str) -> list[tuple[dict, int]]:
    """(parameters, number shown) of every link to the people list outside the charts."""
    html = re.sub(r"<svg.*?</svg>", "", html, flags=re.S)
    out = []
    for href, inner in re.findall(r'<a href="(/people/\?[^"]+)"[^>]*>(.*?)</a>', html, re.S):
        text = re.sub(r"<[^>]+>", " ", inner)
        m = re.search(r"\d[\d.]*", text)
        assert m, inner
        params = {k: v[0] for k, v in parse_qs(urlparse(href.replace("&amp;", "&")).query).items()}
        out.append((params, int(m.group(0).replace(".", ""))))
    return out


@pytest.mark.parametrize(
    "role,on,unit_key",
    [
        ("province", ON_TEXT, None),
        ("province", "31/12/2024", None),
        ("dongdang", "31/12/2024", None),
        ("caoloc", "30/06/2025", None),
        ("inspector", ON_TEXT, "dongdang"),
    ],
)
def test_every_count_is_the_length_of_its_people_list(client, population, users, units, role, on, unit_key):
    """Counts and names never disagree: each number linking to /people/ is the number of people
    the people list's own filter (canbo.web.people_query) gives for that link."""
    from canbo.web.people_query import people_query

    params = {"on": on, "trend": "1"}
    if unit_key:
        params["unit"] = getattr(units, unit_key).pk
    r = _get(client, users[role], **params)
    links = _count_links(r.content.decode())
    assert len(links) > 20
    # A unit with nobody in post: its one in_post link is checked, the rest are zero by force.
    nobody = {
        (q["unit"], q["on"]) for q, shown in links if shown == 0 and set(q) == {"unit", "on", "in_post"}
    }
    checked = 0
    for query, shown in links:
        if (query["unit"], query["on"]) in nobody and set(query) != {"unit", "on", "in_post"}:
            assert shown == 0
            continue
        qs, _description = people_query(users[role], query)
        assert qs.count() == shown, query
        checked += 1
    assert checked > 20
