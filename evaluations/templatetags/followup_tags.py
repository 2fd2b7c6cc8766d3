"""The follow-up on a certificate's page: its commitments (with the buttons of whoever may
keep or assess them) and its yearly self-reports (`evaluations.followup`). The certificate's
page belongs to `evaluations.certificates`, which comes before the follow-up and does not
import it: the page loads this tag instead."""

from django import template
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from evaluations.enums import CommitmentState
from evaluations.followup.selectors import (
    certificate_commitments,
    certificate_report_rows,
    is_in_force,
)
from evaluations.followup.workflow import commitment_targets

register = template.Library()

# The office's buttons on a commitment, by the state they set.
ASSESS_LABELS = {
    CommitmentState.MET: _("Mark met"),
    CommitmentState.MISSED: _("Mark missed"),
    CommitmentState.OPEN: _("Reopen"),
}


@register.inclusion_tag("evaluations/followup/_certificate_followup.html", takes_context=True)
def certificate_followup(context, certificate):
    """The commitments and self-reports of `certificate` (three queries)."""
    user = context["request"].user
    today = timezone.localdate()
    in_force = is_in_force(certificate, today)
    can_keep = in_force and user.has_perm("evaluations.keep_commitments", certificate)
    can_assess = user.has_perm("evaluations.assess_commitments", certificate)
    rows = [
        {
            "commitment": c,
            "editable": can_keep and c.state == CommitmentState.OPEN,
            "actions": (
                [(t, ASSESS_LABELS[t]) for t in commitment_targets(c)] if can_assess else []
            ),
        }
        for c in certificate_commitments(certificate)
    ]
    return {
        "certificate": certificate,
        "rows": rows,
        "in_force": in_force,
        "can_keep": can_keep,
        "reports": certificate_report_rows(certificate, today),
        "csrf_token": context.get("csrf_token"),
    }
