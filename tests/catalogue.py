"""The seed catalogue, pairing table and rules (docs/architecture.md), as the
cross-service tests expect them."""

from collections.abc import Collection

BODIES = ("vanilla", "chocolate", "carrot-cake")
FROSTINGS = ("chocolate", "vanilla", "strawberry", "neon-blue")
TOPPINGS = ("sprinkles", "cherry", "flag")

# frosting -> (bodies it goes on, toppings it takes)
PAIRINGS = {
    "chocolate": ({"chocolate", "vanilla"}, {"sprinkles", "cherry", "flag"}),
    "vanilla": ({"vanilla", "chocolate", "carrot-cake"}, {"sprinkles", "cherry", "flag"}),
    "strawberry": ({"vanilla"}, {"cherry", "flag"}),
    "neon-blue": ({"vanilla"}, {"flag"}),
}


def frosting_obeys_invariants(
    frosting: str, bodies: Collection[str], toppings: Collection[str]
) -> bool:
    """The catalogue's two invariants for one frosting's pairings, whatever the catalogue:
    carrot cake never gets neon blue frosting; sprinkles only go on vanilla or chocolate."""
    no_neon_on_carrot = not (frosting == "neon-blue" and "carrot-cake" in bodies)
    sprinkles_on_plain = "sprinkles" not in toppings or frosting in ("vanilla", "chocolate")
    return no_neon_on_carrot and sprinkles_on_plain


def invariants_hold(body: str, frosting: str, topping: str) -> bool:
    """The catalogue's two invariants for one combination."""
    return frosting_obeys_invariants(frosting, {body}, {topping})


def pairing_table_allows(body: str, frosting: str, topping: str) -> bool:
    """Whether the seeded pairing table allows the combination."""
    goes_on, takes = PAIRINGS.get(frosting, (set(), set()))
    return body in goes_on and topping in takes
