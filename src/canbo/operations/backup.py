"""``canbo backup`` (issue 11 §4): the database and the uploaded files in one archive.

The database is copied first — SQLite through its online backup API, PostgreSQL by ``pg_dump``
(:mod:`canbo.operations.databases`), each consistent while the server runs — and its rows per
table and migrations are read in that same snapshot; then every file under ``MEDIA_ROOT``
(import uploads, job results) is hashed; the manifest and the files go into one ``.tar.gz``
(:mod:`canbo.core.archive`), written beside its final name and renamed when complete, readable
by its owner only. Files added to MEDIA_ROOT after the snapshot may be in the archive without a
row pointing at them (harmless); a file a recorded import names but MEDIA_ROOT lacks is reported.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils import timezone

import canbo
from canbo.core.archive import (
    MEDIA_PREFIX,
    ArchiveError,
    Manifest,
    check_member_name,
    file_entry,
    write_archive,
)

from .databases import OperationError, database_for, engine_name

#: Directories canbo itself leaves in MEDIA_ROOT while a restore runs: never backed up.
STAGING_PREFIX = ".canbo-"

Progress = Callable[[str, str], None]


def default_output() -> Path:
    """``var/backups/canbo-YYYYmmdd-HHMMSS.tar.gz`` under CANBO_HOME."""
    return Path(settings.VAR_DIR) / "backups" / f"canbo-{timezone.localtime():%Y%m%d-%H%M%S}.tar.gz"


def media_files(root: Path) -> tuple[list[tuple[str, Path]], list[str]]:
    """The regular files under ``root`` as (path relative to it, local path), sorted; and the
    entries left out (links, special files, names an archive may not hold)."""
    found: list[tuple[str, Path]] = []
    skipped: list[str] = []
    if not root.is_dir():
        return found, skipped
    for directory, dirs, files in os.walk(root):
        here = Path(directory)
        keep = []
        for d in sorted(dirs):
            if d.startswith(STAGING_PREFIX) and here == root:
                continue
            if (here / d).is_symlink():
                skipped.append((here / d).relative_to(root).as_posix())
            else:
                keep.append(d)
        dirs[:] = keep
        for name in sorted(files):
            local = here / name
            relative = local.relative_to(root).as_posix()
            if local.is_symlink() or not local.is_file() or check_member_name(MEDIA_PREFIX + relative):
                skipped.append(relative)
            else:
                found.append((relative, local))
    return sorted(found), skipped


def recorded_uploads() -> list[str]:
    """The stored names of the uploaded import files the database refers to."""
    from canbo.imports.models import ImportBatch

    return [name for name in ImportBatch.objects.values_list("file", flat=True) if name]


@dataclass
class BackupResult:
    path: Path
    manifest: Manifest
    skipped: list[str] = field(default_factory=list)
    missing_uploads: list[str] = field(default_factory=list)


def make_backup(output: Path | None, progress: Progress) -> BackupResult:
    """Write the archive (``output``, default :func:`default_output`) and return what it holds."""
    engine = engine_name()
    database = database_for(engine)
    target = (output or default_output()).absolute()
    if target.exists():
        raise OperationError(
            f"Tệp «{target}» đã có; chọn tên khác (--output).",
            f"«{target}» already exists; choose another name (--output).",
            code=1,
        )
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    work = Path(tempfile.mkdtemp(prefix=".canbo-backup-", dir=target.parent))
    try:
        progress(
            f"Sao chép cơ sở dữ liệu ({database.label()})…", f"Copying the database ({database.label()})…"
        )
        copy = work / Path(database.member).name
        snap = database.snapshot(copy)
        media_root = Path(settings.MEDIA_ROOT)
        files, skipped = media_files(media_root)
        progress(
            f"Tệp tải lên trong {media_root}: {len(files)} tệp.",
            f"Uploaded files in {media_root}: {len(files)}.",
        )
        stored = {relative for relative, _ in files}
        missing = [name for name in recorded_uploads() if name not in stored]
        entries = [file_entry(database.member, copy)]
        sources = {database.member: copy}
        for relative, local in files:
            try:
                entries.append(file_entry(MEDIA_PREFIX + relative, local))
            except FileNotFoundError:
                skipped.append(relative)  # removed since it was listed
                continue
            sources[MEDIA_PREFIX + relative] = local
        manifest = Manifest(
            canbo_version=canbo.__version__,
            created_at=timezone.localtime().isoformat(timespec="seconds"),
            engine=engine,
            database=entries[0],
            media=entries[1:],
            migrations=snap.migrations,
            tables=snap.tables,
            details=snap.details,
        )
        progress("Đóng gói…", "Writing the archive…")
        try:
            write_archive(target, manifest, sources)
        except ArchiveError as e:
            raise OperationError(e.vi, e.en, code=1) from None
        return BackupResult(target, manifest, skipped, missing)
    except OSError as e:  # a full disk, no permission …: no archive is left half-written
        raise OperationError(
            f"Sao lưu thất bại: {e}. Không có tệp sao lưu nào được tạo.",
            f"The backup failed: {e}. No archive was written.",
            code=1,
        ) from None
    finally:
        shutil.rmtree(work, ignore_errors=True)
