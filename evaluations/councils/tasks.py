"""The councils' background tasks (decision 0031)."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from evaluations.councils.services.sessions import send_reminders
from evaluations.enums import ItemState
from evaluations.models import Session
from ocop.core.tasks import retrying_task


def sessions_scoring():
    return (
        Session.objects.filter(items__state=ItemState.SCORING)
        .distinct()
        .select_related("council")
        .order_by("date", "pk")
    )


@retrying_task(label=_("Score sheet reminders"))
def send_score_reminders(*, session_id: int | None = None) -> dict:
    """Reminders of unsubmitted score sheets by the worker (`manage.py send_score_reminders
    --enqueue`)."""
    sessions = sessions_scoring()
    if session_id is not None:
        sessions = sessions.filter(pk=session_id)
    total = 0
    for session in sessions:
        with transaction.atomic():
            total += send_reminders(session)
    return {"reminded": total}
