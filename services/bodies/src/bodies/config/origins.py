"""Origins (``scheme://host[:port]``) in settings: the page's picture sources."""

from urllib.parse import urlsplit


def origin_of(url: str) -> str:
    """Return the origin of an absolute http(s) URL."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"
