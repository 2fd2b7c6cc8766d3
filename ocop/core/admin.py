from axes.admin import AccessAttemptAdmin as AxesAccessAttemptAdmin
from axes.models import AccessAttempt
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm, UserCreationForm
from django.core.exceptions import ValidationError
from django.db import DataError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ocop.core.enums import Role
from ocop.core.forms import IdMultipleChoiceField, parse_id
from ocop.core.models import AdministrativeUnit, AuditEntry, User
from ocop.core.services.logins import login_unlock
from ocop.core.services.users import user_set_access, validate_access


class _SafeAutocompleteMixin:
    """An autocomplete select shown again with what was posted: values that cannot be ids
    are not looked up (Django filters `pk__in` with them, a 500 for `1e400`, and on SQLite
    for `99999999999999999999`); the field's own error says what is wrong."""

    def optgroups(self, name, value, attr=None):
        value = [v for v in value if v in ("", None) or parse_id(v) is not None]
        return super().optgroups(name, value, attr)


class SafeAutocompleteSelect(_SafeAutocompleteMixin, AutocompleteSelect):
    pass


class SafeAutocompleteSelectMultiple(_SafeAutocompleteMixin, AutocompleteSelectMultiple):
    pass


class SafeLookupsMixin:
    """Bad input to the admin is answered by the admin, never by a 500.

    The lists take any lookup on the model's own fields from the address
    (`?date_joined__year=99999999999`, `?id__in=99999999999999999999`); Django turns most bad
    values into its "?e=1" page, but values that fail only when the query runs (a year past
    any date, an id past SQLite's integers) gave a 500: they get the same page. The forms'
    related fields take ids that no column can hold (`IdMultipleChoiceField`, the safe
    autocomplete widgets) and answer with a field error.

    Assumes integer keys for autocomplete fields, as every model of ours has.
    """

    def get_changelist_instance(self, request):
        try:
            return super().get_changelist_instance(request)
        except (OverflowError, ValueError, DataError) as error:
            raise IncorrectLookupParameters(error) from error

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        kwargs.setdefault("form_class", IdMultipleChoiceField)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class AccessFormMixin(forms.Form):
    roles = forms.MultipleChoiceField(
        label=_("Roles"), choices=Role.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    def clean(self):
        cleaned = super().clean()
        try:
            validate_access(
                roles=cleaned.get("roles") or [],
                jurisdiction=cleaned.get("jurisdiction"),
                previous=self.instance.jurisdiction_id if self.instance.pk else None,
            )
        except ValidationError as error:
            self.add_error("jurisdiction", error)
        return cleaned


class OcopUserCreationForm(AccessFormMixin, UserCreationForm):
    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email", "jurisdiction")


class OcopUserChangeForm(AccessFormMixin, UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["roles"].initial = [r.value for r in self.instance.roles]


@admin.register(User)
class UserAdmin(SafeLookupsMixin, DjangoUserAdmin):
    form = OcopUserChangeForm
    add_form = OcopUserCreationForm
    list_display = ("username", "email", "first_name", "last_name", "jurisdiction", "is_active")
    list_select_related = ("jurisdiction",)
    list_filter = ("groups", "is_active", "is_staff")
    autocomplete_fields = ("jurisdiction",)
    readonly_fields = ("last_login", "date_joined", "is_staff")
    actions = ["unlock_login"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email", "phone")}),
        (_("Access"), {"fields": ("roles", "jurisdiction", "is_active", "is_staff")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "email", "password1", "password2", "roles", "jurisdiction"),
            },
        ),
    )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        user_set_access(
            user=form.instance,
            roles=form.cleaned_data.get("roles") or [],
            jurisdiction=form.cleaned_data.get("jurisdiction"),
            actor=request.user,
        )

    @admin.action(description=_("Unlock login (after too many failed attempts)"))
    def unlock_login(self, request, queryset):
        removed = sum(login_unlock(username=u.username, actor=request.user) for u in queryset)
        self.message_user(
            request,
            _("Login unlocked; %(count)d failed attempt records removed.") % {"count": removed},
            messages.SUCCESS,
        )


# django-axes' list of failed logins, with one change: unlocking goes through the service,
# which records who unlocked what in the audit log; records are never deleted by hand.
if admin.site.is_registered(AccessAttempt):
    admin.site.unregister(AccessAttempt)


@admin.register(AccessAttempt)
class AccessAttemptAdmin(SafeLookupsMixin, AxesAccessAttemptAdmin):
    actions = ["unlock"]

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Unlock these accounts and addresses"))
    def unlock(self, request, queryset):
        removed = 0
        for username, ip_address in set(queryset.values_list("username", "ip_address")):
            removed += login_unlock(
                username=username or "", ip_address=ip_address or "", actor=request.user
            )
        self.message_user(
            request,
            _("Login unlocked; %(count)d failed attempt records removed.") % {"count": removed},
            messages.SUCCESS,
        )


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(SafeLookupsMixin, admin.ModelAdmin):
    list_display = ("code", "name", "level", "scheme", "parent")
    list_filter = ("scheme", "level")
    search_fields = ("name", "short_name", "code")
    list_select_related = ("parent",)
    readonly_fields = ("scheme", "level", "code", "name", "short_name", "division_type", "parent")

    def get_search_results(self, request, queryset, search_term):
        # An officer's area is chosen on the map in force today (decision 0020).
        if request.GET.get("field_name") == "jurisdiction":
            queryset = queryset.in_force(timezone.localdate())
        return super().get_search_results(request, queryset, search_term)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(SafeLookupsMixin, admin.ModelAdmin):
    list_display = ("seq", "at", "actor", "action", "object_repr", "unit")
    list_filter = ("action",)
    search_fields = ("action", "object_repr", "object_id")
    list_select_related = ("actor", "unit")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
