"""The picture of any topping without a drawing of its own: a sugared gumdrop."""

from __future__ import annotations

from .colors import darken, lighten

# Sugar crystals on the dome, placed by hand so the picture never changes.
_SUGAR = ((90, 47), (104, 44), (111, 53), (95, 58), (106, 63), (87, 64), (113, 66), (99, 51))


def gumdrop(color: str) -> str:
    """A glossy gumdrop in ``color`` sitting on the peak of the frosting."""
    crystals = "".join(
        f'<rect x="{x - 0.9}" y="{y - 0.9}" width="1.8" height="1.8" '
        f'transform="rotate(45 {x} {y})" fill="#fff" opacity="0.6"/>'
        for x, y in _SUGAR
    )
    return f"""<defs>
<radialGradient id="tp-gumdrop-fill" cx="0.35" cy="0.3" r="0.8">
<stop offset="0" stop-color="{lighten(color, 0.5)}"/>
<stop offset="0.4" stop-color="{color}"/>
<stop offset="1" stop-color="{darken(color, 0.45)}"/>
</radialGradient>
</defs>
<ellipse cx="100" cy="71" rx="19" ry="3.2" fill="#000" opacity="0.16"/>
<path d="M82 70 C82 52 88 36 100 36 C112 36 118 52 118 70 C112 73.5 88 73.5 82 70 Z"
 fill="url(#tp-gumdrop-fill)" stroke="{darken(color, 0.55)}" stroke-width="1"
 stroke-opacity="0.55"/>
<ellipse cx="92" cy="49" rx="3.6" ry="7.5" transform="rotate(18 92 49)" fill="#fff"
 opacity="0.5"/>
{crystals}"""
