"""One source for each vocabulary (canbo.core.vocab): the Django choices and the rule loader's
codes are derived from it, and give exactly what they gave before."""

from __future__ import annotations

from django.utils import translation

from canbo.conduct.models import PARTY_FORMS, DisciplineForm, Rating, Track
from canbo.core import vocab
from canbo.core.standards import rules
from canbo.registry.models import AreaFlag, AssignmentStart, Sex, TitleKind, UnitClass, UnitKind


def test_the_rule_loaders_codes_come_from_the_vocabularies():
    assert {
        "mountainous",
        "highland",
        "border",
        "island",
        "remote",
        "ethnic_minority",
        "especially_difficult",
    } == rules.AREA_FLAGS
    assert {"commune", "ward", "township", "special_zone"} == rules.UNIT_KINDS
    assert rules.UNIT_CLASSES == ("special", "class_1", "class_2", "class_3")
    assert {"cadre", "civil_servant", "non_professional", "job_position"} == rules.TITLE_KINDS
    assert {
        "elected",
        "appointed",
        "recruited",
        "transferred",
        "rotated",
        "seconded",
        "placed",
    } == rules.START_REASONS
    assert {
        "reprimand",
        "warning",
        "salary_step_reduction",
        "demotion",
        "removal_from_post",
        "dismissal_from_office",
        "forced_dismissal",
        "expulsion",
    } == rules.DISCIPLINE_FORMS
    assert rules.RATINGS == ("not_completed", "completed", "good", "excellent")
    assert all(type(code) is str for code in [*rules.AREA_FLAGS, *rules.RATINGS, *rules.UNIT_KINDS])


def test_the_django_choices_keep_their_values_and_vietnamese_labels():
    with translation.override("vi"):
        assert [(v, str(label)) for v, label in AreaFlag.choices] == [
            ("mountainous", "Miền núi"),
            ("highland", "Vùng cao"),
            ("border", "Biên giới"),
            ("island", "Hải đảo"),
            ("remote", "Vùng sâu, vùng xa"),
            ("ethnic_minority", "Vùng đồng bào dân tộc thiểu số"),
            ("especially_difficult", "Xã đặc biệt khó khăn"),
        ]
        assert [(v, str(label)) for v, label in Rating.choices][:2] == [
            ("excellent", "Hoàn thành xuất sắc nhiệm vụ"),
            ("good", "Hoàn thành tốt nhiệm vụ"),
        ]
        assert str(DisciplineForm.DISMISSAL_FROM_OFFICE.label) == "Bãi nhiệm"
        assert str(UnitKind.RURAL_DISTRICT.label) == "Huyện"
        assert str(Sex.FEMALE.label) == "Nữ"
    assert AssignmentStart.PLACED == "placed" and TitleKind.JOB_POSITION == "job_position"
    assert UnitClass.values == ["special", "class_1", "class_2", "class_3"]
    assert Track.values == ["party", "administrative"]


def test_the_english_labels_are_those_of_the_catalogue():
    with translation.override("en"):
        assert str(AreaFlag.REMOTE.label) == "Remote area"
        assert str(Rating.NOT_RATED.label) == "Not rated (in service for less than 6 months)"
        assert str(DisciplineForm.EXPULSION.label) == "Expulsion from the Party"
        assert str(UnitKind.RURAL_DISTRICT.label) == "District"


def test_party_forms():
    assert {"reprimand", "warning", "removal_from_post", "expulsion"} == PARTY_FORMS
    assert DisciplineForm.SALARY_STEP_REDUCTION not in PARTY_FORMS


def test_a_vocabulary_member_is_its_code():
    assert vocab.AreaFlag("border") is vocab.AreaFlag.BORDER
    assert vocab.AreaFlag.BORDER == "border" and f"{vocab.AreaFlag.BORDER}" == "border"
    assert vocab.AreaFlag.BORDER.label("en") == "Border" and vocab.AreaFlag.BORDER.label() == "Biên giới"
