"""Chaos from inside: ``/_chaos`` makes a service slow, flaky or down, for demos and tests.

Off unless the lab is started with chaos enabled. The settings live in a small JSON
file, so every worker process of the service sees the same chaos.
"""

from __future__ import annotations

import hmac
import json
import os
import random
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from cupcake_chassis.changes import FileSignal
from cupcake_chassis.clock import SYSTEM_CLOCK, Clock
from cupcake_chassis.deadline import WsgiApp
from cupcake_chassis.problems import StartResponse, problem_response

CHAOS_PATH = "/_chaos"
MAX_BODY = 4096
MAX_LATENCY_MS = 30_000


@dataclass(frozen=True)
class ChaosSettings:
    """The faults to inject: added latency, a share of failing requests, or all down."""

    latency_ms: int = 0
    error_rate: float = 0.0
    down: bool = False

    @classmethod
    def from_json(cls, raw: Any) -> ChaosSettings:
        """Validate a client's JSON; ValueError says what is wrong."""
        if not isinstance(raw, dict):
            raise ValueError("expected a JSON object")
        unknown = set(raw) - {"latency_ms", "error_rate", "down"}
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
        return cls(latency_ms=latency, error_rate=float(rate), down=down)


class ChaosFile:
    """The chaos settings of one service, in a file, re-read only when they change.

    Whether they changed is told by a change signal (``cupcake_chassis.changes``: a token
    file that every process maps into memory), so a request pays a memory read, not a
    system call, which would let the process's other threads take the GIL.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._changes = FileSignal(path.with_name(f"{path.name}-changes"))
        self._seen: tuple[bytes, ChaosSettings] | None = None

    def read(self) -> ChaosSettings:
        """The current settings (none when the file is missing or unreadable)."""
        try:
            token = self._changes.token()
        except OSError:
            return ChaosSettings()  # no state folder: no chaos was ever set
        seen = self._seen
        if seen is not None and seen[0] == token:
            return seen[1]
        try:
            settings = ChaosSettings.from_json(json.loads(self.path.read_text()))
        except (OSError, ValueError):
            settings = ChaosSettings()
        self._seen = (token, settings)
        return settings

    def write(self, settings: ChaosSettings) -> None:
        """Replace the settings atomically, then tell every process."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(asdict(settings)))
        tmp.replace(self.path)
        self._changes.changed()


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
            self.chaos_file.write(ChaosSettings())
            return _json(start_response, ChaosSettings())
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
        self.chaos_file.write(settings)
        return _json(start_response, settings)


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


def chaos_file_for(service: str, state_dir: Path) -> ChaosFile:
    """Where the chaos settings of ``service`` live in the lab's state folder."""
    return ChaosFile(state_dir / f"chaos-{service}.json")


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
    ``clock`` is what the added latency sleeps on.
    """
    if not enabled:
        return app
    chaos_file = chaos_file_for(service, state_dir)
    return ChaosMiddleware(
        app,
        chaos_file=chaos_file,
        token=token,
        exempt=exempt,
        exempt_exact=exempt_exact,
        clock=clock,
    )
