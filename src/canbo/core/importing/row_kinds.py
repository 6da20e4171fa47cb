"""Row kinds: which rows of a list are people and which are not.

Rows that are not people are passed over: blank rows, rows with only a number in the STT column,
repeated header or numbering rows (printed lists repeat them on every page), group rows ("I. CÁN
BỘ", "Xã Hợp Thành" — a group row naming a commune gives the commune of the rows under it when
they have none), totals rows ("Tổng cộng", "Cộng"), and the signature block ("Người lập biểu",
"THỦ TRƯỞNG ĐƠN VỊ", "…, ngày … tháng … năm …") with the signers' names under it — only a
numbered row with a birth date or an ID number counts as a person again after it. Summary rows
(totals, "Trong đó: nữ …" and its lines), note rows ("Ghi chú: …") and the signature block are
recognised wherever they stand (issue 9 §4) and each is listed as a warning (``summary_row``,
``note_row``, ``signature_row``); blank, group and repeated header rows are passed over silently.

:class:`RowKinds` holds the classification; :class:`~.rows.RowReader` (which derives from it)
holds the state it reads (the layout's columns, the units, whether the signature block has
begun).
"""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING, ClassVar

from .cells import _is_empty, _key
from .directory import UnitIndex, in_force
from .layout import Column, cell_text, is_numbering_row
from .model import Problem, UnitRef

_ROMAN = re.compile(r"^(?=[ivxlc]+\.?$)[ivxlc]+\.?$|^[a-h]\.?$")
_GROUP_WORDS = (
    "can bo",
    "cong chuc",
    "khoi ",
    "nguoi hoat dong",
    "chuc danh",
    "don vi ",
    "nhom ",
    "lanh dao",
)
#: Summary rows ("Tổng cộng", "Cộng: 25", "Tổng số 25 người, trong đó nữ 7", "Trong đó: nữ 7"),
#: on the folded key; "Công chức" (a group row) is not "Cộng".
_SUMMARY = re.compile(
    r"^(?:tong cong|tong so|cong chung|cong toan|trong do|tong hop chung)\b|^(?:tong|cong)(?: \d| nguoi| so|$)"
)
_TOTAL_EXACT = frozenset({"cong", "tong", "tong cong", "tong so", "cong toan", "cong toan bo"})
#: The lines of a breakdown under "Trong đó:" ("- Nữ: 7", "+ Đảng viên: 20 người", "DTTS: 3").
_BREAKDOWN = re.compile(
    r"^(?:nu|nam|dang vien|dan toc(?: thieu so)?|dtts|nguoi dtts|ton giao|can bo|cong chuc|nguoi hoat dong"
    r"(?: khong chuyen trach)?|duoi \d+ tuoi|tren \d+ tuoi|tu \d+ tuoi)(?: [a-z ]*?)? \d+(?: nguoi| ng| %)?$"
)
#: Note rows under (or between) the people: "Ghi chú: …", "Lưu ý: …", "* Chú thích".
_NOTE_PREFIX = ("ghi chu", "luu y", "chu thich", "chu y", "nb ")
_SIGNATURE_EXACT = frozenset({
    "nguoi lap bieu", "nguoi lap", "nguoi lap danh sach", "thu truong don vi", "thu truong co quan",
    "chu tich", "kt chu tich", "tm uy ban nhan dan", "tm ubnd", "xac nhan", "lanh dao don vi",
    "pho chu tich", "nguoi ky", "nguoi duyet", "truong phong noi vu", "ky ten", "ky ghi ro ho ten",
    "ky ten dong dau", "ky ghi ro ho ten dong dau", "giam doc", "noi nhan",
})  # fmt: skip
_SIGNATURE_PREFIX = ("nguoi lap", "thu truong", "kt chu tich", "kt ", "tm ", "xac nhan cua", "noi nhan")
_PLACE_DATE = re.compile(r"ngay\s*[.…\d\s]*\s*thang\s*[.…\d\s]*\s*nam\s*[.…\d\s]*$")


class RowKinds:
    """The row-kind half of :class:`~.rows.RowReader`: :meth:`_classify` says what a row is,
    :meth:`_skipped` records a row that is not a person as a warning."""

    # set by RowReader.__init__
    sheet: str
    col: dict[str, Column]
    name_col: Column | None
    stt_col: Column | None
    data_indexes: list[int]
    name_header_keys: set[str]
    units: UnitIndex
    as_of: date
    section_unit: UnitRef | None
    section_units_found: bool
    in_signature: bool
    skipped: list[Problem]

    if TYPE_CHECKING:

        def _get(self, row: list, col: Column | None) -> object: ...

    def _classify(self, row: list) -> str:
        """ "person"; "summary", "note" or "signature" (not a person, shown as a warning); or
        "skip" (blank, a group row, the header or the numbering row repeated)."""
        if not self.in_signature and self.name_col is not None and self.stt_col is not None:
            # The common case first: a numbered row with a name (not a number) is a person
            # unless it is the header repeated; the full look below gives the same answer.
            name_index, stt_index, n = self.name_col.index, self.stt_col.index, len(row)
            name_value = row[name_index] if name_index < n else ""
            stt = row[stt_index] if stt_index < n else ""
            if name_value.__class__ is str and (
                stt.__class__ is int
                or stt.__class__ is float
                or (stt.__class__ is str and cell_text(stt).isdigit())
            ):
                name_text = cell_text(name_value)
                if name_text and not name_text.isdigit():
                    if name_text[:1] in "HhTt" and _key(name_text) in self.name_header_keys:
                        return "skip"  # the header repeated (a printed list's page break)
                    return "person"
        n = len(row)
        filled = [
            i
            for i in self.data_indexes
            if i < n and (v := row[i]) != "" and v is not None and not (v.__class__ is str and v.isspace())
        ]
        stt = self._get(row, self.stt_col)
        stt_text = cell_text(stt)
        if not filled and (
            not stt_text or not isinstance(stt, str) or stt_text.isdigit() or len(stt_text) < 4
        ):
            return "skip"  # blank, or a number in the STT column only
        stt_is_number = (isinstance(stt, (int, float)) and not isinstance(stt, bool)) or stt_text.isdigit()
        name_value = self._get(row, self.name_col)
        name_text = cell_text(name_value) if isinstance(name_value, str) else ""
        if self.in_signature:
            # under the signature block only a numbered row with a birth date or an ID number
            # is a person again (the signers' names are not)
            if stt_is_number and not self._no_person_data(row):
                self.in_signature = False
            else:
                for i in filled[:3]:
                    v = row[i]
                    if isinstance(v, str) and ((k := _key(v)) in _TOTAL_EXACT or _SUMMARY.match(k)):
                        return "summary"
                return "signature"
        if not stt_is_number:
            # totals and signature lines sit in the first columns or the name column
            name_index = self.name_col.index if self.name_col else -1
            for i in filled[:6] + ([self.stt_col.index] if self.stt_col and stt_text else []):
                v = row[i]
                if not isinstance(v, str):
                    continue
                k = _key(v)
                if (
                    (k in _SIGNATURE_EXACT or k.startswith(_SIGNATURE_PREFIX) or _PLACE_DATE.search(k))
                    and (not name_text or i == name_index)
                    and self._no_person_data(row)
                ):
                    self.in_signature = True
                    return "signature"
                if k in _TOTAL_EXACT or _SUMMARY.match(k):
                    return "summary"
                if (not name_text or i == name_index) and self._no_person_data(row):
                    if k.startswith(_NOTE_PREFIX):
                        return "note"
                    if _BREAKDOWN.match(k.lstrip("+*•·> ")):
                        return "summary"
            if stt_text and not stt_is_number and _key(stt_text) in _TOTAL_EXACT:
                return "summary"
        if not filled:
            return "skip"  # only a text in the STT column
        if name_text and name_text[:1] in "HhTt" and _key(name_text) in self.name_header_keys:
            return "skip"  # the header repeated (a printed list's page break)
        if (
            len(filled) >= 3
            and (not name_text or name_text.isdigit())
            and (not stt_text or len(stt_text) <= 3)
            and is_numbering_row([cell_text(row[i]) for i in filled])
        ):
            return "skip"  # the numbering row repeated
        if len(filled) == 1 and self.name_col is not None and filled[0] == self.name_col.index and name_text:
            stt_key = _key(stt_text)
            is_group = bool(stt_text) and (_ROMAN.match(stt_key) is not None)
            unit = None
            if not stt_text or is_group:
                match = self.units.lookup(name_text)
                live = [u for u in match.candidates if in_force(u.valid_from, u.valid_to, self.as_of)]
                if len(live) == 1 and (
                    is_group or _key(name_text).startswith(("xa ", "phuong ", "thi tran ", "dac khu "))
                ):
                    unit = live[0]
            if unit is not None:
                self.section_unit = unit
                self.section_units_found = True
                return "skip"
            if is_group or (not stt_text and _key(name_text).startswith(_GROUP_WORDS)):
                return "skip"
        return "person"

    _SKIPPED: ClassVar[dict[str, tuple[str, str, str]]] = {
        "summary": ("summary_row", "Dòng tổng hợp", "Summary row"),
        "note": ("note_row", "Dòng ghi chú", "Note row"),
        "signature": ("signature_row", "Dòng thuộc phần chữ ký", "Signature block row"),
    }

    def _skipped(self, kind: str, number: int, row: list) -> None:
        code, vi, en = self._SKIPPED[kind]
        text = " | ".join(t for t in (cell_text(v) for v in row) if t)
        if len(text) > 200:
            text = text[:199] + "…"
        self.skipped.append(
            Problem(
                code,
                f"{vi} “{text}” không phải là một người: không nhập.",
                f"{en} “{text}” is not a person: not imported.",
                sheet=self.sheet,
                row=number,
                value=text,
                severity="warning",
            )
        )

    def _no_person_data(self, row: list) -> bool:
        for f in ("birth_date", "birth_date_male", "birth_date_female", "identity_number", "birth_year"):
            if not _is_empty(self._get(row, self.col.get(f))):
                return False
        return True
