"""Report *trend*: the main indicators of commune cadres and civil servants year by year.

One point per year: 31 December of each year from 2005 to the year before the report's date,
then the report's date itself. At each point, from one engine evaluation on that day, the same
counting as the quality report (:mod:`.people`): the people in post, and the shares of women,
of ethnic minorities, of university graduates or higher, of people with intermediate political
theory or higher, and of people meeting the standard of their posts. A line chart shows the
shares (a native Excel chart in the workbook, a picture in the PDF).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import date

import polars as pl

from canbo.core.standards.engine import FINDING_SCHEMA
from canbo.core.standards.snapshot import Snapshot

from .layout import (
    Chart,
    Column,
    Group,
    Report,
    Row,
    Series,
    Table,
    fmt_date,
    official_report,
    tr,
)
from .people import profile

__all__ = [
    "FIRST_YEAR",
    "INDICATORS",
    "TrendPoint",
    "combine",
    "compute",
    "point_row",
    "points_dates",
    "report",
    "report_of_table",
    "table_of",
]

#: The first year of the series (the registry's histories start in 2005).
FIRST_YEAR = 2005

#: (key, label vi, label en, the people counted in the numerator).
INDICATORS: list[tuple[str, str, str, pl.Expr]] = [
    ("women", "Nữ", "Women", pl.col("female")),
    ("minority", "Dân tộc thiểu số", "Ethnic minority", pl.col("minority")),
    ("university", "Chuyên môn đại học trở lên", "University or higher", pl.col("professional_rank") >= 4),
    (
        "political_theory",
        "LLCT trung cấp trở lên",
        "Political theory intermediate or higher",
        pl.col("political_theory_rank") >= 2,
    ),
    ("standard", "Đạt chuẩn", "Meet the standard", pl.col("standard") == "met"),
]


@dataclass(frozen=True)
class TrendPoint:
    """The evaluation of one day: the snapshot loaded for it and the engine's findings."""

    on: date
    snapshot: Snapshot
    findings: pl.DataFrame


def points_dates(on: date, first_year: int = FIRST_YEAR) -> list[date]:
    """31/12 of every year from ``first_year`` to the year before ``on``, then ``on``."""
    return [date(y, 12, 31) for y in range(first_year, on.year)] + [on]


def combine(parts: Sequence[tuple[Snapshot, pl.DataFrame]]) -> tuple[Snapshot, pl.DataFrame]:
    """One snapshot and findings frame from several (e.g. the predecessor units of a merged
    unit, each loaded on its own): frames concatenated, repeated rows dropped."""
    if len(parts) == 1:
        return parts[0]
    if not parts:
        return Snapshot.from_rows(), pl.DataFrame(schema=FINDING_SCHEMA)
    frames = {
        f.name: pl.concat([getattr(s, f.name) for s, _ in parts]).unique(maintain_order=True)
        for f in fields(Snapshot)
    }
    findings = pl.concat([f for _, f in parts]).unique(maintain_order=True)
    return Snapshot(**frames), findings


def point_row(point: TrendPoint) -> dict:
    """The figures of one point: on, year, people, and for each indicator its count and share
    (%) of the people (null when nobody is in post). Plain values, so that an adapter may keep
    them (a past year's figures do not change while the data does not)."""
    people = profile(point.snapshot, point.findings, point.on)
    if people.is_empty():
        counts = {k: 0 for k, *_ in INDICATORS}
        n = 0
    else:
        agg = people.select([expr.fill_null(False).sum().alias(k) for k, _vi, _en, expr in INDICATORS]).row(
            0, named=True
        )
        counts, n = agg, len(people)
    row = {"on": point.on, "year": point.on.year, "people": n}
    for k, *_ in INDICATORS:
        row[k] = int(counts[k])
        row[f"{k}_pct"] = (100.0 * counts[k] / n) if n else None
    return row


def table_of(rows: Sequence[dict]) -> pl.DataFrame:
    """The trend table from the rows of :func:`point_row`, in date order."""
    schema = {"on": pl.Date, "year": pl.Int64, "people": pl.Int64}
    for k, *_ in INDICATORS:
        schema[k] = pl.Int64
        schema[f"{k}_pct"] = pl.Float64
    return pl.DataFrame(list(rows), schema=schema)


def compute(points: Sequence[TrendPoint]) -> pl.DataFrame:
    """One row per point (:func:`point_row`)."""
    return table_of([point_row(p) for p in points])


def report(points: Sequence[TrendPoint], subject: dict | None, lang: str = "vi") -> Report:
    """The trend report of ``points`` (in date order; the last is the report's date) about
    ``subject`` (a unit row: level, name)."""
    return report_of_table(compute(points), subject, lang)


def report_of_table(table: pl.DataFrame, subject: dict | None, lang: str = "vi") -> Report:
    """The trend report of a table of :func:`compute` (or :func:`table_of`)."""
    i = 1 if lang == "en" else 0
    on = table["on"][-1]
    subject = subject or {}
    rows = []
    for r in table.to_dicts():
        is_year_end = (r["on"].month, r["on"].day) == (12, 31)
        label = (
            str(r["year"])
            if is_year_end
            else f"{r['year']} ({r['on'].strftime('%d/%m' if not i else '%m-%d')})"
        )
        rows.append(
            Row(
                "data",
                {
                    "label": label,
                    "on_text": fmt_date(r["on"], lang),
                    "people": r["people"],
                    **{f"{k}_pct": r[f"{k}_pct"] for k, *_ in INDICATORS},
                },
            )
        )
    headers = (
        Column("label", tr(lang, "Năm", "Year"), "text", 13),
        Column("on_text", tr(lang, "Tính đến ngày", "As of"), "text", 12),
        Column("people", tr(lang, "Số người đang giữ chức danh", "People in post"), "int", 12),
        Group(
            tr(lang, "Tỷ lệ (%)", "Share (%)"),
            tuple(Column(f"{k}_pct", (vi, en)[i], "percent", 13) for k, vi, en, _ in INDICATORS),
        ),
    )
    chart = Chart(
        title=tr(lang, "Diễn biến các chỉ tiêu chính (%)", "Main indicators (%)"),
        category_key="label",
        series=tuple(Series((vi, en)[i], f"{k}_pct") for k, vi, en, _ in INDICATORS),
        y_title="%",
        y_max=100,
    )
    first = table["on"][0].year
    title = tr(
        lang,
        "BÁO CÁO DIỄN BIẾN SỐ LƯỢNG, CHẤT LƯỢNG CÁN BỘ, CÔNG CHỨC CẤP XÃ QUA CÁC NĂM",
        "TREND OF THE NUMBER AND QUALITY OF COMMUNE CADRES AND CIVIL SERVANTS OVER THE YEARS",
    )
    as_of_line = tr(
        lang, f"Từ năm {first} đến ngày {fmt_date(on, lang)}", f"From {first} to {fmt_date(on, lang)}"
    )
    notes = (
        tr(
            lang,
            "Mỗi năm tính đến ngày 31/12 (năm cuối: đến ngày báo cáo), đếm như báo cáo số lượng, chất lượng: người giữ "
            "chức danh cán bộ, công chức cấp xã vào ngày đó, mỗi người một lần; tỷ lệ trên tổng số người. Những năm "
            "trước khi đơn vị được thành lập do sắp xếp, số liệu là của các đơn vị cũ đã nhập vào đơn vị.",
            "Each year as of 31 December (the last: the report's date), counted as in the quality report: people "
            "holding a commune cadre or civil-servant post on that day, each once; shares of the people in post. For "
            "the years before the unit was formed by a merger, the figures are those of the units merged into it.",
        ),
    )
    return official_report(
        "trend",
        subject,
        on,
        lang,
        title=title,
        as_of_line=as_of_line,
        tables=(
            Table(
                name=tr(lang, "Diễn biến", "Trend"),
                title=title,
                subtitle=as_of_line,
                headers=headers,
                rows=tuple(rows),
                footnotes=notes,
                chart=chart,
            ),
        ),
        meta={"table": table},
    )
