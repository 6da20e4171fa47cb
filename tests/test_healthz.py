"""``/healthz`` (issue 11 §4, docs/deploy.md "Monitoring"): a monitor or the proxy learns whether
a server is up and reaches its database — without logging in, without any data in the answer,
never from a cache, and not redirected to HTTPS when that is enforced. With the database
unreachable (a real server address where nothing listens, in a separate process) it answers 503."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

OK = {"status": "ok", "database": "ok"}


@pytest.mark.django_db
def test_it_answers_ok_without_login_and_without_data(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == OK
    assert "no-store" in response["Cache-Control"]
    assert not response.cookies  # no session, no CSRF token
    assert client.head("/healthz").status_code == 200


@pytest.mark.django_db
def test_it_only_reads(client):
    assert client.post("/healthz").status_code == 405


@pytest.mark.django_db
def test_it_is_not_redirected_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get("/login/").status_code == 301  # the rest of the site is


def test_an_unreachable_database_answers_503(tmp_path):
    script = textwrap.dedent("""
        import json, django
        django.setup()
        from django.test import Client
        r = Client(HTTP_HOST="127.0.0.1").get("/healthz")
        print(json.dumps([r.status_code, r.json()]))
    """)
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CANBO_HOME"}}
    env.update(
        DATABASE_URL="postgres://postgres@127.0.0.1:9/nowhere",
        CANBO_HOME=str(tmp_path),
        DJANGO_SETTINGS_MODULE="canbo.settings",
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr
    status, body = json.loads(done.stdout.strip().splitlines()[-1])
    assert status == 503 and body == {"status": "unavailable", "database": "unreachable"}
