"""Rules of the qualification reader found on the real-string corpus (issue 9, item 5): a
school's name, a teaching-skills course, a group of levels and an abbreviation that is not a
degree give no level; the degrees next to them are still read."""

from __future__ import annotations

import pytest

from canbo.core.normalise import read_qualifications


def _levels(text: str, hint: str | None = None) -> set[tuple[str, str]]:
    return {(r.dimension.value, r.level) for r in read_qualifications(text, hint) if r.known}


@pytest.mark.parametrize(
    "text",
    [
        "ĐH Ngoại ngữ - ĐHQGHN",  # a member school of a university system
        "ĐH SPHN",  # a place run into the abbreviation
        "ĐH Sư phạm 1",  # a numbered school
        "ĐH SP HN1",
        "ĐH INSA Rennes (Pháp)",  # a school abroad
        "Đại học Kỹ thuật Slovakia tại Bratislava",
        "Chứng chỉ NVSP cho GV Đại học, Cao đẳng",  # a course and the staff it is for
        "Nghiệp vụ sư phạm cho giảng viên đại học - cao đẳng",
        "Kiếm định chất lượng giáo dục CĐ, ĐH và TCCN",  # the education sector
        "Giáo dục ĐH",
        "Chứng chỉ: Dự bị đại học 08/2001",  # university-preparatory is not a level
        "- Thạc sỹ (tương đương)",  # a group: "master's or equivalent"
        "Thạc sỹ, tiến sỹ",  # bare levels listed: which was earned is not said
        "Đại học, Cao đẳng",
        "Nghiên cứu sinh Đại học Kỹ thuật Slovakia tại Bratislava",  # a PhD student
        "ĐH Sư Phạm - ĐH Thái Nguyên",  # a member school named before its university
        "Cao cấp, cử nhân",  # levels of political theory listed: "cử nhân" is not said to be a degree
        "TTĐT chuyển giao CN tin học INTECEN",  # CN = công nghệ (technology transfer)
        "Sư Phạm ĐH",  # sư phạm đại học: the teaching-skills course for lecturers
        "Sư phạm Bậc 1 & 2. Sư phạm 2 ĐH, CĐ",
        "Bác sĩ chuyên khoa 5 năm",  # specialist training after the degree, grade not said
        "Bác sĩ CK II",
        "Trung cấp Lý luận nghiệp vụ công tác Thanh vận",  # political theory or professional?
    ],
)
def test_no_level_is_read(text):
    readings = read_qualifications(text)
    assert readings, text
    assert not any(r.known for r in readings), [(r.dimension, r.level) for r in readings]
    assert all(r.reason_vi and r.reason_en for r in readings if not r.none)


@pytest.mark.parametrize(
    "text, hint, expected",
    [
        ("ĐH tiếng Pháp", None, {("professional", "university")}),  # a language, not France
        ("ĐH Kế toán tài chính", None, {("professional", "university")}),  # "tài", not "tại"
        ("CĐ Sư phạm, ĐH Luật", None, {("professional", "college"), ("professional", "university")}),
        ("ĐH Luật; Sư phạm ĐH", None, {("professional", "university")}),  # the course gives nothing
        ("Bác sĩ đa khoa", None, {("professional", "university")}),  # a general doctor: the degree
        ("Trung cấp lý luận chính trị", None, {("political_theory", "intermediate")}),
        (
            "Trung cấp Lý luận nghiệp vụ công tác Thanh vận",
            "political_theory",
            {("political_theory", "intermediate")},  # the column decides the dimension
        ),
        (
            "Trung cấp Lý luận nghiệp vụ công tác Thanh vận",
            "professional",
            {("professional", "intermediate")},
        ),
        (
            "Anh B, Pháp C",
            None,
            {("foreign_language", "certificate_b"), ("foreign_language", "certificate_c")},
        ),
        (
            "Ths: Xây dựng DD và CN 09/2008; Chứng chỉ: Chứng chỉ nghiệp vụ sư phạm 06/2010",
            None,
            {("professional", "master")},  # "CN" here is công nghiệp; the course gives no level
        ),
        ("CN 09/2008", "professional", {("professional", "university")}),  # in a degree column
        ("Thạc sĩ Luật; NVSP cho GV ĐH", None, {("professional", "master")}),
        ("CN Luật", None, {("professional", "university")}),
        ("Bằng CN Kinh tế", None, {("professional", "university")}),
        ("KS Nông nghiệp - ĐH Nông Lâm Thái Nguyên", None, {("professional", "university")}),
    ],
)
def test_the_degree_next_to_them_is_read(text, hint, expected):
    assert _levels(text, hint) == expected
