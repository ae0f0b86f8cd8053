"""GET /api/v1/deliveries[/{event}]: a fan-out's progress for a token with `reports`, the same
figures as the operators' progress message and the CLI's `deliveries`, while it runs and once
it is done; refusals as problems."""

from __future__ import annotations

import asyncio
import gc
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from bot.clock import utcnow
from bot.domain import Direction, Reason, Source, State, StatusRequest, Target, TargetKind
from bot.services.progress import figures, progress
from bot.web.openapi import document
from tests.delivery.support import emulated_discord, subscribe_many
from tests.discord_emulator import DiscordEmulator
from tests.web.back_office import Live, live_service

CHANNELS = 30
SCHEMA = {"$ref": "#/components/schemas/FanOutProgress", "components": document()["components"]}


@pytest.fixture
async def emu() -> AsyncIterator[DiscordEmulator]:
    async with emulated_discord() as emulator:
        yield emulator
    gc.unfreeze()


async def get(live: Live, path: str, token: str | None) -> tuple[int, dict[str, Any]]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with live.http.get(live.url + path, headers=headers) as response:
        return response.status, json.loads(await response.text())


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
async def test_a_reports_token_follows_a_fan_out_to_its_end(
    engine: str, tmp_path: Path, emu: DiscordEmulator
) -> None:
    guild = emu.add_guild("Zaif Community")
    channels = [emu.add_channel(guild, f"alerts-{n}") for n in range(CHANNELS)]
    emu.global_limit_per_second = 20  # slow enough to see the fan-out under way
    async with live_service(engine, tmp_path, emu) as live:
        await subscribe_many(live.app.db, [(TargetKind.CHANNEL, str(c), {}) for c in channels])
        token = await live.token("ops-desk", ["reports"])
        status, body = await get(live, "api/v1/deliveries", token)
        assert (status, body["code"]) == (404, "no_fan_out")
        assert body["detail_ja"] and body["detail_en"]

        changed = await live.app.services.status.change(
            StatusRequest(
                (Target("BTC", Direction.DEPOSIT, State.DELAYED),),
                Reason.NETWORK_CONGESTION, "", "ops", Source.CLI,
            )
        )  # fmt: skip
        assert changed.event is not None
        event_id = changed.event.id
        seen: list[dict[str, Any]] = []
        for _ in range(200):
            status, body = await get(live, "api/v1/deliveries", token)
            assert status == 200, body
            jsonschema.validate(body, SCHEMA)
            seen.append(body)
            if body["done"]:
                break
            await asyncio.sleep(0.1)
        assert seen[-1]["done"], "the fan-out did not end"
        assert {b["event_id"] for b in seen} == {event_id}
        assert {b["total"] for b in seen} == {CHANNELS}
        assert any(not b["done"] and b["queued"] > 0 for b in seen)  # seen under way
        final = seen[-1]
        assert (final["reached"], final["queued"], final["failed"], final["eta_seconds"]) == (
            CHANNELS, 0, 0, 0
        )  # fmt: skip
        [lane] = final["lanes"]
        assert (lane["lane"], lane["reached"], lane["total"]) == ("channels", CHANNELS, CHANNELS)

        status, named = await get(live, f"api/v1/deliveries/{event_id}", token)
        assert status == 200 and named == final  # done: the figures no longer move
        counts = await live.app.services.deliveries.counts(event_id)
        assert counts is not None
        assert figures(progress(counts, utcnow())) == final  # the CLI's and Discord's figures

        status, body = await get(live, "api/v1/deliveries/999999", token)
        assert (status, body["code"]) == (404, "fan_out_not_found")
        status, body = await get(live, "api/v1/deliveries", None)
        assert (status, body["code"]) == (401, "unauthorized")
        writer = await live.token("writer", ["status"])
        status, body = await get(live, "api/v1/deliveries", writer)
        assert (status, body["code"], body["detail_en"].count("reports")) == (
            403, "missing_scope", 1
        )  # fmt: skip
        status, body = await get(live, f"api/v1/deliveries/{2**64}", token)
        assert (status, body["code"]) == (404, "fan_out_not_found")  # past any id
