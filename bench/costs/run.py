"""``make bench-costs``: the per-request cost tables, measured in-process.

Each service is built as the launcher serves it (its own WSGI factory, the chassis around it,
chaos hooks on as in ``make up``) on databases its own migrations made, and called directly
with a prepared WSGI environ: no server, no HTTP. Beside each read, its framework's minimal
view answering the same bytes; then the chassis, layer by layer, around a trivial app.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from bench.costs.table import ReadCost, cost_markdown
from bench.reads import (
    BASELINES,
    CATALOGUE_READS,
    DOCUMENTS_ENV,
    Captured,
    baseline_check,
    capture,
    documents_write,
)
from bench.same_bytes import NotSameBytes
from cupcake_lab.lab import service_env
from cupcake_lab.output import LinePrinter
from cupcake_lab.ports import free_port
from cupcake_lab.process import ManagedService
from cupcake_lab.services import SERVICES
from cupcake_lab.settings import admin_token, load_settings

ROOT = Path(__file__).resolve().parents[2]


def arguments_add(parser: argparse.ArgumentParser) -> None:
    """The cost table's options."""
    parser.add_argument("--cost-calls", type=int, default=1500, help="requests per batch")
    parser.add_argument("--cost-batches", type=int, default=5, help="batches (median taken)")


def services_prepare(workdir: Path) -> dict[str, dict[str, str]]:
    """Each service's environment as the launcher gives it (chaos on), its migrations run."""
    ports = {f"{spec.name.upper()}_PORT": str(free_port()) for spec in SERVICES}
    settings = load_settings({**os.environ, "CUPCAKE_STATE_DIR": str(workdir), **ports})
    token = admin_token(settings, {})
    envs, services = {}, []
    for spec in SERVICES:
        env = {**service_env(settings, spec, token), "CUPCAKE_CHAOS": "1"}
        envs[spec.name] = env
        services.append(
            ManagedService(
                spec,
                host=settings.host,
                port=settings.ports[spec.name],
                env=env,
                log_file=Path(os.devnull),
                printer=LinePrinter(),
            )
        )
    with ThreadPoolExecutor(max_workers=len(services)) as pool:
        list(pool.map(lambda service: service.migrate(), services))
    return envs


def worker_run(
    kind: str, name: str, *, env: dict[str, str], workdir: Path, args: argparse.Namespace
) -> Any:
    """Run one cost worker (``bench.costs.worker``); what it measured."""
    out, errors = workdir / f"{kind}-{name}.json", workdir / f"{kind}-{name}.log"
    command = [sys.executable, "-m", "bench.costs.worker", kind, name, str(out)]
    command += ["--calls", str(args.cost_calls), "--batches", str(args.cost_batches)]
    print(f"  timing {kind} {name} in-process ...", flush=True)
    with errors.open("wb") as sink:
        done = subprocess.run(
            command,
            env={**env, "PYTHONPATH": str(ROOT)},
            cwd=ROOT,
            stdout=sink,
            stderr=sink,
            check=False,
        )
    if done.returncode != 0:
        tail = errors.read_text(errors="replace")[-3000:]
        raise SystemExit(f"the cost worker {kind} {name} failed:\n{tail}")
    return json.loads(out.read_text())


def reads_costs(workdir: Path, args: argparse.Namespace) -> list[ReadCost]:
    """Every catalogue read in-process, beside its minimal view answering the same bytes."""
    envs = services_prepare(workdir / "state")
    shipped: dict[str, tuple[float, bytes]] = {}
    for service, env in envs.items():
        for row in worker_run("service", service, env=env, workdir=workdir, args=args)["reads"]:
            shipped[f"{service} {row['path']}"] = (row["us"], row["body"].encode("latin-1"))
    minimal: dict[str, float] = {}
    for framework in BASELINES:
        captured: list[Captured] = []
        for read in (r for r in CATALOGUE_READS if r.framework == framework):
            body = shipped[f"{read.service} {read.path}"][1]
            captured.append(capture(read, body, again=body))
        documents = documents_write(captured, workdir / f"documents-{framework}.json")
        env = {**os.environ, DOCUMENTS_ENV: str(documents)}
        rows = worker_run("baseline", framework, env=env, workdir=workdir, args=args)["reads"]
        for each, row in zip(captured, rows, strict=True):
            baseline_check(each, row["body"].encode("latin-1"))
            minimal[f"{each.read.service} {each.read.path}"] = row["us"]
    return [
        ReadCost(read.name, shipped[key][0], minimal[key])
        for read in CATALOGUE_READS
        for key in [f"{read.service} {read.path}"]
    ]


def cost_tables(args: argparse.Namespace) -> str:
    """Measure and return both cost tables as Markdown."""
    print("measuring per-request costs in-process ...", flush=True)
    with tempfile.TemporaryDirectory(prefix="cupcake-costs-") as name:
        workdir = Path(name)
        reads = reads_costs(workdir, args)
        env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(workdir / "metrics-chassis")}
        chassis = worker_run("chassis", "chassis", env=env, workdir=workdir, args=args)
    how = (
        f"In-process, no HTTP: CPU time of the process (`time.process_time_ns`, every thread) "
        f"per request, the median of {args.cost_batches} batches of {args.cost_calls} calls, "
        "each app built as the launcher serves it (chaos hooks on, as in `make up`)."
    )
    return cost_markdown(reads, chassis, how=how)


def main() -> None:
    """``make bench-costs``: print the cost tables."""
    parser = argparse.ArgumentParser(prog="make bench-costs", description=__doc__)
    arguments_add(parser)
    try:
        print(cost_tables(parser.parse_args()))
    except NotSameBytes as exc:
        raise SystemExit(f"make bench-costs: {exc}") from exc


if __name__ == "__main__":
    main()
