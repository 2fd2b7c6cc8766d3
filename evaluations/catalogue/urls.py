"""The public catalogue of recognised products."""

from django.urls import path, register_converter

from evaluations.catalogue import downloads, views


class IdConverter:
    """A row's id as a URL part: at most 18 digits, so that no number typed by hand overflows
    the database's 64-bit integers (SQLite raises instead of finding nothing): 404."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(value)


register_converter(IdConverter, "id")

urlpatterns = [
    path("catalogue/", views.CatalogueView.as_view(), name="catalogue"),
    path(
        "catalogue/products/<id:pk>/",
        views.CatalogueProductView.as_view(),
        name="catalogue_product",
    ),
    path(
        "catalogue/products/<id:pk>/photos/<id:photo_pk>/<str:variant>/",
        views.CatalogueProductPhotoView.as_view(),
        name="catalogue_photo",
    ),
    path(
        "catalogue/producers/<id:pk>/",
        views.CatalogueProducerView.as_view(),
        name="catalogue_producer",
    ),
    # Open data (the API is /api/v1/products/).
    path(
        "open-data/products.csv",
        downloads.ProductsDownloadView.as_view(kind="csv"),
        name="open_data_products_csv",
    ),
    path(
        "open-data/products.xlsx",
        downloads.ProductsDownloadView.as_view(kind="xlsx"),
        name="open_data_products_xlsx",
    ),
    # What people type.
    path("products/", views.CatalogueOpenView.as_view(), name="catalogue_products"),
    path("search/", views.CatalogueOpenView.as_view(), name="catalogue_search"),
]
