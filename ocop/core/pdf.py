"""HTML to PDF with WeasyPrint, loaded on first use (not at Django start-up) so that a
server without Pango and HarfBuzz still serves every other page; the PDF links then answer
a page that says what to install (`PdfUnavailableMiddleware`)."""

PDF_SYSTEM_PACKAGES = "libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core"


class PdfUnavailable(RuntimeError):
    """WeasyPrint's system libraries are missing on this server."""


def html_to_pdf(html: str) -> bytes:
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as error:  # not installed, or cffi found no Pango
        raise PdfUnavailable(str(error)) from error
    return HTML(string=html).write_pdf()
