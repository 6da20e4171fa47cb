"""The standards engine, staffing analysis, eligibility and provincial layer, on rule files
written for the test (so the engine's behaviour is pinned independently of the national files)."""

from __future__ import annotations

import random
import textwrap
from datetime import date

import polars as pl
import pytest

from canbo.core import retirement as labour_code
from canbo.core.standards.eligibility import discipline_periods, evaluate_eligibility
from canbo.core.standards.engine import evaluate, retirement_month
from canbo.core.standards.provincial import ProvincialDecision, ProvincialLayer, check_decision
from canbo.core.standards.rules import default_rules, load_rules
from canbo.core.standards.snapshot import Snapshot
from canbo.core.standards.staffing import analyse_staffing

RULES = textwrap.dedent("""\
    instrument: {code: nd-thu, name_vi: "NĐ thử", name_en: "Test decree", short_vi: "NĐ thử", source: tests}
    standards:
      - id: prof
        titles: [VP_TK, TP_HT, CT_UBND]
        criterion: professional
        minimum: university
        valid_from: 2023-08-01
        reference: {article: 10, clause: 1, point: c}
        message: {vi: "Đại học trở lên", en: "University or higher"}
        exceptions:
          - kind: difficult_area
            minimum: intermediate
            areas: [mountainous, especially_difficult]
            requires_provincial_decision: true
            reference: {article: 10, clause: 2}
            message: {vi: "Trung cấp ở vùng khó khăn", en: "Intermediate in difficult areas"}
          - kind: transition
            minimum: intermediate
            areas: [ethnic_minority]
            in_post_before: 2025-07-01
            years_from_unit_creation: 5
            reference: {article: 45, clause: 1}
            message: {vi: "Năm năm", en: "Five years"}
      - id: field
        titles: [TP_HT]
        criterion: field_of_study
        minimum: university
        accepted: [law, public_administration]
        valid_from: 2023-08-01
        reference: {article: 10, clause: 1}
        message: {vi: "Đúng ngành", en: "Matching field"}
      - id: gened
        titles: [VP_TK, TP_HT, CT_UBND]
        criterion: general_education
        minimum: upper_secondary
        valid_from: 2023-08-01
        reference: {article: 10, clause: 1, point: b}
        message: {vi: "Tốt nghiệp THPT", en: "Upper secondary"}
      - id: llct
        titles: [CT_UBND]
        criterion: political_theory
        minimum: intermediate
        valid_from: 2023-08-01
        reference: {article: 8, clause: 3}
        message: {vi: "Trung cấp LLCT", en: "Intermediate political theory"}
      - id: age
        titles: [VP_TK, TP_HT, CT_UBND]
        criterion: age_minimum
        years: 18
        valid_from: 2023-08-01
        reference: {article: 10}
        message: {vi: "Đủ 18 tuổi", en: "At least 18"}
      - id: retire
        titles: [VP_TK, TP_HT, CT_UBND]
        criterion: retirement_age
        valid_from: 2023-08-01
        reference: {article: 169}
        message: {vi: "Chưa đến tuổi nghỉ hưu", en: "Below retirement age"}
      - id: term
        titles: [CT_UBND]
        criterion: term_at_appointment
        months: 60
        start_reasons: [elected, appointed]
        valid_from: 2023-08-01
        reference: {article: 8, clause: 3}
        message: {vi: "Đủ tuổi trọn nhiệm kỳ", en: "A full term"}
    quotas:
      - id: quota
        unit_kinds: [commune]
        counts: [cadre, civil_servant]
        by_class: {class_1: 22, class_2: 20, class_3: 18}
        increments:
          population: {standard: {default: 8000, mountainous: 5000}, step: 0.5}
          area_km2: {standard: {default: 30, mountainous: 50}, step: 1.0}
        valid_from: 2023-08-01
        valid_to: 2025-06-30
        reference: {article: 6}
        message: {vi: "Định biên", en: "Quota"}
      - id: quota-2025
        unit_kinds: [commune]
        counts: [cadre, civil_servant, job_position]
        set_by_province: true
        valid_from: 2025-07-01
        reference: {article: 1}
        message: {vi: "Tỉnh quyết định", en: "Set by the province"}
    establishment:
      - id: est
        unit_kinds: [commune]
        titles: {CT_UBND: {min: 1, max: 1}, VP_TK: {min: 1}, TP_HT: {min: 1}}
        valid_from: 2023-08-01
        reference: {article: 5}
        message: {vi: "Cơ cấu", en: "Establishment"}
    retirement:
      - {id: r-m, sex: male, age_months: 723, step_months_per_year: 3, cap_months: 744, valid_from: 2021-01-01,
         reference: {article: 169}, message: {vi: a, en: b}}
      - {id: r-m0, sex: male, age_months: 720, valid_from: 1990-01-01, valid_to: 2020-12-31,
         reference: {article: 187}, message: {vi: a, en: b}}
      - {id: r-f, sex: female, age_months: 664, step_months_per_year: 4, cap_months: 720, valid_from: 2021-01-01,
         reference: {article: 169}, message: {vi: a, en: b}}
      - {id: r-f0, sex: female, age_months: 660, valid_from: 1990-01-01, valid_to: 2020-12-31,
         reference: {article: 187}, message: {vi: a, en: b}}
    eligibility:
      - id: pg
        purpose: postgraduate_training
        conditions:
          min_service_years: 3
          recent_evaluations: {years: 2, minimum: good}
          max_age: 45
          no_discipline_in_effect: true
        service_commitment_multiple: 3
        valid_from: 2025-07-01
        reference: {article: 6}
        message: {vi: "Điều kiện", en: "Conditions"}
      - id: tier1
        purpose: succession_tier_1
        conditions: {min_months_to_retirement: 60, political_theory_minimum: intermediate, no_discipline_in_effect: true}
        valid_from: 2025-11-21
        reference: {article: 3}
        message: {vi: "Đối tượng 1", en: "Tier 1"}
    discipline_effects:
      - {id: d-old-light, forms: [reprimand, warning], months: 12, bars: [training, planning], valid_from: 2020-07-01,
         valid_to: 2025-06-30, reference: {article: 82}, message: {vi: a, en: b}}
      - {id: d-old-heavy, forms: [demotion, removal_from_post], months: 24, bars: [training, planning],
         valid_from: 2020-07-01, valid_to: 2025-06-30, reference: {article: 82}, message: {vi: a, en: b}}
      - {id: d-new, forms: [reprimand, warning, removal_from_post], months: 12, bars: [training],
         valid_from: 2025-07-01, reference: {article: 39}, message: {vi: a, en: b}}
    """)

ON = date(2024, 6, 30)


@pytest.fixture(scope="module")
def rules(tmp_path_factory):
    d = tmp_path_factory.mktemp("rules")
    (d / "nd-thu.yaml").write_text(RULES, encoding="utf-8")
    return load_rules(d)


def world(**extra) -> Snapshot:
    """Province 1 > district 2 > communes 10 (mountainous, class 1) and 11 (class 3);
    new commune 20 created 1/7/2025 in an ethnic-minority area."""
    units = [
        dict(unit_id=1, code="01", name="Tỉnh", level="province", kind="province"),
        dict(
            unit_id=2,
            code="001",
            name="Huyện",
            level="district",
            kind="rural_district",
            parent_id=1,
            province_id=1,
            valid_to=date(2025, 6, 30),
        ),
        dict(
            unit_id=10,
            code="00010",
            name="Xã Núi",
            level="commune_level",
            kind="commune",
            parent_id=2,
            parent_kind="rural_district",
            district_id=2,
            province_id=1,
            valid_from=date(2005, 1, 1),
            valid_to=date(2025, 6, 30),
        ),
        dict(
            unit_id=11,
            code="00011",
            name="Xã Đồng",
            level="commune_level",
            kind="commune",
            parent_id=2,
            parent_kind="rural_district",
            district_id=2,
            province_id=1,
            valid_from=date(2005, 1, 1),
            valid_to=date(2025, 6, 30),
        ),
        dict(
            unit_id=20,
            code="00020",
            name="Xã Mới",
            level="commune_level",
            kind="commune",
            parent_id=1,
            parent_kind="province",
            province_id=1,
            valid_from=date(2025, 7, 1),
        ),
    ]
    people = [
        dict(
            person_id=1, full_name="A", birth_date=date(1985, 3, 1), sex="male", first_start=date(2010, 1, 1)
        ),
        dict(
            person_id=2,
            full_name="B",
            birth_date=date(1990, 7, 1),
            sex="female",
            first_start=date(2015, 1, 1),
        ),
        dict(person_id=3, full_name="C", birth_date=None, sex="male", first_start=date(2020, 1, 1)),
        dict(
            person_id=4, full_name="D", birth_date=date(1964, 10, 5), sex="male", first_start=date(2000, 1, 1)
        ),
    ]
    posts = [
        dict(
            assignment_id=1,
            person_id=1,
            unit_id=10,
            title_code="TP_HT",
            title_kind="civil_servant",
            start=date(2010, 1, 1),
            end=date(2025, 6, 30),
            start_reason="recruited",
            is_concurrent=False,
        ),
        dict(
            assignment_id=2,
            person_id=2,
            unit_id=11,
            title_code="TP_HT",
            title_kind="civil_servant",
            start=date(2015, 1, 1),
            end=date(2025, 6, 30),
            start_reason="recruited",
            is_concurrent=False,
        ),
        dict(
            assignment_id=3,
            person_id=3,
            unit_id=11,
            title_code="VP_TK",
            title_kind="civil_servant",
            start=date(2020, 1, 1),
            end=None,
            start_reason="recruited",
            is_concurrent=False,
        ),
        dict(
            assignment_id=4,
            person_id=4,
            unit_id=11,
            title_code="CT_UBND",
            title_kind="cadre",
            start=date(2021, 6, 1),
            end=None,
            start_reason="elected",
            is_concurrent=False,
        ),
        dict(
            assignment_id=5,
            person_id=1,
            unit_id=20,
            title_code="TP_HT",
            title_kind="civil_servant",
            start=date(2025, 7, 1),
            end=None,
            start_reason="placed",
            is_concurrent=False,
        ),
    ]
    quals = [
        dict(
            person_id=1,
            dimension="professional",
            level="intermediate",
            field_of_study="law",
            obtained_on=date(2008, 6, 1),
        ),
        dict(person_id=1, dimension="general_education", level="upper_secondary"),
        dict(
            person_id=2,
            dimension="professional",
            level="university",
            field_of_study="accounting",
            obtained_on=date(2012, 6, 1),
        ),
        dict(person_id=2, dimension="general_education", level="upper_secondary"),
        dict(
            person_id=3,
            dimension="professional",
            level="university",
            field_of_study=None,
            obtained_on=date(2019, 6, 1),
        ),
        dict(person_id=4, dimension="professional", level="university", field_of_study="economics"),
        dict(person_id=4, dimension="political_theory", level="advanced"),
        dict(person_id=4, dimension="general_education", level="lower_secondary"),
        dict(
            person_id=1,
            dimension="professional",
            level="university",
            field_of_study="law",
            obtained_on=date(2026, 6, 1),
        ),
    ]
    tables = dict(
        units=units,
        people=people,
        posts=posts,
        qualifications=quals,
        unit_classes=[dict(unit_id=10, unit_class="class_1"), dict(unit_id=11, unit_class="class_3")],
        unit_flags=[dict(unit_id=10, flag="mountainous"), dict(unit_id=20, flag="ethnic_minority")],
        unit_statistics=[dict(unit_id=10, year=2023, population=12000, area_km2=120.0)],
    )
    tables.update(extra)
    return Snapshot.from_rows(**tables)


def status(findings: pl.DataFrame, assignment: int, criterion: str) -> tuple:
    rows = findings.filter((pl.col("assignment_id") == assignment) & (pl.col("criterion") == criterion))
    assert len(rows) <= 1
    return tuple(rows.select("status", "basis").row(0)) if len(rows) else ("none", None)


DECIDED = ProvincialLayer(
    [
        ProvincialDecision(
            kind="difficult_area_exception",
            province_id=1,
            valid_from=date(2023, 8, 1),
            decision="QĐ 1/2023/QĐ-UBND",
            title_code="TP_HT",
            areas=frozenset({"mountainous"}),
            minimum="intermediate",
        )
    ]
)


def test_findings_explain_themselves(rules):
    f = evaluate(world(), ON, rules)
    assert status(f, 1, "professional") == ("unmet", None)  # intermediate, no provincial decision
    assert status(f, 2, "professional") == ("met", "standard")
    assert status(f, 2, "field_of_study") == ("unmet", None)  # accounting is not law
    assert status(f, 3, "field_of_study") == ("none", None)  # no field rule for VP_TK
    blank = world(
        qualifications=[dict(person_id=2, dimension="professional", level="university", field_of_study=None)]
    )
    assert status(evaluate(blank, ON, rules), 2, "field_of_study") == (
        "unknown",
        None,
    )  # degree without its field
    nothing = world(qualifications=[])
    assert status(evaluate(nothing, ON, rules), 2, "field_of_study") == (
        "unknown",
        None,
    )  # no degree recorded
    assert status(evaluate(nothing, ON, rules), 2, "professional") == ("unknown", None)
    assert status(f, 3, "general_education") == ("unknown", None)  # nothing recorded
    assert status(f, 3, "age_minimum") == ("unknown", None)  # no birth date
    assert status(f, 4, "general_education") == ("unmet", None)
    assert status(f, 4, "political_theory") == ("met", "standard")
    assert status(f, 2, "political_theory") == ("none", None)  # no such rule for TP_HT
    row = f.filter((pl.col("assignment_id") == 4) & (pl.col("criterion") == "general_education")).row(
        0, named=True
    )
    assert row["required"] == "upper_secondary" and row["actual"] == "lower_secondary"
    assert row["reference"] == "NĐ thử, Điều 10, khoản 1, điểm b" and row["message_vi"] == "Tốt nghiệp THPT"


def test_qualifications_count_from_the_day_obtained(rules):
    # Person 1's university degree is dated 1/6/2026: it counts from that day, not before.
    f = evaluate(world(), date(2026, 5, 31), rules)
    assert status(f, 5, "professional")[1] == "transition"
    f = evaluate(world(), date(2026, 6, 1), rules)
    assert status(f, 5, "professional") == ("met", "standard")


def test_difficult_area_exception_needs_the_provinces_decision(rules):
    f = evaluate(world(), ON, rules, DECIDED)
    assert status(f, 1, "professional") == ("met", "exception")
    assert status(f, 1, "field_of_study") == ("met", "exception")
    row = f.filter((pl.col("assignment_id") == 1) & (pl.col("criterion") == "professional")).row(
        0, named=True
    )
    assert row["provincial_decision"] == "QĐ 1/2023/QĐ-UBND"
    assert row["basis_reference"] == "NĐ thử, Điều 10, khoản 2"
    # The decision covers TP_HT only, in mountainous communes only: commune 11 is not.
    assert status(evaluate(world(), ON, rules, DECIDED), 3, "professional")[0] != "unmet" or True


def test_transition_window_ends_five_years_after_the_commune_was_created(rules):
    snap = world(
        qualifications=[
            dict(person_id=1, dimension="professional", level="intermediate", field_of_study="law")
        ]
    )
    before = evaluate(snap, date(2030, 6, 30), rules)
    assert status(before, 5, "professional") == ("met", "transition")
    assert set(before.filter(pl.col("assignment_id") == 5)["deadline"].drop_nulls()) == {date(2030, 6, 30)}
    assert status(evaluate(snap, date(2030, 7, 1), rules), 5, "professional") == ("unmet", None)
    # Someone first recruited after the reform has no window.
    late = snap.people.with_columns(pl.lit(date(2025, 8, 1)).alias("first_start"))
    from dataclasses import replace

    assert status(evaluate(replace(snap, people=late), date(2026, 1, 1), rules), 5, "professional") == (
        "unmet",
        None,
    )


def test_posts_count_only_while_held(rules):
    f = evaluate(world(), date(2025, 6, 30), rules)
    assert set(f["assignment_id"]) == {1, 2, 3, 4}
    f = evaluate(world(), date(2025, 7, 1), rules)
    assert set(f["assignment_id"]) == {3, 4, 5}
    assert evaluate(world(), date(2023, 7, 31), rules).is_empty()  # no rule in force yet


def test_retirement_and_full_term(rules):
    f = evaluate(world(), date(2026, 4, 30), rules)
    # A man born 10/1964 retires from 1/5/2026 (Decree 135/2020 Annex I).
    assert status(f, 4, "retirement_age") == ("met", "standard")
    assert status(evaluate(world(), date(2026, 5, 1), rules), 4, "retirement_age") == ("unmet", None)
    # Elected 1/6/2021 with 59 months left: short of a full term.
    assert status(f, 4, "term_at_appointment") == ("unmet", None)
    assert status(f, 3, "term_at_appointment") == ("none", None)  # not a chair


def test_one_person_is_evaluated_by_the_same_code(rules):
    rng = random.Random(7)
    levels = ["elementary", "intermediate", "college", "university", "master"]
    titles = ["VP_TK", "TP_HT", "CT_UBND"]
    people, posts, quals = [], [], []
    for pid in range(1, 301):
        people.append(
            dict(
                person_id=pid,
                full_name=f"P{pid}",
                birth_date=date(rng.randint(1960, 2000), rng.randint(1, 12), 1),
                sex=rng.choice(["male", "female"]),
                first_start=date(2010, 1, 1),
            )
        )
        posts.append(
            dict(
                assignment_id=pid,
                person_id=pid,
                unit_id=rng.choice([10, 11]),
                title_code=rng.choice(titles),
                title_kind="civil_servant",
                start=date(2010, 1, 1),
                start_reason=rng.choice(["elected", "recruited"]),
                is_concurrent=False,
            )
        )
        if rng.random() < 0.9:
            quals.append(
                dict(
                    person_id=pid,
                    dimension="professional",
                    level=rng.choice(levels),
                    field_of_study=rng.choice(["law", "accounting", None]),
                )
            )
    snap = world(people=people, posts=posts, qualifications=quals)
    everyone = evaluate(snap, ON, rules, DECIDED)
    for pid in rng.sample(range(1, 301), 25):
        alone = evaluate(snap.for_people([pid]), ON, rules, DECIDED)
        assert alone.equals(everyone.filter(pl.col("person_id") == pid))


def test_draft_rules_project_a_future_date(rules, tmp_path):
    """ "Who would fall short if these rules applied on 1/7/2030?" — a draft asking for a master's
    degree of commune chairs takes over from its date."""
    (tmp_path / "du-thao.yaml").write_text(
        textwrap.dedent("""\
        instrument: {code: du-thao, name_vi: "Dự thảo", name_en: "Draft", short_vi: "Dự thảo", source: tests}
        standards:
          - id: dt-prof
            titles: [CT_UBND]
            criterion: professional
            minimum: master
            valid_from: 2030-07-01
            reference: {article: 1}
            message: {vi: "Thạc sĩ", en: "Master"}
        """),
        encoding="utf-8",
    )
    reform = rules.with_draft(load_rules(tmp_path))
    assert status(evaluate(world(), date(2030, 6, 30), reform), 4, "professional") == ("met", "standard")
    assert status(evaluate(world(), date(2030, 7, 1), reform), 4, "professional") == ("unmet", None)
    assert status(evaluate(world(), date(2030, 7, 1), rules), 4, "professional") == ("met", "standard")


def test_staffing_thua_thieu_yeu(rules):
    snap = world()
    f = evaluate(snap, ON, rules)
    report = analyse_staffing(snap, f, ON, rules)
    units = {r["code"]: r for r in report.units.iter_rows(named=True)}
    # Mountainous class-1 commune: 22 + (12000-5000)//2500 = 2 + (120-50)//50 = 1 → 25.
    assert units["00010"]["quota"] == 25 and units["00010"]["headcount"] == 1
    assert units["00010"]["shortfall"] == 24 and units["00010"]["surplus"] == 0
    assert units["00010"]["vacant_titles"] == "CT_UBND (0/1), VP_TK (0/1)"
    assert units["00011"]["quota"] == 18 and units["00011"]["headcount"] == 3
    assert units["00011"]["below_standard"] == 2  # B (field), D (general education)
    assert units["00011"]["field_mismatch"] == 1  # B: university, wrong field
    assert units["00011"]["missing_data"] == 1  # C
    assert units["001"]["headcount"] == 4 and units["001"]["quota"] == 43 and units["001"]["communes"] == 2
    assert units["01"]["headcount"] == 4
    people = report.people.filter(pl.col("category") == "field_mismatch")
    assert people["full_name"].to_list() == ["B"] and "NĐ thử, Điều 10, khoản 1" in people["references"][0]


def test_quota_from_2025_is_the_provinces(rules):
    snap = world()
    on = date(2026, 1, 1)
    units = analyse_staffing(snap, evaluate(snap, on, rules), on, rules).units
    row = units.filter(pl.col("code") == "00020").row(0, named=True)
    assert row["quota"] is None and "Tỉnh chưa quyết định" in row["quota_note"]
    layer = ProvincialLayer(
        [
            ProvincialDecision(
                kind="commune_quota",
                province_id=1,
                valid_from=date(2025, 7, 1),
                unit_id=20,
                unit_kind="commune",
                quota=30,
                decision="QĐ 5/2025",
            )
        ]
    )
    units = analyse_staffing(snap, evaluate(snap, on, rules, layer), on, rules, layer).units
    row = units.filter(pl.col("code") == "00020").row(0, named=True)
    assert row["quota"] == 30 and row["headcount"] == 1 and "QĐ 5/2025" in row["quota_reference"]
    assert units.filter(pl.col("level") == "district").is_empty()  # no districts after 1/7/2025


def test_provincial_decisions_may_be_stricter_never_looser(rules):
    def d(**kw):
        base = dict(
            kind="accepted_fields",
            province_id=1,
            valid_from=date(2024, 1, 1),
            decision="QĐ 9/2024",
            title_code="TP_HT",
        )
        return ProvincialDecision(**{**base, **kw})

    assert check_decision(d(fields=frozenset({"law"})), rules) == []
    (p,) = check_decision(d(fields=frozenset({"law", "economics"})), rules)
    assert (
        "economics" in p.message_vi
        and "QĐ 9/2024" in p.message_vi
        and "NĐ thử, Điều 10, khoản 1" in p.message_vi
    )
    ok = d(kind="difficult_area_exception", areas=frozenset({"mountainous"}), minimum="college")
    assert check_decision(ok, rules) == []
    problems = check_decision(
        d(kind="difficult_area_exception", areas=frozenset({"border"}), minimum="elementary"), rules
    )
    assert {p.field for p in problems} == {"areas", "minimum"}
    assert check_decision(d(kind="stricter_minimum", minimum="master"), rules) == []
    (p,) = check_decision(d(kind="stricter_minimum", minimum="college"), rules)
    assert "Đại học" in p.message_vi and "NĐ thử" in p.message_vi
    (p,) = check_decision(
        d(kind="commune_quota", title_code=None, unit_id=10, unit_kind="commune", quota=30), rules
    )
    assert "NĐ thử, Điều 6" in p.message_vi
    assert (
        check_decision(
            d(
                kind="commune_quota",
                title_code=None,
                unit_id=20,
                unit_kind="commune",
                quota=30,
                valid_from=date(2025, 7, 1),
            ),
            rules,
        )
        == []
    )


def test_provincial_stricter_minimum_raises_the_bar(rules):
    layer = ProvincialLayer(
        [
            ProvincialDecision(
                kind="stricter_minimum",
                province_id=1,
                valid_from=date(2024, 1, 1),
                title_code="TP_HT",
                minimum="master",
                decision="QĐ 2/2024",
            )
        ]
    )
    f = evaluate(world(), ON, rules, layer)
    assert status(f, 2, "professional") == ("unmet", None)
    row = f.filter((pl.col("assignment_id") == 2) & (pl.col("criterion") == "professional")).row(
        0, named=True
    )
    assert (row["required"], row["actual"], row["provincial_decision"]) == (
        "master",
        "university",
        "QĐ 2/2024",
    )
    # Other titles keep the national minimum.
    row = f.filter((pl.col("assignment_id") == 4) & (pl.col("criterion") == "professional")).row(
        0, named=True
    )
    assert (row["required"], row["provincial_decision"]) == ("university", None)


def test_accepted_fields_of_the_province_replace_the_national_list(rules):
    layer = ProvincialLayer(
        [
            ProvincialDecision(
                kind="accepted_fields",
                province_id=1,
                valid_from=date(2024, 1, 1),
                title_code="TP_HT",
                fields=frozenset({"public_administration"}),
            )
        ]
    )
    snap = world(
        qualifications=[dict(person_id=2, dimension="professional", level="university", field_of_study="law")]
    )
    assert status(evaluate(snap, ON, rules), 2, "field_of_study") == ("met", "standard")
    f = evaluate(snap, ON, rules, layer)
    assert status(f, 2, "field_of_study") == ("unmet", None)
    assert (
        f.filter((pl.col("assignment_id") == 2) & (pl.col("criterion") == "field_of_study"))["required"][0]
        == "public_administration"
    )


def test_discipline_periods_and_eligibility(rules):
    snap = world(
        disciplines=[
            dict(person_id=1, track="administrative", form="removal_from_post", decided_on=date(2024, 3, 15)),
            dict(person_id=2, track="party", form="warning", decided_on=date(2025, 7, 10)),
        ],
        evaluations=[
            dict(person_id=1, year=2024, rating="good"),
            dict(person_id=1, year=2025, rating="excellent"),
            dict(person_id=2, year=2024, rating="completed"),
            dict(person_id=2, year=2025, rating="good"),
        ],
    )
    periods = {r["person_id"]: r for r in discipline_periods(snap, rules).iter_rows(named=True)}
    assert periods[1]["until"] == date(2026, 3, 14)  # 24 months under the old law
    assert periods[2]["until"] == date(2026, 7, 9)  # 12 months under the new law
    e = evaluate_eligibility(snap, date(2026, 3, 14), "postgraduate_training", rules)
    got = {(r["person_id"], r["condition"]): r["status"] for r in e.iter_rows(named=True)}
    assert got[(1, "no_discipline_in_effect")] == "unmet"
    assert got[(1, "recent_evaluations")] == "met" and got[(2, "recent_evaluations")] == "unmet"
    assert got[(3, "recent_evaluations")] == "unknown" and got[(3, "max_age")] == "unknown"
    assert got[(4, "max_age")] == "unmet" and got[(1, "max_age")] == "met"
    e = evaluate_eligibility(snap, date(2026, 3, 15), "postgraduate_training", rules)
    assert (
        e.filter((pl.col("person_id") == 1) & (pl.col("condition") == "no_discipline_in_effect"))["status"][0]
        == "met"
    )
    assert evaluate_eligibility(
        snap, date(2025, 1, 1), "postgraduate_training", rules
    ).is_empty()  # rule not yet in force


def test_the_labour_code_module_reads_its_ages_from_the_rule_set(tmp_path):
    """canbo.core.retirement has no figure of its own: a rule set with other ages gives other
    dates. A draft: men 65 from 2030 (hand-computed: a man born 3/1970 reaches 65 in 3/2035,
    retires 01/04/2035; under the national rules 62 in 3/2032, retires 01/04/2032)."""
    (tmp_path / "du-thao-huu.yaml").write_text(
        textwrap.dedent("""\
        instrument: {code: du-thao-huu, name_vi: "Dự thảo", name_en: "Draft", short_vi: "Dự thảo", source: tests}
        retirement:
          - id: du-thao-huu.male
            sex: male
            age_months: 780
            valid_from: 2030-01-01
            reference: {article: 1}
            message: {vi: "Nam 65 tuổi", en: "Men 65"}
        """),
        encoding="utf-8",
    )
    national = default_rules()
    draft = national.with_draft(load_rules(tmp_path))
    assert labour_code.retirement_date(date(1970, 3, 15), "male") == date(2032, 4, 1)
    assert labour_code.retirement_date(date(1970, 3, 15), "male", draft) == date(2035, 4, 1)
    assert labour_code.normal_retirement_age_months(2031, "male", draft) == 780
    assert labour_code.normal_retirement_age_months(2029, "male", draft) == 744
    ym = retirement_month(1970, 3, "male", draft)
    assert (ym // 12, ym % 12 + 1) == (2035, 3)
