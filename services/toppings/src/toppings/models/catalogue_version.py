"""The catalogue's version: one row, given a new random token by every write.

Reads serve the list rendered for the current token (``toppings.caching``); the token
changes in the same transaction as the toppings, so no read can see new toppings under an
old token's answer.
"""

from sqlalchemy import Engine, String, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Mapped, Session, mapped_column

from cupcake_chassis.rendered import version_token

from .meta import Base
from .topping import Topping


class CatalogueVersion(Base):
    """The single row holding the catalogue's current version token."""

    __tablename__ = "catalogue_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[str] = mapped_column(String(32))


# Asked on every list read: straight through the driver, as SQLAlchemy's statement and
# result machinery would cost more than the query itself.
VERSION_SQL = "SELECT version FROM catalogue_version"


def catalogue_version_read(engine: Engine) -> str | None:
    """The catalogue's current version token (None if the row is missing).

    Driver errors leave as SQLAlchemy's (e.g. ``OperationalError``: 503), like any query's.
    """
    driver_error = engine.dialect.loaded_dbapi.Error
    try:
        connection = engine.raw_connection()
        try:
            cursor = connection.cursor()
            try:
                cursor.execute(VERSION_SQL)
                row = cursor.fetchone()
            finally:
                cursor.close()
        finally:
            connection.close()
    except driver_error as exc:
        raise DBAPIError.instance(VERSION_SQL, None, exc, driver_error) from exc
    return None if row is None else str(row[0])


def catalogue_version_bump(session: Session, flush_context: object, instances: object) -> None:
    """``before_flush``: a flush that changes a topping gives the catalogue a new version."""
    changed = (*session.new, *session.dirty, *session.deleted)
    if any(isinstance(instance, Topping) for instance in changed):
        session.execute(update(CatalogueVersion).values(version=version_token()))
