"""Reports: choose report, unit, date → download (issue 10 §1). PLACEHOLDER."""

from django.shortcuts import render

from canbo.web.views.common import page


@page("reports")
def reports(request):
    return render(request, "web/placeholder.html", {"title": "Báo cáo"})
