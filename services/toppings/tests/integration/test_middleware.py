"""The chassis middleware around the real app: deadlines, chaos in the local lab, CORS."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from pyramid.router import Router
from webtest import TestApp

from cupcake_testing.clock import ManualClock
from toppings import main
from toppings.middleware import middleware_wrap
from toppings.settings import CHAOS_ENABLED, CORS_ALLOWED_ORIGINS, REQUEST_DEADLINE, STATE_DIR

from .conftest import TOKEN, _settings

SHOP = "https://shop.example"


@pytest.fixture
def wrapped_app(
    database_url: str, tmp_path: Path, clock: ManualClock
) -> Iterator[Callable[..., TestApp]]:
    """Build the production stack: the Pyramid app inside the chassis middleware, chaos on
    the test's clock."""
    routers: list[Router] = []

    def build(*, chaos: bool, origins: tuple[str, ...] = ()) -> TestApp:
        settings = _settings(
            database_url,
            **{
                STATE_DIR: tmp_path,
                CHAOS_ENABLED: chaos,
                REQUEST_DEADLINE: 5.0,
                CORS_ALLOWED_ORIGINS: origins,
            },
        )
        routers.append(main({}, **settings))
        return TestApp(middleware_wrap(routers[-1], routers[-1].registry.settings, clock=clock))

    yield build
    for router in routers:
        router.registry["dbengine"].dispose()


def test_a_request_whose_caller_has_given_up_is_refused(
    wrapped_app: Callable[..., TestApp],
) -> None:
    app = wrapped_app(chaos=False)
    answer = app.get("/api/v1/toppings", headers={"Request-Deadline-Ms": "0"}, status=504)
    assert answer.content_type == "application/problem+json"
    assert app.get("/api/v1/toppings", headers={"Request-Deadline-Ms": "800"}).status_int == 200


def test_chaos_control_is_absent_unless_enabled(wrapped_app: Callable[..., TestApp]) -> None:
    app = wrapped_app(chaos=False)
    app.get("/_chaos", headers={"Authorization": f"Bearer {TOKEN}"}, status=404)


def test_chaos_down_mode_takes_the_whole_service_down(wrapped_app: Callable[..., TestApp]) -> None:
    app = wrapped_app(chaos=True)
    admin = {"Authorization": f"Bearer {TOKEN}"}
    app.put_json("/_chaos", {"down": True}, headers=admin)
    assert app.get("/healthz", status=503).headers["Retry-After"] == "1"
    assert app.get("/api/v1/toppings", status=503).json["type"] == "urn:cupcake-lab:problem:chaos"
    app.delete("/_chaos", headers=admin)
    assert app.get("/api/v1/toppings").status_int == 200


def test_chaos_given_an_expiry_ends_by_itself(
    wrapped_app: Callable[..., TestApp], clock: ManualClock
) -> None:
    app = wrapped_app(chaos=True)
    admin = {"Authorization": f"Bearer {TOKEN}"}
    put = app.put_json("/_chaos", {"down": True, "expires_in_s": 5}, headers=admin)
    assert put.json == {"latency_ms": 0, "error_rate": 0.0, "down": True, "expires_in_s": 5}
    clock.advance(4)
    app.get("/api/v1/toppings", status=503)
    assert app.get("/_chaos", headers=admin).json["expires_in_s"] == 1
    clock.advance(1)
    assert app.get("/api/v1/toppings").status_int == 200
    assert app.get("/_chaos", headers=admin).json["down"] is False


@pytest.mark.parametrize("expires_in_s", [0, -3, 3601, "soon", None])
def test_a_bad_chaos_expiry_is_a_422_problem(
    wrapped_app: Callable[..., TestApp], expires_in_s: Any
) -> None:
    app = wrapped_app(chaos=True)
    admin = {"Authorization": f"Bearer {TOKEN}"}
    body = {"down": True, "expires_in_s": expires_in_s}
    if expires_in_s is None:
        assert app.put_json("/_chaos", body, headers=admin).json["expires_in_s"] is None
        return
    answer = app.put_json("/_chaos", body, headers=admin, status=422)
    assert answer.content_type == "application/problem+json"
    assert "expires_in_s" in answer.json["detail"]
    app.get("/api/v1/toppings", status=200)


def preflight(app: TestApp, origin: str, status: int) -> Any:
    """The browser's question before a cross-origin write."""
    headers = {
        "Origin": origin,
        "Access-Control-Request-Method": "PATCH",
        "Access-Control-Request-Headers": "authorization, content-type",
    }
    return app.options("/api/v1/toppings/cherry", headers=headers, status=status)


def test_a_preflight_from_a_listed_origin_is_allowed(wrapped_app: Callable[..., TestApp]) -> None:
    app = wrapped_app(chaos=False, origins=(SHOP,))

    answer = preflight(app, SHOP, 204)
    read = app.get("/api/v1/toppings", headers={"Origin": SHOP})

    assert answer.headers["Access-Control-Allow-Origin"] == SHOP
    assert "PATCH" in answer.headers["Access-Control-Allow-Methods"]
    assert "Access-Control-Allow-Credentials" not in answer.headers
    assert read.headers["Access-Control-Allow-Origin"] == SHOP


def test_a_preflight_from_another_origin_is_refused(wrapped_app: Callable[..., TestApp]) -> None:
    app = wrapped_app(chaos=False, origins=(SHOP,))

    answer = preflight(app, "https://evil.example", 403)

    assert answer.content_type == "application/problem+json"
    assert "Access-Control-Allow-Origin" not in answer.headers


def test_by_default_no_origin_is_allowed(wrapped_app: Callable[..., TestApp]) -> None:
    app = wrapped_app(chaos=False)

    answer = app.options(
        "/api/v1/toppings",
        headers={"Origin": SHOP, "Access-Control-Request-Method": "POST"},
        expect_errors=True,
    )
    read = app.get("/api/v1/toppings", headers={"Origin": SHOP})

    assert "Access-Control-Allow-Origin" not in answer.headers
    assert "Access-Control-Allow-Origin" not in read.headers
