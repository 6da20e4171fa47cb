"""Vietnamese admin for user accounts: only the system administrator manages them."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from canbo.common.admin import ScopedMixin

from .models import FileAccess, User


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
