"""The admin's side of row-level permissions: every ModelAdmin and inline of
canbo derives from these classes, which ask :mod:`canbo.access.scope` — and
nothing else — what the logged-in user may see and do."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import ForeignKeyRawIdWidget
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import router, transaction
from django.utils.text import capfirst
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import ModelChange
from simple_history.template_utils import HistoricalRecordContextHelper

from canbo.access import scope
from canbo.common.display import field_display, precision_field
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
            # Linking a record to a person's file writes to that file: the choices are the files
            # the user may change (a file only viewed — a post once held here — is not offered).
            # Units are chosen among those the user may view.
            action = (
                scope.CHANGE
                if scope.record_kind(related) == "records"
                and scope.allowed(request.user, scope.CHANGE, related)
                else scope.VIEW
            )
            kwargs["queryset"] = scope.restrict(related._default_manager.all(), request.user, action)
        if db_field.name in self.raw_id_fields and "widget" not in kwargs and "queryset" in kwargs:
            kwargs["widget"] = ScopedRawIdWidget(
                db_field.remote_field, self.admin_site, using=kwargs.get("using"), queryset=kwargs["queryset"]
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ScopedRawIdWidget(ForeignKeyRawIdWidget):
    """An ID field that shows the label of the object it names only if that object is among the
    field's choices (the user's scope): an id typed or put in the address (``?unit=123``) of
    an object outside the scope shows nothing of it (issue 10 §3)."""

    def __init__(self, rel, admin_site, attrs=None, using=None, *, queryset):
        super().__init__(rel, admin_site, attrs, using)
        self.queryset = queryset

    def label_and_url_for_value(self, value):
        key = self.rel.get_related_field().name
        try:
            known = self.queryset.filter(**{key: value}).exists()
        except (ValueError, TypeError, ValidationError):
            known = False
        if not known:
            return "", ""
        return super().label_and_url_for_value(value)


class ReadableHistory(HistoricalRecordContextHelper):
    """The changes on a record's history page as an officer reads them ("Dân tộc: Kinh → Nùng",
    "Số định danh cá nhân: (trống) → 020179001234", "Ngày sinh: 1979 → 15/03/1979"), not as
    stored ("01 → 07", "None → …", "1979-01-01 → 1979-03-15"): :func:`canbo.common.display.
    field_display`. A date's precision is written with the date, on its line."""

    def context_for_delta_changes(self, delta):
        self._delta = delta
        changed = {c.field for c in delta.changes}
        out = []
        for change in delta.changes:
            dated = self._date_of_precision(change.field)
            if dated is not None:
                if dated in changed:
                    continue  # shown on its date's line
                # Only the precision changed (1979 → 01/01/1979): show it on the date's line.
                change = ModelChange(
                    dated, getattr(delta.old_record, dated), getattr(delta.new_record, dated)
                )
            formatted = self.format_delta_change(change)
            out.append({"field": formatted.field, "old": formatted.old, "new": formatted.new})
        return out

    def _date_of_precision(self, name: str) -> str | None:
        """``birth_date`` for ``birth_date_precision`` (when the model has both), else None."""
        if not name.endswith("_precision"):
            return None
        dated = name.removesuffix("_precision")
        return dated if precision_field(self.model, dated) == name else None

    def format_delta_change(self, change):
        field = self.model._meta.get_field(change.field)
        if field.many_to_many:
            return super().format_delta_change(change)
        delta = self._delta
        precision = precision_field(self.model, change.field)
        old = field_display(
            field,
            change.old,
            precision=getattr(delta.old_record, precision) if precision else None,
        )
        new = field_display(
            field,
            change.new,
            precision=getattr(delta.new_record, precision) if precision else None,
        )
        old, new = self.stringify_delta_change_values(change, old, new)
        return dataclasses.replace(change, field=capfirst(field.verbose_name), old=old, new=new)


class ScopedAdmin(ScopedMixin, SimpleHistoryAdmin):
    """Base ModelAdmin: scoped, with the change history (who, when, before,
    after) of every record, and a search that ignores diacritics and case."""

    list_per_page = 50
    folded_search_field: str | None = None

    def get_historical_record_context_helper(self, request, historical_record):
        return ReadableHistory(self.model, historical_record)

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
