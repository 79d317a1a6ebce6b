"""CORS: only the listed origins may read answers or pass a preflight; none by default."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import httpx
import pytest

from cupcake_chassis.cors import cors_wrap
from cupcake_chassis.problems import StartResponse

ALLOWED = "https://app.example"
DENIED = "https://evil.example"


def hello(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
    """The service behind CORS: answers every request, varying by encoding."""
    start_response("200 OK", [("Content-Type", "application/json"), ("Vary", "Accept-Encoding")])
    return [b'{"hello": "world"}']


def client_of(allowed_origins: tuple[str, ...]) -> httpx.Client:
    """A client of ``hello`` behind CORS for ``allowed_origins``."""
    app = cors_wrap(hello, allowed_origins=allowed_origins)
    return httpx.Client(transport=httpx.WSGITransport(app=app), base_url="http://svc.test")


@pytest.fixture
def service() -> httpx.Client:
    """``hello`` with one allowed origin."""
    return client_of((ALLOWED,))


def preflight(client: httpx.Client, origin: str, method: str = "POST", headers: str = "") -> Any:
    """Send the OPTIONS request a browser sends before a cross-origin write."""
    sent = {"Origin": origin, "Access-Control-Request-Method": method}
    if headers:
        sent["Access-Control-Request-Headers"] = headers
    return client.options("/api/v1/things", headers=sent)


def test_a_preflight_from_an_allowed_origin_is_answered_without_credentials(
    service: httpx.Client,
) -> None:
    response = preflight(service, ALLOWED, "PUT", "Authorization, Content-Type, Idempotency-Key")

    assert response.status_code == 204
    assert response.headers["access-control-allow-origin"] == ALLOWED
    assert "PUT" in response.headers["access-control-allow-methods"]
    assert "authorization" in response.headers["access-control-allow-headers"]
    assert "access-control-allow-credentials" not in response.headers
    assert "Origin" in response.headers["vary"]


def test_a_preflight_from_another_origin_is_refused_with_a_problem(
    service: httpx.Client,
) -> None:
    response = preflight(service, DENIED)

    assert response.status_code == 403
    assert response.headers["content-type"] == "application/problem+json"
    assert "access-control-allow-origin" not in response.headers


@pytest.mark.parametrize(("method", "headers"), [("TRACE", ""), ("POST", "X-Secret-Thing")])
def test_a_preflight_asking_for_what_is_not_allowed_is_refused(
    service: httpx.Client, method: str, headers: str
) -> None:
    response = preflight(service, ALLOWED, method, headers)

    assert response.status_code == 403
    assert "access-control-allow-origin" not in response.headers


def test_an_allowed_origin_may_read_the_answer_and_its_headers(service: httpx.Client) -> None:
    response = service.get("/api/v1/things", headers={"Origin": ALLOWED})

    assert response.json() == {"hello": "world"}
    assert response.headers["access-control-allow-origin"] == ALLOWED
    assert "Location" in response.headers["access-control-expose-headers"]
    assert response.headers["vary"] == "Accept-Encoding, Origin"
    assert "access-control-allow-credentials" not in response.headers


def test_another_origin_gets_the_answer_without_leave_to_read_it(service: httpx.Client) -> None:
    response = service.get("/api/v1/things", headers={"Origin": DENIED})

    assert response.status_code == 200
    assert "access-control-allow-origin" not in response.headers
    assert response.headers["vary"] == "Accept-Encoding, Origin"


def test_with_no_origins_listed_the_app_is_left_alone() -> None:
    assert cors_wrap(hello, allowed_origins=()) is hello
    response = client_of(()).get("/", headers={"Origin": ALLOWED})

    assert "access-control-allow-origin" not in response.headers
