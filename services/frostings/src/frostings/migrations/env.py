"""Alembic environment of the frostings service, run inside the Flask app (Flask-Migrate).

The database URL and metadata come from the app, so the migrations use exactly the
engine (and SQLite pragmas) the service uses.
"""

from __future__ import annotations

from alembic import context
from flask import current_app
from sqlalchemy import MetaData


def _metadata() -> MetaData:
    metadata: MetaData = current_app.extensions["migrate"].db.metadata
    return metadata


def run_migrations_offline() -> None:
    """Emit the migrations as SQL (``--sql``) without a database connection."""
    context.configure(
        url=current_app.config["SQLALCHEMY_DATABASE_URI"],
        target_metadata=_metadata(),
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Apply the migrations on the app's engine."""
    engine = current_app.extensions["migrate"].db.engine
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=_metadata(),
            # SQLite cannot ALTER most things; batch mode rebuilds tables instead.
            render_as_batch=True,
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
