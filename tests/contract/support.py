"""What the contract tests share: a fixed moment, and subscriptions and events built plainly."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from bot.domain import (
    AlertMode,
    Direction,
    Event,
    EventFilter,
    EventKind,
    Reason,
    Source,
    State,
    StatusChange,
    Subscription,
    TargetKind,
)
from bot.store.repos import Repos

# Microseconds on purpose: a time must come back exactly as it went in.
T0 = datetime(2024, 3, 1, 3, 30, 15, 123456, tzinfo=UTC)  # 12:30:15 JST


def subscription(
    target: str,
    *,
    kind: TargetKind = TargetKind.DM,
    assets: Iterable[str] | None = None,
    events: EventFilter = EventFilter.ALL,
    mode: AlertMode = AlertMode.INSTANT,
    quiet: tuple[str, str] | None = None,
    digest_at: str | None = None,
    guild_id: str | None = None,
) -> Subscription:
    """A subscription to save; `assets` None means every asset."""
    return Subscription(
        id=0,
        target_kind=kind,
        target=target,
        guild_id=guild_id,
        all_assets=assets is None,
        assets=frozenset(assets or ()),
        events=events,
        locale="ja",
        created_by="tester",
        created_at=T0,
        mode=mode,
        quiet_from=quiet[0] if quiet else None,
        quiet_until=quiet[1] if quiet else None,
        digest_at=digest_at,
    )


async def add_event(
    repos: Repos,
    kind: EventKind = EventKind.STATUS,
    *,
    assets: Iterable[str] = ("BTC",),
    payload: dict[str, Any] | None = None,
    at: datetime = T0,
) -> Event:
    return await repos.events.add(
        kind,
        actor="tester",
        source=Source.CLI,
        payload=payload if payload is not None else {"reason": "maintenance"},
        assets=tuple(assets),
        created_at=at,
    )


def change(
    asset: str,
    state: State,
    at: datetime,
    *,
    direction: Direction = Direction.DEPOSIT,
    old: State | None = State.SUSPENDED,
    note: str = "",
    expected_reopen: datetime | None = None,
    event_id: int | None = None,
) -> StatusChange:
    return StatusChange(
        asset=asset,
        direction=direction,
        old_state=old,
        new_state=state,
        reason=Reason.MAINTENANCE,
        note=note,
        actor="tester",
        source=Source.CLI,
        changed_at=at,
        expected_reopen=expected_reopen,
        event_id=event_id,
    )
