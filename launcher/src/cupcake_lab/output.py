"""Prefixed, coloured log lines from several services on one terminal."""

from __future__ import annotations

import os
import sys
import threading
from typing import TextIO

_ANSI = {
    "red": "31",
    "green": "32",
    "yellow": "33",
    "blue": "34",
    "magenta": "35",
    "cyan": "36",
    "bold": "1",
    "dim": "2",
}


def colour_wanted(stream: TextIO) -> bool:
    """Colour when writing to a terminal, unless NO_COLOR is set (FORCE_COLOR forces it)."""
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return stream.isatty()


class LinePrinter:
    """Writes whole lines from many threads, each behind its service's coloured name.

    Plain writes rather than a rich console: under load the services log thousands of
    lines a second, and the printer must never slow them down.
    """

    def __init__(self, stream: TextIO | None = None, *, colour: bool | None = None) -> None:
        self._stream = stream or sys.stdout
        self._colour = colour_wanted(self._stream) if colour is None else colour
        self._lock = threading.Lock()
        self.width = 9

    def paint(self, text: str, colour: str) -> str:
        """Return ``text`` wrapped in the ANSI colour ``colour`` when colour is on."""
        if not self._colour:
            return text
        return f"\x1b[{_ANSI[colour]}m{text}\x1b[0m"

    def service_line(self, name: str, colour: str, line: str) -> None:
        """Print one log line of service ``name``."""
        prefix = self.paint(f"{name:>{self.width}} |", colour)
        self.write(f"{prefix} {line}")

    def lab_line(self, message: str, colour: str = "bold") -> None:
        """Print a line from the launcher itself."""
        prefix = self.paint(f"{'lab':>{self.width}} |", "bold")
        self.write(f"{prefix} {self.paint(message, colour)}")

    def write(self, text: str) -> None:
        """Print ``text`` as one line, whole, even with other threads printing."""
        with self._lock:
            self._stream.write(text + "\n")
            self._stream.flush()
