"""Vietnamese admin for training enrolments, scoped to the logged-in user."""

from django.contrib import admin

from canbo.common.admin import ScopedAdmin

from .models import Course, TrainingEnrolment


@admin.register(TrainingEnrolment)
class TrainingEnrolmentAdmin(ScopedAdmin):
    list_display = [
        "person",
        "course_name",
        "kind",
        "start",
        "end",
        "status",
        "funding",
        "service_commitment_months",
    ]
    list_filter = ["kind", "status", "funding"]
    search_fields = ["person__family_name", "person__given_name", "course_name"]
    folded_search_field = "person__name_folded"
    autocomplete_fields = ["person"]
    raw_id_fields = ["qualification"]
    date_hierarchy = "start"


@admin.register(Course)
class CourseAdmin(ScopedAdmin):
    list_display = [
        "code",
        "name",
        "kind",
        "target_level",
        "field_of_study",
        "months",
        "cost_vnd",
        "seats_per_year",
        "study_mode",
        "active",
    ]
    list_filter = ["kind", "target_dimension", "study_mode", "active"]
    search_fields = ["code", "name", "provider"]
