"""The people list: filters, diacritics-blind search, Vietnamese order, pages, xlsx export (issue 10 §1). PLACEHOLDER."""

from django.shortcuts import render

from canbo.web.views.common import page


@page("people")
def people(request):
    return render(request, "web/placeholder.html", {"title": "Cán bộ, công chức"})


@page("export")
def export(request):
    return render(request, "web/placeholder.html", {"title": "Xuất danh sách"})
