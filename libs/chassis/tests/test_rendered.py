"""Rendered answers kept per version of their data."""

from __future__ import annotations

from collections.abc import Callable

from cupcake_chassis.rendered import RenderCache


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
