"""The closed vocabularies of the records, defined once (issue 9 item 10): each code with its
Vietnamese and English label. The Django model choices (``canbo.common.choices.text_choices``)
and the rule loader's vocabularies (:mod:`canbo.core.standards.rules`) are derived from these
classes, so a code added here is known to both. The qualification levels and dimensions are in
:mod:`canbo.core.scales`.

Sources: area flags — Decree 33/2023/NĐ-CP Art. 8(4), Art. 10; unit classes — Resolution
1211/2016/UBTVQH13, Decree 307/2025/NĐ-CP; title kinds — Law 22/2008 Art. 4, Law 80/2025;
ratings — Decree 90/2020/NĐ-CP, Law 80/2025 Art. 26; discipline forms — Law 22/2008 Art. 78–79
(amended 2019), Party Regulation 69-QĐ/TW.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = [
    "AreaFlag",
    "AssignmentStart",
    "DisciplineForm",
    "DisciplineTrack",
    "Rating",
    "Sex",
    "TitleKind",
    "UnitClass",
    "UnitKind",
    "Vocabulary",
]


class Vocabulary(StrEnum):
    """A code (the member's value, as stored and written in the rule files) with its labels."""

    vi: str
    en: str

    def __new__(cls, value: str, vi: str, en: str):
        member = str.__new__(cls, value)
        member._value_ = value
        member.vi = vi
        member.en = en
        return member

    def label(self, lang: str = "vi") -> str:
        return self.en if lang == "en" else self.vi

    @classmethod
    def ordered(cls) -> tuple[str, ...]:
        """Every code, in the order defined."""
        return tuple(m.value for m in cls)

    @classmethod
    def codes(cls) -> frozenset[str]:
        """Every code of the vocabulary."""
        return frozenset(m.value for m in cls)


class AreaFlag(Vocabulary):
    """Area designations of a unit, which open the difficult-area exceptions."""

    MOUNTAINOUS = "mountainous", "Miền núi", "Mountainous"
    HIGHLAND = "highland", "Vùng cao", "Highland"
    BORDER = "border", "Biên giới", "Border"
    ISLAND = "island", "Hải đảo", "Island"
    REMOTE = "remote", "Vùng sâu, vùng xa", "Remote area"
    ETHNIC_MINORITY = "ethnic_minority", "Vùng đồng bào dân tộc thiểu số", "Ethnic-minority area"
    ESPECIALLY_DIFFICULT = "especially_difficult", "Xã đặc biệt khó khăn", "Especially difficult commune"


class UnitClass(Vocabulary):
    """The class of an administrative unit (order: special first)."""

    SPECIAL = "special", "Loại đặc biệt", "Special class"
    CLASS_1 = "class_1", "Loại I", "Class I"
    CLASS_2 = "class_2", "Loại II", "Class II"
    CLASS_3 = "class_3", "Loại III", "Class III"


class UnitKind(Vocabulary):
    """The kinds of administrative unit."""

    PROVINCE = "province", "Tỉnh", "Province"
    CITY = "centrally_run_city", "Thành phố trực thuộc trung ương", "Centrally-run city"
    RURAL_DISTRICT = "rural_district", "Huyện", "District"
    URBAN_DISTRICT = "urban_district", "Quận", "Urban district"
    TOWN = "district_town", "Thị xã", "District-level town"
    PROVINCIAL_CITY = "provincial_city", "Thành phố thuộc tỉnh", "Provincial city"
    COMMUNE = "commune", "Xã", "Commune"
    WARD = "ward", "Phường", "Ward"
    TOWNSHIP = "township", "Thị trấn", "Township"
    SPECIAL_ZONE = "special_zone", "Đặc khu", "Special zone"

    @classmethod
    def commune_level(cls) -> frozenset[str]:
        """The kinds of a commune-level unit (the units the standards and quotas apply to)."""
        return frozenset(m.value for m in (cls.COMMUNE, cls.WARD, cls.TOWNSHIP, cls.SPECIAL_ZONE))


class TitleKind(Vocabulary):
    """What kind of post a title is."""

    CADRE = "cadre", "Cán bộ (bầu cử)", "Cadre (elected)"
    CIVIL_SERVANT = "civil_servant", "Công chức", "Civil servant"
    NON_PROFESSIONAL = "non_professional", "Người hoạt động không chuyên trách", "Non-professional worker"
    JOB_POSITION = "job_position", "Vị trí việc làm (từ 01/07/2025)", "Job position (from 01/07/2025)"


class AssignmentStart(Vocabulary):
    """How a person came to hold a post."""

    ELECTED = "elected", "Bầu cử", "Election"
    APPOINTED = "appointed", "Bổ nhiệm", "Appointment"
    RECRUITED = "recruited", "Tuyển dụng", "Recruitment"
    TRANSFERRED = "transferred", "Điều động", "Transfer"
    ROTATED = "rotated", "Luân chuyển", "Rotation"
    SECONDED = "seconded", "Biệt phái", "Secondment"
    PLACED = "placed", "Sắp xếp, bố trí (sáp nhập đơn vị)", "Placement (unit merger)"


class Sex(Vocabulary):
    MALE = "male", "Nam", "Male"
    FEMALE = "female", "Nữ", "Female"


class Rating(Vocabulary):
    """The annual rating (xếp loại chất lượng), best first; ``not_rated`` for under 6 months."""

    EXCELLENT = "excellent", "Hoàn thành xuất sắc nhiệm vụ", "Completed duties excellently"
    GOOD = "good", "Hoàn thành tốt nhiệm vụ", "Completed duties well"
    COMPLETED = "completed", "Hoàn thành nhiệm vụ", "Completed duties"
    NOT_COMPLETED = "not_completed", "Không hoàn thành nhiệm vụ", "Did not complete duties"
    NOT_RATED = (
        "not_rated",
        "Không xếp loại (công tác dưới 6 tháng)",
        "Not rated (in service for less than 6 months)",
    )

    @classmethod
    def ranked(cls) -> tuple[str, ...]:
        """The four ratings a rule may ask for, lowest first (``not_rated`` is no rating)."""
        return tuple(m.value for m in (cls.NOT_COMPLETED, cls.COMPLETED, cls.GOOD, cls.EXCELLENT))


class DisciplineTrack(Vocabulary):
    PARTY = "party", "Kỷ luật Đảng", "Party discipline"
    ADMINISTRATIVE = "administrative", "Kỷ luật hành chính", "Administrative discipline"


class DisciplineForm(Vocabulary):
    """The forms of discipline, lightest first."""

    REPRIMAND = "reprimand", "Khiển trách", "Reprimand"
    WARNING = "warning", "Cảnh cáo", "Warning"
    SALARY_STEP_REDUCTION = "salary_step_reduction", "Hạ bậc lương", "Salary-step reduction"
    DEMOTION = "demotion", "Giáng chức", "Demotion"
    REMOVAL_FROM_POST = "removal_from_post", "Cách chức", "Removal from post"
    DISMISSAL_FROM_OFFICE = "dismissal_from_office", "Bãi nhiệm", "Dismissal from elected office"
    FORCED_DISMISSAL = "forced_dismissal", "Buộc thôi việc", "Forced dismissal"
    EXPULSION = "expulsion", "Khai trừ khỏi Đảng", "Expulsion from the Party"

    @classmethod
    def party_forms(cls) -> frozenset[str]:
        """The forms the Party applies to its members."""
        return frozenset(m.value for m in (cls.REPRIMAND, cls.WARNING, cls.REMOVAL_FROM_POST, cls.EXPULSION))
