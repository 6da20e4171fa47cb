"""The report computations and writers of :mod:`canbo.core.reports`, without a database: who is
counted where, the highest level on the date, age bands, the standard from the findings, the
subtotal and total rows, the generic layout — and the xlsx and PDF read back."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date

import openpyxl
import polars as pl
import pytest

from canbo.core.reports import layout, pdf, quality, staffing, trend, xlsx
from canbo.core.reports.layout import Column, Group
from canbo.core.reports.people import main_posts, profile
from canbo.core.standards.engine import FINDING_SCHEMA
from canbo.core.standards.snapshot import Snapshot
from canbo.core.standards.staffing import analyse_staffing

ON = date(2024, 12, 31)

# Units: a province (1) with two legacy districts; communes 11, 12 (district 2), 13, 14 (district
# 3; nobody in 14) and 15, closed before the date.
UNITS = [
    (1, "99", "Tỉnh Thử", "province", "province", None, None, None, 1, None, None),
    (2, "991", "Huyện Một", "district", "rural_district", 1, "province", 2, 1, None, None),
    (3, "992", "Huyện Hai", "district", "rural_district", 1, "province", 3, 1, None, None),
    (11, "99101", "Xã Một", "commune_level", "commune", 2, "rural_district", 2, 1, None, None),
    (12, "99102", "Xã Hai", "commune_level", "commune", 2, "rural_district", 2, 1, None, None),
    (13, "99201", "Xã Ba", "commune_level", "commune", 3, "rural_district", 3, 1, None, None),
    (14, "99202", "Xã Bốn", "commune_level", "commune", 3, "rural_district", 3, 1, None, None),
    (15, "99203", "Xã Cũ", "commune_level", "commune", 3, "rural_district", 3, 1, None, date(2020, 1, 1)),
]

PEOPLE = [
    # id, name, birth, sex, ethnicity, first_start
    (1, "Lộc Thị Hoa", date(1994, 1, 1), "female", "07", None),  # 30 on the date, Nùng
    (2, "Nguyễn Văn Nam", date(1993, 12, 31), "male", "01", None),  # 31 on the date
    (3, "Hà Văn Ba", date(1980, 5, 5), "male", "01", None),  # a non-professional worker only
    (4, "Vi Văn Bốn", None, "male", None, None),  # no birth date, no qualification
    (5, "Đinh Thị Năm", date(1970, 1, 1), "female", "01", None),  # left before the date
    (6, "Triệu Văn Sáu", date(1960, 6, 1), "male", "01", None),  # 64: over 60
]

POSTS = [
    # assignment, person, unit, title, kind, start, end, reason, concurrent
    (101, 1, 11, "TP_HT", "civil_servant", date(2015, 1, 1), None, "recruited", False),
    (102, 2, 12, "VP_TK", "civil_servant", date(2010, 1, 1), None, "recruited", True),  # concurrent, earlier
    (103, 2, 11, "CT_UBND", "cadre", date(2021, 1, 1), None, "elected", False),  # main post
    (104, 3, 13, "CA_XA", "non_professional", date(2015, 1, 1), None, "recruited", False),
    (105, 4, 13, "CHT_QS", "civil_servant", date(2015, 1, 1), None, "recruited", False),
    (106, 5, 12, "TC_KT", "civil_servant", date(2010, 1, 1), date(2024, 6, 30), "recruited", False),
    (107, 6, 12, "CV_TP", "job_position", date(2010, 1, 1), None, "recruited", False),
]

QUALS = [
    (1, "professional", "university", "law", date(2016, 6, 30)),
    (1, "professional", "master", "law", date(2025, 6, 1)),  # after the date: not yet held
    (1, "political_theory", "advanced", None, date(2018, 1, 1)),
    (1, "political_theory", "bachelor", None, date(2019, 1, 1)),  # same rank: the later level
    (1, "state_management", "specialist", None, None),  # no date: counted as held
    (2, "general_education", "upper_secondary", None, date(2011, 6, 1)),
    (2, "it", "certificate_b", None, date(2012, 1, 1)),
    (2, "professional", "intermediate", "information_technology", date(2013, 1, 1)),  # an IT degree
    (2, "foreign_language", "certificate_c", None, date(2012, 1, 1)),
    (2, "foreign_language", "level_3", None, date(2020, 1, 1)),  # same rank as C: the framework
    (6, "professional", "elementary", "information_technology", date(2000, 1, 1)),  # a certificate
    (6, "foreign_language", "certificate_a", None, date(2000, 1, 1)),
    (6, "political_theory", "intermediate", None, date(2000, 1, 1)),
]


def findings_frame(rows: list[tuple]) -> pl.DataFrame:
    """(person, assignment, unit, title, rule, criterion, status) rows as a findings frame."""
    keys = ["person_id", "assignment_id", "unit_id", "title_code", "rule_id", "criterion", "status"]
    return pl.DataFrame([dict(zip(keys, r, strict=True)) for r in rows], schema=FINDING_SCHEMA)


FINDINGS = findings_frame(
    [
        (1, 101, 11, "TP_HT", "r1", "professional", "met"),
        (1, 101, 11, "TP_HT", "r2", "general_education", "met"),
        (2, 103, 11, "CT_UBND", "r3", "professional", "met"),
        (2, 102, 12, "VP_TK", "r4", "professional", "unmet"),  # the concurrent post's finding counts too
        (6, 107, 12, "CV_TP", "r5", "professional", "met"),
        (6, 107, 12, "CV_TP", "r6", "general_education", "unknown"),
    ]
)

PARTY = pl.DataFrame(
    [(1, date(2010, 1, 1), None), (2, date(2010, 1, 1), date(2020, 1, 1)), (6, date(2025, 1, 1), None)],
    schema={"person_id": pl.Int64, "party_joined_on": pl.Date, "party_left_on": pl.Date},
    orient="row",
)


@pytest.fixture
def snapshot() -> Snapshot:
    return Snapshot.from_rows(units=UNITS, people=PEOPLE, posts=POSTS, qualifications=QUALS)


def rows_by_code(table: pl.DataFrame) -> dict:
    return {r["code"] or "total": r for r in table.to_dicts()}


# --------------------------------------------------------------------------- who is counted


def test_each_person_counts_once_in_the_unit_of_the_main_post(snapshot):
    main = {r["person_id"]: r["unit_id"] for r in main_posts(snapshot, ON).to_dicts()}
    # 3 is a non-professional worker, 5 left before the date; 2's main post is the
    # non-concurrent one, in Xã Một, although the concurrent one started earlier.
    assert main == {1: 11, 2: 11, 4: 13, 6: 12}


def test_profile_highest_level_on_the_date(snapshot):
    p = {r["person_id"]: r for r in profile(snapshot, FINDINGS, ON, PARTY).to_dicts()}
    assert p[1]["professional"] == "university"  # the master's is obtained after the date
    assert p[1]["political_theory"] == "bachelor"  # equal rank: the level listed later
    assert p[1]["state_management"] == "specialist"  # no date of obtaining: held
    assert p[2]["foreign_language"] == "level_3"
    assert p[2]["it_degree_rank"] == 2 and p[2]["it"] == "certificate_b"
    assert p[4]["professional"] is None and p[4]["age"] is None
    assert (p[1]["age"], p[2]["age"], p[6]["age"]) == (30, 31, 64)
    assert (p[1]["party_member"], p[2]["party_member"], p[6]["party_member"]) == (True, False, False)
    assert (p[1]["standard"], p[2]["standard"], p[4]["standard"], p[6]["standard"]) == (
        "met",
        "unmet",
        "unknown",
        "unknown",
    )


def test_quality_counts_per_commune(snapshot):
    t = rows_by_code(quality.compute(snapshot, FINDINGS, ON, PARTY))
    one, two, three, four = t["99101"], t["99102"], t["99201"], t["99202"]
    expected_one = {
        "total": 2,
        "female": 1,
        "minority": 1,
        "party": 1,
        "age_30": 1,
        "age_40": 1,
        "ge_upper": 1,
        "prof_university": 1,
        "prof_intermediate": 1,
        "pt_bachelor": 1,
        "sm_specialist": 1,
        "sm_none": 1,
        "it_intermediate": 1,
        "fl_framework": 1,
        "std_met": 1,
        "std_unmet": 1,
    }
    assert {k: v for k, v in one.items() if k in quality.KEYS and v} == expected_one
    assert {k: v for k, v in two.items() if k in quality.KEYS and v} == {
        "total": 1,
        "age_over_60": 1,
        "prof_elementary": 1,
        "pt_intermediate": 1,
        "sm_none": 1,
        "it_cert": 1,
        "fl_certificate": 1,
        "std_unknown": 1,
    }
    assert {k: v for k, v in three.items() if k in quality.KEYS and v} == {
        "total": 1,
        "prof_none": 1,
        "sm_none": 1,
        "std_unknown": 1,
    }
    assert all(four[k] == 0 for k in quality.KEYS)
    assert "99203" not in t  # closed before the date


def test_subtotals_and_total_are_the_sums_of_their_communes(snapshot):
    table = quality.compute(snapshot, FINDINGS, ON, PARTY)
    communes = table.filter(pl.col("level") == "commune_level")
    for did in (2, 3):
        district = table.filter((pl.col("level") == "district") & (pl.col("unit_id") == did)).row(
            0, named=True
        )
        part = communes.filter(pl.col("district_id") == did)
        for k in quality.KEYS:
            assert district[k] == part[k].sum(), (did, k)
    total = table.filter(pl.col("level") == "total").row(0, named=True)
    province = table.filter(pl.col("level") == "province").row(0, named=True)
    for k in quality.KEYS:
        assert total[k] == communes[k].sum() == province[k], k
    assert total["total"] == main_posts(snapshot, ON).height == 4
    assert total["std_met"] + total["std_unmet"] + total["std_unknown"] == total["total"]
    assert total["std_unmet"] == FINDINGS.filter(pl.col("status") == "unmet")["person_id"].n_unique()


def test_party_column_is_empty_without_the_party_data(snapshot):
    table = quality.compute(snapshot, FINDINGS, ON)
    assert table["party"].null_count() == table.height
    report = quality.report(snapshot, FINDINGS, ON, 1)
    assert any("Đảng viên" in n for n in report.tables[0].footnotes)


def test_quality_report_rows_total_first_then_districts_and_communes(snapshot):
    report = quality.report(snapshot, FINDINGS, ON, 1, party=PARTY)
    rows = report.tables[0].rows
    assert [(r.kind, r.values["stt"], r.values["name"]) for r in rows] == [
        ("total", "", "Tổng cộng"),
        ("subtotal", "I", "Huyện Một"),
        ("data", "1", "Xã Một"),
        ("data", "2", "Xã Hai"),
        ("subtotal", "II", "Huyện Hai"),
        ("data", "1", "Xã Ba"),
        ("data", "2", "Xã Bốn"),
    ]
    assert rows[0].values["total"] == 4 and rows[1].values["total"] == 3
    assert report.issuer == ("UBND TỈNH THỬ", "SỞ NỘI VỤ")
    assert report.as_of_line == "Tính đến ngày 31/12/2024"
    assert report.signature.place_date.startswith("Thử, ngày")
    english = quality.report(snapshot, FINDINGS, ON, 1, lang="en", party=PARTY)
    assert english.tables[0].rows[0].values["name"] == "Total"
    assert english.as_of_line == "As of 31/12/2024"


def test_two_tier_communes_have_no_district_rows():
    units = [
        (1, "98", "Tỉnh Mới", "province", "province", None, None, None, 1, date(2025, 7, 1), None),
        (21, "98001", "Xã A", "commune_level", "commune", 1, "province", None, 1, date(2025, 7, 1), None),
        (22, "98002", "Xã B", "commune_level", "commune", 1, "province", None, 1, date(2025, 7, 1), None),
    ]
    posts = [(1, 1, 22, "CV_TP", "job_position", date(2025, 7, 1), None, "placed", False)]
    snap = Snapshot.from_rows(units=units, people=[PEOPLE[0]], posts=posts)
    report = quality.report(snap, findings_frame([]), date(2025, 12, 31), 1)
    rows = report.tables[0].rows
    assert [(r.kind, r.values["name"], r.values["total"]) for r in rows] == [
        ("total", "Tổng cộng", 1),
        ("data", "Xã A", 0),
        ("data", "Xã B", 1),
    ]


# --------------------------------------------------------------------------- staffing and trend


def test_staffing_report_takes_its_figures_from_the_analysis(snapshot):
    findings = FINDINGS.with_columns(
        pl.lit("Đại học trở lên").alias("message_vi"),
        pl.lit("NĐ thử, Điều 1").alias("reference"),
        pl.lit("university").alias("required"),
        pl.lit("intermediate").alias("actual"),
    )
    analysis = analyse_staffing(snapshot, findings, ON)
    report = staffing.report(analysis, snapshot, findings, ON, 1, {"VP_TK": "Văn phòng - thống kê"})
    units, people, _names = report.tables
    by_unit = {r["unit_id"]: r for r in analysis.units.to_dicts()}
    names = {u[0]: u[2] for u in UNITS}
    for row in units.rows:
        uid = next((k for k, v in names.items() if v == row.values["name"]), 1)
        for key in staffing.UNIT_KEYS:
            assert row.values[key] == by_unit[uid][key], (row.values["name"], key)
    assert units.rows[0].kind == "total"
    data = [r for r in people.rows if r.kind == "data"]
    assert [
        (
            r.values["full_name"],
            r.values["title"],
            r.values["required"],
            r.values["actual"],
            r.values["reference"],
        )
        for r in data
    ] == [("Nguyễn Văn Nam", "Văn phòng - thống kê", "Đại học", "Trung cấp", "NĐ thử, Điều 1")]
    assert people.rows[0].kind == "group" and people.rows[0].values["full_name"] == "Xã Hai"
    hidden = staffing.report(analysis, snapshot, findings, ON, 1, visible_people=set())
    assert not hidden.tables[1].data_rows() and "1 người" in hidden.tables[1].footnotes[-1]


def test_trend_points_and_shares(snapshot):
    assert trend.points_dates(date(2007, 3, 4)) == [date(2005, 12, 31), date(2006, 12, 31), date(2007, 3, 4)]
    points = [trend.TrendPoint(d, snapshot, FINDINGS) for d in (date(2009, 12, 31), ON)]
    table = trend.compute(points).to_dicts()
    assert table[0]["people"] == 0 and table[0]["women_pct"] is None
    last = table[1]
    assert last["people"] == 4
    assert last["women"] == 1 and last["women_pct"] == pytest.approx(25.0)
    assert last["university"] == 1 and last["political_theory"] == 2  # bachelor and intermediate
    assert last["standard_pct"] == pytest.approx(25.0)
    combined, findings = trend.combine([(snapshot, FINDINGS), (snapshot, FINDINGS)])
    assert combined.posts.height == snapshot.posts.height and findings.height == FINDINGS.height


# --------------------------------------------------------------------------- layout


def test_header_cells_merge_groups_and_span_leaves_down():
    headers = (
        Column("a", "STT", "text"),
        Group("G", (Column("b", "B"), Group("H", (Column("c", "C"), Column("d", "D"))))),
    )
    cells = {(c.label): (c.row, c.col, c.rowspan, c.colspan) for c in layout.header_cells(headers)}
    assert layout.header_depth(headers) == 3
    assert cells == {
        "STT": (0, 0, 3, 1),
        "G": (0, 1, 1, 3),
        "B": (1, 1, 2, 1),
        "H": (1, 2, 1, 2),
        "C": (2, 2, 1, 1),
        "D": (2, 3, 1, 1),
    }
    assert layout.column_numbers(layout.leaves(headers)) == ["A", "1", "2", "3"]


def test_words():
    assert layout.fmt_number(12345, "int") == "12.345" and layout.fmt_number(0, "int") == "-"
    assert layout.fmt_number(52.25, "percent") == "52,2" or layout.fmt_number(52.25, "percent") == "52,3"
    assert layout.fmt_number(1234.5, "percent", "en") == "1,234.5"
    assert [layout.roman(n) for n in (1, 4, 9, 14)] == ["I", "IV", "IX", "XIV"]
    assert layout.issuer_lines("district", "Huyện Cao Lộc", "vi") == ("UBND HUYỆN CAO LỘC", "PHÒNG NỘI VỤ")
    assert layout.issuer_lines("commune_level", "Xã Đồng Đăng", "vi") == ("UBND XÃ ĐỒNG ĐĂNG",)
    sig = layout.signature_for("commune_level", "Xã Đồng Đăng", "vi")
    assert sig.right[:2] == ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH") and sig.place_date.startswith("Đồng Đăng, ngày")
    assert layout.signature_for("province", "Tỉnh Lạng Sơn", "vi").right[0] == "THỦ TRƯỞNG ĐƠN VỊ"


# --------------------------------------------------------------------------- the writers


@pytest.fixture
def quality_report(snapshot):
    return quality.report(snapshot, FINDINGS, ON, 1, party=PARTY)


def _merged(ws) -> set[str]:
    return {str(r) for r in ws.merged_cells.ranges}


def test_xlsx_layout_read_back(quality_report):
    wb = openpyxl.load_workbook(io.BytesIO(xlsx.xlsx_bytes(quality_report)))
    ws = wb["Chất lượng"]
    cells = {c.value: c.coordinate for row in ws.iter_rows() for c in row if c.value is not None}
    # Heading: issuing body top left, nation and underlined motto top right.
    assert ws["A1"].value == "UBND TỈNH THỬ" and ws["A2"].value == "SỞ NỘI VỤ"
    motto = ws[cells["Độc lập - Tự do - Hạnh phúc"]]
    assert motto.row == 2 and motto.column > 10 and motto.font.u == "single" and motto.font.b
    assert ws[cells["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"]].row == 1
    title = ws[cells[quality_report.title]]
    assert title.font.b and title.alignment.horizontal == "center"
    assert cells["Tính đến ngày 31/12/2024"].startswith("A")
    # Merged two-level headers: "Trong đó" over three columns, "Tổng số" over both header rows.
    head = title.row + 3
    merged = _merged(ws)
    assert f"D{head}:F{head}" in merged and ws[f"D{head}"].value == "Trong đó"
    assert f"C{head}:C{head + 1}" in merged and ws[f"C{head}"].value == "Tổng số"
    assert ws[f"D{head + 1}"].value == "Nữ"
    # The numbering row, then the total row (bold).
    numbers = [ws.cell(head + 2, k).value for k in range(1, 38)]
    assert numbers[:4] == ["A", "B", "1", "2"] and numbers[-1] == "35"
    total = head + 3
    assert (
        ws.cell(total, 2).value == "Tổng cộng" and ws.cell(total, 3).value == 4 and ws.cell(total, 3).font.b
    )
    assert ws.cell(total + 2, 2).value == "Xã Một" and not ws.cell(total + 2, 2).font.b
    # Printing: A4 landscape, one page wide, the header rows repeated.
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToHeight == 0
    assert ws.page_setup.fitToWidth in (None, 1)
    assert ws.print_title_rows == f"${head}:${head + 2}"
    # The signature block.
    assert "Người lập biểu" in cells and "THỦ TRƯỞNG ĐƠN VỊ" in cells
    assert ws[cells["Người lập biểu"]].row == ws[cells["THỦ TRƯỞNG ĐƠN VỊ"]].row


def test_xlsx_trend_has_a_native_line_chart(snapshot):
    points = [trend.TrendPoint(d, snapshot, FINDINGS) for d in trend.points_dates(ON)]
    data = xlsx.xlsx_bytes(trend.report(points, {"level": "province", "name": "Tỉnh Thử"}))
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        chart = z.read("xl/charts/chart1.xml").decode()
    assert "<c:lineChart>" in chart and chart.count("<c:ser>") == len(trend.INDICATORS)
    assert "Diễn biến" in chart and "Nữ" in chart


# --------------------------------------------------------------------------- reading a PDF back


def _pdf_strings(data: bytes) -> tuple[list[str], str]:
    """(the text of each page, of all pages): a minimal reader of what fpdf2 writes
    uncompressed — one content stream per page, Type0 fonts whose ToUnicode maps the subset's
    codes back to characters."""
    objects = {int(m.group(1)): m.group(2) for m in re.finditer(rb"(\d+) 0 obj(.*?)endobj", data, re.S)}
    to_unicode: dict[bytes, dict[int, str]] = {}
    fonts = dict(
        re.findall(
            rb"/(F\d+) (\d+) 0 R",
            b" ".join(m for o in objects.values() for m in re.findall(rb"/Font\s*<<(.*?)>>", o, re.S)),
        )
    )
    for name, num in fonts.items():
        ref = re.search(rb"/ToUnicode (\d+) 0 R", objects[int(num)])
        cmap = objects[int(ref.group(1))]
        pairs = re.findall(rb"<([0-9A-Fa-f]{4})>\s*<([0-9A-Fa-f]{4,})>", cmap)
        to_unicode[name] = {int(a, 16): bytes.fromhex(b.decode()).decode("utf-16-be") for a, b in pairs}
    pages, font = [], None
    for o in objects.values():
        if b"stream" not in o or b"BT" not in o:
            continue
        text: list[str] = []
        for m in re.finditer(rb"/(F\d+) [\d.]+ Tf|\(((?:\\.|[^\\)])*)\) Tj", o, re.S):
            if m.group(1):
                font = m.group(1)
                continue
            raw = re.sub(
                rb"\\(.)",
                lambda e: {b"n": b"\n", b"r": b"\r", b"t": b"\t"}.get(e.group(1), e.group(1)),
                m.group(2),
                flags=re.S,
            )
            codes = [raw[i] << 8 | raw[i + 1] for i in range(0, len(raw) - 1, 2)]
            text.append("".join(to_unicode[font].get(c, "?") for c in codes))
        pages.append("\n".join(text))
    return pages, "\n".join(pages)


def test_pdf_layout(quality_report):
    data = pdf.pdf_bytes(quality_report, compress=False)
    assert data.startswith(b"%PDF-")
    _, text = _pdf_strings(data)
    # The table on one page, the list of the people counted on the next.
    assert re.search(rb"/Count (\d+)", data).group(1) == b"2"
    assert b"/MediaBox [0 0 841.89 595.28]" in data  # A4 landscape, in points
    assert b"/FontFile2" in data and b"DejaVuSans" in data  # embedded, no system font
    for expected in (
        "UBND TỈNH THỬ",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        quality_report.title,
        "Tính đến ngày 31/12/2024",
        "Tổng cộng",
        "Xã Một",
        "Người lập biểu",
        "Trình độ chuyên môn",
    ):
        assert expected in text, expected
    assert "Trang 1/2" in text.replace("\n", "")  # the page count is filled in when the file is closed
    compressed = pdf.pdf_bytes(quality_report)
    assert compressed.startswith(b"%PDF-") and len(compressed) < len(data)


def test_pdf_repeats_the_header_on_every_page(snapshot):
    # Many communes: the table runs over several pages.
    units = UNITS[:3] + [
        (
            100 + k,
            f"99{k:03d}",
            f"Xã Số {k}",
            "commune_level",
            "commune",
            2,
            "rural_district",
            2,
            1,
            None,
            None,
        )
        for k in range(120)
    ]
    snap = Snapshot.from_rows(
        units=units,
        people=PEOPLE[:1],
        posts=[(1, 1, 100, "TP_HT", "civil_servant", date(2015, 1, 1), None, "recruited", False)],
    )
    data = pdf.pdf_bytes(quality.report(snap, findings_frame([]), ON, 1), compress=False)
    pages = int(re.search(rb"/Count (\d+)", data).group(1))
    assert pages >= 3
    texts, _ = _pdf_strings(data)
    assert len(texts) == pages
    # The count table's pages (the list of the people counted follows on its own pages).
    names_from = next(k for k, t in enumerate(texts) if "ĐƯỢC THỐNG KÊ" in t)
    with_rows = [t for t in texts[:names_from] if "Xã Số" in t]
    assert len(with_rows) >= 3
    for t in with_rows:  # the headers and the numbering row on each page the table runs over
        lines = t.split("\n")
        assert "STT" in lines and "Trình độ chuyên môn" in t.replace("\n", " ")
        assert "\nA\nB\n1\n2\n3\n" in t and "\n35\n" in t
    assert "Xã Số 119" in texts[len(with_rows) - 1]
    assert f"Trang {pages}/{pages}" in texts[-1].replace("\n", "")


def test_pdf_trend_embeds_the_chart(snapshot):
    points = [trend.TrendPoint(d, snapshot, FINDINGS) for d in trend.points_dates(ON)]
    report = trend.report(points, {"level": "province", "name": "Tỉnh Thử"}, lang="en")
    data = pdf.pdf_bytes(report, compress=False)
    assert b"/Subtype /Image" in data
    _, text = _pdf_strings(data)
    assert "SOCIALIST REPUBLIC OF VIET NAM" in text and report.title in text
    png = pdf.chart_png(report.tables[0])
    assert png.startswith(b"\x89PNG")
