"""The résumé (Mẫu 2C-BNV/2008, Quyết định 02/2008/QĐ-BNV) of a person, filled from the file:
the profile's items, the training table (item 27) from the qualifications and trainings, the
work history (item 28) from the posts, the family tables (item 30) from the family relations,
the salary table (item 31) from the salary history. The pure layout and writers are
:mod:`canbo.core.resume`.

The sensitive parts (:data:`canbo.access.scope.SENSITIVE`: religion, Party, discipline,
health, family) are printed only for a user who may see them in this person's file; otherwise
the item says so and the résumé lists it as withheld. Printing is allowed only to a user whose
scope keeps the file (:func:`may_print`); the views and the command record every print.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.utils import timezone

from canbo.access import scope
from canbo.conduct.models import Discipline
from canbo.core import scales
from canbo.core.formatting import fmt_date
from canbo.core.resume import Item, Line, Resume
from canbo.registry.models import (
    Assignment,
    Award,
    AwardLevel,
    AwardType,
    FamilyMember,
    OrganisationMembership,
    Person,
    Qualification,
    SalaryStep,
    Unit,
    UnitLevel,
)
from canbo.registry.places import chain, unit_place
from canbo.training.models import EnrolmentStatus, TrainingEnrolment

#: What an item says when the user may not see it.
WITHHELD = "(không hiển thị: ngoài quyền xem của người in)"


def may_print(user, person: Person) -> bool:
    """May ``user`` print ``person``'s résumé? Only a user whose scope keeps the file (its
    managing unit; :func:`canbo.access.scope.in_scope`) — an officer who reads the file because
    the person once held a post in their unit does not print the whole file."""
    return scope.may_open(user, "person_resume") and scope.in_scope(user, person)


def _month(d: date | None) -> str:
    return f"{d:%m/%Y}" if d else ""


def _period(start: date | None, end: date | None) -> str:
    return f"{_month(start) or '…'} - {_month(end) or 'nay'}"


def _decimal(value: Decimal | None) -> str:
    return "" if value is None else f"{value:.2f}".replace(".", ",")


def _body_name(unit: Unit | None) -> str:
    """ "UBND xã Đồng Đăng" from a unit named "Xã Đồng Đăng"."""
    if unit is None:
        return ""
    return "UBND " + unit.name[:1].lower() + unit.name[1:]


def _managing_body(unit: Unit) -> str:
    """The body with authority over the unit's cadres: the People's Committee of the level above
    (the district's until 30/6/2025, the province's from 1/7/2025, when the districts were
    abolished — Luật 72/2025/QH15)."""
    return _body_name(unit.parent if unit.parent_id else unit)


def _province(unit: Unit) -> Unit:
    while unit.parent is not None and unit.level != UnitLevel.PROVINCE:
        unit = unit.parent
    return unit


def _highest(quals: list[Qualification], dimension: scales.Dimension) -> Qualification | None:
    best = None
    best_rank = -1
    for q in quals:
        if q.dimension != dimension:
            continue
        try:
            r = scales.rank(dimension, q.level)
        except (ValueError, scales.UnknownLevel):
            continue
        if r > best_rank:
            best, best_rank = q, r
    return best


_LEVEL_ORDER: list[str] = [
    AwardLevel.STATE,
    AwardLevel.GOVERNMENT,
    AwardLevel.PROVINCE,
    AwardLevel.DISTRICT,
    AwardLevel.COMMUNE,
]
_FORM_ORDER: list[str] = [
    AwardType.ORDER,
    AwardType.MEDAL,
    AwardType.EMULATION_TITLE,
    AwardType.CERTIFICATE,
    AwardType.COMMENDATION,
    AwardType.OTHER,
]


def _award_text(awards: list[Award]) -> str:
    """The highest award and its year (item 21), then how many others."""
    if not awards:
        return ""
    best = min(
        awards,
        key=lambda a: (_LEVEL_ORDER.index(a.level), _FORM_ORDER.index(a.form), -a.decided_on.toordinal()),
    )
    text = f"{best.name or best.get_form_display()} ({best.get_level_display()}), năm {best.decided_on.year}"
    if len(awards) > 1:
        text += f"; cùng {len(awards) - 1} khen thưởng khác"
    return text


_SEVERITY = ["extremely_serious", "very_serious", "serious", "less_serious", ""]


def _discipline_text(disciplines: list[Discipline]) -> str:
    if not disciplines:
        return "Không"
    best = min(
        disciplines,
        key=lambda d: (
            _SEVERITY.index(d.severity) if d.severity in _SEVERITY else 9,
            -d.decided_on.toordinal(),
        ),
    )
    return f"{best.get_form_display()} ({best.get_track_display()}), năm {best.decided_on.year}"


def _birth_text(person: Person) -> str:
    d = person.birth_date
    if d is None:
        return ""
    if person.birth_date_precision == "year":
        return f"năm {d.year}"
    if person.birth_date_precision == "month":
        return f"tháng {d:%m} năm {d.year}"
    return f"{d:%d} tháng {d:%m} năm {d.year}"


def build(person: Person, user=None, *, on: date | None = None, printed_by: str = "") -> Resume:
    """The résumé of ``person`` on ``on`` (today) as ``user`` may see it (None: the operator of
    the command line, who sees everything)."""
    on = on or timezone.localdate()

    def allowed(part: str) -> bool:
        return user is None or scope.sensitive_allowed(user, part, person)

    withheld: list[str] = []

    def guarded(part: str, number: str, value: str) -> str:
        if allowed(part):
            return value
        withheld.append(number)
        return WITHHELD

    posts = list(
        Assignment.objects.filter(person=person)
        .select_related("title", "unit__parent__parent")
        .order_by("start", "pk")
    )
    current = [a for a in posts if a.start <= on and (a.end is None or a.end >= on)]
    quals = list(Qualification.objects.filter(person=person).order_by("obtained_on", "pk"))
    trainings = list(
        TrainingEnrolment.objects.filter(person=person)
        .exclude(status__in=[EnrolmentStatus.PLANNED, EnrolmentStatus.DROPPED])
        .order_by("start", "pk")
    )
    steps = list(SalaryStep.objects.filter(person=person).order_by("valid_from", "pk"))
    salary_now = next((s for s in reversed(steps) if s.valid_from <= on), None)
    memberships = list(OrganisationMembership.objects.filter(person=person).order_by("joined_on", "pk"))
    awards = list(Award.objects.filter(person=person).order_by("decided_on", "pk"))
    disciplines = list(Discipline.objects.filter(person=person).order_by("decided_on", "pk"))
    family = list(FamilyMember.objects.filter(person=person)) if allowed("family") else []
    unit = Unit.objects.select_related("parent__parent").get(pk=person.managing_unit_id)

    def q_text(dimension: scales.Dimension, with_field: bool = False) -> str:
        q = _highest(quals, dimension)
        if q is None:
            return ""
        text = str(q) if with_field else scales.level(dimension, q.level).label_vi
        return text

    head = [
        Line((Item("1", "Họ và tên khai sinh (viết chữ in hoa)", person.full_name.upper()),)),
        Line((Item("2", "Tên gọi khác", person.other_names),)),
        Line(
            (
                Item("3", "Sinh ngày", _birth_text(person)),
                Item("3b", "Giới tính (nam, nữ)", person.get_sex_display()),
            )
        ),
        Line((Item("4", "Nơi sinh", unit_place(person.birth_place_unit, person.birth_place)),)),
        Line((Item("5", "Quê quán", unit_place(person.home_town_unit, person.home_town)),)),
    ]
    rank = salary_now.rank_name if salary_now else ""
    body = [
        Line(
            (
                Item("6", "Dân tộc", person.get_ethnicity_display()),
                Item("7", "Tôn giáo", guarded("religion", "7", person.religion)),
            )
        ),
        Line(
            (
                Item(
                    "8",
                    "Nơi đăng ký hộ khẩu thường trú (Số nhà, đường phố, thành phố, xóm, thôn, xã, huyện, tỉnh)",
                    person.permanent_address,
                ),
            )
        ),
        Line(
            (
                Item(
                    "9",
                    "Nơi ở hiện nay (Số nhà, đường phố, thành phố, xóm, thôn, xã, huyện, tỉnh)",
                    person.current_address,
                ),
            )
        ),
        Line((Item("10", "Nghề nghiệp khi được tuyển dụng", person.recruited_occupation),)),
        Line(
            (
                Item("11", "Ngày tuyển dụng", fmt_date(person.recruited_on)),
                Item("11b", "Cơ quan tuyển dụng", person.recruiting_agency),
            )
        ),
        Line(
            (
                Item(
                    "12",
                    "Chức vụ (chức danh) hiện tại (Về chính quyền hoặc Đảng, đoàn thể, kể cả chức vụ kiêm nhiệm)",
                    "; ".join(
                        f"{a.title.name}, {a.unit.name}" + (" (kiêm nhiệm)" if a.is_concurrent else "")
                        for a in current
                    ),
                ),
            )
        ),
        Line((Item("13", "Công việc chính được giao", person.main_duties),)),
        Line(
            (
                Item("14", "Ngạch công chức (viên chức)", rank),
                Item("14b", "Mã ngạch", salary_now.rank_code if salary_now else ""),
                Item("14c", "Bậc lương", str(salary_now.step) if salary_now else ""),
                Item("14d", "Hệ số", _decimal(salary_now.coefficient) if salary_now else ""),
                Item("14e", "Ngày hưởng", fmt_date(salary_now.valid_from) if salary_now else ""),
                Item("14f", "Phụ cấp chức vụ", _decimal(salary_now.position_allowance) if salary_now else ""),
                Item("14g", "Phụ cấp khác", salary_now.other_allowances if salary_now else ""),
            )
        ),
        Line(
            (
                Item(
                    "15.1",
                    "Trình độ giáo dục phổ thông (đã tốt nghiệp lớp mấy/thuộc hệ nào)",
                    q_text(scales.Dimension.GENERAL_EDUCATION),
                ),
            )
        ),
        Line(
            (
                Item(
                    "15.2",
                    "Trình độ chuyên môn cao nhất (TSKH, TS, Ths, cử nhân, kỹ sư, cao đẳng, trung cấp, sơ cấp, chuyên ngành)",
                    q_text(scales.Dimension.PROFESSIONAL, with_field=True),
                ),
            )
        ),
        Line(
            (
                Item(
                    "15.3",
                    "Lý luận chính trị (Cao cấp, trung cấp, sơ cấp và tương đương)",
                    q_text(scales.Dimension.POLITICAL_THEORY),
                ),
                Item(
                    "15.4",
                    "Quản lý nhà nước (chuyên viên cao cấp, chuyên viên chính, chuyên viên, cán sự, …)",
                    q_text(scales.Dimension.STATE_MANAGEMENT),
                ),
            )
        ),
        Line(
            (
                Item(
                    "15.5",
                    "Ngoại ngữ (Anh, Pháp, Nga, Trung, … - trình độ A, B, C, D …)",
                    q_text(scales.Dimension.FOREIGN_LANGUAGE, with_field=True),
                ),
                Item("15.6", "Tin học (trình độ A, B, C, …)", q_text(scales.Dimension.IT)),
            )
        ),
        Line(
            (
                Item(
                    "16",
                    "Ngày vào Đảng Cộng sản Việt Nam",
                    guarded(
                        "party",
                        "16",
                        fmt_date(person.party_joined_on, precision=person.party_joined_on_precision),
                    ),
                ),
                Item(
                    "16b",
                    "Ngày chính thức",
                    guarded(
                        "party",
                        "16",
                        fmt_date(person.party_confirmed_on, precision=person.party_confirmed_on_precision),
                    ),
                ),
            )
        ),
        Line(
            (
                Item(
                    "17",
                    "Ngày tham gia tổ chức chính trị - xã hội (Ngày tham gia tổ chức: Đoàn, Hội, … và làm việc gì trong tổ chức đó)",
                    "; ".join(
                        f"{fmt_date(m.joined_on)}: {m.organisation_name or m.get_organisation_display()}"
                        + (f", {m.role}" if m.role else "")
                        for m in memberships
                    ),
                ),
            )
        ),
        Line(
            (
                Item("18", "Ngày nhập ngũ", fmt_date(person.enlisted_on)),
                Item("18b", "Ngày xuất ngũ", fmt_date(person.discharged_on)),
                Item("18c", "Quân hàm cao nhất", person.military_rank),
            )
        ),
        Line(
            (
                Item(
                    "19",
                    "Danh hiệu được phong tặng cao nhất (Anh hùng lao động, anh hùng lực lượng vũ trang; nhà giáo, thầy thuốc, nghệ sĩ nhân dân và ưu tú, …)",
                    person.honorary_title,
                ),
            )
        ),
        Line((Item("20", "Sở trường công tác", person.strengths),)),
        Line((Item("21", "Khen thưởng (hình thức cao nhất, năm nào)", _award_text(awards)),)),
        Line(
            (
                Item(
                    "22",
                    "Kỷ luật (đảng, chính quyền, đoàn thể, hình thức cao nhất, năm nào)",
                    guarded("discipline", "22", _discipline_text(disciplines)),
                ),
            )
        ),
        Line(
            (
                Item("23", "Tình trạng sức khỏe", guarded("health", "23", person.health_status)),
                Item(
                    "23b",
                    "Chiều cao",
                    guarded("health", "23", f"{person.height_cm} cm" if person.height_cm else ""),
                ),
                Item(
                    "23c",
                    "Cân nặng",
                    guarded("health", "23", f"{person.weight_kg} kg" if person.weight_kg else ""),
                ),
                Item("23d", "Nhóm máu", guarded("health", "23", person.blood_group)),
            )
        ),
        Line(
            (
                Item("24", "Là thương binh hạng", guarded("health", "24", person.war_invalid_rank)),
                Item(
                    "24b",
                    "Là con gia đình chính sách (Con thương binh, con liệt sĩ, người nhiễm chất độc da cam Dioxin)",
                    guarded("health", "24", person.policy_family),
                ),
            )
        ),
        Line(
            (
                Item("25", "Số căn cước (chứng minh nhân dân)", person.identity_number or ""),
                Item("25b", "Ngày cấp", fmt_date(person.identity_issued_on)),
                Item("25c", "Nơi cấp", person.identity_issued_by),
            )
        ),
        Line((Item("26", "Số sổ BHXH", person.social_insurance_number),)),
    ]

    training: list[tuple[str, str, str, str, str]] = []
    for q in quals:
        if q.dimension == scales.Dimension.GENERAL_EDUCATION:
            continue
        training.append(
            (
                q.institution,
                q.get_field_of_study_display() if q.field_of_study else q.get_dimension_display(),
                f"… - {_month(q.obtained_on)}" if q.obtained_on else "",
                q.get_study_mode_display() if q.study_mode else "",
                str(q),
            )
        )
    for t in trainings:
        training.append(
            (
                t.institution,
                t.course_name,
                _period(t.start, t.end),
                "Bồi dưỡng" if t.kind == "professional" else t.get_kind_display(),
                t.result or t.get_status_display(),
            )
        )
    work = [
        (
            _period(a.start, a.end),
            f"{a.title.name}, {chain(a.unit)}" + (" (kiêm nhiệm)" if a.is_concurrent else ""),
        )
        for a in posts
    ]

    def family_row(f: FamilyMember) -> tuple[str, str, str, str]:
        details = "; ".join(
            x
            for x in (
                f.home_town and f"Quê quán: {f.home_town}",
                f.occupation,
                f.residence and f"Nơi ở: {f.residence}",
            )
            if x
        )
        return (
            f.get_relation_display(),
            f.full_name + (" (đã mất)" if f.is_deceased else ""),
            str(f.birth_year or ""),
            details,
        )

    resume = Resume(
        managing_body=_managing_body(unit),
        using_body=_body_name(unit),
        staff_number="",
        head=head,
        body=body,
        training=training,
        work=work,
        self_history=guarded("party", "29", person.self_history),
        family_own=[family_row(f) for f in family if not f.spouse_side],
        family_spouse=[family_row(f) for f in family if f.spouse_side],
        salary=[(_month(s.valid_from), f"{s.rank_code}/{s.step}", _decimal(s.coefficient)) for s in steps],
        place=_province(unit).name.removeprefix("Tỉnh ").removeprefix("Thành phố "),
        printed_by=printed_by,
        declarant=person.full_name,
    )
    if not allowed("family"):
        withheld.append("30")
        resume.family_own = [("", WITHHELD, "", "")]
    resume.withheld = sorted(set(withheld), key=lambda n: float(n))
    return resume
