"""Open an uploaded workbook safely: guards first, then python-calamine.

Every way a file can be unreadable ends in :class:`ImportRefused` with a message naming the
problem in Vietnamese and English — never a traceback:

* ``too_large``: more bytes than ``context.max_bytes`` (checked before anything is read when the
  size is known), or a zip whose members would unpack to more than
  :data:`UNPACKED_FACTOR` × the limit (a "zip bomb");
* ``encrypted``: a password-protected workbook (an encrypted .xlsx is an OLE compound file
  holding ``EncryptionInfo``/``EncryptedPackage`` streams; an encrypted .xls is refused by
  calamine with ``PasswordError``);
* ``corrupt``: not a workbook at all (random bytes, a truncated zip, a Word document, a CSV, an
  HTML page or a PDF renamed .xlsx/.xls);
* ``too_many_rows``: a sheet whose declared size (``<dimension ref="A1:P1000001"/>`` at the top
  of the sheet's XML, or, without it, its ``<row>`` elements counted while streaming) is beyond
  ``context.max_rows`` — found without loading the sheet;
* ``empty_sheet``: nothing in any sheet.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import python_calamine as pc

from canbo.core.formatting import fmt_int

from .model import ImportContext, ImportRefused, Problem

__all__ = [
    "HEADER_ALLOWANCE",
    "UNPACKED_FACTOR",
    "OpenWorkbook",
    "Sheet",
    "WorkbookFile",
    "fmt_int",
    "inspect_file",
    "open_workbook",
    "refuse",
]

#: A zip may unpack to at most this many times the byte limit.
UNPACKED_FACTOR = 20
#: Rows allowed above the data (title block, header) when judging a sheet's size before reading.
HEADER_ALLOWANCE = 100

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
_ENCRYPTION_STREAMS = ("EncryptionInfo".encode("utf-16-le"), "EncryptedPackage".encode("utf-16-le"))


def _fmt_mb(n: int) -> str:
    mb = n / (1024 * 1024)
    return (f"{mb:.1f}" if mb < 100 else f"{mb:.0f}").replace(".", ",")


def refuse(
    code: str, vi: str, en: str, *, sheet: str | None = None, value: str | None = None
) -> ImportRefused:
    return ImportRefused([Problem(code, vi, en, sheet=sheet, value=value)])


@dataclass
class WorkbookFile:
    """The bytes of an uploaded workbook that passed the guards, and what they are."""

    data: bytes
    filename: str
    kind: str  # "xlsx", "xlsb", "ods", "xls"
    size: int
    #: Declared last row (1-based) of each sheet of an .xlsx, by sheet name.
    declared_rows: dict[str, int] = field(default_factory=dict)


# --------------------------------------------------------------------------- reading the source


def _read_source(source: str | Path | bytes | BinaryIO, max_bytes: int, filename: str) -> tuple[bytes, str]:
    def too_large(size: int | None) -> ImportRefused:
        limit = _fmt_mb(max_bytes)
        if size is None:
            return refuse(
                "too_large",
                f"Tệp lớn hơn giới hạn {limit} MB cho một lần nhập. Hãy xóa các trang không cần thiết"
                " hoặc chia danh sách thành nhiều tệp.",
                f"The file is larger than the {limit} MB limit for one import. Remove unneeded sheets"
                " or split the list into several files.",
            )
        return refuse(
            "too_large",
            f"Tệp nặng {_fmt_mb(size)} MB, vượt quá giới hạn {limit} MB cho một lần nhập. Hãy xóa"
            " các trang không cần thiết hoặc chia danh sách thành nhiều tệp.",
            f"The file is {_fmt_mb(size)} MB, over the {limit} MB limit for one import. Remove"
            " unneeded sheets or split the list into several files.",
            value=f"{size} bytes",
        )

    size: int | None
    if isinstance(source, (str, Path)):
        path = Path(source)
        filename = filename or path.name
        try:
            size = path.stat().st_size
        except OSError as exc:
            raise refuse(
                "corrupt",
                f"Không mở được tệp “{filename}”: {exc.strerror or exc}.",
                f"Cannot open the file “{filename}”: {exc.strerror or exc}.",
            ) from None
        if size > max_bytes:
            raise too_large(size)
        return path.read_bytes(), filename
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
        if len(data) > max_bytes:
            raise too_large(len(data))
        return data, filename
    # a file-like object (Django's UploadedFile, an open file, BytesIO)
    filename = filename or os.path.basename(str(getattr(source, "name", "") or ""))
    size = getattr(source, "size", None)
    if not isinstance(size, int):
        size = None
        try:
            pos = source.tell()
            source.seek(0, io.SEEK_END)
            size = source.tell() - pos
            source.seek(pos)
        except (AttributeError, OSError, ValueError):
            size = None
    if size is not None and size > max_bytes:
        raise too_large(size)
    parts: list[bytes] = []
    total = 0
    while total <= max_bytes:  # a raw stream may return less than asked: read until the end
        chunk = source.read(max_bytes + 1 - total)
        if not chunk:
            break
        if isinstance(chunk, str):
            chunk = chunk.encode("utf-8")
        parts.append(bytes(chunk))
        total += len(chunk)
    data = b"".join(parts)
    if len(data) > max_bytes:
        raise too_large(size if size and size > max_bytes else None)
    return bytes(data), filename


# --------------------------------------------------------------------------- what the bytes are


def _not_a_workbook(filename: str, detail_vi: str, detail_en: str) -> ImportRefused:
    name = f"“{filename}” " if filename else ""
    return refuse(
        "corrupt",
        f"Tệp {name}không phải là bảng tính Excel hợp lệ (.xlsx hoặc .xls) hoặc đã bị hỏng: {detail_vi}"
        " Hãy mở tệp bằng Excel, chọn Lưu thành (Save As) dạng “Excel Workbook (.xlsx)” rồi tải lên lại.",
        f"The file {name}is not a valid Excel workbook (.xlsx or .xls) or is damaged: {detail_en}"
        " Open it in Excel, Save As “Excel Workbook (.xlsx)” and upload it again.",
    )


def _sniff_other(data: bytes, filename: str) -> ImportRefused:
    head = data[:2048]
    low = head.lower().lstrip()
    if not data:
        return _not_a_workbook(filename, "tệp rỗng (0 byte).", "the file is empty (0 bytes).")
    if low.startswith(b"%pdf"):
        return _not_a_workbook(filename, "đây là tệp PDF.", "it is a PDF file.")
    if low.startswith((b"<!doctype html", b"<html", b"<table", b"<?xml")) or b"<html" in low[:512]:
        return _not_a_workbook(
            filename,
            "đây là trang HTML/XML được đặt tên như tệp Excel (một số phần mềm cũ xuất như vậy).",
            "it is an HTML/XML page named like an Excel file (some older software exports so).",
        )
    try:
        text = head.decode("utf-8")
        printable = sum(ch.isprintable() or ch in "\r\n\t" for ch in text) / max(len(text), 1)
    except UnicodeDecodeError:
        printable = 0.0
    if printable > 0.95:
        return _not_a_workbook(
            filename,
            "đây là tệp văn bản (có thể là CSV) được đổi đuôi.",
            "it is a text file (perhaps a CSV) with a workbook's name.",
        )
    return _not_a_workbook(filename, "nội dung không nhận ra được.", "its content is not recognised.")


def _sheet_paths(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → member path of an .xlsx (from workbook.xml and its relationships)."""
    try:
        wb = zf.read("xl/workbook.xml")[:2_000_000].decode("utf-8", "replace")
        rels = zf.read("xl/_rels/workbook.xml.rels")[:2_000_000].decode("utf-8", "replace")
    except Exception:  # noqa: BLE001 — a damaged member (zlib.error, BadZipFile…): found later
        return {}
    targets: dict[str, str] = {}
    for m in re.finditer(r"<(?:\w+:)?Relationship\b[^>]*>", rels):
        tag = m.group(0)
        rid = re.search(r'\bId="([^"]*)"', tag)
        target = re.search(r'\bTarget="([^"]*)"', tag)
        if rid and target:
            t = target.group(1)
            t = t.lstrip("/") if t.startswith("/") else "xl/" + t
            targets[rid.group(1)] = t
    out: dict[str, str] = {}
    for m in re.finditer(r"<(?:\w+:)?sheet\b[^>]*>", wb):
        tag = m.group(0)
        name = re.search(r'\bname="([^"]*)"', tag)
        rid = re.search(r'\b\w+:id="([^"]*)"', tag)
        if name and rid and rid.group(1) in targets:
            out[_unescape(name.group(1))] = targets[rid.group(1)]
    return out


def _unescape(s: str) -> str:
    return (
        s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", '"')
        .replace("&apos;", "'")
        .replace("&amp;", "&")
    )


_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\b[^>]*\bref=\"([A-Za-z]*)(\d*)(?::([A-Za-z]*)(\d+))?\"")
_ROW_TAG = re.compile(rb"<(?:\w+:)?row[\s>/]")
_SHEET_DATA = re.compile(rb"<(?:\w+:)?sheetData\b")


def _declared_rows(zf: zipfile.ZipFile, info: zipfile.ZipInfo, stop_above: int) -> int:
    """The last row of a worksheet as its XML declares it, without loading the sheet: the
    ``<dimension>`` near the top, else ``<row>`` elements counted while streaming (stopping as
    soon as ``stop_above`` is passed)."""
    with zf.open(info) as f:
        head = f.read(16384)
        m = _DIMENSION.search(head)
        if m and (m.group(4) or m.group(2)):
            last = int(m.group(4) or m.group(2))
            if last > 1 or info.file_size < 64 * 1024:
                return last
        # no (useful) dimension: count rows while streaming
        count = len(_ROW_TAG.findall(head))
        tail = head[-32:]
        while count <= stop_above:
            chunk = f.read(1 << 20)
            if not chunk:
                break
            buf = tail + chunk
            count += len(_ROW_TAG.findall(buf)) - len(_ROW_TAG.findall(tail))
            tail = buf[-32:]
        return count


def inspect_file(
    source: str | Path | bytes | BinaryIO, context: ImportContext, *, filename: str = ""
) -> WorkbookFile:
    """Read ``source`` and run every guard that does not need the workbook opened.

    Raises :class:`ImportRefused` (``too_large``, ``encrypted``, ``corrupt``, ``too_many_rows``)."""
    data, filename = _read_source(source, context.max_bytes, filename)
    head = data[:8]
    if head.startswith(OLE_MAGIC):
        if any(s in data for s in _ENCRYPTION_STREAMS):
            raise _encrypted(filename)
        return WorkbookFile(data, filename, "xls", len(data))
    if not head.startswith(ZIP_MAGIC):
        raise _sniff_other(data, filename)
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except Exception:  # noqa: BLE001 — BadZipFile, OSError, zlib.error…: all mean damaged
        raise _not_a_workbook(
            filename,
            "tệp nén (zip) bên trong bị cắt cụt hoặc hỏng, có thể do tải lên chưa xong.",
            "its zip container is truncated or damaged, perhaps an incomplete upload.",
        ) from None
    names = {i.filename for i in infos}
    unpacked = sum(i.file_size for i in infos)
    if unpacked > UNPACKED_FACTOR * context.max_bytes:
        limit = _fmt_mb(UNPACKED_FACTOR * context.max_bytes)
        raise refuse(
            "too_large",
            f"Tệp chứa {_fmt_mb(unpacked)} MB dữ liệu khi giải nén, vượt quá giới hạn {limit} MB."
            " Hãy chia danh sách thành nhiều tệp.",
            f"The file unpacks to {_fmt_mb(unpacked)} MB, over the {limit} MB limit. Split the list"
            " into several files.",
            value=f"{unpacked} bytes",
        )
    if "xl/workbook.xml" in names:
        kind = "xlsx"
    elif "xl/workbook.bin" in names:
        kind = "xlsb"
    elif "content.xml" in names and b"opendocument.spreadsheet" in data[:200]:
        kind = "ods"
    elif "word/document.xml" in names:
        raise _not_a_workbook(
            filename, "đây là văn bản Word (.docx) được đổi đuôi.", "it is a Word document (.docx) renamed."
        )
    elif "ppt/presentation.xml" in names:
        raise _not_a_workbook(
            filename,
            "đây là tệp PowerPoint (.pptx) được đổi đuôi.",
            "it is a PowerPoint file (.pptx) renamed.",
        )
    else:
        raise _not_a_workbook(
            filename,
            "đây là một tệp nén (zip) không chứa bảng tính.",
            "it is a zip archive holding no workbook.",
        )
    wf = WorkbookFile(data, filename, kind, len(data))
    if kind == "xlsx":
        row_limit = context.max_rows + HEADER_ALLOWANCE
        paths = _sheet_paths(zf)
        by_path = {i.filename: i for i in infos}
        if not paths:
            paths = {
                i.filename: i.filename
                for i in infos
                if i.filename.startswith("xl/worksheets/") and i.filename.endswith(".xml")
            }
        for sheet, path in paths.items():
            info = by_path.get(path)
            if info is None:
                continue
            try:
                rows = _declared_rows(zf, info, row_limit)
            except Exception:  # noqa: BLE001 — BadZipFile, zlib.error, EOFError…
                raise _not_a_workbook(
                    filename,
                    f"không đọc được trang “{sheet}” (dữ liệu nén bị hỏng).",
                    f"the sheet “{sheet}” cannot be read (damaged compressed data).",
                ) from None
            wf.declared_rows[sheet] = rows
            if rows > row_limit:
                raise too_many_rows(sheet, rows, context.max_rows, approximate=True)
    return wf


def too_many_rows(sheet: str, rows: int, max_rows: int, *, approximate: bool = False) -> ImportRefused:
    about_vi, about_en = ("khoảng ", "about ") if approximate else ("", "")
    return refuse(
        "too_many_rows",
        f"Trang “{sheet}” có {about_vi}{fmt_int(rows)} dòng, vượt quá giới hạn {fmt_int(max_rows)} dòng"
        " dữ liệu cho một lần nhập. Hãy chia danh sách thành nhiều tệp (ví dụ theo huyện hoặc theo xã).",
        f"Sheet “{sheet}” has {about_en}{fmt_int(rows).replace('.', ',')} rows, over the limit of"
        f" {fmt_int(max_rows).replace('.', ',')} data rows for one import. Split the list into several"
        " files (for instance by district or commune).",
        sheet=sheet,
        value=str(rows),
    )


def _encrypted(filename: str) -> ImportRefused:
    name = f"“{filename}” " if filename else ""
    return refuse(
        "encrypted",
        f"Tệp {name}được đặt mật khẩu nên không đọc được. Hãy mở tệp bằng Excel, gỡ mật khẩu"
        " (Tệp → Thông tin → Bảo vệ sổ làm việc → Mã hóa bằng mật khẩu, xóa mật khẩu rồi bấm OK),"
        " lưu lại rồi tải lên.",
        f"The file {name}is password-protected and cannot be read. Open it in Excel, remove the"
        " password (File → Info → Protect Workbook → Encrypt with Password, clear it), save and"
        " upload it again.",
    )


# --------------------------------------------------------------------------- opening


@dataclass
class Sheet:
    """One loaded sheet: its rows as lists of cell values with 0-based absolute columns."""

    name: str
    height: int  # rows in use (1-based index of the last row)
    merged: list[tuple[tuple[int, int], tuple[int, int]]]
    _sheet: pc.CalamineSheet
    _damaged: Callable[[BaseException, str | None], ImportRefused]

    def rows(self) -> Iterator[list]:
        """Every row from the sheet's first row (Excel row 1), columns from column A.
        (calamine starts its rows at row 1 but its columns at the first used one.)"""
        try:
            start = self._sheet.start
            width = self._sheet.width
            offset = None
            for row in self._sheet.iter_rows():
                if offset is None:
                    offset = start[1] if (start and len(row) == width and start[1]) else 0
                yield ([""] * offset + row) if offset else row
        except BaseException as exc:  # noqa: BLE001 — calamine errors and Rust panics alike
            _reraise_fatal(exc)
            raise self._damaged(exc, self.name) from None


def _reraise_fatal(exc: BaseException) -> None:
    """Let interrupts and exhaustion through; anything else from calamine means a bad file
    (a Rust panic arrives as ``pyo3_runtime.PanicException``, a ``BaseException``)."""
    if isinstance(exc, (KeyboardInterrupt, SystemExit, GeneratorExit, MemoryError, ImportRefused)):
        raise exc


class OpenWorkbook:
    """A calamine workbook whose errors become :class:`ImportRefused`."""

    def __init__(self, wf: WorkbookFile):
        self.file = wf
        try:
            self._wb = pc.CalamineWorkbook.from_filelike(io.BytesIO(wf.data))
        except pc.PasswordError:
            raise _encrypted(wf.filename) from None
        except BaseException as exc:  # noqa: BLE001 — calamine errors and Rust panics alike
            _reraise_fatal(exc)
            raise self._damaged(exc) from None

    def _damaged(self, exc: BaseException, sheet: str | None = None) -> ImportRefused:
        where_vi = f" trang “{sheet}”" if sheet else ""
        where_en = f" sheet “{sheet}”" if sheet else ""
        reason = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
        return _not_a_workbook(
            self.file.filename,
            f"không đọc được{where_vi} ({reason}).",
            f"cannot read{where_en} ({reason}).",
        )

    def visible_sheets(self) -> list[str]:
        out = []
        try:
            for meta in self._wb.sheets_metadata:
                if meta.typ != pc.SheetTypeEnum.WorkSheet:
                    continue
                if meta.visible != pc.SheetVisibleEnum.Visible:
                    continue
                out.append(meta.name)
        except Exception:  # noqa: BLE001
            out = list(self._wb.sheet_names)
        return out

    def sheet_names(self) -> list[str]:
        try:
            return list(self._wb.sheet_names)
        except Exception:  # noqa: BLE001
            return []

    def sheet(self, name: str) -> Sheet:
        try:
            s = self._wb.get_sheet_by_name(name)
            merged = list(s.merged_cell_ranges or [])
            height = (s.end[0] + 1) if s.end else 0
        except pc.PasswordError:
            raise _encrypted(self.file.filename) from None
        except BaseException as exc:  # noqa: BLE001 — calamine errors and Rust panics alike
            _reraise_fatal(exc)
            raise self._damaged(exc, name) from None
        return Sheet(name, height, merged, s, self._damaged)

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self._wb.close()


def open_workbook(wf: WorkbookFile) -> OpenWorkbook:
    return OpenWorkbook(wf)
