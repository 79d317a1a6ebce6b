"""The bespoke drawings of the seeded bodies."""

from collections.abc import Callable

from bodies.catalogue.pictures.drawing import BodyStyle, dome_points, num


def _vanilla_beans() -> str:
    specks = "".join(
        f'<ellipse cx="{num(x)}" cy="{num(y)}" rx="1" ry="0.6" '
        f'transform="rotate({(i * 37) % 180} {num(x)} {num(y)})"/>'
        for i, (x, y) in enumerate(dome_points(count=26, seed=1))
    )
    return f'<g fill="#4a2f1a" opacity="0.75">{specks}</g>'


def _chocolate_chips() -> str:
    chips = "".join(
        f'<path d="M{num(x - 3)} {num(y + 1.6)} Q{num(x)} {num(y - 4.2)} {num(x + 3)} '
        f'{num(y + 1.6)} Z"/><circle cx="{num(x - 0.8)}" cy="{num(y - 0.4)}" r="0.6" '
        'fill="#ffffff" opacity="0.45"/>'
        for x, y in dome_points(count=8, seed=5)
    )
    return f'<g fill="#24130b">{chips}</g>'


def _foil_shine() -> str:
    return (
        '<path d="M70 118 L86 118 L76 192 L62 192 Z" fill="#ffffff" opacity="0.35"/>'
        '<path d="M90 118 L95 118 L86 192 L81 192 Z" fill="#ffffff" opacity="0.25"/>'
    )


def _carrot_and_walnut() -> str:
    points = dome_points(count=18, seed=3)
    shreds = "".join(
        f'<path d="M{num(x - 2)} {num(y + (1 if i % 2 else -1))} L{num(x + 2)} '
        f'{num(y - (1 if i % 2 else -1))}"/>'
        for i, (x, y) in enumerate(points[:10])
    )
    walnuts = "".join(
        f'<path d="M{num(x - 1.8)} {num(y)} L{num(x - 0.4)} {num(y - 1.6)} L{num(x + 1.8)} '
        f'{num(y - 0.6)} L{num(x + 1)} {num(y + 1.4)} Z"/>'
        for x, y in points[10:15]
    )
    cinnamon = "".join(f'<circle cx="{num(x)}" cy="{num(y)}" r="0.6"/>' for x, y in points[15:])
    return (
        f'<g stroke="#f26b0f" stroke-width="1.4" stroke-linecap="round">{shreds}</g>'
        f'<g fill="#7a4a22" stroke="#5a3416" stroke-width="0.4">{walnuts}</g>'
        f'<g fill="#6e3510" opacity="0.7">{cinnamon}</g>'
    )


def vanilla_style(color: str) -> BodyStyle:
    """Vanilla: a golden sponge flecked with vanilla bean, in a sky-blue striped case."""
    return BodyStyle(
        sponge=color,
        liner="#bfe0f2",
        stripe="#eef8fd",
        outline="#6f9ab3",
        dome_details=_vanilla_beans(),
    )


def chocolate_style(color: str) -> BodyStyle:
    """Chocolate: a cocoa sponge studded with chips, in a shining gold-foil case."""
    return BodyStyle(
        sponge=color,
        liner="#d4a233",
        stripe="#f0cd6a",
        outline="#86600f",
        dome_details=_chocolate_chips(),
        case_details=_foil_shine(),
    )


def carrot_cake_style(color: str) -> BodyStyle:
    """Carrot cake: a spiced sponge with carrot, walnut and cinnamon, in a sage-green case."""
    return BodyStyle(
        sponge=color,
        liner="#97bb74",
        stripe="#e9f0d6",
        outline="#56753e",
        dome_details=_carrot_and_walnut(),
    )


# The seeded bodies keep their own drawing; the sponge still takes the body's colour.
SEEDED_STYLES: dict[str, Callable[[str], BodyStyle]] = {
    "vanilla": vanilla_style,
    "chocolate": chocolate_style,
    "carrot-cake": carrot_cake_style,
}
