"""Serving for real (issue 11 §1, §4): the secret-key rule, the client address behind a proxy and
the login lock-out that counts by it, the HTTPS settings, the content security policy, the
expired session, the structured logs, and the background worker kept beside the server.

The production server itself, started as ``canbo serve``, is tested in
``test_production_server.py``; the policy in a real browser in ``e2e/test_csp_browser.py``.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from django.contrib.sessions.models import Session
from django.test import Client

from canbo.access.models import Role, User
from canbo.common import secret, serving
from canbo.common.clientip import client_ip
from canbo.common.logs import JsonFormatter, RequestContextFilter

PASSWORD = "mat-khau-thu-nghiem-2026"
WRONG = "sai-mat-khau-123"


@pytest.fixture
def fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def officer(world, username: str) -> User:
    user = User(username=username, role=Role.UNIT_OFFICER, scope_unit=world.units.dongdang)
    user.set_password(PASSWORD)
    user.save()
    return user


# --------------------------------------------------------------------------- the secret key


def test_the_address_argument_is_read_or_refused():
    assert serving.parse_addrport("") == ("127.0.0.1", 8000)
    assert serving.parse_addrport("9000") == ("127.0.0.1", 9000)
    assert serving.parse_addrport("0.0.0.0:8080") == ("0.0.0.0", 8080)
    assert serving.parse_addrport("[::]:8080") == ("::", 8080)
    assert serving.parse_addrport("localhost:8001") == ("localhost", 8001)
    for bad in ("abc", "0.0.0.0:", "1.2.3.4:70000"):
        with pytest.raises(serving.ServeError, match="ĐỊA_CHỈ:CỔNG"):
            serving.parse_addrport(bad)


def test_the_embedded_installation_gets_a_random_key_of_its_own_once(tmp_path):
    var = tmp_path / "var"
    decision = serving.decide_secret_key(
        key=secret.DEVELOPMENT_KEY, source="development", var_dir=var, sqlite=True, demo=False, debug=False
    )
    path = var / secret.FILE_NAME
    assert decision.key != secret.DEVELOPMENT_KEY and not secret.is_weak(decision.key)
    assert str(path) in decision.note
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert secret.resolve({}, var) == (decision.key, "file")
    # The next start reads it and says nothing.
    again = serving.decide_secret_key(
        key=decision.key, source="file", var_dir=var, sqlite=True, demo=False, debug=False
    )
    assert again == serving.KeyDecision(decision.key, "")
    # The environment wins over the file.
    strong = "k" + secret.generate()
    assert secret.resolve({"CANBO_SECRET_KEY": strong}, var) == (strong, "env")


def test_the_published_or_a_weak_key_is_refused_outside_demo_and_debug(tmp_path):
    var = tmp_path / "var"
    for key, source, sqlite in (
        (secret.DEVELOPMENT_KEY, "env", True),
        ("ngan-qua", "env", True),
        ("a" * 60, "env", False),
        (secret.DEVELOPMENT_KEY, "development", False),  # PostgreSQL: the key must be given
    ):
        with pytest.raises(serving.ServeError) as refused:
            serving.decide_secret_key(
                key=key, source=source, var_dir=var, sqlite=sqlite, demo=False, debug=False
            )
        assert "CANBO_SECRET_KEY" in str(refused.value) and "không khởi động" in str(refused.value)
        # CANBO_DEBUG=1 lets it through, with a warning.
        allowed = serving.decide_secret_key(
            key=key, source=source, var_dir=var, sqlite=sqlite, demo=False, debug=True
        )
        assert "CẢNH BÁO" in allowed.note
    assert not (var / secret.FILE_NAME).exists()
    # The demo on PostgreSQL gets a random key too, never the published one.
    demo = serving.decide_secret_key(
        key=secret.DEVELOPMENT_KEY, source="development", var_dir=var, sqlite=False, demo=True, debug=False
    )
    assert demo.key != secret.DEVELOPMENT_KEY and (var / secret.FILE_NAME).exists()


def canbo_program() -> list[str]:
    script = Path(sys.executable).parent / "canbo"
    return [str(script)] if script.exists() else [sys.executable, "-m", "canbo.cli"]


def clean_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CANBO_", "DATABASE_URL"))}
    env.update(CANBO_HOME=str(tmp_path), DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    env.update(extra)
    return env


@pytest.mark.parametrize(
    "extra",
    [
        {"CANBO_SECRET_KEY": secret.DEVELOPMENT_KEY},
        {"CANBO_SECRET_KEY": "short"},
        {"DATABASE_URL": "postgres://postgres@127.0.0.1:5432/canbo_khong_co"},
    ],
    ids=["published-key", "short-key", "postgres-without-key"],
)
def test_canbo_serve_refuses_to_start_with_exit_status_2(tmp_path, extra):
    done = subprocess.run(
        [*canbo_program(), "serve", "127.0.0.1:1"],
        env=clean_env(tmp_path, **extra),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2, done.stderr
    assert "canbo serve không khởi động" in done.stderr and "will not start" in done.stderr
    assert "CANBO_SECRET_KEY" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "var" / "static").exists()  # refused before doing anything


def test_https_behind_a_proxy_is_configured_from_the_environment(tmp_path):
    code = textwrap.dedent(
        """
        import json, django
        django.setup()
        from django.conf import settings as s
        print(json.dumps({k: getattr(s, k, None) for k in (
            "SECURE_PROXY_SSL_HEADER", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_HSTS_SECONDS",
            "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_SSL_REDIRECT", "CSRF_TRUSTED_ORIGINS",
            "USE_X_FORWARDED_HOST", "CANBO_PROXY_COUNT", "SESSION_COOKIE_AGE", "CANBO_LOG_FORMAT")}))
        """
    )

    def read(**extra):
        env = clean_env(tmp_path, DJANGO_SETTINGS_MODULE="canbo.settings", **extra)
        done = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60, check=True
        )
        return json.loads(done.stdout)

    plain = read()
    assert plain["SECURE_PROXY_SSL_HEADER"] is None and plain["SESSION_COOKIE_SECURE"] is False
    assert plain["SECURE_HSTS_SECONDS"] == 0 and plain["CANBO_PROXY_COUNT"] == 0
    assert plain["CSRF_TRUSTED_ORIGINS"] == [] and plain["SESSION_COOKIE_AGE"] == 10 * 3600
    assert plain["CANBO_LOG_FORMAT"] == "json"  # stderr is not a terminal
    https = read(
        CANBO_HTTPS="1",
        CANBO_TRUSTED_ORIGINS="https://canbo.langson.gov.vn, https://canbo2.langson.gov.vn",
        CANBO_HSTS_INCLUDE_SUBDOMAINS="1",
        CANBO_PROXY_COUNT="1",
        CANBO_USE_X_FORWARDED_HOST="1",
        CANBO_SESSION_HOURS="8",
        CANBO_LOG_FORMAT="text",
    )
    assert https["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert https["SESSION_COOKIE_SECURE"] and https["CSRF_COOKIE_SECURE"]
    assert https["SECURE_HSTS_SECONDS"] == 31_536_000 and https["SECURE_HSTS_INCLUDE_SUBDOMAINS"]
    assert https["SECURE_SSL_REDIRECT"] is False
    assert https["CSRF_TRUSTED_ORIGINS"] == ["https://canbo.langson.gov.vn", "https://canbo2.langson.gov.vn"]
    assert https["USE_X_FORWARDED_HOST"] and https["CANBO_PROXY_COUNT"] == 1
    assert https["SESSION_COOKIE_AGE"] == 8 * 3600 and https["CANBO_LOG_FORMAT"] == "text"


# --------------------------------------------------------------------------- the client's address


def test_the_client_address_trusts_forwarded_for_only_behind_configured_proxies(rf, settings):
    settings.CANBO_PROXY_COUNT = 0
    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_ip(request) == "10.0.0.1"  # anyone can send the header
    settings.CANBO_PROXY_COUNT = 1
    assert client_ip(request) == "1.2.3.4"
    # A forged entry on the left is not believed: the proxy appended the real one.
    forged = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 1.2.3.4")
    assert client_ip(forged) == "1.2.3.4"
    settings.CANBO_PROXY_COUNT = 2
    assert client_ip(forged) == "6.6.6.6"
    assert client_ip(rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4")) == "10.0.0.1"
    settings.CANBO_PROXY_COUNT = 1
    assert client_ip(rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="rác")) == "10.0.0.1"
    assert (
        client_ip(rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="[2001:db8::1]:443"))
        == "2001:db8::1"
    )
    assert client_ip(rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4:5555")) == "1.2.3.4"


def proxied_login(username: str, password: str, address: str) -> object:
    """A login through one reverse proxy at 10.0.0.1 that appends the client's address."""
    c = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=address)
    return c.post("/login/", {"username": username, "password": password})


def test_behind_a_proxy_the_lock_out_is_per_user_and_client_address(world, settings, fast_hasher):
    settings.CANBO_PROXY_COUNT = 1
    officer(world, "xa_a")
    officer(world, "xa_b")
    office, home = "203.0.113.7", "198.51.100.9"
    for _ in range(4):
        assert proxied_login("xa_a", WRONG, office).status_code == 200
    locked = proxied_login("xa_a", WRONG, office)
    assert locked.status_code == 429
    html = locked.content.decode()
    assert "Tạm khóa đăng nhập" in html and "Người khác vẫn đăng nhập bình thường" in html
    assert proxied_login("xa_a", PASSWORD, office).status_code == 429  # even the right password
    # A colleague behind the same office address, and the same user from elsewhere, log in.
    assert proxied_login("xa_b", PASSWORD, office).status_code == 302
    assert proxied_login("xa_a", PASSWORD, home).status_code == 302
    # Prefixing a forged address does not get round the lock-out.
    assert proxied_login("xa_a", PASSWORD, f"192.0.2.1, {office}").status_code == 429


def test_without_a_configured_proxy_a_forged_forwarded_for_does_not_escape_the_lock_out(
    world, settings, fast_hasher
):
    settings.CANBO_PROXY_COUNT = 0
    officer(world, "xa_a")
    for i in range(5):
        Client(REMOTE_ADDR="10.1.1.1", HTTP_X_FORWARDED_FOR=f"192.0.2.{i}").post(
            "/login/", {"username": "xa_a", "password": WRONG}
        )
    again = Client(REMOTE_ADDR="10.1.1.1", HTTP_X_FORWARDED_FOR="192.0.2.99")
    assert again.post("/login/", {"username": "xa_a", "password": PASSWORD}).status_code == 429


# --------------------------------------------------------------------------- security headers, CSP


def test_pages_carry_the_content_security_policy_with_a_nonce_for_inline_styles(world):
    c = Client()
    c.force_login(world.users["province"])
    response = c.get("/")
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"
    nonce = directives["script-src"].split("'nonce-")[1].split("'")[0]
    html = response.content.decode()
    # The dashboard's inline style element carries the request's nonce; no inline script at all.
    assert f'<style nonce="{nonce}">' in html
    assert "<script>" not in html and "javascript:" not in html and " onclick=" not in html
    assert 'name="htmx-config"' in html and '"allowEval": false' in html
    # Another request, another nonce.
    assert nonce not in c.get("/")["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff" and response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"


# --------------------------------------------------------------------------- expired sessions


def expire_sessions() -> None:
    Session.objects.all().delete()


def test_an_expired_session_gets_the_login_page_saying_so(world, fast_hasher):
    officer(world, "xa_a")
    c = Client()
    assert c.post("/login/", {"username": "xa_a", "password": PASSWORD}).status_code == 302
    assert c.get("/people/").status_code == 200
    expire_sessions()
    response = c.get("/people/?q=nguyen", follow=True)
    assert response.redirect_chain[0][0].startswith("/login/?next=/people/")
    html = response.content.decode()
    assert response.status_code == 200 and "Phiên làm việc đã hết hạn" in html
    assert 'id="id_password"' in html
    # Said once: the dead cookie is gone, the next visit is an ordinary anonymous one.
    assert "Phiên làm việc đã hết hạn" not in c.get("/login/").content.decode()
    # Logging in again works and does not repeat the notice.
    after = c.post("/login/", {"username": "xa_a", "password": PASSWORD}, follow=True)
    assert after.status_code == 200 and "Phiên làm việc đã hết hạn" not in after.content.decode()


def test_a_fragment_asked_with_an_expired_session_sends_the_whole_page_to_login(world, fast_hasher):
    officer(world, "xa_a")
    c = Client()
    c.post("/login/", {"username": "xa_a", "password": PASSWORD})
    expire_sessions()
    response = c.get(
        "/users/units/?unit_q=dong",
        headers={"HX-Request": "true", "HX-Current-URL": "http://testserver/people/?sex=female"},
    )
    assert response.status_code == 200 and response.content == b""
    assert response["HX-Redirect"] == "/login/?next=/people/%3Fsex%3Dfemale"
    # The notice waits for the login page.
    assert "Phiên làm việc đã hết hạn" in c.get(response["HX-Redirect"]).content.decode()
    # Without a session at all, a fragment still never holds the login form.
    anonymous = Client().get("/users/units/?unit_q=dong", headers={"HX-Request": "true"})
    assert anonymous.status_code == 200 and anonymous["HX-Redirect"].startswith("/login/")
    assert b"id_password" not in anonymous.content


def test_sessions_end_with_the_browser_and_after_a_working_day(world, settings, fast_hasher):
    officer(world, "xa_a")
    c = Client()
    response = c.post("/login/", {"username": "xa_a", "password": PASSWORD})
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["expires"] == "" and cookie["max-age"] == ""  # a browser-session cookie
    ends = Session.objects.get().expire_date.timestamp()
    assert abs(ends - (time.time() + settings.SESSION_COOKIE_AGE)) < 120


# --------------------------------------------------------------------------- logs


class Collect(logging.Handler):
    def __init__(self):
        super().__init__()
        self.addFilter(RequestContextFilter())
        self.setFormatter(JsonFormatter())
        self.lines: list[dict] = []

    def emit(self, record):
        self.lines.append(json.loads(self.format(record)))


@pytest.fixture
def log_lines():
    handler = Collect()
    root = logging.getLogger()
    root.addHandler(handler)
    yield handler.lines
    root.removeHandler(handler)


def test_one_json_line_per_request_with_its_id_and_user_and_no_query(world, log_lines):
    c = Client()
    c.force_login(world.users["province"])
    response = c.get("/people/?q=hoang+van+thang", headers={"X-Request-ID": "proxy-abc.123"})
    assert response.status_code == 200 and response["X-Request-ID"] == "proxy-abc.123"
    access = [line for line in log_lines if line["logger"] == "canbo.request"]
    assert len(access) == 1
    line = access[0]
    assert line["request_id"] == "proxy-abc.123" and line["user"] == world.users["province"].username
    assert line["method"] == "GET" and line["path"] == "/people/" and line["status"] == 200
    assert line["level"] == "INFO" and line["duration_ms"] > 0 and line["time"]
    text = json.dumps(log_lines, ensure_ascii=False)
    assert "hoang" not in text and "thang" not in text  # the search is not logged
    # A request id that could forge a log line is replaced by a fresh one.
    forged = c.get("/people/", headers={"X-Request-ID": 'x" injected\n'})
    assert forged["X-Request-ID"] != 'x" injected\n' and len(forged["X-Request-ID"]) == 32


def test_every_line_logged_during_a_request_carries_its_id_and_user(world, log_lines, settings):
    from django.urls import path

    from canbo import urls

    def noisy(request):
        logging.getLogger("canbo.somewhere").warning("something to say")
        from django.http import HttpResponse

        return HttpResponse("ok")

    settings.ROOT_URLCONF = type("Urls", (), {"urlpatterns": [path("noisy/", noisy), *urls.urlpatterns]})
    c = Client()
    c.force_login(world.users["inspector"])
    response = c.get("/noisy/")
    said = [line for line in log_lines if line["logger"] == "canbo.somewhere"]
    assert len(said) == 1
    assert said[0]["request_id"] == response["X-Request-ID"]
    assert said[0]["user"] == world.users["inspector"].username
    # Outside a request, the fields are empty.
    logging.getLogger("canbo.somewhere").warning("between requests")
    assert log_lines[-1]["request_id"] == "" and log_lines[-1]["user"] == ""


def test_failed_logins_are_logged_without_the_password(world, log_lines, fast_hasher):
    officer(world, "xa_a")
    Client().post("/login/", {"username": "xa_a", "password": "mat-khau-bi-mat-XYZ"})
    text = json.dumps(log_lines, ensure_ascii=False)
    assert "mat-khau-bi-mat-XYZ" not in text
    assert any(line["path"] == "/login/" for line in log_lines if line["logger"] == "canbo.request")


# --------------------------------------------------------------------------- the background worker


STUB = textwrap.dedent(
    """
    import os, signal, sys, time
    from pathlib import Path
    out = Path(sys.argv[1])
    out.write_text(f"started {os.getpid()}\\n")
    def stop(signum, frame):
        with out.open("a") as f:
            f.write(f"signal {signum}\\n")
        sys.exit(0)
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    while True:
        time.sleep(0.1)
    """
)


def wait_for(predicate, timeout=20.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def test_the_background_worker_is_restarted_if_it_dies_and_stopped_with_one_sigterm(tmp_path):
    out = tmp_path / "worker.txt"
    stub = tmp_path / "stub.py"
    stub.write_text(STUB)
    worker = serving.BackgroundWorker(stop_timeout=10, command=(sys.executable, str(stub), str(out)))
    worker.RESTART_PAUSE = 0.2
    worker.start()
    try:
        assert wait_for(lambda: out.exists() and out.read_text().startswith("started"))
        first = worker.proc.pid
        os.kill(first, signal.SIGKILL)  # dies without a word
        assert wait_for(
            lambda: worker.proc.pid != first and out.exists() and f"{worker.proc.pid}" in out.read_text()
        )
        # Its own process group: a Ctrl+C to the server's group does not reach it.
        assert os.getpgid(worker.proc.pid) != os.getpgid(0)
    finally:
        code = worker.stop()
    assert code == 0
    assert out.read_text().count("signal") == 1 and f"signal {int(signal.SIGTERM)}" in out.read_text()
    assert worker.proc.poll() == 0
