"""Framework-level errors on any path answer problem+json: 404, 405, 400, 413, 403, 500."""

import logging

import pytest
from django.test import Client

from integration.helpers import problem_of

pytestmark = pytest.mark.integration


@pytest.mark.parametrize(
    "path",
    [
        "/nothing-here",
        "/api/v1/",
        "/api/v1/toppings",
        "/api/v1/bodies/",
        "/api/v1/bodies/vanilla/picture.png",
        "/administration",
    ],
)
def test_an_unknown_path_is_a_404_problem(client: Client, path: str) -> None:
    problem = problem_of(client.get(path), 404)

    assert problem["type"] == "about:blank"


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("DELETE", "/api/v1/bodies", "GET, POST"),
        ("POST", "/api/v1/bodies/vanilla", "GET, PUT, PATCH, DELETE"),
        ("PUT", "/api/v1/bodies/vanilla/image.svg", "GET"),
        ("POST", "/healthz", "GET"),
        ("DELETE", "/api/v1/openapi.json", "GET, HEAD"),
        ("POST", "/api/v1/docs", "GET, HEAD"),
    ],
)
def test_a_wrong_method_is_a_405_problem_listing_the_allowed_ones(
    client: Client, method: str, path: str, allowed: str
) -> None:
    response = client.generic(method, path)

    problem = problem_of(response, 405)
    assert sorted(response["Allow"].split(", ")) == sorted(allowed.split(", "))
    assert method in problem["detail"]


def test_an_unknown_host_is_a_400_problem(client: Client) -> None:
    problem_of(client.get("/api/v1/bodies", headers={"Host": "evil.example"}), 400)


def test_an_over_sized_form_post_anywhere_is_a_413_problem(
    client: Client, admin_token: str
) -> None:
    response = client.post(
        "/admin/login/", data="a=" + "x" * 70000, content_type="application/x-www-form-urlencoded"
    )

    problem_of(response, 413)


def test_a_form_post_without_csrf_token_is_a_403_problem(database: None, admin_token: str) -> None:
    strict = Client(enforce_csrf_checks=True)

    problem = problem_of(strict.post("/admin/login/", {"username": "a", "password": "b"}), 403)
    assert "admin token" not in problem["detail"]  # refused by CSRF, not by the admin's switch


def test_a_crash_is_a_500_problem_without_details_and_is_logged(
    client: Client, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def crash() -> None:
        raise RuntimeError("secret internals")

    monkeypatch.setattr("bodies.catalogue.selectors.body_list", crash)

    with caplog.at_level(logging.ERROR):
        response = client.get("/api/v1/bodies")

    problem = problem_of(response, 500)
    assert "secret internals" not in response.content.decode()
    assert problem["detail"] == "the server failed to answer; this is logged"
    assert any(
        record.exc_info and "secret internals" in str(record.exc_info[1])
        for record in caplog.records
    )


def test_each_request_is_logged_in_one_line_without_secrets(
    client: Client, auth: dict[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="cupcake.access"):
        client.delete("/api/v1/bodies/vanilla?token=abc", headers=auth)

    records = [record for record in caplog.records if record.name == "cupcake.access"]
    assert len(records) == 1
    line = records[0].getMessage()
    assert line.startswith("DELETE /api/v1/bodies/vanilla 204 ")
    assert line.endswith("ms")
    assert records[0].__dict__["route"] == "/api/v1/bodies/<slug>"
    assert records[0].__dict__["status"] == 204
    assert "test-admin-token" not in caplog.text
    assert "abc" not in line
