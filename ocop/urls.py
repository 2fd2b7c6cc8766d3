from django.contrib import admin
from django.urls import include, path

from evaluations.catalogue import api as _catalogue_api  # noqa: F401  (registers /products/)
from evaluations.certificates.api import api as open_data_api
from evaluations.reports import api as _reports_api  # noqa: F401  (registers /stats/)
from ocop.core.views import FaviconView, HomeView

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("", include("ocop.core.urls")),
    path("", include("evaluations.urls")),
    path("", include("products.urls")),
    path("account/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("demo/", include("ocop.demo.urls")),
    path("api/v1/", open_data_api.urls),
    # Browsers ask for /favicon.ico on pages without an icon link (the admin).
    path("favicon.ico", FaviconView.as_view()),
]
