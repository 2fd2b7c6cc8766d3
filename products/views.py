"""Thin views: look the object up through a selector (others' objects are 404), check the
permission, hand the form's data to a service. Every mutation is a POST."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from ocop.core.enums import Role
from ocop.core.mixins import PermissionOr404Mixin
from products.enums import MemberRole, ProducerState
from products.forms import (
    DocumentForm,
    InvitationForm,
    InvitationSignupForm,
    PhotoForm,
    ProducerCreateForm,
    ProducerProfileForm,
    ProducerRegistrationForm,
    ProducerRejectForm,
    ProductForm,
)
from products.models import Producer, ProducerInvitation
from products.selectors import (
    documents_visible_to,
    membership_of,
    photos_visible_to,
    producer_documents,
    producer_list_for_officer,
    producer_members,
    producer_of_member,
    producer_products,
    producers_visible_to,
    products_visible_to,
)
from products.services.documents import document_new_version, document_upload
from products.services.invitations import invitation_accept, invitation_signup, producer_invite
from products.services.producers import (
    producer_create,
    producer_register,
    producer_reject,
    producer_resubmit,
    producer_update,
    producer_verify,
)
from products.services.products import (
    product_create,
    product_photo_add,
    product_photo_delete,
    product_update,
)
from products.workflow import producer_can_move

AUTH_BACKEND = "django.contrib.auth.backends.ModelBackend"


def add_service_errors(form, error: ValidationError, field_map: dict | None = None) -> None:
    """Show a service's ValidationError on the form's fields (or above the form)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        target = (field_map or {}).get(field, field)
        form.add_error(target if target in form.fields else None, ValidationError(errors))


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


class ProductListView(MemberProducerMixin, ListView):
    template_name = "products/product/list.html"
    context_object_name = "products"
    paginate_by = 50

    def get_queryset(self):
        return producer_products(self.producer)

    def get_context_data(self, **kwargs):
        return super().get_context_data(producer=self.producer, **kwargs)


class ProductCreateView(MemberProducerMixin, FormView):
    template_name = "products/product/form.html"
    form_class = ProductForm

    def get_form_kwargs(self):
        if not self.request.user.has_perm("products.add_product", self.producer):
            raise Http404
        return {**super().get_form_kwargs(), "producer": self.producer}

    def get_context_data(self, **kwargs):
        return super().get_context_data(producer=self.producer, **kwargs)

    def form_valid(self, form):
        try:
            product = product_create(
                producer=self.producer, actor=self.request.user, **form.values()
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The product was created. Add its photos below."))
        return redirect("products:product_detail", pk=product.pk)


class ProductObjectMixin(PermissionOr404Mixin):
    """A product the user may see (else 404), then the view's own permission."""

    permission_required = "products.view_product"

    def get_permission_object(self):
        self.product = get_object_or_404(
            products_visible_to(self.request.user).select_related(
                "producer", "product_set__group__sector"
            ),
            pk=self.kwargs["pk"],
        )
        return self.product


def _product_context(user, product, photo_form=None) -> dict:
    return {
        "product": product,
        "producer": product.producer,
        "photos": list(product.photos.order_by("order", "pk")),
        "documents": list(
            product.documents.filter(superseded_by__isnull=True).order_by("kind", "-pk")
        ),
        "can_change": user.has_perm("products.change_product", product),
        "photo_form": photo_form or PhotoForm(),
    }


class ProductDetailView(ProductObjectMixin, TemplateView):
    template_name = "products/product/detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(_product_context(self.request.user, self.product))
        return context


class ProductUpdateView(ProductObjectMixin, FormView):
    permission_required = "products.change_product"
    template_name = "products/product/form.html"
    form_class = ProductForm

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "producer": self.product.producer,
            "instance": type(self.product).objects.get(pk=self.product.pk),
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            product=self.product, producer=self.product.producer, **kwargs
        )

    def form_valid(self, form):
        try:
            product_update(product=self.product, actor=self.request.user, **form.values())
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The product was saved."))
        return redirect("products:product_detail", pk=self.product.pk)


class ProductPhotoAddView(ProductObjectMixin, View):
    permission_required = "products.change_product"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = PhotoForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                product_photo_add(
                    product=self.product,
                    upload=form.cleaned_data["image"],
                    caption=form.cleaned_data["caption"],
                    actor=request.user,
                )
            except ValidationError as error:
                form.add_error("image", error)
            else:
                messages.success(request, _("The photo was added."))
                return redirect("products:product_detail", pk=self.product.pk)
        return render(
            request,
            ProductDetailView.template_name,
            _product_context(request.user, self.product, photo_form=form),
            status=400,
        )


class PhotoObjectMixin(PermissionOr404Mixin):
    permission_required = "products.view_product"

    def get_permission_object(self):
        self.photo = get_object_or_404(
            photos_visible_to(self.request.user).select_related("product__producer"),
            pk=self.kwargs["photo_pk"],
            product_id=self.kwargs["pk"],
        )
        return self.photo.product


class ProductPhotoDeleteView(PhotoObjectMixin, View):
    permission_required = "products.change_product"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        product_photo_delete(photo=self.photo, actor=request.user)
        messages.success(request, _("The photo was deleted."))
        return redirect("products:product_detail", pk=self.photo.product_id)


class ProductPhotoFileView(PhotoObjectMixin, View):
    """The photo or its thumbnail, streamed after the permission check (never public)."""

    def get(self, request, *args, **kwargs):
        if kwargs["variant"] not in {"full", "thumb"}:
            raise Http404
        thumb = kwargs["variant"] == "thumb"
        field = self.photo.thumbnail if thumb else self.photo.image
        try:
            handle = field.open("rb")
        except FileNotFoundError as error:
            raise Http404 from error
        response = FileResponse(
            handle,
            content_type="image/jpeg" if thumb else self.photo.content_type,
            filename=field.name.rsplit("/", 1)[-1],
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, max-age=3600"
        return response


# --- evidence documents ------------------------------------------------------------------


class DocumentListView(MemberProducerMixin, TemplateView):
    """The library: current documents, or every version with ?all=1."""

    template_name = "products/document/list.html"

    def get_context_data(self, **kwargs):
        include_all = self.request.GET.get("all") == "1"
        return super().get_context_data(
            producer=self.producer,
            documents=list(producer_documents(self.producer, include_superseded=include_all)),
            include_all=include_all,
            **kwargs,
        )


class DocumentUploadView(MemberProducerMixin, FormView):
    template_name = "products/document/form.html"
    form_class = DocumentForm

    def get_form_kwargs(self):
        if not self.request.user.has_perm("products.add_evidencedocument", self.producer):
            raise Http404
        kwargs = {**super().get_form_kwargs(), "producer": self.producer}
        product = self.request.GET.get("product", "")
        if product.isdigit() and self.request.method == "GET":
            kwargs["initial"] = {"product": int(product)}
        return kwargs

    def get_context_data(self, **kwargs):
        return super().get_context_data(producer=self.producer, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            document_upload(
                producer=self.producer,
                actor=self.request.user,
                kind=data["kind"],
                title=data["title"],
                product=data["product"],
                issued_on=data["issued_on"],
                valid_until=data["valid_until"],
                upload=data["file"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The document was added to the library."))
        return redirect("products:document_list")


class DocumentNewVersionView(MemberProducerMixin, FormView):
    template_name = "products/document/form.html"
    form_class = DocumentForm

    @cached_property
    def document(self):
        """The current version of one of this producer's documents (else 404)."""
        return get_object_or_404(
            self.producer.documents.select_related("product"),
            pk=self.kwargs["pk"],
            superseded_by__isnull=True,
        )

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "producer": self.producer,
            "replaces": self.document,
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(producer=self.producer, replaces=self.document, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            document_new_version(
                document=self.document,
                actor=self.request.user,
                title=data["title"],
                product=data["product"],
                issued_on=data["issued_on"],
                valid_until=data["valid_until"],
                upload=data["file"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The new version was added; the old one is kept."))
        return redirect("products:document_list")


class DocumentDownloadView(PermissionOr404Mixin, View):
    """Members of the producer and officers of its area download; everyone else gets 404."""

    permission_required = "products.view_evidencedocument"

    def get_permission_object(self):
        self.document = get_object_or_404(
            documents_visible_to(self.request.user).select_related("producer"),
            pk=self.kwargs["pk"],
        )
        return self.document

    def get(self, request, *args, **kwargs):
        try:
            handle = self.document.file.open("rb")
        except FileNotFoundError as error:
            raise Http404 from error
        response = FileResponse(
            handle,
            as_attachment=True,
            filename=self.document.original_name,
            content_type=self.document.content_type,
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response
