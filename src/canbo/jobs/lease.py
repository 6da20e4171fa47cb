"""Is a job's runner alive? A *lease* the runner holds for as long as it runs the job, which the
operating system or the database server lets go of when the runner's process dies — however it
dies: stopped, killed (SIGKILL), out of memory, its machine switched off.

* **PostgreSQL**: a session-level advisory lock (``pg_advisory_lock``) keyed on the job, taken on
  a connection of its own (:func:`side_connection`). The server drops it when the session ends;
  the session's TCP keep-alive is set short (about 90 s), so that a machine that went away
  without closing its connection lets go too. Workers on several machines see each other's
  leases through the one database.
* **SQLite**: an exclusive ``flock`` on a file beside the database file (``canbo.sqlite3.jobs/``),
  which the kernel drops when the process dies. SQLite runs on one machine, so one machine's
  locks are all there is to see.

Why not a heartbeat (a time written every few seconds): on SQLite a long write transaction —
the commit of a 200,000-row list is one — holds the database's only write lock, so a heartbeat
could not be written for the length of it; a job alive and busy would look dead. A lease needs
no write while the job runs.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import tempfile
import time
from pathlib import Path

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper

#: The first key of canbo's advisory locks ("canb"); the second is the job's id.
_PG_NAMESPACE = 0x63616E62


def side_connection(*, busy_timeout_ms: int = 0) -> BaseDatabaseWrapper:
    """A database connection of its own, beside the one the job's work runs on (and may hold a
    long transaction open on): the job's progress is written on it in autocommit, so that pages
    read it while the work goes on, and on PostgreSQL it holds the lease."""
    conn = connections.create_connection(DEFAULT_DB_ALIAS)
    conn.ensure_connection()
    with conn.cursor() as cursor:
        if conn.vendor == "sqlite":
            # By default never wait for the write lock: while the job's own transaction holds
            # it, a progress write is skipped (and written with the next one), not queued.
            cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        elif conn.vendor == "postgresql":
            # The server notices within ~90 s that a machine holding a lease went away, and no
            # progress write waits long for a row lock.
            cursor.execute("SET tcp_keepalives_idle = 60")
            cursor.execute("SET tcp_keepalives_interval = 10")
            cursor.execute("SET tcp_keepalives_count = 3")
    return conn


def lease_dir() -> Path:
    """Where the SQLite leases' files are: beside the database file (``<name>.jobs``); for an
    in-memory database (tests), which only its own process sees, a folder of the temporary
    directory of its own."""
    name = str(connections[DEFAULT_DB_ALIAS].settings_dict["NAME"])
    if name == ":memory:" or "mode=memory" in name:
        digest = hashlib.sha256(name.encode()).hexdigest()[:12]
        return Path(tempfile.gettempdir()) / f"canbo-jobs-{os.getuid()}-{os.getpid()}-{digest}"
    return Path(name).with_name(Path(name).name + ".jobs")


class Lease:
    """The lease of job ``job_id``. ``acquire`` waits for it (a check by another process may hold
    it for an instant); ``try_acquire`` answers at once whether it was free — that is, whether
    the job's runner, if any, is gone. ``conn`` (PostgreSQL) is the connection that holds it."""

    def __init__(self, job_id: int, conn: BaseDatabaseWrapper | None = None):
        self.job_id = job_id
        self.conn = conn
        self._file: int | None = None
        self._own_conn = False
        self.held = False

    @property
    def _postgresql(self) -> bool:
        return connections[DEFAULT_DB_ALIAS].vendor == "postgresql"

    def try_acquire(self) -> bool:
        if self.held:
            return True
        if self._postgresql:
            if self.conn is None:
                self.conn, self._own_conn = side_connection(), True
            with self.conn.cursor() as cursor:
                cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [_PG_NAMESPACE, self.job_id % 2**31])
                self.held = bool(cursor.fetchone()[0])
        else:
            folder = lease_dir()
            folder.mkdir(parents=True, exist_ok=True)
            fd = os.open(folder / f"{self.job_id}.lock", os.O_RDWR | os.O_CREAT, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                self.held = False
            else:
                self._file, self.held = fd, True
        return self.held

    def acquire(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while not self.try_acquire():
            if time.monotonic() > deadline:
                raise TimeoutError(f"lease of job {self.job_id} not free after {timeout} s")
            time.sleep(0.1)

    def release(self, *, forget: bool = False) -> None:
        """Let go of the lease; ``forget``: the job is finished, its lease file is removed."""
        if self.held:
            if self._postgresql and self.conn is not None:
                with contextlib.suppress(Exception), self.conn.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [_PG_NAMESPACE, self.job_id % 2**31])
            elif self._file is not None:
                if forget:
                    with contextlib.suppress(OSError):
                        (lease_dir() / f"{self.job_id}.lock").unlink()
                fcntl.flock(self._file, fcntl.LOCK_UN)
                os.close(self._file)
                self._file = None
            self.held = False
        if self._own_conn and self.conn is not None:
            self.conn.close()
            self.conn, self._own_conn = None, False

    def __enter__(self) -> Lease:
        self.acquire()
        return self

    def __exit__(self, *exc) -> None:
        self.release()
