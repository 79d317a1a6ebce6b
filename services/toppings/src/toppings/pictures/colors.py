"""Colour arithmetic for the pictures: only validated ``#rrggbb`` strings go in or out."""

from __future__ import annotations

import re

_HEX_COLOR = re.compile(r"#[0-9a-fA-F]{6}")


def checked_color(color: str) -> str:
    """Return ``color`` lowercased if it is ``#rrggbb``; raise ``ValueError`` otherwise."""
    if not _HEX_COLOR.fullmatch(color):
        raise ValueError(f"not a #rrggbb colour: {color!r}")
    return color.lower()


def mix(color: str, other: str, amount: float) -> str:
    """Return ``color`` moved ``amount`` (0-1) of the way towards ``other``."""
    a, b = checked_color(color), checked_color(other)
    channels = (
        round(int(a[i : i + 2], 16) * (1 - amount) + int(b[i : i + 2], 16) * amount)
        for i in (1, 3, 5)
    )
    return "#" + "".join(f"{channel:02x}" for channel in channels)


def lighten(color: str, amount: float) -> str:
    """Return ``color`` mixed with white."""
    return mix(color, "#ffffff", amount)


def darken(color: str, amount: float) -> str:
    """Return ``color`` mixed with black."""
    return mix(color, "#000000", amount)
