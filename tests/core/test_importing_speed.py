"""canbo.core.importing: what the reader does to be fast leaves nothing behind and changes
nothing it reads (issue 9 §11). The caches themselves are checked by every reading test; here,
the process-wide state the reader touches and readings that must not share a cached answer."""

from __future__ import annotations

import gc

import pytest
from hypothesis import given
from hypothesis import strategies as st
from importing_fixtures import context, empty_workbook, report_list

from canbo.core.importing import ImportRefused, read_list


@pytest.fixture
def collector_state():
    was = gc.isenabled()
    yield
    if was:
        gc.enable()
    else:
        gc.disable()


def test_the_cycle_collector_is_paused_while_reading_and_switched_back_on(collector_state, monkeypatch):
    import canbo.core.importing as importing

    seen = []
    real = importing._read

    def spy(book, ctx):
        seen.append(gc.isenabled())
        return real(book, ctx)

    monkeypatch.setattr(importing, "_read", spy)
    gc.enable()
    plan = read_list(report_list(), context())
    assert plan.rows
    assert seen == [False]
    assert gc.isenabled()


def test_the_cycle_collector_is_switched_back_on_when_the_file_is_refused(collector_state):
    gc.enable()
    with pytest.raises(ImportRefused):
        read_list(empty_workbook(), context())
    assert gc.isenabled()


def test_a_collector_switched_off_by_the_caller_stays_off(collector_state):
    gc.disable()
    read_list(report_list(), context())
    assert not gc.isenabled()


def test_date_cells_read_from_the_cache_give_the_same_reading_as_the_first_time():
    from datetime import date, datetime

    from canbo.core.importing.cells import parse_date

    today = date(2025, 3, 1)
    for _ in range(2):  # the second round is answered from the cache
        assert parse_date(date(1980, 9, 5), today).value == date(1980, 9, 5)
        assert parse_date(datetime(1980, 9, 5, 10, 30), today).value == date(1980, 9, 5)
        assert (parse_date(1980, today).value, parse_date(1980, today).precision) == (
            date(1980, 1, 1),
            "year",
        )
        assert (parse_date(1980.0, today).value, parse_date(1980.0, today).precision) == (
            date(1980, 1, 1),
            "year",
        )
        assert parse_date(29500, today).value == date(1980, 10, 6)  # an Excel serial day number
        assert parse_date(1, today).error_en == "not a date"
        # True == 1 in Python, but a tick is not a day number: never answered from 1's reading
        assert parse_date(True, today).error_en == "cannot be read"
        assert parse_date(2.5, today).error_en == "cannot be read"


def test_the_province_codes_written_out_are_those_of_the_pinned_package():
    from canbo.core.identity import default_province_codes, package_province_codes

    assert default_province_codes() == package_province_codes()
    assert len(default_province_codes()) == 63


def test_checking_an_identity_number_does_not_load_the_wards_of_the_package():
    import subprocess
    import sys

    code = (
        "import sys; from canbo.core.identity import check_identity_number as c;"
        " assert c('001085001234', birth_year=1985, sex='male') == [];"
        " assert c('003085001234', birth_year=1985, sex='male')[0].code == 'unknown_province';"
        " print(sorted(m for m in sys.modules if m.startswith('vietnam_provinces')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_identity_numbers_checked_again_are_judged_on_their_own_year_sex_and_province_codes():
    from canbo.core.identity import check_identity_number

    def codes(number, year, sex, valid=None):
        return [
            i.code
            for i in check_identity_number(number, birth_year=year, sex=sex, valid_province_codes=valid)
        ]

    for _ in range(2):  # the second round meets numbers already found consistent
        assert codes("001085001234", 1985, "male") == []
        assert codes("001085999999", 1985, "male") == []
        assert codes("001085001234", 1985, "female") == ["sex_mismatch"]
        assert codes("001085001234", 1986, "male") == ["year_mismatch"]
        assert codes("001085001234", 2085, "male") == ["century_mismatch"]
        assert codes("001085001234", 1985, "male", valid={"079"}) == ["unknown_province"]
        assert codes("00108500123", 1985, "male") == ["wrong_length"]


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("Nguyễn Văn An", "Nguyễn Văn An"),
        ("Nguyễn  Văn An ", "Nguyễn Văn An"),
        (" Xã Hợp Thành", "Xã Hợp Thành"),
        ("Chủ tịch\nUBND", "Chủ tịch UBND"),
        ("Đại\u00a0học", "Đại học"),
        ("Kế\ttoán", "Kế toán"),
        ("Tày\u200b", "Tày"),
        ("\ufeffKinh", "Kinh"),
        ("Cao\u3000đẳng", "Cao đẳng"),
        ("x", "x"),
        ("", ""),
    ],
)
def test_a_text_cell_reads_with_single_plain_spaces_and_no_invisible_characters(typed, read):
    from canbo.core.importing.layout import cell_text

    assert cell_text(typed) == read


@given(st.text())
def test_any_text_cell_reads_as_its_words_joined_by_single_spaces(typed):
    from canbo.core.importing.layout import cell_text

    words = typed.replace("\u200b", "").replace("\ufeff", "").split()
    assert cell_text(typed) == " ".join(words)
