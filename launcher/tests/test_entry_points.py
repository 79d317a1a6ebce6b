"""Each service's granian target, loaded as granian loads it, in the environment the
launcher gives it: the application it serves has set its start-up objects aside from the
cycle collector, so a full collection walks only what requests leave behind."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from cupcake_lab.lab import service_env
from cupcake_lab.services import SERVICES, ServiceSpec
from cupcake_lab.settings import load_settings

# What granian does with ``module:attribute`` (and ``--factory``), then what the collector
# would walk in a full collection and what it was told to leave alone.
LOAD_AS_GRANIAN = """
import gc, importlib, json, sys
module, _, attribute = sys.argv[1].partition(":")
app = getattr(importlib.import_module(module), attribute)
if sys.argv[2] == "factory":
    app = app()
assert callable(app)
print(json.dumps({"frozen": gc.get_freeze_count(), "tracked": len(gc.get_objects())}))
"""
# Start-up builds tens of thousands of objects in every service (bodies about 95,000); what
# is still tracked once the app is served is what the loading script itself made.
FROZEN_AT_LEAST = 20_000
TRACKED_AT_MOST = 2_000


@pytest.mark.parametrize("spec", SERVICES, ids=lambda spec: spec.name)
def test_the_served_app_leaves_its_start_up_objects_out_of_collections(
    spec: ServiceSpec, tmp_path: Path
) -> None:
    settings = load_settings({"CUPCAKE_STATE_DIR": str(tmp_path)})
    env = service_env(settings, spec, token="entry-point-test")
    loaded = subprocess.run(
        [sys.executable, "-c", LOAD_AS_GRANIAN, spec.wsgi_target,
         "factory" if spec.factory else "object"],
        env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert loaded.returncode == 0, loaded.stderr
    heap = json.loads(loaded.stdout.splitlines()[-1])
    assert heap["frozen"] >= FROZEN_AT_LEAST, heap
    assert heap["tracked"] <= TRACKED_AT_MOST, heap
