"""Import writing: the commit of a preview — one transaction, bulk writes with their history
entries, exactly what the preview showed (:mod:`canbo.imports.services` has the rules)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from canbo.core.importing.model import (
    PersonRow,
    Problem,
)
from canbo.core.text import fold, name_sort_string
from canbo.registry.models import (
    Assignment,
    AssignmentEnd,
    Person,
    Qualification,
    Title,
    Unit,
)

from .bulk import insert_with_history, lock
from .matching import Decision, Preview, Progress, _chunks, _row_values, _Units
from .models import BatchStatus, ImportBatch, ImportedRow, ImportReview, sha256_of


def _file_changed(batch: ImportBatch) -> Problem:
    return Problem(
        "file_changed",
        f"Tệp “{batch.original_name}” đã bị thay đổi sau khi tải lên (mã băm SHA-256 không còn khớp); "
        "không ghi gì. Hãy tải tệp lên lại.",
        f"The file “{batch.original_name}” changed after it was uploaded (its SHA-256 hash no longer matches); "
        "nothing was written. Upload it again.",
    )


def stored_file_hash(batch: ImportBatch) -> str:
    """The SHA-256 of the batch's kept file as it is now."""
    with batch.file.open("rb") as fh:
        return sha256_of(fh)


class NotCommittable(Exception):
    """The preview has errors, the batch was committed already, its file changed or the records
    changed since the preview: nothing is written. The message says which, in Vietnamese
    (``message_en`` in English)."""

    def __init__(self, message_vi: str, message_en: str = ""):
        super().__init__(message_vi)
        self.message_vi = message_vi
        self.message_en = message_en or message_vi


def _already_committed(batch: ImportBatch) -> NotCommittable:
    who = str(batch.committed_by) if batch.committed_by_id else "(dòng lệnh)"
    when = timezone.localtime(batch.committed_at).strftime("%d/%m/%Y %H:%M") if batch.committed_at else "…"
    return NotCommittable(
        f"Lần nhập #{batch.pk} đã được ghi vào hồ sơ ({who}, {when}); không ghi lần thứ hai.",
        f"Import #{batch.pk} was already committed ({who}, {when}); it is not written twice.",
    )


def commit(
    batch: ImportBatch,
    preview: Preview,
    user,
    *,
    progress: Progress | None = None,
    expected: str | None = None,
) -> dict[str, int]:
    """Write the preview's decisions in one transaction; return the counts. Rows held for
    review are stored as :class:`ImportReview` records; nothing else of theirs is written.

    Safe to repeat and to race (issue 9 §8): inside the transaction the batch row is locked
    (``select_for_update``; on SQLite the database's write lock) and its state read again — a
    batch already committed is refused with a message, and so is one whose kept file no longer
    has the hash it was uploaded with, or (``expected``: the fingerprint of the preview the
    officer saw) one whose preview is no longer what was shown."""
    say = progress or (lambda _m: None)
    if not preview.ok:
        raise NotCommittable(
            "Tệp còn lỗi; chưa ghi gì vào hồ sơ.", "The file has errors; nothing was written."
        )
    actor = user if getattr(user, "pk", None) else None
    reason = f"Nhập danh sách “{batch.original_name}” (lần nhập #{batch.pk})"
    say("Ghi vào hồ sơ (tất cả hoặc không gì)…")
    with transaction.atomic():
        lock(ImportBatch, batch.pk)  # SQLite: the write lock first, so the state read next is current
        locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if locked.status == BatchStatus.COMMITTED:
            raise _already_committed(locked)
        if locked.status != BatchStatus.PREVIEWED:
            raise NotCommittable(
                "Tệp còn lỗi; chưa ghi gì vào hồ sơ.", "The file has errors; nothing was written."
            )
        if stored_file_hash(locked) != locked.sha256:
            p = _file_changed(locked)
            raise NotCommittable(p.message_vi, p.message_en)
        if expected is not None and expected != preview.fingerprint():
            raise NotCommittable(
                "Hồ sơ hoặc tệp đã thay đổi từ lúc xem trước; chưa ghi gì. Hãy xem lại bản xem trước mới rồi ghi.",
                "The records or the file changed since the preview; nothing was written. Check the new preview, "
                "then commit.",
            )
        writer = _Writer(locked, actor, reason, say)
        writer.write(preview.decisions)
        locked.status = BatchStatus.COMMITTED
        locked.committed_by = actor
        locked.committed_at = timezone.now()
        locked.summary = {**locked.summary, **preview.counts(), **writer.counts}
        locked.save(update_fields=["status", "committed_by", "committed_at", "summary"])
    batch.status, batch.committed_by, batch.committed_at, batch.summary = (
        locked.status,
        locked.committed_by,
        locked.committed_at,
        locked.summary,
    )
    return batch.summary


class _Writer:
    """Bulk writes of one commit, each with its history entries (who, when, the batch)."""

    def __init__(self, batch: ImportBatch, user, reason: str, say: Progress):
        self.batch, self.user, self.reason, self.say = batch, user, reason, say
        self.counts = {
            "people_created": 0,
            "people_updated": 0,
            "posts_added": 0,
            "qualifications_added": 0,
            "posts_ended": 0,
            "held_for_review": 0,
        }
        self._units: _Units | None = None
        self._titles = {t.code: t for t in Title.objects.all()}
        self.when = timezone.now()
        self.created_ids: set[int] = set()

    def unit(self, row: PersonRow) -> Unit | None:
        """The row's commune, in force on the post's start (or the list's date)."""
        if not row.unit_code or self._units is None:
            return None
        return self._units.on(row.unit_code, row.post_start or self.batch.as_of)

    def load_units(self, rows: list[PersonRow]) -> None:
        self._units = _Units(r.unit_code for r in rows)

    def _history(self) -> dict:
        return {"default_user": self.user, "default_change_reason": self.reason}

    def _insert(self, model, records: Iterable[dict], *, keep_ids: bool = True) -> list[int]:
        return insert_with_history(
            model,
            records,
            user_id=getattr(self.user, "pk", None),
            reason=self.reason,
            when=self.when,
            keep_ids=keep_ids,
        )

    def write(self, decisions: list[Decision]) -> None:
        self.load_units([d.row for d in decisions])
        lock(ImportBatch, self.batch.pk)

        def uid(row: PersonRow) -> int | None:
            u = self.unit(row)
            return u.pk if u else None

        # 1. People: create, update. The records are generated, not listed (the bulk writer
        # consumes them a chunk at a time); only the new ids are kept, counted as they go.
        created: list[str] = []

        def people():
            for d in decisions:
                if d.action == "create":
                    values = _row_values(d.row, uid(d.row))
                    values["name_folded"] = d.folded or fold(d.row.full_name)
                    values["sort_name"] = name_sort_string(
                        d.row.family_name, d.row.middle_name, d.row.given_name
                    )
                    created.append(d.row.identity_number or d.key)
                    yield values

        to_create = sum(1 for d in decisions if d.action == "create")
        if to_create:
            self.say(f"Tạo {to_create} hồ sơ mới…")
        created_for = dict(zip(created, self._insert(Person, people()), strict=True))
        self.created_ids = set(created_for.values())
        self.counts["people_created"] = len(created)
        # Field changes are written to the person; a person whose only change is a new
        # qualification or post is counted as updated but gets no empty history entry.
        self._update([d for d in decisions if d.action == "update" and d.changes])
        self.counts["people_updated"] = len({d.person_id for d in decisions if d.action == "update"})
        for d in decisions:
            if d.action in ("create", "same_as_above"):
                d.person_id = created_for[d.row.identity_number or d.key]
        # 2. Keys of rows without ID numbers (so that re-importing finds them again).
        self._insert(
            ImportedRow,
            (
                {"batch_id": self.batch.pk, "row": d.row.row, "key": d.key, "person_id": d.person_id}
                for d in decisions
                if (d.action in ("create", "same_as_above") or d.link)
                and d.person_id
                and not d.row.identity_number
            ),
            keep_ids=False,
        )
        # 3. Posts and qualifications of every row that names a person.
        self._posts_and_qualifications([d for d in decisions if d.person_id])
        # 4. Rows held for review (few; JSON data: the ordinary bulk path).
        from .review import row_to_json  # the review module builds on this one

        reviews = [
            ImportReview(  # type: ignore[misc]  # a held row always names its unit and candidate
                batch=self.batch,
                row=d.row.row,
                unit_id=uid(d.row),
                full_name=d.row.full_name,
                candidate_id=d.candidate_id,
                data=row_to_json(d.row),
                reason=d.reason,
            )
            for d in decisions
            if d.action == "review"
        ]
        if reviews:
            bulk_create_with_history(reviews, ImportReview, batch_size=2000, **self._history())
        self.counts["held_for_review"] = len(reviews)

    def _update(self, decisions: list[Decision]) -> int:
        if not decisions:
            return 0
        self.say(f"Cập nhật {len(decisions)} hồ sơ…")
        people = {
            p.pk: p
            for chunk in _chunks([d.person_id for d in decisions])
            for p in Person.objects.filter(pk__in=chunk)
        }
        fields: set[str] = set()
        for d in decisions:
            p = people[d.person_id]  # type: ignore[index]  # an update names its person
            for name, (_before, after) in d.changes.items():
                setattr(p, name, after)
                fields.add(name)
            _derive(p)
        fields |= {"name_folded", "sort_name"}
        bulk_update_with_history(
            list(people.values()), Person, sorted(fields), batch_size=2000, **self._history()
        )
        return len(people)

    def _posts_and_qualifications(self, decisions: list[Decision]) -> None:
        # People created by this commit have no posts or qualifications on record yet; for the
        # people on record the preview decided what to add and end (Decision.planned): applied
        # as shown, nothing else.
        person_ids = sorted(
            {d.person_id for d in decisions if d.person_id and not d.planned} - self.created_ids
        )
        held: set[tuple] = set()
        have: set[tuple] = set()
        for chunk in _chunks(person_ids):
            held.update(
                Assignment.objects.filter(person_id__in=chunk).values_list("person_id", "unit_id", "title_id")
            )
            have.update(
                Qualification.objects.filter(person_id__in=chunk).values_list(
                    "person_id", "dimension", "level", "field_of_study"
                )
            )
        # Generated, not listed: the bulk writer takes a chunk at a time (a 200,000-row list
        # gives about a million qualifications); counted as they go.
        n = {"posts": 0, "quals": 0}

        def posts() -> Iterator[dict]:
            for d in decisions:
                r = d.row
                unit = self.unit(r)
                title = self._titles.get(r.title_code) if r.title_code else None
                if d.planned and not d.post_added:
                    continue
                if unit and title and (d.planned or (d.person_id, unit.pk, title.pk) not in held):
                    held.add((d.person_id, unit.pk, title.pk))
                    start = r.post_start or self.batch.as_of
                    end = end_reason = None
                    if unit.valid_to and unit.valid_to >= start:
                        end, end_reason = unit.valid_to, AssignmentEnd.UNIT_MERGED.value
                    n["posts"] += 1
                    yield {
                        "person_id": d.person_id,
                        "unit_id": unit.pk,
                        "title_id": title.pk,
                        "start": start,
                        "end": end,
                        "end_reason": end_reason or "",
                        "start_reason": "",
                    }

        def quals() -> Iterator[dict]:
            for d in decisions:
                for q in d.quals_added if d.planned else d.row.qualifications:
                    k = (d.person_id, q.dimension, q.level, q.field_of_study or "")
                    if k in have and not d.planned:
                        continue
                    have.add(k)
                    n["quals"] += 1
                    yield {
                        "person_id": d.person_id,
                        "dimension": q.dimension,
                        "level": q.level,
                        "field_of_study": q.field_of_study or "",
                        "study_mode": q.study_mode or "",
                        "is_remedial": q.is_remedial,
                        "obtained_on": q.obtained_on,
                        "original_text": (q.original_text or "")[:300],
                    }

        if decisions:
            self.say("Ghi quá trình công tác…")
        self._insert(Assignment, posts(), keep_ids=False)
        if decisions:
            self.say("Ghi trình độ, văn bằng…")
        self._insert(Qualification, quals(), keep_ids=False)
        self.counts["posts_added"] = n["posts"]
        self.counts["qualifications_added"] = n["quals"]
        self._end_posts([e for d in decisions for e in d.posts_ended])

    def _end_posts(self, ended: list[dict]) -> None:
        """End the posts the preview showed as ended (end date and reason), with history."""
        if not ended:
            return
        self.say(f"Kết thúc {len(ended)} chức danh…")
        by_id = {e["id"]: e for e in ended}
        posts = list(Assignment.objects.filter(pk__in=list(by_id)))
        for a in posts:
            a.end, a.end_reason = by_id[a.pk]["end"], by_id[a.pk]["end_reason"]
        bulk_update_with_history(posts, Assignment, ["end", "end_reason"], batch_size=2000, **self._history())
        self.counts["posts_ended"] = len(posts)


def _derive(p: Person) -> None:
    """What :meth:`Person.save` derives, for bulk writes that bypass it."""
    p.name_folded = fold(p.full_name)
    p.sort_name = name_sort_string(p.family_name, p.middle_name, p.given_name)
    if p.identity_number == "":
        p.identity_number = None
