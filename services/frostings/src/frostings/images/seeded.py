"""Bespoke drawings of the seeded frostings: the plain swirl plus what makes each one.

Each is still painted from the frosting's own colour, so a recoloured seed stays coherent.
"""

from __future__ import annotations

from collections.abc import Callable

from frostings.images.palette import Palette, mix
from frostings.images.swirl import TIERS, swirl, swirl_defs

VANILLA_BEAN = "#3b2616"
STRAWBERRY_SEED = "#ffd75e"

# (x, y, angle) of the vanilla bean specks, spread over the tiers.
SPECKS: tuple[tuple[int, int, int], ...] = (
    (42, 118, 20),
    (55, 110, -30),
    (70, 122, 60),
    (88, 114, 10),
    (104, 124, -45),
    (118, 110, 35),
    (133, 120, -10),
    (150, 113, 50),
    (160, 121, -60),
    (76, 105, 15),
    (124, 103, -25),
    (58, 98, 40),
    (72, 90, -50),
    (92, 101, 25),
    (110, 89, -15),
    (128, 97, 55),
    (143, 94, -35),
    (72, 82, 30),
    (90, 74, -20),
    (108, 85, 45),
    (126, 77, -40),
    (96, 67, 10),
    (106, 62, -30),
)

# (x, y, angle) of the strawberry pieces folded into the cream.
BERRY_BITS: tuple[tuple[int, int, int], ...] = (
    (64, 117, 20),
    (112, 121, -25),
    (146, 116, 35),
    (86, 99, -10),
    (124, 101, 15),
    (100, 82, -30),
)

# (x, y, angle) of the rolled chocolate shavings scattered on the swirl.
SHAVINGS: tuple[tuple[int, int, int], ...] = (
    (66, 112, 35),
    (92, 120, -20),
    (128, 116, 60),
    (150, 120, -40),
    (80, 95, -55),
    (118, 92, 25),
    (100, 78, 80),
    (136, 104, -15),
)

# (x, y, size) of the neon sparkles around the swirl.
SPARKLES: tuple[tuple[float, float, float], ...] = (
    (40, 104, 5),
    (160, 98, 4.5),
    (136, 66, 4),
    (62, 72, 3.5),
    (150, 124, 3),
)


def chocolate(palette: Palette) -> tuple[str, str]:
    """Glossy chocolate buttercream with rolled shavings and a strong shine."""
    curl_dark, curl_light = mix(palette.base, "#000000", 0.45), mix(palette.base, "#ffffff", 0.25)
    shavings = "".join(
        f'<g transform="rotate({a} {x} {y})">'
        f'<rect x="{x - 5}" y="{y - 1.6}" width="10" height="3.2" rx="1.6" fill="{curl_dark}"/>'
        f'<rect x="{x - 4}" y="{y - 1.2}" width="8" height="1.1" rx="0.55" fill="{curl_light}"/>'
        "</g>"
        for x, y, a in SHAVINGS
    )
    shine = (
        '<path d="M44 110 C50 102 62 99 74 99 M58 92 C62 86 70 83 80 82" fill="none" '
        'stroke="#ffffff" stroke-width="3.2" stroke-opacity="0.6" stroke-linecap="round"/>'
    )
    return swirl_defs(palette), swirl(palette) + shine + shavings


def vanilla(palette: Palette) -> tuple[str, str]:
    """Vanilla bean buttercream: dark specks of bean all through the cream."""
    specks = "".join(
        f'<ellipse cx="{x}" cy="{y}" rx="1.3" ry="0.6" transform="rotate({a} {x} {y})" '
        f'fill="{VANILLA_BEAN}" opacity="0.6"/>'
        for x, y, a in SPECKS
    )
    return swirl_defs(palette), swirl(palette) + specks


def strawberry(palette: Palette) -> tuple[str, str]:
    """Strawberry cream: pale ribbons marbled through, pieces of fruit with their seeds."""
    ribbons = (
        "M40 122 C70 112 110 126 160 114",
        "M52 104 C80 94 118 106 150 97",
        "M66 86 C88 78 112 88 136 80",
    )
    marble = "".join(
        f'<path d="{d}" fill="none" stroke="{palette.lighter}" stroke-width="4" '
        'stroke-opacity="0.7" stroke-linecap="round"/>'
        for d in ribbons
    )
    berry = mix(palette.base, "#c8102e", 0.75)
    bits = "".join(
        f'<ellipse cx="{x}" cy="{y}" rx="4.2" ry="3" transform="rotate({a} {x} {y})" '
        f'fill="{berry}" stroke="{palette.outline}" stroke-width="0.6"/>'
        f'<circle cx="{x - 1.5}" cy="{y}" r="0.6" fill="{STRAWBERRY_SEED}"/>'
        f'<circle cx="{x + 1.5}" cy="{y - 0.8}" r="0.6" fill="{STRAWBERRY_SEED}"/>'
        for x, y, a in BERRY_BITS
    )
    return swirl_defs(palette), swirl(palette) + marble + bits


def neon_blue(palette: Palette) -> tuple[str, str]:
    """Electric neon: a blurred glow hugging the swirl, bright edges and sparkles."""
    glow_filter = (
        '<filter id="frosting-glow" x="-20%" y="-20%" width="140%" height="140%">'
        '<feGaussianBlur stdDeviation="5"/></filter>'
    )
    glow = (
        f'<g fill="{palette.light}" opacity="0.95" filter="url(#frosting-glow)">'
        + "".join(f'<path d="{path}"/>' for path in TIERS)
        + "</g>"
    )
    sparkles = "".join(
        f'<path d="M{x} {y - s} Q{x} {y} {x + s} {y} Q{x} {y} {x} {y + s} '
        f'Q{x} {y} {x - s} {y} Q{x} {y} {x} {y - s} Z" fill="#ffffff" opacity="0.9"/>'
        for x, y, s in SPARKLES
    )
    edges = (
        '<path d="M150 104 C160 108 166 114 166 120 M140 86 C148 90 152 95 152 100" '
        'fill="none" stroke="#e9fbff" stroke-width="1.6" stroke-opacity="0.8" '
        'stroke-linecap="round"/>'
    )
    return swirl_defs(palette) + glow_filter, glow + swirl(palette) + edges + sparkles


SEEDED: dict[str, Callable[[Palette], tuple[str, str]]] = {
    "chocolate": chocolate,
    "vanilla": vanilla,
    "strawberry": strawberry,
    "neon-blue": neon_blue,
}
