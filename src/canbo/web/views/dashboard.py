"""Home = dashboard of the user's scope on a chosen date (issue 10 §1, docs/web.md "Dashboard").

``/?unit=<pk>&on=dd/mm/yyyy``: the unit (default: the user's scope unit; for the system
administrator the first province existing on the date) and the date (default today, or the
last day of a unit that no longer exists). The figures come from
:mod:`canbo.web.dashboard_data`; every count links to the people list behind it
(``/people/?unit=…&on=…&…``, the shared contract of docs/web.md). ``?part=trend`` answers the
trend fragment alone (loaded by htmx after the page, since its first computation may take
seconds; without JavaScript, ``?trend=1`` draws it in the page).
"""

from __future__ import annotations

from datetime import date
from urllib.parse import quote, urlencode

from django.db.models import Exists, OuterRef, Q
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from canbo.core.formatting import fmt_date, fmt_decimal, fmt_int, lang_of
from canbo.core.standards.present import CRITERION_LABELS
from canbo.registry.models import Assignment, Unit
from canbo.web import bounds, charts
from canbo.web import dashboard_data as data
from canbo.web.views.common import get_visible, page

#: Engine status → the people list's ``status`` value.
STATUS_PARAM = {"met": "met", "unmet": "not_met", "unknown": "unknown"}


def _lang() -> str:
    return lang_of(translation.get_language())


def _valid_on(on: date) -> Q:
    return (Q(valid_from__isnull=True) | Q(valid_from__lte=on)) & (
        Q(valid_to__isnull=True) | Q(valid_to__gte=on)
    )


def _default_province(on: date) -> tuple[Unit | None, list[Unit]]:
    """For a user without a scope unit (the system administrator): the provinces existing on
    ``on`` and the first of them (by code) with somebody in post that day."""
    provinces = list(Unit.objects.filter(_valid_on(on), level="province").order_by("code"))
    held = Assignment.objects.filter(start__lte=on).filter(Q(end__isnull=True) | Q(end__gte=on))
    # One query that stops at the first staffed province: asked per province in code order, the
    # database finds a post of its first commune at once (the distinct provinces of every post
    # of the date took seconds at national scale).
    staffed = (
        Unit.objects.filter(pk__in=[p.pk for p in provinces])
        .filter(
            Exists(held.filter(unit__parent_id=OuterRef("pk")))
            | Exists(held.filter(unit__parent__parent_id=OuterRef("pk")))
        )
        .order_by("code", "pk")
        .values_list("pk", flat=True)
        .first()
    )
    first = next((p for p in provinces if p.pk == staffed), provinces[0] if provinces else None)
    return first, provinces


def _default_date(unit: Unit | None) -> date:
    """Today if the unit exists today, else the last (or first) day it existed."""
    today = timezone.localdate()
    if unit is not None and unit.valid_to and today > unit.valid_to:
        return unit.valid_to
    if unit is not None and unit.valid_from and today < unit.valid_from:
        return unit.valid_from
    return today


def _query(unit_id: int, on: date, params: dict) -> str:
    # urlencode() is slow for the hundreds of links of a province's page; the values are ids,
    # codes and a date, quoted one by one.
    parts = [f"unit={unit_id}", "on=" + quote(fmt_date(on), safe="")]
    parts += [f"{k}={quote(str(v), safe='')}" for k, v in params.items() if v is not None]
    return "&".join(parts)


def people_url(unit_id: int, on: date, **params) -> str:
    """The people list behind a count (docs/web.md, the shared contract)."""
    return _route("web:people") + "?" + _query(unit_id, on, params)


def dashboard_url(unit_id: int, on: date, **params) -> str:
    return _route("web:dashboard") + "?" + _query(unit_id, on, params)


def unit_url(unit_id: int, on: date) -> str:
    return reverse("web:unit", args=[unit_id]) + "?" + urlencode({"on": fmt_date(on)})


def _route(name: str) -> str:
    # reverse() costs ~0.5 ms; a page links to the people list hundreds of times.
    found = _ROUTES.get(name)
    if found is None:
        found = _ROUTES[name] = reverse(name)
    return found


_ROUTES: dict[str, str] = {}


def _ancestors(request, unit: Unit) -> list[Unit]:
    """The units above ``unit`` that the user may see, highest first (the breadcrumbs): all of
    them for a user without a scope unit, else those at or below the user's scope unit."""
    chain: list[Unit] = []
    current = unit.parent
    while current is not None and len(chain) < 5:
        chain.append(current)
        current = current.parent
    chain.reverse()
    root = request.user.scope_unit_id
    if root is None:  # the system administrator (whoever else has no scope unit sees no unit)
        return chain
    for k, u in enumerate(chain):
        if u.pk == root:
            return chain[k:]
    return []


def _pct(part: int, whole: int, lang: str) -> str:
    return fmt_decimal(100.0 * part / whole, 1, lang) + " %" if whole else "—"


@page("dashboard")
def dashboard(request):
    lang = _lang()
    n = lambda v: fmt_int(v, lang) if v is not None else "—"  # noqa: E731
    provinces: list[Unit] = []
    raw_unit = request.GET.get("unit", "").strip()
    if raw_unit:
        pk = bounds.bounded_int(raw_unit, 0, 1, 2**62, _("Đơn vị"))
        unit: Unit | None = get_visible(request, Unit.objects.select_related("parent__parent"), pk=pk)
    else:
        unit = request.user.scope_unit
    if unit is None:
        on = bounds.chosen_date(request)
        unit, provinces = _default_province(on)
    else:
        on = bounds.chosen_date(request, default=_default_date(unit))
    ctx: dict = {
        "on": on,
        "on_text": fmt_date(on),
        "keep": [("unit", raw_unit)] if raw_unit else [],
        "provinces": [(p, dashboard_url(p.pk, on)) for p in provinces],
        "date_min": fmt_date(bounds.MIN_DATE),
        "date_max": fmt_date(bounds.max_date()),
    }
    if unit is None:
        return render(request, "web/dashboard.html", ctx)
    stamp = data.data_stamp()
    if request.GET.get("part") == "trend":
        return render(request, "web/dashboard_trend.html", _trend_context(unit, on, stamp, lang))
    fig = data.figures(unit, on, stamp)
    ctx.update(_context(request, unit, on, fig, lang, n))
    trend_cached = data.trend_cached(unit, on, stamp)
    if trend_cached or request.GET.get("trend") == "1":
        ctx.update(_trend_context(unit, on, stamp, lang))
        ctx["trend_inline"] = True
    ctx["trend_url"] = dashboard_url(unit.pk, on, part="trend")
    ctx["trend_nojs_url"] = dashboard_url(unit.pk, on, trend="1")
    return render(request, "web/dashboard.html", ctx)


def _context(request, unit: Unit, on: date, fig: dict, lang: str, n) -> dict:
    i = 1 if lang == "en" else 0
    exists = (unit.valid_from is None or unit.valid_from <= on) and (
        unit.valid_to is None or unit.valid_to >= on
    )
    roots = fig["roots"]
    predecessors = []
    if not exists and roots:
        predecessors = [str(u) for u in Unit.objects.filter(pk__in=roots).order_by("code")]
    people = fig["people"]
    status = fig["status"]
    st = fig["staffing"]
    link = lambda **kw: people_url(unit.pk, on, **kw)  # noqa: E731
    kpis = [
        {"label": _("Người đang giữ chức danh"), "value": n(people), "href": link(in_post=1)},
        {
            "label": _("Đạt chuẩn"),
            "value": n(status["met"]),
            "extra": _pct(status["met"], people, lang),
            "href": link(in_post=1, status="met"),
            "css": "met",
        },
        {
            "label": _("Chưa đạt chuẩn"),
            "value": n(status["unmet"]),
            "extra": _pct(status["unmet"], people, lang),
            "href": link(in_post=1, status="not_met"),
            "css": "not_met",
        },
        {
            "label": _("Chưa đủ dữ liệu"),
            "value": n(status["unknown"]),
            "extra": _pct(status["unknown"], people, lang),
            "href": link(in_post=1, status="unknown"),
            "css": "unknown",
        },
    ]
    staffing = [
        {
            "label": _("Thừa (so với định biên)"),
            "value": n(st["surplus"]),
            "hint": _("người vượt số lượng được giao"),
        },
        {
            "label": _("Thiếu (so với định biên)"),
            "value": n(st["shortfall"]),
            "hint": _("chỉ tiêu còn thiếu người"),
        },
        {
            "label": _("Chức danh còn trống"),
            "value": n(st["vacant_count"]),
            "hint": _("chức danh theo quy định chưa có người đảm nhiệm"),
        },
        {
            "label": _("Yếu (chưa đạt chuẩn)"),
            "value": n(st["below_standard"]),
            "href": link(category="below_standard"),
        },
        {"label": _("Trái ngành"), "value": n(st["field_mismatch"]), "href": link(category="field_mismatch")},
        {"label": _("Thiếu dữ liệu"), "value": n(st["missing_data"]), "href": link(category="missing_data")},
    ]
    retiring = [
        {
            "label": _("Đến tuổi nghỉ hưu trong %(n)s tháng tới") % {"n": months},
            "value": n(fig["retiring"][months]),
            "href": link(in_post=1, retiring=months),
        }
        for months in data.RETIRING_MONTHS
    ]
    labels = {"met": _("Đạt"), "unmet": _("Chưa đạt"), "unknown": _("Chưa đủ dữ liệu")}
    criteria_rows = []
    chart_rows = []
    for code, met, unmet, unknown in fig["criteria"]:
        checked = fig["criteria_checked"][code]
        label = CRITERION_LABELS.get(code, (code, code))[i]
        counts = {"met": met, "unmet": unmet, "unknown": unknown}
        cells = [
            {
                "value": n(counts[k]),
                "share": _pct(counts[k], checked, lang),
                "href": link(in_post=1, criterion=code, status=STATUS_PARAM[k]),
                "css": STATUS_PARAM[k],
            }
            for k in ("met", "unmet", "unknown")
        ]
        criteria_rows.append(
            {
                "label": label,
                "cells": cells,
                "total": n(checked),
                "total_href": link(in_post=1, criterion=code),
            }
        )
        chart_rows.append(
            (
                label,
                [
                    charts.Part(
                        k, labels[k], counts[k], link(in_post=1, criterion=code, status=STATUS_PARAM[k])
                    )
                    for k in ("met", "unmet", "unknown")
                ],
            )
        )
    criteria_chart = mark_safe("")
    if chart_rows:
        criteria_chart = charts.stacked_bars(
            chart_rows,
            _("Tỷ lệ đạt từng tiêu chuẩn, ngày %(on)s") % {"on": fmt_date(on)},
            _(
                "Mỗi thanh là một tiêu chuẩn: số người đạt, chưa đạt và chưa đủ dữ liệu trong số người đang giữ chức danh."
            ),
        )
    rows = []
    for r in fig["rows"]:
        is_commune = r["level"] == "commune_level"
        rl = lambda **kw: people_url(r["pk"], on, **kw)  # noqa: E731,B023
        rows.append(
            {
                "empty": r["people"] == 0,
                "name": r["name"],
                "code": r["code"],
                "href": unit_url(r["pk"], on) if is_commune else dashboard_url(r["pk"], on),
                "dash_href": dashboard_url(r["pk"], on),
                "is_commune": is_commune,
                "cells": [
                    (n(r["people"]), rl(in_post=1)),
                    (n(r["met"]), rl(in_post=1, status="met")),
                    (_pct(r["met"], r["people"], lang), None),
                    (n(r["unmet"]), rl(in_post=1, status="not_met")),
                    (n(r["unknown"]), rl(in_post=1, status="unknown")),
                    (n(r["surplus"]), None),
                    (n(r["shortfall"]), None),
                    (n(r["vacant_count"]), None),
                    (n(r["below_standard"]), rl(category="below_standard")),
                    (n(r["retiring12"]), rl(in_post=1, retiring=12)),
                ],
            }
        )
    child_heading = ""
    if rows:
        levels = {r["level"] for r in fig["rows"]}
        if levels == {"district"}:
            child_heading = _("Các huyện, thị xã, thành phố")
        elif not exists:
            child_heading = _("Các xã, phường, thị trấn cũ nhập vào %(unit)s") % {"unit": unit.name}
        else:
            child_heading = _("Các xã, phường, thị trấn")
    return {
        "no_standard": people - sum(status.values()),
        "unit": unit,
        "unit_exists": exists,
        "predecessors": predecessors,
        "ancestors": [(u, dashboard_url(u.pk, on)) for u in _ancestors(request, unit)],
        "is_commune": unit.level == "commune_level",
        "unit_page": unit_url(unit.pk, on),
        "kpis": kpis,
        "staffing": staffing,
        "staffing_info": st,
        "quota_unknown": st["quota_unknown"],
        "communes": st["communes"],
        "retiring": retiring,
        "criteria_rows": criteria_rows,
        "criteria_chart": mark_safe(criteria_chart),
        "rows": [r for r in rows if not r["empty"]],
        "empty_rows": [r for r in rows if r["empty"]],
        "child_heading": child_heading,
        "reform": date(2025, 7, 1),
    }


def _trend_context(unit: Unit, on: date, stamp: str, lang: str) -> dict:
    points = data.trend_points(unit, on, stamp)
    categories = [
        str(d.year) if (d.month, d.day) == (12, 31) else fmt_date(d)[:5] + "/" + str(d.year)[2:]
        for d, *_ in points
    ]
    people = [p for _d, p, _m in points]
    share = [(100.0 * m / p) if p else None for _d, p, m in points]
    people_chart = charts.column_chart(
        categories,
        people,
        _("Số người giữ chức danh qua các năm"),
        _(
            "Số người giữ chức danh cán bộ, công chức cấp xã vào ngày 31/12 mỗi năm từ 2005 và vào ngày %(on)s."
        )
        % {"on": fmt_date(on)},
        hrefs=[people_url(unit.pk, d, in_post=1) for d, *_ in points],
    )
    share_chart = charts.line_chart(
        categories,
        [(_("Tỷ lệ đạt chuẩn"), share)],
        _("Tỷ lệ người đạt chuẩn qua các năm (%)"),
        _("Tỷ lệ người đạt chuẩn trong số người giữ chức danh, ngày 31/12 mỗi năm từ 2005 và ngày %(on)s.")
        % {"on": fmt_date(on)},
        y_max=100,
        unit=" %",
    )
    table = [
        {
            "label": categories[k],
            "on_text": fmt_date(d),
            "people": fmt_int(p, lang),
            "people_href": people_url(unit.pk, d, in_post=1),
            "met": fmt_int(m, lang),
            "met_href": people_url(unit.pk, d, in_post=1, status="met"),
            "share": _pct(m, p, lang),
        }
        for k, (d, p, m) in enumerate(points)
    ]
    return {
        "trend_people_chart": mark_safe(people_chart),
        "trend_share_chart": mark_safe(share_chart),
        "trend_table": table,
    }
