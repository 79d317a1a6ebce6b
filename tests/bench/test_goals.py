"""Each figure of the table is held to the goal issue 11 sets for it."""

from bench.read_figures import read_figures_for
from bench.reads import CATALOGUE_READS, COMPOSITION
from bench.report import Figure, table_lines
from bench.startup import up_figure
from bench.wrk import Load


def load(rate: float, p99_ms: float, errors: int = 0) -> Load:
    """A wrk run that measured ``rate`` req/s and ``p99_ms``."""
    return Load("http://x", rate, p99_ms / 2, p99_ms, p99_ms * 2, errors)


def test_a_catalogue_read_needs_half_its_minimal_view_and_a_p99_of_25_ms() -> None:
    read = CATALOGUE_READS[3]
    ratio, p99 = read_figures_for(read, load(500, 25.0), load(1000, 5.0), connections=16)
    assert (ratio.value, ratio.met, p99.met) == (0.5, True, True)
    assert ratio.goal == ">= 0.5x (aim 0.7x)"
    assert "16 connections" in p99.name
    slower = read_figures_for(read, load(499, 25.1), load(1000, 5.0), connections=16)
    assert [figure.met for figure in slower] == [False, False]


def test_the_composition_needs_a_quarter_and_a_p99_of_30_ms() -> None:
    ratio, p99 = read_figures_for(COMPOSITION, load(250, 30.0), load(1000, 5.0), connections=16)
    assert ratio.met and p99.met
    assert ratio.goal == ">= 0.25x (aim 0.35x)"
    assert p99.goal == "<= 30 ms"
    assert "captured copy" in ratio.name


def test_a_run_with_errors_meets_no_goal() -> None:
    figure = Figure.ratio("x", load(900, 1.0, errors=3), load(1000, 1.0), goal=0.5)
    assert not figure.met
    assert "3 / 0 errors" in figure.detail


def test_up_is_the_median_of_the_starts_the_fresh_one_shown_apart() -> None:
    figure = up_figure(fresh=9.0, starts=[2.6, 2.1, 7.0, 2.4, 2.2])
    assert figure.value == 2.4
    assert figure.met
    assert "9.00 s" in figure.detail
    assert not up_figure(fresh=1.0, starts=[2.6, 2.7, 2.4]).met


def test_the_table_marks_what_is_not_met() -> None:
    met = Figure.limit("memory", 260.0, "MB", goal=270, aim=250)
    missed = Figure.limit("memory", 280.0, "MB", goal=270, aim=250)
    lines = table_lines([met, missed])
    assert lines[2] == "| memory | 260.00 MB | <= 270 MB (aim 250 MB) | yes |  |"
    assert "| **no** |" in lines[3]
