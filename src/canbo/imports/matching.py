"""Import matching: who each row of a list is, and what committing it would change.

Rows are matched to the people on record (by ID number, by the earlier import's row key, by
namesakes whose birth date is compatible at the coarser precision); every field of a matched
person is compared with the record; qualifications and posts are added or ended; values an
officer entered by hand since the earlier import hold the row for review. The rules are in
:mod:`canbo.imports.services` (the public entry points live there and re-export these names).
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from types import MappingProxyType

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from canbo.access import scope
from canbo.common.display import field_display, value_display
from canbo.core.formatting import fmt_date
from canbo.core.importing.model import (
    ImportPlan,
    PersonRow,
    Problem,
)
from canbo.core.text import fold
from canbo.registry.models import (
    Assignment,
    AssignmentEnd,
    Person,
    Qualification,
    Title,
    Unit,
    UnitLevel,
)

from .models import ImportBatch, ImportedRow

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
_PRECISION_OF = dict(DATED_FIELDS)
_DATE_OF_PRECISION = {p: d for d, p in DATED_FIELDS}

Progress = Callable[[str], None]


#: The shared empty mapping of a decision's changes (most rows have none: no dict per row).
_NOTHING: Mapping = MappingProxyType({})


@dataclass(slots=True)  # one per row: no per-instance __dict__ (200,000 rows → ~130 MB less)
class Decision:
    """What committing would do with one row: ``create`` a person, ``update`` (or leave
    ``unchanged``) the person matched, or hold the row for ``review`` against ``candidate_id``."""

    row: PersonRow
    action: str
    person_id: int | None = None
    candidate_id: int | None = None
    key: str = ""
    changes: Mapping[str, tuple] = _NOTHING
    folded: str = ""  # the row's folded full name (for a created person's name_folded)
    #: Why the row is held for review (shown on the review page).
    reason: str = ""
    #: Keep the row's key for the person matched (a row without an ID number matched by its
    #: namesake: its key differs from the earlier import's only by the birth date's precision).
    link: bool = False
    #: Fields the list contradicts where an officer entered the value by hand since the
    #: earlier import: (on record, listed). The row is held for review.
    conflicts: Mapping[str, tuple] = _NOTHING
    #: For a person on record, what the commit adds or ends, decided here and applied as is:
    #: the row's qualifications not on record, whether its post is new, the posts it ends.
    planned: bool = False
    quals_added: Sequence = ()
    #: Dimension → what the person holds on record in it (shown as the old value of a
    #: qualification added).
    quals_before: Mapping[str, str] = _NOTHING
    post_added: bool = False
    posts_ended: Sequence[dict] = ()
    post_label: str = ""

    def shown(self) -> list[tuple[str, str, str]]:
        """Each difference with the record as the preview shows it: (what, old, new). A date is
        written to its precision, with its precision change on the same line ("1979 →
        20/08/1979", never "01/01/1979"); a qualification added names its dimension."""
        both = {**self.changes, **self.conflicts}
        out = []
        for k, (a, b) in both.items():
            if k in _DATE_OF_PRECISION:
                dated = _DATE_OF_PRECISION[k]
                if dated in both:
                    continue  # shown on its date's line
                a = b = _row_values(self.row, None).get(dated)  # the day is the same
                k = dated
            if k in _PRECISION_OF:
                precision = _PRECISION_OF[k]
                listed = _row_values(self.row, None).get(precision) or "day"
                pa, pb = both.get(precision, (listed, listed))
                out.append(
                    (
                        field_label(k),
                        fmt_date(a, precision=pa or "day", missing=_("(trống)")),
                        fmt_date(b, precision=pb or "day", missing=_("(trống)")),
                    )
                )
                continue
            out.append((field_label(k), shown_value(k, a), shown_value(k, b)))
        out += [
            (
                qualification_dimension(q),
                self.quals_before.get(q.dimension, ""),
                "+ " + qualification_label(q),
            )
            for q in self.quals_added
        ]
        if self.post_added:
            out.append((_("chức danh"), "", "+ " + self.post_label))
        out += [(p["label"], _("đang giữ"), p["shown"]) for p in self.posts_ended]
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

    # People on record with the rows' ID numbers: their id and managing unit only (the whole
    # records are read below a chunk at a time, so that a 200,000-row list never holds 200,000
    # Person objects at once).
    by_id: dict[str, tuple[int, int | None]] = {}
    numbers = [r.identity_number for r in rows if r.identity_number]
    for chunk in _chunks(numbers):
        for pk, ident, kept_by in Person.objects.filter(identity_number__in=chunk).values_list(
            "id", "identity_number", "managing_unit_id"
        ):
            if ident:
                by_id[ident] = (pk, kept_by)
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
        for pid, nf, bd, precision, kept_by, ident in Person.objects.filter(
            name_folded__in=chunk, managing_unit_id__in=unit_ids
        ).values_list(
            "id", "name_folded", "birth_date", "birth_date_precision", "managing_unit_id", "identity_number"
        ):
            namesakes.setdefault((nf, kept_by), []).append(_Namesake(pid, bd, precision or "day", ident))
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
        on_record = by_id.get(r.identity_number) if r.identity_number else None
        if on_record is not None:
            person_pk, managed_by = on_record
            if allowed is not None and managed_by not in allowed:
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
            decisions.append(Decision(r, "update", person_pk, key=key))
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

    # 2. What changes for each person on record: every field compared with the record (the
    # records read a chunk of rows at a time, in the rows' order).
    numbered: dict[int, str] = {}  # person → the ID number a row of this list adds
    for part in _chunks([d for d in decisions if d.action == "update" and d.person_id is not None]):
        people = Person.objects.in_bulk({d.person_id for d in part})
        for d in part:
            _compare(d, people[d.person_id], numbered, uid_of)
    # 3. A value an officer entered by hand since the earlier import, which the list
    # contradicts, is not overwritten silently: the row is held for review.
    changed = [d for d in decisions if d.action == "update"]
    hand = _hand_entered(sorted({d.person_id for d in changed if d.person_id}))
    for d in changed:
        entered = hand.get(d.person_id, {}) if d.person_id is not None else {}
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


def _compare(d: Decision, person: Person, numbered: dict[int, str], uid_of: dict[int, int | None]) -> None:
    """Compare a row matched to ``person`` with the record: its changes, or a review when the
    row's ID number differs from the record's (or from one another row adds to it)."""
    r = d.row
    stored, listed = person.identity_number, r.identity_number
    added = listed if listed and not stored else None
    if (listed and stored and listed != stored) or (added and numbered.setdefault(person.pk, added) != added):
        d.action, d.candidate_id, d.person_id, d.link = "review", person.pk, None, False
        d.reason = (
            f"Dòng có số định danh {listed}, hồ sơ có sẵn (cùng họ tên, ngày sinh, đơn vị) "
            f"có số {stored or numbered[person.pk]}: không tự ghép."
        )
        return
    d.changes = _changes(person, r, uid_of[id(r)])
    if not d.changes:
        d.action = "unchanged"


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
    names: dict[int, str] = {}

    def unit_names(pk: int) -> str:
        if pk not in names:
            names[pk] = _unit_name(pk)
        return names[pk]

    by_person: dict[int, list[Decision]] = {}
    for d in decisions:
        by_person.setdefault(d.person_id, []).append(d)  # type: ignore[arg-type]
    # A chunk of people at a time: their qualifications and posts on record, then their rows
    # (a 200,000-row list never holds every qualification on record at once).
    for chunk in _chunks(sorted(by_person)):
        have: set[tuple] = set(
            Qualification.objects.filter(person_id__in=chunk).values_list(
                "person_id", "dimension", "level", "field_of_study"
            )
        )
        held: dict[int, list[_Post]] = {}
        for post in Assignment.objects.filter(person_id__in=chunk).values_list(
            "id", "person_id", "unit_id", "title_id", "start", "end"
        ):
            held.setdefault(post[1], []).append(_Post(*post))
        for pid in chunk:
            ds = by_person[pid]
            posts = held.get(pid, [])
            listed: dict[int, dict[int, Decision]] = {}  # unit → title → the row naming it
            added: set[tuple[int, int]] = set()
            for d in ds:
                d.planned = True
                for q in d.row.qualifications:
                    k = (pid, q.dimension, q.level, q.field_of_study or "")
                    if k not in have:
                        have.add(k)
                        d.quals_added = [*d.quals_added, q]
                uid, title = uid_of.get(id(d.row)), titles.get(d.row.title_code or "")
                if uid is None or title is None:
                    continue
                listed.setdefault(uid, {}).setdefault(title.pk, d)
                if (uid, title.pk) not in added and not any(
                    a.unit_id == uid and a.title_id == title.pk for a in posts
                ):
                    added.add((uid, title.pk))
                    d.post_added = True
                    d.post_label = _("%(title)s, %(unit)s (từ %(date)s)") % {
                        "title": title.name,
                        "unit": unit_names(uid),
                        "date": fmt_date(d.row.post_start or as_of),
                    }
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
                    first.posts_ended = [
                        *first.posts_ended,
                        {
                            "id": a.pk,
                            "end": end,
                            "end_reason": AssignmentEnd.TRANSFER.value,
                            "label": _("%(title)s, %(unit)s (từ %(date)s)")
                            % {
                                "title": title_names.get(a.title_id, ""),
                                "unit": unit_names(a.unit_id),
                                "date": fmt_date(a.start),
                            },
                            "shown": _("kết thúc %(date)s (%(reason)s)")
                            % {"date": fmt_date(end), "reason": AssignmentEnd.TRANSFER.label},
                        },
                    ]
    for d in decisions:
        if d.action == "unchanged" and (d.quals_added or d.post_added or d.posts_ended):
            d.action = "update"
    _quals_on_record(decisions)


def _quals_on_record(decisions: list[Decision]) -> None:
    """For each qualification a row adds, what the person holds on record in its dimension
    ("Trung cấp" before "+ Cao cấp"): the preview's old value. Read only for the people who
    gain one (one query per chunk of them)."""
    gaining = [d for d in decisions if d.quals_added and d.person_id]
    dims = {q.dimension for d in gaining for q in d.quals_added}
    held: dict[tuple[int, str], list[str]] = {}
    for chunk in _chunks(sorted({d.person_id for d in gaining if d.person_id})):
        for pid, dim, lvl, fos in (
            Qualification.objects.filter(person_id__in=chunk, dimension__in=dims)
            .order_by("person_id", "dimension", "obtained_on", "pk")
            .values_list("person_id", "dimension", "level", "field_of_study")
        ):
            label = qualification_label(_Held(dim, lvl, fos))
            if label not in held.setdefault((pid, dim), []):
                held[(pid, dim)].append(label)
    for d in gaining:
        pid = d.person_id or 0
        d.quals_before = {q.dimension: ", ".join(held.get((pid, q.dimension), [])) for q in d.quals_added}


@dataclass(frozen=True, slots=True)
class _Held:
    dimension: str
    level: str
    field_of_study: str | None


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


def qualification_dimension(q) -> str:
    """ "trình độ lý luận chính trị": what a qualification added is, as the preview names it."""
    from canbo.core.scales import DIMENSION_LABELS, Dimension

    try:
        return "trình độ " + DIMENSION_LABELS[Dimension(q.dimension)][0].lower()
    except (KeyError, ValueError):
        return "trình độ"


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
        return str(getattr(Person._meta.get_field(name.removesuffix("_id")), "verbose_name", name))
    except Exception:  # noqa: BLE001 — a name of no field is shown as it is
        return name


def shown_value(name: str, value) -> str:
    """A compared value as an officer reads it, as the record's history page shows it
    (:func:`canbo.common.display.field_display`: dates dd/mm/yyyy, ethnic group and sex by
    name, "(trống)" for none), but for the preview's own words: yes/no in lower case, a date's
    precision by its unit ("năm"), the managing unit by its name alone."""
    if isinstance(value, bool):
        return _("có") if value else _("không")
    if name.endswith("_precision") and value:
        return {"day": "ngày", "month": "tháng", "year": "năm"}.get(value, str(value))
    if name == "managing_unit_id" and value is not None:
        unit = Unit.objects.filter(pk=value).only("name").first()
        return unit.name if unit else str(value)
    try:
        person_field = Person._meta.get_field(name.removesuffix("_id"))
    except Exception:  # noqa: BLE001 — a name of no field: shown by its value's kind
        return value_display(value)
    assert isinstance(person_field, models.Field)
    return field_display(person_field, value)


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


@lru_cache(maxsize=65536)  # name parts repeat across a list
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
    if stored == listed or _spelling(stored) == _spelling(listed):
        return True
    return listed.isascii() and fold(stored) == fold(listed)
