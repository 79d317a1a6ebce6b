"""OpenAPI schemas of problem documents, and what the API declares about them."""

from typing import Any

from ninja import Schema

from cupcake_chassis.problems import PROBLEM_MEDIA_TYPE


class Problem(Schema):
    """An error, as RFC 9457 problem details."""

    type: str
    title: str
    status: int
    detail: str


class FieldError(Schema):
    """What is wrong with one field of the request."""

    field: str
    message: str


class ValidationProblem(Problem):
    """422 invalid-input: the request breaks the validation rules, field by field."""

    errors: list[FieldError]


def problem_schema_names() -> set[str]:
    """Return the names of Problem and of every schema derived from it, in any app."""
    names, pending = set(), [Problem]
    while pending:
        schema = pending.pop()
        names.add(schema.__name__)
        pending.extend(schema.__subclasses__())
    return names


def problem_media_types_apply(openapi: dict[str, Any]) -> None:
    """Declare problem responses as ``application/problem+json``, as they are served.

    django-ninja declares every response with its renderer's media type (JSON); this
    moves the ones whose schema is a problem to the problem media type.
    """
    problem_names = problem_schema_names()
    for operations in openapi["paths"].values():
        for operation in operations.values():
            for response in operation.get("responses", {}).values():
                content = response.get("content", {})
                schema_ref = content.get("application/json", {}).get("schema", {}).get("$ref", "")
                if schema_ref.rpartition("/")[2] in problem_names:
                    content[PROBLEM_MEDIA_TYPE] = content.pop("application/json")
