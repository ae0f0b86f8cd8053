"""Small helpers shared by the web tests."""

from __future__ import annotations

from aiohttp import web
from aiohttp.test_utils import TestClient

from bot.domain import Direction, Reason, Source, State, StatusRequest, Target

Client = TestClient[web.Request, web.Application]

SEEDED_CODES = [
    "BTC",
    "MONA",
    "BCH",
    "ZAIF",
    "XCP",
    "BCY",
    "SJCX",
    "FSCC",
    "pepecash",
    "CICC",
    "NCXC",
]


def reopen(asset: str, note: str = "", actor: str = "ops") -> StatusRequest:
    """Deposits and withdrawals of `asset` back to operational."""
    return StatusRequest(
        targets=tuple(Target(asset, d, State.OPERATIONAL) for d in Direction),
        reason=Reason.MAINTENANCE,
        note=note,
        actor=actor,
        source=Source.CLI,
    )
