"""Thin views: look the object up through a selector (others' objects are 404), check the
permission, hand the form's data to a service. Every mutation is a POST."""

from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import ListView, TemplateView

from ocop.core.files import file_response
from ocop.core.mixins import ObjectPermissionMixin
from ocop.core.service_views import ServiceActionView, ServiceFormView
from products.enums import ChangeRequestState
from products.forms import PhotoForm, ProductForm
from products.selectors import photos_visible_to, producer_products, products_visible_to
from products.services.products import (
    product_create,
    product_photo_delete,
    product_photos_add,
    product_update,
)
from products.views.producers import MemberProducerMixin


class ProductListView(MemberProducerMixin, ListView):
    template_name = "products/product/list.html"
    context_object_name = "products"
    paginate_by = 50

    def get_queryset(self):
        return producer_products(self.producer)

    def get_context_data(self, **kwargs):
        return super().get_context_data(producer=self.producer, **kwargs)


class ProductCreateView(MemberProducerMixin, ServiceFormView):
    refusal_status = 200
    template_name = "products/product/form.html"
    form_class = ProductForm
    success_message = gettext_lazy("The product was created. Add its photos below.")

    def get_form_kwargs(self):
        if not self.request.user.has_perm("products.add_product", self.producer):
            raise Http404
        return {**super().get_form_kwargs(), "producer": self.producer}

    def get_context_data(self, **kwargs):
        return super().get_context_data(producer=self.producer, **kwargs)

    def perform(self, form):
        return product_create(producer=self.producer, actor=self.request.user, **form.values())

    def get_success_url(self) -> str:
        return reverse("products:product_detail", args=[self.result.pk])


class ProductObjectMixin(ObjectPermissionMixin):
    """A product the user may see (else 404), then the view's own permission."""

    permission_required = "products.view_product"
    object_name = "product"

    def get_queryset(self):
        return products_visible_to(self.request.user).select_related(
            "producer", "product_set__group__sector"
        )

    def get_success_url(self) -> str:
        return reverse("products:product_detail", args=[self.product.pk])


def _product_context(user, product, photo_form=None) -> dict:
    certified = product.holds_valid_certificate(timezone.localdate())
    return {
        "certified": certified,
        # Only a certified product can have a change waiting (one query, then).
        "pending_change": (
            product.change_requests.filter(state=ChangeRequestState.PENDING)
            .select_related("product_set")
            .first()
            if certified
            else None
        ),
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


class ProductUpdateView(ProductObjectMixin, ServiceFormView):
    refusal_status = 200
    permission_required = "products.change_product"
    template_name = "products/product/form.html"
    form_class = ProductForm
    success_message = gettext_lazy("The product was saved.")

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "producer": self.product.producer,
            "instance": type(self.product).objects.get(pk=self.product.pk),
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(producer=self.product.producer, **kwargs)

    def perform(self, form):
        return product_update(product=self.product, actor=self.request.user, **form.values())


class ProductPhotoAddView(ProductObjectMixin, ServiceFormView):
    """POST only: a refusal shows the product's page again with the photo form (400)."""

    permission_required = "products.change_product"
    http_method_names = ["post"]
    template_name = ProductDetailView.template_name
    form_class = PhotoForm
    success_message = gettext_lazy("The photos were added.")
    # The image's content refused: say so under the file.
    service_field_map = {None: "image"}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            _product_context(self.request.user, self.product, photo_form=context["form"])
        )
        return context

    def perform(self, form):
        return product_photos_add(
            product=self.product,
            images=form.cleaned_data["image"],
            caption=form.cleaned_data["caption"],
            actor=self.request.user,
        )


class PhotoObjectMixin(ObjectPermissionMixin):
    """A photo of the URL's product that the user may see; the permission is the product's."""

    permission_required = "products.view_product"
    object_name = "photo"
    pk_url_kwarg = "photo_pk"

    def get_queryset(self):
        return (
            photos_visible_to(self.request.user)
            .select_related("product__producer")
            .filter(product_id=self.kwargs["pk"])
        )

    def get_permission_object(self):
        return super().get_permission_object().product


class ProductPhotoDeleteView(PhotoObjectMixin, ServiceActionView):
    permission_required = "products.change_product"
    success_message = gettext_lazy("The photo was deleted.")

    def perform(self, form):
        return product_photo_delete(photo=self.photo, actor=self.request.user)

    def get_success_url(self) -> str:
        return reverse("products:product_detail", args=[self.photo.product_id])


class ProductPhotoFileView(PhotoObjectMixin, View):
    """The photo or its thumbnail, streamed after the permission check (never public)."""

    def get(self, request, *args, **kwargs):
        if kwargs["variant"] not in {"full", "thumb"}:
            raise Http404
        thumb = kwargs["variant"] == "thumb"
        field = self.photo.thumbnail if thumb else self.photo.image
        return file_response(
            field,
            filename=field.name.rsplit("/", 1)[-1],
            content_type="image/jpeg" if thumb else self.photo.content_type,
            attachment=False,
            cache_control="private, max-age=3600",
        )
