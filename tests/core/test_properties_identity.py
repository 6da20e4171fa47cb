"""Property tests of the 12-digit identification number check (canbo.core.identity).

Every number built from a valid province code, the century-and-sex digit, the year and a serial
passes. A one-digit change is caught exactly when the changed number no longer encodes the
holder's recorded facts: the checker knows the valid province codes, the birth year and the sex,
and nothing of the serial (digits 7–12 are random, so a change there cannot be seen).
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from canbo.core.identity import check_identity_number, default_province_codes, make_identity_number

PROPERTY = settings(max_examples=200, deadline=None)

PROVINCES = sorted(default_province_codes())

holders = st.fixed_dictionaries(
    {
        "province": st.sampled_from(PROVINCES),
        "year": st.integers(1900, 2399),
        "sex": st.sampled_from(["male", "female"]),
        "serial": st.integers(0, 999_999),
    }
)


def number_of(h) -> str:
    return make_identity_number(int(h["province"]), h["year"], h["sex"], h["serial"])


def century_sex_digit(year: int, sex: str) -> str:
    """The 4th digit, written out from Circular 07/2016/TT-BCA Art. 7's table."""
    table = {19: ("0", "1"), 20: ("2", "3"), 21: ("4", "5"), 22: ("6", "7"), 23: ("8", "9")}
    male, female = table[year // 100]
    return male if sex == "male" else female


@PROPERTY
@given(holders)
def test_every_generated_number_has_the_documented_layout_and_passes(h):
    number = number_of(h)
    expected = (
        f"{h['province']}{century_sex_digit(h['year'], h['sex'])}{h['year'] % 100:02d}{h['serial']:06d}"
    )
    assert number == expected
    assert check_identity_number(number, birth_year=h["year"], sex=h["sex"]) == []
    assert check_identity_number(number, birth_year=None, sex=None) == []


def _changes(number: str, position: int):
    return [number[:position] + d + number[position + 1 :] for d in "0123456789" if d != number[position]]


@PROPERTY
@given(holders, st.integers(0, 11))
def test_a_one_digit_change_is_caught_exactly_when_it_breaks_the_encoding(h, position):
    number = number_of(h)
    for changed in _changes(number, position):
        codes = {i.code for i in check_identity_number(changed, birth_year=h["year"], sex=h["sex"])}
        if position < 3:  # province: caught when the new code is no province's
            assert codes == (set() if changed[:3] in PROVINCES else {"unknown_province"}), changed
        elif (
            position == 3
        ):  # century and sex: the recorded year and sex fix the digit, so any change is caught
            new = int(changed[3])
            want = set()
            if new % 2 != (h["sex"] == "female"):
                want.add("sex_mismatch")
            if 1900 + 100 * (new // 2) != h["year"] // 100 * 100:
                want.add("century_mismatch")
            assert want and codes == want, changed
        elif position < 6:  # the year's last two digits: always caught
            assert codes == {"year_mismatch"}, changed
        else:  # the serial: nothing to check it against
            assert codes == set(), changed


@PROPERTY
@given(holders, st.sampled_from("0123456789"))
def test_with_the_sex_unknown_a_change_of_sex_in_the_4th_digit_goes_unseen(h, digit):
    number = number_of(h)
    changed = number[:3] + digit + number[4:]
    codes = {i.code for i in check_identity_number(changed, birth_year=h["year"], sex=None)}
    same_century = int(digit) // 2 == int(number[3]) // 2
    assert codes == (set() if same_century else {"century_mismatch"})


@PROPERTY
@given(holders, st.integers(0, 11), st.sampled_from([" ", "-", ".", "O", "o", "l"]))
def test_a_digit_replaced_by_another_character_is_a_format_error(h, position, char):
    number = number_of(h)
    changed = number[:position] + char + number[position + 1 :]
    codes = {i.code for i in check_identity_number(changed, birth_year=h["year"], sex=h["sex"])}
    assert codes == {"not_digits", "wrong_length"}


@PROPERTY
@given(holders, st.integers(0, 11))
def test_a_digit_dropped_or_added_is_a_length_error(h, position):
    number = number_of(h)
    shorter = number[:position] + number[position + 1 :]
    longer = number[:position] + "0" + number[position:]
    for changed in (shorter, longer):
        codes = [i.code for i in check_identity_number(changed, birth_year=h["year"], sex=h["sex"])]
        assert codes == ["wrong_length"], changed


@PROPERTY
@given(
    st.text(max_size=20),
    st.one_of(st.none(), st.integers(1800, 2500)),
    st.sampled_from(["male", "female", None]),
)
def test_arbitrary_text_never_crashes_and_each_issue_has_both_messages(text, year, sex):
    for issue in check_identity_number(text, birth_year=year, sex=sex):
        assert issue.code and issue.message_vi and issue.message_en
