"""Qualification dimensions and their ordered levels.

The dimensions and levels follow ``domain/GLOSSARY.md`` ("Qualifications") and the legal
sources summarised in ``domain/LEGAL.md`` §5.3:

* general education (trình độ giáo dục phổ thông): primary, lower secondary, upper secondary
  (Law on Education 2019, Art. 28);
* professional (trình độ chuyên môn, nghiệp vụ): sơ cấp, trung cấp, cao đẳng, đại học, thạc sĩ,
  tiến sĩ (Law on Education 2019 Art. 38; Law on Vocational Education 2014);
* political theory (lý luận chính trị): sơ cấp, trung cấp, cao cấp, cử nhân — the bachelor's
  degree in political theory *counts as* cao cấp (same rank); Party Regulation 365-QĐ/TW;
* state management (quản lý nhà nước, old certificates by civil-service rank programme):
  cán sự, chuyên viên, chuyên viên chính, chuyên viên cao cấp;
* IT (tin học): old national certificates A/B/C, and the two levels of the IT-skill standard of
  Circular 03/2014/TT-BTTTT (cơ bản = modules IU01–IU06, nâng cao = IU07–IU15);
* foreign language (ngoại ngữ): old certificates A/B/C and bậc 1–6 of the six-level framework of
  Circular 01/2014/TT-BGDĐT (bậc 1–6 = CEFR A1–C2);
* ethnic-minority language (tiếng dân tộc thiểu số): ``spoken`` (the person speaks it — "nói
  được", "thành thạo" — with no certificate) below ``certificate``.

``rank`` is comparable only within one dimension; higher is better; equal ranks mean "counts
as the same level" for standard checks.

Ranking conventions for the old certificates (documented choices, to be confirmed against the
rule files):

* IT: Joint Circular 17/2016/TTLT-BGDĐT-BTTTT, Art. 23(2), gives the old A, B and C applied-IT
  certificates (issued before 10/8/2016 under Decision 21/2000/QĐ-BGD&ĐT) the same value as the
  *basic* IT-skill certificate of Circular 03/2014. So A = B = C = basic
  (rank 1) < advanced (rank 2). A standard that asks for "basic IT" is met by any of them.
* Foreign language: MOET guidance (Official Letter 6089/BGDĐT-GDTX of 27/10/2014 — number and
  wording still to verify) maps the old certificates A, B, C to bậc 1, 2, 3 (A1, A2, B1). So certificate_a ranks with level_1,
  certificate_b with level_2 and certificate_c with level_3.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

__all__ = [
    "DIMENSION_LABELS",
    "FIELDS_OF_STUDY",
    "SCALES",
    "STUDY_MODES",
    "Dimension",
    "Level",
    "UnknownDimension",
    "UnknownLevel",
    "is_valid_level",
    "level",
    "levels",
    "rank",
]


class Dimension(StrEnum):
    """A qualification dimension (GLOSSARY.md, "Qualifications")."""

    GENERAL_EDUCATION = "general_education"
    PROFESSIONAL = "professional"
    POLITICAL_THEORY = "political_theory"
    STATE_MANAGEMENT = "state_management"
    IT = "it"
    FOREIGN_LANGUAGE = "foreign_language"
    ETHNIC_LANGUAGE = "ethnic_language"


#: Dimension → (Vietnamese label, English label).
DIMENSION_LABELS: dict[Dimension, tuple[str, str]] = {
    Dimension.GENERAL_EDUCATION: ("Giáo dục phổ thông", "General education"),
    Dimension.PROFESSIONAL: ("Chuyên môn, nghiệp vụ", "Professional qualification"),
    Dimension.POLITICAL_THEORY: ("Lý luận chính trị", "Political theory"),
    Dimension.STATE_MANAGEMENT: ("Quản lý nhà nước", "State management"),
    Dimension.IT: ("Tin học", "Information technology"),
    Dimension.FOREIGN_LANGUAGE: ("Ngoại ngữ", "Foreign language"),
    Dimension.ETHNIC_LANGUAGE: ("Tiếng dân tộc thiểu số", "Ethnic-minority language"),
}


@dataclass(frozen=True)
class Level:
    """One level of a qualification dimension.

    ``code`` is a snake-case ASCII identifier; ``rank`` orders levels within ``dimension``
    (higher is better; equal ranks count as equivalent).
    """

    dimension: Dimension
    code: str
    rank: int
    label_vi: str
    label_en: str


class UnknownDimension(ValueError):
    """Raised for a dimension name that is not a :class:`Dimension`."""


class UnknownLevel(ValueError):
    """Raised for a level code that does not exist in the given dimension's scale."""

    def __init__(self, dimension: Dimension, code: str) -> None:
        self.dimension = dimension
        self.code = code
        self.message_vi = f"Trình độ '{code}' không tồn tại trong thang '{DIMENSION_LABELS[dimension][0]}'"
        self.message_en = f"Level '{code}' does not exist in the '{DIMENSION_LABELS[dimension][1]}' scale"
        super().__init__(self.message_vi)


def _scale(dimension: Dimension, *rows: tuple[str, int, str, str]) -> tuple[Level, ...]:
    return tuple(Level(dimension, code, r, vi, en) for code, r, vi, en in rows)


_D = Dimension

#: Each dimension's levels, ordered low → high (ranks non-decreasing).
SCALES: dict[Dimension, tuple[Level, ...]] = {
    _D.GENERAL_EDUCATION: _scale(
        _D.GENERAL_EDUCATION,
        ("primary", 1, "Tiểu học", "Primary"),
        ("lower_secondary", 2, "Trung học cơ sở", "Lower secondary"),
        ("upper_secondary", 3, "Trung học phổ thông", "Upper secondary"),
    ),
    _D.PROFESSIONAL: _scale(
        _D.PROFESSIONAL,
        ("elementary", 1, "Sơ cấp", "Elementary"),
        ("intermediate", 2, "Trung cấp", "Intermediate"),
        ("college", 3, "Cao đẳng", "College"),
        ("university", 4, "Đại học", "University"),
        ("master", 5, "Thạc sĩ", "Master"),
        ("doctorate", 6, "Tiến sĩ", "Doctorate"),
    ),
    _D.POLITICAL_THEORY: _scale(
        _D.POLITICAL_THEORY,
        ("elementary", 1, "Sơ cấp", "Elementary"),
        ("intermediate", 2, "Trung cấp", "Intermediate"),
        ("advanced", 3, "Cao cấp", "Advanced"),
        # Cử nhân chính trị counts as cao cấp lý luận chính trị: same rank.
        ("bachelor", 3, "Cử nhân", "Bachelor"),
    ),
    _D.STATE_MANAGEMENT: _scale(
        _D.STATE_MANAGEMENT,
        ("clerk", 1, "Cán sự", "Clerk"),
        ("specialist", 2, "Chuyên viên", "Specialist"),
        ("principal_specialist", 3, "Chuyên viên chính", "Principal specialist"),
        ("senior_specialist", 4, "Chuyên viên cao cấp", "Senior specialist"),
    ),
    _D.IT: _scale(
        _D.IT,
        ("certificate_a", 1, "Chứng chỉ A", "Certificate A"),
        ("certificate_b", 1, "Chứng chỉ B", "Certificate B"),
        ("certificate_c", 1, "Chứng chỉ C", "Certificate C"),
        ("basic", 1, "Ứng dụng CNTT cơ bản", "Basic IT skills"),
        ("advanced", 2, "Ứng dụng CNTT nâng cao", "Advanced IT skills"),
    ),
    _D.FOREIGN_LANGUAGE: _scale(
        _D.FOREIGN_LANGUAGE,
        ("certificate_a", 1, "Chứng chỉ A", "Certificate A"),
        ("level_1", 1, "Bậc 1 (A1)", "Level 1 (A1)"),
        ("certificate_b", 2, "Chứng chỉ B", "Certificate B"),
        ("level_2", 2, "Bậc 2 (A2)", "Level 2 (A2)"),
        ("certificate_c", 3, "Chứng chỉ C", "Certificate C"),
        ("level_3", 3, "Bậc 3 (B1)", "Level 3 (B1)"),
        ("level_4", 4, "Bậc 4 (B2)", "Level 4 (B2)"),
        ("level_5", 5, "Bậc 5 (C1)", "Level 5 (C1)"),
        ("level_6", 6, "Bậc 6 (C2)", "Level 6 (C2)"),
    ),
    _D.ETHNIC_LANGUAGE: _scale(
        _D.ETHNIC_LANGUAGE,
        ("spoken", 1, "Nói được tiếng dân tộc thiểu số", "Speaks the ethnic-minority language"),
        ("certificate", 2, "Chứng chỉ tiếng dân tộc thiểu số", "Ethnic-language certificate"),
    ),
}

_INDEX: dict[Dimension, dict[str, Level]] = {d: {lv.code: lv for lv in scale} for d, scale in SCALES.items()}

#: Common fields of study (ngành đào tạo): code → (Vietnamese, English).
FIELDS_OF_STUDY: dict[str, tuple[str, str]] = {
    "law": ("Luật", "Law"),
    "economics": ("Kinh tế", "Economics"),
    "accounting": ("Kế toán", "Accounting"),
    "finance": ("Tài chính – Ngân hàng", "Finance and banking"),
    "agriculture": ("Nông nghiệp", "Agriculture"),
    "forestry": ("Lâm nghiệp", "Forestry"),
    "land_management": ("Quản lý đất đai", "Land management"),
    "construction": ("Xây dựng", "Construction"),
    "environment": ("Môi trường", "Environment"),
    "public_administration": ("Hành chính công", "Public administration"),
    "political_science": ("Chính trị học", "Political science"),
    "culture": ("Văn hóa", "Culture"),
    "social_work": ("Công tác xã hội", "Social work"),
    "statistics": ("Thống kê", "Statistics"),
    "information_technology": ("Công nghệ thông tin", "Information technology"),
    "education": ("Sư phạm", "Education"),
    "military": ("Quân sự", "Military"),
    "police": ("Công an", "Police"),
    "other": ("Khác", "Other"),
}

#: Study modes (hình thức đào tạo): code → (Vietnamese, English).
STUDY_MODES: dict[str, tuple[str, str]] = {
    "full_time": ("Chính quy", "Full-time"),
    "in_service": ("Tại chức / vừa làm vừa học", "In-service (work and study)"),
    "distance": ("Từ xa", "Distance learning"),
    "bridging": ("Liên thông", "Bridging"),
}


def _dimension(dimension: Dimension | str) -> Dimension:
    try:
        return Dimension(dimension)
    except ValueError:
        raise UnknownDimension(f"Thang trình độ '{dimension}' không tồn tại") from None


def levels(dimension: Dimension | str) -> tuple[Level, ...]:
    """Return the levels of ``dimension`` ordered low → high (GLOSSARY.md "Qualifications")."""
    return SCALES[_dimension(dimension)]


def level(dimension: Dimension | str, code: str) -> Level:
    """Return the :class:`Level` ``code`` of ``dimension``.

    Raises :class:`UnknownLevel` (a ``ValueError``) with a Vietnamese message if the code is not
    in that dimension's scale, and :class:`UnknownDimension` for an unknown dimension.
    """
    dim = _dimension(dimension)
    try:
        return _INDEX[dim][code]
    except KeyError:
        raise UnknownLevel(dim, code) from None


def is_valid_level(dimension: Dimension | str, code: str) -> bool:
    """True if ``code`` is a level of ``dimension`` (False also for an unknown dimension)."""
    try:
        level(dimension, code)
    except (UnknownLevel, UnknownDimension):
        return False
    return True


def rank(dimension: Dimension | str, code: str) -> int:
    """The rank of level ``code`` in ``dimension`` (higher is better; see module docstring)."""
    return level(dimension, code).rank
