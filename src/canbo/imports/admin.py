"""The admin pages of an import: upload → preview (every problem by sheet, row, column) →
commit; the template workbook; and the rows held for review.

Permissions come from :mod:`canbo.access.scope` only: a user uploads for a unit of their scope,
sees the batches of their scope, and commits only when they may add and change personal
records. Reading and committing are jobs (:mod:`canbo.jobs`): a small list at once, a large one
in the background, its progress on the web application's job page; every row's commune is checked against the same scope while matching
(:func:`canbo.imports.services.prepare`).
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from canbo.access import scope
from canbo.common.admin import ScopedAdmin
from canbo.core.formatting import fmt_date

from . import flow
from .flow import (  # noqa: F401 (re-exported: the admin's own names, used by tests)
    DOUBTS,
    MAX_LISTED_UNITS,
    TemplateForm,
    UnitChoiceField,
    UploadForm,
    units_for,
)
from .models import ImportBatch, ImportReview, ReviewDecision

#: Page sizes of the preview (module attributes, read at each request).
PROBLEMS_PER_PAGE = flow.PROBLEMS_PER_PAGE
CHANGES_PER_PAGE = flow.CHANGES_PER_PAGE
DOUBT_ROWS_SHOWN = flow.DOUBT_ROWS_SHOWN


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
        return flow.may_import(request.user)

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
            from canbo.jobs import services as jobs

            batch = flow.keep_upload(form, request.user)
            job = jobs.submit_import_preview(request.user, batch)
            if not job.finished:  # a large list is read in the background: the job's page
                return HttpResponseRedirect(reverse("web:job", args=[job.pk]))
            return HttpResponseRedirect(reverse("admin:imports_importbatch_change", args=[batch.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Nhập danh sách cán bộ, công chức từ Excel"),
            "form": form,
            "opts": self.model._meta,
            "template_form": TemplateForm(user=request.user),
            "max_mb": flow.max_bytes() // 1048576,
        }
        return TemplateResponse(request, "imports/upload.html", context)

    # ------------------------------------------------------------------ preview

    def change_view(self, request, object_id, form_url="", extra_context=None):
        batch = self.get_object(request, object_id)
        if batch is None or not self.has_view_permission(request, batch):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": _("Lần nhập #%(id)s: %(name)s") % {"id": batch.pk, "name": batch.original_name},
            "opts": self.model._meta,
            "original": batch,
            **flow.preview_context(
                batch,
                request.user,
                page=request.GET.get("page"),
                cpage=request.GET.get("cpage"),
                problems_per_page=PROBLEMS_PER_PAGE,
                changes_per_page=CHANGES_PER_PAGE,
                doubt_rows=DOUBT_ROWS_SHOWN,
            ),
        }
        return TemplateResponse(request, "imports/batch_preview.html", context)

    def commit_view(self, request, pk):
        batch = get_object_or_404(scope.restrict(ImportBatch.objects.all(), request.user), pk=pk)
        if request.method != "POST" or not self.has_add_permission(request):
            raise PermissionDenied
        from canbo.jobs import services as jobs

        try:
            job = jobs.submit_import_commit(request.user, batch, request.POST.get("fingerprint"))
        except ValidationError as e:
            messages.warning(request, e.messages[0])
        else:
            if not job.finished:  # a large list is written in the background: the job's page
                return HttpResponseRedirect(reverse("web:job", args=[job.pk]))
            level = (job.result or {}).get("level") or "error"
            messages.add_message(request, getattr(messages, level.upper(), messages.INFO), job.message)
        return HttpResponseRedirect(reverse("admin:imports_importbatch_change", args=[batch.pk]))

    def file_view(self, request, pk):
        batch = get_object_or_404(scope.restrict(ImportBatch.objects.all(), request.user), pk=pk)
        # Streamed from storage, not read into memory.
        return FileResponse(batch.file.open("rb"), as_attachment=True, filename=batch.original_name)

    def template_view(self, request):
        form = TemplateForm(request.GET or None, user=request.user)
        if not form.is_valid():
            raise PermissionDenied
        content, name = flow.template_workbook(form.cleaned_data["unit"])
        response = HttpResponse(
            content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


_message = flow.refusal_message


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

    @admin.display(description=gettext_lazy("so sánh dòng nhập với hồ sơ có sẵn"))
    def comparison(self, obj: ImportReview):
        """The row as read next to the person on record, differences marked, so that the officer
        can tell whether they are the same person."""
        rows = [
            format_html(
                "<tr{}><th>{}</th><td>{}</td><td>{}</td></tr>",
                mark_safe(' class="differs"') if c.differs else "",
                c.label,
                c.listed,
                c.on_record,
            )
            for c in flow.compare_review(obj)
        ]
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
        done, refused = flow.decide(queryset, decision, request.user)
        for message in refused:  # decided meanwhile by another officer
            messages.warning(request, message)
        messages.success(request, _("Đã xử lý %(n)s dòng.") % {"n": done})

    @admin.action(
        description=gettext_lazy("Là cùng một người: cập nhật vào hồ sơ có sẵn"), permissions=["change"]
    )
    def same_person(self, request, queryset):
        self._decide(request, queryset, ReviewDecision.SAME_PERSON)

    @admin.action(description=gettext_lazy("Là người khác: tạo hồ sơ mới"), permissions=["change"])
    def new_person(self, request, queryset):
        self._decide(request, queryset, ReviewDecision.NEW_PERSON)
