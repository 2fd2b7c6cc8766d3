from django.urls import path

from products.views import change_requests, documents, producers, products, sales

app_name = "products"

urlpatterns = [
    path("register/", producers.ProducerRegisterView.as_view(), name="register"),
    # The member's own producer.
    path("producer/", producers.ProducerDeskView.as_view(), name="desk"),
    path("producer/edit/", producers.ProducerUpdateView.as_view(), name="producer_edit"),
    path("producer/resubmit/", producers.ProducerResubmitView.as_view(), name="producer_resubmit"),
    path("producer/products/", products.ProductListView.as_view(), name="product_list"),
    path("producer/products/new/", products.ProductCreateView.as_view(), name="product_create"),
    path(
        "producer/products/<int:pk>/", products.ProductDetailView.as_view(), name="product_detail"
    ),
    path(
        "producer/products/<int:pk>/edit/",
        products.ProductUpdateView.as_view(),
        name="product_edit",
    ),
    path(
        "producer/products/<int:pk>/change-request/",
        change_requests.ProductChangeRequestView.as_view(),
        name="product_change_request",
    ),
    path(
        "producer/products/<int:pk>/photos/",
        products.ProductPhotoAddView.as_view(),
        name="photo_add",
    ),
    path(
        "producer/products/<int:pk>/photos/<int:photo_pk>/delete/",
        products.ProductPhotoDeleteView.as_view(),
        name="photo_delete",
    ),
    path(
        "producer/products/<int:pk>/photos/<int:photo_pk>/<str:variant>/",
        products.ProductPhotoFileView.as_view(),
        name="photo_file",
    ),
    path("producer/documents/", documents.DocumentListView.as_view(), name="document_list"),
    path("producer/documents/new/", documents.DocumentUploadView.as_view(), name="document_upload"),
    path(
        "producer/documents/<int:pk>/new-version/",
        documents.DocumentNewVersionView.as_view(),
        name="document_new_version",
    ),
    path(
        "producer/documents/<int:pk>/download/",
        documents.DocumentDownloadView.as_view(),
        name="document_download",
    ),
    # Where to buy: the member's producer's places to buy (public on the catalogue).
    path("producer/sales-points/", sales.SalesPointListView.as_view(), name="sales_point_list"),
    path(
        "producer/sales-points/new/",
        sales.SalesPointCreateView.as_view(),
        name="sales_point_create",
    ),
    path(
        "producer/sales-points/<int:pk>/edit/",
        sales.SalesPointUpdateView.as_view(),
        name="sales_point_edit",
    ),
    path(
        "producer/sales-points/<int:pk>/delete/",
        sales.SalesPointDeleteView.as_view(),
        name="sales_point_delete",
    ),
    # The province's OCOP office: its OCOP points of sale and fairs.
    path("outlets/", sales.OutletListView.as_view(), name="outlet_list"),
    path("outlets/new/", sales.OutletCreateView.as_view(), name="outlet_create"),
    path("outlets/<int:pk>/edit/", sales.OutletUpdateView.as_view(), name="outlet_edit"),
    path("outlets/<int:pk>/delete/", sales.OutletDeleteView.as_view(), name="outlet_delete"),
    # Officers (and members, read-only, for their own).
    path("producers/", producers.ProducerListView.as_view(), name="producer_list"),
    path("producers/new/", producers.ProducerCreateView.as_view(), name="producer_create"),
    path(
        "producers/change-requests/",
        change_requests.ChangeRequestListView.as_view(),
        name="change_request_list",
    ),
    path(
        "producers/change-requests/<int:pk>/accept/",
        change_requests.ChangeRequestDecideView.as_view(accept=True),
        name="change_request_accept",
    ),
    path(
        "producers/change-requests/<int:pk>/refuse/",
        change_requests.ChangeRequestDecideView.as_view(accept=False),
        name="change_request_refuse",
    ),
    path("producers/<int:pk>/", producers.ProducerDetailView.as_view(), name="producer_detail"),
    path(
        "producers/<int:pk>/verify/", producers.ProducerVerifyView.as_view(), name="producer_verify"
    ),
    path(
        "producers/<int:pk>/locate/", producers.ProducerLocateView.as_view(), name="producer_locate"
    ),
    path(
        "producers/<int:pk>/reject/", producers.ProducerRejectView.as_view(), name="producer_reject"
    ),
    path(
        "producers/<int:pk>/invite/", producers.ProducerInviteView.as_view(), name="producer_invite"
    ),
    path("invitations/<str:token>/", producers.InvitationView.as_view(), name="invitation"),
    path(
        "invitations/<str:token>/signup/",
        producers.InvitationSignupView.as_view(),
        name="invitation_signup",
    ),
]
