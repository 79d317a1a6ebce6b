"""The per-request cost tables, as Markdown."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bench.costs.layers import COUNTED, LOGGED_AND_COUNTED

LOG_LINE = "the access log line alone (`request_done` minus its metrics count)"


@dataclass(frozen=True)
class ReadCost:
    """One catalogue read in-process: the service's own app against the minimal view."""

    name: str
    service_us: float
    minimal_us: float


def reads_table(costs: list[ReadCost]) -> list[str]:
    """Each read's microseconds, the minimal view's, and what the service adds."""
    lines = [
        "| read (in-process, CPU µs per request) | as shipped | minimal view, same bytes "
        "| added | minimal / shipped |",
        "|---|---|---|---|---|",
    ]
    for cost in costs:
        lines.append(
            f"| {cost.name} | {cost.service_us:.0f} | {cost.minimal_us:.0f} "
            f"| {cost.service_us - cost.minimal_us:.0f} "
            f"| {cost.minimal_us / cost.service_us:.2f}x |"
        )
    return lines


def chassis_table(chassis: dict[str, Any]) -> list[str]:
    """Each chassis wrapper's added microseconds, then each per-request call's."""
    lines = [
        "| chassis layer (in-process, CPU µs per request) | µs |",
        "|---|---|",
        f"| a trivial WSGI app, bare (what the wrappers are measured against) "
        f"| {chassis['bare_us']:.1f} |",
    ]
    lines += [f"| + {row['name']} | {row['us']:.1f} |" for row in chassis["wrappers"]]
    per_request = {row["name"]: row["us"] for row in chassis["per_request"]}
    for name, us in per_request.items():
        lines.append(f"| {name} | {us:.1f} |")
        if name == COUNTED:
            log_line = per_request[LOGGED_AND_COUNTED] - us
            lines.append(f"| {LOG_LINE} | {log_line:.1f} |")
    return lines


def cost_markdown(reads: list[ReadCost], chassis: dict[str, Any], *, how: str) -> str:
    """Both tables, after a line saying how they were measured."""
    return "\n".join([how, "", *reads_table(reads), "", *chassis_table(chassis)])
