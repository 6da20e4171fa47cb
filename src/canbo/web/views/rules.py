"""Rules: the rule sets by instrument and the province's own decisions (issue 10 §1). PLACEHOLDER."""

from django.shortcuts import render

from canbo.web.views.common import page


@page("rules")
def rules(request):
    return render(request, "web/placeholder.html", {"title": "Quy định"})
