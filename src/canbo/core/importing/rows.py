"""Turn the data rows of a recognised sheet into validated :class:`PersonRow` objects.

Every cell is checked and every problem collected — never only the first — each naming the
sheet, the Excel row, the column letter and header, and the value as typed, in Vietnamese and
English. Rows that are not people are passed over, and summary, note and signature rows listed
as warnings, wherever they stand (:mod:`.row_kinds`); each cell is read by the parsers of
:mod:`.cells` (dates, marks, Party words, names …).

Nothing a row carries is lost: cells of columns not recognised are kept verbatim in
:attr:`PersonRow.extra`. Nothing is invented: a blank Party cell is *unknown*; an ID number that
lost its leading zeros is restored only when the restored number agrees with the row's birth
year and sex; the commune comes from the row, a group row, the sheet (its name or title block,
set by the caller) or the unit imported for, in that order.

Cell values from calamine are ``str``, ``int``, ``float``, ``bool``, ``date``, ``datetime`` or
``time``; the readers accept each where it makes sense. Per-row work is kept small
(dictionary look-ups on cached texts) so that 200,000 rows read in seconds.

:func:`parse_date`, :func:`format_date` and :class:`ParsedDate` (now in :mod:`.cells`) are
importable from here as before.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import date
from typing import TYPE_CHECKING

from canbo.core.age import age_range, minimum_age, reached
from canbo.core.identity import check_identity_number
from canbo.core.normalise import ReadQualification, read_qualifications
from canbo.core.scales import DIMENSION_LABELS, FIELDS_OF_STUDY, STUDY_MODES, Dimension, level
from canbo.core.text import bad_name_characters, describe_character

from .cells import (
    _DATE_TOKEN,
    _MARK_NO,
    _MARK_YES,
    _PAIR_WORDS,
    _PARTY_NO,
    _PARTY_YES,
    _RELIGION_NONE,
    _SEX,
    _SEX_VI,
    ParsedDate,
    _clean_name,
    _is_empty,
    _is_mark,
    _key,
    _qual_text,
    format_date,
    parse_date,
)
from .directory import EthnicityIndex, TitleIndex, UnitIndex, in_force
from .layout import QUALIFICATION_FIELDS, Column, Layout, cell_text, column_letter
from .model import ImportContext, PersonRow, Problem, QualificationRow, UnitRef
from .row_kinds import RowKinds
from .workbook import too_many_rows

if TYPE_CHECKING:
    from canbo.core.standards.rules import Eligibility

__all__ = ["ParsedDate", "RowReader", "format_date", "parse_date"]

#: A problem of a cell before it is placed: (code, message vi, message en, severity).
_Spec = tuple[str, str, str, str]
#: What a cell gives: a code (or None) and its problems.
_Outcome = tuple[str | None, tuple[_Spec, ...]]
#: Entries kept in each per-sheet cache of cell readings (a bound on memory for odd lists).
_CACHE_SIZE = 100_000

#: Below this a reader's confidence earns a warning.
LOW_CONFIDENCE = 0.8


class RowReader(RowKinds):
    """Reads the data rows of one sheet whose :class:`Layout` is known."""

    def __init__(
        self,
        sheet: str,
        layout: Layout,
        context: ImportContext,
        units: UnitIndex,
        titles: TitleIndex,
        ethnic: EthnicityIndex,
    ):
        self.sheet = sheet
        self.layout = layout
        self.context = context
        self.units = units
        self.titles = titles
        self.ethnic = ethnic
        self.as_of = context.as_of
        self.today = context.today
        cols = layout.columns
        self.col = cols
        self.name_col = layout.name_column
        self.stt_col = cols.get("stt")
        self.qual_cols: list[tuple[str, Column]] = [
            (f, c) for f in QUALIFICATION_FIELDS for c in layout.repeated.get(f, [])
        ]
        self.major_col = cols.get("major")
        self.note_cols = layout.repeated.get("notes", [])
        self.data_indexes = sorted({c.index for c in layout.all_columns() if c.field != "stt"})
        header_texts = set()
        if self.name_col is not None:
            label = layout.labels.get(self.name_col.index, "")
            header_texts = {_key(p) for p in label.split(" / ")}
        self.name_header_keys = header_texts
        #: ID number → (sheet, row) of its first row; shared by the readers of every sheet of
        #: one workbook (set by the caller), so a duplicate on another sheet is found too.
        self.seen_ids: dict[str, tuple[str, int]] = {}
        self.section_unit: UnitRef | None = None
        self.section_units_found = False
        self._qual_cache: dict[tuple[str, Dimension], list[ReadQualification]] = {}
        self.default_unit = context.default_unit
        self.rows_read = 0
        self.in_signature = False
        #: What a unit / title cell gives, by (text, date of the post): see _unit_outcome, _title_outcome.
        self._unit_cache: dict[tuple[str, date], _Outcome] = {}
        self._title_cache: dict[tuple[str, date], tuple[str | None, tuple[_Spec, ...], tuple[str, ...]]] = {}
        self._reading_cache: dict[tuple, tuple] = {}
        #: Warnings for the rows passed over as summary, note or signature rows.
        self.skipped: list[Problem] = []
        #: The commune of the sheet (its name or title block), for rows naming none, and where
        #: it came from ("sheet_name", "sheet_title"); or why the commune the sheet names
        #: cannot be used (vi, en, text): its rows without a commune are then errors.
        self.sheet_unit: UnitRef | None = None
        self.sheet_unit_source = ""
        self.sheet_unit_error: tuple[str, str, str] | None = None
        # columns not recognised (and data under no header): kept verbatim in PersonRow.extra
        self.extra_cols: list[tuple[int, str]] = []
        taken: set[str] = set()
        for c in layout.ignored:
            key = c.header if c.header not in taken else f"{c.header} [{c.letter}]"
            taken.add(key)
            self.extra_cols.append((c.index, key))
        self.labelled = frozenset(layout.labels) | {c.index for c in layout.all_columns()}
        self._unlabelled_width = -1
        self._unlabelled: list[int] = []
        self._min_age: list[tuple[int, Eligibility] | None] = []  # [the minimum] once looked up

    # ----------------------------------------------------------------------- problems

    def _p(
        self,
        pr: PersonRow,
        code: str,
        vi: str,
        en: str,
        col: Column | None = None,
        value: str | None = None,
        severity: str = "error",
    ) -> None:
        pr.problems.append(
            Problem(
                code,
                vi,
                en,
                sheet=self.sheet,
                row=pr.row,
                column=col.letter if col else None,
                header=col.header if col else None,
                value=value,
                severity=severity,  # type: ignore[arg-type]
            )
        )

    # ----------------------------------------------------------------------- the loop

    def read(self, rows: Iterable[tuple[int, list]]) -> Iterator[PersonRow]:
        """Yield one :class:`PersonRow` per person row of ``rows`` ((Excel row number, cells)).
        Summary, note and signature rows are not people: each becomes a warning in
        :attr:`skipped` (wherever it stands, not only at the end)."""
        max_rows = self.context.max_rows
        for number, row in rows:
            kind = self._classify(row)
            if kind != "person":
                if kind != "skip":
                    self._skipped(kind, number, row)
                continue
            self.rows_read += 1
            if self.rows_read > max_rows:
                raise too_many_rows(self.sheet, self.rows_read, max_rows)
            yield self.read_person(number, row)

    def _get(self, row: list, col: Column | None) -> object:
        if col is None or col.index >= len(row):
            return ""
        return row[col.index]

    # ----------------------------------------------------------------------- one person

    def read_person(self, number: int, row: list) -> PersonRow:
        pr = PersonRow(sheet=self.sheet, row=number)
        notes: list[str] = []
        for c in self.note_cols:
            t = cell_text(self._get(row, c))
            if t:
                notes.append(t if c is self.note_cols[0] else f"{c.header}: {t}")
        self._read_name(pr, row)
        self._read_birth_and_sex(pr, row)
        self._read_identity(pr, row)
        self._read_ethnicity(pr, row)
        self._read_texts(pr, row)
        self._check_plain(pr)
        self._read_party(pr, row, notes)
        self._read_post_start(pr, row)
        self._read_unit(pr, row)
        self._read_title(pr, row, notes)
        self._read_qualifications(pr, row, notes)
        pr.notes = "\n".join(notes)
        self._read_extra(pr, row)
        return pr

    def _read_extra(self, pr: PersonRow, row: list) -> None:
        """Cells of columns not recognised, verbatim (nothing on the row is lost)."""
        n = len(row)
        extra = pr.extra
        for i, key in self.extra_cols:
            if i < n:
                v = row[i]
                if v != "" and v is not None:
                    t = cell_text(v)
                    if t:
                        extra[key] = t
        if n != self._unlabelled_width:
            self._unlabelled_width = n
            self._unlabelled = [i for i in range(n) if i not in self.labelled]
        for i in self._unlabelled:
            v = row[i]
            if v != "" and v is not None:
                t = cell_text(v)
                if t:
                    extra[f"Cột {column_letter(i)}"] = t

    # name ---------------------------------------------------------------------------

    def _read_name(self, pr: PersonRow, row: list) -> None:
        col = self.col
        if "full_name" in col:
            c = col["full_name"]
            v = self._get(row, c)
            if _is_empty(v):
                self._missing_name(pr, c)
                return
            if not isinstance(v, str):
                self._p(
                    pr, "bad_name",
                    f"Họ và tên “{cell_text(v)}” không phải là tên người.",
                    f"Full name “{cell_text(v)}” is not a person's name.",
                    c, cell_text(v),
                )  # fmt: skip
                return
            words = _clean_name(v).split()
            if len(words) < 2:
                self._p(
                    pr, "bad_name",
                    f"Họ và tên “{cell_text(v)}” chỉ có một từ; cần ghi đủ họ, tên đệm (nếu có) và tên.",
                    f"Full name “{cell_text(v)}” is a single word; write the family name, middle name"
                    " (if any) and given name.",
                    c, cell_text(v),
                )  # fmt: skip
                pr.given_name = words[0] if words else ""
                return
            pr.family_name, pr.middle_name, pr.given_name = words[0], " ".join(words[1:-1]), words[-1]
            return
        family = cell_text(self._get(row, col.get("family_name")))
        middle = cell_text(self._get(row, col.get("middle_name")))
        given = cell_text(self._get(row, col.get("given_name")))
        if "family_middle" in col:
            words = _clean_name(cell_text(self._get(row, col["family_middle"]))).split()
            if words:
                family, middle = words[0], " ".join(words[1:])
        pr.family_name, pr.middle_name, pr.given_name = (
            _clean_name(family),
            _clean_name(middle),
            _clean_name(given),
        )
        if not pr.given_name:
            self._missing_name(pr, col.get("given_name") or self.name_col)
        elif not pr.family_name:
            self._p(
                pr, "missing_name",
                "Thiếu họ của người này.",
                "The family name is missing.",
                col.get("family_name") or col.get("family_middle"), "",
            )  # fmt: skip

    def _missing_name(self, pr: PersonRow, c: Column | None) -> None:
        self._p(
            pr, "missing_name",
            "Thiếu họ và tên: dòng có dữ liệu nhưng không ghi tên người.",
            "The name is missing: the row has data but no person's name.",
            c, "",
        )  # fmt: skip

    # birth date and sex -------------------------------------------------------------

    def _date(self, pr: PersonRow, c: Column, v: object, what_vi: str, what_en: str) -> ParsedDate | None:
        """Read a date cell, report bad and future dates; None when blank or bad."""
        if _is_empty(v):
            return None
        parsed = parse_date(v, self.today)
        if parsed.value is None:
            text = cell_text(v)
            self._p(
                pr, "bad_date",
                f"{what_vi} “{text}” không hợp lệ ({parsed.error_vi}). Hãy ghi theo dạng ngày/tháng/năm,"
                " ví dụ 05/09/1980 (hoặc tháng/năm 09/1980, hoặc chỉ năm 1980).",
                f"{what_en} “{text}” is not valid ({parsed.error_en}). Write it as day/month/year, e.g."
                " 05/09/1980 (or month/year 09/1980, or just the year 1980).",
                c, text,
            )  # fmt: skip
            return None
        if parsed.value > self.today:
            self._p(
                pr, "future_date",
                f"{what_vi} {format_date(parsed.value, parsed.precision)} ở tương lai (sau ngày hôm nay"
                f" {format_date(self.today)}).",
                f"{what_en} {format_date(parsed.value, parsed.precision)} is in the future (after today,"
                f" {format_date(self.today)}).",
                c, cell_text(v),
            )  # fmt: skip
            return None
        return parsed

    def _read_birth_and_sex(self, pr: PersonRow, row: list) -> None:
        col = self.col
        sex_sources: list[tuple[str, Column]] = []
        birth: ParsedDate | None = None
        birth_col: Column | None = None
        if "birth_date" in col:
            birth_col = col["birth_date"]
            birth = self._date(pr, birth_col, self._get(row, birth_col), "Ngày sinh", "Birth date")
            empty = _is_empty(self._get(row, birth_col))
        elif "birth_date_male" in col or "birth_date_female" in col:
            cm, cf = col.get("birth_date_male"), col.get("birth_date_female")
            vm, vf = self._get(row, cm), self._get(row, cf)
            em, ef = _is_empty(vm), _is_empty(vf)
            if not em and not ef:
                self._p(
                    pr, "bad_sex",
                    f"Ngày sinh ghi ở cả cột Nam ({cell_text(vm)}) và cột Nữ ({cell_text(vf)}); chỉ ghi ngày sinh"
                    " vào cột ứng với giới tính của người này.",
                    f"The birth date is written under both Nam/male ({cell_text(vm)}) and Nữ/female"
                    f" ({cell_text(vf)}); write it only under the person's sex.",
                    cm, f"{cell_text(vm)} | {cell_text(vf)}",
                )  # fmt: skip
                empty = False
            elif not em and cm is not None:
                birth_col = cm
                birth = self._date(pr, cm, vm, "Ngày sinh", "Birth date")
                sex_sources.append(("male", cm))
                empty = False
            elif not ef and cf is not None:
                birth_col = cf
                birth = self._date(pr, cf, vf, "Ngày sinh", "Birth date")
                sex_sources.append(("female", cf))
                empty = False
            else:
                empty = True
                birth_col = cm or cf
        elif "birth_year" in col:
            birth, birth_col, empty = self._split_birth(pr, row)
        else:
            empty = True
        if birth is None and empty:
            self._p(
                pr, "missing_birth_date",
                "Thiếu ngày sinh." + (" Ghi ngày sinh vào cột Nam hoặc cột Nữ theo giới tính."
                                      if "birth_date_male" in col or "birth_date_female" in col else ""),
                "The birth date is missing." + (" Write it under the Nam (male) or Nữ (female) column by sex."
                                                if "birth_date_male" in col or "birth_date_female" in col else ""),
                birth_col, "",
            )  # fmt: skip
        if birth is not None and birth_col is not None:
            b = birth.value
            assert b is not None
            pr.birth_date, pr.birth_date_precision = b, birth.precision  # type: ignore[assignment]
            minimum = self._minimum_age()
            # Born more than ``years`` calendar years before the list's year: of age whatever the
            # missing day or month (the full test, :func:`reached`, only near the limit).
            if (
                minimum is not None
                and b.year + minimum[0] >= self.as_of.year
                and reached(b, birth.precision, minimum[0], self.as_of) is False
            ):
                years, rule = minimum
                age = max(age_range(b, birth.precision, self.as_of)[1], 0)
                shown = format_date(b, birth.precision)
                self._p(
                    pr, "under_18",
                    f"Ngày sinh {shown}: chưa đủ {years} tuổi vào ngày {format_date(self.as_of)} ({age} tuổi);"
                    f" người được bố trí vào chức danh cấp xã phải từ đủ {years} tuổi trở lên"
                    f" ({rule.reference.render('vi')}).",
                    f"Birth date {shown}: under {years} on {format_date(self.as_of)} ({age} years old);"
                    f" a person in a commune post must be at least {years} ({rule.reference.render('en')}).",
                    birth_col, cell_text(self._get(row, birth_col)),
                )  # fmt: skip

        # sex: a column, or marks under Nam | Nữ
        if "sex" in col:
            c = col["sex"]
            v = self._get(row, c)
            if not _is_empty(v):
                sex = _SEX.get(_key(cell_text(v)))
                if sex is None:
                    self._p(
                        pr, "bad_sex",
                        f"Giới tính “{cell_text(v)}” không hợp lệ; ghi “Nam” hoặc “Nữ”.",
                        f"Sex “{cell_text(v)}” is not valid; write “Nam” (male) or “Nữ” (female).",
                        c, cell_text(v),
                    )  # fmt: skip
                else:
                    sex_sources.append((sex, c))
        if "sex_male" in col or "sex_female" in col:
            cm, cf = col.get("sex_male"), col.get("sex_female")
            mm = _is_mark(self._get(row, cm)) if cm else None
            mf = _is_mark(self._get(row, cf)) if cf else None
            if mm and mf:
                self._p(
                    pr, "bad_sex",
                    "Đánh dấu cả cột Nam và cột Nữ; chỉ đánh dấu một cột.",
                    "Both the Nam (male) and Nữ (female) columns are marked; mark only one.",
                    cm, f"{cell_text(self._get(row, cm))} | {cell_text(self._get(row, cf))}",
                )  # fmt: skip
            elif mm:
                sex_sources.append(("male", cm))  # type: ignore[arg-type]
            elif mf:
                sex_sources.append(("female", cf))  # type: ignore[arg-type]
            elif cm is None and cf is not None:
                sex_sources.append(("male", cf))  # only a "Nữ" column: unmarked means male
            elif "sex" not in col and not sex_sources:
                self._p(
                    pr, "bad_sex",
                    "Không đánh dấu cột Nam hay cột Nữ; hãy đánh dấu “x” vào một cột.",
                    "Neither the Nam (male) nor the Nữ (female) column is marked; put an “x” in one.",
                    cm or cf, "",
                )  # fmt: skip
                pr.sex = None
                return
        values = {s for s, _ in sex_sources}
        if len(values) > 1:
            cols = ", ".join(f"{c.letter} ({c.header}) → {_SEX_VI[s]}" for s, c in sex_sources)
            self._p(
                pr, "bad_sex",
                f"Giới tính ghi không thống nhất giữa các cột: {cols}.",
                f"The sex differs between columns: {cols}.",
                sex_sources[0][1], "",
            )  # fmt: skip
        elif values:
            pr.sex = values.pop()  # type: ignore[assignment]

    def _minimum_age(self) -> tuple[int, Eligibility] | None:
        """The minimum age for a commune post on the list's date, from the rule set (looked up
        once per sheet, not once per row: the date and the rules are the same for every row)."""
        if not self._min_age:
            self._min_age.append(minimum_age("employment", self.as_of))
        return self._min_age[0]

    def _split_birth(self, pr: PersonRow, row: list) -> tuple[ParsedDate | None, Column | None, bool]:
        """Birth date in three columns (Ngày | Tháng | Năm)."""
        cy = self.col["birth_year"]
        cd, cm = self.col.get("birth_day"), self.col.get("birth_month")
        vy, vd, vm = self._get(row, cy), self._get(row, cd), self._get(row, cm)
        if _is_empty(vy):
            return None, cy, True
        text = "/".join(t for t in (cell_text(vd), cell_text(vm), cell_text(vy)) if t)
        return self._date(pr, cy, text, "Ngày sinh", "Birth date"), cy, False

    # identity number ----------------------------------------------------------------

    def _read_identity(self, pr: PersonRow, row: list) -> None:
        c = self.col.get("identity_number")
        if c is None:
            self._sex_fallback(pr, None)
            return
        v = self._get(row, c)
        if _is_empty(v):
            self._sex_fallback(pr, None)
            return
        shown = cell_text(v)
        number: str
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            if isinstance(v, float) and not v.is_integer():
                self._p(
                    pr, "bad_identity_number",
                    f"Số định danh “{shown}” là số thập phân; hãy định dạng cột là Văn bản (Text) và gõ lại"
                    " đủ 12 chữ số.",
                    f"Identification number “{shown}” is a decimal number; format the column as Text and"
                    " type the 12 digits again.",
                    c, shown,
                )  # fmt: skip
                self._sex_fallback(pr, None)
                return
            number = str(int(v))
            if len(number) in (10, 11):
                if not self._restore_zeros(pr, c, shown, number):
                    self._sex_fallback(pr, None)
                    return
                number = number.zfill(12)
        else:
            number = shown.lstrip("'").replace(" ", "").replace(".", "").replace("\u00a0", "")
        issues = check_identity_number(
            number,
            birth_year=pr.birth_date.year if pr.birth_date else None,
            sex=pr.sex,
        )
        if issues:
            self._p(
                pr, "bad_identity_number",
                "; ".join(i.message_vi for i in issues) + ".",
                "; ".join(i.message_en for i in issues) + ".",
                c, shown,
            )  # fmt: skip
            if any(i.code in ("not_digits", "wrong_length") for i in issues):
                self._sex_fallback(pr, None)
                return
        pr.identity_number = number
        here = (self.sheet, pr.row)
        first = self.seen_ids.setdefault(number, here)  # one look-up for the check and the entry
        if first is not here:
            where_vi = f"dòng {first[1]}" + (
                f" của trang “{first[0]}”" if first[0] != self.sheet else " của danh sách"
            )
            where_en = f"row {first[1]}" + (f" of sheet “{first[0]}”" if first[0] != self.sheet else "")
            self._p(
                pr, "duplicate_identity_number",
                f"Số định danh {number} trùng với {where_vi}; mỗi người chỉ ghi một dòng"
                " (người kiêm nhiệm: ghi các chức danh kiêm nhiệm vào cột Ghi chú).",
                f"Identification number {number} is the same as on {where_en}; list each person once"
                " (for concurrent posts, write them in the notes column).",
                c, shown,
            )  # fmt: skip
        self._sex_fallback(pr, number)

    def _restore_zeros(self, pr: PersonRow, c: Column, shown: str, digits: str) -> bool:
        """An ID number that lost one or two leading zeros (Excel keeps it as a number): the
        number with its zeros back is taken only when it is consistent — a province code of
        birth registration, the century-and-sex digit and the year digits agreeing with the
        row's birth year and sex (Circular 07/2016/TT-BCA Art. 7); a warning then shows
        old → new. Otherwise the row is flagged (an error) with the reason, and False returned."""
        restored = digits.zfill(12)
        zeros = 12 - len(digits)
        how_vi, how_en = "được lưu dạng số nên Excel đã bỏ", "is stored as a number, so Excel dropped"
        year = pr.birth_date.year if pr.birth_date else None
        issues = check_identity_number(restored, birth_year=year, sex=pr.sex)
        if year is None or issues:
            if year is None:
                why_vi = "không có năm sinh để đối chiếu chữ số thế kỷ và năm sinh"
                why_en = "there is no birth year to check the century and year digits against"
            else:
                why_vi = "; ".join(i.message_vi for i in issues)
                why_en = "; ".join(i.message_en for i in issues)
            self._p(
                pr, "identity_number_not_restored",
                f"Số định danh “{shown}” chỉ có {len(digits)} chữ số ({how_vi} {zeros} số 0 ở đầu?) nhưng"
                f" không khôi phục chắc chắn được thành {restored}: {why_vi}. Hãy định dạng cột là Văn bản"
                " (Text) và gõ lại đủ 12 chữ số.",
                f"Identification number “{shown}” has only {len(digits)} digits ({how_en} {zeros} leading"
                f" zero(s)?) but cannot be restored with certainty as {restored}: {why_en}. Format the"
                " column as Text and type the 12 digits again.",
                c, shown,
            )  # fmt: skip
            return False
        self._p(
            pr, "identity_number_as_number",
            f"Số định danh “{shown}” {how_vi} {zeros} số 0 ở đầu; đã khôi phục số 0 đầu: {digits} → {restored}"
            " (khớp mã tỉnh, năm sinh và giới tính). Hãy định dạng cột này là Văn bản (Text).",
            f"Identification number “{shown}” {how_en} {zeros} leading zero(s); restored: {digits} →"
            f" {restored} (the province code, birth year and sex agree). Format this column as Text.",
            c, shown, "warning",
        )  # fmt: skip
        return True

    def _sex_fallback(self, pr: PersonRow, number: str | None) -> None:
        if pr.sex is not None or any(p.code == "bad_sex" for p in pr.problems):
            return
        if number and len(number) == 12 and number.isdigit():
            pr.sex = "female" if int(number[3]) % 2 else "male"
            c = self.col.get("identity_number")
            self._p(
                pr, "sex_from_identity_number",
                f"Không ghi giới tính; lấy theo chữ số thứ 4 của số định danh: {_SEX_VI[pr.sex]}.",
                f"No sex given; taken from the 4th digit of the identification number: {pr.sex}.",
                c, number, "warning",
            )  # fmt: skip
            return
        c = self.col.get("sex") or self.col.get("sex_male") or self.col.get("sex_female")
        self._p(
            pr, "missing_sex",
            "Thiếu giới tính (Nam/Nữ).",
            "The sex (male/female) is missing.",
            c, "",
        )  # fmt: skip

    # ethnicity, religion, home town -------------------------------------------------

    def _read_ethnicity(self, pr: PersonRow, row: list) -> None:
        c = self.col.get("ethnicity")
        if c is None:
            return
        v = self._get(row, c)
        if _is_empty(v):
            return
        text = cell_text(v)
        code = self.ethnic.lookup(text)
        if code is None:
            self._p(
                pr, "unknown_ethnicity",
                f"Dân tộc “{text}” không có trong danh mục 54 dân tộc Việt Nam (Quyết định"
                " 121-TCTK/PPCĐ); ghi tên dân tộc, ví dụ Kinh, Tày, Nùng, Dao, Mông.",
                f"Ethnic group “{text}” is not among Vietnam's 54 groups (GSO Decision 121-TCTK/PPCĐ);"
                " write the group's name, e.g. Kinh, Tày, Nùng, Dao, Mông.",
                c, text,
            )  # fmt: skip
            return
        pr.ethnicity = code

    def _read_texts(self, pr: PersonRow, row: list) -> None:
        c = self.col.get("religion")
        if c is not None:
            t = cell_text(self._get(row, c))
            if t:
                pr.religion = "Không" if _key(t) in _RELIGION_NONE else t
        c = self.col.get("home_town")
        if c is not None:
            t = cell_text(self._get(row, c))
            if t:
                pr.home_town = t

    def _check_plain(self, pr: PersonRow) -> None:
        """A name or home town holding markup (``<``, ``>``) or a control character is a problem
        of the row (the models refuse it too: :mod:`canbo.common.validators`)."""
        col = self.col
        name_col = col.get("full_name") or col.get("given_name") or self.name_col
        checks = [
            (
                pr.family_name,
                "Họ",
                "Family name",
                col.get("family_name") or col.get("family_middle") or name_col,
            ),
            (
                pr.middle_name,
                "Tên đệm",
                "Middle name",
                col.get("middle_name") or col.get("family_middle") or name_col,
            ),
            (pr.given_name, "Tên", "Given name", name_col),
            (pr.home_town, "Quê quán", "Home town", col.get("home_town")),
        ]
        for value, what_vi, what_en, c in checks:
            bad = bad_name_characters(value or "")
            if bad:
                chars = ", ".join(describe_character(ch) for ch in bad)
                self._p(
                    pr, "bad_characters",
                    f"{what_vi} “{value}” có ký tự đánh dấu (<, >) hoặc ký tự điều khiển: {chars}.",
                    f"{what_en} “{value}” holds markup (<, >) or control characters: {chars}.",
                    c, value,
                )  # fmt: skip

    # party ----------------------------------------------------------------------------

    def _read_party(self, pr: PersonRow, row: list, notes: list[str]) -> None:
        """Party membership from a "Đảng viên" column (a mark, "không", or a date) and the dates
        of admission and of full membership. A mark without a date: a member, date unknown; a
        blank: unknown (``is_party_member`` None), never "not a member"."""
        member: bool | None = None
        said_no: tuple[Column, str] | None = None
        for f in ("party", "party_joined_on", "party_official_on"):
            c = self.col.get(f)
            if c is None:
                continue
            v = self._get(row, c)
            if _is_empty(v):
                continue
            text = cell_text(v)
            if isinstance(v, bool) or (isinstance(v, (int, float)) and v in (0, 1)):
                member = True if v else (member or False)
                continue
            if isinstance(v, str):
                k = _key(v)
                if k in _PARTY_YES or k in _MARK_YES:
                    member = True
                    continue
                if k in _MARK_NO or k in _PARTY_NO:
                    member = member or False
                    said_no = c, text
                    continue
                if f != "party_official_on" and self._two_party_dates(pr, c, v):
                    member = True
                    continue
                if f == "party" and parse_date(v, self.today).error_en == "cannot be read":
                    member = True
                    notes.append(f"Cột {c.letter} ({c.header}): {text}")
                    self._p(
                        pr, "unreadable_party",
                        f"Không hiểu “{text}” ở cột Đảng viên; coi là đảng viên và giữ nguyên nội dung trong"
                        " ghi chú. Ghi “x” nếu là đảng viên, hoặc ghi ngày vào Đảng.",
                        f"“{text}” in the Party column is not understood; taken as a Party member and kept"
                        " in the notes. Write “x” for a member, or the admission date.",
                        c, text, "warning",
                    )  # fmt: skip
                    continue
            member = True
            official = f == "party_official_on"
            what_vi = "Ngày chính thức vào Đảng" if official else "Ngày vào Đảng"
            what_en = "Date of full Party membership" if official else "Party admission date"
            parsed = self._date(pr, c, v, what_vi, what_en)
            if parsed is None or parsed.value is None:
                continue
            if pr.birth_date and parsed.value < pr.birth_date:
                self._p(
                    pr, "bad_date",
                    f"{what_vi} {format_date(parsed.value, parsed.precision)} trước ngày sinh"
                    f" {format_date(pr.birth_date, pr.birth_date_precision)}.",
                    f"{what_en} {format_date(parsed.value, parsed.precision)} is before the"
                    f" birth date {format_date(pr.birth_date, pr.birth_date_precision)}.",
                    c, text,
                )  # fmt: skip
            elif official:
                pr.party_official_on = parsed.value
                pr.party_official_on_precision = parsed.precision  # type: ignore[assignment]
            elif pr.party_joined_on is None:
                pr.party_joined_on = parsed.value
                pr.party_joined_on_precision = parsed.precision  # type: ignore[assignment]
        if (
            pr.party_joined_on is not None
            and pr.party_official_on is not None
            and pr.party_official_on < pr.party_joined_on
        ):
            c = self.col.get("party_official_on")
            self._p(
                pr, "bad_date",
                f"Ngày chính thức vào Đảng {format_date(pr.party_official_on, pr.party_official_on_precision)}"
                f" trước ngày vào Đảng {format_date(pr.party_joined_on, pr.party_joined_on_precision)}.",
                f"The date of full Party membership {format_date(pr.party_official_on, pr.party_official_on_precision)}"
                f" is before the admission date {format_date(pr.party_joined_on, pr.party_joined_on_precision)}.",
                c, cell_text(self._get(row, c)),
            )  # fmt: skip
        if member and said_no is not None:
            c, text = said_no
            self._p(
                pr, "party_conflict",
                f"Cột {c.letter} ({c.header}) ghi “{text}” (không phải đảng viên) nhưng cột khác ghi là đảng viên"
                " hoặc ngày vào Đảng; ghi nhận là đảng viên. Hãy kiểm tra lại.",
                f"Column {c.letter} ({c.header}) reads “{text}” (not a member) but another column marks a member or"
                " gives an admission date; recorded as a member. Please check.",
                c, text, "warning",
            )  # fmt: skip
        pr.is_party_member = member

    def _two_party_dates(self, pr: PersonRow, c: Column, v: str) -> bool:
        """A cell holding the admission date and the full-membership date, in that order
        ("19/05/2005 - 19/05/2006", "19/05/2005\n19/05/2006", "DB: 2005, CT: 2006"): both are
        read (True); any other cell is left to the one-date reading (False)."""
        tokens = _DATE_TOKEN.findall(v)
        if len(tokens) != 2:
            return False
        rest = set(_key(_DATE_TOKEN.sub(" ", v)).split())
        if not rest <= _PAIR_WORDS:
            return False
        joined = self._date(pr, c, tokens[0], "Ngày vào Đảng", "Party admission date")
        official = self._date(pr, c, tokens[1], "Ngày chính thức vào Đảng", "Date of full Party membership")
        if joined is not None and joined.value is not None and pr.party_joined_on is None:
            pr.party_joined_on = joined.value
            pr.party_joined_on_precision = joined.precision  # type: ignore[assignment]
        if official is not None and official.value is not None and pr.party_official_on is None:
            pr.party_official_on = official.value
            pr.party_official_on_precision = official.precision  # type: ignore[assignment]
        return True

    # post start -----------------------------------------------------------------------

    def _read_post_start(self, pr: PersonRow, row: list) -> None:
        c = self.col.get("post_start")
        if c is None:
            return  # no such column: one warning for the whole list (read_list)
        v = self._get(row, c)
        if not _is_empty(v):
            parsed = self._date(pr, c, v, "Ngày bắt đầu giữ chức danh", "Start of the post")
            if parsed is not None:
                assert parsed.value is not None
                if pr.birth_date and parsed.value < pr.birth_date:
                    self._p(
                        pr, "bad_date",
                        f"Ngày bắt đầu giữ chức danh {format_date(parsed.value, parsed.precision)} trước ngày"
                        f" sinh {format_date(pr.birth_date, pr.birth_date_precision)}.",
                        f"The post start {format_date(parsed.value, parsed.precision)} is before the birth"
                        f" date {format_date(pr.birth_date, pr.birth_date_precision)}.",
                        c, cell_text(v),
                    )  # fmt: skip
                else:
                    pr.post_start = parsed.value
            return
        as_of = format_date(self.as_of)
        self._p(
            pr, "missing_post_start",
            f"Không có ngày bắt đầu giữ chức danh; ghi nhận đang giữ chức danh tại ngày {as_of}.",
            f"No start date of the post; recorded as holding the post on {as_of}.",
            c, "", "warning",
        )  # fmt: skip

    # unit --------------------------------------------------------------------------------

    def _read_unit(self, pr: PersonRow, row: list) -> None:
        c = self.col.get("unit")
        v = self._get(row, c)
        if c is None or _is_empty(v):
            # the commune of the group row above, else of the sheet, else the unit imported for
            if self.section_unit is not None:
                pr.unit_code, pr.unit_source = self.section_unit.code, "group_row"
            elif self.sheet_unit is not None:
                pr.unit_code, pr.unit_source = self.sheet_unit.code, self.sheet_unit_source
            elif self.sheet_unit_error is not None:
                vi, en, text = self.sheet_unit_error
                self._p(pr, "unknown_unit", vi, en, c, text)
            elif self.default_unit is not None:
                pr.unit_code, pr.unit_source = self.default_unit, "default"
            else:
                self._p(
                    pr, "missing_unit",
                    "Thiếu đơn vị (xã, phường, thị trấn) của người này. Hãy ghi tên xã vào cột"
                    " “Xã/phường”, hoặc đặt tên trang theo tên xã.",
                    "The unit (commune, ward, township) is missing. Write the commune in the"
                    " “Xã/phường” column, or name the sheet after the commune.",
                    c, "",
                )  # fmt: skip
            return
        text = cell_text(v)
        on = pr.post_start or self.as_of
        key = (text, on)
        found = self._unit_cache.get(key)
        if found is None:
            found = self._unit_outcome(text, on)
            if len(self._unit_cache) < _CACHE_SIZE:
                self._unit_cache[key] = found
        code, problems = found
        if code is not None:
            pr.unit_code, pr.unit_source = code, "column"
        for p_code, vi, en, severity in problems:
            self._p(pr, p_code, vi, en, c, text, severity)

    def _unit_outcome(self, text: str, on: date) -> _Outcome:
        """What a unit cell ``text`` gives for a post held from ``on``: the unit's code (or None)
        and the problems of the cell (code, vi, en, severity). A function of the text and the
        date only (the units and the list's date are the sheet's), so read once per pair."""
        match = self.units.lookup(text)
        live = [u for u in match.candidates if in_force(u.valid_from, u.valid_to, on)]
        problems: list[_Spec] = []
        if not live and on != self.as_of:
            live = [u for u in match.candidates if in_force(u.valid_from, u.valid_to, self.as_of)]
            if len(live) == 1:
                problems.append(self._not_in_force_on_start(live[0].name, UnitIndex.period(live[0]), on))
        if len(live) == 1:
            return live[0].code, tuple(problems)
        if len(live) > 1:
            listed = "; ".join(UnitIndex.describe(u) for u in live)
            problems.append((
                "ambiguous_unit",
                f"Có {len(live)} đơn vị cùng tên “{text}”: {listed}. Hãy ghi rõ thêm huyện/tỉnh, ví dụ"
                f" “{live[0].name} ({live[0].parent_name or '…'})”, hoặc ghi mã đơn vị.",
                f"{len(live)} units are named “{text}”: {listed}. Add the district/province, e.g."
                f" “{live[0].name} ({live[0].parent_name or '…'})”, or write the unit code.",
                "error",
            ))  # fmt: skip
            return None, tuple(problems)
        if match.candidates:
            periods = "; ".join(f"{UnitIndex.describe(u)}: {UnitIndex.period(u)}" for u in match.candidates)
            problems.append((
                "unknown_unit",
                f"Đơn vị “{text}” không còn hoặc chưa tồn tại vào ngày {format_date(on)} ({periods}).",
                f"The unit “{text}” did not exist on {format_date(on)} ({periods}).",
                "error",
            ))  # fmt: skip
            return None, tuple(problems)
        close = self.units.close_names(text, self.as_of)
        hint_vi = f" Có phải: {', '.join(close)}?" if close else ""
        hint_en = f" Did you mean: {', '.join(close)}?" if close else ""
        problems.append((
            "unknown_unit",
            f"Không tìm thấy xã “{text}” trong các đơn vị được phép nhập.{hint_vi}",
            f"No commune “{text}” among the units this import may write to.{hint_en}",
            "error",
        ))  # fmt: skip
        return None, tuple(problems)

    def _not_in_force_on_start(self, name: str, period: str, on: date) -> _Spec:
        return (
            "not_in_force_on_start",
            f"“{name}” ({period}) chưa có hoặc đã thôi vào ngày bắt đầu {format_date(on)}; ghi nhận theo danh"
            f" mục tại ngày của danh sách {format_date(self.as_of)}. Hãy kiểm tra ngày bắt đầu.",
            f"“{name}” ({period}) did not exist on the start date {format_date(on)}; recorded as of the"
            f" list's date {format_date(self.as_of)}. Please check the start date.",
            "warning",
        )

    # title -------------------------------------------------------------------------------

    _CONCURRENT = re.compile(r"\s*(?:,|;|\n|\bkiêm\b|\bkiem\b|\s\+\s|\s/\s)\s*", re.IGNORECASE)
    _EXPLICIT_CONCURRENT = re.compile(r"\bkiêm\b|\bkiem\b|;|\n|\s\+\s", re.IGNORECASE)

    def _read_title(self, pr: PersonRow, row: list, notes: list[str]) -> None:
        c = self.col.get("title")
        v = self._get(row, c)
        if c is None:
            return
        if _is_empty(v):
            self._p(pr, "missing_title", "Thiếu chức danh.", "The title (post) is missing.", c, "")
            return
        text = cell_text(v)
        on = pr.post_start or self.as_of
        key = (text, on)
        found = self._title_cache.get(key)
        if found is None:
            found = self._title_outcome(text, on)
            if len(self._title_cache) < _CACHE_SIZE:
                self._title_cache[key] = found
        code, problems, note = found
        if code is not None:
            pr.title_code = code
        notes.extend(note)
        for p_code, vi, en, severity in problems:
            self._p(pr, p_code, vi, en, c, text, severity)

    def _title_outcome(self, text: str, on: date) -> tuple[str | None, tuple[_Spec, ...], tuple[str, ...]]:
        """What a title cell ``text`` gives for a post held from ``on``: the title's code (or
        None), the problems of the cell (code, vi, en, severity) and the notes it adds (the
        concurrent titles). A function of the text and the date only, so read once per pair."""
        pieces = [p for p in self._CONCURRENT.split(text) if p and p.strip()]
        explicit = len(pieces) > 1 and self._EXPLICIT_CONCURRENT.search(text) is not None
        if not explicit and len(pieces) > 1:
            # "PBT ĐU, CT UBND": two titles separated by a comma, each a title on its own
            found = {t.code for t in (self.titles.resolve(p, on)[0] for p in pieces[:3]) if t is not None}
            explicit = len(found) >= 2
        title, candidates = (None, []) if explicit else self.titles.resolve(text, on)
        if title is None and (explicit or not candidates):
            if len(pieces) > 1:
                first, _ = self.titles.resolve(pieces[0], on)
                if first is not None:
                    more = ", ".join(pieces[1:])
                    return (
                        first.code,
                        ((
                            "concurrent_title",
                            f"Ô chức danh ghi nhiều chức danh; nhận “{first.name}”, phần còn lại (“{more}”) được"
                            " ghi vào ghi chú.",
                            f"The title cell holds several titles; “{first.name}” was taken and the rest"
                            f" (“{more}”) kept in the notes.",
                            "warning",
                        ),),
                        (f"Kiêm nhiệm: {more}",),
                    )  # fmt: skip
            if explicit:
                title, candidates = self.titles.resolve(text, on)
        problems: list[_Spec] = []
        if title is None and on != self.as_of:
            later, _ = self.titles.resolve(text, self.as_of)
            if later is not None:
                problems.append(self._not_in_force_on_start(later.name, TitleIndex.period(later), on))
                title, candidates = later, []
        if title is not None:
            return title.code, tuple(problems), ()
        if candidates:
            names = "; ".join(f"{t.name} ({TitleIndex.period(t)})" for t in candidates[:6])
            if any(in_force(t.valid_from, t.valid_to, on) for t in candidates):
                problems.append((
                    "ambiguous_title",
                    f"Chức danh “{text}” có thể là: {names}. Hãy ghi đầy đủ tên chức danh.",
                    f"The title “{text}” could be: {names}. Write the title's full name.",
                    "error",
                ))  # fmt: skip
            else:
                problems.append((
                    "unknown_title",
                    f"Chức danh “{text}” không áp dụng vào ngày {format_date(on)} ({names}).",
                    f"The title “{text}” did not apply on {format_date(on)} ({names}).",
                    "error",
                ))  # fmt: skip
            return None, tuple(problems), ()
        close = self.titles.close_names(text, on)
        hint_vi = f" Các chức danh gần giống: {'; '.join(close)}." if close else ""
        hint_en = f" Close titles: {'; '.join(close)}." if close else ""
        problems.append((
            "unknown_title",
            f"Không tìm thấy chức danh “{text}” trong danh mục chức danh áp dụng vào ngày {format_date(on)}.{hint_vi}",
            f"No title “{text}” in the catalogue in force on {format_date(on)}.{hint_en}",
            "error",
        ))  # fmt: skip
        return None, tuple(problems), ()

    # qualifications ----------------------------------------------------------------------

    def _read_qual(self, text: str, hint: Dimension) -> list[ReadQualification]:
        key = (text, hint)
        found = self._qual_cache.get(key)
        if found is None:
            found = read_qualifications(text, hint)
            if len(self._qual_cache) < 100_000:
                self._qual_cache[key] = found
        return found

    def _read_qualifications(self, pr: PersonRow, row: list, notes: list[str]) -> None:
        n = len(row)
        major_col = self.major_col
        major = cell_text(row[major_col.index] if major_col.index < n else "") if major_col else ""
        major_used = False
        cache = self._reading_cache
        for f, c in self.qual_cols:
            i = c.index
            v = row[i] if i < n else ""
            text = (cell_text(v) if v else "") if v.__class__ is str else _qual_text(f, v)
            original = text
            if major and not major_used and f == "professional":
                major_used = True
                if not text:
                    text = original = major
                elif _key(major) not in _key(text):
                    text = f"{text} {major}"
                    original = f"{original} — {major_col.header.split(' / ')[-1]}: {major}"  # type: ignore[union-attr]
            if not text:
                continue
            # what the cell gives, read once per (text, column): see _reading
            hint = QUALIFICATION_FIELDS[f]
            key = (text, original, hint, i)
            found = cache.get(key)
            if found is None:
                found = self._reading(c, text, original, hint)
                if len(cache) < _CACHE_SIZE:
                    cache[key] = found
            quals, warnings, note = found
            if quals:
                pr.qualifications.extend(quals)  # frozen: shared between rows
            for code, vi, en in warnings:
                self._p(pr, code, vi, en, c, original, "warning")
            if note:
                notes.extend(note)
        if major and not major_used and major_col is not None:
            notes.append(f"Cột {major_col.letter} ({major_col.header}): {major}")

    def _reading(
        self, c: Column, text: str, original: str, hint: Dimension
    ) -> tuple[tuple[QualificationRow, ...], tuple[tuple[str, str, str], ...], tuple[str, ...]]:
        """What one qualification cell gives: the qualifications, the warnings, the notes."""
        quals: list[QualificationRow] = []
        warnings: list[tuple[str, str, str]] = []
        note: list[str] = []
        for r in self._read_qual(text, hint):
            if r.none:
                continue
            if not r.known:
                warnings.append((
                    "unreadable_qualification",
                    f"Không đọc được trình độ “{r.text or text}”"
                    + (f": {r.reason_vi}" if r.reason_vi else "")
                    + ". Nội dung được giữ nguyên trong ghi chú.",
                    f"Cannot read the qualification “{r.text or text}”"
                    + (f": {r.reason_en}" if r.reason_en else "")
                    + ". The text is kept in the notes.",
                ))  # fmt: skip
                note.append(f"Cột {c.letter} ({c.header}): {r.text or text}")
                continue
            quals.append(
                QualificationRow(
                    dimension=Dimension(r.dimension or "").value,
                    level=r.level or "",
                    field_of_study=r.field_of_study,
                    study_mode=r.study_mode,
                    is_remedial=r.is_remedial,
                    original_text=original,
                    column=c.letter,
                    confidence=r.confidence,
                )
            )
            if r.confidence < LOW_CONFIDENCE:
                shown = _describe_reading(r)
                why_vi = f": {r.reason_vi}" if r.reason_vi else ""
                why_en = f": {r.reason_en}" if r.reason_en else ""
                warnings.append((
                    "uncertain_qualification",
                    f"“{r.text or text}” được hiểu là {shown[0]} (độ tin cậy {r.confidence:.0%}{why_vi}); hãy kiểm tra lại.",
                    f"“{r.text or text}” was read as {shown[1]} (confidence {r.confidence:.0%}{why_en}); please check.",
                ))  # fmt: skip
        return tuple(quals), tuple(warnings), tuple(note)


def _describe_reading(r: ReadQualification) -> tuple[str, str]:
    dim = Dimension(r.dimension)  # type: ignore[arg-type]
    vi, en = DIMENSION_LABELS[dim]
    try:
        lv = level(dim, r.level or "")
        vi, en = f"{vi}: {lv.label_vi}", f"{en}: {lv.label_en}"
    except ValueError:
        vi, en = f"{vi}: {r.level}", f"{en}: {r.level}"
    if r.field_of_study in FIELDS_OF_STUDY:
        fv, fe = FIELDS_OF_STUDY[r.field_of_study]
        vi, en = f"{vi}, ngành {fv}", f"{en}, field {fe}"
    if r.study_mode in STUDY_MODES:
        mv, me = STUDY_MODES[r.study_mode]
        vi, en = f"{vi}, {mv.lower()}", f"{en}, {me.lower()}"
    return vi, en
