"""The report download page of the admin (``/admin/reports/``): a form — report, unit, date,
format — that answers with the file.

Permissions come from :mod:`canbo.access.scope` only: the units offered, and the only units
accepted, are those the user may view (a unit outside the scope, or an id that names no unit,
is refused with 403 before anything is computed); the staffing report lists only the people
the user may view. Every role that may view units may download reports of its units.
"""

from __future__ import annotations

import logging
from datetime import date

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils import translation
from django.utils.translation import gettext as _

from canbo.access import scope
from canbo.core.formatting import fmt_date
from canbo.registry.models import Person, Unit

from . import services
from .forms import ReportForm

log = logging.getLogger(__name__)

#: Above this many units in scope, the list offers provinces and districts only (communes are
#: reached from their own admin page's "Báo cáo" link, which preselects them).
MAX_LISTED_UNITS = 800
LEVEL_ORDER = {"province": 0, "district": 1, "commune_level": 2}


def language() -> str:
    return "en" if (translation.get_language() or "vi").startswith("en") else "vi"


def unit_label(u: Unit) -> str:
    return f"{u} — {u.code}"


def unit_choices(units, selected: Unit | None) -> list:
    """The units of the user's scope as grouped choices (provinces, districts, communes)."""
    fields = ("pk", "code", "name", "level", "valid_from", "valid_to")
    listed = units if units.count() <= MAX_LISTED_UNITS else units.filter(level__in=["province", "district"])
    rows = sorted(
        listed.only(*fields[1:]),
        key=lambda u: (LEVEL_ORDER.get(u.level, 3), u.code, u.valid_from or date.min),
    )
    if selected is not None and selected.pk not in {u.pk for u in rows}:
        rows.append(selected)
    groups: dict[str, list] = {}
    names = {
        "province": _("Tỉnh, thành phố"),
        "district": _("Huyện (trước 01/07/2025)"),
        "commune_level": _("Xã, phường, thị trấn"),
    }
    for u in rows:
        groups.setdefault(names.get(u.level, u.level), []).append((u.pk, unit_label(u)))
    return [("", "—")] + list(groups.items())


def default_on(unit: Unit | None) -> date:
    """The default date, moved into the unit's existence (a legacy unit: its last day)."""
    on = services.default_date()
    if unit is not None:
        if unit.valid_to and on > unit.valid_to:
            return unit.valid_to
        if unit.valid_from and on < unit.valid_from:
            return unit.valid_from
    return on


def _visible_people(user):
    def visible(ids: set[int]) -> set[int] | None:
        if scope.scope_unit_ids(user) is None:
            return None
        return set(
            scope.restrict(Person.objects.filter(pk__in=ids), user, scope.VIEW).values_list("pk", flat=True)
        )

    return visible


def download(request):
    user = request.user
    if not scope.allowed(user, scope.VIEW, Unit):
        raise PermissionDenied
    units = scope.restrict(Unit.objects.all(), user, scope.VIEW)
    selected = None
    raw = (request.GET.get("unit") or "").strip()
    if raw:
        try:
            pk = int(raw)
        except ValueError:
            raise PermissionDenied from None
        selected = units.filter(pk=pk).first()
        if selected is None:  # outside the user's scope, or no such unit: nothing to tell
            raise PermissionDenied
    bound = "report" in request.GET
    initial = {
        "report": "quality",
        "format": "xlsx",
        "on": default_on(selected),
        "unit": selected.pk if selected else "",
    }
    form = ReportForm(
        request.GET if bound else None, initial=initial, unit_choices=unit_choices(units, selected)
    )
    error = ""
    if bound and form.is_valid() and selected is not None:  # a valid form names a unit, selected above
        data = form.cleaned_data
        on = data["on"]
        if not selected.is_valid_on(on):
            form.add_error(
                "on",
                _("Đơn vị “%(unit)s” không tồn tại vào ngày %(date)s.")
                % {"unit": selected.name, "date": fmt_date(on)},
            )
        else:
            try:
                report = services.build(
                    data["report"], selected, on, language(), visible_people=_visible_people(user)
                )
                content = services.render(report, data["format"])
            except Exception:  # the page must answer; the error is logged
                log.exception("report %s of unit %s on %s failed", data["report"], selected.pk, on)
                error = _("Không lập được báo cáo do lỗi hệ thống; vui lòng báo quản trị hệ thống.")
            else:
                response = HttpResponse(content, content_type=services.FORMATS[data["format"]][0])
                name = services.filename(data["report"], selected, on, data["format"])
                response["Content-Disposition"] = f'attachment; filename="{name}"'
                return response
    context = {
        **admin.site.each_context(request),
        "title": _("Lập báo cáo"),
        "form": form,
        "error": error,
        "selected": selected,
    }
    return TemplateResponse(request, "reports/download.html", context)
