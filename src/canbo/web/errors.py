"""Error pages in Vietnamese, styled, with a way back (issue 10 §1): 400 (bad input), 403, 404,
500, CSRF failure and the login lock-out of django-axes; 413 for a body larger than anything
accepted (issue 11).

:class:`BadInputMiddleware` turns :class:`canbo.web.bounds.BadInput` raised by any view into a 400
page naming what was wrong (JSON for a request that asks for JSON).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from canbo.web.bounds import BadInput


def _page(request, status: int, title: str, message: str) -> HttpResponse:
    wants_json = "application/json" in request.headers.get("Accept", "")
    if wants_json:
        return JsonResponse({"error": title, "detail": message}, status=status)
    return render(
        request,
        "web/error.html",
        {"status": status, "title": title, "message": message},
        status=status,
    )


class BadInputMiddleware:
    """A view that raised :class:`BadInput` answers 400 with its message."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, BadInput):
            return _page(request, 400, _("Yêu cầu không hợp lệ"), exception.message)
        return None


def bad_request(request, exception=None):
    if isinstance(exception, RequestDataTooBig):
        message = _("Dữ liệu gửi lên quá lớn (tối đa %(mb)s MB); hãy gửi ít dữ liệu hơn.") % {
            "mb": round(settings.DATA_UPLOAD_MAX_MEMORY_SIZE / 1_048_576, 1)
        }
    elif isinstance(exception, (TooManyFieldsSent, TooManyFilesSent)):
        message = _("Yêu cầu gửi lên quá nhiều trường dữ liệu.")
    else:
        message = _("Yêu cầu gửi lên không đọc được.")
    return _page(request, 400, _("Yêu cầu không hợp lệ"), message)


def permission_denied(request, exception=None):
    # A refusal that says why (a job for a unit outside the scope: canbo.jobs.services.JobRefused).
    reason = getattr(exception, "message", None)
    return _page(
        request,
        403,
        _("Không có quyền truy cập"),
        reason
        if isinstance(reason, str) and reason
        else _("Tài khoản của bạn không được phép mở trang này hoặc xem hồ sơ này."),
    )


def page_not_found(request, exception=None):
    return _page(
        request,
        404,
        _("Không tìm thấy trang"),
        _("Trang hoặc hồ sơ bạn tìm không có, hoặc nằm ngoài phạm vi được phân quyền của bạn."),
    )


def server_error(request):
    return _page(
        request,
        500,
        _("Lỗi hệ thống"),
        _("Đã có lỗi khi xử lý yêu cầu; dữ liệu không bị thay đổi. Hãy thử lại hoặc báo quản trị hệ thống."),
    )


def csrf_failure(request, reason=""):
    return _page(
        request,
        403,
        _("Phiên làm việc đã hết hạn"),
        _(
            "Biểu mẫu gửi lên thiếu mã bảo vệ hoặc mã đã hết hạn (CSRF); không có gì được ghi. "
            "Hãy tải lại trang rồi gửi lại."
        ),
    )


def locked_out(request, credentials=None, *args, **kwargs):
    """django-axes: too many failed logins from this account and address."""
    return _page(
        request,
        429,
        _("Tạm khóa đăng nhập"),
        _(
            "Đăng nhập sai quá nhiều lần; tài khoản này tạm bị khóa đăng nhập từ máy này trong 1 giờ. "
            "Người khác vẫn đăng nhập bình thường. Nếu quên mật khẩu, hãy nhờ quản trị hệ thống đặt lại."
        ),
    )


class RequestTooLargeMiddleware:
    """A request whose announced body is larger than anything canbo accepts (the largest import
    file and a margin, ``CANBO_MAX_REQUEST_BYTES``) is answered 413 at once, in Vietnamese,
    before any middleware reads the body (issue 11, bad input): no upload of gigabytes is
    streamed to disk only to be refused. Smaller bodies keep their own, finer limits (the form
    fields' 2.5 MB, the import file's size).

    Whatever the answer, the part of the body nobody read (a form refused as too large before it
    was read, an upload refused on its length, a POST sent to the login page) is read and thrown
    away before the answer leaves — up to :data:`DRAIN_LIMIT` or twice the limit: a server that
    closes the connection while the browser is still sending makes the browser show "connection
    reset" instead of the Vietnamese page."""

    #: At least this much of an unread body is drained (more if CANBO_MAX_REQUEST_BYTES is larger).
    DRAIN_LIMIT = 64 * 1024 * 1024

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        length = request.META.get("CONTENT_LENGTH") or ""
        limit = settings.CANBO_MAX_REQUEST_BYTES
        if length.isdigit() and int(length) > limit:
            response = _page(
                request,
                413,
                _("Dữ liệu gửi lên quá lớn"),
                _("Yêu cầu nặng %(size)s, vượt giới hạn %(limit)s; không có gì được ghi.")
                % {"size": filesizeformat(int(length)), "limit": filesizeformat(limit)},
            )
        else:
            response = self.get_response(request)
        self._drain(request, max(self.DRAIN_LIMIT, 2 * limit))
        return response

    @staticmethod
    def _drain(request, most: int) -> None:
        length = request.META.get("CONTENT_LENGTH") or ""
        if not length.isdigit() or int(length) == 0 or int(length) > most or hasattr(request, "_body"):
            return  # no body, too much of it, or read already
        try:
            while request.read(1024 * 1024):
                pass
        except (OSError, ValueError):  # the client went away, or the body was parsed already
            pass
