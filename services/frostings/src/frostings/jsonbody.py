"""The request body of a write: JSON, at most 64 KiB, one JSON object (the chassis' rules).

Checked before the schema sees it, so that each failure has its own status:
415 wrong media type, 413 too large, 400 not a JSON object.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from apiflask import HTTPError
from flask import current_app, request

from cupcake_chassis.json_body import (
    BodyRefused,
    body_size_check,
    json_media_type_check,
    json_object_parse,
)

View = TypeVar("View", bound=Callable[..., Any])


def json_object_read() -> dict[str, Any]:
    """Read, bounded, and parse the request body (the chassis' rules); raise the matching
    HTTP error if it is refused."""
    limit: int = current_app.config["MAX_CONTENT_LENGTH"]
    try:
        json_media_type_check(request.mimetype)
        if request.content_length is not None:
            body_size_check(request.content_length, limit=limit)
        # Without a Content-Length, Werkzeug stops reading at the request's limit without
        # an error; one byte past ours tells a body of exactly the limit from a longer one.
        request.max_content_length = limit + 1
        raw = request.get_data(cache=True)
        body_size_check(len(raw), limit=limit)
        return json_object_parse(raw)
    except BodyRefused as refused:
        raise HTTPError(refused.status, detail=refused.reason) from None


def json_object_required(view: View) -> View:
    """Decorate a write view so that its body is checked before the schema loads it."""

    @wraps(view)
    def checked(*args: Any, **kwargs: Any) -> Any:
        json_object_read()
        return view(*args, **kwargs)

    return cast(View, checked)
