"""A running job's progress, written where the pages read it while the work goes on.

The work of a job may be one long transaction (an import's commit is all or nothing). Progress
written on the work's own connection would be part of that transaction: invisible to the pages
until the end, and undone with it. So it is written on a connection of its own
(:func:`canbo.jobs.lease.side_connection`), in autocommit, at most twice a second:

* on PostgreSQL the write goes through at once, inside the work's transaction or not (it touches
  only the job's row, which the work does not lock);
* on SQLite the database has one write lock, which the work's transaction holds until it ends: a
  progress write then fails at once (``busy_timeout = 0``) instead of waiting — never a
  deadlock, never a wait added to the work — and is written with the next one. So on SQLite the
  page shows the last step before the long transaction (``"Ghi vào hồ sơ…"``) until it ends; the
  time elapsed keeps counting on the page.

Each write also reads whether the job was asked to stop (:attr:`Job.cancel_requested`, set by
:func:`canbo.jobs.services.cancel`): the handler is then interrupted with :class:`Cancelled` at
that point — inside the transaction, so nothing of it is kept.
"""

from __future__ import annotations

import logging
import time

from django.db import DatabaseError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import QuerySet
from django.db.models.sql import UpdateQuery
from django.db.models.sql.constants import CURSOR
from django.utils import timezone

from .models import Job, JobStatus

log = logging.getLogger(__name__)

#: Seconds between two writes of the same step's progress.
MIN_INTERVAL = 0.5


class Cancelled(Exception):
    """The job was asked to stop: raised inside its work, which is undone."""


def update_on(conn: BaseDatabaseWrapper, qs: QuerySet[Job], **values) -> int:
    """``qs.update(**values)`` run on ``conn`` (another connection than the ORM's own): how many
    rows it changed."""
    query = qs.query.chain(UpdateQuery)
    assert isinstance(query, UpdateQuery)
    query.add_update_values(values)
    with conn.cursor():  # open a connection if needed
        pass
    return query.get_compiler(connection=conn).execute_sql(CURSOR) or 0


class Progress:
    """What a handler tells of its work: :meth:`step` (a new step: its label, and optionally
    how much of it is done of how much), :meth:`advance` (more done within the step) and
    :meth:`say`, the ``progress`` callable of :mod:`canbo.imports.services` (each message a
    step). ``total_steps``: when the handler knows how many steps there are, the steps
    themselves are counted (``done`` of ``total``)."""

    def __init__(self, job: Job, conn: BaseDatabaseWrapper | None, *, total_steps: int = 0):
        self.job = job
        self.conn = conn
        self.label = ""
        self.done = 0
        self.total = total_steps
        self.count_steps = bool(total_steps)
        self._started = 0
        self._written: tuple | None = None
        self._last = 0.0

    # -- what handlers call

    def step(self, label: str, done: int | None = None, total: int | None = None) -> None:
        self.label = str(label)[:300]
        if self.count_steps and done is None:
            # The steps finished before this one; an unforeseen step keeps it short of the end.
            self.done = min(self._started, self.total - 1)
            self._started += 1
        else:
            self.done = done or 0
            if total is not None:
                self.total, self.count_steps = total, False
        self._write(force=True)

    def advance(self, done: int, total: int | None = None) -> None:
        self.done = done
        if total is not None:
            self.total = total
        self._write()

    def say(self, message: str) -> None:
        self.step(message.rstrip())

    def steps(self, total: int) -> None:
        """From now on, count the steps: ``total`` of them."""
        self.total, self.done, self.count_steps, self._started = total, 0, True, 0

    def check(self) -> None:
        """Raise :class:`Cancelled` if the job was asked to stop (read now)."""
        self._write(force=True)

    # -- writing

    def _write(self, force: bool = False, *, check: bool = True) -> None:
        now = time.monotonic()
        if not force and now - self._last < MIN_INTERVAL:
            return
        self._last = now
        if self.conn is None:
            return
        if check:
            try:  # a read: never blocked, on SQLite either (WAL)
                with self.conn.cursor() as cursor:
                    cursor.execute(
                        f"SELECT cancel_requested FROM {Job._meta.db_table} WHERE id = %s", [self.job.pk]
                    )
                    row = cursor.fetchone()
            except DatabaseError as e:
                log.debug("job %s: cancellation not read now: %s", self.job.pk, e)
                row = None
            if row and row[0]:
                raise Cancelled
        state = (self.label, self.done, self.total)
        if state == self._written:
            return
        try:
            update_on(
                self.conn,
                Job.objects.filter(pk=self.job.pk, status=JobStatus.RUNNING),
                step=self.label,
                done=self.done,
                total=self.total,
                updated_at=timezone.now(),
            )
        except DatabaseError as e:
            # SQLite's write lock held by the work's own transaction: written with the next step.
            log.debug("progress of job %s not written now: %s", self.job.pk, e)
        else:
            self._written = state

    def flush(self) -> None:
        """Write what was not written yet (a step skipped while the write lock was held)."""
        if (self.label, self.done, self.total) != self._written:
            self._write(force=True, check=False)
