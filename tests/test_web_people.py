"""The people list (issue 10 §1): the shared filter (canbo.web.people_query), the page and the export."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import REFORM, VISIBLE

from canbo.web.bounds import BadInput

pytestmark = pytest.mark.django_db

TODAY_ISH = "01/10/2025"


def keys(world, queryset) -> set[str]:
    by_pk = {p.pk: k for k, p in world.people.items()}
    return {by_pk[pk] for pk in queryset.values_list("pk", flat=True) if pk in by_pk}


@pytest.mark.parametrize("role", sorted(VISIBLE))
def test_query_each_role_sees_exactly_its_people(world, role):
    from canbo.web.people_query import people_query

    qs, description = people_query(world.users[role], {"on": TODAY_ISH})
    assert keys(world, qs) == VISIBLE[role]
    assert "01/10/2025" in description


def test_query_in_post_and_status_on_a_date(world):
    from canbo.web.people_query import people_query

    user = world.users["province"]
    # On 01/10/2025 only the people of new-era units hold a post.
    assert keys(world, people_query(user, {"on": TODAY_ISH, "in_post": "1"})[0]) == {"dongdang", "kylua"}
    assert keys(world, people_query(user, {"on": TODAY_ISH, "in_post": 0})[0]) == {
        "baolam",
        "thanhloa",
        "caoloc",
        "dinhlap",
    }
    statuses = set()
    for status in ("met", "not_met", "unknown"):
        found = keys(world, people_query(user, {"on": TODAY_ISH, "status": status})[0])
        assert found <= {"dongdang", "kylua"}
        assert not (found & statuses)
        statuses |= found
    assert statuses == {"dongdang", "kylua"}


@pytest.mark.parametrize(
    "params",
    [
        {"status": "great"},
        {"unit": "abc"},
        {"on": "01/01/1990"},
        {"on": "31/02/2020"},
        {"in_post": "2"},
        {"category": "x"},
        {"criterion": "beauty"},
        {"age": "abc"},
        {"retiring": "6"},
        {"title": "NOPE"},
        {"sex": "other"},
        {"ethnicity": "99"},
    ],
)
def test_query_bad_input(world, params):
    from canbo.web.people_query import people_query

    with pytest.raises(BadInput):
        people_query(world.users["province"], params)


def test_query_unit_outside_scope_is_refused(world):
    from canbo.web.people_query import people_query

    with pytest.raises(BadInput):
        people_query(world.users["dongdang"], {"unit": str(world.units.kylua.pk)})
    province = world.users["province"]
    unit = str(world.units.dongdang.pk)
    # Before the merger Bảo Lâm's officer held a post in a commune merged into the new Đồng Đăng;
    # the new commune's own officer held none yet and is listed by the unit keeping the file.
    qs, _ = people_query(province, {"unit": unit, "on": "01/01/2020", "in_post": "1"})
    assert keys(world, qs) == {"baolam"}
    qs, _ = people_query(province, {"unit": unit, "on": "01/01/2020"})
    assert keys(world, qs) == {"baolam", "dongdang"}
    qs, _ = people_query(province, {"unit": unit, "on": "01/10/2025"})
    assert keys(world, qs) == {"dongdang", "baolam"}  # Bảo Lâm's file is kept by a merged commune
    assert date(2020, 1, 1) < REFORM
