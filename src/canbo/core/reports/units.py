"""The unit rows of a report: one row per commune under bold subtotal rows per legacy district
(and per province when a report covers several), with a total row ("Tổng cộng") first.

Used by the quality and staffing reports, which differ only in where the figures of a row come
from (sums of people for quality; the staffing analysis's own roll-ups for staffing).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import polars as pl

from canbo.core.formatting import column_letter, tr
from canbo.core.standards.snapshot import Snapshot

from .layout import Row, roman

__all__ = ["commune_frame", "subject_unit", "unit_rows"]


def commune_frame(snapshot: Snapshot, on: date) -> pl.DataFrame:
    """The commune-level units of the snapshot existing on ``on`` (unit_id, code, name,
    district_id, province_id), by code."""
    return (
        snapshot.units_on(on)
        .filter(pl.col("level") == "commune_level")
        .select("unit_id", "code", "name", "district_id", "province_id")
        .sort("code", "unit_id")
    )


def subject_unit(snapshot: Snapshot, unit_id: int | None) -> dict | None:
    """The row of the unit a report is about (None for the whole snapshot)."""
    if unit_id is None:
        return None
    rows = snapshot.units.filter(pl.col("unit_id") == unit_id).to_dicts()
    return rows[0] if rows else None


def unit_rows(
    communes: pl.DataFrame,
    units: pl.DataFrame,
    values: Callable[[int], dict],
    total: dict,
    lang: str,
    *,
    stt: str = "stt",
    name: str = "name",
) -> list[Row]:
    """The total row, then for each province (only when there are several), each legacy
    district (only in the three-tier era) a subtotal row followed by its communes. ``values``
    gives the figures of a unit by id (commune, district or province); ``total`` those of the
    total row. Group rows are numbered I, II, … (provinces A, B, … above them), communes 1, 2, …
    within their group."""
    names = {r[0]: r[1] for r in units.select("unit_id", "name").iter_rows()}
    rows = [Row("total", {**total, stt: "", name: tr(lang, "Tổng cộng", "Total")})]
    provinces = communes["province_id"].unique(maintain_order=True).to_list()
    by_province = len(provinces) > 1
    for p_index, pid in enumerate(provinces, start=1):
        in_p = communes.filter(pl.col("province_id").eq_missing(pid))
        if by_province:
            rows.append(
                Row("subtotal", {**values(pid), stt: column_letter(p_index - 1), name: names.get(pid, "")})
            )
        districts = in_p["district_id"].unique(maintain_order=True).to_list()
        # Districts in the order of their codes (communes are sorted by code, so is this).
        d_index = 0
        for did in districts:
            in_d = in_p.filter(pl.col("district_id").eq_missing(did))
            if did is not None:
                d_index += 1
                rows.append(Row("subtotal", {**values(did), stt: roman(d_index), name: names.get(did, "")}))
            for c_index, (uid, cname) in enumerate(in_d.select("unit_id", "name").iter_rows(), start=1):
                rows.append(Row("data", {**values(uid), stt: str(c_index), name: cname}))
    return rows
