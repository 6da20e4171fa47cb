"""The import flow as both interfaces show it — the admin (:mod:`canbo.imports.admin`) and the
web application (:mod:`canbo.web.views.imports`): the upload form, what the preview page lists,
the commit and its message, the template workbook, the comparison of a row held for review
with the person on record and the decision on it.

Nothing here is specific to one interface: each calls these functions and lays out the result
in its own templates. Permissions come from :mod:`canbo.access.scope` only.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Case, Value, When
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from canbo.access import scope
from canbo.core.formatting import fmt_date
from canbo.registry.models import Person, Sex, Unit

from . import services
from .models import BatchStatus, ImportBatch, ImportReview, ReviewDecision

__all__ = [
    "DOUBTS",
    "TemplateForm",
    "UploadForm",
    "commit_batch",
    "compare_review",
    "decide",
    "max_bytes",
    "may_import",
    "preview_context",
    "keep_upload",
    "receive_upload",
    "refusal_message",
    "template_workbook",
    "units_for",
]

PROBLEMS_PER_PAGE = 100
CHANGES_PER_PAGE = 200
#: Rows of each kind of doubt listed under its heading; the rest are in the paged table.
DOUBT_ROWS_SHOWN = 50

#: The reader's doubts the preview lists one by one, grouped (issue 9, "Bad input"): what it
#: undid (an ID number's lost zeros), the rows it read as not a person, the qualification cells
#: it read with low confidence or not at all.
DOUBTS = (
    ("identity_number_as_number", gettext_lazy("Số định danh đã khôi phục số 0 đầu (Excel lưu dạng số)")),
    ("summary_row", gettext_lazy("Dòng tổng hợp, không nhập (“Tổng cộng”, “Cộng”, “Trong đó: nữ …”)")),
    ("note_row", gettext_lazy("Dòng ghi chú, không nhập")),
    ("signature_row", gettext_lazy("Dòng chữ ký, không nhập (người lập biểu, thủ trưởng, ngày tháng)")),
    ("uncertain_qualification", gettext_lazy("Trình độ đọc không chắc chắn")),
    ("unreadable_qualification", gettext_lazy("Trình độ không đọc được (giữ nguyên chữ ở Ghi chú)")),
)

#: Above this many units in scope (the system administrator's ~13,000), the unit lists offer
#: provinces and districts only; a list of a commune is then imported for its district.
MAX_LISTED_UNITS = 800


def max_bytes() -> int:
    """The largest file accepted (``settings.CANBO_IMPORT_MAX_BYTES``, 40 MB by default)."""
    return getattr(settings, "CANBO_IMPORT_MAX_BYTES", 40 * 1024 * 1024)


def may_import(user) -> bool:
    """May ``user`` upload and commit lists (add and change personal records)?"""
    return scope.allowed(user, scope.ADD, Person) and scope.allowed(user, scope.CHANGE, Person)


def units_for(user):
    """The units a user may import for: the province first, then the districts, then the
    communes, each by name."""
    units = scope.restrict(Unit.objects.all(), user, scope.VIEW)
    if units.count() > MAX_LISTED_UNITS:
        units = units.filter(level__in=["province", "district"])
    rank = Case(
        When(level="province", then=Value(0)), When(level="district", then=Value(1)), default=Value(2)
    )
    return units.select_related("parent").order_by(rank, "name", "valid_from")


class UnitChoiceField(forms.ModelChoiceField):
    """A unit by name; a commune with its district ("Xã Chi Lăng – Huyện Tràng Định"): a
    province has communes of the same name in different districts."""

    def label_from_instance(self, obj):
        parent = obj.parent if obj.parent_id else None
        if obj.level == "commune_level" and parent is not None and parent.level == "district":
            era = str(obj).removeprefix(obj.name)
            return f"{obj.name} – {parent.name}{era}"
        return str(obj)


class UploadForm(forms.Form):
    """The upload form: the workbook, the unit whose list it is, the date it is as of. The
    units offered (and the only ones accepted) are those of the user's scope; the user's own
    unit is preselected."""

    file = forms.FileField(label=gettext_lazy("Tệp Excel (.xlsx, .xls)"))
    unit = UnitChoiceField(queryset=Unit.objects.none(), label=gettext_lazy("Đơn vị có danh sách"))
    as_of = forms.DateField(
        label=gettext_lazy("Danh sách tính đến ngày"),
        initial=timezone.localdate,
        # dd/mm/yyyy in every language (English's own formats would read 31/03/2025 as m/d/Y).
        input_formats=settings.DATE_INPUT_FORMATS,
        widget=forms.DateInput(format="%d/%m/%Y"),
        help_text=gettext_lazy(
            "dd/mm/yyyy. Chức danh không ghi ngày bắt đầu được ghi nhận đang giữ vào ngày này."
        ),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, forms.ModelChoiceField)
        unit_field.queryset = units_for(user)
        home = getattr(user, "scope_unit", None) if getattr(user, "scope_unit_id", None) else None
        if home is not None:
            self.fields["unit"].initial = home.pk
            if home.valid_to and home.valid_to < timezone.localdate():
                # A legacy unit's lists end on its last day.
                self.fields["as_of"].initial = home.valid_to

    def clean_as_of(self):
        from canbo.web.bounds import MIN_DATE, max_date

        as_of = self.cleaned_data["as_of"]
        if as_of is not None and not (MIN_DATE <= as_of <= max_date()):
            raise forms.ValidationError(
                _("Ngày danh sách %(d)s nằm ngoài khoảng cho phép (từ %(a)s đến %(b)s).")
                % {"d": fmt_date(as_of), "a": fmt_date(MIN_DATE), "b": fmt_date(max_date())}
            )
        return as_of

    def clean(self):
        super().clean()
        data = self.cleaned_data
        unit, as_of = data.get("unit"), data.get("as_of")
        if unit and as_of and not unit.is_valid_on(as_of):
            self.add_error(
                "as_of",
                _(
                    "“%(u)s” không còn (hoặc chưa) là đơn vị hành chính vào ngày %(d)s (hiệu lực %(a)s–%(b)s); "
                    "chọn ngày danh sách trong thời gian đơn vị có hiệu lực."
                )
                % {
                    "u": unit.name,
                    "d": fmt_date(as_of),
                    "a": fmt_date(unit.valid_from, missing="…"),
                    "b": fmt_date(unit.valid_to, missing="…"),
                },
            )
        return data

    def clean_file(self):
        f = self.cleaned_data["file"]
        name = f.name.lower()
        if not name.endswith((".xlsx", ".xls")):
            raise forms.ValidationError(
                _("Chỉ nhận tệp Excel .xlsx hoặc .xls (tệp “%(n)s”).") % {"n": f.name}
            )
        limit = max_bytes()
        if f.size > limit:
            raise forms.ValidationError(
                _("Tệp “%(n)s” nặng %(s)s, vượt giới hạn %(l)s. Hãy chia danh sách thành nhiều tệp.")
                % {"n": f.name, "s": filesizeformat(f.size), "l": filesizeformat(limit)}
            )
        return f


class TemplateForm(forms.Form):
    """The unit whose template workbook to download (shown on the upload page, beside the upload
    form: its ids are its own, ``id_template_unit``)."""

    unit = UnitChoiceField(queryset=Unit.objects.none(), label=gettext_lazy("Đơn vị"))

    def __init__(self, *args, user=None, **kwargs):
        kwargs.setdefault("auto_id", "id_template_%s")
        super().__init__(*args, **kwargs)
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, forms.ModelChoiceField)
        unit_field.queryset = units_for(user)
        if getattr(user, "scope_unit_id", None):
            self.fields["unit"].initial = user.scope_unit_id


# --------------------------------------------------------------------------- upload → preview


def keep_upload(form: UploadForm, user) -> ImportBatch:
    """Keep the valid ``form``'s file as a batch of its unit, not read yet (``received``): its
    preview is a job (:func:`canbo.jobs.services.submit_import_preview`). A unit outside the
    user's scope is refused (the form only offers those in scope; this is the check against a
    forged request)."""
    unit = form.cleaned_data["unit"]
    if not scope.can(user, scope.VIEW, unit):
        raise PermissionDenied
    upload = form.cleaned_data["file"]
    batch = services.store_upload(
        upload, upload.name, unit, form.cleaned_data["as_of"], user, status=BatchStatus.RECEIVED
    )
    scope.ensure_in_scope(user, batch, scope.VIEW)
    return batch


def receive_upload(form: UploadForm, user) -> ImportBatch:
    """Keep the valid ``form``'s file (:func:`keep_upload`) and read it at once, in this process
    (the preview). The pages ask for the preview as a job instead, which reads a large list in
    the background (:func:`canbo.jobs.services.submit_import_preview`)."""
    batch = keep_upload(form, user)
    services.prepare(batch, user)
    return batch


def preview_context(
    batch: ImportBatch,
    user,
    *,
    page: str | int | None = None,
    cpage: str | int | None = None,
    problems_per_page: int = PROBLEMS_PER_PAGE,
    changes_per_page: int = CHANGES_PER_PAGE,
    doubt_rows: int = DOUBT_ROWS_SHOWN,
) -> dict:
    """What a batch's page lists: the counts (per commune too), the recognised columns, the
    changes old → new (paged by ``cpage``), the doubts by kind (the first ``doubt_rows`` of
    each) and every other problem (paged by ``page``), whether it may be committed, and how
    many of its rows are held for review."""
    problems = batch.problems or []
    changes = Paginator(batch.changes or [], changes_per_page).get_page(cpage)
    # The doubts listed by kind; the paged table of problems lists every other one, so that
    # each is shown once and the page stays short.
    doubts: list[dict] = []
    listed: set[int] = set()
    for code, label in DOUBTS:
        items = [p for p in problems if p.get("code") == code]
        if items:
            shown = items[:doubt_rows]
            listed.update(id(p) for p in shown)
            doubts.append({"code": code, "label": label, "items": shown, "count": len(items)})
    others = [p for p in problems if id(p) not in listed]
    summary = batch.summary or {}
    return {
        "batch": batch,
        "page": Paginator(others, problems_per_page).get_page(page),
        "summary_rows": [(services.COUNT_LABELS[k], summary.get(k, 0)) for k in services.PREVIEW_COUNTS],
        "written_rows": [
            (services.COUNT_LABELS[k], summary[k]) for k in services.WRITTEN_COUNTS if k in summary
        ],
        "columns": (summary.get("columns") or {}).items(),
        "unit_rows": (summary.get("units") or {}).items(),
        "changes": changes,
        "doubts": doubts,
        "stored_all": len(problems) >= summary.get("errors", 0) + summary.get("warnings", 0),
        "can_commit": batch.status == BatchStatus.PREVIEWED and may_import(user),
        "previous": batch.earlier_commit(),
        "reviews": scope.restrict(batch.reviews.all(), user).count(),
    }


# --------------------------------------------------------------------------- commit


def refusal_message(refused: services.NotCommittable) -> str:
    """A refusal's message in the active language (English from the refusal itself)."""
    return refused.message_en if (get_language() or "vi").startswith("en") else refused.message_vi


@dataclass(frozen=True)
class Outcome:
    """What a commit request came to: ``level`` (success, warning, error) and the message."""

    level: str
    message: str


def commit_batch(
    batch: ImportBatch, user, shown: str | None, *, progress: services.Progress | None = None
) -> Outcome:
    """Commit ``batch`` exactly as the preview the officer saw (``shown``, its fingerprint;
    else the stored one): read again, and refused if the file or the records changed since.
    ``progress`` is told of each step (a job's progress, :mod:`canbo.jobs`)."""
    if not may_import(user):
        raise PermissionDenied
    shown = shown or (batch.summary or {}).get("fingerprint")
    if batch.status == BatchStatus.COMMITTED:
        return Outcome("warning", refusal_message(services._already_committed(batch)))
    preview = services.prepare(batch, user, progress=progress)
    if not preview.ok:
        changed = [p for p in preview.problems if p.code == "file_changed"]
        if changed:  # the kept file is no longer the one previewed
            english = (get_language() or "vi").startswith("en")
            return Outcome("error", changed[0].message_en if english else changed[0].message_vi)
        return Outcome("error", _("Tệp có lỗi; chưa ghi gì vào hồ sơ."))
    try:
        counts = services.commit(batch, preview, user, expected=shown, progress=progress)
    except services.NotCommittable as refused:
        return Outcome("error", refusal_message(refused))
    return Outcome(
        "success",
        _(
            "Đã ghi: %(c)s hồ sơ mới, %(u)s hồ sơ cập nhật, %(p)s quá trình công tác, %(q)s trình độ; "
            "%(r)s dòng chờ xem xét."
        )
        % {
            "c": counts["people_created"],
            "u": counts["people_updated"],
            "p": counts["posts_added"],
            "q": counts["qualifications_added"],
            "r": counts["held_for_review"],
        },
    )


# --------------------------------------------------------------------------- template


def template_workbook(unit: Unit) -> tuple[bytes, str]:
    """The template workbook of ``unit`` (drop-down lists of its communes and the titles, the
    instructions) and its file name. A unit that has ended (a legacy district or commune) gets
    its last day's lists."""
    from canbo.core.importing import write_template

    today = timezone.localdate()
    as_of = min(today, unit.valid_to) if unit.valid_to else today
    context = services.context_for(unit, as_of)
    buffer = io.BytesIO()
    write_template(buffer, context.units, context.titles, as_of=as_of)
    return buffer.getvalue(), f"mau-danh-sach-{unit.code}.xlsx"


# --------------------------------------------------------------------------- review


#: What the comparison of a row held for review shows: (key in the row's data, Person
#: attribute, label).
COMPARED = [
    ("identity_number", "identity_number", gettext_lazy("số định danh cá nhân")),
    ("family_name", "family_name", gettext_lazy("họ")),
    ("middle_name", "middle_name", gettext_lazy("tên đệm")),
    ("given_name", "given_name", gettext_lazy("tên")),
    ("birth_date", "birth_date", gettext_lazy("ngày sinh")),
    ("sex", "sex", gettext_lazy("giới tính")),
    ("ethnicity", "ethnicity", gettext_lazy("dân tộc")),
    ("home_town", "home_town", gettext_lazy("quê quán")),
    ("title_code", None, gettext_lazy("chức danh")),
]


def _shown(key: str, value) -> str:
    """A compared value as an officer reads it (ethnic group and sex by name)."""
    if not value:
        return ""
    if key == "ethnicity":
        from canbo.core.ethnicity import ethnic_group

        try:
            return ethnic_group(value).name_vi
        except (KeyError, ValueError):
            return value
    if key == "sex":
        return str(Sex(value).label) if value in Sex.values else value
    if key == "title_code":  # posts by name ("CV_TP" → "Chuyên viên tư pháp - hộ tịch")
        from canbo.registry.models import Title

        codes = [c.strip() for c in str(value).split(",") if c.strip()]
        names = dict(Title.objects.filter(code__in=codes).values_list("code", "name"))
        return ", ".join(names.get(c, c) for c in codes)
    return value


@dataclass(frozen=True)
class Compared:
    """One line of a review's comparison: the field, the value in the list, the value on
    record, and whether they differ."""

    label: str
    listed: str
    on_record: str
    differs: bool


def compare_review(review: ImportReview) -> list[Compared]:
    """The row as read next to the person on record, field by field, so that the officer can
    tell whether they are the same person."""
    person, data = review.candidate, review.data or {}
    out = []
    for key, attr, label in COMPARED:
        listed = data.get(key) or ""
        if key == "birth_date" and listed:
            listed = fmt_date(date.fromisoformat(listed))
        if attr:
            value = getattr(person, attr)
            on_record = value.strftime("%d/%m/%Y") if hasattr(value, "strftime") else (value or "")
        else:
            on_record = ", ".join(person.assignments.values_list("title__code", flat=True).distinct())
        differs = bool(listed) and bool(on_record) and str(listed) not in str(on_record)
        out.append(Compared(capfirst(str(label)), _shown(key, listed), _shown(key, on_record), differs))
    return out


def decide(reviews, decision: str, user) -> tuple[int, list[str]]:
    """Take ``decision`` (same person / new person) on the pending reviews of ``reviews`` (a
    queryset already narrowed to the user's scope): how many were decided, and the message of
    each refused because another officer decided it meanwhile."""
    if decision not in (ReviewDecision.SAME_PERSON, ReviewDecision.NEW_PERSON):
        raise ValueError(decision)
    done, refused = 0, []
    for review in reviews.filter(decision=ReviewDecision.PENDING):
        try:
            services.apply_review(review, decision, user)
        except services.NotCommittable as e:
            refused.append(refusal_message(e))
            continue
        done += 1
    return done, refused
