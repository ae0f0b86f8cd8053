"""Quiet hours and daily digests on a driven clock, through real discord.py to the emulator:
held alerts are told once, in one summary, at the window's end; a critical alert goes at once;
a day with nothing sends nothing; a subscriber gone before the summary gets nothing."""

from __future__ import annotations

import asyncio
import signal
import sqlite3
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.clock import JST
from bot.delivery.discord_transport import DiscordTransport, DmChannels
from bot.delivery.dispatcher import Dispatcher, DispatchSettings
from bot.delivery.dm_budget import DmOpenBudget, DmOpenPolicy
from bot.delivery.pacer import Pacer
from bot.delivery.webhook import WebhookTransport
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
from bot.metrics import Metrics
from bot.reference import shipped_reference
from bot.services.seed import seed
from bot.services.status import StatusService
from bot.services.subscriptions import SubscriptionService
from bot.store import Database, open_database
from tests.delivery.clocked import driven
from tests.delivery.support import (
    WebhookReceiver,
    dm_alerts,
    service_env,
    start_service,
    wait_for,
)
from tests.discord_emulator import DiscordEmulator

ROOT = Path(__file__).resolve().parents[2]
SPEED = 10  # the driven clock of the service process runs ten times as fast


class Clock:
    """The time the services and the dispatcher read; the test moves it."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def set(self, moment: datetime) -> None:
        self.now = moment.astimezone(UTC)


def jst(day: int, hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime(2026, 12, day, hour, minute, second, tzinfo=JST)


@dataclass
class Service:
    clock: Clock
    db_path: Path
    db: Database
    status: StatusService
    subscriptions: SubscriptionService
    dispatcher: Dispatcher


@pytest.fixture
async def service(emu: DiscordEmulator, db_path: Path) -> AsyncIterator[Service]:
    db = await open_database(db_path)
    await seed(db, shipped_reference())
    clock = Clock(jst(1, 22).astimezone(UTC))
    budget = DmOpenBudget(db, DmOpenPolicy(600))
    transport = DiscordTransport(emu.token, emu.api_base, Pacer(45), DmChannels(db), budget)
    config = DispatchSettings(poll_seconds=0.05, max_age_seconds=3 * 86400, concurrency=8)
    dispatcher = Dispatcher(
        db,
        config,
        Metrics(),
        {
            TargetKind.DM: transport,
            TargetKind.CHANNEL: transport,
            TargetKind.WEBHOOK: WebhookTransport(),
        },
        clock=clock,
    )
    await dispatcher.start()
    try:
        yield Service(
            clock,
            db_path,
            db,
            StatusService(db, on_event=dispatcher.wake, clock=clock),
            SubscriptionService(db, clock=clock),
            dispatcher,
        )
    finally:
        await dispatcher.stop()
        await db.close()


def change(asset: str, state: State, reason: Reason = Reason.MAINTENANCE) -> StatusRequest:
    return StatusRequest(
        (Target(asset, Direction.WITHDRAWAL, state),), reason, "", "ops", Source.CLI
    )


async def subscriber(service: Service, user: int, locale: str = "en") -> int:
    sub = await service.subscriptions.subscribe(
        TargetKind.DM,
        str(user),
        assets=None,
        events=EventFilter.ALL,
        locale=locale,
        created_by="test",
    )
    return sub.id


def summary_unmarked(db_path: Path) -> None:
    with sqlite3.connect(db_path) as raw:
        raw.execute("UPDATE deliveries SET state = 'held' WHERE state = 'summarised'")
        raw.execute(
            "UPDATE deliveries SET state = 'pending', message_id = NULL"
            " WHERE window_end IS NOT NULL"
        )


async def test_quiet_hours_hold_three_alerts_for_one_summary_and_let_a_critical_one_through(
    emu: DiscordEmulator, service: Service
) -> None:
    user = emu.add_user("night-owl")
    sub_id = await subscriber(service, user)
    await service.subscriptions.quiet(sub_id, "23:00", "7:00")  # over midnight
    for moment, asset in ((jst(1, 23, 30), "BTC"), (jst(2, 1), "MONA"), (jst(2, 3), "ZAIF")):
        service.clock.set(moment)
        await service.status.change(change(asset, State.DELAYED))
    await asyncio.sleep(0.5)
    assert dm_alerts(emu, user) == []
    assert await service.db.repos.outbox.states() == {"held": 3}

    service.clock.set(jst(2, 4))
    await service.status.change(change("BCH", State.OPERATIONAL))  # reopening: held too
    service.clock.set(jst(2, 4, 30))
    await service.status.change(change("XCP", State.DELAYED))
    await service.status.change(change("XCP", State.SUSPENDED, Reason.SECURITY_INCIDENT))
    await wait_for(lambda: len(dm_alerts(emu, user)) == 1, 3, "the critical alert")
    [critical] = dm_alerts(emu, user)
    # The held XCP alert is told with it (merged), not again in the summary.
    assert critical["embeds"][0]["fields"][0]["value"] == (
        "Withdrawal: Suspended (changed 2 times since 04:30: Suspended → Delayed → Suspended)"
    )

    service.clock.set(jst(2, 6, 59, 59))
    await asyncio.sleep(0.3)
    assert len(dm_alerts(emu, user)) == 1
    service.clock.set(jst(2, 7, 0, 1))
    await wait_for(lambda: len(dm_alerts(emu, user)) == 2, 3, "the summary")
    await asyncio.sleep(0.5)  # a second summary would show up now
    messages = dm_alerts(emu, user)
    assert len(messages) == 2
    summary = messages[1]["embeds"][0]
    assert summary["title"] == "Alerts during quiet hours (4)"
    lines = summary["description"].splitlines()
    assert lines[0] == "`12-01 23:30` BTC Withdrawal: Suspended → Delayed (Maintenance)"
    assert [line.split("` ")[1].split(" ")[0] for line in lines] == [
        "BTC",
        "MONA",
        "ZAIF",
        "BCH",
    ]
    labels = [b["label"] for row in messages[1]["components"] for b in row["components"]]
    assert labels == ["Unsubscribe"]  # about several assets: no Mute
    assert await service.db.repos.outbox.states() == {"sent": 2, "summarised": 4, "merged": 1}

    # As if the process died between Discord's answer and the marks: the summary goes again,
    # with the nonce of its own row, and Discord answers with the message it already has.
    # In a thread: the service, on this event loop, may be mid-transaction.
    await asyncio.to_thread(summary_unmarked, service.db_path)
    service.dispatcher.wake()
    await wait_for(lambda: emu.stats.duplicate_nonces == 1, 3, "the summary sent again")
    await asyncio.sleep(0.3)
    assert len(dm_alerts(emu, user)) == 2
    assert await service.db.repos.outbox.states() == {"sent": 2, "summarised": 4, "merged": 1}


async def test_a_daily_digest_a_day_with_events_a_day_without_and_a_subscriber_who_left(
    emu: DiscordEmulator, service: Service
) -> None:
    reader = emu.add_user("reader", locale="ja")
    leaver = emu.add_user("leaver")
    reader_sub = await subscriber(service, reader, locale="ja")
    leaver_sub = await subscriber(service, leaver)
    receiver = WebhookReceiver(secrets={"digest": "s3cret"})
    await receiver.start()
    hook = await service.subscriptions.subscribe(
        TargetKind.WEBHOOK,
        receiver.url("digest"),
        assets=None,
        events=EventFilter.ALL,
        locale="en",
        created_by="test",
        secret="s3cret",
    )
    for sub_id in (reader_sub, leaver_sub, hook.id):
        await service.subscriptions.digest(sub_id, "08:00")
    service.clock.set(jst(2, 12))
    await service.status.change(change("BTC", State.DELAYED))
    service.clock.set(jst(2, 18))
    # Another pair: a second BTC alert would be merged into the first while they wait.
    await service.status.change(change("MONA", State.OPERATIONAL))
    await service.subscriptions.remove(leaver_sub)
    service.clock.set(jst(3, 7, 59))
    await asyncio.sleep(0.3)
    assert emu.dm_messages(reader) == []
    service.clock.set(jst(3, 8, 0, 1))
    await wait_for(
        lambda: len(emu.dm_messages(reader)) == 1 and bool(receiver.received.get("digest")),
        3,
        "the digest",
    )
    [posted] = receiver.received["digest"]
    assert posted.headers["X-Event-Kind"] == "summary"
    held = posted.document["summary"]
    assert held["total"] == 2 and [e["kind"] for e in held["events"]] == ["status", "status"]
    assert posted.document["embed"]["title"] == "Daily digest (2)"
    [digest] = emu.dm_messages(reader)
    assert digest["embeds"][0]["title"] == "本日のまとめ(2件)"
    assert digest["embeds"][0]["footer"]["text"] == "2026-12-02 12:00 〜 2026-12-03 08:00(日本時間)"
    # The next day nothing happens, and nothing is sent.
    service.clock.set(jst(4, 8, 0, 1))
    await asyncio.sleep(0.5)
    assert len(emu.dm_messages(reader)) == 1
    assert emu.dm_messages(leaver) == []
    assert len(receiver.received["digest"]) == 1
    await receiver.stop()


async def test_a_sigkill_in_quiet_hours_then_a_restart_sends_the_summary_once(
    emu: DiscordEmulator, db_path: Path
) -> None:
    """The service runs as a process on a driven clock ten times as fast as the real one,
    starting two minutes before the quiet window ends."""
    user = emu.add_user("sleeper")
    spec = f"{time.time()} {jst(2, 6, 58).timestamp()} {SPEED}"
    clock = driven(spec)
    db = await open_database(db_path)
    try:
        await seed(db, shipped_reference())
        subscriptions = SubscriptionService(db, clock=clock)
        sub = await subscriptions.subscribe(
            TargetKind.DM,
            str(user),
            assets=None,
            events=EventFilter.ALL,
            locale="en",
            created_by="test",
        )
        await subscriptions.quiet(sub.id, "23:00", "07:00")
    finally:
        await db.close()
    env = service_env(db_path, emu)
    env["TEST_CLOCK"] = spec
    env["PYTHONPATH"] = str(ROOT)
    service = await start_service(env, db_path.parent, "tests.delivery.clocked")
    try:
        db = await open_database(db_path)
        try:
            status = StatusService(db, clock=clock)
            for asset in ("BTC", "MONA", "ZAIF"):
                await status.change(change(asset, State.DELAYED))
            assert await db.repos.outbox.states() == {"held": 3}
        finally:
            await db.close()
        await asyncio.sleep(1.0)
        assert dm_alerts(emu, user) == []
        service.send_signal(signal.SIGKILL)
        await service.wait()
        assert clock() < jst(2, 7).astimezone(UTC), "the kill must land in the window"
        service = await start_service(env, db_path.parent, "tests.delivery.clocked")
        await wait_for(lambda: len(dm_alerts(emu, user)) == 1, 20, "the summary")
        assert clock() >= jst(2, 7).astimezone(UTC)
        await asyncio.sleep(1.5)  # a second summary would show up now
    finally:
        if service.returncode is None:
            service.send_signal(signal.SIGTERM)
            await asyncio.wait_for(service.wait(), 15)
    [summary] = dm_alerts(emu, user)
    assert summary["embeds"][0]["title"] == "Alerts during quiet hours (3)"
    db = await open_database(db_path)
    try:
        assert await db.repos.outbox.states() == {"sent": 1, "summarised": 3}
    finally:
        await db.close()


async def test_back_to_instant_in_quiet_hours_sends_what_was_held_at_once(
    emu: DiscordEmulator, service: Service
) -> None:
    user = emu.add_user("changed-mind")
    sub_id = await subscriber(service, user)
    await service.subscriptions.quiet(sub_id, "22:00", "06:00")
    service.clock.set(jst(1, 23))
    await service.status.change(change("MONA", State.DELAYED))
    await asyncio.sleep(0.3)
    assert dm_alerts(emu, user) == []
    await service.subscriptions.instant(sub_id)
    await wait_for(lambda: len(dm_alerts(emu, user)) == 1, 3, "the held alert")
    [told] = dm_alerts(emu, user)
    assert told["embeds"][0]["title"] == "Alerts held for you (1)"
    await service.status.change(change("MONA", State.OPERATIONAL))
    await wait_for(lambda: len(dm_alerts(emu, user)) == 2, 3, "the next alert, at once")
    assert dm_alerts(emu, user)[1]["embeds"][0]["title"] == "Deposit/withdrawal status update"


async def test_an_alert_stamped_before_the_end_but_written_after_the_summary_goes_at_once(
    emu: DiscordEmulator, service: Service
) -> None:
    user = emu.add_user("early-riser")
    sub_id = await subscriber(service, user)
    await service.subscriptions.quiet(sub_id, "23:00", "07:00")
    service.clock.set(jst(2, 1))
    await service.status.change(change("BTC", State.DELAYED))
    service.clock.set(jst(2, 7, 0, 1))
    await wait_for(lambda: len(dm_alerts(emu, user)) == 1, 3, "the summary")
    summary = dm_alerts(emu, user)[0]["embeds"][0]
    assert summary["title"] == "Alerts during quiet hours (1)"
    await wait_for_states(service, {"sent": 1, "summarised": 1})

    # A change whose clock was read at 06:59:59 (its process then waited for the write lock
    # while the summary went): stamped inside the window, written after its release.
    late = StatusService(
        service.db, on_event=service.dispatcher.wake, clock=lambda: jst(2, 6, 59, 59)
    )
    await late.change(change("MONA", State.DELAYED))
    await wait_for(lambda: len(dm_alerts(emu, user)) == 2, 3, "the late alert, at once")
    alert = dm_alerts(emu, user)[1]["embeds"][0]
    assert alert["title"] == "Deposit/withdrawal status update"
    assert "MONA" in str(alert)
    await wait_for_states(service, {"sent": 2, "summarised": 1})


async def wait_for_states(service: Service, expected: dict[str, int]) -> None:
    """The outbox settles on `expected` (a message shows in Discord just before its mark)."""
    deadline = time.monotonic() + 3
    while (states := await service.db.repos.outbox.states()) != expected:
        assert time.monotonic() < deadline, states
        await asyncio.sleep(0.05)
