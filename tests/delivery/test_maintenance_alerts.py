"""End to end, by the real clock: an operator schedules a window a few seconds ahead with
/operator maintenance schedule; the running service reminds, starts and ends it, and each
subscriber gets each notice once, in its language, cut to its assets. An operator reopens BTC
deposits during the window: the end leaves them as set, and its notice says so."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import timedelta
from pathlib import Path

from bot.app import Application
from bot.chat.component import DiscordFrontEnd
from bot.clock import JST, utcnow
from bot.domain import EventFilter, TargetKind
from bot.settings import MaintenanceSettings
from tests.chat.conftest import wait_for_guild
from tests.delivery.support import bot_settings, operated_guild, subscribe_many, wait_for
from tests.discord_emulator import DiscordEmulator

STEPS_JA = [
    "メンテナンスのお知らせ",
    "メンテナンス開始まであと4秒",
    "メンテナンス開始まであと2秒",
    "メンテナンスを開始しました",
    "メンテナンスが終了しました",
]
STEPS_EN = [
    "Scheduled maintenance",
    "Maintenance starts in 4 second(s)",
    "Maintenance starts in 2 second(s)",
    "Maintenance started",
    "Maintenance completed",
]


def _rows(path: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(path) as conn:
        return [tuple(r) for r in conn.execute(sql).fetchall()]


async def test_a_window_a_few_seconds_ahead_from_schedule_to_end(
    emu: DiscordEmulator, db_path: Path
) -> None:
    guild = operated_guild(emu)
    aiko = emu.add_user("aiko", locale="ja")  # status alerts, BTC
    ben = emu.add_user("ben", locale="en-US")  # maintenance notices, every asset
    carol = emu.add_user("carol", locale="ja")  # orders only
    dan = emu.add_user("dan", locale="ja")  # status alerts, MONA only
    settings = bot_settings(
        db_path,
        emu,
        guild,
        maintenance=MaintenanceSettings(remind_before_hours=[4 / 3600, 2 / 3600]),
    )
    app = await Application.open(settings)
    await subscribe_many(
        app.db,
        [
            (TargetKind.DM, str(aiko), {"events": EventFilter.STATUS, "assets": ["BTC"]}),
            (TargetKind.DM, str(ben), {"events": EventFilter.MAINTENANCE, "locale": "en"}),
            (TargetKind.DM, str(carol), {"events": EventFilter.ORDERS}),
            (TargetKind.DM, str(dan), {"events": EventFilter.STATUS, "assets": ["MONA"]}),
        ],
    )
    await app.start()
    try:
        await emu.wait_ready(timeout=10)
        await emu.wait_commands(guild.id, timeout=10)
        front = next(c for c in app.components if isinstance(c, DiscordFrontEnd))
        await wait_for_guild(front, guild.id)
        starts = (utcnow() + timedelta(seconds=10)).replace(microsecond=0)
        ends = starts + timedelta(seconds=6)
        done = await emu.invoke(
            "operator maintenance schedule",
            {
                "assets": "btc",
                "direction": "both",
                "starts": starts.astimezone(JST).strftime("%Y-%m-%d %H:%M:%S"),
                "ends": ends.astimezone(JST).strftime("%Y-%m-%d %H:%M:%S"),
                "reason": "wallet_upgrade",
                "note": "ウォレットを更新します",
            },
            user=guild.duty,
            guild=guild.id,
        )
        assert done.content is not None and done.content.startswith("メンテナンス #1 を登録")
        await wait_for(lambda: len(emu.dm_messages(aiko)) >= 4, 20, "the start notice")
        reopened = await emu.invoke(
            "operator set-status",
            {
                "asset": "btc",
                "direction": "deposit",
                "state": "operational",
                "reason": "other",
            },
            user=guild.duty,
            guild=guild.id,
        )
        assert reopened.content is not None and reopened.content.startswith("1 件")
        await wait_for(
            lambda: len(emu.dm_messages(aiko)) >= 6 and len(emu.dm_messages(ben)) >= 5,
            25,
            "the notices",
        )
        await asyncio.sleep(1)  # anything sent twice would have arrived by now
    finally:
        await app.stop()
    titles = [m["embeds"][0]["title"] for m in emu.dm_messages(aiko)]
    assert titles == [*STEPS_JA[:4], "入出金状況のお知らせ", STEPS_JA[4]]  # the operator's change
    assert [m["embeds"][0]["title"] for m in emu.dm_messages(ben)] == STEPS_EN
    assert emu.dm_messages(carol) == [] and emu.dm_messages(dan) == []
    started = emu.dm_messages(ben)[3]["embeds"][0]
    changes = next(f["value"] for f in started["fields"] if f["name"] == "Status changes")
    assert changes == (
        "BTC Deposit: Suspended → Maintenance\nBTC Withdrawal: Suspended → Maintenance"
    )

    ended = emu.dm_messages(ben)[4]["embeds"][0]
    fields = {f["name"]: f["value"] for f in ended["fields"]}
    assert fields["Status changes"] == "BTC Withdrawal: Maintenance → Suspended"
    assert fields["Not put back"].startswith("BTC Deposit: Operational\nAn operator changed")

    history = _rows(
        db_path,
        "SELECT h.event_id, h.new_state, h.actor, h.source, e.kind FROM status_history h"
        " JOIN events e ON e.id = h.event_id WHERE h.asset = 'BTC' ORDER BY h.id",
    )
    assert [r[1:] for r in history] == [
        ("maintenance", "maintenance:1", "system", "maintenance"),
        ("maintenance", "maintenance:1", "system", "maintenance"),
        ("operational", f"discord:{guild.duty}", "discord", "status"),
        ("suspended", "maintenance:1", "system", "maintenance"),
    ]
    assert history[0][0] == history[1][0]  # the start: both pairs in one event
    assert _rows(
        db_path, "SELECT direction, state FROM asset_status WHERE asset = 'BTC' ORDER BY direction"
    ) == [("deposit", "operational"), ("withdrawal", "suspended")]
    assert _rows(db_path, "SELECT state FROM maintenances") == [("completed",)]
