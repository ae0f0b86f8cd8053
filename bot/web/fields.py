"""Reading a write's JSON body: each field's type checked here, every rule left to the services.

A value of the wrong type, a missing field and a field the endpoint does not know are refused as
`bad_field` / `unknown_field` (422); whether a value makes sense is the service's to say.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from enum import StrEnum
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from aiohttp import web

from bot.clock import parse_date, parse_moment
from bot.domain import DomainError, InvalidInput

E = TypeVar("E", bound=StrEnum)
MAX_TEXT = 10_000  # a bound on any one text before the services' own, tighter ones
MAX_ID = 2**63 - 1  # the largest id either engine stores: anything above names nothing


def path_id(request: web.Request, missing: Callable[[int], DomainError]) -> int:
    """The `{id}` of the path (digits by the route); past any id it names nothing: `missing`."""
    given = int(request.match_info["id"])
    if not 0 < given <= MAX_ID:
        raise missing(given)
    return given


class Body:
    """A JSON object with the names this endpoint takes."""

    def __init__(self, data: Mapping[str, Any], allowed: Iterable[str]) -> None:
        known = set(allowed)
        for name in data:
            if name not in known:
                raise InvalidInput("unknown_field", f"unknown field {name!r}", field=name[:64])
        self._data = data

    def has(self, name: str) -> bool:
        return self._data.get(name) is not None

    def text(self, name: str, *, required: bool = False, default: str = "") -> str:
        value = self._data.get(name)
        if value is None and not required:
            return default
        if not isinstance(value, str) or len(value) > MAX_TEXT or (required and not value.strip()):
            raise _bad(name, "string")
        return value

    def integer(self, name: str) -> int:
        """An id: a whole number from 1 to the largest an engine stores."""
        value = self._data.get(name)
        if not isinstance(value, int) or isinstance(value, bool) or not 0 < value <= MAX_ID:
            raise _bad(name, "integer")
        return value

    def choice(self, name: str, kind: type[E], *, required: bool = False) -> E | None:
        value = self._data.get(name)
        if value is None and not required:
            return None
        try:
            if not isinstance(value, str):
                raise ValueError(value)
            return kind(value)
        except ValueError:
            raise _bad(name, " | ".join(member.value for member in kind)) from None

    def moment(self, name: str, zone: ZoneInfo, *, required: bool = False) -> datetime | None:
        """ISO 8601 with an offset, or YYYY-MM-DD[ HH:MM] in the display zone, as the CLI."""
        value = self.text(name, required=required)
        return parse_moment(value, zone) if value else None

    def day(self, name: str, *, required: bool = False) -> date | None:
        """YYYY-MM-DD, a calendar day in Japan, as the CLI."""
        value = self.text(name, required=required)
        return parse_date(value) if value else None

    def names(self, name: str, *, required: bool = True) -> list[str] | str | None:
        """`"all"`, or a non-empty list of names (asset codes)."""
        value = self._data.get(name)
        if value is None and not required:
            return None
        if isinstance(value, str) and value.strip().lower() == "all":
            return "all"
        if (
            isinstance(value, list)
            and value
            and len(value) <= 100
            and all(isinstance(v, str) and 0 < len(v) <= 20 for v in value)
        ):
            return list(dict.fromkeys(value))
        raise _bad(name, '"all" or a list of asset codes')


def _bad(name: str, expected: str) -> InvalidInput:
    return InvalidInput(
        "bad_field", f"field {name!r} must be {expected}", field=name, expected=expected
    )
