"""The Flask extensions of the service, created unbound and initialised by the app factory."""

from __future__ import annotations

from pathlib import Path

from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

# Named constraints make Alembic migrations reproducible on every database.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base of the service's models.

    Models subclass it directly (not ``db.Model``) so they stay plain, fully typed
    SQLAlchemy 2 classes; ``db`` shares this base's metadata and registry.
    """

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()

# Inside the package, so that the migrations ship with it.
MIGRATIONS_DIR = Path(__file__).parent / "migrations"
