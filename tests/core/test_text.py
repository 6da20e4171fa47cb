"""Tests for canbo.core.text (DESIGN.md principle 8: Vietnamese sorting and search)."""

import random

import pytest

from canbo.core.text import fold, vietnamese_sort_key


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("Nguyễn Thị Đào", "nguyen thi dao"),
        ("ĐẶNG VĂN ĐỨC", "dang van duc"),
        ("Trương Ngọc Ánh", "truong ngoc anh"),
        ("Ưng Hoàng Phúc", "ung hoang phuc"),
        ("Lê Ơn", "le on"),
        ("Bùi Thị Hằng Nga", "bui thi hang nga"),
        ("abc 123-x", "abc 123-x"),
    ],
)
def test_fold(raw, folded):
    assert fold(raw) == folded


def test_fold_handles_decomposed_input():
    import unicodedata

    assert fold(unicodedata.normalize("NFD", "Nguyễn Đình Thiện")) == "nguyen dinh thien"


def _sort_given(names):
    return sorted(names, key=lambda n: vietnamese_sort_key(None, None, n))


def test_letter_order_a_aw_aa_d_dd():
    expected = ["An", "Anh", "Ánh", "Ăn", "Ân", "Bình", "Dũng", "Đức", "Em", "Êm", "Giang"]
    shuffled = expected[:]
    random.Random(1).shuffle(shuffled)
    assert _sort_given(shuffled) == expected


def test_o_ow_oo_u_uw_order():
    expected = ["Oanh", "Ôn", "Ơn", "Uyên", "Ưng", "Vân", "Xuân", "Yến"]
    assert _sort_given(list(reversed(expected))) == expected


def test_tone_order_no_tone_huyen_hoi_nga_sac_nang():
    expected = ["ma", "mà", "mả", "mã", "má", "mạ", "mác"]
    assert _sort_given(list(reversed(expected))) == expected


def test_letters_before_tone():
    # "Hà" has a tone but fewer letters: syllable letters are compared first.
    assert _sort_given(["Hai", "Hà"]) == ["Hà", "Hai"]
    assert _sort_given(["Hải", "Hai"]) == ["Hai", "Hải"]


def test_given_then_middle_then_family():
    people = [
        ("Trần", "Văn", "Bình"),
        ("Nguyễn", "Thị", "An"),
        ("Lê", "Thị", "Hoa"),
        ("Lê", "Minh", "Hoa"),
        ("Đỗ", "Minh", "Hoa"),
        ("Bùi", None, "Hoa"),
    ]
    ordered = sorted(people, key=lambda p: vietnamese_sort_key(*p))
    assert ordered == [
        ("Nguyễn", "Thị", "An"),
        ("Trần", "Văn", "Bình"),
        ("Bùi", None, "Hoa"),  # empty middle name first
        ("Đỗ", "Minh", "Hoa"),  # same given and middle name: family Đỗ < Lê (đ before l)
        ("Lê", "Minh", "Hoa"),
        ("Lê", "Thị", "Hoa"),
    ]


def test_family_tie_break_uses_vietnamese_letters():
    a = vietnamese_sort_key("Đinh", "Văn", "An")
    b = vietnamese_sort_key("Dương", "Văn", "An")
    c = vietnamese_sort_key("Lê", "Văn", "An")
    assert b < a < c


def test_multi_syllable_given_names_and_case():
    assert vietnamese_sort_key("Lê", "Thị", "Anh") < vietnamese_sort_key("Lê", "Thị", "Anh Thư")
    assert vietnamese_sort_key("Lê", "Thị", "anh")[:3] == vietnamese_sort_key("LÊ", "THỊ", "ANH")[:3]


def test_name_sort_string_orders_like_the_sort_key():
    import random

    from canbo.core.text import name_sort_string, vietnamese_sort_key

    names = [
        ("Nguyễn", "Văn", "An"),
        ("Trần", "Thị", "Ánh"),
        ("Lê", "", "Anh"),
        ("Hoàng", "Văn", "Ăn"),
        ("Đỗ", "Thị", "Mạ"),
        ("Vi", "Văn", "Ma"),
        ("Lý", "Thị", "Mà"),
        ("Bế", "Văn", "Mác"),
        ("Hà", "Thị Thu", "Hà"),
        ("Hà", "Thu", "Hà"),
        ("Nông", "Văn", "Đông"),
        ("Lương", "Văn", "Dũng"),
        ("Ma", "Văn", "Ðức"),
        ("Chu", "Thị", "Ưng"),
        ("Triệu", "Văn", "Út"),
        ("Bàn", "Văn", "Zơ"),
        ("Lăng", "Thị", "Yến"),
    ]
    rng = random.Random(4)
    for _ in range(20):
        rng.shuffle(names)
        by_key = sorted(names, key=lambda n: vietnamese_sort_key(*n)[:3])
        by_string = sorted(names, key=lambda n: name_sort_string(*n))
        assert by_key == by_string
    s = name_sort_string("Nguyễn", "Văn", "An")
    assert set(s) <= set("0123456789abcdefghijklmnopqrstuvwxyz")
    # Đ after D, given name first.
    assert name_sort_string("A", "", "Dũng") < name_sort_string("A", "", "Đông")
    assert name_sort_string("Zơ", "", "An") < name_sort_string("A", "", "Bình")
