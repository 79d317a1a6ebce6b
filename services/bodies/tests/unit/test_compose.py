"""Composition with healthy fake peers: the parts, the choices at each step, the calls."""

import threading

import httpx
import pytest

from bodies.assembler.upstream import Upstreams
from fakes import FROSTINGS_URL, TOPPINGS_URL, FakePeers, body_parts
from unit.composing import FULL, compose, slugs, statuses

pytestmark = pytest.mark.unit


def test_with_every_service_ok_a_full_choice_is_complete(upstreams: Upstreams) -> None:
    composition = compose(upstreams, **FULL)

    assert composition.complete
    assert statuses(composition) == {"bodies": "ok", "frostings": "ok", "toppings": "ok"}
    assert composition.body is not None and composition.body.model_dump() == {
        **body_parts()[2].model_dump(),
        "available": True,
    }
    assert (
        composition.frosting is not None
        and composition.frosting.model_dump()["name"] == "Strawberry"
    )
    assert composition.topping is not None and composition.topping.model_dump()["name"] == "Cherry"
    assert composition.rules.model_dump() == {
        "frostings": "Vanilla takes Chocolate, Neon Blue, Strawberry or Vanilla frosting",
        "toppings": "Strawberry frosting takes Cherry or Flag",
    }


def test_the_services_are_named_with_framework_and_address(upstreams: Upstreams) -> None:
    services = compose(upstreams).services.model_dump()

    bodies_url = "http://127.0.0.1:8000"
    assert services == {
        "bodies": {"status": "ok", "framework": "Django", "url": bodies_url, "detail": None},
        "frostings": {"status": "ok", "framework": "Flask", "url": FROSTINGS_URL, "detail": None},
        "toppings": {"status": "ok", "framework": "Pyramid", "url": TOPPINGS_URL, "detail": None},
    }


def test_the_calls_are_listed_in_the_order_they_started(upstreams: Upstreams) -> None:
    calls = compose(upstreams, **FULL).calls

    assert [(c.service, c.method, c.path, c.status, c.cache, c.error) for c in calls] == [
        ("frostings", "GET", "/api/v1/frostings", 200, "miss", None),
        ("frostings", "GET", "/api/v1/frostings/strawberry/toppings", 200, "miss", None),
        ("toppings", "GET", "/api/v1/toppings", 200, "miss", None),
    ]


def test_without_a_frosting_its_toppings_are_not_asked_for(
    upstreams: Upstreams, peers: FakePeers
) -> None:
    compose(upstreams, body="vanilla")

    assert sorted(peers.requests) == ["frostings /api/v1/frostings", "toppings /api/v1/toppings"]


def test_the_peer_calls_run_at_the_same_time(upstreams: Upstreams, peers: FakePeers) -> None:
    # Each call waits for the other two: run one after another, they would never meet.
    meeting = threading.Barrier(3, timeout=5)

    def meet(request: httpx.Request) -> None:
        meeting.wait()

    peers.before = meet

    composition = compose(upstreams, **FULL)

    assert composition.complete
    assert len(peers.requests) == 3


def test_nothing_chosen_offers_every_body_and_asks_for_one_first(upstreams: Upstreams) -> None:
    composition = compose(upstreams)

    assert (composition.body, composition.frosting, composition.topping) == (None, None, None)
    assert not composition.complete
    assert slugs(composition.choices.bodies, allowed=True) == [
        "carrot-cake",
        "chocolate",
        "vanilla",
    ]
    assert {c.reason for c in composition.choices.frostings} == {"Choose a body first"}
    assert {c.reason for c in composition.choices.toppings} == {"Choose a frosting first"}
    assert slugs(composition.choices.frostings, allowed=True) == []
    assert composition.rules.model_dump() == {"frostings": None, "toppings": None}


def test_a_body_allows_the_frostings_that_go_on_it_and_says_why_not_the_others(
    upstreams: Upstreams,
) -> None:
    composition = compose(upstreams, body="carrot-cake")

    frostings = composition.choices.frostings
    assert slugs(frostings) == ["chocolate", "neon-blue", "strawberry", "vanilla"]
    assert slugs(frostings, allowed=True) == ["vanilla"]
    assert {c.reason for c in frostings if not c.allowed} == {
        "Carrot Cake only takes Vanilla frosting"
    }
    assert [c.reason for c in frostings if c.allowed] == [None]
    assert composition.rules.frostings == "Carrot Cake only takes Vanilla frosting"


def test_a_frosting_allows_the_toppings_it_takes(upstreams: Upstreams) -> None:
    composition = compose(upstreams, body="vanilla", frosting="neon-blue")

    toppings = composition.choices.toppings
    assert slugs(toppings, allowed=True) == ["flag"]
    assert {c.reason for c in toppings if not c.allowed} == {"Neon Blue frosting only takes Flag"}
    assert not composition.complete


def test_the_cards_carry_each_items_details(upstreams: Upstreams) -> None:
    card = compose(upstreams, body="vanilla").choices.frostings[0].model_dump()

    assert card == {
        "slug": "chocolate",
        "name": "Chocolate",
        "description": "Chocolate, as the design has it.",
        "color": "#5b3a29",
        "image_url": "http://frostings.test/api/v1/frostings/chocolate/image.svg",
        "allowed": True,
        "reason": None,
    }
