"""What the workers keep beside django_tasks_db's own table: one lease per running task.

The library marks a task RUNNING when a worker claims it and nothing more, so a task whose worker
died stays RUNNING for ever. A lease says which worker holds the task and until when (database
time, so that workers on several machines agree); the worker renews it while the task runs and
any worker reclaims the task once it has expired.
"""

from __future__ import annotations

from django.db import models


class Lease(models.Model):
    """The claim of one worker on one running task (the row of `DBTaskResult` with the same id)."""

    task_result = models.OneToOneField(
        "django_tasks_database.DBTaskResult",
        primary_key=True,
        on_delete=models.CASCADE,  # pruning old results (prune_db_task_results) drops their leases
        related_name="lease",
    )
    worker_id = models.CharField(max_length=64)
    claimed_at = models.DateTimeField()
    renewed_at = models.DateTimeField()
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"lease of {self.task_result_id} by {self.worker_id} until {self.expires_at}"
