"""The people behind a report's counts (issue 10 §2: "a report on a unit and a date lists the
people behind every count it shows — counts and names never disagree").

A report's count tables are followed by a *Danh sách* table: one row per person counted, under
a bold row per commune, with a column per count of the report marking the people counted in it
— computed from the very frame the counts are summed from, so that counting the marks of a
column in a commune gives the figure of the count table. This module holds what the quality and
staffing reports' lists share: the order of the rows, the commune rows, the birth dates as
known, the unmet criteria of each person and the footnote on people outside the reader's scope.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import polars as pl

from canbo.core.standards.present import CRITERION_LABELS
from canbo.core.standards.snapshot import Snapshot
from canbo.core.text import name_sort_string

from .layout import Row, roman, tr

__all__ = ["MARK", "birth_text", "grouped_rows", "hidden_note", "sort_key", "unmet_criteria"]

#: The mark of a person counted in a column.
MARK = "x"


def sort_key(full_name: str | None) -> str:
    """Vietnamese order of a full name (given name, then family name, then middle names)."""
    parts = (full_name or "").split(" ")
    family, given = parts[0], parts[-1] if len(parts) > 1 else ""
    return name_sort_string(family, " ".join(parts[1:-1]), given)


def birth_text(birth, precision: str | None) -> str:
    """A birth date as known: dd/mm/yyyy, mm/yyyy or yyyy."""
    if birth is None:
        return ""
    if precision == "year":
        return f"{birth.year}"
    if precision == "month":
        return f"{birth.month:02d}/{birth.year}"
    return birth.strftime("%d/%m/%Y")


def unmet_criteria(findings: pl.DataFrame, lang: str) -> dict[int, str]:
    """person_id → the criteria they do not meet (labels in ``lang``, joined by "; "), from the
    engine's findings (every post they hold on the date)."""
    i = 1 if lang == "en" else 0
    unmet = findings.filter(pl.col("status") == "unmet").select("person_id", "criterion").unique()
    out: dict[int, list[str]] = {}
    for pid, criterion in unmet.sort("person_id", "criterion").iter_rows():
        out.setdefault(pid, []).append(CRITERION_LABELS.get(criterion, (criterion, criterion))[i])
    return {pid: "; ".join(labels) for pid, labels in out.items()}


def grouped_rows(
    records: Iterable[dict],
    snapshot: Snapshot,
    values: Callable[[dict], dict],
) -> list[Row]:
    """The list's rows: ``records`` (each with unit_id, person_id, full_name) ordered by commune
    code then name, a bold group row (Roman number, commune name) before each commune, each
    person numbered within their commune; ``values`` gives a record's other cells."""
    units = {r["unit_id"]: r for r in snapshot.units.select("unit_id", "code", "name").to_dicts()}
    ordered = sorted(
        records,
        key=lambda r: (
            (units.get(r["unit_id"]) or {}).get("code") or "",
            r["unit_id"],
            sort_key(r.get("full_name")),
            r["person_id"],
        ),
    )
    rows: list[Row] = []
    unit, n_unit, n_person = None, 0, 0
    for r in ordered:
        if r["unit_id"] != unit:
            unit, n_person = r["unit_id"], 0
            n_unit += 1
            rows.append(
                Row("group", {"stt": roman(n_unit), "full_name": (units.get(unit) or {}).get("name")})
            )
        n_person += 1
        rows.append(Row("data", {"stt": str(n_person), "full_name": r.get("full_name"), **values(r)}))
    return rows


def hidden_note(hidden: int, lang: str) -> tuple[str, ...]:
    """The footnote of a list that leaves out ``hidden`` people outside the reader's scope."""
    if not hidden:
        return ()
    return (
        tr(
            lang,
            f"{hidden} người ngoài phạm vi được phân quyền của người lập biểu không được liệt kê "
            "(vẫn được tính trong các số liệu).",
            f"{hidden} people outside the reader's scope are not listed (they are still counted in the figures).",
        ),
    )
