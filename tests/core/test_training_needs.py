"""Training needs from the standards engine (issue 13 §2), on the national rule files: unmet,
transition-bound and future-unmet criteria, the courses that close them, deadlines with their
references, eligibility and the planning instance built from them."""

from __future__ import annotations

import textwrap
from datetime import date

from canbo.core.standards.rules import default_rules, load_rules
from canbo.core.standards.snapshot import Snapshot
from canbo.core.training.catalogue import default_catalogue
from canbo.core.training.instance import build_instance
from canbo.core.training.needs import LAW80_DEADLINE, LAW80_REFERENCE, training_needs
from canbo.core.training.optimise import DIFFICULT_WEIGHT, LEADER_WEIGHT, evaluate_plan, optimise

UNIT = [(100, "00100", "Xã A", "commune_level", "commune", None, None, None, 1)]


def era_2024() -> Snapshot:
    return Snapshot.from_rows(
        people=[
            (1, "Nguyễn Văn A", date(1980, 5, 1), "male", "02", date(2010, 1, 1)),
            (2, "Lê Thị B", date(1975, 3, 1), "female", "01", date(2000, 1, 1)),
        ],
        posts=[
            (10, 1, 100, "CT_UBND", "cadre", date(2021, 6, 1), None, "elected", False),
            (11, 2, 100, "VP_TK", "civil_servant", date(2001, 1, 1), None, "recruited", False),
        ],
        qualifications=[
            (1, "general_education", "lower_secondary", None, None),
            (1, "professional", "intermediate", "agriculture", None),
            (1, "political_theory", "elementary", None, None),
            (2, "general_education", "upper_secondary", None, None),
            (2, "professional", "intermediate", "law", None),
        ],
        units=UNIT,
        unit_flags=[(100, "especially_difficult", None, None)],
    )


def test_needs_with_courses_deadlines_and_eligibility():
    r = training_needs(era_2024(), date(2024, 6, 1), default_catalogue())
    by = {(n.person_id, n.criterion): n for n in r.needs}
    gened = by[(1, "general_education")]
    assert gened.source == "unmet" and gened.required == "upper_secondary"
    assert gened.courses == ("BTVH-THPT",)
    assert gened.deadline is None  # before the reform an unmet standard is simply late
    assert "LLCT-TC" in by[(1, "political_theory")].courses
    assert "DH-LUAT" in by[(1, "professional")].courses and "TC-LUAT" not in by[(1, "professional")].courses
    # met through the difficult-area transition until its deadline: a need due by then
    prof = by[(2, "professional")]
    assert prof.source == "transition" and prof.deadline is not None and prof.deadline_reference
    a = r.people[1]
    assert a.leader and a.especially_difficult and a.ranks["general_education"] == 2
    deg = a.eligibility["degree_training"]
    assert deg.status == "met" and deg.commitment_multiple == 2
    assert any("101/2017" in ref for ref in deg.references)
    assert a.eligibility["postgraduate_training"].status == "unmet"  # over 40 (Decree 101/2017)


def test_a_future_rule_set_and_the_law_80_deadline():
    snap = Snapshot.from_rows(
        people=[(1, "Trần C", date(1985, 1, 1), "male", "01", date(2015, 1, 1))],
        posts=[(10, 1, 100, "CV_VP", "civil_servant", date(2025, 7, 1), None, "placed", False)],
        qualifications=[
            (1, "general_education", "upper_secondary", None, None),
            (1, "professional", "college", "law", None),
        ],
        units=UNIT,
    )
    r = training_needs(snap, date(2026, 1, 1), default_catalogue(), future=date(2031, 1, 1))
    prof = next(n for n in r.needs if n.criterion == "professional")
    # recruited before 1/7/2025: placed in the job position, whose standard applies by 1/7/2027
    assert prof.source == "unmet"
    assert (prof.deadline, prof.deadline_reference) == (LAW80_DEADLINE, LAW80_REFERENCE)
    assert prof.courses and all(c.startswith(("DH-", "THS-")) for c in prof.courses)
    assert r.people[1].eligibility["training"].status == "met"


def test_a_new_leader_must_take_the_leadership_programme_within_12_months():
    snap = Snapshot.from_rows(
        people=[(1, "Hoàng D", date(1985, 1, 1), "male", "01", date(2015, 1, 1))],
        posts=[(10, 1, 100, "CVP", "civil_servant", date(2025, 9, 15), None, "appointed", False)],
        qualifications=[
            (1, "general_education", "upper_secondary", None, None),
            (1, "professional", "university", "law", None),
        ],
        units=UNIT,
    )
    r = training_needs(snap, date(2026, 1, 1), default_catalogue())
    duty = next(n for n in r.needs if n.criterion == "leadership_programme")
    assert duty.deadline == date(2026, 9, 15) and duty.deadline_reference == "NĐ 171/2025 Đ.16 k.2"
    assert duty.courses == ("BD-LDQL",)


def test_the_instance_weights_and_a_plan_from_the_needs():
    r = training_needs(era_2024(), date(2024, 6, 1), default_catalogue())
    inst = build_instance(r, default_catalogue(), 2025, 5, budget=60e6, degree_seats=2)
    assert inst.people[1].weight == LEADER_WEIGHT * DIFFICULT_WEIGHT
    assert inst.people[2].weight == DIFFICULT_WEIGHT
    plan = optimise(inst)
    assert evaluate_plan(inst, plan.assignments)[1] == []
    # person 1 first completes upper-secondary education, then may start the next courses
    mine = [a for a in plan.assignments if a.person_id == 1]
    assert ("BTVH-THPT", 2025) in {(a.course, a.year) for a in mine}
    assert all(a.year >= 2028 for a in mine if a.course.startswith(("DH-", "LLCT-TC")))


def test_a_draft_rule_of_a_future_date_makes_a_need_due_by_that_date(tmp_path):
    (tmp_path / "du-thao.yaml").write_text(
        textwrap.dedent("""\
        instrument: {code: du-thao, name_vi: "Dự thảo", name_en: "Draft", short_vi: "Dự thảo", source: tests}
        standards:
          - id: dt-it
            titles: [CT_UBND]
            criterion: it
            minimum: advanced
            valid_from: 2026-01-01
            reference: {article: 1}
            message: {vi: "Tin học nâng cao", en: "Advanced IT"}
        """),
        encoding="utf-8",
    )
    rules = default_rules().with_draft(load_rules(tmp_path))
    snap = era_2024()
    # no IT record at all would be "unknown" (data to complete), not a need
    snap = Snapshot.from_rows(
        people=snap.people,
        posts=snap.posts,
        qualifications=[*snap.qualifications.iter_rows(), (1, "it", "basic", None, None)],
        units=snap.units,
    )
    now = training_needs(snap, date(2024, 6, 1), default_catalogue(), rules)
    assert not [n for n in now.needs if n.criterion == "it"]
    later = training_needs(snap, date(2024, 6, 1), default_catalogue(), rules, future=date(2026, 1, 1))
    it = next(n for n in later.needs if n.criterion == "it")
    assert (it.source, it.deadline, it.required) == ("future", date(2026, 1, 1), "advanced")
    assert it.courses == ()  # the catalogue has no advanced IT course: the plan will say so
