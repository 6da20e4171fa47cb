"""Findings and staffing as words and files: terminal tables, JSON and xlsx.

Used by ``canbo standards check`` and ``canbo standards staffing`` (and any export that wants the same columns).
The labels come from the core (:mod:`canbo.core.standards.present`) so that a finding reads
the same on a page, in a report and in a terminal; headers are plain bilingual text chosen by
``lang`` (``vi`` or ``en``).

Labelling is vectorised: the few distinct (criterion, value) pairs, names and codes are turned
into words once and joined back, so a national run (millions of findings) is labelled in
seconds.

JSON structures (dates ISO ``YYYY-MM-DD``, absent values ``null``) are documented in
``docs/architecture.md`` ("Findings on the command line").
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import TextIO, cast

import polars as pl

from canbo.core.formatting import fmt_date, fmt_int, tr
from canbo.core.formatting import lang_index as _i
from canbo.core.standards.present import (
    BASIS_LABELS,
    CATEGORY_LABELS,
    CRITERION_LABELS,
    STATUS_LABELS,
    value_label,
)
from canbo.core.standards.snapshot import Snapshot
from canbo.core.standards.staffing import StaffingReport
from canbo.core.text import name_sort_string

__all__ = [
    "CHECK_COLUMNS",
    "Column",
    "STAFFING_PEOPLE_COLUMNS",
    "STAFFING_UNIT_COLUMNS",
    "fmt_date",
    "fmt_int",
    "label_findings",
    "label_staffing",
    "render_table",
    "tr",
    "write_json",
    "write_xlsx",
]

UNVERIFIED = ("(chưa kiểm chứng)", "(unverified)")
LEVEL_LABELS = {
    "province": ("Tỉnh", "Province"),
    "district": ("Huyện", "District"),
    "commune_level": ("Xã", "Commune"),
}


@dataclass(frozen=True)
class Column:
    """One output column: the frame column, its header in both languages, its width in an
    xlsx sheet, and its kind (``text``, ``wrap`` — long text wrapped in xlsx —, ``int``,
    ``date``)."""

    key: str
    vi: str
    en: str
    width: float = 16
    kind: str = "text"

    def header(self, lang: str) -> str:
        return tr(lang, self.vi, self.en)


# --------------------------------------------------------------------------- findings

#: Columns of ``canbo standards check`` (table and xlsx; ``deadline`` only in xlsx, where it is a date).
CHECK_COLUMNS = [
    Column("person_name", "Họ và tên", "Full name", 24),
    Column("title_name", "Chức danh", "Title", 28, "wrap"),
    Column("unit_name", "Đơn vị", "Unit", 22),
    Column("criterion_label", "Tiêu chí", "Criterion", 22, "wrap"),
    Column("status_label", "Kết quả", "Result", 15),
    Column("required_label", "Yêu cầu", "Required", 22, "wrap"),
    Column("actual_label", "Hiện có", "Actual", 22, "wrap"),
    Column("basis_text", "Căn cứ đạt / thời hạn", "Basis / deadline", 30, "wrap"),
    Column("deadline", "Thời hạn", "Deadline", 12, "date"),
    Column("reference_text", "Căn cứ pháp lý", "Legal reference", 30, "wrap"),
    Column("message", "Nội dung quy định", "What the rule requires", 60, "wrap"),
    Column("reason", "Lý do chưa rõ", "Why unknown", 40, "wrap"),
]


def _titles_frame(titles: dict[str, str]) -> pl.DataFrame:
    return pl.DataFrame(
        {"title_code": list(titles), "title_name": list(titles.values())},
        schema={"title_code": pl.String, "title_name": pl.String},
    )


def person_sort_keys(people: pl.DataFrame) -> pl.DataFrame:
    """person_id → sort_key: Vietnamese name order (given name, middle, family; Vietnamese
    alphabet — :func:`canbo.core.text.name_sort_string`), computed once per distinct name."""
    names = people.select("full_name").unique().drop_nulls()
    keys = []
    for (name,) in names.iter_rows():
        parts = name.split(" ")
        family, given = parts[0], parts[-1] if len(parts) > 1 else ""
        middle = " ".join(parts[1:-1])
        keys.append(name_sort_string(family, middle, given))
    table = names.with_columns(pl.Series("sort_key", keys, dtype=pl.String))
    return (
        people.select("person_id", "full_name")
        .join(table, on="full_name", how="left")
        .select("person_id", pl.col("sort_key").fill_null(""))
    )


def _value_labels(findings: pl.DataFrame, lang: str) -> pl.DataFrame:
    pairs = pl.concat(
        [
            findings.select("criterion", pl.col("required").alias("value")),
            findings.select("criterion", pl.col("actual").alias("value")),
        ]
    ).unique()
    return pairs.with_columns(
        pl.Series("label", [value_label(c, v, lang) for c, v in pairs.iter_rows()], dtype=pl.String)
    )


def label_findings(
    findings: pl.DataFrame, snapshot: Snapshot, titles: dict[str, str], lang: str = "vi"
) -> pl.DataFrame:
    """The findings with words: person, unit and title names, criterion, status, basis,
    required and actual values, the legal reference ("(chưa kiểm chứng)" where the rule is not
    verified) and the message in ``lang`` — sorted by unit, person (Vietnamese order), post and
    rule. Keeps every column of the findings frame."""
    i = _i(lang)
    unverified = UNVERIFIED[i]
    people = snapshot.people.select("person_id", pl.col("full_name").alias("person_name")).join(
        person_sort_keys(snapshot.people), on="person_id", how="left"
    )
    units = snapshot.units.select(
        "unit_id", pl.col("code").alias("unit_code"), pl.col("name").alias("unit_name")
    )
    values = _value_labels(findings, lang)
    crit = {k: v[i] for k, v in CRITERION_LABELS.items()}
    status = {k: v[i] for k, v in STATUS_LABELS.items()}
    basis = {k: v[i] for k, v in BASIS_LABELS.items()}
    deadline_text = pl.col("deadline").dt.strftime("%Y-%m-%d" if i else "%d/%m/%Y")
    until = "until" if i else "đến"
    out = (
        findings.join(people, on="person_id", how="left")
        .join(units, on="unit_id", how="left")
        .join(_titles_frame(titles), on="title_code", how="left")
        .join(
            values.rename({"value": "required", "label": "required_label"}),
            on=["criterion", "required"],
            how="left",
            nulls_equal=True,
        )
        .join(
            values.rename({"value": "actual", "label": "actual_label"}),
            on=["criterion", "actual"],
            how="left",
            nulls_equal=True,
        )
        .with_columns(
            pl.col("title_name").fill_null(pl.col("title_code")),
            pl.col("criterion")
            .replace_strict(crit, default=pl.col("criterion"), return_dtype=pl.String)
            .alias("criterion_label"),
            pl.col("status")
            .replace_strict(status, default=pl.col("status"), return_dtype=pl.String)
            .alias("status_label"),
            pl.col("basis")
            .replace_strict(basis, default=None, return_dtype=pl.String)
            .fill_null("")
            .alias("basis_label"),
            (pl.col("message_en") if i else pl.col("message_vi")).alias("message"),
            (pl.col("reason_en") if i else pl.col("reason_vi")).fill_null("").alias("reason"),
            pl.when(pl.col("verified").fill_null(True))
            .then(pl.col("reference"))
            .otherwise(pl.concat_str([pl.col("reference"), pl.lit(unverified)], separator=" "))
            .alias("reference_text"),
        )
        .with_columns(
            pl.concat_str(
                [
                    pl.col("basis_label"),
                    pl.when(pl.col("deadline").is_not_null()).then(pl.lit(f"{until} ") + deadline_text),
                    pl.col("provincial_decision"),
                    pl.when(pl.col("basis").is_in(["exception", "transition"])).then(
                        pl.col("basis_reference")
                    ),
                ],
                separator=", ",
                ignore_nulls=True,
            )
            .str.strip_chars(", ")
            .alias("basis_text"),
        )
        .sort("unit_code", "sort_key", "person_id", "assignment_id", "rule_id", nulls_last=True)
        .drop("sort_key")
    )
    return out


# --------------------------------------------------------------------------- staffing

STAFFING_UNIT_COLUMNS = [
    Column("display_name", "Đơn vị", "Unit", 32),
    Column("code", "Mã", "Code", 8),
    Column("level_label", "Cấp", "Level", 8),
    Column("quota", "Định biên", "Quota", 10, "int"),
    Column("headcount", "Hiện có", "Headcount", 10, "int"),
    Column("surplus", "Thừa", "Surplus", 8, "int"),
    Column("shortfall", "Thiếu", "Shortfall", 8, "int"),
    Column("vacant_text", "Chức danh còn trống", "Vacant titles", 36, "wrap"),
    Column("over_text", "Chức danh vượt số lượng", "Titles over their maximum", 24, "wrap"),
    Column("below_standard", "Yếu (chưa đạt chuẩn)", "Below standard", 12, "int"),
    Column("field_mismatch", "Trái ngành", "Field mismatch", 10, "int"),
    Column("missing_data", "Thiếu dữ liệu", "Missing data", 10, "int"),
    Column("note_text", "Ghi chú", "Note", 40, "wrap"),
]

STAFFING_PEOPLE_COLUMNS = [
    Column("unit_name", "Đơn vị", "Unit", 24),
    Column("full_name", "Họ và tên", "Full name", 24),
    Column("category_label", "Nhóm", "Category", 22),
    Column("titles_text", "Chức danh", "Titles", 30, "wrap"),
    Column("criteria_text", "Tiêu chí", "Criteria", 30, "wrap"),
    Column("references", "Căn cứ pháp lý", "Legal references", 40, "wrap"),
]


def _title_names(text: str | None, titles: dict[str, str]) -> str:
    """ "VP_TK (0/1), TC_KT (0/1)" → "Văn phòng - thống kê (0/1), Tài chính - kế toán (0/1)"."""
    if not text:
        return ""
    return re.sub(r"[A-Z][A-Z0-9_]*", lambda m: titles.get(m.group(0), m.group(0)), text)


def _map_unique(frame: pl.DataFrame, column: str, fn, alias: str) -> pl.DataFrame:
    distinct = frame.select(column).unique()
    mapped = distinct.with_columns(
        pl.Series(alias, [fn(v) for (v,) in distinct.iter_rows()], dtype=pl.String)
    )
    return frame.join(mapped, on=column, how="left", nulls_equal=True)


def label_staffing(
    report: StaffingReport, snapshot: Snapshot, titles: dict[str, str], lang: str = "vi"
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(units, people) of a staffing report with words, units in tree order — each province,
    then each of its districts followed by its communes (communes of the two-tier era follow
    their province directly) — and people by unit, category and Vietnamese name order."""
    i = _i(lang)
    keys = snapshot.units.select("unit_id", "province_id", "district_id")
    codes = snapshot.units.select("unit_id", "code")
    units = (
        report.units.join(keys, on="unit_id", how="left")
        .join(codes.rename({"unit_id": "province_id", "code": "province_code"}), on="province_id", how="left")
        .join(codes.rename({"unit_id": "district_id", "code": "district_code"}), on="district_id", how="left")
        .with_columns(
            pl.col("level")
            .replace_strict(
                {"province": 0, "district": 1, "commune_level": 2}, default=3, return_dtype=pl.Int8
            )
            .alias("_depth"),
        )
        .with_columns(
            pl.when(pl.col("_depth") == 0)
            .then(pl.lit(""))
            .otherwise(pl.col("district_code"))
            .fill_null("")
            .alias("district_code")
        )
        .sort("province_code", "district_code", "_depth", "code", nulls_last=True)
    )
    unknown = tr(lang, "xã chưa xác định được định biên", "communes without a known quota")
    # Indent under the parent shown: a commune of the two-tier era sits right under its province;
    # the top unit of the report is not indented.
    depth = (
        pl.when((pl.col("_depth") == 2) & (pl.col("district_code") == "")).then(1).otherwise(pl.col("_depth"))
    )
    indent = depth - depth.min()
    rollup = pl.col("_depth") < 2
    none_known = rollup & (pl.col("quota_unknown") >= pl.col("communes"))
    units = units.with_columns(
        # A roll-up of communes none of whose quotas is known has no quota (not 0).
        *(
            pl.when(none_known).then(None).otherwise(pl.col(c)).alias(c)
            for c in ("quota", "surplus", "shortfall")
        ),
    ).with_columns(
        pl.when(indent == 1)
        .then(pl.lit("  ") + pl.col("name"))
        .when(indent >= 2)
        .then(pl.lit("    ") + pl.col("name"))
        .otherwise(pl.col("name"))
        .alias("display_name"),
        pl.col("level")
        .replace_strict(
            {k: v[i] for k, v in LEVEL_LABELS.items()}, default=pl.col("level"), return_dtype=pl.String
        )
        .alias("level_label"),
        pl.when(rollup & (pl.col("quota_unknown") > 0))
        .then(pl.concat_str([pl.col("quota_unknown").cast(pl.String), pl.lit(unknown)], separator=" "))
        .otherwise(pl.col("quota_note_en" if i and "quota_note_en" in units.columns else "quota_note"))
        .fill_null("")
        .alias("note_text"),
    )
    units = _map_unique(units, "vacant_titles", lambda v: _title_names(v, titles), "vacant_text")
    units = _map_unique(units, "over_titles", lambda v: _title_names(v, titles), "over_text")
    units = units.drop("_depth", "province_code", "district_code")

    cats = {k: v[i] for k, v in CATEGORY_LABELS.items()}
    crit = {k: v[i] for k, v in CRITERION_LABELS.items()}
    people = report.people.join(
        snapshot.units.select(
            "unit_id", pl.col("name").alias("unit_name"), pl.col("code").alias("unit_code")
        ),
        on="unit_id",
        how="left",
    )
    people = people.join(person_sort_keys(snapshot.people), on="person_id", how="left")
    people = people.with_columns(
        pl.col("category")
        .replace_strict(cats, default=pl.col("category"), return_dtype=pl.String)
        .alias("category_label"),
        pl.col("category")
        .replace_strict(
            {"below_standard": 0, "field_mismatch": 1, "missing_data": 2}, default=3, return_dtype=pl.Int8
        )
        .alias("_cat"),
    )
    people = _map_unique(
        people,
        "titles",
        lambda v: ", ".join(titles.get(t, t) for t in (v or "").split(", ") if t),
        "titles_text",
    )
    people = _map_unique(
        people,
        "criteria",
        lambda v: ", ".join(crit.get(c, c) for c in (v or "").split(", ") if c),
        "criteria_text",
    )
    people = people.sort("unit_code", "_cat", "sort_key", "person_id", nulls_last=True).drop(
        "_cat", "sort_key"
    )
    return units, people


# --------------------------------------------------------------------------- table


def _as_text(frame: pl.DataFrame, columns: list[Column], lang: str) -> pl.DataFrame:
    """Every cell as display text (NFC, so that one character is one column): numbers with
    the language's thousands separator, dates dd/mm/yyyy (ISO in English), nulls empty."""
    exprs = []
    for c in columns:
        dtype = frame.schema[c.key]
        col = pl.col(c.key)
        if dtype.is_integer():
            sep = "," if lang == "en" else "."
            text = (
                col.abs()
                .cast(pl.String)
                .str.reverse()
                .str.replace_all(r"(\d{3})", "$1" + sep)
                .str.reverse()
                .str.strip_chars_start(sep)
            )
            text = pl.when(col < 0).then(pl.lit("-") + text).otherwise(text)
        elif dtype == pl.Date:
            text = col.dt.strftime("%Y-%m-%d" if lang == "en" else "%d/%m/%Y")
        else:
            text = col.cast(pl.String).str.normalize("NFC")
        exprs.append(text.fill_null("").alias(c.key))
    return frame.select(exprs)


def render_table(out: TextIO, columns: list[Column], frame: pl.DataFrame, lang: str = "vi") -> None:
    """``frame``'s ``columns`` as aligned text under a header and a rule: numbers
    right-aligned, the last column not padded. Vectorised (a national table of a million rows
    takes seconds)."""
    text = _as_text(frame, columns, lang)
    headers = [unicodedata.normalize("NFC", c.header(lang)) for c in columns]
    widths: list[int] = []
    for c, h in zip(columns, headers, strict=True):
        # Series.max() is typed for any dtype; the lengths are integers (None if all are null).
        longest = cast("int | None", text[c.key].str.len_chars().max()) if len(text) else 0
        widths.append(max(len(h), longest or 0))
    last = len(columns) - 1
    cells = []
    for k, c in enumerate(columns):
        col = pl.col(c.key)
        if c.kind == "int":
            cells.append(col.str.pad_start(widths[k]))
        elif k == last:
            cells.append(col)
        else:
            cells.append(col.str.pad_end(widths[k]))
    head = "  ".join(
        h.rjust(w) if c.kind == "int" else (h if k == last else h.ljust(w))
        for k, (c, h, w) in enumerate(zip(columns, headers, widths, strict=True))
    ).rstrip()
    out.write(head + "\n")
    out.write("  ".join("-" * w for w in widths) + "\n")
    if len(text):
        lines = text.select(pl.concat_str(cells, separator="  ").str.strip_chars_end().alias("line"))["line"]
        out.write("\n".join(lines.to_list()) + "\n")


# --------------------------------------------------------------------------- json


def write_json(out: TextIO, meta: dict, sections: dict[str, pl.DataFrame]) -> None:
    """``meta`` (a JSON object, dates as ISO text) with each section appended as an array of
    row objects (written by polars: dates ISO, nulls ``null``)."""
    head = json.dumps(
        meta, ensure_ascii=False, indent=2, default=lambda v: v.isoformat() if isinstance(v, date) else str(v)
    )
    parts = [head[:-2] if meta else "{"]
    for k, (name, frame) in enumerate(sections.items()):
        sep = ",\n" if (meta or k) else "\n"
        parts.append(f"{sep}  {json.dumps(name)}: {frame.write_json() if len(frame) else '[]'}")
    out.write("".join(parts) + "\n}\n")


# --------------------------------------------------------------------------- xlsx

#: Data rows per sheet: Excel's 1,048,576 rows less the title, subtitle and header rows.
MAX_ROWS = 1_048_576 - 3


@dataclass
class Sheet:
    """One table of a workbook: its name, columns and rows (a frame holding the column keys)."""

    name: str
    columns: list[Column]
    frame: pl.DataFrame
    subtitle: str = ""


def write_xlsx(path, title: str, sheets: list[Sheet], lang: str = "vi") -> None:
    """An xlsx workbook (xlsxwriter, streamed row by row): per sheet a bold merged title row,
    a subtitle row, a header row with autofilter and frozen panes, column widths, dates as
    Excel dates (dd/mm/yyyy), A4 landscape fitted to the page width with the header repeated.
    A table longer than Excel's row limit continues on further sheets."""
    from canbo.core.spreadsheet import workbook

    wb = workbook(str(path), {"constant_memory": True, "default_date_format": "dd/mm/yyyy"})
    title_fmt = wb.add_format({"bold": True, "font_size": 14, "align": "left", "valign": "vcenter"})
    sub_fmt = wb.add_format({"italic": True, "align": "left"})
    head_fmt = wb.add_format(
        {"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#DDEBF7", "border": 1}
    )
    wrap_fmt = wb.add_format({"text_wrap": True, "valign": "top"})
    top_fmt = wb.add_format({"valign": "top"})
    date_fmt = wb.add_format({"num_format": "dd/mm/yyyy", "valign": "top"})
    int_fmt = wb.add_format({"num_format": "#,##0", "valign": "top"})
    wb.set_properties({"title": title, "author": "canbo"})
    for sheet in sheets:
        keys = [c.key for c in sheet.columns]
        frame = sheet.frame.select(keys)
        chunks = max(1, -(-len(frame) // MAX_ROWS))
        for part in range(chunks):
            rows = frame.slice(part * MAX_ROWS, MAX_ROWS)
            name = sheet.name if part == 0 else f"{sheet.name} ({part + 1})"
            ws = wb.add_worksheet(name[:31])
            ws.set_landscape()
            ws.set_paper(9)  # A4
            ws.fit_to_pages(1, 0)
            ws.repeat_rows(2)
            ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)
            for k, c in enumerate(sheet.columns):
                fmt = {"wrap": wrap_fmt, "date": date_fmt, "int": int_fmt}.get(c.kind, top_fmt)
                ws.set_column(k, k, c.width, fmt)
            last_col = len(keys) - 1
            ws.set_row(0, 24)
            if last_col:
                ws.merge_range(0, 0, 0, last_col, title, title_fmt)
                ws.merge_range(1, 0, 1, last_col, sheet.subtitle, sub_fmt)
            else:
                ws.write_string(0, 0, title, title_fmt)
                ws.write_string(1, 0, sheet.subtitle, sub_fmt)
            ws.write_row(2, 0, [c.header(lang) for c in sheet.columns], head_fmt)
            ws.freeze_panes(3, 1)
            ws.autofilter(2, 0, 2 + max(len(rows), 1), last_col)
            r = 3
            for row in rows.iter_rows():
                ws.write_row(r, 0, row)
                r += 1
    wb.close()
