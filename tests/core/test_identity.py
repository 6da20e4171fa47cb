"""Tests for canbo.core.identity (Circular 07/2016/TT-BCA Art. 7)."""

import pytest

from canbo.core.identity import (
    check_identity_number,
    default_province_codes,
    make_identity_number,
)


def codes(issues):
    return [i.code for i in issues]


def test_default_province_codes_come_from_vietnam_provinces():
    pc = default_province_codes()
    assert len(pc) == 63  # legacy 63 provinces; the 34 current codes are a subset
    assert {"001", "031", "048", "079", "096"} <= pc
    assert "003" not in pc and "000" not in pc and "097" not in pc


@pytest.mark.parametrize(
    ("number", "year", "sex"),
    [
        ("001085001234", 1985, "male"),
        ("079199123456", 1999, "female"),  # last year of the 20th century: digit 1 for women
        ("048200000001", 2000, "male"),  # first year of the 21st century: digit 2 for men
        ("096301999999", 2001, "female"),
        ("087084000999", 1984, "male"),
    ],
)
def test_valid_numbers(number, year, sex):
    assert check_identity_number(number, birth_year=year, sex=sex) == []


def test_unknown_sex_and_year_only_check_format_and_province():
    assert check_identity_number("001185001234", birth_year=None, sex=None) == []
    assert codes(check_identity_number("003185001234", birth_year=None, sex=None)) == ["unknown_province"]


def test_wrong_length():
    issues = check_identity_number("00108500123", birth_year=1985, sex="male")
    assert codes(issues) == ["wrong_length"]
    assert "12 chữ số" in issues[0].message_vi


def test_spaces_and_letters_are_reported():
    issues = check_identity_number("001 085 001234", birth_year=1985, sex="male")
    assert codes(issues) == ["not_digits", "wrong_length"]
    assert "' '" in issues[0].message_vi
    issues = check_identity_number("00108500123A", birth_year=1985, sex="male")
    assert codes(issues) == ["not_digits", "wrong_length"]
    assert "'A'" in issues[0].message_vi
    # fullwidth / non-ASCII digits are not accepted either
    assert "not_digits" in codes(check_identity_number("００１085001234", birth_year=None, sex=None))


def test_unknown_province_code():
    issues = check_identity_number("099085001234", birth_year=1985, sex="male")
    assert codes(issues) == ["unknown_province"]
    assert "'099'" in issues[0].message_vi


def test_custom_province_codes():
    assert (
        check_identity_number("099085001234", birth_year=1985, sex="male", valid_province_codes={"099"}) == []
    )
    assert codes(
        check_identity_number("001085001234", birth_year=1985, sex="male", valid_province_codes={"099"})
    ) == ["unknown_province"]


def test_sex_digit_disagrees_with_sex():
    issues = check_identity_number("020199001234", birth_year=1999, sex="male")
    assert codes(issues) == ["sex_mismatch"]
    assert issues[0].message_vi == (
        "Số định danh 020199001234: chữ số thứ 4 là '1' (nữ) nhưng giới tính ghi là nam"
    )
    assert codes(check_identity_number("020299001234", birth_year=2099, sex="female")) == ["sex_mismatch"]


def test_century_disagrees_with_birth_year_boundary_1999_2000():
    # born 2000 but digit 0 (1900s)
    issues = check_identity_number("001000001234", birth_year=2000, sex="male")
    assert codes(issues) == ["century_mismatch"]
    assert "phải là '2'" in issues[0].message_vi
    # born 1999 but digit 3 (2000s, female)
    issues = check_identity_number("001399001234", birth_year=1999, sex="female")
    assert codes(issues) == ["century_mismatch"]
    assert "phải là '1'" in issues[0].message_vi
    # sex unknown: both candidate digits are named
    issues = check_identity_number("001299001234", birth_year=1999, sex=None)
    assert codes(issues) == ["century_mismatch"]
    assert "'0' (nam) hoặc '1' (nữ)" in issues[0].message_vi


def test_year_digits_disagree_with_birth_year():
    issues = check_identity_number("001085001234", birth_year=1986, sex="male")
    assert codes(issues) == ["year_mismatch"]
    assert "'85'" in issues[0].message_vi and "'86'" in issues[0].message_vi


def test_several_issues_at_once():
    issues = check_identity_number("003385001234", birth_year=1986, sex="male")
    assert codes(issues) == ["unknown_province", "sex_mismatch", "century_mismatch", "year_mismatch"]
    assert all(i.message_vi and i.message_en for i in issues)


def test_digits_8_and_9_mean_2300s_not_1800s():
    assert check_identity_number("001801001234", birth_year=2301, sex="male") == []
    assert codes(check_identity_number("001901001234", birth_year=1801, sex="female")) == [
        "birth_year_out_of_range"
    ]


def test_invalid_sex_argument():
    with pytest.raises(ValueError):
        check_identity_number("001085001234", birth_year=1985, sex="M")


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((1, 1985, "male", 1234), "001085001234"),
        ((79, 1999, "female", 0), "079199000000"),
        ((48, 2000, "male", 999999), "048200999999"),
        ((96, 2005, "female", 42), "096305000042"),
        ((1, 2150, "female", 7), "001550000007"),
    ],
)
def test_make_identity_number(args, expected):
    number = make_identity_number(*args)
    assert number == expected
    _p, year, sex, _s = args
    assert check_identity_number(number, birth_year=year, sex=sex) == []


@pytest.mark.parametrize(
    "args", [(1, 1899, "male", 1), (1, 1990, "x", 1), (0, 1990, "male", 1), (1, 1990, "male", 10**6)]
)
def test_make_identity_number_rejects_bad_input(args):
    with pytest.raises(ValueError):
        make_identity_number(*args)
