"""Work off the request path: Django's tasks framework on django-tasks-db (decision 0031).

Tasks are rows in the project's own database (`django_tasks_db`), run by `manage.py db_worker`
(started by `make demo` beside the server; a systemd unit in production, README). A request
only writes the row, after its transaction commits (`enqueue_on_commit`): it never waits for
SMTP or for a batch of PDFs.

django.tasks has no retries of its own. `retrying_task` adds them: a task that fails with a
transient error (the mail server refusing or unreachable: `smtplib.SMTPException`, `OSError`)
is enqueued again to run after the next delay of `RETRY_DELAYS`, its attempt number carried in
the keyword argument `task_attempt`; the failed attempt's row ends SUCCESSFUL with what
happened as its return value ({"retried_as": ..., "error": ...}). After the last delay the
error is raised: the row stays FAILED and appears on the office's "Failed tasks" page, where it
can be retried by hand (`ocop.core.services.tasks.task_retry`).
"""

import logging
import smtplib
from collections.abc import Callable
from datetime import timedelta
from functools import partial

from django.db import transaction
from django.tasks import Task, TaskContext, task
from django.utils import timezone
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

# Waits before the 2nd, 3rd, 4th and 5th attempt: five attempts over about 2 h 36 min.
RETRY_DELAYS: tuple[timedelta, ...] = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
)
# SMTPException is an OSError too; named for whoever reads this.
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (smtplib.SMTPException, OSError)
ATTEMPT_KWARG = "task_attempt"


def describe_error(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:1000]


def retrying_task(
    function: Callable | None = None,
    *,
    label: str = "",
    retry_on: tuple[type[BaseException], ...] = TRANSIENT_ERRORS,
    delays: tuple[timedelta, ...] = RETRY_DELAYS,
    **options,
):
    """`@task`, with retries after `delays` on the errors `retry_on` (see the module's text).

    `label` names the task in words on the failed-tasks page ("Send a mail").

    The decorated function is called without the task's context or the attempt number; its
    arguments must be JSON values, as for every task.
    """

    def decorate(func: Callable) -> Task:
        def run(context: TaskContext, *args, **kwargs):
            attempt = int(kwargs.pop(ATTEMPT_KWARG, 1))
            try:
                return func(*args, **kwargs)
            except retry_on as error:
                if attempt > len(delays):
                    raise
                retry = context.task_result.task.using(
                    run_after=timezone.now() + delays[attempt - 1]
                ).enqueue(*args, **{**kwargs, ATTEMPT_KWARG: attempt + 1})
                logger.warning(
                    "Task %s failed (attempt %d, %s); retried as %s",
                    func.__qualname__,
                    attempt,
                    describe_error(error),
                    retry.id,
                )
                return {
                    "attempt": attempt,
                    "retried_as": retry.id,
                    "error": describe_error(error),
                }

        # The task is found again by its module and name (the worker imports it), so the
        # wrapper takes the function's; no __wrapped__, or django.tasks would read the
        # function's own arguments and miss `context`.
        run.__module__ = func.__module__
        run.__name__ = func.__name__
        run.__qualname__ = func.__qualname__
        run.__doc__ = func.__doc__
        run.retry_delays = delays
        run.task_label = label
        return task(takes_context=True, **options)(run)

    return decorate(function) if function is not None else decorate


def task_attempt(kwargs: dict) -> int:
    """The attempt a task row was (or will be) run as, from its keyword arguments."""
    try:
        return int(kwargs.get(ATTEMPT_KWARG, 1))
    except (TypeError, ValueError):
        return 1


def enqueue_on_commit(task_: Task, *args, **kwargs) -> None:
    """Enqueue the task once the current transaction commits (at once outside of one).

    A rolled-back change enqueues nothing, and the worker never runs a task before the rows
    it reads are visible.
    """
    transaction.on_commit(partial(task_.enqueue, *args, **kwargs))


def task_label(task_path: str) -> str:
    """A task's name in words (its `label`), or its path when it has none or is gone."""
    try:
        found = import_string(task_path)
    except ImportError:
        return task_path
    return str(getattr(getattr(found, "func", None), "task_label", "") or task_path)


def error_message(traceback: str) -> str:
    """The error's own message, from the last line of a traceback ("SMTPRecipientsRefused:
    {...}" gives "{...}"); no stack."""
    lines = [line for line in (traceback or "").splitlines() if line.strip()]
    if not lines:
        return ""
    last = lines[-1]
    head, sep, message = last.partition(": ")
    return (message if sep and " " not in head.strip() else last).strip()[:1000]
