"""Fuzz the bodies service (Django: the catalogue of bodies, the assembler and the gallery)
with its own OpenAPI document; its peers are the real frostings and toppings apps."""

from __future__ import annotations

from .lab import FuzzLab
from .rules import cupcakes_breaking_the_rules, gallery
from .runner import fuzz_run
from .schemas import BASE_URLS, fuzz_schema

SERVICE = "bodies"


def test_bodies_api_with_the_admin_token_breaks_no_contract(fuzz_lab: FuzzLab) -> None:
    findings = fuzz_run(fuzz_schema(fuzz_lab, SERVICE, with_token=True))
    assert not findings, "\n\n".join(findings)


def test_bodies_api_without_a_token_breaks_no_contract(fuzz_lab: FuzzLab) -> None:
    findings = fuzz_run(fuzz_schema(fuzz_lab, SERVICE, with_token=False))
    assert not findings, "\n\n".join(findings)


def test_no_baked_cupcake_breaks_the_rules_after_fuzzing(fuzz_lab: FuzzLab) -> None:
    assert fuzz_lab.requests[SERVICE] > 0, "the bodies fuzz runs first"
    cupcakes = gallery(fuzz_lab.apps[SERVICE], BASE_URLS[SERVICE])
    fuzz_lab.checked["cupcakes"] = len(cupcakes)
    assert cupcakes_breaking_the_rules(cupcakes) == []
