"""Tests for canbo.core.scales (GLOSSARY.md "Qualifications"; LEGAL.md §5.3)."""

import dataclasses

import pytest

from canbo.core import scales
from canbo.core.scales import (
    DIMENSION_LABELS,
    FIELDS_OF_STUDY,
    SCALES,
    STUDY_MODES,
    Dimension,
    Level,
    UnknownDimension,
    UnknownLevel,
    is_valid_level,
    level,
    levels,
    rank,
)


def test_every_dimension_has_a_scale_and_labels():
    assert set(SCALES) == set(Dimension)
    assert set(DIMENSION_LABELS) == set(Dimension)
    assert DIMENSION_LABELS[Dimension.POLITICAL_THEORY] == ("Lý luận chính trị", "Political theory")


def test_dimension_values_are_the_stable_identifiers():
    assert [d.value for d in Dimension] == [
        "general_education", "professional", "political_theory", "state_management",
        "it", "foreign_language", "ethnic_language",
    ]  # fmt: skip


@pytest.mark.parametrize("dimension", list(Dimension))
def test_scales_are_ordered_low_to_high_and_well_formed(dimension):
    scale = levels(dimension)
    ranks = [lv.rank for lv in scale]
    assert ranks == sorted(ranks)
    assert len({lv.code for lv in scale}) == len(scale)
    for lv in scale:
        assert lv.dimension is dimension
        assert lv.code.isascii() and lv.code == lv.code.lower() and " " not in lv.code
        assert lv.label_vi and lv.label_en


def test_exact_codes_in_order():
    codes = {d: [lv.code for lv in SCALES[d]] for d in Dimension}
    assert codes[Dimension.GENERAL_EDUCATION] == ["primary", "lower_secondary", "upper_secondary"]
    assert codes[Dimension.PROFESSIONAL] == [
        "elementary", "intermediate", "college", "university", "master", "doctorate",
    ]  # fmt: skip
    assert codes[Dimension.POLITICAL_THEORY] == ["elementary", "intermediate", "advanced", "bachelor"]
    assert codes[Dimension.STATE_MANAGEMENT] == [
        "clerk", "specialist", "principal_specialist", "senior_specialist",
    ]  # fmt: skip
    assert codes[Dimension.ETHNIC_LANGUAGE] == ["spoken", "certificate"]
    assert set(codes[Dimension.FOREIGN_LANGUAGE]) == {
        "certificate_a", "certificate_b", "certificate_c",
        "level_1", "level_2", "level_3", "level_4", "level_5", "level_6",
    }  # fmt: skip
    assert set(codes[Dimension.IT]) == {
        "certificate_a", "certificate_b", "certificate_c", "basic", "advanced",
    }  # fmt: skip


def test_strictly_increasing_professional_and_state_management():
    for dim in (Dimension.PROFESSIONAL, Dimension.STATE_MANAGEMENT, Dimension.GENERAL_EDUCATION):
        ranks = [lv.rank for lv in SCALES[dim]]
        assert len(set(ranks)) == len(ranks)
    assert rank("professional", "university") > rank("professional", "college")
    assert rank(Dimension.STATE_MANAGEMENT, "principal_specialist") == 3


def test_political_theory_bachelor_counts_as_advanced():
    assert rank(Dimension.POLITICAL_THEORY, "bachelor") == rank(Dimension.POLITICAL_THEORY, "advanced")
    assert rank(Dimension.POLITICAL_THEORY, "bachelor") > rank(Dimension.POLITICAL_THEORY, "intermediate")


def test_it_old_certificates_equal_basic_below_advanced():
    basic = rank(Dimension.IT, "basic")
    assert [rank(Dimension.IT, c) for c in ("certificate_a", "certificate_b", "certificate_c")] == [basic] * 3
    assert rank(Dimension.IT, "advanced") > basic


def test_foreign_language_levels_and_old_certificates():
    assert [rank("foreign_language", f"level_{i}") for i in range(1, 7)] == [1, 2, 3, 4, 5, 6]
    assert rank("foreign_language", "certificate_a") == rank("foreign_language", "level_1")
    assert rank("foreign_language", "certificate_b") == rank("foreign_language", "level_2")
    assert rank("foreign_language", "certificate_c") == rank("foreign_language", "level_3")
    assert rank("foreign_language", "certificate_c") < rank("foreign_language", "level_4")


def test_level_lookup_and_frozen():
    lv = level("general_education", "upper_secondary")
    assert lv == Level(
        Dimension.GENERAL_EDUCATION, "upper_secondary", 3, "Trung học phổ thông", "Upper secondary"
    )
    with pytest.raises(dataclasses.FrozenInstanceError):
        lv.rank = 9  # type: ignore[misc]


def test_unknown_level_message_is_vietnamese():
    with pytest.raises(UnknownLevel) as exc:
        level(Dimension.POLITICAL_THEORY, "xyz")
    assert str(exc.value) == "Trình độ 'xyz' không tồn tại trong thang 'Lý luận chính trị'"
    assert isinstance(exc.value, ValueError)
    assert exc.value.code == "xyz" and exc.value.dimension is Dimension.POLITICAL_THEORY
    # a code valid in one dimension is not valid in another
    with pytest.raises(UnknownLevel):
        rank(Dimension.STATE_MANAGEMENT, "university")


def test_is_valid_level():
    assert is_valid_level("professional", "master")
    assert not is_valid_level("professional", "bachelor")
    assert not is_valid_level("no_such_dimension", "master")
    with pytest.raises(UnknownDimension):
        levels("no_such_dimension")


def test_fields_and_study_modes():
    assert len(FIELDS_OF_STUDY) == 19
    assert FIELDS_OF_STUDY["land_management"] == ("Quản lý đất đai", "Land management")
    assert "other" in FIELDS_OF_STUDY
    assert set(STUDY_MODES) == {"full_time", "in_service", "distance", "bridging"}
    assert STUDY_MODES["full_time"][0] == "Chính quy"


def test_core_modules_do_not_import_django():
    import ast
    from pathlib import Path

    core_dir = Path(scales.__file__).parent
    files = sorted(core_dir.glob("*.py"))
    assert len(files) >= 6
    for path in files:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            assert not any(n.split(".")[0] == "django" for n in names), path.name


def test_speaking_an_ethnic_language_ranks_below_its_certificate():
    assert rank(Dimension.ETHNIC_LANGUAGE, "spoken") < rank(Dimension.ETHNIC_LANGUAGE, "certificate")
