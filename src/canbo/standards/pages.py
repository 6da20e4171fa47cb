"""What the admin pages of a person and of a unit show about the standards.

* the person page: section *Kiểm tra tiêu chuẩn* — for each post held on the chosen date
  (``?on=YYYY-MM-DD``, default today), every criterion's status, what was required, what the
  person has, on what basis it is met (exception, transition and its deadline), the legal
  reference and message;
* the unit page: the staffing summary (quota, headcount, *thừa, thiếu, yếu*) of a commune, or
  the roll-up of a district or province with its communes, and the people concerned.

The data come only from :mod:`canbo.standards.services` (the same engine every report uses), the
words from :mod:`canbo.core.standards.present`. The admin has already checked that the user may
view the person or unit; the people and units listed on a unit page are filtered through
:func:`canbo.access.scope.restrict` as well.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from datetime import date

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from canbo.access import scope
from canbo.common.dates import parse_user_date
from canbo.core.formatting import fmt_date, lang_of
from canbo.core.standards.present import CATEGORY_LABELS, CRITERION_LABELS, describe

log = logging.getLogger(__name__)

#: The order criteria are listed in on a person's page.
CRITERION_ORDER = [
    "age_minimum",
    "retirement_age",
    "term_at_appointment",
    "general_education",
    "professional",
    "field_of_study",
    "political_theory",
    "state_management",
    "it",
    "foreign_language",
    "ethnic_language",
]
CATEGORY_ORDER = ["below_standard", "field_mismatch", "missing_data"]
_TITLE_COUNT = re.compile(r"^\s*([A-Za-z0-9_]+)\s*\((\d+)/(\d+)\)\s*$")


def language() -> str:
    return lang_of(translation.get_language())


def fmt(d: date | None) -> str:
    return fmt_date(d, missing="…")


def chosen_date(request, default: date | None = None) -> tuple[date, str]:
    """The date asked for in ``?on=`` (YYYY-MM-DD or dd/mm/yyyy), else ``default`` (today);
    with an error message when the value could not be read."""
    fallback = default or timezone.localdate()
    raw = (request.GET.get("on") or "").strip()
    if not raw:
        return fallback, ""
    parsed = parse_user_date(raw)
    if parsed is not None:
        return parsed, ""
    return fallback, _("Ngày “%(value)s” không hợp lệ; đang xem ngày %(date)s.") % {
        "value": raw,
        "date": fmt(fallback),
    }


def _date_form(request, on: date, error: str) -> dict:
    """What the small date form needs: the date, and the other query parameters to keep."""
    keep = [(k, v) for k, v in request.GET.items() if k != "on"]
    return {
        "on": on,
        "on_iso": on.isoformat(),
        "on_display": fmt(on),
        "date_error": error,
        "keep": keep,
        "today_iso": timezone.localdate().isoformat(),
    }


def _rules():
    from .rules_cache import national_rules

    return national_rules()


def _rule_info(rule_id: str) -> dict:
    """Validity and verification note of a national rule entry (empty if unknown)."""
    try:
        e = _rules().entry(rule_id)
    except KeyError:
        return {}
    return {
        "rule_period": f"{fmt(e.valid_from)}–{fmt(e.valid_to)}",
        "verification_note": e.verification_note,
    }


def _failure(what: str) -> str:
    log.exception("standards: %s failed", what)
    return _("Không tính được kết quả kiểm tra tiêu chuẩn do lỗi hệ thống; vui lòng báo quản trị hệ thống.")


# --------------------------------------------------------------------------- person


def person_standards(request, person) -> dict:
    """The context of the *Kiểm tra tiêu chuẩn* section of a person's admin page."""
    on, error = chosen_date(request)
    return {"kind": "person", **_date_form(request, on, error), **person_findings(person, on)}


def person_findings(person, on: date) -> dict:
    """The standards findings of ``person`` on ``on``, shared by the admin's and the web
    application's person pages: ``posts`` (each post held with its ``findings`` — status,
    required, actual, basis, deadline, reference, message — and their ``counts``), ``counts``
    over all posts, ``failure`` (a message when the engine failed; logged), and
    ``last_post_end`` when no post is held but one ended before ``on``. The caller has
    checked that the user may view the person."""
    from canbo.registry.models import Assignment

    ctx: dict = {"posts": [], "failure": ""}
    from canbo.registry.services import counted_posts

    # A post pending the province's confirmation is not checked (as in every report).
    posts = list(
        counted_posts(Assignment.objects.filter(person=person, start__lte=on))
        .filter(Q(end__isnull=True) | Q(end__gte=on))
        .select_related("title", "unit")
        .order_by("start", "pk")
    )
    if not posts:
        last = Assignment.objects.filter(person=person, start__lte=on).order_by("-end").first()
        if last is not None and last.end:
            ctx["last_post_end"] = last.end
            ctx["last_post_end_iso"] = last.end.isoformat()
        return ctx
    try:
        from canbo.standards.services import findings_for_person

        findings = findings_for_person(person, on)
    except Exception:  # noqa: BLE001 - the person's page must still open; the error is logged
        ctx["failure"] = _failure("findings_for_person")
        return ctx
    lang = language()
    order = {c: i for i, c in enumerate(CRITERION_ORDER)}
    rows = sorted(describe(findings, lang), key=lambda r: (order.get(r["criterion"], 99), r["rule_id"] or ""))
    by_post: dict[int, list[dict]] = {}
    for r in rows:
        r.update(_rule_info(r["rule_id"]))
        r["basis_message"] = r.get("basis_message_en") if lang == "en" else r.get("basis_message_vi")
        by_post.setdefault(r["assignment_id"], []).append(r)
    for post in posts:
        items = by_post.pop(post.pk, [])
        ctx["posts"].append(
            {"assignment": post, "findings": items, "counts": Counter(i["status"] for i in items)}
        )
    ctx["counts"] = Counter(r["status"] for r in rows)
    return ctx


# --------------------------------------------------------------------------- unit


def _default_unit_date(unit) -> date:
    """Today if the unit exists today, else the last (or first) day it existed."""
    today = timezone.localdate()
    if unit.valid_to and today > unit.valid_to:
        return unit.valid_to
    if unit.valid_from and today < unit.valid_from:
        return unit.valid_from
    return today


def _title_names() -> dict[str, str]:
    from canbo.registry.models import Title

    return dict(Title.objects.values_list("code", "name"))


def _titles_with_counts(text: str | None, names: dict[str, str]) -> list[str]:
    """ "VP_TK (0/1), TP_HT (3/1)" → ["Văn phòng - thống kê (0/1)", …]."""
    out = []
    for part in (text or "").split(","):
        if not part.strip():
            continue
        m = _TITLE_COUNT.match(part)
        out.append(f"{names.get(m.group(1), m.group(1))} ({m.group(2)}/{m.group(3)})" if m else part.strip())
    return out


def _codes(text: str | None, labels) -> str:
    return ", ".join(labels(c.strip()) for c in (text or "").split(",") if c.strip())


def _unit_row(row: dict, names: dict[str, str]) -> dict:
    return {
        **row,
        "quota_note": row.get("quota_note_en") if language() == "en" else row.get("quota_note"),
        "vacant_list": _titles_with_counts(row.get("vacant_titles"), names),
        "over_list": _titles_with_counts(row.get("over_titles"), names),
    }


def unit_staffing(request, unit) -> dict:
    """The context of the staffing section of a unit's admin page."""
    on, error = chosen_date(request, _default_unit_date(unit))
    query = f"?on={on.isoformat()}"
    return {
        "kind": "unit",
        **_date_form(request, on, error),
        **staffing_summary(
            request.user,
            unit,
            on,
            unit_url=lambda pk: reverse("admin:registry_unit_change", args=[pk]) + query,
            person_url=lambda pk: reverse("admin:registry_person_change", args=[pk]) + query,
        ),
    }


def staffing_summary(user, unit, on: date, *, report=None, unit_url, person_url) -> dict:
    """What a unit's page shows of the staffing analysis on ``on`` — the admin's unit page and the
    web application's commune page alike: ``summary`` (the unit's row of
    :func:`canbo.standards.services.staffing_for_unit`, with its vacant and over-filled titles
    named), ``children`` (the units below it that ``user`` may see, linked by ``unit_url(pk)``),
    ``people`` (the people behind the below-standard, field-mismatch and missing-data counts that
    ``user`` may see, linked by ``person_url(pk)``), ``hidden_people`` (how many others),
    ``unit_exists`` and ``failure``. ``report``: a staffing report already computed for ``unit``
    on ``on`` (else computed here)."""
    from canbo.registry.models import Unit

    ctx = {
        "failure": "",
        "summary": None,
        "children": [],
        "people": [],
        "hidden_people": 0,
        "unit_exists": unit.is_valid_on(on),
    }
    if not ctx["unit_exists"]:
        return ctx
    if report is None:
        try:
            from canbo.standards.services import staffing_for_unit

            report = staffing_for_unit(unit, on)
        except Exception:  # noqa: BLE001 - the unit's page must still open; the error is logged
            ctx["failure"] = _failure("staffing_for_unit")
            return ctx
    lang = language()
    i = 1 if lang == "en" else 0
    names = _title_names()
    rows = report.units.to_dicts()
    for r in rows:
        if r["unit_id"] == unit.pk:
            ctx["summary"] = _unit_row(r, names)
    # The communes (and districts) below the unit, those the user may see, with links; the
    # report also rolls up to the units above, which are not listed here.
    # (The tree is read from the units themselves: a two-tier-era commune's row has no
    # parent_id in the report, its parent being the province.)
    others_ids = [r["unit_id"] for r in rows if r["unit_id"] != unit.pk]
    parent_of = (
        dict(Unit.objects.filter(pk__in=others_ids).values_list("pk", "parent_id")) if others_ids else {}
    )

    def below(uid) -> bool:
        for _step in range(4):
            uid = parent_of.get(uid)
            if uid is None:
                return False
            if uid == unit.pk:
                return True
        return False

    others = [r for r in rows if r["unit_id"] != unit.pk and below(r["unit_id"])]
    visible_units = (
        set(
            scope.restrict(
                Unit.objects.filter(pk__in=[r["unit_id"] for r in others]), user, scope.VIEW
            ).values_list("pk", flat=True)
        )
        if others
        else set()
    )
    for r in others:
        if r["unit_id"] in visible_units:
            ctx["children"].append({**_unit_row(r, names), "url": unit_url(r["unit_id"])})
    # The people behind the counts, only those the user may see.
    people = report.people.to_dicts()
    visible = visible_people(user, {p["person_id"] for p in people})
    unit_names = (
        dict(Unit.objects.filter(pk__in={p["unit_id"] for p in people}).values_list("pk", "name"))
        if people
        else {}
    )
    corder = {c: n for n, c in enumerate(CATEGORY_ORDER)}
    hidden = set()
    for p in sorted(people, key=lambda p: (corder.get(p["category"], 9), p["unit_id"] or 0)):
        if p["person_id"] not in visible:
            hidden.add(p["person_id"])
            continue
        ctx["people"].append(
            {
                **p,
                "category_label": CATEGORY_LABELS.get(p["category"], (p["category"], p["category"]))[i],
                "unit_name": unit_names.get(p["unit_id"], ""),
                "titles_label": _codes(p.get("titles"), lambda c: names.get(c, c)),
                "criteria_label": _codes(p.get("criteria"), lambda c: CRITERION_LABELS.get(c, (c, c))[i]),
                "url": person_url(p["person_id"]),
            }
        )
    ctx["hidden_people"] = len(hidden)
    return ctx


def visible_people(user, person_ids) -> set[int]:
    """Which of ``person_ids`` ``user`` may see (one query; none for an empty set)."""
    from canbo.registry.models import Person

    ids = set(person_ids)
    if not ids:
        return set()
    return set(
        scope.restrict(Person.objects.filter(pk__in=ids), user, scope.VIEW, few=True).values_list(
            "pk", flat=True
        )
    )
