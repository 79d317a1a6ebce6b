"""The schema: frostings and their pairings with bodies and toppings.

Revision ID: 0001
Revises:
Create Date: 2025-01-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the frostings table and the two pairing tables."""
    op.create_table(
        "frostings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("color", sa.String(length=7), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_frostings")),
        sa.UniqueConstraint("slug", name=op.f("uq_frostings_slug")),
    )
    op.create_table(
        "frosting_bodies",
        sa.Column("frosting_id", sa.Integer(), nullable=False),
        sa.Column("body_slug", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["frosting_id"],
            ["frostings.id"],
            name=op.f("fk_frosting_bodies_frosting_id_frostings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("frosting_id", "body_slug", name=op.f("pk_frosting_bodies")),
    )
    op.create_index(
        op.f("ix_frosting_bodies_body_slug"), "frosting_bodies", ["body_slug"], unique=False
    )
    op.create_table(
        "frosting_toppings",
        sa.Column("frosting_id", sa.Integer(), nullable=False),
        sa.Column("topping_slug", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["frosting_id"],
            ["frostings.id"],
            name=op.f("fk_frosting_toppings_frosting_id_frostings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("frosting_id", "topping_slug", name=op.f("pk_frosting_toppings")),
    )


def downgrade() -> None:
    """Drop the three tables."""
    op.drop_table("frosting_toppings")
    op.drop_index(op.f("ix_frosting_bodies_body_slug"), table_name="frosting_bodies")
    op.drop_table("frosting_bodies")
    op.drop_table("frostings")
