"""Forms validate input and hand it to a service; none exposes `state`."""

from django import forms
from django.apps import apps
from django.contrib.auth import password_validation
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ocop.core.forms import (
    AddressFormMixin,
    IdMultipleChoiceField,
    LimitedTextField,
    apply_text_limit,
)
from ocop.core.limits import LONG_TEXT_MAX_LENGTH, NOTE_MAX_LENGTH
from ocop.core.models import AdministrativeUnit, User
from ocop.core.rules import is_administrator
from products.enums import DocumentKind, OutletKind, SalesPointKind
from products.models import EvidenceDocument, Outlet, Producer, Product, ProductSet, SalesPoint
from products.selectors import outlet_product_choices
from products.services.documents import document_uses, validate_document_dates
from products.services.producers import PROFILE_FIELDS
from products.services.products import CERTIFIED_FIELDS, PHOTOS_AT_ONCE, PRODUCT_FIELDS
from products.services.sales import (
    outlet_values,
    sales_point_values,
    validate_outlet,
    validate_sales_point,
)
from products.validators import (
    DUPLICATE_REGISTRATION_NO,
    DUPLICATE_TAX_CODE,
    normalise_business_number,
    normalise_phone,
    validate_business_number,
    validate_phone,
    validate_published_phone,
    validate_web_url,
)

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
ADDRESS_FIELDS = ("province", "district", "commune", "address_detail")


class ProducerProfileForm(AddressFormMixin, forms.ModelForm):
    """The producer's profile; the commune must lie in the chosen province (and district, on
    the three-tier map)."""

    class Meta:
        model = Producer
        # The service's fields, less the commune, which the address selects provide.
        fields = [f for f in PROFILE_FIELDS if f != "address_unit"]
        labels = {
            "name": _("Producer name"),
            "representative_name": _("Full name"),
            "representative_title": _("Position"),
        }
        help_texts = {
            "name": _("As on the business registration, e.g. HTX Nông nghiệp Mãn Đức."),
            "tax_code": _("10 digits, or 10-3 for a branch."),
        }
        widgets = {
            "registration_no": forms.TextInput(attrs={"inputmode": "numeric"}),
            "tax_code": forms.TextInput(attrs={"inputmode": "numeric"}),
            "representative_gender": forms.RadioSelect,
            "phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        }
        error_messages = {
            "registration_no": {"unique": DUPLICATE_REGISTRATION_NO},
            "tax_code": {"unique": DUPLICATE_TAX_CODE},
        }

    field_order = [
        "kind",
        "name",
        "registration_no",
        "tax_code",
        "representative_name",
        "representative_title",
        "representative_gender",
        "representative_ethnic_minority",
        *ADDRESS_FIELDS,
        "phone",
        "email",
    ]

    def __init__(self, *args, **kwargs):
        instance = kwargs.get("instance")
        if instance is not None and instance.address_unit_id and not kwargs.get("data"):
            # On today's map: an address recorded on the old one starts from the commune it
            # went to (the producer picks among several when it was split).
            kwargs.setdefault("initial", {}).update(self.initial_for(instance.address_unit))
        super().__init__(*args, **kwargs)
        for name in ("province", "district", "commune"):
            if name in self.fields:
                self.fields[name].required = True
        self.fields["representative_gender"].choices = [
            c for c in self.fields["representative_gender"].choices if c[0]
        ]

    def clean_registration_no(self) -> str:
        value = normalise_business_number(self.cleaned_data["registration_no"])
        validate_business_number(value)
        return value

    def clean_tax_code(self) -> str:
        value = normalise_business_number(self.cleaned_data["tax_code"])
        validate_business_number(value)
        return value

    def clean_phone(self) -> str:
        value = normalise_phone(self.cleaned_data["phone"])
        validate_phone(value)
        return value

    def profile(self) -> dict:
        """The cleaned profile, as the producer services take it."""
        data = {field: self.cleaned_data[field] for field in self._meta.fields}
        data["address_unit"] = self.cleaned_data["commune"]
        return data


class NewAccountMixin(forms.Form):
    """The fields and checks of a new account: names, a free username, a valid password twice.

    `email_for_password_check()` gives the address the password must not resemble.
    """

    last_name = forms.CharField(
        label=_("Family and middle names"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    first_name = forms.CharField(
        label=_("Given name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        help_text=_("Letters, digits and @/./+/-/_ only; you log in with it."),
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def email_for_password_check(self) -> str:
        raise NotImplementedError

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip()
        User.username_validator(username)
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("This username is taken."), code="unique")
        return username

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("The two passwords do not match."))
        elif password2:
            candidate = User(
                username=cleaned.get("username", ""),
                first_name=cleaned.get("first_name", ""),
                last_name=cleaned.get("last_name", ""),
                email=self.email_for_password_check(),
            )
            try:
                password_validation.validate_password(password2, candidate)
            except forms.ValidationError as error:
                self.add_error("password2", error)
        return cleaned


class ProducerRegistrationForm(NewAccountMixin, ProducerProfileForm):
    """Self-registration: the account and the producer in one form."""

    account_email = forms.EmailField(
        label=_("Your email"),
        help_text=_("Notifications and password resets are sent here."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    ACCOUNT_FIELDS = (
        "last_name",
        "first_name",
        "username",
        "account_email",
        "password1",
        "password2",
    )
    field_order = [*ACCOUNT_FIELDS, *ProducerProfileForm.field_order]

    def clean_account_email(self) -> str:
        email = self.cleaned_data["account_email"].strip()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                _(
                    "An account with this email address exists already. Log in with it, or "
                    "reset its password."
                ),
                code="unique",
            )
        return email

    def email_for_password_check(self) -> str:
        return self.cleaned_data.get("account_email", "")


class ProducerCreateForm(ProducerProfileForm):
    """An officer enters a producer of the area; the owner is invited by mail."""

    owner_email = forms.EmailField(
        label=_("Owner's email"),
        required=False,
        help_text=_("Optional: we send an invitation; whoever accepts it first becomes the owner."),
    )
    field_order = [*ProducerProfileForm.field_order, "owner_email"]

    def __init__(self, *args, officer, **kwargs):
        self.officer = officer
        if officer.jurisdiction_id and not kwargs.get("data"):
            kwargs.setdefault("initial", {}).update(self.initial_for(officer.jurisdiction))
        super().__init__(*args, **kwargs)

    def clean_commune(self):
        commune = self.cleaned_data.get("commune")
        jurisdiction = self.officer.jurisdiction if self.officer.jurisdiction_id else None
        outside = jurisdiction is None or not jurisdiction.contains(commune)
        if commune and not self.officer.is_superuser and outside:
            raise forms.ValidationError(
                _("This commune is outside your jurisdiction."), code="jurisdiction"
            )
        return commune


class ProducerRejectForm(forms.Form):
    reason = LimitedTextField(
        label=_("What must the producer correct?"), rows=4, max_length=NOTE_MAX_LENGTH
    )


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("Email of the person to invite"),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )


class InvitationSignupForm(NewAccountMixin, forms.Form):
    def __init__(self, *args, email: str = "", **kwargs):
        self.email = email
        super().__init__(*args, **kwargs)

    def email_for_password_check(self) -> str:
        return self.email


# The product's free-text fields (TextField in the model): their limits on the form.
TEXT_LIMITS = {
    "description": LONG_TEXT_MAX_LENGTH,
    "ingredients": NOTE_MAX_LENGTH,
    "markets": NOTE_MAX_LENGTH,
}


class ProductForm(forms.ModelForm):
    class Meta:
        model = Product
        fields = list(PRODUCT_FIELDS)
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "ingredients": forms.Textarea(attrs={"rows": 3}),
            "markets": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "product_set": _("The product set decides which scoring form the product uses."),
            "shelf_life": _("e.g. 12 months"),
            "capacity": _("e.g. 20 tonnes a year"),
            "markets": _("Where it is sold: provinces, shops, export."),
        }

    def __init__(self, *args, producer: Producer, **kwargs):
        self.producer = producer
        super().__init__(*args, **kwargs)
        self.fields["product_set"].queryset = ProductSet.objects.select_related(
            "group__sector"
        ).order_by("number")
        # A set whose scoring form cannot be used yet says so in its option, at once.
        warnings = {
            set_id: text
            for config in apps.get_app_configs()
            if hasattr(config, "product_set_warnings")
            for set_id, text in config.product_set_warnings().items()
        }
        if warnings:
            self.fields["product_set"].label_from_instance = lambda s: (
                f"{s} — ⚠ {warnings[s.pk]}" if s.pk in warnings else str(s)
            )
            self.fields["product_set"].help_text = _(
                "The product set decides which scoring form the product uses. Sets marked ⚠ "
                "cannot be registered to a round until their form is corrected; the province's "
                "OCOP office tells you when."
            )
        for name, limit in TEXT_LIMITS.items():
            if name in self.fields:
                apply_text_limit(self.fields[name], limit)
        if self.instance.pk and self.instance.holds_valid_certificate(timezone.localdate()):
            # Changed only through a request the OCOP office accepts (services.change_requests).
            for field in CERTIFIED_FIELDS:
                self.fields[field].disabled = True
                self.fields[field].help_text = _(
                    "Certified: a change needs the OCOP office's approval (Request a change, "
                    "on the product's page)."
                )

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        taken = (
            Product.objects.filter(producer=self.producer, name__iexact=name)
            .exclude(pk=self.instance.pk)
            .exists()
        )
        if taken:
            raise forms.ValidationError(
                _("This producer already has a product with this name."), code="unique"
            )
        return name

    def values(self) -> dict:
        return {field: self.cleaned_data[field] for field in self._meta.fields}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented recipe): cleans to a list."""

    def __init__(self, *args, max_files: int, **kwargs):
        self.max_files = max_files
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        if len(files) > self.max_files:
            raise forms.ValidationError(
                _("Send at most %(n)d files at once.") % {"n": self.max_files},
                code="too_many",
            )
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class PhotoForm(forms.Form):
    image = MultipleFileField(
        label=_("Photos"),
        max_files=PHOTOS_AT_ONCE,
        help_text=_(
            "JPEG or PNG, at most 10 MB each and 20 MB in all; choose several at once if you like."
        ),
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png"}),
    )
    caption = forms.CharField(label=_("Caption"), max_length=200, required=False)


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=pgettext_lazy("document", "Kind"), choices=DocumentKind.choices)
    title = forms.CharField(label=pgettext_lazy("document", "Title"), max_length=200)
    product = forms.ModelChoiceField(
        label=_("Product"),
        queryset=Product.objects.none(),
        required=False,
        empty_label=_("— the producer as a whole —"),
    )
    issued_on = forms.DateField(label=_("Issued on"), required=False, widget=DATE_WIDGET)
    valid_until = forms.DateField(
        label=_("Valid until"),
        required=False,
        widget=DATE_WIDGET,
        help_text=_("Leave empty if it does not expire."),
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, JPEG, PNG, Word (DOCX) or Excel (XLSX), at most 20 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.docx,.xlsx"}),
    )

    def __init__(self, *args, producer: Producer, replaces: EvidenceDocument | None = None, **kw):
        if replaces is not None and not kw.get("data"):
            kw.setdefault("initial", {}).update(
                kind=replaces.kind, title=replaces.title, product=replaces.product_id
            )
        super().__init__(*args, **kw)
        self.fields["product"].queryset = producer.products.order_by("name")
        self.uses = []
        if replaces is not None:
            # A new version is of the same kind.
            del self.fields["kind"]
            self.uses = document_uses(replaces)
            if self.uses:
                self.fields["keep"] = forms.MultipleChoiceField(
                    label=_("Keep the old version in"),
                    choices=[(use.key, use.label) for use in self.uses],
                    required=False,
                    widget=forms.CheckboxSelectMultiple,
                    help_text=_(
                        "The new version replaces the old one in these dossiers. Tick a "
                        "dossier only to keep the old version in it on purpose."
                    ),
                )

    def clean(self):
        cleaned = super().clean()
        try:
            validate_document_dates(cleaned.get("issued_on"), cleaned.get("valid_until"))
        except forms.ValidationError as error:
            self.add_error(None, error)
        return cleaned


class ProductChangeRequestForm(forms.Form):
    """A certified product's new name or product set, and why."""

    name = forms.CharField(label=_("New name"), max_length=200)
    product_set = forms.ModelChoiceField(
        label=_("New product set"),
        queryset=ProductSet.objects.select_related("group__sector").order_by("number"),
    )
    reason = LimitedTextField(label=_("Reason for the change"), max_length=NOTE_MAX_LENGTH, rows=3)


class ChangeDecisionForm(forms.Form):
    note = LimitedTextField(
        label=_("Note"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        rows=2,
        help_text=_("Required to refuse."),
    )


class ProducerLocateForm(forms.Form):
    """Which commune of today's map the producer lies in: one of those its old commune went
    to (one when it was merged whole; several when it was split)."""

    commune = forms.ModelChoiceField(
        label=_("Commune on today's map"),
        queryset=AdministrativeUnit.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
    )

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = AdministrativeUnit.objects.filter(
            pk__in=[unit.pk for unit in choices]
        ).select_related("parent")
        self.fields["commune"].label_from_instance = lambda unit: unit.full_path
        if len(choices) == 1:
            self.fields["commune"].initial = choices[0].pk


# --- where to buy (decision 0030) ---------------------------------------------------------


class WebURLField(forms.URLField):
    """A web page's address: https:// is assumed when none is typed; http(s) only, with one
    message (Django's URLField also takes ftp://)."""

    default_validators = [validate_web_url]

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 500)
        kwargs.setdefault("assume_scheme", "https")
        kwargs.setdefault(
            "widget", forms.URLInput(attrs={"inputmode": "url", "placeholder": "https://"})
        )
        super().__init__(**kwargs)


def _published_phone_field() -> forms.CharField:
    return forms.CharField(
        label=_("Phone to publish"),
        max_length=20,
        required=False,
        validators=[validate_published_phone],
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
        help_text=_("Optional. Shown to everyone as typed: give the place's number."),
    )


def _add_errors_once(form, error: forms.ValidationError, field_map: dict) -> None:
    """The service's checks, on the form's fields; a field the form already refused keeps
    its own message only."""
    for field, errors in error.error_dict.items():
        target = field_map.get(field, field)
        target = target if target in form.fields else None
        if target is None or target not in form.errors:
            form.add_error(target, forms.ValidationError(errors))


class SalesPointForm(AddressFormMixin, forms.Form):
    """A producer's place to buy; the commune and street address are for a shop, the web
    address for a page online (the service checks it all again)."""

    kind = forms.ChoiceField(
        label=_("Kind of place"),
        choices=SalesPointKind.choices,
        widget=forms.RadioSelect,
        help_text=_("An e-commerce page: your shop on Shopee, Lazada, Tiki, TikTok Shop, Sendo…"),
    )
    name = forms.CharField(
        label=_("Name"),
        max_length=120,
        help_text=_("As buyers will see it, e.g. “Cửa hàng HTX ở chợ Mãn Đức” or “Shopee”."),
    )
    products = IdMultipleChoiceField(
        label=_("Products sold there"),
        queryset=Product.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    address_detail = forms.CharField(
        label=_("Street address"),
        max_length=200,
        required=False,
        help_text=_("For a shop: house number, street or village."),
    )
    opening_hours = forms.CharField(
        label=_("Opening hours"),
        max_length=200,
        required=False,
        help_text=_("Optional, e.g. 7:00–18:00 every day."),
    )
    phone = _published_phone_field()
    url = WebURLField(
        label=_("Web address"),
        required=False,
        help_text=_("Required for a page online; optional for a shop."),
    )
    order = forms.IntegerField(
        label=_("Position in the list"),
        min_value=0,
        max_value=999,
        required=False,
        help_text=_("Optional: smaller numbers come first."),
    )

    field_order = [
        "kind",
        "name",
        "products",
        "province",
        "commune",
        "address_detail",
        "opening_hours",
        "phone",
        "url",
        "order",
    ]

    def __init__(self, *args, producer: Producer, instance: SalesPoint | None = None, **kwargs):
        self.producer = producer
        self.instance = instance
        if instance is not None and not kwargs.get("data"):
            initial = kwargs.setdefault("initial", {})
            initial.update(
                kind=instance.kind,
                name=instance.name,
                products=[p.pk for p in instance.products.all()],
                address_detail=instance.address_detail,
                opening_hours=instance.opening_hours,
                phone=instance.phone,
                url=instance.url,
                order=instance.order,
            )
            initial.update(self.initial_for(instance.address_unit))
        super().__init__(*args, **kwargs)
        self.fields["products"].queryset = producer.products.order_by("name", "pk")
        self.fields["commune"].help_text = _("For a shop.")

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            "kind": data.get("kind", ""),
            "name": data.get("name", ""),
            "products": list(data.get("products") or ()),
            "address_unit": data.get("commune"),
            "address_detail": data.get("address_detail", ""),
            "opening_hours": data.get("opening_hours", ""),
            "phone": data.get("phone", ""),
            "url": data.get("url", ""),
            "order": data.get("order") or 0,
        }

    def clean(self):
        cleaned = super().clean()
        values = sales_point_values(self.values())
        product_ids = values.pop("products")
        point = SalesPoint(
            pk=self.instance.pk if self.instance else None, producer=self.producer, **values
        )
        try:
            validate_sales_point(point, product_ids)
        except forms.ValidationError as error:
            _add_errors_once(self, error, {"address_unit": "commune"})
        return cleaned


class OutletForm(AddressFormMixin, forms.Form):
    """An OCOP point of sale or a fair of a province of today's map: the officer's own
    province, or any for an administrator. The days are for a fair."""

    kind = forms.ChoiceField(
        label=_("Kind of place"), choices=OutletKind.choices, widget=forms.RadioSelect
    )
    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        help_text=_("e.g. “Điểm giới thiệu và bán sản phẩm OCOP tỉnh Phú Thọ”."),
    )
    address_detail = forms.CharField(
        label=_("Street address"),
        max_length=200,
        help_text=_("House number and street, or the venue of the fair."),
    )
    opening_hours = forms.CharField(label=_("Opening hours"), max_length=200, required=False)
    phone = _published_phone_field()
    url = WebURLField(label=_("Web address"), required=False)
    first_day = forms.DateField(
        label=_("First day"), required=False, widget=DATE_WIDGET, help_text=_("For a fair.")
    )
    last_day = forms.DateField(
        label=_("Last day"), required=False, widget=DATE_WIDGET, help_text=_("For a fair.")
    )
    products = IdMultipleChoiceField(
        label=_("Products sold or shown there"),
        queryset=Product.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Optional: the province's OCOP products. Leave it empty for a place that sells the "
            "province's OCOP products in general."
        ),
    )

    field_order = [
        "kind",
        "name",
        "province",
        "commune",
        "address_detail",
        "opening_hours",
        "phone",
        "url",
        "first_day",
        "last_day",
        "products",
    ]

    def __init__(self, *args, user, instance: Outlet | None = None, **kwargs):
        self.user = user
        self.instance = instance
        own = None if is_administrator.test(user) else user.jurisdiction_id
        if not kwargs.get("data"):
            initial = kwargs.setdefault("initial", {})
            if instance is not None:
                initial.update(
                    kind=instance.kind,
                    name=instance.name,
                    address_detail=instance.address_detail,
                    opening_hours=instance.opening_hours,
                    phone=instance.phone,
                    url=instance.url,
                    first_day=instance.first_day,
                    last_day=instance.last_day,
                    products=[p.pk for p in instance.products.all()],
                )
                initial.update(self.initial_for(instance.address_unit))
            elif own:
                initial["province"] = own
        super().__init__(*args, **kwargs)
        provinces = self.fields["province"].queryset
        if own:
            # The office's own province only.
            self.fields["province"].queryset = provinces.filter(pk=own)
            self.fields["province"].empty_label = None
        self.fields["province"].required = True
        self.fields["commune"].required = True
        province = self._selected("province", self.fields["province"].queryset)
        products = self.fields["products"]
        products.queryset = outlet_product_choices(province, listed=instance)
        products.label_from_instance = lambda p: (
            f"{p.name} — {p.producer.name}" + (f" ({p.ocop_stars}★)" if p.ocop_stars else "")
        )

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            "kind": data.get("kind", ""),
            "name": data.get("name", ""),
            "address_unit": data.get("commune"),
            "address_detail": data.get("address_detail", ""),
            "opening_hours": data.get("opening_hours", ""),
            "phone": data.get("phone", ""),
            "url": data.get("url", ""),
            "first_day": data.get("first_day"),
            "last_day": data.get("last_day"),
            "products": list(data.get("products") or ()),
        }

    def clean(self):
        cleaned = super().clean()
        values = outlet_values(self.values())
        product_ids = values.pop("products")
        outlet = Outlet(
            pk=self.instance.pk if self.instance else None,
            province=cleaned.get("province"),
            created_by=self.user,
            **values,
        )
        try:
            validate_outlet(outlet, product_ids)
        except forms.ValidationError as error:
            _add_errors_once(self, error, {"address_unit": "commune"})
        return cleaned
