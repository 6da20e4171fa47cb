"""Name → code indexes for one import: communes (units), titles (chức danh) and ethnic groups.

Built once per import from the :class:`~canbo.core.importing.model.ImportContext`; every lookup
is a dictionary probe on a cached key, so a list of 200,000 rows costs one resolution per
*distinct* text, not per row.

Units are matched by name without diacritics, case or spacing, with or without the kind prefix
("Xã Hợp Thành", "Hợp Thành", "xa hop thanh", "X. Hợp Thành", "TT Đồng Đăng", "P. Vĩnh Trại"),
or by code; a parent written after the name ("Hợp Thành (Cao Lộc)", "Hợp Thành, huyện Cao Lộc",
"Hợp Thành - H. Cao Lộc") tells namesakes apart. Titles are matched by their catalogue name or by
the abbreviations commune offices write ("CT UBND", "PBT ĐU", "CHT QS", "VP-TK", "ĐC-XD"…):
both sides are folded, abbreviations expanded and filler words dropped, then compared as token
sets. Ethnic groups are matched by their official name, alternative name or any other name of
the GSO list (Decision 121-TCTK/PPCĐ), ignoring diacritics, hyphens, apostrophes and spaces
("H'Mông", "HMông", "Mông", "Mèo" → 08).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from canbo.core.ethnicity import load_ethnic_groups
from canbo.core.text import fold

from .model import TitleRef, UnitRef

__all__ = ["EthnicityIndex", "TitleIndex", "UnitIndex", "in_force", "norm", "compact"]

_SEPARATORS = re.compile(r"[\s.,;:\-–—/\\()\[\]{}\"“”‘’'`_+&*#!?|<>=~^]+")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def norm(text: str) -> str:
    """Folded (no diacritics, lower case) with punctuation turned into single spaces."""
    return _SEPARATORS.sub(" ", fold(text)).strip()


def compact(text: str) -> str:
    """Folded, letters and digits only: ``"Xã  Ea H'Leo"`` → ``"xaeahleo"``."""
    return _NON_ALNUM.sub("", fold(text))


def in_force(valid_from: date | None, valid_to: date | None, on: date) -> bool:
    return (valid_from is None or valid_from <= on) and (valid_to is None or on <= valid_to)


def _period(valid_from: date | None, valid_to: date | None) -> str:
    start = valid_from.strftime("%d/%m/%Y") if valid_from else "…"
    end = valid_to.strftime("%d/%m/%Y") if valid_to else "nay"
    return f"{start} – {end}"


# --------------------------------------------------------------------------- units

# (folded prefix, kind) — longest first so that "thi tran" wins over "t…".
_UNIT_KINDS: tuple[tuple[str, str], ...] = (
    ("thi tran", "thi tran"),
    ("dac khu", "dac khu"),
    ("phuong", "phuong"),
    ("xa", "xa"),
    ("tt", "thi tran"),
    ("p", "phuong"),
    ("x", "xa"),
)
_PARENT_PREFIXES = (
    "thanh pho", "thi xa", "huyen", "quan", "tinh", "tp", "tx", "h", "q", "t",
)  # fmt: skip
_PARENT_SPLIT = re.compile(r"\s*(?:\(|,|;|\s[-–—]\s)\s*")


def _split_kind(n: str) -> tuple[str | None, str]:
    for prefix, kind in _UNIT_KINDS:
        if n.startswith(prefix + " "):
            return kind, n[len(prefix) + 1 :]
    return None, n


def _strip_parent_prefix(n: str) -> str:
    for prefix in _PARENT_PREFIXES:
        if n.startswith(prefix + " "):
            return n[len(prefix) + 1 :]
    return n


@dataclass(frozen=True)
class UnitMatch:
    """The units a text may name (before the date is considered); ``typed`` is the text."""

    typed: str
    candidates: tuple[UnitRef, ...]


class UnitIndex:
    """Resolve commune names typed in a list to :class:`UnitRef` codes."""

    def __init__(self, units: Iterable[UnitRef]):
        self.units = tuple(units)
        self._by_code = {u.code: u for u in self.units}
        self._by_bare: dict[str, list[tuple[str | None, UnitRef]]] = {}
        self._parent_key: dict[str, str] = {}
        for u in self.units:
            kind, bare = _split_kind(norm(u.name))
            self._by_bare.setdefault(compact(bare), []).append((kind, u))
            self._parent_key[u.code] = compact(_strip_parent_prefix(norm(u.parent_name)))
        self._cache: dict[str, UnitMatch] = {}

    def lookup(self, text: str) -> UnitMatch:
        """Every unit ``text`` may name, whatever its dates."""
        found = self._cache.get(text)
        if found is None:
            found = self._cache[text] = UnitMatch(text, tuple(self._lookup(text)))
        return found

    def _lookup(self, text: str) -> list[UnitRef]:
        raw = text.strip()
        if raw in self._by_code:
            return [self._by_code[raw]]
        parts = _PARENT_SPLIT.split(raw, maxsplit=1)
        main = parts[0]
        hint = compact(_strip_parent_prefix(norm(parts[1]))) if len(parts) > 1 else ""
        n = norm(main)
        entries = self._by_bare.get(compact(n), [])
        kind = None
        if not entries:
            kind, bare = _split_kind(n)
            entries = self._by_bare.get(compact(bare), []) if kind else []
        if kind:
            same = [e for e in entries if e[0] == kind]
            entries = same or entries
        candidates = [u for _, u in entries]
        if hint and len(candidates) > 1:
            near = [u for u in candidates if hint and hint in self._parent_key[u.code]]
            candidates = near or candidates
        elif hint and not candidates:
            # "Hợp Thành - Cao Lộc" might also be a name containing " - "
            entries = self._by_bare.get(compact(_split_kind(norm(raw))[1]), [])
            candidates = [u for _, u in entries]
        return candidates

    def close_names(self, text: str, on: date, n: int = 3) -> list[str]:
        """A few names of units in force on ``on`` that look like ``text`` (for messages)."""
        names = {norm(u.name): u.name for u in self.units if in_force(u.valid_from, u.valid_to, on)}
        bare = {_split_kind(k)[1]: v for k, v in names.items()}
        query = _split_kind(norm(text))[1]
        hits = difflib.get_close_matches(query, list(bare), n=n, cutoff=0.6)
        return [bare[h] for h in hits]

    @staticmethod
    def describe(u: UnitRef) -> str:
        return f"{u.name} ({u.parent_name}, mã {u.code})" if u.parent_name else f"{u.name} (mã {u.code})"

    @staticmethod
    def period(u: UnitRef) -> str:
        return _period(u.valid_from, u.valid_to)


# --------------------------------------------------------------------------- titles

#: Abbreviation → words, applied token by token to both the typed text and the catalogue.
_TITLE_ABBREVIATIONS: dict[str, str] = {
    "ubnd": "uy ban nhan dan",
    "ub": "uy ban",
    "hdnd": "hoi dong nhan dan",
    "hd": "hoi dong",
    "mttq": "mat tran to quoc",
    "ubmttq": "uy ban mat tran to quoc",
    "mttqvn": "mat tran to quoc",
    "ct": "chu tich",
    "pct": "pho chu tich",
    "bt": "bi thu",
    "pbt": "pho bi thu",
    "du": "dang uy",
    "dang": "dang",
    "hpn": "hoi phu nu",
    "hlhpn": "hoi lien hiep phu nu",
    "lhpn": "lien hiep phu nu",
    "pn": "phu nu",
    "hnd": "hoi nong dan",
    "nd": "nong dan",
    "ccb": "cuu chien binh",
    "hccb": "hoi cuu chien binh",
    "ca": "cong an",
    "qs": "quan su",
    "chqs": "chi huy quan su",
    "bchqs": "ban chi huy quan su",
    "cht": "chi huy truong",
    "chp": "chi huy pho",
    "vp": "van phong",
    "tk": "thong ke",
    "dc": "dia chinh",
    "xd": "xay dung",
    "nn": "nong nghiep",
    "mt": "moi truong",
    "tc": "tai chinh",
    "kt": "ke toan",
    "tp": "tu phap",
    "ht": "ho tich",
    "vh": "van hoa",
    "xh": "xa hoi",
    "dtn": "doan thanh nien",
    "tn": "thanh nien",
    "cv": "chuyen vien",
    "tt": "thuong truc",
    "hcc": "hanh chinh cong",
    "gd": "giam doc",
    "pgd": "pho giam doc",
    "dt": "do thi",
    "tnmt": "tai nguyen moi truong",
}
#: Phrases dropped anywhere (they say nothing about which title).
_TITLE_FILLERS = (
    "cong san ho chi minh", "tncs ho chi minh", "ho chi minh", "viet nam", "cap xa", "thuong truc",
    "cong chuc", "can bo", "kiem nhiem",
)  # fmt: skip
#: Words dropped at the end ("Chủ tịch UBND xã").
_TITLE_TRAILING = ("xa", "phuong", "thi tran", "dac khu")

#: Typed forms (after normalisation) → catalogue code, for what token matching cannot decide.
_TITLE_ALIASES: dict[str, str] = {
    "bi thu": "BT_DU",
    "pho bi thu": "PBT_DU",
    "chu tich mat tran": "CT_MTTQ",
    "chu tich moi truong": "CT_MTTQ",  # "CT MT"
    "pho chu tich mat tran": "PCT_MTTQ",
    "xa doi truong": "CHT_QS",
    "chi huy truong": "CHT_QS",
    "truong cong an": "TCA",
    "van phong": "VP_TK",
    "thong ke": "VP_TK",
    "dia chinh": "DC_XD",
    "tai chinh": "TC_KT",
    "ke toan": "TC_KT",
    "tu phap": "TP_HT",
    "van hoa": "VH_XH",
    "khong chuyen trach": "KCT",
}


def title_tokens(text: str) -> tuple[str, ...]:
    """The words of a title after folding, expanding abbreviations and dropping fillers."""
    words: list[str] = []
    for w in norm(text).split():
        words.extend(_TITLE_ABBREVIATIONS.get(w, w).split())
    s = " " + " ".join(words) + " "
    for filler in _TITLE_FILLERS:
        s = s.replace(f" {filler} ", " ")
    s = s.strip()
    changed = True
    while changed and s:
        changed = False
        for tail in _TITLE_TRAILING:
            if s.endswith(" " + tail):
                s = s[: -len(tail) - 1].strip()
                changed = True
    return tuple(s.split())


@dataclass(frozen=True)
class TitleMatch:
    """Catalogue titles a text may name, in tiers (the first tier with a title in force wins)."""

    typed: str
    tiers: tuple[tuple[TitleRef, ...], ...]


class TitleIndex:
    """Resolve titles typed in a list to :class:`TitleRef` codes."""

    def __init__(self, titles: Iterable[TitleRef]):
        self.titles = tuple(titles)
        self._by_code: dict[str, list[TitleRef]] = {}
        for t in self.titles:
            self._by_code.setdefault(t.code, []).append(t)
        self._tokens = [(t, title_tokens(t.name)) for t in self.titles]
        self._exact: dict[tuple[str, ...], list[TitleRef]] = {}
        for t, toks in self._tokens:
            self._exact.setdefault(toks, []).append(t)
        self._cache: dict[str, TitleMatch] = {}

    def lookup(self, text: str) -> TitleMatch:
        found = self._cache.get(text)
        if found is None:
            found = self._cache[text] = TitleMatch(text, self._lookup(text))
        return found

    def _lookup(self, text: str) -> tuple[tuple[TitleRef, ...], ...]:
        raw = text.strip()
        if raw in self._by_code:
            return (tuple(self._by_code[raw]),)
        if raw.upper() in self._by_code:
            return (tuple(self._by_code[raw.upper()]),)
        toks = title_tokens(raw)
        if not toks:
            return ()
        tiers: list[tuple[TitleRef, ...]] = []
        exact = self._exact.get(toks, [])
        alias = _TITLE_ALIASES.get(" ".join(toks))
        if exact or alias:
            tier = list(exact)
            if alias:
                tier.extend(t for t in self._by_code.get(alias, []) if t not in tier)
            tiers.append(tuple(tier))
        typed = set(toks)
        first = toks[0]
        # typed ⊆ catalogue, same first word ("CT Hội Phụ nữ" ⊆ "Chủ tịch Hội Liên hiệp Phụ nữ")
        tiers.append(tuple(t for t, c in self._tokens if c and c[0] == first and typed <= set(c)))
        # catalogue ⊆ typed, same first word, longest first ("PCT UBND phụ trách kinh tế")
        longer = [(t, c) for t, c in self._tokens if c and c[0] == first and set(c) <= typed]
        longer.sort(key=lambda tc: -len(tc[1]))
        if longer:
            best = len(longer[0][1])
            tiers.append(tuple(t for t, c in longer if len(c) == best))
        # typed ⊆ catalogue anywhere ("Kế toán" ⊆ "Chuyên viên tài chính - kế toán")
        tiers.append(tuple(t for t, c in self._tokens if typed <= set(c)))
        return tuple(tier for tier in tiers if tier)

    def resolve(self, text: str, on: date) -> tuple[TitleRef | None, list[TitleRef]]:
        """(the title in force on ``on``, or None; the candidates when several or none in force)."""
        match = self.lookup(text)
        first_tier: list[TitleRef] = []
        for tier in match.tiers:
            live = [t for t in tier if in_force(t.valid_from, t.valid_to, on)]
            if len(live) == 1:
                return live[0], []
            if len(live) > 1:
                codes = {t.code for t in live}
                if len(codes) == 1:
                    return live[0], []
                return None, live
            if not first_tier:
                first_tier = list(tier)
        return None, first_tier

    def close_names(self, text: str, on: date, n: int = 4) -> list[str]:
        names = {norm(t.name): t.name for t in self.titles if in_force(t.valid_from, t.valid_to, on)}
        query = " ".join(title_tokens(text)) or norm(text)
        expanded = {" ".join(title_tokens(v)): v for v in names.values()}
        hits = difflib.get_close_matches(query, list(expanded), n=n, cutoff=0.3)
        return [expanded[h] for h in hits]

    @staticmethod
    def period(t: TitleRef) -> str:
        return _period(t.valid_from, t.valid_to)


# --------------------------------------------------------------------------- ethnic groups

_ETHNIC_PREFIXES = ("dantoc", "dt")


class EthnicityIndex:
    """Ethnic group names (any spelling of the GSO list) → two-digit code."""

    def __init__(self) -> None:
        index: dict[str, str] = {}
        groups = load_ethnic_groups()

        def add(name: str, code: str) -> None:
            for piece in re.split(r"[()]", name):
                key = compact(piece)
                if key and key not in index:
                    index[key] = code

        for g in groups:  # official names first: they win over other groups' alternative names
            add(g.name_vi, g.code)
        for g in groups:
            add(g.name_en_or_alt, g.code)
        for g in groups:
            for other in g.other_names:
                add(other, g.code)
        self._index = index
        self._cache: dict[str, str | None] = {}
        self.names = {g.code: g.name_vi for g in groups}

    def lookup(self, text: str) -> str | None:
        found = self._cache.get(text, "")
        if found != "":
            return found
        key = compact(text)
        code = self._index.get(key)
        if code is None:
            for prefix in _ETHNIC_PREFIXES:
                if key.startswith(prefix) and key[len(prefix) :] in self._index:
                    code = self._index[key[len(prefix) :]]
                    break
        if code is None and key.isdigit() and len(key) <= 2 and key.zfill(2) in self.names:
            code = key.zfill(2)
        self._cache[text] = code
        return code
