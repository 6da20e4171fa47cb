"""Two officers at once, on PostgreSQL with two real connections (issue 9 §8): each thread has
its own database connection (Django's connections are per thread), the test runs without the
per-test transaction (``transaction=True``) so that each thread's transaction really commits,
and a barrier releases both threads at the same moment. Skipped on SQLite, whose single writer
makes the race impossible by construction (the SQLite path is tested in
``tests/test_imports_safety.py``)."""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path

import pytest
from django.db import connection, connections
from import_lists import good_people, person_row, write_list

AS_OF = date(2024, 12, 31)
TODAY = date(2026, 11, 27)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        "not __import__('os').environ.get('DATABASE_URL', '').startswith('postgres')",
        reason="two concurrent connections: PostgreSQL only",
    ),
]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def place(transactional_db):
    """The units of Lạng Sơn, the titles and one province officer, committed (visible to
    every connection)."""
    from canbo.access.models import Role, User
    from canbo.registry.models import Unit
    from canbo.registry.reference import load_reference

    assert connection.vendor == "postgresql"
    load_reference({20})
    province = Unit.objects.get(code="20", level="province", valid_to__isnull=True)
    caoloc = Unit.objects.get(code="183", level="district", valid_to=date(2025, 6, 30))
    officers = [
        User.objects.create(
            username=f"sonoivu{i}", role=Role.PROVINCE_OFFICER, scope_unit=province, is_staff=True
        )
        for i in (1, 2)
    ]
    return caoloc, officers


def race(*jobs):
    """Run each job in its own thread (its own connection), all released at once; return
    each job's result or the exception it raised."""
    barrier = threading.Barrier(len(jobs))
    results: list = [None] * len(jobs)

    def run(i, job):
        try:
            results[i] = job(barrier)
        except Exception as e:  # noqa: BLE001 — the outcome under test
            results[i] = e
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


def test_two_officers_commit_the_same_batch_at_once_and_it_is_written_once(place, tmp_path):
    from canbo.imports import services
    from canbo.imports.models import BatchStatus, ImportBatch
    from canbo.registry.models import Assignment, Person

    caoloc, officers = place
    path = write_list(tmp_path / "ds.xlsx", good_people())
    batch = services.copy_into_batch(Path(path), caoloc, AS_OF, officers[0])

    def commit_as(user):
        def job(barrier):
            mine = ImportBatch.objects.get(pk=batch.pk)
            preview = services.prepare(mine, user, today=TODAY)
            assert preview.ok and mine.status == BatchStatus.PREVIEWED
            barrier.wait(30)
            return services.commit(mine, preview, user)

        return job

    results = race(commit_as(officers[0]), commit_as(officers[1]))
    refused = [r for r in results if isinstance(r, services.NotCommittable)]
    done = [r for r in results if isinstance(r, dict)]
    assert len(done) == 1 and len(refused) == 1, results
    assert "đã được ghi vào hồ sơ" in refused[0].message_vi
    assert Person.objects.count() == 3 and Assignment.objects.count() == 3
    assert Person.history.count() == 3
    batch.refresh_from_db()
    assert batch.status == BatchStatus.COMMITTED and batch.committed_by in officers


def test_two_officers_decide_the_same_review_at_once_and_one_decision_is_taken(place, tmp_path):
    from canbo.imports import services
    from canbo.imports.models import ImportReview, ReviewDecision
    from canbo.registry.models import Person

    caoloc, officers = place
    # A person on file without an ID number, then a list naming her again without one: held for review.
    first = write_list(
        tmp_path / "a.xlsx",
        [
            person_row(
                "Lộc", "Thị", "Huyền", date(1980, 3, 2), "female", "Bảo Lâm", "Chủ tịch UBND", number=False
            )
        ],
    )
    batch = services.copy_into_batch(Path(first), caoloc, AS_OF, officers[0])
    services.commit(batch, services.prepare(batch, officers[0], today=TODAY), officers[0])
    second = write_list(
        tmp_path / "b.xlsx",
        [
            person_row(
                "Lộc",
                "Thị",
                "Huyền",
                date(1980, 3, 2),
                "female",
                "Xã Bảo Lâm",
                "Phó Chủ tịch UBND",
                number=False,
            )
        ],
    )
    from canbo.imports.models import ImportedRow

    ImportedRow.objects.all().delete()  # as if the first list had been typed in by hand
    batch = services.copy_into_batch(Path(second), caoloc, AS_OF, officers[0])
    services.commit(batch, services.prepare(batch, officers[0], today=TODAY), officers[0])
    review = ImportReview.objects.get()
    people = Person.objects.count()

    def decide(user, decision):
        def job(barrier):
            mine = ImportReview.objects.get(pk=review.pk)
            barrier.wait(30)
            return services.apply_review(mine, decision, user)

        return job

    results = race(
        decide(officers[0], ReviewDecision.SAME_PERSON), decide(officers[1], ReviewDecision.NEW_PERSON)
    )
    refused = [r for r in results if isinstance(r, services.NotCommittable)]
    taken = [r for r in results if isinstance(r, Person)]
    assert len(taken) == 1 and len(refused) == 1, results
    assert "đã được xử lý" in refused[0].message_vi
    review.refresh_from_db()
    assert review.decision != ReviewDecision.PENDING and review.person_id == taken[0].pk
    # Exactly the one decision's effect: a new person only if "new person" won.
    assert Person.objects.count() == people + (1 if review.decision == ReviewDecision.NEW_PERSON else 0)
    assert (
        review.history.filter(decision__in=[ReviewDecision.SAME_PERSON, ReviewDecision.NEW_PERSON]).count()
        == 1
    )


def test_two_connections_cannot_both_hold_a_review_of_one_row(place, tmp_path):
    from django.db import IntegrityError

    from canbo.imports import services
    from canbo.imports.models import ImportBatch, ImportReview
    from canbo.registry.models import Person

    caoloc, officers = place
    path = write_list(tmp_path / "a.xlsx", good_people()[:1])
    batch = services.copy_into_batch(Path(path), caoloc, AS_OF, officers[0])
    services.commit(batch, services.prepare(batch, officers[0], today=TODAY), officers[0])
    person = Person.objects.get()

    def hold(barrier):
        barrier.wait(30)
        return ImportReview.objects.create(
            batch=ImportBatch.objects.get(pk=batch.pk),
            row=8,
            unit=person.managing_unit,
            full_name=person.full_name,
            candidate=person,
            data={},
        )

    results = race(hold, hold)
    assert sum(isinstance(r, ImportReview) for r in results) == 1, results
    assert sum(isinstance(r, IntegrityError) for r in results) == 1, results
    assert ImportReview.objects.filter(batch=batch, row=8).count() == 1
