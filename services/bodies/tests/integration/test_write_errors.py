"""Refused writes: the right problem, and nothing written."""

import json
from typing import Any

import pytest
from django.test import Client
from pytest_django import Settings

from integration.helpers import catalogue_rows, problem_of

pytestmark = pytest.mark.integration

NEW = {"slug": "lemon", "name": "Lemon", "color": "#f7e36b"}
WRITES = [
    ("POST", "/api/v1/bodies", NEW),
    ("PUT", "/api/v1/bodies/vanilla", {"name": "V", "color": "#ffffff"}),
    ("PATCH", "/api/v1/bodies/vanilla", {"name": "V"}),
    ("DELETE", "/api/v1/bodies/vanilla", None),
]
BODY_WRITES = [write for write in WRITES if write[2] is not None]
Rows = list[tuple[str, str, str, str]]


def send(client: Client, method: str, path: str, payload: Any, **kwargs: Any) -> Any:
    """Send ``payload`` as JSON (or nothing, for None) with ``method``."""
    if payload is None:
        return client.generic(method, path, **kwargs)
    body = json.dumps(payload)
    return client.generic(method, path, data=body, content_type="application/json", **kwargs)


@pytest.mark.parametrize(("method", "path", "payload"), WRITES)
@pytest.mark.parametrize("authorization", [None, "Bearer wrong-token", "Basic dGVzdDp0ZXN0"])
def test_a_write_without_the_right_token_is_401(
    client: Client,
    admin_token: str,
    seeded_rows: Rows,
    method: str,
    path: str,
    payload: Any,
    authorization: str | None,
) -> None:
    headers = {"Authorization": authorization} if authorization else {}

    response = send(client, method, path, payload, headers=headers)

    problem_of(response, 401)
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert catalogue_rows() == seeded_rows


@pytest.mark.parametrize(("method", "path", "payload"), WRITES)
def test_writes_are_403_while_no_admin_token_is_configured(
    client: Client, settings: Settings, seeded_rows: Rows, method: str, path: str, payload: Any
) -> None:
    settings.CUPCAKE_ADMIN_TOKEN = None

    response = send(client, method, path, payload, headers={"Authorization": "Bearer x"})

    problem_of(response, 403)
    assert catalogue_rows() == seeded_rows


@pytest.mark.parametrize(("method", "path", "payload"), BODY_WRITES)
@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded"])
def test_a_body_that_is_not_json_is_415(
    client: Client,
    auth: dict[str, str],
    seeded_rows: Rows,
    method: str,
    path: str,
    payload: Any,
    content_type: str,
) -> None:
    response = client.generic(
        method, path, data=json.dumps(payload), content_type=content_type, headers=auth
    )

    problem_of(response, 415)
    assert catalogue_rows() == seeded_rows


@pytest.mark.parametrize(("method", "path", "payload"), BODY_WRITES)
def test_a_body_over_64_kib_is_413(
    client: Client, auth: dict[str, str], seeded_rows: Rows, method: str, path: str, payload: Any
) -> None:
    response = send(client, method, path, {**payload, "description": "x" * 65536}, headers=auth)

    assert "65536" in problem_of(response, 413)["detail"]
    assert catalogue_rows() == seeded_rows


@pytest.mark.parametrize(("method", "path", "payload"), BODY_WRITES)
def test_a_chunked_body_without_length_is_411(
    client: Client, auth: dict[str, str], seeded_rows: Rows, method: str, path: str, payload: Any
) -> None:
    response = client.generic(
        method,
        path,
        data=json.dumps(payload),
        content_type="application/json",
        headers={**auth, "Transfer-Encoding": "chunked"},
        CONTENT_LENGTH="",
    )

    problem_of(response, 411)
    assert catalogue_rows() == seeded_rows


@pytest.mark.parametrize(("method", "path", "payload"), BODY_WRITES)
@pytest.mark.parametrize("body", ["{", "[]", '"lemon"', "", "{" * 5000])
def test_a_body_that_is_not_a_json_object_is_400(
    client: Client,
    auth: dict[str, str],
    seeded_rows: Rows,
    method: str,
    path: str,
    payload: Any,
    body: str,
) -> None:
    response = client.generic(
        method, path, data=body, headers=auth, CONTENT_TYPE="application/json"
    )

    problem_of(response, 400)
    assert catalogue_rows() == seeded_rows


@pytest.mark.parametrize(
    ("method", "path", "payload", "fields"),
    [
        ("POST", "/api/v1/bodies", {"name": "Lemon"}, ["slug", "color"]),
        ("POST", "/api/v1/bodies", {**NEW, "slug": "Lemon Tart"}, ["slug"]),
        ("POST", "/api/v1/bodies", {**NEW, "name": "x" * 61}, ["name"]),
        ("POST", "/api/v1/bodies", {**NEW, "name": "Lem\x00on"}, ["name"]),
        ("POST", "/api/v1/bodies", {**NEW, "description": "\x1b[31m"}, ["description"]),
        ("POST", "/api/v1/bodies", {**NEW, "color": "yellow"}, ["color"]),
        ("POST", "/api/v1/bodies", {**NEW, "image_url": "x"}, ["image_url"]),
        ("PUT", "/api/v1/bodies/vanilla", {"name": "V"}, ["color"]),
        ("PUT", "/api/v1/bodies/vanilla", {"name": "V", "color": "#fff"}, ["color"]),
        (
            "PUT",
            "/api/v1/bodies/vanilla",
            {"slug": "lemon", "name": "V", "color": "#ffffff"},
            ["slug"],
        ),
        ("PATCH", "/api/v1/bodies/vanilla", {"name": None}, ["name"]),
        ("PATCH", "/api/v1/bodies/vanilla", {"name": 7}, ["name"]),
        ("PATCH", "/api/v1/bodies/vanilla", {"slug": "lemon"}, ["slug"]),
    ],
)
def test_an_invalid_body_is_422_naming_each_field(
    client: Client,
    auth: dict[str, str],
    seeded_rows: Rows,
    method: str,
    path: str,
    payload: Any,
    fields: list[str],
) -> None:
    problem = problem_of(send(client, method, path, payload, headers=auth), 422)

    assert problem["type"] == "urn:cupcake-lab:problem:invalid-input"
    assert [error["field"] for error in problem["errors"]] == fields
    assert all(error["message"] for error in problem["errors"])
    assert catalogue_rows() == seeded_rows


def test_a_taken_slug_is_409(client: Client, auth: dict[str, str], seeded_rows: Rows) -> None:
    response = send(client, "POST", "/api/v1/bodies", {**NEW, "slug": "chocolate"}, headers=auth)

    assert problem_of(response, 409)["type"] == "urn:cupcake-lab:problem:conflict"
    assert catalogue_rows() == seeded_rows


@pytest.mark.parametrize("unknown", ["lemon", "a%00b", "Vanilla"])
@pytest.mark.parametrize(("method", "path", "payload"), WRITES[1:])
def test_a_write_to_an_unknown_body_is_404(
    client: Client,
    auth: dict[str, str],
    seeded_rows: Rows,
    method: str,
    path: str,
    payload: Any,
    unknown: str,
) -> None:
    response = send(client, method, path.replace("vanilla", unknown), payload, headers=auth)

    problem_of(response, 404)
    assert catalogue_rows() == seeded_rows


def test_a_write_that_fails_halfway_is_rolled_back_whole(
    client: Client, auth: dict[str, str], seeded_rows: Rows, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bodies.catalogue.models import Body

    real_save = Body.save

    def save_then_crash(self: Body, *args: Any, **kwargs: Any) -> None:
        real_save(self, *args, **kwargs)
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(Body, "save", save_then_crash)

    response = send(client, "PATCH", "/api/v1/bodies/vanilla", {"name": "Half"}, headers=auth)

    assert problem_of(response, 500)["detail"] == "the server failed to answer; this is logged"
    assert "disk on fire" not in response.content.decode()
    assert catalogue_rows() == seeded_rows
