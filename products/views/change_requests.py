"""A certified product's new name or product set: the producer's request and the OCOP
office's decision (products.services.change_requests)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, ListView

from ocop.core.forms import add_service_errors
from ocop.core.mixins import PermissionOr404Mixin
from products.enums import ChangeRequestState
from products.forms import ChangeDecisionForm, ProductChangeRequestForm
from products.selectors import change_requests_for_office
from products.services.change_requests import (
    ChangeRequestError,
    product_change_accept,
    product_change_refuse,
    product_change_request,
)
from products.views.products import ProductObjectMixin


class ProductChangeRequestView(ProductObjectMixin, FormView):
    """The member's request; only for a product that stands certified today."""

    permission_required = "products.add_productchangerequest"
    template_name = "products/product/change_request.html"
    form_class = ProductChangeRequestForm

    def get_initial(self):
        return {"name": self.product.name, "product_set": self.product.product_set_id}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            product=self.product,
            producer=self.product.producer,
            certified=self.product.holds_valid_certificate(timezone.localdate()),
            pending=self.product.change_requests.filter(state=ChangeRequestState.PENDING).first(),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            product_change_request(
                product=self.product, actor=self.request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        except ChangeRequestError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(
            self.request, _("The request was sent to the OCOP office. You will be notified.")
        )
        return redirect("products:product_detail", pk=self.product.pk)


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


class ChangeRequestDecideView(PermissionOr404Mixin, View):
    """POST accept or refuse; a refusal without a note comes back with the note's error."""

    permission_required = "products.decide_productchangerequest"
    http_method_names = ["post"]
    accept = True

    def get_permission_object(self):
        self.change_request = get_object_or_404(
            change_requests_for_office(self.request.user), pk=self.kwargs["pk"]
        )
        return self.change_request

    def post(self, request, *args, **kwargs):
        form = ChangeDecisionForm(request.POST, prefix=f"r{self.change_request.pk}")
        if form.is_valid():
            decide = product_change_accept if self.accept else product_change_refuse
            try:
                decide(
                    change_request=self.change_request,
                    note=form.cleaned_data["note"],
                    actor=request.user,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            except ChangeRequestError as error:
                messages.error(request, str(error))
                return redirect("products:change_request_list")
            else:
                messages.success(
                    request,
                    _("The change was accepted.") if self.accept else _("The change was refused."),
                )
                return redirect("products:change_request_list")
        listing = ChangeRequestListView(request=request, args=(), kwargs={})
        listing.decision_forms = {self.change_request.pk: form}
        listing.object_list = listing.get_queryset()
        return render(request, listing.template_name, listing.get_context_data(), status=200)
