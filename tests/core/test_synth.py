"""The synthetic generator (pure core): deterministic, and staffing quotas
that change on the right days."""

from datetime import date

import pytest

from canbo.core import identity, synth


def cao_loc():
    return synth.province_groups("demo", {"183"})


def run(seed=2005, end=date(2026, 11, 27)):
    return next(iter(synth.simulate(cao_loc(), seed=seed, end=end)))


def test_same_seed_same_rows_other_seed_other_rows():
    a, b, c = run(), run(), run(seed=7)
    assert a.rows == b.rows
    assert a.rows["person"] != c.rows["person"]


def test_end_date_cuts_the_history():
    early = run(end=date(2012, 12, 31))
    assert max(r[4] for r in early.rows["assignment"]) <= date(2012, 12, 31)
    assert all(r[5] is None or r[5] <= date(2012, 12, 31) for r in early.rows["assignment"])
    assert max(r[2] for r in early.rows["evaluation"]) == 2012


def test_people_have_consistent_identity_numbers():
    rows = run().rows["person"]
    cols = synth.COLUMNS["person"]
    i_id, i_birth, i_sex = cols.index("identity_number"), cols.index("birth_date"), cols.index("sex")
    numbers = [r[i_id] for r in rows if r[i_id]]
    assert len(numbers) == len(set(numbers)) > 0.8 * len(rows)
    for r in rows:
        if r[i_id]:
            assert identity.check_identity_number(r[i_id], birth_year=r[i_birth].year, sex=r[i_sex]) == []


def test_quota_by_era_day_before_and_day_of():
    # Decree 92/2009: 25/23/21 until 24/6/2019; Decree 34/2019 from 25/6/2019: 23/21/19.
    assert synth.quota("commune", "class_1", date(2019, 6, 24)) == 25
    assert synth.quota("commune", "class_1", date(2019, 6, 25)) == 23
    assert synth.quota("commune", "class_3", date(2019, 6, 25)) == 19
    # Decree 33/2023 from 1/8/2023: communes 22/20/18, wards 23/21/19.
    assert synth.quota("commune", "class_2", date(2023, 7, 31)) == 21
    assert synth.quota("commune", "class_2", date(2023, 8, 1)) == 20
    assert synth.quota("ward", "class_2", date(2023, 8, 1)) == 21
    # From 1/7/2025 the province sets the number.
    assert synth.quota("commune", "class_3", date(2025, 6, 30)) == 18
    # From 1/7/2025 the province sets the number; the generator uses QĐ 759's average, 32.
    assert synth.quota("commune", "class_3", date(2025, 7, 1)) == 32
    assert synth.quota("ward", "class_1", date(2025, 7, 1)) == 32
    # Decree 121/2003 (2004-2009): 25/23/21, the generator's first year.
    assert synth.quota("commune", "class_2", date(2005, 1, 1)) == 23


def test_the_generators_legal_figures_come_from_the_rule_set():
    # Party Charter 2011 Art. 1(1): 18 (also used for the story's admissions before 2011).
    assert synth.party_minimum_age(date(2015, 1, 1)) == 18
    assert synth.party_minimum_age(date(2005, 1, 1)) == 18
    # QĐ 50-QĐ/TW 2021 / Guidance 45-HD/BTCTW: tier 1 at least 60 months to retirement, tier 2 120.
    assert synth.rule_figure("succession_tier_1", "min_months_to_retirement", date(2025, 12, 1)) == 60
    assert synth.rule_figure("succession_tier_2", "min_months_to_retirement", date(2025, 12, 1)) == 120
    assert synth.new_commune_quota() == 32


def test_a_specialist_goes_where_their_field_fits():
    # Law 80/2025 Art. 19(1)(e), as the rule set lists the fields of each job position.
    assert synth.fitting_specialist("CV_VHXH", "accounting") == "CV_TCKT"
    assert synth.fitting_specialist("CV_VP", "law") == "CV_VP"
    assert synth.fitting_specialist("CV_XD", "culture") == "CV_VHXH"
    # No field, or one no position accepts: the position they were given.
    assert synth.fitting_specialist("CV_XD", "") == "CV_XD"
    assert synth.fitting_specialist("CV_XD", "other") == "CV_XD"


def test_the_demo_is_the_whole_province_with_cao_loc_first():
    [(communes, new_communes, population)] = synth.province_groups("demo")
    # Lạng Sơn before 1/7/2025: 11 districts, 194 communes, wards and townships; 65 new communes after.
    assert len(communes) == 194 and len({c.district_code for c in communes}) == 11
    assert len(new_communes) == 65
    assert {c.successor_code for c in communes} == set(new_communes)
    assert [c.district_code for c in communes[:22]] == ["183"] * 22
    assert "183" not in {c.district_code for c in communes[22:]}
    assert population is synth.LANG_SON
    with pytest.raises(ValueError):
        synth.province_groups("province")


@pytest.mark.slow
def test_the_province_is_deterministic_and_leaves_cao_loc_as_when_alone():
    end = date(2026, 11, 27)
    province = next(iter(synth.simulate(synth.province_groups("demo"), seed=2005, end=end)))
    again = next(iter(synth.simulate(synth.province_groups("demo"), seed=2005, end=end)))
    assert province.rows == again.rows
    alone = run(end=end)
    codes = {c.code for c in cao_loc()[0][0]}
    people = {r[0] for r in alone.rows["person"]}
    before = date(2025, 6, 30)

    def legacy_units(rows, at=0):
        return [r for r in rows if r[at] == (r[at][0], "legacy") and r[at][0] in codes]

    # Cao Lộc's people, posts, discipline and the facts of its communes: the same rows, ids included.
    assert [r for r in province.rows["person"] if r[0] in people] == alone.rows["person"]
    for table, at in (("assignment", 2), ("classification", 0), ("area_flag", 0), ("statistics", 0)):
        assert legacy_units(province.rows[table], at) == legacy_units(alone.rows[table], at), table
    for table in ("inspection", "discipline"):
        assert [r for r in province.rows[table] if r[1] in people] == alone.rows[table]
    # Its records closed by 30/6/2025 (qualifications, courses ended, evaluations, succession
    # plans): the same, but for the ids of rows written after the other districts' (a course's
    # qualification id too). After 1/7/2025 four new communes take in other districts' staff too.
    checks = {
        "qualification": lambda r: r[8] <= before,
        "enrolment": lambda r: r[9] is not None and r[9] <= before,
        "evaluation": lambda r: r[2] <= 2024,
        "succession": lambda r: r[3][1] == "legacy",
    }
    for table, keep in checks.items():
        cut = -1 if table == "enrolment" else None
        mine = [r[1:cut] for r in province.rows[table] if r[1] in people and keep(r)]
        assert mine == [r[1:cut] for r in alone.rows[table] if keep(r)], table
        assert mine
    # The rest of the province: every old commune and every new one is staffed.
    staffed = {r[2] for r in province.rows["assignment"]}
    assert {(c.code, "legacy") for c in synth.province_groups("demo")[0][0]} <= staffed
    assert {(code, "new") for code in synth.province_groups("demo")[0][1]} <= staffed
