"""A django-ninja API with the open data's plumbing on every operation (decision 0029).

`OpenDataAPI(...)` is a `NinjaAPI`; each operation registered on it (`@api.get(...)`, or on a
router added to it) gets, with no line of its own:
- the rate limit per client address (429 with Retry-After), ocop.core.opendata;
- a 422 for any query parameter it does not take, naming it, in django-ninja's validation
  shape (`{"detail": [{"type": "extra_forbidden", "loc": ["query", NAME], "msg": ...}]}`,
  the shape of every other 422 of the API, which decision 0012 promised);
- a public operation's 200 kept whole in the cache until the register or the day changes
  (ocop.core.public_cache, decision 0033);
- its reads from the read replica, if one is set and the operation is public
  (ocop.core.db_router);
- conditional GET on its 200: ETag (a hash of the body), Cache-Control (public, or private
  for an operation with `auth`), 304 for a matching If-None-Match;
- its OpenAPI description lists all of these: 304, 422 and 429 beside the statuses the
  operation declares, the ETag and Retry-After headers, the If-None-Match parameter.
JSON is UTF-8 with Vietnamese letters as they are.
"""

import functools
from typing import Any

from ninja import NinjaAPI, Schema
from ninja.errors import ValidationError
from ninja.renderers import JSONRenderer
from pydantic import ConfigDict, Field

from ocop.core.db_router import allow_replica_reads
from ocop.core.opendata import conditional, seconds_to_wait, too_many_requests
from ocop.core.public_cache import open_data_answer


class ReadableJSONRenderer(JSONRenderer):
    """UTF-8 JSON with Vietnamese letters as they are (not \\u escapes)."""

    json_dumps_params = {"ensure_ascii": False}


# --- the errors' schemas: every error is {"detail": ...} -----------------------------------


class Message(Schema):
    """An error told in one sentence (401, 404, 429)."""

    detail: str


class ValidationIssue(Schema):
    """One refused parameter, as pydantic and django-ninja describe it."""

    model_config = ConfigDict(extra="allow")

    type: str = Field(description="The kind of error, e.g. `literal_error`, `extra_forbidden`.")
    loc: list[str | int] = Field(description='Where: e.g. `["query", "status"]`.')
    msg: str = Field(description="What is wrong, in English; names the allowed values.")
    ctx: dict[str, Any] | None = Field(None, description="The rule's values, e.g. `ge`.")


class ValidationErrors(Schema):
    """An invalid request (422): every parameter refused, unknown ones included."""

    detail: list[ValidationIssue]


def _query_names(operation) -> frozenset[str]:
    """The query parameters an operation takes (their names in the URL)."""
    names = set()
    for model in operation.models:
        if model.__ninja_param_source__ != "query":
            continue
        flatten = getattr(model, "__ninja_flatten_map__", None)
        if flatten:
            names.update(flatten)
        else:
            names.update(field.alias or name for name, field in model.model_fields.items())
    return frozenset(names)


def _unknown_parameters(request, allowed: frozenset[str]) -> ValidationError | None:
    unknown = sorted(set(request.GET) - allowed)
    if not unknown:
        return None
    takes = ", ".join(sorted(allowed)) if allowed else "no query parameter"
    return ValidationError(
        [
            {
                "type": "extra_forbidden",
                "loc": ["query", name],
                "msg": f"Unknown parameter: this operation takes {takes}.",
            }
            for name in unknown
        ]
    )


_ETAG = {
    "description": "A hash of the body: send it back in If-None-Match.",
    "schema": {"type": "string"},
}
_CACHE_CONTROL = {
    "description": "How long the answer may be kept: public for the anonymous operations.",
    "schema": {"type": "string"},
}
_RETRY_AFTER = {
    "description": "Seconds until this address may ask again.",
    "schema": {"type": "integer"},
}
_IF_NONE_MATCH = {
    "in": "header",
    "name": "If-None-Match",
    "required": False,
    "description": "The ETag of the copy you hold: 304 without a body if it is still current.",
    "schema": {"type": "string"},
}


def _document(operation) -> None:
    """Add the plumbing's statuses and headers to the operation's OpenAPI description."""
    added = {304: None, 422: ValidationErrors, 429: Message}
    for status, model in operation._create_response_model_multiple(added).items():
        operation.response_models.setdefault(status, model)
    extra = dict(operation.openapi_extra or {})
    extra.setdefault("parameters", []).append(_IF_NONE_MATCH)
    responses = extra.setdefault("responses", {})
    responses.setdefault(200, {})["headers"] = {"ETag": _ETAG, "Cache-Control": _CACHE_CONTROL}
    responses.setdefault(304, {})["description"] = "Not Modified: your copy is current."
    responses.setdefault(422, {})["description"] = (
        "Invalid or unknown query parameter (each one listed)."
    )
    responses.setdefault(429, {}).update(
        description=(
            "Too many requests from this address (counted over the whole open data; the "
            "limit is on /open-data/): wait the seconds in Retry-After."
        ),
        headers={"Retry-After": _RETRY_AFTER},
    )
    operation.openapi_extra = extra


def open_data_operation(run):
    """django-ninja decorator (mode "view": it wraps `Operation.run`, the operation's whole
    answer) applying the plumbing above; `OpenDataAPI` adds it to every operation."""
    operation = run.__self__
    _document(operation)
    allowed = _query_names(operation)
    public = not operation.auth_callbacks

    @functools.wraps(run)
    def wrapper(request, *args, **kwargs):
        wait = seconds_to_wait(request)
        if wait is not None:
            return too_many_requests(wait)
        if public:
            allow_replica_reads(request)  # may read a replica (ocop.core.db_router)
        unknown = _unknown_parameters(request, allowed)
        if unknown is not None:
            response = operation.api.on_exception(request, unknown)
        elif public:
            response = open_data_answer(request, run, *args, **kwargs)
        else:
            response = run(request, *args, **kwargs)
        return conditional(request, response, public=public)

    return wrapper


class OpenDataAPI(NinjaAPI):
    """A NinjaAPI whose every operation gets `open_data_operation` (module docstring)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("renderer", ReadableJSONRenderer())
        super().__init__(**kwargs)
        self.add_decorator(open_data_operation, mode="view")
