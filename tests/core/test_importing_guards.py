"""canbo.core.importing: files that cannot be read are refused with a clear message, never a
traceback, and big files are refused before they are loaded (no database)."""

from __future__ import annotations

import io
import unicodedata

import pytest
from importing_fixtures import (
    SheetSpec,
    build_xlsx,
    context,
    corrupt_files,
    empty_workbook,
    encrypted_xlsx,
    huge_dimension_xlsx,
    no_header_workbook,
    people,
    report_list,
    rows_without_dimension_xlsx,
    simple_list,
    write_rows,
    xls_list,
    zip_bomb_xlsx,
)

import canbo.core.importing.workbook as workbook
from canbo.core.importing import ImportRefused, inspect_file, read_list


def vietnamese(text: str) -> bool:
    """The text carries Vietnamese letters (ă â đ ê ô ơ ư or a tone mark)."""
    decomposed = unicodedata.normalize("NFD", text)
    return "đ" in text.lower() or any(unicodedata.combining(c) for c in decomposed)


def refused(source, ctx=None, **kw) -> list:
    with pytest.raises(ImportRefused) as exc:
        read_list(source, ctx or context(), **kw)
    problems = exc.value.problems
    assert problems and all(vietnamese(p.message_vi) and p.message_en for p in problems)
    assert all(p.severity == "error" for p in problems)
    assert str(exc.value)  # the exception reads as the Vietnamese messages
    return problems


# ------------------------------------------------------------------------------ size


def test_too_large_bytes_refused_with_size_and_limit():
    data = simple_list()
    (p,) = refused(data, context(max_bytes=len(data) - 1))
    assert p.code == "too_large"
    assert "MB" in p.message_vi and "giới hạn" in p.message_vi
    assert p.value == f"{len(data)} bytes"


def test_too_large_path_refused_before_reading(tmp_path, monkeypatch):
    path = tmp_path / "big.xlsx"
    path.write_bytes(b"\0" * 3 * 1024 * 1024)

    def never(*a, **k):
        raise AssertionError("the file must not be read")

    monkeypatch.setattr(type(path), "read_bytes", never)
    (p,) = refused(path, context(max_bytes=2 * 1024 * 1024))
    assert p.code == "too_large"
    assert "3,0 MB" in p.message_vi and "2,0 MB" in p.message_vi


def test_too_large_file_object_refused():
    data = simple_list()
    (p,) = refused(io.BytesIO(data), context(max_bytes=1000))
    assert p.code == "too_large"


class Unsized(io.RawIOBase):
    """A stream that cannot tell its size (an upload read in chunks)."""

    def __init__(self, data: bytes):
        self._src = io.BytesIO(data)

    def readable(self):
        return True

    def read(self, n=-1):
        return self._src.read(n)

    def seekable(self):
        return False

    def tell(self):
        raise OSError("unseekable")


def test_too_large_unsized_stream_refused_after_reading_the_limit_only():
    data = simple_list()
    (p,) = refused(Unsized(data), context(max_bytes=1000))
    assert p.code == "too_large"
    assert len(read_list(Unsized(data), context()).rows) == 6


def test_zip_bomb_refused():
    data = zip_bomb_xlsx(3 * 1024 * 1024)
    assert len(data) < 100_000
    (p,) = refused(data, context(max_bytes=100_000))
    assert p.code == "too_large"
    assert "giải nén" in p.message_vi


# ------------------------------------------------------------------------------ encrypted, corrupt


def test_password_protected_xlsx():
    (p,) = refused(encrypted_xlsx(), filename="ds.xlsx")
    assert p.code == "encrypted"
    assert "mật khẩu" in p.message_vi and "password" in p.message_en


def test_calamine_password_error_is_encrypted(monkeypatch):
    class Boom:
        @classmethod
        def from_filelike(cls, f):
            raise workbook.pc.PasswordError("password required")

    monkeypatch.setattr(workbook.pc, "CalamineWorkbook", Boom)
    (p,) = refused(simple_list())
    assert p.code == "encrypted"


@pytest.mark.parametrize(
    ("name", "hint"),
    [
        ("random", "không nhận ra"),
        ("truncated_zip", "cắt cụt"),
        ("docx_renamed", "Word"),
        ("csv_renamed", "CSV"),
        ("html_renamed", "HTML"),
        ("empty_file", "rỗng"),
        ("ole_not_excel", "không đọc được"),
    ],
)
def test_corrupt_files(name, hint):
    (p,) = refused(corrupt_files()[name], filename=f"{name}.xlsx")
    assert p.code == "corrupt"
    assert hint in p.message_vi
    assert f"{name}.xlsx" in p.message_vi


def test_calamine_failure_on_a_sheet_is_corrupt(monkeypatch):
    real = workbook.OpenWorkbook.sheet

    def broken(self, name):
        raise self._damaged(workbook.pc.CalamineError("XML error at position 12"), name)

    monkeypatch.setattr(workbook.OpenWorkbook, "sheet", broken)
    (p,) = refused(simple_list())
    assert p.code == "corrupt" and "Danh sách" in p.message_vi
    monkeypatch.setattr(workbook.OpenWorkbook, "sheet", real)


# ------------------------------------------------------------------------------ rows


def test_declared_million_rows_refused_without_loading_the_sheet(monkeypatch):
    data = huge_dimension_xlsx(1_000_001)

    def never(*a, **k):
        raise AssertionError("the workbook must not be opened")

    monkeypatch.setattr(workbook.pc.CalamineWorkbook, "from_filelike", never)
    (p,) = refused(data)
    assert p.code == "too_many_rows"
    assert p.sheet == "Danh sách"
    assert "1.000.001" in p.message_vi and "300.000" in p.message_vi
    assert p.value == "1000001"


def test_rows_counted_while_streaming_when_there_is_no_dimension(monkeypatch):
    data = rows_without_dimension_xlsx(400_000)
    monkeypatch.setattr(workbook.pc.CalamineWorkbook, "from_filelike", None)  # never reached
    (p,) = refused(data)
    assert p.code == "too_many_rows"
    assert int(p.value) > 300_000


def test_inspect_file_reports_declared_rows():
    wf = inspect_file(simple_list(people(6)), context(), filename="ds.xlsx")
    assert (wf.kind, wf.filename) == ("xlsx", "ds.xlsx")
    assert wf.declared_rows == {"Danh sách": 7}


def test_small_row_limit_counts_people_not_header_rows():
    data = simple_list(people(6))
    assert len(read_list(data, context(max_rows=6)).rows) == 6
    (p,) = refused(data, context(max_rows=5))
    assert p.code == "too_many_rows"
    assert p.sheet == "Danh sách"


# ------------------------------------------------------------------------------ empty, no header


def test_empty_workbook():
    (p,) = refused(empty_workbook())
    assert p.code == "empty_sheet"
    assert p.sheet == "Sheet1" and "Sheet1" in p.message_vi


def test_every_sheet_empty_names_them():
    (p,) = refused(empty_workbook(("Trang 1", "Trang 2")))
    assert p.code == "empty_sheet"
    assert "Trang 1" in p.message_vi and "Trang 2" in p.message_vi


def test_header_without_data_rows():
    (p,) = refused(
        write_rows(["STT", "Họ và tên", "Ngày sinh", "Chức danh", "Xã"], [["1", "2", "3", "4", "5"]])
    )
    assert p.code == "empty_sheet"


def test_no_header_names_the_sheets_and_what_was_expected():
    (p,) = refused(no_header_workbook())
    assert p.code == "no_header"
    assert "Hướng dẫn" in p.message_vi and "Số liệu" in p.message_vi
    assert "Họ và tên" in p.message_vi and "Ngày sinh" in p.message_vi


def test_missing_required_columns_listed_with_what_was_found():
    data = write_rows(
        ["STT", "Họ và tên", "Giới tính", "Dân tộc", "Xã"], [[1, "Nguyễn Văn An", "Nam", "Tày", "Hợp Thành"]]
    )
    problems = refused(data)
    assert {p.code for p in problems} == {"missing_column"}
    assert {p.value for p in problems} == {"Ngày sinh", "Chức danh"}
    msg = problems[0].message_vi
    assert "B (Họ và tên)" in msg and "D (Dân tộc)" in msg
    assert problems[0].sheet == "Danh sách" and problems[0].row == 1


def test_missing_unit_column_without_a_default_unit():
    data = write_rows(
        ["STT", "Họ và tên", "Năm sinh", "Giới tính", "Chức danh"],
        [[1, "Nguyễn Văn An", 1980, "Nam", "VP-TK"]],
    )
    (p,) = refused(data)
    assert p.code == "no_commune" and p.value == "Đơn vị (xã)"
    assert "thêm cột “Xã/phường”" in p.message_vi and "đặt tên trang theo tên xã" in p.message_vi


def test_formula_and_odd_cells_do_not_break_the_reader():
    rows = [["STT", "Họ và tên", "Năm sinh", "Giới tính", "Chức danh", "Xã"], [1.0, "Nguyễn Văn An", 1980.0, "Nam", "VP-TK", "Hợp Thành"],
            [True, "Trần Văn Bình", 1981, "Nam", "VP-TK", "Hợp Thành"]]  # fmt: skip
    plan = read_list(build_xlsx(SheetSpec("S", rows)), context())
    assert [r.given_name for r in plan.rows] == ["An", "Bình"]


class FakePanic(BaseException):
    """What a Rust panic inside calamine arrives as (pyo3_runtime.PanicException)."""


def test_a_panic_inside_calamine_is_a_corrupt_file(monkeypatch):
    def panic(self, name):
        raise FakePanic("called `Option::unwrap()` on a `None` value")

    monkeypatch.setattr(workbook.pc.CalamineWorkbook, "get_sheet_by_name", panic)
    (p,) = refused(simple_list())
    assert p.code == "corrupt"


@pytest.mark.parametrize("seed", [*range(24), 120])
def test_damaged_bytes_never_raise_anything_but_a_refusal(seed):
    import random

    rnd = random.Random(seed)
    data = bytearray(xls_list() if seed % 2 == 0 else report_list())
    for _ in range(rnd.randint(1, 20)):
        data[rnd.randrange(len(data))] = rnd.randrange(256)
    try:
        plan = read_list(bytes(data), context())
    except ImportRefused as exc:
        assert all(vietnamese(p.message_vi) for p in exc.problems)
    else:
        assert plan.rows is not None
