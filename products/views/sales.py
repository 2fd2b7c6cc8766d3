"""Where to buy (decision 0030): the producer's places to buy (its members keep them, from
the producer's area) and the OCOP points of sale and fairs of the province's OCOP office.
Thin views: the object through a selector (others' are 404), the form's data to a service."""

from django.http import Http404
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import ListView

from ocop.core.mixins import ObjectPermissionMixin, PermissionOr404Mixin
from ocop.core.service_views import ServiceActionView, ServiceFormView
from products.enums import OutletKind
from products.filters import OutletFilter
from products.forms import OutletForm, SalesPointForm
from products.selectors import (
    outlets_for_office,
    producer_sales_points,
    sales_points_of_member,
)
from products.services.sales import (
    outlet_create,
    outlet_delete,
    outlet_update,
    sales_point_create,
    sales_point_delete,
    sales_point_update,
)
from products.views.producers import MemberProducerMixin

# The services' name of the commune the form's address selects.
ADDRESS_FIELDS = {"address_unit": "commune"}

# --- the producer's places to buy ----------------------------------------------------------


class SalesPointListView(MemberProducerMixin, ListView):
    """The member's "Where to buy" page: every place, with the products it sells."""

    template_name = "products/sales_point/list.html"
    context_object_name = "sales_points"

    def get_queryset(self):
        return producer_sales_points(self.producer)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            producer=self.producer,
            can_change=self.request.user.has_perm("products.add_salespoint", self.producer),
            **kwargs,
        )


class SalesPointCreateView(MemberProducerMixin, ServiceFormView):
    refusal_status = 200
    template_name = "products/sales_point/form.html"
    form_class = SalesPointForm
    service_field_map = ADDRESS_FIELDS
    success_url = reverse_lazy("products:sales_point_list")

    def get_form_kwargs(self):
        if not self.request.user.has_perm("products.add_salespoint", self.producer):
            raise Http404
        return {**super().get_form_kwargs(), "producer": self.producer}

    def get_context_data(self, **kwargs):
        return super().get_context_data(producer=self.producer, **kwargs)

    def perform(self, form):
        return sales_point_create(producer=self.producer, actor=self.request.user, **form.values())

    def get_success_message(self, form) -> str:
        return _("%(name)s was added. It is shown on the catalogue with the products it sells.") % {
            "name": self.result.name
        }


class SalesPointObjectMixin(ObjectPermissionMixin):
    """A place to buy of the member's own producer (else 404), then the view's permission."""

    permission_required = "products.change_salespoint"
    object_name = "sales_point"
    success_url = reverse_lazy("products:sales_point_list")

    def get_queryset(self):
        return sales_points_of_member(self.request.user).select_related("producer")


class SalesPointUpdateView(SalesPointObjectMixin, ServiceFormView):
    refusal_status = 200
    template_name = "products/sales_point/form.html"
    form_class = SalesPointForm
    service_field_map = ADDRESS_FIELDS

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "producer": self.sales_point.producer,
            "instance": self.sales_point,
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(producer=self.sales_point.producer, **kwargs)

    def perform(self, form):
        return sales_point_update(
            sales_point=self.sales_point, actor=self.request.user, **form.values()
        )

    def get_success_message(self, form) -> str:
        return _("%(name)s was saved.") % {"name": self.result.name}


class SalesPointDeleteView(SalesPointObjectMixin, ServiceActionView):
    permission_required = "products.delete_salespoint"

    def perform(self, form):
        return sales_point_delete(sales_point=self.sales_point, actor=self.request.user)

    def get_success_message(self, form) -> str:
        return _("%(name)s was removed from the catalogue.") % {"name": self.sales_point.name}


# --- the office's points of sale and fairs ---------------------------------------------------


class OutletListView(PermissionOr404Mixin, ListView):
    """The office's OCOP points of sale and fairs, filtered by kind and, for fairs, by
    whether they are upcoming, under way or past."""

    rule_required = "products.manage_outlets"
    template_name = "products/outlet/list.html"
    context_object_name = "outlets"
    paginate_by = 50

    def get_queryset(self):
        self.filterset = OutletFilter(
            self.request.GET or None,
            queryset=outlets_for_office(self.request.user),
            today=timezone.localdate(),
        )
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        return super().get_context_data(filter=self.filterset, today=timezone.localdate(), **kwargs)


class OutletFormMixin:
    """The office's form (a refusal answers 400, as the officers' other forms)."""

    template_name = "products/outlet/form.html"
    form_class = OutletForm
    service_field_map = ADDRESS_FIELDS
    success_url = reverse_lazy("products:outlet_list")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}


class OutletCreateView(PermissionOr404Mixin, OutletFormMixin, ServiceFormView):
    rule_required = "products.manage_outlets"

    def get_initial(self):
        kind = self.request.GET.get("kind", "")
        return {"kind": kind} if kind in OutletKind.values else {}

    def perform(self, form):
        return outlet_create(
            province=form.cleaned_data["province"], actor=self.request.user, **form.values()
        )

    def get_success_message(self, form) -> str:
        return _("%(name)s was added. It is shown on the catalogue.") % {"name": self.result.name}


class OutletObjectMixin(ObjectPermissionMixin):
    """An outlet the office manages (else 404), then the view's permission."""

    rule_required = "products.manage_outlets"
    permission_required = "products.change_outlet"
    object_name = "outlet"
    success_url = reverse_lazy("products:outlet_list")

    def get_queryset(self):
        return outlets_for_office(self.request.user)


class OutletUpdateView(OutletObjectMixin, OutletFormMixin, ServiceFormView):
    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.outlet}

    def perform(self, form):
        return outlet_update(
            outlet=self.outlet,
            actor=self.request.user,
            province=form.cleaned_data["province"],
            **form.values(),
        )

    def get_success_message(self, form) -> str:
        return _("%(name)s was saved.") % {"name": self.result.name}


class OutletDeleteView(OutletObjectMixin, ServiceActionView):
    permission_required = "products.delete_outlet"

    def perform(self, form):
        return outlet_delete(outlet=self.outlet, actor=self.request.user)

    def get_success_message(self, form) -> str:
        return _("%(name)s was removed from the catalogue.") % {"name": self.outlet.name}
