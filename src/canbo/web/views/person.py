"""A person's file (issue 10 §1, "person page") and its editing.

``/people/<pk>/``: the standards findings on the chosen date at the top (the same engine and
words as the admin: :func:`canbo.standards.pages.person_findings`), then the profile, posts and
qualifications as a timeline, trainings, evaluations, discipline, succession entries and the
change history. Every opening is logged (:func:`canbo.web.views.common.log_access`). The
sensitive parts (religion, Party, discipline…) are left out entirely — page and history — for a
role :func:`canbo.access.scope.sensitive_allowed` does not let see them.

``/people/<pk>/edit/``: the profile form. No lost update: the form carries the id of the
person's latest history entry when it was shown; the save locks the row and, when the person
changed since, refuses and shows who changed what and when, keeping what the officer typed.

The number of queries of both pages does not grow with the size of the file (each kind of
record is one query; the history is bounded to :data:`HISTORY_LIMIT` entries).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import cast

from django.contrib import messages
from django.db import models, transaction
from django.db.models import Max
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from simple_history.models import ModelDelta

from canbo.access import scope
from canbo.common.admin import ReadableHistory
from canbo.common.display import field_display
from canbo.conduct.models import Discipline, Evaluation, Inspection
from canbo.core.formatting import fmt_date
from canbo.registry.models import Assignment, Person, Qualification
from canbo.standards.pages import person_findings
from canbo.succession.models import SuccessionEntry
from canbo.training.models import TrainingEnrolment
from canbo.web import bounds
from canbo.web.forms import PRECISION_OF, PersonForm, hidden_fields
from canbo.web.views.common import get_visible, log_access, page

#: How many of the latest history entries of a person the page shows.
HISTORY_LIMIT = 30
#: Fields never shown in a history (computed from the name).
_COMPUTED = {"name_folded", "sort_name"}


# --------------------------------------------------------------------------- history


@dataclass
class HistoryEntry:
    """One change of a person's profile as an officer reads it."""

    when: str
    who: str
    kind: str
    reason: str
    changes: list[dict] = field(default_factory=list)
    history_id: int = 0


def _who(record) -> str:
    user = record.history_user
    if user is None:
        return _("hệ thống (không rõ người sửa)")
    return user.get_full_name() or user.get_username()


def _when(record) -> str:
    local = timezone.localtime(record.history_date)
    return f"{fmt_date(local.date())} {local:%H:%M}"


_KINDS = {"+": gettext_lazy("tạo hồ sơ"), "~": gettext_lazy("sửa"), "-": gettext_lazy("xóa")}


def person_history(person_id: int, user, *, after: int | None = None, limit: int = HISTORY_LIMIT):
    """The latest ``limit`` changes of person ``person_id`` (newest first), or those after history
    entry ``after``; each with the fields changed (readable names, dd/mm/yyyy, before → after),
    leaving out the fields ``user`` may not see. Two queries at most."""
    hidden = hidden_fields(user) | _COMPUTED
    qs = Person.history.filter(id=person_id).select_related("history_user").order_by("-history_id")
    if after is not None:
        records = list(qs.filter(history_id__gt=after)[: limit + 1])
        previous = (
            Person.history.filter(id=person_id, history_id__lte=after).order_by("-history_id").first()
            if records
            else None
        )
        chain = [*records, previous] if previous is not None else records
    else:
        chain = list(qs[: limit + 1])
    out: list[HistoryEntry] = []
    for i, record in enumerate(chain[:limit]):
        older = chain[i + 1] if i + 1 < len(chain) else None
        entry = HistoryEntry(
            when=_when(record),
            who=_who(record),
            kind=str(_KINDS.get(record.history_type, _KINDS["~"])),
            reason=record.history_change_reason or "",
            history_id=record.history_id,
        )
        if older is not None and record.history_type == "~":
            delta = record.diff_against(older)
            visible = [c for c in delta.changes if c.field not in hidden]
            shown = ModelDelta(visible, [c.field for c in visible], delta.old_record, delta.new_record)
            entry.changes = ReadableHistory(Person, record).context_for_delta_changes(shown)
            if not entry.changes and delta.changes:
                continue  # only fields this user may not see changed: the entry is not shown
        out.append(entry)
    return out


def latest_version(person_id: int) -> int:
    """The id of the person's latest history entry: the version an edit form carries."""
    return Person.history.filter(id=person_id).aggregate(v=Max("history_id"))["v"] or 0


# --------------------------------------------------------------------------- the page


def _unit_url(unit, visible_units) -> str:
    if unit is None or (visible_units is not None and unit.pk not in visible_units):
        return ""
    return reverse("web:unit", args=[unit.pk])


def _profile(person, user, visible_units) -> list[dict]:
    """The profile facts (label, value, link), sensitive ones only when allowed."""
    hidden = hidden_fields(user)
    meta = Person._meta
    rows: list[dict] = []

    def add(name: str, value: str | None = None, url: str = "") -> None:
        if name in hidden:
            return
        f = cast(models.Field, meta.get_field(name))
        if value is None:
            precision = PRECISION_OF.get(name)
            value = field_display(
                f, getattr(person, name), precision=getattr(person, precision) if precision else None
            )
        rows.append({"label": capfirst(f.verbose_name), "value": value, "url": url, "name": name})

    rows.append({"label": _("Họ và tên"), "value": person.full_name, "url": "", "name": "full_name"})
    add("birth_date")
    add("sex")
    add("ethnicity")
    add("identity_number")
    add("home_town")
    add("religion")
    add(
        "managing_unit",
        str(person.managing_unit),
        _unit_url(person.managing_unit, visible_units),
    )
    add("is_party_member")
    if person.is_party_member or person.party_joined_on:
        add("party_joined_on")
        add("party_confirmed_on")
        if person.party_left_on:
            add("party_left_on")
            add("party_left_reason")
    if person.notes:
        add("notes")
    if isinstance(person.extra_columns, dict) and person.extra_columns:
        add("extra_columns")
    return rows


def _period(start: date | None, end: date | None) -> str:
    if end is None:
        return _("%(start)s – nay") % {"start": fmt_date(start, missing="…")}
    return f"{fmt_date(start, missing='…')} – {fmt_date(end)}"


def _timeline(assignments, qualifications, visible_units, on: date) -> list[dict]:
    """Posts and qualifications in one list, oldest first; a qualification without a date last."""
    items = []
    for a in assignments:
        details = [a.get_start_reason_display()] if a.start_reason else []
        if a.is_concurrent:
            details.append(_("kiêm nhiệm"))
        if a.end_reason:
            details.append(_("kết thúc: %(reason)s") % {"reason": a.get_end_reason_display()})
        if a.decision_number:
            details.append(_("quyết định số %(n)s") % {"n": a.decision_number})
        items.append(
            {
                "kind": "post",
                "sort": (a.start, 0, a.pk),
                "when": _period(a.start, a.end),
                "what": a.title.name,
                "unit": a.unit.name,
                "unit_url": _unit_url(a.unit, visible_units),
                "details": details,
                "current": a.start <= on and (a.end is None or a.end >= on),
                "obj": a,
            }
        )
    for q in qualifications:
        details = [q.get_dimension_display()]
        if q.institution:
            details.append(q.institution)
        if q.study_mode:
            details.append(q.get_study_mode_display())
        if q.original_text:
            details.append(_("ghi chép gốc: “%(t)s”") % {"t": q.original_text})
        items.append(
            {
                "kind": "qualification",
                "sort": (q.obtained_on or date.max, 1, q.pk),
                "when": fmt_date(q.obtained_on) if q.obtained_on else _("không rõ ngày cấp"),
                "what": str(q),
                "unit": "",
                "unit_url": "",
                "details": details,
                "current": False,
                "obj": q,
            }
        )
    items.sort(key=lambda i: i["sort"])
    return items


def file_context(request, person: Person, on: date) -> dict:
    """Everything the person page shows about ``person`` on ``on`` for ``request.user``."""
    user = request.user
    visible_units = scope.scope_unit_ids(user)
    assignments = list(
        Assignment.objects.filter(person=person).select_related("title", "unit").order_by("start", "pk")
    )
    qualifications = list(Qualification.objects.filter(person=person).order_by("obtained_on", "pk"))
    ctx: dict = {
        "person": person,
        "on": on,
        "on_text": fmt_date(on),
        "keep": [],
        "date_min": fmt_date(bounds.MIN_DATE),
        "date_max": fmt_date(bounds.max_date()),
        "standards": person_findings(person, on),
        "profile": _profile(person, user, visible_units),
        "timeline": _timeline(assignments, qualifications, visible_units, on),
        "current_posts": [a for a in assignments if a.start <= on and (a.end is None or a.end >= on)],
        "managing_unit_url": _unit_url(person.managing_unit, visible_units),
        "trainings": list(TrainingEnrolment.objects.filter(person=person).order_by("-start", "-pk")),
        "evaluations": list(Evaluation.objects.filter(person=person).order_by("-year")),
        "show_discipline": scope.sensitive_allowed(user, "discipline"),
        "history": person_history(person.pk, user),
        "history_limit": HISTORY_LIMIT,
        "may_edit": scope.may_open(user, "person_edit") and scope.can(user, scope.CHANGE, person),
    }
    if ctx["show_discipline"]:
        ctx["disciplines"] = list(Discipline.objects.filter(person=person).order_by("-decided_on", "-pk"))
        ctx["inspections"] = list(Inspection.objects.filter(person=person).order_by("-started_on", "-pk"))
    entries = scope.restrict(SuccessionEntry.objects.filter(person=person), user, scope.VIEW)
    ctx["succession"] = list(entries.select_related("title", "unit").order_by("-term_start_year", "pk"))
    for e in ctx["succession"]:
        e.unit_url = _unit_url(e.unit, visible_units)
    return ctx


@page("person")
@require_http_methods(["GET", "HEAD"])
def person(request, pk: int):
    obj = get_visible(request, Person.objects.select_related("managing_unit"), pk=pk)
    on = bounds.chosen_date(request)
    ctx = file_context(request, obj, on)
    log_access(request, "view", person=obj)
    return render(request, "web/person.html", ctx)


# --------------------------------------------------------------------------- editing


def _read_version(request) -> int:
    raw = (request.POST.get("version") or "").strip()
    if not raw.isdigit() or len(raw) > 18:
        raise bounds.BadInput(
            _("Biểu mẫu thiếu mã phiên bản hồ sơ hoặc mã không hợp lệ; hãy mở lại trang sửa hồ sơ.")
        )
    return int(raw)


@page("person_edit")
@require_http_methods(["GET", "HEAD", "POST"])
def person_edit(request, pk: int):
    obj = get_visible(request, Person.objects.select_related("managing_unit"), action=scope.CHANGE, pk=pk)
    conflict: list[HistoryEntry] | None = None
    if request.method == "POST":
        version = _read_version(request)
        with transaction.atomic():
            # The row is locked until the save commits: a second save waits, then sees this one.
            locked = get_visible(
                request, Person.objects.select_for_update(of=("self",)), action=scope.CHANGE, pk=pk
            )
            current = latest_version(pk)
            if current != version:
                conflict = person_history(pk, request.user, after=version)
                data = request.POST.copy()
                data["version"] = str(current)
                form = PersonForm(data, instance=locked, user=request.user)
                form.is_valid()  # the officer's input is shown with its own errors, if any
            else:
                form = PersonForm(request.POST, instance=locked, user=request.user)
                if form.is_valid():
                    saved = form.save()
                    scope.ensure_in_scope(request.user, saved, scope.CHANGE)
                    if form.has_changed():
                        messages.success(request, _("Đã lưu hồ sơ của %(name)s.") % {"name": saved.full_name})
                    else:
                        messages.info(request, _("Không có thay đổi nào để lưu."))
                    return HttpResponseRedirect(reverse("web:person", args=[pk]))
    else:
        form = PersonForm(instance=obj, user=request.user, initial={"version": latest_version(pk)})
    return render(
        request,
        "web/person_edit.html",
        {"person": obj, "form": form, "conflict": conflict},
        status=409 if conflict is not None else 200,
    )
