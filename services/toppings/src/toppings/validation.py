"""The rules a topping's fields follow, checked exactly (whole-string matches).

The OpenAPI document states the same rules for clients and refuses most bad
input before a view runs; these checks are the service's own guarantee, and
the place where the stored form (lowercase colour) is decided.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

from cupcake_chassis.problems import FieldError

from .problems import InvalidInput

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
COLOR = re.compile(r"#[0-9a-fA-F]{6}")
SLUG_MAX, NAME_MAX, DESCRIPTION_MAX = 40, 60, 500
EDITABLE = ("name", "description", "color")
DESCRIPTION_RULE = (
    f"must be at most {DESCRIPTION_MAX} characters; no control characters but newline and tab"
)


def _has_control_characters(text: str, *, allowed: str = "") -> bool:
    return any(unicodedata.category(ch) == "Cc" and ch not in allowed for ch in text)


def slug_errors(value: Any) -> list[str]:
    """Return what is wrong with ``value`` as a slug (nothing if it is fine)."""
    if not isinstance(value, str) or not SLUG.fullmatch(value) or len(value) > SLUG_MAX:
        return [f"must be 1-{SLUG_MAX} lowercase letters, digits and single inner hyphens"]
    return []


def _field_errors(field: str, value: Any) -> list[str]:
    if field == "slug":
        return slug_errors(value)
    if not isinstance(value, str):
        return ["must be a string"]
    if field == "name":
        if not 1 <= len(value) <= NAME_MAX or _has_control_characters(value):
            return [f"must be 1-{NAME_MAX} characters without control characters"]
    elif field == "description":
        if len(value) > DESCRIPTION_MAX or _has_control_characters(value, allowed="\n\t"):
            return [DESCRIPTION_RULE]
    elif field == "color" and not COLOR.fullmatch(value):
        return ["must be a colour like #a1b2c3"]
    return []


def topping_fields_clean(
    *, data: Mapping[str, Any], required: tuple[str, ...], path_slug: str | None = None
) -> dict[str, str]:
    """Return the validated fields of ``data`` in stored form, or raise ``InvalidInput``.

    ``required`` names the fields that must be present; ``path_slug`` is the
    slug of the addressed topping, which a body may repeat but never change.
    """
    allowed = {"slug", *EDITABLE}
    errors = [
        FieldError(name, "is not a field of a topping") for name in data if name not in allowed
    ]
    errors += [FieldError(name, "is required") for name in required if name not in data]
    for name, value in data.items():
        if name in allowed:
            errors += [FieldError(name, message) for message in _field_errors(name, value)]
    if path_slug is not None and "slug" in data and data["slug"] != path_slug:
        errors.append(FieldError("slug", "cannot change: it is taken from the path"))
    if errors:
        raise InvalidInput(errors)
    clean = {name: value for name, value in data.items() if name in allowed}
    if "color" in clean:
        clean["color"] = clean["color"].lower()
    return clean


def slugs_clean(*, field: str, values: Iterable[Any]) -> list[str]:
    """Return ``values`` as a list if each is a valid slug, or raise ``InvalidInput``."""
    slugs = list(values)
    errors = [
        FieldError(field, f"item {position}: {message}")
        for position, value in enumerate(slugs, start=1)
        for message in slug_errors(value)
    ]
    if errors:
        raise InvalidInput(errors)
    return slugs
