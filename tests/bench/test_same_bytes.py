"""A read's JSON style is read off its bytes; a baseline must answer those bytes exactly."""

import pytest

from bench.same_bytes import COMPACT, SPACED, JsonStyle, NotSameBytes, difference, shape, style_find


@pytest.mark.parametrize(
    ("body", "separators", "newline"),
    [
        (b'{"items":[{"slug":"vanilla","price":2}]}', COMPACT, False),  # Django ninja
        (b'{"bodies":["vanilla"],"slug":"vanilla"}\n', COMPACT, True),  # Flask's jsonify
        (b'{"items": [{"slug": "flag", "name": "Flag"}]}', SPACED, False),  # Pyramid's json
    ],
)
def test_the_style_that_wrote_a_body_writes_it_again(
    body: bytes, separators: tuple[str, str], newline: bool
) -> None:
    document, style = style_find(body)
    assert style.separators == separators
    assert style.newline is newline
    assert style.dumps(document) == body


def test_keys_keep_the_order_of_the_body() -> None:
    body = b'{"z":1,"a":2}'
    document, style = style_find(body)
    assert list(document) == ["z", "a"]
    assert style.dumps(document) == body


def test_escaped_and_raw_non_ascii_are_told_apart() -> None:
    escaped = style_find(b'{"name":"Cr\\u00e8me"}')[1]
    raw = style_find('{"name":"Crème"}'.encode())[1]
    assert escaped.ensure_ascii is True
    assert raw.ensure_ascii is False


@pytest.mark.parametrize("body", [b"not json", b'{\n  "indented": true\n}'])
def test_bytes_no_style_writes_again_are_refused(body: bytes) -> None:
    with pytest.raises(NotSameBytes):
        style_find(body)


def test_a_style_survives_the_file_a_baseline_reads() -> None:
    style = JsonStyle(SPACED, ensure_ascii=False, newline=True)
    assert JsonStyle.from_dict(style.as_dict()) == style


def test_same_bytes_make_no_difference() -> None:
    assert difference(b'{"a":1}', b'{"a":1}') is None


def test_a_difference_says_where_the_bytes_part() -> None:
    said = difference(b'{"a":1}', b'{"a": 1}')
    assert said is not None
    assert "8 bytes instead of 7" in said
    assert "byte 5" in said


def test_a_shorter_answer_differs_where_it_ends() -> None:
    said = difference(b'{"a":1}\n', b'{"a":1}')
    assert said is not None
    assert "byte 7" in said


def test_shape_keeps_keys_and_types_not_values() -> None:
    first = {"calls": [{"ms": 0.1, "budget_ms": 899, "error": None}]}
    second = {"calls": [{"ms": 2.7, "budget_ms": 612, "error": None}]}
    assert shape(first) == shape(second)
    assert shape(first) != shape({"calls": [{"ms": 0.1, "budget_ms": 899}]})
