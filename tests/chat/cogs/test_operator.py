"""/operator set-status and add-order: SQLite changes, refusals that write nothing, the log."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from bot.domain import Direction, OrderAction, Source, State
from tests.chat.conftest import Chat

SET = "operator set-status"
MAINTENANCE = {"direction": "deposit", "state": "maintenance", "reason": "wallet_upgrade"}


async def _history_rows(chat: Chat) -> int:
    return len(await chat.db.repos.status.history(None, 100))


async def test_set_status_changes_sqlite_with_the_operators_user_id(chat: Chat) -> None:
    result = await chat.emu.invoke(
        SET,
        {
            "asset": "btc",
            **MAINTENANCE,
            "note": "更新中",
            "expected_reopen": "2026-12-01",
        },
        user=chat.operator,
        guild=chat.guild,
    )
    assert result.ephemeral
    assert result.content is not None
    assert result.content.startswith("1 件の入出金状況を変更しました。")
    assert "BTC 入金: 🔴 停止中 → 🛠️ メンテナンス中" in result.content
    current = {s.direction: s for s in await chat.db.repos.status.current("BTC")}
    deposit = current[Direction.DEPOSIT]
    assert deposit.state is State.MAINTENANCE
    assert deposit.note == "更新中"
    assert deposit.updated_by == f"discord:{chat.operator}"
    assert deposit.expected_reopen is not None
    assert deposit.expected_reopen.isoformat() == "2026-11-30T15:00:00+00:00"  # JST midnight
    assert current[Direction.WITHDRAWAL].state is State.SUSPENDED
    change = (await chat.db.repos.status.history("BTC", 1))[0]
    assert (change.actor, change.source) == (f"discord:{chat.operator}", Source.DISCORD)
    counted = chat.metrics.registry.get_sample_value(
        "bot_status_changes_total", {"source": "discord"}
    )
    assert counted == 1


async def test_all_assets_both_directions_in_one_action(chat: Chat) -> None:
    result = await chat.emu.invoke(
        SET,
        {"asset": "all", "direction": "both", "state": "operational", "reason": "other"},
        user=chat.operator_by_id,
        guild=chat.guild,
    )
    assert result.content is not None
    assert result.content.startswith("Changed 22 deposit/withdrawal status(es).")
    states = {s.state for s in await chat.db.repos.status.current()}
    assert states == {State.OPERATIONAL}
    again = await chat.emu.invoke(
        SET,
        {"asset": "ALL", "direction": "both", "state": "operational", "reason": "other"},
        user=chat.operator_by_id,
        guild=chat.guild,
    )
    assert again.content == "Nothing changed: already in that state."


async def test_a_5000_character_note_is_refused_clearly_and_nothing_is_written(
    chat: Chat,
) -> None:
    before = await _history_rows(chat)
    result = await chat.emu.invoke(
        SET,
        {"asset": "btc", **MAINTENANCE, "note": "x" * 5000},
        user=chat.operator_by_id,
        guild=chat.guild,
    )
    assert result.ephemeral
    assert result.content == "The note is too long (5000 characters). Please keep it to 500."
    assert await _history_rows(chat) == before
    assert {s.state for s in await chat.db.repos.status.current("BTC")} == {State.SUSPENDED}


async def test_a_note_with_everyone_pings_nobody(chat: Chat) -> None:
    result = await chat.emu.invoke(
        SET,
        {"asset": "mona", **MAINTENANCE, "note": "@everyone @here <@&1> deposits paused"},
        user=chat.operator,
        guild=chat.guild,
    )
    assert result.content is not None and "@everyone @here" in result.content
    assert result.allowed_mentions == {"parse": []}
    status = await chat.emu.invoke("status", {"asset": "MONA"}, user=chat.aiko, guild=chat.guild)
    assert "@everyone" in status.embeds[0]["fields"][0]["value"]
    assert status.allowed_mentions == {"parse": []}


async def test_a_non_operator_is_refused_logged_and_nothing_changes(
    chat: Chat, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="bot.chat")
    before = await _history_rows(chat)
    result = await chat.emu.invoke(
        SET, {"asset": "btc", **MAINTENANCE}, user=chat.ben, guild=chat.guild
    )
    assert result.ephemeral
    assert result.content == "Only operators may use this command."
    refusals = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert any(str(chat.ben) in r.getMessage() and "set-status" in r.getMessage() for r in refusals)
    assert await _history_rows(chat) == before
    japanese = await chat.emu.invoke(
        "operator add-order",
        {"issuer": "近畿財務局", "action": "other", "issued_on": "2018-10-01"},
        user=chat.aiko,
        guild=chat.guild,
    )
    assert japanese.content == "このコマンドは運用担当者だけが使えます。"
    assert len(await chat.db.repos.orders.list(None)) == 3


async def test_a_bad_expected_reopening_is_refused(chat: Chat) -> None:
    result = await chat.emu.invoke(
        SET,
        {"asset": "btc", **MAINTENANCE, "expected_reopen": "next week"},
        user=chat.operator,
        guild=chat.guild,
    )
    assert result.ephemeral
    assert result.content is not None and result.content.startswith("「next week」は日時として")


async def test_add_order_records_it_with_an_alert_event(chat: Chat) -> None:
    result = await chat.emu.invoke(
        "operator add-order",
        {
            "issuer": "近畿財務局",
            "action": "business_suspension",
            "issued_on": "2018/10/01",
            "report_due": "2018-10-15",
            "url": "https://lfb.mof.go.jp/kinki/",
            "summary": "Suspension of new accounts",
        },
        user=chat.operator_by_id,
        guild=chat.guild,
    )
    assert result.content is not None and result.content.startswith("Recorded regulatory order #")
    orders = await chat.db.repos.orders.list(None)
    added = max(orders, key=lambda o: o.id)
    assert added.action is OrderAction.BUSINESS_SUSPENSION
    assert added.issued_on.isoformat() == "2018-10-01"
    assert added.summary_en == "Suspension of new accounts"
    assert added.source is Source.DISCORD
    embed = result.embeds[0]
    assert embed["title"] == f"#{added.id} 2018-10-01 Business suspension order"


async def test_an_issued_on_that_is_not_a_date_is_refused(chat: Chat) -> None:
    for language, user, start in (
        ("en", chat.operator_by_id, "“yesterday” is not a date. Please use YYYY-MM-DD"),
        ("ja", chat.operator, "「yesterday」は日付として読めません。"),
    ):
        result = await chat.emu.invoke(
            "operator add-order",
            {"issuer": "近畿財務局", "action": "other", "issued_on": "yesterday"},
            user=user,
            guild=chat.guild,
        )
        assert result.ephemeral, language
        assert result.content is not None and result.content.startswith(start), language
    assert len(await chat.db.repos.orders.list(None)) == 3


async def test_an_unknown_asset_is_refused_for_operators_too(chat: Chat) -> None:
    result = await chat.emu.invoke(
        SET, {"asset": "DOGE", **MAINTENANCE}, user=chat.operator_by_id, guild=chat.guild
    )
    assert result.content is not None and "“DOGE”" in result.content


async def test_operator_autocomplete_offers_all(chat: Chat) -> None:
    choices = await chat.emu.autocomplete(
        SET, {"asset": "a"}, focused="asset", user=chat.operator, guild=chat.guild
    )
    assert choices[0]["value"] == "all"


async def test_a_state_outside_the_choices_is_refused_without_writing(chat: Chat) -> None:
    before = await _history_rows(chat)
    result = await chat.emu.invoke(
        SET,
        {"asset": "btc", "direction": "deposit", "state": "halted", "reason": "other"},
        user=chat.operator_by_id,
        guild=chat.guild,
    )
    assert result.ephemeral
    assert result.content == "“halted” is not one of the choices. Please pick one from the list."
    assert await _history_rows(chat) == before


ORDER = {"issuer": "近畿財務局", "action": "report_order", "issued_on": "2026-11-20"}


@pytest.mark.parametrize(
    ("options", "japanese", "english"),
    [
        (
            {**ORDER, "url": "http://lfb.mof.go.jp/kinki/x.html"},
            "URL は https:// で始まる 500 文字以内のものを指定してください。",
            "The URL must start with https:// and be at most 500 characters long.",
        ),
        (
            {**ORDER, "issuer": "局" * 101},
            "発出者は 1〜100 文字で入力してください。",
            "The issuer must be 1 to 100 characters long.",
        ),
        (
            {**ORDER, "summary": "あ" * 1001},
            "概要が長すぎます。日本語・英語それぞれ 1000 文字以内で入力してください。",
            "The summary is too long. Please keep each language to 1000 characters.",
        ),
        (
            {**ORDER, "report_due": "2026-11-19"},
            "報告期限(2026-11-19)が命令の発出日(2026-11-20)より前になっています。"
            "日付を確認してください。",
            "The report deadline (2026-11-19) is before the order was issued (2026-11-20)."
            " Please check the dates.",
        ),
    ],
    ids=["url", "issuer", "summary", "report_due"],
)
async def test_order_refusals_read_wholly_in_the_operators_language(
    chat: Chat, options: dict[str, str], japanese: str, english: str
) -> None:
    for user, expected in ((chat.operator, japanese), (chat.operator_by_id, english)):
        result = await chat.emu.invoke("operator add-order", options, user=user, guild=chat.guild)
        assert result.ephemeral
        assert result.content == expected
    assert len(await chat.db.repos.orders.list(None)) == 3


def _operator_commands(node: dict[str, Any], path: str) -> list[tuple[str, dict[str, Any]]]:
    """Every leaf under /operator with values for its required options."""
    subs = [o for o in node.get("options") or [] if o["type"] in (1, 2)]
    if not subs:
        values: dict[str, Any] = {}
        for option in node.get("options") or []:
            if option.get("required"):
                choices = option.get("choices") or []
                default = 1 if option["type"] == 4 else "x"
                values[option["name"]] = choices[0]["value"] if choices else default
        return [(path, values)]
    return [found for sub in subs for found in _operator_commands(sub, f"{path} {sub['name']}")]


async def test_every_operator_subcommand_makes_the_same_check(chat: Chat) -> None:
    """Subgroups (incident, maintenance, translate) bind their own commands: each must refuse."""
    operator = next(c for c in chat.emu.commands(chat.guild) if c["name"] == "operator")
    leaves = _operator_commands(operator, "operator")
    assert {"operator incident open", "operator maintenance cancel"} <= {p for p, _ in leaves}
    assert "operator translate order" in {p for p, _ in leaves}
    for path, values in leaves:
        result = await chat.emu.invoke(path, values, user=chat.ben, guild=chat.guild)
        assert result.content == "Only operators may use this command.", path
