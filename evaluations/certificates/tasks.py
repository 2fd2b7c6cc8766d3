"""The certificates' background tasks (decision 0031)."""

import datetime

from django.utils.translation import gettext_lazy as _

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
