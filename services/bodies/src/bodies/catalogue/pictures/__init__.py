"""Pictures of bodies: bespoke drawings for the seeded ones, any other drawn from its colour."""

import functools

from bodies.catalogue.pictures.colors import darker, lighter
from bodies.catalogue.pictures.drawing import BodyStyle, body_svg, dome_points, num
from bodies.catalogue.pictures.seeded import SEEDED_STYLES
from bodies.catalogue.validation import normalized_color


def generic_style(color: str) -> BodyStyle:
    """Return the style of a body that has no drawing of its own: all from its colour."""
    crumbs = "".join(
        f'<circle cx="{num(x)}" cy="{num(y)}" r="0.8"/>' for x, y in dome_points(count=14, seed=4)
    )
    return BodyStyle(
        sponge=color,
        liner=lighter(color, 0.55),
        stripe=lighter(color, 0.82),
        outline=darker(color, 0.4),
        dome_details=f'<g fill="{darker(color, 0.3)}" opacity="0.5">{crumbs}</g>',
    )


@functools.lru_cache(maxsize=256)
def body_picture_svg(*, slug: str, color: str) -> str:
    """Return the SVG picture of a body.

    Only the body's colour is ever written into its picture, and only once it has
    passed as ``#rrggbb`` (else ValueError), so no user text can reach the SVG.
    """
    style_for = SEEDED_STYLES.get(slug, generic_style)
    return body_svg(style_for(normalized_color(color)))
