"""Users: the administrator creates, deactivates and resets accounts (issue 10 §1). PLACEHOLDER."""

from django.shortcuts import render

from canbo.web.views.common import page


@page("users")
def users(request):
    return render(request, "web/placeholder.html", {"title": "Người dùng"})
