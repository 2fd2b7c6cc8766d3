from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import patch_vary_headers

from ocop.core.db_router import read_again_from_primary, request_scope
from ocop.core.pdf import PDF_SYSTEM_PACKAGES, PdfUnavailable


class LanguageMiddleware:
    """Vietnamese unless the user chose otherwise with the language switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language, and many office
    PCs in Vietnam run English-language browsers: the registry must still open in
    Vietnamese. Only the language cookie, set by the language switch's links
    (`core:language`), changes it.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        # The open data (English JSON, files with fixed headers) reads no language: it does
        # not vary on the language cookie, so shared caches keep one copy for everyone.
        if not getattr(response, "language_neutral", False):
            patch_vary_headers(response, ("Cookie",))
            response.headers.setdefault("Content-Language", language)
        return response


class PdfUnavailableMiddleware:
    """A PDF asked of a server without WeasyPrint's system libraries: a page that says so
    (503), not a server error. `make demo` runs without them when it cannot install them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, PdfUnavailable):
            return render(
                request, "pdf_unavailable.html", {"packages": PDF_SYSTEM_PACKAGES}, status=503
            )
        return None


class RequestBodyLimitMiddleware:
    """Refuse a request whose declared body is larger than OCOP_MAX_REQUEST_BYTES (the largest
    upload accepted plus a margin for the form around it) with a 413 page, before anything
    reads the body: a 25 MB upload is never read whole. The proxy in front (nginx's
    client_max_body_size, README) should refuse it even earlier."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.OCOP_MAX_REQUEST_BYTES
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django reads no body for a malformed length either
        if length > limit:
            page = render_to_string("413.html", {"size": length, "limit": limit})
            return HttpResponse(page, status=413)
        return self.get_response(request)


class ReplicaReadsMiddleware:
    """The scope in which a public view may send its reads to the read replica
    (ocop.core.db_router): from before the view to after its response is rendered. First in
    MIDDLEWARE, so that nothing of a request runs outside it, and so last to see a view's
    exception: a replica's connection error is answered again from the primary. Without a
    replica (no OCOP_REPLICA_DATABASE_URL, no router) the scope is kept and changes nothing."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with request_scope(request):
            return self.get_response(request)

    def process_exception(self, request, exception):
        # A replica that does not answer: the same request again on the primary.
        return read_again_from_primary(request, exception)
