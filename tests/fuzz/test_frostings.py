"""Fuzz the frostings service (Flask), the owner of the pairing rules, with its own OpenAPI
document; its peers are the real bodies and toppings apps."""

from __future__ import annotations

from .lab import FuzzLab
from .rules import frostings_breaking_the_rules, stored_frostings
from .runner import fuzz_run
from .schemas import BASE_URLS, fuzz_schema

SERVICE = "frostings"


def test_frostings_api_with_the_admin_token_breaks_no_contract(fuzz_lab: FuzzLab) -> None:
    findings = fuzz_run(fuzz_schema(fuzz_lab, SERVICE, with_token=True))
    assert not findings, "\n\n".join(findings)


def test_frostings_api_without_a_token_breaks_no_contract(fuzz_lab: FuzzLab) -> None:
    findings = fuzz_run(fuzz_schema(fuzz_lab, SERVICE, with_token=False))
    assert not findings, "\n\n".join(findings)


def test_no_stored_frosting_breaks_the_rules_after_fuzzing(fuzz_lab: FuzzLab) -> None:
    assert fuzz_lab.requests[SERVICE] > 0, "the frostings fuzz runs first"
    frostings = stored_frostings(fuzz_lab.apps[SERVICE], BASE_URLS[SERVICE])
    fuzz_lab.checked["frostings"] = len(frostings)
    assert frostings_breaking_the_rules(frostings) == []
