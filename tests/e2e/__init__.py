"""Browser tests (Playwright driving Debian's Chromium against the live server). A package, so that
its ``conftest`` does not take the place of ``tests/conftest.py`` under the module name
``conftest``: the tests of ``tests/`` import the world's names with ``from conftest import …``."""
