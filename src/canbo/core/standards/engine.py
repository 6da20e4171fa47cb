"""The standards engine: one finding per person × post × criterion, on a date.

DESIGN.md principles 4 and 5: every verdict explains itself (*met*, *unmet* or *unknown*, what
was required, what the person has, the legal reference and message), and one code path serves
one person and the whole country — :func:`evaluate` works on a :class:`Snapshot` of any size,
vectorised with polars, one pass per rule in force.

Missing data is never silently met or unmet: no qualification on a dimension, a degree without
its field, or no birth date gives *unknown*.

Exceptions lower a level minimum for some posts:

* ``difficult_area`` (Decree 33/2023 Art. 8(4), Art. 10(2)): in units having one of the
  exception's area flags — and, when ``requires_provincial_decision``, only where the
  province decided so for that title and one of those areas (the provincial layer);
* ``transition`` (Law 80/2025 Art. 45; Circular 13/2019): for people in a commune post before
  ``in_post_before``, until ``until`` or until the day before the post's unit is
  ``years_from_unit_creation`` years old.

A finding met through an exception says so in ``basis`` (``exception`` / ``transition``) with
the exception's reference and, for a transition, its ``deadline``.
"""

from __future__ import annotations

import functools
from dataclasses import replace
from datetime import date, timedelta

import polars as pl

from canbo.core import age
from canbo.core.scales import SCALES, Dimension

from .provincial import ProvincialLayer
from .rules import LEVEL_CRITERIA, RuleSet, Standard, default_rules
from .snapshot import Snapshot

__all__ = ["FINDING_SCHEMA", "evaluate", "level_rank_frame", "retirement_dates"]

#: Columns of a findings frame.
FINDING_SCHEMA: dict[str, type[pl.DataType]] = {
    "person_id": pl.Int64,
    "assignment_id": pl.Int64,
    "unit_id": pl.Int64,
    "title_code": pl.String,
    "rule_id": pl.String,
    "criterion": pl.String,
    "status": pl.String,  # met | unmet | unknown
    "basis": pl.String,  # standard | exception | transition (met findings), else null
    "required": pl.String,
    "actual": pl.String,
    "deadline": pl.Date,
    "provincial_decision": pl.String,
    # why the verdict is unknown when it depends on a missing part of a date (canbo.core.age)
    "reason_vi": pl.String,
    "reason_en": pl.String,
    "reference": pl.String,
    "message_vi": pl.String,
    "message_en": pl.String,
    "basis_reference": pl.String,
    "basis_message_vi": pl.String,
    "basis_message_en": pl.String,
    "verified": pl.Boolean,
}

_CORE_COLUMNS = [
    c
    for c in FINDING_SCHEMA
    if c
    not in {
        "reference",
        "message_vi",
        "message_en",
        "basis_reference",
        "basis_message_vi",
        "basis_message_en",
        "verified",
    }
]


@functools.lru_cache(maxsize=1)
def level_rank_frame() -> pl.DataFrame:
    """(dimension, level, rank) for every level of every scale."""
    rows = [(d.value, lv.code, lv.rank) for d, scale in SCALES.items() for lv in scale]
    return pl.DataFrame(
        rows, schema={"dimension": pl.String, "level": pl.String, "rank": pl.Int64}, orient="row"
    )


def _rank(dimension: str, code: str) -> int:
    for lv in SCALES[Dimension(dimension)]:
        if lv.code == code:
            return lv.rank
    raise KeyError(code)


# --------------------------------------------------------------------------- retirement


#: The retirement rules as plain values (sex, age in months, step per year, cap, valid from,
#: valid to): what :func:`retirement_month` reads, hashable so that its answers are cached.
_RetirementKey = tuple[tuple[str, int, int, int | None, date, date | None], ...]


def _retirement_key(rules: RuleSet) -> _RetirementKey:
    return tuple(
        (r.sex, r.age_months, r.step_months_per_year, r.cap_months, r.valid_from, r.valid_to)
        for r in rules.retirement
    )


def _age_in_year(rules: RuleSet | _RetirementKey, sex: str, year: int) -> int | None:
    """The normal retirement age (months) of ``sex`` in ``year`` under ``rules`` (a rule set or
    its :func:`_retirement_key`)."""
    key = _retirement_key(rules) if isinstance(rules, RuleSet) else rules
    on = date(year, 1, 1)
    for r_sex, age_months, step, cap, valid_from, valid_to in key:
        if r_sex == sex and valid_from <= on and (valid_to is None or on <= valid_to):
            age = age_months + step * (year - valid_from.year)
            return min(age, cap) if cap else age
    return None


@functools.lru_cache(maxsize=16384)
def _retirement_month(birth_year: int, birth_month: int, sex: str, key: _RetirementKey) -> int | None:
    born = birth_year * 12 + birth_month - 1
    for year in range(birth_year + 40, birth_year + 90):
        age = _age_in_year(key, sex, year)
        if age is not None and (born + age) // 12 == year:
            return born + age
    return None


def retirement_month(birth_year: int, birth_month: int, sex: str, rules: RuleSet) -> int | None:
    """Month index (year*12 + month-1) in which the normal retirement age is reached: the age of
    the calendar year in which it is reached (Decree 135/2020 Art. 4 and Annex I). Answers are
    cached by the rules' values (a trend report asks the same births again for every year)."""
    return _retirement_month(birth_year, birth_month, sex, _retirement_key(rules))


def retirement_dates(people: pl.DataFrame, rules: RuleSet) -> pl.DataFrame:
    """person_id → retirement_date: the first day of the month after the age is reached
    (null without a birth date or sex), with ``retirement_earliest`` / ``retirement_latest``:
    the same day, or — for a birth date known only to the year — the retirement dates of a
    birth in January and in December of that year, ``retirement_date`` then being null (the
    retirement month depends on the missing birth month; Decree 135/2020 Annex I)."""
    prec = pl.col("birth_precision") if "birth_precision" in people.columns else pl.lit(None, dtype=pl.String)
    base = people.select(
        "person_id",
        "sex",
        pl.col("birth_date").dt.year().alias("y"),
        pl.col("birth_date").dt.month().alias("m"),
        (prec == age.YEAR).fill_null(False).alias("year_only"),
    )
    keys = (
        base.filter(pl.col("y").is_not_null() & pl.col("sex").is_in(["male", "female"]))
        .select("y", "m", "sex")
        .unique()
    )
    wanted = {(y, mm, sex) for y, m, sex in keys.iter_rows() for mm in (m, 1, 12)}
    key = _retirement_key(rules)
    rows = []
    for y, m, sex in wanted:
        reached = _retirement_month(y, m, sex, key)
        if reached is not None:
            eff = reached + 1
            rows.append((y, m, sex, date(eff // 12, eff % 12 + 1, 1)))
    table = pl.DataFrame(
        rows, schema={"y": pl.Int32, "m": pl.Int8, "sex": pl.String, "retirement_date": pl.Date}, orient="row"
    )
    first = table.filter(pl.col("m") == 1).select("y", "sex", pl.col("retirement_date").alias("jan"))
    last = table.filter(pl.col("m") == 12).select("y", "sex", pl.col("retirement_date").alias("dec"))
    return (
        base.join(table, on=["y", "m", "sex"], how="left")
        .join(first, on=["y", "sex"], how="left")
        .join(last, on=["y", "sex"], how="left")
        .select(
            "person_id",
            pl.when(pl.col("year_only"))
            .then(None)
            .otherwise(pl.col("retirement_date"))
            .alias("retirement_date"),
            pl.when(pl.col("year_only"))
            .then(pl.col("jan"))
            .otherwise(pl.col("retirement_date"))
            .alias("retirement_earliest"),
            pl.when(pl.col("year_only"))
            .then(pl.col("dec"))
            .otherwise(pl.col("retirement_date"))
            .alias("retirement_latest"),
        )
    )


def _retirement_reason(earliest: pl.Expr, latest: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    """Why a verdict on the retirement date is unknown (birth year only)."""
    a, b = earliest.dt.strftime("%d/%m/%Y"), latest.dt.strftime("%d/%m/%Y")
    y = pl.col("birth_date").dt.year().cast(pl.String)
    vi = pl.concat_str(
        [
            pl.lit("Ngày sinh chỉ biết năm ("),
            y,
            pl.lit("): ngày nghỉ hưu trong khoảng từ "),
            a,
            pl.lit(" đến "),
            b,
            pl.lit(", tùy tháng sinh (NĐ 135/2020 Phụ lục I)."),
        ]
    )
    en = pl.concat_str(
        [
            pl.lit("The birth date is known only to the year ("),
            y,
            pl.lit("): retirement falls between "),
            a,
            pl.lit(" and "),
            b,
            pl.lit(" depending on the birth month (Decree 135/2020 Annex I)."),
        ]
    )
    return vi, en


# --------------------------------------------------------------------------- exceptions


def _flags_by_unit(snapshot: Snapshot, on: date) -> dict[int, frozenset[str]]:
    flags = Snapshot.in_force(snapshot.unit_flags, on)
    out: dict[int, set[str]] = {}
    for unit_id, flag in flags.select("unit_id", "flag").iter_rows():
        out.setdefault(unit_id, set()).add(flag)
    return {k: frozenset(v) for k, v in out.items()}


_NULL_INT = pl.lit(None, dtype=pl.Int64)
_NULL_STR = pl.lit(None, dtype=pl.String)
_NULL_DATE = pl.lit(None, dtype=pl.Date)


def _required_and_exceptions(
    sub: pl.DataFrame, s: Standard, ctx: dict, dimension: str
) -> tuple[pl.DataFrame, dict]:
    """The requirement of ``s`` for each post of ``sub``, as expressions (joining the few small
    tables it needs): ``req_rank``/``req_level`` (the national minimum, raised by a stricter
    provincial one, whose decision is ``st_decision``), ``ex_rank``/``ex_decision`` (the
    difficult-area exception where it applies), ``tr_rank``/``tr_deadline`` (a transition where it
    applies). Expressions rather than columns keep the number of passes over the posts small,
    which is what a population of one costs."""
    on, flags, layer = ctx["on"], ctx["flags"], ctx["layer"]
    assert s.minimum is not None, s.id  # the loader requires it for level and field standards
    base = _rank(dimension, s.minimum)
    e = {
        "req_rank": pl.lit(base, dtype=pl.Int64),
        "req_level": pl.lit(s.minimum),
        "st_decision": _NULL_STR,
        "ex_rank": _NULL_INT,
        "ex_decision": _NULL_STR,
        "tr_rank": _NULL_INT,
        "tr_deadline": _NULL_DATE,
    }
    stricter = [
        (d.province_id, d.title_code, _rank(dimension, d.minimum), d.minimum, d.decision)
        for d in layer.on("stricter_minimum", on)
        if d.dimension == dimension and d.title_code in s.titles
    ]
    if stricter:
        st = (
            pl.DataFrame(
                stricter,
                orient="row",
                schema={
                    "province_id": pl.Int64,
                    "title_code": pl.String,
                    "st_rank": pl.Int64,
                    "st_level": pl.String,
                    "st_decision": pl.String,
                },
            )
            .sort("st_rank", descending=True)
            .unique(["province_id", "title_code"], keep="first")
            .filter(pl.col("st_rank") > base)
        )
        sub = sub.join(st, on=["province_id", "title_code"], how="left")
        e.update(
            req_rank=pl.col("st_rank").fill_null(base),
            req_level=pl.col("st_level").fill_null(s.minimum),
            st_decision=pl.col("st_decision"),
        )

    tr_parts = []
    ex_tables = []
    for ex in s.exceptions:
        rank = _rank(dimension, ex.minimum)
        if ex.kind == "difficult_area":
            # The posts' (unit, title) pairs in a unit with one of the exception's area flags …
            pairs = ctx["flagged_units_titles"].filter(
                pl.col("title_code").is_in(list(s.titles)) & pl.col("flag").is_in(sorted(ex.areas))
            )
            if ex.requires_provincial_decision:
                # … where the province decided to apply it, for that title and that area.
                decided = [
                    (d.province_id, d.title_code, flag, _rank(dimension, d.minimum), d.decision or None)
                    for d in layer.on("difficult_area_exception", on)
                    if d.dimension == dimension and d.title_code in s.titles
                    for flag in d.areas
                ]
                if not decided:
                    continue
                table = pl.DataFrame(
                    decided,
                    orient="row",
                    schema={
                        "province_id": pl.Int64,
                        "title_code": pl.String,
                        "flag": pl.String,
                        "d_rank": pl.Int64,
                        "d_decision": pl.String,
                    },
                )
                pairs = pairs.join(table, on=["province_id", "title_code", "flag"], how="inner")
            else:
                pairs = pairs.with_columns(
                    pl.lit(rank, dtype=pl.Int64).alias("d_rank"),
                    pl.lit(None, dtype=pl.String).alias("d_decision"),
                )
            ex_tables.append(
                pairs.group_by("unit_id", "title_code").agg(
                    pl.max_horizontal(pl.col("d_rank").max(), pl.lit(rank)).alias("ex_rank"),
                    pl.col("d_decision").drop_nulls().unique().sort().str.join("; ").alias("ex_decision"),
                )
            )
        else:  # transition
            in_area = pl.lit(True)
            if ex.areas:
                area_units = [u for u, f in flags.items() if f & ex.areas]
                in_area = pl.col("unit_id").is_in(area_units)
            if ex.until is not None:
                deadline = pl.lit(ex.until, dtype=pl.Date)
            else:
                deadline = pl.col("unit_created").dt.offset_by(f"{ex.years_from_unit_creation}y") - timedelta(
                    days=1
                )
            applies = in_area & (pl.col("first_start") < ex.in_post_before) & (deadline >= on)
            tr_parts.append((applies, rank, deadline))
    if ex_tables:
        table = (
            pl.concat(ex_tables)
            .group_by("unit_id", "title_code")
            .agg(pl.col("ex_rank").max(), pl.col("ex_decision").str.join("; "))
        )
        table = table.with_columns(
            pl.when(pl.col("ex_decision") == "")
            .then(None)
            .otherwise(pl.col("ex_decision"))
            .alias("ex_decision")
        )
        sub = sub.join(table, on=["unit_id", "title_code"], how="left")
        e.update(ex_rank=pl.col("ex_rank"), ex_decision=pl.col("ex_decision"))
    for applies, rank, deadline in reversed(tr_parts):
        e["tr_rank"] = pl.when(applies).then(pl.lit(rank, dtype=pl.Int64)).otherwise(e["tr_rank"])
        e["tr_deadline"] = pl.when(applies).then(deadline).otherwise(e["tr_deadline"])
    return sub, e


def _status_for_rank(have: pl.Expr, e: dict) -> tuple[pl.Expr, pl.Expr, pl.Expr]:
    """(status, basis, deadline) from the person's rank ``have`` and the requirement ``e``."""
    standard = have >= e["req_rank"]
    exception = e["ex_rank"].is_not_null() & (have >= e["ex_rank"])
    transition = e["tr_rank"].is_not_null() & (have >= e["tr_rank"])
    status = (
        pl.when(have.is_null())
        .then(pl.lit("unknown"))
        .when(standard | exception | transition)
        .then(pl.lit("met"))
        .otherwise(pl.lit("unmet"))
    )
    basis = (
        pl.when(have.is_null())
        .then(_NULL_STR)
        .when(standard)
        .then(pl.lit("standard"))
        .when(exception)
        .then(pl.lit("exception"))
        .when(transition)
        .then(pl.lit("transition"))
        .otherwise(_NULL_STR)
    )
    deadline = (
        pl.when(have.is_not_null() & ~standard & ~exception & transition)
        .then(e["tr_deadline"])
        .otherwise(_NULL_DATE)
    )
    return status, basis, deadline


def _out(
    sub: pl.DataFrame,
    s: Standard,
    status,
    basis,
    deadline,
    required,
    actual,
    decision,
    reason: tuple[pl.Expr, pl.Expr] | None = None,
) -> pl.DataFrame:
    """The findings of one rule, in :data:`_CORE_COLUMNS` order, in one pass. ``reason``
    (vi, en): why an *unknown* verdict is unknown, where the engine can say more than the
    rule's message (a birth date known only to the month or year)."""
    vi, en = reason if reason is not None else (_NULL_STR, _NULL_STR)
    return sub.select(
        "person_id",
        "assignment_id",
        "unit_id",
        "title_code",
        pl.lit(s.id).alias("rule_id"),
        pl.lit(s.criterion).alias("criterion"),
        status.alias("status"),
        basis.cast(pl.String).alias("basis"),
        required.cast(pl.String).alias("required"),
        actual.cast(pl.String).alias("actual"),
        deadline.cast(pl.Date).alias("deadline"),
        decision.cast(pl.String).alias("provincial_decision"),
        pl.when(status == "unknown").then(vi).cast(pl.String).alias("reason_vi"),
        pl.when(status == "unknown").then(en).cast(pl.String).alias("reason_en"),
    )


# --------------------------------------------------------------------------- criteria


def _level(sub, s, dimension, best, ctx) -> pl.DataFrame:
    sub, e = _required_and_exceptions(sub, s, ctx, dimension)
    sub = sub.join(best[dimension], on="person_id", how="left")
    status, basis, deadline = _status_for_rank(pl.col("best_rank"), e)
    decision = pl.when(basis == "exception").then(e["ex_decision"]).otherwise(e["st_decision"])
    return _out(sub, s, status, basis, deadline, e["req_level"], pl.col("best_level"), decision)


def _field(sub, s, quals, ctx) -> pl.DataFrame:
    on, layer = ctx["on"], ctx["layer"]
    sub, e = _required_and_exceptions(sub, s, ctx, "professional")
    eff_rank = pl.min_horizontal(e["req_rank"], e["ex_rank"], e["tr_rank"])
    # The transition's deadline matters only when the transition is the lowest minimum.
    tr_lowest = (
        e["tr_rank"].is_not_null()
        & (e["tr_rank"] < e["req_rank"])
        & (e["ex_rank"].is_null() | (e["tr_rank"] < e["ex_rank"]))
    )
    sub = sub.with_columns(
        eff_rank.alias("eff_rank"),
        e["req_rank"].alias("req_rank"),
        pl.when(tr_lowest).then(e["tr_deadline"]).otherwise(_NULL_DATE).alias("tr_deadline"),
    )
    prof = quals.filter(pl.col("dimension") == "professional").select(
        "person_id", "rank", "level", "field_of_study"
    )
    pairs = sub.select("assignment_id", "person_id", "province_id", "title_code", "eff_rank").join(
        prof, on="person_id", how="inner"
    )
    accepted = pl.col("field_of_study").is_in(sorted(s.accepted))
    prov = [
        (d.province_id, d.title_code, f)
        for d in layer.on("accepted_fields", on)
        if d.title_code in s.titles
        for f in d.fields
    ]
    if prov:
        pf = pl.DataFrame(
            prov,
            schema={"province_id": pl.Int64, "title_code": pl.String, "field_of_study": pl.String},
            orient="row",
        ).unique()
        has = pf.select("province_id", "title_code").unique().with_columns(pl.lit(True).alias("has_prov"))
        pairs = pairs.join(
            pf.with_columns(pl.lit(True).alias("prov_ok")),
            on=["province_id", "title_code", "field_of_study"],
            how="left",
        ).join(has, on=["province_id", "title_code"], how="left")
        ok = (
            pl.when(pl.col("has_prov").fill_null(False))
            .then(pl.col("prov_ok").fill_null(False))
            .otherwise(accepted.fill_null(False))
        )
    else:
        ok = accepted.fill_null(False)
    qualifying = pl.col("rank") >= pl.col("eff_rank")
    agg = pairs.group_by("assignment_id").agg(
        (qualifying & ok).any().alias("any_ok"),
        (qualifying & pl.col("field_of_study").is_null()).any().alias("any_blank"),
        qualifying.any().alias("any_qualifying"),
        pl.col("field_of_study")
        .filter(qualifying & pl.col("field_of_study").is_not_null())
        .unique()
        .sort()
        .str.join(", ")
        .alias("fields"),
    )
    sub = sub.join(agg, on="assignment_id", how="left")
    required, decision = pl.lit(", ".join(sorted(s.accepted))), _NULL_STR
    if prov:
        plist = pf.group_by("province_id", "title_code").agg(
            pl.col("field_of_study").sort().str.join(", ").alias("prov_list")
        )
        decisions = pl.DataFrame(
            [
                (d.province_id, d.title_code, d.decision)
                for d in layer.on("accepted_fields", on)
                if d.title_code in s.titles
            ],
            orient="row",
            schema={"province_id": pl.Int64, "title_code": pl.String, "fields_decision": pl.String},
        ).unique(["province_id", "title_code"])
        sub = sub.join(plist, on=["province_id", "title_code"], how="left").join(
            decisions, on=["province_id", "title_code"], how="left"
        )
        required, decision = pl.col("prov_list").fill_null(required), pl.col("fields_decision")
    status = (
        pl.when(pl.col("any_ok"))
        .then(pl.lit("met"))
        .when(pl.col("any_blank"))
        .then(pl.lit("unknown"))
        .when(pl.col("any_qualifying").is_null())
        .then(pl.lit("unknown"))  # no professional record at all
        .otherwise(pl.lit("unmet"))
    )
    lowered = pl.col("eff_rank") < pl.col("req_rank")
    basis = (
        pl.when(~pl.col("any_ok").fill_null(False))
        .then(_NULL_STR)
        .when(~lowered)
        .then(pl.lit("standard"))
        .when(pl.col("tr_deadline").is_not_null())
        .then(pl.lit("transition"))
        .otherwise(pl.lit("exception"))
    )
    deadline = (
        pl.when(pl.col("any_ok").fill_null(False) & lowered).then(pl.col("tr_deadline")).otherwise(_NULL_DATE)
    )
    actual = pl.when(pl.col("fields") == "").then(_NULL_STR).otherwise(pl.col("fields"))
    return _out(sub, s, status, basis, deadline, required, actual, decision)


def _age_years(birth: pl.Expr, on: date) -> pl.Expr:
    """Whole years from ``birth`` to ``on`` by :func:`canbo.core.age.age_on` (Civil Code 2015
    Art. 147–148); null where ``birth`` is null."""
    return birth.map_batches(lambda s: _ages_of(s, on), return_dtype=pl.Int64)


def _ages_of(births: pl.Series, on: date) -> pl.Series:
    memo = {b: age.age_on(b, on) for b in births.unique().drop_nulls().to_list()}
    return (
        births.replace_strict(memo, default=None, return_dtype=pl.Int64)
        if memo
        else pl.Series(births.name, [None] * len(births), dtype=pl.Int64)
    )


def _with_age_range(sub: pl.DataFrame, on: date, years: int | None = None) -> pl.DataFrame:
    """``sub`` with ``age_low`` / ``age_high`` (the least and greatest possible age on ``on``
    by :func:`canbo.core.age.age_range`) and, given ``years``, ``reason_vi`` / ``reason_en``
    saying why reaching ``years`` is unknown — one call per distinct birth date and precision."""
    keys = sub.select("birth_date", "birth_precision").unique().filter(pl.col("birth_date").is_not_null())
    rows = []
    for b, p in keys.iter_rows():
        low, high = age.age_range(b, p, on)
        vi, en = (
            age.precision_reason(b, p, years)
            if years is not None and p in (age.MONTH, age.YEAR)
            else (None, None)
        )
        rows.append((b, p, low, high, vi, en))
    table = pl.DataFrame(
        rows,
        orient="row",
        schema={
            "birth_date": pl.Date,
            "birth_precision": pl.String,
            "age_low": pl.Int64,
            "age_high": pl.Int64,
            "age_reason_vi": pl.String,
            "age_reason_en": pl.String,
        },
    )
    return sub.join(table, on=["birth_date", "birth_precision"], how="left", nulls_equal=True)


def _age_text(low: pl.Expr, high: pl.Expr) -> pl.Expr:
    """The age, or "low–high" where the birth date's precision leaves it open."""
    return (
        pl.when(low == high)
        .then(low.cast(pl.String))
        .otherwise(pl.concat_str([low.cast(pl.String), pl.lit("–"), high.cast(pl.String)]))
    )


def _age_minimum(sub, s, ctx) -> pl.DataFrame:
    """At least ``s.years`` old on the date (age by canbo.core.age): met when every possible
    birth date gives that age, unmet when none does, else unknown with the reason."""
    sub = _with_age_range(sub, ctx["on"], s.years)
    low, high = pl.col("age_low"), pl.col("age_high")
    return _out(
        sub,
        s,
        pl.when(low.is_null())
        .then(pl.lit("unknown"))
        .when(low >= s.years)
        .then(pl.lit("met"))
        .when(high < s.years)
        .then(pl.lit("unmet"))
        .otherwise(pl.lit("unknown")),
        pl.when(low >= s.years).then(pl.lit("standard")).otherwise(_NULL_STR),
        _NULL_DATE,
        pl.lit(str(s.years)),
        _age_text(low, high),
        _NULL_STR,
        (pl.col("age_reason_vi"), pl.col("age_reason_en")),
    )


def _retirement_age(sub, s, ctx) -> pl.DataFrame:
    """Below the normal retirement age on the date: met while the retirement date is after it;
    with a birth date known only to the year, unknown between the earliest and the latest
    possible retirement date (Decree 135/2020 Annex I)."""
    on = ctx["on"]
    sub = _with_age_range(sub.join(ctx["retire"], on="person_id", how="left"), on)
    first, last = pl.col("retirement_earliest"), pl.col("retirement_latest")
    retire = (
        pl.when(first == last)
        .then(first.dt.strftime("%Y-%m-%d"))
        .otherwise(pl.concat_str([first.dt.strftime("%Y-%m-%d"), pl.lit("–"), last.dt.strftime("%Y-%m-%d")]))
    )
    return _out(
        sub,
        s,
        pl.when(first.is_null())
        .then(pl.lit("unknown"))
        .when(first > on)
        .then(pl.lit("met"))
        .when(last <= on)
        .then(pl.lit("unmet"))
        .otherwise(pl.lit("unknown")),
        pl.when(first > on).then(pl.lit("standard")).otherwise(_NULL_STR),
        _NULL_DATE,
        retire,
        _age_text(pl.col("age_low"), pl.col("age_high")),
        _NULL_STR,
        _retirement_reason(first, last),
    )


def _term_at_appointment(sub, s, ctx) -> pl.DataFrame:
    """Appointed or elected only with at least ``s.months`` to serve before retirement (đủ
    tuổi công tác ít nhất một nhiệm kỳ; Decree 33/2023 Art. 8(3)): unknown when the answer
    depends on a birth month that is not known."""
    sub = sub.filter(pl.col("start_reason").is_in(sorted(s.start_reasons))).join(
        ctx["retire"], on="person_id", how="left"
    )

    def months_to(r: pl.Expr) -> pl.Expr:
        return (
            r.dt.year().cast(pl.Int64) * 12
            + r.dt.month().cast(pl.Int64)
            - pl.col("start").dt.year().cast(pl.Int64) * 12
            - pl.col("start").dt.month().cast(pl.Int64)
        )

    low, high = months_to(pl.col("retirement_earliest")), months_to(pl.col("retirement_latest"))
    months = (
        pl.when(low == high)
        .then(low.cast(pl.String))
        .otherwise(pl.concat_str([low.cast(pl.String), pl.lit("–"), high.cast(pl.String)]))
    )
    return _out(
        sub,
        s,
        pl.when(low.is_null())
        .then(pl.lit("unknown"))
        .when(low >= s.months)
        .then(pl.lit("met"))
        .when(high < s.months)
        .then(pl.lit("unmet"))
        .otherwise(pl.lit("unknown")),
        pl.when(low >= s.months).then(pl.lit("standard")).otherwise(_NULL_STR),
        _NULL_DATE,
        pl.lit(str(s.months)),
        months,
        _NULL_STR,
        _retirement_reason(pl.col("retirement_earliest"), pl.col("retirement_latest")),
    )


# --------------------------------------------------------------------------- evaluate


def _with_professional_exceptions(s: Standard, standards: list[Standard]) -> Standard:
    """A field-of-study standard without exceptions of its own takes those of the professional
    standard in force for the same titles: where an intermediate degree is accepted, its field
    is what is checked (Decree 33/2023 Art. 10(1)(c) and (2))."""
    if s.exceptions:
        return s
    for p in standards:
        if p.criterion == "professional" and p.exceptions and set(s.titles) <= set(p.titles):
            return replace(s, exceptions=p.exceptions)
    return s


def _info(rules: RuleSet, standards: list[Standard]) -> pl.DataFrame:
    rows: list[tuple] = []
    for s in standards:
        base = (s.id, s.reference.render("vi"), s.message_vi, s.message_en, s.verified)
        rows.append((*base, "standard", None, None, None))
        rows.append((*base, None, None, None, None))
        for kind, basis in (("difficult_area", "exception"), ("transition", "transition")):
            ex = [e for e in s.exceptions if e.kind == kind]
            if ex:
                verified = s.verified and all(e.verified for e in ex)
                rows.append(
                    (
                        s.id,
                        base[1],
                        base[2],
                        base[3],
                        verified,
                        basis,
                        "; ".join(e.reference.render("vi") for e in ex),
                        " ".join(e.message_vi for e in ex),
                        " ".join(e.message_en for e in ex),
                    )
                )
    return pl.DataFrame(
        rows,
        orient="row",
        schema={
            "rule_id": pl.String,
            "reference": pl.String,
            "message_vi": pl.String,
            "message_en": pl.String,
            "verified": pl.Boolean,
            "basis": pl.String,
            "basis_reference": pl.String,
            "basis_message_vi": pl.String,
            "basis_message_en": pl.String,
        },
    )


def evaluate(
    snapshot: Snapshot,
    on: date,
    rules: RuleSet | None = None,
    provincial: ProvincialLayer | None = None,
    *,
    criteria: set[str] | None = None,
) -> pl.DataFrame:
    """Check every post held on ``on`` against the standards in force on ``on``.

    Returns one row per person × post × criterion (:data:`FINDING_SCHEMA`), sorted by person,
    post and rule. ``rules`` defaults to the national rules; pass ``rules.with_draft(draft)``
    to ask what a draft rule set would find, or a future ``on`` to project.
    """
    rules = rules or default_rules()
    layer = provincial or ProvincialLayer()
    held = snapshot.posts_on(on)
    titles_held = set(held["title_code"].unique().to_list())
    in_force = rules.standards_on(on)
    standards = [
        s
        for s in in_force
        if (criteria is None or s.criterion in criteria) and titles_held.intersection(s.titles)
    ]
    posts = held.join(
        snapshot.units.select("unit_id", "province_id", pl.col("valid_from").alias("unit_created")),
        on="unit_id",
        how="left",
    ).join(
        snapshot.people.select("person_id", "birth_date", "birth_precision", "sex", "first_start"),
        on="person_id",
        how="left",
    )
    if posts.is_empty() or not standards:
        return pl.DataFrame(schema=FINDING_SCHEMA)
    # Only the decisions in force, of the provinces the posts are in, can apply: a person's check
    # should not pay for every province's decisions.
    provinces = set(posts["province_id"].unique().to_list())
    layer = ProvincialLayer([d for d in layer.decisions if d.province_id in provinces and d.in_force(on)])
    quals = snapshot.qualifications.filter(
        pl.col("obtained_on").is_null() | (pl.col("obtained_on") <= on)
    ).join(level_rank_frame(), on=["dimension", "level"], how="inner")
    best_all = (
        quals.sort("rank", descending=True)
        .group_by("person_id", "dimension", maintain_order=True)
        .agg(pl.col("rank").first().alias("best_rank"), pl.col("level").first().alias("best_level"))
    )
    empty = pl.DataFrame(schema={"person_id": pl.Int64, "best_rank": pl.Int64, "best_level": pl.String})
    best = {d.value: empty for d in Dimension}
    for (dimension,), frame in best_all.partition_by("dimension", as_dict=True).items():
        best[dimension] = frame.drop("dimension")
    ctx = {
        "on": on,
        "layer": layer,
        "flags": _flags_by_unit(snapshot, on),
    }
    # (unit, province, title, flag) of every post in a unit with an area flag on the date.
    ctx["flagged_units_titles"] = (
        posts.select("unit_id", "province_id", "title_code")
        .unique()
        .join(
            Snapshot.in_force(snapshot.unit_flags, on).select("unit_id", "flag").unique(),
            on="unit_id",
            how="inner",
        )
    )
    if any(s.criterion in ("retirement_age", "term_at_appointment") for s in standards):
        ctx["retire"] = retirement_dates(snapshot.people, rules)
    parts = []
    for s in standards:
        sub = posts.filter(pl.col("title_code").is_in(list(s.titles)))
        if s.criterion in LEVEL_CRITERIA:
            out = _level(sub, s, s.criterion, best, ctx)
        elif s.criterion == "field_of_study":
            out = _field(sub, _with_professional_exceptions(s, in_force), quals, ctx)
        elif s.criterion == "age_minimum":
            out = _age_minimum(sub, s, ctx)
        elif s.criterion == "retirement_age":
            out = _retirement_age(sub, s, ctx)
        else:
            out = _term_at_appointment(sub, s, ctx)
        parts.append(out)
    if not parts:
        return pl.DataFrame(schema=FINDING_SCHEMA)
    findings = pl.concat(parts)
    findings = findings.join(_info(rules, standards), on=["rule_id", "basis"], how="left", nulls_equal=True)
    return findings.select([pl.col(c).cast(t) for c, t in FINDING_SCHEMA.items()]).sort(
        "person_id", "assignment_id", "rule_id"
    )
