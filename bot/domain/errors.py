"""Refusals: the errors the services raise, with text safe to show."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """An expected refusal (bad input, unknown asset, not allowed).

    `code` names the refusal's own text, `error.<code>` in the translation tables, in Japanese
    and English; `params` fill it in. `str()` is one English line for logs and the CLI. Every
    code raised anywhere in `bot/` must have both texts (tests/test_refusals.py walks them).
    """

    # What kind of refusal this is, for answers that group them (the JSON API's error codes).
    category = "refused"

    def __init__(self, code: str, message: str, **params: Any) -> None:
        super().__init__(message)
        self.code = code
        self.params = params


class UnknownAsset(DomainError):
    category = "unknown_asset"

    def __init__(self, given: str) -> None:
        super().__init__("unknown_asset", f"unknown asset: {given!r}", asset=given)


class InvalidInput(DomainError):
    """Input the service will not take: `InvalidInput("<code>", "English line", **params)`."""

    category = "invalid_input"


class NotFound(DomainError):
    """No such thing: `NotFound("order", 7)` has the code `order_not_found`."""

    category = "not_found"

    def __init__(self, what: str, given: object) -> None:
        super().__init__(f"{what}_not_found", f"no such {what}: {given}", what=what, given=given)
