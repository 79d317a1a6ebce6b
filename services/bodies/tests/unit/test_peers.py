"""Reads from the peers: answers are checked against the contract; a wrong shape is a failure."""

from typing import Any

import httpx
import pytest

from bodies.assembler.peers import (
    frosting_read,
    frostings_all,
    topping_read,
    toppings_all,
)
from bodies.assembler.upstream import Upstream, Upstreams, upstream_create
from cupcake_chassis.wiring import Wiring
from cupcake_testing.clock import ManualClock, ManualSpawn
from fakes import FAST_POLICY

pytestmark = pytest.mark.unit

GOOD = {"slug": "cherry", "name": "Cherry", "description": "", "color": "#c8102e", "image_url": "x"}


def toppings_answering(status: int, body: Any) -> Upstream:
    """A toppings peer that always answers ``status`` with the JSON ``body``."""
    transport = httpx.MockTransport(lambda request: httpx.Response(status, json=body))
    wiring = Wiring(transport=transport, clock=ManualClock(), spawn=ManualSpawn())
    return upstream_create(name="toppings", base_url="http://x", policy=FAST_POLICY, wiring=wiring)


def test_the_frostings_are_read_with_their_pairings(upstreams: Upstreams) -> None:
    answer = frostings_all(upstreams.frostings)()

    assert answer.available and answer.value is not None
    strawberry = next(f for f in answer.value if f.slug == "strawberry")
    assert (strawberry.name, strawberry.bodies, strawberry.toppings) == (
        "Strawberry",
        ["vanilla"],
        ["cherry", "flag"],
    )


def test_an_unknown_item_is_missing_not_a_failure(upstreams: Upstreams) -> None:
    frosting = frosting_read(upstream=upstreams.frostings, slug="lemon")
    topping = topping_read(upstream=upstreams.toppings, slug="gum")

    assert frosting.available and frosting.missing and frosting.value is None
    assert topping.available and topping.missing and topping.value is None


def test_a_404_for_a_whole_list_means_the_peer_is_unavailable() -> None:
    answer = toppings_all(toppings_answering(404, {"status": 404}))()

    assert not answer.available
    assert answer.problem == "toppings answered HTTP 404"


@pytest.mark.parametrize("status", [400, 401, 409, 422])
def test_another_4xx_for_an_item_means_the_peer_is_unavailable(status: int) -> None:
    answer = topping_read(upstream=toppings_answering(status, {"status": status}), slug="cherry")

    assert answer.problem == f"toppings answered HTTP {status}"


@pytest.mark.parametrize(
    "body",
    [
        {"results": []},
        {"items": {"slug": "cherry"}},
        {"items": [{"slug": "cherry"}]},
        {"items": [{**GOOD, "slug": "Cherry!"}]},
        {"items": [{**GOOD, "color": "red"}]},
        {"items": [{**GOOD, "name": "C" * 61}]},
        {"items": [{**GOOD, "image_url": None}]},
        [1, 2],
    ],
)
def test_an_answer_of_the_wrong_shape_makes_the_peer_unavailable(body: object) -> None:
    answer = toppings_all(toppings_answering(200, body))()

    assert not answer.available
    assert answer.value is None
    assert answer.problem == "toppings answered in a shape the assembler does not know"
    assert (answer.call.status, answer.call.error) == (200, "BadShape")


def test_extra_fields_of_a_peer_are_ignored() -> None:
    answer = toppings_all(toppings_answering(200, {"items": [{**GOOD, "new": 1}]}))()

    assert answer.value is not None
    assert [topping.slug for topping in answer.value] == ["cherry"]
