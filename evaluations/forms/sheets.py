"""Forms of a council member: the conflict declaration, the score sheet, and the chair's
re-scoring, discussion and finalising forms."""

from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _

from evaluations.engine.spec import FormSpec
from evaluations.forms import SelfAssessmentForm, docs_field, note_field
from ocop.core.forms import LimitedTextField
from ocop.core.limits import LONG_TEXT_MAX_LENGTH, NOTE_MAX_LENGTH


@dataclass(frozen=True)
class _Stored:
    """A stored sheet answer in the shape SelfAssessmentForm reads."""

    option_key: str
    note: str

    class _NoDocuments:
        @staticmethod
        def all():
            return []

    documents = _NoDocuments()


class ScoreSheetForm(SelfAssessmentForm):
    """The self-assessment's layout (one option per criterion, a note, the case of a
    choose-one group) without evidence: the member reads the producer's evidence, and does
    not attach any."""

    def __init__(self, data=None, *, spec: FormSpec, answers: dict, notes: dict):
        stored = {
            key: _Stored(option_key=answers.get(key, ""), note=notes.get(key, ""))
            for key in set(answers) | set(notes)
        }
        super().__init__(data, spec=spec, library=[], stored=stored)
        for leaf in spec.leaf_criteria():
            del self.fields[docs_field(leaf.key)]

    def _value(self, name: str):
        if name.startswith("docs-"):
            return []
        return super()._value(name)

    def notes(self) -> dict[str, str]:
        return {
            leaf.key: self.cleaned_data.get(note_field(leaf.key), "")
            for leaf in self.spec.leaf_criteria()
            if self.cleaned_data.get(note_field(leaf.key), "").strip()
        }


class ConflictForm(forms.Form):
    has_conflict = forms.TypedChoiceField(
        label=_("Conflict of interest"),
        choices=[
            ("no", _("I have no conflict of interest with this product or its producer.")),
            ("yes", _("I have a conflict of interest and withdraw from scoring this product.")),
        ],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose one of the two statements.")},
    )
    reason = LimitedTextField(
        label=_("Reason for the conflict"), required=False, max_length=NOTE_MAX_LENGTH
    )

    def clean(self):
        data = super().clean()
        if data.get("has_conflict") and not data.get("reason", "").strip():
            self.add_error("reason", _("Give the reason for the conflict of interest."))
        return data


class ReopenForm(forms.Form):
    sheets = forms.TypedMultipleChoiceField(
        label=_("Sheets to re-score"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose the sheets to reopen.")},
    )
    reason = LimitedTextField(
        label=_("Reason for re-scoring"),
        max_length=NOTE_MAX_LENGTH,
        rows=2,
        error_messages={"required": _("Give the reason for re-scoring.")},
    )

    def __init__(self, *args, sheet_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sheets"].choices = sheet_choices


class DiscussionForm(forms.Form):
    conclusion = LimitedTextField(
        label=_("The council's discussion conclusion"),
        max_length=LONG_TEXT_MAX_LENGTH,
        error_messages={"required": _("Write the council's conclusion.")},
    )


class FinaliseForm(forms.Form):
    comments = LimitedTextField(
        label=_("The council's comments to the producer"),
        required=False,
        max_length=LONG_TEXT_MAX_LENGTH,
        help_text=_("The producer reads them with the result: what to improve."),
    )
