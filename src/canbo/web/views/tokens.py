"""A user's tokens of the REST API (issue 11 §3): list, create, revoke — at ``/account/tokens/``,
from the account menu at the top right. Page key ``api_tokens`` (every role: a token gives its
program exactly its user's permissions, nothing more).

A new token is shown once, on the answer to the POST that created it (never stored, never put in
the session or a message); only its SHA-256 digest is kept (:mod:`canbo.access.tokens`). Creating
and revoking are recorded in the token's history with who did it. A user sees and revokes only
their own tokens (another user's token answers 404).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from canbo.access import tokens
from canbo.access.models import ApiToken
from canbo.common.validators import plain_name
from canbo.web.forms import DayMonthYearField
from canbo.web.views.common import page


class TokenForm(forms.Form):
    """A new token: what it is for, and until when it works (optional)."""

    name = forms.CharField(
        label=gettext_lazy("Tên gợi nhớ"),
        max_length=100,
        validators=[plain_name],
        help_text=gettext_lazy("Chương trình nào dùng mã này, ví dụ “Phần mềm tổng hợp của Sở”."),
        widget=forms.TextInput(attrs={"size": 40}),
    )
    expires_on = DayMonthYearField(
        label=gettext_lazy("Hết hạn sau ngày"),
        required=False,
        future=True,
        help_text=gettext_lazy("dd/mm/yyyy; để trống nếu dùng đến khi thu hồi."),
    )


def _list(request, form: TokenForm, status: int = 200):
    mine = list(ApiToken.objects.filter(user=request.user).order_by("-created_at", "-pk"))
    return render(
        request,
        "web/tokens.html",
        {"form": form, "tokens": mine, "max_active": tokens.MAX_ACTIVE},
        status=status,
    )


@never_cache
@page("api_tokens")
@require_http_methods(["GET", "HEAD", "POST"])
def api_tokens(request):
    """The user's tokens, newest first, and the form to create one."""
    if request.method != "POST":
        return _list(request, TokenForm())
    form = TokenForm(request.POST)
    if form.is_valid():
        try:
            token, secret = tokens.create(
                request.user, form.cleaned_data["name"], form.cleaned_data["expires_on"]
            )
        except ValidationError as e:
            if hasattr(e, "error_dict"):
                for field, errors in e.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, e)
        else:
            return render(request, "web/token_created.html", {"token": token, "secret": secret}, status=201)
    return _list(request, form, status=400)


@page("api_tokens")
@require_POST
def api_token_revoke(request, pk: int):
    """Revoke one of the user's own tokens (404 for anyone else's)."""
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    was_revoked = token.revoked_at is not None
    tokens.revoke(request.user, token)
    if was_revoked:
        messages.info(request, _("Mã “%(name)s” đã bị thu hồi từ trước.") % {"name": token.name})
    else:
        messages.success(
            request,
            _("Đã thu hồi mã “%(name)s”: chương trình dùng mã này không gọi được API nữa.")
            % {"name": token.name},
        )
    return redirect("web:api_tokens")
