"""The catalogue version: one row, a new random token on every write (cached reads).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28
"""

from __future__ import annotations

import secrets

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create ``catalogue_version`` holding one random token."""
    table = op.create_table(
        "catalogue_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalogue_version")),
    )
    op.bulk_insert(table, [{"id": 1, "version": secrets.token_hex(16)}])


def downgrade() -> None:
    """Drop ``catalogue_version``."""
    op.drop_table("catalogue_version")
