"""Import: upload → preview → commit (issue 10 §1), the user's batches, and the rows held for
review with their decision.

The flow is the admin's (:mod:`canbo.imports.flow` is shared by both): the file is kept and read
whole first — as a job (:mod:`canbo.jobs`): a small list at once, a large one in the background,
its page showing the progress, and so is the commit; the preview lists every problem by sheet, row and column, the rows per commune, the
changes old → new per person and field, the ID numbers restored and the qualification cells read
with low confidence; the commit writes exactly what the preview showed, and is refused when the
file or the records changed since. Permissions come from :mod:`canbo.access.scope` only: the
units offered and accepted are those of the user's scope; a batch or a review outside it is 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from canbo.access import scope
from canbo.imports import flow
from canbo.imports.models import BatchStatus, ImportBatch, ImportReview, ReviewDecision
from canbo.jobs import services as jobs
from canbo.jobs.models import JobStatus
from canbo.web import bounds
from canbo.web.views.common import get_visible, log_access, page

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: Batches and reviews per page of their lists.
PER_PAGE = 50
#: Room for the form's other fields and the multipart framing above the file's own size.
BODY_MARGIN = 64 * 1024


def _redirect(request, url: str) -> HttpResponse:
    """Go to ``url``: for an htmx request (the upload and commit forms, which show that the work
    is going on) by the ``HX-Redirect`` header, else by a plain redirect."""
    if getattr(request, "htmx", False):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url)


@page("imports")
def imports(request):
    """The batches of the user's scope, newest first, with their result."""
    batches = (
        scope.restrict(ImportBatch.objects.all(), request.user)
        .select_related("unit", "uploaded_by", "committed_by")
        .order_by("-uploaded_at", "-id")
    )
    mine = request.GET.get("mine") == "1"
    if mine:
        batches = batches.filter(uploaded_by=request.user)
    listing = Paginator(batches, PER_PAGE).get_page(bounds.page_number(request))
    pending = scope.restrict(ImportReview.objects.filter(decision=ReviewDecision.PENDING), request.user)
    return render(
        request,
        "web/imports.html",
        {"batches": listing, "mine": mine, "pending": pending.count(), "statuses": BatchStatus},
    )


@page("imports")
def upload(request):
    """The upload form (file, unit — the user's own preselected, only the units of the scope —
    and the list's date); a valid upload is kept, read and shown as its preview."""
    too_big = ""
    if request.method == "POST":
        # Refused before the body is read: a request larger than any accepted file.
        length = request.META.get("CONTENT_LENGTH") or "0"
        if length.isdigit() and int(length) > flow.max_bytes() + BODY_MARGIN:
            too_big = _("Tệp nặng %(s)s, vượt giới hạn %(l)s. Hãy chia danh sách thành nhiều tệp.") % {
                "s": filesizeformat(int(length)),
                "l": filesizeformat(flow.max_bytes()),
            }
    if request.method == "POST" and not too_big:
        form = flow.UploadForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            batch = flow.keep_upload(form, request.user)
            job = jobs.submit_import_preview(request.user, batch)
            # A small list is read at once: its preview; a large one: the job's progress.
            if job.status == JobStatus.DONE:
                return _redirect(request, reverse("web:import_batch", args=[batch.pk]))
            return _redirect(request, reverse("web:job", args=[job.pk]))
    else:
        form = flow.UploadForm(user=request.user)
    context = {
        "form": form,
        "too_big": too_big,
        "max_mb": flow.max_bytes() // 1048576,
        "template_form": flow.TemplateForm(user=request.user),
    }
    status = 413 if too_big else (400 if request.method == "POST" else 200)
    if getattr(request, "htmx", False) and request.method == "POST":
        return render(request, "web/import_upload_form.html", context, status=200)
    return render(request, "web/import_upload.html", context, status=status)


@page("imports")
def batch(request, pk: int):
    """A batch's preview (before the commit) or record (after): counts, problems, changes,
    doubts; the commit button when it may be committed."""
    obj = get_visible(
        request, ImportBatch.objects.select_related("unit", "uploaded_by", "committed_by"), pk=pk
    )
    context = flow.preview_context(
        obj,
        request.user,
        page=bounds.page_number(request),
        cpage=bounds.bounded_int(request.GET.get("cpage"), 1, 1, bounds.MAX_PAGE, _("Số trang")),
    )
    context["active_job"] = active = jobs.active_for_batch(obj)
    if active is not None:  # being read or written: no second commit
        context["can_commit"] = False
    if obj.changes:
        log_access(request, "view", what=f"import #{obj.pk}: {len(obj.changes)} thay đổi")
    return render(request, "web/import_batch.html", context)


@require_POST
@page("imports")
def commit(request, pk: int):
    """Write the batch as its preview showed it (the fingerprint posted with the form)."""
    obj = get_visible(request, ImportBatch.objects.all(), pk=pk)
    if not flow.may_import(request.user):
        raise PermissionDenied
    try:
        job = jobs.submit_import_commit(request.user, obj, request.POST.get("fingerprint"))
    except ValidationError as e:
        messages.warning(request, e.messages[0])
        return _redirect(request, reverse("web:import_batch", args=[obj.pk]))
    if not job.finished:  # a large list: written in the background, its progress shown
        return _redirect(request, reverse("web:job", args=[job.pk]))
    level = (job.result or {}).get("level") or ("error" if job.status == JobStatus.FAILED else "success")
    messages.add_message(request, getattr(messages, level.upper(), messages.INFO), job.message)
    return _redirect(request, reverse("web:import_batch", args=[obj.pk]))


@page("imports")
def batch_file(request, pk: int):
    """The file as uploaded (streamed from storage)."""
    obj = get_visible(request, ImportBatch.objects.all(), pk=pk)
    log_access(request, "export", what=f"import #{obj.pk}: {obj.original_name}")
    return FileResponse(obj.file.open("rb"), as_attachment=True, filename=obj.original_name)


@page("imports")
def template(request):
    """The template workbook of a unit of the user's scope."""
    form = flow.TemplateForm(request.GET or None, user=request.user)
    if not form.is_valid():
        raise bounds.BadInput(_("Hãy chọn một đơn vị trong phạm vi được phân quyền."))
    content, name = flow.template_workbook(form.cleaned_data["unit"])
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@page("imports")
def reviews(request):
    """The rows held for review in the user's scope (pending first), by batch if asked."""
    qs = scope.restrict(ImportReview.objects.all(), request.user).select_related(
        "batch", "unit", "candidate", "decided_by"
    )
    batch_id = bounds.bounded_int(request.GET.get("batch"), 0, 0, 2_000_000_000, _("Lần nhập"))
    if batch_id:
        qs = qs.filter(batch_id=batch_id)
    decision = request.GET.get("decision") or ""
    if decision in ReviewDecision.values:
        qs = qs.filter(decision=decision)
    listing = Paginator(qs.order_by("decision", "-batch_id", "row"), PER_PAGE).get_page(
        bounds.page_number(request)
    )
    return render(
        request,
        "web/import_reviews.html",
        {"reviews": listing, "batch_id": batch_id, "decision": decision, "decisions": ReviewDecision.choices},
    )


@page("imports")
def review(request, pk: int):
    """A row held for review next to the person on record; the two decisions as buttons."""
    obj = get_visible(
        request, ImportReview.objects.select_related("batch", "unit", "candidate", "decided_by"), pk=pk
    )
    if request.method == "POST":
        if not scope.can(request.user, scope.CHANGE, obj):
            raise PermissionDenied
        chosen = {"same_person": ReviewDecision.SAME_PERSON, "new_person": ReviewDecision.NEW_PERSON}
        decision = chosen.get(request.POST.get("decision") or "")
        if decision is None:
            raise bounds.BadInput(_("Hãy chọn “Là cùng một người” hoặc “Là người khác”."))
        done, refused = flow.decide(ImportReview.objects.filter(pk=obj.pk), decision, request.user)
        for message in refused:
            messages.warning(request, message)
        if done:
            messages.success(
                request, _("Đã xử lý dòng %(row)s: %(d)s.") % {"row": obj.row, "d": decision.label}
            )
        return HttpResponseRedirect(reverse("web:import_review", args=[obj.pk]))
    log_access(request, "view", person=obj.candidate, what=f"import #{obj.batch_id} dòng {obj.row}: so sánh")
    return render(
        request,
        "web/import_review.html",
        {
            "review": obj,
            "compared": flow.compare_review(obj),
            "can_decide": obj.decision == ReviewDecision.PENDING
            and scope.can(request.user, scope.CHANGE, obj),
        },
    )
