"""The common drawing of a body: a domed sponge in a pleated paper case.

Geometry follows docs/architecture.md: viewBox 0 0 200 200, the body between y 110 and
190 with the case's top edge at y≈125, so frosting and topping stack on top of it.
"""

import random
from dataclasses import dataclass

from bodies.catalogue.pictures.colors import darker, lighter

DOME = "M40 126 C40 114 68 110 100 110 C132 110 160 114 160 126 Q100 133 40 126 Z"
CASE = "M42 124 Q100 131 158 124 L142 186 Q100 190 58 186 Z"
RIM = "M42 124 Q100 131 158 124"
PLEATS = 10


@dataclass(frozen=True)
class BodyStyle:
    """The colours of one body's drawing and its own touches (SVG fragments)."""

    sponge: str
    liner: str
    stripe: str
    outline: str
    dome_details: str = ""
    case_details: str = ""


def num(value: float) -> str:
    """Format a coordinate briefly: one decimal at most."""
    return f"{round(value, 1):g}"


def dome_points(*, count: int, seed: int) -> list[tuple[float, float]]:
    """Return ``count`` points scattered over the visible dome, the same ones every time."""
    rng = random.Random(seed)
    points: list[tuple[float, float]] = []
    while len(points) < count:
        x, y = rng.uniform(46, 154), rng.uniform(113, 124)
        # Inside the half-ellipse of the dome, clear of its outline.
        if ((x - 100) / 56) ** 2 + ((y - 127) / 15) ** 2 < 0.85:
            points.append((x, y))
    return points


def _pleats(style: BodyStyle) -> str:
    def top(i: int) -> float:
        return 42 + 116 * i / PLEATS

    def bottom(i: int) -> float:
        return 58 + 84 * i / PLEATS

    stripes = "".join(
        f'<path d="M{num(top(i))} 118 L{num(top(i + 1))} 118 '
        f'L{num(bottom(i + 1))} 192 L{num(bottom(i))} 192 Z"/>'
        for i in range(1, PLEATS, 2)
    )
    folds = "".join(
        f'<path d="M{num(top(i))} 118 L{num(bottom(i))} 192"/>' for i in range(1, PLEATS)
    )
    return (
        f'<g fill="{style.stripe}">{stripes}</g>'
        f'<g stroke="{darker(style.liner, 0.25)}" stroke-width="0.8" opacity="0.55">{folds}</g>'
    )


def body_svg(style: BodyStyle) -> str:
    """Return the SVG document of a body drawn in ``style``."""
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 200" width="200" '
        'height="200" role="img" aria-label="cupcake body">'
        "<defs>"
        '<linearGradient id="body-sponge" x1="0" y1="0" x2="0" y2="1">'
        f'<stop offset="0" stop-color="{lighter(style.sponge, 0.3)}"/>'
        f'<stop offset="0.55" stop-color="{style.sponge}"/>'
        f'<stop offset="1" stop-color="{darker(style.sponge, 0.3)}"/>'
        "</linearGradient>"
        '<radialGradient id="body-gloss" cx="0.38" cy="0.2" r="0.5">'
        '<stop offset="0" stop-color="#ffffff" stop-opacity="0.5"/>'
        '<stop offset="1" stop-color="#ffffff" stop-opacity="0"/>'
        "</radialGradient>"
        '<linearGradient id="body-shade" x1="0" y1="0" x2="1" y2="0">'
        '<stop offset="0" stop-color="#000000" stop-opacity="0.28"/>'
        '<stop offset="0.28" stop-color="#ffffff" stop-opacity="0.22"/>'
        '<stop offset="0.5" stop-color="#ffffff" stop-opacity="0"/>'
        '<stop offset="1" stop-color="#000000" stop-opacity="0.3"/>'
        "</linearGradient>"
        f'<clipPath id="body-case-clip"><path d="{CASE}"/></clipPath>'
        "</defs>"
        '<ellipse cx="100" cy="187" rx="50" ry="3" fill="#000000" opacity="0.15"/>'
        f'<path d="{DOME}" fill="url(#body-sponge)" stroke="{darker(style.sponge, 0.4)}" '
        'stroke-width="1.5" stroke-linejoin="round"/>'
        f'<path d="{DOME}" fill="url(#body-gloss)"/>'
        f"{style.dome_details}"
        '<g clip-path="url(#body-case-clip)">'
        f'<path d="{CASE}" fill="{style.liner}"/>'
        f"{_pleats(style)}"
        f"{style.case_details}"
        '<rect x="40" y="118" width="120" height="74" fill="url(#body-shade)"/>'
        "</g>"
        f'<path d="{RIM}" fill="none" stroke="{lighter(style.liner, 0.45)}" stroke-width="3" '
        'stroke-linecap="round"/>'
        f'<path d="{CASE}" fill="none" stroke="{style.outline}" stroke-width="1.5" '
        'stroke-linejoin="round"/>'
        "</svg>"
    )
