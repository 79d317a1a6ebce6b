"""The OpenAPI document drives request validation (pyramid_openapi3)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from pyramid.config import Configurator
from pyramid.request import Request
from pyramid.response import Response

from cupcake_chassis.json_body import BodyRefused, json_object_parse

from .problems import BadRequest
from .settings import RESPONSE_VALIDATION

SPEC_PATH = Path(__file__).with_name("openapi.yaml")


class MalformedBody(BadRequest):
    """The request body is not a JSON object (400)."""


def json_object_loads(value: bytes, **parameters: str) -> dict[str, Any]:
    """Parse a request body that must be one JSON object in UTF-8 (the chassis' rules).

    Raises ``MalformedBody`` (400) rather than the validator's own error, so
    any bytes a client sends, however broken or deeply nested, end in a 400.
    """
    try:
        return json_object_parse(value)
    except BodyRefused as refused:
        raise MalformedBody(refused.reason) from None


def json_any_loads(value: bytes, **parameters: str) -> Any:
    """Parse JSON of any shape (for checking our own problem+json answers)."""
    return json.loads(value)


def text_loads(value: bytes, **parameters: str) -> str:
    """Decode UTF-8 text (for checking our own SVG answers)."""
    return value.decode("utf-8")


def responses_validated(
    view: Callable[[Any, Request], Response],
) -> Callable[[Any, Request], Response]:
    """View decorator for reads, in place of ``openapi=True``: answers still checked.

    Request validation by openapi-core costs about a millisecond, several times the rest
    of a read, and a read's only input is a path slug or the ``slug`` filter, which the
    view checks itself. The answer is still validated against the document whenever
    response validation is on (the tests), by pyramid_openapi3's response tween.
    """

    def validated_view(context: Any, request: Request) -> Response:
        validate = bool(request.registry.settings.get(RESPONSE_VALIDATION))
        request.environ["pyramid_openapi3.validate_response"] = validate
        return view(context, request)

    return validated_view


def openapi_document() -> dict[str, Any]:
    """Return the OpenAPI document of the service as a dict."""
    document: dict[str, Any] = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))
    return document


def includeme(config: Configurator) -> None:
    """Validate requests (and, if enabled, responses) of ``openapi=True`` views."""
    config.include("pyramid_openapi3")
    config.pyramid_openapi3_add_deserializer("application/json", json_object_loads)
    config.pyramid_openapi3_add_deserializer("application/problem+json", json_any_loads)
    config.pyramid_openapi3_add_deserializer("image/svg+xml", text_loads)
    config.pyramid_openapi3_spec(
        str(SPEC_PATH), route="/api/v1/openapi.yaml", route_name="openapi_yaml"
    )
    config.registry["openapi_document"] = openapi_document()
