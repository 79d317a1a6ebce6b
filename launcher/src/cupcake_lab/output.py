"""Prefixed, coloured log lines from several services on one terminal."""

from __future__ import annotations

import json
import os
import sys
import threading
from typing import Any, TextIO

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


_LEVEL_COLOURS = {"WARNING": "yellow", "ERROR": "red", "CRITICAL": "red"}


def log_record(line: str) -> dict[str, Any] | None:
    """The JSON log record a service printed as ``line``, or None for any other line."""
    if not line.startswith("{"):
        return None
    try:
        record = json.loads(line)
    except ValueError:
        return None
    return record if isinstance(record, dict) and "event" in record else None


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
        """Print one log line of service ``name``: a JSON record as short text, with its
        time, level (when not INFO), message and the start of its trace id."""
        prefix = self.paint(f"{name:>{self.width}} |", colour)
        record = log_record(line)
        self.write(f"{prefix} {line if record is None else self.readable(record)}")

    def readable(self, record: dict[str, Any]) -> str:
        """A JSON log record as one short line (and its traceback, if any, below it)."""
        clock = str(record.get("ts", ""))[11:19]
        level = str(record.get("level", "INFO"))
        parts = [self.paint(clock, "dim")] if clock else []
        if level != "INFO":
            parts.append(self.paint(level, _LEVEL_COLOURS.get(level, "bold")))
        parts.append(str(record["event"]))
        if trace_id := record.get("trace_id"):
            parts.append(self.paint(f"trace {str(trace_id)[:8]}", "dim"))
        text = " ".join(parts)
        if traceback := record.get("exc_info"):
            text += "\n" + str(traceback)
        return text

    def lab_line(self, message: str, colour: str = "bold") -> None:
        """Print a line from the launcher itself."""
        prefix = self.paint(f"{'lab':>{self.width}} |", "bold")
        self.write(f"{prefix} {self.paint(message, colour)}")

    def write(self, text: str) -> None:
        """Print ``text`` as one line, whole, even with other threads printing."""
        with self._lock:
            self._stream.write(text + "\n")
            self._stream.flush()
