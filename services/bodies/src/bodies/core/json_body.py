"""Request bodies of writes: a JSON media type, bounded size, exactly one JSON object.

The rules are the chassis' (``cupcake_chassis.json_body``); this module applies them to a
Django request and answers their refusals as this service's problems.
"""

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja.parser import Parser

from bodies.core.problems import (
    ContentTooLarge,
    LengthRequired,
    MalformedRequest,
    ProblemError,
    UnsupportedMediaType,
)
from cupcake_chassis.json_body import (
    BodyRefused,
    body_size_check,
    json_media_type_check,
    json_object_parse,
    too_large,
)

_PROBLEMS: dict[int, type[ProblemError]] = {
    400: MalformedRequest,
    413: ContentTooLarge,
    415: UnsupportedMediaType,
}


def body_too_large() -> ContentTooLarge:
    """Return the 413 problem of a body over the upload limit."""
    return ContentTooLarge(too_large(settings.DATA_UPLOAD_MAX_MEMORY_SIZE).reason)


def json_object_from_request(request: HttpRequest) -> dict[str, Any]:
    """Return the request body as a dict, or raise the 415/411/413/400 problem that fits."""
    try:
        json_media_type_check(request.content_type)
        if not request.META.get("CONTENT_LENGTH") and request.headers.get("Transfer-Encoding"):
            # Under WSGI Django reads no more than Content-Length: a chunked body would read empty.
            raise LengthRequired("send the request body with a Content-Length header")
        # Django raises RequestDataTooBig here when Content-Length is over the limit, and reads
        # no more than Content-Length bytes otherwise: the body is never read unbounded.
        body = request.body
        body_size_check(len(body), limit=settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
        return json_object_parse(body)
    except BodyRefused as refused:
        raise _PROBLEMS[refused.status](refused.reason) from None


class JsonObjectParser(Parser):
    """Ninja's body parser, with the service's checks for media type, size and shape."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        """Return the body of a write as a dict (see ``json_object_from_request``)."""
        return json_object_from_request(request)
