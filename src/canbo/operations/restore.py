"""``canbo restore FILE`` (issue 11 §4): put a backup back — only after all of it is verified.

In order, stopping at the first problem:

1. *Before anything is written*: the manifest is read (the archive's first member) and the
   restore refused — exit code 2, nothing changed — when the archive is of the other database
   engine, holds migrations this canbo does not know (a newer release made it), the client
   tools are missing or too old, the target database or MEDIA_ROOT already holds data and
   ``--force`` was not given, another process (server, worker) has the database open, or the
   disk lacks room.
2. Every member is written to staging paths beside its target and verified
   (:func:`canbo.core.archive.read_archive`: names, types, sizes, SHA-256); the database copy is
   checked (SQLite: integrity and rows per table against the manifest; PostgreSQL: pg_restore
   reads its table of contents and its tables are the manifest's). A problem: exit 2, staging
   removed, nothing changed.
3. The media files are swapped in (each top-level entry renamed, the old ones kept aside), then
   the database is replaced all or nothing (:meth:`Database.replace`). If that fails the old
   media files are put back: exit 1, nothing changed. Otherwise the old media are removed.
4. The rows per table of the restored database are compared with the manifest, and the
   migrations with this canbo's: an older schema asks for ``canbo migrate``.

A backup of one engine is not restored into the other (docs/deploy.md explains why).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.utils.text import capfirst

from canbo.core.archive import DATABASE_PREFIX, MEDIA_PREFIX, ArchiveError, FileEntry, Manifest, read_archive
from canbo.core.formatting import fmt_decimal, fmt_int

from .backup import STAGING_PREFIX, media_files
from .databases import BOOKKEEPING, Database, OperationError, UnreadableDatabase, database_for, engine_name

Progress = Callable[[str, str], None]

#: The tables the summary names, as (app label, model name).
MAIN_MODELS = [
    ("registry", "Unit"),
    ("registry", "Title"),
    ("registry", "Person"),
    ("registry", "Assignment"),
    ("registry", "Qualification"),
    ("training", "TrainingEnrolment"),
    ("conduct", "Evaluation"),
    ("conduct", "Discipline"),
    ("succession", "SuccessionEntry"),
    ("imports", "ImportBatch"),
    ("access", "User"),
]
ENGINE_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
#: Room kept free on a disk beyond what the archive's files take.
DISK_MARGIN = 64 * 1024 * 1024


@dataclass
class RestoreResult:
    manifest: Manifest
    #: Rows per table of the restored database.
    tables: dict[str, int]
    #: Tables whose rows differ from the manifest's (should be none).
    mismatched: list[str]
    #: Migrations this canbo has and the restored database lacks: ``canbo migrate`` applies them.
    pending: list[str]
    #: (Vietnamese, English) notes on what the restore also did.
    notes: list[tuple[str, str]] = field(default_factory=list)

    @property
    def files(self) -> int:
        return len(self.manifest.media)


# --------------------------------------------------------------------------- migrations


def newer_migrations(applied: dict[str, list[str]]) -> list[str]:
    """Migrations recorded in a backup that this canbo does not have (a newer release made it)."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = set(loader.disk_migrations)
    for replacing in loader.replacements.values():
        known.update(replacing.replaces)
    return [
        f"{app}.{name}"
        for app, names in sorted(applied.items())
        for name in names
        if (app, name) not in known
    ]


def pending_migrations() -> list[str]:
    """Migrations this canbo has that the database has not applied."""
    connection.ensure_connection()
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{m.app_label}.{m.name}" for m, backwards in plan if not backwards]


# --------------------------------------------------------------------------- the media swap


class MediaSwap:
    """The new media files staged inside MEDIA_ROOT, swapped in by renaming each top-level entry
    (so it works when MEDIA_ROOT is itself a mount point), the old entries kept aside until the
    database is restored too, and put back if it is not."""

    def __init__(self, root: Path):
        self.root = root
        self.created = not root.exists()
        root.mkdir(parents=True, exist_ok=True)
        self.stage = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX + "restore-", dir=root))
        self.new = self.stage / "new"
        self.old = self.stage / "old"
        self.new.mkdir()
        self.old.mkdir()
        self.moves: list[tuple[Path, Path]] = []

    def place(self, relative: str) -> Path:
        return self.new / relative

    def _move(self, source: Path, target: Path) -> None:
        os.rename(source, target)
        self.moves.append((source, target))

    def swap(self) -> None:
        for entry in sorted(self.root.iterdir()):
            if not entry.name.startswith(STAGING_PREFIX):
                self._move(entry, self.old / entry.name)
        for entry in sorted(self.new.iterdir()):
            self._move(entry, self.root / entry.name)

    def undo(self) -> None:
        for source, target in reversed(self.moves):
            os.rename(target, source)
        self.moves = []

    def cleanup(self) -> None:
        shutil.rmtree(self.stage, ignore_errors=True)
        if self.created and not any(self.root.iterdir()):
            self.root.rmdir()  # a refused restore leaves no empty MEDIA_ROOT behind


# --------------------------------------------------------------------------- checks


def present_data(database: Database, media_root: Path) -> tuple[dict[str, int], int]:
    """What the target holds: rows of the tables with data (Django's own bookkeeping aside)
    and the number of files in MEDIA_ROOT."""
    current = database.current()
    rows = {t: n for t, n in current.tables.items() if n and t not in BOOKKEEPING}
    files, skipped = media_files(media_root)
    return rows, len(files) + len(skipped)


def unreadable_target(database: Database, why: str) -> OperationError:
    return OperationError(
        f"Cơ sở dữ liệu đích ({database.label()}) đã có nhưng không đọc được: {why}. Nếu muốn thay nó bằng bản "
        "sao lưu, chạy lại với --force. Chưa thay đổi gì.",
        f"The target database ({database.label()}) exists but cannot be read: {why}. To replace it with the "
        "backup, run again with --force. Nothing was changed.",
    )


def check_room(needs: dict[Path, int]) -> None:
    by_device: dict[int, tuple[Path, int]] = {}
    for directory, size in needs.items():
        device = os.stat(directory).st_dev
        first, total = by_device.get(device, (directory, 0))
        by_device[device] = (first, total + size)
    for directory, size in by_device.values():
        free = shutil.disk_usage(directory).free
        if free < size + DISK_MARGIN:
            mb = 1024 * 1024
            raise OperationError(
                f"Không đủ chỗ trống trong «{directory}»: cần {fmt_int(size // mb + 64)} MB, còn "
                f"{fmt_int(free // mb)} MB. Chưa thay đổi gì.",
                f"Not enough room in «{directory}»: {size // mb + 64} MB needed, {free // mb} MB free. "
                "Nothing was changed.",
            )


def created_at(manifest: Manifest) -> str:
    """When the backup was made, as ``dd/mm/yyyy HH:MM`` (the manifest's text if unreadable)."""
    try:
        return datetime.fromisoformat(manifest.created_at).strftime("%d/%m/%Y %H:%M")
    except ValueError:
        return manifest.created_at


def engine_mismatch(archived: str, target: str) -> OperationError:
    a, t = ENGINE_NAMES[archived], ENGINE_NAMES[target]
    return OperationError(
        f"Bản sao lưu là của cơ sở dữ liệu {a}, còn cơ sở dữ liệu đích (DATABASE_URL) là {t}: canbo chỉ khôi "
        f"phục vào cùng loại cơ sở dữ liệu (bản sao {a} không nạp được vào {t}). Hãy đặt DATABASE_URL tới một "
        f"cơ sở dữ liệu {a}; chuyển từ SQLite sang PostgreSQL: xem docs/deploy.md. Chưa thay đổi gì.",
        f"The backup is of a {a} database and the target (DATABASE_URL) is {t}: canbo restores into the same "
        f"engine only. Point DATABASE_URL to a {a} database; moving from SQLite to PostgreSQL: see "
        "docs/deploy.md. Nothing was changed.",
    )


def check_before_writing(manifest: Manifest, database: Database, media_root: Path, *, force: bool) -> None:
    """Every refusal that needs only the manifest and the target (step 1 of the module doc)."""
    if manifest.engine != database.engine:
        raise engine_mismatch(manifest.engine, database.engine)
    newer = newer_migrations(manifest.migrations)
    if newer:
        shown = ", ".join(newer[:5]) + (" …" if len(newer) > 5 else "")
        raise OperationError(
            f"Bản sao lưu được tạo bởi phiên bản canbo mới hơn (canbo {manifest.canbo_version}): cơ sở dữ liệu "
            f"có {len(newer)} migration mà phiên bản này không có ({shown}). Hãy nâng cấp canbo rồi khôi phục. "
            "Chưa thay đổi gì.",
            f"The backup was made by a newer canbo ({manifest.canbo_version}): its database has {len(newer)} "
            f"migrations this release does not know ({shown}). Upgrade canbo, then restore. Nothing was changed.",
        )
    database.check_tools(manifest)
    try:
        rows, files = present_data(database, media_root)
    except UnreadableDatabase as e:
        if not force:
            raise unreadable_target(database, str(e)) from None
        rows, files = {}, 0  # replaced as asked
    if (rows or files) and not force:
        largest = sorted(rows.items(), key=lambda kv: -kv[1])[:4]
        more = "…" if len(rows) > 4 else ""
        shown_vi = ", ".join(f"{t}: {fmt_int(n)} dòng" for t, n in largest) + more
        shown_en = ", ".join(f"{t}: {fmt_int(n, 'en')} rows" for t, n in largest) + more
        what_vi = (f"cơ sở dữ liệu đích đã có dữ liệu ({shown_vi})" if rows else "") + (
            (" và " if rows else "") + f"{fmt_int(files)} tệp trong {media_root}" if files else ""
        )
        what_en = (f"the target database holds data ({shown_en})" if rows else "") + (
            (" and " if rows else "") + f"{files} files are in {media_root}" if files else ""
        )
        raise OperationError(
            f"Không khôi phục đè: {what_vi}. Nếu muốn thay toàn bộ bằng bản sao lưu, hãy sao lưu dữ liệu hiện "
            "có trước («canbo backup») rồi chạy lại với --force. Chưa thay đổi gì.",
            f"Not restoring over existing data: {what_en}. To replace all of it with the backup, back up what "
            "is there first (`canbo backup`) and run again with --force. Nothing was changed.",
        )
    database.check_not_in_use()


# --------------------------------------------------------------------------- the restore


def restore(archive: Path, *, force: bool, progress: Progress) -> RestoreResult:
    engine = engine_name()
    database = database_for(engine)
    media_root = Path(settings.MEDIA_ROOT).absolute()
    if not archive.is_file():
        raise OperationError(f"Không tìm thấy tệp «{archive}».", f"File «{archive}» not found.")
    progress(
        f"Đích: {database.label()}; tệp tải lên: {media_root}",
        f"Target: {database.label()}; media: {media_root}",
    )
    try:
        media = MediaSwap(media_root)
    except OSError as e:
        raise OperationError(
            f"Không tạo được thư mục tạm trong {media_root}: {e}. Chưa thay đổi gì.",
            f"Cannot create a staging directory in {media_root}: {e}. Nothing was changed.",
            code=1,
        ) from None
    db_stage = media.stage
    staged_db: list[Path] = []

    def check(manifest: Manifest) -> None:
        made = created_at(manifest)
        rows = sum(manifest.tables.values())
        progress(
            f"Bản sao lưu canbo {manifest.canbo_version}, {ENGINE_NAMES[manifest.engine]}, tạo lúc {made}: "
            f"{fmt_int(len(manifest.media))} tệp tải lên, {fmt_int(rows)} dòng trong {len(manifest.tables)} bảng.",
            f"Backup of canbo {manifest.canbo_version}, {ENGINE_NAMES[manifest.engine]}, made {made}: "
            f"{fmt_int(len(manifest.media), 'en')} files, {fmt_int(rows, 'en')} rows in {len(manifest.tables)} tables.",
        )
        check_before_writing(manifest, database, media_root, force=force)
        needs: dict[Path, int] = defaultdict(int)
        needs[db_stage] += manifest.database.size
        needs[media.stage] += manifest.media_size
        check_room(needs)
        progress("Kiểm tra và giải nén…", "Verifying and unpacking…")

    def destination(entry: FileEntry) -> Path:
        if entry.path.startswith(DATABASE_PREFIX):
            path = db_stage / entry.path[len(DATABASE_PREFIX) :]
            staged_db.append(path)
            return path
        return media.place(entry.path[len(MEDIA_PREFIX) :])

    try:
        db_stage = database.staging_dir(media.stage)
        try:
            manifest = read_archive(archive, check=check, destination=destination)
        except ArchiveError as e:
            raise OperationError(e.vi, e.en) from None
        except OSError as e:  # writing the staged files: a full disk, no permission …
            raise OperationError(
                f"Không ghi được tệp tạm khi giải nén: {e}. Chưa thay đổi gì.",
                f"Cannot write the staged files: {e}. Nothing was changed.",
                code=1,
            ) from None
        progress("Kiểm tra bản sao cơ sở dữ liệu…", "Checking the database copy…")
        database.verify(staged_db[0], manifest)
        progress("Thay tệp tải lên và cơ sở dữ liệu…", "Replacing the media files and the database…")
        with database.exclusive():
            try:
                media.swap()
            except OSError as e:
                media.undo()
                raise OperationError(
                    f"Không thay được tệp tải lên trong {media_root}: {e}. Chưa thay đổi gì.",
                    f"Could not swap the media files in {media_root}: {e}. Nothing was changed.",
                    code=1,
                ) from None
            try:
                notes = database.replace(staged_db[0])
            except BaseException:
                media.undo()
                raise
    finally:
        media.cleanup()
        if db_stage != media.stage:
            shutil.rmtree(db_stage, ignore_errors=True)

    connections.close_all()
    after = database.current()
    mismatched = [
        t
        for t in sorted(set(manifest.tables) | set(after.tables))
        if manifest.tables.get(t) != after.tables.get(t)
    ]
    return RestoreResult(manifest, after.tables, mismatched, pending_migrations(), notes)


def fmt_size(n: int, lang: str = "vi") -> str:
    """A size as an operator reads it: ``12 byte``, ``340 KB``, ``1,5 MB``, ``2,3 GB``."""
    if n < 1024:
        return f"{fmt_int(n, lang)} byte"
    if n < 1024 * 1024:
        return f"{fmt_int(round(n / 1024), lang)} KB"
    if n < 1024**3:
        return f"{fmt_decimal(n / 1024**2, 1, lang)} MB"
    return f"{fmt_decimal(n / 1024**3, 1, lang)} GB"


def summary_lines(result: RestoreResult, lang: str) -> list[str]:
    """The rows of the main tables, the history rows, the files: what an operator checks."""
    vi = lang != "en"
    lines = []
    for app_label, model_name in MAIN_MODELS:
        try:
            model = apps.get_model(app_label, model_name)
        except LookupError:
            continue
        table = model._meta.db_table
        if table in result.tables:
            name = capfirst(str(model._meta.verbose_name_plural))
            lines.append(f"  {name}: {fmt_int(result.tables[table], lang)}")
    history = sum(n for t, n in result.tables.items() if "_historical" in t)
    lines.append(
        f"  {'Lịch sử thay đổi' if vi else 'Change history'}: {fmt_int(history, lang)}"
        + (" dòng" if vi else " rows")
    )
    size = fmt_size(result.manifest.media_size, lang)
    lines.append(
        f"  {'Tệp tải lên' if vi else 'Uploaded files'}: {fmt_int(result.files, lang)}"
        + (f" tệp ({size})" if vi else f" files ({size})")
    )
    return lines
