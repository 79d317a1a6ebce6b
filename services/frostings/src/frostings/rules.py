"""The two pairing invariants of Cupcake Lab, as pure functions.

They hold for any catalogue, whatever it holds: every write of a frosting is checked
against them before anything is stored.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass

NO_NEON_BLUE_ON_CARROT_CAKE = "no-neon-blue-on-carrot-cake"
SPRINKLES_ONLY_ON_VANILLA_OR_CHOCOLATE = "sprinkles-only-on-vanilla-or-chocolate"

SPRINKLES_FROSTINGS = frozenset({"vanilla", "chocolate"})


@dataclass(frozen=True)
class RuleViolation:
    """One invariant a frosting's pairings would break."""

    rule: str
    message: str


def no_neon_blue_on_carrot_cake(
    *, frosting: str, bodies: Collection[str], toppings: Collection[str]
) -> RuleViolation | None:
    """Frosting ``neon-blue`` never lists body ``carrot-cake``."""
    if frosting == "neon-blue" and "carrot-cake" in bodies:
        return RuleViolation(
            NO_NEON_BLUE_ON_CARROT_CAKE, "neon-blue frosting never goes on carrot-cake"
        )
    return None


def sprinkles_only_on_vanilla_or_chocolate(
    *, frosting: str, bodies: Collection[str], toppings: Collection[str]
) -> RuleViolation | None:
    """Only frostings ``vanilla`` and ``chocolate`` list topping ``sprinkles``."""
    if "sprinkles" in toppings and frosting not in SPRINKLES_FROSTINGS:
        return RuleViolation(
            SPRINKLES_ONLY_ON_VANILLA_OR_CHOCOLATE,
            f"sprinkles only go on vanilla or chocolate frosting, not on {frosting}",
        )
    return None


Rule = Callable[..., RuleViolation | None]

RULES: tuple[Rule, ...] = (no_neon_blue_on_carrot_cake, sprinkles_only_on_vanilla_or_chocolate)


def rule_violations(
    *, frosting: str, bodies: Collection[str], toppings: Collection[str]
) -> list[RuleViolation]:
    """Every invariant the frosting ``frosting`` paired with ``bodies`` and ``toppings`` breaks."""
    found = (rule(frosting=frosting, bodies=bodies, toppings=toppings) for rule in RULES)
    return [violation for violation in found if violation is not None]
