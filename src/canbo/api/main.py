"""The one ``NinjaAPI`` of canbo, mounted at ``/api/`` (:mod:`canbo.urls`).

It assembles the routers the apps keep in their ``api.py`` (DESIGN.md: each app the same
skeleton). Every operation requires a user (:data:`canbo.api.auth.AUTH`: a token, or the web
session); the schema (``/api/openapi.json``, OpenAPI 3.1) and its documentation page
(``/api/docs``, Swagger UI served from django-ninja's own static files: no CDN, works on an
intranet without internet) are open, they hold no data.

URL layout (docs/api.md): collections end with ``/`` (``/api/people/``), one record does not
(``/api/people/{id}``); what belongs to a record hangs below it (``/api/people/{id}/findings``,
``/api/units/{id}/staffing``). Long work becomes a job: ``POST /api/reports/`` and
``POST /api/imports/`` answer 202 with the job, ``GET /api/jobs/{id}`` its progress and result
(:mod:`canbo.jobs.api`).
"""

from __future__ import annotations

from ninja import NinjaAPI
from ninja.openapi.docs import Swagger
from ninja.renderers import JSONRenderer

from canbo.access.api import router as access_router
from canbo.api import errors
from canbo.api.auth import AUTH
from canbo.jobs.api import router as jobs_router
from canbo.registry.api import router as registry_router
from canbo.standards.api import router as standards_router
from canbo.training.api import router as training_router

DESCRIPTION = """\
API của canbo: hồ sơ cán bộ, công chức cấp xã, đối chiếu tiêu chuẩn, thừa – thiếu – yếu.

**Xác thực.** Tiêu đề `Authorization: Bearer <mã truy cập>` (tạo, thu hồi mã ở trang
*Mã truy cập API* của ứng dụng web), hoặc phiên đăng nhập trang web (thay đổi cần mã CSRF;
trang này tự gửi). Quyền đúng như các trang web: cùng vai trò, cùng phạm vi.

**Ngày** viết theo ISO 8601 (`YYYY-MM-DD`), từ 2005-01-01 đến 31/12 năm sau.
**Lỗi**: JSON `{"detail": "…"}` bằng tiếng Việt. Hướng dẫn đầy đủ: `docs/api.md`.

*canbo's REST API. Authenticate with a personal access token (Bearer) or the web session; the
same permissions as the web pages; ISO 8601 dates; errors are JSON with a Vietnamese `detail`.*
"""


class Utf8JSON(JSONRenderer):
    """JSON in UTF-8 as it is (``"Xã Đồng Đăng"``, not ``"X\\u00e3 \\u0110…"``): readable in a
    terminal, and smaller."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    title="canbo API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    auth=AUTH,
    renderer=Utf8JSON(),
    # Swagger UI from the package's static files ("ninja" in INSTALLED_APPS); no call to the
    # public validator of swagger.io (its default), nothing from the internet.
    docs=Swagger(settings={"validatorUrl": None, "persistAuthorization": False, "tryItOutEnabled": False}),
)
errors.install(api)
api.add_router("/", access_router)
api.add_router("/", registry_router)
api.add_router("/", standards_router)
api.add_router("/", jobs_router)
api.add_router("/", training_router)
