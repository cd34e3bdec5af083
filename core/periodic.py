"""The periodic schedule: apps register their sweeps here; `manage.py run_periodic` enqueues them.

`core` sits at the bottom and imports no app: each app declares its periodic tasks next to the
task itself, in `APP/tasks.py`, with the `periodic` decorator; `schedule()` imports every
installed app's `tasks` module (Django's autodiscovery), so the list is complete without a central
file naming the apps.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.utils.module_loading import autodiscover_modules

T = TypeVar("T")


@dataclass(frozen=True)
class Periodic:
    """A task (anything with `.enqueue()`) and the number of seconds between two runs."""

    name: str
    task: Any
    every: Callable[[], int]


_REGISTRY: dict[str, Periodic] = {}


def periodic(every: Callable[[], int]) -> Callable[[T], T]:
    """Declare a django_tasks task periodic; `every` is read at each start (settings may change)."""

    def register(task: T) -> T:
        func = getattr(task, "func", task)
        name = f"{func.__module__}.{func.__qualname__}"
        _REGISTRY[name] = Periodic(name=name, task=task, every=every)
        return task

    return register


def schedule() -> list[Periodic]:
    """Every registered periodic task, by name (the apps' `tasks` modules are imported first)."""
    autodiscover_modules("tasks")
    return [_REGISTRY[name] for name in sorted(_REGISTRY)]
