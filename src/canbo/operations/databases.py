"""The database half of a backup and a restore, one class per engine (issue 11 §4).

* **SQLite** — the backup is a copy made by SQLite's online backup API (``sqlite3``'s
  ``Connection.backup``): one read transaction, so the copy is consistent even while the server
  writes (WAL mode), checked with ``PRAGMA integrity_check``. The restore checks the copy the
  same way and that its rows per table are the manifest's, then replaces the database file
  with one ``os.replace`` — under an exclusive lock that only succeeds when no other process
  (server, worker) has the database open.
* **PostgreSQL** — the backup is ``pg_dump --format=custom`` of ``DATABASE_URL``, taken in the
  snapshot the rows per table and the migrations were counted in (``pg_export_snapshot``), so
  manifest and dump agree. The restore is ``pg_restore --clean --if-exists --no-owner
  --no-privileges`` played by ``psql`` inside *one* transaction, which also drops the tables the
  archive does not have (a schema newer than the backup, as after a failed upgrade) — committed
  only when pg_restore finished without error, so a failure leaves the database as it was.
  pg_dump must be at least the server's major version, pg_restore at least the dump's:
  ``CANBO_PG_BINDIR`` names the directory of the right client tools when ``PATH``'s are older.

A backup of one engine is not restored into the other: the dump formats differ (docs/deploy.md).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection, connections, transaction

from canbo.core.archive import Manifest

#: Tables Django fills by itself on ``migrate``: rows there do not make a database "not empty".
BOOKKEEPING = frozenset({"django_migrations", "django_content_type", "auth_permission"})


class OperationError(Exception):
    """A backup or restore stopped with a message (Vietnamese first). ``code`` 2: refused
    before anything was changed; 1: failed while working (what was changed is put back)."""

    def __init__(self, vi: str, en: str, code: int = 2):
        super().__init__(vi)
        self.vi = vi
        self.en = en
        self.code = code

    def message(self, lang: str = "vi") -> str:
        return self.en if lang == "en" else self.vi


class UnreadableDatabase(Exception):
    """The target database exists but cannot be read (a damaged SQLite file …): a restore may
    replace it, with ``--force``."""


@dataclass
class Snapshot:
    """What a database copy holds, read in the copy's own snapshot: rows per table, the
    migrations applied per app, and details of the engine (versions)."""

    tables: dict[str, int]
    migrations: dict[str, list[str]]
    details: dict[str, str] = field(default_factory=dict)


def engine_name() -> str:
    """``sqlite`` or ``postgresql``: the engine of ``DATABASE_URL``."""
    vendor = connection.vendor
    if vendor in ("sqlite", "postgresql"):
        return vendor
    raise OperationError(
        f"Chỉ sao lưu, khôi phục được SQLite và PostgreSQL (CSDL hiện tại: {vendor}).",
        f"Only SQLite and PostgreSQL can be backed up and restored (this database: {vendor}).",
    )


def database_for(engine: str) -> Database:
    return SQLiteDatabase() if engine == "sqlite" else PostgresDatabase()


def count_rows(cursor, tables: list[str]) -> dict[str, int]:
    counts = {}
    for table in sorted(tables):
        cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
        counts[table] = cursor.fetchone()[0]
    return counts


def applied_migrations(cursor, tables: list[str]) -> dict[str, list[str]]:
    if "django_migrations" not in tables:
        return {}
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    found: dict[str, list[str]] = {}
    for app, name in cursor.fetchall():
        found.setdefault(app, []).append(name)
    return found


class Database:
    """The operations a backup and a restore need from one engine."""

    engine = ""
    #: The member name of the database copy in the archive.
    member = ""

    def label(self) -> str:
        raise NotImplementedError

    def snapshot(self, dest: Path) -> Snapshot:
        """Write a consistent copy of the database to ``dest``; what it holds."""
        raise NotImplementedError

    def current(self) -> Snapshot:
        """Rows per table and migrations of the target database now."""
        with connection.cursor() as cursor:
            tables = connection.introspection.table_names(cursor)
            return Snapshot(count_rows(cursor, tables), applied_migrations(cursor, tables))

    def check_tools(self, manifest: Manifest) -> None:
        """Refuse when the tools a restore needs are missing or too old."""

    def check_not_in_use(self) -> None:
        """Refuse when another process has the target database open (where that can be seen
        without changing anything)."""

    def staging_dir(self, fallback: Path) -> Path:
        """Where the copy from the archive is staged (the same file system as its target)."""
        return fallback

    def verify(self, staged: Path, manifest: Manifest) -> None:
        """Check the staged copy before anything is replaced."""

    @contextlib.contextmanager
    def exclusive(self) -> Iterator[None]:
        """Hold the target so that no other process uses it while it is replaced; refuse
        (:class:`OperationError`, code 2) when another process has it open."""
        self.check_not_in_use()
        yield

    def replace(self, staged: Path) -> list[tuple[str, str]]:
        """Replace the target database by the staged copy, all or nothing (inside
        :meth:`exclusive`); notes to print (Vietnamese, English)."""
        raise NotImplementedError


# --------------------------------------------------------------------------- SQLite


def _in_use_sqlite(path: Path) -> OperationError:
    return OperationError(
        f"Cơ sở dữ liệu «{path}» đang được một tiến trình khác mở (máy chủ canbo hoặc worker đang chạy?): "
        "hãy dừng chúng rồi khôi phục lại. Chưa thay đổi gì.",
        f"The database «{path}» is open in another process (is the canbo server or a worker running?): "
        "stop them and restore again. Nothing was changed.",
    )


class SQLiteDatabase(Database):
    engine = "sqlite"
    member = "database/canbo.sqlite3"

    def __init__(self) -> None:
        name = str(settings.DATABASES["default"]["NAME"])
        if name == ":memory:" or name.startswith("file:"):
            raise OperationError(
                "Cơ sở dữ liệu SQLite trong bộ nhớ không sao lưu, khôi phục được.",
                "An in-memory SQLite database cannot be backed up or restored.",
            )
        self.path = Path(name).absolute()

    def label(self) -> str:
        return f"SQLite {self.path}"

    def snapshot(self, dest: Path) -> Snapshot:
        if not self.path.is_file():
            raise OperationError(
                f"Không có cơ sở dữ liệu «{self.path}» (đã chạy «canbo migrate» chưa?).",
                f"No database «{self.path}» (was `canbo migrate` run?).",
                code=1,
            )
        source = sqlite3.connect(self.path, timeout=60)
        copy = sqlite3.connect(dest)
        try:
            # One step (pages=-1): one read transaction, a consistent copy while others write.
            source.backup(copy)
            copy.execute("PRAGMA journal_mode=DELETE")
            self._check_integrity(copy, dest, code=1)
            snap = self._read(copy)
            snap.details = {"sqlite_version": sqlite3.sqlite_version}
            return snap
        finally:
            copy.close()
            source.close()

    @staticmethod
    def _read(con: sqlite3.Connection) -> Snapshot:
        cursor = con.cursor()
        tables = [
            row[0]
            for row in cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return Snapshot(count_rows(cursor, tables), applied_migrations(cursor, tables))

    @staticmethod
    def _check_integrity(con: sqlite3.Connection, path: Path, code: int) -> None:
        try:
            result = [row[0] for row in con.execute("PRAGMA integrity_check")]
        except sqlite3.DatabaseError as e:
            result = [str(e)]
        if result != ["ok"]:
            what = "; ".join(result[:3])
            raise OperationError(
                f"Bản sao cơ sở dữ liệu «{path.name}» bị hỏng: {what}."
                + (" Không khôi phục gì." if code == 2 else ""),
                f"The database copy «{path.name}» is damaged: {what}."
                + (" Nothing was restored." if code == 2 else ""),
                code=code,
            )

    def staging_dir(self, fallback: Path) -> Path:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix=".canbo-restore-", dir=self.path.parent))

    def current(self) -> Snapshot:
        if not self.path.exists():
            return Snapshot({}, {})
        con = sqlite3.connect(self.path, timeout=30)
        try:
            return self._read(con)
        except sqlite3.DatabaseError as e:
            raise UnreadableDatabase(str(e)) from None
        finally:
            con.close()

    @contextlib.contextmanager
    def exclusive(self) -> Iterator[None]:
        # Not checked earlier: the only sure test, leaving WAL mode, changes the file when it
        # succeeds — so it is made once, right before the file is replaced.
        if not self.path.exists():
            yield
            return
        con = self._lock()
        try:
            yield
        finally:
            if con is not None:
                con.close()

    def _lock(self) -> sqlite3.Connection | None:
        """A connection holding the target exclusively: leaving WAL mode (which removes the
        ``-wal`` and ``-shm`` files) needs every other connection closed — this process's own
        Django connection included."""
        connections.close_all()
        con = sqlite3.connect(self.path, timeout=5, isolation_level=None)
        try:
            mode = con.execute("PRAGMA journal_mode=DELETE").fetchone()[0]
            if str(mode).lower() != "delete":
                raise _in_use_sqlite(self.path)
            con.execute("BEGIN EXCLUSIVE")
        except sqlite3.OperationalError:
            con.close()
            raise _in_use_sqlite(self.path) from None
        except sqlite3.DatabaseError:
            con.close()
            return None  # not a database at all (damaged): nobody can be using it
        except BaseException:
            con.close()
            raise
        return con

    def verify(self, staged: Path, manifest: Manifest) -> None:
        con = sqlite3.connect(staged)
        try:
            self._check_integrity(con, staged, code=2)
            try:
                snap = self._read(con)
            except sqlite3.DatabaseError as e:
                raise OperationError(
                    f"Tệp cơ sở dữ liệu trong bản sao lưu không đọc được: {e}.",
                    f"The database file in the backup cannot be read: {e}.",
                ) from None
        finally:
            con.close()
        if snap.tables != manifest.tables or snap.migrations != manifest.migrations:
            raise OperationError(
                "Tệp cơ sở dữ liệu trong bản sao lưu không khớp với manifest.json (số dòng hoặc migration): "
                "bản sao lưu bị sửa. Không khôi phục gì.",
                "The database file does not match manifest.json (rows or migrations): the backup was "
                "altered. Nothing was restored.",
            )

    def replace(self, staged: Path) -> list[tuple[str, str]]:
        os.replace(staged, self.path)
        return []


# --------------------------------------------------------------------------- PostgreSQL


def _major(version_text: str) -> int | None:
    found = re.search(r"\(PostgreSQL\)\s+(\d+)", version_text) or re.search(r"(\d+)\.\d+", version_text)
    return int(found.group(1)) if found else None


class PostgresDatabase(Database):
    engine = "postgresql"
    member = "database/canbo.pgdump"

    def __init__(self) -> None:
        self.settings = settings.DATABASES["default"]

    def label(self) -> str:
        s = self.settings
        return f"PostgreSQL {s.get('NAME')} @ {s.get('HOST') or 'localhost'}:{s.get('PORT') or 5432}"

    # ------------------------------------------------------------------ the client tools

    def env(self) -> dict[str, str]:
        """The libpq environment of ``DATABASE_URL`` (the password never on a command line)."""
        s = self.settings
        env = dict(os.environ)
        for key, value in {
            "PGDATABASE": s.get("NAME"),
            "PGUSER": s.get("USER"),
            "PGPASSWORD": s.get("PASSWORD"),
            "PGHOST": s.get("HOST"),
            "PGPORT": s.get("PORT"),
        }.items():
            if value:
                env[key] = str(value)
        options = s.get("OPTIONS") or {}
        for key, var in {
            "sslmode": "PGSSLMODE",
            "sslrootcert": "PGSSLROOTCERT",
            "sslcert": "PGSSLCERT",
            "sslkey": "PGSSLKEY",
            "options": "PGOPTIONS",
        }.items():
            if options.get(key):
                env[var] = str(options[key])
        env["PGAPPNAME"] = "canbo-backup"
        return env

    def tool(self, name: str) -> str:
        bindir = getattr(settings, "CANBO_PG_BINDIR", "")
        found = str(Path(bindir) / name) if bindir else shutil.which(name)
        if not found or not Path(found).exists():
            raise OperationError(
                f"Không tìm thấy chương trình «{name}» của PostgreSQL: cài gói postgresql-client (cùng phiên bản "
                "với máy chủ hoặc mới hơn) hoặc đặt CANBO_PG_BINDIR.",
                f"PostgreSQL's «{name}» was not found: install postgresql-client (the server's version or "
                "newer) or set CANBO_PG_BINDIR.",
                code=1,
            )
        return found

    def tool_version(self, name: str) -> tuple[str, int | None]:
        path = self.tool(name)
        done = subprocess.run([path, "--version"], capture_output=True, text=True, check=False)
        text = done.stdout.strip()
        return text, _major(text)

    def server_major(self) -> int:
        connection.ensure_connection()
        return int(connection.pg_version) // 10000  # type: ignore[attr-defined]

    def run(self, args: list[str], what: str) -> subprocess.CompletedProcess:
        done = subprocess.run(args, capture_output=True, text=True, env=self.env(), check=False)
        if done.returncode != 0:
            tail = (done.stderr or done.stdout).strip()[-2000:]
            raise OperationError(f"{what} thất bại:\n{tail}", f"{what} failed:\n{tail}", code=1)
        return done

    # ------------------------------------------------------------------ backup

    def snapshot(self, dest: Path) -> Snapshot:
        dump_text, dump_major = self.tool_version("pg_dump")
        server = self.server_major()
        if dump_major is None or dump_major < server:
            raise OperationError(
                f"«{dump_text}» cũ hơn máy chủ PostgreSQL {server}: cài postgresql-client-{server} (hoặc mới hơn) "
                "và đặt CANBO_PG_BINDIR=/usr/lib/postgresql/{server}/bin.",
                f"«{dump_text}» is older than the PostgreSQL {server} server: install postgresql-client-{server} "
                f"(or newer) and set CANBO_PG_BINDIR=/usr/lib/postgresql/{server}/bin.",
                code=1,
            )
        connection.close()
        connection.ensure_connection()
        with transaction.atomic(), connection.cursor() as cursor:
            # The dump and the counts see the same snapshot: the transaction exports it and stays
            # open (repeatable read) while pg_dump reads with --snapshot.
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot_id = cursor.fetchone()[0]
            tables = connection.introspection.table_names(cursor)
            snap = Snapshot(count_rows(cursor, tables), applied_migrations(cursor, tables))
            self.run(
                [self.tool("pg_dump"), "--format=custom", f"--snapshot={snapshot_id}", f"--file={dest}"],
                "pg_dump",
            )
        snap.details = {"server_version": str(connection.pg_version), "dump_tool": dump_text}  # type: ignore[attr-defined]
        return snap

    # ------------------------------------------------------------------ restore

    def check_tools(self, manifest: Manifest) -> None:
        text, major = self.tool_version("pg_restore")
        self.tool("psql")
        made_by = _major(manifest.details.get("dump_tool", "")) or 0
        if major is None or major < made_by:
            raise OperationError(
                f"Bản sao lưu được tạo bằng «{manifest.details.get('dump_tool')}», mới hơn «{text}» trên máy này: "
                f"cài postgresql-client-{made_by} (hoặc mới hơn) và đặt CANBO_PG_BINDIR. Chưa thay đổi gì.",
                f"The backup was made by «{manifest.details.get('dump_tool')}», newer than «{text}» here: "
                f"install postgresql-client-{made_by} (or newer) and set CANBO_PG_BINDIR. Nothing was changed.",
            )

    def check_not_in_use(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            others = cursor.fetchone()[0]
        if others:
            name = self.settings.get("NAME")
            raise OperationError(
                f"Có {others} kết nối khác đang mở tới cơ sở dữ liệu «{name}» (máy chủ canbo hoặc worker đang chạy?): "
                "hãy dừng chúng rồi khôi phục lại. Chưa thay đổi gì.",
                f"{others} other connections are open to the database «{name}» (is the canbo server or a worker "
                "running?): stop them and restore again. Nothing was changed.",
            )

    def dump_tables(self, dump: Path) -> set[tuple[str, str]]:
        """The (schema, table) of every table in the dump; reading its table of contents also
        proves pg_restore can read it."""
        try:
            done = self.run([self.tool("pg_restore"), "--list", str(dump)], "pg_restore --list")
        except OperationError as e:
            raise OperationError(
                "Tệp cơ sở dữ liệu trong bản sao lưu không phải bản pg_dump đọc được: "
                f"{e.vi.split(chr(10), 1)[-1]}. Không khôi phục gì.",
                f"The database file in the backup is not a readable pg_dump: {e.en.split(chr(10), 1)[-1]}. "
                "Nothing was restored.",
            ) from None
        found = set()
        for line in done.stdout.splitlines():
            # "215; 1259 16386 TABLE public registry_person postgres" (not "… TABLE DATA public …")
            words = line.split()
            if len(words) == 7 and words[0].endswith(";") and words[3] == "TABLE":
                found.add((words[4], words[5]))
        return found

    def verify(self, staged: Path, manifest: Manifest) -> None:
        tables = {name for _, name in self.dump_tables(staged)}
        if not tables or tables != set(manifest.tables):
            raise OperationError(
                "Các bảng trong bản pg_dump không khớp với manifest.json: bản sao lưu bị sửa. Không khôi phục gì.",
                "The tables of the pg_dump do not match manifest.json: the backup was altered. Nothing was restored.",
            )

    def replace(self, staged: Path) -> list[tuple[str, str]]:
        in_dump = self.dump_tables(staged)
        schemas = sorted({schema for schema, _ in in_dump})
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT schemaname, tablename FROM pg_tables WHERE schemaname = ANY(%s)", [schemas]
            )
            present = {(s, t) for s, t in cursor.fetchall()}
        connection.close()  # our own session would count as "in use" and hold no lock we need
        extras = sorted(present - in_dump)
        prefix = "".join(f'DROP TABLE IF EXISTS "{s}"."{t}" CASCADE;\n' for s, t in extras)
        self._play(staged, "SET client_min_messages = warning;\nBEGIN;\n" + prefix)
        notes = []
        if extras:
            shown = ", ".join(t for _, t in extras[:5]) + (" …" if len(extras) > 5 else "")
            notes.append(
                (
                    f"Đã xóa {len(extras)} bảng không có trong bản sao lưu: {shown}",
                    f"Dropped {len(extras)} tables the backup does not have: {shown}",
                )
            )
        return notes

    def _play(self, dump: Path, prefix: str) -> None:
        """``pg_restore`` writes the SQL, ``psql`` plays it inside the one transaction opened by
        ``prefix``; COMMIT is sent only when pg_restore ended well. A failure on either side
        ends psql's session without COMMIT: PostgreSQL rolls everything back."""
        env = self.env()
        with tempfile.TemporaryFile() as restore_err, tempfile.TemporaryFile() as psql_err:
            psql = subprocess.Popen(
                [self.tool("psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1"],
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=psql_err,
                env=env,
            )
            restore = subprocess.Popen(
                [
                    self.tool("pg_restore"),
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--no-privileges",
                    "--exit-on-error",
                    "--file=-",
                    str(dump),
                ],
                stdout=subprocess.PIPE,
                stderr=restore_err,
                env=env,
            )
            assert psql.stdin is not None and restore.stdout is not None
            committed = False
            try:
                psql.stdin.write(prefix.encode())
                shutil.copyfileobj(restore.stdout, psql.stdin, 1 << 20)
                if restore.wait() == 0:
                    psql.stdin.write(b"COMMIT;\n")
                    committed = True
            except BrokenPipeError:
                pass  # psql stopped at an error: its message is in psql_err
            finally:
                if restore.poll() is None:
                    restore.kill()
                restore.wait()
                with contextlib.suppress(BrokenPipeError):
                    psql.stdin.close()
                psql.wait()
            if committed and psql.returncode == 0:
                return
            messages = []
            for f in (restore_err, psql_err):
                f.seek(0)
                messages.append(f.read().decode("utf-8", "replace").strip())
            tail = "\n".join(m for m in messages if m)[-2000:]
            raise OperationError(
                f"Khôi phục PostgreSQL thất bại; cơ sở dữ liệu được giữ nguyên như trước:\n{tail}",
                f"The PostgreSQL restore failed; the database is as it was:\n{tail}",
                code=1,
            )
