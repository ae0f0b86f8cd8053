"""/maintenance for everyone and /operator maintenance schedule|cancel|extend for operators,
through discord.py against the emulator: SQLite changes, refusals that write nothing."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

import pytest

from bot.clock import JST, utcnow
from bot.domain import MaintenanceState
from tests.chat.conftest import Chat

SCHEDULE = "operator maintenance schedule"


def jst(moment: datetime) -> str:
    return moment.astimezone(JST).strftime("%Y-%m-%d %H:%M")


def _ahead(hours: float) -> datetime:
    return (utcnow() + timedelta(hours=hours)).replace(second=0, microsecond=0)


def _options(starts: datetime, hours: float = 2, **extra: str) -> dict[str, str]:
    return {
        "assets": "btc,Mona",
        "direction": "both",
        "starts": jst(starts),
        "ends": jst(starts + timedelta(hours=hours)),
        "reason": "wallet_upgrade",
        "note": "ウォレットを更新します",
        **extra,
    }


async def _count(chat: Chat) -> tuple[int, int]:
    return len(await chat.db.repos.maintenances.list()), await chat.db.repos.events.count()


async def test_maintenance_lists_nothing_then_a_window_in_japanese_and_english(
    chat: Chat,
) -> None:
    empty = await chat.emu.invoke("maintenance", user=chat.aiko, guild=chat.guild)
    assert empty.embeds[0]["description"] == "予定されているメンテナンスはありません。"
    starts = _ahead(30)
    done = await chat.emu.invoke(SCHEDULE, _options(starts), user=chat.operator, guild=chat.guild)
    assert done.ephemeral and done.content is not None
    assert done.content.startswith("メンテナンス #1 を登録しました(")
    [window] = await chat.db.repos.maintenances.list()
    assert window.assets == ("BTC", "MONA") and window.created_by == f"discord:{chat.operator}"
    assert window.starts_at == starts and window.source.value == "discord"

    ja = await chat.emu.invoke("maintenance", user=chat.aiko, guild=chat.guild)
    [field] = ja.embeds[0]["fields"]
    assert ja.embeds[0]["title"] == "メンテナンス予定(予定・実施中)"
    assert field["name"] == "#1 予定: BTC, MONA(入金・出金)"
    assert f"{jst(starts)} JST 〜" in field["value"] and "理由: ウォレット更新" in field["value"]
    assert "ウォレットを更新します" in field["value"]
    en = await chat.emu.invoke("maintenance", user=chat.ben, guild=chat.guild, locale="en-US")
    [field] = en.embeds[0]["fields"]
    assert en.embeds[0]["title"] == "Maintenance (scheduled and in progress)"
    assert field["name"] == "#1 Scheduled: BTC, MONA (Deposit and withdrawal)"
    assert "Reason: Wallet upgrade" in field["value"]
    assert "(Not yet translated" in field["value"]


async def test_every_refusal_names_the_conflict_and_writes_nothing(chat: Chat) -> None:
    starts = _ahead(30)
    await chat.emu.invoke(SCHEDULE, _options(starts), user=chat.operator, guild=chat.guild)
    before = await _count(chat)
    backwards = {**_options(starts + timedelta(hours=10)), "ends": jst(starts + timedelta(hours=9))}
    refused = await chat.emu.invoke(SCHEDULE, backwards, user=chat.operator, guild=chat.guild)
    assert refused.ephemeral and refused.content is not None
    assert refused.content.startswith("終了日時") and "より後になっていません" in refused.content

    past = utcnow() - timedelta(minutes=10)
    refused = await chat.emu.invoke(
        SCHEDULE, _options(past), user=chat.operator_by_id, guild=chat.guild, locale="en-GB"
    )
    assert refused.content == (
        f"The start {jst(past)} JST is more than 5 minutes in the past. Please give a time ahead."
    )
    refused = await chat.emu.invoke(
        SCHEDULE,
        _options(starts + timedelta(hours=1), assets="mona", direction="withdrawal"),
        user=chat.operator_by_id,
        guild=chat.guild,
        locale="en-GB",
    )
    assert refused.content is not None
    assert refused.content.startswith(
        "This overlaps maintenance #1 (BTC, MONA, Deposit and withdrawal,"
    )
    bad_end = await chat.emu.invoke(
        "operator maintenance extend",
        {"maintenance": 1, "ends": jst(starts + timedelta(hours=1))},
        user=chat.operator,
        guild=chat.guild,
    )
    assert bad_end.content is not None and "現在の終了日時" in bad_end.content
    assert await _count(chat) == before


async def test_non_operators_are_refused_every_maintenance_subcommand(
    chat: Chat, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="bot.chat")
    starts = _ahead(30)
    await chat.emu.invoke(SCHEDULE, _options(starts), user=chat.operator, guild=chat.guild)
    before = await _count(chat)
    attempts: list[tuple[str, dict[str, Any]]] = [
        (SCHEDULE, dict(_options(starts + timedelta(days=1)))),
        ("operator maintenance cancel", {"maintenance": 1}),
        ("operator maintenance extend", {"maintenance": 1, "ends": jst(starts + timedelta(3))}),
    ]
    for name, options in attempts:
        refused = await chat.emu.invoke(name, options, user=chat.aiko, guild=chat.guild)
        assert refused.ephemeral
        assert refused.content == "このコマンドは運用担当者だけが使えます。"
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert sum(str(chat.aiko) in w and "maintenance" in w for w in warnings) == 3
    assert await _count(chat) == before
    assert (await chat.db.repos.maintenances.get(1)) is not None


async def test_extend_and_cancel_with_the_window_autocompleted(chat: Chat) -> None:
    starts = _ahead(30)
    await chat.emu.invoke(SCHEDULE, _options(starts), user=chat.operator, guild=chat.guild)
    choices = await chat.emu.autocomplete(
        "operator maintenance extend",
        {"maintenance": "", "ends": ""},
        focused="maintenance",
        user=chat.operator,
        guild=chat.guild,
    )
    assert [c["value"] for c in choices] == [1]
    assert choices[0]["name"].startswith("#1 予定: BTC, MONA")
    new_end = starts + timedelta(hours=4)
    extended = await chat.emu.invoke(
        "operator maintenance extend",
        {"maintenance": 1, "ends": jst(new_end)},
        user=chat.operator_by_id,
        guild=chat.guild,
        locale="en-GB",
    )
    assert extended.content == (
        f"Maintenance #1 now ends at {jst(new_end)} JST instead of"
        f" {jst(starts + timedelta(hours=2))} JST."
    )
    window = await chat.db.repos.maintenances.get(1)
    assert window is not None and window.ends_at == new_end and window.sequence == 1
    cancelled = await chat.emu.invoke(
        "operator maintenance cancel", {"maintenance": 1}, user=chat.operator, guild=chat.guild
    )
    assert cancelled.content == "メンテナンス #1 を中止しました。"
    window = await chat.db.repos.maintenances.get(1)
    assert window is not None and window.state is MaintenanceState.CANCELLED
    again = await chat.emu.invoke(
        "operator maintenance cancel", {"maintenance": 1}, user=chat.operator, guild=chat.guild
    )
    assert again.content == (
        "メンテナンス #1 は「中止」のため変更できません。予定または実施中のものだけ変更できます。"
    )
    none_left = await chat.emu.autocomplete(
        "operator maintenance cancel",
        {"maintenance": ""},
        focused="maintenance",
        user=chat.operator,
        guild=chat.guild,
    )
    assert none_left == []
