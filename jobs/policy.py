"""Retry policies, declared on the task next to its `@task()`.

    @retry(max_attempts=5, base_delay=10)      # or @retry(A_POLICY)
    @task()
    def send_notification(...): ...

The policy applies to the task's runs as a whole: a run that raised, or whose worker died (its
lease expired), is queued again after a backoff until `max_attempts` runs were started; then the
task is FAILED. A task without a declaration runs at most once (`ONCE`), as under `db_worker`.
Queued again means the same row of the queue goes back to READY, so the attempts of a task are the
workers that claimed it (`DBTaskResult.worker_ids`).

Tasks with a policy must be idempotent: a worker may die after the task's work committed and
before its result was recorded, and the next run does the work again unless the task checks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

from django.utils.module_loading import import_string

T = TypeVar("T")
Number = int | float


@dataclass(frozen=True)
class RetryPolicy:
    """At most `max_attempts` runs; before run n+1, wait `base_delay` seconds, times n ("linear"),
    times 2**(n-1) ("exponential") or not at all ("fixed"), never more than `max_delay`.

    `max_attempts` and `base_delay` may be callables, read at each use (settings may change).
    """

    max_attempts: int | Callable[[], int] = 1
    base_delay: Number | Callable[[], Number] = 30
    backoff: Literal["fixed", "linear", "exponential"] = "exponential"
    max_delay: float = 3600

    def attempts(self) -> int:
        value = self.max_attempts() if callable(self.max_attempts) else self.max_attempts
        return max(int(value), 1)

    def delay(self, attempt: int) -> float:
        """Seconds to wait after run number `attempt` (1-based) before the next one."""
        base = float(self.base_delay() if callable(self.base_delay) else self.base_delay)
        factor = {"fixed": 1, "linear": attempt, "exponential": 2 ** max(attempt - 1, 0)}[self.backoff]
        return max(min(base * factor, self.max_delay), 0.0)


ONCE = RetryPolicy(max_attempts=1)

_POLICIES: dict[str, RetryPolicy] = {}


def retry(policy: RetryPolicy | None = None, /, **fields: Any) -> Callable[[T], T]:
    """Declare the retry policy of a task (put it above `@task()`): a RetryPolicy, or its fields."""
    declared = policy if policy is not None else RetryPolicy(**fields)

    def register(task: T) -> T:
        _POLICIES[_path_of(task)] = declared
        return task

    return register


def _path_of(task: object) -> str:
    path = getattr(task, "module_path", None)
    if not isinstance(path, str):
        raise TypeError("@retry goes above @task(): it needs the Task object")
    return path


def policy_for(task_path: str) -> RetryPolicy:
    """The declared policy of the task at `task_path` (importing it registers its declaration)."""
    if task_path not in _POLICIES:
        try:
            import_string(task_path)
        except ImportError:  # a task removed from the code: nothing left to retry
            return ONCE
    return _POLICIES.get(task_path, ONCE)
