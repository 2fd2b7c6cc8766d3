"""Thin views: look the object up through a selector (others' objects are 404), check the
permission, hand the form's data to a service. Every mutation is a POST."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse_lazy
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy, ngettext
from django.views import View
from django.views.generic import TemplateView

from ocop.core.files import file_response
from ocop.core.mixins import ObjectPermissionMixin
from ocop.core.service_views import ServiceFormView
from products.forms import DocumentForm
from products.selectors import documents_visible_to, producer_documents
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


class DocumentFormView(MemberProducerMixin, ServiceFormView):
    """A document's file and dates, for the producer's library."""

    refusal_status = 200

    template_name = "products/document/form.html"
    form_class = DocumentForm
    success_url = reverse_lazy("products:document_list")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "producer": self.producer}

    def get_context_data(self, **kwargs):
        return super().get_context_data(producer=self.producer, **kwargs)

    def document_values(self, form) -> dict:
        """What every version of a document has, for the services."""
        data = form.cleaned_data
        return {
            "actor": self.request.user,
            "title": data["title"],
            "product": data["product"],
            "issued_on": data["issued_on"],
            "valid_until": data["valid_until"],
            "upload": data["file"],
        }


class DocumentUploadView(DocumentFormView):
    success_message = gettext_lazy("The document was added to the library.")

    def get_form_kwargs(self):
        if not self.request.user.has_perm("products.add_evidencedocument", self.producer):
            raise Http404
        kwargs = super().get_form_kwargs()
        product = self.request.GET.get("product", "")
        if product.isdigit() and self.request.method == "GET":
            kwargs["initial"] = {"product": int(product)}
        return kwargs

    def perform(self, form):
        return document_upload(
            producer=self.producer, kind=form.cleaned_data["kind"], **self.document_values(form)
        )


class DocumentNewVersionView(DocumentFormView):
    success_message = gettext_lazy("The new version was added; the old one is kept.")

    @cached_property
    def document(self):
        """The current version of one of this producer's documents (else 404)."""
        return get_object_or_404(
            self.producer.documents.select_related("product"),
            pk=self.kwargs["pk"],
            superseded_by__isnull=True,
        )

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "replaces": self.document}

    def get_context_data(self, **kwargs):
        return super().get_context_data(replaces=self.document, **kwargs)

    def perform(self, form):
        return document_new_version(
            document=self.document,
            keep=form.cleaned_data.get("keep", ()),
            **self.document_values(form),
        )

    def get_success_message(self, form) -> str:
        uses = getattr(self.result, "replaced_in", [])
        if not uses:
            return super().get_success_message(form)
        return ngettext(
            "The new version was added and replaces the old one in %(count)d draft or "
            "returned dossier.",
            "The new version was added and replaces the old one in %(count)d draft or "
            "returned dossiers.",
            len(uses),
        ) % {"count": len(uses)}


class DocumentDownloadView(ObjectPermissionMixin, View):
    """Members of the producer and officers of its area download; everyone else gets 404."""

    permission_required = "products.view_evidencedocument"
    object_name = "document"

    def get_queryset(self):
        return documents_visible_to(self.request.user).select_related("producer")

    def get(self, request, *args, **kwargs):
        return file_response(
            self.document.file,
            filename=self.document.original_name,
            content_type=self.document.content_type,
        )
