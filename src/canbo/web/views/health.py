"""``/healthz``: is this server up, and does it reach its database? For the reverse proxy, a
load balancer or a monitor (docs/deploy.md, "Monitoring"). No login and no data: ``200
{"status": "ok"}`` when the database answers a query, ``503 {"status": "unavailable"}`` when it
does not; never cached."""

from __future__ import annotations

from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


@never_cache
@require_safe
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
