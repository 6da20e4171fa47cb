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

from django import forms
from django.contrib import messages
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Max
from django.http import Http404, HttpResponse, HttpResponseRedirect
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
from canbo.registry.models import (
    Assignment,
    Award,
    Confirmation,
    FamilyMember,
    OrganisationMembership,
    Person,
    Qualification,
    SalaryStep,
)
from canbo.registry.places import unit_place
from canbo.registry.services import PostChanged, end_post, record_earlier_post
from canbo.standards.pages import person_findings
from canbo.succession.models import SuccessionEntry
from canbo.training.models import TrainingEnrolment
from canbo.web import bounds
from canbo.web.forms import (
    PRECISION_OF,
    PROFILE_FIELDS,
    AwardForm,
    EndPostForm,
    FamilyMemberForm,
    MembershipForm,
    PersonForm,
    PostForm,
    QualificationForm,
    SalaryStepForm,
    hidden_fields,
)
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
    #: What the entry is about when it is not the profile ("Quá trình công tác: …").
    subject: str = ""
    at: object = None


def _who(record) -> str:
    user = record.history_user
    if user is None:
        return _("hệ thống (không rõ người sửa)")
    return user.get_full_name() or user.get_username()


def _when(record) -> str:
    local = timezone.localtime(record.history_date)
    return f"{fmt_date(local.date())} {local:%H:%M}"


_KINDS = {"+": gettext_lazy("tạo hồ sơ"), "~": gettext_lazy("sửa"), "-": gettext_lazy("xóa")}


def person_history(
    person_id: int,
    user,
    *,
    after: int | None = None,
    limit: int = HISTORY_LIMIT,
    person: Person | None = None,
):
    """The latest ``limit`` changes of person ``person_id`` (newest first), or those after history
    entry ``after``; each with the fields changed (readable names, dd/mm/yyyy, before → after),
    leaving out the fields ``user`` may not see. Two queries at most."""
    hidden = hidden_fields(user, person) | _COMPUTED
    qs = Person.history.filter(id=person_id).select_related("history_user").order_by("-history_id")
    if after is not None:
        records = list(qs.filter(history_id__gt=after)[: limit + 1])
        previous = (
            Person.history.filter(id=person_id, history_id__lte=after).order_by("-history_id").first()
            if records
            else None
        )
        chain = [*records, previous] if previous is not None else records
        count = min(len(records), limit)  # ``previous`` is only the "before" of the oldest
    else:
        chain = list(qs[: limit + 1])
        count = limit
    out: list[HistoryEntry] = []
    for i, record in enumerate(chain[:count]):
        older = chain[i + 1] if i + 1 < len(chain) else None
        entry = HistoryEntry(
            when=_when(record),
            who=_who(record),
            kind=str(_KINDS.get(record.history_type, _KINDS["~"])),
            reason=record.history_change_reason or "",
            history_id=record.history_id,
            at=record.history_date,
        )
        if older is not None and record.history_type == "~":
            delta = record.diff_against(older)
            visible = [c for c in delta.changes if c.field not in hidden]
            shown = ModelDelta(visible, [c.field for c in visible], delta.old_record, delta.new_record)
            entry.changes = ReadableHistory(Person, record).context_for_delta_changes(shown)
            if not entry.changes:
                continue  # nothing this user may see changed (or a save without a change)
        elif record.history_type == "~":
            entry.kind = str(_("sửa (không còn bản ghi trước đó để so sánh)"))
        out.append(entry)
    return out


#: The records of a file whose changes the page's history lists with the profile's: the model,
#: the relations its description reads, what it is called, and the fields left out of a diff.
_RELATED_HISTORY = [
    (Assignment, ("title", "unit"), gettext_lazy("Quá trình công tác"), {"person", "confirmed_at"}),
    (Qualification, (), gettext_lazy("Văn bằng, trình độ"), {"person"}),
    (SalaryStep, (), gettext_lazy("Diễn biến lương"), {"person"}),
    (Award, (), gettext_lazy("Khen thưởng"), {"person"}),
    (OrganisationMembership, (), gettext_lazy("Tham gia tổ chức chính trị - xã hội"), {"person"}),
]
#: The family's changes: listed only for a user who may see the family (the "family" part).
_FAMILY_HISTORY = (FamilyMember, (), gettext_lazy("Quan hệ gia đình"), {"person"})
_RECORD_KINDS = {"+": gettext_lazy("thêm"), "~": gettext_lazy("sửa"), "-": gettext_lazy("xóa")}


def records_history(
    person_id: int, limit: int = HISTORY_LIMIT, *, family: bool = False
) -> list[HistoryEntry]:
    """The latest ``limit`` changes of the person's posts, qualifications and the résumé's records
    (salary, awards, organisations; the family only with ``family``), one query per kind of
    record: what was added, changed (before → after) or deleted, by whom and when."""
    out: list[HistoryEntry] = []
    kinds = [*_RELATED_HISTORY, _FAMILY_HISTORY] if family else _RELATED_HISTORY
    for model, related, label, excluded in kinds:
        records = list(
            model.history.filter(person_id=person_id)
            .select_related("history_user", *related)
            .order_by("-history_id")[:limit]
        )
        later: dict[int, object] = {}
        for record in reversed(records):  # oldest first: each record's predecessor is known
            entry = HistoryEntry(
                when=_when(record),
                who=_who(record),
                kind=str(_RECORD_KINDS.get(record.history_type, _RECORD_KINDS["~"])),
                reason=record.history_change_reason or "",
                history_id=record.history_id,
                subject=f"{label}: {model.__str__(record)}",
                at=record.history_date,
            )
            older = later.get(record.id)
            if record.history_type == "~" and older is not None:
                delta = record.diff_against(older, excluded_fields=excluded)
                entry.changes = ReadableHistory(model, record).context_for_delta_changes(delta)
                if not entry.changes:
                    later[record.id] = record
                    continue
            later[record.id] = record
            out.append(entry)
    return out


def file_history(
    person_id: int, user, limit: int = HISTORY_LIMIT, person: Person | None = None
) -> list[HistoryEntry]:
    """The profile's changes and its posts' and qualifications', newest first, at most ``limit``
    (the sensitive fields as :func:`person_history` leaves them out for ``user`` and ``person``)."""
    family = scope.sensitive_allowed(user, "family", person)
    entries = person_history(person_id, user, limit=limit, person=person) + records_history(
        person_id, limit, family=family
    )
    entries.sort(key=lambda e: (e.at, e.history_id), reverse=True)
    return entries[:limit]


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
    hidden = hidden_fields(user, person)
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
    # Blank means "not known" (the model's help text), not "no": said in words.
    add("is_party_member", _("chưa rõ") if person.is_party_member is None else None)
    if person.is_party_member or person.party_joined_on:
        add("party_joined_on")
        add("party_confirmed_on")
        if person.party_left_on:
            add("party_left_on")
            add("party_left_reason")
    # The résumé's items (Mẫu 2C-BNV/2008), those recorded.
    for name in ("other_names",):
        if getattr(person, name):
            add(name)
    if person.birth_place_unit_id or person.birth_place:
        add("birth_place", unit_place(person.birth_place_unit, person.birth_place))
    if person.home_town_unit_id:
        add("home_town_unit", unit_place(person.home_town_unit))
    for name in (
        "permanent_address",
        "current_address",
        "recruited_occupation",
        "recruited_on",
        "recruiting_agency",
        "main_duties",
        "enlisted_on",
        "discharged_on",
        "military_rank",
        "honorary_title",
        "strengths",
        "health_status",
        "height_cm",
        "weight_kg",
        "blood_group",
        "war_invalid_rank",
        "policy_family",
        "identity_issued_on",
        "identity_issued_by",
        "social_insurance_number",
        "self_history",
    ):
        if getattr(person, name) not in (None, ""):
            add(name)
    if person.notes:
        add("notes")
    if isinstance(person.extra_columns, dict) and person.extra_columns:
        add("extra_columns")
    return rows


def _period(start: date | None, end: date | None) -> str:
    if end is None:
        return _("%(start)s – nay") % {"start": fmt_date(start, missing="…")}
    return f"{fmt_date(start, missing='…')} – {fmt_date(end)}"


def _timeline(assignments, qualifications, visible_units, on: date, user=None) -> list[dict]:
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
                "pending": a.confirmation == Confirmation.PENDING,
                "confirm_url": reverse("web:confirmations")
                if a.confirmation == Confirmation.PENDING
                and user is not None
                and scope.may_confirm(user, a.unit_id)
                else "",
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
                "pending": False,
                "confirm_url": "",
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
        "timeline": _timeline(assignments, qualifications, visible_units, on, user),
        "current_posts": [a for a in assignments if a.start <= on and (a.end is None or a.end >= on)],
        "managing_unit_url": _unit_url(person.managing_unit, visible_units),
        "trainings": list(TrainingEnrolment.objects.filter(person=person).order_by("-start", "-pk")),
        "evaluations": list(Evaluation.objects.filter(person=person).order_by("-year")),
        "show_discipline": scope.sensitive_allowed(user, "discipline", person),
        "history": file_history(person.pk, user, person=person),
        "history_limit": HISTORY_LIMIT,
        "may_edit": scope.may_open(user, "person_edit") and scope.can(user, scope.CHANGE, person),
    }
    ctx["salary_steps"] = list(SalaryStep.objects.filter(person=person).order_by("valid_from", "pk"))
    ctx["awards"] = list(Award.objects.filter(person=person).order_by("decided_on", "pk"))
    ctx["memberships"] = list(
        OrganisationMembership.objects.filter(person=person).order_by("joined_on", "pk")
    )
    ctx["show_family"] = scope.sensitive_allowed(user, "family", person)
    if ctx["show_family"]:
        ctx["family"] = list(FamilyMember.objects.filter(person=person))
    ctx["may_print"] = scope.may_open(user, "person_resume")
    if ctx["show_discipline"]:
        ctx["disciplines"] = list(Discipline.objects.filter(person=person).order_by("-decided_on", "-pk"))
        ctx["inspections"] = list(Inspection.objects.filter(person=person).order_by("-started_on", "-pk"))
    entries = scope.restrict(SuccessionEntry.objects.filter(person=person), user, scope.VIEW, few=True)
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
    """The history id an end-of-post form carries (400 when missing or not a number)."""
    raw = (request.POST.get("version") or "").strip()
    if not raw.isdigit() or len(raw) > 18:
        raise bounds.BadInput(
            _("Biểu mẫu thiếu mã phiên bản hồ sơ hoặc mã không hợp lệ; hãy mở lại trang sửa hồ sơ.")
        )
    return int(raw)


#: The salt of the signed version token of the profile form.
TOKEN_SALT = "canbo.web.person_edit"
MAX_TOKEN = 20_000


def editable_fields(user) -> list[str]:
    """The profile fields ``user``'s form edits (the sensitive ones only when allowed)."""
    hidden = hidden_fields(user)
    return [n for n in PROFILE_FIELDS if n not in hidden]


def _plain(value):
    return value.isoformat() if isinstance(value, date) else value


def snapshot(person: Person, names: list[str]) -> dict:
    """The values of fields ``names`` of ``person`` as stored (JSON-able: a date ISO, a unit its
    id)."""
    meta = Person._meta
    return {n: _plain(getattr(person, cast(models.Field, meta.get_field(n)).attname)) for n in names}


def make_token(person: Person, names: list[str]) -> str:
    """The version token of a profile form: the person's latest history entry and the values the
    form shows, signed (a forged or altered token is refused)."""
    return signing.dumps({"v": latest_version(person.pk), "s": snapshot(person, names)}, salt=TOKEN_SALT)


def read_token(request) -> dict:
    return parse_token(request.POST.get("version"))


def parse_token(raw: str | None) -> dict:
    """The version token ``raw`` (of a form, or of the API's ``If-Match``) read back; a missing,
    forged or altered one is :class:`canbo.web.bounds.BadInput`."""
    raw = (raw or "").strip()
    message = _("Biểu mẫu thiếu mã phiên bản hồ sơ hoặc mã không hợp lệ; hãy mở lại trang sửa hồ sơ.")
    if not raw or len(raw) > MAX_TOKEN:
        raise bounds.BadInput(message)
    try:
        token = signing.loads(raw, salt=TOKEN_SALT)
    except signing.BadSignature:
        raise bounds.BadInput(message) from None
    if (
        not isinstance(token, dict)
        or not isinstance(token.get("v"), int)
        or not isinstance(token.get("s"), dict)
    ):
        raise bounds.BadInput(message)
    return token


def _shown(name: str, snap: dict) -> str:
    f = cast(models.Field, Person._meta.get_field(name))
    value = snap.get(name)
    if value is not None and isinstance(f, models.DateField) and isinstance(value, str):
        value = date.fromisoformat(value)
    precision = PRECISION_OF.get(name)
    return field_display(f, value, precision=snap.get(precision) if precision else None)


def differences(before: dict, after: dict, names: list[str]) -> list[dict]:
    """The fields whose value differs between two snapshots, readable: label, then, now."""
    out = []
    shown = set()
    for name in names:
        dated = next((d for d, p in PRECISION_OF.items() if p == name), None)
        key = dated if dated and dated in names else name
        if key in shown or (before.get(name) == after.get(name) and before.get(key) == after.get(key)):
            continue
        shown.add(key)
        label = capfirst(cast(models.Field, Person._meta.get_field(key)).verbose_name)
        out.append({"field": label, "old": _shown(key, before), "new": _shown(key, after), "name": key})
    return out


@page("person_edit")
@require_http_methods(["GET", "HEAD", "POST"])
def person_edit(request, pk: int):
    obj = get_visible(request, Person.objects.select_related("managing_unit"), action=scope.CHANGE, pk=pk)
    names = editable_fields(request.user)
    conflict: list[HistoryEntry] | None = None
    changed: list[dict] = []
    if request.method == "POST":
        token = read_token(request)
        with transaction.atomic():
            # The row is locked until the save commits: a second save waits, then sees this one.
            locked = get_visible(
                request, Person.objects.select_for_update(of=("self",)), action=scope.CHANGE, pk=pk
            )
            now = snapshot(locked, names)
            if now != token["s"]:
                # A field of this form changed since it was shown (through the app, or even
                # without a history entry). A change of fields the form does not hold is no
                # conflict: only the form's fields are written, on the row as it is now.
                conflict = person_history(pk, request.user, after=token["v"])
                changed = differences(token["s"], now, names)
                data = request.POST.copy()
                data["version"] = make_token(locked, names)
                form = PersonForm(data, instance=locked, user=request.user)
                form.is_valid()  # the officer's input is shown with its own errors, if any
            else:
                form = PersonForm(request.POST, instance=locked, user=request.user)
                if form.is_valid():
                    if [n for n in form.changed_data if n != "version"]:
                        saved = form.save()
                        scope.ensure_in_scope(request.user, saved, scope.CHANGE)
                        messages.success(request, _("Đã lưu hồ sơ của %(name)s.") % {"name": saved.full_name})
                    else:
                        messages.info(request, _("Không có thay đổi nào để lưu."))
                    return HttpResponseRedirect(reverse("web:person", args=[pk]))
    else:
        form = PersonForm(instance=obj, user=request.user, initial={"version": make_token(obj, names)})
    return render(
        request,
        "web/person_edit.html",
        {"person": obj, "form": form, "conflict": conflict, "changed": changed},
        status=409 if conflict is not None else 200,
    )


# --------------------------------------------------------------------------- posts and qualifications


def _record_form(request, person, form, heading: str, intro: str = "", status: int = 200):
    return render(
        request,
        "web/person_record_form.html",
        {"person": person, "form": form, "heading": heading, "intro": intro},
        status=status,
    )


@page("person_edit")
@require_http_methods(["GET", "HEAD", "POST"])
def person_post_add(request, pk: int):
    """Add a post the person holds or held; a post in a unit outside the user's scope waits for
    the province's confirmation (:func:`canbo.registry.services.record_earlier_post`)."""
    obj = get_visible(request, Person.objects.select_related("managing_unit"), action=scope.CHANGE, pk=pk)
    heading = _("Thêm quá trình công tác")
    intro = _(
        "Một chức danh tại xã ngoài phạm vi của bạn (quá trình công tác trước đây ở nơi khác) "
        "được ghi ở trạng thái chờ tỉnh xác nhận, và chưa được tính vào số liệu của xã đó."
    )
    if request.method != "POST":
        form = PostForm(instance=Assignment(person=obj), user=request.user)
        return _record_form(request, obj, form, heading, intro)
    form = PostForm(request.POST, instance=Assignment(person=obj), user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        try:
            post = record_earlier_post(
                request.user,
                obj,
                data["unit"],
                data["title"],
                data["start"],
                data.get("end"),
                start_reason=data.get("start_reason") or "",
                end_reason=data.get("end_reason") or "",
                is_concurrent=bool(data.get("is_concurrent")),
                decision_number=data.get("decision_number") or "",
            )
        except ValidationError as e:
            form.add_error(None, e)
        else:
            if post.confirmation == Confirmation.PENDING:
                messages.warning(
                    request,
                    _("Đã ghi chức danh %(t)s tại %(u)s; chờ tỉnh xác nhận.")
                    % {"t": post.title.name, "u": post.unit.name},
                )
            else:
                messages.success(
                    request,
                    _("Đã ghi chức danh %(t)s tại %(u)s.") % {"t": post.title.name, "u": post.unit.name},
                )
            return HttpResponseRedirect(reverse("web:person", args=[pk]) + "#timeline")
    return _record_form(request, obj, form, heading, intro)


def _open_posts(person) -> list:
    posts = list(
        Assignment.objects.filter(person=person, end__isnull=True)
        .select_related("title", "unit")
        .order_by("start", "pk")
    )
    versions = dict(
        Assignment.history.filter(id__in=[p.pk for p in posts])
        .values("id")
        .annotate(v=Max("history_id"))
        .values_list("id", "v")
    )
    for p in posts:
        p.version = versions.get(p.pk, 0)  # type: ignore[attr-defined]  # the form's token
    return posts


@page("person_edit")
@require_http_methods(["GET", "HEAD", "POST"])
def person_post_end(request, pk: int):
    """End a post the person holds: its last day and why. Refused when the post changed since the
    form was shown (no lost update)."""
    obj = get_visible(request, Person.objects.select_related("managing_unit"), action=scope.CHANGE, pk=pk)
    forms_by_post: dict[int, EndPostForm] = {}
    conflict: list[HistoryEntry] | None = None
    ended = None
    status = 200
    if request.method == "POST":
        form = EndPostForm(request.POST)
        raw_post = (request.POST.get("post") or "").strip()
        if not raw_post.isdigit() or len(raw_post) > 18:
            raise bounds.BadInput(_("Biểu mẫu thiếu chức danh cần kết thúc; hãy mở lại trang."))
        _read_version(request)
        post_pk = int(raw_post)
        with transaction.atomic():
            own = scope.restrict(Assignment.objects.filter(person=obj), request.user, scope.CHANGE)
            locked = get_visible(
                request, own.select_for_update(of=("self",)), action=scope.CHANGE, pk=post_pk
            )
            if form.is_valid():
                try:
                    saved = end_post(
                        request.user,
                        locked,
                        end=form.cleaned_data["end"],
                        end_reason=form.cleaned_data["end_reason"],
                        version=form.cleaned_data["version"],
                    )
                except PostChanged:
                    conflict = _post_changes(locked.pk, form.cleaned_data["version"])
                    status = 409
                    ended = locked
                except ValidationError as e:
                    form.add_error(None, e)
                else:
                    messages.success(
                        request,
                        _("Đã ghi kết thúc chức danh %(t)s từ ngày %(d)s.")
                        % {"t": saved.title.name, "d": fmt_date(saved.end)},
                    )
                    return HttpResponseRedirect(reverse("web:person", args=[pk]) + "#timeline")
        forms_by_post[post_pk] = form
    posts = _open_posts(obj)
    rows = [
        {
            "post": p,
            "form": forms_by_post.get(p.pk)
            or EndPostForm(initial={"post": p.pk, "version": p.version}, auto_id=f"id_{p.pk}_%s"),
        }
        for p in posts
    ]
    if forms_by_post and conflict is not None:
        # The post changed: its form is shown again with the current version.
        for row in rows:
            if row["post"].pk in forms_by_post:
                data = request.POST.copy()
                data["version"] = str(row["post"].version)
                row["form"] = EndPostForm(data, auto_id=f"id_{row['post'].pk}_%s")
                row["form"].is_valid()
    return render(
        request,
        "web/person_post_end.html",
        {"person": obj, "rows": rows, "conflict": conflict, "ended": ended},
        status=status,
    )


def _post_changes(post_id: int, after: int) -> list[HistoryEntry]:
    """The changes of post ``post_id`` after history entry ``after``, readable."""
    records = list(
        Assignment.history.filter(id=post_id, history_id__gt=after)
        .select_related("history_user")
        .order_by("-history_id")[: HISTORY_LIMIT + 1]
    )
    previous = Assignment.history.filter(id=post_id, history_id__lte=after).order_by("-history_id").first()
    chain = [*records, previous] if previous is not None else records
    out = []
    for i, record in enumerate(chain[:HISTORY_LIMIT]):
        if record.history_id <= after:
            break
        older = chain[i + 1] if i + 1 < len(chain) else None
        entry = HistoryEntry(
            when=_when(record),
            who=_who(record),
            kind=str(_KINDS.get(record.history_type, _KINDS["~"])),
            reason=record.history_change_reason or "",
            history_id=record.history_id,
        )
        if older is not None:
            entry.changes = ReadableHistory(Assignment, record).context_for_delta_changes(
                record.diff_against(older, excluded_fields=["confirmed_by", "confirmed_at"])
            )
        out.append(entry)
    return out


@page("person_edit")
@require_http_methods(["GET", "HEAD", "POST"])
def person_qualification_add(request, pk: int):
    """Add a qualification the person gained."""
    obj = get_visible(request, Person.objects.select_related("managing_unit"), action=scope.CHANGE, pk=pk)
    heading = _("Thêm văn bằng, trình độ")
    if request.method != "POST":
        return _record_form(request, obj, QualificationForm(instance=Qualification(person=obj)), heading)
    form = QualificationForm(request.POST, instance=Qualification(person=obj))
    if form.is_valid():
        with transaction.atomic():
            saved = form.save()
            scope.ensure_in_scope(request.user, saved, scope.CHANGE)
        messages.success(request, _("Đã ghi văn bằng, trình độ “%(q)s”.") % {"q": saved})
        return HttpResponseRedirect(reverse("web:person", args=[pk]) + "#timeline")
    return _record_form(request, obj, form, heading)


# --------------------------------------------------------------------------- the résumé's records

#: The records of the résumé (Mẫu 2C-BNV/2008) added from the person page: the form, the heading,
#: the page's anchor, and the sensitive part the record belongs to (None: none).
RECORD_KINDS: dict[str, tuple[type[forms.ModelForm], object, str, str | None]] = {
    "salary": (SalaryStepForm, gettext_lazy("Thêm diễn biến lương"), "salary", None),
    "award": (AwardForm, gettext_lazy("Thêm khen thưởng"), "awards", None),
    "membership": (
        MembershipForm,
        gettext_lazy("Thêm tham gia tổ chức chính trị - xã hội"),
        "memberships",
        None,
    ),
    "family": (FamilyMemberForm, gettext_lazy("Thêm quan hệ gia đình"), "family", "family"),
}


def person_record_add(request, pk: int, kind: str):
    """Add a record of the résumé — a salary change, an award, a membership, a family member —
    to the person's file (recorded with its history, validated by the model's rules)."""
    if kind not in RECORD_KINDS:
        raise Http404
    form_class, heading, anchor, part = RECORD_KINDS[kind]
    obj = get_visible(request, Person.objects.select_related("managing_unit"), action=scope.CHANGE, pk=pk)
    if part is not None and not scope.sensitive_allowed(request.user, part, obj):
        raise Http404
    model = form_class._meta.model
    if request.method != "POST":
        return _record_form(request, obj, form_class(instance=model(person=obj)), str(heading))
    form = form_class(request.POST, instance=model(person=obj))
    if form.is_valid():
        with transaction.atomic():
            saved = form.save()
            scope.ensure_in_scope(request.user, saved, scope.CHANGE)
        messages.success(request, _("Đã ghi “%(r)s”.") % {"r": saved})
        return HttpResponseRedirect(reverse("web:person", args=[pk]) + f"#{anchor}")
    return _record_form(request, obj, form, str(heading))


def _record_view(kind: str):
    @page("person_edit")
    @require_http_methods(["GET", "HEAD", "POST"])
    def view(request, pk: int):
        return person_record_add(request, pk, kind)

    view.__name__ = view.__qualname__ = f"person_{kind}_add"
    return view


person_salary_add = _record_view("salary")
person_award_add = _record_view("award")
person_membership_add = _record_view("membership")
person_family_add = _record_view("family")


# --------------------------------------------------------------------------- the résumé (Mẫu 2C)

#: The formats of the résumé: content type and file extension.
RESUME_FORMATS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


@page("person_resume")
@require_http_methods(["GET", "HEAD"])
def person_resume(request, pk: int):
    """The résumé (Mẫu 2C-BNV/2008) of a person whose file the user keeps, as Word or PDF
    (``?format=docx|pdf``). A print of a person outside the user's scope is refused (404, the
    person is not shown to exist) and recorded in the log of reading with the action "refused";
    every print is recorded too."""
    from canbo.access.models import FileAccess
    from canbo.core.resume.docx import docx_bytes
    from canbo.core.resume.pdf import pdf_bytes
    from canbo.registry import resume

    fmt = (request.GET.get("format") or "pdf").strip().lower()
    if fmt not in RESUME_FORMATS:
        raise bounds.BadInput(_("Định dạng “%(f)s” không có; chọn docx hoặc pdf.") % {"f": fmt[:10]})
    target = Person.objects.select_related("managing_unit").filter(pk=pk).first()
    if target is None or not resume.may_print(request.user, target):
        log_access(
            request,
            FileAccess.Action.REFUSED,
            person=target,
            what=f"Sơ yếu lý lịch Mẫu 2C ({fmt}) của hồ sơ #{pk}: ngoài phạm vi",
        )
        raise Http404
    now = timezone.localtime()
    printed_by = _("In từ canbo bởi %(u)s lúc %(t)s") % {
        "u": request.user.get_username(),
        "t": f"{fmt_date(now.date())} {now:%H:%M}",
    }
    data = resume.build(target, request.user, printed_by=printed_by)
    body = docx_bytes(data) if fmt == "docx" else pdf_bytes(data)
    log_access(request, FileAccess.Action.PRINT, person=target, what=f"Sơ yếu lý lịch Mẫu 2C ({fmt})")
    response = HttpResponse(body, content_type=RESUME_FORMATS[fmt])
    filename = f"so-yeu-ly-lich-{target.pk}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
