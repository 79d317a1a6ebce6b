"""Helpers of the integration tests: the seeded catalogue and problem checks."""

from typing import Any

from django.http import HttpResponse

from bodies.catalogue.models import Body

# docs/DESIGN.md: the bodies a fresh database holds, sorted by slug.
SEEDED_CATALOGUE = [
    ("carrot-cake", "Carrot Cake"),
    ("chocolate", "Chocolate"),
    ("vanilla", "Vanilla"),
]


def catalogue_rows() -> list[tuple[str, str, str, str]]:
    """Return every body as stored, sorted by slug."""
    return list(Body.objects.order_by("slug").values_list("slug", "name", "description", "color"))


def problem_of(response: HttpResponse, status: int) -> dict[str, Any]:
    """Check that ``response`` is a problem with ``status``; return its document."""
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"] == "application/problem+json"
    problem: dict[str, Any] = response.json()
    assert problem["status"] == status
    assert {"type", "title", "status", "detail"} <= set(problem)
    assert "Traceback" not in response.content.decode()
    return problem
