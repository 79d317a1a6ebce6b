"""Request bodies of writes: JSON media type, bounded size, exactly one JSON object."""

import json
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja.parser import Parser

from bodies.core.problems import (
    ContentTooLarge,
    LengthRequired,
    MalformedRequest,
    UnsupportedMediaType,
)


def is_json_media_type(content_type: str) -> bool:
    """Tell whether a media type (without parameters) is JSON: ``application/json`` or ``+json``."""
    media_type = content_type.strip().lower()
    return media_type == "application/json" or (
        media_type.startswith("application/") and media_type.endswith("+json")
    )


def body_too_large() -> ContentTooLarge:
    """Return the 413 problem of a body over the upload limit."""
    return ContentTooLarge(
        f"the request body is larger than {settings.DATA_UPLOAD_MAX_MEMORY_SIZE} bytes"
    )


def json_object_from_request(request: HttpRequest) -> dict[str, Any]:
    """Return the request body as a dict, or raise the 415/411/413/400 problem that fits."""
    if not is_json_media_type(request.content_type or ""):
        raise UnsupportedMediaType(
            f"the request body must be application/json, not {request.content_type or 'untyped'}"
        )
    if not request.META.get("CONTENT_LENGTH") and request.headers.get("Transfer-Encoding"):
        # Under WSGI Django reads no more than Content-Length: a chunked body would read empty.
        raise LengthRequired("send the request body with a Content-Length header")
    # Django raises RequestDataTooBig here when Content-Length is over the limit, and reads no
    # more than Content-Length bytes otherwise: the body is never read unbounded.
    body = request.body
    if len(body) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
        raise body_too_large()
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        raise MalformedRequest("the request body is not valid JSON") from None
    if not isinstance(data, dict):
        raise MalformedRequest("the request body must be a JSON object")
    return data


class JsonObjectParser(Parser):
    """Ninja's body parser, with the service's checks for media type, size and shape."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        """Return the body of a write as a dict (see ``json_object_from_request``)."""
        return json_object_from_request(request)
