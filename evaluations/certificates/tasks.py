"""The certificates' background tasks (decision 0031)."""

import datetime

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.tasks import TaskResultStatus
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tasks_db.models import DBTaskResult

from evaluations.certificates.pdf import decision_certificates_pdf
from evaluations.certificates.selectors import issued_decisions
from evaluations.certificates.services import certificates_lifecycle
from ocop.core.tasks import retrying_task


@retrying_task(label=_("Daily certificate run"))
def certificates_daily(*, today: str = "") -> dict:
    """`certificates_lifecycle` by the worker (`manage.py certificates_daily --enqueue`)."""
    day = datetime.date.fromisoformat(today) if today else None
    report = certificates_lifecycle(today=day)
    return {
        "expired": [c.number for c in report.expired],
        "expiring_notified": [c.number for c in report.expiring_notified],
    }


BATCH_TASK_PATH = "evaluations.certificates.tasks.decision_certificates_batch"


def batch_file_name(decision_id: int) -> str:
    return f"certificate-batches/decision-{decision_id}.pdf"


@retrying_task(label=_("Certificates of a decision (PDF)"))
def decision_certificates_batch(*, decision_id: int) -> dict:
    """Every certificate of an issued decision in one PDF, kept in the private storage for the
    office to download (`DecisionCertificatesPdfView`); the previous one is replaced."""
    decision = issued_decisions().get(pk=decision_id)
    content = decision_certificates_pdf(decision)
    name = batch_file_name(decision_id)
    default_storage.delete(name)
    saved = default_storage.save(name, ContentFile(content))
    return {"file": saved, "certificates": decision.certificates.count()}


def latest_batch(decision_id: int) -> DBTaskResult | None:
    """The last PDF batch asked for this decision (any state), or None."""
    return (
        DBTaskResult.objects.filter(
            task_path=BATCH_TASK_PATH, args_kwargs__kwargs__decision_id=decision_id
        )
        .order_by("-enqueued_at")
        .first()
    )


# A batch still "running" after this long was left by a worker that died (killed, out of
# memory, a reboot): django-tasks-db never resets such a row, and it must not block the
# office from asking again. 500 certificates take about a minute (docs/benchmarks.md).
STALE_AFTER = datetime.timedelta(minutes=30)


def decision_certificates_batch_request(*, decision_id: int) -> DBTaskResult:
    """Queue a fresh PDF of the decision's certificates, unless one is queued or running
    (and not left running by a worker that died: `STALE_AFTER`)."""
    current = latest_batch(decision_id)
    if current is not None and (
        current.status == TaskResultStatus.READY
        or (
            current.status == TaskResultStatus.RUNNING
            and (current.started_at or current.enqueued_at) > timezone.now() - STALE_AFTER
        )
    ):
        return current
    return decision_certificates_batch.enqueue(decision_id=decision_id).db_result
