"""The field rules of every catalogue item, shared by the API schemas and the model/admin."""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator

SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
SLUG_MAX_LENGTH = 40
NAME_MAX_LENGTH = 60
DESCRIPTION_MAX_LENGTH = 500
COLOR_PATTERN = r"^#[0-9a-fA-F]{6}$"

SLUG_MESSAGE = "must be lowercase letters and digits, joined by single hyphens"
COLOR_MESSAGE = "must be a colour written #rrggbb"


def is_slug(text: str) -> bool:
    """Tell whether ``text`` is a well-formed slug, as every body's slug is."""
    return len(text) <= SLUG_MAX_LENGTH and re.fullmatch(SLUG_PATTERN, text) is not None


def control_characters_in(text: str, *, allowed: str = "") -> list[str]:
    """Return the control characters (Unicode Cc) of ``text`` that are not in ``allowed``."""
    return [ch for ch in text if unicodedata.category(ch) == "Cc" and ch not in allowed]


def name_problem(name: str) -> str | None:
    """Return what is wrong with a name beyond its length, or None."""
    if control_characters_in(name):
        return "must not contain control characters"
    return None


def description_problem(description: str) -> str | None:
    """Return what is wrong with a description beyond its length, or None."""
    if control_characters_in(description, allowed="\n\t"):
        return "must not contain control characters other than newline and tab"
    return None


def normalized_color(color: str) -> str:
    """Return a ``#rrggbb`` colour in lower case; raise ValueError for anything else."""
    if not re.fullmatch(COLOR_PATTERN, color):
        raise ValueError(COLOR_MESSAGE)
    return color.lower()


# Django validators, so the admin refuses exactly what the API refuses.
validate_slug = RegexValidator(SLUG_PATTERN, SLUG_MESSAGE)
validate_color = RegexValidator(COLOR_PATTERN, COLOR_MESSAGE)


def validate_name(value: str) -> None:
    """Django validator for a name."""
    if problem := name_problem(value):
        raise ValidationError(problem)


def validate_description(value: str) -> None:
    """Django validator for a description."""
    if problem := description_problem(value):
        raise ValidationError(problem)
