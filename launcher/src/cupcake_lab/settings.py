"""The launcher's configuration: every environment variable it reads, in one place."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from cupcake_lab.services import SERVICES, ServiceSpec, service_spec


@dataclass(frozen=True)
class LogRotation:
    """How big a service's log file grows before it is rotated, and how many rotated files
    are kept: each service's logs never take more than ``max_bytes * (backups + 1)``."""

    max_bytes: int = 10 * 2**20
    backups: int = 5


@dataclass(frozen=True)
class LabSettings:
    """Where and how the local lab runs."""

    host: str
    state_dir: Path
    ports: Mapping[str, int]
    database_urls: Mapping[str, str]
    workers: int
    threads: Mapping[str, int]
    ready_timeout: float
    extra_env: Mapping[str, str] = field(default_factory=dict)
    log_rotation: LogRotation = LogRotation()

    def base_url(self, name: str) -> str:
        """Return the URL the service called ``name`` answers on."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.ports[name]}"

    @property
    def log_dir(self) -> Path:
        """Folder holding each service's log file."""
        return self.state_dir / "logs"

    @property
    def state_file(self) -> Path:
        """File through which CLI commands find the running lab."""
        return self.state_dir / "lab.json"


def _port(env: Mapping[str, str], spec: ServiceSpec) -> int:
    raw = env.get(f"{spec.name.upper()}_PORT", str(spec.default_port))
    try:
        port = int(raw)
    except ValueError as exc:
        raise SystemExit(f"{spec.name.upper()}_PORT must be a port number, not {raw!r}") from exc
    if not 0 < port < 65536:
        raise SystemExit(f"{spec.name.upper()}_PORT must be between 1 and 65535, not {port}")
    return port


def _database_url(env: Mapping[str, str], spec: ServiceSpec, state_dir: Path) -> str:
    default = f"sqlite:///{state_dir / (spec.name + '.sqlite3')}"
    return env.get(f"{spec.name.upper()}_DATABASE_URL", default)


def default_threads(name: str | None = None) -> int:
    """Threads per worker of service ``name`` (of a catalogue service if None): one per
    request the service lets work or wait at once, and more to refuse the rest at once
    (README, "Reliability under siege")."""
    return service_spec(name or "toppings").threads


def _threads(env: Mapping[str, str]) -> dict[str, int]:
    raw = env.get("CUPCAKE_THREADS", "").strip()
    if not raw:
        return {spec.name: spec.threads for spec in SERVICES}
    if not raw.isdigit() or int(raw) < 1:
        raise SystemExit(f"CUPCAKE_THREADS must be a whole number of at least 1, not {raw!r}")
    return {spec.name: int(raw) for spec in SERVICES}


def _whole_number(env: Mapping[str, str], name: str, default: int, *, minimum: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < minimum:
        raise SystemExit(f"{name} must be a whole number of at least {minimum}, not {raw!r}")
    return int(raw)


def _log_rotation(env: Mapping[str, str]) -> LogRotation:
    default = LogRotation()
    return LogRotation(
        # Below a kilobyte a file would hold a line or two: surely a mistake.
        max_bytes=_whole_number(env, "CUPCAKE_LOG_MAX_BYTES", default.max_bytes, minimum=1024),
        backups=_whole_number(env, "CUPCAKE_LOG_BACKUPS", default.backups, minimum=1),
    )


def load_settings(env: Mapping[str, str] | None = None) -> LabSettings:
    """Read the launcher's settings from ``env`` (the process environment by default)."""
    env = os.environ if env is None else env
    state_dir = Path(env.get("CUPCAKE_STATE_DIR", Path.cwd() / ".lab")).resolve()
    return LabSettings(
        host=env.get("CUPCAKE_HOST", "127.0.0.1"),
        state_dir=state_dir,
        ports={spec.name: _port(env, spec) for spec in SERVICES},
        database_urls={spec.name: _database_url(env, spec, state_dir) for spec in SERVICES},
        workers=int(env.get("CUPCAKE_WORKERS", "1")),
        threads=_threads(env),
        ready_timeout=float(env.get("CUPCAKE_READY_TIMEOUT", "30")),
        log_rotation=_log_rotation(env),
    )


def admin_token(settings: LabSettings, env: Mapping[str, str] | None = None) -> str:
    """The lab's admin token: from the environment, else made once into the state dir."""
    env = os.environ if env is None else env
    if env.get("CUPCAKE_ADMIN_TOKEN"):
        return env["CUPCAKE_ADMIN_TOKEN"]
    token_file = settings.state_dir / "admin-token"
    if token_file.exists():
        return token_file.read_text().strip()
    settings.state_dir.mkdir(parents=True, exist_ok=True)
    token = secrets.token_urlsafe(24)
    # Created private from the start: the token guards every write in the lab.
    fd = os.open(token_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(token + "\n")
    return token
