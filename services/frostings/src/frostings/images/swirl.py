"""The piped swirl every frosting picture is built on.

Geometry follows the lab's shared layer grid (viewBox 0 0 200 200): the swirl spans
y 55–135, its scalloped rim hangs over the cake case's top edge (y≈125) and its peak
is at (100, 55), where the topping sits.
"""

from __future__ import annotations

from frostings.images.palette import Palette

# The four tiers of the swirl, bottom to top: a scalloped rim, two rings and the tip.
TIERS: tuple[str, ...] = (
    "M30 120 C28 106 50 97 100 97 C150 97 172 106 170 120 C172 129 161 133 151 129 "
    "C141 134 127 134 118 129 C108 134 92 134 82 129 C73 134 59 134 49 129 "
    "C39 133 28 129 30 120 Z",
    "M45 101 C43 87 65 78 100 78 C135 78 157 87 155 101 C157 110 142 114 130 109 "
    "C121 115 109 116 100 111 C91 116 79 115 70 109 C58 114 43 110 45 101 Z",
    "M59 84 C58 71 77 63 100 63 C123 63 142 71 141 84 C142 92 131 95 121 91 "
    "C113 96 87 96 79 91 C69 95 58 92 59 84 Z",
    "M76 71 C78 63 91 58 100 55 C109 58 122 63 124 71 C118 76 82 76 76 71 Z",
)

# Light catching the upper left of each tier.
HIGHLIGHTS: tuple[str, ...] = (
    "M38 113 C40 105 56 100 80 99",
    "M52 96 C54 88 68 82 88 80",
    "M66 80 C68 73 80 67 94 66",
    "M85 67 C89 62 94 59 99 58",
)

# The spiral groove the piping bag leaves, on the shaded right side.
GROOVES: tuple[str, ...] = (
    "M120 104 C138 104 156 109 162 118",
    "M112 86 C128 86 143 92 148 99",
    "M108 70 C120 70 131 75 134 81",
    "M100 55 C104 59 103 64 97 65",
)

# Horizontal extent, top and bottom of each tier, and how many piping ridges it shows.
TIER_BOUNDS: tuple[tuple[int, int, int, int, int], ...] = (
    (28, 172, 97, 134, 9),
    (43, 157, 78, 116, 7),
    (57, 143, 63, 96, 5),
    (76, 124, 55, 76, 3),
)

FILL = "frosting-fill"
CLIP = "frosting-tier-"


def swirl_defs(palette: Palette) -> str:
    """The gradient every tier is filled with: lit from above, shaded below."""
    return (
        f'<linearGradient id="{FILL}" x1="0" y1="0" x2="0" y2="1">'
        f'<stop offset="0" stop-color="{palette.lighter}"/>'
        f'<stop offset="0.45" stop-color="{palette.light}"/>'
        f'<stop offset="0.8" stop-color="{palette.base}"/>'
        f'<stop offset="1" stop-color="{palette.dark}"/>'
        "</linearGradient>"
        + "".join(
            f'<clipPath id="{CLIP}{i}"><path d="{path}"/></clipPath>'
            for i, path in enumerate(TIERS)
        )
    )


def ridges(palette: Palette, index: int) -> str:
    """The grooves a star piping tip leaves, fanning out from the centre of a tier."""
    left, right, top, bottom, count = TIER_BOUNDS[index]
    lines = []
    for k in range(count):
        x = left + (k + 0.5) * (right - left) / count
        x_top = 100 + (x - 100) * 0.7
        bend = (x - 100) * 0.12
        lines.append(
            f"M{x_top:.1f} {top} Q{x + bend:.1f} {(top + bottom) / 2:.1f} {x:.1f} {bottom}"
        )
    dark = "".join(f'<path d="{d}"/>' for d in lines)
    light = "".join(f'<path d="{d}" transform="translate(2 0)"/>' for d in lines)
    return (
        f'<g clip-path="url(#{CLIP}{index})" fill="none" stroke-linecap="round">'
        f'<g stroke="{palette.outline}" stroke-width="1.3" stroke-opacity="0.22">{dark}</g>'
        f'<g stroke="#ffffff" stroke-width="1.1" stroke-opacity="0.28">{light}</g>'
        "</g>"
    )


def tier(palette: Palette, index: int) -> str:
    """One tier: its soft shadow on the tier below, then the tier itself with its outline."""
    path = TIERS[index]
    shadow = (
        f'<path d="{path}" transform="translate(0 3)" fill="{palette.shadow}" opacity="0.22"/>'
        if index > 0
        else ""
    )
    body = (
        f'<path d="{path}" fill="url(#{FILL})" stroke="{palette.outline}" '
        'stroke-width="1.4" stroke-opacity="0.6" stroke-linejoin="round"/>'
    )
    return shadow + body + ridges(palette, index)


def strokes(paths: tuple[str, ...], *, color: str, width: float, opacity: float) -> str:
    """Round-capped open strokes along ``paths``."""
    return "".join(
        f'<path d="{d}" fill="none" stroke="{color}" stroke-width="{width}" '
        f'stroke-opacity="{opacity}" stroke-linecap="round"/>'
        for d in paths
    )


def swirl(palette: Palette, *, between_tiers: dict[int, str] | None = None) -> str:
    """The whole swirl; ``between_tiers[i]`` is drawn right after tier ``i``."""
    extra = between_tiers or {}
    parts = [tier(palette, i) + extra.get(i, "") for i in range(len(TIERS))]
    parts.append(strokes(GROOVES, color=palette.outline, width=1.6, opacity=0.35))
    parts.append(strokes(HIGHLIGHTS, color="#ffffff", width=2.6, opacity=0.55))
    return "".join(parts)


def svg_document(*, defs: str, body: str) -> str:
    """A complete, transparent 200×200 layer."""
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 200" '
        'width="200" height="200" role="img" aria-label="frosting">'
        f"<defs>{defs}</defs>{body}</svg>"
    )
