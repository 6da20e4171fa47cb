"""The import's bulk writer (:mod:`canbo.imports.bulk`): records given as a generator are
written one chunk at a time, every one with its history row, ids in the records' order."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from canbo.imports import bulk
from canbo.registry.models import Person, Qualification

pytestmark = pytest.mark.django_db


def test_a_generator_of_records_is_written_in_chunks_each_with_its_history(units, monkeypatch):
    monkeypatch.setattr(bulk, "CHUNK", 3)  # 7 records: chunks of 3, 3 and 1
    person = Person.objects.create(
        family_name="Lò",
        middle_name="Văn",
        given_name="Pấng",
        birth_date=date(1980, 5, 17),
        sex="male",
        managing_unit=units.dongdang,
    )
    pulled: list[int] = []

    def records():
        for i in range(7):
            pulled.append(i)
            yield {
                "person_id": person.pk,
                "dimension": "it",
                "level": "basic",
                "original_text": f"Tin học cơ bản #{i}",
            }

    when = datetime(2025, 1, 15, 8, 30, tzinfo=UTC)
    ids = bulk.insert_with_history(Qualification, records(), user_id=None, reason="Nhập thử", when=when)

    assert pulled == list(range(7))
    assert len(ids) == 7 and len(set(ids)) == 7
    stored = dict(Qualification.objects.filter(pk__in=ids).values_list("pk", "original_text"))
    assert [stored[pk] for pk in ids] == [f"Tin học cơ bản #{i}" for i in range(7)]
    history = Qualification.history.filter(id__in=ids)
    assert history.count() == 7
    assert set(history.values_list("history_type", "history_change_reason")) == {("+", "Nhập thử")}
    assert {h.history_date for h in history} == {when}


def test_an_unknown_field_is_refused_before_anything_is_written(units):
    person = Person.objects.create(
        family_name="Hà",
        middle_name="Thị",
        given_name="Mai",
        birth_date=date(1990, 1, 2),
        sex="female",
        managing_unit=units.dongdang,
    )
    before = Qualification.objects.count()
    with pytest.raises(ValueError, match="unknown fields \\['colour'\\]"):
        bulk.insert_with_history(
            Qualification,
            iter([{"person_id": person.pk, "dimension": "it", "level": "basic", "colour": "xanh"}]),
            user_id=None,
            reason="x",
            when=datetime(2025, 1, 1, tzinfo=UTC),
        )
    assert Qualification.objects.count() == before


def test_no_records_write_nothing():
    assert (
        bulk.insert_with_history(
            Qualification, iter([]), user_id=None, reason="x", when=datetime(2025, 1, 1, tzinfo=UTC)
        )
        == []
    )
