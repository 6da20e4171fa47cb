"""canbo.core.importing: what the reader does to be fast leaves nothing behind and changes
nothing it reads (issue 9 §11). The caches themselves are checked by every reading test; here,
the process-wide state the reader touches and readings that must not share a cached answer."""

from __future__ import annotations

import gc

import pytest
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
