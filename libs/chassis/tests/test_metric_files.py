"""prometheus-client's per-process files get their blocks on disk before they are written."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from cupcake_chassis.metric_files import INITIAL_SIZE, AllocatedMmapedDict, is_allocated

WORKER = """
from cupcake_chassis.observe import request_done
request_done(method="GET", route="/r", path="/r", status=200, seconds=0.001)
"""


def test_a_new_file_has_every_block_before_it_is_mapped(tmp_path: Path) -> None:
    path = tmp_path / "counter_1.db"

    figures: Any = AllocatedMmapedDict(str(path))  # prometheus-client's methods are untyped
    figures.write_value("requests", 1.0, 0.0)

    assert path.stat().st_size == INITIAL_SIZE
    assert is_allocated(str(path))
    figures.close()


def test_a_file_that_grows_gets_its_new_blocks_first(tmp_path: Path) -> None:
    path = tmp_path / "counter_1.db"
    figures: Any = AllocatedMmapedDict(str(path))  # prometheus-client's methods are untyped

    entries = INITIAL_SIZE // 32  # of 40 bytes and more each: past the first size
    for number in range(entries):
        figures.write_value(f"requests_total{{route=/r/{number:05}}}", 1.0, 0.0)

    assert path.stat().st_size > INITIAL_SIZE
    assert is_allocated(str(path))
    assert (
        dict((key, value) for key, value, _ in figures.read_all_values())[
            f"requests_total{{route=/r/{entries - 1:05}}}"
        ]
        == 1.0
    )
    figures.close()


def test_a_service_with_worker_processes_writes_allocated_files(tmp_path: Path) -> None:
    env = dict(os.environ, PROMETHEUS_MULTIPROC_DIR=str(tmp_path))
    subprocess.run([sys.executable, "-c", WORKER], env=env, check=True, timeout=60)

    files = list(tmp_path.glob("*.db"))
    assert files
    assert all(is_allocated(str(path)) for path in files)
