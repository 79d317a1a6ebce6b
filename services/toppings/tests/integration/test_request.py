"""How a request is made and what it holds: one request class, a transaction only to write."""

from __future__ import annotations

from typing import Any

from pyramid.events import ContextFound, NewRequest
from pyramid.router import Router
from webtest import TestApp

GUM = {"slug": "gum-drop", "name": "Gum Drop", "color": "#22c55e"}


def requests_seen(app: Router) -> list[Any]:
    """Every request ``app`` makes from now on."""
    seen: list[Any] = []
    app.registry.registerHandler(lambda event: seen.append(event.request), (NewRequest,))
    return seen


def test_every_request_is_of_one_class_holding_the_request_methods(
    app: Router, testapp: TestApp
) -> None:
    seen = requests_seen(app)

    testapp.get("/api/v1/toppings")
    testapp.get("/api/v1/toppings/flag")

    assert len(seen) == 2 and type(seen[0]) is type(seen[1])
    for name in ("dbsession", "tm", "openapi_validated"):
        assert hasattr(type(seen[0]), name)


def transactions_seen(app: Router) -> list[bool]:
    """For each request ``app`` routes from now on, whether pyramid_tm manages it."""
    seen: list[bool] = []
    app.registry.registerHandler(
        lambda event: seen.append(bool(event.request.environ.get("tm.active"))), (ContextFound,)
    )
    return seen


def test_a_read_takes_no_transaction_and_gives_its_connection_back(
    app: Router, testapp: TestApp
) -> None:
    seen = transactions_seen(app)

    testapp.get("/api/v1/toppings?slug=cherry")

    assert seen == [False]
    assert app.registry["dbengine"].pool.checkedout() == 0


def test_a_write_commits_in_its_transaction(
    app: Router, testapp: TestApp, admin: dict[str, str]
) -> None:
    seen = transactions_seen(app)

    testapp.post_json("/api/v1/toppings", GUM, headers=admin, status=201)

    assert seen == [True]
    assert testapp.get("/api/v1/toppings/gum-drop").json["name"] == GUM["name"]
    assert app.registry["dbengine"].pool.checkedout() == 0
