"""Bespoke drawings of the seeded toppings, each tinted by the topping's colour."""

from __future__ import annotations

import math

from .colors import darken, lighten

SPRINKLE_COLORS = ("#facc15", "#38bdf8", "#a3e635", "#fb923c", "#ffffff", "#c084fc")
SHADOW = '<ellipse cx="100" cy="71" rx="{rx}" ry="3" fill="#000" opacity="0.16"/>'


def cherry(color: str) -> str:
    """A glossy cherry with a curved stem and a leaf, resting on the peak."""
    return f"""<defs>
<radialGradient id="tp-cherry-skin" cx="0.36" cy="0.34" r="0.75">
<stop offset="0" stop-color="{lighten(color, 0.45)}"/>
<stop offset="0.35" stop-color="{color}"/>
<stop offset="1" stop-color="{darken(color, 0.55)}"/>
</radialGradient>
<linearGradient id="tp-cherry-stem" x1="0" y1="1" x2="1" y2="0">
<stop offset="0" stop-color="#5b4a1c"/><stop offset="1" stop-color="#7a9a3a"/>
</linearGradient>
<linearGradient id="tp-cherry-leaf" x1="0" y1="0" x2="1" y2="1">
<stop offset="0" stop-color="#8bc34a"/><stop offset="1" stop-color="#3f7d20"/>
</linearGradient>
</defs>
{SHADOW.format(rx=15)}
<path d="M101 48 C100 37 104 27 113 18" fill="none" stroke="url(#tp-cherry-stem)"
 stroke-width="2.6" stroke-linecap="round"/>
<path d="M113 19 C118 12 128 12 134 17 C128 23 119 24 113 19 Z" fill="url(#tp-cherry-leaf)"
 stroke="#2f5d17" stroke-width="0.6"/>
<path d="M114 19 C120 17 126 17 131 17" fill="none" stroke="#d9f99d" stroke-width="0.6"
 opacity="0.7"/>
<path d="M100 48 C92 42 82 46 82 58 C82 68 90 73 100 73 C110 73 118 68 118 58
 C118 46 108 42 100 48 Z" fill="url(#tp-cherry-skin)" stroke="{darken(color, 0.6)}"
 stroke-width="1" stroke-opacity="0.6"/>
<ellipse cx="100" cy="48.5" rx="3" ry="1.3" fill="{darken(color, 0.6)}" opacity="0.55"/>
<ellipse cx="91" cy="54" rx="5" ry="2.8" transform="rotate(-35 91 54)" fill="#fff"
 opacity="0.75"/>
<circle cx="109" cy="65" r="1.6" fill="#fff" opacity="0.35"/>"""


def flag(color: str) -> str:
    """A waving paper flag with a white stripe on a cocktail stick."""
    return f"""<defs>
<linearGradient id="tp-flag-cloth" x1="0" y1="0" x2="1" y2="0">
<stop offset="0" stop-color="{darken(color, 0.1)}"/>
<stop offset="0.3" stop-color="{lighten(color, 0.2)}"/>
<stop offset="0.55" stop-color="{darken(color, 0.2)}"/>
<stop offset="0.8" stop-color="{lighten(color, 0.12)}"/>
<stop offset="1" stop-color="{color}"/>
</linearGradient>
<linearGradient id="tp-flag-stick" x1="0" y1="0" x2="1" y2="0">
<stop offset="0" stop-color="#f3dcb2"/><stop offset="1" stop-color="#b98b52"/>
</linearGradient>
<radialGradient id="tp-flag-bead" cx="0.35" cy="0.35" r="0.7">
<stop offset="0" stop-color="#fff7c2"/><stop offset="1" stop-color="#d4a017"/>
</radialGradient>
</defs>
{SHADOW.format(rx=6)}
<path d="M98.6 17 H101.4 V69 L100 73 L98.6 69 Z" fill="url(#tp-flag-stick)"
 stroke="#8a6433" stroke-width="0.5"/>
<path d="M101.4 19 C113 14 124 23 146 18 V40 C124 45 113 36 101.4 41 Z"
 fill="url(#tp-flag-cloth)" stroke="{darken(color, 0.4)}" stroke-width="0.8"/>
<path d="M101.4 27 C113 22 124 31 146 26 V32 C124 37 113 28 101.4 33 Z" fill="#fff"
 opacity="0.92"/>
<path d="M103 21 C114 17 124 25 144 20" fill="none" stroke="#fff" stroke-width="0.8"
 opacity="0.35"/>
<circle cx="100" cy="15.5" r="3.2" fill="url(#tp-flag-bead)" stroke="#9a7410"
 stroke-width="0.5"/>"""


def _sprinkle_positions(count: int) -> list[tuple[float, float, float]]:
    """Spread ``count`` sprinkles over the top of the frosting, denser near its peak.

    Deterministic (golden-ratio sequences), so the picture and its ETag never change.
    """
    golden = (math.sqrt(5) - 1) / 2
    positions = []
    for i in range(count):
        t = (i + 0.5) / count
        y = 55 + 19 * math.sqrt(t)
        half_width = 9 + (y - 55) * 1.7
        u = ((i * golden) % 1.0) * 2 - 1
        angle = (i * 137.508) % 180
        positions.append((100 + u * half_width, y, angle))
    return positions


def sprinkles(color: str) -> str:
    """Rainbow sugar strands, in the topping's colour and friends, over the peak."""
    palette = (color, *SPRINKLE_COLORS)
    strands = []
    for i, (x, y, angle) in enumerate(_sprinkle_positions(26)):
        fill = palette[i % len(palette)]
        strands.append(
            f'<g transform="translate({x:.1f} {y:.1f}) rotate({angle:.0f})">'
            '<rect x="-4.1" y="-0.6" width="9" height="2.8" rx="1.4" fill="#000" opacity="0.15"/>'
            f'<rect x="-4.5" y="-1.4" width="9" height="2.8" rx="1.4" fill="{fill}" '
            f'stroke="{darken(fill, 0.35)}" stroke-width="0.4"/>'
            '<rect x="-3" y="-1" width="6" height="0.8" rx="0.4" fill="#fff" opacity="0.55"/>'
            "</g>"
        )
    return "\n".join(strands)
