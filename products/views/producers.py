"""Thin views: look the object up through a selector (others' objects are 404), check the
permission, hand the form's data to a service. Every mutation is a POST."""

from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import ListView, TemplateView

from ocop.core.enums import Role
from ocop.core.excel import Column, ExcelDownloadMixin
from ocop.core.exceptions import DomainError
from ocop.core.mixins import ObjectPermissionMixin, PermissionOr404Mixin
from ocop.core.selectors import officer_unit_id, units_now
from ocop.core.service_views import ServiceActionView, ServiceFormView
from products.enums import MemberRole, ProducerState
from products.filters import ProducerFilter
from products.forms import (
    InvitationForm,
    InvitationSignupForm,
    ProducerCreateForm,
    ProducerLocateForm,
    ProducerProfileForm,
    ProducerRegistrationForm,
    ProducerRejectForm,
)
from products.models import Producer, ProducerInvitation
from products.selectors import (
    membership_of,
    producer_documents,
    producer_list_for_officer,
    producer_members,
    producer_of_member,
    producer_products,
    producers_visible_to,
)
from products.services.invitations import invitation_accept, invitation_signup, producer_invite
from products.services.producers import (
    producer_create,
    producer_locate_on_todays_map,
    producer_register,
    producer_reject,
    producer_resubmit,
    producer_update,
    producer_verify,
)
from products.workflow import producer_can_move

AUTH_BACKEND = "django.contrib.auth.backends.ModelBackend"
# The services' name of the commune the form's address selects.
ADDRESS_FIELDS = {"address_unit": "commune"}


class MemberProducerMixin(LoginRequiredMixin):
    """The producer the signed-in account acts for; 404 when it acts for none."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.producer = producer_of_member(request.user)
        if self.producer is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)


def _producer_context(user, producer: Producer) -> dict:
    """What the desk and the producer page show, with the actions this user may take."""
    products = list(producer_products(producer))
    can_verify = user.has_perm("products.verify_producer", producer)
    return {
        "producer": producer,
        "products": products,
        "documents": list(producer_documents(producer)),
        "members": list(producer_members(producer)),
        "can_verify": can_verify and producer_can_move(producer.state, ProducerState.VERIFIED),
        "can_reject": can_verify and producer_can_move(producer.state, ProducerState.REJECTED),
        "can_invite": user.has_perm("products.invite_member", producer),
        "open_invitations": [
            i for i in producer.invitations.select_related("invited_by") if i.is_open()
        ],
        # An address on the map abolished on 1 July 2025: where it lies on today's map, and
        # the question which commune it is in (asked once).
        "address_now": units_now(producer.address_unit),
        "can_locate": user.has_perm("products.locate_producer", producer),
    }


# --- registration and the producer's desk --------------------------------------------------


class ProducerRegisterView(ServiceFormView):
    """Public: a cooperative creates its account and its producer in one form."""

    refusal_status = 200

    template_name = "products/producer/register.html"
    form_class = ProducerRegistrationForm
    service_field_map = ADDRESS_FIELDS

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            messages.info(request, _("You are signed in already."))
            return redirect("products:desk")
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        # Without JavaScript the province is chosen first, by a GET (the register page's
        # <noscript> form): the commune select then lists its communes.
        province = self.request.GET.get("province", "")
        return {"province": province} if province.isdigit() else {}

    def perform(self, form):
        data = form.cleaned_data
        user, producer = producer_register(
            username=data["username"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            email=data["account_email"],
            password=data["password1"],
            profile=form.profile(),
        )
        login(self.request, user, backend=AUTH_BACKEND)
        return producer

    def get_success_message(self, form) -> str:
        return _(
            "%(name)s is registered. The OCOP officers of your commune or province will verify it; "
            "meanwhile you can add its products and documents."
        ) % {"name": self.result.name}

    def get_success_url(self) -> str:
        return reverse("products:desk")


class ProducerDeskView(LoginRequiredMixin, TemplateView):
    """The member's page: the producer's state, products, documents and members."""

    template_name = "products/producer/desk.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        producer = producer_of_member(user)
        if producer is None:
            if not user.has_role(Role.PRODUCER_MEMBER):
                raise Http404
            return context
        membership = membership_of(user, producer)
        context.update(_producer_context(user, producer))
        context.update(
            membership=membership,
            is_owner=membership is not None and membership.role == MemberRole.OWNER,
            can_resubmit=producer.is_rejected
            and producer_can_move(producer.state, ProducerState.PENDING),
            invite_form=InvitationForm(),
        )
        return context


class ProducerUpdateView(MemberProducerMixin, ServiceFormView):
    """Members correct the profile until it is verified."""

    refusal_status = 200

    template_name = "products/producer/form.html"
    form_class = ProducerProfileForm
    service_field_map = ADDRESS_FIELDS

    def get(self, request, *args, **kwargs):
        if not self.producer.is_editable:
            messages.error(request, _("A verified producer's profile is locked."))
            return redirect("products:desk")
        return super().get(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        # A copy: the form writes the typed values onto its instance while validating.
        kwargs["instance"] = Producer.objects.select_related("address_unit__parent__parent").get(
            pk=self.producer.pk
        )
        return kwargs

    def get_context_data(self, **kwargs):
        return super().get_context_data(producer=self.producer, **kwargs)

    def perform(self, form):
        return producer_update(producer=self.producer, actor=self.request.user, **form.profile())

    def get_success_message(self, form) -> str:
        if self.result.is_rejected:
            return _("Saved. When everything is corrected, submit it again for verification.")
        return _("The producer's profile was saved.")

    def get_success_url(self) -> str:
        return reverse("products:desk")


class ProducerResubmitView(MemberProducerMixin, ServiceActionView):
    success_message = gettext_lazy("Submitted again. The officers have been told.")

    def perform(self, form):
        return producer_resubmit(producer=self.producer, actor=self.request.user)

    def get_success_url(self) -> str:
        return reverse("products:desk")


# --- officers ------------------------------------------------------------------------------


class ProducerListView(PermissionOr404Mixin, ExcelDownloadMixin, ListView):
    """Officers: the producers whose commune lies in their jurisdiction; `?format=xlsx`: all
    of them in Excel."""

    permission_required = "products.list_producers"
    template_name = "products/producer/list.html"
    context_object_name = "producers"
    paginate_by = 25
    excel_title = gettext_lazy("Producers")
    excel_columns = (
        Column(gettext_lazy("Name"), width=36),
        Column(gettext_lazy("Kind"), width=18),
        Column(gettext_lazy("Tax code"), width=14),
        Column(gettext_lazy("Address"), width=40),
        Column(gettext_lazy("State"), width=18),
        Column(gettext_lazy("Products"), width=10),
        Column(gettext_lazy("Registered on"), width=12),
    )

    def get_queryset(self):
        self.filterset = ProducerFilter(
            self.request.GET or None, queryset=producer_list_for_officer(self.request.user)
        )
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            filter=self.filterset,
            can_add=self.request.user.has_perm("products.add_producer"),
            **kwargs,
        )

    def excel_row(self, producer):
        return (
            producer.name,
            producer.get_kind_display(),
            producer.tax_code,
            producer.full_address,  # the commune's parents are read with it: no query
            producer.get_state_display(),
            producer.product_count,
            timezone.localdate(producer.created_at),
        )


class ProducerCreateView(PermissionOr404Mixin, ServiceFormView):
    refusal_status = 200
    permission_required = "products.add_producer"
    template_name = "products/producer/form.html"
    form_class = ProducerCreateForm
    service_field_map = {**ADDRESS_FIELDS, "email": "owner_email"}

    def dispatch(self, request, *args, **kwargs):
        # Officers create producers in their own jurisdiction only.
        if request.user.is_authenticated and not officer_unit_id(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "officer": self.request.user}

    def perform(self, form):
        return producer_create(
            profile=form.profile(),
            actor=self.request.user,
            owner_email=form.cleaned_data["owner_email"],
        )

    def get_success_message(self, form) -> str:
        return _("%(name)s was created.") % {"name": self.result.name}

    def get_success_url(self) -> str:
        return reverse("products:producer_detail", args=[self.result.pk])


class ProducerObjectMixin(ObjectPermissionMixin):
    """A producer the user may see (else 404), then the view's own permission."""

    permission_required = "products.view_producer"
    object_name = "producer"

    def get_queryset(self):
        return producers_visible_to(self.request.user).select_related(
            "address_unit__parent__parent", "verified_by"
        )

    def get_success_url(self) -> str:
        return reverse("products:producer_detail", args=[self.producer.pk])


class ProducerDetailView(ProducerObjectMixin, TemplateView):
    template_name = "products/producer/detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(_producer_context(self.request.user, self.producer))
        context.update(reject_form=ProducerRejectForm(), invite_form=InvitationForm())
        return context


class ProducerVerifyView(ProducerObjectMixin, ServiceActionView):
    permission_required = "products.verify_producer"

    def perform(self, form):
        return producer_verify(producer=self.producer, actor=self.request.user)

    def get_success_message(self, form) -> str:
        return _("%(name)s is verified.") % {"name": self.producer.name}


class ProducerLocateView(ProducerObjectMixin, ServiceActionView):
    """The producer (or its officer) says which commune of today's map an address recorded
    on the old map lies in; back to the page the form was on."""

    permission_required = "products.locate_producer"
    form_class = ProducerLocateForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "choices": units_now(self.producer.address_unit)}

    def perform(self, form):
        return producer_locate_on_todays_map(
            producer=self.producer, commune=form.cleaned_data["commune"], actor=self.request.user
        )

    def get_success_message(self, form) -> str:
        return _("The address is now recorded on today's map: %(unit)s.") % {
            "unit": form.cleaned_data["commune"].full_path
        }

    def get_success_url(self) -> str:
        if self.request.user.has_perm("products.change_producer", self.producer):
            return reverse("products:desk")
        return super().get_success_url()


class ProducerRejectView(ProducerObjectMixin, ServiceFormView):
    refusal_status = 200
    permission_required = "products.verify_producer"
    template_name = "products/producer/reject.html"
    form_class = ProducerRejectForm

    def perform(self, form):
        try:
            return producer_reject(
                producer=self.producer,
                actor=self.request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                raise
            # The state moved meanwhile: nothing to correct in the form.
            raise DomainError(" ".join(error.messages)) from error

    # The state moved meanwhile: say so back on the producer's page.
    refusal_redirects = True
    refusal_lists_problems = False

    def get_success_message(self, form) -> str:
        return _("%(name)s was returned for correction; its members have been told.") % {
            "name": self.producer.name
        }


class ProducerInviteView(ProducerObjectMixin, ServiceFormView):
    refusal_status = 200
    permission_required = "products.invite_member"
    template_name = "products/producer/invite.html"
    form_class = InvitationForm

    def perform(self, form):
        return producer_invite(
            producer=self.producer, email=form.cleaned_data["email"], actor=self.request.user
        )

    def get_success_message(self, form) -> str:
        return _("An invitation was sent to %(email)s.") % {"email": form.cleaned_data["email"]}

    def get_success_url(self) -> str:
        if membership_of(self.request.user, self.producer) is not None:
            return reverse("products:desk")
        return super().get_success_url()


# --- invitations -----------------------------------------------------------------------------


class InvitationView(ServiceFormView):
    """The link in the invitation mail: signed-in users accept; others log in or sign up.

    Public: the token is the permission. A refusal shows the page again (status 400)."""

    template_name = "products/invitation/detail.html"
    form_class = forms.Form

    @cached_property
    def invitation(self) -> ProducerInvitation:
        return get_object_or_404(
            ProducerInvitation.objects.select_related("producer", "invited_by"),
            token=self.kwargs["token"],
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            invitation=self.invitation,
            is_open=self.invitation.is_open(),
            signup_form=InvitationSignupForm(email=self.invitation.email),
        )
        return context

    def post(self, request, *args, **kwargs):
        self.invitation  # noqa: B018 (an unknown token is 404 for everyone)
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return super().post(request, *args, **kwargs)

    def perform(self, form):
        return invitation_accept(invitation=self.invitation, user=self.request.user)

    def form_invalid(self, form):
        # The accept button has no field: the service's refusal is a message above the page.
        for error in form.non_field_errors():
            messages.error(self.request, error)
        return self.render_to_response(self.get_context_data(), status=400)

    def get_success_message(self, form) -> str:
        return _("You now act for %(name)s.") % {"name": self.invitation.producer.name}

    def get_success_url(self) -> str:
        return reverse("products:desk")


class InvitationSignupView(InvitationView):
    """Someone without an account creates one from the invitation and joins."""

    http_method_names = ["post"]
    form_class = InvitationSignupForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "email": self.invitation.email}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["signup_form"] = context["form"]
        return context

    def post(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.invitation  # noqa: B018
            return redirect("products:invitation", token=kwargs["token"])
        return ServiceFormView.post(self, request, *args, **kwargs)

    def perform(self, form):
        data = form.cleaned_data
        user = invitation_signup(
            invitation=self.invitation,
            username=data["username"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            password=data["password1"],
        )
        login(self.request, user, backend=AUTH_BACKEND)
        return user

    def form_invalid(self, form):
        return ServiceFormView.form_invalid(self, form)

    def get_success_message(self, form) -> str:
        return _("Your account is ready and you now act for %(name)s.") % {
            "name": self.invitation.producer.name
        }
