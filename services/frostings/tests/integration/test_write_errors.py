"""Refused writes: the right problem for each, and nothing written."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from typing import Any

import pytest
from apiflask import APIFlask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

Stored = Callable[[], dict[str, list[tuple[Any, ...]]]]

NEW = {"slug": "lemon-zest", "name": "Lemon Zest", "color": "#ffe066", "bodies": ["vanilla"]}
WRITES = [
    ("POST", "/api/v1/frostings", NEW),
    ("PUT", "/api/v1/frostings/vanilla", {"name": "V", "color": "#ffffff"}),
    ("PATCH", "/api/v1/frostings/vanilla", {"name": "V"}),
    ("DELETE", "/api/v1/frostings/vanilla", None),
]
BODY_WRITES = WRITES[:3]


def _problem(response: TestResponse, status: int, type_: str = "about:blank") -> dict[str, Any]:
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    problem: dict[str, Any] = response.get_json()
    assert problem["status"] == status
    assert problem["type"] == type_
    assert problem["title"]
    assert problem["detail"]
    return problem


@pytest.fixture
def unchanged(stored: Stored) -> Any:
    """Assert, after the test's request, that no row of the database changed."""
    before = stored()
    yield
    assert stored() == before


@pytest.mark.usefixtures("unchanged")
@pytest.mark.parametrize(("method", "path", "body"), WRITES)
@pytest.mark.parametrize("authorization", [None, "Bearer wrong-token", "Basic dXNlcjpwdw=="])
def test_a_write_without_the_right_token_is_401(
    client: FlaskClient, method: str, path: str, body: Any, authorization: str | None
) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    response = client.open(path, method=method, json=body, headers=headers)
    _problem(response, 401)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(("method", "path", "body"), WRITES)
def test_writes_are_403_when_no_admin_token_is_configured(
    migrated_app: Callable[..., APIFlask],
    method: str,
    path: str,
    body: Any,
) -> None:
    app = migrated_app(CUPCAKE_ADMIN_TOKEN=None)
    response = app.test_client().open(
        path, method=method, json=body, headers={"Authorization": "Bearer test-admin-token"}
    )
    _problem(response, 403)
    assert app.test_client().get("/api/v1/frostings/vanilla").get_json()["name"] == "Vanilla"


@pytest.mark.usefixtures("unchanged")
@pytest.mark.parametrize(("method", "path", "body"), BODY_WRITES)
@pytest.mark.parametrize("content_type", [None, "text/plain", "application/x-www-form-urlencoded"])
def test_a_body_that_is_not_json_is_415(
    client: FlaskClient,
    admin: dict[str, str],
    method: str,
    path: str,
    body: Any,
    content_type: str | None,
) -> None:
    response = client.open(
        path, method=method, data=json.dumps(body), content_type=content_type, headers=admin
    )
    _problem(response, 415)


@pytest.mark.usefixtures("unchanged")
@pytest.mark.parametrize(("method", "path", "body"), BODY_WRITES)
def test_a_body_over_64_kib_is_413(
    client: FlaskClient, admin: dict[str, str], method: str, path: str, body: Any
) -> None:
    big = {**body, "description": "x" * (64 * 1024)}
    response = client.open(path, method=method, json=big, headers=admin)
    _problem(response, 413)


@pytest.mark.usefixtures("unchanged")
def test_a_streamed_body_over_64_kib_is_413(client: FlaskClient, admin: dict[str, str]) -> None:
    response = client.post(
        "/api/v1/frostings",
        input_stream=io.BytesIO(json.dumps({**NEW, "description": "x" * 70_000}).encode()),
        content_type="application/json",
        headers={**admin, "Transfer-Encoding": "chunked"},
        environ_overrides={"wsgi.input_terminated": True},
    )
    _problem(response, 413)


@pytest.mark.usefixtures("unchanged")
@pytest.mark.parametrize(("method", "path", "body"), BODY_WRITES)
@pytest.mark.parametrize("raw", ["{", "[1, 2]", '"text"', "null", '{"name": NaN}', "[" * 3000])
def test_a_body_that_is_not_a_json_object_is_400(
    client: FlaskClient, admin: dict[str, str], method: str, path: str, body: Any, raw: str
) -> None:
    response = client.open(
        path, method=method, data=raw, content_type="application/json", headers=admin
    )
    _problem(response, 400)


@pytest.mark.usefixtures("unchanged")
@pytest.mark.parametrize(
    ("method", "path", "body", "field"),
    [
        ("POST", "/api/v1/frostings", {**NEW, "slug": "Lemon Zest"}, "slug"),
        # A final newline: Python's "$" alone matches before it.
        ("POST", "/api/v1/frostings", {**NEW, "slug": "lemon-zest\n"}, "slug"),
        ("POST", "/api/v1/frostings", {**NEW, "color": "#ffe066\n"}, "color"),
        ("POST", "/api/v1/frostings", {**NEW, "bodies": ["vanilla\n"]}, "bodies.0"),
        ("PATCH", "/api/v1/frostings/vanilla", {"color": "#000000\n"}, "color"),
        ("POST", "/api/v1/frostings", {"slug": "x", "color": "#000000"}, "name"),
        ("POST", "/api/v1/frostings", {**NEW, "color": "yellow"}, "color"),
        ("POST", "/api/v1/frostings", {**NEW, "bodies": ["Vanilla"]}, "bodies.0"),
        ("POST", "/api/v1/frostings", {**NEW, "image_url": "http://x"}, "image_url"),
        ("PUT", "/api/v1/frostings/vanilla", {"name": "V"}, "color"),
        (
            "PUT",
            "/api/v1/frostings/vanilla",
            {"slug": "other", "name": "V", "color": "#000000"},
            "slug",
        ),
        ("PATCH", "/api/v1/frostings/vanilla", {"name": "x" * 61}, "name"),
        ("PATCH", "/api/v1/frostings/vanilla", {"slug": "vanilla-2"}, "slug"),
        ("PATCH", "/api/v1/frostings/vanilla", {"toppings": None}, "toppings"),
    ],
)
def test_invalid_fields_are_422_invalid_input_naming_them(
    client: FlaskClient, admin: dict[str, str], method: str, path: str, body: Any, field: str
) -> None:
    response = client.open(path, method=method, json=body, headers=admin)
    problem = _problem(response, 422, "urn:cupcake-lab:problem:invalid-input")
    assert field in [error["field"] for error in problem["errors"]]
    assert all(set(error) == {"field", "message"} for error in problem["errors"])


@pytest.mark.usefixtures("unchanged")
def test_a_taken_slug_is_409_conflict(client: FlaskClient, admin: dict[str, str]) -> None:
    body = {"slug": "vanilla", "name": "Another Vanilla", "color": "#ffffff"}
    response = client.post("/api/v1/frostings", json=body, headers=admin)
    problem = _problem(response, 409, "urn:cupcake-lab:problem:conflict")
    assert "vanilla" in problem["detail"]


@pytest.mark.usefixtures("unchanged")
@pytest.mark.parametrize(
    ("method", "path", "body", "rule"),
    [
        (
            "PATCH",
            "/api/v1/frostings/neon-blue",
            {"bodies": ["vanilla", "carrot-cake"]},
            "no-neon-blue-on-carrot-cake",
        ),
        (
            "PUT",
            "/api/v1/frostings/neon-blue",
            {"name": "N", "color": "#1fb6ff", "bodies": ["carrot-cake"]},
            "no-neon-blue-on-carrot-cake",
        ),
        (
            "PATCH",
            "/api/v1/frostings/strawberry",
            {"toppings": ["sprinkles"]},
            "sprinkles-only-on-vanilla-or-chocolate",
        ),
        (
            "POST",
            "/api/v1/frostings",
            {**NEW, "toppings": ["sprinkles", "cherry"]},
            "sprinkles-only-on-vanilla-or-chocolate",
        ),
    ],
)
def test_a_write_breaking_a_rule_is_422_rule_violation(
    client: FlaskClient, admin: dict[str, str], method: str, path: str, body: Any, rule: str
) -> None:
    response = client.open(path, method=method, json=body, headers=admin)
    problem = _problem(response, 422, "urn:cupcake-lab:problem:rule-violation")
    assert problem["rule"] == rule


def test_a_recreated_neon_blue_still_never_goes_on_carrot_cake(
    client: FlaskClient, admin: dict[str, str]
) -> None:
    client.delete("/api/v1/frostings/neon-blue", headers=admin)
    body = {"slug": "neon-blue", "name": "N", "color": "#1fb6ff", "bodies": ["carrot-cake"]}
    response = client.post("/api/v1/frostings", json=body, headers=admin)
    assert _problem(response, 422, "urn:cupcake-lab:problem:rule-violation")["rule"] == (
        "no-neon-blue-on-carrot-cake"
    )
    assert client.get("/api/v1/frostings/neon-blue").status_code == 404


@pytest.mark.usefixtures("unchanged")
@pytest.mark.parametrize(
    ("change", "field"),
    [({"bodies": ["vanilla", "lemon-sponge"]}, "bodies"), ({"toppings": ["glitter"]}, "toppings")],
)
def test_naming_an_unknown_body_or_topping_is_422_unknown_reference(
    client: FlaskClient, admin: dict[str, str], change: dict[str, Any], field: str
) -> None:
    response = client.post("/api/v1/frostings", json={**NEW, **change}, headers=admin)
    problem = _problem(response, 422, "urn:cupcake-lab:problem:unknown-reference")
    assert [error["field"] for error in problem["errors"]] == [field]


@pytest.mark.usefixtures("unchanged")
@pytest.mark.parametrize("service", ["bodies", "toppings"])
@pytest.mark.parametrize("how", ["down", "timeout", "error", "garbage"])
@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "/api/v1/frostings", {**NEW, "toppings": ["cherry"]}),
        (
            "PUT",
            "/api/v1/frostings/strawberry",
            {"name": "S", "color": "#f49ac1", "bodies": ["vanilla"], "toppings": ["cherry"]},
        ),
    ],
)
def test_an_unreachable_owner_is_503_with_retry_after(
    client: FlaskClient,
    admin: dict[str, str],
    peers_fake: Any,
    service: str,
    how: str,
    method: str,
    path: str,
    body: dict[str, Any],
) -> None:
    peers_fake.fail(service, how)
    before = client.get("/api/v1/frostings").get_data()
    response = client.open(path, method=method, json=body, headers=admin)
    problem = _problem(response, 503, "urn:cupcake-lab:problem:upstream-unavailable")
    assert problem["service"] == service
    assert int(response.headers["Retry-After"]) > 0
    assert client.get("/api/v1/frostings").get_data() == before


@pytest.mark.usefixtures("unchanged")
@pytest.mark.parametrize("slug", ["lemon", "a%00b", "Vanilla"])
@pytest.mark.parametrize(
    ("method", "body"),
    [("PUT", {"name": "L", "color": "#000000"}), ("PATCH", {}), ("DELETE", None)],
)
def test_writing_an_unknown_frosting_is_404(
    client: FlaskClient, admin: dict[str, str], method: str, body: Any, slug: str
) -> None:
    response = client.open(f"/api/v1/frostings/{slug}", method=method, json=body, headers=admin)
    _problem(response, 404)
