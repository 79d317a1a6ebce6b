"""One fuzz run of a service: schemathesis' engine through every phase (examples, coverage,
fuzzing, stateful sequences along the document's links), and what it found, in words."""

from __future__ import annotations

import warnings

from hypothesis.errors import HypothesisWarning
from schemathesis import BaseSchema
from schemathesis.engine import Status, events, from_schema
from schemathesis.engine.recorder import ScenarioRecorder

from . import checks  # noqa: F401  (registers the lab's own checks)


def scenario_findings(recorder: ScenarioRecorder) -> list[str]:
    """The failed checks of one scenario, each with a command that replays it."""
    findings = []
    for case_id, check_nodes in recorder.checks.items():
        interaction = recorder.interactions.get(case_id)
        answer = interaction.response if interaction is not None else None
        status = f"answered {answer.status_code}" if answer is not None else "no answer"
        for node in check_nodes:
            if node.status == Status.FAILURE and node.failure_info is not None:
                failure = node.failure_info.failure
                findings.append(
                    f"{recorder.label}: {node.name}: {failure.title} ({status})\n"
                    f"{failure.message}\nreplay: {node.failure_info.code_sample}"
                )
    return findings


def fuzz_run(schema: BaseSchema) -> list[str]:
    """Fuzz the service of ``schema``; every distinct failure found, in words (none: all good)."""
    findings: list[str] = []
    with warnings.catch_warnings():
        # Hypothesis warns when it prints a large generated input; that is no finding.
        warnings.simplefilter("ignore", HypothesisWarning)
        stream = list(from_schema(schema).execute())
    for event in stream:
        if isinstance(event, events.ScenarioFinished | events.FuzzScenarioFinished):
            findings.extend(scenario_findings(event.recorder))
        elif isinstance(event, events.NonFatalError):
            findings.append(f"{event.label}: error: {event.value!r}")
        elif isinstance(event, events.FatalError):
            raise event.exception
        elif isinstance(event, events.EngineFinished):
            findings.extend(f"{f.operation}: {f.title}\n{f.message}" for f in event.failures)
    return list(dict.fromkeys(findings))
