"""Running wrk and reading what it prints."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass

_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3}
_LATENCY = re.compile(r"^\s*(50|99)(?:\.0+)?%\s+([\d.]+)(us|ms|s)\s*$", re.MULTILINE)
# "Latency   12.3ms    4.5ms  87.6ms   90.1%": average, deviation, maximum.
_LATENCY_MAX = re.compile(r"^\s*Latency\s+\S+\s+\S+\s+([\d.]+)(us|ms|s)\s", re.MULTILINE)


@dataclass(frozen=True)
class Load:
    """What one wrk run measured."""

    url: str
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    max_ms: float
    errors: int

    @property
    def clean(self) -> bool:
        """No socket errors and no non-2xx/3xx answers."""
        return self.errors == 0


def wrk_path() -> str:
    """wrk's path, or SystemExit saying how to install it."""
    found = shutil.which("wrk")
    if found is None:
        raise SystemExit(
            "make bench needs wrk: `apt-get install wrk` (Debian/Ubuntu) or `brew install wrk`"
        )
    return found


def parse(url: str, output: str) -> Load:
    """Read requests per second, p50, p99, the slowest answer and errors from wrk's
    --latency output."""
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    if rate is None:
        raise RuntimeError(f"wrk printed no rate for {url}:\n{output}")
    latency = {pct: float(value) * _UNITS[unit] for pct, value, unit in _LATENCY.findall(output)}
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output))
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    errors += int(non_2xx.group(1)) if non_2xx else 0
    slowest = _LATENCY_MAX.search(output)
    if slowest is None:
        raise RuntimeError(f"wrk printed no latency for {url}:\n{output}")
    max_ms = float(slowest.group(1)) * _UNITS[slowest.group(2)]
    return Load(url, float(rate.group(1)), latency["50"], latency["99"], max_ms, errors)


def run(url: str, *, seconds: float, connections: int, threads: int = 2) -> Load:
    """Drive ``url`` with wrk for ``seconds``; what it measured."""
    command = [
        wrk_path(),
        "--latency",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{max(1, round(seconds))}s",
        "--timeout",
        "5s",
        url,
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 30, check=True)
    return parse(url, done.stdout)
