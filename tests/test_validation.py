"""Bad input (issue 2, "Bad input"): model validation rejects impossible data
with a clear Vietnamese message on the right field; valid records pass."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from canbo.access.models import Role, User
from canbo.conduct.models import Discipline, Evaluation, Inspection
from canbo.core.identity import make_identity_number
from canbo.registry.models import Assignment, Person, Qualification, Unit, UnitLineage
from canbo.succession.models import SuccessionEntry
from canbo.training.models import TrainingEnrolment

REFORM = date(2025, 7, 1)
LEGACY_END = date(2025, 6, 30)


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


def errors_of(obj) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as info:
        obj.full_clean()
    return info.value.message_dict


def assert_rejected(obj, field: str, *fragments: str) -> None:
    """``obj.full_clean()`` fails on ``field`` with a message holding every fragment."""
    errors = errors_of(obj)
    assert field in errors, errors
    text = " ".join(errors[field])
    for fragment in fragments:
        assert fragment in text, (fragment, errors)


@pytest.fixture
def person(units) -> Person:
    return Person.objects.create(
        identity_number=make_identity_number(20, 1980, "male", 4242),
        family_name="Hoàng",
        middle_name="Văn",
        given_name="Hải",
        birth_date=date(1980, 5, 17),
        sex="male",
        ethnicity="07",  # Nùng
        managing_unit=units.baolam,
    )


def assignment(person, unit, title, start, end=None, **kw) -> Assignment:
    defaults = {"start_reason": "appointed", "end_reason": "term_end" if end else ""}
    defaults.update(kw)
    return Assignment(person=person, unit=unit, title=title, start=start, end=end, **defaults)


# --------------------------------------------------------------------------- valid records pass


def test_valid_records_pass(person, units, titles):
    records: list = [
        assignment(
            person, units.baolam, titles["TP_HT"], date(2010, 1, 1), LEGACY_END, end_reason="unit_merged"
        ),
        assignment(person, units.dongdang, titles["CV_TP"], REFORM, start_reason="placed"),
        assignment(person, units.baolam, titles["CT_UBND"], date(2021, 6, 1), date(2024, 5, 31)),
        Qualification(
            person=person, dimension="political_theory", level="intermediate", obtained_on=date(2012, 12, 1)
        ),
        Qualification(
            person=person,
            dimension="professional",
            level="university",
            field_of_study="law",
            obtained_on=date(2005, 7, 1),
        ),
        Qualification(
            person=person, dimension="general_education", level="upper_secondary", is_remedial=True
        ),
        Evaluation(person=person, year=2025, rating="good", score=Decimal("85.50")),
        Evaluation(person=person, year=2024, rating="excellent"),
        Discipline(
            person=person,
            track="party",
            form="expulsion",
            decided_on=date(2015, 3, 2),
            authority="Huyện ủy Cao Lộc",
            decision_number="12-QĐ/HU",
            severity="very_serious",
        ),
        Discipline(
            person=person,
            track="administrative",
            form="warning",
            decided_on=date(2016, 3, 2),
            authority="UBND huyện Cao Lộc",
            decision_number="15/QĐ-UBND",
        ),
        Inspection(
            person=person,
            authority="UBKT",
            subject="Đất đai",
            started_on=date(2015, 1, 1),
            concluded_on=date(2015, 2, 1),
        ),
        TrainingEnrolment(
            person=person,
            course_name="Đại học Luật",
            kind="degree",
            target_dimension="professional",
            target_level="university",
            start=date(2016, 9, 1),
            end=date(2020, 6, 30),
            status="completed",
        ),
        SuccessionEntry(
            person=person,
            title=titles["CT_UBND"],
            unit=units.dongdang,
            term_start_year=2026,
            term_end_year=2031,
            tier="tier_1",
            added_on=date(2025, 10, 1),
        ),
    ]
    # A person known only by birth year, with no identification number yet.
    records.append(
        Person(
            family_name="Lục",
            given_name="Nhì",
            birth_date=date(1962, 1, 1),
            birth_date_precision="year",
            sex="female",
            managing_unit=units.thanhloa,
        )
    )
    refused = {}
    for obj in [person, *records]:
        try:
            obj.full_clean()
        except ValidationError as e:
            refused[f"{type(obj).__name__} {obj}"] = e.message_dict
    assert refused == {}


# --------------------------------------------------------------------------- assignments


def test_assignment_ending_before_it_starts(person, units, titles):
    a = assignment(person, units.baolam, titles["CT_UBND"], date(2020, 5, 1), date(2019, 5, 1))
    assert_rejected(a, "end", "không được trước", "01/05/2020", "01/05/2019")


def test_assignment_to_a_new_commune_before_it_existed(person, units, titles):
    a = assignment(person, units.dongdang, titles["CT_UBND"], date(2020, 1, 1))
    assert_rejected(a, "unit", "không tồn tại vào ngày 01/01/2020", "Xã Đồng Đăng")


def test_assignment_to_a_legacy_commune_after_it_was_merged(person, units, titles):
    a = assignment(person, units.baolam, titles["CT_UBND"], date(2025, 8, 1))
    assert_rejected(a, "unit", "không tồn tại vào ngày 01/08/2025", "Xã Bảo Lâm")


def test_assignment_outliving_its_legacy_commune(person, units, titles):
    a = assignment(person, units.baolam, titles["CT_UBND"], date(2021, 6, 1))  # no end: still running
    assert_rejected(a, "end", "chấm dứt ngày 30/06/2025")


def test_assignment_to_a_district(person, units, titles):
    a = assignment(person, units.caoloc, titles["CT_UBND"], date(2021, 6, 1), date(2024, 1, 1))
    assert_rejected(a, "unit", "cấp xã")


@pytest.mark.parametrize(
    ("code", "unit", "start"),
    [("CV_TP", "baolam", date(2020, 1, 1)), ("TP_HT", "dongdang", date(2025, 8, 1))],
)
def test_assignment_to_a_title_not_in_force(person, units, titles, code, unit, start):
    a = assignment(person, getattr(units, unit), titles[code], start)
    assert_rejected(a, "title", "không có hiệu lực vào ngày", start.strftime("%d/%m/%Y"), titles[code].name)


def test_assignment_before_birth(person, units, titles):
    a = assignment(person, units.baolam, titles["CT_UBND"], date(1979, 1, 1), date(1980, 1, 1))
    assert_rejected(a, "start", "trước ngày sinh")


def test_assignment_before_the_age_of_18(person, units, titles):
    # Born 17/05/1990: 18 on 17/05/2008 (the rule set's minimum age in 2008: QĐ 04/2004/QĐ-BNV).
    person.birth_date = date(1990, 5, 17)
    person.identity_number = make_identity_number(20, 1990, "male", 4242)
    person.save()
    assert_rejected(
        assignment(person, units.baolam, titles["VP_TK"], date(2008, 5, 16)),
        "start",
        "chưa đủ 18 tuổi",
        "16/05/2008",
        "QĐ 04/2004/QĐ-BNV",
    )
    assert "start" not in errors_of(assignment(person, units.baolam, titles["VP_TK"], date(2008, 5, 17)))


def test_assignment_before_the_age_of_18_names_the_rule(person, units, titles):
    # The minimum age is the rule set's: on 01/08/2025 Law 80/2025 Art. 19(1)(c).
    person.birth_date = date(2007, 8, 2)
    person.identity_number = make_identity_number(20, 2007, "male", 4242)
    person.save()
    a = assignment(person, units.dongdang, titles["CV_TP"], date(2025, 8, 1))
    assert_rejected(a, "start", "chưa đủ 18 tuổi vào ngày 01/08/2025", "Luật 80/2025/QH15, Điều 19")
    assignment(person, units.dongdang, titles["CV_TP"], date(2025, 8, 2)).full_clean()


def test_assignment_age_with_a_year_only_birth_is_not_guessed(person, units, titles):
    # Born in 1990, known to the year: on 16/05/2008 the person may be 17 or 18 — not rejected;
    # on 31/12/2007 every birth date in 1990 gives 17 — rejected.
    person.birth_date, person.birth_date_precision = date(1990, 1, 1), "year"
    person.identity_number = make_identity_number(20, 1990, "male", 4242)
    person.save()
    assert "start" not in errors_of(assignment(person, units.baolam, titles["VP_TK"], date(2008, 5, 16)))
    assert_rejected(
        assignment(person, units.baolam, titles["VP_TK"], date(2007, 12, 31)), "start", "chưa đủ 18 tuổi"
    )


def test_party_admission_before_18(person):
    # Born 29/02/2000: 18 on 01/03/2018, not on 28/02 (Civil Code 2015 Art. 147–148);
    # the minimum age is the Party Charter's (rule dl-dang-2011).
    person.birth_date = date(2000, 2, 29)
    person.identity_number = make_identity_number(20, 2000, "male", 4242)
    person.party_joined_on = date(2018, 2, 28)
    assert_rejected(
        person, "party_joined_on", "Ngày vào Đảng 28/02/2018", "chưa đủ 18 tuổi", "Điều lệ Đảng 2011"
    )
    person.party_joined_on = date(2018, 3, 1)
    person.full_clean()


def test_assignment_end_needs_a_reason(person, units, titles):
    a = assignment(person, units.baolam, titles["CT_UBND"], date(2020, 1, 1), date(2021, 1, 1), end_reason="")
    assert_rejected(a, "end_reason", "lý do kết thúc")


# --------------------------------------------------------------------------- birth and qualification dates


def test_qualification_before_birth(person):
    q = Qualification(
        person=person, dimension="professional", level="intermediate", obtained_on=date(1979, 6, 1)
    )
    assert_rejected(q, "obtained_on", "trước ngày sinh 17/05/1980", "Hoàng Văn Hải")


def test_birth_date_moved_after_an_existing_qualification(person):
    Qualification.objects.create(
        person=person, dimension="professional", level="intermediate", obtained_on=date(2000, 6, 1)
    )
    person.identity_number = None  # so that only the date conflict is reported
    person.birth_date = date(2001, 1, 1)
    assert_rejected(person, "birth_date", "sau ngày cấp văn bằng", "01/06/2000")


def test_birth_date_in_the_future(person):
    person.identity_number = None
    person.birth_date = timezone.localdate() + timedelta(days=3)
    assert_rejected(person, "birth_date", "ở tương lai")


def test_qualification_in_the_future(person):
    q = Qualification(
        person=person, dimension="it", level="basic", obtained_on=timezone.localdate() + timedelta(days=30)
    )
    assert_rejected(q, "obtained_on", "ở tương lai")


# --------------------------------------------------------------------------- identification numbers


def test_identity_number_with_the_wrong_birth_year(person):
    person.identity_number = make_identity_number(20, 1981, "male", 4242)
    assert_rejected(person, "identity_number", "năm sinh", "1980")


def test_identity_number_with_the_wrong_century(person):
    person.identity_number = make_identity_number(
        20, 2080, "male", 4242
    )  # same two year digits, 21st century
    assert_rejected(person, "identity_number", "chữ số thứ 4")


def test_identity_number_with_the_wrong_sex(person):
    person.sex = "female"
    assert_rejected(person, "identity_number", "giới tính", "nữ")


@pytest.mark.parametrize("number", ["02008000424", "0200800004242", "02008O004242", "020 80004242"])
def test_identity_number_malformed(person, number):
    person.identity_number = number
    errors = errors_of(person)
    assert "identity_number" in errors
    text = " ".join(errors["identity_number"])
    assert "12 chữ số" in text or "không phải chữ số" in text


def test_identity_number_with_an_unknown_province(person):
    person.identity_number = "099" + make_identity_number(20, 1980, "male", 4242)[3:]
    assert_rejected(person, "identity_number", "mã tỉnh")


def test_identity_number_unique(person, units):
    twin = Person(
        identity_number=person.identity_number,
        family_name="Hoàng",
        given_name="Hà",
        sex="male",
        birth_date=date(1980, 2, 2),
        managing_unit=units.baolam,
    )
    assert "identity_number" in errors_of(twin)


# --------------------------------------------------------------------------- qualifications and training


@pytest.mark.parametrize(
    ("dimension", "level"),
    [
        ("political_theory", "university"),
        ("general_education", "master"),
        ("it", "level_3"),
        ("state_management", "advanced"),
    ],
)
def test_qualification_level_not_on_its_dimension(person, dimension, level):
    q = Qualification(person=person, dimension=dimension, level=level, obtained_on=date(2010, 1, 1))
    assert_rejected(q, "level", f"'{level}'", "không tồn tại")


def test_remedial_only_for_general_education(person):
    q = Qualification(person=person, dimension="professional", level="intermediate", is_remedial=True)
    assert_rejected(q, "is_remedial", "Bổ túc văn hóa")


def test_enrolment_target_level_not_on_its_dimension(person):
    e = TrainingEnrolment(
        person=person,
        course_name="Cao cấp LLCT",
        kind="political_theory",
        target_dimension="political_theory",
        target_level="university",
        start=date(2018, 1, 1),
    )
    assert_rejected(e, "target_level", "Trình độ không thuộc lĩnh vực")


def test_completed_enrolment_needs_an_end(person):
    e = TrainingEnrolment(
        person=person, course_name="Tin học", kind="it", start=date(2018, 1, 1), status="completed"
    )
    assert_rejected(e, "end", "ngày kết thúc")


# --------------------------------------------------------------------------- evaluations and discipline


@pytest.mark.parametrize("score", [Decimal("100.01"), Decimal("-1"), Decimal("250")])
def test_evaluation_score_out_of_range(person, score):
    e = Evaluation(person=person, year=2025, rating="good", score=score)
    assert_rejected(e, "score", "từ 0 đến 100")


def test_evaluation_for_a_future_year(person):
    e = Evaluation(person=person, year=timezone.localdate().year + 1, rating="good")
    assert_rejected(e, "year", "chưa tới")


def test_expulsion_is_not_an_administrative_discipline(person):
    d = Discipline(
        person=person,
        track="administrative",
        form="expulsion",
        decided_on=date(2015, 3, 2),
        authority="UBND huyện",
        decision_number="1/QĐ",
    )
    assert_rejected(d, "form", "Khai trừ", "kỷ luật Đảng")


def test_forced_dismissal_is_not_a_party_discipline(person):
    d = Discipline(
        person=person,
        track="party",
        form="forced_dismissal",
        decided_on=date(2015, 3, 2),
        authority="Huyện ủy",
        decision_number="1-QĐ/HU",
    )
    assert_rejected(d, "form", "kỷ luật Đảng")


def test_discipline_decided_in_the_future(person):
    d = Discipline(
        person=person,
        track="party",
        form="warning",
        decided_on=timezone.localdate() + timedelta(days=1),
        authority="Huyện ủy",
        decision_number="1-QĐ/HU",
    )
    assert_rejected(d, "decided_on", "tương lai")


def test_succession_only_for_leadership_titles(person, units, titles):
    s = SuccessionEntry(
        person=person,
        title=titles["TP_HT"],
        unit=units.baolam,
        term_start_year=2020,
        term_end_year=2025,
        tier="tier_2",
        added_on=date(2021, 1, 1),
    )
    assert_rejected(s, "title", "lãnh đạo")


def test_party_membership_dates(person):
    person.party_joined_on = date(2010, 1, 1)
    person.party_confirmed_on = date(2009, 1, 1)
    assert_rejected(person, "party_confirmed_on", "không được trước")


# --------------------------------------------------------------------------- units and users


def test_lineage_must_link_an_ended_unit_to_a_living_one(units):
    # The old commune was still in force on the date given for the merger.
    link = UnitLineage(predecessor=units.baolam, successor=units.dongdang, date=date(2025, 6, 1))
    assert_rejected(link, "date", "hết hiệu lực trước ngày sắp xếp")
    # The new commune did not exist yet on the date given.
    link = UnitLineage(predecessor=units.thanhloa, successor=units.dongdang, date=date(2024, 6, 1))
    assert "date" in errors_of(link)
    # The real link passes.
    UnitLineage(predecessor=units.thanhloa, successor=units.dongdang, date=REFORM).full_clean()


def test_unit_cannot_outlive_its_parent(units):
    u = Unit(code="99998", name="Xã Thử", level="commune_level", kind="commune", parent=units.caoloc)
    assert_rejected(u, "valid_to", "đơn vị cấp trên")


def test_officer_needs_a_scope_of_the_right_level(units):
    assert_rejected(
        User(username="khong_pham_vi", role=Role.UNIT_OFFICER, password="x"), "scope_unit", "đơn vị phạm vi"
    )
    assert_rejected(
        User(username="tinh_sai", role=Role.PROVINCE_OFFICER, scope_unit=units.dongdang, password="x"),
        "scope_unit",
        "tỉnh",
    )
    User(username="tinh_dung", role=Role.PROVINCE_OFFICER, scope_unit=units.p20, password="x").full_clean()
    User(username="quan_tri", role=Role.SYSTEM_ADMIN, is_superuser=True, password="x").full_clean()
