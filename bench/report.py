"""The benchmark's table: every figure beside its goal, and whether it is met."""

from __future__ import annotations

from dataclasses import dataclass

from bench.wrk import Load


def _aimed(goal: str, aim: str | None) -> str:
    return goal if aim is None else f"{goal} (aim {aim})"


@dataclass(frozen=True)
class Figure:
    """One line of the table."""

    name: str
    value: float
    unit: str
    goal: str
    met: bool
    detail: str

    @classmethod
    def ratio(
        cls, name: str, measured: Load, baseline: Load, *, goal: float, aim: float | None = None
    ) -> Figure:
        """Throughput of ``measured`` over ``baseline``, at least ``goal``; a run with errors
        meets nothing."""
        value = measured.requests_per_second / baseline.requests_per_second
        detail = f"{measured.requests_per_second:.0f} / {baseline.requests_per_second:.0f} req/s"
        clean = measured.clean and baseline.clean
        if not clean:
            detail += f"; {measured.errors} / {baseline.errors} errors"
        target = _aimed(f">= {goal:g}x", None if aim is None else f"{aim:g}x")
        return cls(name, value, "x", target, value >= goal and clean, detail)

    @classmethod
    def p99_ratio(cls, name: str, measured: Load, baseline: Load, *, goal: float) -> Figure:
        """p99 latency of ``measured`` over ``baseline``, at most ``goal``."""
        value = measured.p99_ms / baseline.p99_ms
        detail = f"{measured.p99_ms:.1f} / {baseline.p99_ms:.1f} ms"
        return cls(name, value, "x", f"<= {goal:g}x", value <= goal, detail)

    @classmethod
    def limit(
        cls,
        name: str,
        value: float,
        unit: str,
        *,
        goal: float,
        aim: float | None = None,
        detail: str = "",
    ) -> Figure:
        """An absolute figure that must stay at or under ``goal``."""
        target = _aimed(f"<= {goal:g} {unit}", None if aim is None else f"{aim:g} {unit}")
        return cls(name, value, f" {unit}", target, value <= goal, detail)


def table_lines(figures: list[Figure]) -> list[str]:
    """The figures as the lines of a Markdown table."""
    lines = ["| figure | measured | goal | met | detail |", "|---|---|---|---|---|"]
    for figure in figures:
        value = f"{figure.value:.2f}{figure.unit}"
        met = "yes" if figure.met else "**no**"
        lines.append(f"| {figure.name} | {value} | {figure.goal} | {met} | {figure.detail} |")
    return lines


def print_table(figures: list[Figure], *, how: str) -> None:
    """Print how the figures were measured, then the figures as a Markdown table."""
    print()
    print(how)
    print()
    print("\n".join(table_lines(figures)))
