"""What the browser tests of the web application share: logging in through the form, and
screenshots for a person to look at (under ``/tmp/e2e-shots/``, outside the repository)."""

from __future__ import annotations

from pathlib import Path

SHOTS = Path("/tmp/e2e-shots")
#: The password of every account of ``people_world`` (tests/e2e/conftest.py).
PASSWORD = "mat-khau-thu-nghiem-2026"


def shot(page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def log_in(page, base: str, username: str, password: str = PASSWORD) -> None:
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.click("main button[type=submit]")
