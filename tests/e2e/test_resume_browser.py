"""The résumé (Mẫu 2C-BNV/2008, issue 15 §1, §2) in a real browser: the officer of new Xã Đồng
Đăng adds a family member to Hoàng Văn Thắng's file — a child born before him refused in
Vietnamese on the field — and a salary change, sees them on the person page, then prints the
résumé as Word and PDF from the page's buttons. Screenshots under ``/tmp/e2e-shots/``.
"""

from __future__ import annotations

import pytest

from e2e.browsing import log_in, shot

pytestmark = pytest.mark.django_db(transaction=True)


def test_family_salary_and_the_print_from_the_person_page(page, live_server, people_world, tmp_path):
    import docx

    base = live_server.url
    thang = people_world.people["dongdang"]
    log_in(page, base, "xa_dongdang")
    page.goto(f"{base}/people/{thang.pk}/")
    with page.expect_navigation():
        page.get_by_role("link", name="Thêm người thân").click()
    page.select_option("#id_relation", "child")
    page.fill("#id_full_name", "Hoàng Minh Đức")
    page.fill("#id_birth_year", "1970")
    with page.expect_navigation():
        page.get_by_role("button", name="Lưu").click()
    error = page.locator("#id_birth_year_errors").inner_text()
    assert "Con sinh năm 1970 không thể sinh trước" in error
    shot(page, "60-resume-family-refused")
    page.fill("#id_birth_year", "2003")
    with page.expect_navigation():
        page.get_by_role("button", name="Lưu").click()
    assert "Hoàng Minh Đức" in page.locator("#family").inner_text()

    page.goto(f"{base}/people/{thang.pk}/salary/add/")
    page.fill("#id_valid_from", "01/01/2018")
    page.select_option("#id_rank_code", "01.003")
    page.fill("#id_step", "4")
    with page.expect_navigation():
        page.get_by_role("button", name="Lưu").click()
    salary = page.locator("#salary").inner_text()
    assert "01/01/2018" in salary and "3.33" in salary.replace(",", ".")
    shot(page, "61-resume-person-page")

    with page.expect_download() as info:
        page.get_by_role("link", name="In sơ yếu lý lịch (Word)").click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    document = docx.Document(str(path))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert any("HOÀNG VĂN THẮNG" in c for c in cells)
    assert any(c == "Hoàng Minh Đức" for c in cells)
    with page.expect_download() as info:
        page.get_by_role("link", name="In sơ yếu lý lịch (PDF)").click()
    pdf = tmp_path / info.value.suggested_filename
    info.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
