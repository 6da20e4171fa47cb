"""Tests for canbo.core.normalise, the reader of free-text qualifications.

Most cases live in ``qualification_strings.tsv`` next to this file (its header describes the
columns); the tests below check the properties that hold for every reading.
"""

from __future__ import annotations

import ast
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pytest

from canbo.core import normalise
from canbo.core.normalise import (
    CONFIDENCE_EXACT,
    CONFIDENCE_HINT,
    CONFIDENCE_INFERRED,
    ReadQualification,
    read_qualifications,
)
from canbo.core.scales import FIELDS_OF_STUDY, STUDY_MODES, Dimension, is_valid_level

DATA = Path(__file__).with_name("qualification_strings.tsv")


@dataclass(frozen=True)
class Expected:
    kind: str  # "known", "unknown", "none"
    dimension: str | None  # for unknown/none: None = not checked, "-" = must be None
    level: str
    field: str
    mode: str
    remedial: bool


@dataclass(frozen=True)
class Case:
    line: int
    text: str
    hint: Dimension | None
    expected: tuple[Expected, ...]
    confidence: tuple[float | None, ...]

    @property
    def id(self) -> str:
        hint = f"@{self.hint.value}" if self.hint else ""
        return f"{self.line}:{self.text.strip()}{hint}".replace("\n", "⏎")


def _values(column: str, n: int) -> list[str]:
    items = [v.strip() for v in column.split("|")]
    if len(items) == 1 and n > 1:
        if items[0] != "-":
            raise ValueError(f"column {column!r} has one value for {n} readings")
        items = items * n
    if len(items) != n:
        raise ValueError(f"column {column!r} has {len(items)} values for {n} readings")
    return items


def load_cases() -> list[Case]:
    cases = []
    for number, raw in enumerate(DATA.read_text(encoding="utf-8").splitlines(), start=1):
        if not raw.strip() or raw.startswith("#"):
            continue
        cols = raw.split("\t")
        assert 3 <= len(cols) <= 8, f"line {number}: {len(cols)} columns"
        cols += ["-"] * (8 - len(cols))
        text, hint, dims, levels, fields, modes, remedial, confidence = cols
        dim_items = [d.strip() for d in dims.split("|")]
        n = len(dim_items)
        expected = []
        for dim, level, field, mode, rem in zip(
            dim_items,
            _values(levels, n),
            _values(fields, n),
            _values(modes, n),
            _values(remedial, n),
            strict=True,
        ):
            kind, _, dim_name = dim.partition(":")
            if kind in ("unknown", "none"):
                expected.append(Expected(kind, dim_name or None, "-", "-", "-", False))
            else:
                assert rem in ("-", "remedial"), f"line {number}: remedial column {rem!r}"
                expected.append(
                    Expected("known", Dimension(dim).value, level, field, mode, rem == "remedial")
                )
        conf = tuple(None if c == "-" else float(c) for c in _values(confidence, n))
        cases.append(
            Case(
                number,
                text.replace("\\n", "\n"),
                None if hint == "-" else Dimension(hint),
                tuple(expected),
                conf,
            )
        )
    return cases


CASES = load_cases()


def _check(reading: ReadQualification, expected: Expected, confidence: float | None, where: str) -> None:
    got = (
        reading.dimension and reading.dimension.value, reading.level, reading.field_of_study,
        reading.study_mode, reading.is_remedial, reading.none, reading.confidence,
    )  # fmt: skip
    if expected.kind == "known":
        want = (
            expected.dimension, expected.level, "" if expected.field == "-" else expected.field,
            "" if expected.mode == "-" else expected.mode, expected.remedial, False,
        )  # fmt: skip
        assert got[:6] == want, f"{where}: got {got}, reasons {reading.reason_en!r}"
        assert reading.known and reading.confidence > 0
    else:
        assert reading.level is None, f"{where}: expected {expected.kind}, got {got}"
        assert reading.none == (expected.kind == "none"), f"{where}: got {got} {reading.reason_en!r}"
        if expected.dimension == "-":
            assert reading.dimension is None, f"{where}: got dimension {reading.dimension}"
        elif expected.dimension is not None:
            assert reading.dimension == Dimension(expected.dimension), f"{where}: got {got}"
        if expected.kind == "unknown":
            assert reading.confidence == 0
        else:
            assert reading.confidence == CONFIDENCE_EXACT
    if confidence is not None:
        assert reading.confidence == pytest.approx(confidence), f"{where}: confidence {reading.confidence}"


# ============================================================================ the data file


def test_the_data_file_has_enough_strings():
    assert len(CASES) >= 330
    assert len({(c.text, c.hint) for c in CASES}) == len(CASES), "duplicate cases"
    kinds = {e.kind for c in CASES for e in c.expected}
    assert kinds == {"known", "unknown", "none"}
    assert sum(len(c.expected) > 1 for c in CASES) >= 20  # multi-qualification cells
    assert {Dimension(e.dimension) for c in CASES for e in c.expected if e.kind == "known"} == set(Dimension)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_qualification_string(case: Case):
    readings = read_qualifications(case.text, case.hint)
    got = [(r.dimension and r.dimension.value, r.level, r.field_of_study, r.text) for r in readings]
    assert len(readings) == len(case.expected), f"{case.id}: {got}"
    for i, (reading, expected, confidence) in enumerate(
        zip(readings, case.expected, case.confidence, strict=True)
    ):
        _check(reading, expected, confidence, f"{case.id} [{i}]")


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_codes_are_those_of_the_scales(case: Case):
    for r in read_qualifications(case.text, case.hint):
        if r.level is not None:
            assert r.dimension is not None and is_valid_level(r.dimension, r.level)
        assert r.field_of_study == "" or r.field_of_study in FIELDS_OF_STUDY
        assert r.study_mode == "" or r.study_mode in STUDY_MODES
        assert r.field_of_study == "" or r.dimension == Dimension.PROFESSIONAL
        assert 0.0 <= r.confidence <= 1.0
        assert r.text and r.text == r.text.strip()


def _comparable(readings: list[ReadQualification]) -> list[tuple]:
    return [
        (r.dimension, r.level, r.field_of_study, r.study_mode, r.is_remedial, r.none, r.confidence)
        for r in readings
    ]


def _variants(text: str) -> dict[str, str]:
    return {
        "NFD": unicodedata.normalize("NFD", text),
        "Icelandic Ð": text.replace("Đ", "\u00d0").replace("đ", "\u00f0"),
        "upper case": text.upper(),
        "no diacritics": "".join(
            c for c in unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
            if not unicodedata.combining(c)
        ),
    }  # fmt: skip


#: Cells whose typed diacritics decide the reading: folded, "Tây"/"Thai" would be "Tày"/"Thái".
DIACRITICS_DECIDE = {"Tiếng Tây", "Tiếng Thai", "Tiếng Tây Tạng"}


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_typing_variants_read_alike(case: Case):
    """NFD input, "Ð" for "Đ", capitals and missing diacritics change nothing (but for the cells
    whose typed diacritics tell two words apart)."""
    want = _comparable(read_qualifications(case.text, case.hint))
    for name, variant in _variants(case.text).items():
        if name == "no diacritics" and case.text in DIACRITICS_DECIDE:
            continue
        assert _comparable(read_qualifications(variant, case.hint)) == want, name


@pytest.mark.parametrize("typed, folded", [("Tiếng Tây", "Tiếng Tày"), ("Tiếng Nung", "Tiếng Nùng")])
def test_folding_never_merges_words_whose_diacritics_were_typed(typed, folded):
    """Tây ≠ Tày: a cell typed with diacritics is read as typed; without any, folded."""
    assert not read_qualifications(typed)[0].known
    assert read_qualifications(folded)[0].level == "spoken"
    plain = unicodedata.normalize("NFD", typed)
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    assert read_qualifications(plain)[0].level == "spoken"  # typed without: may be either


def test_nfd_and_icelandic_give_the_same_fragments():
    text = "Ðại học Luật, TC LLCT-HC"
    nfc = read_qualifications("Đại học Luật, TC LLCT-HC")
    assert read_qualifications(text) == nfc
    assert read_qualifications(unicodedata.normalize("NFD", "Đại học Luật, TC LLCT-HC")) == nfc
    assert [r.text for r in nfc] == ["Đại học Luật", "TC LLCT-HC"]


# ============================================================================ properties


def _all_readings() -> list[ReadQualification]:
    return [r for c in CASES for r in read_qualifications(c.text, c.hint)]


def test_unknown_always_says_why_in_both_languages():
    unknown = [r for r in _all_readings() if r.level is None and not r.none]
    assert len(unknown) > 50
    for r in unknown:
        assert r.confidence == 0
        assert r.reason_vi.strip() and r.reason_en.strip(), r
        assert r.reason_vi != r.reason_en
        assert any(c in r.reason_vi for c in "ăâđêôơưáàảãạếềểễệíìóòốồộớờúùứừýạ"), r.reason_vi


def test_readings_that_are_not_exact_also_say_why():
    for r in _all_readings():
        if r.known and r.confidence < CONFIDENCE_EXACT:
            assert r.reason_vi and r.reason_en, r


AMBIGUOUS = [
    # text, hint that decides it, (dimension, level) then
    ("B", Dimension.IT, (Dimension.IT, "certificate_b")),
    ("B", Dimension.FOREIGN_LANGUAGE, (Dimension.FOREIGN_LANGUAGE, "certificate_b")),
    ("Chứng chỉ C", Dimension.IT, (Dimension.IT, "certificate_c")),
    ("Trung cấp", Dimension.POLITICAL_THEORY, (Dimension.POLITICAL_THEORY, "intermediate")),
    ("Trung cấp", Dimension.PROFESSIONAL, (Dimension.PROFESSIONAL, "intermediate")),
    ("TC", Dimension.POLITICAL_THEORY, (Dimension.POLITICAL_THEORY, "intermediate")),
    ("Sơ cấp", Dimension.POLITICAL_THEORY, (Dimension.POLITICAL_THEORY, "elementary")),
    ("SC", Dimension.PROFESSIONAL, (Dimension.PROFESSIONAL, "elementary")),
    ("Cao cấp", Dimension.POLITICAL_THEORY, (Dimension.POLITICAL_THEORY, "advanced")),
    ("CC", Dimension.POLITICAL_THEORY, (Dimension.POLITICAL_THEORY, "advanced")),
    ("Chuyên viên", Dimension.STATE_MANAGEMENT, (Dimension.STATE_MANAGEMENT, "specialist")),
    ("CVC", Dimension.STATE_MANAGEMENT, (Dimension.STATE_MANAGEMENT, "principal_specialist")),
    ("Cơ bản", Dimension.IT, (Dimension.IT, "basic")),
    ("12", Dimension.GENERAL_EDUCATION, (Dimension.GENERAL_EDUCATION, "upper_secondary")),
    ("Tiếng Hoa", Dimension.ETHNIC_LANGUAGE, (Dimension.ETHNIC_LANGUAGE, "spoken")),
]


@pytest.mark.parametrize(
    ("text", "hint", "reading"), AMBIGUOUS, ids=[f"{t}@{h.value}" for t, h, _ in AMBIGUOUS]
)
def test_ambiguous_texts_are_never_guessed_without_a_hint(text, hint, reading):
    (alone,) = read_qualifications(text)
    assert alone.dimension is None and alone.level is None and alone.confidence == 0
    assert not alone.none
    # The reason names the alternatives (a number names the column it needs).
    assert " hoặc " in alone.reason_vi or "cột" in alone.reason_vi, alone.reason_vi
    assert " or " in alone.reason_en or "column" in alone.reason_en, alone.reason_en
    (hinted,) = read_qualifications(text, hint)
    assert (hinted.dimension, hinted.level) == reading
    assert hinted.confidence == CONFIDENCE_HINT


@pytest.mark.parametrize(
    "text",
    ["Lớp 10", "Lớp 8", "Lớp 7", "Bậc 3", "Trung học", "Chuyên viên chính", "Tiếng Khmer", "Tiếng Lào"],
)
def test_other_ambiguous_texts_name_both_readings(text):
    (r,) = read_qualifications(text)
    assert r.level is None and r.confidence == 0
    assert ("hoặc" in r.reason_vi or "nhưng" in r.reason_vi) and (
        " or " in r.reason_en or " but " in r.reason_en
    )


def test_a_text_that_names_its_dimension_overrides_the_hint():
    (r,) = read_qualifications("Đại học CNTT", Dimension.IT)
    assert (r.dimension, r.level, r.field_of_study, r.confidence) == (
        Dimension.PROFESSIONAL, "university", "information_technology", CONFIDENCE_EXACT,
    )  # fmt: skip
    (r,) = read_qualifications("Anh B", Dimension.IT)
    assert (r.dimension, r.level) == (Dimension.FOREIGN_LANGUAGE, "certificate_b")


def test_confidence_orders_exact_then_hint_then_inferred():
    (exact,) = read_qualifications("Tin học B")
    (hinted,) = read_qualifications("B", Dimension.IT)
    (inferred,) = read_qualifications("Tin học văn phòng")
    assert (
        (exact.dimension, exact.level) == (hinted.dimension, hinted.level) == (Dimension.IT, "certificate_b")
    )
    assert (inferred.dimension, inferred.level) == (Dimension.IT, "basic")
    assert exact.confidence == CONFIDENCE_EXACT
    assert hinted.confidence == CONFIDENCE_HINT
    assert inferred.confidence == CONFIDENCE_INFERRED
    assert exact.confidence > hinted.confidence > inferred.confidence > 0
    # An exact reading is no less sure in a column that agrees with it.
    (in_column,) = read_qualifications("Tin học B", Dimension.IT)
    assert in_column.confidence == CONFIDENCE_EXACT
    # Unknown is below all of them.
    (unknown,) = read_qualifications("Học lực khá")
    assert unknown.confidence == 0 < inferred.confidence


def test_none_texts():
    for text, hint, dim in [
        ("Chưa qua đào tạo", None, Dimension.PROFESSIONAL),
        ("Chưa qua ĐT", Dimension.IT, Dimension.IT),
        ("Không", None, None),
        ("Chưa có", Dimension.POLITICAL_THEORY, Dimension.POLITICAL_THEORY),
        ("-", Dimension.FOREIGN_LANGUAGE, Dimension.FOREIGN_LANGUAGE),
    ]:
        (r,) = read_qualifications(text, hint)
        assert r.none and r.level is None and r.dimension == dim and r.confidence == 1.0
        assert not r.known
    (x,) = read_qualifications("x")
    assert not x.none and x.level is None and x.confidence == 0


def test_fragments_of_a_multi_qualification_cell():
    readings = read_qualifications("12/12 BT; Đại học Kinh tế - Luật + TC LLCT - HC, Anh B/Tin B\nQLNN CV")
    assert [r.text for r in readings] == [
        "12/12 BT", "Đại học Kinh tế - Luật", "TC LLCT - HC", "Anh B", "Tin B", "QLNN CV",
    ]  # fmt: skip
    assert [(r.dimension, r.level) for r in readings] == [
        (Dimension.GENERAL_EDUCATION, "upper_secondary"),
        (Dimension.PROFESSIONAL, "university"),
        (Dimension.POLITICAL_THEORY, "intermediate"),
        (Dimension.FOREIGN_LANGUAGE, "certificate_b"),
        (Dimension.IT, "certificate_b"),
        (Dimension.STATE_MANAGEMENT, "specialist"),
    ]
    assert readings[0].is_remedial
    assert readings[1].field_of_study == ""  # economics or law: not guessed
    assert "several" in readings[1].reason_en


def test_fractions_and_joined_names_are_not_split():
    for text in ["12/12", "7/10", "TC LLCT-HC", "Trung cấp Văn phòng - Thống kê", "Bậc 3/6"]:
        (reading,) = read_qualifications(text)
        assert reading.text == text  # one reading, of the whole cell


# ============================================================================ API


@pytest.mark.parametrize("text", ["", " ", "   ", "\n", "\t \n", "\u00a0"])
def test_empty_text_gives_no_reading(text):
    assert read_qualifications(text) == []
    assert read_qualifications(text, Dimension.IT) == []


def test_none_input_gives_no_reading():
    assert read_qualifications(None) == []  # type: ignore[arg-type]


def test_an_excel_number_may_come_as_a_number():
    as_float = read_qualifications(12.0, Dimension.GENERAL_EDUCATION)  # type: ignore[arg-type]
    assert _comparable(as_float) == _comparable(read_qualifications("12", Dimension.GENERAL_EDUCATION))
    assert as_float[0].level == "upper_secondary"


def test_the_hint_may_be_given_as_its_value():
    assert read_qualifications("B", "it") == read_qualifications("B", Dimension.IT)
    with pytest.raises(ValueError):
        read_qualifications("B", "maths")  # type: ignore[arg-type]


def test_the_cache_returns_equal_results_and_fresh_lists():
    text = "ĐH Luật, TC LLCT, Anh B, bộ nhớ đệm"
    first = read_qualifications(text)
    hits = normalise._read_cell.cache_info().hits
    second = read_qualifications(text)
    assert normalise._read_cell.cache_info().hits == hits + 1
    assert first == second and first is not second
    first.clear()
    assert read_qualifications(text) == second
    # The hint is part of the key.
    assert read_qualifications("B", Dimension.IT) != read_qualifications("B", Dimension.FOREIGN_LANGUAGE)


def test_readings_are_frozen_values():
    (r,) = read_qualifications("ĐH Luật")
    with pytest.raises(AttributeError):
        r.level = "master"  # type: ignore[misc]
    assert r == ReadQualification("ĐH Luật", Dimension.PROFESSIONAL, "university", "law", confidence=1.0)
    assert hash(r) == hash(read_qualifications("ĐH Luật")[0])


def test_the_module_imports_only_the_standard_library_and_the_core():
    tree = ast.parse(Path(normalise.__file__).read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            names.add(node.module or "")
    stdlib = {"__future__", "re", "unicodedata", "dataclasses", "functools"}
    assert all(n.startswith("canbo.core.") or n.split(".")[0] in stdlib for n in names), names


def test_the_docstring_states_its_sources():
    doc = normalise.__doc__ or ""
    for source in [
        "Law on Education 2019",
        "Art. 28",
        "10-year",
        "12-year",
        "03/2014/TT-BTTTT",
        "01/2014/TT-BGDĐT",
        "Party Regulation",
    ]:
        assert source in doc, source
