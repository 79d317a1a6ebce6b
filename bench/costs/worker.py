"""One process of the cost table: a service, a minimal view or the chassis, timed in-process.

``python -m bench.costs.worker {service NAME | baseline FRAMEWORK | chassis} OUT`` writes what
it measured to OUT as JSON. Each runs alone in its process: Django is configured once per
process, and the services' log lines (to stderr) must not mix with what is measured.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bench.costs.layers import PER_REQUEST, WRAPPERS, trivial
from bench.costs.timing import WsgiApp, environ_for, per_call_us, wsgi_get
from bench.minimal.documents import served_documents
from bench.reads import BASELINES, CATALOGUE_READS


def app_load(target: str, *, factory: bool) -> WsgiApp:
    """The WSGI app at ``module:attribute``, as granian loads it."""
    module, _, attribute = target.partition(":")
    found = getattr(importlib.import_module(module), attribute)
    app: WsgiApp = found() if factory else found
    return app


def request_time(app: WsgiApp, environ: dict[str, Any], *, calls: int, batches: int) -> float:
    """Microseconds per request of ``app`` for ``environ``, after a tenth as many to warm up."""
    per_call_us(lambda: wsgi_get(app, environ), calls=max(1, calls // 10), batches=1)
    return per_call_us(lambda: wsgi_get(app, environ), calls=calls, batches=batches)


def reads_time(
    app: WsgiApp, paths: list[str], *, host: str, calls: int, batches: int
) -> list[dict[str, Any]]:
    """Each path's body (which must be a 200) and microseconds per request."""
    timed = []
    for path in paths:
        environ = environ_for(path, host=host)
        status, body = wsgi_get(app, environ)
        if not status.startswith("200"):
            raise SystemExit(f"GET {path} answered {status} in-process: {body[:200]!r}")
        us = request_time(app, environ, calls=calls, batches=batches)
        timed.append({"path": path, "us": us, "body": body.decode("latin-1")})
    return timed


def service_measure(name: str, *, calls: int, batches: int) -> dict[str, Any]:
    """The catalogue reads of service ``name``, built as the launcher serves it."""
    from cupcake_lab.services import service_spec

    spec = service_spec(name)
    app = app_load(spec.wsgi_target, factory=spec.factory)
    host = urlsplit(os.environ["PUBLIC_URL"]).netloc
    paths = [read.path for read in CATALOGUE_READS if read.service == name]
    return {"reads": reads_time(app, paths, host=host, calls=calls, batches=batches)}


def baseline_measure(framework: str, *, calls: int, batches: int) -> dict[str, Any]:
    """The minimal view of ``framework`` answering the documents it was given."""
    app = app_load(BASELINES[framework], factory=True)
    paths = [served.path for served in served_documents()]
    return {"reads": reads_time(app, paths, host="127.0.0.1", calls=calls, batches=batches)}


def chassis_measure(*, calls: int, batches: int) -> dict[str, Any]:
    """The bare trivial app, each chassis wrapper around it, and each per-request call."""
    from cupcake_chassis.logs import logging_configure

    logging_configure("bench")
    environ = environ_for("/api/v1/toppings", host="127.0.0.1")

    def timed(app: WsgiApp, extra: dict[str, str]) -> float:
        return request_time(app, {**environ, **extra}, calls=calls, batches=batches)

    with tempfile.TemporaryDirectory(prefix="cupcake-costs-") as scratch:
        bare = timed(trivial, {})
        wrappers = [
            {"name": w.name, "us": timed(w.wrap(trivial, Path(scratch)), w.environ) - bare}
            for w in WRAPPERS
        ]
    per_request = []
    for each in PER_REQUEST:
        with each.setting():
            each.call()
            us = per_call_us(each.call, calls=calls, batches=batches)
        per_request.append({"name": each.name, "us": us})
    return {"bare_us": bare, "wrappers": wrappers, "per_request": per_request}


def main() -> None:
    """Measure what the command line names; write it to OUT."""
    parser = argparse.ArgumentParser(prog="python -m bench.costs.worker")
    parser.add_argument("kind", choices=("service", "baseline", "chassis"))
    parser.add_argument("name", help="the service or framework (ignored for chassis)")
    parser.add_argument("out", type=Path)
    parser.add_argument("--calls", type=int, required=True)
    parser.add_argument("--batches", type=int, required=True)
    args = parser.parse_args()
    sizes = {"calls": args.calls, "batches": args.batches}
    if args.kind == "service":
        result = service_measure(args.name, **sizes)
    elif args.kind == "baseline":
        result = baseline_measure(args.name, **sizes)
    else:
        result = chassis_measure(**sizes)
    args.out.write_text(json.dumps(result))


if __name__ == "__main__":
    main()
