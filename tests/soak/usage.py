"""What each process of a running lab holds, sampled over time: resident memory, open file
descriptors and threads, summed over a service's server and its granian workers."""

from __future__ import annotations

import json
import statistics
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil


@dataclass(frozen=True)
class Usage:
    """One look at one service (or at the launcher)."""

    rss_bytes: int
    fds: int
    threads: int
    pids: frozenset[int]


@dataclass(frozen=True)
class Sample:
    """One look at every watched process, ``seconds`` after sampling began."""

    seconds: float
    usage: dict[str, Usage]


def usage_of(root: int, *, with_children: bool) -> Usage:
    """The usage of process ``root``, with its children (a server and its workers) if asked."""
    process = psutil.Process(root)
    processes = [process, *(process.children(recursive=True) if with_children else [])]
    return Usage(
        rss_bytes=sum(p.memory_info().rss for p in processes),
        fds=sum(p.num_fds() for p in processes),
        threads=sum(p.num_threads() for p in processes),
        pids=frozenset(p.pid for p in processes),
    )


@dataclass
class Sampler:
    """Samples each service (its server and workers) and the launcher (alone) every
    ``interval`` seconds in a thread of its own, from ``start`` until ``stop``."""

    services: dict[str, int]  # name: the server's process id
    launcher: int
    interval: float
    samples: list[Sample] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def look(self) -> dict[str, Usage]:
        """Each watched process's usage, now."""
        usage = {name: usage_of(pid, with_children=True) for name, pid in self.services.items()}
        usage["launcher"] = usage_of(self.launcher, with_children=False)
        return usage

    def start(self) -> None:
        """Begin sampling."""
        started = time.monotonic()

        def run() -> None:
            while not self._stop.is_set():
                usage = self.look()
                self.samples.append(Sample(time.monotonic() - started, usage))
                self._stop.wait(self.interval)

        self._thread = threading.Thread(target=run, name="usage-sampler", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """End sampling (after the sample in progress)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)

    def after(self, seconds: float) -> list[Sample]:
        """The samples taken ``seconds`` or more after sampling began."""
        return [sample for sample in self.samples if sample.seconds >= seconds]


def median_of(samples: list[Sample], name: str, figure: str) -> float:
    """The median of one figure (``rss_bytes``, ``fds``, ``threads``) of ``name``."""
    return float(statistics.median(getattr(sample.usage[name], figure) for sample in samples))


def samples_write(samples: list[Sample], path: Path) -> None:
    """Keep every sample as JSON in ``path``: each process's figures second by second, to
    see a trend that the first and last thirds alone do not show."""
    path.parent.mkdir(exist_ok=True)
    rows = [
        {
            "seconds": round(sample.seconds, 1),
            **{
                name: {
                    "rss_mb": round(usage.rss_bytes / 2**20, 1),
                    "fds": usage.fds,
                    "threads": usage.threads,
                }
                for name, usage in sample.usage.items()
            },
        }
        for sample in samples
    ]
    path.write_text(json.dumps(rows, indent=1) + "\n")
