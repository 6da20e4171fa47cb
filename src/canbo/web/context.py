"""What every page of the web application shows around its content: the menu the user's role
may open, the user's unit and the bounds of the date picker."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from canbo.access import scope
from canbo.core.formatting import fmt_date
from canbo.web import bounds

#: The main menu: (page key, URL name, label).
MENU = [
    ("dashboard", "web:dashboard", _("Tổng quan")),
    ("people", "web:people", _("Cán bộ, công chức")),
    ("imports", "web:imports", _("Nhập danh sách")),
    ("reports", "web:reports", _("Báo cáo")),
    ("rules", "web:rules", _("Quy định")),
    ("training_plans", "web:training_plans", _("Kế hoạch đào tạo")),
    ("users", "web:users", _("Người dùng")),
    ("confirmations", "web:confirmations", pgettext_lazy("menu", "Xác nhận")),  # a page, not the button
    ("jobs", "web:jobs", _("Công việc")),
]


def web(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    path = request.path
    menu = []
    for key, name, label in MENU:
        if scope.may_open(user, key):
            url = reverse(name)
            active = path == url if url == "/" else path.startswith(url)
            menu.append({"url": url, "label": label, "active": active})
    return {
        "menu": menu,
        "date_min": fmt_date(bounds.MIN_DATE),
        "date_max": fmt_date(bounds.max_date()),
        "is_system_admin": scope.role_of(user) == "system_admin",
    }
