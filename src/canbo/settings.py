"""Django settings for canbo, read from environment variables.

``DATABASE_URL`` selects the database: by default the embedded SQLite file
``var/canbo.sqlite3`` under the working directory (``CANBO_HOME`` overrides the
folder); ``postgres://user@127.0.0.1:5432/canbo`` runs on PostgreSQL through
psycopg 3 the same way.
"""

import os
from pathlib import Path

import dj_database_url

from canbo.core.standards.rules import DEFAULT_RULES_DIR

HOME = Path(os.environ.get("CANBO_HOME", Path.cwd())).resolve()
VAR_DIR = HOME / "var"

DEBUG = os.environ.get("CANBO_DEBUG", "0") == "1"
SECRET_KEY = os.environ.get("CANBO_SECRET_KEY", "canbo-insecure-development-key-change-me-in-production")
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
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "canbo.common.middleware.VietnameseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
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
# Uploads above 2.5 MB are streamed to a temporary file, not held in memory (Django's default).
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_ROOT = VAR_DIR / "media"

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("CANBO_LOG_LEVEL", "WARNING")},
}
