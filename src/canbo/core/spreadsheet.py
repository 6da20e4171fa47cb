"""The one way canbo opens an xlsx workbook for writing (issue 10 §3).

A cell of text that starts with ``=``, ``+``, ``-`` or ``@`` is never written as a formula: a
name, a note or an imported cell reading ``=HYPERLINK("http://…")`` or ``-2+3`` stays the text it
is (CSV/formula injection, OWASP). xlsxwriter's ``write()`` turns such a string into a formula
by default; :data:`SAFE_OPTIONS` turns that off, and with it the guessing of URLs and numbers in
strings. Every writer of canbo — reports, the standards tables, the import template, the web
exports — opens its workbook with :func:`workbook`; ``tests/test_web_bounds.py`` checks that no
other module calls ``xlsxwriter.Workbook`` (nor polars' ``write_excel``, which calls it with the
defaults).
"""

from __future__ import annotations

from typing import Any

#: The options every workbook is opened with: strings are strings.
SAFE_OPTIONS: dict[str, Any] = {
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}


def workbook(target: Any, options: dict[str, Any] | None = None):
    """An ``xlsxwriter.Workbook`` on ``target`` (a path or a binary file object) with
    :data:`SAFE_OPTIONS`, which ``options`` may extend but never switch off."""
    import xlsxwriter

    merged = {**(options or {}), **SAFE_OPTIONS}
    if not isinstance(target, str) and hasattr(target, "write"):
        merged.setdefault("in_memory", True)
    return xlsxwriter.Workbook(target, merged)
