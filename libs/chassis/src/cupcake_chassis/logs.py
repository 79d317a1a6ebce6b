"""Structured logs: one JSON object per line on stderr, written off the request threads.

Every record carries the service's name and, inside a request, its request id, trace id and
span id (``cupcake_chassis.tracecontext``); what a caller passes in ``extra`` (route, status,
duration...) becomes fields of its own. Request threads only put records on a queue: a
listener thread formats and writes them, so a slow reader of stderr (a terminal, a pipe)
never holds a request up. ``cupcake-lab up`` turns these lines back into short coloured text.

``CUPCAKE_LOG_QUEUE=0`` writes in the caller's thread instead: test suites set it, so that
each test's lines are captured with that test.
"""

from __future__ import annotations

import atexit
import logging
import os
import sys
import threading
import time
from logging.handlers import QueueHandler, QueueListener
from queue import SimpleQueue
from typing import Any, TextIO

from pythonjsonlogger.json import JsonFormatter

from cupcake_chassis.tracecontext import current_ids

# Field names of a line: short, and the same in every service.
_RENAMED = {"asctime": "ts", "levelname": "level", "name": "logger", "message": "event"}
_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"
QUEUE_ENV = "CUPCAKE_LOG_QUEUE"


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever ``sys.stderr`` is at the time (tests replace it)."""

    def __init__(self) -> None:
        super().__init__()

    @property
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, _value: TextIO) -> None:
        """Ignored: the stream is always the current ``sys.stderr``."""


class _RequestIds(logging.Filter):
    """Puts the ids of the request being served on each record (in the request's thread)."""

    def filter(self, record: logging.LogRecord) -> bool:
        for key, value in current_ids().items():
            if not hasattr(record, key):
                setattr(record, key, value)
        return True


class _UtcJsonFormatter(JsonFormatter):
    """JSON lines whose time is ISO 8601 in UTC, to the millisecond."""

    converter = time.gmtime  # type: ignore[assignment]
    default_time_format = "%Y-%m-%dT%H:%M:%S"
    default_msec_format = "%s.%03dZ"


def json_formatter(service: str) -> logging.Formatter:
    """The formatter of one JSON object per line, with ``service`` on every line."""
    return _UtcJsonFormatter(_FORMAT, rename_fields=_RENAMED, static_fields={"service": service})


class _Logging:
    """The process's logging set-up, made once."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.queue: SimpleQueue[Any] = SimpleQueue()
        self.listener: QueueListener | None = None
        self.writer = _StderrHandler()
        self.sender = QueueHandler(self.queue)
        self.sender.addFilter(_RequestIds())
        self.writer.addFilter(_RequestIds())


_state = _Logging()


def logging_configure(service: str, *, level: int = logging.INFO) -> None:
    """Send every log record of this process, as JSON naming ``service``, to stderr.

    Safe to call again (each app a test creates does): the last service name wins, and
    one listener thread serves them all.
    """
    with _state.lock:
        _state.writer.setFormatter(json_formatter(service))
        root = logging.getLogger()
        root.setLevel(level)
        if os.environ.get(QUEUE_ENV) == "0":
            if _state.writer not in root.handlers:
                root.addHandler(_state.writer)
            return
        if _state.sender not in root.handlers:
            root.addHandler(_state.sender)
        if _state.listener is None:
            _state.listener = QueueListener(_state.queue, _state.writer)
            _state.listener.start()
            atexit.register(logs_flush)


def logs_flush() -> None:
    """Write every record queued so far before returning (at exit; tests reading stderr)."""
    with _state.lock:
        listener = _state.listener
        if listener is None:
            return
        listener.stop()  # drains the queue, then stops the thread
        listener.start()
