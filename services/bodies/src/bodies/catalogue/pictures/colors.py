"""Colour arithmetic for the pictures, on validated ``#rrggbb`` strings."""

from bodies.catalogue.validation import normalized_color


def _rgb(color: str) -> tuple[int, int, int]:
    value = normalized_color(color)
    return int(value[1:3], 16), int(value[3:5], 16), int(value[5:7], 16)


def mix(color: str, other: str, amount: float) -> str:
    """Return ``color`` moved ``amount`` (0..1) of the way towards ``other``."""
    start, end = _rgb(color), _rgb(other)
    channels = (round(a + (b - a) * amount) for a, b in zip(start, end, strict=True))
    return "#" + "".join(f"{channel:02x}" for channel in channels)


def lighter(color: str, amount: float) -> str:
    """Return ``color`` mixed with white."""
    return mix(color, "#ffffff", amount)


def darker(color: str, amount: float) -> str:
    """Return ``color`` mixed with black."""
    return mix(color, "#000000", amount)
