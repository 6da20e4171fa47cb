"""A unit's page: a commune's posts, holders, vacancies, surplus, people below standard; a district's or province's communes (issue 10 §1). PLACEHOLDER."""

from django.shortcuts import render

from canbo.registry.models import Unit
from canbo.web import bounds
from canbo.web.views.common import get_visible, page


@page("units")
def unit(request, pk: int):
    obj = get_visible(request, Unit.objects.all(), pk=pk)
    on = bounds.chosen_date(request)
    return render(request, "web/placeholder.html", {"title": obj.name, "on": on})
