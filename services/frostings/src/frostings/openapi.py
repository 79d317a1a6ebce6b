"""The OpenAPI document: APIFlask settings and a final pass making it say what is served.

Errors are ``application/problem+json``; 304 and 204 have no body; the headers the
service sends (ETag, Cache-Control, Location, Retry-After, WWW-Authenticate) are listed.
"""

from __future__ import annotations

from typing import Any

from frostings.schemas import ProblemOut

PROBLEM_REF = "#/components/schemas/Problem"

OPENAPI_CONFIG: dict[str, Any] = {
    "AUTO_SERVERS": False,
    "AUTO_404_RESPONSE": False,
    "HTTP_ERROR_SCHEMA": ProblemOut,
    "VALIDATION_ERROR_SCHEMA": ProblemOut,
    "VALIDATION_ERROR_DESCRIPTION": "Invalid input (invalid-input problem)",
    "AUTH_ERROR_DESCRIPTION": "Missing or wrong admin bearer token",
    "INFO": {
        "description": "Frostings of Cupcake Lab and the pairing rules: which bodies a "
        "frosting goes on and which toppings go on it.",
    },
}

_TEXT = {"schema": {"type": "string"}}
_HEADERS: dict[str, dict[str, dict[str, Any]]] = {
    "cacheable": {
        "ETag": {"description": "Strong entity tag of the body", **_TEXT},
        "Cache-Control": {"description": "Caching policy of the read", **_TEXT},
    },
    "201": {"Location": {"description": "URL of the new frosting", **_TEXT}},
    "401": {"WWW-Authenticate": {"description": "The Bearer challenge", **_TEXT}},
    "503": {"Retry-After": {"description": "Seconds to wait before retrying", **_TEXT}},
}


def schema_name(schema: Any) -> str:
    """Component name of a schema class or instance: ``FrostingOut`` -> ``Frosting``."""
    cls = schema if isinstance(schema, type) else type(schema)
    return cls.__name__.removesuffix("Out")


def read_responses(*errors: int) -> dict[int, Any]:
    """The extra responses of a cacheable read: 304 and the given errors."""
    return {304: {"description": "Not Modified: the client's copy is current"}} | {
        code: _description(code) for code in errors
    }


def write_responses(*errors: int) -> dict[int, Any]:
    """The extra (error) responses of a write."""
    return {code: _description(code) for code in (403, 413, 415, 400, *errors)}


def _description(code: int) -> str:
    return {
        400: "The body is not a JSON object",
        403: "Writes are disabled: no admin token is configured",
        404: "No such frosting",
        409: "A frosting with this slug exists already (conflict problem)",
        413: "The body is larger than 64 KiB",
        415: "The body is not application/json",
        422: "Invalid input, a broken rule or an unknown reference",
        503: "A service or the database needed for the answer is unavailable"
        " (upstream-unavailable, database-unavailable)",
    }[code]


def _is_problem(content: dict[str, Any]) -> bool:
    schema = content.get("application/json", {}).get("schema", {})
    return bool(schema.get("$ref") == PROBLEM_REF)


def spec_finish(spec: dict[Any, Any] | str) -> dict[Any, Any] | str:
    """Errors as problem+json, no content where there is no body, the headers sent, and
    every request body required (a write without one is refused)."""
    if isinstance(spec, str):  # the YAML flavour, which this service does not serve
        return spec
    for operations in spec.get("paths", {}).values():
        for operation in operations.values():
            if "requestBody" in operation:
                operation["requestBody"]["required"] = True
            cacheable = "304" in operation.get("responses", {})
            for code, response in operation.get("responses", {}).items():
                content = response.get("content")
                problem = content is not None and _is_problem(content)
                if problem:
                    response["content"] = {"application/problem+json": content["application/json"]}
                if code in {"204", "304"} or content == {}:
                    response.pop("content", None)
                if code == "200" and cacheable:
                    response["headers"] = _HEADERS["cacheable"]
                elif code == "201" or (problem and code in _HEADERS):
                    response["headers"] = _HEADERS[code]
    return spec
