"""A person's page and its editing (issue 10 §1). PLACEHOLDER."""

from django.shortcuts import render

from canbo.registry.models import Person
from canbo.web.views.common import get_visible, page


@page("person")
def person(request, pk: int):
    obj = get_visible(request, Person.objects.all(), pk=pk)
    return render(request, "web/placeholder.html", {"title": str(obj)})


@page("person_edit")
def person_edit(request, pk: int):
    obj = get_visible(request, Person.objects.all(), action="change", pk=pk)
    return render(request, "web/placeholder.html", {"title": str(obj)})
