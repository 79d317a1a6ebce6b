"""The pairing rules in words, with the items' names: what the page shows above each panel."""

from __future__ import annotations

from collections.abc import Sequence

CHOOSE_BODY_FIRST = "Choose a body first"
CHOOSE_FROSTING_FIRST = "Choose a frosting first"


def names_joined(names: Sequence[str]) -> str:
    """Join names as a sentence does: ``A``, ``A or B``, ``A, B or C``."""
    if len(names) < 2:
        return "".join(names)
    return f"{', '.join(names[:-1])} or {names[-1]}"


def frostings_rule_in_words(*, body: str, frostings: Sequence[str]) -> str:
    """The frostings a body takes, e.g. "Carrot Cake only takes Vanilla frosting"."""
    if not frostings:
        return f"{body} takes no frosting"
    if len(frostings) == 1:
        return f"{body} only takes {frostings[0]} frosting"
    return f"{body} takes {names_joined(frostings)} frosting"


def toppings_rule_in_words(*, frosting: str, toppings: Sequence[str]) -> str:
    """The toppings a frosting takes, e.g. "Strawberry frosting takes Cherry or Flag"."""
    if not toppings:
        return f"{frosting} frosting takes no topping"
    if len(toppings) == 1:
        return f"{frosting} frosting only takes {toppings[0]}"
    return f"{frosting} frosting takes {names_joined(toppings)}"


def pairings_unknown(*, frosting: str) -> str:
    """Why no topping can be picked while the owner of the pairings is down."""
    return f"The frostings service is unavailable: the toppings that go on {frosting} are unknown"
