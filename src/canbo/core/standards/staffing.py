"""Staffing analysis per commune on a date: quota, headcount, *thừa, thiếu, yếu*.

For each commune-level unit in the snapshot that exists on the date:

* **quota** (định biên) — Decree 92/2009, Decree 34/2019, Decree 33/2023 Art. 6 by unit kind
  and class, plus Decree 33/2023 Art. 6(2) population and area increments; from 1/7/2025 the
  number set by the province (provincial layer), *unknown* until it has decided;
* **headcount** — distinct people holding a post of a counted title kind on the date;
* **surplus** (*thừa*) — headcount above the quota, and titles with more holders than allowed;
* **vacancies** (*thiếu*) — titles of the unit's establishment with fewer holders than required,
  and places left under the quota;
* **below standard** (*yếu*) — people with at least one unmet finding;
* **field mismatch** (*trái ngành*) — people whose degree reaches the level but not the field;
* **missing data** — people with at least one *unknown* finding;

each with the people concerned, and rolled up to district (before 1/7/2025) and province.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date

import polars as pl

from .provincial import ProvincialLayer
from .rules import Quota, RuleSet, default_rules
from .snapshot import Snapshot

__all__ = ["StaffingReport", "analyse_staffing", "quotas"]

MOUNTAIN_FLAGS = frozenset({"mountainous", "highland"})
_DEFAULT_COUNTS = ("cadre", "civil_servant", "job_position")
#: Why a quota is unknown or incomplete: (Vietnamese, English).
_NOTES = {
    "no_rule": (
        "Không có quy định định biên cho loại đơn vị này vào ngày này",
        "No quota rule for this kind of unit on this date",
    ),
    "province_not_decided": (
        "Tỉnh chưa quyết định số lượng cán bộ, công chức của xã",
        "The province has not set this commune's number of cadres and civil servants",
    ),
    "no_class": ("Chưa có phân loại đơn vị hành chính vào ngày này", "No unit class recorded for this date"),
    "no_statistics": (
        "Chưa có số liệu dân số, diện tích: chưa tính số tăng thêm",
        "No population or area figures: increments not counted",
    ),
    "no_population": ("Thiếu số liệu dân số", "Population figure missing"),
    "no_area": ("Thiếu số liệu diện tích", "Area figure missing"),
}


@dataclass(frozen=True)
class StaffingReport:
    """``units``: one row per commune, district and province; ``people``: the people behind
    the below-standard, field-mismatch and missing-data counts; ``counted``: the people behind
    the headcounts (unit_id, person_id, titles: the codes of the counted posts held)."""

    on: date
    units: pl.DataFrame
    people: pl.DataFrame
    counted: pl.DataFrame = field(
        default_factory=lambda: pl.DataFrame(
            schema={"unit_id": pl.Int64, "person_id": pl.Int64, "titles": pl.String}
        )
    )


#: The columns of a staffing report's unit rows, in order (also the JSON fields of
#: ``canbo standards staffing``, documented in docs/architecture.md).
UNIT_COLUMNS = [
    "unit_id",
    "code",
    "name",
    "level",
    "kind",
    "parent_id",
    "quota",
    "headcount",
    "surplus",
    "shortfall",
    "vacant_count",
    "vacant_titles",
    "over_count",
    "over_titles",
    "below_standard",
    "field_mismatch",
    "missing_data",
    "communes",
    "quota_unknown",
    "quota_reference",
    "quota_note",
    "quota_note_en",
    "establishment_reference",
]


def _increment(inc: dict, value: float | None, key: str, step_key: str) -> int | None:
    if value is None:
        return None
    standard = inc["standard"].get(key, inc["standard"]["default"])
    step = inc.get(step_key) or inc["step"]
    if value <= standard:
        return 0
    return math.floor((value - standard) / (step * standard) + 1e-9)


def _quota_for(
    unit: dict,
    q: Quota | None,
    on: date,
    unit_class: str | None,
    flags: frozenset[str],
    stats: tuple[int | None, float | None] | None,
    layer: ProvincialLayer,
) -> tuple:
    """(quota, rule_id, reference, note) for one unit."""
    if q is None:
        return None, None, None, _NOTES["no_rule"]
    ref = q.reference.render("vi")
    if q.set_by_province:
        ds = [d for d in layer.on("commune_quota", on) if d.unit_id == unit["unit_id"]]
        if not ds:
            return None, q.id, ref, _NOTES["province_not_decided"]
        d = ds[-1]
        return d.quota, q.id, f"{ref}; {d.decision}".strip("; "), ("", "")
    if unit_class is None or unit_class not in q.by_class:
        return None, q.id, ref, _NOTES["no_class"]
    base = q.by_class[unit_class]
    notes = []
    if q.increments:
        if stats is None:
            return base, q.id, ref, _NOTES["no_statistics"]
        urban_ward = unit["kind"] == "ward" and unit.get("parent_kind") == "urban_district"
        key = (
            "urban_district_ward" if urban_ward else ("mountainous" if flags & MOUNTAIN_FLAGS else "default")
        )
        pop, area = stats
        extra = 0
        if "population" in q.increments:
            step_key = "urban_district_ward_step" if urban_ward else "step"
            e = _increment(q.increments["population"], pop, key, step_key)
            extra += e or 0
            if e is None:
                notes.append(_NOTES["no_population"])
        if "area_km2" in q.increments:
            e = _increment(q.increments["area_km2"], area, key, "step")
            extra += e or 0
            if e is None:
                notes.append(_NOTES["no_area"])
        base += extra
    return base, q.id, ref, ("; ".join(n[0] for n in notes), "; ".join(n[1] for n in notes))


def quotas(
    snapshot: Snapshot, on: date, rules: RuleSet | None = None, provincial: ProvincialLayer | None = None
) -> pl.DataFrame:
    """unit_id → quota (null when it cannot be known), quota_rule_id, quota_reference,
    quota_note, counts (title kinds counted) for each commune-level unit existing on ``on``."""
    rules = rules or default_rules()
    layer = provincial or ProvincialLayer()
    units = snapshot.units_on(on).filter(pl.col("level") == "commune_level")
    classes = dict(Snapshot.in_force(snapshot.unit_classes, on).select("unit_id", "unit_class").iter_rows())
    flags: dict[int, set[str]] = {}
    for u, f in Snapshot.in_force(snapshot.unit_flags, on).select("unit_id", "flag").iter_rows():
        flags.setdefault(u, set()).add(f)
    stats_year = on.year if (on.month, on.day) == (12, 31) else on.year - 1
    stats: dict[int, tuple] = {}
    for u, _y, pop, area in (
        snapshot.unit_statistics.filter(pl.col("year") <= stats_year)
        .sort("year")
        .select("unit_id", "year", "population", "area_km2")
        .iter_rows()
    ):
        stats[u] = (pop, area)
    in_force = [q for q in rules.quotas if q.in_force(on)]
    rows = []
    for unit in units.iter_rows(named=True):
        q = next((q for q in in_force if unit["kind"] in q.unit_kinds), None)
        value, rid, ref, note = _quota_for(
            unit,
            q,
            on,
            classes.get(unit["unit_id"]),
            frozenset(flags.get(unit["unit_id"], ())),
            stats.get(unit["unit_id"]),
            layer,
        )
        rows.append(
            (
                unit["unit_id"],
                value,
                rid,
                ref,
                note[0],
                note[1],
                sorted(q.counts) if q else list(_DEFAULT_COUNTS),
            )
        )
    return pl.DataFrame(
        rows,
        orient="row",
        schema={
            "unit_id": pl.Int64,
            "quota": pl.Int64,
            "quota_rule_id": pl.String,
            "quota_reference": pl.String,
            "quota_note": pl.String,
            "quota_note_en": pl.String,
            "counts": pl.List(pl.String),
        },
    )


def _establishment(
    snapshot: Snapshot, posts: pl.DataFrame, units: pl.DataFrame, on: date, rules: RuleSet
) -> pl.DataFrame:
    """unit_id → vacant_titles, vacant_count, over_titles, over_count, establishment_reference."""
    holders: dict[tuple[int, str], int] = {
        (u, t): n
        for u, t, n in posts.group_by("unit_id", "title_code").agg(pl.col("person_id").n_unique()).iter_rows()
    }
    in_force = [e for e in rules.establishment if e.in_force(on)]
    rows = []
    for unit_id, kind in units.select("unit_id", "kind").iter_rows():
        e = next((e for e in in_force if kind in e.unit_kinds), None)
        vacant, over = [], []
        if e is not None:
            for title, (lo, hi) in e.titles.items():
                n = holders.get((unit_id, title), 0)
                if n < lo:
                    vacant.append(f"{title} ({n}/{lo})")
                if hi is not None and n > hi:
                    over.append(f"{title} ({n}/{hi})")
        rows.append(
            (
                unit_id,
                ", ".join(vacant),
                len(vacant),
                ", ".join(over),
                len(over),
                e.reference.render("vi") if e else None,
            )
        )
    return pl.DataFrame(
        rows,
        orient="row",
        schema={
            "unit_id": pl.Int64,
            "vacant_titles": pl.String,
            "vacant_count": pl.Int64,
            "over_titles": pl.String,
            "over_count": pl.Int64,
            "establishment_reference": pl.String,
        },
    )


_SUMS = [
    "quota",
    "headcount",
    "surplus",
    "shortfall",
    "vacant_count",
    "over_count",
    "below_standard",
    "field_mismatch",
    "missing_data",
    "communes",
    "quota_unknown",
]


def analyse_staffing(
    snapshot: Snapshot,
    findings: pl.DataFrame,
    on: date,
    rules: RuleSet | None = None,
    provincial: ProvincialLayer | None = None,
) -> StaffingReport:
    """The staffing analysis of every commune-level unit of ``snapshot`` on ``on``, from the
    engine's ``findings`` for the same date, with district and province roll-ups."""
    rules = rules or default_rules()
    units_all = snapshot.units_on(on)
    communes = units_all.filter(pl.col("level") == "commune_level")
    posts = snapshot.posts_on(on).join(communes.select("unit_id"), on="unit_id", how="semi")
    q = quotas(snapshot, on, rules, provincial)
    # The people behind each headcount: one row per (unit, person) holding a counted post.
    counted_people = (
        posts.join(q.select("unit_id", "counts"), on="unit_id", how="left")
        .filter(pl.col("counts").list.contains(pl.col("title_kind")))
        .group_by("unit_id", "person_id", maintain_order=True)
        .agg(pl.col("title_code").unique().sort().str.join(", ").alias("titles"))
    )
    counted = counted_people.group_by("unit_id").agg(pl.len().alias("headcount"))
    f = findings.join(communes.select("unit_id"), on="unit_id", how="semi")
    prof_met = f.filter((pl.col("criterion") == "professional") & (pl.col("status") == "met")).select(
        "assignment_id"
    )
    mismatch = f.filter((pl.col("criterion") == "field_of_study") & (pl.col("status") == "unmet")).join(
        prof_met, on="assignment_id", how="semi"
    )
    people_rows = pl.concat(
        [
            f.filter(pl.col("status") == "unmet").with_columns(pl.lit("below_standard").alias("category")),
            mismatch.with_columns(pl.lit("field_mismatch").alias("category")),
            f.filter(pl.col("status") == "unknown").with_columns(pl.lit("missing_data").alias("category")),
        ]
    )
    names = snapshot.people.select("person_id", "full_name")
    people = (
        people_rows.group_by("unit_id", "person_id", "category", maintain_order=True)
        .agg(
            pl.col("title_code").unique().sort().str.join(", ").alias("titles"),
            pl.col("criterion").unique().sort().str.join(", ").alias("criteria"),
            pl.col("reference").unique().sort().str.join("; ").alias("references"),
        )
        .join(names, on="person_id", how="left")
        .sort("unit_id", "category", "full_name")
    )
    counts = people.group_by("unit_id").agg(
        *(
            pl.col("person_id").filter(pl.col("category") == c).n_unique().alias(c)
            for c in ("below_standard", "field_mismatch", "missing_data")
        )
    )
    est = _establishment(snapshot, posts, communes, on, rules)
    rows = (
        communes.select("unit_id", "code", "name", "level", "kind", "district_id", "province_id")
        .join(q.drop("counts"), on="unit_id", how="left")
        .join(counted, on="unit_id", how="left")
        .join(est, on="unit_id", how="left")
        .join(counts, on="unit_id", how="left")
        .with_columns(
            pl.col("headcount").fill_null(0),
            *(pl.col(c).fill_null(0) for c in ("below_standard", "field_mismatch", "missing_data")),
        )
        .with_columns(
            pl.when(pl.col("quota").is_null())
            .then(None)
            .otherwise(pl.max_horizontal(pl.col("headcount") - pl.col("quota"), pl.lit(0)))
            .alias("surplus"),
            pl.when(pl.col("quota").is_null())
            .then(None)
            .otherwise(pl.max_horizontal(pl.col("quota") - pl.col("headcount"), pl.lit(0)))
            .alias("shortfall"),
            pl.lit(1).alias("communes"),
            pl.col("quota").is_null().cast(pl.Int64).alias("quota_unknown"),
            pl.coalesce("district_id", "province_id").alias("parent_id"),
        )
    )
    levels = [rows]
    parents = units_all.select("unit_id", "code", "name", "level", "kind")

    def rollup(frame: pl.DataFrame, key: str, level: str) -> pl.DataFrame:
        # A sum of quotas is known only where some commune's quota is; otherwise it stays null.
        agg = (
            frame.filter(pl.col(key).is_not_null())
            .group_by(key)
            .agg(
                *(
                    pl.when(pl.col(c).is_not_null().any()).then(pl.col(c).sum()).otherwise(None).alias(c)
                    if c in ("quota", "surplus", "shortfall")
                    else pl.col(c).sum()
                    for c in _SUMS
                )
            )
        )
        return agg.rename({key: "unit_id"}).join(
            parents.filter(pl.col("level") == level), on="unit_id", how="inner"
        )

    districts = rollup(rows, "district_id", "district")
    if not districts.is_empty():
        province_of = units_all.filter(pl.col("level") == "district").select("unit_id", pl.col("province_id"))
        districts = districts.join(province_of, on="unit_id", how="left").with_columns(
            pl.col("province_id").alias("parent_id")
        )
        levels.append(districts)
    provinces = rollup(rows, "province_id", "province")
    levels.append(provinces)
    units = pl.concat(levels, how="diagonal_relaxed")
    order = {"province": 0, "district": 1, "commune_level": 2}
    units = (
        units.with_columns(pl.col("level").replace_strict(order, return_dtype=pl.Int8).alias("_o"))
        .sort("_o", "code")
        .drop("_o")
    )
    units = units.select([c for c in UNIT_COLUMNS if c in units.columns])
    return StaffingReport(on=on, units=units, people=people, counted=counted_people)
