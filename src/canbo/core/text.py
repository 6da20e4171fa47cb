"""Vietnamese text helpers: diacritic-insensitive folding and Vietnamese name sorting.

DESIGN.md principle 8 ("Vietnamese first"): search ignores diacritics and case; names sort the
Vietnamese way — by given name, then middle name, then family name, in Vietnamese alphabetical
order.

Collation convention (the one of Vietnamese dictionaries and of TCVN 5712:1993 sorting):

* Letters, in order: a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y. The letters
  f j w z, which appear only in foreign names, are slotted into their Latin places
  (… e ê f g h i j k … v w x y z); this does not change the order of Vietnamese letters.
* Comparison is syllable by syllable (words separated by spaces): first the letters of the
  syllable without tone, then the tone, in the order no tone (ngang), huyền (à), hỏi (ả),
  ngã (ã), sắc (á), nặng (ạ). So ``ma < mà < mả < mã < má < mạ < mác`` and ``Anh < Ánh < Ăn``.
* Case is ignored except as a last tie-breaker; characters that are not letters sort before
  letters, by code point.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

__all__ = ["fold", "name_key", "name_sort_string", "vietnamese_sort_key"]

# Combining marks that change the vowel letter (ă â ê ô ơ ư) vs. those that mark the tone.
_BREVE, _CIRCUMFLEX, _HORN = "\u0306", "\u0302", "\u031b"
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}  # huyền hỏi ngã sắc nặng

_ALPHABET = [
    "a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "f", "g", "h", "i", "j", "k", "l", "m",
    "n", "o", "ô", "ơ", "p", "q", "r", "s", "t", "u", "ư", "v", "w", "x", "y", "z",
]  # fmt: skip
_LETTER_RANK = {letter: i for i, letter in enumerate(_ALPHABET)}
_LETTER_BASE = 2_000_000  # above every code point, so non-letters sort first


@lru_cache(maxsize=131072)  # the same names, units and titles are folded over and over in an import
def fold(s: str) -> str:
    """Lower-case ``s`` and strip all Vietnamese diacritics (``đ`` → ``d``) for search.

    ``fold("Nguyễn Thị Đào") == "nguyen thi dao"``. Other characters are kept.
    """
    decomposed = unicodedata.normalize("NFD", s.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", stripped).casefold()


@lru_cache(maxsize=65536)  # names repeat: a province's lists use a few thousand syllables
def _syllable_key(syllable: str) -> tuple[tuple[int, ...], int]:
    """(letter ranks, tone) for one syllable, per the module's collation convention."""
    letters: list[str] = []
    tone = 0
    for ch in unicodedata.normalize("NFD", syllable.lower()):
        if ch in _TONES:
            tone = _TONES[ch]
        elif ch in (_BREVE, _CIRCUMFLEX, _HORN) and letters:
            letters[-1] = unicodedata.normalize("NFC", letters[-1] + ch)
        elif unicodedata.combining(ch):
            continue  # any other mark: ignored
        else:
            letters.append(ch)
    ranks = tuple(_LETTER_BASE + _LETTER_RANK[c] if c in _LETTER_RANK else ord(c) for c in letters)
    return ranks, tone


def name_key(part: str | None) -> tuple[tuple[tuple[int, ...], int], ...]:
    """Collation key of one name part (possibly several syllables); ``None`` is the empty name."""
    return tuple(_syllable_key(s) for s in (part or "").split())


def vietnamese_sort_key(family: str | None, middle: str | None, given: str | None) -> tuple:
    """Sort key for a person's name: given name, then middle name, then family name.

    Each part is compared in Vietnamese alphabetical order (see the module docstring); the raw
    strings break remaining ties so that the order is total and stable.
    ``sorted(people, key=lambda p: vietnamese_sort_key(p.family, p.middle, p.given))``.
    """
    return (
        name_key(given),
        name_key(middle),
        name_key(family),
        (given or "", middle or "", family or ""),
    )


_DIGITS36 = "0123456789abcdefghijklmnopqrstuvwxyz"
_PART_END, _SYLLABLE_END, _SYLLABLE_NEXT, _TONE_BASE, _OTHER, _LETTER0 = 0, 1, 2, 3, 9, 20


def _sym(n: int) -> str:
    return _DIGITS36[n // 36] + _DIGITS36[n % 36]


def name_sort_string(family: str | None, middle: str | None, given: str | None, max_length: int = 255) -> str:
    """:func:`vietnamese_sort_key` flattened into a string of ``[0-9a-z]`` only,
    so that a database can sort by it with any collation (SQLite's binary one,
    PostgreSQL's locale ones): two base-36 digits per symbol, with part and
    syllable ends coded below every letter and the tone after the letters."""
    return (_part_string(given) + _part_string(middle) + _part_string(family))[:max_length]


@lru_cache(maxsize=65536)  # name parts repeat: a list of 200,000 people has a few thousand
def _part_string(part: str | None) -> str:
    """One name part's symbols for :func:`name_sort_string`, ending with the part end."""
    out: list[str] = []
    for i, (ranks, tone) in enumerate(name_key(part)):
        if i:
            out.append(_sym(_SYLLABLE_NEXT))
        for r in ranks:
            out.append(_sym(_LETTER0 + r - _LETTER_BASE) if r >= _LETTER_BASE else _sym(_OTHER))
        out.append(_sym(_SYLLABLE_END) + _sym(_TONE_BASE + tone))
    out.append(_sym(_PART_END))
    return "".join(out)


# --------------------------------------------------------------------------- plain names

#: Characters a name never holds besides the control characters (issue 10 §3).
MARKUP = frozenset("<>")


def bad_name_characters(value: str) -> list[str]:
    """The characters of ``value`` a name may not hold, in order of first appearance: markup
    (``<``, ``>``) and control or format characters (Unicode categories Cc, Cf, Zl, Zp — a tab,
    a line break, a zero-width or bidirectional mark)."""
    found: list[str] = []
    for ch in value or "":
        if (ch in MARKUP or unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp")) and ch not in found:
            found.append(ch)
    return found


def describe_character(ch: str) -> str:
    """A character as a person reads it in a message: ``<`` as itself, a control character by
    its code point (U+0009)."""
    return ch if ch in MARKUP else f"U+{ord(ch):04X}"
