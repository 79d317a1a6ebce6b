"""Errors raised by the framework or by surprises: all problem+json, never a traceback."""

from __future__ import annotations

import logging
from collections.abc import Callable

import pytest
from webob import Request
from webtest import TestApp

from toppings.views import toppings as topping_views

from .problem_checks import assert_problem


@pytest.mark.parametrize("path", ["/nope", "/api/v1", "/api/v1/toppings/", "/api/v1/toppings/a/b"])
def test_unknown_paths_are_404(testapp: TestApp, path: str) -> None:
    assert_problem(testapp.get(path, status=404), 404, type="about:blank")


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("DELETE", "/api/v1/toppings", "GET, HEAD, POST"),
        ("PUT", "/api/v1/toppings", "GET, HEAD, POST"),
        ("POST", "/api/v1/toppings/cherry", "DELETE, GET, HEAD, PATCH, PUT"),
        ("OPTIONS", "/api/v1/toppings/cherry", "DELETE, GET, HEAD, PATCH, PUT"),
        ("DELETE", "/api/v1/toppings/cherry/image.svg", "GET, HEAD"),
        ("POST", "/healthz", "GET, HEAD"),
        ("PATCH", "/readyz", "GET, HEAD"),
        ("PUT", "/api/v1/openapi.json", "GET, HEAD"),
    ],
)
def test_a_wrong_method_is_405_with_allow(
    testapp: TestApp, method: str, path: str, allow: str
) -> None:
    response = testapp.request(path, method=method, expect_errors=True)
    assert_problem(response, 405)
    assert response.headers["Allow"] == allow


@pytest.mark.parametrize(
    "path", ["/api/v1/toppings/%ff", "/api/v1/toppings?slug=%ff", "/%c3%28/image.svg"]
)
def test_a_url_that_is_not_utf8_is_400(testapp: TestApp, path: str) -> None:
    assert_problem(testapp.get(path, status=400), 400)


def test_an_unreadable_content_length_is_400(testapp: TestApp) -> None:
    # Straight to the app: WebTest's own checks refuse to send such a request.
    request = Request.blank("/api/v1/toppings")
    request.environ["CONTENT_LENGTH"] = "lots"
    response = request.get_response(testapp.app)
    assert response.status_int == 400
    assert response.content_type == "application/problem+json"


def test_an_unexpected_error_is_a_generic_500_and_logged(
    testapp: TestApp, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def explode(**kwargs: object) -> None:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(topping_views, "topping_get", explode)
    with caplog.at_level(logging.ERROR, logger="toppings"):
        response = testapp.get("/api/v1/toppings/cherry", status=500)
    body = assert_problem(response, 500)
    assert "secret internals" not in response.text
    assert body["detail"] == "an unexpected error happened; it has been logged"
    assert any("secret internals" in (record.exc_text or "") for record in caplog.records)


def test_an_unusable_database_is_503_with_retry_after(
    testapp: TestApp,
    admin: dict[str, str],
    use_database: Callable[[str], None],
    unmigrated_database_url: str,
) -> None:
    use_database(unmigrated_database_url)
    for response in (
        testapp.get("/api/v1/toppings", status=503),
        testapp.get("/api/v1/toppings/cherry/image.svg", status=503),
        testapp.delete("/api/v1/toppings/cherry", headers=admin, status=503),
    ):
        assert_problem(response, 503)
        assert response.headers["Retry-After"] == "5"
