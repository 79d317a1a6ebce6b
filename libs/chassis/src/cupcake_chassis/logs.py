"""Structured logs: one JSON object per line on stderr, written off the request threads.

Every line carries its time (``ts``, UTC), ``level``, ``logger``, ``event``, the service's
name and, inside a request, its ``request_id``, ``trace_id`` and ``span_id``
(``cupcake_chassis.tracecontext``); what a caller passes in ``extra`` (route, status,
duration...) becomes fields of its own. ``cupcake-lab up`` turns these lines back into short
coloured text.

A request thread only leaves an entry in memory: its time, its ids and its fields. A writer
thread turns the entries into JSON lines every ``WRITE_SECONDS`` (sooner when many wait)
and writes each batch at once, so neither serialising nor a slow reader of stderr (a
terminal, a pipe) holds a request up; what is left is written at exit and by
``logs_flush``. The two lines of every request (``cupcake.access``, ``cupcake.upstream``) go
through ``line_log``, which skips ``logging``'s records when this writer is the only
handler; every other record goes through ``logging`` into the same writer, in the same
shape.

``CUPCAKE_LOG_QUEUE=0`` writes in the caller's thread instead: test suites set it, so that
each test's lines are captured with that test.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from typing import Any, TextIO

from pythonjsonlogger.json import JsonFormatter

from cupcake_chassis.periodic import Periodic
from cupcake_chassis.tracecontext import current_ids

# Field names of a line: short, and the same in every service.
_RENAMED = {"asctime": "ts", "levelname": "level", "name": "logger", "message": "event"}
_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"
QUEUE_ENV = "CUPCAKE_LOG_QUEUE"
WRITE_SECONDS = 0.1
# Entries waiting before the writer is woken early: bounds the memory a burst takes.
BATCH_WAKE = 512

_TIME_FORMAT = "%Y-%m-%dT%H:%M:%S"


# The last whole second formatted, and its text: a batch's lines mostly share their second.
_last_second: tuple[int, str] = (-1, "")


def utc_timestamp(seconds: float) -> str:
    """``seconds`` since the epoch in ISO 8601, UTC, to the millisecond (``…T13:02:01.123Z``)."""
    global _last_second
    whole = int(seconds)
    second, text = _last_second
    if whole != second:
        text = time.strftime(_TIME_FORMAT, time.gmtime(whole))
        _last_second = (whole, text)
    return f"{text}.{int((seconds - whole) * 1000):03d}Z"


class _UtcJsonFormatter(JsonFormatter):
    """JSON lines whose time is ISO 8601 in UTC, to the millisecond, made by one encoder."""

    _encoder: json.JSONEncoder | None = None

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:  # noqa: N802
        """The record's time as every line has it (``utc_timestamp``)."""
        return utc_timestamp(record.created)

    def jsonify_log_record(self, log_data: dict[str, Any]) -> str:
        """``log_data`` as JSON, as the library's own ``json.dumps`` call would make it,
        by an encoder made once rather than one per line."""
        if self._encoder is None:
            encoder = self.json_encoder or json.JSONEncoder
            self._encoder = encoder(
                default=self.json_default,
                indent=self.json_indent,
                ensure_ascii=self.json_ensure_ascii,
            )
        return self._encoder.encode(log_data)


def json_formatter(service: str) -> JsonFormatter:
    """The formatter of one JSON object per line, with ``service`` on every line."""
    return _UtcJsonFormatter(_FORMAT, rename_fields=_RENAMED, static_fields={"service": service})


# What a request thread leaves for the writer: time, level, logger, format and its
# arguments, fields, ids. Built with nothing formatted; the writer formats it.
LineEntry = tuple[float, str, str, str, tuple[Any, ...], Mapping[str, Any], Mapping[str, str]]


class LineWriter:
    """Turns entries into JSON lines and writes them to ``stream()`` (by default whatever
    ``sys.stderr`` is at the time: tests replace it) in batches, or at once when not
    ``queued``."""

    def __init__(
        self, *, interval: float = WRITE_SECONDS, stream: Callable[[], TextIO] = lambda: sys.stderr
    ) -> None:
        self.stream = stream
        self.pending: deque[LineEntry | logging.LogRecord] = deque()
        self.formatter: JsonFormatter = _UtcJsonFormatter(_FORMAT, rename_fields=_RENAMED)
        self.service = ""
        self.queued = True
        self.lock = threading.Lock()  # one batch written at a time, in order
        self.thread = Periodic(self.flush, interval=interval, name="cupcake-log-writer")

    def configure(self, service: str, *, queued: bool) -> None:
        """Name ``service`` on every line; write from a thread of its own if ``queued``."""
        self.formatter = json_formatter(service)
        self.service, self.queued = service, queued
        if queued:
            self.thread.start()

    def forget_parent(self) -> None:
        """In a forked child: the parent's entries are the parent's to write; its lock may
        have been held by its writer thread, which the child does not have."""
        self.pending.clear()
        self.lock = threading.Lock()
        if self.queued and self.service:
            self.thread.start()

    def put(self, entry: LineEntry | logging.LogRecord) -> None:
        """Leave one entry to be written (written now, when not queued)."""
        if not self.queued:
            self.pending.append(entry)
            self.flush()
            return
        # deque.append is atomic: request threads never wait on one another here.
        self.pending.append(entry)
        if len(self.pending) >= BATCH_WAKE:
            self.thread.wake()

    def flush(self) -> None:
        """Write every entry left so far, in one write."""
        with self.lock:
            pending = self.pending
            lines = [self.line_safe(pending.popleft()) for _ in range(len(pending))]
            if not lines:
                return
            try:
                stream = self.stream()
                stream.write("\n".join(lines) + "\n")
                stream.flush()
            except (OSError, ValueError):
                pass  # a closed or broken stderr: as logging's handlers do, go on without it

    def line_safe(self, entry: LineEntry | logging.LogRecord) -> str:
        """``line(entry)``, or a line saying why it could not be made (a bad format string,
        a field JSON cannot hold): the lines around it are still written."""
        try:
            return self.line(entry)
        except Exception as error:  # noqa: BLE001 -- logging's own rule: never raise
            now = time.time()
            failed: LineEntry = (now, "ERROR", "cupcake.logs", "unloggable: %r", (error,), {}, {})
            return self.line(failed)

    def line(self, entry: LineEntry | logging.LogRecord) -> str:
        """One entry as its JSON line."""
        if isinstance(entry, logging.LogRecord):
            return self.formatter.format(entry)
        created, level, logger, message, args, fields, ids = entry
        record = {
            "ts": utc_timestamp(created),
            "level": level,
            "logger": logger,
            "event": message % args,
            "service": self.service,
            **fields,
        }
        for key, value in ids.items():  # as on a record: a field of the same name wins
            record.setdefault(key, value)
        return self.formatter.jsonify_log_record(record)


class _WriterHandler(logging.Handler):
    """The root logger's handler: each record, with the ids of the request being served,
    left for the writer."""

    def __init__(self, writer: LineWriter) -> None:
        super().__init__()
        self.writer = writer

    def emit(self, record: logging.LogRecord) -> None:
        """Leave ``record`` for the writer, its message and ids taken now, in its thread."""
        try:
            for key, value in current_ids().items():
                if not hasattr(record, key):
                    setattr(record, key, value)
            record.msg, record.args = record.getMessage(), None
            self.writer.put(record)
        except Exception:  # noqa: BLE001 -- logging's own rule: a log call never raises
            self.handleError(record)


_writer = LineWriter()
_handler = _WriterHandler(_writer)
_configure_lock = threading.Lock()
os.register_at_fork(after_in_child=_writer.forget_parent)


def logging_configure(service: str, *, level: int = logging.INFO) -> None:
    """Send every log record of this process, as JSON naming ``service``, to stderr.

    Safe to call again (each app a test creates does): the last service name wins, and
    one writer thread serves them all.
    """
    with _configure_lock:
        _writer.configure(service, queued=os.environ.get(QUEUE_ENV) != "0")
        root = logging.getLogger()
        root.setLevel(level)
        if _handler not in root.handlers:
            root.addHandler(_handler)


def line_log(
    logger: logging.Logger, level: int, message: str, args: tuple[Any, ...], fields: dict[str, Any]
) -> None:
    """Log ``message % args`` with ``fields``, as ``logger.log(level, message, *args,
    extra=fields)`` would, for a fraction of its cost when this module's writer is the
    only handler (else, as a record, to whatever handlers there are: a test's, say)."""
    if not logger.isEnabledFor(level):
        return
    if not _writer_only(logger):
        logger.log(level, message, *args, extra=fields, stacklevel=2)
        return
    level_name = logging.getLevelName(level)
    _writer.put((time.time(), level_name, logger.name, message, args, fields, current_ids()))


def _writer_only(logger: logging.Logger) -> bool:
    """Whether a record of ``logger`` would reach this module's handler and no other."""
    root = logging.root
    node: logging.Logger | None = logger
    while node is not root and node is not None:
        if node.handlers or not node.propagate or node.filters:
            return False
        node = node.parent
    handlers = root.handlers
    return len(handlers) == 1 and handlers[0] is _handler and not root.filters


def logs_flush() -> None:
    """Write every line left so far before returning (tests reading stderr; done at exit)."""
    _writer.flush()
