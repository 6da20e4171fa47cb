"""Tests for canbo.core.ethnicity (GSO Decision 121-TCTK/PPCĐ of 2/3/1979)."""

import pytest

from canbo.core.ethnicity import KINH_CODE, EthnicGroup, ethnic_group, load_ethnic_groups


def test_54_groups_with_codes_01_to_54():
    groups = load_ethnic_groups()
    assert len(groups) == 54
    assert [g.code for g in groups] == [f"{i:02d}" for i in range(1, 55)]
    assert len({g.name_vi for g in groups}) == 54
    assert all(isinstance(g, EthnicGroup) and g.name_vi and g.name_en_or_alt for g in groups)


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("01", "Kinh"), ("02", "Tày"), ("03", "Thái"), ("04", "Hoa"), ("05", "Khơ-me"),
        ("06", "Mường"), ("07", "Nùng"), ("08", "Mông"), ("09", "Dao"), ("10", "Gia-rai"),
        ("11", "Ngái"), ("15", "Sán Chay"), ("17", "Chăm"), ("18", "Sán Dìu"),
        ("23", "Bru-Vân Kiều"), ("34", "Xinh-mun"), ("52", "Brâu"), ("53", "Ơ Đu"),
        ("54", "Rơ-măm"),
    ],
)  # fmt: skip
def test_codes_follow_the_1979_list(code, name):
    assert ethnic_group(code).name_vi == name


def test_kinh():
    assert KINH_CODE == "01"
    kinh = ethnic_group(KINH_CODE)
    assert kinh.name_vi == "Kinh" and not kinh.is_minority
    assert sum(g.is_minority for g in load_ethnic_groups()) == 53


def test_other_names_are_split():
    assert "Cao Lan" in ethnic_group("15").other_names
    assert "Mèo" in ethnic_group("08").other_names
    assert ethnic_group("05").name_en_or_alt == "Khmer"
    assert all(";" not in n and n == n.strip() for g in load_ethnic_groups() for n in g.other_names)


def test_lookup_variants():
    assert ethnic_group("7").name_vi == "Nùng"
    with pytest.raises(KeyError):
        ethnic_group("55")
