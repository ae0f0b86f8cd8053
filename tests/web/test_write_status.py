"""POST /api/v1/status/changes against the running service, on SQLite and on PostgreSQL: a token
with the `status` scope changes BTC, a DM subscriber on the Discord emulator hears of it once,
history names `api:<token>`; Idempotency-Key, the 401/403/413/415/400/422/429 refusals."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.domain import Source
from tests.delivery.support import emulated_discord, wait_for
from tests.discord_emulator import DiscordEmulator
from tests.web.back_office import live_service

ENGINES = ["sqlite", "postgresql"]
BTC_DELAYED = {
    "assets": ["btc"],
    "deposit": "delayed",
    "reason": "network_congestion",
    "note": "BTC の入金反映が遅れています",
    "note_en": "BTC deposits are delayed",
}


@pytest.fixture
async def emu() -> AsyncIterator[DiscordEmulator]:
    async with emulated_discord() as emulator:
        yield emulator
    gc.unfreeze()


def assert_problem(document: dict[str, object], status: int, code: str) -> None:
    assert document["status"] == status and document["code"] == code
    assert {"type", "title", "detail", "detail_ja", "detail_en"} <= document.keys()
    assert document["detail_ja"] != document["detail_en"]


@pytest.mark.parametrize("engine", ENGINES)
async def test_a_status_token_changes_btc_and_the_dm_subscriber_hears_once(
    engine: str, tmp_path: Path, emu: DiscordEmulator
) -> None:
    user = emu.add_user("kenji", locale="ja")
    async with live_service(engine, tmp_path, emu, dm_users=[user]) as live:
        token = await live.token("wallet-monitor", ["status"])
        status, body, headers = await live.post("api/v1/status/changes", BTC_DELAYED, token=token)
        assert status == 201, body
        assert body["changes"] == [
            {
                "asset": "BTC",
                "direction": "deposit",
                "old_state": "suspended",
                "new_state": "delayed",
            }
        ]
        assert isinstance(body["event_id"], int)
        assert "Set-Cookie" not in headers and "Access-Control-Allow-Origin" not in headers
        await wait_for(lambda: bool(emu.dm_messages(user)), 10, "the alert by DM")
        [history] = await live.app.services.status.history("BTC", 1)
        assert (history.actor, history.source) == ("api:wallet-monitor", Source.API)
        async with live.http.get(live.url + "api/v1/assets/BTC/history?limit=1") as response:
            public = await response.json()
        assert public["changes"][0]["source"] == "api"
        # The same state again is a no-op: 200, no event.
        status, again, _ = await live.post("api/v1/status/changes", BTC_DELAYED, token=token)
        assert (status, again["event_id"], again["changes"]) == (200, None, [])
        await asyncio.sleep(1.0)
        [dm] = emu.dm_messages(user)
        assert "遅延" in dm["embeds"][0]["fields"][0]["value"]


@pytest.mark.parametrize("engine", ENGINES)
async def test_the_same_idempotency_key_twice_is_one_event_and_one_alert(
    engine: str, tmp_path: Path, emu: DiscordEmulator
) -> None:
    user = emu.add_user("aiko", locale="ja")
    async with live_service(engine, tmp_path, emu, dm_users=[user]) as live:
        token = await live.token("node-team", ["status"])
        first = await live.post("api/v1/status/changes", BTC_DELAYED, token=token, key="k-1")
        second = await live.post("api/v1/status/changes", BTC_DELAYED, token=token, key="k-1")
        assert first[0] == second[0] == 201
        assert first[1] == second[1]
        assert second[2].get("Idempotent-Replayed") == "true"
        other = {**BTC_DELAYED, "deposit": "suspended"}
        status, body, _ = await live.post("api/v1/status/changes", other, token=token, key="k-1")
        assert status == 422
        assert_problem(body, 422, "idempotency_key_reused")
        await wait_for(lambda: bool(emu.dm_messages(user)), 10, "the alert by DM")
        await asyncio.sleep(1.0)  # a second alert would be here by now
        assert len(emu.dm_messages(user)) == 1
        history = await live.app.services.status.history("BTC", 5)
        assert [c.new_state.value for c in history if c.source is Source.API] == ["delayed"]
    # The key is in the database: it holds for another process after a restart.
    if engine == "sqlite":
        async with live_service(engine, tmp_path) as again:
            await asyncio.sleep(0)
            replay = await again.post("api/v1/status/changes", BTC_DELAYED, token=token, key="k-1")
            assert replay[:2] == first[:2]


@pytest.mark.parametrize("engine", ENGINES)
async def test_tokens_scopes_and_bodies_are_refused_as_problems(
    engine: str, tmp_path: Path
) -> None:
    async with live_service(engine, tmp_path) as live:
        path = "api/v1/status/changes"
        status, none, headers = await live.post(path, BTC_DELAYED)
        assert status == 401 and headers["WWW-Authenticate"] == "Bearer"
        assert headers["Content-Type"].startswith("application/problem+json")
        assert_problem(none, 401, "unauthorized")
        unknown = await live.post(path, BTC_DELAYED, token="esb_" + "x" * 43)
        revoked_token = await live.token("old", ["status"])
        await live.app.services.tokens.revoke("old")
        revoked = await live.post(path, BTC_DELAYED, token=revoked_token)
        assert unknown[:2] == revoked[:2] == (401, none)  # never existed, or revoked: the same
        beats = await live.token("beats-only", ["heartbeats"])
        status, body, _ = await live.post(path, BTC_DELAYED, token=beats)
        assert_problem(body, 403, "missing_scope")
        assert "status" in body["detail_en"] and "status" in body["detail_ja"]
        token = await live.token("ops", ["status"])
        status, body, _ = await live.post(
            path,
            data=b"x" * (64 * 1024 + 1),
            token=token,
            headers={"Content-Type": "application/json"},
        )
        assert_problem(body, 413, "payload_too_large")
        status, body, _ = await live.post(
            path,
            data=b"assets=BTC&deposit=delayed",
            token=token,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        assert_problem(body, 415, "unsupported_media_type")
        status, body, _ = await live.post(
            path,
            data=b'{"assets": ["BTC"',
            token=token,
            headers={"Content-Type": "application/json"},
        )
        assert_problem(body, 400, "malformed_json")
        for bad, code in [
            ({**BTC_DELAYED, "assets": ["ETH"]}, "unknown_asset"),
            ({**BTC_DELAYED, "deposit": "sleeping"}, "bad_field"),
            ({**BTC_DELAYED, "colour": "red"}, "unknown_field"),
            ({"assets": ["BTC"], "reason": "other"}, "status_set_needs_state"),
            ({**BTC_DELAYED, "note": "長" * 501}, "note_too_long"),
            (
                {**BTC_DELAYED, "deposit": "operational", "expected_reopen": "2030-01-01"},
                "estimate_for_open_pair",
            ),
            ({**BTC_DELAYED, "expected_reopen": "someday"}, "bad_moment"),
        ]:
            status, body, _ = await live.post(path, bad, token=token)
            assert_problem(body, 422, code)
        history = await live.app.services.status.history("BTC", 5)
        assert not [c for c in history if c.source is Source.API]  # nothing half-written


async def test_a_burst_past_the_limit_gets_429_with_retry_after(tmp_path: Path) -> None:
    async with live_service("sqlite", tmp_path, rate_per_second=1, burst=3) as live:
        token = await live.token("loop", ["status"])
        answers = [
            await live.post("api/v1/status/changes", {**BTC_DELAYED, "deposit": state}, token=token)
            for state in ["delayed", "suspended", "delayed", "suspended", "delayed"]
        ]
        assert [a[0] for a in answers[:3]] == [201, 201, 201]
        _, body, headers = answers[3]
        assert_problem(body, 429, "rate_limited")
        assert int(headers["Retry-After"]) >= 1
        await asyncio.sleep(1.2)  # one write drained
        assert (await live.post("api/v1/status/changes", BTC_DELAYED, token=token))[0] == 200
