"""Forms of the certificates' pages: draft and issue a recognition decision, revoke a
certificate, record an inspection, look a certificate up by its number. They read and type the
input; the services (`evaluations.certificates.services`) decide what is allowed and check the
uploaded files by their content."""

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from evaluations.enums import InspectionOutcome, RevocationReason
from evaluations.models import LevelResult
from ocop.core.forms import IdMultipleChoiceField, LimitedTextField
from ocop.core.limits import LONG_TEXT_MAX_LENGTH, NOTE_MAX_LENGTH
from ocop.core.search import SEARCH_MAX_LENGTH

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
# An inspection's record: the minutes, a few photos, the lab report.
MAX_ATTACHMENTS = 10


def _date_field(label, **kwargs) -> forms.DateField:
    return forms.DateField(
        label=label,
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        **kwargs,
    )


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files under one name; cleans to a list (empty when none was chosen)."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if not files:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return []
        cleaned = []
        for upload in files:
            cleaned.append(super().clean(upload, initial))
        return cleaned


class DecisionForm(forms.Form):
    """A draft decision of the user's People's Committee and the results it recognises."""

    number = forms.CharField(
        label=_("Decision number"),
        max_length=40,
        help_text=_("As printed, e.g. 2365/QĐ-UBND."),
    )
    date = _date_field(_("Decision date"))
    signer_name = forms.CharField(label=_("Signed by"), max_length=120)
    signer_title = forms.CharField(
        label=_("Signer's title"),
        max_length=160,
        help_text=_("E.g. Phó Chủ tịch UBND huyện Tân Lạc."),
    )
    results = IdMultipleChoiceField(
        label=_("Products recognised"),
        queryset=LevelResult.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose at least one product to recognise."),
            "invalid_choice": _("A chosen product cannot go on this decision."),
            "invalid_pk_value": _("A chosen product cannot go on this decision."),
        },
    )

    def __init__(self, *args, results: QuerySet[LevelResult], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["results"].queryset = results

    def selected_ids(self) -> set[int]:
        """The checked boxes as posted (kept when the page is shown again)."""
        if not self.is_bound:
            return set()
        ids = set()
        for raw in self.data.getlist(self.add_prefix("results")):
            try:
                ids.add(int(raw))
            except (TypeError, ValueError):
                continue
        return ids


class DecisionIssueForm(forms.Form):
    signed_scan = forms.FileField(
        label=_("Signed decision (PDF)"),
        help_text=_("The scan of the decision as signed and stamped, a PDF of at most 20 MB."),
        widget=forms.FileInput(attrs={"accept": "application/pdf,.pdf"}),
        error_messages={"required": _("Upload the signed decision as a PDF.")},
    )


class RevokeForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Reason"), choices=[("", "---------"), *RevocationReason.choices]
    )
    decision_number = forms.CharField(label=_("Revoking decision number"), max_length=40)
    decision_date = _date_field(_("Revoking decision date"))
    note = LimitedTextField(label=_("Note"), required=False, rows=2, max_length=NOTE_MAX_LENGTH)


class InspectionForm(forms.Form):
    date = _date_field(_("Date of the inspection"))
    inspector = forms.CharField(
        label=_("Inspector"),
        max_length=200,
        help_text=_("Who inspected: the team or agency, e.g. Đoàn kiểm tra liên ngành huyện."),
    )
    findings = LimitedTextField(label=_("Findings"), max_length=LONG_TEXT_MAX_LENGTH)
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=[("", "---------"), *InspectionOutcome.choices]
    )
    attachments = MultipleFileField(
        label=_("Attachments"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.docx,.xlsx"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # One request carries them all: 20 MB in all (OCOP_MAX_REQUEST_BYTES).
        self.fields["attachments"].help_text = _(
            "The minutes, photos, test reports: PDF, JPEG, PNG, Word or Excel; at most "
            "%(count)d files and 20 MB in all."
        ) % {"count": MAX_ATTACHMENTS}

    def clean_attachments(self):
        files = self.cleaned_data["attachments"]
        if len(files) > MAX_ATTACHMENTS:
            raise forms.ValidationError(
                _("Attach at most %(count)d files.") % {"count": MAX_ATTACHMENTS},
                code="too_many",
            )
        return files


class VerifyForm(forms.Form):
    """The public verification page's box: the number printed on a certificate, as typed
    (spaces, lower case, missing dashes), or the product's name."""

    number = forms.CharField(
        label=_("Certificate number or product name"),
        max_length=SEARCH_MAX_LENGTH,
        error_messages={
            "required": _("Enter the number printed on the certificate, or the product's name.")
        },
        widget=forms.TextInput(
            attrs={
                "class": "form-control form-control-lg",
                "placeholder": "OCOP-17-2025-0001",
                "autocomplete": "off",
                "spellcheck": "false",
                "data-testid": "verify-number",
            }
        ),
    )

    def full_clean(self):
        super().full_clean()
        if "number" in self.errors:
            widget = self.fields["number"].widget
            widget.attrs["class"] = f"{widget.attrs['class']} is-invalid"


class CentralResultForm(forms.Form):
    """The central council's result for a forwarded product, and with 5★ the ministry's
    decision and its signed scan."""

    score = forms.DecimalField(
        label=_("Central council's score"), min_value=0, max_value=100, decimal_places=2
    )
    stars = forms.TypedChoiceField(
        label=_("Stars given"),
        coerce=int,
        choices=[("", "---------"), *((n, "★" * n) for n in (5, 4, 3, 2, 1))],
    )
    comments = LimitedTextField(
        label=_("The central council's comments"),
        required=False,
        max_length=LONG_TEXT_MAX_LENGTH,
    )
    decision_number = forms.CharField(
        label=_("Ministry's decision number"),
        max_length=40,
        required=False,
        help_text=_("With 5★ only: the ministry's decision, below with its signed scan."),
    )
    decision_date = _date_field(_("Ministry's decision date"), required=False)
    issuer_name = forms.CharField(label=_("Issued by"), max_length=200, required=False)
    signer_name = forms.CharField(label=_("Signed by"), max_length=120, required=False)
    signer_title = forms.CharField(label=_("Signer's title"), max_length=160, required=False)
    signed_scan = forms.FileField(
        label=_("Signed decision (PDF)"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("stars") == 5:
            required = {
                "decision_number": _("Enter the ministry's decision recognising 5★."),
                "decision_date": _("Enter the decision's date."),
                "signer_name": _("Enter who signs the decision."),
                "signer_title": _("Enter the signer's title."),
                "signed_scan": _("Upload the signed decision as a PDF."),
            }
            for name, message in required.items():
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, message)
        return data

    def decision(self):
        from evaluations.certificates.central import CentralDecisionInput

        data = self.cleaned_data
        if data.get("stars") != 5:
            return None
        return CentralDecisionInput(
            number=data["decision_number"],
            date=data["decision_date"],
            issuer_name=data["issuer_name"],
            signer_name=data["signer_name"],
            signer_title=data["signer_title"],
            signed_scan=data["signed_scan"],
        )
