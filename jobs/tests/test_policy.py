"""Retry policies: declared on the task, found by its path, delays by backoff kind."""

from __future__ import annotations

import pytest

from jobs.policy import ONCE, RetryPolicy, policy_for, retry


def test_delays_follow_the_declared_backoff():
    assert [RetryPolicy(base_delay=10, backoff="fixed").delay(n) for n in (1, 2, 3)] == [10, 10, 10]
    assert [RetryPolicy(base_delay=10, backoff="linear").delay(n) for n in (1, 2, 3)] == [10, 20, 30]
    assert [RetryPolicy(base_delay=10).delay(n) for n in (1, 2, 3, 4)] == [10, 20, 40, 80]
    assert RetryPolicy(base_delay=10, max_delay=25).delay(5) == 25


def test_callables_are_read_at_each_use():
    limit = {"n": 2}
    policy = RetryPolicy(max_attempts=lambda: limit["n"], base_delay=lambda: limit["n"] * 1.5)
    assert (policy.attempts(), policy.delay(1)) == (2, 3.0)
    limit["n"] = 5
    assert (policy.attempts(), policy.delay(1)) == (5, 7.5)


def test_a_policy_is_found_by_the_tasks_path_and_undeclared_tasks_run_once():
    assert policy_for("jobs.tests.tasks.mark_then_wait").attempts() == 3
    assert policy_for("jobs.tests.tasks.always_fails").attempts() == 2
    assert policy_for("jobs.tests.tasks.once_only") is ONCE
    assert policy_for("jobs.tests.tasks.no_such_task") is ONCE
    assert policy_for("portal.tasks.send_notification").backoff == "linear"


def test_retry_must_decorate_a_task_object():
    with pytest.raises(TypeError):
        retry(max_attempts=2)(lambda: None)
