"""Importing an Excel list: read and validate (the pure core), match the rows to the people on
record, preview, then commit all or nothing.

    file → canbo.core.importing.read_list (every problem, by sheet/row/column)
         → match (ID number; else name + birth date + unit, held for review)
         → Preview (counts, problems)            — nothing written yet
         → commit (one transaction, bulk writes with their history entries)

The admin page and ``canbo import`` both call :func:`prepare` and :func:`commit`; the review
decisions call :func:`apply_review`. The work is split along its seams, each re-exported here:
:mod:`~canbo.imports.matching` (who each row is and what would change: ``_match``,
``_changes``), :mod:`~canbo.imports.writing` (:func:`commit`, the bulk writer) and
:mod:`~canbo.imports.review` (:func:`apply_review`, ``row_to_json``, ``row_from_json``). Rules (issue 4 §2, DESIGN.md principle 6):

* **Match by ID number.** A row whose ID number is on record updates that person. Else a
  row whose key (folded full name, birth date, unit) an earlier import recorded
  (:class:`~canbo.imports.models.ImportedRow`) updates the person that import wrote — which
  is what makes re-importing a list without ID numbers change nothing, and a later list that
  adds the ID numbers update those people. Else a person on record with the same folded name
  (case, diacritics and the place of the tone mark do not count) in the row's unit whose birth
  date is compatible with the row's at the coarser precision (1980 on record, 17/05/1980 in
  the list): when an earlier import wrote that person (the same row key but for the date's
  precision) and no two ID numbers disagree, it is that person; otherwise the row is *held
  for review* (:class:`~canbo.imports.models.ImportReview`, with the reason), never merged
  silently and never created a second time (issue 9 §1).
* **Every field compared.** A matched row is compared with the record field by field and
  each difference is a change *old → new* in the preview: an ID number added (a row key or
  namesake match whose ID number is new is an update, never a second person — but an ID
  number on record is never replaced: a different one sends the row to review), sex or
  ethnicity corrected, Party membership and its dates, a year-only birth date completed. A
  name part written the same but for case or tone-mark place ("NGUYỄN"/"Nguyễn",
  "Hoà"/"Hòa"), or typed without diacritics, is no change.
* **A hand-entered value is never overwritten silently.** A field an officer changed by hand
  (a history entry whose change reason is not an import's) after an import had written the
  person, which the list now contradicts, sends the row to review with both values; the
  other rows proceed (``matching._hand_entered``, one history query per chunk of people).
* **Nothing is lost or deleted.** Only the values a row gives are written; an empty cell never
  blanks a stored value; people missing from the list are not touched; a coarser birth date
  (a year) never replaces a finer one of the same year. Posts and qualifications are added
  when not already on record (same unit and title; same dimension, level and field).
* **All or nothing.** Any error — in the file, or a row naming a unit outside the user's
  scope — and nothing is written. The writes happen in one transaction; every created or
  changed person, post and qualification gets its history entry (who, when, the batch).
"""

from __future__ import annotations

import ctypes
import hashlib
from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.utils import timezone
from django.utils.translation import gettext_lazy

from canbo.access import scope
from canbo.core.importing.model import (
    ImportContext,
    ImportPlan,
    ImportRefused,
    Problem,
    TitleRef,
    UnitRef,
)
from canbo.registry.models import (
    Title,
    Unit,
    UnitLevel,
)

from .matching import (
    CHUNK,
    DATED_FIELDS,
    PERSON_FIELDS,
    Decision,
    Preview,
    Progress,
    _changes,
    _chunks,
    _match,
    _row_values,
    _Units,
    field_label,
    qualification_label,
    row_key,
    shown_value,
)
from .models import BatchStatus, ImportBatch, sha256_of
from .review import apply_review, row_from_json, row_to_json
from .writing import NotCommittable, _already_committed, _file_changed, commit, stored_file_hash

__all__ = ["Decision", "Preview", "apply_review", "commit", "context_for", "prepare", "store_upload"]

#: The counts of a preview (Preview.counts) and of a commit (commit's result), as shown by the
#: admin page and ``canbo import``.
COUNT_LABELS = {
    "rows": gettext_lazy("Số dòng hợp lệ"),
    "create": gettext_lazy("Tạo hồ sơ mới"),
    "same_as_above": gettext_lazy("Thêm chức danh cho người ở dòng trên"),
    "update": gettext_lazy("Cập nhật hồ sơ có sẵn"),
    "unchanged": gettext_lazy("Không thay đổi"),
    "review": gettext_lazy("Cần xem xét (có thể trùng)"),
    "errors": gettext_lazy("Lỗi"),
    "warnings": gettext_lazy("Cảnh báo"),
    "people_created": gettext_lazy("Hồ sơ đã tạo"),
    "people_updated": gettext_lazy("Hồ sơ đã cập nhật"),
    "posts_added": gettext_lazy("Quá trình công tác đã thêm"),
    "qualifications_added": gettext_lazy("Trình độ đã thêm"),
    "posts_ended": gettext_lazy("Chức danh đã kết thúc"),
    "held_for_review": gettext_lazy("Dòng chờ xem xét"),
}
PREVIEW_COUNTS = ("rows", "create", "same_as_above", "update", "unchanged", "review", "errors", "warnings")
WRITTEN_COUNTS = (
    "people_created",
    "people_updated",
    "posts_added",
    "qualifications_added",
    "posts_ended",
    "held_for_review",
)

#: Problems kept on the batch record (the preview pages through them; the rest are counted).
STORED_PROBLEMS = 5000


# --------------------------------------------------------------------------- context


def context_for(unit: Unit, as_of: date, *, today: date | None = None) -> ImportContext:
    """The reader's context for a list of ``unit``: the commune-level units of its subtree
    (and of the units merged into it), every title of the catalogue, the as-of date."""
    ids = scope.expand_scope([unit.pk])
    communes = Unit.objects.filter(pk__in=ids, level=UnitLevel.COMMUNE).select_related("parent")
    units = tuple(
        UnitRef(u.code, u.name, u.valid_from, u.valid_to, u.parent.name if u.parent is not None else "")
        for u in communes
    )
    titles = tuple(TitleRef(t.code, t.name, t.valid_from, t.valid_to) for t in Title.objects.all())
    default = unit.code if unit.level == UnitLevel.COMMUNE else None
    return ImportContext(
        units=units,
        titles=titles,
        as_of=as_of,
        today=today or timezone.localdate(),
        default_unit=default,
        unit_name=unit.name,
        max_rows=getattr(settings, "CANBO_IMPORT_MAX_ROWS", 300_000),
        max_bytes=getattr(settings, "CANBO_IMPORT_MAX_BYTES", 40 * 1024 * 1024),
    )


# --------------------------------------------------------------------------- upload


def store_upload(
    fileobj, name: str, unit: Unit, as_of: date, user, *, status: str = BatchStatus.PREVIEWED
) -> ImportBatch:
    """Keep the uploaded file with its hash, who and when (before anything is read); ``status``
    ``received`` when its preview is still to come (a job)."""
    digest = sha256_of(fileobj)
    fileobj.seek(0, 2)
    size = fileobj.tell()
    fileobj.seek(0)
    batch = ImportBatch(
        original_name=Path(name).name[:255],
        size=size,
        sha256=digest,
        unit=unit,
        as_of=as_of,
        uploaded_by=user if getattr(user, "pk", None) else None,
        status=status,
    )
    batch.file.save(Path(name).name, File(fileobj), save=False)
    batch.save()
    return batch


# --------------------------------------------------------------------------- prepare


def release_freed_memory() -> bool:
    """Give the C heap's free pages back to the system (glibc's ``malloc_trim``) once a large
    workbook is read: calamine's copy of the sheet and the reader's temporary objects are freed
    by then, but glibc keeps their pages, so the resident size of the process would stay at the
    reading's peak while matching and the commit add theirs on top. Returns whether the call
    was made; a no-op (False) where the C library is not glibc."""
    try:
        trim = ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return False
    trim(0)
    return True


def prepare(
    batch: ImportBatch, user, *, progress: Progress | None = None, today: date | None = None
) -> Preview:
    """Read and validate ``batch``'s file and decide what committing would do with each row.
    Writes nothing but the batch's status, counts and problems."""
    from canbo.core.importing import read_list

    say = progress or (lambda _m: None)
    context = context_for(batch.unit, batch.as_of, today=today)
    say("Đọc và kiểm tra tệp…")
    try:
        with batch.file.open("rb") as fh:
            data = fh.read()
        if hashlib.sha256(data).hexdigest() != batch.sha256:
            raise ImportRefused([_file_changed(batch)])
        plan = read_list(data, context, filename=batch.original_name)
    except ImportRefused as refused:
        preview = Preview(None, list(refused.problems), [])
    else:
        del data  # the file's bytes: no longer needed
        release_freed_memory()
        say(f"Đã đọc {len(plan.rows)} dòng; đối chiếu với hồ sơ đã có…")
        preview = _match(plan, batch.as_of, user)
    preview.previous = batch.earlier_commit()
    summary: dict[str, object] = {**preview.counts()}
    if preview.plan is not None:
        # Which column was read as what, for the preview page ("Họ và tên: B (Họ và tên)").
        summary["columns"] = column_labels(preview.plan)
        # Rows per commune, by name (issue 9 §3: the officer sees which commune gets what).
        summary["units"] = unit_counts(preview.plan, context)
    summary["fingerprint"] = preview.fingerprint()
    status = BatchStatus.PREVIEWED if preview.ok else BatchStatus.REFUSED
    problems = [problem_dict(p) for p in preview.problems[:STORED_PROBLEMS]]
    # A committed batch keeps its record of what was written: a later preview of it (a second
    # commit request, say) never turns it back into an uncommitted one. One conditional UPDATE,
    # so that a commit finishing meanwhile is not overwritten either.
    changes = preview.changes()
    stored = (
        ImportBatch.objects.filter(pk=batch.pk)
        .exclude(status=BatchStatus.COMMITTED)
        .update(status=status, summary=summary, problems=problems, changes=changes)
    )
    if stored:
        batch.status, batch.summary, batch.problems, batch.changes = status, summary, problems, changes
    else:
        batch.refresh_from_db(
            fields=["status", "summary", "problems", "changes", "committed_by", "committed_at"]
        )
    return preview


def column_labels(plan: ImportPlan) -> dict[str, str]:
    """The plan's recognised columns keyed by the Vietnamese name of the field."""
    from canbo.core.importing.layout import FIELD_LABELS

    return {FIELD_LABELS.get(field, field): where for field, where in plan.columns.items()}


def unit_counts(plan: ImportPlan, context: ImportContext) -> dict[str, int]:
    """The plan's rows per commune keyed by the commune's name (with its district or province
    when two communes of the list share a name), in the order of the list."""
    names: dict[str, UnitRef] = {}
    for u in context.units:
        in_force = (u.valid_from is None or u.valid_from <= context.as_of) and (
            u.valid_to is None or context.as_of <= u.valid_to
        )
        if u.code not in names or in_force:
            names[u.code] = u
    shown = [names[c].name if c in names else c for c in plan.unit_counts]
    out: dict[str, int] = {}
    for code, name in zip(plan.unit_counts, shown, strict=True):
        ref = names.get(code)
        label = f"{name} ({ref.parent_name})" if ref and ref.parent_name and shown.count(name) > 1 else name
        out[label] = out.get(label, 0) + plan.unit_counts[code]
    return out


def problem_dict(p: Problem) -> dict:
    return {
        "code": p.code,
        "severity": p.severity,
        "sheet": p.sheet,
        "row": p.row,
        "column": p.column,
        "header": p.header,
        "value": p.value,
        "message_vi": p.message_vi,
        "message_en": p.message_en,
    }


def copy_into_batch(path: Path, unit: Unit, as_of: date, user) -> ImportBatch:
    """``canbo import FILE``: keep a copy of the file like an upload."""
    with path.open("rb") as fh:
        return store_upload(fh, path.name, unit, as_of, user)


__all__ += [
    "COUNT_LABELS",
    "column_labels",
    "unit_counts",
    "NotCommittable",
    "copy_into_batch",
    "problem_dict",
    "row_from_json",
    "row_key",
    "row_to_json",
    # Re-exported from the modules the service is split into (matching, writing, review).
    "CHUNK",
    "DATED_FIELDS",
    "PERSON_FIELDS",
    "Progress",
    "_already_committed",
    "_changes",
    "_chunks",
    "_file_changed",
    "_match",
    "_row_values",
    "_Units",
    "field_label",
    "qualification_label",
    "shown_value",
    "stored_file_hash",
]
