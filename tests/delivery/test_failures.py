"""Targets that refuse us are disabled after one try; the rest of the fan-out goes on."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from bot.app import Application
from bot.clock import utcnow
from bot.domain import (
    Direction,
    EventFilter,
    Reason,
    Source,
    State,
    StatusRequest,
    Target,
    TargetKind,
)
from tests.delivery.support import (
    WebhookReceiver,
    eventually,
    service_settings,
    subscribe_many,
    wait_for,
)
from tests.discord_emulator import DiscordEmulator


def reopen(asset: str = "BTC") -> StatusRequest:
    return StatusRequest(
        (Target(asset, Direction.WITHDRAWAL, State.OPERATIONAL),),
        Reason.MAINTENANCE,
        "",
        "ops:test",
        Source.CLI,
    )


async def test_closed_dms_and_lost_channels_are_disabled_after_one_try(
    emu: DiscordEmulator, db_path: Path
) -> None:
    guild = emu.add_guild("Zaif Community")
    users = [emu.add_user(f"user{i}") for i in range(40)]
    closed = emu.add_user("closed", dms_open=False)
    channels = [emu.add_channel(guild, f"alerts-{i}") for i in range(10)]
    no_access = emu.add_channel(guild, "locked", bot_can_send=False)
    operators = emu.add_channel(guild, "operators")
    gone = "123456789012345678"  # no such channel
    app = await Application.open(service_settings(db_path, emu))
    everyone: list[tuple[TargetKind, str, dict[str, Any]]] = [
        (TargetKind.DM, str(u), {}) for u in users[:20]
    ]
    everyone += [(TargetKind.DM, str(closed), {})]
    everyone += [(TargetKind.DM, str(u), {}) for u in users[20:]]
    everyone += [(TargetKind.CHANNEL, str(c), {"guild_id": str(guild)}) for c in channels]
    everyone += [(TargetKind.CHANNEL, str(no_access), {"guild_id": str(guild)})]
    everyone += [(TargetKind.CHANNEL, gone, {"guild_id": str(guild)})]
    everyone += [(TargetKind.CHANNEL, str(operators), {"events": EventFilter.OPERATOR})]
    await subscribe_many(app.db, everyone)
    await app.start()
    try:
        first = await app.services.status.change(reopen("BTC"))
        assert first.deliveries == 54
        await wait_for(
            lambda: (
                all(emu.dm_messages(u) for u in users) and all(emu.messages(c) for c in channels)
            ),
            10,
            "the rest of the fan-out",
        )
        # The operators hear of the change, of the two lost channels, (at start-up) of the
        # seeded 2018 order's reminders skipped as too late, and watch the fan-out's progress.
        await wait_for(
            lambda: len(emu.messages(operators)) == 5, 10, "the operators hearing of two channels"
        )
        subs = {s.target: s for s in await app.services.subscriptions.list()}
        for target in (str(closed), str(no_access), gone):
            assert not subs[target].active
            assert subs[target].disabled_reason
        assert "50007" in (subs[str(closed)].disabled_reason or "")
        assert "403" in (subs[str(no_access)].disabled_reason or "")
        assert "404" in (subs[gone].disabled_reason or "")
        assert all(subs[str(u)].active for u in users)
        # One try each, never looped. A message shows in Discord a moment before its row is
        # marked sent: wait for the marks, then check nothing else happened.
        expected = {"sent": 54 - 3 + 2 + 1 + 1, "failed": 3}

        async def settled() -> bool:
            return await app.db.repos.outbox.states() == expected

        await eventually(settled, 5, "the outbox marks")
        retried = app.metrics.deliveries.labels(outcome="retried", transport="dm")._value.get()
        retried += app.metrics.deliveries.labels(
            outcome="retried", transport="channel"
        )._value.get()
        assert retried == 0
        notices = [m["embeds"][0]["description"] for m in emu.messages(operators)]
        assert any(str(no_access) in text for text in notices)
        assert any(gone in text for text in notices)
        assert not any(str(closed) in text for text in notices)  # DMs are not reported

        # The next change skips the disabled targets altogether.
        second = await app.services.status.change(reopen("MONA"))
        assert second.deliveries == 51
        await wait_for(lambda: all(len(emu.dm_messages(u)) == 2 for u in users), 10, "round 2")
        assert emu.dm_messages(closed) == []
        assert app.metrics.deliveries.labels(outcome="failed", transport="dm")._value.get() == 1
    finally:
        await app.stop()


async def test_webhook_gone_is_disabled_and_server_errors_are_retried(
    emu: DiscordEmulator, db_path: Path
) -> None:
    receiver = WebhookReceiver()
    await receiver.start()
    receiver.secrets.update({"ok": "k1", "gone": "k2", "flaky": "k3"})
    receiver.statuses.update({"gone": 410, "flaky": 503})
    app = await Application.open(service_settings(db_path, None))
    await subscribe_many(
        app.db,
        [
            (TargetKind.WEBHOOK, receiver.url(name), {"secret": secret})
            for name, secret in receiver.secrets.items()
        ],
    )
    await app.start()
    try:
        await app.services.status.change(reopen())
        await wait_for(lambda: bool(receiver.received.get("ok")), 5, "the good webhook")

        async def settled() -> bool:
            subs = {s.target: s for s in await app.services.subscriptions.list()}
            return (
                not subs[receiver.url("gone")].active
                and subs[receiver.url("flaky")].last_error is not None
            )

        await eventually(settled, 5, "the gone webhook disabled, the flaky one failing")
        subs = {s.target: s for s in await app.services.subscriptions.list()}
        assert not subs[receiver.url("gone")].active
        assert subs[receiver.url("gone")].disabled_reason == "webhook answered 410"
        assert subs[receiver.url("flaky")].active
        assert subs[receiver.url("flaky")].last_error == "webhook answered 503"
        receiver.statuses.pop("flaky")
        # Backoff with jitter: the first retry comes within 1 to 2 seconds.
        await wait_for(lambda: bool(receiver.received.get("flaky")), 5, "the retried webhook")
        assert len(receiver.received["flaky"]) == 1
        assert receiver.bad_signatures == 0
    finally:
        await app.stop()
        await receiver.stop()


async def test_alerts_older_than_the_maximum_age_expire_unsent(
    emu: DiscordEmulator, db_path: Path
) -> None:
    guild = emu.add_guild("Zaif Community")
    channel = emu.add_channel(guild, "alerts")
    app = await Application.open(service_settings(db_path, emu, max_age_seconds=1))
    await subscribe_many(app.db, [(TargetKind.CHANNEL, str(channel), {})])
    # Written while no service runs (the CLI), and found only after the maximum age.
    assert (await app.services.status.change(reopen("MONA"))).deliveries == 1
    await asyncio.sleep(1.2)
    await app.start()
    try:
        fresh = await app.services.status.change(reopen("BCH"))
        await wait_for(lambda: len(emu.messages(channel)) == 1, 5, "the fresh alert")
        states = await app.db.repos.outbox.states()
    finally:
        await app.stop()
    assert states == {"expired": 1, "sent": 1}
    [message] = emu.messages(channel)
    assert message["embeds"][0]["fields"][0]["name"].startswith("BCH")
    assert fresh.deliveries == 1


async def test_without_discord_webhooks_still_go_and_discord_alerts_wait(db_path: Path) -> None:
    receiver = WebhookReceiver()
    await receiver.start()
    receiver.secrets["hook"] = "k"
    app = await Application.open(service_settings(db_path, None))  # no token: Discord off
    await subscribe_many(
        app.db,
        [
            (TargetKind.DM, "1234", {}),
            (TargetKind.WEBHOOK, receiver.url("hook"), {"secret": "k"}),
        ],
    )
    await app.start()
    try:
        await app.services.status.change(reopen("MONA"))
        await wait_for(lambda: bool(receiver.received.get("hook")), 5, "the webhook")
        await asyncio.sleep(1.2)  # two more polls
        states = await app.db.repos.outbox.states()
        async with app.db.transaction() as repos:
            pending = await repos.outbox.claim(utcnow(), utcnow(), 10)
    finally:
        await app.stop()
        await receiver.stop()
    assert states == {"sent": 1, "pending": 1}
    assert [d.attempts for d in pending] == [1]  # never tried before: it waits for Discord
