"""Forms of councils, sessions and score sheets."""

from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from evaluations.criteria.selectors import regime_in_force
from evaluations.engine.spec import FormSpec
from evaluations.enums import CouncilRole, Level
from evaluations.intake.forms import SelfAssessmentForm, docs_field, note_field
from evaluations.models import Council, Dossier, Round, Session
from ocop.core.enums import Role
from ocop.core.forms import IdMultipleChoiceField, LimitedTextField, yes_no_field
from ocop.core.limits import LONG_TEXT_MAX_LENGTH, NOTE_MAX_LENGTH
from ocop.core.models import AdministrativeUnit
from ocop.core.selectors import officer_unit_id

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
BLANK_CHOICE = _("- Select an option -")

# The levels a council may have here: each is set up by a People's Committee of a unit (the
# central council has no administrative unit in the registry).
COUNCIL_LEVELS = [(value, label) for value, label in Level.choices if value != Level.CENTRAL]


def _date_field(label, **kwargs) -> forms.DateField:
    return forms.DateField(
        label=label,
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        **kwargs,
    )


def council_unit_choices(user) -> QuerySet[AdministrativeUnit]:
    """The units a user may set up a council for, as a short select.

    An officer: their jurisdiction and the units directly below it whose level has a council
    under the regime in force today (a province officer of today's map: the province alone,
    since under 1489/2025 communes check dossiers but do not score; an officer of a unit of
    the old map, entering its history: the unit and those below it). An administrator: the
    units of today's map at a level that scores today.
    """
    units = AdministrativeUnit.objects.select_related("parent")
    today = timezone.localdate()
    scoring = _scoring_levels(today)
    if getattr(user, "is_authenticated", False) and user.has_role(Role.ADMINISTRATOR):
        units = units.in_force(today).filter(level__in=scoring)
        return units.order_by(
            "scheme", Coalesce("parent__code", "code"), F("parent_id").asc(nulls_first=True), "code"
        )
    unit_id = officer_unit_id(user)
    if not unit_id:
        return units.none()
    choices = units.filter(Q(pk=unit_id) | Q(parent_id=unit_id))
    if user.jurisdiction.in_force_on(today):
        choices = choices.filter(level__in=scoring)
    return choices.annotate(
        own=Case(When(pk=unit_id, then=Value(0)), default=Value(1), output_field=IntegerField())
    ).order_by("own", "code")


def _scoring_levels(day) -> list[str]:
    """The levels whose council scores under the regime in force on `day` (all, without
    one)."""
    regime = regime_in_force(day)
    if regime is None:
        return [level for level, _label in COUNCIL_LEVELS]
    return list(regime.levels.filter(scores=True).values_list("level", flat=True))


def _unit_label(unit: AdministrativeUnit) -> str:
    if unit.parent_id:
        return f"{unit.name} ({unit.parent.name})"
    return unit.name


class CouncilForm(forms.Form):
    """A council's name, establishing decision, term and rules (what can be changed later)."""

    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        help_text=_("As in the decision, e.g. “Hội đồng đánh giá, phân hạng sản phẩm OCOP …”."),
    )
    decision_number = forms.CharField(label=_("Establishing decision number"), max_length=40)
    decision_date = _date_field(_("Establishing decision date"))
    term_start = _date_field(_("Term from"))
    term_end = _date_field(
        _("Term until"), required=False, help_text=_("Leave empty for an open-ended term.")
    )
    quorum = forms.DecimalField(
        label=_("Quorum"),
        max_digits=3,
        decimal_places=2,
        initial=Decimal("0.75"),
        localize=False,
        help_text=_("The share of the scoring members who must score a product (3/4 is 0.75)."),
        widget=forms.NumberInput(attrs={"step": "0.05", "min": "0.5", "max": "1"}),
    )
    spread_threshold = forms.DecimalField(
        label=_("Spread threshold"),
        max_digits=5,
        decimal_places=2,
        initial=Decimal(10),
        localize=False,
        help_text=_(
            "The largest allowed difference, in points, between members' totals for a product."
        ),
        widget=forms.NumberInput(attrs={"step": "0.5", "min": "0"}),
    )
    discussion_clears_spread = forms.BooleanField(
        label=_("A written discussion alone may clear a wider spread"),
        required=False,
        initial=False,
        help_text=_(
            "Unticked (the usual rule): the council discusses and the members re-score before "
            "the result stands. Ticked: the council's recorded conclusion is enough."
        ),
    )

    @classmethod
    def initial_from(cls, council: Council) -> dict:
        return {name: getattr(council, name) for name in cls.base_fields}


class CouncilCreateForm(CouncilForm):
    level = forms.ChoiceField(label=_("Level"), choices=COUNCIL_LEVELS)
    unit = forms.ModelChoiceField(
        label=_("Administrative unit"),
        queryset=AdministrativeUnit.objects.none(),
        # Django's own blank choice label, named here so that our catalogue translates it
        # (Django's Vietnamese catalogue has no entry for it).
        empty_label=BLANK_CHOICE,
        help_text=_("The unit whose People's Committee sets up the council."),
    )

    field_order = ["level", "unit"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        units = council_unit_choices(user)
        self.fields["unit"].queryset = units
        self.fields["unit"].label_from_instance = _unit_label
        # On today's map, only the levels of the units offered (no district); an officer of
        # the old map entering its history keeps every level.
        offered = list(units.values_list("level", "valid_until"))
        if offered and all(valid_until is None for _level, valid_until in offered):
            levels = {level for level, _valid_until in offered}
            self.fields["level"].choices = [c for c in COUNCIL_LEVELS if c[0] in levels]


class MemberAddForm(forms.Form):
    """A member is an existing account, named by its username."""

    username = forms.CharField(
        label=_("Account (username)"),
        max_length=150,
        help_text=_("The person must already have an active account."),
        widget=forms.TextInput(
            attrs={"autocapitalize": "none", "autocomplete": "off", "spellcheck": "false"}
        ),
    )
    role = forms.ChoiceField(
        label=_("Role in the council"), choices=CouncilRole.choices, initial=CouncilRole.MEMBER
    )
    organisation = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    title = forms.CharField(label=pgettext_lazy("job", "Title"), max_length=120, required=False)

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        active = get_user_model().objects.filter(is_active=True)
        user = active.filter(username=username).first()
        if user is None:
            matches = list(active.filter(username__iexact=username)[:2])
            user = matches[0] if len(matches) == 1 else None
        if user is None:
            raise forms.ValidationError(
                _("No active account with this username."), code="no_account"
            )
        self.cleaned_data["user"] = user
        return username


class SessionCreateForm(forms.Form):
    round = forms.ModelChoiceField(
        label=_("Round"), queryset=Round.objects.none(), empty_label=BLANK_CHOICE
    )
    date = _date_field(_("Date of the meeting"))
    place = forms.CharField(label=_("Place"), max_length=200)

    def __init__(self, *args, rounds: QuerySet[Round], **kwargs):
        kwargs.setdefault("initial", {}).setdefault("date", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.fields["round"].queryset = rounds
        self.fields["round"].label_from_instance = lambda r: f"{r} · {r.province}"
        first = next(iter(rounds[:1]), None) if not self.is_bound else None
        if first is not None:
            self.initial.setdefault("round", first.pk)


class SessionRescheduleForm(forms.Form):
    date = _date_field(_("New date of the meeting"))


class AgendaForm(forms.Form):
    """The dossiers chosen for a session's agenda. Any dossier of the session's round is
    read; whether it may go on the agenda is the service's decision."""

    dossiers = IdMultipleChoiceField(
        label=_("Products"),
        queryset=Dossier.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _("A chosen dossier is not of this session's round."),
            "invalid_pk_value": _("A chosen dossier is not of this session's round."),
        },
    )

    def __init__(self, *args, session: Session, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dossiers"].queryset = Dossier.objects.filter(round_id=session.round_id)

    def selected_ids(self) -> set[int]:
        """The checked boxes as posted (kept when the page is shown again)."""
        if not self.is_bound:
            return set()
        ids = set()
        for raw in self.data.getlist(self.add_prefix("dossiers")):
            try:
                ids.add(int(raw))
            except (TypeError, ValueError):
                continue
        return ids


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
    has_conflict = yes_no_field(
        label=_("Conflict of interest"),
        yes=_("I have a conflict of interest and withdraw from scoring this product."),
        no=_("I have no conflict of interest with this product or its producer."),
        required=_("Choose one of the two statements."),
        no_first=True,
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


class ExcuseForm(forms.Form):
    """The chair excuses a member whose reopened sheet is not resubmitted."""

    sheet = forms.TypedChoiceField(label=_("Member"), coerce=int, choices=())
    reason = LimitedTextField(
        label=_("Reason for excusing the member"),
        max_length=NOTE_MAX_LENGTH,
        rows=2,
        error_messages={"required": _("Give the reason for excusing the member.")},
    )

    def __init__(self, *args, sheet_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sheet"].choices = sheet_choices
        self.fields["sheet"].error_messages["invalid_choice"] = _(
            "Choose a member whose reopened sheet is not resubmitted."
        )
