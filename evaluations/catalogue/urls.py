"""The public catalogue of recognised products."""

from django.urls import path

from evaluations.catalogue import views

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
    # What people type.
    path("products/", views.CatalogueOpenView.as_view(), name="catalogue_products"),
    path("search/", views.CatalogueOpenView.as_view(), name="catalogue_search"),
]
