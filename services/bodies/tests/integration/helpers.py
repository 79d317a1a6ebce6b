"""Helpers of the integration tests: the seeded catalogue, problem checks, baking."""

import json
from typing import Any

from django.http import HttpResponse
from django.http.response import HttpResponseBase

from bodies.assembler.models import Cupcake, IdempotencyRecord
from bodies.catalogue.models import Body

# The seed catalogue (docs/architecture.md): the bodies a fresh database holds, sorted by slug.
SEEDED_CATALOGUE = [
    ("carrot-cake", "Carrot Cake"),
    ("chocolate", "Chocolate"),
    ("vanilla", "Vanilla"),
]


def catalogue_rows() -> list[tuple[str, str, str, str]]:
    """Return every body as stored, sorted by slug."""
    return list(Body.objects.order_by("slug").values_list("slug", "name", "description", "color"))


def as_response(answer: HttpResponseBase) -> HttpResponse:
    """The test client's answer as the whole (not streamed) response it is."""
    assert isinstance(answer, HttpResponse), type(answer)
    return answer


def problem_of(answer: HttpResponseBase, status: int) -> dict[str, Any]:
    """Check that ``answer`` is a problem with ``status``; return its document."""
    response = as_response(answer)
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"] == "application/problem+json"
    problem: dict[str, Any] = json.loads(response.content)
    assert problem["status"] == status
    assert {"type", "title", "status", "detail"} <= set(problem)
    assert "Traceback" not in response.content.decode()
    return problem


CUPCAKE = {"body": "vanilla", "frosting": "strawberry", "topping": "cherry"}


def bake(client: Any, payload: Any = None, *, key: str | None = None, **kwargs: Any) -> Any:
    """POST a cupcake as JSON (``CUPCAKE`` by default), with an Idempotency-Key if given."""
    headers = {"Idempotency-Key": key} if key is not None else {}
    body = json.dumps(CUPCAKE if payload is None else payload)
    return client.post(
        "/api/v1/cupcakes", body, content_type="application/json", headers=headers, **kwargs
    )


def stored_counts() -> tuple[int, int]:
    """How many cupcakes and idempotency records the database holds."""
    return Cupcake.objects.count(), IdempotencyRecord.objects.count()
