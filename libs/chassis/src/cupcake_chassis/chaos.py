"""Chaos from inside: ``/_chaos`` makes a service slow, flaky or down, for demos and tests.

Off unless the lab is started with chaos enabled. The settings live in a small JSON
file, so every worker process of the service sees the same chaos.

Chaos may be given an expiry (``expires_in_s``): it is kept as a wall-clock end in the file,
so that every worker, and a worker started after the chaos was set, ends it at the same
moment, and each answer says how much of it is left. A guided tour on the page sets its
faults this way, so that they end by themselves even when the page is closed mid-tour.
"""

from __future__ import annotations

import hmac
import json
import math
import os
import random
from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from cupcake_chassis.changes import FileSignal
from cupcake_chassis.clock import SYSTEM_CLOCK, Clock
from cupcake_chassis.deadline import WsgiApp
from cupcake_chassis.problems import StartResponse, problem_response

CHAOS_PATH = "/_chaos"
MAX_BODY = 4096
MAX_LATENCY_MS = 30_000
MAX_EXPIRES_IN_S = 3600
FIELDS = ("latency_ms", "error_rate", "down", "expires_in_s")


@dataclass(frozen=True)
class ChaosSettings:
    """The faults to inject: added latency, a share of failing requests, or all down; and
    in how many seconds they end by themselves (None: not until changed)."""

    latency_ms: int = 0
    error_rate: float = 0.0
    down: bool = False
    expires_in_s: float | None = None

    @property
    def faulty(self) -> bool:
        """Whether any fault is injected at all."""
        return self.down or bool(self.latency_ms) or bool(self.error_rate)

    @classmethod
    def from_json(cls, raw: Any) -> ChaosSettings:
        """Validate a client's JSON; ValueError says what is wrong."""
        if not isinstance(raw, dict):
            raise ValueError("expected a JSON object")
        unknown = set(raw) - set(FIELDS)
        if unknown:
            raise ValueError(f"unknown fields: {', '.join(sorted(unknown))}")
        latency = raw.get("latency_ms", 0)
        rate = raw.get("error_rate", 0.0)
        down = raw.get("down", False)
        if isinstance(latency, bool) or not isinstance(latency, int):
            raise ValueError("latency_ms must be a whole number of milliseconds")
        if not 0 <= latency <= MAX_LATENCY_MS:
            raise ValueError(f"latency_ms must be between 0 and {MAX_LATENCY_MS}")
        if isinstance(rate, bool) or not isinstance(rate, int | float) or not 0 <= rate <= 1:
            raise ValueError("error_rate must be a number between 0 and 1")
        if not isinstance(down, bool):
            raise ValueError("down must be true or false")
        expires = expires_in_s_check(raw.get("expires_in_s"))
        return cls(latency_ms=latency, error_rate=float(rate), down=down, expires_in_s=expires)


def expires_in_s_check(raw: Any) -> float | None:
    """``expires_in_s`` as given: null, or seconds above 0 and at most an hour."""
    if raw is None:
        return None
    if isinstance(raw, bool) or not isinstance(raw, int | float) or not math.isfinite(raw):
        raise ValueError("expires_in_s must be a number of seconds or null")
    if not 0 < raw <= MAX_EXPIRES_IN_S:
        raise ValueError(f"expires_in_s must be above 0 and at most {MAX_EXPIRES_IN_S}")
    return float(raw)


CALM = ChaosSettings()


@dataclass(frozen=True)
class ChaosRecord:
    """What the chaos file holds: the faults, and when (wall clock) they end, if ever."""

    faults: ChaosSettings
    ends_at: float | None

    def at(self, now: float) -> ChaosSettings:
        """The faults in force at ``now``, saying how long they have left (rounded up to a
        tenth of a second, so that faults still on never say 0)."""
        if self.ends_at is None:
            return self.faults
        left = self.ends_at - now
        if left <= 0:
            return CALM
        return replace(self.faults, expires_in_s=math.ceil(left * 10) / 10)


class ChaosFile:
    """The chaos settings of one service, in a file, re-read only when they change.

    Whether they changed is told by a change signal (``cupcake_chassis.changes``: a token
    file that every process maps into memory), so a request pays a memory read, not a
    system call, which would let the process's other threads take the GIL.
    """

    def __init__(self, path: Path, *, clock: Clock = SYSTEM_CLOCK) -> None:
        self.path = path
        self.clock = clock
        self._changes = FileSignal(path.with_name(f"{path.name}-changes"))
        self._seen: tuple[bytes, ChaosRecord] | None = None

    def read(self) -> ChaosSettings:
        """The settings in force now (none when the file is missing, unreadable or its
        faults have expired), with the seconds they have left."""
        record = self._record()
        if record.ends_at is None:
            return record.faults  # no clock read on the way of a request without expiry
        return record.at(self.clock.time())

    def _record(self) -> ChaosRecord:
        try:
            token = self._changes.token()
        except OSError:
            return ChaosRecord(CALM, None)  # no state folder: no chaos was ever set
        seen = self._seen
        if seen is not None and seen[0] == token:
            return seen[1]
        try:
            record = record_from_json(json.loads(self.path.read_text()))
        except (OSError, ValueError):
            record = ChaosRecord(CALM, None)
        self._seen = (token, record)
        return record

    def write(self, settings: ChaosSettings) -> ChaosSettings:
        """Replace the settings atomically, then tell every process; the settings in force."""
        expires = settings.expires_in_s if settings.faulty else None
        ends_at = None if expires is None else self.clock.time() + expires
        faults = replace(settings, expires_in_s=None)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps({**asdict(faults), "ends_at": ends_at}))
        tmp.replace(self.path)
        self._changes.changed()
        return ChaosRecord(faults, ends_at).at(self.clock.time())


def record_from_json(raw: Any) -> ChaosRecord:
    """The chaos file's content; ValueError if it is not one."""
    if not isinstance(raw, dict):
        raise ValueError("expected a JSON object")
    ends_at = raw.pop("ends_at", None)
    if ends_at is not None and (isinstance(ends_at, bool) or not isinstance(ends_at, int | float)):
        raise ValueError("ends_at must be a number")
    return ChaosRecord(ChaosSettings.from_json(raw), ends_at)


class ChaosMiddleware:
    """Serves ``/_chaos`` (bearer token) and applies its faults to every other request."""

    def __init__(
        self,
        app: WsgiApp,
        *,
        chaos_file: ChaosFile,
        token: str | None,
        exempt: tuple[str, ...] = (),
        exempt_exact: tuple[str, ...] = (),
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        self.app = app
        self.chaos_file = chaos_file
        self.token = token
        self.exempt = exempt
        self.exempt_exact = frozenset(exempt_exact)
        self.clock = clock

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        """Control chaos, or pass the request on through the faults it asks for."""
        path = environ.get("PATH_INFO", "")
        if path == CHAOS_PATH:
            return self._control(environ, start_response)
        if path in self.exempt_exact or path.startswith(self.exempt):
            return self.app(environ, start_response)
        settings = self.chaos_file.read()
        if settings.down:
            return problem_response(
                start_response, 503, "down (chaos)", kind="chaos", headers=[("Retry-After", "1")]
            )
        if settings.latency_ms:
            self.clock.sleep(settings.latency_ms / 1000)
        if settings.error_rate and random.random() < settings.error_rate:
            return problem_response(start_response, 500, "injected error (chaos)", kind="chaos")
        return self.app(environ, start_response)

    def _control(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        if not self.token:
            return problem_response(start_response, 403, "chaos needs an admin token configured")
        given = environ.get("HTTP_AUTHORIZATION", "")
        if not hmac.compare_digest(given.encode(), f"Bearer {self.token}".encode()):
            return problem_response(
                start_response, 401, "missing or wrong bearer token",
                headers=[("WWW-Authenticate", 'Bearer realm="chaos"')],
            )  # fmt: skip
        method = environ.get("REQUEST_METHOD", "GET")
        if method == "GET":
            return _json(start_response, self.chaos_file.read())
        if method == "DELETE":
            return _json(start_response, self.chaos_file.write(CALM))
        if method != "PUT":
            return problem_response(
                start_response, 405, f"{method} is not allowed here",
                headers=[("Allow", "GET, PUT, DELETE")],
            )  # fmt: skip
        return self._put(environ, start_response)

    def _put(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        if "json" not in environ.get("CONTENT_TYPE", ""):
            return problem_response(start_response, 415, "send the settings as application/json")
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = -1
        if not 0 < length <= MAX_BODY:
            return problem_response(start_response, 413 if length > MAX_BODY else 400,
                                    f"send a JSON body of 1 to {MAX_BODY} bytes")  # fmt: skip
        try:
            raw = json.loads(environ["wsgi.input"].read(length))
        except ValueError:
            return problem_response(start_response, 400, "the body is not valid JSON")
        try:
            settings = ChaosSettings.from_json(raw)
        except ValueError as exc:
            return problem_response(start_response, 422, str(exc), kind="invalid-input")
        return _json(start_response, self.chaos_file.write(settings))


def _json(start_response: StartResponse, settings: ChaosSettings) -> list[bytes]:
    body = json.dumps(asdict(settings)).encode()
    start_response(
        "200 OK",
        [
            ("Content-Type", "application/json"),
            ("Content-Length", str(len(body))),
            ("Cache-Control", "no-store"),
        ],
    )
    return [body]


def chaos_file_for(service: str, state_dir: Path, *, clock: Clock = SYSTEM_CLOCK) -> ChaosFile:
    """Where the chaos settings of ``service`` live in the lab's state folder; ``clock``
    tells when their expiry comes."""
    return ChaosFile(state_dir / f"chaos-{service}.json", clock=clock)


def chaos_wrap(
    app: WsgiApp,
    *,
    service: str,
    state_dir: Path,
    enabled: bool,
    token: str | None,
    exempt: tuple[str, ...] = (),
    exempt_exact: tuple[str, ...] = (),
    clock: Clock = SYSTEM_CLOCK,
) -> WsgiApp:
    """``app`` with chaos when ``enabled`` (the local lab), else ``app`` untouched.

    Paths starting with one of ``exempt``, or equal to one of ``exempt_exact``, are never
    faulted (e.g. the page's own chaos controls, which must keep working while the service
    plays dead; ``"/"`` can only be exempted exactly, as every path starts with it).
    ``clock`` is what the added latency sleeps on and what tells when chaos expires.
    """
    if not enabled:
        return app
    chaos_file = chaos_file_for(service, state_dir, clock=clock)
    return ChaosMiddleware(
        app,
        chaos_file=chaos_file,
        token=token,
        exempt=exempt,
        exempt_exact=exempt_exact,
        clock=clock,
    )
