"""Vietnamese admin for succession planning, scoped to the logged-in user."""

from django.contrib import admin

from canbo.common.admin import ScopedAdmin

from .models import SuccessionEntry


@admin.register(SuccessionEntry)
class SuccessionEntryAdmin(ScopedAdmin):
    list_display = [
        "person",
        "title",
        "unit",
        "term_start_year",
        "term_end_year",
        "tier",
        "added_on",
        "removed_on",
    ]
    list_filter = ["tier", "term_start_year", "removal_reason"]
    search_fields = ["person__family_name", "person__given_name", "title__name"]
    folded_search_field = "person__name_folded"
    autocomplete_fields = ["person", "title", "unit"]
