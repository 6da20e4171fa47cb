"""Rules: the national rule sets by legal instrument and the province's own decisions
(issue 10 §1, rules).

The national rules are the process's rule set (:func:`canbo.standards.services.national_rules`,
the YAML files of ``src/canbo/rules``), shown instrument by instrument with their dates and
references in the officer's words (:mod:`canbo.core.standards.present`). The provincial layer
is :class:`canbo.standards.models.ProvincialDecision`, read upwards (every officer and inspector
sees the decisions of the provinces their scope lies in, ``scope.READ_UPWARDS``) and written by
the roles of page ``rules_edit`` within their scope. The engine reads the decisions from the
database at every check (:func:`canbo.standards.services.provincial_layer`, no cache), so a
saved decision counts from the next page shown.
"""

from __future__ import annotations

from collections import OrderedDict
from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from canbo.access import scope
from canbo.core import scales, vocab
from canbo.core.formatting import fmt_date, lang_of, tr
from canbo.core.standards.present import CRITERION_LABELS, value_label
from canbo.registry.models import Title
from canbo.standards import services
from canbo.standards.models import DecisionKind, ProvincialDecision
from canbo.web import bounds
from canbo.web.rule_forms import FORM_FIELDS, DecisionForm, EndForm, read_version, snapshot, version_of
from canbo.web.views.common import get_visible, page

#: What each section of a rule file is, in the officer's words.
SECTION_LABELS = {
    "standards": ("Tiêu chuẩn", "Standard"),
    "quotas": ("Số lượng cán bộ, công chức", "Staffing quota"),
    "establishment": ("Cơ cấu chức danh", "Establishment"),
    "retirement": ("Tuổi nghỉ hưu", "Retirement age"),
    "eligibility": ("Điều kiện quy hoạch, bổ nhiệm, đào tạo", "Eligibility"),
    "discipline_effects": ("Hệ quả của kỷ luật", "Effect of discipline"),
}
EXCEPTION_LABELS = {
    "difficult_area": ("Ngoại lệ vùng khó khăn", "Difficult-area exception"),
    "transition": ("Thời hạn chuyển tiếp", "Transition period"),
}
#: Fields of a decision's history worth showing, with their labels.
DECISION_FIELDS = {
    "province": gettext_lazy("Tỉnh, thành phố"),
    "kind": gettext_lazy("Loại quyết định"),
    "decision_number": gettext_lazy("Số, ngày quyết định"),
    "valid_from": gettext_lazy("Hiệu lực từ ngày"),
    "valid_to": gettext_lazy("Hiệu lực đến ngày"),
    "title": gettext_lazy("Chức danh"),
    "dimension": gettext_lazy("Lĩnh vực trình độ"),
    "minimum": gettext_lazy("Trình độ tối thiểu"),
    "areas": gettext_lazy("Địa bàn áp dụng"),
    "accepted_fields": gettext_lazy("Ngành đào tạo được chấp nhận"),
    "unit": gettext_lazy("Xã, phường"),
    "quota": gettext_lazy("Số lượng cán bộ, công chức"),
    "note": gettext_lazy("Ghi chú"),
}


def _lang() -> str:
    return lang_of(translation.get_language())


def _period(start: date | None, end: date | None) -> str:
    if start is None and end is None:
        return "—"
    if end is None:
        return _("từ %(a)s") % {"a": fmt_date(start)}
    if start is None:
        return _("đến %(b)s") % {"b": fmt_date(end)}
    return f"{fmt_date(start)} – {fmt_date(end)}"


def _title_names() -> dict[str, str]:
    return dict(Title.objects.values_list("code", "name"))


def _areas(codes) -> str:
    lang = _lang()
    out = []
    flags = {m.value: m for m in vocab.AreaFlag}
    for code in sorted(codes):
        flag = flags.get(code)
        out.append(flag.label(lang) if flag is not None else code)
    return ", ".join(out)


def _level(criterion: str, code: str) -> str:
    """A level as words: on the criterion's own scale, else (a field-of-study standard's
    minimum) on the professional scale."""
    dimensions = {d.value for d in scales.Dimension}
    return value_label(
        criterion if criterion in dimensions else scales.Dimension.PROFESSIONAL.value, code, _lang()
    )


def _required(entry) -> str:
    """What a standard requires, in words."""
    lang = _lang()
    criterion = getattr(entry, "criterion", "")
    parts = []
    if getattr(entry, "minimum", None):
        parts.append(_level(criterion, entry.minimum))
    if getattr(entry, "accepted", None):
        parts.append(value_label("field_of_study", ",".join(sorted(entry.accepted)), lang))
    if not parts and getattr(entry, "years", None) is not None:
        parts.append(value_label(criterion, str(entry.years), lang))
    if not parts and getattr(entry, "months", None) is not None:
        parts.append(value_label(criterion, str(entry.months), lang))
    return "; ".join(parts) or "—"


def _row(section: str, entry, titles: dict[str, str], on: date | None) -> dict:
    lang = _lang()
    title_codes: list[str] = []
    criterion = ""
    required = "—"
    exceptions = []
    if section == "standards":
        title_codes = list(entry.titles)
        criterion = tr(lang, *CRITERION_LABELS.get(entry.criterion, (entry.criterion, entry.criterion)))
        required = _required(entry)
        for ex in entry.exceptions:
            label = tr(lang, *EXCEPTION_LABELS.get(ex.kind, (ex.kind, ex.kind)))
            parts = [f"{label}: {_level(entry.criterion, ex.minimum)}"]
            if ex.areas:
                parts.append(_areas(ex.areas))
            if ex.requires_provincial_decision:
                parts.append(tr(lang, "cần quyết định của UBND tỉnh", "needs a provincial decision"))
            if ex.until:
                parts.append(_("đến %(b)s") % {"b": fmt_date(ex.until)})
            exceptions.append({"text": "; ".join(parts), "reference": ex.reference.render(lang)})
    elif section == "establishment":
        title_codes = list(entry.titles)
    return {
        "section": tr(lang, *SECTION_LABELS[section]),
        "id": entry.id,
        "message": entry.message_en if lang == "en" else entry.message_vi,
        "titles": [titles.get(c, c) for c in title_codes],
        "criterion": criterion,
        "required": required,
        "exceptions": exceptions,
        "period": _period(entry.valid_from, entry.valid_to),
        "in_force": on is not None and entry.in_force(on),
        "reference": entry.reference.render(lang),
        "verified": entry.verified,
    }


def national_instruments(on: date | None, only_in_force: bool) -> list[dict]:
    """The national rule set, instrument by instrument (newest first), each with its rules."""
    rules = services.national_rules()
    titles = _title_names()
    by_code: dict[str, list[dict]] = OrderedDict((code, []) for code in rules.instruments)
    for section in SECTION_LABELS:
        for entry in getattr(rules, section):
            if only_in_force and on is not None and not entry.in_force(on):
                continue
            by_code.setdefault(entry.reference.instrument.code, []).append(_row(section, entry, titles, on))
    lang = _lang()
    out: list[dict[str, Any]] = []
    for code, rows in by_code.items():
        instrument = rules.instruments.get(code)
        if instrument is None or (only_in_force and not rows):
            continue
        out.append(
            {
                "code": code,
                "short": instrument.short_vi,
                "name": instrument.name_en if lang == "en" else instrument.name_vi,
                "issued": fmt_date(instrument.issued, missing="—"),
                "in_force": fmt_date(instrument.in_force, missing="—"),
                "sort": instrument.in_force or instrument.issued or date.min,
                "verified": instrument.verified,
                "rules": rows,
                "current": sum(1 for r in rows if r["in_force"]),
            }
        )
    out.sort(key=lambda i: i["sort"], reverse=True)
    return out


def _decision_rows(decisions, editable: set[int]) -> list[dict]:
    lang = _lang()
    rows = []
    for d in decisions:
        what: list[str] = []
        if d.title_id:
            what.append(d.title.name)
        if d.kind in (DecisionKind.DIFFICULT_AREA_EXCEPTION, DecisionKind.STRICTER_MINIMUM) and d.minimum:
            what.append(
                f"{tr(lang, *scales.DIMENSION_LABELS[scales.Dimension(d.dimension)])}: "
                f"{tr(lang, 'từ', 'at least')} {value_label(d.dimension, d.minimum, lang)}"
            )
        if d.areas:
            what.append(_areas(d.areas))
        if d.accepted_fields:
            what.append(value_label("field_of_study", ",".join(d.accepted_fields), lang))
        if d.unit_id:
            what.append(f"{d.unit.name}: {d.quota if d.quota is not None else '—'}")
        rows.append(
            {
                "obj": d,
                "province": d.province.name,
                "kind": d.get_kind_display(),
                "what": what,
                "period": _period(d.valid_from, d.valid_to),
                "editable": d.pk in editable,
            }
        )
    return rows


@page("rules")
def rules(request):
    """The national rules by instrument and the provincial decisions the user may see."""
    raw_on = request.GET.get("on")
    on = bounds.parse_date(raw_on) if raw_on else bounds.parse_date(None)
    only_in_force = request.GET.get("all") != "1"
    decisions = list(
        scope.restrict(ProvincialDecision.objects.all(), request.user, scope.VIEW)
        .select_related("province", "title", "unit")
        .order_by("province__name", "kind", "-valid_from", "id")
    )
    may_edit = scope.may_open(request.user, "rules_edit")
    editable: set[int] = set()
    if may_edit:
        editable = set(
            scope.restrict(ProvincialDecision.objects.all(), request.user, scope.CHANGE).values_list(
                "pk", flat=True
            )
        )
    keep = [("all", "1")] if not only_in_force else []
    return render(
        request,
        "web/rules.html",
        {
            "instruments": national_instruments(on, only_in_force),
            "decisions": _decision_rows(decisions, editable),
            "on": on,
            "on_text": fmt_date(on),
            "keep": keep,
            "only_in_force": only_in_force,
            "may_add": may_edit and scope.can(request.user, scope.ADD, ProvincialDecision),
        },
    )


def _show(field: str, value, names: dict) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, date):
        return fmt_date(value)
    if field in ("province", "unit", "title"):
        return names.get((field, value), str(value))
    if field == "kind":
        return str(DecisionKind(value).label) if value in DecisionKind.values else str(value)
    if field == "dimension":
        try:
            return tr(_lang(), *scales.DIMENSION_LABELS[scales.Dimension(value)])
        except ValueError:
            return str(value)
    if field == "areas":
        return _areas(value)
    if field == "accepted_fields":
        return value_label("field_of_study", ",".join(value), _lang())
    return str(value)


def _names(records) -> dict:
    from canbo.registry.models import Unit

    units = {r.province_id for r in records} | {r.unit_id for r in records if r.unit_id}
    titles = {r.title_id for r in records if r.title_id}
    names: dict = {}
    for pk, name in Unit.objects.filter(pk__in=units).values_list("pk", "name"):
        names[("province", pk)] = name
        names[("unit", pk)] = name
    for pk, name in Title.objects.filter(pk__in=titles).values_list("pk", "name"):
        names[("title", pk)] = name
    return names


def _changes(newer, older, names) -> list[dict]:
    delta = newer.diff_against(older, included_fields=list(DECISION_FIELDS))
    out = []
    for change in delta.changes:
        older_value = change.old
        newer_value = change.new
        if change.field == "minimum":
            dim = newer.dimension
            older_value = _level(dim, change.old) if change.old else None
            newer_value = _level(dim, change.new) if change.new else None
        out.append(
            {
                "field": DECISION_FIELDS[change.field],
                "old": _show(change.field, older_value, names)
                if change.field != "minimum"
                else older_value or "—",
                "new": _show(change.field, newer_value, names)
                if change.field != "minimum"
                else newer_value or "—",
            }
        )
    return out


def decision_history(decision: ProvincialDecision) -> list[dict]:
    """The decision's saves, newest first: when, who, and what changed."""
    records = list(decision.history.select_related("history_user").order_by("-history_id")[:100])
    names = _names(records)
    rows = []
    for i, record in enumerate(records):
        older = records[i + 1] if i + 1 < len(records) else None
        changes = _changes(record, older, names) if older is not None else []
        if record.history_type == "~" and not changes:
            continue  # a save that changed nothing shown
        rows.append(
            {
                "at": record.history_date,
                "who": record.history_user.get_username() if record.history_user else "—",
                "kind": record.get_history_type_display(),
                "reason": record.history_change_reason or "",
                "changes": changes,
            }
        )
    return rows


def differences(before: dict, after: dict) -> list[dict]:
    """The form's fields whose stored value differs between two snapshots
    (:func:`canbo.web.rule_forms.snapshot`), readable: label, then, now."""
    from canbo.registry.models import Unit

    ids = {v for k in ("province", "unit") for v in (before.get(k), after.get(k)) if v}
    titles = {v for v in (before.get("title"), after.get("title")) if v}
    names: dict = {}
    for pk, name in Unit.objects.filter(pk__in=ids).values_list("pk", "name"):
        names[("province", pk)] = names[("unit", pk)] = name
    for pk, name in Title.objects.filter(pk__in=titles).values_list("pk", "name"):
        names[("title", pk)] = name
    out = []
    for name in FORM_FIELDS:
        old, new = before.get(name), after.get(name)
        if old == new:
            continue
        if name in ("valid_from", "valid_to"):
            old = date.fromisoformat(old) if old else None
            new = date.fromisoformat(new) if new else None
        if name == "minimum":
            shown_old = _level(after.get("dimension") or "", old) if old else "—"
            shown_new = _level(after.get("dimension") or "", new) if new else "—"
        else:
            shown_old, shown_new = _show(name, old, names), _show(name, new, names)
        out.append({"field": DECISION_FIELDS[name], "old": shown_old, "new": shown_new})
    return out


def last_saved_by(decision: ProvincialDecision) -> dict:
    record = decision.history.select_related("history_user").order_by("-history_id").first()
    if record is None:
        return {"who": "—", "at": None}
    return {
        "who": record.history_user.get_username() if record.history_user else "—",
        "at": record.history_date,
    }


@page("rules")
def decision_detail(request, pk: int):
    decision = get_visible(
        request, ProvincialDecision.objects.select_related("province", "title", "unit"), scope.VIEW, pk=pk
    )
    row = _decision_rows([decision], set())[0]
    may_edit = scope.may_open(request.user, "rules_edit") and scope.can(request.user, scope.CHANGE, decision)
    return render(
        request,
        "web/rules_decision.html",
        {
            "d": decision,
            "row": row,
            "history": decision_history(decision),
            "may_edit": may_edit,
            "end_form": EndForm(initial={"version": version_of(decision)}) if may_edit else None,
        },
    )


def _save(request, form: DecisionForm, action: str) -> ProvincialDecision:
    """Save the decision in one transaction, in the user's scope before and after."""
    with transaction.atomic():
        decision = form.save(commit=False)
        if not scope.can(request.user, action, decision if action == scope.ADD else type(decision)):
            raise PermissionDenied
        decision.save()
        scope.ensure_in_scope(request.user, decision, action)
    return decision


@never_cache
@page("rules_edit")
def decision_new(request):
    if not scope.can(request.user, scope.ADD, ProvincialDecision):
        raise PermissionDenied
    form = DecisionForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        decision = _save(request, form, scope.ADD)
        messages.success(request, _("Đã lưu quyết định %(d)s.") % {"d": decision.decision_number})
        return redirect("web:decision_detail", pk=decision.pk)
    return render(request, "web/rules_form.html", {"form": form, "d": None, "conflict": {}})


@never_cache
@page("rules_edit")
def decision_edit(request, pk: int):
    decision = get_visible(
        request, ProvincialDecision.objects.select_related("province", "title", "unit"), scope.CHANGE, pk=pk
    )
    conflict: dict = {}
    if request.method == "POST":
        token = read_version(request.POST.get("version"))
        with transaction.atomic():
            # The row is locked until the save commits: a second save waits, then sees this one.
            locked = get_visible(
                request,
                ProvincialDecision.objects.select_for_update(of=("self",)).select_related(
                    "province", "title", "unit"
                ),
                scope.CHANGE,
                pk=pk,
            )
            now = snapshot(locked)
            if now != token["s"]:
                # A value of this form changed since it was shown: refused, the other change shown,
                # the officer's input kept with a fresh token (saving again overwrites knowingly).
                conflict = {**last_saved_by(locked), "changes": differences(token["s"], now)}
                data = request.POST.copy()
                data["version"] = version_of(locked)
                form = DecisionForm(data, instance=locked, user=request.user)
                form.is_valid()
                form.add_error(
                    None,
                    _(
                        "Quyết định này vừa được người khác sửa sau khi bạn mở biểu mẫu; thay đổi của bạn chưa được lưu. "
                        "Hãy xem thay đổi của họ bên dưới; lưu lại nếu vẫn muốn ghi đè bằng nội dung của bạn."
                    ),
                )
            else:
                form = DecisionForm(request.POST, instance=locked, user=request.user)
                if form.is_valid():
                    if [n for n in form.changed_data if n != "version"]:
                        decision = _save(request, form, scope.CHANGE)
                        messages.success(
                            request, _("Đã lưu quyết định %(d)s.") % {"d": decision.decision_number}
                        )
                    else:
                        messages.info(request, _("Không có thay đổi nào để lưu."))
                    return redirect("web:decision_detail", pk=pk)
    else:
        form = DecisionForm(instance=decision, user=request.user)
    return render(request, "web/rules_form.html", {"form": form, "d": decision, "conflict": conflict})


@never_cache
@page("rules_edit")
def decision_end(request, pk: int):
    """End a decision on a day: its ``valid_to`` is set, through the model's validation."""
    decision = get_visible(
        request, ProvincialDecision.objects.select_related("province", "title", "unit"), scope.CHANGE, pk=pk
    )
    if request.method != "POST":
        return redirect("web:decision_detail", pk=decision.pk)
    token = read_version(request.POST.get("version"))
    form = EndForm(request.POST)
    error = None
    if form.is_valid():
        with transaction.atomic():
            decision = get_visible(
                request, ProvincialDecision.objects.select_for_update(of=("self",)), scope.CHANGE, pk=pk
            )
            if snapshot(decision) != token["s"]:
                error = _("Quyết định này vừa được người khác sửa; hãy xem lại rồi thử lại.")
            else:
                decision.valid_to = form.cleaned_data["valid_to"]
                try:
                    decision.full_clean()
                except ValidationError as e:  # shown with the model's words
                    messages_list = getattr(e, "messages", [str(e)])
                    error = " ".join(str(m) for m in messages_list)
                else:
                    decision.save()
                    scope.ensure_in_scope(request.user, decision, scope.CHANGE)
    else:
        error = " ".join(str(m) for errs in form.errors.values() for m in errs)
    if error:
        messages.error(request, error)
    else:
        messages.success(
            request,
            _("Quyết định %(d)s hết hiệu lực sau ngày %(e)s.")
            % {"d": decision.decision_number, "e": fmt_date(decision.valid_to)},
        )
    return redirect("web:decision_detail", pk=decision.pk)
