"""The OCOP cycle's pages, one URL module per subdomain, all in the `evaluations` namespace."""

from django.urls import include, path

app_name = "evaluations"

urlpatterns = [
    path("", include("evaluations.criteria.urls")),
    path("", include("evaluations.intake.urls")),
    path("", include("evaluations.councils.urls")),
    path("", include("evaluations.certificates.urls")),
    path("", include("evaluations.followup.urls")),
    path("", include("evaluations.history.urls")),
    path("", include("evaluations.reports.urls")),
    path("", include("evaluations.catalogue.urls")),
]
