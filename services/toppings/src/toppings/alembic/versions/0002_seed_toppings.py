"""Seed the catalogue: sprinkles, cherry and flag.

Revision ID: 0002
Revises: 0001
Create Date: 2025-01-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# A frozen copy of the table: data migrations must not follow later model changes.
toppings = sa.table(
    "toppings",
    sa.column("slug", sa.String),
    sa.column("name", sa.String),
    sa.column("description", sa.Text),
    sa.column("color", sa.String),
)

SEED = [
    {
        "slug": "cherry",
        "name": "Cherry",
        "description": "A glossy maraschino cherry on its stem, right on the peak.",
        "color": "#d7263d",
    },
    {
        "slug": "flag",
        "name": "Flag",
        "description": "A little paper flag on a cocktail stick, for celebrations.",
        "color": "#1d4ed8",
    },
    {
        "slug": "sprinkles",
        "name": "Sprinkles",
        "description": "A rainbow shower of sugar strands scattered over the frosting.",
        "color": "#f472b6",
    },
]


def upgrade() -> None:
    """Insert the three seeded toppings."""
    op.bulk_insert(toppings, SEED)


def downgrade() -> None:
    """Remove the seeded toppings."""
    op.execute(toppings.delete().where(toppings.c.slug.in_([row["slug"] for row in SEED])))
