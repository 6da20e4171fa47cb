"""The jobs in the admin, for the system administrator: read-only (a job is the record of a
request; it is asked for, cancelled and run again from the web application's pages)."""

from django.contrib import admin

from canbo.access import scope
from canbo.access.models import Role

from .models import Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["id", "kind", "user", "unit", "status", "step", "attempts", "created_at", "finished_at"]
    list_filter = ["status", "kind"]
    search_fields = ["message", "step", "task_id", "user__username"]
    date_hierarchy = "created_at"
    list_select_related = ["user", "unit"]
    readonly_fields = [f.name for f in Job._meta.fields]

    def has_module_permission(self, request):
        return scope.role_of(request.user) == Role.SYSTEM_ADMIN

    def has_view_permission(self, request, obj=None):
        return scope.role_of(request.user) == Role.SYSTEM_ADMIN

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
