"""Create the toppings table.

Revision ID: 0001
Revises:
Create Date: 2025-01-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create ``toppings`` with its unique slug."""
    op.create_table(
        "toppings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("color", sa.String(length=7), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_toppings")),
        sa.UniqueConstraint("slug", name=op.f("uq_toppings_slug")),
    )


def downgrade() -> None:
    """Drop ``toppings``."""
    op.drop_table("toppings")
