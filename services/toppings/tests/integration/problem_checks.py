"""Assertions shared by the integration tests."""

from __future__ import annotations

from typing import Any

from webtest import TestResponse


def assert_problem(response: TestResponse, status: int, **members: Any) -> dict[str, Any]:
    """Assert ``response`` is a problem+json with ``status`` and ``members``; return its body."""
    assert response.status_int == status, response.text
    assert response.headers["Content-Type"] == "application/problem+json"
    body: dict[str, Any] = response.json
    assert body["status"] == status
    assert {"type", "title", "status", "detail"} <= body.keys()
    assert "Traceback" not in response.text
    for name, value in members.items():
        assert body[name] == value, (name, body)
    return body
