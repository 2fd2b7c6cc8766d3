"""The project's URLs plus the baseline of the benchmark: a bare one-query Django view."""

from django.http import HttpResponse
from django.urls import path

from ocop.core.models import AdministrativeUnit
from ocop.urls import urlpatterns as project_urlpatterns


def bare(request):
    """One indexed query (a unit by primary key) and a tiny plain-text response, through the
    same middleware as every page."""
    code = AdministrativeUnit.objects.filter(pk=1).values_list("code", flat=True).first()
    return HttpResponse(f"ok {code}\n", content_type="text/plain")


urlpatterns = [
    path("bench/bare/", bare),
    *project_urlpatterns,
]
