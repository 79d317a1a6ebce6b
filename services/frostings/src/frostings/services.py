"""Use cases of the frostings catalogue: ``frosting_<action>(*, ...)``.

Writes run in one transaction: every check (rules, slug, references) passes before
anything is stored, and nothing is stored if one fails.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from operator import attrgetter
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from frostings.clients import Peers
from frostings.errors import FrostingNotFound, RulesBroken, SlugTaken
from frostings.extensions import db
from frostings.models import Frosting, FrostingBody
from frostings.references import references_check
from frostings.rules import rule_violations
from frostings.schemas import is_slug

EDITABLE_FIELDS = ("name", "description", "color", "bodies", "toppings")


def frosting_list(*, body: str | None = None) -> list[Frosting]:
    """Every frosting sorted by slug; only those that go on ``body`` when it is given."""
    query = select(Frosting)
    if body is not None:
        query = query.join(Frosting.body_links).where(FrostingBody.body_slug == body)
    # Sorted here, character by character: a database's collation may order slugs otherwise
    # (PostgreSQL's en_US ignores hyphens), and the API promises one order on every database.
    return sorted(db.session.scalars(query), key=attrgetter("slug"))


def frosting_get(*, slug: str) -> Frosting:
    """The frosting called ``slug``; FrostingNotFound if there is none."""
    # What is no slug names no frosting, and must not reach the database: PostgreSQL
    # refuses a NUL character in a query.
    if not is_slug(slug):
        raise FrostingNotFound(slug)
    frosting = db.session.scalar(select(Frosting).where(Frosting.slug == slug))
    if frosting is None:
        raise FrostingNotFound(slug)
    return frosting


def _rules_check(*, slug: str, bodies: Collection[str], toppings: Collection[str]) -> None:
    violations = rule_violations(frosting=slug, bodies=bodies, toppings=toppings)
    if violations:
        raise RulesBroken(violations)


def _commit() -> None:
    try:
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise


def frosting_create(
    *,
    peers: Peers,
    slug: str,
    name: str,
    color: str,
    description: str = "",
    bodies: Collection[str] = (),
    toppings: Collection[str] = (),
) -> Frosting:
    """Add a frosting after checking the rules, its slug and its pairings."""
    _rules_check(slug=slug, bodies=bodies, toppings=toppings)
    if db.session.scalar(select(Frosting.id).where(Frosting.slug == slug)) is not None:
        raise SlugTaken(slug)
    references_check(peers=peers, bodies=bodies, toppings=toppings)
    frosting = Frosting(slug=slug, name=name, description=description, color=color)
    frosting.bodies_set(bodies)
    frosting.toppings_set(toppings)
    db.session.add(frosting)
    try:
        _commit()
    except IntegrityError:
        # Another request created the same slug between our check and our insert.
        raise SlugTaken(slug) from None
    return frosting


def frosting_update(*, peers: Peers, slug: str, changes: Mapping[str, Any]) -> Frosting:
    """Change only the given editable fields of a frosting (the PATCH semantics)."""
    frosting = frosting_get(slug=slug)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    bodies = changes.get("bodies", frosting.bodies)
    toppings = changes.get("toppings", frosting.toppings)
    _rules_check(slug=slug, bodies=bodies, toppings=toppings)
    references_check(
        peers=peers, bodies=changes.get("bodies", ()), toppings=changes.get("toppings", ())
    )
    for field in ("name", "description", "color"):
        if field in changes:
            setattr(frosting, field, changes[field])
    frosting.bodies_set(bodies)
    frosting.toppings_set(toppings)
    _commit()
    return frosting


def frosting_replace(
    *,
    peers: Peers,
    slug: str,
    name: str,
    color: str,
    description: str = "",
    bodies: Collection[str] = (),
    toppings: Collection[str] = (),
) -> Frosting:
    """Replace every editable field of a frosting (the PUT semantics)."""
    changes = {
        "name": name,
        "description": description,
        "color": color,
        "bodies": bodies,
        "toppings": toppings,
    }
    return frosting_update(peers=peers, slug=slug, changes=changes)


def frosting_delete(*, slug: str) -> None:
    """Remove a frosting and its pairings."""
    db.session.delete(frosting_get(slug=slug))
    _commit()
