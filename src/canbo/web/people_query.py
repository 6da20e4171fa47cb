"""The people behind a count: the one filter of the people list (issue 10 §1–2).

Every count on the dashboard, a unit page or a report links to ``/people/?…``; the list shows
exactly the people behind that count because everyone counts with :func:`people_query` — the
same parameters, the same scope (:func:`canbo.access.scope.restrict`), the same engine
(:mod:`canbo.standards.services`) on the same date. The parameters (all optional):

``on``        dd/mm/yyyy (or YYYY-MM-DD), the date asked about; today by default;
              01/01/2005 … 31/12 of next year (:mod:`canbo.web.bounds`).
``unit``      a unit's id: people holding a post on ``on`` in that unit or a unit below it or
              merged into it (:func:`canbo.access.scope.expand_scope`); people holding no post on
              ``on`` whose file that unit keeps. Only a unit within the user's scope.
``in_post``   ``1``: in post on ``on`` as the reports count (:mod:`canbo.core.reports.people`: a
              cadre, civil servant or job position title in a commune-level unit; in ``unit``
              when given); ``0``: not in post. A post pending the province's confirmation
              never counts.
``title``     a title code: holding that title on ``on`` (in ``unit`` when given).
``status``    ``met`` | ``not_met`` | ``unknown``: the person's overall verdict on ``on`` for the
              posts held (in ``unit`` when given), the reports' rule: not met if any finding is
              unmet, met if every finding is met, else unknown (also when no standard applies).
              People holding no post have no verdict. With ``criterion``: the verdict on that
              criterion alone, by the same rule.
``criterion`` a criterion code (``professional``, ``political_theory``, ``field_of_study``,
              ``retirement_age`` …; ``dimension`` is accepted as another name): people to whom the
              criterion applies on ``on`` (with ``status``: with that verdict on it).
``category``  ``below_standard`` | ``field_mismatch`` | ``missing_data``, as in the staffing
              report (:func:`canbo.core.standards.staffing.analyse_staffing`): a criterion unmet;
              the field of study unmet while the professional level is met; a criterion unknown.
``sex``       ``male`` | ``female``.
``ethnicity`` a two-digit code of the ethnic groups list.
``age``       a band of whole years on ``on``: ``30-39``, ``60-`` (60 and over), ``-29``.
``retiring``  ``12`` | ``24``: holding a post on ``on`` (in ``unit`` when given), and the
              retirement date (the first day of the month after the retirement age is reached,
              Decree 135/2020) falls after ``on`` and within the next N months; for a birth date
              known only to the year, the earliest possible one (a birth in January) — who *may*
              retire within N months is listed.
``q``         a name, ignoring diacritics and case (every word must appear), or digits of the
              personal identification number.

:func:`people_query` answers ``(queryset, description)``: the people in Vietnamese order
(:attr:`Person.sort_name`), and the filters in words. :func:`run` answers the same with the parsed
filters, the ids found in that order and the verdicts it had to compute, for the list page to
reuse. Both the engine's findings (:data:`_MEMO`) and the answers (:data:`_ANSWERS`) are kept in
the process per data stamp: a list asked for again with the same data is not computed again. A
value that cannot be read, is unknown or lies outside the user's scope raises
:class:`canbo.web.bounds.BadInput` (answered 400 with its message).
"""

from __future__ import annotations

import re
import threading
from array import array
from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

import polars as pl
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from canbo.access import scope
from canbo.core.formatting import fmt_date
from canbo.core.standards.present import CATEGORY_LABELS, CRITERION_LABELS
from canbo.core.text import fold
from canbo.registry.models import Assignment, Confirmation, Person, Sex, Title, Unit, ethnicity_choices
from canbo.web import bounds

__all__ = [
    "CATEGORIES",
    "PARAMS",
    "STATUSES",
    "Filters",
    "Result",
    "compute_verdicts",
    "people_query",
    "run",
]

#: The query parameters of the contract, in the order a description lists them.
PARAMS = (
    "on",
    "unit",
    "in_post",
    "title",
    "status",
    "criterion",
    "category",
    "sex",
    "ethnicity",
    "age",
    "retiring",
    "q",
)
STATUSES = ("met", "not_met", "unknown")
CATEGORIES = ("below_standard", "field_mismatch", "missing_data")
RETIRING = (12, 24)
#: People per snapshot when verdicts are computed for many people (each id is one bound
#: parameter in a few places of the snapshot's queries; SQLite allows 32,766).
CHUNK = 4000
_AGE = re.compile(r"^\s*(\d{1,3})?\s*-\s*(\d{1,3})?\s*$")


def status_label(status: str | None) -> str:
    return {
        "met": _("Đạt chuẩn"),
        "not_met": _("Chưa đạt chuẩn"),
        "unknown": _("Chưa đủ dữ liệu"),
    }.get(status or "", _("Không giữ chức danh"))


@dataclass
class Filters:
    """The parsed, checked parameters of one request."""

    on: date
    unit: Unit | None = None
    unit_ids: frozenset[int] | None = None
    in_post: bool | None = None
    title: Title | None = None
    status: str = ""
    criterion: str = ""
    category: str = ""
    sex: str = ""
    ethnicity: str = ""
    age: tuple[int | None, int | None] | None = None
    age_text: str = ""
    retiring: int | None = None
    q: str = ""

    @property
    def needs_verdicts(self) -> bool:
        return bool(self.status or self.criterion or self.category)

    @property
    def holds_post_in_unit(self) -> bool:
        """Whether another filter already asks for a post held on ``on`` in ``unit`` — in post,
        a title, a verdict or a retirement all do — so that the unit's own condition ("holding a
        post there, or holding none and kept there") adds nothing: left out of the query, whose
        OR over every post of the date PostgreSQL can only answer by reading them all."""
        return self.unit_ids is not None and bool(
            self.in_post is True or self.title is not None or self.needs_verdicts or self.retiring
        )

    def query(self) -> dict[str, str]:
        """The parameters again, as a query string would carry them (empty ones left out)."""
        out = {"on": fmt_date(self.on)}
        if self.unit is not None:
            out["unit"] = str(self.unit.pk)
        if self.in_post is not None:
            out["in_post"] = "1" if self.in_post else "0"
        if self.title is not None:
            out["title"] = self.title.code
        for name in ("status", "criterion", "category", "sex", "ethnicity", "q"):
            if getattr(self, name):
                out[name] = getattr(self, name)
        if self.age is not None:
            out["age"] = self.age_text
        if self.retiring:
            out["retiring"] = str(self.retiring)
        return out

    def describe(self) -> str:
        """The filters in words (the title of an export, the log of reading)."""
        parts = []
        if self.unit is not None:
            parts.append(_("đơn vị: %(u)s") % {"u": self.unit.name})
        if self.in_post is True:
            parts.append(_("đang giữ chức danh"))
        elif self.in_post is False:
            parts.append(_("không giữ chức danh"))
        if self.title is not None:
            parts.append(_("chức danh: %(t)s") % {"t": self.title.name})
        if self.criterion:
            parts.append(_("tiêu chuẩn: %(c)s") % {"c": CRITERION_LABELS[self.criterion][0]})
        if self.status:
            parts.append(_("đánh giá: %(s)s") % {"s": status_label(self.status)})
        if self.category:
            parts.append(_("nhóm: %(c)s") % {"c": CATEGORY_LABELS[self.category][0]})
        if self.sex:
            parts.append(_("giới tính: %(s)s") % {"s": dict(Sex.choices)[self.sex]})
        if self.ethnicity:
            parts.append(_("dân tộc: %(e)s") % {"e": dict(ethnicity_choices())[self.ethnicity]})
        if self.age is not None:
            low, high = self.age
            if low is not None and high is not None:
                parts.append(_("tuổi từ %(a)s đến %(b)s") % {"a": low, "b": high})
            elif low is not None:
                parts.append(_("từ %(a)s tuổi trở lên") % {"a": low})
            else:
                parts.append(_("đến %(b)s tuổi") % {"b": high})
        if self.retiring:
            parts.append(_("đến tuổi nghỉ hưu trong %(n)s tháng tới") % {"n": self.retiring})
        if self.q:
            parts.append(_("tìm: “%(q)s”") % {"q": self.q})
        head = _("Ngày %(d)s") % {"d": fmt_date(self.on)}
        return "; ".join([head, *parts])


@dataclass
class Result:
    """What :func:`run` found: the people (:attr:`queryset`, in Vietnamese order; counted and
    cut from :attr:`ordered_ids`), the filters and, when a filter needed them and they were
    computed in this request, the verdicts of every candidate (person id → status)."""

    base: QuerySet
    filters: Filters
    verdicts: dict[int, str] | None = None
    description: str = ""
    extra: dict = field(default_factory=dict)
    #: The ids of the people found, in the list's order (:data:`_ANSWERS`).
    ordered_ids: Sequence[int] = ()
    #: Whether :attr:`ordered_ids` were narrowed in Python (a verdict, a retirement) from the
    #: people :attr:`base` finds.
    narrowed: bool = False
    #: The data stamp the answer was computed with (:func:`canbo.web.dashboard_data.data_stamp`).
    stamp: str | None = None

    @property
    def queryset(self) -> QuerySet:
        """The people found, as a queryset in the list's order (what every count counts)."""
        qs = self.base
        if self.narrowed:
            qs = qs.filter(pk__in=sorted(self.ordered_ids))
        return qs.order_by("sort_name", "pk")

    def count(self) -> int:
        """The number of people found."""
        return len(self.ordered_ids)

    def people(self, start: int = 0, stop: int | None = None) -> list[Person]:
        """The people found from ``start`` to ``stop`` in the list's order, with their managing
        unit: those of :attr:`ordered_ids`, read by id."""
        chosen = list(self.ordered_ids[start:stop])
        qs = Person.objects.select_related("managing_unit")
        found: dict[int, Person] = {}
        for i in range(0, len(chosen), CHUNK):
            found.update(qs.in_bulk(chosen[i : i + CHUNK]))
        return [found[pk] for pk in chosen if pk in found]


# --------------------------------------------------------------------------- parsing


def _get(params: Mapping, name: str) -> str:
    value = params.get(name)
    if isinstance(value, (list, tuple)):
        value = value[-1] if value else ""
    text = "" if value is None else str(value).strip()
    if len(text) > bounds.MAX_QUERY:
        raise bounds.BadInput(_("Giá trị của “%(p)s” quá dài.") % {"p": name})
    if any(ord(c) < 32 for c in text):
        raise bounds.BadInput(_("Giá trị của “%(p)s” có ký tự điều khiển.") % {"p": name})
    return text


def _choice(params: Mapping, name: str, allowed: Iterable[str], what: str) -> str:
    text = _get(params, name)
    if text and text not in set(allowed):
        raise bounds.BadInput(_("%(what)s “%(value)s” không hợp lệ.") % {"what": what, "value": text[:40]})
    return text


def parse(user, params: Mapping) -> Filters:
    """The checked filters of ``params`` for ``user``; :class:`BadInput` on a bad value."""
    f = Filters(on=bounds.parse_date(_get(params, "on")))
    raw_unit = _get(params, "unit")
    if raw_unit:
        if not raw_unit.isdigit() or len(raw_unit) > 9:
            raise bounds.BadInput(_("Mã đơn vị “%(v)s” không hợp lệ.") % {"v": raw_unit[:20]})
        unit = scope.restrict(Unit.objects.filter(pk=int(raw_unit)), user, scope.VIEW).first()
        if unit is None:
            raise bounds.BadInput(_("Không có đơn vị này trong phạm vi được phân quyền của bạn."))
        f.unit = unit
        ids = scope.expand_scope([unit.pk])
        allowed = scope.scope_unit_ids(user)
        f.unit_ids = frozenset(ids if allowed is None else ids & allowed)
    in_post = _choice(params, "in_post", ("1", "0"), _("Tình trạng giữ chức danh"))
    f.in_post = None if not in_post else in_post == "1"
    code = _get(params, "title")
    if code:
        f.title = Title.objects.filter(code=code).first()
        if f.title is None:
            raise bounds.BadInput(_("Không có chức danh mã “%(c)s”.") % {"c": code[:40]})
    f.status = _choice(params, "status", STATUSES, _("Đánh giá tiêu chuẩn"))
    criterion = _get(params, "criterion") or _get(params, "dimension")
    if criterion and criterion not in CRITERION_LABELS:
        raise bounds.BadInput(_("Tiêu chuẩn “%(c)s” không hợp lệ.") % {"c": criterion[:40]})
    f.criterion = criterion
    f.category = _choice(params, "category", CATEGORIES, _("Nhóm"))
    f.sex = _choice(params, "sex", [v for v, _label in Sex.choices], _("Giới tính"))
    f.ethnicity = _choice(params, "ethnicity", [c for c, _label in ethnicity_choices()], _("Dân tộc"))
    age = _get(params, "age")
    if age:
        m = _AGE.match(age)
        low = int(m.group(1)) if m and m.group(1) else None
        high = int(m.group(2)) if m and m.group(2) else None
        if not m or (low is None and high is None) or (low or 0) > (high if high is not None else 999):
            raise bounds.BadInput(
                _("Nhóm tuổi “%(v)s” không hợp lệ; hãy ghi dạng 30-39, 60- hoặc -29.") % {"v": age[:20]}
            )
        if (low or 0) > 120 or (high or 0) > 120:
            raise bounds.BadInput(_("Tuổi phải từ 0 đến 120."))
        f.age = (low, high)
        f.age_text = f"{low if low is not None else ''}-{high if high is not None else ''}"
    retiring = _choice(params, "retiring", [str(n) for n in RETIRING], _("Thời hạn nghỉ hưu"))
    f.retiring = int(retiring) if retiring else None
    f.q = _get(params, "q")
    return f


# --------------------------------------------------------------------------- filtering


def _years_before(on: date, years: int) -> date:
    try:
        return on.replace(year=on.year - years)
    except ValueError:  # 29 February
        return on.replace(year=on.year - years, day=28)


def _add_months(on: date, months: int) -> date:
    index = on.year * 12 + on.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    for day in (on.day, 30, 29, 28):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def posts_on(on: date) -> QuerySet:
    """The assignments held on ``on`` — a post still pending the province's confirmation is not
    counted (as in the engine's snapshot, :mod:`canbo.standards.snapshot`)."""
    return (
        Assignment.objects.filter(start__lte=on)
        .filter(Q(end__isnull=True) | Q(end__gte=on))
        .exclude(confirmation=Confirmation.PENDING)
    )


def counted_posts_on(on: date) -> QuerySet:
    """The posts that make a person *in post* on ``on`` as every report counts them
    (:mod:`canbo.core.reports.people`): a title of a cadre, civil servant or job position in a
    commune-level unit — a non-professional worker's post is listed but not counted."""
    from canbo.core.reports.people import COUNTED_KINDS

    return posts_on(on).filter(title__kind__in=COUNTED_KINDS, unit__level="commune_level")


def _post_exists(f: Filters, *, with_unit: bool = True, counted: bool = False) -> Exists:
    posts = (counted_posts_on(f.on) if counted else posts_on(f.on)).filter(person=OuterRef("pk"))
    if with_unit and f.unit_ids is not None:
        posts = posts.filter(unit_id__any_of=f.unit_ids)
    return Exists(posts)


def _base(user, f: Filters) -> QuerySet:
    """Everything that the database can filter, in the user's scope."""
    qs = scope.restrict(Person.objects.all(), user, scope.VIEW)
    if f.unit_ids is not None and not f.holds_post_in_unit:
        holding = _post_exists(f, with_unit=False)
        qs = qs.filter(_post_exists(f) | (~holding & Q(managing_unit_id__any_of=f.unit_ids)))
    if f.in_post is True:
        qs = qs.filter(_post_exists(f, counted=True))
    elif f.in_post is False:
        qs = qs.filter(~_post_exists(f, counted=True))
    if f.title is not None:
        titled = posts_on(f.on).filter(person=OuterRef("pk"), title=f.title)
        if f.unit_ids is not None:
            titled = titled.filter(unit_id__any_of=f.unit_ids)
        qs = qs.filter(Exists(titled))
    if f.needs_verdicts or f.retiring:
        qs = qs.filter(_post_exists(f))
    if f.sex:
        qs = qs.filter(sex=f.sex)
    if f.ethnicity:
        qs = qs.filter(ethnicity=f.ethnicity)
    if f.age is not None:
        low, high = f.age
        qs = qs.filter(birth_date__isnull=False)
        if low is not None:
            qs = qs.filter(birth_date__lte=_years_before(f.on, low))
        if high is not None:
            qs = qs.filter(birth_date__gt=_years_before(f.on, high + 1))
    if f.q:
        digits = f.q.replace(" ", "")
        if digits.isdigit():
            qs = qs.filter(identity_number__contains=digits)
        else:
            for word in fold(f.q).split():
                qs = qs.filter(name_folded__contains=word)
    return qs


def _retiring_ids(qs: QuerySet, f: Filters) -> list[int]:
    """The people of ``qs`` whose (earliest possible) retirement date falls in (on, on + N
    months] — for a birth date known only to the year, the retirement of a January birth."""
    from canbo.core.standards.engine import retirement_dates
    from canbo.standards.services import national_rules

    rows = list(
        qs.filter(birth_date__isnull=False).values_list("pk", "sex", "birth_date", "birth_date_precision")
    )
    if not rows:
        return []
    people = pl.DataFrame(
        rows,
        schema={"person_id": pl.Int64, "sex": pl.String, "birth_date": pl.Date, "birth_precision": pl.String},
        orient="row",
    )
    limit = _add_months(f.on, f.retiring or 0)
    first = pl.col("retirement_earliest")
    due = retirement_dates(people, national_rules()).filter(
        first.is_not_null() & (first > f.on) & (first <= limit)
    )
    return due["person_id"].to_list()


#: The findings' columns the filters and verdicts read (what :data:`_MEMO` keeps).
_MEMO_COLUMNS = ("person_id", "unit_id", "assignment_id", "criterion", "status")
#: Dates (with their data stamp) whose findings are kept in this process.
_MEMO_SIZE = 4
#: (date, data stamp) → (the people whose findings are in, their findings on the date): the
#: engine's findings kept between requests. The data stamp
#: (:func:`canbo.web.dashboard_data.data_stamp`) changes with any change to a person, post,
#: qualification, evaluation, unit, title or provincial decision, and with the national rules
#: in memory: findings of older data are never read again (and fall out of the memo).
_MEMO: OrderedDict[tuple[date, str], tuple[frozenset[int], pl.DataFrame]] = OrderedDict()
_MEMO_LOCK = threading.Lock()


def _evaluate_people(person_ids: list[int], on: date) -> pl.DataFrame:
    """The findings (:data:`_MEMO_COLUMNS`) of the posts ``person_ids`` hold on ``on``: one
    snapshot per :data:`CHUNK` people (the same :func:`canbo.standards.services.check` every
    report uses)."""
    from canbo.core.standards.engine import FINDING_SCHEMA
    from canbo.standards.services import check, provincial_layer

    empty = pl.DataFrame(schema={c: FINDING_SCHEMA[c] for c in _MEMO_COLUMNS})
    if not person_ids:
        return empty
    layer = provincial_layer()
    frames = [
        check(on, person_ids=person_ids[i : i + CHUNK], provincial=layer).findings.select(_MEMO_COLUMNS)
        for i in range(0, len(person_ids), CHUNK)
    ]
    return pl.concat([empty, *frames], how="vertical_relaxed")


def findings_for(person_ids: list[int], on: date, stamp: str | None = None) -> pl.DataFrame:
    """The engine's findings (:data:`_MEMO_COLUMNS`) for the posts ``person_ids`` hold on
    ``on``. Kept per date and data stamp (:data:`_MEMO`): only the people not yet evaluated on
    that date with these data are evaluated (:func:`_evaluate_people`), so that a list filtered
    by verdict does not evaluate its whole scope again at each request."""
    from canbo.web.dashboard_data import data_stamp

    key = (on, stamp or data_stamp())
    with _MEMO_LOCK:
        covered, frame = _MEMO.get(key) or (frozenset(), None)
    missing = [pid for pid in person_ids if pid not in covered]
    if missing or frame is None:
        new = _evaluate_people(sorted(set(missing)), on)
        frame = new if frame is None else pl.concat([frame, new], how="vertical_relaxed")
        covered = covered | frozenset(missing)
        with _MEMO_LOCK:
            _MEMO[key] = (covered, frame)
            _MEMO.move_to_end(key)
            while len(_MEMO) > _MEMO_SIZE:
                _MEMO.popitem(last=False)
    if len(set(person_ids)) == len(covered):  # every person kept: all of them asked for
        return frame
    return frame.filter(pl.col("person_id").is_in(pl.Series(person_ids, dtype=pl.Int64).implode()))


def clear_memo() -> None:
    """Forget every kept finding and answer (tests)."""
    with _MEMO_LOCK:
        _MEMO.clear()
        _ANSWERS.clear()


def compute_verdicts(findings: pl.DataFrame, unit_ids: Iterable[int] | None = None) -> dict[int, str]:
    """person id → overall verdict (``met`` | ``not_met`` | ``unknown``) of their findings
    (restricted to posts in ``unit_ids`` when given)."""
    if unit_ids is not None:
        findings = findings.filter(pl.col("unit_id").is_in(list(unit_ids)))
    if findings.is_empty():
        return {}
    return dict(_verdicts(findings, ["person_id"]).iter_rows())


def _verdicts(findings: pl.DataFrame, group: list[str]) -> pl.DataFrame:
    """``group`` + verdict: ``not_met`` when any finding is unmet, ``met`` when all are met,
    else ``unknown`` — the reports' rule (:func:`canbo.core.reports.people.profile`)."""
    return findings.group_by(group).agg(
        pl.when((pl.col("status") == "unmet").any())
        .then(pl.lit("not_met"))
        .when((pl.col("status") == "met").all())
        .then(pl.lit("met"))
        .otherwise(pl.lit("unknown"))
        .alias("verdict")
    )


def _matching(findings: pl.DataFrame, f: Filters, verdicts: dict[int, str]) -> set[int]:
    """The people whose findings pass the status, criterion and category filters."""
    if f.unit_ids is not None:
        findings = findings.filter(pl.col("unit_id").is_in(list(f.unit_ids)))
    keep: set[int] | None = None

    def narrow(ids: Iterable[int]) -> None:
        nonlocal keep
        ids = set(ids)
        keep = ids if keep is None else keep & ids

    if f.criterion:
        sub = _verdicts(findings.filter(pl.col("criterion") == f.criterion), ["person_id"])
        if f.status:
            sub = sub.filter(pl.col("verdict") == f.status)
        narrow(sub["person_id"].to_list())
    elif f.status:
        narrow(pid for pid, v in verdicts.items() if v == f.status)
    if f.category == "below_standard":
        narrow(findings.filter(pl.col("status") == "unmet")["person_id"].to_list())
    elif f.category == "missing_data":
        narrow(findings.filter(pl.col("status") == "unknown")["person_id"].to_list())
    elif f.category == "field_mismatch":
        prof = findings.filter((pl.col("criterion") == "professional") & (pl.col("status") == "met"))
        mismatch = findings.filter(
            (pl.col("criterion") == "field_of_study") & (pl.col("status") == "unmet")
        ).join(prof.select("assignment_id"), on="assignment_id", how="semi")
        narrow(mismatch["person_id"].to_list())
    return keep or set()


#: The answers kept between requests: (data stamp, role, scope unit, filters) → the ordered ids
#: found. The data stamp (:func:`canbo.web.dashboard_data.data_stamp`) changes with any change
#: to the data a filter reads (people, posts, qualifications, evaluations, units and their tree,
#: titles, provincial decisions) and with the national rules in memory, so an answer is never
#: read for data it was not computed from; the filters include the date.
_ANSWERS: OrderedDict[tuple, array] = OrderedDict()
#: At most this many ids are kept in :data:`_ANSWERS` (8 bytes each), the oldest answers
#: forgotten first.
_ANSWERS_MAX_IDS = 4_000_000


def _answer_key(user, f: Filters, stamp: str) -> tuple:
    return (
        stamp,
        scope.role_of(user),
        getattr(user, "scope_unit_id", None),
        tuple(sorted(f.query().items())),
    )


def run(user, params: Mapping, *, filters: Filters | None = None) -> Result:
    """The people ``params`` ask for, within ``user``'s scope (see the module docstring). The
    answer (the ordered ids) is kept per data stamp (:data:`_ANSWERS`): a page of a list
    already asked for with these data costs reading its people only."""
    from canbo.web.dashboard_data import data_stamp

    f = filters or parse(user, params)
    qs = _base(user, f)
    result = Result(base=qs, filters=f, description=f.describe())
    result.narrowed = bool(f.retiring or f.needs_verdicts)
    stamp = result.stamp = data_stamp()
    key = _answer_key(user, f, stamp)
    with _MEMO_LOCK:
        kept = _ANSWERS.get(key)
        if kept is not None:
            _ANSWERS.move_to_end(key)
    if kept is not None:
        result.ordered_ids = kept
        return result
    ids = list(qs.order_by("sort_name", "pk").values_list("pk", flat=True))
    keep: set[int] | None = None
    if f.retiring:
        keep = set(_retiring_ids(qs, f))
    if f.needs_verdicts:
        candidates = ids if keep is None else [pk for pk in ids if pk in keep]
        findings = findings_for(candidates, f.on, stamp)
        # Holding a post with no standard checked at all: unknown, as the reports count.
        verdicts = dict.fromkeys(candidates, "unknown") | compute_verdicts(findings, f.unit_ids)
        keep = _matching(findings, f, verdicts)
        result.verdicts = verdicts
    answer = array("q", ids if keep is None else (pk for pk in ids if pk in keep))
    result.ordered_ids = answer
    with _MEMO_LOCK:
        _ANSWERS[key] = answer
        total = sum(len(a) for a in _ANSWERS.values())
        while total > _ANSWERS_MAX_IDS and len(_ANSWERS) > 1:
            total -= len(_ANSWERS.popitem(last=False)[1])
    return result


def people_query(user, params: Mapping) -> tuple[QuerySet, str]:
    """The people ``params`` ask for (a queryset of :class:`Person` in Vietnamese order) and the
    filters in words — what a count that links to ``/people/?…`` must count
    (``people_query(user, {"unit": 12, "status": "not_met"})[0].count()``)."""
    result = run(user, params)
    return result.queryset, result.description
