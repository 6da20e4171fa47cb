"""Who a report counts, where, and with what: one row per person in post on a date.

Every report counts people the same way (``docs/reports.md``, "How people are counted"):

* **in post** — holding, on the date, a post (start ≤ date ≤ end, open end) of a title of the
  kinds of commune cadres and civil servants (:data:`COUNTED_KINDS`: cán bộ, công chức, and from
  1/7/2025 the job positions that replace the civil-servant titles) in a commune-level unit
  existing on the date; non-professional workers are not counted;
* **once, in one unit** — a person holding several posts counts once, in the unit of their main
  post: the non-concurrent one (kiêm nhiệm posts come last), then the earliest started, then
  the first recorded;
* **age** — completed years on the date; no birth date: in no age band;
* **qualifications** — per dimension, the highest level among the qualifications obtained on
  or before the date (no date of obtaining: counted as held); equal ranks (cử nhân and cao cấp
  lý luận chính trị, a certificate and the framework level it equals) go to the level listed
  later in the scale (:data:`canbo.core.scales.SCALES`);
* **standard** — from the engine's findings of the person's posts on the date: *met* when every
  finding is met, *unmet* when any is unmet, otherwise *unknown* (some finding unknown, or no
  standard checked at all);
* **Party member** — joined on or before the date and not left by then (only when the adapter
  supplies the ``party`` frame; the snapshot does not carry it).
"""

from __future__ import annotations

import functools
from datetime import date

import polars as pl

from canbo.core.ethnicity import KINH_CODE
from canbo.core.scales import SCALES
from canbo.core.standards.snapshot import Snapshot

__all__ = ["COUNTED_KINDS", "PARTY_SCHEMA", "age_years", "level_order", "main_posts", "profile"]

COUNTED_KINDS = ("cadre", "civil_servant", "job_position")

#: Columns of the optional Party membership frame an adapter passes to :func:`profile`.
PARTY_SCHEMA = {"person_id": pl.Int64, "party_joined_on": pl.Date, "party_left_on": pl.Date}

#: Field of study whose professional degrees count as IT degrees.
IT_FIELD = "information_technology"


@functools.lru_cache(maxsize=1)
def level_order() -> pl.DataFrame:
    """(dimension, level, rank, position) of every level; position is the place in its scale."""
    rows = [(d.value, lv.code, lv.rank, i) for d, scale in SCALES.items() for i, lv in enumerate(scale)]
    return pl.DataFrame(
        rows,
        orient="row",
        schema={"dimension": pl.String, "level": pl.String, "rank": pl.Int64, "position": pl.Int64},
    )


def age_years(birth: pl.Expr, on: date) -> pl.Expr:
    """Completed years on ``on`` (null without a birth date), by the one age rule
    (:func:`canbo.core.age.age_on`, Civil Code 2015 Art. 147–148). A birth date known only to
    the year or month counts from its stored first day, as the report forms band ages."""
    from canbo.core.standards.engine import _age_years

    return _age_years(birth, on)


def main_posts(snapshot: Snapshot, on: date) -> pl.DataFrame:
    """person_id → unit_id, assignment_id, title_code of each person's main post on ``on`` among
    the counted posts (see the module docstring)."""
    communes = snapshot.units_on(on).filter(pl.col("level") == "commune_level").select("unit_id")
    return (
        snapshot.posts_on(on)
        .filter(pl.col("title_kind").is_in(COUNTED_KINDS))
        .join(communes, on="unit_id", how="semi")
        .with_columns(pl.col("is_concurrent").fill_null(False))
        .sort("person_id", "is_concurrent", "start", "assignment_id")
        .unique("person_id", keep="first", maintain_order=True)
        .select("person_id", "unit_id", "assignment_id", "title_code")
    )


def _best_levels(snapshot: Snapshot, people: pl.DataFrame, on: date) -> pl.DataFrame:
    """person_id → one column per dimension holding the code of the highest level held."""
    quals = snapshot.qualifications.join(people.select("person_id"), on="person_id", how="semi").filter(
        pl.col("obtained_on").is_null() | (pl.col("obtained_on") <= on)
    )
    best = (
        quals.join(level_order(), on=["dimension", "level"], how="inner")
        .sort("person_id", "dimension", "rank", "position", descending=[False, False, True, True])
        .unique(["person_id", "dimension"], keep="first", maintain_order=True)
    )
    wide = people.select("person_id")
    for d in SCALES:
        part = best.filter(pl.col("dimension") == d.value).select(
            "person_id", pl.col("level").alias(d.value), pl.col("rank").alias(f"{d.value}_rank")
        )
        wide = wide.join(part, on="person_id", how="left")
    it_degree = (
        quals.filter((pl.col("dimension") == "professional") & (pl.col("field_of_study") == IT_FIELD))
        .join(level_order(), on=["dimension", "level"], how="inner")
        .group_by("person_id")
        .agg(pl.col("rank").max().alias("it_degree_rank"))
    )
    return wide.join(it_degree, on="person_id", how="left")


def _standard(findings: pl.DataFrame, people: pl.DataFrame) -> pl.DataFrame:
    """person_id → standard: met / unmet / unknown (see the module docstring)."""
    per = (
        findings.join(people.select("person_id"), on="person_id", how="semi")
        .group_by("person_id")
        .agg(
            (pl.col("status") == "unmet").any().alias("_unmet"),
            (pl.col("status") == "met").all().alias("_met"),
        )
    )
    return (
        people.select("person_id")
        .join(per, on="person_id", how="left")
        .select(
            "person_id",
            pl.when(pl.col("_unmet"))
            .then(pl.lit("unmet"))
            .when(pl.col("_met"))
            .then(pl.lit("met"))
            .otherwise(pl.lit("unknown"))
            .alias("standard"),
        )
    )


def profile(
    snapshot: Snapshot, findings: pl.DataFrame, on: date, party: pl.DataFrame | None = None
) -> pl.DataFrame:
    """One row per person in post on ``on`` (module docstring): person_id, unit_id (main post),
    sex, birth_date, ethnicity, age, female, minority, party_member (null without ``party``),
    one column per qualification dimension (the best level's code) with its ``*_rank``,
    it_degree_rank (the best professional degree in information technology) and standard."""
    main = main_posts(snapshot, on)
    people = main.join(
        snapshot.people.select("person_id", "sex", "birth_date", "ethnicity"), on="person_id", how="left"
    )
    if party is not None:
        p = party.select([pl.col(c).cast(t) for c, t in PARTY_SCHEMA.items()]).unique("person_id")
        member = (
            pl.col("party_joined_on").is_not_null()
            & (pl.col("party_joined_on") <= on)
            & (pl.col("party_left_on").is_null() | (pl.col("party_left_on") > on))
        )
        people = (
            people.join(p, on="person_id", how="left")
            .with_columns(member.alias("party_member"))
            .drop("party_joined_on", "party_left_on")
        )
    else:
        people = people.with_columns(pl.lit(None, dtype=pl.Boolean).alias("party_member"))
    return (
        people.with_columns(
            age_years(pl.col("birth_date"), on).alias("age"),
            (pl.col("sex") == "female").fill_null(False).alias("female"),
            (pl.col("ethnicity").is_not_null() & (pl.col("ethnicity") != KINH_CODE)).alias("minority"),
        )
        .join(_best_levels(snapshot, people, on), on="person_id", how="left")
        .join(_standard(findings, people), on="person_id", how="left")
    )
