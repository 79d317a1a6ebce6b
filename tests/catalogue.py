"""DESIGN.md's catalogue and pairing table, as the cross-service tests expect them."""

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
