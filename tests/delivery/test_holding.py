"""The outbox holds alerts for quiet hours and digests, and queues each window's summary once."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from bot.clock import JST
from bot.delivery.buttons import components
from bot.domain import (
    AlertMode,
    EventFilter,
    EventKind,
    Source,
    Subscription,
    TargetKind,
)
from bot.store import Database
from tests.delivery.support import subscribe_many


async def _event(db: Database, at: datetime, payload: dict[str, object], asset: str = "BTC") -> int:
    async with db.transaction() as repos:
        event = await repos.events.add(
            EventKind.STATUS,
            actor="ops",
            source=Source.CLI,
            payload=payload,
            created_at=at,
            assets=(asset,),
        )
        return await repos.outbox.fan_out(event)


def _halt(reason: str, asset: str = "BTC") -> dict[str, object]:
    return {
        "reason": reason,
        "changes": [{"asset": asset, "direction": "withdrawal", "new_state": "suspended"}],
    }


async def test_held_for_the_window_critical_at_once_and_one_summary_per_window(
    db: Database,
) -> None:
    await subscribe_many(
        db,
        [
            (TargetKind.DM, "1", {}),
            (TargetKind.DM, "2", {}),
            (TargetKind.WEBHOOK, "https://hooks.example.jp/a", {"secret": "s"}),
        ],
    )
    subs = {s.target: s for s in await db.repos.subscriptions.list()}
    async with db.transaction() as repos:
        await repos.subscriptions.set_mode(
            replace(subs["1"], mode=AlertMode.QUIET, quiet_from="23:00", quiet_until="07:00")
        )
        await repos.subscriptions.set_mode(
            replace(subs["https://hooks.example.jp/a"], mode=AlertMode.DIGEST, digest_at="09:00")
        )
    night = datetime(2026, 12, 1, 23, 30, tzinfo=JST)
    assert await _event(db, night, _halt("maintenance")) == 3
    # Another pair: an alert about the same one would be merged into this one (test_merge).
    critical = _halt("security_incident", "MONA")
    assert await _event(db, night + timedelta(minutes=1), critical, "MONA") == 3
    assert await db.repos.outbox.states() == {"held": 2, "pending": 4}
    assert await db.repos.outbox.next_release() == datetime(2026, 12, 2, 7, tzinfo=JST)
    morning = datetime(2026, 12, 2, 7, 0, 1, tzinfo=JST).astimezone(UTC)
    async with db.transaction() as repos:
        assert await repos.outbox.release_held(morning) == 1
        assert await repos.outbox.release_held(morning) == 0  # once per window
    # The held row waits for its summary to be sent; the digest's window is still ahead.
    assert await db.repos.outbox.states() == {"held": 2, "pending": 5}
    assert await db.repos.outbox.next_release() == datetime(2026, 12, 2, 9, tzinfo=JST)


def test_buttons_in_the_subscribers_language_none_for_webhooks() -> None:
    sub = Subscription(
        id=7,
        target_kind=TargetKind.CHANNEL,
        target="42",
        guild_id="1",
        all_assets=True,
        assets=frozenset(),
        events=EventFilter.ALL,
        locale="en",
        created_by="test",
        created_at=datetime(2026, 12, 1, tzinfo=UTC),
    )
    [row] = components(sub, None, "")
    assert row["components"] == [
        {"type": 2, "style": 4, "label": "Unsubscribe", "custom_id": "alerts:unsubscribe:7"}
    ]
    assert components(replace(sub, target_kind=TargetKind.WEBHOOK), None, "https://x.jp/") == []
