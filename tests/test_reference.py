"""Reference data come from the pinned vietnam-provinces package: the legacy
three-tier list as of January 2025 and the two-tier list from 1/7/2025,
linked by the official conversion table."""

from datetime import date

import pytest

from canbo.registry.models import Title, Unit, UnitLineage
from canbo.registry.reference import load_reference

pytestmark = pytest.mark.django_db


def test_full_load_counts_lineage_and_idempotence():
    counts = load_reference()
    assert counts["legacy_provinces"] == 63
    assert counts["districts"] == 696
    assert counts["legacy_communes"] == 10_051
    assert counts["provinces"] == 34
    assert counts["communes"] == 3_321
    legacy = Unit.objects.filter(valid_to=date(2025, 6, 30))
    current = Unit.objects.filter(valid_from=date(2025, 7, 1), valid_to__isnull=True)
    assert legacy.count() == 63 + 696 + 10_051 and current.count() == 34 + 3_321
    # Districts are abolished: no district exists on 1/7/2025.
    assert not Unit.objects.filter(level="district", valid_to__isnull=True).exists()
    # Each old commune points to the new one it merged into (the package's table
    # covers all but a handful), with exactly one primary successor.
    linked = set(
        UnitLineage.objects.filter(predecessor__level="commune_level", is_primary=True).values_list(
            "predecessor", flat=True
        )
    )
    assert len(linked) >= 10_000
    assert (
        UnitLineage.objects.filter(is_primary=True).values("predecessor").distinct().count()
        == UnitLineage.objects.filter(is_primary=True).count()
    )

    # Cao Lộc: Xã Bảo Lâm became part of the new Xã Đồng Đăng; Thị trấn Cao Lộc of Phường Kỳ Lừa.
    def successor(code):
        return UnitLineage.objects.get(
            predecessor__code=code, predecessor__valid_to=date(2025, 6, 30), is_primary=True
        ).successor

    assert successor("06190").name == "Xã Đồng Đăng"
    assert successor("06187").name == "Phường Kỳ Lừa"
    assert successor("06187").parent.name == "Tỉnh Lạng Sơn"
    # Loading again changes nothing.
    again = load_reference()
    assert set(again.values()) == {0}
    assert Title.objects.filter(code="CT_UBND").exists()


def test_partial_load_then_full_load_adds_the_rest():
    load_reference({20})
    assert Unit.objects.filter(level="province", valid_to=date(2025, 6, 30)).count() == 1
    before = set(Unit.objects.values_list("id", flat=True))
    counts = load_reference()
    assert counts["legacy_provinces"] == 62
    assert before <= set(Unit.objects.values_list("id", flat=True))
    assert Unit.objects.count() == 63 + 696 + 10_051 + 34 + 3_321
