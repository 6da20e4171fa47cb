"""Structured logs with the user and the request on each line (issue 11 §4).

:class:`RequestLogMiddleware`, first of the middleware, gives each request an id (the
``X-Request-ID`` header a proxy sent, if it is a plain token, else a new one), answers it in
``X-Request-ID``, and writes one line per request on the ``canbo.request`` logger: method, path,
status, duration in milliseconds, user. :class:`RequestUserMiddleware`, after Django's
authentication, records who the user is. Both are kept in context variables for the request, so
:class:`RequestContextFilter` adds ``request_id`` and ``user`` to *every* line logged while the
request is handled — by canbo, Django or a library. (Code that authenticates otherwise, e.g. an
API token, calls :func:`set_user`.)

Nothing personal or secret is written: the path is logged without its query string (a search
for a person's name is in the query), no header, no body, no cookie, no address.

:class:`JsonFormatter` writes one JSON object per line (``CANBO_LOG_FORMAT=json``);
:class:`TextFormatter` a readable line. Both go to stderr (settings.LOGGING).
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from contextvars import ContextVar
from datetime import datetime

from django.http import HttpRequest, HttpResponseBase

_request_id: ContextVar[str] = ContextVar("canbo_request_id", default="")
_user: ContextVar[str] = ContextVar("canbo_user", default="")

access_log = logging.getLogger("canbo.request")

#: An incoming X-Request-ID is kept only if it is a short plain token (no spaces, quotes or
#: control characters that could forge a log line).
_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")


def set_user(username: str) -> None:
    """Name ``username`` as the user of the request being handled, in every later log line."""
    _user.set(username or "")


def current() -> tuple[str, str]:
    """The request id and the user of the request being handled (empty outside requests)."""
    return _request_id.get(), _user.get()


def _username(request) -> str:
    user = getattr(request, "user", None)
    if user is not None and getattr(user, "is_authenticated", False):
        return user.get_username()
    return ""


class RequestLogMiddleware:
    """The request id, and the access line when the answer is ready (see the module docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        id_token = _request_id.set(request_id)
        user_token = _user.set("")
        started = time.perf_counter()
        status = 500
        try:
            response = self.get_response(request)
            status = response.status_code
            response.headers.setdefault("X-Request-ID", request_id)
            return response
        finally:
            duration = (time.perf_counter() - started) * 1000
            user = _username(request) or _user.get()
            _user.set(user)
            level = logging.ERROR if status >= 500 else logging.WARNING if status >= 400 else logging.INFO
            access_log.log(
                level,
                "%s %s %s %.0fms",
                request.method,
                request.path,
                status,
                duration,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": status,
                    "duration_ms": round(duration, 1),
                },
            )
            _user.reset(user_token)
            _request_id.reset(id_token)


class RequestUserMiddleware:
    """After authentication: the user's name goes on the request's later log lines."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        _user.set(_username(request))
        return self.get_response(request)


class RequestContextFilter(logging.Filter):
    """Adds ``request_id`` and ``user`` (empty outside a request) to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = _request_id.get()
        if not hasattr(record, "user"):
            record.user = _user.get()
        return True


#: Fields of the access line, written when a record carries them.
_EXTRA = ("method", "path", "status", "duration_ms")


def _time(record: logging.LogRecord) -> str:
    return datetime.fromtimestamp(record.created).astimezone().isoformat(timespec="milliseconds")


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request_id, user, the access
    line's fields, and the traceback of an exception."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": _time(record),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "") or _request_id.get(),
            "user": getattr(record, "user", "") or _user.get(),
        }
        for key in _EXTRA:
            if hasattr(record, key):
                entry[key] = getattr(record, key)
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["exc"] = record.exc_text
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """``time LEVEL logger [request_id user] message`` (and the traceback below)."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s [%(canbo_context)s] %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        request_id = getattr(record, "request_id", "") or _request_id.get() or "-"
        user = getattr(record, "user", "") or _user.get() or "-"
        record.canbo_context = f"{request_id} {user}"
        return super().format(record)

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        return _time(record)
