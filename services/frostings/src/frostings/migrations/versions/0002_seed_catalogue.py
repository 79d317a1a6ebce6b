"""Seed the catalogue: the four frostings and the pairing table of the design.

Revision ID: 0002
Revises: 0001
Create Date: 2025-01-01

The tables are described here, not imported from the models, so that this data
migration keeps meaning the same thing whatever the models become.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

frostings = sa.table(
    "frostings",
    sa.column("id", sa.Integer),
    sa.column("slug", sa.String),
    sa.column("name", sa.String),
    sa.column("description", sa.Text),
    sa.column("color", sa.String),
)
frosting_bodies = sa.table(
    "frosting_bodies", sa.column("frosting_id", sa.Integer), sa.column("body_slug", sa.String)
)
frosting_toppings = sa.table(
    "frosting_toppings",
    sa.column("frosting_id", sa.Integer),
    sa.column("topping_slug", sa.String),
)

# slug, name, description, colour
FROSTINGS = (
    ("chocolate", "Chocolate", "Glossy dark chocolate ganache buttercream, piped high.", "#5b3420"),
    ("vanilla", "Vanilla", "Vanilla bean buttercream, speckled with real seeds.", "#f3e3b5"),
    ("strawberry", "Strawberry", "Strawberry cream marbled with pieces of fruit.", "#f49ac1"),
    (
        "neon-blue",
        "Neon Blue",
        "Electric blue buttercream that glows on any party table.",
        "#1fb6ff",
    ),
)

# frosting -> (bodies it goes on, toppings that go on it)
PAIRINGS = {
    "chocolate": (("chocolate", "vanilla"), ("sprinkles", "cherry", "flag")),
    "vanilla": (("vanilla", "chocolate", "carrot-cake"), ("sprinkles", "cherry", "flag")),
    "strawberry": (("vanilla",), ("cherry", "flag")),
    "neon-blue": (("vanilla",), ("flag",)),
}


def upgrade() -> None:
    """Insert the four frostings of the design and their pairings."""
    connection = op.get_bind()
    connection.execute(
        frostings.insert(),
        [
            {"slug": slug, "name": name, "description": description, "color": color}
            for slug, name, description, color in FROSTINGS
        ],
    )
    found = connection.execute(
        sa.select(frostings.c.slug, frostings.c.id).where(frostings.c.slug.in_(PAIRINGS))
    )
    ids = {slug: frosting_id for slug, frosting_id in found}
    body_rows = [
        {"frosting_id": ids[slug], "body_slug": body}
        for slug, (bodies, _toppings) in PAIRINGS.items()
        for body in bodies
    ]
    topping_rows = [
        {"frosting_id": ids[slug], "topping_slug": topping}
        for slug, (_bodies, toppings) in PAIRINGS.items()
        for topping in toppings
    ]
    connection.execute(frosting_bodies.insert(), body_rows)
    connection.execute(frosting_toppings.insert(), topping_rows)


def downgrade() -> None:
    """Remove the seeded frostings and their pairings."""
    connection = op.get_bind()
    seeded = sa.select(frostings.c.id).where(frostings.c.slug.in_(PAIRINGS))
    connection.execute(frosting_bodies.delete().where(frosting_bodies.c.frosting_id.in_(seeded)))
    connection.execute(
        frosting_toppings.delete().where(frosting_toppings.c.frosting_id.in_(seeded))
    )
    connection.execute(frostings.delete().where(frostings.c.slug.in_(PAIRINGS)))
