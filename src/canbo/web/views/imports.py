"""Import: upload → preview → commit (issue 10 §1). PLACEHOLDER."""

from django.shortcuts import render

from canbo.web.views.common import page


@page("imports")
def imports(request):
    return render(request, "web/placeholder.html", {"title": "Nhập danh sách"})
