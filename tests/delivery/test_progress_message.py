"""The operators watch a 400-recipient fan-out, with the whole service running against the
emulator: one progress message in their channel, edited as the fan-out goes (at most every 5 s)
and ending with the totals; /healthz stays 200 throughout and /metrics shows the queue per lane;
`/operator delivery` and the CLI's `deliveries` show the same figures."""

from __future__ import annotations

import asyncio
import os
import sys
from datetime import datetime
from itertools import pairwise
from pathlib import Path
from typing import Any

import aiohttp

from bot.chat.component import DiscordFrontEnd
from bot.domain import State, TargetKind
from bot.settings import DeliverySettings, WebSettings
from bot.web.server import WebServer
from tests.delivery.fanout import change
from tests.delivery.support import bot_settings, operated_guild, serving, subscribe_many
from tests.discord_emulator import DiscordEmulator

DMS = 400


def progress_of(messages: list[dict[str, Any]]) -> dict[str, Any] | None:
    for message in messages:
        title = str(message["embeds"][0].get("title", "")) if message["embeds"] else ""
        if title.startswith(("配信状況", "配信完了")):
            return message
    return None


async def test_a_400_recipient_fan_out_has_one_progress_message_edited_as_it_goes(
    emu: DiscordEmulator, db_path: Path
) -> None:
    guild = operated_guild(emu)
    ops = emu.add_channel(guild.id, "operators")
    users = [emu.add_user(f"user-{n}") for n in range(DMS)]
    # DM channels opened as fast as the budget of requests lets (not the DM-open budget's test).
    opens = DeliverySettings(dm_opens_per_minute=6000)
    settings = bot_settings(db_path, emu, guild, web=WebSettings(port=0), delivery=opens)
    settings = settings.model_copy(
        update={"discord": settings.discord.model_copy(update={"operator_channel_id": ops})}
    )
    edits: list[tuple[str, str]] = []  # (edited at, description), each edit once
    health: list[int] = []
    metrics = ""
    async with serving(settings, emu, guild) as app:
        web = next(c for c in app.components if isinstance(c, WebServer))
        front = next(c for c in app.components if isinstance(c, DiscordFrontEnd))
        await asyncio.wait_for(front.wait_ready(), 10)  # healthy before the fan-out begins
        await app.services.status.change(change("BTC", State.OPERATIONAL))  # only ops see it
        await subscribe_many(app.db, [(TargetKind.DM, str(u), {}) for u in users])
        changed = await app.services.status.change(change("BTC", State.DELAYED))
        assert changed.event is not None
        event_id = changed.event.id
        async with aiohttp.ClientSession() as http:
            for _ in range(int(120 / 0.25)):
                await asyncio.sleep(0.25)
                async with http.get(web.url + "healthz") as response:
                    health.append(response.status)
                message = progress_of(emu.messages(ops))
                if message is None or not message.get("edited_timestamp"):
                    continue
                seen = (str(message["edited_timestamp"]), message["embeds"][0]["description"])
                if not edits or edits[-1] != seen:
                    edits.append(seen)
                if not metrics:
                    async with http.get(web.url + "metrics") as response:
                        metrics = await response.text()
                if message["embeds"][0]["title"].startswith("配信完了"):
                    break
        delivery = await emu.invoke(
            "operator delivery", {}, user=guild.duty, guild=guild.id, locale="en-US"
        )

    final = progress_of(emu.messages(ops))
    assert final is not None
    embed = final["embeds"][0]
    assert embed["title"] == f"配信完了: イベント #{event_id}"
    total = DMS + 1  # and the operators' channel itself
    assert embed["description"] == f"{total}/{total} 件に届きました"
    fields = {f["name"]: f["value"] for f in embed["fields"]}
    assert fields["DM"] == f"{DMS}/{DMS}" and fields["失敗"] == "なし" and "所要時間" in fields
    assert len(edits) >= 3, "edited at least twice while going, then the totals"
    assert all(not d.startswith(f"{total}/") for _, d in edits[:2])
    moments = [datetime.fromisoformat(at) for at, _ in edits]
    assert all((b - a).total_seconds() >= 4.5 for a, b in pairwise(moments))
    assert len([m for m in emu.messages(ops) if progress_of([m])]) == 1
    assert set(health) == {200}
    assert 'bot_delivery_queue{lane="dms"}' in metrics and "bot_delivery_eta_seconds" in metrics
    assert 'bot_delivery_lag_seconds{lane="dms"}' in metrics
    assert all(len(emu.dm_messages(u)) == 1 for u in users)

    shown = delivery.embeds[0]
    assert shown["title"] == f"Delivered event #{event_id}"
    assert shown["description"] == f"{total}/{total} reached"
    env = {k: v for k, v in os.environ.items() if not k.startswith("BOT_")}
    env["BOT_DATABASE__PATH"] = str(db_path)
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "deliveries",
        str(event_id),
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        cwd=db_path.parent,
    )
    out, err = await process.communicate()
    assert process.returncode == 0, err.decode()
    lines = out.decode().splitlines()
    assert lines[:4] == [
        f"Delivered event #{event_id}",
        f"{total}/{total} reached",
        "  Operators' channel: 1/1",
        f"  DMs: {DMS}/{DMS}",
    ]
