"""Secure by default: headers, the page's policy, no cookies for the API, CORS, logs."""

import json
import logging
from collections.abc import Iterator

import httpx
import pytest
from django.core.wsgi import get_wsgi_application
from django.test import Client
from pytest_django import Settings

from bodies.config.wsgi import chassis_wrap
from fakes import FakePeers
from integration.helpers import CUPCAKE, bake, problem_of, stored_counts

pytestmark = pytest.mark.integration

ANSWERS = [
    ("GET", "/"),
    ("GET", "/api/v1/bodies"),
    ("GET", "/api/v1/cupcake"),
    ("GET", "/healthz"),
    ("GET", "/nothing-here"),
    ("GET", "/admin/login/"),
    ("DELETE", "/api/v1/bodies"),
    ("POST", "/api/v1/cupcakes"),
]


@pytest.mark.parametrize(("method", "path"), ANSWERS)
def test_every_answer_carries_the_security_headers(
    client: Client, fake_peers: FakePeers, method: str, path: str
) -> None:
    response = client.generic(method, path)

    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    # Plain HTTP unless configured for HTTPS: no HSTS, no redirect.
    assert not response.has_header("Strict-Transport-Security")
    assert response.status_code != 301


def test_configured_for_https_plain_http_is_redirected_and_hsts_sent(
    client: Client, settings: Settings
) -> None:
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 3600

    plain = client.get("/api/v1/bodies")
    secure = client.get("/api/v1/bodies", secure=True)
    probe = client.get("/healthz")

    assert plain.status_code == 301
    assert plain["Location"] == "https://testserver/api/v1/bodies"
    assert secure["Strict-Transport-Security"] == "max-age=3600"
    assert probe.status_code == 200


def test_the_pages_pictures_may_come_from_the_services_origins_only(
    client: Client, settings: Settings
) -> None:
    settings.PAGE_IMAGE_ORIGINS = ("http://127.0.0.1:8000", "https://img.example")

    policy = dict(
        directive.strip().split(" ", 1)
        for directive in client.get("/")["Content-Security-Policy"].split(";")
    )

    assert policy["img-src"] == "'self' http://127.0.0.1:8000 https://img.example"
    assert policy["default-src"] == "'self'"
    assert policy["connect-src"] == "'self'"
    assert policy["object-src"] == "'none'"


def test_neither_the_page_nor_the_api_sets_a_cookie(client: Client, fake_peers: FakePeers) -> None:
    answers = [client.get("/"), client.get("/api/v1/cupcake"), bake(client)]

    assert [answer.cookies for answer in answers] == [{}, {}, {}]


@pytest.mark.parametrize(
    "content_type", ["application/x-www-form-urlencoded", "multipart/form-data", "text/plain"]
)
def test_a_cross_site_form_cannot_bake(
    database: None, fake_peers: FakePeers, content_type: str
) -> None:
    # What a form on another site can send without a preflight: the API wants JSON only.
    strict = Client(enforce_csrf_checks=True)

    response = strict.post(
        "/api/v1/cupcakes",
        json.dumps(CUPCAKE),
        content_type=content_type,
        headers={"Origin": "https://evil.example"},
    )

    problem_of(response, 415)
    assert stored_counts() == (0, 0)


FrontDoor = Iterator[httpx.Client]


@pytest.fixture
def front_door(database: None, fake_peers: FakePeers, settings: Settings) -> FrontDoor:
    """An HTTP client of the app as granian serves it, with one CORS origin allowed."""
    settings.CORS_ALLOWED_ORIGINS = ("https://shop.example",)
    app = chassis_wrap(get_wsgi_application())
    with httpx.Client(transport=httpx.WSGITransport(app=app), base_url="http://localhost") as c:
        yield c


def preflight(front_door: httpx.Client, origin: str) -> httpx.Response:
    """The browser's question before a cross-origin bake."""
    return front_door.options(
        "/api/v1/cupcakes",
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type, idempotency-key",
        },
    )


def test_a_preflight_from_a_configured_origin_is_allowed(front_door: httpx.Client) -> None:
    response = preflight(front_door, "https://shop.example")

    assert response.status_code == 204
    assert response.headers["Access-Control-Allow-Origin"] == "https://shop.example"
    assert "Access-Control-Allow-Credentials" not in response.headers


def test_a_preflight_from_another_origin_is_refused(front_door: httpx.Client) -> None:
    response = preflight(front_door, "https://evil.example")

    assert response.status_code == 403
    assert response.headers["Content-Type"] == "application/problem+json"
    assert "Access-Control-Allow-Origin" not in response.headers


def test_by_default_no_origin_is_allowed(database: None, fake_peers: FakePeers) -> None:
    app = chassis_wrap(get_wsgi_application())
    with httpx.Client(transport=httpx.WSGITransport(app=app), base_url="http://localhost") as c:
        response = preflight(c, "https://shop.example")
        read = c.get("/api/v1/bodies", headers={"Origin": "https://shop.example"})

    assert response.status_code == 405
    assert "Access-Control-Allow-Origin" not in response.headers
    assert "Access-Control-Allow-Origin" not in read.headers


def test_the_token_never_reaches_the_log_right_or_wrong(
    client: Client, admin_token: str, caplog: pytest.LogCaptureFixture
) -> None:
    wrong = "wrong-" + admin_token
    with caplog.at_level(logging.DEBUG):
        client.post(
            "/api/v1/bodies",
            json.dumps({"slug": "lemon", "name": "Lemon", "color": "#ffee00"}),
            content_type="application/json",
            headers={"Authorization": f"Bearer {admin_token}"},
        )
        client.delete("/api/v1/bodies/lemon", headers={"Authorization": f"Bearer {wrong}"})
        client.delete("/api/v1/bodies/lemon", headers={"Authorization": f"Token {admin_token}"})

    assert caplog.records
    assert admin_token not in caplog.text
    assert wrong not in caplog.text
