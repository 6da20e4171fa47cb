"""Report downloads, in the admin area (``/admin/reports/``): the form and the file."""

from django.contrib import admin
from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", admin.site.admin_view(views.download), name="download"),
]
