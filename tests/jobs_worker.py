"""``canbo worker`` as the tests of jobs start it, able to stop at a known point of a job.

    python tests/jobs_worker.py [worker options]

With ``CANBO_TEST_PAUSE_AT`` set, a job whose progress label comes to contain that text writes
its progress, touches the file ``CANBO_TEST_PAUSED`` and waits there until the file
``CANBO_TEST_RESUME`` exists (at most ten minutes) — so that a test can look at the job's page,
cancel it, or kill the worker (SIGKILL) in the middle of the work, e.g. inside an import's
transaction. Nothing else differs from ``canbo worker``.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path


def pause_jobs(marker: str, paused: Path, resume: Path | None) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "canbo.settings")
    django.setup()
    from canbo.jobs.progress import Progress

    def wait_if_there(progress: Progress) -> None:
        if marker not in progress.label:
            return
        progress._write(force=True)
        paused.write_text(progress.label, encoding="utf-8")
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline and not (resume is not None and resume.exists()):
            time.sleep(0.05)

    real_step, real_advance = Progress.step, Progress.advance

    def step(self, *args, **kwargs):
        real_step(self, *args, **kwargs)
        wait_if_there(self)

    def advance(self, *args, **kwargs):
        real_advance(self, *args, **kwargs)
        wait_if_there(self)

    Progress.step = step  # type: ignore[method-assign]
    Progress.advance = advance  # type: ignore[method-assign]


if __name__ == "__main__":
    marker = os.environ.get("CANBO_TEST_PAUSE_AT")
    if marker:
        resume = os.environ.get("CANBO_TEST_RESUME")
        pause_jobs(marker, Path(os.environ["CANBO_TEST_PAUSED"]), Path(resume) if resume else None)
    from canbo.cli import main

    sys.argv = ["canbo", "worker", *sys.argv[1:]]
    main()
