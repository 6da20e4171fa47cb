"""Home = dashboard of the user's scope on a chosen date (issue 10 §1). PLACEHOLDER: replaced by the dashboard work."""

from django.shortcuts import render

from canbo.web import bounds
from canbo.web.views.common import page


@page("dashboard")
def dashboard(request):
    on = bounds.chosen_date(request)
    return render(request, "web/placeholder.html", {"title": "Tổng quan", "on": on})
