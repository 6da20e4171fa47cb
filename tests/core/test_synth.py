"""The synthetic generator (pure core): deterministic, and staffing quotas
that change on the right days."""

from datetime import date

from canbo.core import identity, synth


def cao_loc():
    return synth.province_groups("demo")


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
