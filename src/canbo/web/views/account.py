"""Logging in and out, and the password change a new user must make first."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordChangeForm
from django.urls import reverse_lazy
from django.utils.translation import gettext as _


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    next_page = "web:login"


class PasswordChangeView(auth_views.PasswordChangeView):
    """Change one's password; clears the *must change* mark a new or reset account carries."""

    template_name = "web/password_change.html"
    form_class = PasswordChangeForm
    success_url = reverse_lazy("web:dashboard")

    def form_valid(self, form):
        response = super().form_valid(form)
        user = form.user
        if user.must_change_password:
            user.must_change_password = False
            user.save(update_fields=["must_change_password"])
        messages.success(self.request, _("Đã đổi mật khẩu."))
        return response
