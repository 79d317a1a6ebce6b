"""Colour arithmetic for the pictures: shades and tints of one validated ``#rrggbb``."""

from __future__ import annotations

import re
from dataclasses import dataclass

HEX_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")


def _rgb(color: str) -> tuple[int, int, int]:
    if not HEX_COLOR.match(color):
        raise ValueError(f"not a #rrggbb colour: {color!r}")
    return int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16)


def mix(color: str, other: str, amount: float) -> str:
    """``color`` moved ``amount`` (0–1) of the way towards ``other``, as ``#rrggbb``."""
    a, b = _rgb(color), _rgb(other)
    channels = (round(x + (y - x) * amount) for x, y in zip(a, b, strict=True))
    return "#" + "".join(f"{c:02x}" for c in channels)


def luminance(color: str) -> float:
    """Relative luminance (0 black – 1 white), to pick readable accents."""
    r, g, b = (c / 255 for c in _rgb(color))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


@dataclass(frozen=True)
class Palette:
    """The shades a frosting is painted with, all derived from its colour."""

    base: str
    light: str
    lighter: str
    dark: str
    outline: str
    shadow: str


def palette_for(color: str) -> Palette:
    """The palette of a frosting of colour ``color`` (``#rrggbb``)."""
    base = mix(color, color, 0)  # normalises the case and validates
    return Palette(
        base=base,
        light=mix(base, "#ffffff", 0.35),
        lighter=mix(base, "#ffffff", 0.7),
        dark=mix(base, "#000000", 0.28),
        outline=mix(base, "#000000", 0.5),
        shadow=mix(base, "#000000", 0.6),
    )
