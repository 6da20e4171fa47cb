"""Browser tests: Playwright driving Debian's Chromium against Django's live server."""

import os
import shutil

import pytest
from django.db import transaction

from e2e.browsing import PASSWORD

# Playwright's sync API runs an event loop in the test's thread; the ORM calls
# made by the tests themselves are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail("Chromium is not installed (apt-get install chromium); .ci/run installs it.")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="en-US", viewport={"width": 1300, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(15_000)
    yield pg
    context.close()


# --------------------------------------------------------------------------- the world, in a browser

#: Rows of the reference tables (units of legacy provinces 1 and 20 and their successors, the
#: lineage, the titles) read once, written back before each test.
_REFERENCE: dict[str, list[dict]] = {}


@pytest.fixture
def reference(transactional_db):
    """Overrides ``tests/conftest.py``'s module-wide ``reference`` (which the flush after each
    live-server test would wipe): the same units and titles, restored for this test — loaded
    once (some seconds), then copied back row for row."""
    from canbo.registry.models import Title, Unit, UnitLineage
    from canbo.registry.reference import load_reference

    models = {"unit": Unit, "lineage": UnitLineage, "title": Title}
    if not _REFERENCE:
        load_reference({1, 20})
        for key, model in models.items():
            _REFERENCE[key] = list(model.objects.order_by("pk").values())
        return
    with transaction.atomic():
        for key, model in models.items():
            model.objects.bulk_create([model(**row) for row in _REFERENCE[key]], batch_size=2000)


@pytest.fixture
def people_world(world, settings):
    """``tests/conftest.py``'s world with a password (:data:`e2e.browsing.PASSWORD`) for each
    account, so its users log in through the form. The passwords are hashed with a fast hasher
    (the real one takes a second per hash, by design), here and in the live server, which shares
    these settings."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *settings.PASSWORD_HASHERS]
    for user in world.users.values():
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    return world
