"""The lab's own checks, registered with schemathesis: every fuzz run applies them to every
answer, besides the built-in ones (no 5xx, status codes, content types and bodies as documented)."""

from __future__ import annotations

import json
from typing import Any

import schemathesis

from tests.inprocess import TOKEN

# A case of any operation: the checks run on every operation of every service.
Case = schemathesis.Case[Any]

PROBLEM_JSON = "application/problem+json"
ADMIN_AUTHORIZATION = f"Bearer {TOKEN}"


def header(response: schemathesis.Response, name: str) -> str:
    """The first value of header ``name`` of ``response``, or ``""``."""
    values = response.headers.get(name.lower()) or [""]
    return str(values[0])


@schemathesis.check
def problem_json_for_errors(
    ctx: schemathesis.CheckContext,
    response: schemathesis.Response,
    case: Case,
) -> bool | None:
    """Every error answer is RFC 9457 problem+json whose ``status`` is the answer's status."""
    if response.status_code < 400:
        return None
    content_type = header(response, "content-type").split(";")[0].strip()
    assert content_type == PROBLEM_JSON, (
        f"{response.status_code} answered as {content_type!r}, not {PROBLEM_JSON}"
    )
    problem: Any = json.loads(response.content)
    assert isinstance(problem, dict), f"a problem is a JSON object, not {problem!r}"
    for member in ("type", "title"):
        assert isinstance(problem.get(member), str), f"problem without a {member!r}: {problem}"
    assert problem.get("status") == response.status_code, (
        f"problem status {problem.get('status')!r} on a {response.status_code} answer"
    )
    assert "Traceback" not in response.content.decode("utf-8", "replace"), "a stack trace"
    return True


def is_token_protected(case: Case) -> bool:
    """Whether the document says the operation of ``case`` needs the admin token."""
    definition: dict[str, Any] = case.operation.definition.raw
    return bool(definition.get("security"))


@schemathesis.check
def writes_need_the_admin_token(
    ctx: schemathesis.CheckContext,
    response: schemathesis.Response,
    case: Case,
) -> bool | None:
    """A token-protected operation called without the admin token is refused: 401 or 403."""
    if not is_token_protected(case) or case.method.upper() != case.operation.method.upper():
        return None
    if response.request.headers.get("Authorization") == ADMIN_AUTHORIZATION:
        return None
    assert response.status_code in (401, 403), (
        f"{case.method} {case.path} without the admin token answered {response.status_code}"
    )
    return True
