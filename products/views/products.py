"""Thin views: look the object up through a selector (others' objects are 404), check the
permission, hand the form's data to a service. Every mutation is a POST."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from ocop.core.files import file_response
from ocop.core.forms import add_service_errors
from ocop.core.mixins import PermissionOr404Mixin
from products.enums import ChangeRequestState
from products.forms import (
    PhotoForm,
    ProductForm,
)
from products.selectors import (
    photos_visible_to,
    producer_products,
    products_visible_to,
)
from products.services.products import (
    product_create,
    product_photo_add,
    product_photo_delete,
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
        return file_response(
            field,
            filename=field.name.rsplit("/", 1)[-1],
            content_type="image/jpeg" if thumb else self.photo.content_type,
            attachment=False,
            cache_control="private, max-age=3600",
        )


# --- evidence documents ------------------------------------------------------------------
