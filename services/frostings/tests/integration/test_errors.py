"""Every error is problem+json: unknown routes, wrong methods, crashes; and what is logged."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import pytest
from apiflask import APIFlask
from flask.testing import FlaskClient

from frostings.api import catalogue


def test_an_unknown_route_is_404_problem(client: FlaskClient) -> None:
    response = client.get("/api/v1/cupcakes")
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
    assert response.get_json() == {
        "type": "about:blank",
        "title": "Not Found",
        "status": 404,
        "detail": "nothing here: /api/v1/cupcakes",
    }


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("DELETE", "/api/v1/frostings", {"GET", "POST"}),
        ("POST", "/api/v1/frostings/vanilla", {"GET", "PUT", "PATCH", "DELETE"}),
        ("PUT", "/api/v1/frostings/vanilla/image.svg", {"GET"}),
        ("POST", "/healthz", {"GET"}),
    ],
)
def test_a_wrong_method_is_405_problem_with_allow(
    client: FlaskClient, method: str, path: str, allowed: set[str]
) -> None:
    response = client.open(path, method=method)
    assert response.status_code == 405
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["status"] == 405
    assert allowed <= {m.strip() for m in response.headers["Allow"].split(",")}


def test_an_unexpected_error_is_500_problem_logged_not_shown(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def explode(**_kwargs: Any) -> None:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(catalogue, "frosting_list", explode)
    response = client.get("/api/v1/frostings")
    assert response.status_code == 500
    assert response.mimetype == "application/problem+json"
    body = response.get_data(as_text=True)
    assert "secret internals" not in body and "Traceback" not in body
    assert response.get_json()["detail"].endswith("the error was logged")
    logged = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert logged and logged[0].exc_info is not None
    assert "secret internals" in caplog.text


def test_a_database_without_tables_is_503_not_500(make_app: Callable[..., APIFlask]) -> None:
    response = make_app().test_client().get("/api/v1/frostings")
    assert response.status_code == 503
    assert response.mimetype == "application/problem+json"
    problem = response.get_json()
    assert problem["type"] == "urn:cupcake-lab:problem:database-unavailable"
    assert problem["reason"] == "unavailable"
    assert problem["detail"] == "the database cannot answer; try again in 5 s"
    assert response.headers["Retry-After"] == "5"


def test_each_request_is_logged_in_one_line(
    client: FlaskClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="cupcake.access")
    client.get("/api/v1/frostings/vanilla")
    client.get("/nowhere")
    records = [r for r in caplog.records if r.name == "cupcake.access"]
    lines = [r.getMessage() for r in records]
    assert len(lines) == 2
    assert lines[0].startswith("GET /api/v1/frostings/vanilla 200 ")
    assert lines[0].endswith("ms")
    assert lines[1].startswith("GET /nowhere 404 ")
    assert [r.__dict__["route"] for r in records] == ["/api/v1/frostings/<slug>", "<unmatched>"]


def test_the_admin_token_is_never_logged(
    client: FlaskClient, admin: dict[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    token = admin["Authorization"].removeprefix("Bearer ")
    client.patch("/api/v1/frostings/vanilla", json={"name": "V"}, headers=admin)
    client.patch("/api/v1/frostings/vanilla", json={"name": 1}, headers=admin)
    client.patch(
        "/api/v1/frostings/vanilla",
        json={"name": "V"},
        headers={"Authorization": "Bearer wrong-but-secret"},
    )
    assert caplog.records
    assert token not in caplog.text
    assert "wrong-but-secret" not in caplog.text
