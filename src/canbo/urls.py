"""URL routes: for now the Vietnamese admin is the data-entry interface."""

from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

admin.site.site_header = _("canbo — Hồ sơ cán bộ, công chức cấp xã")
admin.site.site_title = "canbo"
admin.site.index_title = _("Quản lý hồ sơ")

urlpatterns = [
    path("", RedirectView.as_view(url="/admin/", permanent=False)),
    path("admin/reports/", include("canbo.reports.urls")),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]
