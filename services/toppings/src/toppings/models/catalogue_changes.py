"""Every committed change to a topping tells the catalogue's change signal.

Reads serve the list and details rendered for the signal's current token
(``toppings.caching``, ``cupcake_chassis.changes``). A flush that changes a topping marks
its session; on PostgreSQL it also sends ``NOTIFY`` in the same transaction, delivered to
every listening process when, and only if, the transaction commits. When the session
commits, the signal gets a new token for this process and, on SQLite, for every process.
"""

from __future__ import annotations

from sqlalchemy import event, text
from sqlalchemy.orm import Session, sessionmaker

from cupcake_chassis.changes import ChangeSignal

from .topping import Topping

CHANGED = "catalogue_changed"
CHANNEL = "toppings_catalogue"


def catalogue_changes_watch(factory: sessionmaker[Session], *, signal: ChangeSignal) -> None:
    """Make every session of ``factory`` tell ``signal`` about the toppings it commits."""

    @event.listens_for(factory, "before_flush")
    def _marked(session: Session, flush_context: object, instances: object) -> None:
        changed = (*session.new, *session.dirty, *session.deleted)
        if not any(isinstance(instance, Topping) for instance in changed):
            return
        if not session.info.get(CHANGED) and signal.notify_statement:
            session.execute(text(signal.notify_statement))
        session.info[CHANGED] = True

    @event.listens_for(factory, "after_commit")
    def _told(session: Session) -> None:
        if session.info.pop(CHANGED, False):
            signal.changed()

    @event.listens_for(factory, "after_rollback")
    def _forgotten(session: Session) -> None:
        session.info.pop(CHANGED, None)
