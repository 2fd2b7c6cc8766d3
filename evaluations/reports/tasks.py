"""The reports' background tasks (decision 0031)."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from evaluations.models import Round
from evaluations.reports.progress import send_deadline_reminders as remind
from ocop.core.tasks import retrying_task


def running_rounds(day: datetime.date):
    return Round.objects.filter(historical=False, province_deadline__gte=day).select_related(
        "province"
    )


@retrying_task(label=_("Deadline reminders"))
def send_deadline_reminders(*, today: str = "") -> dict:
    """The rounds' deadline reminders by the worker (`manage.py send_deadline_reminders
    --enqueue`)."""
    day = datetime.date.fromisoformat(today) if today else timezone.localdate()
    with transaction.atomic():
        reminders = remind(running_rounds(day), day)
    return {"sent": len(reminders), "people": sum(len(r.users) for r in reminders)}
