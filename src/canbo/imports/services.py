"""Importing an Excel list: read and validate (the pure core), match the rows to the people on
record, preview, then commit all or nothing.

    file → canbo.core.importing.read_list (every problem, by sheet/row/column)
         → match (ID number; else name + birth date + unit, held for review)
         → Preview (counts, problems)            — nothing written yet
         → commit (one transaction, bulk writes with their history entries)

The admin page and ``canbo import`` both call :func:`prepare` and :func:`commit`; the review
decisions call :func:`apply_review`. Rules (issue 4 §2, DESIGN.md principle 6):

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
  other rows proceed (:func:`_hand_entered`, one history query per chunk of people).
* **Nothing is lost or deleted.** Only the values a row gives are written; an empty cell never
  blanks a stored value; people missing from the list are not touched; a coarser birth date
  (a year) never replaces a finer one of the same year. Posts and qualifications are added
  when not already on record (same unit and title; same dimension, level and field).
* **All or nothing.** Any error — in the file, or a row naming a unit outside the user's
  scope — and nothing is written. The writes happen in one transaction; every created or
  changed person, post and qualification gets its history entry (who, when, the batch).
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from canbo.access import scope
from canbo.core.formatting import fmt_date
from canbo.core.importing.model import (
    ImportContext,
    ImportPlan,
    ImportRefused,
    PersonRow,
    Problem,
    TitleRef,
    UnitRef,
)
from canbo.core.text import fold, name_sort_string
from canbo.registry.models import (
    Assignment,
    AssignmentEnd,
    Person,
    Qualification,
    Title,
    Unit,
    UnitLevel,
)

from .bulk import insert_with_history, lock
from .models import BatchStatus, ImportBatch, ImportedRow, ImportReview, ReviewDecision, sha256_of

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
CHUNK = 5000

#: Person fields an import may set, in the order the preview lists changes.
PERSON_FIELDS = (
    "family_name",
    "middle_name",
    "given_name",
    "identity_number",
    "birth_date",
    "birth_date_precision",
    "sex",
    "ethnicity",
    "religion",
    "home_town",
    "is_party_member",
    "party_joined_on",
    "party_joined_on_precision",
    "party_confirmed_on",
    "party_confirmed_on_precision",
    "managing_unit_id",
    "notes",
    "extra_columns",
)
#: Dates kept with their precision: a coarser value consistent with the stored one never
#: replaces it; a finer one (a year completed to a full date) does.
DATED_FIELDS = (
    ("birth_date", "birth_date_precision"),
    ("party_joined_on", "party_joined_on_precision"),
    ("party_confirmed_on", "party_confirmed_on_precision"),
)
_PRECISION_RANK = {"year": 0, "month": 1, "day": 2}

Progress = Callable[[str], None]


@dataclass
class Decision:
    """What committing would do with one row: ``create`` a person, ``update`` (or leave
    ``unchanged``) the person matched, or hold the row for ``review`` against ``candidate_id``."""

    row: PersonRow
    action: str
    person_id: int | None = None
    candidate_id: int | None = None
    key: str = ""
    changes: dict[str, tuple] = field(default_factory=dict)
    folded: str = ""  # the row's folded full name (for a created person's name_folded)
    #: Why the row is held for review (shown on the review page).
    reason: str = ""
    #: Keep the row's key for the person matched (a row without an ID number matched by its
    #: namesake: its key differs from the earlier import's only by the birth date's precision).
    link: bool = False
    #: Fields the list contradicts where an officer entered the value by hand since the
    #: earlier import: (on record, listed). The row is held for review.
    conflicts: dict[str, tuple] = field(default_factory=dict)
    #: For a person on record, what the commit adds or ends, decided here and applied as is:
    #: the row's qualifications not on record, whether its post is new, the posts it ends.
    planned: bool = False
    quals_added: list = field(default_factory=list)
    post_added: bool = False
    posts_ended: list[dict] = field(default_factory=list)
    post_label: str = ""

    def shown(self) -> list[tuple[str, str, str]]:
        """Each difference with the record as the preview shows it: (what, old, new)."""
        out = [
            (field_label(k), shown_value(k, a), shown_value(k, b))
            for k, (a, b) in {**self.changes, **self.conflicts}.items()
        ]
        out += [("trình độ", "", "+ " + qualification_label(q)) for q in self.quals_added]
        if self.post_added:
            out.append(("chức danh", "", "+ " + self.post_label))
        out += [(p["label"], "đang giữ", p["shown"]) for p in self.posts_ended]
        return out


@dataclass
class Preview:
    """The outcome of :func:`prepare`: the plan read from the file, every problem (the
    reader's and the matching's), the decision per row and their counts, and an earlier
    committed batch of the same file if any."""

    plan: ImportPlan | None
    problems: list[Problem]
    decisions: list[Decision]
    previous: ImportBatch | None = None

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def ok(self) -> bool:
        return self.plan is not None and not self.errors

    def fingerprint(self) -> str:
        """A hash of what committing this preview would do (every row's decision, the person
        it names and each field change): the commit refuses a preview that is no longer the
        one the officer saw."""
        h = hashlib.sha256()
        for d in self.decisions:
            changes = sorted((k, str(a), str(b)) for k, (a, b) in {**d.changes, **d.conflicts}.items())
            changes += [(q.dimension, q.level, q.field_of_study or "") for q in d.quals_added] + [
                (str(e["id"]), str(e["end"]), e["end_reason"]) for e in d.posts_ended
            ]
            if d.post_added:
                changes.append(("post", d.row.unit_code or "", d.row.title_code or ""))
            h.update(
                repr(
                    (d.row.sheet, d.row.row, d.action, d.person_id, d.candidate_id, d.key, changes, d.reason)
                ).encode()
            )
        for p in self.errors:
            h.update(repr((p.code, p.sheet, p.row, p.column)).encode())
        return h.hexdigest()

    def changes(self) -> list[dict]:
        """Every difference with the record, per person and per field, as the preview shows it
        (kept on the batch: :attr:`ImportBatch.changes`): the row, the person, what, old, new;
        ``review`` when the row is held for review instead (a hand-entered value)."""
        out = []
        for d in self.decisions:
            if d.action not in ("update", "review"):
                continue
            for what, old, new in d.shown():
                out.append(
                    {
                        "sheet": d.row.sheet,
                        "row": d.row.row,
                        "person": d.person_id or d.candidate_id,
                        "name": d.row.full_name,
                        "field": what,
                        "old": old,
                        "new": new,
                        "review": d.action == "review",
                    }
                )
        return out

    def counts(self) -> dict[str, int]:
        c = {
            "rows": len(self.decisions),
            "create": 0,
            "same_as_above": 0,
            "update": 0,
            "unchanged": 0,
            "review": 0,
            "errors": len(self.errors),
            "warnings": len(self.problems) - len(self.errors),
        }
        for d in self.decisions:
            c[d.action] += 1
        return c


# --------------------------------------------------------------------------- context


def context_for(unit: Unit, as_of: date, *, today: date | None = None) -> ImportContext:
    """The reader's context for a list of ``unit``: the commune-level units of its subtree
    (and of the units merged into it), every title of the catalogue, the as-of date."""
    ids = scope.expand_scope([unit.pk])
    communes = Unit.objects.filter(pk__in=ids, level=UnitLevel.COMMUNE).select_related("parent")
    units = tuple(
        UnitRef(u.code, u.name, u.valid_from, u.valid_to, u.parent.name if u.parent_id else "")
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


def store_upload(fileobj, name: str, unit: Unit, as_of: date, user) -> ImportBatch:
    """Keep the uploaded file with its hash, who and when (before anything is read)."""
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
    )
    batch.file.save(Path(name).name, File(fileobj), save=False)
    batch.save()
    return batch


# --------------------------------------------------------------------------- prepare


class _Units:
    """Commune-level units by code and date (codes are reused across eras, so a code names a
    unit only together with a day it was in force)."""

    def __init__(self, codes):
        self._by_code: dict[str, list[Unit]] = {}
        for u in Unit.objects.filter(code__in=set(codes), level=UnitLevel.COMMUNE):
            self._by_code.setdefault(u.code, []).append(u)

    def on(self, code: str | None, day: date) -> Unit | None:
        units = self._by_code.get(code or "", [])
        for u in units:
            if u.is_valid_on(day):
                return u
        return units[0] if len(units) == 1 else None


def row_key(row: PersonRow, folded: str | None = None) -> str:
    """The identity of a row without an ID number: folded full name (``folded`` when already
    computed), birth date, unit."""
    raw = f"{folded if folded is not None else fold(row.full_name)}|{row.birth_date.isoformat() if row.birth_date else ''}|{row.unit_code or ''}"
    return hashlib.sha1(raw.encode()).hexdigest()


def _chunks(items: list, n: int = CHUNK):
    for i in range(0, len(items), n):
        yield items[i : i + n]


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
        say(f"Đã đọc {len(plan.rows)} dòng; đối chiếu với hồ sơ đã có…")
        preview = _match(plan, batch.as_of, user)
    preview.previous = batch.earlier_commit()
    summary = preview.counts()
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


def _match(plan: ImportPlan, as_of: date, user) -> Preview:
    """Decide what committing would do with each row (the rules are in the module's docstring).

    Queries go by chunks of rows, never one per row: the people with the rows' ID numbers, the
    earlier imports' row keys, the namesakes (same folded name, same unit), the people matched
    (their values, compared field by field)."""
    problems = list(plan.problems)
    rows = [r for r in plan.rows if r.ok]
    units = _Units(r.unit_code for r in rows)
    allowed = scope.scope_unit_ids(user)
    may_write = scope.allowed(user, scope.ADD, Person) and scope.allowed(user, scope.CHANGE, Person)
    if not may_write:
        problems.append(
            Problem(
                "forbidden",
                "Bạn không có quyền thêm, sửa hồ sơ cán bộ, công chức.",
                "You may not add or change personal records.",
            )
        )
        return Preview(plan, problems, [])

    # People on record with the rows' ID numbers.
    by_id: dict[str, Person] = {}
    numbers = [r.identity_number for r in rows if r.identity_number]
    for chunk in _chunks(numbers):
        for p in Person.objects.filter(identity_number__in=chunk):
            by_id[p.identity_number] = p
    # Each row's folded name, computed once: it keys the row, finds namesakes and is stored.
    folded_of = {id(r): fold(r.full_name) for r in rows}
    keys = {id(r): row_key(r, folded_of[id(r)]) for r in rows}
    uid_of: dict[int, int | None] = {}
    for r in rows:
        u = units.on(r.unit_code, r.post_start or as_of)
        uid_of[id(r)] = u.pk if u else None
    unmatched = [r for r in rows if not (r.identity_number and r.identity_number in by_id)]
    # Rows imported before from the same key (lists without ID numbers).
    by_key: dict[str, int] = {}
    for chunk in _chunks(sorted({keys[id(r)] for r in unmatched})):
        by_key.update(ImportedRow.objects.filter(key__in=chunk).values_list("key", "person_id"))
    # Possible namesakes: same folded name, kept by the row's unit, any birth date (compared
    # with the row's by precision below: 1980 on record, 17/05/1980 in the list is the same
    # birth written more precisely).
    namesakes: dict[tuple, list[_Namesake]] = {}
    rest = [r for r in unmatched if keys[id(r)] not in by_key]
    unit_ids = {uid_of[id(r)] for r in rest} - {None}
    for chunk in _chunks(sorted({folded_of[id(r)] for r in rest})):
        for pid, nf, bd, precision, uid, ident in Person.objects.filter(
            name_folded__in=chunk, managing_unit_id__in=unit_ids
        ).values_list(
            "id", "name_folded", "birth_date", "birth_date_precision", "managing_unit_id", "identity_number"
        ):
            namesakes.setdefault((nf, uid), []).append(_Namesake(pid, bd, precision or "day", ident))
    # Which of them an earlier import created or matched (their row key is on record).
    imported: set[int] = set()
    for chunk in _chunks(sorted({n.pk for ns in namesakes.values() for n in ns})):
        imported.update(ImportedRow.objects.filter(person_id__in=chunk).values_list("person_id", flat=True))

    # 1. Who each row is: a person on record, a held row, or a new person.
    decisions: list[Decision] = []
    for r in rows:
        uid = uid_of[id(r)]
        if allowed is not None and uid not in allowed:
            problems.append(
                Problem(
                    "out_of_scope",
                    f"Xã “{r.unit_code}” nằm ngoài phạm vi được phân quyền của bạn.",
                    f"Unit “{r.unit_code}” is outside your scope.",
                    sheet=r.sheet,
                    row=r.row,
                )
            )
            continue
        key = keys[id(r)]
        person = by_id.get(r.identity_number) if r.identity_number else None
        if person is not None:
            if allowed is not None and person.managing_unit_id not in allowed:
                problems.append(
                    Problem(
                        "identity_number_elsewhere",
                        f"Số định danh {r.identity_number} đã có trong hồ sơ do đơn vị khác quản lý (ngoài phạm vi của "
                        "bạn); đề nghị đơn vị đang quản lý hồ sơ chuyển hồ sơ.",
                        f"ID number {r.identity_number} is on record at a unit outside your scope.",
                        sheet=r.sheet,
                        row=r.row,
                        value=r.identity_number,
                    )
                )
                continue
            decisions.append(Decision(r, "update", person.pk, key=key))
            continue
        if key in by_key:
            decisions.append(Decision(r, "update", by_key[key], key=key))
            continue
        candidates = [
            n
            for n in namesakes.get((folded_of[id(r)], uid), [])
            if _compatible_dates(n.birth_date, n.precision, r.birth_date, r.birth_date_precision)
        ]
        if (
            len(candidates) == 1
            and candidates[0].pk in imported
            and not (r.identity_number and candidates[0].identity_number)
        ):
            # The person an earlier import created from this row, its birth date now written
            # more (or less) precisely: the same row key but for the date's precision, same unit.
            decisions.append(Decision(r, "update", candidates[0].pk, key=key, link=not r.identity_number))
        elif candidates:
            decisions.append(
                Decision(
                    r,
                    "review",
                    candidate_id=candidates[0].pk,
                    key=key,
                    reason=_namesake_reason(candidates[0], r),
                )
            )
        else:
            decisions.append(Decision(r, "create", key=key, folded=folded_of[id(r)]))

    # 2. What changes for each person on record: every field compared with the record.
    people = {p.pk: p for p in by_id.values()}
    wanted = sorted({d.person_id for d in decisions if d.person_id} - set(people))
    for chunk in _chunks(wanted):
        people.update((p.pk, p) for p in Person.objects.filter(pk__in=chunk))
    numbered: dict[int, str] = {}  # person → the ID number a row of this list adds
    for d in decisions:
        if d.action != "update" or d.person_id is None:
            continue
        r, person = d.row, people[d.person_id]
        stored, listed = person.identity_number, r.identity_number
        added = listed if listed and not stored else None
        if (listed and stored and listed != stored) or (
            added and numbered.setdefault(person.pk, added) != added
        ):
            d.action, d.candidate_id, d.person_id, d.link = "review", person.pk, None, False
            d.reason = (
                f"Dòng có số định danh {listed}, hồ sơ có sẵn (cùng họ tên, ngày sinh, đơn vị) "
                f"có số {stored or numbered[person.pk]}: không tự ghép."
            )
            continue
        d.changes = _changes(person, r, uid_of[id(r)])
        if not d.changes:
            d.action = "unchanged"
    # 3. A value an officer entered by hand since the earlier import, which the list
    # contradicts, is not overwritten silently: the row is held for review.
    changed = [d for d in decisions if d.action == "update"]
    hand = _hand_entered(sorted({d.person_id for d in changed if d.person_id}))
    for d in changed:
        entered = hand.get(d.person_id, {})
        conflicts = {name: d.changes[name] for name in d.changes if name in entered}
        if conflicts:
            d.reason = _conflict_reason(conflicts, entered)
            d.action, d.candidate_id, d.person_id, d.link = "review", d.person_id, None, False
            d.conflicts, d.changes = conflicts, {}
    # 4. Qualifications and posts of the people on record.
    _plan_posts_and_qualifications([d for d in decisions if d.person_id], uid_of, as_of)
    # Several rows of one person (one row per post): the first creates, the others add posts.
    first_of: dict[str, Decision] = {}
    for d in decisions:
        ident = d.row.identity_number or d.key
        if d.action == "create":
            if ident in first_of:
                d.action = "same_as_above"
            else:
                first_of[ident] = d
    problems.sort(key=lambda p: (p.row is not None, p.row or 0))
    return Preview(plan, problems, decisions)


def _plan_posts_and_qualifications(
    decisions: list[Decision], uid_of: dict[int, int | None], as_of: date
) -> None:
    """What the rows matched to people on record add and end (issue 9 §1): each qualification
    not on record (same dimension, level and field) is added; the row's post is added unless
    the person held that title in that unit; and a post that ended is ended.

    **A post that ended.** When the list names a person in a unit with a post they do not hold
    open there, the posts they hold open in that same unit that no row of the list names for
    them end the day before the new post begins (its start in the list, else the list's as-of
    date) — with the end reason "Điều động, chuyển công tác" (AssignmentEnd.TRANSFER). Posts
    the list names on several rows of one person are concurrent and kept; a person listed only
    with posts they already hold keeps every other post (no sign of a change); posts in other
    units are not touched; a post that began on or after that day is left as it is."""
    if not decisions:
        return
    titles = {t.code: t for t in Title.objects.all()}
    title_names = {t.pk: t.name for t in titles.values()}
    ids = sorted({d.person_id for d in decisions if d.person_id})
    have: set[tuple] = set()
    held: dict[int, list[_Post]] = {}
    for chunk in _chunks(ids):
        have.update(
            Qualification.objects.filter(person_id__in=chunk).values_list(
                "person_id", "dimension", "level", "field_of_study"
            )
        )
        for post in Assignment.objects.filter(person_id__in=chunk).values_list(
            "id", "person_id", "unit_id", "title_id", "start", "end"
        ):
            held.setdefault(post[1], []).append(_Post(*post))
    names: dict[int, str] = {}

    def unit_names(pk: int) -> str:
        if pk not in names:
            names[pk] = _unit_name(pk)
        return names[pk]

    by_person: dict[int, list[Decision]] = {}
    for d in decisions:
        by_person.setdefault(d.person_id, []).append(d)  # type: ignore[arg-type]
    for pid, ds in by_person.items():
        posts = held.get(pid, [])
        listed: dict[int, dict[int, Decision]] = {}  # unit → title → the row naming it
        added: set[tuple[int, int]] = set()
        for d in ds:
            d.planned = True
            for q in d.row.qualifications:
                k = (pid, q.dimension, q.level, q.field_of_study or "")
                if k not in have:
                    have.add(k)
                    d.quals_added.append(q)
            uid, title = uid_of.get(id(d.row)), titles.get(d.row.title_code or "")
            if uid is None or title is None:
                continue
            listed.setdefault(uid, {}).setdefault(title.pk, d)
            if (uid, title.pk) not in added and not any(
                a.unit_id == uid and a.title_id == title.pk for a in posts
            ):
                added.add((uid, title.pk))
                d.post_added = True
                d.post_label = f"{title.name}, {unit_names(uid)} (từ {fmt_date(d.row.post_start or as_of)})"
        for uid, named in listed.items():
            starts = [d.row.post_start or as_of for t, d in named.items() if d.post_added]
            if not starts:
                continue  # listed only with posts held: no sign any other ended
            new_start = min(starts)
            end = new_start - timedelta(days=1)
            first = next(d for d in named.values() if d.post_added)
            for a in posts:
                if a.unit_id != uid or a.title_id in named or (a.end is not None and a.end < new_start):
                    continue
                if a.start > end:
                    continue
                first.posts_ended.append(
                    {
                        "id": a.pk,
                        "end": end,
                        "end_reason": AssignmentEnd.TRANSFER.value,
                        "label": f"{title_names.get(a.title_id, '')}, {unit_names(a.unit_id)} (từ {fmt_date(a.start)})",
                        "shown": f"kết thúc {fmt_date(end)} ({AssignmentEnd.TRANSFER.label})",
                    }
                )
    for d in decisions:
        if d.action == "unchanged" and (d.quals_added or d.post_added or d.posts_ended):
            d.action = "update"


@dataclass(frozen=True, slots=True)
class _Post:
    pk: int
    person_id: int
    unit_id: int
    title_id: int
    start: date
    end: date | None


def _unit_name(pk: int) -> str:
    unit = Unit.objects.filter(pk=pk).only("name").first()
    return unit.name if unit else str(pk)


def qualification_label(q) -> str:
    """ "Thạc sĩ Luật", "Trung cấp lý luận chính trị": the level's name and the field's."""
    from canbo.core.scales import FIELDS_OF_STUDY, level

    try:
        name = level(q.dimension, q.level).label_vi
    except Exception:  # noqa: BLE001 — an unknown level shows its code
        name = q.level
    field_name = FIELDS_OF_STUDY.get(q.field_of_study or "", ("", ""))[0]
    return f"{name} {field_name}".strip()


#: Change reasons of the history entries an import writes (:func:`commit`, :func:`apply_review`):
#: every other entry is an officer's edit by hand.
IMPORT_REASONS = ("Nhập danh sách", "Xem xét dòng")


def _hand_entered(person_ids: list[int]) -> dict[int, dict[str, tuple]]:
    """For each person, the fields an officer changed by hand after an import had written the
    person (a history entry whose change reason is not an import's, later than the first
    import's entry), each with (value, when, who) of the last such edit — unless a later
    import wrote the field again. One query per chunk of people."""
    out: dict[int, dict[str, tuple]] = {}
    fields = [n for n in PERSON_FIELDS if n != "extra_columns"]
    for chunk in _chunks(person_ids):
        entries = (
            Person.history.filter(id__in=chunk)
            .order_by("id", "history_date", "history_id")
            .values("id", "history_change_reason", "history_date", "history_user__username", *fields)
        )
        previous: dict | None = None
        imported = False
        for e in entries:
            if previous is None or previous["id"] != e["id"]:
                previous, imported = None, False
            by_import = (e["history_change_reason"] or "").startswith(IMPORT_REASONS)
            if previous is not None:
                for name in fields:
                    if e[name] == previous[name]:
                        continue
                    if by_import:
                        out.get(e["id"], {}).pop(name, None)
                    elif imported:
                        out.setdefault(e["id"], {})[name] = (
                            e[name],
                            e["history_date"],
                            e["history_user__username"] or "",
                        )
            imported = imported or by_import
            previous = e
    return out


def _conflict_reason(conflicts: dict[str, tuple], entered: dict[str, tuple]) -> str:
    parts = []
    for name, (stored, listed) in conflicts.items():
        _value, when, who = entered[name]
        by = f", {who}" if who else ""
        parts.append(
            f"{field_label(name)}: hồ sơ “{shown_value(name, stored)}” (sửa tay "
            f"{timezone.localtime(when).strftime('%d/%m/%Y')}{by}) ≠ danh sách “{shown_value(name, listed)}”"
        )
    return "Giá trị cán bộ đã sửa tay sau lần nhập trước khác với danh sách: " + "; ".join(parts) + "."


def field_label(name: str) -> str:
    """The Vietnamese name of a person's field ("managing_unit_id" → "đơn vị quản lý")."""
    try:
        return str(Person._meta.get_field(name.removesuffix("_id")).verbose_name)
    except Exception:  # noqa: BLE001 — a name of no field is shown as it is
        return name


def shown_value(name: str, value) -> str:
    """A compared value as an officer reads it: dates dd/mm/yyyy, ethnic group and sex by
    name, yes/no, the unit by name, "(trống)" for none."""
    if value is None or value == "":
        return "(trống)"
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, date):
        return fmt_date(value)
    if name == "ethnicity":
        from canbo.core.ethnicity import ethnic_group

        try:
            return ethnic_group(value).name_vi
        except (KeyError, ValueError):
            return str(value)
    if name == "sex":
        return {"male": "Nam", "female": "Nữ"}.get(value, str(value))
    if name.endswith("_precision"):
        return {"day": "ngày", "month": "tháng", "year": "năm"}.get(value, str(value))
    if name == "managing_unit_id":
        unit = Unit.objects.filter(pk=value).only("name").first()
        return unit.name if unit else str(value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {v}" for k, v in value.items())
    return str(value)


@dataclass(frozen=True, slots=True)
class _Namesake:
    pk: int
    birth_date: date | None
    precision: str
    identity_number: str | None


def _compatible_dates(
    stored: date | None, stored_precision: str, new: date | None, new_precision: str
) -> bool:
    """Two writings of a date that may be the same day, each read to its precision: 1980 and
    17/05/1980, 05/1980 and 17/05/1980; 1980 and 1981 are not. A missing date is compatible
    with any (nothing contradicts it)."""
    if stored is None or new is None:
        return True
    coarser = min(_PRECISION_RANK.get(stored_precision, 2), _PRECISION_RANK.get(new_precision, 2))
    if coarser == 0:
        return stored.year == new.year
    if coarser == 1:
        return (stored.year, stored.month) == (new.year, new.month)
    return stored == new


def _namesake_reason(n: _Namesake, r: PersonRow) -> str:
    born = fmt_date(n.birth_date, precision=n.precision, missing="không rõ")
    listed = fmt_date(r.birth_date, precision=r.birth_date_precision, missing="không rõ")
    return (
        f"Hồ sơ có sẵn cùng họ tên (không kể hoa thường, dấu), cùng đơn vị, ngày sinh {born} khớp "
        f"với {listed}; "
        "không có số định danh chung để khẳng định là một người."
    )


def _row_values(r: PersonRow, unit_id: int | None) -> dict:
    """The person's values a row gives (a blank cell gives nothing, so it never erases)."""
    joined = r.party_joined_on
    confirmed = getattr(r, "party_official_on", None)
    member = r.is_party_member
    if member is None and (joined or confirmed):
        member = True  # a date is a mark
    values = {
        "family_name": r.family_name,
        "middle_name": r.middle_name,
        "given_name": r.given_name,
        "identity_number": r.identity_number,
        "birth_date": r.birth_date,
        "birth_date_precision": r.birth_date_precision if r.birth_date else None,
        "sex": r.sex,
        "ethnicity": r.ethnicity,
        "religion": r.religion,
        "home_town": r.home_town,
        "is_party_member": member,
        "party_joined_on": joined,
        "party_joined_on_precision": getattr(r, "party_joined_on_precision", "day") if joined else None,
        "party_confirmed_on": confirmed,
        "party_confirmed_on_precision": getattr(r, "party_official_on_precision", "day")
        if confirmed
        else None,
        "managing_unit_id": unit_id,
        "notes": r.notes,
        "extra_columns": dict(getattr(r, "extra", None) or {}) or None,
    }
    return {k: v for k, v in values.items() if v not in (None, "")}


def _coarser_of(stored: date, stored_precision: str, new: date, new_precision: str) -> bool:
    """``new`` is a coarser writing of ``stored`` (1980 of 17/05/1980, 05/1980 of it)."""
    if _PRECISION_RANK.get(stored_precision, 2) <= _PRECISION_RANK.get(new_precision, 2):
        return False
    if new_precision == "year":
        return stored.year == new.year
    return (stored.year, stored.month) == (new.year, new.month)


def _changes(person: Person, r: PersonRow, unit_id: int | None) -> dict[str, tuple]:
    changes: dict[str, tuple] = {}
    values = _row_values(r, unit_id)
    for name, precision in DATED_FIELDS:
        stored = getattr(person, name)
        if (
            name in values
            and stored
            and _coarser_of(stored, getattr(person, precision), values[name], values.get(precision, "day"))
        ):
            values.pop(name)  # a year never replaces a full date of that year
            values.pop(precision, None)
        elif name in values and stored and values[name] == stored and precision not in values:
            values.pop(precision, None)
    if "notes" in values and person.notes and values["notes"] in person.notes:
        values.pop("notes")
    elif "notes" in values and person.notes:
        values["notes"] = f"{person.notes}\n{values['notes']}"
    if "extra_columns" in values:
        # Unread columns are merged by header: a later list adds and corrects, never removes.
        values["extra_columns"] = {**(person.extra_columns or {}), **values["extra_columns"]}
    for name in NAME_FIELDS:
        if name in values and _same_spelling(getattr(person, name), values[name]):
            values.pop(name)  # "NGUYỄN"/"Nguyễn", "Hoà"/"Hòa", "Hoa" typed without diacritics
    for name in PERSON_FIELDS:
        if name in values and getattr(person, name) != values[name]:
            changes[name] = (getattr(person, name), values[name])
    return changes


NAME_FIELDS = ("family_name", "middle_name", "given_name")
#: The tone marks (huyền, sắc, ngã, hỏi, nặng) as combining characters: where a word carries
#: its tone ("Hoà" or "Hòa") is a typing habit, not a different name.
_TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")


def _spelling(s: str) -> str:
    """A name with its case and the place of its tone marks made irrelevant."""
    words = []
    for w in unicodedata.normalize("NFD", s.lower()).split():
        tones = "".join(sorted(c for c in w if c in _TONES))
        words.append(unicodedata.normalize("NFC", "".join(c for c in w if c not in _TONES)) + tones)
    return " ".join(words)


def _same_spelling(stored: str | None, listed: str) -> bool:
    """``listed`` writes the stored name part the same way but for case or where the tone mark
    sits ("NGUYỄN"/"Nguyễn", "Hoà"/"Hòa"), or is it typed without diacritics ("Hoa" for the
    stored "Hòa": a list typed without diacritics never strips them from the record). A name
    that adds or changes diacritics ("Hoa" → "Hòa", "Hòa" → "Hóa") is a change, shown."""
    if not stored:
        return False
    if _spelling(stored) == _spelling(listed):
        return True
    return listed.isascii() and fold(stored) == fold(listed)


# --------------------------------------------------------------------------- commit


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
        return self._units.on(row.unit_code, row.post_start or self.batch.as_of) if row.unit_code else None

    def load_units(self, rows: list[PersonRow]) -> None:
        self._units = _Units(r.unit_code for r in rows)

    def _history(self) -> dict:
        return {"default_user": self.user, "default_change_reason": self.reason}

    def _insert(self, model, records: Iterable[dict]) -> list[int]:
        return insert_with_history(
            model, records, user_id=getattr(self.user, "pk", None), reason=self.reason, when=self.when
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
        )
        # 3. Posts and qualifications of every row that names a person.
        self._posts_and_qualifications([d for d in decisions if d.person_id])
        # 4. Rows held for review (few; JSON data: the ordinary bulk path).
        reviews = [
            ImportReview(
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
            p = people[d.person_id]
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
        person_ids = sorted({d.person_id for d in decisions if not d.planned} - self.created_ids)
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
        self._insert(Assignment, posts())
        if decisions:
            self.say("Ghi trình độ, văn bằng…")
        self._insert(Qualification, quals())
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


# --------------------------------------------------------------------------- review


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
            person._history_user = user
            person._change_reason = reason
            person.save()
            d = Decision(row, "create", person.pk)
        writer._posts_and_qualifications([d])
        review.decision = decision
        review.person = person
        review.decided_by = user
        review.decided_at = timezone.now()
        review._history_user = user
        review.save()
    return person


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
]
