"""Conditional reads (RFC 9110): strong entity tags and ``If-None-Match``, for every service."""

from __future__ import annotations

import hashlib
import re

# An entity tag as RFC 9110 section 8.8.3 spells it: optional W/, then a quoted opaque tag.
_ENTITY_TAG = re.compile(r'(?:W/)?("[\x21\x23-\x7e\x80-\xff]*")')


def etag_for(body: bytes) -> str:
    """The strong entity tag of ``body``: its SHA-256, quoted."""
    return f'"{hashlib.sha256(body).hexdigest()}"'


def if_none_match_matches(*, header: str | None, etag: str) -> bool:
    """Whether an ``If-None-Match`` header matches ``etag``.

    The weak comparison RFC 9110 prescribes for ``If-None-Match``: ``W/`` prefixes are
    ignored. ``*`` matches any current representation. A header that is not a valid list
    of entity tags matches nothing, so the client gets the whole answer.
    """
    if not header:
        return False
    if header.strip() == "*":
        return True
    tags = _ENTITY_TAG.findall(header)
    if _ENTITY_TAG.sub("", header).strip(", \t"):
        return False
    return etag.removeprefix("W/") in tags
