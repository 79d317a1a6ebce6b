"""Fuzz the toppings service (Pyramid) with its own OpenAPI document."""

from __future__ import annotations

from .lab import FuzzLab
from .runner import fuzz_run
from .schemas import fuzz_schema

SERVICE = "toppings"


def test_toppings_api_with_the_admin_token_breaks_no_contract(fuzz_lab: FuzzLab) -> None:
    findings = fuzz_run(fuzz_schema(fuzz_lab, SERVICE, with_token=True))
    assert not findings, "\n\n".join(findings)


def test_toppings_api_without_a_token_breaks_no_contract(fuzz_lab: FuzzLab) -> None:
    findings = fuzz_run(fuzz_schema(fuzz_lab, SERVICE, with_token=False))
    assert not findings, "\n\n".join(findings)
