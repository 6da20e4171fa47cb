"""Property tests of the Vietnamese name sort key (canbo.core.text).

The rules, as the module documents them: names sort by given name, then middle name, then family
name; each part syllable by syllable; within a syllable first by its letters in the order
a ă â b c d đ e ê (f) g h i (j) k l m n o ô ơ p q r s t u ư v (w) x y (z), then by tone in the order
ngang, huyền, hỏi, ngã, sắc, nặng; case only breaks ties; the raw strings break the rest, so the
order is total. ``name_sort_string`` is the same order as a string any database collation keeps.
"""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from canbo.core.text import fold, name_key, name_sort_string, vietnamese_sort_key

PROPERTY = settings(max_examples=200, deadline=None)
QUICKER = settings(max_examples=100, deadline=None)  # three names an example: generation dominates

# Written out here from the module's documentation, not taken from the module.
ALPHABET = [
    "a",
    "ă",
    "â",
    "b",
    "c",
    "d",
    "đ",
    "e",
    "ê",
    "f",
    "g",
    "h",
    "i",
    "j",
    "k",
    "l",
    "m",
    "n",
    "o",
    "ô",
    "ơ",
    "p",
    "q",
    "r",
    "s",
    "t",
    "u",
    "ư",
    "v",
    "w",
    "x",
    "y",
    "z",
]
TONES = ["", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323"]  # ngang huyền hỏi ngã sắc nặng
VOWELS = set("aăâeêioôơuưy")


@st.composite
def syllables(draw) -> str:
    """A syllable of 1–5 letters with at most one tone, on a vowel, in NFC, any case."""
    letters = list(draw(st.text(alphabet=ALPHABET, min_size=1, max_size=5)))
    tone = draw(st.sampled_from(TONES))
    vowels = [i for i, c in enumerate(letters) if c in VOWELS]
    if tone and vowels:
        i = draw(st.sampled_from(vowels))
        letters[i] = unicodedata.normalize("NFC", letters[i] + tone)
    word = "".join(letters)
    if draw(st.booleans()):
        word = word.capitalize()
    return word


name_parts = st.lists(syllables(), min_size=1, max_size=3).map(" ".join)
names = st.tuples(name_parts, st.one_of(st.none(), name_parts), name_parts)  # family, middle, given


def _letters_and_tone(syllable: str) -> tuple[list[int], int]:
    """The reference reading of one syllable: letter positions in ALPHABET, and the tone."""
    tone = 0
    out: list[str] = []
    for ch in unicodedata.normalize("NFD", syllable.lower()):
        if ch in TONES[1:]:
            tone = TONES.index(ch)
        elif unicodedata.combining(ch):
            out[-1] = unicodedata.normalize("NFC", out[-1] + ch)
        else:
            out.append(ch)
    return [ALPHABET.index(c) for c in out], tone


def _reference_part(part: str | None) -> list[tuple[list[int], int]]:
    return [_letters_and_tone(s) for s in (part or "").split()]


def _reference(name) -> tuple:
    family, middle, given = name
    return (_reference_part(given), _reference_part(middle), _reference_part(family))


def _sign(a, b) -> int:
    return (a > b) - (a < b)


@PROPERTY
@given(names, names)
def test_the_key_orders_names_as_the_documented_rules_do(a, b):
    ref = _sign(_reference(a), _reference(b))
    got = _sign(vietnamese_sort_key(*a), vietnamese_sort_key(*b))
    if ref:
        assert got == ref
    else:  # the same name up to case: the raw strings decide (given, middle, family)
        assert got == _sign((a[2], a[1] or "", a[0]), (b[2], b[1] or "", b[0]))


@QUICKER
@given(names, names, names)
def test_the_order_is_total_and_transitive(a, b, c):
    ka, kb, kc = (vietnamese_sort_key(*n) for n in (a, b, c))
    assert (ka == kb) == ((a[0], a[1] or "", a[2]) == (b[0], b[1] or "", b[2]))
    if ka <= kb and kb <= kc:
        assert ka <= kc


@PROPERTY
@given(name_parts, name_parts, name_parts, name_parts)
def test_the_given_name_decides_before_middle_and_family(given_a, given_b, family_a, family_b):
    if _reference_part(given_a) != _reference_part(given_b):
        want = _sign(_reference_part(given_a), _reference_part(given_b))
        assert (
            _sign(vietnamese_sort_key(family_a, None, given_a), vietnamese_sort_key(family_b, None, given_b))
            == want
        )


@PROPERTY
@given(name_parts)
def test_case_and_unicode_normal_form_do_not_change_the_key(part):
    assert name_key(part.upper()) == name_key(part) == name_key(part.lower())
    assert name_key(unicodedata.normalize("NFD", part)) == name_key(part)


@PROPERTY
@given(syllables(), syllables())
def test_letters_decide_before_the_tone(a, b):
    la, ta = _letters_and_tone(a)
    lb, tb = _letters_and_tone(b)
    if la != lb:
        assert _sign(name_key(a), name_key(b)) == _sign(la, lb)
    else:
        assert _sign(name_key(a), name_key(b)) == _sign(ta, tb)


def test_the_documented_examples():
    for smaller, larger in [
        ("ma", "mà"),
        ("mà", "mả"),
        ("mả", "mã"),
        ("mã", "má"),
        ("má", "mạ"),
        ("mạ", "mác"),
        ("Anh", "Ánh"),
        ("Ánh", "Ăn"),
        ("Dũng", "Đào"),
    ]:
        assert name_key(smaller) < name_key(larger), (smaller, larger)
    people = [("Trần", "Văn", "Bình"), ("Nguyễn", "Thị", "An"), ("Lê", None, "Ánh"), ("Phạm", "Văn", "An")]
    ordered = sorted(people, key=lambda p: vietnamese_sort_key(*p))
    assert ordered == [
        ("Nguyễn", "Thị", "An"),
        ("Phạm", "Văn", "An"),
        ("Lê", None, "Ánh"),
        ("Trần", "Văn", "Bình"),
    ]


@PROPERTY
@given(names, names)
def test_the_sort_string_sorts_as_the_key(a, b):
    sa, sb = name_sort_string(*a, max_length=10_000), name_sort_string(*b, max_length=10_000)
    assert set(sa) <= set("0123456789abcdefghijklmnopqrstuvwxyz")
    assert _sign(sa, sb) == _sign(_reference(a), _reference(b))


@PROPERTY
@given(name_parts)
def test_folding_drops_exactly_the_diacritics_and_case(part):
    folded = fold(part)
    assert folded.isascii() and folded == folded.lower()
    assert len(folded) == len(unicodedata.normalize("NFC", part))
    assert fold(folded) == folded
