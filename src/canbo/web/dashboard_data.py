"""The figures of the dashboard (issue 10 §1): one unit, one date.

Everything comes from one engine evaluation per unit covering the chosen unit on the date
(:func:`canbo.reports.services.lineage_roots`: the unit itself while it exists; before it was
formed by the 2025 reform, the old units merged into it), through the services every other
page uses (:func:`canbo.standards.services.check` and :func:`~canbo.standards.services.staffing`).
Every count that links to the people list is counted as the people list filters
(:mod:`canbo.web.people_query`), so that the list shows exactly the people counted:

* **in post** (``in_post=1``) — people holding on the date, in the unit (or a unit below it
  or merged into it), a post the reports count (:mod:`canbo.core.reports.people`: a cadre,
  civil servant or job position title in a commune-level unit), each once;
* **standard** (``in_post=1&status=``) — a person's overall verdict by the reports' rule from
  the engine's findings of the posts they hold there: not met if any finding is unmet, met if
  every finding is met, otherwise unknown (also when no standard applies);
* **per criterion** (``in_post=1&criterion=&status=``) — the people in post with that verdict
  on that criterion, by the same rule; the people it applies to (``in_post=1&criterion=``);
* **yếu / trái ngành / thiếu dữ liệu** (``category=``) — people holding a post there with a
  finding unmet; with the field of study unmet while the professional level is met; with a
  finding unknown (as the staffing analysis counts them);
* **retiring within 12 / 24 months** (``in_post=1&retiring=``) — people in post whose normal
  retirement (the first day of the month after reaching the rule set's age,
  :func:`canbo.core.standards.engine.retirement_dates`) takes effect after the date and at
  most 12 / 24 months after it; a birth date known only to the year gives no month and is
  not counted.

*Thừa*, *thiếu* and vacant titles are the staffing analysis's (the staffing report's columns,
summed over the communes); they count places, not people.

Caching. A snapshot of the demo province costs about 0.2 s, a trend point as much, so every
figure is cached in Django's cache under (unit, date, data stamp). The data stamp
(:func:`data_stamp`, one query) is a digest of the largest primary keys of every table of the
registry, conduct and standards apps and of their history tables, with the identity of the
national rules in memory. django-simple-history adds a history row for every save and delete
through the ORM, and the importer writes history rows with its bulk inserts
(:mod:`canbo.imports.bulk`); the reference loader's bulk inserts raise the tables' own largest
ids. So any change to a person, post, qualification, evaluation, unit, title or provincial
decision gives new keys: a stale figure is never read, old entries expire
(:data:`CACHE_SECONDS`). Not seen: a change made around the ORM and its history (raw SQL,
``QuerySet.update``, a bulk delete without signals) — the figures catch up with the next
recorded change or a restart.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from dataclasses import replace
from datetime import date

import polars as pl
from django.apps import apps
from django.core.cache import cache
from django.db import connection
from django.db.models import Q

from canbo.core.reports import trend
from canbo.core.reports.people import COUNTED_KINDS
from canbo.core.standards.engine import retirement_dates
from canbo.registry.models import Unit
from canbo.reports.services import lineage_roots
from canbo.standards import services as standards
from canbo.standards.pages import CRITERION_ORDER

__all__ = ["add_months", "data_stamp", "figures", "trend_points", "unit_check"]

#: Apps whose history tables the figures depend on.
_STAMP_APPS = ("registry", "conduct", "standards")
#: Seconds a cached figure lives (the stamp makes stale entries unreachable anyway).
CACHE_SECONDS = 6 * 3600
REFORM = date(2025, 7, 1)
#: The retirement horizons shown, in months (the people list's ``retiring`` values).
RETIRING_MONTHS = (12, 24)


def add_months(d: date, months: int) -> date:
    """``d`` plus ``months`` calendar months (the last day of a shorter month)."""
    import calendar

    index = d.year * 12 + d.month - 1 + months
    y, m = divmod(index, 12)
    return date(y, m + 1, min(d.day, calendar.monthrange(y, m + 1)[1]))


def _stamp_tables() -> list[tuple[str, str]]:
    """(table, primary key column) of every model of the apps the figures read, with their
    history tables (whose primary key is ``history_id``)."""
    out = []
    for model in apps.get_models():
        column = model._meta.pk.column if model._meta.pk is not None else None
        if model._meta.app_label in _STAMP_APPS and not model._meta.proxy and column:
            out.append((model._meta.db_table, column))
    return sorted(set(out))


def data_stamp() -> str:
    """A text that changes whenever a record the figures read changes (module docstring): the
    largest primary keys of those tables (a digest of them) and the identity of the national
    rules in memory. One query. (Not their sum: deleting a table's last row lowers its largest
    id by as much as its history row raises the history table's.)"""
    q = connection.ops.quote_name
    sql = " UNION ALL ".join(f"SELECT MAX({q(pk)}) FROM {q(t)}" for t, pk in _stamp_tables())
    with connection.cursor() as cur:
        cur.execute(sql)
        values = [int(r[0] or 0) for r in cur.fetchall()]
    from canbo.standards.rules_cache import generation

    rules = standards.national_rules()
    digest = hashlib.blake2b(",".join(map(str, values)).encode(), digest_size=10).hexdigest()
    return f"{digest}.{id(rules):x}.{generation()}"


def _key(kind: str, unit_id: int, on: date, stamp: str) -> str:
    return f"canbo:dash:{kind}:{unit_id}:{on.isoformat()}:{stamp}"


def _roots(unit: Unit, on: date) -> list[int]:
    """The units whose snapshots cover ``unit`` on ``on``: the unit itself while it exists,
    else :func:`canbo.reports.services.lineage_roots` (the old units merged into it)."""
    if (unit.valid_from is None or unit.valid_from <= on) and (unit.valid_to is None or unit.valid_to >= on):
        return [unit.pk]
    return lineage_roots(unit, [on])[on]


def _narrow(result: standards.Check, roots: list[int]) -> standards.Check:
    """``result`` (a check of the roots' common parent) cut down to the roots and the units
    below them: their posts, the holders of those posts, the findings of those posts."""
    snap = result.snapshot
    ids = pl.Series(roots, dtype=pl.Int64).implode()
    units = snap.units
    inside = units.filter(
        pl.col("unit_id").is_in(ids) | pl.col("parent_id").is_in(ids) | pl.col("district_id").is_in(ids)
    ).select("unit_id")
    posts = snap.posts.join(inside, on="unit_id", how="semi")
    holders = posts.select("person_id").unique()
    snapshot = replace(
        snap,
        posts=posts,
        people=snap.people.join(holders, on="person_id", how="semi"),
        qualifications=snap.qualifications.join(holders, on="person_id", how="semi"),
        evaluations=snap.evaluations.join(holders, on="person_id", how="semi"),
        disciplines=snap.disciplines.join(holders, on="person_id", how="semi"),
        units=units.filter(
            (pl.col("level") != "commune_level") | pl.col("unit_id").is_in(inside["unit_id"].implode())
        ),
    )
    findings = result.findings.join(inside, on="unit_id", how="semi")
    return replace(result, snapshot=snapshot, findings=findings)


def _evaluate(
    unit: Unit, on: date, roots: list[int] | None = None, layer=None
) -> tuple[standards.Check, list[int]]:
    """One check covering ``unit`` on ``on`` and the units it covers (:func:`_roots`, unless
    given). Several old units under one parent (the old communes of a district merged into a
    new commune) are checked as that parent, cut down to them: one snapshot instead of one per
    unit. ``layer``: the provincial layer, if already read."""
    roots = roots if roots is not None else _roots(unit, on)
    units = Unit.objects.in_bulk(roots)
    if len(roots) == 1:
        return standards.check(on, unit=units[roots[0]], provincial=layer), roots
    parents = {units[pk].parent_id for pk in roots}
    parent_id = parents.pop() if len(parents) == 1 else None
    if parent_id is not None:
        parent = Unit.objects.get(pk=parent_id)
        return _narrow(standards.check(on, unit=parent, provincial=layer), roots), roots
    checks = [standards.check(on, unit=units[pk], provincial=layer) for pk in roots]
    if checks:
        snapshot, findings = trend.combine([(c.snapshot, c.findings) for c in checks])
        return replace(checks[0], snapshot=snapshot, findings=findings), roots
    empty, no_findings = trend.combine([])
    return standards.Check(
        on, empty, no_findings, standards.national_rules(), standards.provincial_layer()
    ), roots


def _verdicts(findings: pl.DataFrame, keys: list[str]) -> pl.DataFrame:
    """keys + verdict (met / unmet / unknown) from ``findings`` by the reports' rule
    (:func:`canbo.core.reports.people.profile`): unmet if any finding is unmet, met if every
    finding is met, otherwise unknown."""
    return findings.group_by(keys).agg(
        pl.when((pl.col("status") == "unmet").any())
        .then(pl.lit("unmet"))
        .when((pl.col("status") == "met").all())
        .then(pl.lit("met"))
        .otherwise(pl.lit("unknown"))
        .alias("verdict")
    )


_ZERO = {
    "people": 0,
    "met": 0,
    "unmet": 0,
    "unknown": 0,
    "below_standard": 0,
    "missing_data": 0,
    "field_mismatch": 0,
}


def _counts(counted: pl.DataFrame, findings: pl.DataFrame, due: pl.DataFrame, on: date) -> dict[int, dict]:
    """The counts of each group ``g`` (the whole unit, or each child row): ``counted`` (g,
    person_id) the people in post, ``findings`` the engine's findings of every post held in
    the group (with ``g``), ``due`` (person_id, retirement_date) the retirements after ``on``.
    Each count is the number of people the people list gives for the same parameters
    (:mod:`canbo.web.people_query`; module docstring)."""
    out: dict[int, dict] = {}

    def slot(g: int) -> dict:
        return out.setdefault(g, {**_ZERO, "criteria": {}, "retiring": dict.fromkeys(RETIRING_MONTHS, 0)})

    def put(g: int, key: str, n: int) -> None:
        slot(g)[key] = int(n)

    pairs = counted.select("g", "person_id").unique()
    for g, n in pairs.group_by("g").len().iter_rows():
        put(g, "people", n)
    mine = findings.join(pairs, on=["g", "person_id"], how="semi")
    verdict = pairs.join(_verdicts(mine, ["g", "person_id"]), on=["g", "person_id"], how="left").with_columns(
        pl.col("verdict").fill_null("unknown")  # no standard checked: unknown, as the reports count
    )
    for g, v, n in verdict.group_by("g", "verdict").len().iter_rows():
        put(g, v, n)
    per_crit = _verdicts(mine, ["g", "person_id", "criterion"])
    for g, c, v, n in per_crit.group_by("g", "criterion", "verdict").len().iter_rows():
        crit = slot(g)["criteria"].setdefault(c, {"met": 0, "unmet": 0, "unknown": 0, "total": 0})
        crit[v] = int(n)
        crit["total"] += int(n)
    prof_met = findings.filter((pl.col("criterion") == "professional") & (pl.col("status") == "met"))
    categories = {
        "below_standard": findings.filter(pl.col("status") == "unmet"),
        "missing_data": findings.filter(pl.col("status") == "unknown"),
        "field_mismatch": findings.filter(
            (pl.col("criterion") == "field_of_study") & (pl.col("status") == "unmet")
        ).join(prof_met.select("assignment_id"), on="assignment_id", how="semi"),
    }
    for name, frame in categories.items():
        for g, n in frame.group_by("g").agg(pl.col("person_id").n_unique()).iter_rows():
            put(g, name, n)
    retiring = pairs.join(due, on="person_id", how="inner")
    for months in RETIRING_MONTHS:
        soon = retiring.filter(pl.col("retirement_date") <= add_months(on, months))
        for g, n in soon.group_by("g").agg(pl.col("person_id").n_unique()).iter_rows():
            slot(g)["retiring"][months] = int(n)
    return out


def _due(snapshot, people: pl.DataFrame, on: date, rules) -> pl.DataFrame:
    """person_id, retirement_date of ``people`` whose normal retirement takes effect after
    ``on``; a birth date known only to the year gives no retirement month and is left out."""
    frame = snapshot.people.join(people.select("person_id").unique(), on="person_id", how="semi")
    return (
        retirement_dates(frame, rules)
        .filter(pl.col("retirement_date").is_not_null() & (pl.col("retirement_date") > on))
        .select("person_id", "retirement_date")
    )


def counted_posts(snapshot, on: date) -> pl.DataFrame:
    """The posts that make a person *in post* on ``on`` as every report counts them
    (:mod:`canbo.core.reports.people`): a cadre, civil servant or job position title in a
    commune-level unit existing on the date."""
    communes = snapshot.units_on(on).filter(pl.col("level") == "commune_level").select("unit_id")
    return (
        snapshot.posts_on(on)
        .filter(pl.col("title_kind").is_in(COUNTED_KINDS))
        .join(communes, on="unit_id", how="semi")
        .select("person_id", "unit_id")
    )


def _display_rows(unit: Unit, roots: list[int], on: date) -> list[dict]:
    """The units listed under ``unit`` on ``on``: its children while it exists; before it was
    formed, the old communes merged into it, or the children of the old districts and
    provinces merged into it."""
    roots_units = Unit.objects.in_bulk(roots)
    parents = [pk for pk in roots if roots_units[pk].level != "commune_level"]
    single = [pk for pk in roots if roots_units[pk].level == "commune_level" and pk != unit.pk]
    valid = (Q(valid_from__isnull=True) | Q(valid_from__lte=on)) & (
        Q(valid_to__isnull=True) | Q(valid_to__gte=on)
    )
    qs = Unit.objects.filter((Q(parent_id__in=parents) | Q(pk__in=single)) & valid)
    return [
        dict(r) for r in qs.order_by("code").values("pk", "code", "name", "level", "valid_from", "valid_to")
    ]


def figures(unit: Unit, on: date, stamp: str | None = None) -> dict:
    """The dashboard's figures of ``unit`` on ``on`` (module docstring), cached."""
    stamp = stamp or data_stamp()
    key = _key("fig", unit.pk, on, stamp)
    found = cache.get(key)
    if found is not None:
        return found
    result = _compute(unit, on)
    cache.set(key, result, CACHE_SECONDS)
    cache.set(_key("trend", unit.pk, on, stamp), (result["people"], result["status"]["met"]), CACHE_SECONDS)
    return result


def _compute(unit: Unit, on: date) -> dict:
    result, roots = _evaluate(unit, on)
    snapshot, findings = result.snapshot, result.findings
    counted = counted_posts(snapshot, on)
    due = _due(snapshot, counted, on, result.rules)
    whole = _counts(counted.with_columns(g=pl.lit(0)), findings.with_columns(g=pl.lit(0)), due, on).get(0)
    whole = whole or {**_ZERO, "criteria": {}, "retiring": dict.fromkeys(RETIRING_MONTHS, 0)}
    order = {c: i for i, c in enumerate(CRITERION_ORDER)}
    criteria = [
        (c, v["met"], v["unmet"], v["unknown"])
        for c, v in sorted(whole["criteria"].items(), key=lambda kv: (order.get(kv[0], 99), kv[0]))
    ]

    analysis = standards.staffing(result)
    communes = analysis.units.filter(pl.col("level") == "commune_level").unique("unit_id")

    def total(frame: pl.DataFrame, col: str) -> int | None:
        if frame.is_empty():
            return 0
        known = frame[col].drop_nulls()
        return int(known.sum()) if len(known) else None

    staffing = {
        "communes": len(communes),
        "quota_unknown": int(communes["quota_unknown"].sum()) if not communes.is_empty() else 0,
        **{c: total(communes, c) for c in ("quota", "headcount", "surplus", "shortfall", "vacant_count")},
        **{c: whole[c] for c in ("below_standard", "field_mismatch", "missing_data")},
    }

    # Child rows: each unit of the snapshot goes to the row it lies in.
    rows = _display_rows(unit, roots, on)
    row_ids = {r["pk"] for r in rows}
    owner: dict[int, int] = {}
    units = snapshot.units.select("unit_id", "district_id", "province_id").unique("unit_id")
    for uid, did, pid in units.iter_rows():
        for cand in (uid, did, pid):
            if cand in row_ids:
                owner[uid] = cand
                break
    owner_frame = pl.DataFrame(
        {"unit_id": list(owner), "g": list(owner.values())}, schema={"unit_id": pl.Int64, "g": pl.Int64}
    )
    counts = _counts(
        counted.join(owner_frame, on="unit_id", how="inner"),
        findings.join(owner_frame, on="unit_id", how="inner"),
        due,
        on,
    )
    staff_rows = communes.join(owner_frame, on="unit_id", how="inner")
    by_row = {
        pk: {c: total(frame, c) for c in ("surplus", "shortfall", "vacant_count")}
        for (pk,), frame in staff_rows.group_by(["g"])
    }
    for row in rows:
        c = counts.get(row["pk"]) or {**_ZERO, "retiring": dict.fromkeys(RETIRING_MONTHS, 0)}
        staff = by_row.get(row["pk"], {"surplus": None, "shortfall": None, "vacant_count": 0})
        row.update(
            {k: c[k] for k in ("people", "met", "unmet", "unknown", "below_standard")},
            retiring12=c["retiring"][12],
            surplus=staff["surplus"],
            shortfall=staff["shortfall"],
            vacant_count=staff["vacant_count"] or 0,
        )
    return {
        "on": on,
        "unit_id": unit.pk,
        "roots": roots,
        "people": whole["people"],
        "status": {k: whole[k] for k in ("met", "unmet", "unknown")},
        "criteria": criteria,
        "criteria_checked": {c: v["total"] for c, v in whole["criteria"].items()},
        "staffing": staffing,
        "retiring": whole["retiring"],
        "rows": rows,
    }


def trend_points(unit: Unit, on: date, stamp: str | None = None) -> list[tuple[date, int, int]]:
    """(date, people in post, people meeting the standard) at 31/12 of each year from 2005 to
    the year before ``on``, then on ``on`` — each point cached (module docstring)."""
    stamp = stamp or data_stamp()
    dates = trend.points_dates(on)
    keys = {d: _key("trend", unit.pk, d, stamp) for d in dates}
    found = cache.get_many(list(keys.values()))
    missing = [d for d in dates if keys[d] not in found]
    # The lineage of every missing date at once, and the provincial layer once.
    exists = [d for d in missing if (unit.valid_from or d) <= d <= (unit.valid_to or d)]
    roots = {d: [unit.pk] for d in exists}
    before = [d for d in missing if d not in roots]
    if before:
        roots |= lineage_roots(unit, before)
    layer = standards.provincial_layer() if missing else None
    out = []
    for d in dates:
        value = found.get(keys[d])
        if value is None:
            result, _roots = _evaluate(unit, d, roots[d], layer)
            counted = counted_posts(result.snapshot, d).select("person_id").unique()
            mine = result.findings.join(counted, on="person_id", how="semi")
            verdict = _verdicts(mine, ["person_id"])
            value = (len(counted), int((verdict["verdict"] == "met").sum()))
            cache.set(keys[d], value, CACHE_SECONDS)
        out.append((d, value[0], value[1]))
    return out


def trend_cached(unit: Unit, on: date, stamp: str) -> bool:
    """Whether every point of the trend of ``unit`` up to ``on`` is in the cache."""
    keys = [_key("trend", unit.pk, d, stamp) for d in trend.points_dates(on)]
    return len(cache.get_many(keys)) == len(keys)


#: (unit id, date, data stamp) → the check of a commune on the date and its staffing analysis:
#: the commune page's engine run, kept in the process (the stamp makes stale entries
#: unreachable; the oldest are forgotten past :data:`_CHECKS_SIZE`).
_CHECKS: OrderedDict[tuple[int, date, str], tuple[standards.Check, object]] = OrderedDict()
_CHECKS_SIZE = 256
_CHECKS_LOCK = threading.Lock()


def unit_check(unit: Unit, on: date, stamp: str | None = None):
    """``(check, staffing)`` of ``unit``'s subtree on ``on`` (:func:`canbo.standards.services.check`
    and :func:`~canbo.standards.services.staffing`), kept per data stamp (:data:`_CHECKS`)."""
    key = (unit.pk, on, stamp or data_stamp())
    with _CHECKS_LOCK:
        found = _CHECKS.get(key)
        if found is not None:
            _CHECKS.move_to_end(key)
            return found
    result = standards.check(on, unit=unit)
    found = (result, standards.staffing(result))
    with _CHECKS_LOCK:
        _CHECKS[key] = found
        while len(_CHECKS) > _CHECKS_SIZE:
            _CHECKS.popitem(last=False)
    return found


def clear_memo() -> None:
    """Forget the kept checks (tests)."""
    with _CHECKS_LOCK:
        _CHECKS.clear()
