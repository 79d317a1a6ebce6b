"""Turn the validation errors of openapi-core into this service's problem answers.

A body that is not JSON is 400, a body that is not ``application/json`` is
415, and values that break the document's schemas are 422 ``invalid-input``
with one ``{"field", "message"}`` per broken rule.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, Protocol, TypeGuard

from openapi_core.templating.media_types.exceptions import MediaTypeNotFound
from openapi_core.validation.request.exceptions import (
    MissingRequestBodyError,
    ParameterValidationError,
)
from openapi_core.validation.schemas.exceptions import InvalidSchemaValue
from pyramid.response import Response

from cupcake_chassis.problems import FieldError

from .problems import invalid_input_response, problem_response


class SchemaError(Protocol):
    """What this module reads of a ``jsonschema`` validation error."""

    validator: str
    validator_value: Any
    instance: Any
    schema: Mapping[str, Any]
    absolute_path: Sequence[str | int]
    message: str


def _is_schema_error(error: object) -> TypeGuard[SchemaError]:
    return all(hasattr(error, name) for name in ("validator", "absolute_path", "instance"))


_MESSAGES = {
    "maxLength": "must be at most {} characters long",
    "minLength": "must be at least {} characters long",
    "maxItems": "must list at most {} items",
    "minItems": "must list at least {} items",
    "pattern": "does not match the pattern {}",
    "type": "must be of type {}",
    "enum": "must be one of {}",
}


def _schema_field_errors(error: SchemaError, *, prefix: str | None) -> Iterator[FieldError]:
    """Yield readable field errors for one JSON Schema error (never echoing the value)."""
    # Array positions (in a list parameter) go into the message, names into the field.
    path = [str(part) for part in error.absolute_path if isinstance(part, str)]
    items = [f"item {part + 1} " for part in error.absolute_path if isinstance(part, int)]
    instance = error.instance
    if error.validator == "required" and isinstance(instance, dict):
        missing = [name for name in error.validator_value if name not in instance]
        yield from (FieldError(_join(prefix, *path, name), "is required") for name in missing)
    elif error.validator == "additionalProperties" and isinstance(instance, dict):
        known = error.schema.get("properties", {})
        extra = [name for name in instance if name not in known]
        yield from (FieldError(_join(prefix, *path, name), "is not allowed") for name in extra)
    else:
        template = _MESSAGES.get(str(error.validator))
        message = template.format(error.validator_value) if template else error.message[:200]
        yield FieldError(_join(prefix, *path) or "body", "".join(items) + message)


def _join(*parts: str | None) -> str:
    return ".".join(part for part in parts if part)


def _field_errors(errors: Iterable[Exception]) -> list[FieldError]:
    found: list[FieldError] = []
    for error in errors:
        cause = error.__cause__
        prefix = error.name if isinstance(error, ParameterValidationError) else None
        if isinstance(cause, InvalidSchemaValue):
            for schema_error in cause.schema_errors:
                if _is_schema_error(schema_error):
                    found += _schema_field_errors(schema_error, prefix=prefix)
        elif prefix is not None:
            found.append(FieldError(prefix, str(cause or error)[:200]))
    # jsonschema reports one "required" error per missing name, each listing all of them.
    return list(dict.fromkeys(found))


def _causes(error: BaseException) -> Iterator[BaseException]:
    current: BaseException | None = error
    while current is not None:
        yield current
        current = current.__cause__


def request_errors_response(errors: Sequence[Exception]) -> Response:
    """Return the problem answer (400, 415 or 422) for openapi-core request errors."""
    causes = [cause for error in errors for cause in _causes(error)]
    if any(isinstance(cause, MediaTypeNotFound) for cause in causes):
        return problem_response(status=415, detail="the request body must be application/json")
    if any(isinstance(cause, MissingRequestBodyError) for cause in causes):
        return problem_response(status=400, detail="the request needs a JSON object as its body")
    field_errors = _field_errors(errors)
    if field_errors:
        return invalid_input_response(field_errors)
    return problem_response(status=400, detail="the request does not match the API description")


def describe(errors: Sequence[Any]) -> str:
    """Return the class names of ``errors`` (safe to log: no client data)."""
    return ", ".join(type(error).__name__ for error in errors)
