"""The two pairing invariants, as pure functions."""

from __future__ import annotations

import pytest

from frostings.rules import (
    NO_NEON_BLUE_ON_CARROT_CAKE,
    SPRINKLES_ONLY_ON_VANILLA_OR_CHOCOLATE,
    rule_violations,
)

SEED_PAIRINGS = {
    "chocolate": ({"chocolate", "vanilla"}, {"sprinkles", "cherry", "flag"}),
    "vanilla": ({"vanilla", "chocolate", "carrot-cake"}, {"sprinkles", "cherry", "flag"}),
    "strawberry": ({"vanilla"}, {"cherry", "flag"}),
    "neon-blue": ({"vanilla"}, {"flag"}),
}


@pytest.mark.parametrize("frosting", sorted(SEED_PAIRINGS))
def test_the_designs_pairing_table_breaks_no_rule(frosting: str) -> None:
    bodies, toppings = SEED_PAIRINGS[frosting]
    assert rule_violations(frosting=frosting, bodies=bodies, toppings=toppings) == []


def test_neon_blue_on_carrot_cake_is_refused() -> None:
    found = rule_violations(frosting="neon-blue", bodies={"carrot-cake"}, toppings=set())
    assert [v.rule for v in found] == [NO_NEON_BLUE_ON_CARROT_CAKE]


@pytest.mark.parametrize("frosting", ["strawberry", "neon-blue", "lemon"])
def test_sprinkles_on_other_frostings_are_refused(frosting: str) -> None:
    found = rule_violations(frosting=frosting, bodies=set(), toppings={"sprinkles"})
    assert [v.rule for v in found] == [SPRINKLES_ONLY_ON_VANILLA_OR_CHOCOLATE]
    assert frosting in found[0].message


def test_carrot_cake_and_sprinkles_are_fine_on_other_frostings() -> None:
    assert rule_violations(frosting="lemon", bodies={"carrot-cake"}, toppings={"cherry"}) == []
    assert rule_violations(frosting="vanilla", bodies={"carrot-cake"}, toppings={"sprinkles"}) == []


def test_both_rules_are_reported_when_both_are_broken() -> None:
    found = rule_violations(frosting="neon-blue", bodies={"carrot-cake"}, toppings={"sprinkles"})
    assert {v.rule for v in found} == {
        NO_NEON_BLUE_ON_CARROT_CAKE,
        SPRINKLES_ONLY_ON_VANILLA_OR_CHOCOLATE,
    }
