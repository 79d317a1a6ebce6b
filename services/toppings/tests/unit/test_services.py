"""The service functions, on a fake repository."""

from __future__ import annotations

import pytest

from toppings.services import (
    SlugTaken,
    ToppingNotFound,
    topping_create,
    topping_delete,
    topping_get,
    topping_list,
    topping_replace,
    topping_update,
)

from .conftest import FakeToppingRepository


def test_list_is_sorted_by_slug(repo: FakeToppingRepository) -> None:
    assert [t.slug for t in topping_list(repo=repo)] == ["cherry", "sprinkles"]


def test_list_by_slugs_leaves_unknown_slugs_out(repo: FakeToppingRepository) -> None:
    found = topping_list(repo=repo, slugs=["sprinkles", "nope"])
    assert [t.slug for t in found] == ["sprinkles"]


def test_get_unknown_slug_raises_not_found(repo: FakeToppingRepository) -> None:
    with pytest.raises(ToppingNotFound):
        topping_get(repo=repo, slug="nope")


def test_create_stores_the_topping_with_an_empty_default_description(
    repo: FakeToppingRepository,
) -> None:
    topping_create(repo=repo, fields={"slug": "gum", "name": "Gum", "color": "#00ff00"})
    stored = topping_get(repo=repo, slug="gum")
    assert (stored.name, stored.description, stored.color) == ("Gum", "", "#00ff00")


def test_create_with_a_taken_slug_raises_and_keeps_the_original(
    repo: FakeToppingRepository,
) -> None:
    with pytest.raises(SlugTaken):
        topping_create(repo=repo, fields={"slug": "cherry", "name": "Other", "color": "#000000"})
    assert topping_get(repo=repo, slug="cherry").name == "Cherry"


def test_replace_sets_every_editable_field_and_clears_a_missing_description(
    repo: FakeToppingRepository,
) -> None:
    topping_replace(repo=repo, slug="cherry", fields={"name": "Morello", "color": "#550011"})
    stored = topping_get(repo=repo, slug="cherry")
    assert (stored.name, stored.description, stored.color) == ("Morello", "", "#550011")


def test_update_changes_only_the_given_fields(repo: FakeToppingRepository) -> None:
    topping_update(repo=repo, slug="cherry", changes={"description": "Sour."})
    stored = topping_get(repo=repo, slug="cherry")
    assert (stored.name, stored.description, stored.color) == ("Cherry", "Sour.", "#d7263d")


def test_delete_removes_the_topping(repo: FakeToppingRepository) -> None:
    topping_delete(repo=repo, slug="cherry")
    assert [t.slug for t in topping_list(repo=repo)] == ["sprinkles"]


def test_replacing_an_unknown_topping_raises_not_found(repo: FakeToppingRepository) -> None:
    with pytest.raises(ToppingNotFound):
        topping_replace(repo=repo, slug="nope", fields={"name": "X", "color": "#000000"})


def test_updating_an_unknown_topping_raises_not_found(repo: FakeToppingRepository) -> None:
    with pytest.raises(ToppingNotFound):
        topping_update(repo=repo, slug="nope", changes={"name": "X"})


def test_deleting_an_unknown_topping_raises_not_found(repo: FakeToppingRepository) -> None:
    with pytest.raises(ToppingNotFound):
        topping_delete(repo=repo, slug="nope")
