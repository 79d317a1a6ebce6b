"""What a generator of valid JSON cannot send: broken bytes in query strings, lone
surrogate escapes in JSON, a Content-Length that is no number, odd media types. Each
service answers a problem (4xx), never a server error, and stores nothing."""

from __future__ import annotations

import httpx
import pytest

from tests.inprocess import TOKEN

from .lab import FuzzLab
from .schemas import BASE_URLS

ADMIN = {"Authorization": f"Bearer {TOKEN}"}
COLLECTIONS = {name: f"/api/v1/{name}" for name in BASE_URLS}
QUERIES = [
    "?%00=1",
    "?slug=%00",
    "?body=%ED%A0%80",
    "?slug=%FF%FE",
    "?page=200659429252949103687499776",
    "?page_size=1e999",
    "?topping=" + "a," * 2000,
]
LONE_SURROGATES = [
    b'{"slug": "odd-one", "name": "x\\ud800", "color": "#aaaaaa"}',
    b'{"slug": "odd-two", "name": "x", "color": "#aaaaaa", "description": "\\udfff"}',
    b'{"slug": "odd-three", "name": "x", "color": "#aaaaaa", "\\ud83c": 1}',
]
MEDIA_TYPES = [
    "application/xml",
    "text/plain",
    "application/x-www-form-urlencoded",
]


def client_of(lab: FuzzLab, service: str) -> httpx.Client:
    """An HTTP client of the service's app as it is served."""
    transport = httpx.WSGITransport(app=lab.apps[service])
    return httpx.Client(transport=transport, base_url=BASE_URLS[service])


def assert_refused_as_a_problem(answer: httpx.Response) -> None:
    """The answer is a 4xx problem+json."""
    assert 400 <= answer.status_code < 500, (answer.status_code, answer.text[:300])
    assert answer.headers["content-type"].startswith("application/problem+json")


@pytest.mark.parametrize("service", sorted(BASE_URLS))
def test_broken_query_strings_get_an_answer_never_a_server_error(
    fuzz_lab: FuzzLab, service: str
) -> None:
    paths = {"bodies": ["/api/v1/cupcake", "/api/v1/cupcakes"]}.get(service, [])
    with client_of(fuzz_lab, service) as client:
        for path in [COLLECTIONS[service], *paths]:
            for query in QUERIES:
                answer = client.get(path + query)
                assert answer.status_code < 500, (path + query[:40], answer.text[:300])
                if answer.status_code >= 400:
                    assert_refused_as_a_problem(answer)


@pytest.mark.parametrize("service", sorted(BASE_URLS))
@pytest.mark.parametrize("body", LONE_SURROGATES)
def test_a_lone_surrogate_escape_in_a_write_is_refused(
    fuzz_lab: FuzzLab, service: str, body: bytes
) -> None:
    with client_of(fuzz_lab, service) as client:
        answer = client.post(
            COLLECTIONS[service],
            content=body,
            headers={**ADMIN, "Content-Type": "application/json"},
        )
        assert_refused_as_a_problem(answer)
        assert client.get(f"{COLLECTIONS[service]}/odd-one").status_code == 404


@pytest.mark.parametrize("service", sorted(BASE_URLS))
def test_a_content_length_that_is_no_number_is_refused(fuzz_lab: FuzzLab, service: str) -> None:
    with client_of(fuzz_lab, service) as client:
        answer = client.post(
            COLLECTIONS[service],
            content=b"{}",
            headers={**ADMIN, "Content-Type": "application/json", "Content-Length": "abc"},
        )
        assert_refused_as_a_problem(answer)


@pytest.mark.parametrize("service", sorted(BASE_URLS))
@pytest.mark.parametrize("media_type", MEDIA_TYPES)
def test_a_write_of_another_media_type_is_refused(
    fuzz_lab: FuzzLab, service: str, media_type: str
) -> None:
    with client_of(fuzz_lab, service) as client:
        answer = client.post(
            COLLECTIONS[service],
            content=b'{"slug": "odd-one", "name": "x", "color": "#aaaaaa"}',
            headers={**ADMIN, "Content-Type": media_type},
        )
        assert_refused_as_a_problem(answer)
