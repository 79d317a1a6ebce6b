"""Capturing a read for its baseline: what may differ between two answers, and what may not."""

import json
from pathlib import Path

import pytest

from bench.minimal.documents import Served, one_style, served_documents
from bench.reads import (
    CATALOGUE_READS,
    COMPOSITION,
    DOCUMENTS_ENV,
    READS,
    baseline_check,
    capture,
    documents_write,
)
from bench.same_bytes import COMPACT, SPACED, JsonStyle, NotSameBytes

LIST = CATALOGUE_READS[0]


def composition_body(ms: float) -> bytes:
    """A composition's answer with one call that took ``ms``."""
    return json.dumps({"complete": True, "calls": [{"ms": ms}]}, separators=COMPACT).encode()


def test_every_goal_of_the_issue_has_its_read() -> None:
    paths = [read.path for read in READS]
    assert paths[:3] == ["/api/v1/bodies", "/api/v1/frostings", "/api/v1/toppings"]
    assert {read.framework for read in CATALOGUE_READS} == {"django", "flask", "pyramid"}
    assert len(CATALOGUE_READS) == 6
    assert COMPOSITION.per_request
    assert not any(read.per_request for read in CATALOGUE_READS)


def test_a_catalogue_read_must_answer_the_same_bytes_twice() -> None:
    with pytest.raises(NotSameBytes, match="two answers differ"):
        capture(LIST, b'{"items":[]}', again=b'{"items":[1]}')


def test_a_composition_may_differ_in_its_timings() -> None:
    captured = capture(COMPOSITION, composition_body(0.1), again=composition_body(2.5))
    assert captured.body == composition_body(0.1)
    assert captured.style.separators == COMPACT


def test_a_composition_may_not_differ_in_shape() -> None:
    with pytest.raises(NotSameBytes, match="shape"):
        capture(COMPOSITION, composition_body(0.1), again=b'{"complete":true,"calls":[]}')


def test_a_baseline_answering_other_bytes_fails_loudly() -> None:
    captured = capture(LIST, b'{"items":[]}', again=b'{"items":[]}')
    baseline_check(captured, b'{"items":[]}')
    with pytest.raises(NotSameBytes, match="minimal django view does not answer the bytes"):
        baseline_check(captured, b'{"items": []}')


def test_a_baseline_reads_the_documents_the_harness_wrote(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    captured = [
        capture(COMPOSITION, composition_body(0.1), again=composition_body(0.2)),
        capture(LIST, b'{"items":[]}', again=b'{"items":[]}'),
    ]
    monkeypatch.setenv(DOCUMENTS_ENV, str(documents_write(captured, tmp_path / "docs.json")))
    served = served_documents()
    # The query string is the view's to read; a route is a path.
    assert [each.path for each in served] == ["/api/v1/cupcake", "/api/v1/bodies"]
    assert [each.style.dumps(each.document) for each in served] == [c.body for c in captured]


def test_a_baseline_without_documents_says_what_it_needs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(DOCUMENTS_ENV, raising=False)
    with pytest.raises(SystemExit, match=DOCUMENTS_ENV):
        served_documents()


def test_one_app_writes_one_style() -> None:
    compact = JsonStyle(COMPACT, ensure_ascii=True, newline=False)
    spaced = JsonStyle(SPACED, ensure_ascii=True, newline=False)
    assert one_style([Served("/a", {}, compact), Served("/b", {}, compact)]) == compact
    with pytest.raises(SystemExit):
        one_style([Served("/a", {}, compact), Served("/b", {}, spaced)])
