"""Serving stored files after a permission check: one response shape for every download."""

from django.http import FileResponse, Http404


def file_response(
    field_file,
    *,
    filename: str,
    content_type: str,
    attachment: bool = True,
    cache_control: str | None = "private, no-store",
) -> FileResponse:
    """The file as a response with its stored content type (never sniffed by the browser);
    404 if the file is gone from storage. `cache_control=None` sends no Cache-Control."""
    try:
        handle = field_file.open("rb")
    except (FileNotFoundError, ValueError) as error:
        raise Http404 from error
    response = FileResponse(
        handle, as_attachment=attachment, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    if cache_control:
        response["Cache-Control"] = cache_control
    return response
