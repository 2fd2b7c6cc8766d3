"""Thin views: look the object up through a selector (others' objects are 404), check the
permission, hand the form's data to a service. Every mutation is a POST."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from ocop.core.files import file_response
from ocop.core.forms import add_service_errors
from ocop.core.mixins import PermissionOr404Mixin
from products.forms import (
    DocumentForm,
)
from products.selectors import (
    documents_visible_to,
    producer_documents,
)
from products.services.documents import document_new_version, document_upload
from products.views.producers import MemberProducerMixin


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
        return file_response(
            self.document.file,
            filename=self.document.original_name,
            content_type=self.document.content_type,
        )
