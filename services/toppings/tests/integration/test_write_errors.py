"""Refused writes: each answers problem+json and leaves the database untouched."""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator

import pytest
from webob import Request
from webtest import TestApp, TestResponse

from toppings.settings import ADMIN_TOKEN

from .conftest import Row
from .problem_checks import assert_problem

NEW = {"slug": "gum", "name": "Gum", "color": "#00ff00"}
WRITES = [
    ("POST", "/api/v1/toppings", NEW),
    ("PUT", "/api/v1/toppings/cherry", {"name": "X", "color": "#000000"}),
    ("PATCH", "/api/v1/toppings/cherry", {"name": "X"}),
    ("DELETE", "/api/v1/toppings/cherry", None),
]


@pytest.fixture
def unchanged(stored_rows: Callable[[], list[Row]]) -> Iterator[None]:
    """Assert, after the test, that the toppings table is exactly as before it."""
    before = stored_rows()
    yield
    assert stored_rows() == before


def send(testapp: TestApp, method: str, path: str, body: object, **kwargs: object) -> TestResponse:
    """Send a JSON write (no body for DELETE) expecting any status."""
    if body is None:
        return testapp.request(path, method=method, expect_errors=True, **kwargs)
    return testapp.request(
        path,
        method=method,
        body=json.dumps(body).encode(),
        content_type="application/json",
        expect_errors=True,
        **kwargs,
    )


@pytest.mark.usefixtures("unchanged")
@pytest.mark.parametrize(("method", "path", "body"), WRITES)
def test_a_write_without_token_is_401_with_a_bearer_challenge(
    testapp: TestApp, method: str, path: str, body: object
) -> None:
    response = send(testapp, method, path, body)
    assert_problem(response, 401)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.usefixtures("unchanged")
@pytest.mark.parametrize(("method", "path", "body"), WRITES)
def test_a_write_with_a_wrong_token_is_401(
    testapp: TestApp, method: str, path: str, body: object
) -> None:
    response = send(testapp, method, path, body, headers={"Authorization": "Bearer wrong"})
    assert_problem(response, 401)
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]


@pytest.mark.usefixtures("unchanged")
def test_writes_are_403_when_no_admin_token_is_configured(
    make_testapp: Callable[..., TestApp],
) -> None:
    testapp = make_testapp(**{ADMIN_TOKEN: None})
    for method, path, body in WRITES:
        for headers in ({}, {"Authorization": "Bearer anything"}, {"Authorization": "Bearer "}):
            response = send(testapp, method, path, body, headers=headers)
            assert_problem(response, 403)


@pytest.mark.usefixtures("unchanged")
def test_a_body_declared_larger_than_64_kib_is_413(testapp: TestApp, admin: dict[str, str]) -> None:
    body = {**NEW, "description": "x" * 70_000}
    response = send(testapp, "POST", "/api/v1/toppings", body, headers=admin)
    assert_problem(response, 413)


@pytest.mark.usefixtures("unchanged")
def test_a_chunked_body_over_64_kib_is_413_without_reading_it_all(
    testapp: TestApp, admin: dict[str, str]
) -> None:
    stream = io.BytesIO(b"{" + b" " * 1_000_000 + b"}")
    request = Request.blank("/api/v1/toppings", method="POST", headers=admin)
    request.content_type = "application/json"
    request.environ.pop("CONTENT_LENGTH", None)
    request.environ["HTTP_TRANSFER_ENCODING"] = "chunked"
    request.environ["wsgi.input"] = stream
    response = request.get_response(testapp.app)
    assert response.status_int == 413
    assert response.content_type == "application/problem+json"
    assert stream.tell() <= 64 * 1024 + 1


@pytest.mark.usefixtures("unchanged")
@pytest.mark.parametrize(("method", "path", "body"), WRITES[:3])
def test_a_body_that_is_not_json_is_415(
    testapp: TestApp, admin: dict[str, str], method: str, path: str, body: object
) -> None:
    response = testapp.request(
        path,
        method=method,
        body=b"name=X",
        content_type="application/x-www-form-urlencoded",
        headers=admin,
        expect_errors=True,
    )
    assert_problem(response, 415)


@pytest.mark.usefixtures("unchanged")
@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b'{"slug": "gum",', "not valid JSON"),
        (b"[]", "JSON object"),
        (b"null", "JSON object"),
        (b"\xff\xfe{}", "not UTF-8"),
        (b"[" * 60_000, "not valid JSON"),
        (b"", "needs a JSON object"),
    ],
)
@pytest.mark.parametrize(("method", "path"), [(m, p) for m, p, _ in WRITES[:3]])
def test_a_body_that_is_not_one_json_object_is_400(
    testapp: TestApp, admin: dict[str, str], method: str, path: str, raw: bytes, reason: str
) -> None:
    response = testapp.request(
        path,
        method=method,
        body=raw,
        content_type="application/json",
        headers=admin,
        expect_errors=True,
    )
    assert reason in assert_problem(response, 400)["detail"]


@pytest.mark.usefixtures("unchanged")
@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({}, {"slug", "name", "color"}),
        ({**NEW, "slug": "Gum Drop"}, {"slug"}),
        ({**NEW, "slug": "gum\n"}, {"slug"}),
        ({**NEW, "name": ""}, {"name"}),
        ({**NEW, "name": "Gum\n"}, {"name"}),
        ({**NEW, "name": "x" * 61}, {"name"}),
        ({**NEW, "description": "x" * 501}, {"description"}),
        ({**NEW, "description": "bell\u0007"}, {"description"}),
        ({**NEW, "color": "green"}, {"color"}),
        ({**NEW, "color": None}, {"color"}),
        ({**NEW, "image_url": "http://x"}, {"image_url"}),
    ],
)
def test_invalid_fields_on_create_are_422_invalid_input(
    testapp: TestApp, admin: dict[str, str], body: dict[str, object], fields: set[str]
) -> None:
    response = testapp.post_json("/api/v1/toppings", body, headers=admin, status=422)
    problem = assert_problem(response, 422, type="urn:cupcake-lab:problem:invalid-input")
    assert {error["field"] for error in problem["errors"]} == fields


@pytest.mark.usefixtures("unchanged")
@pytest.mark.parametrize(
    ("method", "body", "field"),
    [
        ("PUT", {"name": "X"}, "color"),
        ("PUT", {"slug": "renamed", "name": "X", "color": "#000000"}, "slug"),
        ("PATCH", {"slug": "renamed"}, "slug"),
        ("PATCH", {"color": "#12345"}, "color"),
        ("PATCH", {"name": None}, "name"),
    ],
)
def test_invalid_fields_on_change_are_422_invalid_input(
    testapp: TestApp, admin: dict[str, str], method: str, body: dict[str, object], field: str
) -> None:
    response = send(testapp, method, "/api/v1/toppings/cherry", body, headers=admin)
    problem = assert_problem(response, 422, type="urn:cupcake-lab:problem:invalid-input")
    assert field in {error["field"] for error in problem["errors"]}
