"""URL routes: the web application officers work in at ``/`` (:mod:`canbo.web.urls`); the
Vietnamese admin at ``/admin/``, for system administrators; the REST API at ``/api/``
(:mod:`canbo.api.main`, docs/api.md); ``/healthz`` for monitors."""

from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from canbo.api.main import api
from canbo.web.views import health

admin.site.site_header = _("canbo — Hồ sơ cán bộ, công chức cấp xã")
admin.site.site_title = "canbo"
admin.site.index_title = _("Quản lý hồ sơ")

urlpatterns = [
    path("admin/reports/", include("canbo.reports.urls")),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", api.urls),
    # For the proxy and monitors (docs/deploy.md): no login, no data.
    path("healthz", health.healthz, name="healthz"),
    path("", include("canbo.web.urls")),
]

handler400 = "canbo.web.errors.bad_request"
handler403 = "canbo.web.errors.permission_denied"
handler404 = "canbo.web.errors.page_not_found"
handler500 = "canbo.web.errors.server_error"
