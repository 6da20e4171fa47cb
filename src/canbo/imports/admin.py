"""The admin pages of an import: upload → preview (every problem by sheet, row, column) →
commit; the template workbook; and the rows held for review.

Permissions come from :mod:`canbo.access.scope` only: a user uploads for a unit of their scope,
sees the batches of their scope, and commits only when they may add and change personal
records; every row's commune is checked against the same scope while matching
(:func:`canbo.imports.services.prepare`).
"""

from __future__ import annotations

import io
from datetime import date

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Case, Value, When
from django.http import FileResponse, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from canbo.access import scope
from canbo.common.admin import ScopedAdmin
from canbo.core.formatting import fmt_date
from canbo.registry.models import Person, Sex, Unit

from . import services
from .models import BatchStatus, ImportBatch, ImportReview, ReviewDecision

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
    """The upload form: the workbook, the unit whose list it is, the date it is as of."""

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
        limit = getattr(settings, "CANBO_IMPORT_MAX_BYTES", 40 * 1024 * 1024)
        if f.size > limit:
            raise forms.ValidationError(
                _(
                    "Tệp “%(n)s” nặng %(s).1f MB, vượt giới hạn %(l).0f MB. Hãy chia danh sách thành nhiều tệp."
                )
                % {"n": f.name, "s": f.size / 1048576, "l": limit / 1048576}
            )
        return f


class TemplateForm(forms.Form):
    unit = UnitChoiceField(queryset=Unit.objects.none(), label=gettext_lazy("Đơn vị"))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, forms.ModelChoiceField)
        unit_field.queryset = units_for(user)
        if getattr(user, "scope_unit_id", None):
            self.fields["unit"].initial = user.scope_unit_id


@admin.register(ImportBatch)
class ImportBatchAdmin(ScopedAdmin):
    #: Few, short columns (dates dd/mm/yyyy, who and when in one) so that the result column
    #: stays on an office screen next to the filter.
    list_display = ["number", "file_name", "unit", "list_date", "status", "rows_summary"]
    list_display_links = ["number", "file_name"]
    list_filter = ["status"]
    search_fields = ["original_name", "sha256"]
    readonly_fields = [f.name for f in ImportBatch._meta.fields]
    change_form_template = "imports/batch_preview.html"

    @admin.display(description="#", ordering="pk")
    def number(self, obj: ImportBatch) -> str:
        return f"#{obj.pk}"

    @admin.display(description=gettext_lazy("tệp"), ordering="original_name")
    def file_name(self, obj: ImportBatch):
        """The file's name, and under it who uploaded it and when."""
        return format_html('{}<div class="help">{}</div>', obj.original_name, self.uploaded(obj))

    @admin.display(description=gettext_lazy("danh sách tính đến ngày"), ordering="as_of")
    def list_date(self, obj: ImportBatch) -> str:
        return fmt_date(obj.as_of)

    def uploaded(self, obj: ImportBatch) -> str:
        when = timezone.localtime(obj.uploaded_at).strftime("%d/%m/%Y %H:%M") if obj.uploaded_at else ""
        return f"{obj.uploaded_by or '—'}, {when}"

    @admin.display(description=gettext_lazy("kết quả"))
    def rows_summary(self, obj: ImportBatch) -> str:
        s = obj.summary or {}
        return _("%(rows)s dòng, %(errors)s lỗi, %(review)s cần xem xét") % {
            "rows": s.get("rows", 0),
            "errors": s.get("errors", 0),
            "review": s.get("review", 0),
        }

    def has_change_permission(self, request, obj=None):
        return False  # a batch is a record of what happened; it is never edited

    def has_delete_permission(self, request, obj=None):
        return False  # the uploaded file is kept (nothing is lost)

    def has_add_permission(self, request, obj=None):
        return scope.allowed(request.user, scope.ADD, Person) and scope.allowed(
            request.user, scope.CHANGE, Person
        )

    def get_urls(self):
        info = self.model._meta.app_label, self.model._meta.model_name
        return [
            path(
                "<int:pk>/commit/",
                self.admin_site.admin_view(self.commit_view),
                name="{}_{}_commit".format(*info),
            ),
            path(
                "<int:pk>/file/", self.admin_site.admin_view(self.file_view), name="{}_{}_file".format(*info)
            ),
            path(
                "template/",
                self.admin_site.admin_view(self.template_view),
                name="{}_{}_template".format(*info),
            ),
            *super().get_urls(),
        ]

    # ------------------------------------------------------------------ upload

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = UploadForm(request.POST or None, request.FILES or None, user=request.user)
        if request.method == "POST" and form.is_valid():
            unit = form.cleaned_data["unit"]
            if not scope.can(request.user, scope.VIEW, unit):
                raise PermissionDenied
            upload = form.cleaned_data["file"]
            batch = services.store_upload(upload, upload.name, unit, form.cleaned_data["as_of"], request.user)
            scope.ensure_in_scope(request.user, batch, scope.VIEW)
            services.prepare(batch, request.user)
            return HttpResponseRedirect(reverse("admin:imports_importbatch_change", args=[batch.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Nhập danh sách cán bộ, công chức từ Excel"),
            "form": form,
            "opts": self.model._meta,
            "template_form": TemplateForm(user=request.user),
            "max_mb": getattr(settings, "CANBO_IMPORT_MAX_BYTES", 40 * 1024 * 1024) // 1048576,
        }
        return TemplateResponse(request, "imports/upload.html", context)

    # ------------------------------------------------------------------ preview

    def change_view(self, request, object_id, form_url="", extra_context=None):
        batch = self.get_object(request, object_id)
        if batch is None or not self.has_view_permission(request, batch):
            raise PermissionDenied
        problems = batch.problems or []
        changes = Paginator(batch.changes or [], CHANGES_PER_PAGE).get_page(request.GET.get("cpage"))
        # The doubts listed by kind (the first DOUBT_ROWS_SHOWN of each kind); the paged table
        # of problems lists every other one, so that each is shown once and the page stays short.
        doubts: list[dict] = []
        listed: set[int] = set()
        for code, label in DOUBTS:
            items = [p for p in problems if p.get("code") == code]
            if items:
                shown = items[:DOUBT_ROWS_SHOWN]
                listed.update(id(p) for p in shown)
                doubts.append({"code": code, "label": label, "items": shown, "count": len(items)})
        others = [p for p in problems if id(p) not in listed]
        page = Paginator(others, PROBLEMS_PER_PAGE).get_page(request.GET.get("page"))
        previous = batch.earlier_commit()
        summary = batch.summary or {}
        context = {
            **self.admin_site.each_context(request),
            "title": _("Lần nhập #%(id)s: %(name)s") % {"id": batch.pk, "name": batch.original_name},
            "batch": batch,
            "opts": self.model._meta,
            "original": batch,
            "page": page,
            "summary_rows": [(services.COUNT_LABELS[k], summary.get(k, 0)) for k in services.PREVIEW_COUNTS],
            "written_rows": [
                (services.COUNT_LABELS[k], summary[k]) for k in services.WRITTEN_COUNTS if k in summary
            ],
            "columns": (summary.get("columns") or {}).items(),
            "unit_rows": (summary.get("units") or {}).items(),
            "changes": changes,
            "doubts": doubts,
            "stored_all": len(problems) >= summary.get("errors", 0) + summary.get("warnings", 0),
            "can_commit": batch.status == BatchStatus.PREVIEWED and self.has_add_permission(request),
            "previous": previous,
            "reviews": scope.restrict(batch.reviews.all(), request.user).count(),
        }
        return TemplateResponse(request, "imports/batch_preview.html", context)

    def commit_view(self, request, pk):
        batch = get_object_or_404(scope.restrict(ImportBatch.objects.all(), request.user), pk=pk)
        if request.method != "POST" or not self.has_add_permission(request):
            raise PermissionDenied
        # The preview the officer saw (its fingerprint is posted with the form; else the stored one).
        shown = request.POST.get("fingerprint") or (batch.summary or {}).get("fingerprint")
        if batch.status == BatchStatus.COMMITTED:
            messages.warning(request, _message(services._already_committed(batch)))
            return HttpResponseRedirect(reverse("admin:imports_importbatch_change", args=[batch.pk]))
        preview = services.prepare(batch, request.user)
        if not preview.ok:
            messages.error(request, _("Tệp có lỗi; chưa ghi gì vào hồ sơ."))
            return HttpResponseRedirect(reverse("admin:imports_importbatch_change", args=[batch.pk]))
        try:
            counts = services.commit(batch, preview, request.user, expected=shown)
        except services.NotCommittable as refused:
            messages.error(request, _message(refused))
        else:
            messages.success(
                request,
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
        return HttpResponseRedirect(reverse("admin:imports_importbatch_change", args=[batch.pk]))

    def file_view(self, request, pk):
        batch = get_object_or_404(scope.restrict(ImportBatch.objects.all(), request.user), pk=pk)
        # Streamed from storage, not read into memory.
        return FileResponse(batch.file.open("rb"), as_attachment=True, filename=batch.original_name)

    def template_view(self, request):
        form = TemplateForm(request.GET or None, user=request.user)
        if not form.is_valid():
            raise PermissionDenied
        from canbo.core.importing import write_template

        unit = form.cleaned_data["unit"]
        # A unit that has ended (a legacy district or commune) gets its last day's lists.
        today = timezone.localdate()
        as_of = min(today, unit.valid_to) if unit.valid_to else today
        context = services.context_for(unit, as_of)
        buffer = io.BytesIO()
        write_template(buffer, context.units, context.titles, as_of=as_of)
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="mau-danh-sach-{unit.code}.xlsx"'
        return response


def _message(refused: services.NotCommittable) -> str:
    """A refusal's message in the active language (English from the refusal itself)."""
    from django.utils.translation import get_language

    return refused.message_en if (get_language() or "vi").startswith("en") else refused.message_vi


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


@admin.register(ImportReview)
class ImportReviewAdmin(ScopedAdmin):
    list_display = ["full_name", "decision", "unit", "candidate", "batch", "row", "decided_by"]
    list_filter = ["decision"]
    readonly_fields = [
        "batch",
        "row",
        "unit",
        "full_name",
        "candidate",
        "reason",
        "comparison",
        "decision",
        "person",
        "decided_by",
        "decided_at",
    ]
    exclude = ["data"]
    actions = ["same_person", "new_person"]
    #: The row's page offers the two decisions as buttons (instead of a "Save" that saves nothing).
    change_form_template = "imports/review_change_form.html"

    #: What the comparison shows: (key in the row's data, Person attribute, label).
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

    @admin.display(description=gettext_lazy("so sánh dòng nhập với hồ sơ có sẵn"))
    def comparison(self, obj: ImportReview):
        """The row as read next to the person on record, differences marked, so that the officer
        can tell whether they are the same person."""
        person, data = obj.candidate, obj.data or {}
        rows = []
        for key, attr, label in self.COMPARED:
            listed = data.get(key) or ""
            if key == "birth_date" and listed:
                listed = fmt_date(date.fromisoformat(listed))
            on_record = ""
            if attr:
                value = getattr(person, attr)
                on_record = value.strftime("%d/%m/%Y") if hasattr(value, "strftime") else (value or "")
            else:
                on_record = ", ".join(person.assignments.values_list("title__code", flat=True).distinct())
            differs = bool(listed) and bool(on_record) and str(listed) not in str(on_record)
            listed, on_record = _shown(key, listed), _shown(key, on_record)
            rows.append(
                format_html(
                    "<tr{}><th>{}</th><td>{}</td><td>{}</td></tr>",
                    mark_safe(' class="differs" style="background:#fde8e8"') if differs else "",
                    capfirst(label),
                    listed,
                    on_record,
                )
            )
        return format_html(
            '<table class="review-comparison"><thead><tr><th></th><th>{}</th><th>{}</th></tr></thead>'
            "<tbody>{}</tbody></table>",
            _("Dòng nhập"),
            _("Hồ sơ có sẵn"),
            mark_safe("".join(rows)),
        )

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The row's page; its "Là cùng một người" / "Là người khác" buttons take the decision
        as the list's actions do (once, by the officer who clicks first)."""
        chosen = {"_same_person": ReviewDecision.SAME_PERSON, "_new_person": ReviewDecision.NEW_PERSON}
        pressed = [d for name, d in chosen.items() if name in request.POST]
        if request.method == "POST" and pressed:
            review = self.get_object(request, object_id)
            if review is None or not self.has_change_permission(request, review):
                raise PermissionDenied
            self._decide(request, self.get_queryset(request).filter(pk=review.pk), pressed[0])
            return HttpResponseRedirect(request.path)
        return super().change_view(request, object_id, form_url, extra_context)

    def _decide(self, request, queryset, decision: str) -> None:
        done = 0
        for review in queryset.filter(decision=ReviewDecision.PENDING):
            try:
                services.apply_review(review, decision, request.user)
            except services.NotCommittable as refused:  # decided meanwhile by another officer
                messages.warning(request, _message(refused))
                continue
            done += 1
        messages.success(request, _("Đã xử lý %(n)s dòng.") % {"n": done})

    @admin.action(
        description=gettext_lazy("Là cùng một người: cập nhật vào hồ sơ có sẵn"), permissions=["change"]
    )
    def same_person(self, request, queryset):
        self._decide(request, queryset, ReviewDecision.SAME_PERSON)

    @admin.action(description=gettext_lazy("Là người khác: tạo hồ sơ mới"), permissions=["change"])
    def new_person(self, request, queryset):
        self._decide(request, queryset, ReviewDecision.NEW_PERSON)
