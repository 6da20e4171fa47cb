"""The people list (issue 10 §1): the shared filter (canbo.web.people_query), the page and the export.

Expectations are written by hand. The population (:func:`population`) is built in the new Xã
Đồng Đăng, seen on 01/10/2025 with the national rules; the verdicts follow from Law 80/2025
Art. 19 as the rule file ``luat-80-2025.yaml`` reads it for the post *Chuyên viên tư pháp - hộ
tịch* (CV_TP): upper-secondary education, a university degree, in law:

==========================  =====  =========  ===============================================
person                      sex    born       on 01/10/2025
==========================  =====  =========  ===============================================
Nguyễn Văn Ánh   (anh)      male   05/05/1985 CV_TP; high school, university law → met
Lê Thị Bình      (binh)     female 02/02/1990 CV_TP; intermediate law → not met (below standard)
Trần Văn Dũng    (dung)     male   15/12/1964 CV_TP; university agriculture → not met (field
                                              mismatch); retires 01/07/2026 (Decree 135/2020:
                                              61 years 6 months in 2026)
Đặng Văn Đức     (duc)      male   20/09/1965 CV_TP; nothing recorded → unknown (missing data);
                                              retires 01/07/2027 (61 years 9 months in 2027)
Hoàng Thị Đào    (dao)      female 01/10/1995 no post (30 years old that day)
==========================  =====  =========  ===============================================

With the world's Hoàng Văn Thắng (``dongdang``: CV_TP, a law degree but no school record →
unknown) and Lộc Thị Huyền (``baolam``: her legacy commune merged into Đồng Đăng, no post after
30/06/2025), the officer of Đồng Đăng sees seven people.
"""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from conftest import NAMES, VISIBLE
from django.db import connection
from django.test.utils import CaptureQueriesContext

from canbo.web.bounds import BadInput

pytestmark = pytest.mark.django_db

ON = "01/10/2025"

PEOPLE = {
    # key: (family, middle, given, sex, ethnicity, birth, qualifications or None for no post)
    "anh": (
        "Nguyễn",
        "Văn",
        "Ánh",
        "male",
        "01",
        date(1985, 5, 5),
        [("general_education", "upper_secondary", ""), ("professional", "university", "law")],
    ),
    "binh": (
        "Lê",
        "Thị",
        "Bình",
        "female",
        "02",
        date(1990, 2, 2),
        [("general_education", "upper_secondary", ""), ("professional", "intermediate", "law")],
    ),
    "dung": (
        "Trần",
        "Văn",
        "Dũng",
        "male",
        "01",
        date(1964, 12, 15),
        [("general_education", "upper_secondary", ""), ("professional", "university", "agriculture")],
    ),
    "duc": ("Đặng", "Văn", "Đức", "male", "01", date(1965, 9, 20), []),
    "dao": ("Hoàng", "Thị", "Đào", "female", "07", date(1995, 10, 1), None),
}
ANH_ID = "020085000123"


@pytest.fixture
def population(world):
    from canbo.registry.models import Assignment, Person, Qualification

    unit = world.units.dongdang
    people = {"thang": world.people["dongdang"], "huyen": world.people["baolam"]}
    for key, (family, middle, given, sex, ethnicity, born, quals) in PEOPLE.items():
        person = Person.objects.create(
            family_name=family,
            middle_name=middle,
            given_name=given,
            sex=sex,
            ethnicity=ethnicity,
            birth_date=born,
            managing_unit=unit,
            identity_number=ANH_ID if key == "anh" else None,
        )
        people[key] = person
        if quals is None:
            continue
        Assignment.objects.create(
            person=person,
            unit=unit,
            title=world.titles["CV_TP"],
            start=date(2025, 7, 1),
            start_reason="placed",
        )
        for dimension, level, field in quals:
            Qualification.objects.create(
                person=person,
                dimension=dimension,
                level=level,
                field_of_study=field,
                obtained_on=date(2010, 6, 30),
                original_text="x",
            )
    return people


def found(people: dict, queryset) -> set[str]:
    by_pk = {p.pk: k for k, p in people.items()}
    return {by_pk.get(pk, f"other:{pk}") for pk in queryset.values_list("pk", flat=True)}


def query(world, population, **params) -> set[str]:
    from canbo.web.people_query import people_query

    qs, _description = people_query(world.users["dongdang"], {"on": ON, **params})
    return found(population, qs)


# --------------------------------------------------------------------------- the shared filter


@pytest.mark.parametrize("role", sorted(VISIBLE))
def test_query_each_role_sees_exactly_its_people(world, role):
    from canbo.web.people_query import people_query

    qs, description = people_query(world.users[role], {"on": ON})
    assert found(world.people, qs) == VISIBLE[role]
    assert description.startswith("Ngày 01/10/2025")


def test_query_in_post_and_status_on_a_date(world):
    from canbo.web.people_query import people_query

    user = world.users["province"]
    # On 01/10/2025 only the people of new-era units hold a post.
    assert found(world.people, people_query(user, {"on": ON, "in_post": "1"})[0]) == {"dongdang", "kylua"}
    assert found(world.people, people_query(user, {"on": ON, "in_post": 0})[0]) == {
        "baolam",
        "thanhloa",
        "caoloc",
        "dinhlap",
    }
    # Both have a law degree and no school record: unknown, never met or not met.
    assert found(world.people, people_query(user, {"on": ON, "status": "unknown"})[0]) == {
        "dongdang",
        "kylua",
    }
    assert not people_query(user, {"on": ON, "status": "met"})[0].exists()
    # On 01/01/2020 the legacy communes' officers were in post.
    assert found(world.people, people_query(user, {"on": "01/01/2020", "in_post": "1"})[0]) == {
        "baolam",
        "thanhloa",
        "caoloc",
        "dinhlap",
    }


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, {"anh", "binh", "dung", "duc", "dao", "thang", "huyen"}),
        ({"in_post": "1"}, {"anh", "binh", "dung", "duc", "thang"}),
        ({"in_post": "0"}, {"dao", "huyen"}),
        ({"status": "met"}, {"anh"}),
        ({"status": "not_met"}, {"binh", "dung"}),
        ({"status": "unknown"}, {"duc", "thang"}),
        ({"category": "below_standard"}, {"binh", "dung"}),
        ({"category": "field_mismatch"}, {"dung"}),
        ({"category": "missing_data"}, {"duc", "thang"}),
        ({"criterion": "professional", "status": "not_met"}, {"binh"}),
        ({"criterion": "field_of_study", "status": "not_met"}, {"binh", "dung"}),
        ({"dimension": "professional", "status": "unknown"}, {"duc"}),
        ({"criterion": "professional", "status": "met"}, {"anh", "dung", "thang"}),
        ({"title": "CV_TP"}, {"anh", "binh", "dung", "duc", "thang"}),
        ({"title": "CT_UBND"}, set()),
        ({"sex": "female"}, {"binh", "dao", "huyen"}),
        ({"sex": "male", "in_post": "1"}, {"anh", "dung", "duc", "thang"}),
        ({"ethnicity": "01"}, {"anh", "dung", "duc"}),
        ({"ethnicity": "07"}, {"dao", "thang", "huyen"}),
        ({"age": "30-39"}, {"binh", "dao"}),
        ({"age": "60-"}, {"dung", "duc"}),
        ({"age": "-29"}, set()),
        ({"age": "40-49"}, {"anh", "thang", "huyen"}),
        ({"retiring": "12"}, {"dung"}),
        ({"retiring": "24"}, {"dung", "duc"}),
        ({"retiring": "24", "status": "unknown"}, {"duc"}),
        ({"q": "nguyen van anh"}, {"anh"}),
        ({"q": "NGUYỄN"}, {"anh"}),
        ({"q": "nguyễn ánh"}, {"anh"}),
        ({"q": "dao"}, {"dao"}),
        ({"q": "Đức"}, {"duc"}),
        ({"q": "duc"}, {"duc"}),
        ({"q": "van"}, {"anh", "dung", "duc", "thang"}),
        ({"q": "xyz"}, set()),
        ({"q": ANH_ID[3:9]}, {"anh"}),
        ({"q": ANH_ID}, {"anh"}),
    ],
)
def test_each_filter_narrows(world, population, params, expected):
    assert query(world, population, **params) == expected


def test_unit_filter(world, population):
    dongdang, baolam = str(world.units.dongdang.pk), str(world.units.baolam.pk)
    everyone = {"anh", "binh", "dung", "duc", "dao", "thang", "huyen"}
    assert query(world, population, unit=dongdang) == everyone
    # Bảo Lâm ended on 30/06/2025: nobody holds a post there, Huyền's file is kept there.
    assert query(world, population, unit=baolam) == {"huyen"}
    assert query(world, population, unit=baolam, in_post="1") == set()
    province = world.users["province"]
    from canbo.web.people_query import people_query

    # Before the merger Huyền held a post in Bảo Lâm, merged into the new Đồng Đăng; the new
    # commune's people held none yet and are listed by the unit keeping their file.
    qs, _ = people_query(province, {"unit": dongdang, "on": "01/01/2020", "in_post": "1"})
    assert found(world.people, qs) == {"baolam"}


@pytest.mark.parametrize(
    "params",
    [
        {"in_post": "1"},
        {"title": "CV_TP"},
        {"status": "not_met"},
        {"status": "unknown"},
        {"criterion": "professional"},
        {"category": "missing_data"},
        {"retiring": "24"},
        {"in_post": "1", "sex": "male"},
    ],
)
@pytest.mark.parametrize(
    ("unit_key", "on"), [("dongdang", ON), ("dongdang", "01/01/2020"), ("baolam", "01/01/2020")]
)
def test_a_post_filter_makes_the_unit_condition_implied(world, population, params, unit_key, on):
    """The query leaves out the unit's own condition (a post held there on the date, or none
    held and the file kept there) when another filter asks for a post held there: the people
    found are exactly those the full condition keeps."""
    from django.db.models import Q

    from canbo.registry.models import Assignment, Confirmation
    from canbo.web.people_query import parse, people_query

    user = world.users["province"]
    full = {"unit": str(getattr(world.units, unit_key).pk), "on": on, **params}
    f = parse(user, full)
    assert f.holds_post_in_unit
    qs, _ = people_query(user, full)
    held = (
        Assignment.objects.filter(start__lte=f.on)
        .filter(Q(end__isnull=True) | Q(end__gte=f.on))
        .exclude(confirmation=Confirmation.PENDING)
    )
    in_unit = held.filter(unit_id__in=f.unit_ids).values("person_id")
    condition = Q(pk__in=in_unit) | (~Q(pk__in=held.values("person_id")) & Q(managing_unit_id__in=f.unit_ids))
    assert set(qs.values_list("pk", flat=True)) == set(qs.filter(condition).values_list("pk", flat=True))
    everyone = people_query(user, {"unit": full["unit"], "on": on})[0]
    assert set(qs.values_list("pk", flat=True)) <= set(everyone.values_list("pk", flat=True))


def test_without_a_post_filter_the_unit_condition_stays(world, population):
    from canbo.web.people_query import parse

    user = world.users["province"]
    unit = str(world.units.dongdang.pk)
    for params in ({}, {"in_post": "0"}, {"sex": "female"}, {"q": "dao"}, {"age": "30-39"}):
        assert not parse(user, {"unit": unit, "on": ON, **params}).holds_post_in_unit
    assert not parse(user, {"on": ON, "in_post": "1"}).holds_post_in_unit  # no unit: nothing to imply


def test_vietnamese_order(world, population):
    from canbo.web.people_query import people_query

    qs, _ = people_query(world.users["dongdang"], {"on": ON})
    by_pk = {p.pk: k for k, p in population.items()}
    order = [by_pk[pk] for pk in qs.values_list("pk", flat=True)]
    # Given names first: Ánh < Bình < Dũng < Đào < Đức < Huyền < Thắng (Đ after D, whatever
    # the family names: "Nguyễn Văn Ánh" before "Lê Thị Bình").
    assert order == ["anh", "binh", "dung", "dao", "duc", "huyen", "thang"]


@pytest.mark.parametrize(
    "params",
    [
        {"status": "great"},
        {"unit": "abc"},
        {"unit": "-1"},
        {"unit": "99999999"},
        {"on": "01/01/1990"},
        {"on": "31/02/2020"},
        {"on": "01/01/9999"},
        {"in_post": "2"},
        {"category": "x"},
        {"criterion": "beauty"},
        {"age": "abc"},
        {"age": "50-40"},
        {"age": "200-"},
        {"retiring": "6"},
        {"title": "NOPE"},
        {"sex": "other"},
        {"ethnicity": "99"},
        {"q": "x" * 101},
        {"q": "a\x00b"},
    ],
)
def test_query_bad_input(world, params):
    from canbo.web.people_query import people_query

    with pytest.raises(BadInput):
        people_query(world.users["province"], params)


def test_query_unit_outside_scope_is_refused(world):
    from canbo.web.people_query import people_query

    for unit in (world.units.kylua, world.units.hn_commune, world.units.p20):
        with pytest.raises(BadInput):
            people_query(world.users["dongdang"], {"unit": str(unit.pk)})


# --------------------------------------------------------------------------- the page


def client_for(client, user):
    client.force_login(user)
    return client


def listed(response) -> list[int]:
    """The person ids linked from the list's rows, in order."""
    html = response.content.decode()
    return [int(pk) for pk in re.findall(r'<td><a href="/people/(\d+)/', html)]


@pytest.mark.parametrize("role", ["admin", "province", "inspector", "caoloc", "dongdang", "hanoi"])
def test_page_each_role_sees_exactly_its_people(client, world, role):
    response = client_for(client, world.users[role]).get("/people/", {"on": ON})
    assert response.status_code == 200
    assert set(listed(response)) == {world.people[k].pk for k in VISIBLE[role]}
    html = response.content.decode()
    for key in set(NAMES) - VISIBLE[role]:
        assert " ".join(NAMES[key]) not in html


def test_page_anonymous_goes_to_login(client, world):
    response = client.get("/people/")
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_page_shows_posts_status_and_totals(client, world, population):
    c = client_for(client, world.users["dongdang"])
    html = c.get("/people/", {"on": ON}).content.decode()
    assert "7 người" in html
    assert "trang 1 / 1" in html
    row = html[html.index("Nguyễn Văn Ánh") :]
    row = row[: row.index("</tr>")]
    assert "05/05/1985" in row
    assert "Chuyên viên tư pháp" in row and "Xã Đồng Đăng" in row
    assert 'class="status met"' in row
    row = html[html.index("Hoàng Thị Đào") :]
    row = row[: row.index("</tr>")]
    assert "Không giữ chức danh" in row
    row = html[html.index("Lê Thị Bình") :]
    assert 'class="status not_met"' in row[: row.index("</tr>")]
    # The unit select lists only units in the officer's scope.
    select = html[html.index('name="unit"') :]
    select = select[: select.index("</select>")]
    assert "Xã Đồng Đăng" in select and "Xã Bảo Lâm" in select
    assert "Kỳ Lừa" not in select and "Lạng Sơn" not in select and "Hà Nội" not in select


def test_page_search_ignores_diacritics_and_case(client, world, population):
    c = client_for(client, world.users["dongdang"])
    for text in ("nguyen van anh", "Nguyễn Văn Ánh", "NGUYEN VAN ANH", "nguyễn"):
        assert listed(c.get("/people/", {"on": ON, "q": text})) == [population["anh"].pk], text


def test_page_pagination_keeps_filters(client, world, population):
    c = client_for(client, world.users["dongdang"])
    response = c.get("/people/", {"on": ON, "size": "2", "in_post": "1"})
    html = response.content.decode()
    assert "5 người" in html and "trang 1 / 3" in html
    first = listed(response)
    assert first == [population["anh"].pk, population["binh"].pk]
    links = re.findall(r'href="(\?[^"]*page=2[^"]*)"', html)
    assert links, html
    link = links[0].replace("&amp;", "&")
    assert "in_post=1" in link and "size=2" in link and "on=01%2F10%2F2025" in link
    second = c.get("/people/" + link)
    assert listed(second) == [population["dung"].pk, population["duc"].pk]
    assert "trang 2 / 3" in second.content.decode()
    # A page past the end shows the last page.
    assert listed(c.get("/people/", {"on": ON, "size": "2", "in_post": "1", "page": "99"})) == [
        population["thang"].pk
    ]


@pytest.mark.parametrize(
    ("path", "params"),
    [
        *(
            (path, params)
            for path in ("/people/", "/people/export.xlsx")
            for params in ({"status": "great"}, {"unit": "abc"}, {"on": "01/01/1990"}, {"age": "x"})
        ),
        ("/people/", {"page": "0"}),
        ("/people/", {"page": "x"}),
        ("/people/", {"size": "201"}),
    ],
)
def test_page_bad_input_is_400(client, world, population, path, params):
    c = client_for(client, world.users["dongdang"])
    response = c.get(path, params)
    assert response.status_code == 400
    assert "Yêu cầu không hợp lệ" in response.content.decode()


@pytest.mark.parametrize("path", ["/people/", "/people/export.xlsx"])
def test_page_unit_of_another_scope_is_400_without_its_data(client, world, population, path):
    c = client_for(client, world.users["dongdang"])
    response = c.get(path, {"unit": world.units.kylua.pk})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Kỳ Lừa" not in html and " ".join(NAMES["kylua"]) not in html


def test_page_queries_do_not_grow_with_the_people(client, world, population):
    from canbo.registry.models import Assignment, Person

    c = client_for(client, world.users["dongdang"])
    paths = [
        ("/people/", {"on": ON}),
        ("/people/", {"on": ON, "status": "not_met"}),
        ("/people/", {"on": ON, "category": "missing_data", "retiring": "24"}),
        ("/people/export.xlsx", {"on": ON}),
    ]

    def add(n: int, start: int) -> None:
        for i in range(start, start + n):
            person = Person.objects.create(
                family_name="Vi",
                middle_name="Văn",
                given_name=f"Thêm{i:03d}",
                sex="male",
                birth_date=date(1980, 1, 1),
                managing_unit=world.units.dongdang,
            )
            Assignment.objects.create(
                person=person,
                unit=world.units.dongdang,
                title=world.titles["CV_VHXH"],
                start=date(2025, 7, 1),
                start_reason="placed",
            )

    def counts() -> list[int]:
        out = []
        for path, params in paths:
            c.get(path, params)  # warm: the rule set is loaded once per process
            with CaptureQueriesContext(connection) as captured:
                assert c.get(path, params).status_code == 200
            out.append(len(captured.captured_queries))
        return out

    add(60, 0)
    before = counts()
    add(120, 60)
    after = counts()
    # Three times the people, never more queries (a cache kept per data stamp may save some).
    assert all(a <= b for a, b in zip(after, before)), (before, after)
    assert all(a > 0 for a in after)


# --------------------------------------------------------------------------- the export


def read_export(response):
    from openpyxl import load_workbook

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return load_workbook(io.BytesIO(content)).active


def test_export_reads_back(client, world, population):
    from canbo.access.models import FileAccess
    from canbo.registry.models import Person

    evil = Person.objects.create(
        family_name='=HYPERLINK("http://x")',
        middle_name="",
        given_name="+1",
        sex="female",
        birth_date=date(1990, 1, 1),
        birth_date_precision="year",
        managing_unit=world.units.dongdang,
    )
    c = client_for(client, world.users["dongdang"])
    ws = read_export(c.get("/people/export.xlsx", {"on": ON, "sex": "female"}))
    assert "01/10/2025" in ws["A1"].value
    assert "giới tính: Nữ" in ws["A2"].value
    headers = [cell.value for cell in ws[4]]
    assert headers[:5] == ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc"]
    assert "Chức danh" in headers and "Đánh giá tiêu chuẩn" in headers
    rows = [[cell.value for cell in row] for row in ws.iter_rows(min_row=5)]
    names = [r[1] for r in rows]
    # Vietnamese order: Bình < Đào < Huyền; the formula-like name sorts by its given name "+1".
    assert set(names) == {"Lê Thị Bình", "Hoàng Thị Đào", "Lộc Thị Huyền", evil.full_name}
    assert names.index("Lê Thị Bình") < names.index("Hoàng Thị Đào") < names.index("Lộc Thị Huyền")
    evil_row = next(row for row in ws.iter_rows(min_row=5) if row[1].value == evil.full_name)
    assert evil_row[1].data_type == "s"  # text, never a formula
    assert evil_row[2].value == "1990"  # a year-only birth date stays as recorded
    binh = next(r for r in rows if r[1] == "Lê Thị Bình")
    assert binh[2].strftime("%d/%m/%Y") == "02/02/1990"
    assert "Chuyên viên tư pháp" in binh[5]
    assert binh[8] == "Chưa đạt chuẩn"
    # Logged: who, what.
    log = FileAccess.objects.get(action="export")
    assert log.username == world.users["dongdang"].username
    assert "giới tính: Nữ" in log.what and "01/10/2025" in log.what


def test_export_only_in_scope(client, world, population):
    c = client_for(client, world.users["dongdang"])
    ws = read_export(c.get("/people/export.xlsx", {"on": ON}))
    names = {row[1].value for row in ws.iter_rows(min_row=5)}
    expected = {" ".join(PEOPLE[k][:3]) for k in PEOPLE} | {" ".join(NAMES[k]) for k in VISIBLE["dongdang"]}
    assert names == expected
    ws = read_export(client_for(client, world.users["hanoi"]).get("/people/export.xlsx", {"on": ON}))
    assert {row[1].value for row in ws.iter_rows(min_row=5)} == {" ".join(NAMES["hanoi"])}


def test_pending_post_is_not_counted(world, population):
    from canbo.registry.models import Assignment

    Assignment.objects.create(
        person=population["dao"],
        unit=world.units.dongdang,
        title=world.titles["CV_VHXH"],
        start=date(2025, 8, 1),
        start_reason="placed",
        confirmation="pending",
    )
    # Until the province confirms it, the post counts nowhere: Đào holds no post.
    assert "dao" in query(world, population, in_post="0")
    assert "dao" not in query(world, population, title="CV_VHXH")


@pytest.mark.parametrize(("role", "unit_key"), [("dongdang", "dongdang"), ("province", "p20")])
@pytest.mark.parametrize("on", [date(2025, 10, 1), date(2020, 1, 1)])
def test_counts_agree_with_the_dashboard(world, population, role, unit_key, on):
    """The dashboard counts with its own code (canbo.web.dashboard_data); every count it links
    to the list must be the number of people the list shows."""
    from canbo.core.formatting import fmt_date
    from canbo.web.dashboard_data import figures
    from canbo.web.people_query import people_query

    user, unit = world.users[role], getattr(world.units, unit_key)
    fig = figures(unit, on)
    base = {"unit": str(unit.pk), "on": fmt_date(on)}

    def n(**params) -> int:
        return people_query(user, {**base, **{k: str(v) for k, v in params.items()}})[0].count()

    pairs = {
        "people": (fig["people"], n(in_post=1)),
        **{
            s: (fig["status"][e], n(in_post=1, status=s))
            for s, e in [("met", "met"), ("not_met", "unmet"), ("unknown", "unknown")]
        },
        **{f"retiring{m}": (fig["retiring"][m], n(in_post=1, retiring=m)) for m in (12, 24)},
        **{
            c: (fig["staffing"][c], n(category=c))
            for c in ("below_standard", "field_mismatch", "missing_data")
        },
    }
    for criterion, met, unmet, unknown in fig["criteria"]:
        for status, value in (("met", met), ("not_met", unmet), ("unknown", unknown)):
            pairs[f"{criterion}/{status}"] = (value, n(in_post=1, criterion=criterion, status=status))
    disagree = {k: v for k, v in pairs.items() if v[0] != v[1]}
    assert not disagree
    if role == "dongdang":  # not a vacuous agreement: five in post in 2025, Huyền alone in 2020
        assert fig["people"] == (5 if on.year == 2025 else 1)


def test_retiring_with_a_birth_year_only(world, population):
    from canbo.registry.models import Assignment, Person

    # Born in 1965, month unknown: retires between 01/08/2026 (a January birth: 61 years 6 months
    # reached in July 2026) and 01/10/2027 (a December birth reaches 61 years 9 months in
    # September 2027) — who may retire within 12 months is listed.
    population["year"] = Person.objects.create(
        family_name="Vi",
        middle_name="Văn",
        given_name="Năm",
        sex="male",
        birth_date=date(1965, 1, 1),
        birth_date_precision="year",
        managing_unit=world.units.dongdang,
    )
    assert query(world, population, retiring="12") == {"dung"}  # not in post: not listed
    Assignment.objects.create(
        person=population["year"],
        unit=world.units.dongdang,
        title=world.titles["CV_VHXH"],
        start=date(2025, 7, 1),
        start_reason="placed",
    )
    assert query(world, population, retiring="12") == {"dung", "year"}
    assert query(world, population, retiring="24") == {"dung", "duc", "year"}
    assert query(world, population, retiring="12", on="01/09/2026") == {"duc"}
