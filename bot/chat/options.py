"""Reading options: asset autocompletion and the dates operators type."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from enum import StrEnum
from typing import TypeVar
from zoneinfo import ZoneInfo

from discord import app_commands

from bot.clock import parse_date, parse_moment
from bot.domain import Asset, Reason
from bot.services.assets import ALL_ASSETS
from bot.services.status import BOTH_DIRECTIONS

from .errors import BadOption
from .translator import term

MAX_CHOICES = 25
CHOICE_NAME_LIMIT = 100  # Discord's longest choice name

# The operators' options that recur: a direction (or both), and a reason.
DIRECTION_CHOICES = [
    app_commands.Choice(name=term("direction.deposit"), value="deposit"),
    app_commands.Choice(name=term("direction.withdrawal"), value="withdrawal"),
    app_commands.Choice(name=app_commands.locale_str("Both"), value=BOTH_DIRECTIONS),
]
REASON_CHOICES = [
    app_commands.Choice(name=term(f"reason.{r.value}"), value=r.value) for r in Reason
]

E = TypeVar("E", bound=StrEnum)


def asset_choices(
    assets: Sequence[Asset], current: str, *, with_all: bool = False
) -> list[app_commands.Choice[str]]:
    """Assets whose code or name contains what was typed, in any case; codes first."""
    typed = current.strip().casefold()
    starts: list[app_commands.Choice[str]] = []
    contains: list[app_commands.Choice[str]] = []
    if with_all and ALL_ASSETS.startswith(typed):
        starts.append(app_commands.Choice(name="all", value=ALL_ASSETS))
    for asset in assets:
        choice = app_commands.Choice(
            name=f"{asset.code} {asset.name_ja} / {asset.name_en}", value=asset.code
        )
        if asset.code.casefold().startswith(typed):
            starts.append(choice)
        elif typed in f"{asset.code} {asset.name_ja} {asset.name_en}".casefold():
            contains.append(choice)
    return (starts + contains)[:MAX_CHOICES]


def choice(kind: type[E], value: str) -> E:
    """A choice option as its enum: Discord's clients send listed values, a raw call may not."""
    try:
        return kind(value)
    except ValueError:
        raise BadOption(
            "unknown_choice", f"unknown {kind.__name__}: {value!r}", value=value
        ) from None


def day(text: str) -> date:
    """A date option; a refusal (`bad_date`) names the text typed."""
    return parse_date(text)


def moment(text: str, zone: ZoneInfo) -> datetime:
    """A date-and-time option, read in `zone` when it has none; refused as `bad_moment`."""
    return parse_moment(text, zone)
