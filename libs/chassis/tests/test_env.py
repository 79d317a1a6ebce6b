"""Environment values: what a service can run with, or an error naming the variable."""

from __future__ import annotations

import pytest

from cupcake_chassis.env import SettingError, count_parse, seconds_parse


@pytest.mark.parametrize(("raw", "seconds"), [("1", 1.0), ("0.25", 0.25), (" 2.5 ", 2.5)])
def test_seconds_are_positive_finite_numbers(raw: str, seconds: float) -> None:
    assert seconds_parse(raw, name="REQUEST_DEADLINE") == seconds


@pytest.mark.parametrize("raw", ["", "soon", "0", "-1", "nan", "inf", "-inf"])
def test_anything_else_is_refused_naming_the_variable(raw: str) -> None:
    with pytest.raises(SettingError, match="REQUEST_DEADLINE"):
        seconds_parse(raw, name="REQUEST_DEADLINE")


@pytest.mark.parametrize(("raw", "count"), [("1", 1), ("12", 12), (" 3 ", 3)])
def test_counts_are_whole_numbers_of_at_least_one(raw: str, count: int) -> None:
    assert count_parse(raw, name="WORKERS") == count


@pytest.mark.parametrize("raw", ["", "0", "-2", "1.5", "many"])
def test_other_counts_are_refused_naming_the_variable(raw: str) -> None:
    with pytest.raises(SettingError, match="WORKERS"):
        count_parse(raw, name="WORKERS")


def test_a_setting_error_is_a_value_error() -> None:
    assert issubclass(SettingError, ValueError)
