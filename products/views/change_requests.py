"""A certified product's new name or product set: the producer's request and the OCOP
office's decision (products.services.change_requests)."""

from django.shortcuts import render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import ListView

from ocop.core.mixins import ObjectPermissionMixin, PermissionOr404Mixin
from ocop.core.service_views import ServiceActionView, ServiceFormView
from products.enums import ChangeRequestState
from products.forms import ChangeDecisionForm, ProductChangeRequestForm
from products.selectors import change_requests_for_office
from products.services.change_requests import (
    product_change_accept,
    product_change_refuse,
    product_change_request,
)
from products.views.products import ProductObjectMixin


class ProductChangeRequestView(ProductObjectMixin, ServiceFormView):
    """The member's request; only for a product that stands certified today."""

    refusal_status = 200

    permission_required = "products.add_productchangerequest"
    template_name = "products/product/change_request.html"
    form_class = ProductChangeRequestForm
    success_message = gettext_lazy("The request was sent to the OCOP office. You will be notified.")

    def get_initial(self):
        return {"name": self.product.name, "product_set": self.product.product_set_id}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            producer=self.product.producer,
            certified=self.product.holds_valid_certificate(timezone.localdate()),
            pending=self.product.change_requests.filter(state=ChangeRequestState.PENDING).first(),
            **kwargs,
        )

    def perform(self, form):
        return product_change_request(
            product=self.product, actor=self.request.user, **form.cleaned_data
        )

    def get_success_url(self) -> str:
        return reverse("products:product_detail", args=[self.product.pk])


class ChangeRequestListView(PermissionOr404Mixin, ListView):
    """The OCOP office's requests: pending first (oldest first), then the decided ones."""

    permission_required = "products.view_productchangerequest"
    template_name = "products/change_request/list.html"
    context_object_name = "change_requests"
    paginate_by = 50

    def get_queryset(self):
        return change_requests_for_office(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        forms = getattr(self, "decision_forms", {})
        for change_request in context["change_requests"]:
            change_request.decision_form = forms.get(change_request.pk) or ChangeDecisionForm(
                prefix=f"r{change_request.pk}"
            )
        return context


class ChangeRequestDecideView(ObjectPermissionMixin, ServiceActionView):
    """POST accept or refuse; a refusal without a note comes back with the note's error."""

    permission_required = "products.decide_productchangerequest"
    object_name = "change_request"
    form_class = ChangeDecisionForm
    success_url = reverse_lazy("products:change_request_list")
    accept = True

    def get_queryset(self):
        return change_requests_for_office(self.request.user)

    def get_prefix(self):
        return f"r{self.change_request.pk}"

    def perform(self, form):
        decide = product_change_accept if self.accept else product_change_refuse
        return decide(
            change_request=self.change_request,
            note=form.cleaned_data["note"],
            actor=self.request.user,
        )

    def get_success_message(self, form) -> str:
        return _("The change was accepted.") if self.accept else _("The change was refused.")

    def form_invalid(self, form):
        # The list again, with this request's form and its errors.
        listing = ChangeRequestListView(request=self.request, args=(), kwargs={})
        listing.decision_forms = {self.change_request.pk: form}
        listing.object_list = listing.get_queryset()
        return render(self.request, listing.template_name, listing.get_context_data(), status=200)
