"""Reads of the task queue for the apps: which arguments a task is already queued or running with."""

from __future__ import annotations

from typing import Any

from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult


def pending_arguments(*, task_path: str, name: str) -> set[Any]:
    """The values of keyword argument `name` of the READY or RUNNING runs of the task at
    `task_path` (READY includes the runs deferred to later), in one query."""
    rows = DBTaskResult.objects.filter(
        task_path=task_path, status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING]
    ).values_list("args_kwargs", flat=True)
    return {row["kwargs"][name] for row in rows if name in (row.get("kwargs") or {})}
