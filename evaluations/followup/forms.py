"""Forms of the follow-up pages: a commitment, the office's finding on it, the yearly
self-report (one status, note and evidence file per commitment), a plan item. They read and
type the input; the services (`evaluations.followup.services`) decide what is allowed and
check the uploaded files by their content."""

from django import forms
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from evaluations.certificates.forms import _date_field
from evaluations.enums import AnswerStatus, CommitmentKind, CommitmentState
from evaluations.followup.services import INSPECTOR_MAX_LENGTH, AnswerInput
from evaluations.followup.workflow import commitment_targets
from ocop.core.forms import LimitedTextField
from ocop.core.limits import NOTE_MAX_LENGTH

EVIDENCE_ACCEPT = ".pdf,.jpg,.jpeg,.png,.docx,.xlsx"


class CommitmentForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[("", "---------"), *CommitmentKind.choices],
        error_messages={"required": _("Choose the kind of commitment.")},
    )
    text = LimitedTextField(
        label=_("Commitment"),
        max_length=NOTE_MAX_LENGTH,
        help_text=_(
            "What the producer commits to keep up, e.g. TCCS 01:2024 applied to every batch; "
            "the food-safety lab test renewed every 12 months."
        ),
        error_messages={"required": _("Write what the producer commits to.")},
    )
    due_on = _date_field(
        _("Due date"),
        required=False,
        help_text=_("Leave empty for a standing commitment kept all along."),
    )


class CommitmentAssessForm(forms.Form):
    """The office's finding on a commitment: the states its transition table allows now."""

    state = forms.ChoiceField(
        error_messages={
            "invalid_choice": _("This commitment cannot take that state now: reload the page."),
            "required": _("Choose what the office finds."),
        }
    )

    def __init__(self, *args, commitment, **kwargs):
        super().__init__(*args, **kwargs)
        targets = commitment_targets(commitment)
        self.fields["state"].choices = [(t, CommitmentState(t).label) for t in targets]


class SelfReportForm(forms.Form):
    """One status, note and evidence file per commitment the report answers, and a general
    note. `submit` says which button was pressed."""

    note = LimitedTextField(
        label=_("General note"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        help_text=_("Anything else the office should know about the year: volumes, changes."),
    )

    def __init__(self, *args, commitments, report=None, **kwargs):
        existing = {a.commitment_id: a for a in report.answers.all()} if report else {}
        initial = kwargs.setdefault("initial", {})
        if report is not None:
            initial.setdefault("note", report.note)
        super().__init__(*args, **kwargs)
        self.commitments = list(commitments)
        self.existing = existing
        for commitment in self.commitments:
            answer = existing.get(commitment.pk)
            self.fields[f"status_{commitment.pk}"] = forms.ChoiceField(
                label=_("Status"),
                required=False,
                choices=[("", "---------"), *AnswerStatus.choices],
                initial=answer.status if answer else "",
            )
            self.fields[f"note_{commitment.pk}"] = LimitedTextField(
                label=_("Note"),
                required=False,
                rows=2,
                max_length=NOTE_MAX_LENGTH,
                initial=answer.note if answer else "",
            )
            self.fields[f"evidence_{commitment.pk}"] = forms.FileField(
                label=_("Evidence"),
                required=False,
                help_text=_("A lab report, a photo, a record: PDF, JPEG, PNG, Word or Excel."),
                widget=forms.FileInput(attrs={"accept": EVIDENCE_ACCEPT}),
            )

    @property
    def submit(self) -> bool:
        return self.is_bound and self.data.get("action") == "submit"

    def rows(self) -> list[dict]:
        """Each commitment with its three fields and the answer saved so far."""
        return [
            {
                "commitment": c,
                "answer": self.existing.get(c.pk),
                "status": self[f"status_{c.pk}"],
                "note": self[f"note_{c.pk}"],
                "evidence": self[f"evidence_{c.pk}"],
            }
            for c in self.commitments
        ]

    def answers(self) -> dict[int, AnswerInput]:
        data = self.cleaned_data
        return {
            c.pk: AnswerInput(
                status=data.get(f"status_{c.pk}") or "",
                note=data.get(f"note_{c.pk}") or "",
                evidence=data.get(f"evidence_{c.pk}"),
            )
            for c in self.commitments
        }


def _month_choices():
    return [("", "---------"), *((n, name) for n, name in MONTHS.items())]


class PlanItemForm(forms.Form):
    month = forms.TypedChoiceField(
        label=_("Planned month"),
        coerce=int,
        choices=_month_choices,
        error_messages={"required": _("Choose the month of the inspection.")},
    )
    inspector = forms.CharField(
        label=_("Inspector"),
        max_length=INSPECTOR_MAX_LENGTH,
        help_text=_("Who will inspect: the team or agency, e.g. Đoàn kiểm tra liên ngành tỉnh."),
        error_messages={"required": _("Enter who will inspect: the team or the agency.")},
    )
