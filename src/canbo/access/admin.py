"""Vietnamese admin for user accounts: only the system administrator manages them."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from canbo.common.admin import ScopedMixin

from .models import ApiToken, FileAccess, User


@admin.register(User)
class UserAdmin(ScopedMixin, DjangoUserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "scope_unit", "is_active"]
    list_filter = ["role", "is_active"]
    raw_id_fields = ["scope_unit"]
    # Django's own fieldsets are tuples; the stubs also allow a list or None.
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (_("Phân quyền canbo"), {"fields": ["role", "scope_unit"]}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (_("Phân quyền canbo"), {"fields": ["role", "scope_unit"]}),
    )


@admin.register(FileAccess)
class FileAccessAdmin(ScopedMixin, admin.ModelAdmin):
    """The log of reading personal data (who opened or exported which file, when, from where):
    read-only — nobody adds, changes or deletes an entry."""

    list_display = ["at", "username", "action", "person", "what", "address"]
    list_filter = ["action"]
    search_fields = ["username", "what"]
    date_hierarchy = "at"
    list_select_related = ["person"]
    readonly_fields = ["user", "username", "at", "action", "person", "what", "address"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Every user's tokens of the REST API, for the system administrator: who holds which token,
    when it was last used; read-only but for revoking (a leaked token). The tokens themselves are
    never stored, only their digest (not shown). Users create and revoke their own on the page
    *Mã truy cập API* of the web application."""

    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "expires_on", "revoked_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "user__username", "prefix"]
    list_select_related = ["user"]
    readonly_fields = ["user", "name", "prefix", "created_at", "last_used_at", "expires_on", "revoked_at"]
    exclude = ["digest"]
    actions = ["revoke"]

    def _admin(self, request) -> bool:
        from canbo.access import scope
        from canbo.access.models import Role

        return scope.role_of(request.user) == Role.SYSTEM_ADMIN

    def has_module_permission(self, request):
        return self._admin(request)

    def has_view_permission(self, request, obj=None):
        return self._admin(request)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Thu hồi các mã truy cập đã chọn"), permissions=["view"])
    def revoke(self, request, queryset):
        from canbo.access import tokens

        n = 0
        for token in queryset.filter(revoked_at__isnull=True):
            tokens.revoke(request.user, token)
            n += 1
        self.message_user(request, _("Đã thu hồi %(n)s mã truy cập.") % {"n": n})
