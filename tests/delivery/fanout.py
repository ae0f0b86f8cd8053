"""A service for fan-out tests, in this process on the real clock: the status service and the
dispatcher, sending through real discord.py to the emulator at Discord's own 50/s with the
default budget of 45/s, and webhooks to a local receiver."""

from __future__ import annotations

import contextlib
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from bot.delivery.discord_transport import DiscordTransport, DmChannels
from bot.delivery.dispatcher import Dispatcher, DispatchSettings
from bot.delivery.dm_budget import DmOpenBudget, DmOpenPolicy
from bot.delivery.pacer import Pacer
from bot.delivery.webhook import WebhookTransport
from bot.domain import Direction, Reason, Source, State, StatusRequest, Target, TargetKind
from bot.metrics import Metrics
from bot.reference import shipped_reference
from bot.services.seed import seed
from bot.services.status import StatusService
from bot.store import Database, open_database
from tests.delivery.support import WebhookReceiver
from tests.discord_emulator import DiscordEmulator

BUDGET = 45.0  # the default rate_per_second, under the emulator's (Discord's) 50/s


@dataclass
class FanOut:
    db: Database
    status: StatusService
    dispatcher: Dispatcher
    metrics: Metrics
    hooks: WebhookReceiver


@contextlib.asynccontextmanager
async def fan_out_service(
    emu: DiscordEmulator, db_path: Path, concurrency: int = 32, start: bool = True
) -> AsyncIterator[FanOut]:
    """With `start` False the dispatcher waits for the test to start it: what is queued until
    then stays unclaimed."""
    db = await open_database(db_path)
    await seed(db, shipped_reference())
    hooks = WebhookReceiver()
    await hooks.start()
    metrics = Metrics()
    # DM channels opened as fast as the pacer lets (a fan-out test, not one of the DM-open
    # budget, whose default of 30 a minute would take 13 minutes for 400 new DMs).
    opens = DmOpenBudget(db, DmOpenPolicy(6000))
    transport = DiscordTransport(emu.token, emu.api_base, Pacer(BUDGET), DmChannels(db), opens)
    config = DispatchSettings(poll_seconds=0.5, max_age_seconds=3600, concurrency=concurrency)
    dispatcher = Dispatcher(
        db,
        config,
        metrics,
        {
            TargetKind.DM: transport,
            TargetKind.CHANNEL: transport,
            TargetKind.WEBHOOK: WebhookTransport(),
        },
    )
    if start:
        await dispatcher.start()
    try:
        yield FanOut(db, StatusService(db, on_event=dispatcher.wake), dispatcher, metrics, hooks)
    finally:
        await dispatcher.stop()
        await hooks.stop()
        await db.close()


def change(
    asset: str,
    state: State,
    reason: Reason = Reason.MAINTENANCE,
    direction: Direction = Direction.WITHDRAWAL,
) -> StatusRequest:
    return StatusRequest((Target(asset, direction, state),), reason, "", "ops", Source.CLI)


def sent_at(message: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(message["timestamp"])


def mentions(message: dict[str, Any], text: str) -> bool:
    """Whether the message's embeds say `text` anywhere."""
    return text in json.dumps(message["embeds"], ensure_ascii=False)
