"""Vietnamese admin for evaluations, inspections and discipline, scoped to the logged-in user."""

from django.contrib import admin

from canbo.common.admin import ScopedAdmin

from .models import Discipline, Evaluation, Inspection


@admin.register(Evaluation)
class EvaluationAdmin(ScopedAdmin):
    list_display = ["person", "year", "rating", "score"]
    list_filter = ["year", "rating"]
    search_fields = ["person__family_name", "person__given_name"]
    folded_search_field = "person__name_folded"
    autocomplete_fields = ["person"]


@admin.register(Inspection)
class InspectionAdmin(ScopedAdmin):
    list_display = ["person", "subject", "authority", "started_on", "concluded_on", "found_violation"]
    list_filter = ["found_violation"]
    search_fields = ["person__family_name", "person__given_name", "subject"]
    folded_search_field = "person__name_folded"
    autocomplete_fields = ["person"]


@admin.register(Discipline)
class DisciplineAdmin(ScopedAdmin):
    list_display = ["person", "track", "form", "severity", "decided_on", "authority", "decision_number"]
    list_filter = ["track", "form", "severity"]
    search_fields = ["person__family_name", "person__given_name", "decision_number"]
    folded_search_field = "person__name_folded"
    autocomplete_fields = ["person"]
    raw_id_fields = ["inspection"]
