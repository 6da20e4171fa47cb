"""A small world for the standards adapters (snapshot, services, ``canbo check``/``staffing``),
built directly in the test database, and rule files written for it into ``tmp_path`` — so the
tests depend neither on the reference data nor on the content of the national rule files.

Units (codes not used by the real lists; the province code is reused across eras, as real
codes are):

==========  =====  ===============================  ==========================
key         code   unit                              validity
==========  =====  ===============================  ==========================
province    99     Tỉnh Thử (legacy)                 … – 30/06/2025
district    999    Huyện Thử                         … – 30/06/2025
c1          99901  Xã Một (class II, mountainous)    … – 30/06/2025
c2          99902  Xã Hai (class III, nobody in post) … – 30/06/2025
province2   99     Tỉnh Thử (2025)                   01/07/2025 –
c3          99903  Xã Mới                             01/07/2025 –
==========  =====  ===============================  ==========================

People (posts in Xã Một unless said):

* ``an`` — TP_HT 2015-01-01…2025-06-30, university law: meets the test standard;
* ``binh`` — VP_TK in Xã Hai 2012-01-01…2020-02-29, then TP_HT 2020-03-01…2024-12-31,
  intermediate law: *lacks the degree* (unmet);
* ``cuong`` — CT_UBND 2021-01-01…2025-06-30, no qualification (unknown);
* ``em`` — VP_TK from 2019-01-01, intermediate: met through the transition until 31/12/2026;
* ``giang`` — CV_TP in Xã Mới from 2025-07-01.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest

LEGACY_END = date(2025, 6, 30)
REFORM = date(2025, 7, 1)

TEST_RULES = textwrap.dedent("""\
    instrument:
      code: test-2020
      name_vi: "Văn bản thử năm 2020"
      name_en: "Test instrument 2020"
      short_vi: "VB thử 2020"
      issued: 2019-12-01
      in_force: 2020-01-01
      source: "tests"
    standards:
      - id: test-2020.tp-ht.professional
        titles: [TP_HT]
        criterion: professional
        minimum: university
        valid_from: 2020-01-01
        reference: {article: 5, clause: 1}
        message: {vi: "Công chức tư pháp - hộ tịch: đại học trở lên", en: "Justice officer: university or higher"}
      - id: test-2020.tp-ht.field
        titles: [TP_HT]
        criterion: field_of_study
        accepted: [law]
        minimum: university
        valid_from: 2020-01-01
        verified: false
        verification_note: "thử điểm chưa kiểm chứng"
        reference: {article: 5, clause: 2}
        message: {vi: "Ngành luật", en: "A law degree"}
      - id: test-2020.vp-tk.professional
        titles: [VP_TK]
        criterion: professional
        minimum: university
        valid_from: 2020-01-01
        reference: {article: 6}
        message: {vi: "Văn phòng - thống kê: đại học trở lên", en: "Office: university or higher"}
        exceptions:
          - kind: transition
            minimum: intermediate
            in_post_before: 2019-06-01
            until: 2026-12-31
            reference: {article: 9}
            message: {vi: "Người vào làm trước 01/6/2019 được đến hết 2026", en: "Those in post before 1 June 2019 have until the end of 2026"}
      - id: test-2020.chair.professional
        titles: [CT_UBND]
        criterion: professional
        minimum: university
        valid_from: 2020-01-01
        reference: {article: 7}
        message: {vi: "Chủ tịch UBND: đại học trở lên", en: "Chair: university or higher"}
    quotas:
      - id: test-2020.quota.commune
        unit_kinds: [commune, ward, township]
        counts: [cadre, civil_servant]
        by_class: {class_1: 3, class_2: 2, class_3: 2}
        valid_from: 2020-01-01
        reference: {article: 3}
        message: {vi: "Số lượng theo loại xã", en: "Number by commune class"}
    establishment:
      - id: test-2020.establishment.commune
        unit_kinds: [commune]
        titles: {CT_UBND: {min: 1, max: 1}, TP_HT: {min: 1, max: 1}, CHT_QS: {min: 1}}
        valid_from: 2020-01-01
        reference: {article: 4}
        message: {vi: "Các chức danh phải có", en: "Titles every commune must have"}
    """)

#: A draft decree: from 1/1/2025 a justice officer needs a master's degree.
DRAFT_RULES = textwrap.dedent("""\
    instrument:
      code: draft-2025
      name_vi: "Dự thảo nghị định năm 2025"
      name_en: "Draft decree 2025"
      short_vi: "Dự thảo 2025"
      source: "tests"
    standards:
      - id: draft-2025.tp-ht.professional
        titles: [TP_HT]
        criterion: professional
        minimum: master
        valid_from: 2025-01-01
        reference: {article: 1}
        message: {vi: "Công chức tư pháp - hộ tịch: thạc sĩ trở lên", en: "Justice officer: master's degree or higher"}
    """)


def write_rules(directory: Path, code: str, text: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / f"{code}.yaml").write_text(text, encoding="utf-8")
    return directory


@dataclass
class StandardsWorld:
    units: dict = field(default_factory=dict)
    titles: dict = field(default_factory=dict)
    people: dict = field(default_factory=dict)
    posts: dict = field(default_factory=dict)
    rules_dir: Path | None = None
    draft_dir: Path | None = None


TITLES = [
    ("CT_UBND", "Chủ tịch Ủy ban nhân dân", "cadre"),
    ("CHT_QS", "Chỉ huy trưởng Ban Chỉ huy quân sự", "civil_servant"),
    ("VP_TK", "Văn phòng - thống kê", "civil_servant"),
    ("TP_HT", "Tư pháp - hộ tịch", "civil_servant"),
    ("CV_TP", "Chuyên viên tư pháp - hộ tịch", "job_position"),
]


def build_world(tmp_path: Path) -> StandardsWorld:
    from canbo.conduct.models import Discipline, Evaluation
    from canbo.core.identity import make_identity_number
    from canbo.registry.models import (
        Assignment,
        Person,
        Qualification,
        Title,
        Unit,
        UnitAreaFlag,
        UnitClassification,
        UnitStatistics,
    )

    w = StandardsWorld()
    for code, name, kind in TITLES:
        w.titles[code], _ = Title.objects.get_or_create(
            code=code, defaults={"name": name, "kind": kind, "legal_reference": "tests"}
        )

    def unit(key, code, name, level, kind, parent=None, valid_from=None, valid_to=None):
        w.units[key] = Unit.objects.create(
            code=code,
            name=name,
            level=level,
            kind=kind,
            parent=parent,
            valid_from=valid_from,
            valid_to=valid_to,
        )
        return w.units[key]

    p = unit("province", "99", "Tỉnh Thử", "province", "province", valid_to=LEGACY_END)
    d = unit("district", "999", "Huyện Thử", "district", "rural_district", p, valid_to=LEGACY_END)
    c1 = unit("c1", "99901", "Xã Một", "commune_level", "commune", d, valid_to=LEGACY_END)
    c2 = unit("c2", "99902", "Xã Hai", "commune_level", "commune", d, valid_to=LEGACY_END)
    p2 = unit("province2", "99", "Tỉnh Thử", "province", "province", valid_from=REFORM)
    c3 = unit("c3", "99903", "Xã Mới", "commune_level", "commune", p2, valid_from=REFORM)

    UnitClassification.objects.create(
        unit=c1, unit_class="class_2", valid_from=date(2020, 1, 1), valid_to=LEGACY_END
    )
    UnitClassification.objects.create(
        unit=c2, unit_class="class_3", valid_from=date(2020, 1, 1), valid_to=LEGACY_END
    )
    UnitClassification.objects.create(unit=c3, unit_class="class_1", valid_from=REFORM)
    UnitAreaFlag.objects.create(unit=c1, flag="mountainous", valid_from=date(2005, 1, 1))
    UnitStatistics.objects.create(unit=c1, year=2023, population=9500, natural_area_km2="41.25")

    names = {
        "an": ("Nguyễn", "Văn", "An", "male", date(1985, 4, 2)),
        "binh": ("Trần", "Thị", "Bình", "female", date(1988, 9, 15)),
        "cuong": ("Lê", "Văn", "Cường", "male", date(1975, 1, 20)),
        "em": ("Phạm", "Thị", "Em", "female", date(1990, 12, 1)),
        "giang": ("Hoàng", "", "Giang", "male", None),
    }
    for serial, (key, (family, middle, given, sex, born)) in enumerate(names.items(), start=1):
        w.people[key] = Person.objects.create(
            identity_number=make_identity_number(99, born.year, sex, 500 + serial) if born else None,
            family_name=family,
            middle_name=middle,
            given_name=given,
            sex=sex,
            birth_date=born,
            managing_unit=c3 if key == "giang" else c1,
        )
    P = w.people

    def post(key, person, unit, title, start, end=None, reason="recruited"):
        w.posts[key] = Assignment.objects.create(
            person=P[person],
            unit=unit,
            title=w.titles[title],
            start=start,
            end=end,
            start_reason=reason,
            end_reason="transfer" if end else "",
        )

    post("an", "an", c1, "TP_HT", date(2015, 1, 1), LEGACY_END)
    post("binh_early", "binh", c2, "VP_TK", date(2012, 1, 1), date(2020, 2, 29))
    post("binh", "binh", c1, "TP_HT", date(2020, 3, 1), date(2024, 12, 31))
    post("cuong", "cuong", c1, "CT_UBND", date(2021, 1, 1), LEGACY_END, reason="elected")
    post("em", "em", c1, "VP_TK", date(2019, 1, 1), LEGACY_END)
    post("giang", "giang", c3, "CV_TP", REFORM, reason="placed")

    def qual(person, dimension, level, field="", obtained=None):
        Qualification.objects.create(
            person=P[person], dimension=dimension, level=level, field_of_study=field, obtained_on=obtained
        )

    qual("an", "professional", "university", "law", date(2008, 6, 30))
    qual("an", "general_education", "upper_secondary", obtained=date(2003, 6, 1))
    qual("binh", "professional", "intermediate", "law", date(2010, 6, 30))
    qual("em", "professional", "intermediate", "", date(2012, 6, 30))
    qual("giang", "professional", "university", "law")
    Evaluation.objects.create(person=P["an"], year=2023, rating="good")
    Evaluation.objects.create(person=P["an"], year=2024, rating="excellent")
    Discipline.objects.create(
        person=P["cuong"],
        track="administrative",
        form="reprimand",
        decided_on=date(2023, 5, 2),
        authority="UBND huyện",
        decision_number="1/QĐ",
    )

    w.rules_dir = write_rules(tmp_path / "rules", "test-2020", TEST_RULES)
    w.draft_dir = write_rules(tmp_path / "draft", "draft-2025", DRAFT_RULES)
    return w


@pytest.fixture
def standards_world(db, tmp_path, settings) -> StandardsWorld:
    """The small world, with the national rules of this test replaced by the test rule file
    (``CANBO_RULES_DIRS``)."""
    w = build_world(tmp_path)
    settings.CANBO_RULES_DIRS = [w.rules_dir]
    return w
