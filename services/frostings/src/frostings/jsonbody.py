"""The request body of a write: ``application/json``, at most 64 KiB, a JSON object.

Checked before the schema sees it, so that each failure has its own status:
415 wrong media type, 413 too large, 400 not a JSON object.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from apiflask import HTTPError
from flask import current_app, request

View = TypeVar("View", bound=Callable[..., Any])


def _reject_constant(name: str) -> None:
    raise ValueError(f"{name} is not JSON")


def json_object_read() -> dict[str, Any]:
    """Read, bounded, and parse the request body; raise the matching HTTP error if it is bad."""
    if request.mimetype != "application/json":
        raise HTTPError(415, detail="the request body must be application/json")
    limit: int = current_app.config["MAX_CONTENT_LENGTH"]
    if request.content_length is not None and request.content_length > limit:
        raise HTTPError(413, detail=f"the request body must be at most {limit} bytes")
    # Without a Content-Length, Werkzeug stops reading at the request's limit without an
    # error; one byte past ours tells a body of exactly the limit from a longer one.
    request.max_content_length = limit + 1
    raw = request.get_data(cache=True)
    if len(raw) > limit:
        raise HTTPError(413, detail=f"the request body must be at most {limit} bytes")
    try:
        value = json.loads(raw, parse_constant=_reject_constant)
    except (ValueError, RecursionError):
        raise HTTPError(400, detail="the request body is not valid JSON") from None
    if not isinstance(value, dict):
        raise HTTPError(400, detail="the request body must be a JSON object")
    if not _is_unicode_text(value):
        raise HTTPError(400, detail="the request body holds a lone surrogate escape (\\udXXX)")
    return value


def _is_unicode_text(value: dict[str, Any]) -> bool:
    """Whether every string in ``value`` is Unicode text: JSON lets an escape name half a
    surrogate pair, which no database or UTF-8 answer can hold."""
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def json_object_required(view: View) -> View:
    """Decorate a write view so that its body is checked before the schema loads it."""

    @wraps(view)
    def checked(*args: Any, **kwargs: Any) -> Any:
        json_object_read()
        return view(*args, **kwargs)

    return cast(View, checked)
