"""canbo's own admin templates use the admin's markup of Django 6: the breadcrumb bar is an
``<ol class="breadcrumbs">`` of ``<li>`` (what ``admin/base.html`` and its CSS expect), never
the older ``<div class="breadcrumbs">``, which Django 6 no longer styles."""

from __future__ import annotations

from pathlib import Path

import canbo

PACKAGE = Path(canbo.__file__).parent


def test_custom_admin_templates_use_the_breadcrumb_list():
    templates = sorted(PACKAGE.glob("**/templates/**/*.html"))
    assert any(t.name == "download.html" for t in templates)  # the search finds the app templates
    old = [
        str(t.relative_to(PACKAGE))
        for t in templates
        if 'class="breadcrumbs"' in t.read_text("utf-8")
        and '<ol class="breadcrumbs">' not in t.read_text("utf-8")
    ]
    assert not old, f'old breadcrumb markup (<div class="breadcrumbs">) in {old}'
