"""Forms of rounds, dossiers, the self-assessment and the working group's check."""

from dataclasses import dataclass
from dataclasses import field as dc_field

from django import forms
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from evaluations.criteria.selectors import unverified_forms
from evaluations.engine.spec import CriterionSpec, FormSpec, GroupSpec, PartSpec
from evaluations.enums import DossierKind, ReturnItemKind, VersionStatus
from evaluations.intake.selfassessment import chosen_cases, keep_chosen_cases
from evaluations.intake.services.dossiers import DEFAULT_SAMPLES, AnswerInput, ReturnItem
from evaluations.intake.services.rounds import round_deadline_errors, round_regime_errors
from evaluations.models import CriteriaVersion, Regime, Round
from ocop.core.forms import LimitedTextField, yes_no_field
from ocop.core.limits import LONG_TEXT_MAX_LENGTH, NOTE_MAX_LENGTH, REASON_MAX_LENGTH
from ocop.core.models import AdministrativeUnit
from products.enums import DocumentKind
from products.models import Product

# --- rounds and dossiers ------------------------------------------------------------------

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


def _date_field(label, **kwargs) -> forms.DateField:
    return forms.DateField(
        label=label,
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        **kwargs,
    )


class RoundOpenForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2018, max_value=2100)
    number = forms.IntegerField(
        label=_("Round number"),
        min_value=1,
        max_value=20,
        help_text=_("1 for the first round of the year."),
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=_("e.g. “Đợt 1 năm 2026”. Leave empty to use the year and number."),
    )
    regime = forms.ModelChoiceField(label=_("Regime"), queryset=Regime.objects.none())
    historical = forms.BooleanField(
        label=_("Entered as history"),
        required=False,
        help_text=_(
            "Tick only to enter a round of a past year, held under the regime of that year. "
            "A round opened for today's cycle takes the regime in force today."
        ),
    )
    criteria_version = forms.ModelChoiceField(
        label=_("Criteria version"), queryset=CriteriaVersion.objects.none()
    )
    submission_deadline = _date_field(_("Submission deadline"))
    first_level_deadline = _date_field(_("First-level evaluation deadline"))
    province_deadline = _date_field(_("Province evaluation deadline"))

    province = forms.ModelChoiceField(
        label=_("Province"),
        queryset=AdministrativeUnit.objects.none(),
        required=False,
        help_text=_(
            "Your province, or, to enter its history, a province merged into it on 01/07/2025."
        ),
    )

    field_order = ["province", "year", "number", "title", "regime", "historical"]

    def __init__(self, *args, provinces=None, **kwargs):
        super().__init__(*args, **kwargs)
        # An office whose province absorbed others may also enter their past rounds.
        if provinces is not None and len(provinces) > 1:
            self.fields["province"].queryset = AdministrativeUnit.objects.filter(
                pk__in=[p.pk for p in provinces]
            ).order_by("scheme", "code")  # today's first ("2tier" < "3tier")
            self.fields["province"].initial = provinces[0].pk
            self.fields["province"].empty_label = None
        else:
            del self.fields["province"]
        self.fields["regime"].queryset = Regime.objects.order_by("-effective_from")
        self.fields["criteria_version"].queryset = CriteriaVersion.objects.exclude(
            status=VersionStatus.RETIRED
        ).order_by("-effective_from")

    def clean(self):
        data = super().clean()
        dates = [data.get(n) for n in DEADLINE_FIELDS]
        if all(dates):
            for name, message in round_deadline_errors(
                **dict(zip(DEADLINE_FIELDS, dates, strict=True))
            ).items():
                self.add_error(name, message)
        if data.get("regime") and data.get("year"):
            for name, message in round_regime_errors(
                regime=data["regime"], year=data["year"], historical=data.get("historical", False)
            ).items():
                self.add_error(name, message)
        return data


DEADLINE_FIELDS = ("submission_deadline", "first_level_deadline", "province_deadline")


class DossierCreateForm(forms.Form):
    round = forms.ModelChoiceField(label=_("Round"), queryset=Round.objects.none())
    product = forms.ModelChoiceField(label=_("Product"), queryset=Product.objects.none())
    kind = forms.ChoiceField(
        label=_("Registering as"),
        choices=DossierKind.choices,
        initial=DossierKind.FIRST,
        widget=forms.RadioSelect,
    )
    current_certificate_number = forms.CharField(
        label=_("Current certificate number"),
        max_length=40,
        required=False,
        help_text=_("Required for an upgrade or a re-evaluation."),
    )

    def __init__(self, *args, rounds, products, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["round"].queryset = rounds
        self.fields["product"].queryset = products
        blocked = set(unverified_forms().values_list("product_set_id", flat=True))
        note = _("scoring form not verified yet")
        self.fields["product"].label_from_instance = lambda p: (
            f"{p.name} · {p.product_set}" + (f" — ⚠ {note}" if p.product_set_id in blocked else "")
        )
        self.fields["round"].label_from_instance = lambda r: (
            f"{r} · {r.province.short_name or r.province.name}"
        )

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind and kind != DossierKind.FIRST and not data.get("current_certificate_number"):
            self.add_error(
                "current_certificate_number",
                _(
                    "An upgrade or a re-evaluation needs the number of the product's current "
                    "OCOP certificate."
                ),
            )
        return data


@dataclass
class CriterionRow:
    """One criterion of the self-assessment page: a heading or a leaf with its inputs."""

    spec: CriterionSpec
    depth: int
    option: str = ""
    note: str = ""
    documents: frozenset[int] = frozenset()
    field_names: dict[str, str] = dc_field(default_factory=dict)
    note_max_length: int = NOTE_MAX_LENGTH
    errors: list[str] = dc_field(default_factory=list)

    @property
    def is_leaf(self) -> bool:
        return self.spec.is_leaf


@dataclass
class CaseBlock:
    spec: CriterionSpec
    rows: list[CriterionRow]
    chosen: bool


@dataclass
class GroupBlock:
    spec: GroupSpec
    rows: list[CriterionRow]  # an ordinary group
    cases: list[CaseBlock]  # a choose-one group
    case_field: str = ""


@dataclass
class PartBlock:
    spec: PartSpec
    groups: list[GroupBlock]


def answer_field(key: str) -> str:
    return f"answer-{key}"


def note_field(key: str) -> str:
    return f"note-{key}"


def docs_field(key: str) -> str:
    return f"docs-{key}"


def case_field(group_key: str) -> str:
    return f"case-{group_key}"


class SelfAssessmentForm(forms.Form):
    """Per leaf criterion: one option (radio), a note and evidence documents from the
    producer's library; per choose-one group: the case that applies.

    Answers to the cases not chosen are dropped, so the saved answers always score.
    """

    def __init__(self, data=None, *, spec: FormSpec, library, stored: dict):
        super().__init__(data)
        self.spec = spec
        self.library = list(library)
        document_choices = [(d.pk, d.title) for d in self.library]
        initial_options = {k: a.option_key for k, a in stored.items() if a.option_key}
        initial_cases = chosen_cases(spec, initial_options)
        for group in spec.groups():
            if group.choose_one:
                name = case_field(group.key)
                self.fields[name] = forms.ChoiceField(
                    label=group.label,
                    choices=[(c.key, c.label) for c in group.criteria],
                    required=False,
                    widget=forms.RadioSelect,
                )
                self.initial[name] = initial_cases.get(group.key, "")
        for leaf in spec.leaf_criteria():
            answer = stored.get(leaf.key)
            self.fields[answer_field(leaf.key)] = forms.ChoiceField(
                label=leaf.label,
                choices=[(o.key, o.label) for o in leaf.options],
                required=False,
                widget=forms.RadioSelect,
            )
            self.fields[note_field(leaf.key)] = LimitedTextField(
                label=_("Note"), required=False, max_length=NOTE_MAX_LENGTH
            )
            self.fields[docs_field(leaf.key)] = forms.TypedMultipleChoiceField(
                label=_("Evidence"),
                choices=document_choices,
                coerce=int,
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )
            if answer is not None:
                self.initial[answer_field(leaf.key)] = answer.option_key
                self.initial[note_field(leaf.key)] = answer.note
                self.initial[docs_field(leaf.key)] = [d.pk for d in answer.documents.all()]

    def _value(self, name: str):
        """The cleaned value if the form was validated, else the bound or initial value."""
        if hasattr(self, "cleaned_data") and name in self.cleaned_data:
            return self.cleaned_data[name]
        if self.is_bound:
            field = self.fields[name]
            raw = field.widget.value_from_datadict(self.data, self.files, self.add_prefix(name))
            try:
                return field.clean(raw)
            except forms.ValidationError:
                return [] if isinstance(field, forms.MultipleChoiceField) else ""
        return self.initial.get(name, [] if name.startswith("docs-") else "")

    def chosen(self) -> dict[str, str]:
        return {g.key: self._value(case_field(g.key)) for g in self.spec.groups() if g.choose_one}

    def options(self) -> dict[str, str]:
        """Leaf key → option ticked, keeping only the chosen cases' answers."""
        picked = {
            leaf.key: self._value(answer_field(leaf.key)) for leaf in self.spec.leaf_criteria()
        }
        return keep_chosen_cases(self.spec, {k: v for k, v in picked.items() if v}, self.chosen())

    def clean(self):
        data = super().clean()
        for group in self.spec.groups():
            if not group.choose_one or data.get(case_field(group.key)):
                continue
            answered = [
                case
                for case in group.criteria
                if any(data.get(answer_field(leaf.key)) for leaf in case.leaves())
            ]
            if len(answered) > 1:
                self.add_error(
                    case_field(group.key), _("Choose the case that applies to the product.")
                )
        return data

    def answers(self) -> dict[str, AnswerInput]:
        """What to save: the chosen cases' criteria with an option, a note or evidence."""
        options = self.options()
        dropped = set()
        chosen = chosen_cases(self.spec, options) | {k: v for k, v in self.chosen().items() if v}
        for group in self.spec.groups():
            if group.choose_one and group.key in chosen:
                for case in group.criteria:
                    if case.key != chosen[group.key]:
                        dropped |= {leaf.key for leaf in case.leaves()}
        result = {}
        for leaf in self.spec.leaf_criteria():
            if leaf.key in dropped:
                continue
            answer = AnswerInput(
                option=options.get(leaf.key, ""),
                note=self.cleaned_data.get(note_field(leaf.key), ""),
                documents=tuple(self.cleaned_data.get(docs_field(leaf.key), [])),
            )
            if answer.option or answer.note or answer.documents:
                result[leaf.key] = answer
        return result

    def _rows(self, criterion: CriterionSpec, depth: int) -> list[CriterionRow]:
        row = CriterionRow(spec=criterion, depth=depth)
        if criterion.is_leaf:
            row.option = self._value(answer_field(criterion.key)) or ""
            row.note = self._value(note_field(criterion.key)) or ""
            row.documents = frozenset(self._value(docs_field(criterion.key)) or [])
            row.field_names = {
                "answer": answer_field(criterion.key),
                "note": note_field(criterion.key),
                "docs": docs_field(criterion.key),
            }
            row.errors = [
                str(e)
                for name in row.field_names.values()
                for e in (self.errors.get(name, []) if self.is_bound else [])
            ]
        rows = [row]
        for child in criterion.children:
            rows.extend(self._rows(child, depth + 1))
        return rows

    def parts(self) -> list[PartBlock]:
        """The form's structure with the values to show, for the template."""
        chosen = chosen_cases(self.spec, self.options()) | {
            k: v for k, v in self.chosen().items() if v
        }
        blocks = []
        for part in self.spec.parts:
            groups = []
            for group in part.groups:
                if group.choose_one:
                    cases = [
                        CaseBlock(
                            spec=case,
                            rows=self._rows(case, 0),
                            chosen=chosen.get(group.key) == case.key,
                        )
                        for case in group.criteria
                    ]
                    groups.append(GroupBlock(group, [], cases, case_field(group.key)))
                else:
                    rows = [r for c in group.criteria for r in self._rows(c, 0)]
                    groups.append(GroupBlock(group, rows, []))
            blocks.append(PartBlock(part, groups))
        return blocks


class DossierDocumentsForm(forms.Form):
    documents = forms.TypedMultipleChoiceField(
        label=_("Documents"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, library, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["documents"].choices = [(d.pk, d.title) for d in library]


RETURN_ITEM_SEPARATOR = ":"


class ReturnReasonForm(forms.Form):
    item = forms.ChoiceField(
        label=_("What must be corrected"),
        required=False,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    reason = LimitedTextField(
        label=_("Reason"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control form-control-sm"}),
    )

    def __init__(self, *args, item_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = item_choices

    def clean(self):
        data = super().clean()
        if data.get("item") and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Say what is wrong with this item."))
        elif (data.get("reason") or "").strip() and not data.get("item"):
            self.add_error("item", _("Choose the item this reason is about."))
        return data

    def return_item(self) -> ReturnItem | None:
        if not self.cleaned_data.get("item"):
            return None
        kind, _sep, ref = self.cleaned_data["item"].partition(RETURN_ITEM_SEPARATOR)
        return ReturnItem(kind, ref, self.cleaned_data["reason"].strip())


class BaseReturnReasonFormSet(forms.BaseFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        if not self.items():
            raise forms.ValidationError(
                _("Say what must be corrected: give at least one reason."), code="no_reason"
            )

    def items(self) -> list[ReturnItem]:
        return [item for form in self.forms if (item := form.return_item()) is not None]

    # A service's ValidationError about the reasons (`ocop.core.forms.add_service_errors`)
    # goes above the rows: the formset has no field of its own to put it on.
    @property
    def fields(self) -> dict:
        return {}

    def add_error(self, field, error) -> None:
        messages = forms.ValidationError(error).messages
        self._non_form_errors = self.error_class([*self.non_form_errors(), *messages])


ReturnReasonFormSet = forms.formset_factory(
    ReturnReasonForm, formset=BaseReturnReasonFormSet, extra=3, max_num=20
)


def return_item_choices(*, spec: FormSpec | None, checklist) -> list:
    """The items a working group may return: the dossier's document kinds, the form's
    criteria, or something else."""
    sep = RETURN_ITEM_SEPARATOR
    documents = [(f"{ReturnItemKind.DOCUMENT}{sep}{item.kind}", item.label) for item in checklist]
    listed = {item.kind for item in checklist}
    documents += [
        (f"{ReturnItemKind.DOCUMENT}{sep}{value}", label)
        for value, label in DocumentKind.choices
        if value not in listed
    ]
    criteria = [
        (
            f"{ReturnItemKind.CRITERION}{sep}{leaf.key}",
            f"{leaf.key} · {Truncator(leaf.label).chars(70)}",
        )
        for leaf in (spec.leaf_criteria() if spec else [])
    ]
    return [
        ("", "---------"),
        (_("Documents"), documents),
        (_("Criteria"), criteria),
        (_("Other"), [(f"{ReturnItemKind.OTHER}{sep}", _("Other (explain)"))]),
    ]


class AcceptForm(forms.Form):
    samples_count = forms.IntegerField(
        label=_("Samples received"), min_value=0, max_value=100, initial=DEFAULT_SAMPLES
    )
    samples_received_on = _date_field(_("Samples received on"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["samples_received_on"].initial = timezone.localdate


class ForwardForm(AcceptForm):
    """The commune's step under 1489/2025: samples, its assessment, and its letter."""

    local_origin_met = yes_no_field(
        label=_("Local origin"),
        yes=_("The product meets the local-origin criteria"),
        no=_("It does not"),
        required=_("Say whether the product meets the local-origin criteria."),
    )
    local_origin_note = LimitedTextField(
        label=_("Assessment of the local origin"),
        max_length=LONG_TEXT_MAX_LENGTH,
        help_text=_("Where the raw materials come from, where it is made, by whom."),
    )
    dossier_assessment = LimitedTextField(
        label=_("Assessment of the dossier"), max_length=LONG_TEXT_MAX_LENGTH
    )
    letter_number = forms.CharField(
        label=_("Forwarding letter number"),
        max_length=40,
        help_text=_("e.g. 125/UBND-KT"),
    )
    letter_date = _date_field(_("Forwarding letter date"))
    letter = forms.FileField(
        label=_("Signed forwarding letter (PDF)"),
        widget=forms.FileInput(attrs={"accept": "application/pdf,.pdf"}),
        error_messages={"required": _("Upload the signed forwarding letter as a PDF.")},
    )

    def assessment(self):
        from evaluations.intake.services.dossiers import CommuneAssessmentInput

        data = self.cleaned_data
        return CommuneAssessmentInput(
            local_origin_met=data["local_origin_met"],
            local_origin_note=data["local_origin_note"],
            dossier_assessment=data["dossier_assessment"],
            letter_number=data["letter_number"],
            letter_date=data["letter_date"],
            letter=data["letter"],
        )


class ExtendDeadlineForm(forms.Form):
    until = _date_field(_("New deadline"))
    reason = LimitedTextField(label=_("Reason"), max_length=REASON_MAX_LENGTH)


class WithdrawForm(forms.Form):
    reason = LimitedTextField(
        label=_("Reason (optional)"), max_length=REASON_MAX_LENGTH, required=False, rows=2
    )
