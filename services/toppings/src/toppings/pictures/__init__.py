"""The toppings' pictures: SVG layers that stack on a body and a frosting.

Every picture has ``viewBox="0 0 200 200"`` and a transparent background; a
topping sits at y 15-75, centred on x 100, on the frosting's peak (y about 60).
Only the validated colour of a topping ever reaches the SVG text.
"""

from __future__ import annotations

from collections.abc import Callable

from .colors import checked_color
from .generic import gumdrop
from .seeded import cherry, flag, sprinkles

Drawing = Callable[[str], str]

# Seeded toppings have drawings of their own; any other topping gets a gumdrop.
DRAWINGS: dict[str, Drawing] = {"cherry": cherry, "flag": flag, "sprinkles": sprinkles}

SVG_HEAD = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 200" '
    'width="200" height="200" role="img">'
)


def topping_svg(*, slug: str, color: str) -> str:
    """Return the SVG picture of topping ``slug`` drawn in ``color`` (``#rrggbb``)."""
    drawing = DRAWINGS.get(slug, gumdrop)
    return f"{SVG_HEAD}{drawing(checked_color(color))}</svg>\n"
