"""A Locust load shape for the soak: as many people as make ``--target-rps`` requests a
second, found during ``--warm-up`` seconds, then held for the rest of ``--run-time``.

Given beside bench/locustfile.py (``-f bench/locustfile.py,tests/soak/steady_rate.py``): it
starts with ``--users`` people; every few seconds of the warm-up it compares the rate
Locust measures with the target and moves the number of people halfway to where the rate
per person says it should be. After the warm-up the people are held, so that the figures
measured from then on (memory, file descriptors, threads, connections) see one steady load.
"""

from __future__ import annotations

from typing import Any

from locust import LoadTestShape, events

ADJUST_SECONDS = 5.0  # Locust's current rate is measured over the last few seconds


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
        self.adjusted_at = 0.0

    def tick(self) -> tuple[int, float] | None:
        """The people wanted now, and how fast to reach them; None when the run is over."""
        assert self.runner is not None and self.runner.environment.parsed_options is not None
        options = self.runner.environment.parsed_options
        elapsed = self.get_run_time()
        if elapsed > options.run_time:
            return None
        if not self.users:
            self.users = options.num_users
        due = elapsed - self.adjusted_at >= ADJUST_SECONDS
        if elapsed < options.warm_up and due and self.runner.user_count == self.users:
            self.adjusted_at = elapsed
            rate = self.runner.stats.total.current_rps
            if rate > 0:
                wanted = self.users * options.target_rps / rate
                self.users = max(1, round(self.users + (wanted - self.users) / 2))
        return self.users, options.spawn_rate
