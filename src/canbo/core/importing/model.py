"""The data of an import: what the reader found in a workbook, before anything is stored.

This is the contract between the pure reader (:mod:`canbo.core.importing`) and the Django
adapter (:mod:`canbo.imports`), which matches the rows to stored people and commits them —
all or nothing (DESIGN.md principle 6). Nothing here touches a database.

Every problem names where it is — sheet, Excel row number, column letter and header, the value
as typed — and says what is wrong in Vietnamese and English. Errors stop the import; warnings
are shown in the preview and do not.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem of an uploaded file, where it is and what is wrong.

    ``row`` is the 1-based Excel row number and ``column`` the Excel column letter ("A", "AB"),
    both ``None`` for a problem of the whole file or sheet. ``code`` is a stable machine name
    (``corrupt``, ``encrypted``, ``too_large``, ``too_many_rows``, ``empty_sheet``, ``no_header``,
    ``missing_column``, ``bad_date``, ``future_date``, ``under_18``, ``bad_identity_number``,
    ``duplicate_identity_number``, ``unknown_unit``, ``ambiguous_unit``, ``unknown_title``,
    ``bad_sex``, ``missing_name``, ``unreadable_qualification`` …) that tests and the adapter use.

    Warnings of what the reader undid or passed over (issue 9, shown in the preview):
    ``identity_number_as_number`` (an ID number stored as a number lost one or two leading
    zeros; restored — ``value`` is the cell as typed, the message shows old → new),
    ``identity_number_not_restored`` (an error: the restored number is not consistent with the
    row's birth year and sex, or there is no birth year to check it against; the reason is in
    the message), ``summary_row`` ("Tổng cộng", "Cộng", "Trong đó: nữ …"), ``note_row``
    ("Ghi chú: …", "Lưu ý"), ``signature_row`` ("Người lập biểu", "Thủ trưởng đơn vị", "…,
    ngày … tháng … năm …" and the signers' names under them) — rows not imported, ``value``
    their text; ``unreadable_qualification`` / ``uncertain_qualification`` (a qualification
    cell read as unknown, or with low confidence, with the reader's reason); ``sheet_unit_conflict``
    (the sheet's name and its title block name different communes); ``party_conflict`` (one
    Party column says not a member, another marks a member or gives a date: taken as a member); ``no_commune`` (an error
    refusing the file: imported for a district or province, the rows and sheets name no
    commune).
    """

    code: str
    message_vi: str
    message_en: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    header: str | None = None
    value: str | None = None
    severity: Severity = "error"

    def where(self) -> str:
        """``Sheet 'X', row 7, column D (Ngày sinh)`` in Vietnamese: ``Trang 'X', dòng 7, cột D (Ngày sinh)``."""
        parts = []
        if self.sheet is not None:
            parts.append(f"Trang “{self.sheet}”")
        if self.row is not None:
            parts.append(f"dòng {self.row}")
        if self.column is not None:
            parts.append(f"cột {self.column}" + (f" ({self.header})" if self.header else ""))
        return ", ".join(parts)


class ImportRefused(Exception):
    """The file as a whole cannot be read (corrupt, password-protected, too large, no sheet
    with a recognisable header…). Carries the problems; nothing is written."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(
            "; ".join(f"{p.where()}: {p.message_vi}" if p.where() else p.message_vi for p in problems)
        )


@dataclass(frozen=True)
class UnitRef:
    """A commune-level unit the reader may resolve a name to (given by the adapter)."""

    code: str
    name: str  # "Xã Hợp Thành"
    valid_from: date | None
    valid_to: date | None
    parent_name: str = ""  # the district (before 1/7/2025) or province, to tell namesakes apart


@dataclass(frozen=True)
class TitleRef:
    """A title (chức danh) of the catalogue the reader may resolve a name to."""

    code: str
    name: str
    valid_from: date | None
    valid_to: date | None


@dataclass(frozen=True)
class ImportContext:
    """What the reader needs from outside: the units and titles it may resolve names to, the
    date the list is *as of* (assignments without a start date are recorded as held on that
    day; ages are checked on it) and today's date (for "in the future")."""

    units: tuple[UnitRef, ...]
    titles: tuple[TitleRef, ...]
    as_of: date
    today: date
    default_unit: str | None = None  # a unit code: rows without a unit column belong to it
    #: The name of the unit the officer imports for ("Huyện Cao Lộc"), for messages only: a
    #: workbook naming no commune imported for a district or province is refused by name.
    unit_name: str = ""
    max_rows: int = 300_000
    max_bytes: int = 40 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class QualificationRow:
    """One qualification read from a cell (one cell may hold several)."""

    dimension: str  # canbo.core.scales.Dimension value
    level: str  # level code of that dimension
    field_of_study: str = ""  # FIELDS_OF_STUDY code or ""
    study_mode: str = ""  # STUDY_MODES code or ""
    is_remedial: bool = False
    obtained_on: date | None = None
    original_text: str = ""  # the cell text as typed (nothing is lost)
    column: str = ""  # Excel column letter it came from
    confidence: float = 1.0


@dataclass(slots=True)
class PersonRow:
    """One person as read from one row, validated. ``problems`` holds this row's problems
    (errors and warnings); ``ok`` is False when any is an error."""

    sheet: str
    row: int
    family_name: str = ""
    middle_name: str = ""
    given_name: str = ""
    identity_number: str | None = None
    birth_date: date | None = None
    birth_date_precision: Literal["day", "month", "year"] = "day"
    sex: Literal["male", "female"] | None = None
    ethnicity: str | None = None  # code from canbo.core.ethnicity
    religion: str | None = None
    home_town: str | None = None
    #: Date of admission to the Party (ngày vào Đảng, the probationary membership's start),
    #: with its precision: "1998" in the cell gives 01/01/1998 and ``"year"``.
    party_joined_on: date | None = None
    #: True: a member (a mark "x", "✓", "có", "Đảng viên", "ĐV", or a date); False: the cell
    #: says not ("không", "0", "-"); None: unknown — no Party column, or its cells left blank
    #: (a blank is never read as "not a member").
    is_party_member: bool | None = None
    unit_code: str | None = None  # resolved UnitRef.code
    title_code: str | None = None  # resolved TitleRef.code
    post_start: date | None = None  # start of the post; None = as_of (with a warning)
    qualifications: list[QualificationRow] = field(default_factory=list)
    notes: str = ""  # unreadable texts kept verbatim, "Ghi chú" column
    problems: list[Problem] = field(default_factory=list)
    #: Precision of :attr:`party_joined_on` ("day", "month" or "year").
    party_joined_on_precision: Literal["day", "month", "year"] = "day"
    #: Date of full (official) Party membership (ngày chính thức), when the list carries it.
    party_official_on: date | None = None
    party_official_on_precision: Literal["day", "month", "year"] = "day"
    #: Where :attr:`unit_code` came from: ``"column"`` (the row's Xã/phường/đơn vị cell),
    #: ``"group_row"`` (a row above naming the commune, "Xã Hợp Thành"), ``"sheet_name"`` (the
    #: sheet is named after the commune), ``"sheet_title"`` (the title block above the header,
    #: "UBND XÃ …"), ``"default"`` (the unit imported for, ``--unit``), or ``""`` (none).
    unit_source: str = ""
    #: Every cell of a column the reader does not recognise (and of a recognised field's
    #: second column, and of data under no header), kept verbatim: header → the cell's text
    #: ("Hệ số lương" → "2,34"; data with no header under "Cột K"). Blank cells are left out.
    #: Keys are the header as shown in :attr:`ImportPlan.ignored_columns` without the letter;
    #: two columns with the same header are told apart by " [K]" (the column letter).
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.family_name, self.middle_name, self.given_name) if p)

    @property
    def ok(self) -> bool:
        return not any(p.severity == "error" for p in self.problems)


@dataclass
class ImportPlan:
    """What a workbook holds, validated: the rows, every problem (file-level ones first, then
    the rows' in order), and which column was recognised as what (for the preview)."""

    sheet: str
    header_rows: tuple[int, ...]  # 1-based Excel rows of the header
    columns: dict[str, str]  # field name → "D (Ngày sinh / Nam)"
    rows: list[PersonRow]
    problems: list[Problem]  # all problems, file-level and per row, in file order
    #: Columns of the header not recognised as any field ("K (Hệ số lương)"): their cells are
    #: kept verbatim in each row's :attr:`PersonRow.extra`.
    ignored_columns: list[str] = field(default_factory=list)
    #: Rows per commune: unit code → number of rows filed under it (rows without a commune are
    #: not counted). The preview shows it, by the unit's name.
    unit_counts: dict[str, int] = field(default_factory=dict)
    #: The commune each sheet's rows fall back to when a row names none: sheet → (unit code,
    #: source "sheet_name" / "sheet_title" / "default"). Sheets with no commune are absent.
    sheet_units: dict[str, tuple[str, str]] = field(default_factory=dict)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]
