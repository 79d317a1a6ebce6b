"""How CLI commands reach a running lab: a loopback control endpoint and a state file."""

from __future__ import annotations

import hmac
import json
import os
import secrets
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from cupcake_lab.lab import ACTIONS, Lab, PortTaken
from cupcake_lab.process import ServiceFailed
from cupcake_lab.readiness import HttpError, http_call

TOKEN_HEADER = "X-Lab-Control-Token"
ACTION_TIMEOUT = 120.0


class LabNotRunning(Exception):
    """No running lab was found through the state file."""


def _handler_for(lab: Lab, token: str) -> type[BaseHTTPRequestHandler]:
    class ControlHandler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib name
            """Keep the control channel out of the lab's log."""

        def _reply(self, status: HTTPStatus, payload: dict[str, Any]) -> None:
            body = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _authorised(self) -> bool:
            given = self.headers.get(TOKEN_HEADER, "")
            return hmac.compare_digest(given.encode(), token.encode())

        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            if not self._authorised():
                return self._reply(HTTPStatus.UNAUTHORIZED, {"error": "bad control token"})
            self._reply(HTTPStatus.OK, {"services": lab.snapshot()})

        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            if not self._authorised():
                return self._reply(HTTPStatus.UNAUTHORIZED, {"error": "bad control token"})
            parts = self.path.strip("/").split("/")
            if len(parts) != 3 or parts[0] != "services" or parts[1] not in lab.services:
                return self._reply(HTTPStatus.NOT_FOUND, {"error": f"no such path {self.path}"})
            if parts[2] not in ACTIONS:
                return self._reply(HTTPStatus.NOT_FOUND, {"error": f"no action {parts[2]}"})
            name, action = parts[1], parts[2]
            lab.printer.lab_line(f"{action} {name}", "blue")
            try:
                state = lab.request(name, action).result(timeout=ACTION_TIMEOUT)
            except (ServiceFailed, PortTaken) as exc:
                tail = exc.tail if isinstance(exc, ServiceFailed) else []
                return self._reply(HTTPStatus.CONFLICT, {"error": str(exc), "tail": tail})
            except TimeoutError:
                error = f"{action} {name} took longer than {ACTION_TIMEOUT:.0f} s"
                return self._reply(HTTPStatus.GATEWAY_TIMEOUT, {"error": error})
            self._reply(HTTPStatus.OK, {"service": name, "state": state})

    return ControlHandler


class ControlServer:
    """Serves the control endpoint for ``lab`` and records where it is in the state file."""

    def __init__(self, lab: Lab) -> None:
        self.lab = lab
        self.token = secrets.token_urlsafe(24)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(lab, self.token))
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        """Where the control endpoint listens."""
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> None:
        """Serve in the background and write the state file."""
        self._thread.start()
        write_state(
            self.lab.settings.state_file,
            {"pid": os.getpid(), "control_url": self.url, "control_token": self.token},
        )

    def close(self) -> None:
        """Stop serving and remove the state file."""
        self._server.shutdown()
        self._server.server_close()
        self.lab.settings.state_file.unlink(missing_ok=True)


def write_state(path: Path, state: dict[str, Any]) -> None:
    """Write the state file, readable by its owner only (it holds the control token)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump(state, handle)
    tmp.replace(path)


def read_state(path: Path) -> dict[str, Any]:
    """Read the state file of a running lab, or raise LabNotRunning."""
    try:
        state: dict[str, Any] = json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        raise LabNotRunning(f"no running lab found ({path} is missing or unreadable)") from exc
    return state


class ControlClient:
    """Talks to the control endpoint of the running lab found in ``state_file``."""

    def __init__(self, state_file: Path, *, timeout: float = 60.0) -> None:
        state = read_state(state_file)
        self._url = state["control_url"]
        self._headers = {TOKEN_HEADER: state["control_token"]}
        self._timeout = timeout

    def _call(self, method: str, path: str) -> dict[str, Any]:
        try:
            answer = http_call(
                f"{self._url}{path}", method=method, headers=self._headers, timeout=self._timeout
            )
        except HttpError as exc:
            raise LabNotRunning(f"the lab at {self._url} does not answer ({exc})") from exc
        payload: dict[str, Any] = json.loads(answer.body)
        if answer.status != 200:
            payload.setdefault("error", f"control endpoint answered {answer.status}")
        return payload

    def services(self) -> dict[str, Any]:
        """The launcher's view of each service."""
        services: dict[str, Any] = self._call("GET", "/services").get("services", {})
        return services

    def act(self, name: str, action: str) -> dict[str, Any]:
        """Ask the lab to apply ``action`` to ``name``; the answer has ``state`` or ``error``."""
        return self._call("POST", f"/services/{name}/{action}")
