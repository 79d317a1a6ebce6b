"""Drop the catalogue version row: changes are told by a change signal, not read per request.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03
"""

from __future__ import annotations

import secrets

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Drop ``catalogue_version`` (``cupcake_chassis.changes`` replaces it)."""
    op.drop_table("catalogue_version")


def downgrade() -> None:
    """Bring ``catalogue_version`` back, holding one random token."""
    table = op.create_table(
        "catalogue_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalogue_version")),
    )
    op.bulk_insert(table, [{"id": 1, "version": secrets.token_hex(16)}])
