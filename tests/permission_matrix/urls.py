"""The project's URL configuration with a bare 404 handler, for the matrix only.

Most answers of the matrix are 404; the project's 404 page renders the whole layout (menus
read the user's roles, producer and councils), which doubles the cost of each of them and
tells the matrix nothing: it checks the status, not the page. Views that render their own
404 page, and the API's 404s, are untouched.
"""

from django.http import HttpResponseNotFound

from ocop.urls import urlpatterns

__all__ = ["handler404", "urlpatterns"]


def handler404(request, exception):
    return HttpResponseNotFound(b"Not Found", content_type="text/plain")
