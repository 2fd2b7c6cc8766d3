"""The follow-up's background tasks (decision 0031)."""

import datetime

from django.utils.translation import gettext_lazy as _

from evaluations.followup.services import followup_reminders
from ocop.core.tasks import retrying_task


@retrying_task(label=_("Self-report reminders"))
def send_followup_reminders(*, today: str = "") -> dict:
    """`followup_reminders` by the worker (`manage.py send_followup_reminders --enqueue`)."""
    day = datetime.date.fromisoformat(today) if today else None
    report = followup_reminders(today=day)
    return {"sent": len(report.sent)}
