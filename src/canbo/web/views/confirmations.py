"""Posts to confirm (issue 10 §2): a province officer's list of the posts recorded by other
officers in units of their province, pending confirmation, with a confirm and a reject button.

Who may open it: :data:`canbo.access.scope.PAGES` ``confirmations``; which posts:
:func:`canbo.access.scope.posts_to_confirm`; what confirming does: :mod:`canbo.registry.services`.
The page shows, of each person, what the province needs to check the post against its own
records — name, birth date, the unit keeping the file and the post — not the rest of the file
(which opens to the province's officers once the post is confirmed).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from canbo.access import scope
from canbo.registry import services
from canbo.registry.models import Assignment
from canbo.web import bounds
from canbo.web.views.common import log_access, page

PAGE_SIZE = 50


def _recorded_by(posts: list[Assignment]) -> dict[int, object]:
    """Who recorded each post and when: its first history row (one query)."""
    first: dict[int, object] = {}
    rows = (
        Assignment.history.filter(id__in=[p.pk for p in posts], history_type="+")
        .select_related("history_user")
        .order_by("history_date")
    )
    for row in rows:
        first.setdefault(row.id, row)
    return first


@page("confirmations")
@require_http_methods(["GET", "POST"])
def confirmations(request):
    if request.method == "POST":
        return _decide(request)
    pending = (
        scope.posts_to_confirm(request.user)
        .select_related("person", "person__managing_unit", "unit", "title")
        .order_by("person__managing_unit__name", "person__sort_name", "start", "pk")
    )
    number = bounds.page_number(request)
    paginator = Paginator(pending, PAGE_SIZE)
    if number > max(paginator.num_pages, 1):
        raise bounds.BadInput(_("Số trang phải từ 1 đến %(n)s.") % {"n": max(paginator.num_pages, 1)})
    current = paginator.page(number)
    posts = list(current.object_list)
    recorded = _recorded_by(posts)
    rows = [{"post": p, "recorded": recorded.get(p.pk)} for p in posts]
    if posts:
        log_access(request, "view", what=_("Danh sách quá trình công tác chờ xác nhận") + f" ({len(posts)})")
    return render(
        request,
        "web/confirmations.html",
        {"rows": rows, "page_obj": current, "total": paginator.count},
    )


def _decide(request):
    action = request.POST.get("action", "")
    raw = (request.POST.get("post") or "").strip()
    if action not in ("confirm", "reject") or not raw.isdigit() or len(raw) > 12:
        raise bounds.BadInput(_("Yêu cầu xác nhận không hợp lệ."))
    post = (
        scope.posts_to_confirm(request.user)
        .select_related("unit", "person", "title")
        .filter(pk=int(raw))
        .first()
    )
    if post is None:
        # Already decided (by another officer, a second click), or never theirs to decide — the
        # latter is not shown to exist.
        unit_id = Assignment.objects.filter(pk=int(raw)).values_list("unit_id", flat=True).first()
        if unit_id is not None and scope.may_confirm(request.user, unit_id):
            messages.warning(request, _("Quá trình công tác này đã được xử lý."))
            return redirect("web:confirmations")
        raise Http404
    try:
        if action == "confirm":
            services.confirm_post(request.user, post)
            messages.success(
                request,
                _("Đã xác nhận: %(p)s — %(t)s, %(u)s.")
                % {"p": post.person.full_name, "t": post.title.name, "u": post.unit.name},
            )
        else:
            services.reject_post(request.user, post)
            messages.success(
                request,
                _("Đã không xác nhận và xóa: %(p)s — %(t)s, %(u)s.")
                % {"p": post.person.full_name, "t": post.title.name, "u": post.unit.name},
            )
    except ValidationError as e:
        messages.warning(request, " ".join(e.messages))
    return redirect("web:confirmations")
