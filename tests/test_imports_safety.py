"""Import commit is safe to repeat and to race (issue 9 §8): the batch is locked and its state
read again inside the commit's transaction; a second commit of a committed batch is refused with
a message; a file that changed between preview and commit is refused; a preview that no longer
matches what the officer saw is refused; a review decision is taken once; one review per batch
row (a database constraint). The two-connection race tests run on PostgreSQL only
(``tests/test_imports_race.py``)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from django.db import IntegrityError, transaction
from import_lists import good_people, person_row, write_list

AS_OF = date(2024, 12, 31)
TODAY = date(2026, 11, 27)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def prepared(path, world, user=None):
    from canbo.imports import services

    user = user or world.users["province"]
    batch = services.copy_into_batch(Path(path), world.units.caoloc, AS_OF, user)
    return batch, services.prepare(batch, user, today=TODAY), user


def people_count():
    from canbo.registry.models import Person

    return Person.objects.count()


def test_a_second_commit_of_a_committed_batch_is_refused_with_a_message(world, tmp_path):
    from canbo.imports import services
    from canbo.imports.models import BatchStatus, ImportBatch

    batch, preview, user = prepared(write_list(tmp_path / "ds.xlsx", good_people()), world)
    services.commit(batch, preview, user)
    after_first = people_count()
    # The same objects again (a double click), and a stale copy of the batch read before the commit.
    stale = ImportBatch.objects.get(pk=batch.pk)
    stale.status = BatchStatus.PREVIEWED
    for target in (batch, stale):
        with pytest.raises(services.NotCommittable) as refused:
            services.commit(target, preview, user)
        assert f"#{batch.pk} đã được ghi" in refused.value.message_vi
        assert "already committed" in refused.value.message_en
    assert people_count() == after_first


def test_preparing_a_committed_batch_again_keeps_it_committed(world, tmp_path):
    from canbo.imports import services
    from canbo.imports.models import BatchStatus

    batch, preview, user = prepared(write_list(tmp_path / "ds.xlsx", good_people()), world)
    services.commit(batch, preview, user)
    again = services.prepare(batch, user, today=TODAY)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.COMMITTED and batch.summary["people_created"] == 3
    with pytest.raises(services.NotCommittable):
        services.commit(batch, again, user)


def test_a_file_changed_between_preview_and_commit_is_refused(world, tmp_path):
    from canbo.imports import services

    batch, preview, user = prepared(write_list(tmp_path / "ds.xlsx", good_people()), world)
    assert preview.ok
    # Someone replaces the kept file after the preview (another list under the same name).
    other = write_list(tmp_path / "other.xlsx", good_people()[:1])
    Path(batch.file.path).write_bytes(other.read_bytes())
    before = people_count()
    with pytest.raises(services.NotCommittable) as refused:
        services.commit(batch, preview, user)
    assert "SHA-256" in refused.value.message_vi and people_count() == before
    # Previewing it again names the problem as an error.
    again = services.prepare(batch, user, today=TODAY)
    assert [p.code for p in again.errors] == ["file_changed"]
    batch.refresh_from_db()
    assert batch.status == "refused"


def test_a_preview_that_is_no_longer_what_was_shown_is_refused(world, tmp_path):
    from canbo.imports import services

    people = good_people()
    first, preview, user = prepared(write_list(tmp_path / "a.xlsx", people), world)
    services.commit(first, preview, user)
    people[0]["ethnic"] = "Kinh"
    batch, shown, user = prepared(write_list(tmp_path / "b.xlsx", people), world)
    fingerprint = batch.summary["fingerprint"]
    assert fingerprint == shown.fingerprint()
    # Meanwhile an officer corrects the same person by hand: the preview is recomputed at commit.
    from canbo.registry.models import Person

    nam = Person.objects.get(identity_number=people[0]["id"])
    nam.home_town = "Lạng Sơn"
    nam.ethnicity = "01"
    nam.save()
    fresh = services.prepare(batch, user, today=TODAY)
    assert fresh.fingerprint() != fingerprint
    with pytest.raises(services.NotCommittable) as refused:
        services.commit(batch, fresh, user, expected=fingerprint)
    assert "đã thay đổi từ lúc xem trước" in refused.value.message_vi
    batch.refresh_from_db()
    assert batch.status == "previewed"


def test_admin_second_commit_says_so(world, tmp_path, client):
    from canbo.imports.models import ImportBatch

    client.force_login(world.users["province"])
    with open(write_list(tmp_path / "ds.xlsx", good_people()), "rb") as fh:
        response = client.post(
            "/admin/imports/importbatch/add/",
            {"file": fh, "unit": world.units.caoloc.pk, "as_of": "31/12/2024"},
        )
    batch = ImportBatch.objects.get()
    html = client.get(response.url).content.decode()
    assert f'name="fingerprint" value="{batch.summary["fingerprint"]}"' in html
    client.post(
        f"/admin/imports/importbatch/{batch.pk}/commit/", {"fingerprint": batch.summary["fingerprint"]}
    )
    created = people_count()
    page = client.post(f"/admin/imports/importbatch/{batch.pk}/commit/", follow=True)
    assert people_count() == created
    assert f"#{batch.pk} đã được ghi vào hồ sơ" in page.content.decode()


def test_a_review_decision_is_taken_once(world, tmp_path):
    from canbo.imports import services
    from canbo.imports.models import ImportReview, ReviewDecision

    existing = world.people["baolam"]
    row = person_row(
        "Lộc", "Thị", "Huyền", existing.birth_date, "female", "Bảo Lâm", "Phó Chủ tịch UBND", number=False
    )
    batch, preview, user = prepared(write_list(tmp_path / "ds.xlsx", [row]), world)
    services.commit(batch, preview, user)
    review = ImportReview.objects.get()
    stale = ImportReview.objects.get(
        pk=review.pk
    )  # the second officer's page, loaded before the first decided
    services.apply_review(review, ReviewDecision.SAME_PERSON, user)
    before = people_count()
    with pytest.raises(services.NotCommittable) as refused:
        services.apply_review(stale, ReviewDecision.NEW_PERSON, world.users["caoloc"])
    assert "đã được xử lý" in refused.value.message_vi and people_count() == before
    review.refresh_from_db()
    assert review.decision == ReviewDecision.SAME_PERSON and review.decided_by == user


def test_one_review_per_batch_row_is_a_database_constraint(world, tmp_path):
    from canbo.imports import services
    from canbo.imports.models import ImportReview

    existing = world.people["baolam"]
    row = person_row(
        "Lộc", "Thị", "Huyền", existing.birth_date, "female", "Bảo Lâm", "Phó Chủ tịch UBND", number=False
    )
    batch, preview, user = prepared(write_list(tmp_path / "ds.xlsx", [row]), world)
    services.commit(batch, preview, user)
    review = ImportReview.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        ImportReview.objects.create(
            batch=review.batch,
            row=review.row,
            unit=review.unit,
            full_name="x",
            candidate=review.candidate,
            data={},
        )
    assert ImportReview.objects.filter(batch=review.batch, row=review.row).count() == 1
