"""A scripted day against the Discord emulator, shared by the report's end-to-end tests: an
incident opened and updated, three status changes, a maintenance window, an order and a
translation added later; 200 DM subscribers (one with DMs closed, one in quiet hours), two
channels and a webhook. Each step waits until its alerts are all sent, failed or held."""

from __future__ import annotations

import asyncio
import sqlite3
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.app import Application
from bot.clock import JST, from_db, utcnow
from bot.domain import (
    Direction,
    Impact,
    IncidentStage,
    NewIncident,
    NewMaintenance,
    NewOrder,
    OrderAction,
    Reason,
    Source,
    State,
    StatusRequest,
    Target,
    TargetKind,
)
from tests.cli.conftest import cli_env
from tests.delivery.support import WebhookReceiver, eventually, service_settings, subscribe_many
from tests.discord_emulator import DiscordEmulator

DM_SUBSCRIBERS = 200
OPS = "ops:day"


@dataclass
class Day:
    """What the emulator and the webhook receiver saw, per event id."""

    db_path: Path
    start: datetime
    end: datetime
    received: Counter[int] = field(default_factory=Counter)  # messages that arrived
    refused: Counter[int] = field(default_factory=Counter)  # DMs refused (closed)
    dm_closed: int = 0
    quiet_user: int = 0

    def report(self, *args: str) -> subprocess.CompletedProcess[str]:
        """`report` through the real CLI, over the day's period."""
        return subprocess.run(
            [sys.executable, "-m", "bot", "report", "--from", _local(self.start),
             "--to", _local(self.end), *args],
            capture_output=True, text=True, env=cli_env(self.db_path), timeout=120,
        )  # fmt: skip


def _local(moment: datetime) -> str:
    return moment.astimezone(JST).strftime("%Y-%m-%d %H:%M")


async def _settled(app: Application) -> None:
    """Nothing left to send: every delivery sent, failed or held (quiet hours)."""

    async def done() -> bool:
        states = await app.db.repos.outbox.states()
        return states.get("pending", 0) == 0

    await eventually(done, 60, "every alert of the step sent")


def _status(asset: str, state: State, note: str = "") -> StatusRequest:
    return StatusRequest(
        tuple(Target(asset, d, state) for d in Direction), Reason.MAINTENANCE, note, OPS, Source.CLI
    )


async def run_day(emu: DiscordEmulator, db_path: Path) -> Day:
    receiver = WebhookReceiver()
    await receiver.start()
    receiver.secrets["hook"] = "day-secret"
    guild = emu.add_guild("Zaif Community", locale="ja")
    users = [emu.add_user(f"user{i}", locale="ja") for i in range(DM_SUBSCRIBERS - 1)]
    closed = emu.add_user("closed", dms_open=False)
    channels = [emu.add_channel(guild, f"alerts-{i}") for i in range(2)]
    app = await Application.open(service_settings(db_path, emu))
    everyone: list[tuple[TargetKind, str, dict[str, Any]]] = [
        (TargetKind.DM, str(u), {"locale": "en" if i % 4 == 0 else "ja"})
        for i, u in enumerate(users)
    ]
    everyone.insert(50, (TargetKind.DM, str(closed), {}))
    everyone += [(TargetKind.CHANNEL, str(c), {"guild_id": str(guild)}) for c in channels]
    everyone += [(TargetKind.WEBHOOK, receiver.url("hook"), {"secret": "day-secret"})]
    await subscribe_many(app.db, everyone)
    quiet_user = users[10]
    subs = {s.target: s for s in await app.services.subscriptions.list()}
    now = utcnow().astimezone(JST)
    await app.services.subscriptions.quiet(
        subs[str(quiet_user)].id,
        (now - timedelta(hours=1)).strftime("%H:%M"),
        (now + timedelta(hours=3)).strftime("%H:%M"),
    )
    start = utcnow() - timedelta(minutes=1)
    await app.start()
    try:
        s = app.services
        incident, _ = await s.incidents.open(
            NewIncident("BTC 出金遅延", "調査中です", Impact.MINOR, assets=("BTC",)),
            actor=OPS, source=Source.CLI,
        )  # fmt: skip
        await _settled(app)
        await s.incidents.update(
            incident.id, IncidentStage.IDENTIFIED, "原因を特定しました", actor=OPS,
            source=Source.CLI,
        )  # fmt: skip
        await _settled(app)
        await s.status.change(_status("BTC", State.OPERATIONAL, "ノードの再同期完了"))
        await _settled(app)
        await s.status.change(_status("MONA", State.DELAYED, "送金の混雑"))
        await _settled(app)
        await s.status.change(_status("BTC", State.SUSPENDED, "再点検"))
        await _settled(app)
        begins = utcnow() + timedelta(hours=6)
        await s.maintenance.schedule(
            NewMaintenance(("BCH",), "both", begins, begins + timedelta(hours=2),
                           Reason.WALLET_UPGRADE, note_ja="ウォレット更新"),
            actor=OPS, source=Source.CLI,
        )  # fmt: skip
        await _settled(app)
        await s.orders.add(
            NewOrder("近畿財務局", OrderAction.REPORT_ORDER, date(2030, 1, 10), slug="day-order"),
            actor=OPS, source=Source.CLI,
        )  # fmt: skip
        await _settled(app)
        await s.translations.translate_status(
            "MONA", (Direction.WITHDRAWAL,), "Network congestion", actor=OPS, source=Source.CLI
        )
        await asyncio.sleep(0.5)  # marks of the last sends are written in batches
    finally:
        await app.stop()
        await receiver.stop()
    end = utcnow() + timedelta(minutes=2)
    day = Day(db_path, start, end, dm_closed=closed, quiet_user=quiet_user)
    by_time = _event_times(db_path)
    targets = [emu.dm_messages(u) for u in (*users, closed)] + [emu.messages(c) for c in channels]
    for messages in targets:
        for message in messages:
            day.received[by_time[_stamp(message)]] += 1
    for found in receiver.received.get("hook", []):
        day.received[int(found.document["event"]["id"])] += 1
    for _, asked in emu.world.refused_dms:
        day.refused[by_time[_stamp(asked)]] += 1
    return day


def _stamp(message: dict[str, Any]) -> datetime:
    """An alert's embed carries its event's time: which event the message told."""
    return datetime.fromisoformat(message["embeds"][0]["timestamp"])


def _event_times(db_path: Path) -> dict[datetime, int]:
    with sqlite3.connect(db_path) as conn:
        rows = conn.execute("SELECT created_at, id FROM events").fetchall()
    return {from_db(text): int(event_id) for text, event_id in rows}
