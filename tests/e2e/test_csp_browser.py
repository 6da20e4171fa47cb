"""The content security policy holds in a real browser (issue 11 §1): Chromium loads the main
pages of the web application and of the admin under the policy the server sends (Django's own,
settings.SECURE_CSP) and reports no violation — no inline script or style without the nonce, no
inline handler, no javascript: URL — while the pages still work (htmx loads the dashboard's
trend, the admin's language switch submits itself).

A violation is caught twice: as Chromium's console error and as the page's
``securitypolicyviolation`` event, recorded by a script the browser itself injects (outside the
policy's reach).
"""

from __future__ import annotations

import pytest

from e2e.browsing import log_in, shot

pytestmark = pytest.mark.django_db(transaction=True)

RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + (e.sample || ""));
});
"""


def watch(page) -> list[str]:
    """Console errors about the policy, gathered while the page is used."""
    seen: list[str] = []
    page.add_init_script(RECORD_VIOLATIONS)
    page.on(
        "console",
        lambda m: seen.append(m.text) if m.type == "error" and "Content Security Policy" in m.text else None,
    )
    return seen


def violations(page, console: list[str]) -> list[str]:
    return console + page.evaluate("window.__csp || []")


def test_the_main_pages_load_without_any_policy_violation(page, live_server, people_world):
    base = live_server.url
    console = watch(page)
    person = people_world.people["dongdang"]
    page.goto(f"{base}/login/")
    assert page.evaluate("window.__csp") == []
    log_in(page, base, "quantri")
    pages = {
        "dashboard": "/",
        "people": "/people/?q=hoang",
        "person": f"/people/{person.pk}/",
        "unit": f"/units/{people_world.units.dongdang.pk}/",
        "import": "/import/upload/",
        "users-new": "/users/new/",
        "reports": "/reports/",
        "rules": "/rules/",
        "jobs": "/jobs/",
        "api-tokens": "/account/tokens/",
        "api-docs": "/api/docs",
        "not-found": "/khong-co-trang-nay/",
        "admin": "/admin/",
        "admin-person": f"/admin/registry/person/{person.pk}/change/",
        "admin-people": "/admin/registry/person/",
        "admin-history": f"/admin/registry/person/{person.pk}/history/",
    }
    for name, path in pages.items():
        page.goto(base + path)
        page.wait_for_load_state("networkidle")
        found = violations(page, console)
        assert not found, f"{name}: {found}"
        response_policy = page.evaluate("document.querySelector('meta[http-equiv]') === null")
        assert response_policy  # the policy comes in the header, not in a meta element
    # The policy did not stop htmx: the dashboard's trend was fetched and swapped in.
    page.goto(f"{base}/")
    page.wait_for_load_state("networkidle")
    assert page.locator("text=Đang tính diễn biến qua các năm").count() == 0
    # Nor the unit search of the user form (htmx on input).
    page.goto(f"{base}/users/new/")
    with page.expect_response(lambda r: "/users/units/" in r.url):
        page.fill("#id_unit_q", "dong dang")
    page.wait_for_load_state("networkidle")
    assert "Đồng Đăng" in page.locator("#id_scope_unit").inner_text()
    shot(page, "csp-users-new")
    assert not violations(page, console)


def test_the_admin_language_switch_works_under_the_policy(page, live_server, people_world):
    base = live_server.url
    console = watch(page)
    log_in(page, base, "quantri")
    page.goto(f"{base}/admin/")
    with page.expect_navigation():
        page.select_option("form.canbo-language select", "en")
    assert page.locator("html").get_attribute("lang") == "en"
    with page.expect_navigation():
        page.select_option("form.canbo-language select", "vi")
    assert page.locator("html").get_attribute("lang") == "vi"
    assert not violations(page, console)


def test_the_back_link_of_an_error_page_goes_back_without_an_inline_script(page, live_server, people_world):
    base = live_server.url
    console = watch(page)
    log_in(page, base, "quantri")
    page.goto(f"{base}/people/")
    page.goto(f"{base}/khong-co-trang-nay/")
    with page.expect_navigation():
        page.get_by_role("link", name="Quay lại").click()
    assert page.url == f"{base}/people/"
    assert not violations(page, console)
