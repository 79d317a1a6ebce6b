"""The rules in words, with the items' names."""

import pytest

from bodies.assembler.words import frostings_rule_in_words, names_joined, toppings_rule_in_words

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("names", "joined"),
    [
        ([], ""),
        (["Flag"], "Flag"),
        (["Cherry", "Flag"], "Cherry or Flag"),
        (["A", "B", "C"], "A, B or C"),
    ],
)
def test_names_are_joined_as_in_a_sentence(names: list[str], joined: str) -> None:
    assert names_joined(names) == joined


@pytest.mark.parametrize(
    ("body", "frostings", "words"),
    [
        ("Carrot Cake", ["Vanilla"], "Carrot Cake only takes Vanilla frosting"),
        ("Chocolate", ["Chocolate", "Vanilla"], "Chocolate takes Chocolate or Vanilla frosting"),
        (
            "Vanilla",
            ["Chocolate", "Neon Blue", "Strawberry", "Vanilla"],
            "Vanilla takes Chocolate, Neon Blue, Strawberry or Vanilla frosting",
        ),
        ("Sponge", [], "Sponge takes no frosting"),
    ],
)
def test_the_frostings_a_body_takes_in_words(body: str, frostings: list[str], words: str) -> None:
    assert frostings_rule_in_words(body=body, frostings=frostings) == words


@pytest.mark.parametrize(
    ("frosting", "toppings", "words"),
    [
        ("Strawberry", ["Cherry", "Flag"], "Strawberry frosting takes Cherry or Flag"),
        ("Neon Blue", ["Flag"], "Neon Blue frosting only takes Flag"),
        ("Lemon", [], "Lemon frosting takes no topping"),
    ],
)
def test_the_toppings_a_frosting_takes_in_words(
    frosting: str, toppings: list[str], words: str
) -> None:
    assert toppings_rule_in_words(frosting=frosting, toppings=toppings) == words
