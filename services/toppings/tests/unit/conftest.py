"""Fixtures for unit tests: fakes only, no database, no network."""

from __future__ import annotations

from collections.abc import Collection

import pytest

from toppings.models import Topping
from toppings.repository import SlugTaken


class FakeToppingRepository:
    """An in-memory stand-in for the SQLAlchemy repository."""

    def __init__(self, *toppings: Topping) -> None:
        self.toppings = {topping.slug: topping for topping in toppings}

    def list(self, *, slugs: Collection[str] | None = None) -> list[Topping]:
        """Return the toppings (only those in ``slugs`` if given), sorted by slug."""
        return [
            self.toppings[slug] for slug in sorted(self.toppings) if slugs is None or slug in slugs
        ]

    def get(self, slug: str) -> Topping | None:
        """Return the topping called ``slug``, or None."""
        return self.toppings.get(slug)

    def add(self, topping: Topping) -> None:
        """Store a new topping; raise ``SlugTaken`` if its slug is in use."""
        if topping.slug in self.toppings:
            raise SlugTaken(topping.slug)
        self.toppings[topping.slug] = topping

    def delete(self, topping: Topping) -> None:
        """Remove ``topping``."""
        del self.toppings[topping.slug]


@pytest.fixture
def repo() -> FakeToppingRepository:
    """A fake repository holding cherry and sprinkles."""
    return FakeToppingRepository(
        Topping(slug="sprinkles", name="Sprinkles", description="Sugar.", color="#f472b6"),
        Topping(slug="cherry", name="Cherry", description="Red.", color="#d7263d"),
    )
