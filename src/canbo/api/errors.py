"""How the API answers what it refuses: always JSON ``{"detail": "<Vietnamese message>", …}``,
never an HTML page nor a stack trace (issue 11 "Bad input").

======  ==========================================================================================
status  when
======  ==========================================================================================
400     a value the pages would refuse too (a date outside 01/01/2005 … 31/12 of next year, a unit
        outside the scope in a filter, an unknown title code), an unreadable JSON body, a forged
        version token
401     no credentials, or a token that is forged, revoked, expired, or whose user is deactivated
403     the user's role may not do this (the same page table as the web app), or a session write
        without its CSRF token
404     no such record, or one outside the user's scope (not shown to exist — as the pages)
409     the record changed since its version was read (no lost update)
413     a body larger than ``DATA_UPLOAD_MAX_MEMORY_SIZE``
422     the body or a parameter does not fit the schema, or the record's own validation refuses it;
        ``errors`` lists each field with a Vietnamese message
428     a change without the version it is based on (``If-Match`` or ``version``)
======  ==========================================================================================
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any, cast

from django.core.exceptions import (
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as SchemaValidationError

from canbo.access.tokens import TokenRefused
from canbo.web.bounds import BadInput

log = logging.getLogger(__name__)


class Error(Schema):
    """Any refusal: what went wrong, in Vietnamese (English when the user chose English)."""

    detail: str


class FieldError(Schema):
    """One field's problem: where (``["body", "birth_date"]``, ``["query", "on"]``), the message,
    and a machine-readable kind."""

    loc: list[str | int]
    message: str
    type: str


class Invalid(Error):
    """422: the fields that were refused."""

    errors: list[FieldError]


class ApiError(Exception):
    """Answer ``status`` with ``{"detail": detail, **extra}``."""

    def __init__(self, status: int, detail: str, **extra: Any):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.extra = extra


#: The documented refusals of every operation (for the OpenAPI schema).
COMMON = {400: Error, 401: Error, 403: Error, 404: Error, 422: Invalid}


# --------------------------------------------------------------------------- schema errors in words


def _schema_message(error: dict) -> str:
    """A Vietnamese message for one pydantic error (its English text when the kind is rare)."""
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return _("Thiếu trường bắt buộc.")
    if kind == "extra_forbidden":
        return _("Trường này không có trong lược đồ (kiểm tra lại tên trường).")
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return _("Phải là một số nguyên.")
    if kind in ("bool_parsing", "bool_type"):
        return _("Phải là true hoặc false.")
    if kind in ("string_type", "string_unicode"):
        return _("Phải là một chuỗi ký tự.")
    if kind == "string_too_long":
        return _("Dài quá %(n)s ký tự.") % {"n": ctx.get("max_length", "?")}
    if kind == "string_too_short":
        return _("Ngắn hơn %(n)s ký tự.") % {"n": ctx.get("min_length", "?")}
    if kind == "string_pattern_mismatch":
        return _("Không đúng định dạng.")
    if kind.startswith(("date", "datetime")):
        return _("Phải là một ngày có thật, viết theo ISO 8601: YYYY-MM-DD (ví dụ 2025-07-01).")
    if kind in ("literal_error", "enum"):
        return _("Giá trị không hợp lệ; chỉ nhận: %(v)s.") % {"v": ctx.get("expected", "")}
    if kind in ("greater_than_equal", "greater_than"):
        return _("Phải lớn hơn hoặc bằng %(n)s.") % {"n": ctx.get("ge", ctx.get("gt", "?"))}
    if kind in ("less_than_equal", "less_than"):
        return _("Phải nhỏ hơn hoặc bằng %(n)s.") % {"n": ctx.get("le", ctx.get("lt", "?"))}
    if kind in ("model_attributes_type", "dict_type", "model_type"):
        return _("Phải là một đối tượng JSON.")
    if kind == "list_type":
        return _("Phải là một danh sách JSON.")
    if kind == "json_invalid":
        return _("Nội dung không phải JSON hợp lệ.")
    return str(error.get("msg", kind))


def _loc(raw) -> list[str | int]:
    loc = [p if isinstance(p, (str, int)) else str(p) for p in (raw or [])]
    # ninja places a body field under the name of the view's parameter, which is ``body`` in every
    # operation of canbo: ["body", "body", "birth_date"] reads ["body", "birth_date"].
    if loc[:2] == ["body", "body"]:
        del loc[1]
    return loc


def schema_errors(exc: SchemaValidationError) -> list[dict]:
    return [
        {"loc": _loc(e.get("loc")), "message": _schema_message(e), "type": str(e.get("type", ""))}
        for e in exc.errors
    ]


def form_errors(errors: Mapping[str, Any], prefix: str = "body") -> list[dict]:
    """A Django form's (or model's) ``errors`` as the API's field errors. ``__all__`` (a problem
    of the whole record) is located at the body itself."""
    out: list[dict] = []
    for name, messages in errors.items():
        loc: list[str | int] = [prefix] if name in ("__all__", "") else [prefix, name]
        out.extend({"loc": loc, "message": str(m), "type": "invalid"} for m in messages)
    return out


def invalid(errors: list[dict]) -> ApiError:
    return ApiError(422, _("Dữ liệu gửi lên không hợp lệ."), errors=errors)


# --------------------------------------------------------------------------- handlers


def install(api: NinjaAPI) -> None:
    """Register the handlers that make every refusal of ``api`` a JSON answer in Vietnamese."""

    def answer(request, status: int, body: dict, headers: dict | None = None):
        response = api.create_response(request, body, status=status)
        for k, v in (headers or {}).items():
            response[k] = v
        return response

    def on_api_error(request, exc: ApiError):
        return answer(request, exc.status, {"detail": exc.detail, **exc.extra})

    def on_token(request, exc: TokenRefused):
        return answer(request, 401, {"detail": exc.message}, {"WWW-Authenticate": 'Bearer realm="canbo"'})

    def on_authentication(request, exc: AuthenticationError):
        return answer(
            request,
            401,
            {
                "detail": _(
                    "Cần xác thực: gửi tiêu đề “Authorization: Bearer <mã truy cập>” (tạo mã ở trang "
                    "Mã truy cập API), hoặc đăng nhập trang web."
                )
            },
            {"WWW-Authenticate": 'Bearer realm="canbo"'},
        )

    def on_bad_input(request, exc: BadInput):
        return answer(request, 400, {"detail": exc.message})

    def on_denied(request, exc: PermissionDenied):
        return answer(
            request,
            403,
            {"detail": str(exc) or _("Tài khoản của bạn không được phép làm việc này.")},
        )

    def on_not_found(request, exc: Http404):
        return answer(
            request,
            404,
            {"detail": _("Không tìm thấy, hoặc bản ghi nằm ngoài phạm vi được phân quyền của bạn.")},
        )

    def on_schema(request, exc: SchemaValidationError):
        return answer(
            request, 422, {"detail": _("Dữ liệu gửi lên không hợp lệ."), "errors": schema_errors(exc)}
        )

    def on_http_error(request, exc: HttpError):
        if exc.status_code == 400 and str(exc).startswith("Cannot parse request body"):
            return answer(request, 400, {"detail": _("Nội dung gửi lên không phải JSON hợp lệ.")})
        if isinstance(exc, AuthenticationError):
            return on_authentication(request, exc)
        return answer(request, exc.status_code, {"detail": str(exc)})

    def on_model_validation(request, exc: DjangoValidationError):
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        return answer(
            request, 422, {"detail": _("Dữ liệu gửi lên không hợp lệ."), "errors": form_errors(errors)}
        )

    def on_suspicious(request, exc: SuspiciousOperation):
        if isinstance(exc, RequestDataTooBig):
            from django.conf import settings

            mb = round(settings.DATA_UPLOAD_MAX_MEMORY_SIZE / 1_048_576, 1)
            return answer(
                request, 413, {"detail": _("Dữ liệu gửi lên quá lớn (tối đa %(mb)s MB).") % {"mb": mb}}
            )
        if isinstance(exc, (TooManyFieldsSent, TooManyFilesSent)):
            return answer(request, 400, {"detail": _("Yêu cầu gửi lên quá nhiều trường dữ liệu.")})
        return answer(request, 400, {"detail": _("Yêu cầu gửi lên không đọc được.")})

    def on_anything(request, exc: Exception):
        log.exception("API %s %s failed", request.method, request.path)
        return answer(
            request,
            500,
            {
                "detail": _(
                    "Đã có lỗi khi xử lý yêu cầu; dữ liệu không bị thay đổi. Hãy thử lại hoặc báo quản trị hệ thống."
                )
            },
        )

    handlers: list[tuple[type[Exception], Any]] = [
        (Exception, on_anything),
        (ApiError, on_api_error),
        (TokenRefused, on_token),
        (HttpError, on_http_error),
        (AuthenticationError, on_authentication),
        (BadInput, on_bad_input),
        (PermissionDenied, on_denied),
        (Http404, on_not_found),
        (SchemaValidationError, on_schema),
        (DjangoValidationError, on_model_validation),
        (SuspiciousOperation, on_suspicious),
    ]
    for kind, handler in handlers:
        # Each handler takes its own kind of exception (narrower than ninja's annotation says).
        api.add_exception_handler(kind, cast(Any, handler))
