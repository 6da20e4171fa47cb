"""Report *staffing*: quota, headcount, *thừa, thiếu, yếu* per commune, then the people below
standard.

Part 1 (sheet *Biên chế*): one row per commune with its quota (định biên), headcount, surplus
(thừa) and shortfall (thiếu) against the quota, the titles of the establishment left vacant or
held above their maximum, and the people below standard (yếu), with a field mismatch or missing
data — all taken as they are from :func:`canbo.core.standards.staffing.analyse_staffing`,
whose district and province roll-ups are the subtotal and total rows (nothing is recomputed
here: a figure is the same as on the unit's admin page and in ``canbo standards staffing``).

Part 2 (sheet *Chưa đạt chuẩn*): the people the analysis counts as below standard, one row per
unmet criterion of a post: title, criterion, what is required and what the person has, the
reason (the rule's words) and the legal reference — grouped under a bold row per commune.
"""

from __future__ import annotations

import re
from datetime import date

import polars as pl

from canbo.core.standards.present import CRITERION_LABELS, value_label
from canbo.core.standards.snapshot import Snapshot
from canbo.core.standards.staffing import StaffingReport
from canbo.core.text import name_sort_string

from . import names
from .layout import (
    Column,
    Group,
    Report,
    Row,
    Table,
    fmt_date,
    official_report,
    roman,
    tr,
)
from .units import commune_frame, subject_unit, unit_rows

__all__ = ["UNIT_KEYS", "names_table", "people_rows", "report"]

#: The figures of part 1, as named in the staffing analysis.
UNIT_KEYS = [
    "quota",
    "headcount",
    "surplus",
    "shortfall",
    "vacant_count",
    "over_count",
    "below_standard",
    "field_mismatch",
    "missing_data",
]
_TITLE_COUNT = re.compile(r"[A-Z][A-Z0-9_]*")


def _unit_headers(lang: str) -> tuple:
    return (
        Column("stt", tr(lang, "STT", "No."), "text", 5),
        Column("name", tr(lang, "Đơn vị", "Unit"), "text", 22),
        Column("quota", tr(lang, "Định biên", "Quota"), "int", 9),
        Column("headcount", tr(lang, "Hiện có", "Headcount"), "int", 9),
        Group(
            tr(lang, "So với định biên", "Against the quota"),
            (
                Column("surplus", tr(lang, "Thừa", "Surplus"), "int", 8),
                Column("shortfall", tr(lang, "Thiếu", "Shortfall"), "int", 8),
            ),
        ),
        Group(
            tr(lang, "Chức danh theo quy định", "Titles of the establishment"),
            (
                Column("vacant_count", tr(lang, "Còn trống", "Vacant"), "int", 9),
                Column("over_count", tr(lang, "Vượt số lượng", "Above maximum"), "int", 9),
            ),
        ),
        Group(
            tr(lang, "Chất lượng", "Quality"),
            (
                Column("below_standard", tr(lang, "Chưa đạt chuẩn (yếu)", "Below standard"), "int", 9),
                Column("field_mismatch", tr(lang, "Trái ngành", "Field mismatch"), "int", 9),
                Column("missing_data", tr(lang, "Thiếu dữ liệu", "Missing data"), "int", 9),
            ),
        ),
        Column("note", tr(lang, "Ghi chú", "Note"), "wrap", 40),
    )


def _people_headers(lang: str) -> tuple:
    return (
        Column("stt", tr(lang, "STT", "No."), "text", 5),
        Column("full_name", tr(lang, "Họ và tên", "Full name"), "text", 22),
        Column("title", tr(lang, "Chức danh", "Title"), "wrap", 22),
        Column("criterion", tr(lang, "Tiêu chuẩn chưa đạt", "Standard not met"), "wrap", 18),
        Column("required", tr(lang, "Yêu cầu", "Required"), "wrap", 16),
        Column("actual", tr(lang, "Hiện có", "Actual"), "wrap", 16),
        Column(
            "message", tr(lang, "Lý do (nội dung quy định)", "Reason (what the rule requires)"), "wrap", 40
        ),
        Column("reference", tr(lang, "Căn cứ pháp lý", "Legal reference"), "wrap", 30),
    )


def _note(row: dict, titles: dict[str, str], lang: str) -> str:
    parts = []
    if row.get("vacant_titles"):
        named = _TITLE_COUNT.sub(lambda m: titles.get(m.group(0), m.group(0)), row["vacant_titles"])
        parts.append(tr(lang, "Còn trống: ", "Vacant: ") + named)
    if row.get("over_titles"):
        named = _TITLE_COUNT.sub(lambda m: titles.get(m.group(0), m.group(0)), row["over_titles"])
        parts.append(tr(lang, "Vượt: ", "Above maximum: ") + named)
    note = row.get("quota_note_en") if lang == "en" else row.get("quota_note")
    if note:
        parts.append(note)
    return "; ".join(parts)


def _sort_key(full_name: str | None) -> str:
    parts = (full_name or "").split(" ")
    family, given = parts[0], parts[-1] if len(parts) > 1 else ""
    return name_sort_string(family, " ".join(parts[1:-1]), given)


def people_rows(
    staffing: StaffingReport,
    snapshot: Snapshot,
    findings: pl.DataFrame,
    titles: dict[str, str],
    lang: str,
    visible: set[int] | None = None,
) -> tuple[list[Row], int]:
    """Part 2's rows and how many people were left out because they are not in ``visible``
    (the person ids the reader may see; ``None``: everyone)."""
    i = 1 if lang == "en" else 0
    below = (
        staffing.people.filter(pl.col("category") == "below_standard").select("unit_id", "person_id").unique()
    )
    hidden = 0
    if visible is not None:
        hidden = below.filter(~pl.col("person_id").is_in(list(visible)))["person_id"].n_unique()
        below = below.filter(pl.col("person_id").is_in(list(visible)))
    unmet = (
        findings.filter(pl.col("status") == "unmet")
        .join(below, on=["unit_id", "person_id"], how="semi")
        .join(snapshot.people.select("person_id", "full_name"), on="person_id", how="left")
        .join(
            snapshot.units.select(
                "unit_id", pl.col("code").alias("unit_code"), pl.col("name").alias("unit_name")
            ),
            on="unit_id",
            how="left",
        )
    )
    records = unmet.to_dicts()
    keys = {r["person_id"]: _sort_key(r["full_name"]) for r in records}
    records.sort(
        key=lambda r: (
            r["unit_code"] or "",
            keys[r["person_id"]],
            r["person_id"],
            r["assignment_id"],
            r["rule_id"],
        )
    )
    rows: list[Row] = []
    unit, n_unit, person, n_person = None, 0, None, 0
    for r in records:
        if r["unit_id"] != unit:
            unit, n_person, person = r["unit_id"], 0, None
            n_unit += 1
            rows.append(Row("group", {"stt": roman(n_unit), "full_name": r["unit_name"]}))
        first = r["person_id"] != person
        if first:
            person = r["person_id"]
            n_person += 1
        c = r["criterion"]
        reference = r["reference"] or ""
        if r.get("verified") is False:
            reference += tr(lang, " (chưa kiểm chứng)", " (unverified)")
        rows.append(
            Row(
                "data",
                {
                    "stt": str(n_person) if first else "",
                    "full_name": r["full_name"] if first else "",
                    "title": titles.get(r["title_code"], r["title_code"]),
                    "criterion": CRITERION_LABELS.get(c, (c, c))[i],
                    "required": value_label(c, r["required"], lang),
                    "actual": value_label(c, r["actual"], lang),
                    "message": r["message_en"] if i else r["message_vi"],
                    "reference": reference,
                },
            )
        )
    return rows, hidden


def names_headers(lang: str) -> tuple:
    """The list's columns: STT, name, the posts counted, a mark per people count of part 1
    (Hiện có, Chưa đạt chuẩn, Trái ngành, Thiếu dữ liệu) and the unmet criteria."""
    return (
        Column("stt", tr(lang, "STT", "No."), "text", 5),
        Column("full_name", tr(lang, "Họ và tên", "Full name"), "text", 22),
        Column("titles", tr(lang, "Chức danh", "Posts"), "wrap", 26),
        Column("headcount", tr(lang, "Hiện có", "Headcount"), "text", 9),
        Group(
            tr(lang, "Chất lượng", "Quality"),
            (
                Column("below_standard", tr(lang, "Chưa đạt chuẩn (yếu)", "Below standard"), "text", 9),
                Column("field_mismatch", tr(lang, "Trái ngành", "Field mismatch"), "text", 9),
                Column("missing_data", tr(lang, "Thiếu dữ liệu", "Missing data"), "text", 9),
            ),
        ),
        Column("unmet", tr(lang, "Tiêu chuẩn chưa đạt", "Standards not met"), "wrap", 28),
    )


#: The people counts of part 1 the list marks, as categories of the staffing analysis.
CATEGORIES = ("below_standard", "field_mismatch", "missing_data")


def names_table(
    staffing: StaffingReport,
    snapshot: Snapshot,
    findings: pl.DataFrame,
    titles: dict[str, str],
    lang: str,
    visible: set[int] | None = None,
) -> tuple[list[Row], int]:
    """The list of the people behind part 1's people counts — the headcount and the
    below-standard, field-mismatch and missing-data counts, straight from the analysis's own
    frames (``counted``, ``people``) — one row per commune and person, and how many people were
    left out because they are not in ``visible`` (``None``: everyone)."""
    marks = staffing.people.select("unit_id", "person_id", "category").unique()
    pairs = pl.concat(
        [staffing.counted.select("unit_id", "person_id"), marks.select("unit_id", "person_id")]
    ).unique()
    hidden = 0
    if visible is not None:
        shown = pairs.filter(pl.col("person_id").is_in(list(visible)))
        hidden = pairs.filter(~pl.col("person_id").is_in(list(visible)))["person_id"].n_unique()
        pairs = shown
    in_post = {(u, p): t for u, p, t in staffing.counted.iter_rows()}
    category: dict[tuple[int, int], set[str]] = {}
    for u, p, c in marks.iter_rows():
        category.setdefault((u, p), set()).add(c)
    # The criteria not met in the commune's posts (findings of this unit, as the counts read them).
    unmet: dict[tuple[int, int], list[str]] = {}
    i = 1 if lang == "en" else 0
    for u, p, c in (
        findings.filter(pl.col("status") == "unmet")
        .select("unit_id", "person_id", "criterion")
        .unique()
        .sort("unit_id", "person_id", "criterion")
        .iter_rows()
    ):
        unmet.setdefault((u, p), []).append(CRITERION_LABELS.get(c, (c, c))[i])
    held = (
        snapshot.posts_on(staffing.on)
        .group_by("unit_id", "person_id")
        .agg(pl.col("title_code").unique().sort().str.join(", ").alias("titles"))
    )
    held_titles = {(u, p): t for u, p, t in held.iter_rows()}
    records = pairs.join(
        snapshot.people.select("person_id", "full_name"), on="person_id", how="left"
    ).to_dicts()

    def values(r: dict) -> dict:
        key = (r["unit_id"], r["person_id"])
        codes = in_post.get(key) or held_titles.get(key) or ""
        cats = category.get(key, set())
        return {
            "titles": ", ".join(titles.get(c, c) for c in codes.split(", ") if c),
            "headcount": names.MARK if key in in_post else None,
            **{c: names.MARK if c in cats else None for c in CATEGORIES},
            "unmet": "; ".join(unmet.get(key, [])) or None,
        }

    return names.grouped_rows(records, snapshot, values), hidden


def report(
    staffing: StaffingReport,
    snapshot: Snapshot,
    findings: pl.DataFrame,
    on: date,
    subject_id: int | None,
    titles: dict[str, str] | None = None,
    lang: str = "vi",
    visible_people: set[int] | None = None,
) -> Report:
    """The staffing report about unit ``subject_id`` from its staffing analysis (the subject's
    own roll-up row is the total; without a subject, the sum of the province rows).
    ``titles`` names the title codes; ``visible_people`` limits part 2 to the people the reader
    may see (a footnote says how many were left out)."""
    titles = titles or {}
    units = staffing.units
    by_unit = {r["unit_id"]: r for r in units.to_dicts()}

    def values(uid: int) -> dict:
        r = by_unit.get(uid)
        if r is None:
            return {}
        return {**{k: r.get(k) for k in UNIT_KEYS}, "note": _note(r, titles, lang)}

    if subject_id is not None and subject_id in by_unit:
        total = values(subject_id)
    else:
        provinces = units.filter(pl.col("level") == "province")
        total = {k: (None if provinces[k].is_null().all() else int(provinces[k].sum())) for k in UNIT_KEYS}
    communes = commune_frame(snapshot, on)
    subject = subject_unit(snapshot, subject_id) or {}
    if subject.get("level") == "commune_level":
        total = {**total, "note": ""}  # the commune's own row carries the note
    rows = unit_rows(communes, snapshot.units, values, total, lang)
    people, hidden = people_rows(staffing, snapshot, findings, titles, lang, visible_people)
    name_rows, names_hidden = names_table(staffing, snapshot, findings, titles, lang, visible_people)
    as_of_line = tr(lang, f"Tính đến ngày {fmt_date(on, lang)}", f"As of {fmt_date(on, lang)}")
    title = tr(
        lang,
        "BÁO CÁO SỐ LƯỢNG CÁN BỘ, CÔNG CHỨC CẤP XÃ SO VỚI ĐỊNH BIÊN (THỪA, THIẾU, YẾU)",
        "REPORT ON COMMUNE CADRES AND CIVIL SERVANTS AGAINST THE QUOTA (SURPLUS, SHORTFALL, BELOW STANDARD)",
    )
    notes = (
        tr(
            lang,
            "Định biên theo quy định về số lượng cán bộ, công chức cấp xã có hiệu lực vào ngày báo cáo (từ 01/7/2025: "
            "theo quyết định của UBND tỉnh); để trống khi chưa xác định được. Hiện có: số người giữ chức danh được tính "
            "vào định biên. Thừa, thiếu: hiện có so với định biên. Chưa đạt chuẩn (yếu): có ít nhất một tiêu chuẩn chưa "
            "đạt; trái ngành: đủ trình độ nhưng ngành đào tạo không phù hợp; thiếu dữ liệu: chưa đủ thông tin để kết "
            "luận.",
            "Quota: the rule on the number of commune cadres and civil servants in force on the date (from 1 July 2025 "
            "set by the province); empty where it cannot be known. Headcount: people holding a post counted in the "
            "quota. Surplus, shortfall: headcount against the quota. Below standard: at least one standard not met; "
            "field mismatch: the level is reached in another field; missing data: not enough data to conclude.",
        ),
    )
    people_notes: tuple[str, ...] = ()
    if hidden:
        people_notes = (
            tr(
                lang,
                f"{hidden} người ngoài phạm vi được phân quyền của người lập biểu không được liệt kê.",
                f"{hidden} people outside the reader's scope are not listed.",
            ),
        )
    if not people:
        people_notes = (
            tr(lang, "Không có người chưa đạt chuẩn.", "Nobody is below standard."),
            *people_notes,
        )
    people_title = tr(
        lang,
        "DANH SÁCH CÁN BỘ, CÔNG CHỨC CẤP XÃ CHƯA ĐẠT CHUẨN",
        "COMMUNE CADRES AND CIVIL SERVANTS BELOW STANDARD",
    )
    return official_report(
        "staffing",
        subject,
        on,
        lang,
        title=title,
        as_of_line=as_of_line,
        tables=(
            Table(
                name=tr(lang, "Biên chế", "Staffing"),
                title=title,
                subtitle=as_of_line,
                headers=_unit_headers(lang),
                rows=tuple(rows),
                footnotes=notes,
            ),
            Table(
                name=tr(lang, "Chưa đạt chuẩn", "Below standard"),
                title=people_title,
                subtitle=as_of_line,
                headers=_people_headers(lang),
                rows=tuple(people),
                footnotes=people_notes,
            ),
            Table(
                name=tr(lang, "Danh sách", "People"),
                title=tr(
                    lang,
                    "DANH SÁCH NGƯỜI ĐƯỢC TÍNH VÀO SỐ LIỆU BIÊN CHẾ",
                    "THE PEOPLE BEHIND THE STAFFING FIGURES",
                ),
                subtitle=as_of_line,
                headers=names_headers(lang),
                rows=tuple(name_rows),
                footnotes=(
                    tr(
                        lang,
                        "Mỗi người một dòng tại mỗi xã có tính người đó; dấu x ở cột nào là người đó được tính vào cột "
                        "cùng tên của bảng biên chế (đếm theo từng xã cho đúng số liệu của bảng).",
                        "One row per person and commune counting them; an x in a column means the person is counted "
                        "in the staffing table's column of that name (counted per commune, the table's figures).",
                    ),
                    *names.hidden_note(names_hidden, lang),
                ),
            ),
        ),
        meta={"hidden_people": hidden},
    )
