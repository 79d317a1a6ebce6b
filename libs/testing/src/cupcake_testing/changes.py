"""Test helpers for change signals."""

from __future__ import annotations

from cupcake_chassis.changes import ChangeSignal, PostgresSignal


def change_signal_ready(signal: ChangeSignal, *, timeout: float = 10.0) -> None:
    """Wait until ``signal`` tells changes: on PostgreSQL, until its listener is connected
    (before, reads render from the database, as they must, and a test of what is kept
    would see them do it)."""
    signal.token()
    if isinstance(signal, PostgresSignal):
        assert signal.listening.wait(timeout), f"the listener did not connect in {timeout} s"


class NoToken:
    """A change signal that cannot tell changes, as one whose listener has not connected:
    every read must then render from the database."""

    notify_statement: str | None = None

    def token(self) -> None:
        """No token."""
        return None

    def changed(self) -> None:
        """Nothing to tell."""
