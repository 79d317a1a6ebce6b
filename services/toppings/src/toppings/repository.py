"""Where toppings are kept: a small port, and its SQLAlchemy adapter."""

from __future__ import annotations

from collections.abc import Collection
from operator import attrgetter
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .models import Topping


class SlugTaken(Exception):
    """Another topping already has this slug."""


class ToppingRepository(Protocol):
    """The storage the service functions need; tests use an in-memory fake."""

    def list(self, *, slugs: Collection[str] | None = None) -> list[Topping]:
        """Return the toppings (only those in ``slugs`` if given), sorted by slug."""
        ...

    def get(self, slug: str) -> Topping | None:
        """Return the topping called ``slug``, or None."""
        ...

    def add(self, topping: Topping) -> None:
        """Store a new topping; raise ``SlugTaken`` if its slug is in use."""
        ...

    def delete(self, topping: Topping) -> None:
        """Remove ``topping``."""
        ...


class SqlAlchemyToppingRepository:
    """Toppings in the request's SQLAlchemy session (committed by pyramid_tm)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def list(self, *, slugs: Collection[str] | None = None) -> list[Topping]:
        """Return the toppings (only those in ``slugs`` if given), sorted by slug."""
        query = select(Topping)
        if slugs is not None:
            query = query.where(Topping.slug.in_(slugs))
        # Sorted here, character by character: a database's collation may order slugs
        # otherwise (PostgreSQL's en_US ignores hyphens); the API promises one order.
        return sorted(self.session.scalars(query), key=attrgetter("slug"))

    def get(self, slug: str) -> Topping | None:
        """Return the topping called ``slug``, or None."""
        return self.session.scalars(select(Topping).where(Topping.slug == slug)).one_or_none()

    def add(self, topping: Topping) -> None:
        """Store a new topping; raise ``SlugTaken`` if its slug is in use."""
        self.session.add(topping)
        try:
            # Flush now so a concurrent insert of the same slug surfaces here, as a 409.
            self.session.flush()
        except IntegrityError as exc:
            raise SlugTaken(topping.slug) from exc

    def delete(self, topping: Topping) -> None:
        """Remove ``topping``."""
        self.session.delete(topping)
        self.session.flush()
