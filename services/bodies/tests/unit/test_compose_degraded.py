"""Composition with failing fake peers: each service's state, what degrades, what still works."""

import httpx
import pytest
from django.db import OperationalError

from bodies.assembler.compose import cupcake_compose
from bodies.assembler.schemas import Part
from bodies.assembler.upstream import Upstreams
from fakes import FakePeers, Mode
from unit.composing import FULL, compose, slugs, statuses

pytestmark = pytest.mark.unit

FAILURES: dict[Mode, tuple[str, str | None]] = {
    "down": ("could not be reached (ConnectError)", "ConnectError"),
    "timeout": ("did not answer within 1 s", "ReadTimeout"),
    "error": ("answered HTTP 500", "answered 500"),
    "garbage": (
        "answered something that is not JSON",
        "answered 200 with text/plain; charset=utf-8 content",
    ),
    "wrong-shape": ("answered in a shape the assembler does not know", "BadShape"),
}


def test_with_toppings_down_body_and_frosting_are_still_composed(
    upstreams: Upstreams, peers: FakePeers
) -> None:
    peers.set("toppings", "down")

    composition = compose(upstreams, **FULL)

    assert statuses(composition) == {
        "bodies": "ok",
        "frostings": "degraded",
        "toppings": "unavailable",
    }
    assert composition.services.toppings.detail == "toppings could not be reached (ConnectError)"
    assert composition.services.frostings.detail == (
        "frostings answered without topping details: toppings is unavailable"
    )
    assert composition.body is not None and composition.body.available
    assert composition.frosting is not None and composition.frosting.available
    assert composition.topping is not None and composition.topping.model_dump() == {
        "slug": "cherry",
        "available": False,
    }
    assert composition.choices.toppings == []
    assert slugs(composition.choices.frostings, allowed=True) != []
    assert composition.rules.toppings == "Strawberry frosting takes cherry or flag"
    assert not composition.complete


def test_with_toppings_timing_out_the_call_says_so(upstreams: Upstreams, peers: FakePeers) -> None:
    peers.set("toppings", "timeout")

    composition = compose(upstreams, body="vanilla")

    assert composition.services.toppings.detail == "toppings did not answer within 1 s"
    toppings_call = composition.calls[-1]
    assert (toppings_call.service, toppings_call.status, toppings_call.error) == (
        "toppings",
        None,
        "ReadTimeout",
    )


def test_with_frostings_down_the_bodies_are_still_composed(
    upstreams: Upstreams, peers: FakePeers
) -> None:
    peers.set("frostings", "down")

    composition = compose(upstreams, **FULL)

    assert statuses(composition) == {"bodies": "ok", "frostings": "unavailable", "toppings": "ok"}
    assert composition.body is not None and composition.body.available
    assert composition.frosting is not None and composition.frosting.model_dump() == {
        "slug": "strawberry",
        "available": False,
    }
    assert composition.choices.frostings == []
    assert slugs(composition.choices.bodies, allowed=True) == [
        "carrot-cake",
        "chocolate",
        "vanilla",
    ]
    assert {c.reason for c in composition.choices.toppings} == {
        "The frostings service is unavailable: the toppings that go on strawberry are unknown"
    }
    assert composition.rules.model_dump() == {"frostings": None, "toppings": None}
    assert not composition.complete


def test_with_frostings_down_a_rule_that_cannot_be_checked_refuses_nothing(
    upstreams: Upstreams, peers: FakePeers
) -> None:
    peers.set("frostings", "down")

    composition = compose(upstreams, body="carrot-cake", frosting="neon-blue", topping="sprinkles")

    assert composition.frosting is not None and not composition.frosting.available
    assert not composition.complete


def test_frostings_is_degraded_when_it_says_its_toppings_call_failed(
    upstreams: Upstreams, peers: FakePeers
) -> None:
    peers.chain_broken = True

    composition = compose(upstreams, **FULL)

    assert statuses(composition) == {"bodies": "ok", "frostings": "degraded", "toppings": "ok"}
    assert composition.complete


def test_frostings_is_degraded_when_only_its_toppings_call_fails(
    upstreams: Upstreams, peers: FakePeers
) -> None:
    def stall_toppings_of_a_frosting(request: httpx.Request) -> None:
        if request.url.path.endswith("/toppings") and request.url.host == "frostings.test":
            raise httpx.ReadTimeout("stalled", request=request)

    peers.before = stall_toppings_of_a_frosting

    composition = compose(upstreams, **FULL)

    assert composition.services.frostings.status == "degraded"
    assert composition.services.frostings.detail == (
        "frostings did not answer within 1 s for the toppings of strawberry"
    )


@pytest.mark.parametrize("mode", list(FAILURES))
@pytest.mark.parametrize("service", ["frostings", "toppings"])
def test_a_failing_peer_is_unavailable_with_the_reason_in_words(
    upstreams: Upstreams, peers: FakePeers, service: str, mode: Mode
) -> None:
    peers.set(service, mode)

    composition = compose(upstreams, **FULL)

    reason, error = FAILURES[mode]
    state = getattr(composition.services, service)
    assert (state.status, state.detail) == ("unavailable", f"{service} {reason}")
    assert error in {call.error for call in composition.calls if call.service == service}
    assert getattr(composition.choices, service) == []


@pytest.mark.parametrize("toppings_mode", ["ok", *FAILURES])
@pytest.mark.parametrize("frostings_mode", ["ok", *FAILURES])
def test_every_combination_of_peer_states_answers_with_the_right_statuses(
    upstreams: Upstreams, peers: FakePeers, frostings_mode: Mode, toppings_mode: Mode
) -> None:
    peers.set("frostings", frostings_mode)
    peers.set("toppings", toppings_mode)

    composition = compose(upstreams, **FULL)

    expected_frostings = (
        "unavailable" if frostings_mode != "ok" else "ok" if toppings_mode == "ok" else "degraded"
    )
    expected_toppings = "ok" if toppings_mode == "ok" else "unavailable"
    assert statuses(composition) == {
        "bodies": "ok",
        "frostings": expected_frostings,
        "toppings": expected_toppings,
    }
    assert composition.complete is (frostings_mode == toppings_mode == "ok")
    assert composition.body is not None and composition.body.available


def test_with_the_bodies_database_down_the_body_is_unavailable(upstreams: Upstreams) -> None:
    def database_down() -> list[Part]:
        raise OperationalError("unable to open database file")

    composition = cupcake_compose(**FULL, upstreams=upstreams, bodies_read=database_down)

    assert composition.services.bodies.status == "unavailable"
    assert (
        composition.services.bodies.detail
        == "the bodies database did not answer (OperationalError)"
    )
    assert composition.choices.bodies == []
    assert composition.body is not None and composition.body.model_dump() == {
        "slug": "vanilla",
        "available": False,
    }
    assert composition.frosting is not None and composition.frosting.available


def test_a_topping_deleted_at_its_owner_is_no_choice(
    upstreams: Upstreams, peers: FakePeers
) -> None:
    peers.frosting_change("strawberry", toppings=["cherry", "flag", "gum"])

    composition = compose(upstreams, body="vanilla", frosting="strawberry")

    assert composition.rules.toppings == "Strawberry frosting takes Cherry or Flag"
    assert slugs(composition.choices.toppings) == ["cherry", "flag", "sprinkles"]
