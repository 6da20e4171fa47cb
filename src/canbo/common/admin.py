"""The admin's side of row-level permissions: every ModelAdmin and inline of
canbo derives from these classes, which ask :mod:`canbo.access.scope` — and
nothing else — what the logged-in user may see and do."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import router, transaction
from simple_history.admin import SimpleHistoryAdmin

from canbo.access import scope
from canbo.core.text import fold

if TYPE_CHECKING:
    from django.contrib.admin.options import BaseModelAdmin

    _AdminBase = BaseModelAdmin[Any]
else:
    _AdminBase = object  # a mixin: the admin class it is mixed into comes after it


class ScopedMixin(_AdminBase):
    """Queryset, permissions and foreign-key choices restricted to the user's scope."""

    def get_queryset(self, request):
        return scope.restrict(super().get_queryset(request), request.user, scope.VIEW)

    def has_module_permission(self, request):
        return scope.allowed(request.user, scope.VIEW, self.model)

    def has_view_permission(self, request, obj=None):
        return scope.allowed(request.user, scope.VIEW, self.model) and (
            obj is None or scope.can(request.user, scope.VIEW, obj)
        )

    def has_add_permission(self, request, obj=None):
        return scope.allowed(request.user, scope.ADD, self.model)

    def has_change_permission(self, request, obj=None):
        return scope.allowed(request.user, scope.CHANGE, self.model) and (
            obj is None or scope.can(request.user, scope.CHANGE, obj)
        )

    def has_delete_permission(self, request, obj=None):
        return scope.allowed(request.user, scope.DELETE, self.model) and (
            obj is None or scope.can(request.user, scope.DELETE, obj)
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        related = db_field.remote_field.model
        if "queryset" not in kwargs and scope.record_kind(related) in {"records", "units"}:
            kwargs["queryset"] = scope.restrict(related._default_manager.all(), request.user, scope.VIEW)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ScopedAdmin(ScopedMixin, SimpleHistoryAdmin):
    """Base ModelAdmin: scoped, with the change history (who, when, before,
    after) of every record, and a search that ignores diacritics and case."""

    list_per_page = 50
    folded_search_field: str | None = None

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # Re-check inside the admin's transaction: a write that leaves the
        # user's scope is rolled back.
        scope.ensure_in_scope(request.user, obj, scope.CHANGE)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # django-simple-history's "revert to this version" form saves without
        # asking has_change_permission, and outside a transaction (so the
        # re-check in save_model could not roll the write back): ask here and
        # wrap the view in one transaction, as the change form is.
        if request.method == "POST":
            obj = self.get_object(request, unquote(object_id))
            if obj is None or not self.has_change_permission(request, obj):
                raise PermissionDenied
        with transaction.atomic(using=router.db_for_write(self.model)):
            return super().history_form_view(request, object_id, version_id, extra_context)

    def get_search_results(self, request, queryset, search_term):
        if self.folded_search_field and search_term:
            term = fold(search_term)
            by_name = queryset.filter(**{f"{self.folded_search_field}__contains": term})
            rest, _ = super().get_search_results(request, queryset, search_term)
            return (by_name | rest).distinct(), True
        return super().get_search_results(request, queryset, search_term)


class ScopedInline(ScopedMixin, admin.TabularInline):
    extra = 0
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return scope.allowed(request.user, scope.ADD, self.model) and (
            obj is None or scope.can(request.user, scope.CHANGE, obj)
        )
