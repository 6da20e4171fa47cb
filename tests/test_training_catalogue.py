"""The course catalogue (issue 13 §1): the shipped file, the database copy loaded by the data
migration, and the validation of a course's levels and prerequisites."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from canbo.core.training.catalogue import Course as CoreCourse
from canbo.core.training.catalogue import catalogue_from_rows, default_catalogue
from canbo.training.models import Course, load_catalogue


def test_shipped_catalogue_covers_every_kind_of_need():
    cat = {c.code: c for c in default_catalogue()}
    # a degree needs upper-secondary education first; the next political-theory level the previous
    assert ("general_education", "upper_secondary") in cat["DH-LUAT"].prerequisites
    assert ("political_theory", "elementary") in cat["LLCT-TC"].prerequisites
    dims = {c.dimension for c in cat.values() if c.dimension}
    assert dims == {
        "general_education",
        "professional",
        "political_theory",
        "state_management",
        "it",
        "foreign_language",
        "ethnic_language",
    }
    assert cat["DH-LUAT"].closes("professional", "college", ["law"])
    assert not cat["DH-LUAT"].closes("professional", "university", ["accounting"])
    assert not cat["TC-LUAT"].closes("professional", "university")
    assert cat["DH-LUAT"].years == 4 and cat["LLCT-SC"].years == 1


def test_a_course_with_a_level_off_its_scale_is_refused():
    with pytest.raises(ValueError, match="không thuộc thang"):
        CoreCourse("X", "x", "degree", 12, 0, 1, dimension="professional", level="upper_secondary")
    with pytest.raises(ValueError, match="trùng"):
        catalogue_from_rows([dict(code="A", name="a", kind="it", months=1, cost=0, seats_per_year=1)] * 2)


@pytest.mark.django_db
def test_data_migration_loaded_the_catalogue_and_reloading_is_idempotent():
    n = Course.objects.count()
    assert n == len(default_catalogue())
    # the load is in the history, as every change is
    assert Course.history.filter(history_type="+").count() == n
    assert load_catalogue() == n
    assert Course.objects.count() == n
    row = Course.objects.get(code="DH-LUAT")
    assert row.as_core() == next(c for c in default_catalogue() if c.code == "DH-LUAT")
    row.target_level = "upper_secondary"
    with pytest.raises(ValidationError):
        row.full_clean()
