"""``canbo worker``: run the background jobs (docs/jobs.md).

django-tasks-db's worker (``db_worker``: it takes one queued task at a time — on PostgreSQL with
``SELECT … FOR UPDATE SKIP LOCKED``, on SQLite inside an exclusive transaction — so that several
workers, on one machine or several sharing one PostgreSQL database, never take the same task),
with what canbo adds around it:

* when it starts, and then every ``--recover-every`` seconds, the jobs still marked running
  whose runner died (killed, crashed, its machine gone: :mod:`canbo.jobs.lease`) are queued
  again, or marked failed with a Vietnamese message once they have been tried
  ``CANBO_JOBS_ATTEMPTS`` times (:func:`canbo.jobs.runner.recover`); their work was all or
  nothing, so nothing of it is left half-written;
* at the same pace, the result files of jobs older than ``CANBO_JOBS_KEEP_DAYS`` are deleted.

Stop it with Ctrl+C or SIGTERM: it finishes the job it is running, then exits (a second signal
stops at once; the job is then recovered like a killed one).
"""

from __future__ import annotations

import logging
import threading

from django.db import DatabaseError, close_old_connections, connections
from django_tasks_db.management.commands import db_worker

from canbo.jobs.runner import identity, prune_results, recover

log = logging.getLogger("canbo.jobs")


def _housekeeping(stdout) -> None:
    try:
        found = recover()
        pruned = prune_results()
    except DatabaseError as e:  # SQLite busy with a long write: next round
        log.info("recovery postponed: %s", e)
        return
    finally:
        close_old_connections()
    if found:
        stdout.write(f"Công việc của tiến trình đã dừng / jobs of a stopped worker: {found}")
    if pruned:
        stdout.write(f"Đã xóa {pruned} tệp kết quả quá hạn / result files deleted: {pruned}")


class Command(db_worker.Command):
    help = (
        "Chạy các công việc nền (nhập danh sách lớn, báo cáo cấp tỉnh). "
        "Run the background jobs (django-tasks-db's worker, plus recovery of jobs whose worker died)."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--recover-every",
            type=float,
            default=30.0,
            help="Giây giữa hai lần tìm công việc của tiến trình đã dừng / seconds between two "
            "recoveries of jobs whose worker died (default: %(default)s; 0: only at start)",
        )

    def handle(self, *args, **options):  # one more option than db_worker's: taken out here
        recover_every: float = options.pop("recover_every")
        self.stdout.write(f"canbo worker {identity()} — {connections['default'].vendor}")
        _housekeeping(self.stdout)
        if recover_every > 0:
            stop = threading.Event()

            def loop() -> None:
                while not stop.wait(recover_every):
                    _housekeeping(self.stdout)

            threading.Thread(target=loop, name="canbo-jobs-recovery", daemon=True).start()
        super().handle(*args, **options)
