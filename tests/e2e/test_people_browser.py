"""The people list in a real browser (issue 10 §4): search with and without diacritics, a
filter kept across pages, the export downloaded — Playwright driving Debian's Chromium against
the live server, on the world of ``tests/conftest.py`` (fixtures of ``test_web_browser``)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from e2e.browsing import log_in, shot

pytestmark = pytest.mark.django_db(transaction=True)


def names_listed(page) -> list[str]:
    return page.locator("table.people tbody td:nth-child(2) a").all_inner_texts()


def test_search_with_and_without_diacritics_then_export(page, live_server, people_world):
    from openpyxl import load_workbook

    base = live_server.url
    log_in(page, base, people_world.users["dongdang"].username)
    page.goto(f"{base}/people/?on=01/10/2025")
    # The officer of the new Đồng Đăng sees its own officer and the one of the merged Bảo Lâm,
    # in Vietnamese order (given names: Huyền before Thắng).
    assert names_listed(page) == ["Lộc Thị Huyền", "Hoàng Văn Thắng"]
    for typed in ("hoang van thang", "HOÀNG VĂN THẮNG", "thắng"):
        page.fill("#f-q", typed)
        with page.expect_navigation():
            page.click("form.people-filters button[type=submit]")
        assert names_listed(page) == ["Hoàng Văn Thắng"], typed
    shot(page, "people-search")
    assert page.input_value("#f-q") == "thắng"  # the search stays in the box
    page.fill("#f-q", "loc thi")
    page.select_option("#f-sex", "female")
    with page.expect_navigation():
        page.click("form.people-filters button[type=submit]")
    assert names_listed(page) == ["Lộc Thị Huyền"]
    with page.expect_download() as info:
        page.click("text=Xuất Excel (.xlsx)")
    path = info.value.path()
    ws = load_workbook(io.BytesIO(Path(path).read_bytes())).active  # the download has no extension
    assert [row[1].value for row in ws.iter_rows(min_row=5)] == ["Lộc Thị Huyền"]
    assert "giới tính: Nữ" in ws["A2"].value and "loc thi" in ws["A2"].value


def test_a_unit_of_another_scope_is_refused_in_vietnamese(page, live_server, people_world):
    base = live_server.url
    log_in(page, base, people_world.users["dongdang"].username)
    response = page.goto(f"{base}/people/?unit={people_world.units.kylua.pk}")
    assert response is not None and response.status == 400
    assert "phạm vi" in page.inner_text("main")
    assert "Kỳ Lừa" not in page.content()
