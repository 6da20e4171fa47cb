"""Django settings for canbo, read from environment variables.

``DATABASE_URL`` selects the database: by default the embedded SQLite file
``var/canbo.sqlite3`` under the working directory (``CANBO_HOME`` overrides the
folder); ``postgres://user@127.0.0.1:5432/canbo`` runs on PostgreSQL through
psycopg 3 the same way.
"""

import os
import sys
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP

from canbo.common import secret
from canbo.core.standards.rules import DEFAULT_RULES_DIR

HOME = Path(os.environ.get("CANBO_HOME", Path.cwd())).resolve()
VAR_DIR = HOME / "var"

DEBUG = os.environ.get("CANBO_DEBUG", "0") == "1"
#: ``CANBO_SECRET_KEY``, else ``var/secret_key`` (written by ``canbo serve`` on SQLite and by
#: ``canbo demo``), else the published development key, which ``canbo serve`` refuses
#: (canbo.common.secret, docs/serving.md).
SECRET_KEY, CANBO_SECRET_KEY_SOURCE = secret.resolve(os.environ, VAR_DIR)
ALLOWED_HOSTS = [h for h in os.environ.get("CANBO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "simple_history",
    "axes",
    "canbo.access",
    "canbo.registry",
    "canbo.training",
    "canbo.conduct",
    "canbo.succession",
    "canbo.standards",
    "canbo.imports",
    "canbo.reports",
    "canbo.web",
    "django_htmx",
    "django_tasks_db",
    "canbo.jobs",
    # django-ninja (the REST API, issue 11 §3): listed for its templates and static files, so that
    # the API's documentation page is served by canbo itself, not from a CDN.
    "ninja",
    "canbo.operations",
]

MIDDLEWARE = [
    "canbo.common.logs.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "canbo.common.staticfiles.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "canbo.common.middleware.VietnameseFirstLocaleMiddleware",
    "canbo.web.errors.RequestTooLargeMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "canbo.common.logs.RequestUserMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "canbo.web.middleware.SessionExpiryMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "canbo.web.middleware.PasswordChangeRequiredMiddleware",
    "canbo.web.errors.BadInputMiddleware",
]
#: Measuring only (docs/performance.md): ``CANBO_SERVER_TIMING=1`` adds a ``Server-Timing`` header
#: (time in the database, total time) to every response; off by default, outermost when on.
CANBO_SERVER_TIMING = os.environ.get("CANBO_SERVER_TIMING", "0") == "1"
MIDDLEWARE.insert(0, "canbo.common.middleware.ServerTimingMiddleware")

ROOT_URLCONF = "canbo.urls"
WSGI_APPLICATION = "canbo.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [Path(__file__).parent / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "canbo.web.context.web",
                "django.template.context_processors.csp",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'canbo.sqlite3'}"),
        conn_max_age=0,
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"].setdefault("OPTIONS", {})
    # WAL lets readers go on while an import writes; in WAL mode synchronous=NORMAL is safe
    # (a power cut may lose the last commits, never corrupts the file) and spares an fsync per
    # commit; a 64 MB page cache keeps the indexes of a large import in memory.
    DATABASES["default"]["OPTIONS"].update(
        {
            "timeout": 30,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY;"
            ),
        }
    )
    if DATABASES["default"]["NAME"] != ":memory:":
        Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # No JIT compilation of queries (PostgreSQL's default is on): the pages' queries are short,
    # but the planner's cost of a list over the national data passes jit_above_cost and compiling
    # took 2.7 s of a 2.74 s query (docs/performance.md). A DATABASE_URL ?options=… wins.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
#: The dashboard's figures are cached per (unit, date, data stamp) (canbo.web.dashboard_data); a
#: process-local cache is enough: a stale entry is never read, since the stamp changes with the data.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "canbo",
        "OPTIONS": {"MAX_ENTRIES": 20000},
    }
}
AUTH_USER_MODEL = "access.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1  # hours
AXES_RESET_ON_SUCCESS = True
#: A commune office shares one internet address: a wrong password locks that account from that
#: address only, never a colleague (USERS.md).
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_CALLABLE = "canbo.web.errors.locked_out"

LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:dashboard"
LOGOUT_REDIRECT_URL = "web:login"
CSRF_FAILURE_VIEW = "canbo.web.errors.csrf_failure"
#: Request bodies other than file uploads are bounded (issue 10 §3): 2.5 MB, 1,000 fields.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [Path(__file__).parent / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
#: Vietnamese dates shown dd/mm/yyyy (canbo/formats/vi/formats.py), before Django's own.
FORMAT_MODULE_PATH = ["canbo.formats"]

#: Where the national rule files are read from (docs/rules.md): ``CANBO_RULES_DIRS``,
#: directories separated by ``os.pathsep``; default ``src/canbo/rules``. Broken files stop the
#: start-up (canbo.standards.apps).
CANBO_RULES_DIRS = [
    Path(d) for d in os.environ.get("CANBO_RULES_DIRS", "").split(os.pathsep) if d.strip()
] or [DEFAULT_RULES_DIR]

#: Limits of an Excel import (docs/import.md): a larger file, or a sheet with more data rows, is
#: refused before it is read into memory. A 200,000-row list is about 15 MB.
CANBO_IMPORT_MAX_BYTES = int(os.environ.get("CANBO_IMPORT_MAX_BYTES", 40 * 1024 * 1024))
CANBO_IMPORT_MAX_ROWS = int(os.environ.get("CANBO_IMPORT_MAX_ROWS", 300_000))
#: No request body may be larger than the largest import file and 1 MB (answered 413 before it
#: is read, canbo.web.errors.RequestTooLargeMiddleware).
CANBO_MAX_REQUEST_BYTES = int(os.environ.get("CANBO_MAX_REQUEST_BYTES", CANBO_IMPORT_MAX_BYTES + 1024 * 1024))
# Uploads above 2.5 MB are streamed to a temporary file, not held in memory (Django's default).
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

#: Background jobs (docs/jobs.md): Django's tasks framework with django-tasks-db, the queue a table
#: of the one database; ``canbo worker`` runs the tasks. "inline" runs a small job at once, in the
#: request that asked for it, through the same code.
TASKS = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]},
    "inline": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]},
}
#: How many times a job is run in all when the worker running it dies (killed, machine down):
#: then it is marked failed with a Vietnamese message.
CANBO_JOBS_ATTEMPTS = int(os.environ.get("CANBO_JOBS_ATTEMPTS", 2))
#: Work small enough to run at once in the request (one code path, no wait for a worker): an
#: Excel list up to this many bytes is read at once, a list up to this many rows written at once;
#: a report of a unit of these levels is drawn up at once (a province's goes to the queue).
CANBO_JOBS_INLINE_IMPORT_BYTES = int(os.environ.get("CANBO_JOBS_INLINE_IMPORT_BYTES", 100 * 1024))
CANBO_JOBS_INLINE_IMPORT_ROWS = int(os.environ.get("CANBO_JOBS_INLINE_IMPORT_ROWS", 1000))
CANBO_JOBS_INLINE_REPORT_LEVELS = ("commune_level", "district")
#: Days a job's result file (a report) is kept; then the worker deletes it (the job stays listed).
CANBO_JOBS_KEEP_DAYS = int(os.environ.get("CANBO_JOBS_KEEP_DAYS", 30))

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_ROOT = VAR_DIR / "media"

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"


def _flag(name: str, default: str = "0") -> bool:
    return os.environ.get(name, default).strip().lower() in ("1", "true", "yes", "on")


def _list(name: str, default: str = "") -> list[str]:
    return [v.strip() for v in os.environ.get(name, default).split(",") if v.strip()]


# --------------------------------------------------------------------------- serving (issue 11 §1)
# docs/serving.md describes each variable; `canbo serve` runs granian on canbo.wsgi.

#: Static files: collected into STATIC_ROOT by `canbo serve` (canbo.common.staticfiles) under
#: names carrying their content's hash, compressed, and served by whitenoise with a year's
#: caching. Before any collection (tests, development) the plain names are used.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "canbo.common.staticfiles.StaticStorage"},
}

#: Sessions last a working day from the login (``CANBO_SESSION_HOURS``, 10 by default: 7:00 to
#: 17:00) and end with the browser; an expired session gets the login page with a notice
#: (canbo.web.middleware.SessionExpiryMiddleware).
SESSION_COOKIE_AGE = int(float(os.environ.get("CANBO_SESSION_HOURS", "10")) * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

#: Behind a reverse proxy that terminates HTTPS (``CANBO_HTTPS=1``): the proxy's
#: ``X-Forwarded-Proto`` says the request was secure; cookies are sent over HTTPS only; HSTS.
CANBO_HTTPS = _flag("CANBO_HTTPS")
if CANBO_HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("CANBO_HSTS_SECONDS", 31_536_000))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = _flag("CANBO_HSTS_INCLUDE_SUBDOMAINS")
    SECURE_SSL_REDIRECT = _flag("CANBO_SSL_REDIRECT")
#: Origins (scheme and host) whose forms are accepted besides the server's own, e.g.
#: ``https://canbo.langson.gov.vn``.
CSRF_TRUSTED_ORIGINS = _list("CANBO_TRUSTED_ORIGINS")
#: The proxy passes the host name the browser asked for in ``X-Forwarded-Host``.
USE_X_FORWARDED_HOST = _flag("CANBO_USE_X_FORWARDED_HOST")
#: How many reverse proxies stand in front of the server and append the address they received
#: the request from to ``X-Forwarded-For``; 0 (the default) trusts no such header. The login
#: lock-out and the access log of personal files count by this address (canbo.common.clientip).
CANBO_PROXY_COUNT = int(os.environ.get("CANBO_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "canbo.common.clientip.client_ip"

#: Content security policy (Django's own, django.middleware.csp): scripts, styles, images and
#: connections from this server only; an inline <script> or <style> needs the request's nonce
#: ({% csp_nonce_attr %}); no inline event handler, no javascript: URL, no framing, forms post
#: here only. The one style attribute allowed is django-simple-history's ``border-top: 0`` (by
#: its hash) on the admin's history pages.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "style-src-attr": [CSP.UNSAFE_HASHES, "'sha256-XMXSevYjgSjXgRafBFDvtjwX+yyWLrxfso9DcNZ9UXM='"],
    "img-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

#: Logs (canbo.common.logs): one line per request (time, level, request id, user, method, path
#: without its query string, status, duration) and the request id and user on every other line
#: logged during the request; JSON lines (``CANBO_LOG_FORMAT=json``) or text, to stderr. By
#: default JSON unless stderr is a terminal.
CANBO_LOG_FORMAT = os.environ.get("CANBO_LOG_FORMAT", "").strip().lower() or (
    "text" if sys.stderr.isatty() else "json"
)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request": {"()": "canbo.common.logs.RequestContextFilter"}},
    "formatters": {
        "json": {"()": "canbo.common.logs.JsonFormatter"},
        "text": {"()": "canbo.common.logs.TextFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request"],
            "formatter": "json" if CANBO_LOG_FORMAT == "json" else "text",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("CANBO_LOG_LEVEL", "WARNING")},
    "loggers": {
        # The access log: one line per request (CANBO_ACCESS_LOG=0 turns it off).
        "canbo.request": {"level": "INFO" if _flag("CANBO_ACCESS_LOG", "1") else "WARNING"},
        # 4xx answers are in the access line already; errors (5xx) still log their traceback.
        "django.request": {"level": "ERROR"},
        "django.server": {"level": "ERROR"},
    },
}

#: Backups (docs/deploy.md): the directory of PostgreSQL's client tools (pg_dump, pg_restore, psql)
#: when those on PATH are older than the server, e.g. /usr/lib/postgresql/16/bin.
CANBO_PG_BINDIR = os.environ.get("CANBO_PG_BINDIR", "")
#: The health check (/healthz) answers a monitor on plain HTTP too, when HTTPS is enforced.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
