"""The one task of Django's tasks framework canbo queues: run a job (:mod:`canbo.jobs.runner`).

Every kind of job goes through it — its argument is the job's id, everything else is on the
:class:`~canbo.jobs.models.Job` row — so that what a worker runs, and what a request runs at once
(the ``inline`` backend), is the same code.
"""

from __future__ import annotations

from django.tasks import TaskContext, task


@task(takes_context=True)
def run_job(context: TaskContext, job_id: int) -> str:
    """Run job ``job_id``; returns its status when done."""
    from .runner import execute

    return execute(job_id, str(context.task_result.id))
