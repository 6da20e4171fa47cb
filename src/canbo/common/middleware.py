"""Vietnamese first (DESIGN principle 8): the interface speaks Vietnamese
unless the user has chosen another language (the ``django_language``
cookie set by ``/i18n/setlang/``); the browser's Accept-Language is ignored,
so an English-language browser in a commune office still sees Vietnamese."""

import os
import time

from django.conf import settings
from django.db import connection
from django.utils import translation


class VietnameseFirstLocaleMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.available = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.available else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response


class ServerTimingMiddleware:
    """``Server-Timing`` of each response, for measuring (bench/web.py, docs/performance.md): the
    time spent in the database while the request was handled — every query of the default
    connection, summed through :meth:`connection.execute_wrapper` — and the whole time of the
    request in the server, and the id of the server process that answered (several worker
    processes each keep their own cache): ``Server-Timing: db;dur=12.3;desc="8 queries",
    total;dur=45.6, process;desc="4242"`` (milliseconds).

    Off by default: listed in ``MIDDLEWARE`` always, it takes itself out at start-up
    (:class:`~django.core.exceptions.MiddlewareNotUsed`) unless ``CANBO_SERVER_TIMING=1``
    (settings ``CANBO_SERVER_TIMING``). When on, it only adds that header: the queries run as
    they would, and their results are passed on untouched."""

    def __init__(self, get_response):
        from django.core.exceptions import MiddlewareNotUsed

        if not getattr(settings, "CANBO_SERVER_TIMING", False):
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request):
        spent = [0.0, 0]

        def timed(execute, sql, params, many, context):
            t0 = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                spent[0] += time.perf_counter() - t0
                spent[1] += 1

        t0 = time.perf_counter()
        with connection.execute_wrapper(timed):
            response = self.get_response(request)
        total = time.perf_counter() - t0
        response.headers["Server-Timing"] = (
            f'db;dur={spent[0] * 1000:.1f};desc="{spent[1]} queries", total;dur={total * 1000:.1f}, '
            f'process;desc="{os.getpid()}"'
        )
        return response
