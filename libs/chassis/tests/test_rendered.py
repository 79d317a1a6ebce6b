"""Rendered answers kept per version of their data."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

import pytest

from cupcake_chassis.rendered import STALE_IF_ERROR, RenderCache
from cupcake_testing.clock import ManualClock


def counting(value: str) -> tuple[Callable[[], str], list[str]]:
    """A render function returning ``value``, and the list of its calls."""
    calls: list[str] = []

    def render() -> str:
        calls.append(value)
        return value

    return render, calls


def test_a_value_is_rendered_once_per_version() -> None:
    cache: RenderCache[str] = RenderCache()
    render, calls = counting("list v1")

    assert cache.get("list", version="v1", render=render) == "list v1"
    assert cache.get("list", version="v1", render=render) == "list v1"
    assert calls == ["list v1"]


def test_a_new_version_renders_anew() -> None:
    cache: RenderCache[str] = RenderCache()
    cache.get("list", version="v1", render=lambda: "old")

    assert cache.get("list", version="v2", render=lambda: "new") == "new"


def test_each_key_is_kept_apart() -> None:
    cache: RenderCache[str] = RenderCache()
    cache.get(("list", None), version="v1", render=lambda: "all")

    assert cache.get(("list", "vanilla"), version="v1", render=lambda: "some") == "some"
    assert cache.get(("list", None), version="v1", render=lambda: "other") == "all"


def test_without_a_version_nothing_is_kept() -> None:
    cache: RenderCache[str] = RenderCache()
    render, calls = counting("list")

    cache.get("list", version=None, render=render)
    cache.get("list", version=None, render=render)

    assert len(calls) == 2


def test_the_oldest_entries_leave_when_it_is_full() -> None:
    cache: RenderCache[str] = RenderCache(max_entries=2)
    for version in ("v1", "v2", "v3"):
        cache.get("list", version=version, render=lambda: "kept")
    render, calls = counting("again")

    cache.get("list", version="v1", render=render)
    cache.get("list", version="v3", render=render)

    assert calls == ["again"]


def test_clear_forgets_everything() -> None:
    cache: RenderCache[str] = RenderCache()
    cache.get("list", version="v1", render=lambda: "old")
    cache.clear()

    assert cache.get("list", version="v1", render=lambda: "new") == "new"


def locked() -> str:
    """A render that fails as a read does while the database cannot answer."""
    raise sqlite3.OperationalError("database is locked")


def test_while_the_database_cannot_answer_the_last_value_is_served() -> None:
    clock = ManualClock()
    cache: RenderCache[str] = RenderCache(clock=clock)
    cache.get("list", version="v1", render=lambda: "as last read")
    clock.advance(STALE_IF_ERROR)

    # No version (a listener lost with its server) and no database: the last value.
    assert cache.get("list", version=None, render=locked) == "as last read"
    assert cache.get("list", version="v2", render=locked) == "as last read"


def test_each_read_of_a_current_value_counts_as_known_current() -> None:
    clock = ManualClock()
    cache: RenderCache[str] = RenderCache(clock=clock)
    cache.get("list", version="v1", render=lambda: "v1")
    clock.advance(STALE_IF_ERROR)
    cache.get("list", version="v1", render=locked)  # kept: no render, and still current
    clock.advance(STALE_IF_ERROR)

    assert cache.get("list", version=None, render=locked) == "v1"


def test_a_value_older_than_stale_if_error_is_not_served() -> None:
    clock = ManualClock()
    cache: RenderCache[str] = RenderCache(clock=clock)
    cache.get("list", version="v1", render=lambda: "too old")
    clock.advance(STALE_IF_ERROR + 1)

    with pytest.raises(sqlite3.OperationalError):
        cache.get("list", version=None, render=locked)


def test_other_failures_and_unknown_keys_are_raised() -> None:
    cache: RenderCache[str] = RenderCache(clock=ManualClock())
    cache.get("list", version="v1", render=lambda: "kept")

    def missing() -> str:
        raise LookupError("no such body")

    with pytest.raises(LookupError):
        cache.get("list", version="v2", render=missing)
    with pytest.raises(sqlite3.OperationalError):
        cache.get("detail", version="v2", render=locked)
