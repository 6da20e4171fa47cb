"""Report *quality*: "Báo cáo thống kê số lượng, chất lượng cán bộ, công chức cấp xã".

The aggregated form of ``domain/REPORTS.md`` §1: one row per commune, a subtotal row per legacy
district (three-tier era) and the total ("Tổng cộng"); the columns count the people in post on
the date (:mod:`.people`): total; of whom women, ethnic minorities, Party members; age bands;
general education; professional qualification; political theory; state management; IT; foreign
language; and the result against the standards of their posts (from the engine's findings).

:func:`compute` returns the plain table (a polars frame, one row per unit, figures as
integers); :func:`report` lays it out as a :class:`~.layout.Report`. Both vectorised with polars:
the national snapshot (≈204,000 people) is counted in well under a second.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from canbo.core.standards.snapshot import Snapshot

from . import names
from .layout import Column, Group, Report, Row, Table, fmt_date, official_report, tr
from .people import profile
from .units import commune_frame, subject_unit, unit_rows

__all__ = ["GROUPS", "KEYS", "compute", "counted", "indicators", "names_table", "report"]

_P = pl.col

#: The column groups: (group label vi, en) or None for a column standing alone, then the columns
#: (key, label vi, label en, expression over a :func:`.people.profile` row → 0/1).
GROUPS: list[tuple[tuple[str, str] | None, list[tuple[str, str, str, pl.Expr]]]] = [
    (None, [("total", "Tổng số", "Total", pl.lit(True))]),
    (
        ("Trong đó", "Of whom"),
        [
            ("female", "Nữ", "Women", _P("female")),
            ("minority", "Dân tộc thiểu số", "Ethnic minority", _P("minority")),
            ("party", "Đảng viên", "Party members", _P("party_member")),
        ],
    ),
    (
        ("Độ tuổi", "Age"),
        [
            ("age_30", "Từ 30 trở xuống", "30 or under", _P("age") <= 30),
            ("age_40", "Từ 31 đến 40", "31 to 40", _P("age").is_between(31, 40)),
            ("age_50", "Từ 41 đến 50", "41 to 50", _P("age").is_between(41, 50)),
            ("age_60", "Từ 51 đến 60", "51 to 60", _P("age").is_between(51, 60)),
            ("age_over_60", "Trên 60", "Over 60", _P("age") > 60),
        ],
    ),
    (
        ("Trình độ văn hóa", "General education"),
        [
            ("ge_primary", "Tiểu học", "Primary", _P("general_education") == "primary"),
            ("ge_lower", "THCS", "Lower secondary", _P("general_education") == "lower_secondary"),
            ("ge_upper", "THPT", "Upper secondary", _P("general_education") == "upper_secondary"),
        ],
    ),
    (
        ("Trình độ chuyên môn", "Professional qualification"),
        [
            ("prof_none", "Chưa qua ĐT", "Untrained", _P("professional").is_null()),
            ("prof_elementary", "Sơ cấp", "Elementary", _P("professional") == "elementary"),
            ("prof_intermediate", "Trung cấp", "Intermediate", _P("professional") == "intermediate"),
            ("prof_college", "Cao đẳng", "College", _P("professional") == "college"),
            ("prof_university", "Đại học", "University", _P("professional") == "university"),
            (
                "prof_postgraduate",
                "Sau đại học",
                "Postgraduate",
                _P("professional").is_in(["master", "doctorate"]),
            ),
        ],
    ),
    (
        ("Lý luận chính trị", "Political theory"),
        [
            ("pt_elementary", "Sơ cấp", "Elementary", _P("political_theory") == "elementary"),
            ("pt_intermediate", "Trung cấp", "Intermediate", _P("political_theory") == "intermediate"),
            ("pt_advanced", "Cao cấp", "Advanced", _P("political_theory") == "advanced"),
            ("pt_bachelor", "Cử nhân", "Bachelor", _P("political_theory") == "bachelor"),
        ],
    ),
    (
        ("Quản lý nhà nước", "State management"),
        [
            ("sm_none", "Chưa qua ĐT", "Untrained", _P("state_management").is_null()),
            ("sm_clerk", "Cán sự", "Clerk", _P("state_management") == "clerk"),
            ("sm_specialist", "Chuyên viên", "Specialist", _P("state_management") == "specialist"),
            (
                "sm_principal",
                "CV chính trở lên",
                "Principal specialist or higher",
                _P("state_management").is_in(["principal_specialist", "senior_specialist"]),
            ),
        ],
    ),
    (
        ("Tin học", "Information technology"),
        [
            # A degree in IT (intermediate or higher) first; else any IT certificate — and an
            # elementary IT vocational course, which ends with a certificate (chứng chỉ sơ cấp).
            (
                "it_cert",
                "Chứng chỉ",
                "Certificate",
                (_P("it_degree_rank").fill_null(0) < 2)
                & (_P("it").is_not_null() | (_P("it_degree_rank") == 1)),
            ),
            ("it_intermediate", "Trung cấp", "Intermediate", _P("it_degree_rank") == 2),
            ("it_college", "Cao đẳng", "College", _P("it_degree_rank") == 3),
            ("it_university", "Đại học trở lên", "University or higher", _P("it_degree_rank") >= 4),
        ],
    ),
    (
        ("Ngoại ngữ", "Foreign language"),
        [
            (
                "fl_certificate",
                "Chứng chỉ A, B, C",
                "Certificate A, B, C",
                _P("foreign_language").str.starts_with("certificate_"),
            ),
            (
                "fl_framework",
                "Khung 6 bậc",
                "Six-level framework",
                _P("foreign_language").str.starts_with("level_"),
            ),
        ],
    ),
    (
        ("Kết quả đối chiếu tiêu chuẩn", "Against the standard"),
        [
            ("std_met", "Đạt chuẩn", "Meet", _P("standard") == "met"),
            ("std_unmet", "Chưa đạt chuẩn", "Do not meet", _P("standard") == "unmet"),
            ("std_unknown", "Chưa đủ dữ liệu", "Missing data", _P("standard") == "unknown"),
        ],
    ),
]

#: Every figure column, in print order.
KEYS: list[str] = [key for _, cols in GROUPS for key, *_ in cols]


def indicators(people: pl.DataFrame) -> pl.DataFrame:
    """A :func:`.people.profile` frame with one 0/1 column per key of :data:`KEYS` (the Party
    column stays null where membership is not known)."""
    return people.with_columns(
        [
            expr.fill_null(False).cast(pl.Int64).alias(key)
            if key != "party"
            else expr.cast(pl.Int64).alias(key)
            for _, cols in GROUPS
            for key, _vi, _en, expr in cols
        ]
    )


def _sums(frame: pl.DataFrame, by: str | None) -> pl.DataFrame:
    aggs = [
        pl.col(k).sum()
        if k != "party"
        else pl.when(pl.col(k).is_not_null().any()).then(pl.col(k).sum()).otherwise(None).alias(k)
        for k in KEYS
    ]
    return frame.group_by(by).agg(aggs) if by else frame.select(aggs)


def counted(
    snapshot: Snapshot, findings: pl.DataFrame, on: date, party: pl.DataFrame | None = None
) -> pl.DataFrame:
    """The people the report counts (:func:`.people.profile`) with their 0/1 indicator per
    column (:func:`indicators`): the one frame both the counts and the list of names come from."""
    return indicators(profile(snapshot, findings, on, party))


def compute(
    snapshot: Snapshot,
    findings: pl.DataFrame,
    on: date,
    party: pl.DataFrame | None = None,
    people: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """The quality table: one row per commune existing on ``on`` (``level`` ``commune_level``),
    per legacy district and per province having communes (their sums) and one ``total`` row,
    with unit_id, code, name, level, district_id, province_id and the figures of :data:`KEYS`.
    ``party`` (:data:`.people.PARTY_SCHEMA`) gives Party membership; without it the Party
    column is null. ``people``: the frame of :func:`counted`, when the caller has it already."""
    if people is None:
        people = counted(snapshot, findings, on, party)
    communes = commune_frame(snapshot, on)
    per_commune = (
        communes.join(_sums(people, "unit_id"), on="unit_id", how="left")
        .with_columns(
            [pl.col(k).fill_null(0) for k in KEYS if k != "party"]
            + [pl.col("party").fill_null(0) if party is not None else pl.col("party")]
        )
        .with_columns(pl.lit("commune_level").alias("level"))
    )
    names = snapshot.units.select("unit_id", "code", "name")
    parts = [per_commune]
    for key, level in (("district_id", "district"), ("province_id", "province")):
        sub = _sums(per_commune.filter(pl.col(key).is_not_null()), key).rename({key: "unit_id"})
        parts.append(
            sub.join(names, on="unit_id", how="left").with_columns(
                pl.lit(level).alias("level"),
                (pl.col("unit_id") if level == "district" else pl.lit(None, dtype=pl.Int64)).alias(
                    "district_id"
                ),
                (pl.col("unit_id") if level == "province" else pl.lit(None, dtype=pl.Int64)).alias(
                    "province_id"
                ),
            )
        )
    total = _sums(per_commune, None).with_columns(pl.lit("total").alias("level"))
    parts.append(total)
    columns = ["unit_id", "code", "name", "level", "district_id", "province_id", *KEYS]
    return pl.concat(
        [p.select([c for c in columns if c in p.columns]) for p in parts], how="diagonal_relaxed"
    ).select(columns)


def headers(lang: str) -> tuple:
    """The header tree: STT, the unit, then the groups of :data:`GROUPS`."""
    i = 1 if lang == "en" else 0
    out: list = [
        Column("stt", tr(lang, "STT", "No."), "text", 5),
        Column("name", tr(lang, "Đơn vị", "Unit"), "text", 22),
    ]
    for group, cols in GROUPS:
        leaves = tuple(
            Column(key, (vi, en)[i], "int", 8 if key == "total" else 6.5) for key, vi, en, _ in cols
        )
        out.extend(leaves if group is None else [Group(group[i], leaves)])
    return tuple(out)


def names_headers(lang: str, party: bool = True) -> tuple:
    """The list's columns: STT, name, birth date, main post, then one column per group of
    :data:`GROUPS` holding the label of the column the person is counted in ("Trong đó": one
    column per count, marked), then the unmet criteria."""
    i = 1 if lang == "en" else 0
    out: list = [
        Column("stt", tr(lang, "STT", "No."), "text", 5),
        Column("full_name", tr(lang, "Họ và tên", "Full name"), "text", 22),
        Column("birth", tr(lang, "Ngày sinh", "Born"), "text", 11),
        Column("title", tr(lang, "Chức danh", "Post"), "wrap", 22),
    ]
    for group, cols in GROUPS:
        if group is None:
            continue
        if group[0] == "Trong đó":
            marks = tuple(
                Column(key, (vi, en)[i], "text", 7) for key, vi, en, _ in cols if party or key != "party"
            )
            out.append(Group(group[i], marks))
        else:
            out.append(Column(f"group_{cols[0][0]}", group[i], "wrap", 12))
    out.append(Column("unmet", tr(lang, "Tiêu chuẩn chưa đạt", "Standards not met"), "wrap", 24))
    return tuple(out)


def names_table(
    people: pl.DataFrame,
    snapshot: Snapshot,
    findings: pl.DataFrame,
    titles: dict[str, str],
    lang: str,
    visible: set[int] | None = None,
    party: bool = True,
) -> tuple[list[Row], int]:
    """The rows of the list of the people counted (``people``: the frame of :func:`counted`),
    and how many were left out because they are not in ``visible`` (``None``: everyone).
    ``party``: whether the reader may see each person's Party membership (else no column)."""
    i = 1 if lang == "en" else 0
    hidden = 0
    if visible is not None:
        shown = people.filter(pl.col("person_id").is_in(list(visible)))
        hidden = len(people) - len(shown)
        people = shown
    unmet = names.unmet_criteria(findings.join(people.select("person_id"), on="person_id", how="semi"), lang)
    info = snapshot.people.select("person_id", "full_name", "birth_precision")
    records = people.join(info, on="person_id", how="left").to_dicts()

    def values(r: dict) -> dict:
        out = {
            "birth": names.birth_text(r.get("birth_date"), r.get("birth_precision")),
            "title": titles.get(r["title_code"], r["title_code"]),
            "unmet": unmet.get(r["person_id"]),
        }
        for group, cols in GROUPS:
            if group is None:
                continue
            if group[0] == "Trong đó":
                for key, *_ in cols:
                    if key != "party" or party:
                        out[key] = names.MARK if r.get(key) else None
            else:
                counted_in = [(vi, en)[i] for key, vi, en, _ in cols if r.get(key)]
                out[f"group_{cols[0][0]}"] = "; ".join(counted_in) or None
        return out

    return names.grouped_rows(records, snapshot, values), hidden


def report(
    snapshot: Snapshot,
    findings: pl.DataFrame,
    on: date,
    subject_id: int | None,
    lang: str = "vi",
    party: pl.DataFrame | None = None,
    *,
    titles: dict[str, str] | None = None,
    visible_people: set[int] | None = None,
    party_names: bool = True,
) -> Report:
    """The quality report of the snapshot's communes on ``on``, about unit ``subject_id`` (its
    name makes the issuing body and the place of the signature), then the list of the people
    counted (:func:`names_table`; ``titles`` names the posts, ``visible_people`` limits it to
    the people the reader may see, ``party_names`` whether it shows Party membership)."""
    people = counted(snapshot, findings, on, party)
    table = compute(snapshot, findings, on, party, people=people)
    by_unit = {r["unit_id"]: r for r in table.filter(pl.col("level") != "total").to_dicts()}
    total = table.filter(pl.col("level") == "total").to_dicts()[0]
    communes = commune_frame(snapshot, on)
    rows = unit_rows(communes, snapshot.units, lambda uid: by_unit.get(uid, {}), total, lang)
    subject = subject_unit(snapshot, subject_id) or {}
    name_rows, hidden = names_table(
        people, snapshot, findings, titles or {}, lang, visible_people, party_names and party is not None
    )
    notes = [
        tr(
            lang,
            "Số người đang giữ chức danh cán bộ, công chức cấp xã vào ngày báo cáo; người kiêm nhiệm nhiều chức danh "
            "được tính một lần, tại đơn vị của chức danh chính. Trình độ: trình độ cao nhất đã có đến ngày báo cáo. "
            "Tuổi: số tuổi tròn vào ngày báo cáo.",
            "People holding a commune cadre or civil-servant post on the date; someone holding several posts counts "
            "once, in the unit of the main post. Qualifications: the highest level held by the date. Age: completed "
            "years on the date.",
        ),
        tr(
            lang,
            "Đạt chuẩn: đạt mọi tiêu chuẩn của chức danh đang giữ; chưa đạt chuẩn: có ít nhất một tiêu chuẩn chưa đạt; "
            "chưa đủ dữ liệu: còn lại (thiếu thông tin để kết luận).",
            "Meet: every standard of the posts held is met; do not meet: at least one is not met; missing data: the "
            "rest (not enough data to conclude).",
        ),
    ]
    if party is None:
        notes.append(
            tr(lang, "Cột Đảng viên để trống: không có dữ liệu.", "Party column left empty: no data.")
        )
    title = tr(
        lang,
        "BÁO CÁO THỐNG KÊ SỐ LƯỢNG, CHẤT LƯỢNG CÁN BỘ, CÔNG CHỨC CẤP XÃ",
        "STATISTICAL REPORT ON THE NUMBER AND QUALITY OF COMMUNE CADRES AND CIVIL SERVANTS",
    )
    as_of_line = tr(lang, f"Tính đến ngày {fmt_date(on, lang)}", f"As of {fmt_date(on, lang)}")
    return official_report(
        "quality",
        subject,
        on,
        lang,
        title=title,
        as_of_line=as_of_line,
        tables=(
            Table(
                name=tr(lang, "Chất lượng", "Quality"),
                title=title,
                subtitle=as_of_line,
                headers=headers(lang),
                rows=tuple(rows),
                footnotes=tuple(notes),
            ),
            Table(
                name=tr(lang, "Danh sách", "People"),
                title=tr(
                    lang,
                    "DANH SÁCH CÁN BỘ, CÔNG CHỨC CẤP XÃ ĐƯỢC THỐNG KÊ",
                    "COMMUNE CADRES AND CIVIL SERVANTS COUNTED",
                ),
                subtitle=as_of_line,
                headers=names_headers(lang, party_names),
                rows=tuple(name_rows),
                footnotes=(
                    tr(
                        lang,
                        "Mỗi người được thống kê ở bảng số lượng, chất lượng một dòng, tại đơn vị của chức danh chính; "
                        "mỗi cột ghi cột của bảng mà người đó được tính vào (đếm theo từng đơn vị cho đúng số liệu của "
                        "bảng).",
                        "One row per person counted in the quality table, in the unit of their main post; each column "
                        "gives the column of the table the person is counted in (counted per unit, the figures of the "
                        "table).",
                    ),
                    *names.hidden_note(hidden, lang),
                ),
            ),
        ),
        meta={"table": table, "people": people, "hidden_people": hidden},
    )
