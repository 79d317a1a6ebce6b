"""Alembic environment: migrate the database named by the service's settings."""

from alembic import context

from cupcake_chassis.databases import sqlalchemy_url
from toppings.models import Base, get_engine
from toppings.settings import DATABASE_URL, load_settings

config = context.config
# ``toppings-migrate`` and the tests set the URL; the alembic CLI falls back to the settings.
url = config.get_main_option(DATABASE_URL) or load_settings()[DATABASE_URL]


def run_migrations_offline() -> None:
    """Write the SQL for the migrations instead of running it."""
    context.configure(url=sqlalchemy_url(url), target_metadata=Base.metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Run the migrations against the database."""
    engine = get_engine({DATABASE_URL: url})
    try:
        with engine.connect() as connection:
            context.configure(connection=connection, target_metadata=Base.metadata)
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
