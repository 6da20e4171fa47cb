"""Checks on the Vietnamese 12-digit personal identification number (số định danh cá nhân).

Structure (Decree 137/2015/NĐ-CP Art. 13; Circular 07/2016/TT-BCA Art. 7, as amended by
Circular 59/2021/TT-BCA; the number is also the number of the citizen-identity card):

* digits 1–3: code of the province (or country) where the birth was registered — the province
  codes 001–096 of Annex I of Circular 07/2016 (Hà Nội 001 … Cà Mau 096), which are the
  three-digit forms of the official province codes;
* digit 4: century of birth and sex — 1900–1999: male 0, female 1; 2000–2099: male 2, female 3;
  2100–2199: male 4, female 5; 2200–2299: male 6, female 7; 2300–2399: male 8, female 9;
* digits 5–6: the last two digits of the year of birth;
* digits 7–12: a random serial.

The valid province codes default to the union of the legacy (63-province) and current
(34-province, 2025) codes of the pinned ``vietnam_provinces`` package. Country codes for births
registered abroad are not known to this module: pass ``valid_province_codes`` to widen the set.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

__all__ = [
    "IdentityNumberIssue",
    "check_identity_number",
    "default_province_codes",
    "make_identity_number",
]

_SEX_VI = {"male": "nam", "female": "nữ"}
_SEX_EN = {"male": "male", "female": "female"}


@dataclass(frozen=True)
class IdentityNumberIssue:
    """One problem found in an identification number: a stable ``code`` and two messages."""

    code: str
    message_vi: str
    message_en: str


#: The union of the legacy (63-province) and 2025 (34-province) codes of the pinned
#: ``vietnam_provinces`` package, written out so that checking a number does not load the
#: package's tens of thousands of wards (a fifth of a second); tests keep it equal to the package's.
_PROVINCE_CODES = frozenset({
    "001", "002", "004", "006", "008", "010", "011", "012", "014", "015", "017", "019", "020",
    "022", "024", "025", "026", "027", "030", "031", "033", "034", "035", "036", "037", "038",
    "040", "042", "044", "045", "046", "048", "049", "051", "052", "054", "056", "058", "060",
    "062", "064", "066", "067", "068", "070", "072", "074", "075", "077", "079", "080", "082",
    "083", "084", "086", "087", "089", "091", "092", "093", "094", "095", "096",
})  # fmt: skip


def default_province_codes() -> frozenset[str]:
    """Three-digit province codes (``"001"`` … ``"096"``) of the ``vietnam_provinces`` package.

    Union of the legacy 63-province list and the 2025 34-province list (a subset of the legacy
    codes), so numbers issued under either remain valid (Circular 07/2016/TT-BCA Annex I).
    """
    return _PROVINCE_CODES


def package_province_codes() -> frozenset[str]:
    """The same codes read from the ``vietnam_provinces`` package itself (slow: it loads every
    ward); :func:`default_province_codes` must equal it (a test checks)."""
    from vietnam_provinces._lookup import PROVINCE_MAPPING as current
    from vietnam_provinces.legacy._lookup import PROVINCE_MAPPING as legacy

    return frozenset(f"{int(code):03d}" for code in (*legacy.keys(), *current.keys()))


def _check_sex(sex: str | None) -> None:
    if sex is not None and sex not in _SEX_VI:
        raise ValueError(f"sex must be 'male', 'female' or None, not {sex!r}")


def _century_digit(birth_year: int, sex: str) -> int:
    """The 4th digit for ``birth_year`` and ``sex`` (Circular 07/2016/TT-BCA Art. 7)."""
    if not 1900 <= birth_year <= 2399:
        raise ValueError(f"birth year {birth_year} is outside 1900–2399")
    return 2 * (birth_year // 100 - 19) + (1 if sex == "female" else 0)


def check_identity_number(
    number: str,
    *,
    birth_year: int | None,
    sex: str | None,
    valid_province_codes: Collection[str] | None = None,
) -> list[IdentityNumberIssue]:
    """Check a 12-digit personal identification number against its holder's birth year and sex.

    Returns an empty list when nothing is wrong. ``sex`` is ``"male"``, ``"female"`` or
    ``None`` (unknown: the sex digit is then not compared); ``birth_year`` ``None`` skips the
    century and year checks. If the number is not exactly 12 ASCII digits only the format
    issues are returned, since the positions of the other digits cannot be trusted.
    Rules: Decree 137/2015/NĐ-CP Art. 13; Circular 07/2016/TT-BCA Art. 7 (amended by
    Circular 59/2021/TT-BCA).
    """
    _check_sex(sex)
    shown = number if isinstance(number, str) else str(number)

    # --- format (a well-formed number, the common case, skips the character-by-character look)
    if not (len(shown) == 12 and shown.isascii() and shown.isdigit()):
        issues = _format_issues(shown)
        if issues:
            return issues
    if valid_province_codes is not None:
        return _digit_issues(number, birth_year, sex, valid_province_codes)
    # Digits 1-6 (province, century and sex, year) are all the checks look at; a combination
    # found consistent once is consistent again (a list repeats them thousands of times).
    key = (number[:6], birth_year, sex)
    if key in _CONSISTENT:
        return []
    issues = _digit_issues(number, birth_year, sex, None)
    if not issues and len(_CONSISTENT) < 100_000:
        _CONSISTENT.add(key)
    return issues


#: (digits 1-6, birth year, sex) found consistent with the default province codes.
_CONSISTENT: set[tuple[str, int | None, str | None]] = set()


def _format_issues(shown: str) -> list[IdentityNumberIssue]:
    """Non-digit characters and a length other than 12 (then the digits' positions cannot be
    trusted and nothing else is checked)."""
    issues: list[IdentityNumberIssue] = []
    bad = sorted({c for c in shown if not ("0" <= c <= "9")})
    if bad:
        chars = " ".join(repr(c) for c in bad)
        issues.append(
            IdentityNumberIssue(
                "not_digits",
                f"Số định danh '{shown}' chứa ký tự không phải chữ số: {chars}",
                f"Identification number '{shown}' contains non-digit characters: {chars}",
            )
        )
    digits = "".join(c for c in shown if "0" <= c <= "9")
    if len(shown) != 12 or len(digits) != 12:
        issues.append(
            IdentityNumberIssue(
                "wrong_length",
                f"Số định danh '{shown}' phải gồm đúng 12 chữ số (hiện có {len(digits)} chữ số"
                f" trong {len(shown)} ký tự)",
                f"Identification number '{shown}' must be exactly 12 digits (found {len(digits)}"
                f" digits in {len(shown)} characters)",
            )
        )
    return issues


def _digit_issues(
    number: str, birth_year: int | None, sex: str | None, valid_province_codes: Collection[str] | None
) -> list[IdentityNumberIssue]:
    """The checks of a number of 12 ASCII digits: province, century and sex, year."""
    issues: list[IdentityNumberIssue] = []

    # --- digits 1–3: province of birth registration ----------------------------------------
    codes = default_province_codes() if valid_province_codes is None else valid_province_codes
    province = number[:3]
    if province not in codes:
        issues.append(
            IdentityNumberIssue(
                "unknown_province",
                f"Số định danh {number}: ba chữ số đầu '{province}' không phải mã tỉnh, thành phố"
                " nơi đăng ký khai sinh",
                f"Identification number {number}: the first three digits '{province}' are not a"
                " province code of birth registration",
            )
        )

    # --- digit 4: century and sex ------------------------------------------------------------
    d4 = int(number[3])
    digit_sex = "female" if d4 % 2 else "male"
    century_start = 1900 + 100 * (d4 // 2)
    if sex is not None and sex != digit_sex:
        issues.append(
            IdentityNumberIssue(
                "sex_mismatch",
                f"Số định danh {number}: chữ số thứ 4 là '{d4}' ({_SEX_VI[digit_sex]}) nhưng giới"
                f" tính ghi là {_SEX_VI[sex]}",
                f"Identification number {number}: the 4th digit is '{d4}'"
                f" ({_SEX_EN[digit_sex]}) but the recorded sex is {_SEX_EN[sex]}",
            )
        )

    if birth_year is not None:
        if not 1900 <= birth_year <= 2399:
            issues.append(
                IdentityNumberIssue(
                    "birth_year_out_of_range",
                    f"Số định danh {number}: năm sinh {birth_year} nằm ngoài khoảng 1900–2399"
                    " mà số định danh mã hóa được",
                    f"Identification number {number}: birth year {birth_year} is outside the"
                    " 1900–2399 range the number can encode",
                )
            )
            return issues
        if birth_year // 100 * 100 != century_start:
            expected = [_century_digit(birth_year, s) for s in ("male", "female")]
            if sex is not None:
                expected_txt_vi = f"'{_century_digit(birth_year, sex)}'"
                expected_txt_en = expected_txt_vi
            else:
                expected_txt_vi = f"'{expected[0]}' (nam) hoặc '{expected[1]}' (nữ)"
                expected_txt_en = f"'{expected[0]}' (male) or '{expected[1]}' (female)"
            issues.append(
                IdentityNumberIssue(
                    "century_mismatch",
                    f"Số định danh {number}: chữ số thứ 4 là '{d4}' (sinh năm"
                    f" {century_start}–{century_start + 99}) nhưng năm sinh ghi là {birth_year};"
                    f" chữ số thứ 4 phải là {expected_txt_vi}",
                    f"Identification number {number}: the 4th digit is '{d4}' (born"
                    f" {century_start}–{century_start + 99}) but the recorded birth year is"
                    f" {birth_year}; the 4th digit should be {expected_txt_en}",
                )
            )
        yy = f"{birth_year % 100:02d}"
        if number[4:6] != yy:
            issues.append(
                IdentityNumberIssue(
                    "year_mismatch",
                    f"Số định danh {number}: chữ số thứ 5–6 là '{number[4:6]}' nhưng năm sinh ghi"
                    f" là {birth_year} (phải là '{yy}')",
                    f"Identification number {number}: digits 5–6 are '{number[4:6]}' but the"
                    f" recorded birth year is {birth_year} (should be '{yy}')",
                )
            )
    return issues


def make_identity_number(province_code: int, birth_year: int, sex: str, serial: int) -> str:
    """Build a well-formed identification number (for synthetic data only).

    ``province_code`` is the numeric province code (e.g. 1 for Hà Nội → ``"001"``),
    ``serial`` the six random digits (0–999999). Structure per Circular 07/2016/TT-BCA Art. 7.
    """
    if sex not in _SEX_VI:
        raise ValueError(f"sex must be 'male' or 'female', not {sex!r}")
    if not 0 < province_code <= 999:
        raise ValueError(f"province code {province_code} is not in 1–999")
    if not 0 <= serial <= 999_999:
        raise ValueError(f"serial {serial} is not in 0–999999")
    d4 = _century_digit(birth_year, sex)
    return f"{province_code:03d}{d4}{birth_year % 100:02d}{serial:06d}"
