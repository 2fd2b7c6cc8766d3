"""The office's hand on background tasks: retrying one that failed (decision 0031)."""

from django.core.exceptions import SuspiciousOperation, ValidationError
from django.db import transaction
from django.tasks import TaskResultStatus
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks_db.models import DBTaskResult

from ocop.core.audit import audit_log
from ocop.core.models import User
from ocop.core.tasks import ATTEMPT_KWARG, error_message


def task_retry(*, result_id: str, actor: User) -> str:
    """Enqueue a failed task afresh (first attempt, at once) and remove its failed row; the
    audit entry keeps what failed and how. Returns the new task's id."""
    with transaction.atomic():
        failed = (
            DBTaskResult.objects.select_for_update()
            .filter(pk=result_id, status=TaskResultStatus.FAILED)
            .first()
        )
        if failed is None:
            raise ValidationError(
                _("This task is no longer failed: someone retried it already."), code="gone"
            )
        try:
            task_ = failed.task
        except (ImportError, SuspiciousOperation) as error:
            raise ValidationError(
                _("This task no longer exists in this version of the registry."),
                code="unknown_task",
            ) from error
        kwargs = dict(failed.args_kwargs.get("kwargs") or {})
        kwargs.pop(ATTEMPT_KWARG, None)
        # In this transaction: the new row, the removal and the audit entry commit together.
        retried = task_.using(run_after=timezone.now()).enqueue(
            *(failed.args_kwargs.get("args") or []), **kwargs
        )
        # Not the arguments: a mail's body may hold a password-reset link.
        audit_log(
            actor=actor,
            action="task.retry",
            data={
                "task": failed.task_path,
                "failed": str(failed.pk),
                "failed_at": failed.finished_at,
                "error": failed.exception_class_path,
                "message": error_message(failed.traceback)[:500],
                "retried_as": str(retried.id),
            },
        )
        failed.delete()
    return str(retried.id)
