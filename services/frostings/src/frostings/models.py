"""The frostings and their pairings with bodies and toppings (owned by other services).

Pairings name the other services' items by slug only: they are checked with their
owners when written and tolerated when dangling at read time.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cupcake_chassis.sqlalchemy_changes import catalogue_changes_watch
from frostings.catalogue_cache import catalogue_changes
from frostings.extensions import Base, db


class Frosting(Base):
    """A frosting of the catalogue."""

    __tablename__ = "frostings"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(60))
    description: Mapped[str] = mapped_column(Text, default="")
    color: Mapped[str] = mapped_column(String(7))
    body_links: Mapped[list[FrostingBody]] = relationship(
        back_populates="frosting", cascade="all, delete-orphan", lazy="selectin"
    )
    topping_links: Mapped[list[FrostingTopping]] = relationship(
        back_populates="frosting", cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def bodies(self) -> list[str]:
        """Slugs of the bodies this frosting goes on, sorted."""
        return sorted(link.body_slug for link in self.body_links)

    @property
    def toppings(self) -> list[str]:
        """Slugs of the toppings that go on this frosting, sorted."""
        return sorted(link.topping_slug for link in self.topping_links)

    def bodies_set(self, slugs: Iterable[str]) -> None:
        """Pair the frosting with exactly these bodies, keeping the links that stay."""
        wanted = set(slugs)
        self.body_links = [link for link in self.body_links if link.body_slug in wanted]
        kept = {link.body_slug for link in self.body_links}
        self.body_links.extend(FrostingBody(body_slug=slug) for slug in sorted(wanted - kept))

    def toppings_set(self, slugs: Iterable[str]) -> None:
        """Pair the frosting with exactly these toppings, keeping the links that stay."""
        wanted = set(slugs)
        self.topping_links = [link for link in self.topping_links if link.topping_slug in wanted]
        kept = {link.topping_slug for link in self.topping_links}
        self.topping_links.extend(
            FrostingTopping(topping_slug=slug) for slug in sorted(wanted - kept)
        )


class FrostingBody(Base):
    """A frosting goes on a body (a slug of the bodies service)."""

    __tablename__ = "frosting_bodies"

    frosting_id: Mapped[int] = mapped_column(
        ForeignKey("frostings.id", ondelete="CASCADE"), primary_key=True
    )
    body_slug: Mapped[str] = mapped_column(String(40), primary_key=True, index=True)
    frosting: Mapped[Frosting] = relationship(back_populates="body_links")


class FrostingTopping(Base):
    """A topping goes on a frosting (a slug of the toppings service)."""

    __tablename__ = "frosting_toppings"

    frosting_id: Mapped[int] = mapped_column(
        ForeignKey("frostings.id", ondelete="CASCADE"), primary_key=True
    )
    topping_slug: Mapped[str] = mapped_column(String(40), primary_key=True)
    frosting: Mapped[Frosting] = relationship(back_populates="topping_links")


CATALOGUE_MODELS = (Frosting, FrostingBody, FrostingTopping)


catalogue_changes_watch(db.session, models=CATALOGUE_MODELS, signal=catalogue_changes)
