"""Queries per page are bounded (issue 10 §5): the number of SQL queries a page makes does not
grow when the data doubles.

Each page is asked once on the world of ``tests/conftest.py`` (one person per place, each with
a post, a qualification, an evaluation, an inspection, a discipline, a training and a succession
entry), then again after a second person with the same records is added at every place: the
count must be the same. (A page that reads one row per person — an N+1 — shows up as 7 more.)
The dashboard and the person page are counted by their own tests (tests/test_web_dashboard.py,
tests/test_web_person.py).
"""

from __future__ import annotations

from datetime import date

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from canbo.access import scope
from canbo.registry.models import Person

#: Given names of the second person at each place (the first's family and middle name).
SECOND = {
    "dongdang": "Cường",
    "baolam": "Hạnh",
    "thanhloa": "Toàn",
    "caoloc": "Lan",
    "kylua": "Đức",
    "dinhlap": "Thảo",
    "hanoi": "Hải",
}


def double(world) -> None:
    """A second person at every place of the world, with a copy of each record of the first."""
    from canbo.core.identity import make_identity_number

    for serial, (key, first) in enumerate(list(world.people.items()), start=50):
        second = Person.objects.create(
            identity_number=make_identity_number(
                1 if key == "hanoi" else 20, first.birth_date.year + 1, first.sex, 100 + serial
            ),
            family_name=first.family_name,
            middle_name=first.middle_name,
            given_name=SECOND[key],
            birth_date=date(first.birth_date.year + 1, first.birth_date.month, first.birth_date.day),
            sex=first.sex,
            ethnicity=first.ethnicity,
            managing_unit=first.managing_unit,
        )
        for model, by_key in world.records.items():
            for record in by_key.get(key, []):
                copy = model.objects.get(pk=record.pk)
                copy.pk = None
                copy.id = None
                copy.person = second
                if hasattr(copy, "decision_number") and copy.decision_number:
                    copy.decision_number = f"{copy.decision_number}-2"
                if getattr(copy, "inspection_id", None):
                    copy.inspection = None
                copy.save()


def count_queries(client, url: str) -> tuple[int, int, list[str]]:
    """The page's status and queries, asked twice, the fewer kept: a cache filled once after the
    data changed (and then kept) is not a query per row; a query per row shows in both."""
    measured = []
    for _ in range(2):
        cache.clear()  # figures cached per data stamp would be read, not computed
        scope._TREE = None  # every measurement reads the unit tree (kept between requests otherwise)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
            if response.streaming:
                b"".join(response.streaming_content)
        measured.append(
            (response.status_code, len(ctx.captured_queries), [q["sql"] for q in ctx.captured_queries])
        )
    return min(measured, key=lambda m: m[1])


def extra_queries(before: list[str], after: list[str]) -> list[str]:
    """The queries of ``after`` not in ``before`` (timestamps and cursor names aside), shortened."""
    import re

    def shape(sql: str) -> str:
        return re.sub(r"'[0-9-]+ [0-9:.+]+'|_django_curs_\w+", "?", sql)

    seen = [shape(q) for q in before]
    added = []
    for q in after:
        if shape(q) in seen:
            seen.remove(shape(q))
        else:
            added.append(q[:300])
    return added


#: Pages asked, as (URL name, what the URL names: None, a person key or a unit key, query string).
#: Pages with their own such test are left to it: the dashboard (test_web_dashboard), the person
#: page (test_web_person), the people list and its export (test_web_people), the commune page
#: (test_web_units).
PAGES = [
    ("person_edit", "baolam", ""),
    ("person_post_add", "baolam", ""),
    ("person_post_end", "baolam", ""),
    ("person_qualification_add", "baolam", ""),
    ("imports", None, ""),
    ("import_reviews", None, ""),
    ("reports", None, ""),
    ("rules", None, ""),
]
#: Pages only the province's officer opens: the posts waiting for confirmation.
PROVINCE_PAGES = [("confirmations", None, "")]


def url_of(world, name: str, obj: str | None, query: str) -> str:
    if obj is None:
        return reverse(f"web:{name}") + query
    target = world.people[obj] if name.startswith("person") else getattr(world.units, obj)
    return reverse(f"web:{name}", args=[target.pk]) + query


def record_earlier_posts(world, people) -> None:
    """A post in Phường Kỳ Lừa recorded for each of ``people`` by an officer whose scope does not
    hold it: pending the province's confirmation."""
    from canbo.registry.models import Assignment, Confirmation

    for person in people:
        Assignment.objects.create(
            person=person,
            unit=world.units.kylua,
            title=world.titles["CV_TP"],
            start=date(2025, 7, 1),
            end=date(2025, 12, 31),
            start_reason="placed",
            end_reason="transfer",
            confirmation=Confirmation.PENDING,
        )


@pytest.mark.parametrize("role", ["province", "dongdang"])
def test_queries_do_not_grow_with_the_data(world, role):
    from canbo.registry.models import Assignment

    lang_son = [p for k, p in world.people.items() if k != "hanoi"]
    record_earlier_posts(world, lang_son)
    client = Client()
    client.force_login(world.users[role], backend="django.contrib.auth.backends.ModelBackend")
    urls = [url_of(world, *p) for p in PAGES + (PROVINCE_PAGES if role == "province" else [])]
    # Warm caches that are filled once per process (rule sets, translations), not per request.
    for url in urls:
        client.get(url)
    before = {url: count_queries(client, url) for url in urls}
    counts = {m: m.objects.count() for m in world.records}
    known = set(Person.objects.values_list("pk", flat=True))
    double(world)
    seconds = list(Person.objects.exclude(pk__in=known))
    record_earlier_posts(world, [p for p in seconds if p.managing_unit_id != world.units.hn_commune.pk])
    assert Person.objects.count() == 2 * len(world.people)
    assert {m: m.objects.count() for m in world.records if m is not Assignment} == {
        m: 2 * n for m, n in counts.items() if m is not Assignment
    }
    after = {url: count_queries(client, url) for url in urls}
    grown = {}
    for url in urls:
        status, n, _ = before[url]
        status2, n2, _ = after[url]
        assert status == status2 == 200, url
        if n2 > n:
            grown[url] = (n, n2)
    assert not grown, f"queries grew with the data (before, after): {grown}"
    if role == "province":  # the list of posts to confirm did grow: 6 → 12
        listing = client.get(reverse("web:confirmations")).content.decode()
        assert "Lộc Thị Huyền" in listing and "Lộc Thị Hạnh" in listing
