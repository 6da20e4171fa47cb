"""Synthetic, deterministic histories of commune cadres and civil servants.

This is the generator behind ``canbo generate``: given the communes of a
province (real codes and names), a seed and an end date, it simulates every
commune from 1/1/2005 to the end date and returns plain rows ready to store.
No real person appears: names, birth dates and identification numbers are
drawn at random (the ID numbers are well-formed, Circular 07/2016/TT-BCA
Art. 7, and consistent with birth year and sex).

What it reproduces, from ``shared/domain/STORY.md`` (Cao Lộc, 2005–2020):

* staffing per the quota of each era — Decree 92/2009 (≤25/23/21 by class),
  Decree 34/2019 from 25/6/2019 (≤23/21/19), Decree 33/2023 from 1/8/2023
  (communes 22/20/18, wards 23/21/19) — and from 1/7/2025 the merged
  communes of the two-tier reform, every old commune's staff placed into the
  new commune's titles and job positions (Decree 170/2025 Art. 70–72);
* most staff below standard in 2005; about 18 people a year sent to
  intermediate or university training and about 116 training attendances a
  year (political theory, state management, IT, professional and leadership
  courses) for 22 communes, scaled per person for other sizes;
* remedial general education (bổ túc văn hóa) in especially difficult communes;
* 12 people disciplined and expelled from the Party between 2005 and 2020
  (for 22 communes; scaled for other sizes), with inspections;
* annual evaluations, retirements by the Labour Code schedule
  (:mod:`canbo.core.retirement`), Party and People's Council elections every
  five years with turnover, and succession-plan entries.

Everything is derived from ``random.Random`` seeded by the seed and the
commune code (and, for the Party expulsions, the province group), so the same
seed, communes and end date always give the same rows. Unit facts (class, area flags, population) are synthetic too and
marked so in their ``decision`` text.
"""

from __future__ import annotations

import functools
import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

from canbo.core import age, identity, retirement
from canbo.core.standards.rules import default_rules
from canbo.core.text import fold, name_sort_string

START = date(2005, 1, 1)
REFORM = date(2025, 7, 1)
LEGACY_END = date(2025, 6, 30)
SYNTHETIC = "Dữ liệu mô phỏng (không phải quyết định thật)"

#: The story's yearly figures for Cao Lộc's 22 communes (STORY.md).
STORY_COMMUNES = 22
STORY_DEGREE_PER_YEAR = 18
STORY_ATTENDANCES_PER_YEAR = 116
STORY_EXPELLED_2005_2020 = 12


# --------------------------------------------------------------------------- inputs


@dataclass(frozen=True)
class CommuneSpec:
    """An old (three-tier era) commune-level unit to simulate."""

    code: str
    name: str
    kind: str  # commune | ward | township
    province_no: int
    successor_code: str | None  # the new commune it merged into on 1/7/2025 (primary)
    district_code: str = ""  # its old district (three-digit code), e.g. "183" for Cao Lộc


@dataclass(frozen=True)
class NewCommuneSpec:
    """A new (two-tier era) commune-level unit."""

    code: str
    name: str
    kind: str  # commune | ward | special_zone


@dataclass(frozen=True)
class Population:
    """The people-mix of a province: ethnic groups with weights and whether the
    province is mountainous (which drives area flags)."""

    ethnic_weights: tuple[tuple[str, float], ...]
    mountainous: float = 0.3
    border: float = 0.05
    especially_difficult: float = 0.12
    #: The old districts on the national border, where ``border`` applies; ``None``: everywhere.
    border_districts: frozenset[str] | None = None


LANG_SON = Population(
    # Lạng Sơn: mostly Nùng and Tày, then Kinh, Dao, Hoa, Sán Chay (codes of ethnic_groups.csv).
    ethnic_weights=(("07", 0.41), ("02", 0.36), ("01", 0.16), ("09", 0.045), ("04", 0.015), ("15", 0.01)),
    mountainous=1.0,
    border=0.35,
    especially_difficult=0.3,
    # The districts on the border with China: Tràng Định, Văn Lãng, Cao Lộc, Lộc Bình, Đình Lập
    # (not Lạng Sơn city, Bình Gia, Văn Quan, Bắc Sơn, Hữu Lũng, Chi Lăng).
    border_districts=frozenset({"180", "182", "183", "188", "189"}),
)
KINH_MAJORITY = Population(
    ethnic_weights=(
        ("01", 0.86),
        ("02", 0.03),
        ("03", 0.03),
        ("06", 0.03),
        ("07", 0.02),
        ("08", 0.02),
        ("09", 0.01),
    )
)


# --------------------------------------------------------------------------- outputs

#: Column names of every table the generator fills; the adapter maps
#: ``unit_key`` (code, era) to a unit id and ``title_code`` to a title id.
COLUMNS: dict[str, tuple[str, ...]] = {
    "person": (
        "id",
        "identity_number",
        "family_name",
        "middle_name",
        "given_name",
        "name_folded",
        "sort_name",
        "birth_date",
        "birth_date_precision",
        "sex",
        "ethnicity",
        "religion",
        "home_town",
        "managing_unit_key",
        "party_joined_on",
        "party_confirmed_on",
        "party_left_on",
        "party_left_reason",
        "notes",
        # synthetic dates are known to the day (the columns are NOT NULL, with no database default)
        "party_joined_on_precision",
        "party_confirmed_on_precision",
    ),
    "assignment": (
        "id",
        "person_id",
        "unit_key",
        "title_code",
        "start",
        "end",
        "start_reason",
        "end_reason",
        "is_concurrent",
        "decision_number",
    ),
    "qualification": (
        "id",
        "person_id",
        "dimension",
        "level",
        "field_of_study",
        "institution",
        "study_mode",
        "is_remedial",
        "obtained_on",
        "original_text",
    ),
    "enrolment": (
        "id",
        "person_id",
        "course_name",
        "kind",
        "target_dimension",
        "target_level",
        "field_of_study",
        "institution",
        "start",
        "end",
        "status",
        "result",
        "funding",
        "cost_vnd",
        "service_commitment_months",
        "qualification_id",
    ),
    "evaluation": ("id", "person_id", "year", "rating", "score", "note"),
    "inspection": (
        "id",
        "person_id",
        "authority",
        "subject",
        "started_on",
        "concluded_on",
        "found_violation",
        "conclusion",
    ),
    "discipline": (
        "id",
        "person_id",
        "track",
        "form",
        "severity",
        "decided_on",
        "authority",
        "decision_number",
        "reason",
        "inspection_id",
    ),
    "succession": (
        "id",
        "person_id",
        "title_code",
        "unit_key",
        "term_start_year",
        "term_end_year",
        "tier",
        "added_on",
        "removed_on",
        "removal_reason",
        "decision_number",
    ),
    "classification": ("unit_key", "unit_class", "valid_from", "valid_to", "decision"),
    "area_flag": ("unit_key", "flag", "valid_from", "valid_to", "decision"),
    "statistics": ("unit_key", "year", "population", "natural_area_km2"),
}


PERSON_COL = {name: i for i, name in enumerate(COLUMNS["person"])}


@dataclass
class Dataset:
    """Rows per table in the order of :data:`COLUMNS`: tuples, except an assignment's row, a
    list whose end is filled in when the assignment ends."""

    rows: dict[str, list[tuple | list]] = field(default_factory=lambda: {t: [] for t in COLUMNS})

    def add(self, table: str, row: tuple | list) -> None:
        self.rows[table].append(row)


class Ids:
    """Explicit id counters per table, starting after what the database holds."""

    def __init__(self, start: dict[str, int] | None = None):
        self.next = dict.fromkeys(COLUMNS, 1)
        self.next.update(start or {})

    def take(self, table: str) -> int:
        n = self.next[table]
        self.next[table] = n + 1
        return n


# --------------------------------------------------------------------------- names

FAMILY_BY_ETHNICITY = {
    "07": ["Hoàng", "Lý", "Nông", "Vi", "Lương", "Lăng", "Chu", "Mã", "Hứa", "Lục", "Đinh", "Vy"],
    "02": ["Hoàng", "Nông", "Lương", "Hà", "Đàm", "Chu", "Vi", "Lộc", "Ma", "Hoàng", "Triệu", "Bế"],
    "09": ["Triệu", "Bàn", "Đặng", "Lý", "Phùng", "Chảo"],
    "04": ["Lâm", "Trương", "Hoàng", "Lưu", "Diệp"],
    "15": ["Hoàng", "Lý", "Trần", "La", "Đặng"],
    "01": [
        "Nguyễn",
        "Trần",
        "Lê",
        "Phạm",
        "Hoàng",
        "Vũ",
        "Đặng",
        "Bùi",
        "Đỗ",
        "Hồ",
        "Ngô",
        "Dương",
        "Phan",
        "Đinh",
    ],
}
MIDDLE_MALE = ["Văn", "Văn", "Văn", "Đức", "Minh", "Quang", "Xuân", "Hữu", "Thanh", "Ngọc", "Tiến", "Công"]
MIDDLE_FEMALE = ["Thị", "Thị", "Thị", "Thu", "Minh", "Ngọc", "Thanh", "Hồng", "Kim", "Thúy"]
GIVEN_MALE = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Đông",
    "Giang",
    "Hải",
    "Hùng",
    "Huy",
    "Khánh",
    "Lâm",
    "Long",
    "Mạnh",
    "Nam",
    "Phong",
    "Quân",
    "Sơn",
    "Tài",
    "Thắng",
    "Thành",
    "Toàn",
    "Trung",
    "Tuấn",
    "Việt",
    "Vinh",
    "Hòa",
    "Lực",
    "Chiến",
]
GIVEN_FEMALE = [
    "Anh",
    "Chi",
    "Dung",
    "Duyên",
    "Hà",
    "Hằng",
    "Hạnh",
    "Hoa",
    "Hương",
    "Lan",
    "Liên",
    "Linh",
    "Mai",
    "Ngân",
    "Nhung",
    "Phương",
    "Quyên",
    "Thảo",
    "Thu",
    "Trang",
    "Tuyết",
    "Vân",
    "Yến",
    "Hiền",
    "Nga",
    "Huệ",
]
RELIGIONS = [("Không", 0.95), ("Phật giáo", 0.03), ("Công giáo", 0.02)]


# --------------------------------------------------------------------------- titles and quotas

#: Pre-2025 seats of a commune, in filling priority; ``C`` cadre (elected), ``S`` civil servant.
LEGACY_SEATS: tuple[tuple[str, str], ...] = (
    ("BT_DU", "C"),
    ("CT_UBND", "C"),
    ("CT_HDND", "C"),
    ("PBT_DU", "C"),
    ("PCT_UBND", "C"),
    ("CT_MTTQ", "C"),
    ("VP_TK", "S"),
    ("DC_XD", "S"),
    ("TC_KT", "S"),
    ("TP_HT", "S"),
    ("VH_XH", "S"),
    ("CHT_QS", "S"),
    ("PCT_HDND", "C"),
    ("BT_DOAN", "C"),
    ("CT_HLHPN", "C"),
    ("CT_HND", "C"),
    ("CT_HCCB", "C"),
    ("TCA", "S"),
    ("PCT_UBND", "C"),
    ("VP_TK", "S"),
    ("DC_XD", "S"),
    ("TP_HT", "S"),
    ("VH_XH", "S"),
    ("TC_KT", "S"),
    ("DC_XD", "S"),
)
PARTY_TITLES = {"BT_DU", "PBT_DU"}
COUNCIL_TITLES = {"CT_HDND", "PCT_HDND", "CT_UBND", "PCT_UBND"}
MASS_TITLES = {"CT_MTTQ", "BT_DOAN", "CT_HLHPN", "CT_HND", "CT_HCCB"}
PARTY_CONGRESS_YEARS = (2010, 2015, 2020)
COUNCIL_ELECTION_YEARS = (2011, 2016, 2021)
MASS_CONGRESS_YEARS = (2007, 2012, 2017, 2022)

#: Fields of study that fit each civil-servant title (for synthetic degrees).
TITLE_FIELDS = {
    "VP_TK": ("public_administration", "statistics", "law"),
    "DC_XD": ("land_management", "construction", "environment", "agriculture"),
    "TC_KT": ("accounting", "finance", "economics"),
    "TP_HT": ("law",),
    "VH_XH": ("culture", "social_work", "education"),
    "CHT_QS": ("military",),
    "TCA": ("police",),
}
CADRE_FIELDS = ("public_administration", "economics", "law", "agriculture", "political_science")

#: From 1/7/2025: job positions of a new commune, in placement priority.
NEW_POSITIONS: tuple[str, ...] = (
    "BT_DU",
    "CT_UBND",
    "CT_HDND",
    "PBT_DU",
    "PBT_DU",
    "CT_MTTQ",
    "PCT_UBND",
    "PCT_UBND",
    "PCT_HDND",
    "CVP",
    "TP_KT",
    "TP_VHXH",
    "GD_HCC",
    "CHT_QS",
    "PCT_MTTQ",
    "PCT_MTTQ",
    "PCVP",
    "PTP_KT",
    "PTP_VHXH",
    "PGD_HCC",
)
#: Where each old title's holders go when no leadership post is left for them.
NEW_SPECIALIST = {
    "VP_TK": "CV_VP",
    "DC_XD": "CV_DC",
    "TC_KT": "CV_TCKT",
    "TP_HT": "CV_TP",
    "VH_XH": "CV_VHXH",
    "CHT_QS": "CV_VP",
    "TCA": "CV_VP",
}
NEW_LEADER_FROM = {
    "BT_DU": ("BT_DU", "PBT_DU"),
    "PBT_DU": ("BT_DU", "PBT_DU", "CT_HDND", "CT_UBND"),
    "CT_UBND": ("CT_UBND", "PCT_UBND"),
    "CT_HDND": ("CT_HDND", "BT_DU", "PBT_DU"),
    "PCT_HDND": ("PCT_HDND", "CT_HDND"),
    "PCT_UBND": ("PCT_UBND", "CT_UBND"),
    "CT_MTTQ": ("CT_MTTQ",),
    "PCT_MTTQ": ("CT_HLHPN", "CT_HND", "CT_HCCB", "BT_DOAN", "CT_MTTQ"),
    "CVP": ("VP_TK",),
    "PCVP": ("VP_TK",),
    "TP_KT": ("DC_XD", "TC_KT", "PCT_UBND"),
    "PTP_KT": ("DC_XD", "TC_KT"),
    "TP_VHXH": ("VH_XH",),
    "PTP_VHXH": ("VH_XH",),
    "GD_HCC": ("TP_HT", "VP_TK", "PCT_UBND"),
    "PGD_HCC": ("TP_HT", "VP_TK"),
    "CHT_QS": ("CHT_QS",),
}


def quota(kind: str, unit_class: str, on: date) -> int:
    """Cadres and civil servants allowed in a commune-level unit on ``on``, read from the rule
    set's ``quotas`` (Decree 121/2003 and 92/2009: 25/23/21 by class; Decree 34/2019 from
    25/6/2019: 23/21/19; Decree 33/2023 from 1/8/2023: wards 23/21/19, communes and townships
    22/20/18); from 1/7/2025 the province sets each commune's number and the generator uses
    the national average the rule gives (``average``; QĐ 759/QĐ-TTg: about 32). A ``special``
    unit takes the class-1 figure (the decrees give none of its own)."""
    for q in default_rules().quotas:
        if kind in q.unit_kinds and q.in_force(on):
            if q.set_by_province:
                if q.average is None:
                    raise LookupError(f"quota {q.id}: set by the province and no average in the rule set")
                return q.average
            figure = q.by_class.get(unit_class) or q.by_class.get("class_1")
            if figure is None:
                raise LookupError(f"quota {q.id}: no figure for class {unit_class}")
            return int(figure)
    raise LookupError(f"the rule set has no quota for a {kind} on {on.isoformat()}")


#: The specialists' job positions of a new commune, in the order a fitting one is looked for.
SPECIALIST_TITLES = ("CV_VP", "CV_TCKT", "CV_TP", "CV_DC", "CV_XD", "CV_VHXH", "CV_HCC")


@functools.cache
def accepted_fields(title: str, on: date) -> frozenset[str] | None:
    """The fields of study the rule set accepts for ``title`` on ``on`` (Law 80/2025 Art. 19(1)(e)
    from 1/7/2025), or ``None`` if it names none."""
    for s in default_rules().standards_on(on):
        if s.criterion == "field_of_study" and title in s.titles:
            return frozenset(s.accepted)
    return None


def fitting_specialist(title: str, field_of_study: str) -> str:
    """The specialist's job position of a new commune for a person of ``field_of_study``:
    ``title`` if their field fits it (or is unknown), else the first position it fits — the
    province places its staff by their training (Decree 170/2025 Art. 70–72) — else ``title``."""
    accepted = accepted_fields(title, REFORM)
    if not field_of_study or accepted is None or field_of_study in accepted:
        return title
    return next((t for t in SPECIALIST_TITLES if field_of_study in (accepted_fields(t, REFORM) or ())), title)


def new_commune_quota() -> int:
    """The average number of staff of a commune after 1/7/2025 (QĐ 759/QĐ-TTg), from the rule set."""
    return quota("commune", "class_1", REFORM)


# --------------------------------------------------------------------------- people


class Person:
    __slots__ = (
        "id",
        "sex",
        "birth",
        "ethnicity",
        "quals",
        "party_joined",
        "active",
        "left_on",
        "left_reason",
        "disciplined_years",
        "expelled",
        "commune",
        "seats",
        "managing_key",
        "field",
    )

    def __init__(self, pid: int, sex: str, birth: date, ethnicity: str):
        self.id = pid
        self.sex = sex
        self.birth = birth
        self.ethnicity = ethnicity
        self.quals: dict[str, tuple[int, str]] = {}  # dimension -> (rank, level code)
        self.party_joined: date | None = None
        self.active = True
        self.left_on: date | None = None
        self.left_reason = ""
        self.disciplined_years: set[int] = set()
        self.expelled = False
        self.commune = ""
        self.seats: list[Seat] = []
        self.managing_key: tuple[str, str] = ("", "legacy")
        self.field = ""  # the field of study of the highest professional qualification

    def rank(self, dimension: str) -> int:
        return self.quals.get(dimension, (0, ""))[0]

    def age_on(self, on: date) -> int:
        return age.age_on(self.birth, on)


class Seat:
    __slots__ = ("title", "kind", "holder", "assignment", "vacant_since", "concurrent")

    def __init__(self, title: str, kind: str):
        self.title = title
        self.kind = kind
        self.holder: Person | None = None
        self.assignment: list | None = None
        self.vacant_since: date | None = None
        self.concurrent = False

    def held(self) -> tuple[Person, date]:
        """The holder of a held seat and the first day of their assignment."""
        assert self.holder is not None and self.assignment is not None, self.title
        return self.holder, self.assignment[4]


PROF_LEVELS = ("", "elementary", "intermediate", "college", "university", "master")
GENED_LEVELS = ("", "primary", "lower_secondary", "upper_secondary")
LLCT_LEVELS = ("", "elementary", "intermediate", "advanced")
LLCT_LEVELS_VI = ("", "Sơ cấp", "Trung cấp", "Cao cấp")
ORIGINAL_TEXT = {
    ("general_education", "upper_secondary"): ("12/12", "10/10", "12/12"),
    ("general_education", "lower_secondary"): ("9/12", "7/10", "8/10"),
    ("general_education", "primary"): ("5/12", "4/10"),
    ("professional", "elementary"): ("Sơ cấp", "SC"),
    ("professional", "intermediate"): ("Trung cấp", "TC"),
    ("professional", "college"): ("Cao đẳng", "CĐ"),
    ("professional", "university"): ("Đại học", "ĐH", "Cử nhân"),
    ("professional", "master"): ("Thạc sĩ", "ThS"),
    ("political_theory", "elementary"): ("Sơ cấp LLCT", "Sơ cấp"),
    ("political_theory", "intermediate"): ("Trung cấp LLCT", "TC LLCT-HC", "Trung cấp chính trị"),
    ("political_theory", "advanced"): ("Cao cấp chính trị", "Cao cấp LLCT"),
    ("state_management", "clerk"): ("QLNN ngạch cán sự",),
    ("state_management", "specialist"): ("QLNN ngạch chuyên viên", "Chuyên viên"),
    ("it", "certificate_a"): ("Tin học A", "Chứng chỉ A tin học"),
    ("it", "certificate_b"): ("Tin học B",),
    ("it", "basic"): ("CNTT cơ bản", "Ứng dụng CNTT cơ bản"),
    ("foreign_language", "certificate_a"): ("Anh A", "Tiếng Anh A"),
    ("foreign_language", "certificate_b"): ("Anh B",),
    ("foreign_language", "level_2"): ("Bậc 2", "Tiếng Anh bậc 2"),
    ("ethnic_language", "certificate"): ("Chứng chỉ tiếng Nùng", "Chứng chỉ tiếng Tày", "CC tiếng Dao"),
}
FIELD_TEXT = {
    "law": "Luật",
    "economics": "Kinh tế",
    "accounting": "Kế toán",
    "finance": "Tài chính",
    "agriculture": "Nông học",
    "land_management": "Quản lý đất đai",
    "construction": "Xây dựng",
    "environment": "Môi trường",
    "public_administration": "Hành chính",
    "political_science": "Chính trị học",
    "culture": "Văn hóa",
    "social_work": "Công tác xã hội",
    "statistics": "Thống kê",
    "education": "Sư phạm",
    "military": "Quân sự",
    "police": "Công an",
}
INSTITUTIONS = {
    "university": (
        "Học viện Hành chính Quốc gia",
        "Trường Đại học Luật Hà Nội",
        "Trường Đại học Nông Lâm Thái Nguyên",
        "Trường Đại học Kinh tế và Quản trị kinh doanh Thái Nguyên",
    ),
    "intermediate": (
        "Trường Chính trị tỉnh",
        "Trường Trung cấp Nông Lâm",
        "Trường Trung cấp Kinh tế - Kỹ thuật",
    ),
    "political_theory": ("Trường Chính trị tỉnh", "Trung tâm Chính trị huyện"),
}
REFRESHER_COURSES = (
    ("Bồi dưỡng kiến thức nông nghiệp, khuyến nông", "agriculture"),
    ("Bồi dưỡng nghiệp vụ hành chính, văn thư", "public_administration"),
    ("Bồi dưỡng quản lý kinh tế", "economics"),
    ("Bồi dưỡng nghiệp vụ quản lý văn hóa", "culture"),
    ("Bồi dưỡng nghiệp vụ tài chính - kế toán xã", "finance"),
    ("Bồi dưỡng nghiệp vụ thống kê", "statistics"),
    ("Bồi dưỡng nghiệp vụ tư pháp - hộ tịch", "law"),
    ("Bồi dưỡng nghiệp vụ địa chính", "land_management"),
)


def rule_figure(purpose: str, condition: str, on: date) -> int:
    """An eligibility figure of the rule set (e.g. ``succession_tier_1`` /
    ``min_months_to_retirement``) in force on ``on``; before the first rule giving it, that
    rule's figure (the synthetic story's plans of 2019 precede QĐ 50-QĐ/TW 2021)."""
    entries = sorted(
        (e for e in default_rules().eligibility if e.purpose == purpose and condition in e.conditions),
        key=lambda e: e.valid_from,
    )
    if not entries:
        raise LookupError(f"the rule set has no {condition} for {purpose}")
    chosen = next((e for e in entries if e.in_force(on)), None) or next(
        (e for e in entries if e.valid_from > on), entries[-1]
    )
    return int(chosen.conditions[condition])


def party_minimum_age(on: date) -> int:
    """The minimum age for Party admission on ``on``, read from the rule set (Party Charter
    2011 Art. 1(1), :func:`canbo.core.age.minimum_age`); before the first charter in the rule
    set, that charter's figure (so that the synthetic story never admits a child)."""
    found = age.minimum_age("party_admission", on)
    if found is None:
        found = min(
            (
                age.minimum_age("party_admission", e.valid_from)
                for e in default_rules().eligibility
                if e.purpose == "party_admission" and "min_age" in e.conditions
            ),
            key=lambda f: f[1].valid_from if f else date.max,
            default=None,
        )
    if found is None:
        raise LookupError("the rule set has no minimum age for Party admission")
    return found[0]


def _weighted(rng: random.Random, pairs) -> str:
    x = rng.random()
    acc = 0.0
    for value, w in pairs:
        acc += w
        if x < acc:
            return value
    return pairs[-1][0]


def _date_in_year(rng: random.Random, year: int, start_month: int = 1, end_month: int = 12) -> date:
    month = rng.randint(start_month, end_month)
    return date(year, month, rng.randint(1, 28))


def _add_months(d: date, months: int) -> date:
    m = d.year * 12 + d.month - 1 + months
    return date(m // 12, m % 12 + 1, min(d.day, 28))


# --------------------------------------------------------------------------- the simulation


class ProvinceSimulation:
    """Simulates the old communes of one province group (the old provinces that
    make up one new province) and places their staff into the new communes."""

    def __init__(
        self,
        communes: list[CommuneSpec],
        new_communes: dict[str, NewCommuneSpec],
        *,
        seed: int,
        end: date,
        population: Population,
        ids: Ids,
        serials: dict[tuple[int, int, int], int] | None = None,
    ):
        self.communes = communes
        self.new_communes = new_communes
        self.seed = seed
        self.end = end
        self.population = population
        self.ids = ids
        self.data = Dataset()
        self.people: list[Person] = []
        self.serials = serials if serials is not None else {}
        # Per-person training rates tuned so that 22 communes of ~22 staff give the story's figures.
        staff = (
            STORY_COMMUNES * 19.5
        )  # calibrated: about 20–21 in post per commune, some not in post all year
        self.degree_rate = STORY_DEGREE_PER_YEAR / staff
        self.attendance_rate = STORY_ATTENDANCES_PER_YEAR / staff
        self.person_rows: dict[int, list] = {}

    # ----------------------------------------------------------------- helpers

    def rng_for(self, *parts) -> random.Random:
        return random.Random(f"{self.seed}:" + ":".join(str(p) for p in parts))

    def new_person(
        self,
        rng: random.Random,
        commune: CommuneSpec,
        born_from: int,
        born_to: int,
        *,
        sex: str | None = None,
    ) -> Person:
        sex = sex or ("female" if rng.random() < 0.32 else "male")
        birth = date(rng.randint(born_from, born_to), rng.randint(1, 12), rng.randint(1, 28))
        ethnicity = _weighted(rng, self.population.ethnic_weights)
        p = Person(self.ids.take("person"), sex, birth, ethnicity)
        p.commune = commune.code
        p.managing_key = (commune.code, "legacy")
        family = rng.choice(FAMILY_BY_ETHNICITY.get(ethnicity, FAMILY_BY_ETHNICITY["01"]))
        middle = rng.choice(MIDDLE_FEMALE if sex == "female" else MIDDLE_MALE)
        given = rng.choice(GIVEN_FEMALE if sex == "female" else GIVEN_MALE)
        precision = _weighted(rng, (("day", 0.8), ("month", 0.05), ("year", 0.15)))
        stored_birth = (
            birth if precision == "day" else date(birth.year, birth.month if precision == "month" else 1, 1)
        )
        id_number = None
        if rng.random() < 0.9:
            key = (commune.province_no, birth.year, 0 if sex == "male" else 1)
            serial = self.serials.get(key, rng.randint(0, 999)) + rng.randint(1, 50)
            if serial <= 999_999:
                self.serials[key] = serial
                id_number = identity.make_identity_number(commune.province_no, birth.year, sex, serial)
        religion = _weighted(rng, RELIGIONS)
        row = [
            p.id,
            id_number,
            family,
            middle,
            given,
            fold(f"{family} {middle} {given}"),
            name_sort_string(family, middle, given),
            stored_birth,
            precision,
            sex,
            ethnicity,
            religion,
            commune.name,
            None,
            None,
            None,
            None,
            "",
            "",
            "day",
            "day",
        ]
        self.person_rows[p.id] = row
        self.people.append(p)
        return p

    def give_qualification(
        self,
        rng: random.Random,
        p: Person,
        dimension: str,
        level: str,
        rank: int,
        on: date,
        *,
        field_of_study: str = "",
        mode: str = "",
        remedial: bool = False,
        institution: str = "",
    ) -> int:
        qid = self.ids.take("qualification")
        texts = ORIGINAL_TEXT.get((dimension, level), (level,))
        text = rng.choice(texts)
        if field_of_study and dimension == "professional":
            text = f"{text} {FIELD_TEXT.get(field_of_study, '')}".strip()
        if remedial:
            text = f"{text} (BTVH)"
        self.data.add(
            "qualification",
            (qid, p.id, dimension, level, field_of_study, institution, mode, remedial, on, text),
        )
        if rank >= p.rank(dimension):
            p.quals[dimension] = (rank, level)
            if dimension == "professional":
                p.field = field_of_study
        return qid

    def initial_qualifications(
        self, rng: random.Random, p: Person, commune_difficult: bool, hired_year: int, title: str
    ) -> None:
        """Qualifications of a person at hiring: poor before 2005, better each year after."""
        progress = max(0.0, min(1.0, (hired_year - 2000) / 20))
        # General education
        p_upper = 0.45 + 0.5 * progress - (0.15 if commune_difficult else 0.0)
        g = 3 if rng.random() < p_upper else (2 if rng.random() < 0.9 else 1)
        school_end = p.birth.year + (17 if g == 3 else 15 if g == 2 else 11)
        self.give_qualification(
            rng, p, "general_education", GENED_LEVELS[g], g, date(school_end, 6, rng.randint(1, 28))
        )
        # Professional level
        r = rng.random()
        p_univ = 0.08 + 0.7 * progress
        p_inter = 0.3 + 0.15 * progress
        if g == 3 and r < p_univ:
            prof = 4
        elif r < p_univ + p_inter:
            prof = 2
        elif r < p_univ + p_inter + 0.05:
            prof = 3
        elif r < p_univ + p_inter + 0.2:
            prof = 1
        else:
            prof = 0
        if prof:
            fields = TITLE_FIELDS.get(title, CADRE_FIELDS)
            fit = rng.random() < 0.7
            field_of_study = (
                rng.choice(fields) if fit else rng.choice(("economics", "education", "agriculture", "other"))
            )
            year = min(hired_year, max(school_end + (4 if prof >= 3 else 2), p.birth.year + 19))
            mode = "full_time" if rng.random() < 0.6 else "in_service"
            inst = rng.choice(INSTITUTIONS["university" if prof >= 3 else "intermediate"])
            self.give_qualification(
                rng,
                p,
                "professional",
                PROF_LEVELS[prof],
                prof,
                date(year, 6, rng.randint(1, 28)),
                field_of_study=field_of_study,
                mode=mode,
                institution=inst,
            )
        # Political theory: cadres mostly have some.
        cadre = title in PARTY_TITLES | COUNCIL_TITLES | MASS_TITLES
        r = rng.random()
        llct = (
            3
            if r < 0.03
            else 2
            if r < (0.45 if cadre else 0.2)
            else 1
            if r < (0.85 if cadre else 0.45)
            else 0
        )
        if llct:
            self.give_qualification(
                rng,
                p,
                "political_theory",
                LLCT_LEVELS[llct],
                llct,
                date(max(p.birth.year + 20, hired_year - rng.randint(0, 4)), rng.randint(1, 12), 15),
                institution=rng.choice(INSTITUTIONS["political_theory"]),
            )
        if rng.random() < 0.2 + 0.4 * progress:
            self.give_qualification(
                rng,
                p,
                "it",
                rng.choice(("certificate_a", "certificate_b")),
                1,
                date(max(p.birth.year + 18, hired_year - 1), 5, 10),
            )
        if rng.random() < 0.1 + 0.3 * progress:
            self.give_qualification(
                rng,
                p,
                "foreign_language",
                rng.choice(("certificate_a", "certificate_b")),
                1,
                date(max(p.birth.year + 18, hired_year - 1), 8, 20),
            )
        if rng.random() < 0.15 + 0.3 * progress:
            self.give_qualification(
                rng,
                p,
                "state_management",
                "specialist" if prof >= 3 else "clerk",
                2 if prof >= 3 else 1,
                date(max(p.birth.year + 20, hired_year), 11, 5),
            )
        if p.ethnicity != "01" and rng.random() < 0.05:
            self.give_qualification(
                rng, p, "ethnic_language", "certificate", 1, date(max(p.birth.year + 18, hired_year), 3, 1)
            )

    def join_party(self, rng: random.Random, p: Person, on: date) -> None:
        if p.party_joined is None and p.age_on(on) >= party_minimum_age(on):
            p.party_joined = on
            row = self.person_rows[p.id]
            row[PERSON_COL["party_joined_on"]] = on
            row[PERSON_COL["party_confirmed_on"]] = _add_months(on, 12)

    def start_assignment(
        self, seat: Seat, p: Person, unit_key: tuple[str, str], start: date, reason: str, rng: random.Random
    ) -> None:
        aid = self.ids.take("assignment")
        decision = (
            f"{rng.randint(1, 999)}/QĐ-UBND"
            if seat.kind == "S" or seat.title.startswith(("C", "T", "P", "G"))
            else ""
        )
        row = [aid, p.id, unit_key, seat.title, start, None, reason, "", seat.concurrent, decision]
        self.data.add("assignment", row)  # the list is mutated when the assignment ends
        seat.holder = p
        seat.assignment = row
        seat.vacant_since = None
        p.seats.append(seat)

    def end_assignment(self, seat: Seat, on: date, reason: str) -> None:
        if seat.assignment is not None and seat.assignment[5] is None:
            seat.assignment[5] = on
            seat.assignment[7] = reason
        if seat.holder is not None and seat in seat.holder.seats:
            seat.holder.seats.remove(seat)
        seat.holder = None
        seat.assignment = None
        seat.vacant_since = on + timedelta(days=1)

    def person_leaves(self, p: Person, on: date, reason: str) -> None:
        for seat in list(p.seats):
            self.end_assignment(seat, on, reason)
        p.active = False
        p.left_on = on
        p.left_reason = reason

    # ----------------------------------------------------------------- one commune

    def simulate_commune(self, c: CommuneSpec, expulsions: list[date]) -> list[Person]:
        """Simulate one old commune from 1/1/2005 to 30/6/2025 (or the end date);
        return the people active on 30/6/2025."""
        rng = self.rng_for("commune", c.code)
        key = (c.code, "legacy")
        pop = self.population
        if c.kind == "ward":
            # Wards of a town or city: larger, class 1 or 2 (one draw, as for the others).
            unit_class = rng.choice(("class_1", "class_1", "class_2"))
        else:
            unit_class = (
                "class_1"
                if c.kind == "township" and rng.random() < 0.5
                else rng.choice(("class_2", "class_3", "class_3"))
            )
        mountainous = rng.random() < pop.mountainous
        difficult = mountainous and rng.random() < pop.especially_difficult
        border = rng.random() < pop.border and (
            pop.border_districts is None or c.district_code in pop.border_districts
        )
        difficult_until = date(2020, 12, 31) if difficult and rng.random() < 0.4 else LEGACY_END
        self.data.add("classification", (key, unit_class, START, LEGACY_END, SYNTHETIC))
        if mountainous:
            self.data.add("area_flag", (key, "mountainous", START, LEGACY_END, SYNTHETIC))
        ethnic_minority = pop.ethnic_weights[0][0] != "01" or rng.random() < 0.3
        if ethnic_minority:
            self.data.add("area_flag", (key, "ethnic_minority", START, LEGACY_END, SYNTHETIC))
        if border:
            self.data.add("area_flag", (key, "border", START, LEGACY_END, SYNTHETIC))
        if difficult:
            self.data.add("area_flag", (key, "especially_difficult", START, difficult_until, SYNTHETIC))
        population = rng.randint(2500, 9000) if c.kind != "ward" else rng.randint(6000, 15000)
        area = round(rng.uniform(15, 90) if mountainous else rng.uniform(4, 25), 2)
        recorded = population
        for year in range(2005, min(self.end.year, 2024) + 1):
            self.data.add("statistics", (key, year, population, area))
            recorded = population
            population = int(population * rng.uniform(1.0, 1.02))
        self.commune_facts[c.code] = (recorded, area, border, ethnic_minority)

        seats = [Seat(t, k) for t, k in LEGACY_SEATS]
        # Secretary also chairs the People's Council in many communes (kiêm nhiệm, Decree 92/2009 Art. 3).
        combined = rng.random() < 0.4
        n0 = quota(c.kind, unit_class, START) - rng.randint(0, 2)

        def active_seats(on: date) -> list[Seat]:
            q = quota(c.kind, unit_class, on)
            out = []
            for s in seats:
                if s.title == "TCA" and on > date(2021, 6, 30):  # regular police took over commune police
                    continue
                out.append(s)
            return out[:q]

        # Initial staff, in post before 2005; later, a seat's holder if any.
        p: Person | None
        for seat in seats[:n0]:
            if combined and seat.title == "CT_HDND":
                continue
            p = self.new_person(rng, c, 1950, 1982)
            hired = rng.randint(max(p.birth.year + 20, 1985), 2004)
            self.initial_qualifications(rng, p, difficult, hired, seat.title)
            if (seat.kind == "C" and rng.random() < 0.95) or (seat.kind == "S" and rng.random() < 0.6):
                self.join_party(
                    rng,
                    p,
                    date(
                        max(p.birth.year + 19, hired - rng.randint(0, 5)),
                        rng.randint(1, 12),
                        rng.randint(1, 28),
                    ),
                )
            start = date(hired, rng.randint(1, 12), rng.randint(1, 28))
            reason = "elected" if seat.kind == "C" else "recruited"
            if retirement.retirement_date(p.birth, p.sex) <= START:
                p.birth = date(p.birth.year + 6, p.birth.month, p.birth.day)
            self.start_assignment(seat, p, key, start, reason, rng)
        if combined:
            bt = next(s for s in seats if s.title == "BT_DU")  # the first seat, always filled
            hd = next(s for s in seats if s.title == "CT_HDND")
            hd.concurrent = True
            secretary, since = bt.held()
            self.start_assignment(hd, secretary, key, since, "elected", rng)

        def recruit(seat: Seat, on: date) -> None:
            year = on.year
            if seat.kind == "C" and rng.random() < 0.5:
                # Promote a civil servant of the commune (an internal candidate) when one fits.
                pool = [
                    s
                    for s in seats
                    if s.kind == "S"
                    and s.holder
                    and s.holder.active
                    and s.holder.party_joined
                    and s.held()[1] < on - timedelta(days=1)
                    and not s.holder.disciplined_years & {year, year - 1}
                ]
                if pool:
                    src = rng.choice(pool)
                    p = src.held()[0]
                    self.end_assignment(src, on - timedelta(days=1), "transfer")
                    self.start_assignment(seat, p, key, on, "elected", rng)
                    return
            p = self.new_person(rng, c, year - 40, year - 22)
            self.initial_qualifications(rng, p, difficult, year, seat.title)
            if (seat.kind == "C" and rng.random() < 0.8) or rng.random() < 0.25:
                self.join_party(rng, p, _add_months(on, -rng.randint(6, 60)))
            reason = "elected" if seat.kind == "C" else ("transferred" if rng.random() < 0.1 else "recruited")
            self.start_assignment(seat, p, key, on, reason, rng)

        last = min(self.end, LEGACY_END)
        expulsions = sorted(expulsions)
        for year in range(2005, last.year + 1):
            year_end = min(date(year, 12, 31), last)
            # Retirements by the Labour Code schedule.
            for seat in seats:
                p = seat.holder
                if p is None or not p.active:
                    continue
                ret = retirement.retirement_date(p.birth, p.sex)
                if ret.year == year and ret <= last:
                    self.person_leaves(p, ret - timedelta(days=1), "retirement")
            # Elections with turnover.
            for titles, years, share in (
                (PARTY_TITLES, PARTY_CONGRESS_YEARS, 0.35),
                (COUNCIL_TITLES, COUNCIL_ELECTION_YEARS, 0.35),
                (MASS_TITLES, MASS_CONGRESS_YEARS, 0.4),
            ):
                if year in years:
                    on = _date_in_year(rng, year, 4, 6)
                    for seat in seats:
                        if seat.title in titles and seat.holder and rng.random() < share and on <= last:
                            self.end_assignment(seat, on - timedelta(days=1), "term_end")
            # Other departures: transfer, resignation, death.
            for seat in seats:
                p = seat.holder
                if p is None or seat.concurrent:
                    continue
                r = rng.random()
                if r < 0.025:
                    on = _date_in_year(rng, year)
                    if on <= year_end:
                        reason = "transfer" if r < 0.012 else "resignation" if r < 0.022 else "death"
                        self.person_leaves(p, on, reason)
            # Expulsions from the Party (story: 12 in 2005–2020 for 22 communes).
            for on in [d for d in expulsions if d.year == year]:
                members = [
                    s.holder
                    for s in seats
                    if s.holder and s.holder.active and s.holder.party_joined and s.holder.party_joined < on
                ]
                if members:
                    self.expel(rng, rng.choice(members), on, c)
            # Ordinary discipline: reprimands and warnings.
            for seat in seats:
                p = seat.holder
                if p and p.active and not seat.concurrent and rng.random() < 0.004:
                    on = _date_in_year(rng, year)
                    if on <= year_end:
                        self.discipline(rng, p, on, "administrative", rng.choice(("reprimand", "warning")), c)
            # Fill vacancies within the quota of the day.
            for seat in active_seats(year_end):
                if seat.holder is None and not seat.concurrent:
                    since = seat.vacant_since or date(year, 1, 1)
                    on = max(since + timedelta(days=rng.randint(30, 240)), date(year, 1, 2))
                    if on <= year_end:
                        recruit(seat, on)
                elif seat.concurrent and seat.holder is None:
                    bt = next(s for s in seats if s.title == "BT_DU")
                    if bt.holder is not None:
                        secretary, since = bt.held()
                        self.start_assignment(
                            seat, secretary, key, max(since, date(year, 1, 2)), "elected", rng
                        )
            # Party admissions.
            for seat in seats:
                p = seat.holder
                if p and p.active and p.party_joined is None and not p.expelled and rng.random() < 0.06:
                    self.join_party(rng, p, _date_in_year(rng, year))
        survivors = []
        for seat in seats:
            p = seat.holder
            if p and p.active and p not in survivors:
                survivors.append(p)
        self.commune_info[key] = (difficult, difficult_until, unit_class)
        return survivors

    def discipline(
        self,
        rng: random.Random,
        p: Person,
        on: date,
        track: str,
        form: str,
        c: CommuneSpec,
        inspection_id=None,
    ) -> None:
        did = self.ids.take("discipline")
        authority = "Ủy ban kiểm tra Huyện ủy" if track == "party" else f"Ủy ban nhân dân {c.name}"
        number = f"{rng.randint(1, 300)}-QĐ/UBKT" if track == "party" else f"{rng.randint(1, 999)}/QĐ-UBND"
        severity = {"reprimand": "less_serious", "warning": "serious"}.get(form, "very_serious")
        self.data.add(
            "discipline",
            (
                did,
                p.id,
                track,
                form,
                severity,
                on,
                authority,
                number,
                "Vi phạm trong thực hiện nhiệm vụ (mô phỏng)",
                inspection_id,
            ),
        )
        p.disciplined_years.add(on.year)

    def expel(self, rng: random.Random, p: Person, on: date, c: CommuneSpec) -> None:
        """An inspection, expulsion from the Party and the administrative
        discipline that follows it (the story: 12 people in 2005–2020)."""
        iid = self.ids.take("inspection")
        started = on - timedelta(days=rng.randint(60, 150))
        self.data.add(
            "inspection",
            (
                iid,
                p.id,
                "Ủy ban kiểm tra Huyện ủy",
                "Kiểm tra khi có dấu hiệu vi phạm",
                started,
                on - timedelta(days=10),
                True,
                "Có vi phạm, đề nghị xử lý kỷ luật (mô phỏng)",
            ),
        )
        self.discipline(rng, p, on, "party", "expulsion", c, iid)
        cadre = any(s.kind == "C" for s in p.seats)
        admin_on = on + timedelta(days=rng.randint(10, 30))
        self.discipline(
            rng,
            p,
            admin_on,
            "administrative",
            "dismissal_from_office" if cadre else "forced_dismissal",
            c,
            iid,
        )
        p.expelled = True
        row = self.person_rows[p.id]
        row[PERSON_COL["party_left_on"]] = on
        row[PERSON_COL["party_left_reason"]] = "expelled"
        self.person_leaves(p, admin_on, "dismissal")

    # ----------------------------------------------------------------- training

    def train(
        self, unit_key: tuple[str, str], people_active_in_year, window: tuple[date, date] = (START, date.max)
    ) -> None:
        """Degree training, attendances and remedial education, year by year; a course starts
        within ``window`` (an old commune's until 30/6/2025, a new commune's from 1/7/2025)."""
        self.window = window
        rng = self.rng_for("training", *unit_key)
        difficult, difficult_until, _ = self.commune_info.get(unit_key, (False, None, None))
        for year, active in people_active_in_year:
            if not active:
                continue
            for p in active:
                if p.disciplined_years & {year, year - 1}:
                    continue  # barred from training while discipline is in effect
                age_now = age.age_on(p.birth, date(year, 12, 31))
                prof = p.rank("professional")
                # Degree training: intermediate, then university (in-service).
                if (
                    prof < 4
                    and age_now <= 45
                    and rng.random() < self.degree_rate * (1.85 if year < 2021 else 0.8)
                ):
                    target = 2 if prof < 2 else 4
                    self.degree(rng, p, year, target)
                    continue
                if rng.random() < self.attendance_rate:
                    self.attend(rng, p, year)
                # Remedial general education in especially difficult communes.
                if (
                    difficult
                    and p.rank("general_education") < 3
                    and difficult_until
                    and year <= difficult_until.year
                    and rng.random() < 0.3
                ):
                    self.remedial(rng, p, year)

    def in_post(self, p: Person, on: date) -> bool:
        return any(s <= on and (e is None or e >= on) for s, e, _ in self.spans(p))

    def _still_active(self, p: Person, on: date) -> bool:
        return (p.left_on is None or p.left_on >= on) and on <= self.end

    def degree(self, rng: random.Random, p: Person, year: int, target: int) -> None:
        start = date(year, 9, rng.randint(1, 20))
        if not self.in_post(p, start) or not self.window[0] <= start <= self.window[1]:
            return
        years = 2 if target == 2 else 4
        end = date(year + years, 6, rng.randint(1, 28))
        fields = TITLE_FIELDS.get(self.title_on(p, start), CADRE_FIELDS)
        field_of_study = rng.choice(fields)
        level = PROF_LEVELS[target]
        inst = rng.choice(INSTITUTIONS["university" if target >= 3 else "intermediate"])
        eid = self.ids.take("enrolment")
        # The outcome's draws come from a stream of their own: whether a course ends after the
        # person left (which may depend on 1/7/2025) never shifts the commune's training stream.
        out = self.outcome_rng(p, start)
        status, qid, result = "enrolled", None, ""
        if end <= self.end:
            if self._still_active(p, end):
                status, result = "completed", "Tốt nghiệp"
                qid = self.give_qualification(
                    out,
                    p,
                    "professional",
                    level,
                    target,
                    end,
                    field_of_study=field_of_study,
                    mode="in_service",
                    institution=inst,
                )
            else:
                status, result = "dropped", "Thôi học do nghỉ công tác"
        elif not self._still_active(p, min(self.end, end)):
            status, result = "dropped", "Thôi học do nghỉ công tác"
        name = f"{'Trung cấp' if target == 2 else 'Đại học'} {FIELD_TEXT.get(field_of_study, '')} (vừa làm vừa học)"
        self.data.add(
            "enrolment",
            (
                eid,
                p.id,
                name,
                "degree",
                "professional",
                level,
                field_of_study,
                inst,
                start,
                end if status != "enrolled" else None,
                status,
                result,
                "province",
                rng.randint(20, 60) * 1_000_000,
                years * 12 * 2,
                qid,
            ),
        )

    def attend(self, rng: random.Random, p: Person, year: int) -> None:
        kind = _weighted(
            rng,
            (
                ("political_theory", 0.25),
                ("state_management", 0.12),
                ("it", 0.13),
                ("professional", 0.38),
                ("leadership", 0.07),
                ("foreign_language", 0.05),
            ),
        )
        start = _date_in_year(rng, year, 2, 10)
        if not self.in_post(p, start) or not self.window[0] <= start <= self.window[1]:
            return
        target_dim = target_level = field_of_study = ""
        qual_rank = 0
        if kind == "political_theory":
            llct = p.rank("political_theory")
            target = min(llct + 1, 3) if llct < 3 else 0
            if target == 3 and rng.random() < 0.8:
                target = 0
            if target:
                target_dim, target_level, qual_rank = "political_theory", LLCT_LEVELS[target], target
                name = f"{LLCT_LEVELS_VI[target]} lý luận chính trị"
                weeks = {1: 6, 2: 40, 3: 80}[target]
            else:
                name, weeks = "Bồi dưỡng cập nhật kiến thức lý luận chính trị", 1
        elif kind == "state_management":
            if p.rank("state_management") < 2:
                target_dim, target_level, qual_rank = "state_management", "specialist", 2
                name, weeks = "Bồi dưỡng quản lý nhà nước ngạch chuyên viên", 8
            else:
                name, weeks = "Bồi dưỡng kiến thức quản lý nhà nước", 2
        elif kind == "it":
            if p.rank("it") < 1:
                target_dim, target_level, qual_rank = "it", "certificate_b" if year < 2015 else "basic", 1
                name, weeks = "Tin học văn phòng", 6
            else:
                name, weeks = "Bồi dưỡng kỹ năng ứng dụng công nghệ thông tin", 1
        elif kind == "foreign_language":
            target_dim, target_level, qual_rank = (
                "foreign_language",
                "certificate_a" if year < 2015 else "level_2",
                1,
            )
            name, weeks = "Tiếng Anh", 10
        elif kind == "leadership":
            name, weeks = "Bồi dưỡng kỹ năng lãnh đạo, quản lý cấp xã", 2
        else:
            name, field_of_study = rng.choice(REFRESHER_COURSES)
            weeks = rng.randint(1, 4)
        end = start + timedelta(weeks=weeks)
        eid = self.ids.take("enrolment")
        # The outcome's draws come from a stream of their own: whether a course ends after the
        # person left (which may depend on 1/7/2025) never shifts the commune's training stream.
        out = self.outcome_rng(p, start)
        status, result, qid = "enrolled", "", None
        if end <= self.end:
            if self._still_active(p, end) and out.random() < 0.96:
                status, result = "completed", "Đạt"
                if target_dim and qual_rank > p.rank(target_dim) - (0 if target_dim != "it" else 1):
                    qid = self.give_qualification(
                        out,
                        p,
                        target_dim,
                        target_level,
                        qual_rank,
                        end,
                        institution=out.choice(INSTITUTIONS["political_theory"]),
                    )
            else:
                status, result = (
                    "failed" if self._still_active(p, end) else "dropped",
                    "Không đạt" if self._still_active(p, end) else "",
                )
        self.data.add(
            "enrolment",
            (
                eid,
                p.id,
                name,
                kind,
                target_dim,
                target_level,
                field_of_study,
                rng.choice(INSTITUTIONS["political_theory"]),
                start,
                end if status != "enrolled" else None,
                status,
                result,
                "state",
                weeks * 1_500_000,
                None,
                qid,
            ),
        )

    def remedial(self, rng: random.Random, p: Person, year: int) -> None:
        start = date(year, 9, 5)
        if not self.in_post(p, start) or not self.window[0] <= start <= self.window[1]:
            return
        end = date(year + 2, 5, 30)
        eid = self.ids.take("enrolment")
        # The outcome's draws come from a stream of their own: whether a course ends after the
        # person left (which may depend on 1/7/2025) never shifts the commune's training stream.
        out = self.outcome_rng(p, start)
        status, qid = "enrolled", None
        if end <= self.end:
            if self._still_active(p, end):
                status = "completed"
                qid = self.give_qualification(
                    out,
                    p,
                    "general_education",
                    "upper_secondary",
                    3,
                    end,
                    remedial=True,
                    institution="Trung tâm Giáo dục thường xuyên",
                )
            else:
                status = "dropped"
        else:
            p.quals["general_education"] = (3, "enrolled")  # in memory only: not enrolled twice
        self.data.add(
            "enrolment",
            (
                eid,
                p.id,
                "Bổ túc văn hóa trung học phổ thông",
                "remedial",
                "general_education",
                "upper_secondary",
                "",
                "Trung tâm Giáo dục thường xuyên",
                start,
                end if status != "enrolled" else None,
                status,
                "Tốt nghiệp" if status == "completed" else "",
                "province",
                6_000_000,
                None,
                qid,
            ),
        )

    def outcome_rng(self, p: Person, start: date) -> random.Random:
        return self.rng_for("outcome", p.id, start.isoformat())

    def title_on(self, p: Person, on: date) -> str:
        """The title ``p`` holds (not concurrently) on ``on`` — what a degree's field of study
        fits; it never depends on where the person is placed later (1/7/2025)."""
        for s, e, row in self.spans(p):
            if s <= on and (e is None or e >= on) and not row[8]:
                return row[3]
        return ""

    # ----------------------------------------------------------------- the whole province

    def run(self) -> Dataset:
        #: Per old commune: especially difficult, until when, and its class.
        self.commune_info: dict[tuple[str, str], tuple[bool, date, str]] = {}
        #: Per old commune: its last population and area, on the border, in an ethnic-minority area.
        self.commune_facts: dict[str, tuple[int, float, bool, bool]] = {}
        # Expulsions: the story's 12 for 22 communes over 2005–2020, scaled, planned per old
        # district (its own random stream, so that Cao Lộc's plan does not depend on which other
        # districts are simulated with it).
        by_district: dict[str, list[CommuneSpec]] = {}
        for c in self.communes:
            by_district.setdefault(c.district_code, []).append(c)
        plan: dict[str, list[date]] = {}
        for district in by_district.values():
            n = len(district)
            plan_rng = self.rng_for("expulsions", district[0].code)
            expected = STORY_EXPELLED_2005_2020 * n / STORY_COMMUNES
            count = int(expected) + (1 if plan_rng.random() < expected - int(expected) else 0)
            for _ in range(count):
                c = plan_rng.choice(district)
                plan.setdefault(c.code, []).append(_date_in_year(plan_rng, plan_rng.randint(2005, 2020)))

        survivors_by_new: dict[str, list[Person]] = {}
        commune_people: dict[str, list[Person]] = {}
        for c in self.communes:
            start_index = len(self.people)
            survivors = self.simulate_commune(c, plan.get(c.code, []))
            commune_people[c.code] = self.people[start_index:]
            if c.successor_code and self.end >= REFORM:
                survivors_by_new.setdefault(c.successor_code, []).extend(survivors)
        predecessors: dict[str, list[str]] = {}
        for c in self.communes:
            if c.successor_code:
                predecessors.setdefault(c.successor_code, []).append(c.code)
        new_people: dict[str, list[Person]] = {}
        for code, survivors in survivors_by_new.items():
            new_people[code] = self.place_in_new_commune(
                self.new_communes[code], survivors, predecessors.get(code, [])
            )
        # Training and evaluations need each year's active people.
        self.index_spans()
        legacy_last_year = min(self.end, LEGACY_END).year
        for c in self.communes:
            self.train(
                (c.code, "legacy"),
                self.active_by_year(
                    commune_people[c.code], 2005, legacy_last_year, min(self.end, LEGACY_END)
                ),
                (START, LEGACY_END),
            )
        for code, ppl in new_people.items():
            self.train(
                (code, "new"),
                self.active_by_year(ppl, 2025, self.end.year, self.end, from_date=REFORM),
                (REFORM, date.max),
            )
        self.evaluate()
        self.plan_succession(commune_people, new_people)
        for p in self.people:
            row = self.person_rows[p.id]
            row[PERSON_COL["managing_unit_key"]] = p.managing_key
            self.data.add("person", tuple(row))
        return self.data

    def active_by_year(self, people: list[Person], first: int, last: int, cap: date, from_date: date = START):
        spans = self.spans
        out = []
        for year in range(first, last + 1):
            lo, hi = max(date(year, 1, 1), from_date), min(date(year, 12, 31), cap)
            out.append(
                (year, [p for p in people if any(s <= hi and (e is None or e >= lo) for s, e, _ in spans(p))])
            )
        return out

    def spans(self, p: Person) -> list[tuple[date, date | None, tuple]]:
        return self.assignment_spans.get(p.id, [])

    def place_in_new_commune(
        self, nc: NewCommuneSpec, survivors: list[Person], predecessors: list[str] | None = None
    ) -> list[Person]:
        """1/7/2025: end every old assignment (unit merged) and place the staff of
        the merged communes into the new commune's titles and job positions. The new
        commune's facts follow its old communes': population and area their sums, on the
        border or in an ethnic-minority area if one of them was."""
        rng = self.rng_for("placement", nc.code)
        key = (nc.code, "new")
        old_titles: dict[int, str] = {}
        for p in survivors:
            for seat in list(p.seats):
                if not seat.concurrent:
                    old_titles.setdefault(p.id, seat.title)
                self.end_assignment(seat, LEGACY_END, "unit_merged")
        self.data.add(
            "classification",
            (key, rng.choice(("class_1", "class_2", "class_2", "class_3")), REFORM, None, SYNTHETIC),
        )
        if self.population.mountainous > 0.5:
            self.data.add("area_flag", (key, "mountainous", REFORM, None, SYNTHETIC))
        facts = [self.commune_facts[code] for code in predecessors or () if code in self.commune_facts]
        for flag, i in (("ethnic_minority", 3), ("border", 2)):
            if any(f[i] for f in facts):
                self.data.add("area_flag", (key, flag, REFORM, None, SYNTHETIC))
        # The draws stay (population, then an area a year) so that the random stream of the
        # placements below is the same whatever the old communes' facts.
        population = rng.randint(12000, 30000)
        if facts:
            population = sum(f[0] for f in facts)
        for year in range(2025, self.end.year + 1):
            area = round(rng.uniform(60, 250), 2)
            if facts:
                area = round(sum(f[1] for f in facts), 2)
            self.data.add("statistics", (key, year, population, area))
        pool = sorted(survivors, key=lambda p: (p.birth, p.id))
        placed: list[Person] = []
        for position in NEW_POSITIONS:
            sources = NEW_LEADER_FROM.get(position, ())
            candidate = next((p for p in pool if old_titles.get(p.id) in sources), None)
            if candidate is None:
                continue
            pool.remove(candidate)
            self.place(
                rng,
                candidate,
                Seat(
                    position,
                    "C" if position in PARTY_TITLES | COUNCIL_TITLES | {"CT_MTTQ", "PCT_MTTQ"} else "S",
                ),
                key,
            )
            placed.append(candidate)
        for p in pool:
            title = NEW_SPECIALIST.get(
                old_titles.get(p.id, ""), rng.choice(("CV_VP", "CV_VHXH", "CV_HCC", "CV_XD"))
            )
            title = fitting_specialist(title, p.field)
            self.place(rng, p, Seat(title, "S"), key)
            placed.append(p)
        # Staff reduction (tinh giản biên chế) in the first months: early retirement of the surplus.
        surplus = max(0, len(placed) - new_commune_quota())
        # Those who retire early are the oldest specialists (the pool), not the heads just appointed.
        leavers = sorted(pool, key=lambda p: p.birth)[: surplus // 3]
        for p in leavers:
            on = _date_in_year(rng, 2025, 8, 12)
            if on <= self.end:
                self.person_leaves(p, on, "retirement")
        # Normal retirements after the reform.
        vacated: list[tuple[date, Seat]] = []
        for p in placed:
            if p.active:
                ret = retirement.retirement_date(p.birth, p.sex)
                if REFORM < ret <= self.end:
                    heads = [s for s in p.seats if not s.title.startswith("CV_")]
                    self.person_leaves(p, ret - timedelta(days=1), "retirement")
                    vacated.extend((ret, seat) for seat in heads)
        # A head who retires is succeeded within months by one of the commune's own specialists
        # (elected, or appointed), the longest-serving who held a fitting old title if any.
        for since, seat in sorted(vacated, key=lambda v: (v[0], v[1].title)):
            on = since + timedelta(days=rng.randint(30, 120))
            if on > self.end:
                continue
            staff = [
                p
                for p in placed
                if p.active
                and p.seats
                and all(s.title.startswith("CV_") for s in p.seats)
                and (seat.kind == "S" or p.party_joined)
            ]
            fitting = [p for p in staff if old_titles.get(p.id) in NEW_LEADER_FROM.get(seat.title, ())]
            if not staff:
                continue
            successor = min(fitting or staff, key=lambda p: (p.birth, p.id))
            for held in list(successor.seats):
                self.end_assignment(held, on - timedelta(days=1), "transfer")
            self.start_assignment(
                seat, successor, key, on, "elected" if seat.kind == "C" else "appointed", rng
            )
        return placed

    def place(self, rng: random.Random, p: Person, seat: Seat, key) -> None:
        if self.end < REFORM:
            return
        self.start_assignment(seat, p, key, REFORM, "placed", rng)
        p.managing_key = key

    def evaluate(self) -> None:
        """Annual evaluations (Decree 90/2020; Decree 335/2025 from 2026): every
        person in post that year; fewer than 6 months → not rated; disciplined
        in the year → not completed."""
        last_year = self.end.year if self.end >= date(self.end.year, 12, 15) else self.end.year - 1
        for p in self.people:
            rng = self.rng_for("evaluation", p.id)
            spans = self.spans(p)
            if not spans:
                continue
            first = max(spans[0][0].year, 2005)
            for year in range(first, last_year + 1):
                lo, hi = date(year, 1, 1), date(year, 12, 31)
                days = 0
                covered: list[tuple[date, date]] = []
                for s, e, _ in spans:
                    a, b = max(s, lo), min(e or hi, hi)
                    if a <= b:
                        covered.append((a, b))
                if not covered:
                    continue
                covered.sort()
                cur_a, cur_b = covered[0]
                for a, b in covered[1:]:
                    if a <= cur_b + timedelta(days=1):
                        cur_b = max(cur_b, b)
                    else:
                        days += (cur_b - cur_a).days + 1
                        cur_a, cur_b = a, b
                days += (cur_b - cur_a).days + 1
                if days < 183:
                    rating, score = "not_rated", None
                elif year in p.disciplined_years:
                    rating, score = "not_completed", None
                else:
                    rating = _weighted(
                        rng,
                        (("excellent", 0.12), ("good", 0.58), ("completed", 0.27), ("not_completed", 0.03)),
                    )
                    score = None
                if year >= 2026 and rating != "not_rated":
                    score = {
                        "excellent": rng.randint(90, 100),
                        "good": rng.randint(70, 89),
                        "completed": rng.randint(50, 69),
                        "not_completed": rng.randint(30, 49),
                    }[rating]
                self.data.add("evaluation", (self.ids.take("evaluation"), p.id, year, rating, score, ""))

    def plan_succession(
        self, commune_people: dict[str, list[Person]], new_people: dict[str, list[Person]]
    ) -> None:
        """Succession plans for the 2020–2025 term (made in 2019) and, in the new
        communes, the 2025–2030 term (made after Guidance 45-HD/BTCTW, 12/2025)."""
        targets = ("BT_DU", "CT_UBND", "CT_HDND", "PCT_UBND")
        rounds = [(commune_people, "legacy", date(2019, 9, 1), 2020, 2025)]
        rounds.append((new_people, "new", date(2025, 12, 1), 2025, 2030))
        for groups, era, made_on, t0, t1 in rounds:
            if made_on > self.end:
                continue
            for code, people in groups.items():
                rng = self.rng_for("succession", code, t0)
                candidates = [
                    p
                    for p in people
                    if any(s <= made_on and (e is None or e >= made_on) for s, e, _ in self.spans(p))
                    and p.party_joined
                    and not p.expelled
                    and retirement.months_to_retirement(p.birth, p.sex, date(t0 + 5, 7, 1))
                    >= rule_figure("succession_tier_1", "min_months_to_retirement", made_on)
                ]
                rng.shuffle(candidates)
                for title in targets:
                    for _ in range(rng.randint(1, 2)):
                        if not candidates:
                            break
                        p = candidates.pop()
                        months = retirement.months_to_retirement(p.birth, p.sex, date(t0 + 5, 7, 1))
                        tier = (
                            "tier_2"
                            if months >= rule_figure("succession_tier_2", "min_months_to_retirement", made_on)
                            and rng.random() < 0.5
                            else "tier_1"
                        )
                        removed_on, reason = None, ""
                        end_era = LEGACY_END if era == "legacy" else self.end
                        for s, _end, row in self.spans(p):
                            if row[3] == title and s > made_on and s <= end_era:
                                removed_on, reason = s, "appointed"
                                break
                        if removed_on is None and p.left_on and p.left_on <= end_era:
                            removed_on = p.left_on
                            reason = "discipline" if p.expelled else "left"
                        if removed_on is None:
                            dis = sorted(y for y in p.disciplined_years if made_on.year <= y <= end_era.year)
                            if dis:
                                removed_on, reason = date(dis[0], 12, 31), "discipline"
                        if removed_on is None and era == "legacy" and self.end >= REFORM:
                            removed_on, reason = LEGACY_END, "review"
                        self.data.add(
                            "succession",
                            (
                                self.ids.take("succession"),
                                p.id,
                                title,
                                (code, era),
                                t0,
                                t1,
                                tier,
                                made_on,
                                removed_on,
                                reason,
                                f"{rng.randint(1, 200)}-QĐ/ĐU",
                            ),
                        )

    def index_spans(self) -> None:
        spans: dict[int, list] = {}
        for row in self.data.rows["assignment"]:
            spans.setdefault(row[1], []).append((row[4], row[5], row))
        for v in spans.values():
            v.sort(key=lambda t: t[0])
        self.assignment_spans = spans


DEMO_PROVINCE = 20  # Lạng Sơn
DEMO_DISTRICT = "183"  # the former Cao Lộc district
KIND = {"xã": "commune", "phường": "ward", "thị trấn": "township", "đặc khu": "special_zone"}


def province_groups(
    scale: str, districts: Iterable[str] | None = None
) -> list[tuple[list[CommuneSpec], dict[str, NewCommuneSpec], Population]]:
    """The old communes to simulate, grouped by the new province they became part of.

    ``demo``: every old commune of Lạng Sơn (11 districts, 194 communes; 65 new communes from
    1/7/2025), Cao Lộc's first — so that its people, posts and records take the same ids and
    random draws as when Cao Lộc is simulated alone (the story, STORY.md). ``national``: every
    old commune of the country. ``districts`` (three-digit old district codes) keeps only those
    districts' communes, e.g. ``{"183"}`` for Cao Lộc alone."""
    from vietnam_provinces import _lookup as new
    from vietnam_provinces import _province_conversion_2025 as pconv
    from vietnam_provinces import _ward_conversion_2025 as wconv
    from vietnam_provinces.legacy import _lookup as old

    if scale not in {"demo", "national"}:
        raise ValueError(f"unknown scale {scale!r}: use demo or national")
    keep = set(districts) if districts is not None else None
    groups: dict[int, tuple[list, dict]] = {}
    district_province = {int(d.code): int(d.province_code) for d in old.DISTRICT_MAPPING.values()}

    def order(w) -> tuple:
        first = scale == "demo" and f"{int(w.district_code):03d}" == DEMO_DISTRICT
        return (not first, int(w.code))

    for w in sorted(old.WARD_MAPPING.values(), key=order):
        province_no = district_province[int(w.district_code)]
        district = f"{int(w.district_code):03d}"
        if scale == "demo" and province_no != DEMO_PROVINCE:
            continue
        if keep is not None and district not in keep:
            continue
        entry = wconv.OLD_TO_NEW.get(int(w.code))
        successor = f"{entry.new_wards[0].code:05d}" if entry else None
        new_province = (
            pconv.OLD_TO_NEW[province_no].new_provinces[0].code
            if province_no in pconv.OLD_TO_NEW
            else province_no
        )
        communes, new_communes = groups.setdefault(new_province, ([], {}))
        communes.append(
            CommuneSpec(
                f"{int(w.code):05d}", w.name, KIND[str(w.division_type)], province_no, successor, district
            )
        )
        if successor and successor not in new_communes:
            nw = new.WARD_MAPPING[int(successor)]
            new_communes[successor] = NewCommuneSpec(successor, nw.name, KIND[str(nw.division_type)])
    return [
        (communes, new_communes, LANG_SON if code == DEMO_PROVINCE else KINH_MAJORITY)
        for code, (communes, new_communes) in sorted(groups.items())
    ]


def simulate(
    groups: Iterable[tuple[list[CommuneSpec], dict[str, NewCommuneSpec], Population]],
    *,
    seed: int,
    end: date,
    ids: Ids | None = None,
) -> Iterator[Dataset]:
    """Simulate each province group in turn, yielding its rows (so a country
    can be written group by group without holding it all in memory)."""
    ids = ids or Ids()
    serials: dict[tuple[int, int, int], int] = {}
    for communes, new_communes, population in groups:
        sim = ProvinceSimulation(
            communes, new_communes, seed=seed, end=end, population=population, ids=ids, serials=serials
        )
        yield sim.run()
