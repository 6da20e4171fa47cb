"""The ``Server-Timing`` header for measuring (``CANBO_SERVER_TIMING=1``, bench/web.py,
docs/performance.md): off by default; when on, it reports every query the request made and the
time they took, and changes nothing else of the response."""

from __future__ import annotations

import os
import re

from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse


def _client(world) -> Client:
    # A new client loads the middleware again: the setting is read when the handler starts.
    client = Client()
    client.force_login(world.users["province"], backend="django.contrib.auth.backends.ModelBackend")
    return client


def _body(response) -> str:
    # The CSRF token (forms, htmx headers) differs from one response to the next; nothing else may.
    return re.sub(r"\b[A-Za-z0-9]{64}\b", "<token>", response.content.decode())


def test_off_by_default(world):
    from django.conf import settings

    assert settings.CANBO_SERVER_TIMING is (os.environ.get("CANBO_SERVER_TIMING") == "1")
    with override_settings(CANBO_SERVER_TIMING=False):
        response = _client(world).get(reverse("web:person", args=[world.people["baolam"].pk]))
    assert response.status_code == 200
    assert "Server-Timing" not in response.headers


def test_counts_every_query_and_changes_nothing_else(world):
    url = reverse("web:person", args=[world.people["baolam"].pk])
    with override_settings(CANBO_SERVER_TIMING=False):
        client = _client(world)
        client.get(url)  # caches filled once per process (rule sets, translations)
        plain = client.get(url)
    with override_settings(CANBO_SERVER_TIMING=True):
        client = _client(world)
        with CaptureQueriesContext(connection) as queries:
            timed = client.get(url)
    header = timed.headers["Server-Timing"]
    found = re.fullmatch(
        r'db;dur=(\d+\.\d);desc="(\d+) queries", total;dur=(\d+\.\d), process;desc="(\d+)"', header
    )
    assert found, header
    db_ms, count, total_ms, pid = float(found[1]), int(found[2]), float(found[3]), int(found[4])
    assert count == len(queries.captured_queries) > 0
    assert 0 < db_ms <= total_ms
    assert pid == os.getpid()
    assert timed.status_code == plain.status_code == 200
    assert _body(timed) == _body(plain)
    assert {k for k in timed.headers if k != "Server-Timing"} == set(plain.headers)
