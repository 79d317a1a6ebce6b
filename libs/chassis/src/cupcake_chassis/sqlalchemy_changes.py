"""SQLAlchemy sessions that tell a change signal about the catalogue rows they commit.

A flush that adds, changes or deletes an instance of the catalogue's models marks its
session and, on PostgreSQL, sends the signal's ``NOTIFY`` in the same transaction
(delivered when, and only if, it commits). When the session commits, the signal is told;
a rollback forgets the mark. Needs SQLAlchemy (the ``sqlalchemy`` extra of the chassis).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.orm import Session

from cupcake_chassis.changes import ChangeSignal

CHANGED = "cupcake_catalogue_changed"


def catalogue_changes_watch(
    sessions: Any, *, models: tuple[type, ...], signal: Callable[[], ChangeSignal]
) -> None:
    """Make every session of ``sessions`` (a sessionmaker, a scoped session) tell the
    signal that ``signal()`` returns when it commits a change to one of ``models``."""

    @event.listens_for(sessions, "before_flush")
    def _marked(session: Session, flush_context: object, instances: object) -> None:
        changed = (*session.new, *session.dirty, *session.deleted)
        if not any(isinstance(instance, models) for instance in changed):
            return
        statement = signal().notify_statement
        if statement and not session.info.get(CHANGED):
            session.execute(text(statement))
        session.info[CHANGED] = True

    @event.listens_for(sessions, "after_commit")
    def _told(session: Session) -> None:
        if session.info.pop(CHANGED, False):
            signal().changed()

    @event.listens_for(sessions, "after_rollback")
    def _forgotten(session: Session) -> None:
        session.info.pop(CHANGED, None)
