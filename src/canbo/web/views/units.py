"""A commune's page (issue 10 §1): on a chosen date, the commune's header (name, kind, class, area
flags, period of validity, breadcrumbs), its staffing summary (quota, headcount, *thừa, thiếu,
yếu* — the numbers of :func:`canbo.standards.services.staffing_for_unit`, shown through
:func:`canbo.standards.pages.staffing_summary` like the admin's unit page), each post of the
establishment with its holders on that date (concurrent holders marked, vacancies and surplus),
each person below standard with the unmet criteria, retirements due in the next 24 months, and
the lineage of the unit across the 2025 merger.

One engine run (:func:`canbo.standards.services.check`) feeds every part, so the page's queries
do not grow with the number of people. A district or a province has no commune page: it is sent
to the dashboard of that unit.

Every count links to the people list (``/people/?unit=…&on=…&…``, the shared contract of
``docs/web.md``); the people named are those the user may see (:func:`canbo.access.scope.restrict`).
"""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

import polars as pl
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from canbo.access import scope
from canbo.core.formatting import fmt_date, fmt_decimal, fmt_int
from canbo.core.reports.people import COUNTED_KINDS
from canbo.core.standards.engine import retirement_dates
from canbo.core.standards.present import describe
from canbo.core.text import name_sort_string
from canbo.registry.models import (
    Title,
    Unit,
    UnitAreaFlag,
    UnitClassification,
    UnitLevel,
    UnitLineage,
    UnitStatistics,
)
from canbo.standards import pages
from canbo.web import bounds
from canbo.web.views.common import get_visible, page

#: Retirements listed: those due within this many months of the chosen date (12 and 24 are counted).
RETIRING_MONTHS = (12, 24)


def add_months(d: date, months: int) -> date:
    """``d`` plus ``months`` calendar months (the last day of a shorter month if needed)."""
    index = d.year * 12 + d.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    for day in (d.day, 30, 29, 28):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    raise ValueError(d)  # pragma: no cover - day 28 exists in every month


def retiring_within(retire: pl.DataFrame, on: date, months: int) -> pl.DataFrame:
    """The rows of ``retire`` (:func:`canbo.core.standards.engine.retirement_dates`) of people who
    reach the normal retirement age within ``months`` months after ``on``: their (earliest
    possible) retirement date lies after ``on`` and no later than ``on`` + ``months`` months. The
    ``retiring=12|24`` filter of the people list means the same."""
    until = add_months(on, months)
    first = pl.col("retirement_earliest")
    return retire.filter(first.is_not_null() & (first > on) & (first <= until))


def default_date(unit: Unit) -> date:
    """The date a unit's page opens on: today, or the last (first) day of a unit that has ended
    (not yet begun)."""
    today = timezone.localdate()
    if unit.valid_to and today > unit.valid_to:
        return unit.valid_to
    if unit.valid_from and today < unit.valid_from:
        return unit.valid_from
    return today


def people_url(unit_id: int, on: date, **filters) -> str:
    """The people list behind a count (the shared contract: ``unit``, ``on`` and one filter)."""
    return reverse("web:people") + "?" + urlencode({"unit": unit_id, "on": fmt_date(on), **filters})


def unit_url(unit_id: int, on: date | None = None) -> str:
    url = reverse("web:unit", args=[unit_id])
    return url + "?" + urlencode({"on": fmt_date(on)}) if on else url


def dashboard_url(unit_id: int, on: date) -> str:
    return reverse("web:dashboard") + "?" + urlencode({"unit": unit_id, "on": fmt_date(on)})


def person_url(person_id: int, on: date) -> str:
    return reverse("web:person", args=[person_id]) + "?" + urlencode({"on": fmt_date(on)})


def person_urls(on: date):
    """:func:`person_url` on ``on`` as a function of the person's id, the URL reversed once (a
    commune's page links to hundreds of people)."""
    head, _sep, tail = reverse("web:person", args=[987654321]).partition("987654321")
    query = "?" + urlencode({"on": fmt_date(on)})
    return lambda person_id: f"{head}{person_id}{tail}{query}"


def _date_on_page(other: Unit, on: date) -> date:
    """The date to open another unit's page on: ``on`` if it existed then, else its nearest day."""
    if other.valid_to and on > other.valid_to:
        return other.valid_to
    if other.valid_from and on < other.valid_from:
        return other.valid_from
    return on


@page("units")
def unit(request, pk: int):
    obj = get_visible(request, Unit.objects.select_related("parent__parent"), pk=pk)
    on = bounds.chosen_date(request, default=default_date(obj))
    if obj.level != UnitLevel.COMMUNE:
        return redirect(dashboard_url(obj.pk, on))
    ctx = {
        "unit": obj,
        "on": on,
        "on_text": fmt_date(on),
        "keep": [],
        "title": obj.name,
        **header(request.user, obj, on),
        **lineage(request.user, obj, on),
        "may_print_resumes": scope.may_open(request.user, "person_resume"),
    }
    if obj.is_valid_on(on):
        ctx.update(commune(request.user, obj, on))
    else:
        ctx.update(elsewhere(request.user, obj, on, ctx))
    return render(request, "web/unit.html", ctx)


# --------------------------------------------------------------------------- header


def header(user, unit: Unit, on: date) -> dict:
    """Breadcrumbs (province → district before the reform → commune; a link only to a unit the
    user may open), the unit's class, area flags and latest statistics on ``on``."""
    ids = scope.scope_unit_ids(user)
    crumbs: list[dict] = []
    parent = unit.parent
    while parent is not None:
        crumbs.insert(
            0,
            {
                "name": parent.name,
                "url": dashboard_url(parent.pk, _date_on_page(parent, on))
                if ids is None or parent.pk in ids
                else "",
            },
        )
        parent = parent.parent
    in_force = (
        Q(valid_from__isnull=True) | Q(valid_from__lte=on),
        Q(valid_to__isnull=True) | Q(valid_to__gte=on),
    )
    cls = UnitClassification.objects.filter(*in_force, unit=unit).order_by("-valid_from").first()
    flags = list(UnitAreaFlag.objects.filter(*in_force, unit=unit).order_by("flag"))
    stats = UnitStatistics.objects.filter(unit=unit, year__lte=on.year).order_by("-year").first()
    lang = pages.language()
    return {
        "population": fmt_int(stats.population, lang) if stats and stats.population is not None else "",
        "area": fmt_decimal(float(stats.natural_area_km2), 2, lang)
        if stats and stats.natural_area_km2 is not None
        else "",
        "crumbs": crumbs,
        "unit_class": cls,
        "area_flags": flags,
        "statistics": stats,
        "period": (fmt_date(unit.valid_from, missing="…"), fmt_date(unit.valid_to, missing="…")),
    }


# --------------------------------------------------------------------------- lineage


def lineage(user, unit: Unit, on: date) -> dict:
    """The links of the unit's lineage: the units merged into it (``predecessors``) and those it
    was merged into (``successors``), each with date, kind, legal reference and a link to its
    page when the user may open it."""
    ids = scope.scope_unit_ids(user)
    links = (
        UnitLineage.objects.filter(Q(successor=unit) | Q(predecessor=unit))
        .select_related("predecessor__parent", "successor__parent")
        .order_by("date", "predecessor__code", "successor__code")
    )
    before: list[dict] = []
    after: list[dict] = []
    for link in links:
        other = link.predecessor if link.successor_id == unit.pk else link.successor
        row = {
            "link": link,
            "unit": other,
            "parent_name": other.parent.name if other.parent else "",
            "date": fmt_date(link.date),
            "kind": link.get_kind_display(),
            "url": unit_url(other.pk, _date_on_page(other, on)) if ids is None or other.pk in ids else "",
        }
        (before if link.successor_id == unit.pk else after).append(row)
    return {"predecessors": before, "successors": after}


def elsewhere(user, unit: Unit, on: date, ctx: dict) -> dict:
    """For a date on which the unit did not exist: the situation of the units that held its
    territory then — its predecessors before it began, its successors after it ended — each
    with its staffing summary and a link to its page."""
    if unit.valid_from and on < unit.valid_from:
        others, relation = list(ctx["predecessors"]), "before"
    else:
        others, relation = list(ctx["successors"]), "after"
    shown = [r for r in others if r["unit"].is_valid_on(on)]
    # Figures only of the units the user may open (a unit's row links to its page when it may).
    summary = _summaries(on, [r["unit"] for r in shown if r["url"]])
    rows = [
        {
            **r,
            "url": r["url"] and unit_url(r["unit"].pk, on),
            "outside": not r["url"],
            "staffing": {"summary": summary.get(r["unit"].pk)},
            "links": counts(r["unit"].pk, on),
        }
        for r in shown
    ]
    total: dict = {}
    summaries = [r["staffing"]["summary"] for r in rows if r["staffing"]["summary"]]
    if len(summaries) > 1:
        for key in ("headcount", "vacant_count", "below_standard", "field_mismatch", "missing_data"):
            total[key] = sum(x.get(key) or 0 for x in summaries)
        for key in ("quota", "surplus", "shortfall"):
            values = [x.get(key) for x in summaries]
            total[key] = None if any(v is None for v in values) else sum(values)
    return {
        "exists": False,
        "relation": relation,
        "others_on": rows,
        "total": total,
        "any_outside": any(r["outside"] for r in rows),
        # the people list of this unit on that date covers every unit merged into it (the contract)
        "links": counts(unit.pk, on),
    }


def _summaries(on: date, units: list[Unit]) -> dict[int, dict]:
    """unit id → its row of the staffing report on ``on``. The old communes of one district are
    evaluated together (one engine run per district: the engine's cost is mostly per run, not
    per post); a commune without a district (the two-tier era) on its own."""
    from canbo.standards.services import check, provincial_layer, staffing

    groups: dict[int, list[Unit]] = {}
    for u in units:
        parent = u.parent
        key = parent.pk if parent is not None and parent.level == UnitLevel.DISTRICT else -u.pk
        groups.setdefault(key, []).append(u)
    layer = provincial_layer()
    names = pages._title_names()
    out: dict[int, dict] = {}
    for key, members in groups.items():
        target = members[0].parent if key > 0 else members[0]
        try:
            report = staffing(check(on, unit=target, provincial=layer))
        except Exception:  # noqa: BLE001 - the row reads "no figures"; the error is logged
            pages._failure("staffing_for_unit")
            continue
        wanted = {u.pk for u in members}
        for r in report.units.to_dicts():
            if r["unit_id"] in wanted:
                out[r["unit_id"]] = pages._unit_row(r, names)
    return out


# --------------------------------------------------------------------------- the commune on the date


def counts(unit_id: int, on: date) -> dict:
    """The people-list links of the summary's counts."""
    return {
        "in_post": people_url(unit_id, on, in_post=1),
        "below_standard": people_url(unit_id, on, category="below_standard"),
        "field_mismatch": people_url(unit_id, on, category="field_mismatch"),
        "missing_data": people_url(unit_id, on, category="missing_data"),
        "not_met": people_url(unit_id, on, status="not_met"),
        **{f"retiring_{n}": people_url(unit_id, on, in_post=1, retiring=n) for n in RETIRING_MONTHS},
    }


def _name_key(entry: dict) -> str:
    return entry["sort"]


def _sort_of(person: dict) -> str:
    """Vietnamese order of a person's name (given name, middle name, family name: as every list)."""
    return name_sort_string(person.get("family_name"), person.get("middle_name"), person.get("given_name"))


def _verdict(statuses: set[str]) -> str:
    if "unmet" in statuses:
        return "not_met"
    if "unknown" in statuses:
        return "unknown"
    return "met"


def commune(user, unit: Unit, on: date) -> dict:
    """Everything the page shows of the commune on ``on``, from one engine run."""
    from canbo.web.dashboard_data import unit_check

    person_link = person_urls(on)
    try:
        result, report = unit_check(unit, on)
    except Exception:  # noqa: BLE001 - the page still opens with the header and the lineage
        return {"exists": True, "failure": pages._failure("check")}
    s = pages.staffing_summary(
        user,
        unit,
        on,
        report=report,
        unit_url=lambda pk: unit_url(pk, on),
        person_url=person_link,
    )
    snap = result.snapshot
    posts = snap.posts_on(on).filter(pl.col("unit_id") == unit.pk)
    person_ids = set(posts["person_id"].to_list())
    # In post as every report counts (and the people list's in_post=1): a cadre's, civil
    # servant's or job position's title; a non-professional worker's post is listed, not counted.
    counted_ids = set(posts.filter(pl.col("title_kind").is_in(list(COUNTED_KINDS)))["person_id"].to_list())
    visible = pages.visible_people(user, person_ids)
    people = {
        r["person_id"]: r
        for r in snap.people.filter(pl.col("person_id").is_in(list(person_ids))).iter_rows(named=True)
    }
    findings = result.findings.filter(pl.col("unit_id") == unit.pk)
    by_assignment: dict[int, set[str]] = {}
    for aid, status in findings.select("assignment_id", "status").iter_rows():
        by_assignment.setdefault(aid, set()).add(status)
    titles = {t.code: t for t in Title.objects.all()}

    # Posts: the establishment's titles (with their minimum and maximum) and every title held.
    est = next((e for e in result.rules.establishment if e.in_force(on) and unit.kind in e.unit_kinds), None)
    wanted: dict[str, tuple[int, int | None]] = dict(est.titles) if est else {}
    holders: dict[str, list[dict]] = {}
    titles_of: dict[int, int] = {}
    for p in posts.iter_rows(named=True):
        titles_of[p["person_id"]] = titles_of.get(p["person_id"], 0) + 1
    hidden_holders = set()
    for p in posts.sort("start").iter_rows(named=True):
        pid = p["person_id"]
        shown = pid in visible
        if not shown:
            hidden_holders.add(pid)
        holders.setdefault(p["title_code"], []).append(
            {
                "person_id": pid,
                "name": people.get(pid, {}).get("full_name", "") if shown else "",
                "url": person_link(pid) if shown else "",
                "hidden": not shown,
                "start": fmt_date(p["start"]),
                "concurrent": bool(p["is_concurrent"]),
                "other_titles": titles_of.get(pid, 1) > 1,
                "status": _verdict(by_assignment.get(p["assignment_id"], set())),
            }
        )
    rows: list[dict] = []
    for code in sorted(
        set(wanted) | set(holders), key=lambda c: (titles[c].sort_order if c in titles else 999, c)
    ):
        lo, hi = wanted.get(code, (0, None))
        held = holders.get(code, [])
        n = len({h["person_id"] for h in held})
        rows.append(
            {
                "code": code,
                "name": titles[code].name if code in titles else code,
                "kind": titles[code].get_kind_display() if code in titles else "",
                "in_establishment": code in wanted,
                "min": lo,
                "max": hi,
                "holders": held,
                "count": n,
                "vacant": max(lo - n, 0),
                "over": max(n - hi, 0) if hi is not None else 0,
                "url": people_url(unit.pk, on, title=code),
            }
        )

    held_by: dict[int, list[str]] = {}
    for r in rows:
        for h in r["holders"]:
            held_by.setdefault(h["person_id"], []).append(r["name"])

    # People below standard: each unmet finding with what is required, what they have, the reference.
    lang = pages.language()
    described = describe(findings.filter(pl.col("status").is_in(["unmet", "unknown"])), lang)
    order = {c: i for i, c in enumerate(pages.CRITERION_ORDER)}
    below: dict[int, dict] = {}
    unknown: dict[int, dict] = {}
    for f in sorted(described, key=lambda r: (order.get(r["criterion"], 99), r["title_code"])):
        pid = f["person_id"]
        if pid not in visible:
            continue
        target = below if f["status"] == "unmet" else unknown
        entry = target.setdefault(
            pid,
            {
                "person_id": pid,
                "name": people.get(pid, {}).get("full_name", ""),
                "sort": _sort_of(people.get(pid, {})),
                "url": person_link(pid),
                "findings": [],
            },
        )
        f["title_name"] = titles[f["title_code"]].name if f["title_code"] in titles else f["title_code"]
        entry["findings"].append(f)

    # Retirements due: people in post here who reach the retirement age within 24 months.
    retire = retiring_within(
        retirement_dates(snap.people.filter(pl.col("person_id").is_in(list(counted_ids))), result.rules),
        on,
        max(RETIRING_MONTHS),
    )
    soon_limit = add_months(on, min(RETIRING_MONTHS))
    retiring = []
    hidden_retiring = 0
    for r in retire.sort("retirement_earliest").iter_rows(named=True):
        pid = r["person_id"]
        if pid not in visible:
            hidden_retiring += 1
            continue
        first, last = r["retirement_earliest"], r["retirement_latest"]
        retiring.append(
            {
                "person_id": pid,
                "name": people[pid]["full_name"],
                "url": person_link(pid),
                "date": fmt_date(first) if first == last else f"{fmt_date(first)}–{fmt_date(last)}",
                "within_12": first <= soon_limit,
                "titles": ", ".join(held_by.get(pid, [])),
            }
        )
    retiring_12 = sum(1 for r in retire.iter_rows(named=True) if r["retirement_earliest"] <= soon_limit)
    return {
        "exists": True,
        "failure": s["failure"],
        "staffing": s,
        "links": counts(unit.pk, on),
        "posts": rows,
        "not_counted": len(person_ids - counted_ids),
        "hidden_holders": len(hidden_holders),
        "vacant_posts": [r for r in rows if r["vacant"]],
        "over_posts": [r for r in rows if r["over"]],
        "below": sorted(below.values(), key=_name_key),
        "unknown": sorted(unknown.values(), key=_name_key),
        "retiring": retiring,
        "retiring_12": retiring_12,
        "retiring_24": retire.height,
        "hidden_retiring": hidden_retiring,
        "establishment_reference": est.reference.render(lang) if est else "",
    }


# --------------------------------------------------------------------------- the commune's résumés


@page("person_resume")
@require_POST
def unit_resumes(request, pk: int):
    """Print the résumés (Mẫu 2C-BNV/2008) of every person whose file the commune keeps, as a zip
    of Word or PDF files: a background job (issue 15 §2), its page shows the progress and the
    file. A commune outside the scope is not shown to exist (404)."""
    from django.contrib import messages
    from django.core.exceptions import ValidationError
    from django.http import HttpResponseRedirect
    from django.utils.translation import gettext as _

    from canbo.jobs import services as jobs

    obj = get_visible(request, Unit.objects.all(), pk=pk)
    try:
        job = jobs.submit_resumes(request.user, unit=obj, fmt=(request.POST.get("format") or "pdf")[:10])
    except ValidationError as e:
        raise bounds.BadInput(e.messages[0]) from None
    messages.info(request, _("Đã đưa việc in sơ yếu lý lịch của %(u)s vào hàng chờ.") % {"u": obj.name})
    return HttpResponseRedirect(reverse("web:job", args=[job.pk]))
