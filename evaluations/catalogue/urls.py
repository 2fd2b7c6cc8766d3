"""The public catalogue of recognised products."""

from django.urls import path

from evaluations.catalogue import downloads, views

urlpatterns = [
    path("catalogue/", views.CatalogueView.as_view(), name="catalogue"),
    path(
        "catalogue/products/<int:pk>/",
        views.CatalogueProductView.as_view(),
        name="catalogue_product",
    ),
    path(
        "catalogue/products/<int:pk>/photos/<int:photo_pk>/<str:variant>/",
        views.CatalogueProductPhotoView.as_view(),
        name="catalogue_photo",
    ),
    path(
        "catalogue/producers/<int:pk>/",
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
