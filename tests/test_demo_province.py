"""The demo is the whole province (issue 12): every commune of Lạng Sơn, the 194 old ones of
its 11 districts until 30/06/2025 and the 65 new ones from 01/07/2025, has people in post, a
class, area flags and a population, so that its quota is known on every date — the old
communes' from their class (Decree 92/2009, 34/2019, 33/2023), the new communes' from the
province's (synthetic) decisions (Decree 33/2023 as amended, QĐ 759/QĐ-TTg)."""

from collections import Counter
from datetime import date

import polars as pl
import pytest

from canbo.registry.generate import generate
from canbo.registry.models import (
    Assignment,
    Person,
    Unit,
    UnitAreaFlag,
    UnitClassification,
    UnitLevel,
    UnitLineage,
    UnitStatistics,
)
from canbo.registry.reference import LEGACY_END, REFORM_DATE
from canbo.standards.demo import ensure_demo_decisions
from canbo.standards.services import staffing_for_unit

END = date(2026, 11, 27)
#: The districts of Lạng Sơn on the border with China (the others have no border commune).
BORDER_DISTRICTS = {"180", "182", "183", "188", "189"}


@pytest.mark.slow
def test_every_commune_of_the_province_is_staffed_with_a_known_quota(db):
    generate("demo", seed=2005, end=END)
    ensure_demo_decisions("20")
    old_province = Unit.objects.get(level=UnitLevel.PROVINCE, code="20", valid_to=LEGACY_END)
    new_province = Unit.objects.get(level=UnitLevel.PROVINCE, code="20", valid_from=REFORM_DATE)
    old = Unit.objects.filter(level=UnitLevel.COMMUNE, parent__parent=old_province)
    new = Unit.objects.filter(level=UnitLevel.COMMUNE, parent=new_province)
    assert old.count() == 194 and new.count() == 65
    assert old.values("parent").distinct().count() == 11

    # Each commune's facts: a class over its whole life, area flags, a population every year.
    for communes, start, end, years in (
        (old, date(2005, 1, 1), LEGACY_END, (2005, 2024)),
        (new, REFORM_DATE, None, (2025, 2026)),
    ):
        for unit in communes:
            classes = UnitClassification.objects.filter(unit=unit)
            assert classes.filter(valid_from__lte=start).exclude(valid_to__lt=end or END).exists(), unit
            assert UnitAreaFlag.objects.filter(unit=unit, flag="mountainous").exists(), unit
            counted = set(
                UnitStatistics.objects.filter(unit=unit, population__gt=0).values_list("year", flat=True)
            )
            assert set(years) <= counted, unit
    # A border commune lies in a border district; a new commune is on the border if one of its
    # old communes was, and its population is theirs.
    border = UnitAreaFlag.objects.filter(flag="border", unit__in=old).values_list(
        "unit__parent__code", flat=True
    )
    assert set(border) and set(border) <= BORDER_DISTRICTS
    assert UnitAreaFlag.objects.filter(flag="border", unit__in=new).exists()
    dong_dang = new.get(code="06184")
    merged = UnitLineage.objects.filter(successor=dong_dang, is_primary=True).values("predecessor")
    assert UnitStatistics.objects.get(unit=dong_dang, year=2025).population == sum(
        UnitStatistics.objects.filter(unit__in=merged, year=2024).values_list("population", flat=True)
    )

    # On sample dates before and after 01/07/2025, every commune has people in post and a quota.
    for on, province, count in (
        (date(2005, 6, 30), old_province, 194),
        (date(2019, 6, 25), old_province, 194),  # Decree 34/2019's first day
        (date(2025, 6, 30), old_province, 194),
        (REFORM_DATE, new_province, 65),
        (date(2026, 6, 30), new_province, 65),
    ):
        rows = staffing_for_unit(province, on).units
        communes = rows.filter(pl.col("level") == "commune_level")
        assert communes.height == count, on
        assert communes["quota"].null_count() == 0, on
        assert communes["headcount"].min() > 0, on
        total = rows.filter(pl.col("unit_id") == province.pk).row(0, named=True)
        assert total["quota_unknown"] == 0 and total["communes"] == count, on
        if province == old_province:
            # Within the quota of the day, as the communes recruit to fill it (STORY.md).
            assert communes["headcount"].max() <= communes["quota"].max() + 2, on
            assert total["headcount"] >= 0.8 * total["quota"], on
        else:
            # The merged communes take in every old commune's staff: more than the quota, to be
            # reduced over the following years (Decree 170/2025 Art. 70–72).
            assert total["headcount"] > total["quota"], on
            # Every post of a new commune is held (a head who retires is succeeded within
            # months): a few vacant in the whole province, not 11 in each commune.
            assert total["vacant_count"] < count / 5, on

    # Plausible levels for the province: about nine times Cao Lộc's people and the story's
    # yearly expulsions scaled to 194 communes; Nùng and Tày first.
    people = Person.objects.count()
    assert 8_000 < people < 12_000
    expelled = Person.objects.filter(party_left_reason="expelled", party_left_on__year__lte=2020).count()
    assert 12 * 194 / 22 * 0.8 < expelled < 12 * 194 / 22 * 1.2
    ethnic = Counter(Person.objects.values_list("ethnicity", flat=True))
    assert {code for code, _ in ethnic.most_common(2)} == {"07", "02"}
    # Every old commune's staff moved to its successor on 01/07/2025: nobody stays behind.
    assert not Assignment.objects.filter(unit__in=old, end__isnull=True).exists()
