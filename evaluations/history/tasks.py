"""The historical import as a background task (decision 0031): the office's page stores the
file and queues it; the worker imports it and keeps what happened as the task's result, which
the page shows."""

import uuid
from pathlib import PurePath

from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.tasks import TaskResultStatus
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_tasks_db.models import DBTaskResult

from evaluations.history.services import results_import
from ocop.core.models import User
from ocop.core.tasks import error_message, retrying_task

IMPORT_TASK_PATH = "evaluations.history.tasks.import_results_file"


@retrying_task(label=_("Import of published results"))
def import_results_file(
    *, stored: str, file_name: str, actor_id: int, max_rows: int, language: str = "vi"
) -> dict:
    """Import the stored file as `actor` (`results_import`); the file is removed once read
    through (kept if reading it failed, for a retry)."""
    actor = User.objects.get(pk=actor_id)
    with default_storage.open(stored, "rb") as source:
        content = source.read()
    result = {"file_name": file_name, "refused": "", "errors": [], "warnings": 0, "created": {}}
    with translation.override(language):
        try:
            report = results_import(
                file_name=file_name, content=content, actor=actor, max_rows=max_rows
            )
        except PermissionDenied as error:
            result["refused"] = str(error)
        else:
            result.update(
                errors=[[line, str(message)] for line, message in report.errors],
                warnings=len(report.warnings),
                created=dict(report.created),
            )
    default_storage.delete(stored)
    return result


def results_import_enqueue(*, upload, actor, max_rows: int) -> DBTaskResult:
    """Keep the uploaded file in the private storage and queue its import."""
    suffix = PurePath(upload.name).suffix.lower()[:10]
    stored = default_storage.save(f"result-imports/{uuid.uuid4().hex}{suffix}", upload)
    return import_results_file.enqueue(
        stored=stored,
        file_name=upload.name[:255],
        actor_id=actor.pk,
        max_rows=max_rows,
        language=translation.get_language() or "vi",
    ).db_result


def import_tasks_of(user, limit: int = 5) -> list[dict]:
    """The user's latest queued imports, newest first, with what became of each."""
    rows = DBTaskResult.objects.filter(
        task_path=IMPORT_TASK_PATH, args_kwargs__kwargs__actor_id=user.pk
    ).order_by("-enqueued_at")[:limit]
    found = []
    for row in rows:
        value = row.return_value or {}
        if row.status in (TaskResultStatus.READY, TaskResultStatus.RUNNING):
            state = "pending"
        elif row.status == TaskResultStatus.FAILED:
            state = "failed"
        elif "retried_as" in value:
            continue  # an attempt that failed and was queued again: its retry is listed
        elif value.get("refused") or value.get("errors"):
            state = "refused"
        else:
            state = "done"
        file_name = row.args_kwargs["kwargs"].get("file_name", "")
        created = value.get("created", {})
        if state == "done" and created:
            outcome = gettext(
                "%(file)s imported: %(certificates)d certificates, %(products)d new "
                "products, %(decisions)d decisions."
            ) % {
                "file": file_name,
                "certificates": created.get("certificates", 0),
                "products": created.get("products", 0),
                "decisions": created.get("decisions", 0),
            }
        elif state == "done":
            outcome = gettext("%(file)s was already imported: nothing new.") % {"file": file_name}
        else:
            outcome = ""
        found.append(
            {
                "file_name": file_name,
                "outcome": outcome,
                "state": state,
                "enqueued_at": row.enqueued_at,
                "refused": value.get("refused", ""),
                "errors": value.get("errors", []),
                "error": error_message(row.traceback) if state == "failed" else "",
            }
        )
    return found
