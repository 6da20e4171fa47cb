"""The findings kept between requests for the people list filtered by verdict
(:data:`canbo.web.people_query._MEMO`, issue 11 §5): per date and data stamp, so that the list
of a province does not evaluate the province again at each request — and never a stale verdict:
an edit through the ORM, an import's bulk insert, a provincial decision, rules read again or
another date each give the verdicts of the data as they are. The population and its verdicts on
01/10/2025 are those of tests/test_web_people.py (binh: an intermediate law degree, not met)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from test_web_people import ON, listed, population  # noqa: F401 - the fixture

from canbo.web import people_query as pq

pytestmark = pytest.mark.django_db


def names(population, ids) -> set[str]:
    by_pk = {p.pk: k for k, p in population.items()}
    return {by_pk.get(pk, f"other:{pk}") for pk in ids}


def not_met(world, population, on=ON) -> set[str]:
    result = pq.run(world.users["dongdang"], {"on": on, "status": "not_met"})
    # the ordered ids (what the page shows) are the queryset's people, in its order
    assert list(result.ordered_ids) == list(result.queryset.values_list("pk", flat=True))
    assert result.count() == result.queryset.count()
    return names(population, result.ordered_ids)


def university_law(person_id: int) -> dict:
    return {
        "person_id": person_id,
        "dimension": "professional",
        "level": "university",
        "field_of_study": "law",
        "obtained_on": date(2012, 6, 30),
        "original_text": "Cử nhân luật",
    }


def test_the_findings_are_kept_and_read_again(world, population):
    assert not_met(world, population) == {"binh", "dung"}
    assert len(pq._MEMO) == 1
    ((on, _stamp), (covered, _frame)) = next(iter(pq._MEMO.items()))
    assert on == date(2025, 10, 1) and {population[k].pk for k in ("anh", "binh", "dung", "duc")} <= covered
    # read again: nothing evaluated (the engine is not run)
    calls = []
    original = pq._evaluate_people
    pq._evaluate_people = lambda ids, on: calls.append(ids) or original(ids, on)
    try:
        assert not_met(world, population) == {"binh", "dung"}
        assert list(pq.run(world.users["dongdang"], {"on": ON, "status": "met"}).ordered_ids) == [
            population["anh"].pk
        ]
    finally:
        pq._evaluate_people = original
    assert calls == []


def test_an_edit_is_seen(world, population):
    from canbo.registry.models import Qualification

    assert not_met(world, population) == {"binh", "dung"}
    Qualification.objects.create(**university_law(population["binh"].pk))
    assert not_met(world, population) == {"dung"}


def test_an_import_is_seen(world, population):
    from canbo.imports import bulk
    from canbo.registry.models import Qualification

    assert not_met(world, population) == {"binh", "dung"}
    bulk.insert_with_history(
        Qualification,
        iter([university_law(population["binh"].pk)]),
        user_id=None,
        reason="Nhập thử",
        when=datetime(2025, 11, 1, tzinfo=UTC),
    )
    assert not_met(world, population) == {"dung"}


def test_a_deletion_is_seen(world, population):
    from canbo.registry.models import Assignment

    assert not_met(world, population) == {"binh", "dung"}
    Assignment.objects.get(person=population["dung"]).delete()
    assert not_met(world, population) == {"binh"}


def test_rules_read_again_make_a_new_stamp(world, population):
    """Rules read again (their files changed) make a new data stamp — even if the new rule set
    lands at the address of the forgotten one — so the verdicts are evaluated again."""
    from canbo.standards import rules_cache
    from canbo.web.dashboard_data import data_stamp

    before = data_stamp()
    assert not_met(world, population) == {"binh", "dung"}
    rules_cache.clear_cache()
    assert data_stamp() != before
    assert not_met(world, population) == {"binh", "dung"}
    assert len(pq._MEMO) == 2


def test_a_provincial_decision_is_seen(world, population):
    """The province accepts only economics for CV_TP (stricter than the law's "law"): Ánh's law
    degree and Thắng's no longer match the field of study."""
    from canbo.standards.models import ProvincialDecision

    assert not_met(world, population) == {"binh", "dung"}
    ProvincialDecision.objects.create(
        province=world.units.p20,
        kind="accepted_fields",
        title=world.titles["CV_TP"],
        dimension="professional",
        accepted_fields=["economics"],
        decision_number="Quyết định số 7/2025/QĐ-UBND ngày 01/07/2025",
        valid_from=date(2025, 7, 1),
    )
    assert not_met(world, population) == {"anh", "binh", "dung", "thang"}


def test_another_date_has_its_own_verdicts(world, population):
    """The posts began on 01/07/2025: on 01/10/2025 binh and dung are not met, on 01/06/2025
    nobody of the population holds a post (no verdict) — each date its own findings."""
    assert not_met(world, population) == {"binh", "dung"}
    assert not_met(world, population, on="01/06/2025") == set()
    assert not_met(world, population) == {"binh", "dung"}
    assert {on for on, _stamp in pq._MEMO} == {date(2025, 10, 1), date(2025, 6, 1)}


def test_the_page_by_verdict_pages_in_order(client, world, population):
    client.force_login(world.users["dongdang"])
    first = listed(client.get("/people/", {"on": ON, "status": "not_met", "size": "1"}))
    second = listed(client.get("/people/", {"on": ON, "status": "not_met", "size": "1", "page": "2"}))
    assert first + second == [population["binh"].pk, population["dung"].pk]
    response = client.get("/people/", {"on": ON, "status": "not_met", "size": "1", "page": "2"})
    assert "2 người" in response.content.decode()
