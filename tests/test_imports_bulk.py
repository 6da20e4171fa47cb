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


def test_the_import_hands_the_bulk_writer_generators_not_lists(world, tmp_path, settings, monkeypatch):
    """Issue 9 §11 (memory): the people, posts, qualifications and row keys of a commit reach
    :func:`bulk.insert_with_history` as generators consumed a chunk at a time, never as lists
    holding every record; the counts are still right."""
    from pathlib import Path

    from import_lists import good_people, write_list

    from canbo.imports import services, writing

    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr(bulk, "CHUNK", 2)
    given: list[tuple[str, str]] = []
    real = bulk.insert_with_history

    def spy(model, records, **kw):
        given.append((model.__name__, type(records).__name__))
        return real(model, records, **kw)

    monkeypatch.setattr(writing, "insert_with_history", spy)
    user = world.users["province"]
    path = write_list(tmp_path / "ds.xlsx", good_people(number=False))
    batch = services.copy_into_batch(Path(path), world.units.caoloc, date(2024, 12, 31), user)
    preview = services.prepare(batch, user, today=date(2026, 11, 27))
    summary = services.commit(batch, preview, user)
    assert {m for m, _ in given} == {"Person", "ImportedRow", "Assignment", "Qualification"}
    assert all(kind == "generator" for _, kind in given), given
    assert summary["people_created"] == 3 and summary["posts_added"] == 3
    assert (
        summary["qualifications_added"]
        == Qualification.objects.filter(
            person__in=Person.objects.filter(pk__in=preview_people(batch))
        ).count()
    )
    assert summary["qualifications_added"] >= 9


def preview_people(batch):
    from canbo.imports.models import ImportedRow

    return ImportedRow.objects.filter(batch=batch).values_list("person_id", flat=True)


def test_without_keep_ids_the_records_are_written_and_no_ids_returned(units, monkeypatch):
    """The commit writes posts, qualifications and row keys without keeping their ids (a
    200,000-row list has about a million): written all the same, each with its history."""
    monkeypatch.setattr(bulk, "CHUNK", 2)
    person = Person.objects.create(
        family_name="Vi",
        middle_name="Thị",
        given_name="Lan",
        birth_date=date(1985, 3, 4),
        sex="female",
        managing_unit=units.dongdang,
    )
    records = [
        {"person_id": person.pk, "dimension": "it", "level": "basic", "original_text": f"Tin học #{i}"}
        for i in range(5)
    ]
    ids = bulk.insert_with_history(
        Qualification,
        iter(records),
        user_id=None,
        reason="Nhập thử",
        when=datetime(2025, 1, 1, tzinfo=UTC),
        keep_ids=False,
    )
    assert ids == []
    stored = Qualification.objects.filter(person=person)
    assert sorted(stored.values_list("original_text", flat=True)) == [f"Tin học #{i}" for i in range(5)]
    assert Qualification.history.filter(id__in=stored.values("id"), history_type="+").count() == 5


def test_freed_memory_is_given_back_after_reading_on_glibc():
    """After a large workbook is read, prepare() asks glibc to give the heap's free pages back
    (malloc_trim): the call is made where glibc is the C library, and where it is not the
    function says so instead of failing. (The memory effect is measured by bench/import.py.)"""
    import ctypes.util
    import platform

    from canbo.imports.services import release_freed_memory

    on_glibc = platform.libc_ver()[0] == "glibc" and ctypes.util.find_library("c") is not None
    assert release_freed_memory() is on_glibc
