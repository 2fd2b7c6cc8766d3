"""Serving files after a permission check: one response shape for every download, stored
(`file_response`) or made for the request (`content_response`)."""

import io

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
    return _response(handle, filename, content_type, attachment, cache_control)


def content_response(
    content: bytes,
    *,
    filename: str,
    content_type: str,
    attachment: bool = True,
    cache_control: str | None = "private, no-store",
) -> FileResponse:
    """Bytes made for this request (a spreadsheet, a document) as `file_response` serves a
    stored file."""
    return _response(io.BytesIO(content), filename, content_type, attachment, cache_control)


def _response(handle, filename, content_type, attachment, cache_control) -> FileResponse:
    response = FileResponse(
        handle, as_attachment=attachment, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    if cache_control:
        response["Cache-Control"] = cache_control
    return response
