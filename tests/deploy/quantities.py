"""Kubernetes resource quantities (100m, 1, 128Mi, 1Gi) as numbers, to compare them."""

from __future__ import annotations

SUFFIXES = {"m": 1e-3, "Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "k": 1e3, "M": 1e6, "G": 1e9}


def quantity(value: str | int | float) -> float:
    """The number a quantity stands for: cores for CPU, bytes for memory."""
    text = str(value)
    for suffix in sorted(SUFFIXES, key=len, reverse=True):
        if text.endswith(suffix):
            return float(text[: -len(suffix)]) * SUFFIXES[suffix]
    return float(text)
