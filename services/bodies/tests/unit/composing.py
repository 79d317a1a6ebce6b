"""Helpers of the composition tests: compose with the fake bodies database, read the answer."""

from typing import Any

from bodies.assembler.compose import cupcake_compose
from bodies.assembler.schemas import Composition
from bodies.assembler.upstream import Upstreams
from fakes import body_parts

FULL = {"body": "vanilla", "frosting": "strawberry", "topping": "cherry"}


def compose(upstreams: Upstreams, **chosen: str) -> Composition:
    """Compose with the fake bodies database and the given choices."""
    choice: dict[str, Any] = {"body": None, "frosting": None, "topping": None, **chosen}
    return cupcake_compose(**choice, upstreams=upstreams, bodies_read=body_parts)


def statuses(composition: Composition) -> dict[str, str]:
    """Each service's status."""
    return {name: state.status for name, state in composition.services}


def slugs(choices: list[Any], *, allowed: bool | None = None) -> list[str]:
    """The slugs of some cards: all, or only the allowed (or refused) ones."""
    return [c.slug for c in choices if allowed is None or c.allowed is allowed]
