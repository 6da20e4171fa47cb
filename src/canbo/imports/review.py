"""Import review: a row held for review kept as JSON, and an officer's decision on it
(same person: update the candidate; new person: create one), through the import's own code."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from canbo.access import scope
from canbo.core.importing.model import (
    PersonRow,
)
from canbo.registry.models import (
    Person,
)

from .bulk import lock
from .matching import Decision, _changes, _row_values
from .models import ImportReview, ReviewDecision
from .writing import NotCommittable, _derive, _Writer

_ROW_DATES = ("birth_date", "party_joined_on", "party_official_on", "post_start")


def row_to_json(r: PersonRow) -> dict:
    """A row as kept on an :class:`ImportReview` (dates as ISO text): every field the reader
    gave, so that a decision applies the row exactly as read."""
    from dataclasses import fields as dataclass_fields

    def d(v):
        return v.isoformat() if isinstance(v, date) else v

    data = {
        f.name: d(getattr(r, f.name))
        for f in dataclass_fields(r)
        if f.name not in ("qualifications", "problems")
    }
    data["extra"] = dict(getattr(r, "extra", None) or {})
    data["qualifications"] = [
        {
            "dimension": q.dimension,
            "level": q.level,
            "field_of_study": q.field_of_study,
            "study_mode": q.study_mode,
            "is_remedial": q.is_remedial,
            "obtained_on": d(q.obtained_on),
            "original_text": q.original_text,
            "column": q.column,
            "confidence": q.confidence,
        }
        for q in r.qualifications
    ]
    return data


def row_from_json(data: dict) -> PersonRow:
    from canbo.core.importing.model import QualificationRow

    def d(v):
        return date.fromisoformat(v) if v else None

    known = PersonRow.__dataclass_fields__
    quals = [
        QualificationRow(**{**q, "obtained_on": d(q.get("obtained_on"))})
        for q in data.get("qualifications", [])
    ]
    fields = {k: v for k, v in data.items() if k in known and k not in ("qualifications", "problems")}
    for k in _ROW_DATES:
        if k in fields:
            fields[k] = d(fields.get(k))
    return PersonRow(**fields, qualifications=quals)


def apply_review(review: ImportReview, decision: str, user) -> Person:
    """Apply a held row: ``same_person`` updates the candidate with the row's values (and adds
    its post and qualifications), ``new_person`` creates a new person from it. One transaction;
    the user must be allowed to change records of the review's unit. The review row is locked
    and its decision read again inside the transaction, so that when two officers decide at
    once exactly one decision is taken; the other is refused with who decided and when."""
    if decision not in (ReviewDecision.SAME_PERSON, ReviewDecision.NEW_PERSON):
        raise ValueError(decision)
    if not scope.can(user, scope.CHANGE, review.candidate) or not scope.can(user, scope.CHANGE, review):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied("Hồ sơ nằm ngoài phạm vi được phân quyền của bạn.")
    reason = f"Xem xét dòng {review.row} của lần nhập #{review.batch_id}"
    with transaction.atomic():
        lock(ImportReview, review.pk)  # SQLite: the write lock before reading the decision
        current = ImportReview.objects.select_for_update().get(pk=review.pk)
        if current.decision != ReviewDecision.PENDING:
            who = str(current.decided_by) if current.decided_by_id else "…"
            when = (
                timezone.localtime(current.decided_at).strftime("%d/%m/%Y %H:%M")
                if current.decided_at
                else "…"
            )
            raise NotCommittable(
                f"Dòng {current.row} của lần nhập #{current.batch_id} đã được xử lý ({who}, {when}).",
                f"Row {current.row} of import #{current.batch_id} was already decided ({who}, {when}).",
            )
        review = current
        row = row_from_json(review.data)
        writer = _Writer(review.batch, user, reason, lambda _m: None)
        writer.load_units([row])
        uid = review.unit_id
        if decision == ReviewDecision.SAME_PERSON:
            person = Person.objects.select_for_update().get(pk=review.candidate_id)
            d = Decision(row, "update", person.pk, changes=_changes(person, row, uid))
            if d.changes:
                writer._update([d])
        else:
            person = Person(**_row_values(row, uid))
            _derive(person)
            person._history_user = user  # type: ignore[attr-defined]  # django-simple-history's hooks
            person._change_reason = reason  # type: ignore[attr-defined]
            person.save()
            d = Decision(row, "create", person.pk)
        writer._posts_and_qualifications([d])
        review.decision = decision
        review.person = person
        review.decided_by = user
        review.decided_at = timezone.now()
        review._history_user = user  # type: ignore[attr-defined]
        review.save()
    return person
