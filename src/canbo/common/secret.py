"""The secret key Django signs sessions, password-reset links and CSRF tokens with (issue 11 §1:
the server refuses to start with the published development key).

Where it comes from, in order (:func:`resolve`):

1. ``CANBO_SECRET_KEY`` in the environment — what a deployment sets (on every application
   server alike when there are several);
2. the file ``var/secret_key`` under ``CANBO_HOME`` — written once, at random, readable by its
   owner only (0600), by ``canbo serve`` on the embedded SQLite database (one machine, one
   ``var/``) and by ``canbo demo`` (:func:`ensure_file`);
3. otherwise the published development key :data:`DEVELOPMENT_KEY`, which the test suite and
   the management commands may use but ``canbo serve`` refuses (:func:`problem`) unless
   ``CANBO_DEBUG=1``.

This module is read by ``settings.py``: it must not import Django.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

#: The key printed in the source code: anyone can forge a session signed with it.
DEVELOPMENT_KEY = "canbo-insecure-development-key-change-me-in-production"
FILE_NAME = "secret_key"
#: Django's own deployment check (security.W009) calls a key shorter than this, or of fewer
#: distinct characters, weak.
MIN_LENGTH = 50
MIN_UNIQUE = 5


def read_file(path: Path) -> str | None:
    try:
        key = path.read_text("utf-8").strip()
    except (FileNotFoundError, NotADirectoryError, PermissionError):
        return None
    return key or None


def resolve(environ: dict[str, str] | os._Environ, var_dir: Path) -> tuple[str, str]:
    """The key and where it came from: ``"env"``, ``"file"`` or ``"development"``."""
    key = environ.get("CANBO_SECRET_KEY", "").strip()
    if key:
        return key, "env"
    key = read_file(var_dir / FILE_NAME) or ""
    if key:
        return key, "file"
    return DEVELOPMENT_KEY, "development"


def is_weak(key: str) -> bool:
    return (
        key == DEVELOPMENT_KEY
        or len(key) < MIN_LENGTH
        or len(set(key)) < MIN_UNIQUE
        or key.startswith("django-insecure")
    )


def generate() -> str:
    return secrets.token_urlsafe(64)


def ensure_file(var_dir: Path) -> tuple[str, bool]:
    """The key of ``var/secret_key``, written at random (mode 0600) if the file does not exist;
    ``True`` when it was written now. Two servers starting at once write it once: the second
    reads the first one's."""
    path = var_dir / FILE_NAME
    existing = read_file(path)
    if existing:
        return existing, False
    var_dir.mkdir(parents=True, exist_ok=True)
    key = generate()
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        # Written by another process meanwhile (or empty: then replace it).
        existing = read_file(path)
        if existing:
            return existing, False
        os.chmod(path, 0o600)
        fd = os.open(path, os.O_WRONLY | os.O_TRUNC)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(key + "\n")
    return key, True
