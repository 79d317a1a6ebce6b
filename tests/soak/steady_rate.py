"""A Locust load shape for the soak: as many people as make ``--target-rps`` requests a
second, found during ``--warm-up`` seconds, then held for the rest of ``--run-time``.

Given beside bench/locustfile.py (``-f bench/locustfile.py,tests/soak/steady_rate.py``): it
starts with ``--users`` people; every few seconds of the warm-up it measures the rate they
make (once the newcomers have opened the page) and sets as many people as make the target
at that rate per person. After the warm-up the people are held, so that the figures
measured from then on (memory, file descriptors, threads, connections) see one steady load.
"""

from __future__ import annotations

from typing import Any

from locust import LoadTestShape, events

# After the people change, the newcomers open the page (a burst of requests, not the steady
# rate): the rate is measured from SETTLE_SECONDS later, over MEASURE_SECONDS.
SETTLE_SECONDS = 2.0
MEASURE_SECONDS = 4.0


@events.init_command_line_parser.add_listener
def steady_rate_options(parser: Any) -> None:
    """``--target-rps`` and ``--warm-up`` for the shape below."""
    parser.add_argument("--target-rps", type=float, default=0.0, help="requests a second")
    parser.add_argument(
        "--warm-up", type=float, default=20.0, help="seconds to find the people for it"
    )


class SteadyRate(LoadTestShape):
    """People found for a target rate during the warm-up, then held."""

    use_common_options = True

    def __init__(self) -> None:
        super().__init__()
        self.users = 0
        # Since when the rate is measured (run time, requests then); None: not begun.
        self.window: tuple[float, int] | None = None
        self.settled_at = 0.0

    def tick(self) -> tuple[int, float] | None:
        """The people wanted now, and how fast to reach them; None when the run is over."""
        assert self.runner is not None and self.runner.environment.parsed_options is not None
        options = self.runner.environment.parsed_options
        elapsed = self.get_run_time()
        if elapsed > options.run_time:
            return None
        if not self.users:
            self.users = options.num_users
        if elapsed < options.warm_up:
            self.adjust(elapsed, options.target_rps)
        return self.users, options.spawn_rate

    def adjust(self, elapsed: float, target: float) -> None:
        """Measure the rate once the people have settled, then set as many people as make
        ``target`` at the rate each made (at most twice, at least half as many as now)."""
        assert self.runner is not None
        if self.runner.user_count != self.users:  # still arriving or leaving
            self.window, self.settled_at = None, elapsed + SETTLE_SECONDS
            return
        requests = self.runner.stats.total.num_requests
        if elapsed < self.settled_at:
            return
        if self.window is None:
            self.window = (elapsed, requests)
            return
        since, before = self.window
        if elapsed - since < MEASURE_SECONDS or requests == before:
            return
        rate = (requests - before) / (elapsed - since)
        wanted = round(self.users * target / rate)
        self.users = max(1, self.users // 2, min(wanted, self.users * 2))
        self.window, self.settled_at = None, elapsed + SETTLE_SECONDS
