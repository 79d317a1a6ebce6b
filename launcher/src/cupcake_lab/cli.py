"""The ``cupcake-lab`` command: up, status, and stop|start|restart|kill|pause|resume SERVICE."""

from __future__ import annotations

import argparse
import json
import signal
import sys
import time
from dataclasses import replace
from types import FrameType

from rich.console import Console
from rich.table import Table

from cupcake_lab.control import ControlClient, ControlServer, LabNotRunning
from cupcake_lab.lab import ACTIONS, Lab, PortTaken
from cupcake_lab.output import LinePrinter
from cupcake_lab.process import ServiceFailed
from cupcake_lab.readiness import probe
from cupcake_lab.services import SERVICE_NAMES, SERVICES
from cupcake_lab.settings import LabSettings, load_settings


class _StopRequested(Exception):
    """SIGTERM or SIGINT arrived: stop the lab cleanly."""


def _raise_stop(signum: int, frame: FrameType | None) -> None:
    raise _StopRequested(signal.Signals(signum).name)


def _running_lab_pid(settings: LabSettings) -> int | None:
    try:
        ControlClient(settings.state_file, timeout=2).services()
    except (LabNotRunning, KeyError, ValueError):
        return None
    return int(json.loads(settings.state_file.read_text())["pid"])


def _print_failure(printer: LinePrinter, exc: ServiceFailed) -> None:
    printer.lab_line(f"{exc.name} failed to start: {exc.reason}", "red")
    if exc.tail:
        printer.lab_line(f"last log lines of {exc.name}:", "red")
        for line in exc.tail:
            printer.service_line(exc.name, "red", line)


def _print_welcome(printer: LinePrinter, settings: LabSettings, seconds: float) -> None:
    printer.lab_line(f"Cupcake Lab is up ({seconds:.1f} s to all ready)", "green")
    for spec in SERVICES:
        url = settings.base_url(spec.name)
        printer.lab_line(f"  {spec.name:<10} {spec.framework:<8} {url}", spec.colour)
    printer.lab_line(f"the lab page:  {settings.base_url('bodies')}/", "green")
    token_file = settings.state_dir / "admin-token"
    printer.lab_line(f"admin token:   {token_file}  (Authorization: Bearer …)")
    printer.lab_line("try: cupcake-lab status | cupcake-lab kill toppings | ... start toppings")
    if settings.extra_env.get("CUPCAKE_CHAOS") == "1":
        example = f"curl -X PUT {settings.base_url('toppings')}/_chaos"
        printer.lab_line(f"chaos is on: {example} -H 'Authorization: Bearer …' \\", "magenta")
        body = """-H 'Content-Type: application/json' -d '{"down": true}'"""
        printer.lab_line(f"      {body}", "magenta")
    printer.lab_line("Ctrl-C stops the lab.")


def command_up(settings: LabSettings) -> int:
    """Start the lab, print where it is, and run until SIGINT/SIGTERM; return the exit status."""
    printer = LinePrinter()
    other = _running_lab_pid(settings)
    if other is not None:
        printer.lab_line(f"a lab is already running (launcher pid {other})", "red")
        return 2
    signal.signal(signal.SIGTERM, _raise_stop)
    signal.signal(signal.SIGINT, _raise_stop)
    started = time.monotonic()
    lab = Lab(settings, printer)
    control: ControlServer | None = None
    try:
        lab.up()
        control = ControlServer(lab)
        control.start()
        _print_welcome(printer, settings, time.monotonic() - started)
        _watch(lab, printer)
    except PortTaken as exc:
        printer.lab_line(str(exc), "red")
        return 2
    except ServiceFailed as exc:
        _print_failure(printer, exc)
        return 1
    except _StopRequested as exc:
        printer.lab_line(f"{exc} received: stopping the lab")
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        if control is not None:
            control.close()
        lab.shutdown()
    printer.lab_line("stopped")
    return 0


def _watch(lab: Lab, printer: LinePrinter) -> None:
    """Report services that end on their own; the others keep running, as the lab promises."""
    reported: set[str] = set()
    while True:
        lab.serve_requests(timeout=0.5)
        for name, service in lab.services.items():
            state = service.describe()
            if state.startswith("exited") and name not in reported:
                hint = f"`cupcake-lab start {name}` brings it back"
                printer.lab_line(f"{name} {state}; {hint}", "red")
                reported.add(name)
            elif not state.startswith("exited"):
                reported.discard(name)


def command_status(settings: LabSettings, *, as_json: bool) -> int:
    """Show each service's health; exit 0 only when all are ready."""
    try:
        launcher_view = ControlClient(settings.state_file, timeout=3).services()
    except LabNotRunning:
        launcher_view = {}
    rows = []
    for spec in SERVICES:
        url = settings.base_url(spec.name)
        seen = probe(url)
        known = launcher_view.get(spec.name, {})
        rows.append(
            {
                "service": spec.name,
                "framework": spec.framework,
                "url": url,
                "pid": known.get("pid"),
                "state": known.get("state", "not started by a lab"),
                "alive": seen.alive,
                "ready": seen.ready,
                "detail": seen.detail,
                "rss_mb": round(known.get("rss_bytes", 0) / 2**20, 1),
            }
        )
    if as_json:
        print(json.dumps({"services": rows}, indent=2))
    else:
        _print_status_table(rows, lab_running=bool(launcher_view))
    return 0 if all(row["ready"] for row in rows) else 1


def _health_colour(row: dict[str, object]) -> str:
    if not row["ready"]:
        return "red"
    return "yellow" if str(row["detail"]).startswith("degraded") else "green"


def _print_status_table(rows: list[dict[str, object]], *, lab_running: bool) -> None:
    table = Table(title="Cupcake Lab" if lab_running else "Cupcake Lab (no lab launcher running)")
    for column in ("service", "framework", "url", "pid", "state", "health", "memory"):
        table.add_column(column)
    for row in rows:
        health = f"[{_health_colour(row)}]{row['detail']}[/]"
        memory = f"{row['rss_mb']} MB" if row["rss_mb"] else "-"
        table.add_row(
            str(row["service"]), str(row["framework"]), str(row["url"]),
            str(row["pid"] or "-"), str(row["state"]), health, memory,
        )  # fmt: skip
    Console().print(table)


def command_act(settings: LabSettings, action: str, name: str) -> int:
    """Apply ``action`` to service ``name`` of the running lab."""
    try:
        answer = ControlClient(settings.state_file).act(name, action)
    except LabNotRunning as exc:
        print(f"cupcake-lab: {exc}; start one with `cupcake-lab up`", file=sys.stderr)
        return 2
    if "error" in answer:
        print(f"cupcake-lab: {action} {name} failed: {answer['error']}", file=sys.stderr)
        for line in answer.get("tail", []):
            print(f"  {name} | {line}", file=sys.stderr)
        return 1
    print(f"{name}: {answer['state']}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``cupcake-lab``."""
    parser = argparse.ArgumentParser(prog="cupcake-lab", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    up = commands.add_parser("up", help="start the lab and show its logs until Ctrl-C")
    up.add_argument(
        "--chaos",
        action="store_true",
        help="enable /_chaos on every service (fault injection, for the local lab only)",
    )
    status = commands.add_parser("status", help="a table of each service's health")
    status.add_argument("--json", action="store_true", help="print JSON instead of a table")
    helps = {"restart": "restart one service of the running lab in place: its port never closes"}
    for action in ACTIONS:
        sub = commands.add_parser(
            action, help=helps.get(action, f"{action} one service of the running lab")
        )
        sub.add_argument("service", choices=SERVICE_NAMES)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the ``cupcake-lab`` command."""
    args = build_parser().parse_args(argv)
    settings = load_settings()
    if args.command == "up":
        if args.chaos:
            settings = replace(settings, extra_env={**settings.extra_env, "CUPCAKE_CHAOS": "1"})
        return command_up(settings)
    if args.command == "status":
        return command_status(settings, as_json=args.json)
    return command_act(settings, args.command, args.service)


if __name__ == "__main__":
    sys.exit(main())
