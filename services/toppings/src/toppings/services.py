"""What the service does with toppings, independent of HTTP and of the database."""

from __future__ import annotations

from collections.abc import Collection, Mapping

from .models import Topping
from .repository import SlugTaken, ToppingRepository
from .validation import slug_errors

__all__ = [
    "SlugTaken",
    "ToppingNotFound",
    "topping_create",
    "topping_delete",
    "topping_get",
    "topping_list",
    "topping_replace",
    "topping_update",
]


class ToppingNotFound(Exception):
    """No topping has this slug."""


def topping_list(*, repo: ToppingRepository, slugs: Collection[str] | None = None) -> list[Topping]:
    """Return all toppings sorted by slug, or only those of ``slugs`` that exist."""
    return repo.list(slugs=slugs)


def topping_get(*, repo: ToppingRepository, slug: str) -> Topping:
    """Return the topping called ``slug``; raise ``ToppingNotFound`` if there is none."""
    # What is no slug names no topping, and must not reach the database: PostgreSQL
    # refuses a NUL character in a query.
    if slug_errors(slug):
        raise ToppingNotFound(slug)
    topping = repo.get(slug)
    if topping is None:
        raise ToppingNotFound(slug)
    return topping


def topping_create(*, repo: ToppingRepository, fields: Mapping[str, str]) -> Topping:
    """Create a topping from validated ``fields``; raise ``SlugTaken`` if the slug is used."""
    if repo.get(fields["slug"]) is not None:
        raise SlugTaken(fields["slug"])
    topping = Topping(
        slug=fields["slug"],
        name=fields["name"],
        description=fields.get("description", ""),
        color=fields["color"],
    )
    repo.add(topping)
    return topping


def topping_replace(*, repo: ToppingRepository, slug: str, fields: Mapping[str, str]) -> Topping:
    """Replace every editable field of topping ``slug``; a missing description becomes empty."""
    topping = topping_get(repo=repo, slug=slug)
    topping.name = fields["name"]
    topping.description = fields.get("description", "")
    topping.color = fields["color"]
    return topping


def topping_update(*, repo: ToppingRepository, slug: str, changes: Mapping[str, str]) -> Topping:
    """Change only the editable fields given in ``changes`` of topping ``slug``."""
    topping = topping_get(repo=repo, slug=slug)
    if "name" in changes:
        topping.name = changes["name"]
    if "description" in changes:
        topping.description = changes["description"]
    if "color" in changes:
        topping.color = changes["color"]
    return topping


def topping_delete(*, repo: ToppingRepository, slug: str) -> None:
    """Delete topping ``slug``; raise ``ToppingNotFound`` if there is none."""
    repo.delete(topping_get(repo=repo, slug=slug))
