"""Thin views: look the object up through a selector (others' objects are 404), check the
permission, hand the form's data to a service. Every mutation is a POST."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from ocop.core.enums import Role
from ocop.core.forms import add_service_errors
from ocop.core.mixins import PermissionOr404Mixin
from products.enums import MemberRole, ProducerState
from products.forms import (
    InvitationForm,
    InvitationSignupForm,
    ProducerCreateForm,
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
    producer_register,
    producer_reject,
    producer_resubmit,
    producer_update,
    producer_verify,
)
from products.workflow import producer_can_move

AUTH_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


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
    }


# --- registration and the producer's desk --------------------------------------------------


class ProducerRegisterView(FormView):
    """Public: a cooperative creates its account and its producer in one form."""

    template_name = "products/producer/register.html"
    form_class = ProducerRegistrationForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            messages.info(request, _("You are signed in already."))
            return redirect("products:desk")
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            user, producer = producer_register(
                username=data["username"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["account_email"],
                password=data["password1"],
                profile=form.profile(),
            )
        except ValidationError as error:
            add_service_errors(form, error, {"address_unit": "commune"})
            return self.form_invalid(form)
        login(self.request, user, backend=AUTH_BACKEND)
        messages.success(
            self.request,
            _(
                "%(name)s is registered. The officers of your district will verify it; "
                "meanwhile you can add its products and documents."
            )
            % {"name": producer.name},
        )
        return redirect("products:desk")


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


class ProducerUpdateView(MemberProducerMixin, FormView):
    """Members correct the profile until it is verified."""

    template_name = "products/producer/form.html"
    form_class = ProducerProfileForm

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

    def form_valid(self, form):
        try:
            producer = producer_update(
                producer=self.producer, actor=self.request.user, **form.profile()
            )
        except ValidationError as error:
            add_service_errors(form, error, {"address_unit": "commune"})
            return self.form_invalid(form)
        if producer.is_rejected:
            messages.success(
                self.request,
                _("Saved. When everything is corrected, submit it again for verification."),
            )
        else:
            messages.success(self.request, _("The producer's profile was saved."))
        return redirect("products:desk")


class ProducerResubmitView(MemberProducerMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        try:
            producer_resubmit(producer=self.producer, actor=request.user)
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, _("Submitted again. The officers have been told."))
        return redirect("products:desk")


# --- officers ------------------------------------------------------------------------------


class ProducerListView(PermissionOr404Mixin, ListView):
    """Officers: the producers whose commune lies in their jurisdiction."""

    permission_required = "products.list_producers"
    template_name = "products/producer/list.html"
    context_object_name = "producers"
    paginate_by = 25

    def get_queryset(self):
        state = self.request.GET.get("state", "")
        self.state = state if state in ProducerState.values else ""
        self.search = self.request.GET.get("q", "").strip()[:100]
        return producer_list_for_officer(self.request.user, state=self.state, search=self.search)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            states=ProducerState.choices,
            state=self.state,
            search=self.search,
            can_add=self.request.user.has_perm("products.add_producer"),
            **kwargs,
        )


class ProducerCreateView(PermissionOr404Mixin, FormView):
    permission_required = "products.add_producer"
    template_name = "products/producer/form.html"
    form_class = ProducerCreateForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not (
            request.user.is_officer and request.user.jurisdiction_id
        ):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "officer": self.request.user}

    def form_valid(self, form):
        try:
            producer = producer_create(
                profile=form.profile(),
                actor=self.request.user,
                owner_email=form.cleaned_data["owner_email"],
            )
        except ValidationError as error:
            add_service_errors(form, error, {"address_unit": "commune", "email": "owner_email"})
            return self.form_invalid(form)
        messages.success(self.request, _("%(name)s was created.") % {"name": producer.name})
        return redirect("products:producer_detail", pk=producer.pk)


class ProducerObjectMixin(PermissionOr404Mixin):
    """A producer the user may see (else 404), then the view's own permission."""

    permission_required = "products.view_producer"

    def get_permission_object(self):
        self.producer = get_object_or_404(
            producers_visible_to(self.request.user).select_related(
                "address_unit__parent__parent", "verified_by"
            ),
            pk=self.kwargs["pk"],
        )
        return self.producer


class ProducerDetailView(ProducerObjectMixin, TemplateView):
    template_name = "products/producer/detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(_producer_context(self.request.user, self.producer))
        context.update(reject_form=ProducerRejectForm(), invite_form=InvitationForm())
        return context


class ProducerVerifyView(ProducerObjectMixin, View):
    permission_required = "products.verify_producer"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        try:
            producer_verify(producer=self.producer, actor=request.user)
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, _("%(name)s is verified.") % {"name": self.producer.name})
        return redirect("products:producer_detail", pk=self.producer.pk)


class ProducerRejectView(ProducerObjectMixin, FormView):
    permission_required = "products.verify_producer"
    template_name = "products/producer/reject.html"
    form_class = ProducerRejectForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(producer=self.producer, **kwargs)

    def form_valid(self, form):
        try:
            producer_reject(
                producer=self.producer,
                actor=self.request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                add_service_errors(form, error)
                return self.form_invalid(form)
            messages.error(self.request, _error_text(error))
        else:
            messages.success(
                self.request,
                _("%(name)s was returned for correction; its members have been told.")
                % {"name": self.producer.name},
            )
        return redirect("products:producer_detail", pk=self.producer.pk)


class ProducerInviteView(ProducerObjectMixin, FormView):
    permission_required = "products.invite_member"
    template_name = "products/producer/invite.html"
    form_class = InvitationForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(producer=self.producer, **kwargs)

    def form_valid(self, form):
        try:
            producer_invite(
                producer=self.producer, email=form.cleaned_data["email"], actor=self.request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("An invitation was sent to %(email)s.") % {"email": form.cleaned_data["email"]},
        )
        if membership_of(self.request.user, self.producer) is not None:
            return redirect("products:desk")
        return redirect("products:producer_detail", pk=self.producer.pk)


# --- invitations -----------------------------------------------------------------------------


class InvitationView(View):
    """The link in the invitation mail: signed-in users accept; others log in or sign up."""

    template_name = "products/invitation/detail.html"

    def _invitation(self, token: str) -> ProducerInvitation:
        return get_object_or_404(
            ProducerInvitation.objects.select_related("producer", "invited_by"), token=token
        )

    def _render(self, request, invitation, signup_form=None, status=200):
        return render(
            request,
            self.template_name,
            {
                "invitation": invitation,
                "is_open": invitation.is_open(),
                "signup_form": signup_form or InvitationSignupForm(email=invitation.email),
            },
            status=status,
        )

    def get(self, request, token):
        return self._render(request, self._invitation(token))

    def post(self, request, token):
        invitation = self._invitation(token)
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        try:
            invitation_accept(invitation=invitation, user=request.user)
        except ValidationError as error:
            messages.error(request, _error_text(error))
            return self._render(request, invitation, status=400)
        messages.success(
            request, _("You now act for %(name)s.") % {"name": invitation.producer.name}
        )
        return redirect("products:desk")


class InvitationSignupView(InvitationView):
    """Someone without an account creates one from the invitation and joins."""

    http_method_names = ["post"]

    def post(self, request, token):
        invitation = self._invitation(token)
        if request.user.is_authenticated:
            return redirect("products:invitation", token=token)
        form = InvitationSignupForm(request.POST, email=invitation.email)
        if form.is_valid():
            try:
                user = invitation_signup(
                    invitation=invitation,
                    username=form.cleaned_data["username"],
                    first_name=form.cleaned_data["first_name"],
                    last_name=form.cleaned_data["last_name"],
                    password=form.cleaned_data["password1"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                login(request, user, backend=AUTH_BACKEND)
                messages.success(
                    request,
                    _("Your account is ready and you now act for %(name)s.")
                    % {"name": invitation.producer.name},
                )
                return redirect("products:desk")
        return self._render(request, invitation, signup_form=form, status=400)


# --- products ----------------------------------------------------------------------------
