"""Users: the administrator creates, edits, deactivates and reactivates accounts and resets
passwords (issue 10 §1, users). Page key ``users`` (:data:`canbo.access.scope.PAGES`: the roles
that may change records of kind ``users``); the accounts listed are those
:func:`canbo.access.scope.restrict` gives.

A new account and an account whose password was reset get a generated temporary password,
shown once on the answer to the POST (never stored in the session or a message), and
``must_change_password``: the user logs in at ``/login/`` at once and is sent to ``/password/``
first (:class:`canbo.web.middleware.PasswordChangeRequiredMiddleware`). Every change is kept in
the account's history (``User.history``), with who made it.
"""

from __future__ import annotations

from axes.utils import reset as axes_reset
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from canbo.access import scope
from canbo.access.models import Role, User
from canbo.web import bounds
from canbo.web.user_forms import AccountForm, NewAccountForm, search_units, temporary_password, unit_label
from canbo.web.views.common import get_visible, page

#: Fields of an account's history worth showing, with their labels.
HISTORY_FIELDS = {
    "first_name": gettext_lazy("Họ và tên"),
    "role": gettext_lazy("Vai trò"),
    "scope_unit": gettext_lazy("Đơn vị phạm vi"),
    "is_active": gettext_lazy("Đang hoạt động"),
    "must_change_password": gettext_lazy("Phải đổi mật khẩu"),
    "email": gettext_lazy("Thư điện tử"),
    "is_staff": gettext_lazy("Vào trang quản trị"),
}


def _accounts(request):
    return scope.restrict(User.objects.select_related("scope_unit"), request.user, scope.VIEW)


@page("users")
def users(request):
    """The accounts: username, name, role, scope unit, active, last login; search and filters."""
    q = bounds.query_text(request)
    qs = _accounts(request)
    if q:
        qs = qs.filter(
            Q(username__icontains=q)
            | Q(first_name__icontains=q)
            | Q(last_name__icontains=q)
            | Q(scope_unit__name__icontains=q)
        )
    role = request.GET.get("role", "")
    if role in Role.values:
        qs = qs.filter(role=role)
    else:
        role = ""
    active = request.GET.get("active", "")
    if active in ("1", "0"):
        qs = qs.filter(is_active=active == "1")
    else:
        active = ""
    paginator = Paginator(qs.order_by("-is_active", "username"), bounds.page_size(request))
    number = bounds.page_number(request)
    if number > max(paginator.num_pages, 1):
        raise bounds.BadInput(_("Không có trang %(n)s.") % {"n": number})
    return render(
        request,
        "web/users.html",
        {
            "page": paginator.page(number),
            "q": q,
            "role": role,
            "active": active,
            "roles": Role.choices,
            "may_add": scope.can(request.user, scope.ADD, User),
        },
    )


def _history(account: User) -> list[dict]:
    """The account's changes, newest first: when, who, and what changed from what to what."""
    records = list(
        account.history.select_related("history_user").order_by("-history_date", "-history_id")[:50]
    )
    unit_ids = {r.scope_unit_id for r in records if r.scope_unit_id}
    from canbo.registry.models import Unit

    units = {u.pk: u.name for u in Unit.objects.filter(pk__in=unit_ids)}
    roles = dict(Role.choices)
    rows = []
    for i, record in enumerate(records):
        older = records[i + 1] if i + 1 < len(records) else None
        changes = []
        if older is not None:
            delta = record.diff_against(older, included_fields=list(HISTORY_FIELDS))
            for change in delta.changes:
                changes.append(
                    {
                        "field": HISTORY_FIELDS[change.field],
                        "old": _show(change.field, change.old, units, roles),
                        "new": _show(change.field, change.new, units, roles),
                    }
                )
        if record.history_type == "~" and not changes and not record.history_change_reason:
            continue  # a login (last login is not recorded) or a save that changed nothing shown
        rows.append(
            {
                "at": record.history_date,
                "who": record.history_user.get_username() if record.history_user else "—",
                "kind": record.get_history_type_display(),
                "reason": record.history_change_reason or "",
                "changes": changes,
            }
        )
    return rows


def _show(field: str, value, units: dict, roles: dict) -> str:
    if value is None or value == "":
        return "—"
    if field == "scope_unit":
        return units.get(value, str(value))
    if field == "role":
        return str(roles.get(value, value))
    if isinstance(value, bool):
        return _("có") if value else _("không")
    return str(value)


@page("users")
def user_detail(request, pk: int):
    account = get_visible(request, User.objects.select_related("scope_unit"), scope.VIEW, pk=pk)
    return render(
        request,
        "web/users_detail.html",
        {
            "account": account,
            "scope_label": unit_label(account.scope_unit) if account.scope_unit_id else "",
            "history": _history(account),
            "may_change": scope.can(request.user, scope.CHANGE, account),
            "is_self": account.pk == request.user.pk,
        },
    )


def _password_page(request, account: User, password: str, new: bool):
    """The temporary password, shown once: the answer to the POST, not cached anywhere."""
    response = render(
        request,
        "web/users_password.html",
        {"account": account, "password": password, "new": new},
    )
    response["Cache-Control"] = "no-store"
    return response


def _offer_searched_units(request, form: AccountForm) -> None:
    """Without JavaScript the unit search is sent with the form: the page comes back with the
    units found offered in the select (the form is refused for want of a unit meanwhile)."""
    text = (request.POST.get("unit_q") or "").strip()
    if request.method == "POST" and text:
        if len(text) > bounds.MAX_QUERY or any(ord(c) < 32 for c in text):
            raise bounds.BadInput(_("Từ khóa tìm đơn vị không hợp lệ."))
        widget = form.fields["scope_unit"].widget
        widget.extra = search_units(text)


@never_cache
@page("users")
def user_new(request):
    if not scope.can(request.user, scope.ADD, User):
        raise PermissionDenied
    form = NewAccountForm(request.POST or None, acting=request.user)
    _offer_searched_units(request, form)
    if request.method == "POST" and form.is_valid():
        password = temporary_password(form.instance)
        try:
            with transaction.atomic():
                account = form.save(commit=False)
                account.set_password(password)
                account.must_change_password = True
                account.is_active = True
                account._change_reason = _("Tạo tài khoản")  # type: ignore[attr-defined]
                account.save()
                scope.ensure_in_scope(request.user, account, scope.ADD)
        except IntegrityError:
            form.add_error("username", _("Tên đăng nhập này vừa được người khác tạo; hãy chọn tên khác."))
        else:
            return _password_page(request, account, password, new=True)
    return render(request, "web/users_form.html", {"form": form, "account": None})


@never_cache
@page("users")
def user_edit(request, pk: int):
    account = get_visible(request, User.objects.select_related("scope_unit"), scope.CHANGE, pk=pk)
    form = AccountForm(request.POST or None, instance=account, acting=request.user)
    _offer_searched_units(request, form)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            account = form.save(commit=False)
            account._change_reason = _("Sửa tài khoản")  # type: ignore[attr-defined]
            account.save()
            scope.ensure_in_scope(request.user, account, scope.CHANGE)
        messages.success(request, _("Đã lưu tài khoản %(u)s.") % {"u": account.username})
        return redirect("web:user_detail", pk=account.pk)
    return render(request, "web/users_form.html", {"form": form, "account": account})


@require_POST
@page("users")
def user_active(request, pk: int):
    """Deactivate (``active=0``) or reactivate (``active=1``) an account."""
    account = get_visible(request, User.objects.all(), scope.CHANGE, pk=pk)
    wanted = request.POST.get("active")
    if wanted not in ("0", "1"):
        raise bounds.BadInput(_("Thiếu hoặc sai giá trị “active” (0 hoặc 1)."))
    if account.pk == request.user.pk:
        messages.error(request, _("Không thể tự khóa tài khoản của chính mình."))
        return redirect("web:user_detail", pk=account.pk)
    account.is_active = wanted == "1"
    account._change_reason = _("Mở lại tài khoản") if account.is_active else _("Khóa tài khoản")
    account.save(update_fields=["is_active"])
    if account.is_active:
        messages.success(request, _("Đã mở lại tài khoản %(u)s.") % {"u": account.username})
    else:
        messages.success(
            request,
            _("Đã khóa tài khoản %(u)s; người này không đăng nhập được nữa.") % {"u": account.username},
        )
    return redirect("web:user_detail", pk=account.pk)


@never_cache
@page("users")
def user_reset(request, pk: int):
    """Give the account a new temporary password; the user must change it at the next login.
    The login lock-out of the account (django-axes, every address) is lifted."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    account = get_visible(request, User.objects.all(), scope.CHANGE, pk=pk)
    if account.pk == request.user.pk:
        messages.error(request, _("Để đổi mật khẩu của chính mình, hãy dùng trang Đổi mật khẩu."))
        return redirect("web:user_detail", pk=account.pk)
    password = temporary_password(account)
    account.set_password(password)
    account.must_change_password = True
    account._change_reason = _("Đặt lại mật khẩu")
    account.save(update_fields=["password", "must_change_password"])
    # A user who forgot the password has usually locked themselves out: the reset lifts it.
    axes_reset(username=account.username)
    return _password_page(request, account, password, new=False)


@page("users")
def user_units(request):
    """The scope picker's search: ``<option>`` elements of the units matching ``?unit_q=``."""
    text = bounds.query_text(request, "unit_q")
    units = search_units(text)
    return render(
        request,
        "web/users_unit_options.html",
        {"units": [(u.pk, unit_label(u)) for u in units], "chosen": request.GET.get("scope_unit", "")},
    )
