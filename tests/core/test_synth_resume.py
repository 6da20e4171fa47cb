"""The synthetic résumé items (issue 15 §6, :mod:`canbo.core.synth_resume`) obey the rules the
models enforce: family members older or younger as they must be, salary steps rising by the
rules of the time and never beyond the scale, no date in the future nor before the birth — for
many made-up people, deterministically."""

from __future__ import annotations

import itertools
import random
from datetime import date

from canbo.core import personnel, synth_resume

END = date(2026, 11, 27)


def facts(i: int) -> synth_resume.Facts:
    rng = random.Random(i)
    birth = date(rng.randint(1955, 2000), rng.randint(1, 12), rng.randint(1, 28))
    first = date(max(birth.year + 18, 1985) + rng.randint(0, 10), rng.randint(1, 12), 1)
    left = None if rng.random() < 0.6 else date(min(first.year + rng.randint(1, 30), 2026), 6, 30)
    return synth_resume.Facts(
        pid=i,
        sex=rng.choice(["male", "female"]),
        birth=birth,
        family_name="Hoàng",
        first_start=first if first <= END else None,
        last_end=left if left and first <= left <= END else None,
        graduate=rng.random() < 0.5,
        unit_name="Xã Hồng Phong",
        district_name="Huyện Cao Lộc",
        province_name="Tỉnh Lạng Sơn",
    )


def test_items_obey_the_rules_for_many_people():
    for i in range(1, 400):
        f = facts(i)
        items = synth_resume.items_for(f, seed=2005, end=END)
        assert items == synth_resume.items_for(f, seed=2005, end=END)  # deterministic
        year = f.birth.year
        for m in items.family:
            assert m["birth_year"] <= END.year
            if m["relation"] in ("father", "mother"):
                assert m["birth_year"] <= year - 12, (i, m)
            if m["relation"] == "child":
                assert m["birth_year"] >= year + 12, (i, m)
        assert sum(m["relation"] == "spouse" for m in items.family) <= 1
        steps = items.salary
        for a, b in itertools.pairwise(steps):
            assert b["valid_from"] > a["valid_from"] and b["step"] == a["step"] + 1
            years = b["valid_from"].year - a["valid_from"].year
            assert years == (3 if a["rank_code"] == "01.003" else 2)
        for s in steps:
            assert not personnel.check_step(s["rank_code"], s["step"], s["coefficient"], s["valid_from"])
            assert personnel.SCALE_FROM <= s["valid_from"] <= END
            assert f.last_end is None or s["valid_from"] <= f.last_end
        p = items.profile
        for name in ("recruited_on", "enlisted_on", "discharged_on", "identity_issued_on"):
            if name in p:
                assert f.birth <= p[name] <= END, (i, name)
        if "enlisted_on" in p:
            assert p["discharged_on"] > p["enlisted_on"]
        assert len(p["social_insurance_number"]) == 10 and p["social_insurance_number"].isdigit()
        for m in items.memberships:
            assert f.birth <= m["joined_on"] <= END
            assert m.get("left_on") is None or m["left_on"] >= m["joined_on"]
        for a in items.awards:
            assert a["decided_on"] <= END


def test_a_long_career_stops_at_the_top_of_the_scale():
    f = synth_resume.Facts(
        1, "male", date(1960, 1, 1), "Vi", date(1985, 1, 1), None, False, "Xã A", "Huyện B", "Tỉnh C"
    )
    steps = synth_resume.salary_history(f, END)
    assert steps[0]["valid_from"] == date(2004, 10, 1)  # the scales of Nghị định 204/2004 began
    assert steps[-1]["step"] == personnel.RANKS["01.004"].steps
    assert [s["step"] for s in steps] == list(range(steps[0]["step"], steps[-1]["step"] + 1))
