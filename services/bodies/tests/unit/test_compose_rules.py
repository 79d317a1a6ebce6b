"""The rules at composition: every cupcake of the catalogue is complete or refused by a rule."""

import itertools

import pytest

from bodies.assembler.problems import RuleViolation, UnknownReference
from bodies.assembler.upstream import Upstreams
from bodies.core.problems import ProblemError
from fakes import FakePeers
from unit.composing import compose

pytestmark = pytest.mark.unit

# The pairing table (docs/architecture.md), written out again here so that the fake
# cannot drift from it.
GOES_ON = {
    "chocolate": ({"chocolate", "vanilla"}, {"sprinkles", "cherry", "flag"}),
    "vanilla": ({"vanilla", "chocolate", "carrot-cake"}, {"sprinkles", "cherry", "flag"}),
    "strawberry": ({"vanilla"}, {"cherry", "flag"}),
    "neon-blue": ({"vanilla"}, {"flag"}),
}
BODIES = ["vanilla", "chocolate", "carrot-cake"]
TOPPINGS = ["sprinkles", "cherry", "flag"]
CUPCAKES = list(itertools.product(BODIES, GOES_ON, TOPPINGS))


def refusal(upstreams: Upstreams, **chosen: str) -> ProblemError:
    """The problem composing ``chosen`` raises."""
    with pytest.raises(ProblemError) as raised:
        compose(upstreams, **chosen)
    return raised.value


def test_the_catalogue_has_36_cupcakes_to_try() -> None:
    assert len(CUPCAKES) == 36


@pytest.mark.parametrize(("body", "frosting", "topping"), CUPCAKES)
def test_every_cupcake_is_complete_or_refused_by_the_rule_it_breaks(
    upstreams: Upstreams, body: str, frosting: str, topping: str
) -> None:
    bodies, toppings = GOES_ON[frosting]
    chosen = {"body": body, "frosting": frosting, "topping": topping}

    if body in bodies and topping in toppings:
        composition = compose(upstreams, **chosen)
        assert composition.complete
        assert all(card.allowed for card in composition.choices.toppings if card.slug == topping)
    else:
        problem = refusal(upstreams, **chosen)
        assert isinstance(problem, RuleViolation)
        expected = "frosting-not-on-body" if body not in bodies else "topping-not-on-frosting"
        assert (problem.status, problem.extra["rule"]) == (422, expected)


def test_a_frosting_not_on_the_body_is_refused_in_words(upstreams: Upstreams) -> None:
    problem = refusal(upstreams, body="carrot-cake", frosting="neon-blue")

    assert problem.kind == "rule-violation"
    assert problem.extra == {"rule": "frosting-not-on-body"}
    assert problem.detail == (
        "Neon Blue frosting does not go on Carrot Cake: Carrot Cake only takes Vanilla frosting"
    )


def test_a_topping_not_on_the_frosting_is_refused_in_words(upstreams: Upstreams) -> None:
    problem = refusal(upstreams, body="vanilla", frosting="strawberry", topping="sprinkles")

    assert problem.extra == {"rule": "topping-not-on-frosting"}
    assert problem.detail == (
        "Sprinkles does not go on Strawberry frosting: Strawberry frosting takes Cherry or Flag"
    )


def test_with_toppings_down_the_frostings_rule_still_refuses(
    upstreams: Upstreams, peers: FakePeers
) -> None:
    peers.set("toppings", "down")

    problem = refusal(upstreams, body="vanilla", frosting="neon-blue", topping="cherry")

    assert problem.extra == {"rule": "topping-not-on-frosting"}


@pytest.mark.parametrize(
    ("chosen", "detail"),
    [
        ({"body": "sponge"}, "no body 'sponge'"),
        ({"body": "vanilla", "frosting": "lemon"}, "no frosting 'lemon'"),
        ({"body": "vanilla", "frosting": "vanilla", "topping": "gum"}, "no topping 'gum'"),
        ({"body": "sponge", "frosting": "neon-blue"}, "no body 'sponge'"),
    ],
)
def test_a_part_its_owner_does_not_know_is_an_unknown_reference(
    upstreams: Upstreams, chosen: dict[str, str], detail: str
) -> None:
    problem = refusal(upstreams, **chosen)

    assert isinstance(problem, UnknownReference)
    assert problem.kind == "unknown-reference"
    assert problem.detail == detail


def test_an_unknown_part_whose_owner_is_down_is_shown_unavailable(
    upstreams: Upstreams, peers: FakePeers
) -> None:
    peers.frosting_change("vanilla", toppings=["cherry", "flag", "gum", "sprinkles"])
    peers.set("toppings", "down")

    composition = compose(upstreams, body="vanilla", frosting="vanilla", topping="gum")

    assert composition.topping is not None and not composition.topping.available
