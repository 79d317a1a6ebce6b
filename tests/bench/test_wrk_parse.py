"""The benchmark reads wrk's report: rate, percentiles, the slowest answer and errors."""

import pytest

from bench import wrk

REPORT = """Running 5s test @ http://127.0.0.1:8000/api/v1/cupcake
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    31.52ms   18.20ms 412.07ms   91.02%
    Req/Sec   254.13     40.11   330.00     70.00%
  Latency Distribution
     50%   28.10ms
     75%   35.00ms
     90%   44.91ms
     99%  120.33ms
  2541 requests in 5.01s, 9.80MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 4
Requests/sec:    507.19
Transfer/sec:      1.96MB
"""


def test_the_report_is_read_in_milliseconds() -> None:
    load = wrk.parse("http://x", REPORT)
    assert load.requests_per_second == pytest.approx(507.19)
    assert load.p50_ms == pytest.approx(28.10)
    assert load.p99_ms == pytest.approx(120.33)
    assert load.max_ms == pytest.approx(412.07)


def test_socket_errors_and_failed_answers_count_as_errors() -> None:
    load = wrk.parse("http://x", REPORT)
    assert load.errors == 7
    assert not load.clean


def test_seconds_and_microseconds_are_converted() -> None:
    report = REPORT.replace("412.07ms", "1.20s").replace("28.10ms", "900.00us")
    load = wrk.parse("http://x", report)
    assert load.max_ms == pytest.approx(1200.0)
    assert load.p50_ms == pytest.approx(0.9)


def test_a_report_without_a_rate_is_an_error() -> None:
    with pytest.raises(RuntimeError, match="no rate"):
        wrk.parse("http://x", "unable to connect to 127.0.0.1:1 Connection refused")
