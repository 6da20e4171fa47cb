"""Reports: choose report, unit, date and format → download (issue 10 §1); a province's report is
a background job whose page shows its progress, then the file (issue 11 §2).

The same reports as ``canbo report`` and the admin's download page (:mod:`canbo.reports.services`
builds and renders them; :mod:`canbo.reports.views` offers the units). The units offered are
those of the user's scope, the user's own preselected; a unit outside it is 404; the date lies
within :mod:`canbo.web.bounds` (01/01/2005 … 31/12 of next year, else 400 with the message).
Every download is logged (:func:`canbo.web.views.common.log_access`): it lists people by name.
"""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from canbo.access import scope
from canbo.core.formatting import fmt_date
from canbo.jobs import services as jobs
from canbo.jobs.models import JobStatus
from canbo.registry.models import Unit
from canbo.reports import services
from canbo.reports.views import default_on, unit_choices
from canbo.web import bounds
from canbo.web.views.common import get_visible, log_access, page

log = logging.getLogger(__name__)

#: What each report is for, under its name on the form.
HINTS = {
    "quality": gettext_lazy(
        "Mỗi xã một dòng: tổng số, nữ, dân tộc thiểu số, đảng viên, độ tuổi, trình độ, kết quả đối chiếu "
        "tiêu chuẩn; kèm danh sách từng người được đếm."
    ),
    "staffing": gettext_lazy(
        "Định biên, hiện có, thừa, thiếu, chức danh còn trống, người chưa đạt chuẩn (yếu) với tiêu chuẩn "
        "chưa đạt và căn cứ; kèm danh sách từng người được đếm."
    ),
    "trend": gettext_lazy("Các chỉ tiêu chính vào 31/12 mỗi năm từ 2005 đến ngày báo cáo, có biểu đồ."),
}


def _units(request):
    return scope.restrict(Unit.objects.all(), request.user, scope.VIEW)


def _home(request) -> Unit | None:
    """The user's own unit, if it is in their scope (it is, unless the account is broken)."""
    if not request.user.scope_unit_id:
        return None
    return _units(request).filter(pk=request.user.scope_unit_id).first()


def _unit(request) -> Unit | None:
    """The unit asked for (``?unit=``): one of the user's scope, else 404; blank → None."""
    raw = (request.GET.get("unit") or "").strip()
    if not raw:
        return None
    pk = bounds.bounded_int(raw, 0, 1, 2_000_000_000, _("Đơn vị"))
    return get_visible(request, Unit.objects.all(), pk=pk)


@page("reports")
def reports(request):
    """The form: report, unit (the user's own preselected), date, format."""
    selected = _unit(request) or _home(request)
    on = bounds.chosen_date(request, default=default_on(selected))
    choices = unit_choices(_units(request), selected)
    context = {
        "reports": [(k, v, HINTS.get(k, "")) for k, v in services.REPORTS.items()],
        "formats": [(k, v[1]) for k, v in services.FORMATS.items()],
        "unit_groups": choices[1:],
        "selected": selected.pk if selected else None,
        "chosen_report": request.GET.get("report")
        if request.GET.get("report") in services.REPORTS
        else "quality",
        "chosen_format": request.GET.get("format")
        if request.GET.get("format") in services.FORMATS
        else "xlsx",
        "on_text": fmt_date(on),
    }
    return render(request, "web/reports.html", context)


@page("reports")
def download(request):
    """The report of the unit on the date, in the format asked — a job
    (:func:`canbo.jobs.services.submit_report`): a commune's or district's drawn up at once and
    answered with the file; a province's queued, answered with the job's page (its progress, then
    the file)."""
    name = request.GET.get("report") or ""
    if name not in services.REPORTS:
        raise bounds.BadInput(_("Hãy chọn một báo cáo trong danh sách."))
    fmt = request.GET.get("format") or "xlsx"
    if fmt not in services.FORMATS:
        raise bounds.BadInput(_("Định dạng “%(f)s” không có; hãy chọn xlsx hoặc pdf.") % {"f": fmt[:10]})
    unit = _unit(request)
    if unit is None:
        raise bounds.BadInput(_("Hãy chọn đơn vị của báo cáo."))
    on = bounds.parse_date(request.GET.get("on"), default_on(unit), _("Ngày báo cáo"))
    try:
        job = jobs.submit_report(request.user, report=name, unit=unit, on=on, fmt=fmt)
    except ValidationError as e:
        raise bounds.BadInput(e.messages[0]) from e
    if job.status != JobStatus.DONE or not job.result_file:
        return HttpResponseRedirect(reverse("web:job", args=[job.pk]))
    log_access(request, "report", what=f"{name} {fmt}: {unit.code} {unit.name}, {fmt_date(on)}")
    with job.result_file.open("rb") as fh:
        response = HttpResponse(fh.read(), content_type=services.FORMATS[fmt][0])
    response["Content-Disposition"] = f'attachment; filename="{job.result_name}"'
    return response
