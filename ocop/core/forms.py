import json

from django import forms
from django.contrib.auth.forms import PasswordResetForm
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.template import loader
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ocop.core.enums import UnitLevel, UnitScheme
from ocop.core.limits import TOO_LONG, normalise_newlines
from ocop.core.mail import mail_on_commit
from ocop.core.models import AdministrativeUnit, User
from ocop.core.models.units import scheme_in_force
from ocop.core.services.logins import user_password_reset_allowed
from ocop.core.services.users import PROFILE_FIELDS


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = PROFILE_FIELDS
        widgets = {"phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"})}

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].replace(" ", "").replace(".", "")
        if phone and not (phone.lstrip("+").isdigit() and 9 <= len(phone.lstrip("+")) <= 15):
            raise forms.ValidationError(
                _("Enter a phone number of 9 to 15 digits, e.g. 0912345678."), code="phone"
            )
        return phone


class AddressFormMixin(forms.Form):
    """Province → (district →) commune with dependent selects (htmx), on the map in force
    today (decision 0020): province → commune since 01/07/2025, when districts were
    abolished; the district select exists only on the three-tier map.

    Each select's choices depend on the one above it, both when rendering and when
    validating, so a commune that is not in the chosen province (or district) is refused.
    """

    # None: the map in force today. A form may be given another (`scheme=`), e.g. to browse.
    address_scheme: str | None = None

    province = forms.ModelChoiceField(
        label=_("Province"), queryset=AdministrativeUnit.objects.none(), required=False
    )
    district = forms.ModelChoiceField(
        label=_("District"), queryset=AdministrativeUnit.objects.none(), required=False
    )
    commune = forms.ModelChoiceField(
        label=_("Commune"), queryset=AdministrativeUnit.objects.none(), required=False
    )

    def __init__(self, *args, scheme: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.address_scheme = scheme or self.address_scheme or scheme_in_force()
        units = AdministrativeUnit.objects.filter(scheme=self.address_scheme).order_by("code")
        self.fields["province"].queryset = units.filter(level=UnitLevel.PROVINCE)
        province = self._selected("province", units)
        if self.address_scheme == UnitScheme.TWO_TIER:
            del self.fields["district"]
            chain = (("province", "commune"),)
            commune_parent = province
        else:
            district = self._selected("district", units)
            self.fields["district"].queryset = (
                units.filter(parent=province, level=UnitLevel.DISTRICT)
                if province
                else units.none()
            )
            chain = (("province", "district"), ("district", "commune"))
            commune_parent = district
        self.fields["commune"].queryset = (
            units.filter(parent=commune_parent, level=UnitLevel.COMMUNE)
            if commune_parent
            else units.none()
        )
        for name, child in chain:
            self.fields[name].widget.attrs.update(
                {
                    "hx-get": _options_url(),
                    "hx-target": f"#id_{self.add_prefix(child)}",
                    "hx-trigger": "change",
                    "hx-vals": json.dumps(
                        {"child": child, "parent": name, "scheme": self.address_scheme}
                    ),
                    "hx-include": "this",
                    "data-address-parent": child,
                }
            )

    @property
    def has_districts(self) -> bool:
        return "district" in self.fields

    def _selected(self, name: str, units):
        key = self.add_prefix(name)
        raw = self.data.get(key) if self.is_bound else self.initial.get(name)
        if isinstance(raw, AdministrativeUnit):
            return raw
        if not raw:
            return None
        try:
            return units.filter(pk=int(raw)).first()
        except (TypeError, ValueError):
            return None

    def selected_unit(self) -> AdministrativeUnit | None:
        """The most precise unit chosen."""
        data = self.cleaned_data
        return data.get("commune") or data.get("district") or data.get("province")

    @staticmethod
    def initial_for(unit: AdministrativeUnit | None) -> dict[str, int]:
        """The selects' initial values for an address on today's map: `unit` itself, or, for
        a unit of the old map, the unit of today's map it went to (only the province when
        it was split among several)."""
        from ocop.core.selectors import units_now

        if unit is None:
            return {}
        if not unit.in_force_on(timezone.localdate()):
            now = units_now(unit)
            if not now:
                return {}
            if len(now) > 1:
                provinces = {u.parent_id or u.pk for u in now}
                return {"province": provinces.pop()} if len(provinces) == 1 else {}
            unit = now[0]
        chain = [*unit.ancestors(), unit]
        return {u.level: u.pk for u in chain}


def _options_url() -> str:
    from django.urls import reverse

    return reverse("core:unit_options")


class UnitLookupForm(AddressFormMixin):
    pass


# The range of a signed 64-bit integer, the widest id column of the databases we run on. A value
# outside it names no row, and drivers refuse to send it (SQLite raises OverflowError; an
# `IN (...)` list is not range-checked by Django as `=` is), so it is refused before any query.
ID_MIN, ID_MAX = -(2**63), 2**63 - 1


def parse_id(raw) -> int | None:
    """The integer id in `raw` (a posted string or an int), or None if it cannot be one:
    not plain ASCII digits, or out of a database integer's range."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        value = raw
    else:
        text = str(raw).strip()
        digits = text[1:] if text[:1] in "+-" else text
        if not (digits.isascii() and digits.isdigit()) or len(digits) > 19:
            return None
        value = int(text)
    return value if ID_MIN <= value <= ID_MAX else None


def _has_integer_key(model, to_field_name: str | None) -> bool:
    field = model._meta.get_field(to_field_name) if to_field_name else model._meta.pk
    while field.is_relation:  # a one-to-one primary key, a foreign key as the key
        field = field.target_field
    return isinstance(field, models.IntegerField)


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):
    """ModelMultipleChoiceField for ids that come from users (checkboxes, hand-made posts).

    A value that cannot be an id (`99999999999999999999`, `1e5`, `abc`) is refused with the
    field's `invalid_pk_value` message before any query, on every database: Django checks
    the range of `pk=` but not of `pk__in=`, which SQLite cannot send (a 500).
    """

    def _check_values(self, value):
        if _has_integer_key(self.queryset.model, self.to_field_name):
            for raw in value:
                if not hasattr(raw, "pk") and parse_id(raw) is None:
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": raw},
                    )
        return super()._check_values(value)


def yes_no_field(*, label, yes, no, required, no_first=False) -> forms.TypedChoiceField:
    """Two statements as radio buttons, `yes` meaning True (a declaration, an assessment):
    the user reads both before choosing, nothing is preselected."""
    choices = [("yes", yes), ("no", no)]
    return forms.TypedChoiceField(
        label=label,
        choices=choices[::-1] if no_first else choices,
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": required},
    )


def _at_most_characters(limit: int) -> str:
    return gettext("At most %(n)d characters.") % {"n": limit}


at_most_characters = lazy(_at_most_characters, str)


def apply_text_limit(field: forms.CharField, limit: int) -> forms.CharField:
    """Give a text field its limit, shown and enforced: `maxlength` on the input, "At most N
    characters." after its help text, and a clear message past the limit (also for a
    field a ModelForm made from a TextField). The limits are in `ocop.core.limits`."""
    field.max_length = limit
    field.widget.attrs["maxlength"] = str(limit)
    field.validators = [v for v in field.validators if not isinstance(v, MaxLengthValidator)]
    field.validators.append(MaxLengthValidator(limit, message=TOO_LONG))
    note = at_most_characters(limit)
    field.help_text = format_lazy("{} {}", field.help_text, note) if field.help_text else note
    return field


class LimitedTextField(forms.CharField):
    """Free text (a reason, a note, findings) with its limit shown and enforced; a textarea
    unless told otherwise. Line breaks count as one character, as the browser counts them."""

    def __init__(self, *, max_length: int, rows: int = 3, widget=None, **kwargs):
        super().__init__(widget=widget or forms.Textarea(attrs={"rows": rows}), **kwargs)
        apply_text_limit(self, max_length)

    def to_python(self, value):
        value = super().to_python(value)
        return normalise_newlines(value) if isinstance(value, str) else value


def add_service_errors(form, error: ValidationError, field_map: dict | None = None) -> None:
    """Show a service's ValidationError on the form's fields (or above the form).

    Services validate what forms cannot (uniqueness, state, deadlines); their messages land
    on the field they name when the form has it, else above the form, and the input is kept.
    An error that names no field goes above the form, or on the field `field_map[None]` names
    (a file's content refused: under the file).
    """
    if not hasattr(error, "error_dict"):
        form.add_error((field_map or {}).get(None), error)
        return
    for field, errors in error.error_dict.items():
        target = (field_map or {}).get(field, field)
        form.add_error(target if target in form.fields else None, ValidationError(errors))


class ThrottledPasswordResetForm(PasswordResetForm):
    """Django's form, with at most OCOP_PASSWORD_RESET_LIMIT mails an hour per account.

    Over the limit no mail goes out, and the answer is the same as for any address, known
    or not: the page never tells whether an address has an account.
    """

    def get_users(self, email):
        for user in super().get_users(email):
            if user_password_reset_allowed(user=user):
                yield user

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        """Django's mail, rendered here and sent by the worker (ocop.core.mail)."""
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        html_body = (
            loader.render_to_string(html_email_template_name, context)
            if html_email_template_name
            else ""
        )
        mail_on_commit(subject=subject, body=body, to=[to_email], html_body=html_body)


class DeletionRequestForm(forms.Form):
    reason = forms.CharField(
        label=_("Why (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DeletionRefusalForm(forms.Form):
    note = forms.CharField(
        label=_("Reason for refusing, which the person will read"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
