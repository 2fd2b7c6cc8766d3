from django.urls import path

from products import views

app_name = "products"

urlpatterns = [
    path("register/", views.ProducerRegisterView.as_view(), name="register"),
    # The member's own producer.
    path("producer/", views.ProducerDeskView.as_view(), name="desk"),
    path("producer/edit/", views.ProducerUpdateView.as_view(), name="producer_edit"),
    path("producer/resubmit/", views.ProducerResubmitView.as_view(), name="producer_resubmit"),
    path("producer/products/", views.ProductListView.as_view(), name="product_list"),
    path("producer/products/new/", views.ProductCreateView.as_view(), name="product_create"),
    path("producer/products/<int:pk>/", views.ProductDetailView.as_view(), name="product_detail"),
    path(
        "producer/products/<int:pk>/edit/",
        views.ProductUpdateView.as_view(),
        name="product_edit",
    ),
    path(
        "producer/products/<int:pk>/photos/",
        views.ProductPhotoAddView.as_view(),
        name="photo_add",
    ),
    path(
        "producer/products/<int:pk>/photos/<int:photo_pk>/delete/",
        views.ProductPhotoDeleteView.as_view(),
        name="photo_delete",
    ),
    path(
        "producer/products/<int:pk>/photos/<int:photo_pk>/<str:variant>/",
        views.ProductPhotoFileView.as_view(),
        name="photo_file",
    ),
    path("producer/documents/", views.DocumentListView.as_view(), name="document_list"),
    path("producer/documents/new/", views.DocumentUploadView.as_view(), name="document_upload"),
    path(
        "producer/documents/<int:pk>/new-version/",
        views.DocumentNewVersionView.as_view(),
        name="document_new_version",
    ),
    path(
        "producer/documents/<int:pk>/download/",
        views.DocumentDownloadView.as_view(),
        name="document_download",
    ),
    # Officers (and members, read-only, for their own).
    path("producers/", views.ProducerListView.as_view(), name="producer_list"),
    path("producers/new/", views.ProducerCreateView.as_view(), name="producer_create"),
    path("producers/<int:pk>/", views.ProducerDetailView.as_view(), name="producer_detail"),
    path("producers/<int:pk>/verify/", views.ProducerVerifyView.as_view(), name="producer_verify"),
    path("producers/<int:pk>/reject/", views.ProducerRejectView.as_view(), name="producer_reject"),
    path("producers/<int:pk>/invite/", views.ProducerInviteView.as_view(), name="producer_invite"),
    path("invitations/<str:token>/", views.InvitationView.as_view(), name="invitation"),
    path(
        "invitations/<str:token>/signup/",
        views.InvitationSignupView.as_view(),
        name="invitation_signup",
    ),
]
