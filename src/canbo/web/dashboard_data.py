"""The figures of the dashboard (issue 10 §1): one unit, one date, counted as the reports count.

Everything comes from one engine evaluation per unit covering the chosen unit on the date
(:func:`canbo.reports.services.lineage_roots`: the unit itself while it exists; before it was
formed by the 2025 reform, the old units merged into it), through the services every other
page uses — :func:`canbo.standards.services.check`, :func:`canbo.standards.services.staffing`
and the reports' :func:`canbo.core.reports.people.profile` — so that a figure here is the
figure of the reports and of the people list behind it:

* **in post** — people holding, on the date, a post of a counted kind (cán bộ, công chức, and
  from 01/07/2025 the job positions) in a commune-level unit, each once;
* **standard** — a person's overall verdict from the findings of their posts on the date:
  met when every finding is met, not met when any is unmet, otherwise unknown;
* **per criterion** — for each criterion checked for somebody, the people in post whose
  findings on it are all met / any unmet / otherwise unknown;
* **thừa / thiếu / yếu** — the staffing analysis of the communes (the staffing report's
  *Thừa*, *Thiếu*, *Còn trống*, *Chưa đạt chuẩn* columns, summed over the communes);
* **retiring within 12 / 24 months** — people in post whose normal retirement takes effect
  (the first day of the month after reaching the age of the rule set,
  :func:`canbo.core.standards.engine.retirement_dates`) after the date and at most 12 / 24
  months after it; a birth date known only to the year has no retirement month and is not
  counted.

Caching. A snapshot of the demo province costs about 0.2 s, a trend point as much, so every
figure is cached in Django's cache under (unit, date, data stamp). The data stamp
(:func:`data_stamp`) is the largest ``history_id`` of every history table the figures read
(django-simple-history writes a row for every save, delete and bulk import through the ORM)
plus the identity of the loaded national rules; any change to a person, post, qualification,
evaluation, unit or provincial decision therefore gives new keys, and old entries expire.
One query computes the stamp.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import polars as pl
from django.apps import apps
from django.core.cache import cache
from django.db import connection
from django.db.models import Q

from canbo.core.reports import trend
from canbo.core.reports.people import profile
from canbo.core.standards.engine import retirement_dates
from canbo.registry.models import Unit
from canbo.reports.services import lineage_roots
from canbo.standards import services as standards
from canbo.standards.pages import CRITERION_ORDER

__all__ = ["add_months", "data_stamp", "figures", "trend_points"]

#: Apps whose history tables the figures depend on.
_STAMP_APPS = ("registry", "conduct", "standards")
#: Seconds a cached figure lives (the stamp makes stale entries unreachable anyway).
CACHE_SECONDS = 6 * 3600
REFORM = date(2025, 7, 1)


def add_months(d: date, months: int) -> date:
    """``d`` plus ``months`` calendar months (the last day of a shorter month)."""
    import calendar

    index = d.year * 12 + d.month - 1 + months
    y, m = divmod(index, 12)
    return date(y, m + 1, min(d.day, calendar.monthrange(y, m + 1)[1]))


def _history_tables() -> list[str]:
    tables = []
    for model in apps.get_models():
        if model._meta.app_label in _STAMP_APPS and model.__name__.startswith("Historical"):
            tables.append(model._meta.db_table)
    return sorted(tables)


def data_stamp() -> str:
    """A text that changes whenever a record the figures read changes (module docstring)."""
    q = connection.ops.quote_name
    tables = _history_tables()
    sql = " UNION ALL ".join(f"SELECT MAX(history_id) FROM {q(t)}" for t in tables)
    with connection.cursor() as cur:
        cur.execute(sql)
        values = [r[0] or 0 for r in cur.fetchall()]
    rules = standards.national_rules()
    return f"{sum(values)}.{max(values, default=0)}.{id(rules):x}"


def _key(kind: str, unit_id: int, on: date, stamp: str) -> str:
    return f"canbo:dash:{kind}:{unit_id}:{on.isoformat()}:{stamp}"


def _evaluate(unit: Unit, on: date) -> tuple[standards.Check, list[int]]:
    """One check covering ``unit`` on ``on`` (its lineage roots combined) and the roots."""
    roots = lineage_roots(unit, [on])[on]
    units = Unit.objects.in_bulk(roots)
    checks = [standards.check(on, unit=units[pk]) for pk in roots]
    if len(checks) == 1:
        return checks[0], roots
    snapshot, findings = trend.combine([(c.snapshot, c.findings) for c in checks])
    if checks:
        return replace(checks[0], snapshot=snapshot, findings=findings), roots
    return (
        standards.Check(on, snapshot, findings, standards.national_rules(), standards.provincial_layer()),
        roots,
    )


def _person_status(findings: pl.DataFrame, group: list[str]) -> pl.DataFrame:
    """group + status (met / unmet / unknown) of each person (and criterion) from findings."""
    return findings.group_by(group).agg(
        pl.when((pl.col("status") == "unmet").any())
        .then(pl.lit("unmet"))
        .when((pl.col("status") == "met").all())
        .then(pl.lit("met"))
        .otherwise(pl.lit("unknown"))
        .alias("status")
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
    people = profile(snapshot, findings, on)
    in_post = people.select("person_id")
    status = dict(people.group_by("standard").len().iter_rows()) if not people.is_empty() else {}
    per_criterion = _person_status(
        findings.join(in_post, on="person_id", how="semi"), ["person_id", "criterion"]
    )
    crit_counts: dict[str, dict[str, int]] = {}
    for crit, st, n in per_criterion.group_by("criterion", "status").len().iter_rows():
        crit_counts.setdefault(crit, {"met": 0, "unmet": 0, "unknown": 0})[st] = n
    order = {c: i for i, c in enumerate(CRITERION_ORDER)}
    criteria = [
        (c, v["met"], v["unmet"], v["unknown"])
        for c, v in sorted(crit_counts.items(), key=lambda kv: (order.get(kv[0], 99), kv[0]))
    ]

    analysis = standards.staffing(result)
    communes = analysis.units.filter(pl.col("level") == "commune_level").unique("unit_id")

    def total(col: str) -> int | None:
        if col not in communes.columns or communes.is_empty():
            return 0
        known = communes[col].drop_nulls()
        return int(known.sum()) if len(known) else None

    cats = analysis.people.select("unit_id", "person_id", "category")
    staffing = {
        "communes": len(communes),
        "quota": total("quota"),
        "quota_unknown": int(communes["quota_unknown"].sum()) if not communes.is_empty() else 0,
        "headcount": total("headcount"),
        "surplus": total("surplus"),
        "shortfall": total("shortfall"),
        "vacant_count": total("vacant_count"),
        "over_count": total("over_count"),
        **{c: cats.filter(pl.col("category") == c)["person_id"].n_unique() for c in _CATEGORIES},
    }

    ret = retirement_dates(snapshot.people.join(in_post, on="person_id", how="semi"), result.rules).filter(
        pl.col("retirement_date").is_not_null() & (pl.col("retirement_date") > on)
    )
    retiring = {
        n: int(ret.filter(pl.col("retirement_date") <= add_months(on, n)).height) for n in RETIRING_MONTHS
    }

    # Child rows: each commune of the snapshot goes to the row it lies in.
    rows = _display_rows(unit, roots, on)
    row_ids = {r["pk"] for r in rows}
    units = snapshot.units.select("unit_id", "district_id", "province_id").unique("unit_id")
    owner: dict[int, int] = {}
    for uid, did, pid in units.iter_rows():
        for cand in (uid, did, pid):
            if cand in row_ids:
                owner[uid] = cand
                break
    owner_frame = pl.DataFrame(
        {"unit_id": list(owner), "row": list(owner.values())}, schema={"unit_id": pl.Int64, "row": pl.Int64}
    )
    counted = (
        snapshot.posts_on(on)
        .filter(pl.col("title_kind").is_in(["cadre", "civil_servant", "job_position"]))
        .join(owner_frame, on="unit_id", how="inner")
        .select("row", "person_id")
        .unique()
        .join(people.select("person_id", "standard"), on="person_id", how="inner")
    )
    by_row: dict[int, dict] = {r["pk"]: {"people": 0, "met": 0, "unmet": 0, "unknown": 0} for r in rows}
    for row, st, n in counted.group_by("row", "standard").len().iter_rows():
        by_row[row][st] = n
        by_row[row]["people"] += n
    for row, n in (
        counted.join(ret.select("person_id", "retirement_date"), on="person_id")
        .filter(pl.col("retirement_date") <= add_months(on, 12))
        .group_by("row")
        .len()
        .iter_rows()
    ):
        by_row[row]["retiring12"] = n
    staff_rows = communes.join(owner_frame, on="unit_id", how="inner")
    for row in rows:
        part = staff_rows.filter(pl.col("row") == row["pk"])
        below = cats.join(owner_frame, on="unit_id").filter(
            (pl.col("row") == row["pk"]) & (pl.col("category") == "below_standard")
        )
        f = by_row[row["pk"]]
        f.setdefault("retiring12", 0)
        f["surplus"] = int(part["surplus"].drop_nulls().sum()) if part["surplus"].drop_nulls().len() else None
        f["shortfall"] = (
            int(part["shortfall"].drop_nulls().sum()) if part["shortfall"].drop_nulls().len() else None
        )
        f["vacant_count"] = int(part["vacant_count"].fill_null(0).sum())
        f["below_standard"] = below["person_id"].n_unique()
        row.update(f)
    return {
        "on": on,
        "unit_id": unit.pk,
        "roots": roots,
        "people": len(people),
        "status": {k: int(status.get(k, 0)) for k in ("met", "unmet", "unknown")},
        "criteria": criteria,
        "staffing": staffing,
        "retiring": retiring,
        "rows": rows,
    }


_CATEGORIES = ("below_standard", "field_mismatch", "missing_data")
RETIRING_MONTHS = (12, 24)


def trend_points(unit: Unit, on: date, stamp: str | None = None) -> list[tuple[date, int, int]]:
    """(date, people in post, people meeting the standard) at 31/12 of each year from 2005 to
    the year before ``on``, then on ``on`` — each point cached (module docstring)."""
    stamp = stamp or data_stamp()
    dates = trend.points_dates(on)
    keys = {d: _key("trend", unit.pk, d, stamp) for d in dates}
    found = cache.get_many(list(keys.values()))
    out = []
    for d in dates:
        value = found.get(keys[d])
        if value is None:
            result, _roots = _evaluate(unit, d)
            people = profile(result.snapshot, result.findings, d)
            value = (len(people), int((people["standard"] == "met").sum()) if len(people) else 0)
            cache.set(keys[d], value, CACHE_SECONDS)
        out.append((d, value[0], value[1]))
    return out


def trend_cached(unit: Unit, on: date, stamp: str) -> bool:
    """Whether every point of the trend of ``unit`` up to ``on`` is in the cache."""
    keys = [_key("trend", unit.pk, d, stamp) for d in trend.points_dates(on)]
    return len(cache.get_many(keys)) == len(keys)
