"""Notices for the operators' channel that delivery itself raises (Discord restricting DMs)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from bot.domain import Event, EventKind, Source
from bot.store import Database


async def tell_operators(
    db: Database,
    payload: dict[str, Any],
    now: datetime,
    emit: Callable[[Event], None] | None = None,
) -> Event:
    """Queue `payload` for every subscription to operator notices, and wake the dispatcher."""
    async with db.transaction() as repos:
        event = await repos.events.add(
            EventKind.OPERATOR,
            actor="system",
            source=Source.SYSTEM,
            payload=payload,
            created_at=now,
        )
        await repos.outbox.fan_out(event)
    if emit is not None:
        emit(event)
    return event
