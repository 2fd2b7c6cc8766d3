"""The public catalogue: recognised products found as buyers type, a product's page with
where to buy it, a producer's page, and their photos. No login; nothing private.
"""

from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.generic import RedirectView, TemplateView, View

from evaluations.catalogue.filters import CatalogueFilter, Sort, Validity
from evaluations.catalogue.selectors import (
    PAGE_SIZE,
    catalogue,
    catalogue_producer,
    catalogue_product,
    paged,
    producer_entries,
    rows,
    standing_products,
    with_places_today,
)
from evaluations.certificates.selectors import certified_place
from evaluations.certificates.views.verify import STATUS_TEXT
from evaluations.enums import CertificateStatus
from evaluations.models import Certificate
from ocop.core.db_router import replica_reads
from ocop.core.files import file_response
from ocop.core.public_cache import public_page
from products.models import ProductPhoto
from products.selectors import producer_sales_points, where_to_buy


def describe(entry: Certificate) -> Certificate:
    """What a card shows beside the entry's fields: its province, its standing in words."""
    entry.place = certified_place(entry)
    entry.status_text = STATUS_TEXT[entry.current_status]
    entry.status_css = CertificateStatus.css(entry.current_status)
    return entry


def shown_sort(sort: str, terms: list[str]) -> str:
    """The order the list is in (relevance needs words; without them, stars)."""
    if sort == Sort.RELEVANCE or not sort:
        return Sort.RELEVANCE if terms else Sort.STARS
    return sort


@method_decorator(replica_reads, name="dispatch")
@method_decorator(public_page, name="dispatch")
class CatalogueView(TemplateView):
    template_name = "evaluations/catalogue/list.html"

    def get_context_data(self, **kwargs):
        filters = CatalogueFilter(self.request.GET)
        found = catalogue(filters, timezone.localdate())
        page = paged(found.entries, PAGE_SIZE).get_page(self.request.GET.get("page"))
        page = rows(page, timezone.localdate())
        for entry in with_places_today(list(page.object_list)):
            describe(entry)
        query = self.request.GET.copy()
        query.pop("page", None)
        # The list's filters for its files and the API (which take the same ones): the empty
        # values of the form's blank choices left out, and the order (the files' is theirs).
        chosen = QueryDict(mutable=True)
        for name in query:
            values = [v for v in query.getlist(name) if v != ""]
            if values and name != "sort":
                chosen.setlist(name, values)
        return super().get_context_data(
            filters=filters,
            form=filters.form,
            found=found,
            facets=found.facets,
            page=page,
            query=query.urlencode(),
            download_query=chosen.urlencode(),
            api_query=chosen.urlencode(),
            sort=shown_sort(filters.sort_by, found.search.terms),
            sort_choices=Sort.CHOICES,
            chosen_count=filters.chosen_count,
            **kwargs,
        )


@method_decorator(replica_reads, name="dispatch")
@method_decorator(public_page, name="dispatch")
class CatalogueProductView(TemplateView):
    template_name = "evaluations/catalogue/product.html"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        entry: Certificate = with_places_today([catalogue_product(self.kwargs["pk"], today)])[0]
        entry.product.producer = entry.producer  # selected with its commune and province
        status = entry.current_status
        return super().get_context_data(
            entry=entry,
            product=entry.product,
            photos=list(entry.product.photos.all()),
            place=(place := certified_place(entry)),
            status=status,
            status_text=STATUS_TEXT[status],
            status_css=CertificateStatus.css(status),
            standing=status in Validity.STATUSES[Validity.VALID],
            producer_public=entry.producer.name_published,
            where=where_to_buy(entry.product, today),
            place_names=", ".join(
                unit.name for unit in (place.commune, place.district, place.province) if unit
            ),
            moved=entry.producer_address_unit.valid_until is not None
            and entry.today.province is not None,
            **kwargs,
        )


@method_decorator(replica_reads, name="dispatch")
@method_decorator(public_page, name="dispatch")
class CatalogueProducerView(TemplateView):
    template_name = "evaluations/catalogue/producer.html"

    def get_context_data(self, **kwargs):
        producer = catalogue_producer(self.kwargs["pk"])
        today = timezone.localdate()
        return super().get_context_data(
            producer=producer,
            entries=[describe(e) for e in with_places_today(producer_entries(producer, today))],
            sales_points=producer_sales_points(producer, public=standing_products(producer, today)),
            **kwargs,
        )


class CatalogueOpenView(RedirectView):
    """/products/ and /search/ (what people type) lead to the catalogue, with the words of
    `q` kept."""

    permanent = False

    def get_redirect_url(self, *args, **kwargs):
        url = reverse("evaluations:catalogue")
        query = self.request.GET.urlencode()
        return f"{url}?{query}" if query else url


VARIANTS = {"thumb": "thumbnail", "medium": "medium", "full": "image"}


@method_decorator(replica_reads, name="dispatch")
class CatalogueProductPhotoView(View):
    """A photo of a product in the catalogue, public (a product never recognised keeps its
    photos private: 404)."""

    def get(self, request, pk: int, photo_pk: int, variant: str):
        if variant not in VARIANTS:
            raise Http404
        if not Certificate.objects.filter(product_id=pk).exists():
            raise Http404
        photo = get_object_or_404(ProductPhoto, pk=photo_pk, product_id=pk)
        field = getattr(photo, VARIANTS[variant]) or photo.image
        jpeg = field.name != photo.image.name
        return file_response(
            field,
            filename=field.name.rsplit("/", 1)[-1],
            content_type="image/jpeg" if jpeg else photo.content_type,
            attachment=False,
            cache_control="public, max-age=86400",
        )
