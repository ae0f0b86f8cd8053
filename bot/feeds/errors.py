"""One exception for every way a poll can fail, with a short kind for metrics and the state."""

from __future__ import annotations


class FeedError(Exception):
    """A failed poll. `kind` is one of the KINDS below; the text is one line for the operator."""

    KINDS = (
        "dns",
        "connect",
        "timeout",
        "http_4xx",
        "http_5xx",
        "http_other",
        "too_large",
        "encoding",
        "forbidden_dtd",
        "malformed",
        "not_a_feed",
        "internal",
    )

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind
