"""The unit tree behind every scope is kept between requests and re-read when units or lineage
change (canbo.access.scope._unit_tree)."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from canbo.access import scope
from canbo.registry.models import LineageKind, Unit, UnitLineage

pytestmark = pytest.mark.django_db


def make(code, level, parent=None, **kw):
    return Unit.objects.create(
        code=code, name=f"Đơn vị {code}", level=level, kind="commune", parent=parent, **kw
    )


def test_the_tree_follows_new_units_moves_and_lineage():
    province = make("91", "province")
    a = make("91001", "commune_level", province)
    assert scope.expand_scope([province.pk]) == {province.pk, a.pk}
    # read again without change: one aggregate query, no reading of the tree
    with CaptureQueriesContext(connection) as ctx:
        assert scope.expand_scope([province.pk]) == {province.pk, a.pk}
    assert len(ctx.captured_queries) == 1
    b = make("91002", "commune_level", province)
    assert scope.expand_scope([province.pk]) == {province.pk, a.pk, b.pk}
    other = make("92", "province")
    b.parent = other
    b.save()
    assert scope.expand_scope([province.pk]) == {province.pk, a.pk}
    assert scope.expand_scope([other.pk]) == {other.pk, b.pk}
    UnitLineage.objects.create(predecessor=a, successor=b, date=date(2025, 7, 1), kind=LineageKind.MERGED)
    assert scope.expand_scope([other.pk]) == {other.pk, b.pk, a.pk}
    UnitLineage.objects.filter(predecessor=a).delete()
    a.delete()
    assert scope.expand_scope([province.pk]) == {province.pk}
    assert scope.expand_scope([other.pk]) == {other.pk, b.pk}
