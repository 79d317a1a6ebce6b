"""GET /api/v1/cupcake through the real app: bodies from the database, peers over (fake) HTTP."""

import json
from typing import Any

import pytest
from django.test import Client
from pytest_django import Settings

from bodies.assembler.apps import policy_from_settings
from bodies.assembler.upstream import upstreams_create
from cupcake_chassis.wiring import Wiring
from cupcake_testing.clock import ManualClock
from fakes import FROSTINGS_URL, TOPPINGS_URL, FakePeers, Mode, UpstreamsInstall
from integration.helpers import problem_of

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("fake_peers")]

FULL = "/api/v1/cupcake?body=vanilla&frosting=strawberry&topping=cherry"


def compose(client: Client, query: str = "") -> Any:
    """GET the composition for ``query``; assert it is 200 and return its JSON."""
    response = client.get(f"/api/v1/cupcake{query}")
    assert response.status_code == 200, response.content[:300]
    return response.json()


def test_a_full_choice_is_composed_from_the_database_and_the_peers(client: Client) -> None:
    response = client.get(FULL)

    composition = response.json()
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "no-store"
    assert composition["complete"] is True
    assert composition["body"] == {
        **client.get("/api/v1/bodies/vanilla").json(),
        "available": True,
    }
    assert (
        composition["frosting"]["image_url"]
        == f"{FROSTINGS_URL}/api/v1/frostings/strawberry/image.svg"
    )
    assert composition["topping"]["image_url"] == f"{TOPPINGS_URL}/api/v1/toppings/cherry/image.svg"
    assert sorted(composition) == sorted(
        ["body", "frosting", "topping", "choices", "rules", "services", "complete", "calls"]
    )
    assert [call["path"] for call in composition["calls"]] == [
        "/api/v1/frostings",
        "/api/v1/frostings/strawberry/toppings",
        "/api/v1/toppings",
    ]


def test_the_bodies_are_this_services_own_catalogue(client: Client, auth: dict[str, str]) -> None:
    client.patch(
        "/api/v1/bodies/carrot-cake",
        json.dumps({"name": "Carrot"}),
        content_type="application/json",
        headers=auth,
    )

    composition = compose(client, "?body=carrot-cake")

    assert [card["name"] for card in composition["choices"]["bodies"]] == [
        "Carrot",
        "Chocolate",
        "Vanilla",
    ]
    assert composition["rules"]["frostings"] == "Carrot only takes Vanilla frosting"


def test_empty_values_choose_nothing(client: Client) -> None:
    composition = compose(client, "?body=&frosting=&topping=")

    assert (composition["body"], composition["frosting"], composition["topping"]) == (None,) * 3


def test_the_services_addresses_come_from_the_settings(client: Client, settings: Settings) -> None:
    settings.PUBLIC_URL = "https://bodies.example"

    services = compose(client)["services"]

    assert [services[name]["url"] for name in ("bodies", "frostings", "toppings")] == [
        "https://bodies.example",
        FROSTINGS_URL,
        TOPPINGS_URL,
    ]


@pytest.mark.parametrize(
    "query", ["?colour=red", "?body=vanilla&Body=vanilla", "?page=1", "?body=vanilla&x="]
)
def test_an_unknown_query_parameter_is_a_400_problem(client: Client, query: str) -> None:
    problem = problem_of(client.get(f"/api/v1/cupcake{query}"), 400)

    assert "unknown query parameter" in problem["detail"]


def test_a_parameter_given_twice_is_a_400_problem(client: Client) -> None:
    problem = problem_of(client.get("/api/v1/cupcake?body=vanilla&body=chocolate"), 400)

    assert problem["detail"] == "query parameter 'body' is given more than once"


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("?body=Vanilla", "body"),
        ("?frosting=a--b", "frosting"),
        (f"?topping={'x' * 41}", "topping"),
    ],
)
def test_a_malformed_slug_is_a_422_problem_naming_the_parameter(
    client: Client, query: str, field: str
) -> None:
    problem = problem_of(client.get(f"/api/v1/cupcake{query}"), 422)

    assert problem["type"] == "urn:cupcake-lab:problem:invalid-input"
    assert [error["field"] for error in problem["errors"]] == [field]


def test_a_forbidden_combination_is_a_422_rule_violation(client: Client) -> None:
    problem = problem_of(client.get("/api/v1/cupcake?body=carrot-cake&frosting=neon-blue"), 422)

    assert problem == {
        "type": "urn:cupcake-lab:problem:rule-violation",
        "title": "Rule violation",
        "status": 422,
        "detail": "Neon Blue frosting does not go on Carrot Cake: "
        "Carrot Cake only takes Vanilla frosting",
        "rule": "frosting-not-on-body",
    }


def test_an_unknown_part_is_a_422_unknown_reference(client: Client) -> None:
    problem = problem_of(client.get("/api/v1/cupcake?body=vanilla&frosting=lemon"), 422)

    assert problem["type"] == "urn:cupcake-lab:problem:unknown-reference"
    assert problem["detail"] == "no frosting 'lemon'"


@pytest.mark.parametrize("mode", ["down", "timeout", "error", "garbage", "wrong-shape"])
@pytest.mark.parametrize("service", ["frostings", "toppings"])
def test_a_peer_failing_any_way_is_never_a_5xx(
    client: Client, fake_peers: FakePeers, service: str, mode: Mode
) -> None:
    fake_peers.set(service, mode)

    response = client.get(FULL)

    assert response.status_code == 200
    assert response.json()["services"][service]["status"] == "unavailable"
    assert response.json()["body"]["available"] is True


def test_with_toppings_down_body_and_frosting_are_still_there(
    client: Client, fake_peers: FakePeers
) -> None:
    fake_peers.set("toppings", "down")

    composition = compose(client, "?body=vanilla&frosting=strawberry&topping=cherry")

    assert composition["frosting"]["name"] == "Strawberry"
    assert composition["topping"] == {"slug": "cherry", "available": False}
    assert composition["choices"]["toppings"] == []
    assert composition["services"]["toppings"]["detail"] == (
        "toppings could not be reached (ConnectError)"
    )


def test_the_time_limit_of_a_call_is_the_upstream_timeout_setting(
    client: Client,
    fake_peers: FakePeers,
    settings: Settings,
    wiring: Wiring,
    upstreams_install: UpstreamsInstall,
    clock: ManualClock,
) -> None:
    settings.UPSTREAM_TIMEOUT = 0.25
    upstreams_install(
        upstreams_create(
            frostings_url=FROSTINGS_URL,
            toppings_url=TOPPINGS_URL,
            policy=policy_from_settings(settings),
            wiring=wiring,
        )
    )
    fake_peers.set("toppings", "stall")
    started = clock.monotonic()

    composition = compose(client)

    assert composition["services"]["toppings"]["detail"] == "toppings did not answer within 0.25 s"
    assert clock.monotonic() - started == pytest.approx(0.25)


def test_composition_answers_get_only(client: Client) -> None:
    response = client.post("/api/v1/cupcake")

    problem_of(response, 405)
    assert response["Allow"] == "GET"
