"""Eligibility and the effects of discipline, for the planners of later issues.

* :func:`discipline_periods` — how long each discipline decision bars its person, by the rules
  in force on the decision date: Law 52/2019 (amending Art. 82 of Law 22/2008): 12 months for
  khiển trách, cảnh cáo, hạ bậc lương; 24 months for giáng chức, cách chức; from 1/7/2025
  Law 80/2025 and Decree 172/2025: 12 months (rule files ``luat-52-2019``, ``nd-172-2025``).
* :func:`evaluate_eligibility` — per person and condition, met / unmet / unknown, for degree
  and postgraduate training (Decree 101/2017, Decree 171/2025), succession planning tiers
  (Guidance 45-HD/BTCTW) and appointment (Decree 170/2025 Art. 29(7)); degree training of
  commune staff who are ethnic minorities or work in difficult areas (Decree 101/2017).

Like the standards engine, both are vectorised over a snapshot and missing data is *unknown*.
"""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl

from canbo.core.ethnicity import KINH_CODE

from .engine import (
    _age_text,
    _age_years,
    _retirement_reason,
    _with_age_range,
    level_rank_frame,
    retirement_dates,
)
from .rules import RATINGS, RuleSet, default_rules
from .snapshot import Snapshot

__all__ = ["ELIGIBILITY_SCHEMA", "discipline_periods", "evaluate_eligibility"]

ELIGIBILITY_SCHEMA = {
    "person_id": pl.Int64,
    "purpose": pl.String,
    "condition": pl.String,
    "status": pl.String,
    "required": pl.String,
    "actual": pl.String,
    "rule_id": pl.String,
    "reference": pl.String,
    "message_vi": pl.String,
    "message_en": pl.String,
    # why an unknown verdict is unknown, where a birth date known only to the month or year
    # leaves it open (canbo.core.age)
    "reason_vi": pl.String,
    "reason_en": pl.String,
}


def discipline_periods(snapshot: Snapshot, rules: RuleSet | None = None) -> pl.DataFrame:
    """One row per discipline decision: person_id, form, decided_on, until (the last day it is
    in effect; null when no rule covers the form on that date), bars, rule_id, reference."""
    rules = rules or default_rules()
    rows = []
    for pid, track, form, decided in snapshot.disciplines.select(
        "person_id", "track", "form", "decided_on"
    ).iter_rows():
        eff = next((e for e in rules.discipline_effects if form in e.forms and e.in_force(decided)), None)
        until = None
        if eff is not None:
            m = decided.month - 1 + eff.months
            y, mo = decided.year + m // 12, m % 12 + 1
            day = min(
                decided.day,
                [
                    31,
                    29 if y % 4 == 0 and (y % 100 or y % 400 == 0) else 28,
                    31,
                    30,
                    31,
                    30,
                    31,
                    31,
                    30,
                    31,
                    30,
                    31,
                ][mo - 1],
            )
            until = date(y, mo, day) - timedelta(days=1)
        rows.append(
            (
                pid,
                track,
                form,
                decided,
                until,
                sorted(eff.bars) if eff else [],
                eff.id if eff else None,
                eff.reference.render("vi") if eff else None,
            )
        )
    return pl.DataFrame(
        rows,
        orient="row",
        schema={
            "person_id": pl.Int64,
            "track": pl.String,
            "form": pl.String,
            "decided_on": pl.Date,
            "until": pl.Date,
            "bars": pl.List(pl.String),
            "rule_id": pl.String,
            "reference": pl.String,
        },
    )


def evaluate_eligibility(
    snapshot: Snapshot, on: date, purpose: str, rules: RuleSet | None = None
) -> pl.DataFrame:
    """Per person of ``snapshot`` and condition of the ``purpose`` rule in force on ``on``:
    met / unmet / unknown (:data:`ELIGIBILITY_SCHEMA`)."""
    rules = rules or default_rules()
    in_force = [e for e in rules.eligibility if e.purpose == purpose and e.in_force(on)]
    if not in_force:
        return pl.DataFrame(schema=ELIGIBILITY_SCHEMA)
    # Conditions may come from several instruments (e.g. the age limit from one decree, the
    # discipline bar from the law); each condition keeps its own rule and reference.
    source = {c: e for e in in_force for c in e.conditions}
    c = {k: e.conditions[k] for k, e in source.items()}
    people = snapshot.people.select("person_id", "birth_date", "birth_precision", "sex", "first_start")
    parts = []

    def add(
        frame: pl.DataFrame,
        condition: str,
        status: pl.Expr,
        required: str,
        actual: pl.Expr,
        reason: tuple[pl.Expr, pl.Expr] | None = None,
    ) -> None:
        vi, en = (
            reason if reason is not None else (pl.lit(None, dtype=pl.String), pl.lit(None, dtype=pl.String))
        )
        parts.append(
            frame.select(
                "person_id",
                pl.lit(condition).alias("condition"),
                status.alias("status"),
                pl.lit(required).alias("required"),
                actual.cast(pl.String).alias("actual"),
                pl.when(status == "unknown").then(vi).cast(pl.String).alias("reason_vi"),
                pl.when(status == "unknown").then(en).cast(pl.String).alias("reason_en"),
            )
        )

    if "min_service_years" in c:
        service = _age_years(pl.col("first_start"), on)
        add(
            people,
            "min_service_years",
            pl.when(pl.col("first_start").is_null())
            .then(pl.lit("unknown"))
            .when(service >= c["min_service_years"])
            .then(pl.lit("met"))
            .otherwise(pl.lit("unmet")),
            str(c["min_service_years"]),
            service,
        )
    # Age by canbo.core.age; a birth date known only to the month or year is unknown where the
    # verdict depends on the missing part, with the days between which the age is reached.
    low, high = pl.col("age_low"), pl.col("age_high")
    why = (pl.col("age_reason_vi"), pl.col("age_reason_en"))
    if "max_age" in c:
        aged = _with_age_range(people, on, c["max_age"] + 1)  # over the limit from the next birthday
        add(
            aged,
            "max_age",
            pl.when(low.is_null())
            .then(pl.lit("unknown"))
            .when(high <= c["max_age"])
            .then(pl.lit("met"))
            .when(low > c["max_age"])
            .then(pl.lit("unmet"))
            .otherwise(pl.lit("unknown")),
            str(c["max_age"]),
            _age_text(low, high),
            why,
        )
    if "min_age" in c:
        aged = _with_age_range(people, on, c["min_age"])
        add(
            aged,
            "min_age",
            pl.when(low.is_null())
            .then(pl.lit("unknown"))
            .when(low >= c["min_age"])
            .then(pl.lit("met"))
            .when(high < c["min_age"])
            .then(pl.lit("unmet"))
            .otherwise(pl.lit("unknown")),
            str(c["min_age"]),
            _age_text(low, high),
            why,
        )
    if "min_months_to_retirement" in c:
        r = people.join(retirement_dates(snapshot.people, rules), on="person_id", how="left")

        def months_to(d: pl.Expr) -> pl.Expr:
            return d.dt.year().cast(pl.Int64) * 12 + d.dt.month().cast(pl.Int64) - on.year * 12 - on.month

        least, most = months_to(pl.col("retirement_earliest")), months_to(pl.col("retirement_latest"))
        add(
            r,
            "min_months_to_retirement",
            pl.when(least.is_null())
            .then(pl.lit("unknown"))
            .when(least >= c["min_months_to_retirement"])
            .then(pl.lit("met"))
            .when(most < c["min_months_to_retirement"])
            .then(pl.lit("unmet"))
            .otherwise(pl.lit("unknown")),
            str(c["min_months_to_retirement"]),
            _age_text(least, most),
            _retirement_reason(pl.col("retirement_earliest"), pl.col("retirement_latest")),
        )
    if "political_theory_minimum" in c:
        need = next(
            r
            for d, lv, r in level_rank_frame().iter_rows()
            if d == "political_theory" and lv == c["political_theory_minimum"]
        )
        best = (
            snapshot.qualifications.filter(
                (pl.col("dimension") == "political_theory")
                & (pl.col("obtained_on").is_null() | (pl.col("obtained_on") <= on))
            )
            .join(level_rank_frame(), on=["dimension", "level"])
            .group_by("person_id")
            .agg(pl.col("rank").max(), pl.col("level").sort_by("rank").last())
        )
        p = people.join(best, on="person_id", how="left")
        add(
            p,
            "political_theory_minimum",
            pl.when(pl.col("rank").is_null())
            .then(pl.lit("unknown"))
            .when(pl.col("rank") >= need)
            .then(pl.lit("met"))
            .otherwise(pl.lit("unmet")),
            c["political_theory_minimum"],
            pl.col("level"),
        )
    if "recent_evaluations" in c:
        n, minimum = c["recent_evaluations"]["years"], c["recent_evaluations"]["minimum"]
        years = list(range(on.year - n, on.year))
        order = {r: i for i, r in enumerate(RATINGS)}
        ev = (
            snapshot.evaluations.filter(pl.col("year").is_in(years))
            .with_columns(
                pl.col("rating").replace_strict(order, default=-1, return_dtype=pl.Int64).alias("o")
            )
            .group_by("person_id")
            .agg(
                pl.len().alias("n"),
                (pl.col("o") >= order[minimum]).all().alias("all_ok"),
                (pl.col("o").is_between(0, order[minimum] - 1)).any().alias("any_low"),
                pl.col("rating").sort_by("year").str.join(", ").alias("ratings"),
            )
        )
        p = people.join(ev, on="person_id", how="left")
        add(
            p,
            "recent_evaluations",
            pl.when(pl.col("any_low").fill_null(False))
            .then(pl.lit("unmet"))
            .when((pl.col("n").fill_null(0) == n) & pl.col("all_ok"))
            .then(pl.lit("met"))
            .otherwise(pl.lit("unknown")),
            f"{n} × {minimum}",
            pl.col("ratings"),
        )
    if c.get("no_discipline_in_effect"):
        periods = discipline_periods(snapshot, rules).filter(pl.col("decided_on") <= on)
        agg = periods.group_by("person_id").agg(
            (pl.col("until") >= on).any().alias("active"),
            pl.col("until").is_null().any().alias("uncovered"),
            pl.col("until").max().alias("until"),
        )
        p = people.join(agg, on="person_id", how="left")
        add(
            p,
            "no_discipline_in_effect",
            pl.when(pl.col("active").fill_null(False))
            .then(pl.lit("unmet"))
            .when(pl.col("uncovered").fill_null(False))
            .then(pl.lit("unknown"))
            .otherwise(pl.lit("met")),
            "",
            pl.col("until").dt.strftime("%Y-%m-%d"),
        )
    if "ethnic_minority_or_difficult_area" in c:
        areas = sorted(c["ethnic_minority_or_difficult_area"])
        flags = Snapshot.in_force(snapshot.unit_flags, on).filter(pl.col("flag").is_in(areas))
        in_area = (
            snapshot.posts_on(on)
            .join(flags.select("unit_id").unique(), on="unit_id", how="semi")
            .select("person_id")
            .unique()
            .with_columns(pl.lit(True).alias("in_area"))
        )
        p = snapshot.people.select("person_id", "ethnicity").join(in_area, on="person_id", how="left")
        minority = pl.col("ethnicity").is_not_null() & (pl.col("ethnicity") != KINH_CODE)
        add(
            p,
            "ethnic_minority_or_difficult_area",
            pl.when(minority | pl.col("in_area").fill_null(False))
            .then(pl.lit("met"))
            .when(pl.col("ethnicity").is_null())
            .then(pl.lit("unknown"))
            .otherwise(pl.lit("unmet")),
            ", ".join(areas),
            pl.when(minority)
            .then(pl.lit("ethnic_minority"))
            .when(pl.col("in_area").fill_null(False))
            .then(pl.lit("difficult_area"))
            .otherwise(pl.col("ethnicity")),
        )
    if not parts:
        return pl.DataFrame(schema=ELIGIBILITY_SCHEMA)
    info = pl.DataFrame(
        [(k, e.id, e.reference.render("vi"), e.message_vi, e.message_en) for k, e in source.items()],
        orient="row",
        schema={
            "condition": pl.String,
            "rule_id": pl.String,
            "reference": pl.String,
            "message_vi": pl.String,
            "message_en": pl.String,
        },
    )
    out = (
        pl.concat(parts).with_columns(pl.lit(purpose).alias("purpose")).join(info, on="condition", how="left")
    )
    return out.select([pl.col(k).cast(t) for k, t in ELIGIBILITY_SCHEMA.items()]).sort(
        "person_id", "condition"
    )
