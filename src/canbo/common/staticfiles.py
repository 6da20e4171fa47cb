"""Static files for the production server (issue 11 §1): collected once into ``STATIC_ROOT``
under names that carry a hash of their content, compressed (gzip, and brotli when available),
and served by whitenoise with a year's caching — a new release has new names, so a browser never
keeps a stale file.

:func:`ensure_collected` runs ``collectstatic`` when, and only when, the static files changed
since the last collection (another release, a new file): ``canbo serve`` and ``canbo demo`` call
it at every start, so the usual start costs a scan of the file list, not a collection.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path

import django
from django.conf import settings
from whitenoise.middleware import WhiteNoiseMiddleware as _WhiteNoiseMiddleware
from whitenoise.storage import CompressedManifestStaticFilesStorage

#: Written in STATIC_ROOT after a successful collection: the fingerprint of what was collected.
STAMP = ".canbo-collected"


class StaticStorage(CompressedManifestStaticFilesStorage):
    """whitenoise's compressed manifest storage; a name the manifest does not know (before the
    first collection: tests, development) is used as it is instead of stopping the page."""

    def stored_name(self, name: str) -> str:
        try:
            return super().stored_name(name)
        except ValueError:
            return name


class WhiteNoiseMiddleware(_WhiteNoiseMiddleware):
    """whitenoise, quiet when ``STATIC_ROOT`` has not been collected into yet (tests, development:
    Django's own server then serves the files)."""

    def add_files(self, root, prefix=None):
        if self.autorefresh or os.path.isdir(root):
            super().add_files(root, prefix)


def fingerprint() -> str:
    """A hash of every static file's name, size and modification time (Django's finders), of the
    Django version and of the storage: it changes when a collection would change something."""
    from django.contrib.staticfiles import finders

    entries = []
    for finder in finders.get_finders():
        for path, storage in finder.list([]):
            prefix = getattr(storage, "prefix", None) or ""
            stat = os.stat(storage.path(path))
            entries.append(f"{prefix}/{path}\t{stat.st_size}\t{stat.st_mtime_ns}")
    entries.sort()
    head = f"{django.get_version()}\t{settings.STORAGES['staticfiles']['BACKEND']}\t{settings.STATIC_URL}"
    return hashlib.sha256("\n".join([head, *entries]).encode()).hexdigest()


def ensure_collected(say: Callable[[str], None] = lambda _: None) -> bool:
    """Collect the static files into ``STATIC_ROOT`` unless the last collection there was of the
    same files; ``True`` if it collected."""
    from django.core.management import call_command

    root = Path(settings.STATIC_ROOT)
    stamp = root / STAMP
    wanted = fingerprint()
    try:
        recorded = json.loads(stamp.read_text("utf-8")).get("fingerprint")
    except (OSError, ValueError, AttributeError):
        recorded = None
    if recorded == wanted and (root / "staticfiles.json").exists():
        return False
    say(f"Thu thập tệp tĩnh vào {root} … / Collecting static files into {root} …")
    root.mkdir(parents=True, exist_ok=True)
    call_command("collectstatic", interactive=False, verbosity=0)
    tmp = stamp.with_suffix(".tmp")
    tmp.write_text(json.dumps({"fingerprint": wanted}), "utf-8")
    tmp.replace(stamp)
    return True
