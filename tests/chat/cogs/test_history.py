"""/history: newest first, with who changed what."""

from __future__ import annotations

from tests.chat.conftest import Chat


async def test_a_change_from_discord_shows_in_history_with_the_operators_id(chat: Chat) -> None:
    await chat.emu.invoke(
        "operator set-status",
        {"asset": "bch", "direction": "withdrawal", "state": "delayed", "reason": "other"},
        user=chat.operator,
        guild=chat.guild,
    )
    result = await chat.emu.invoke("history", {"asset": "BCH"}, user=chat.ben, guild=chat.guild)
    embed = result.embeds[0]
    assert embed["title"] == "BCH Bitcoin Cash: status changes, newest first"
    lines = [line for line in embed["description"].splitlines() if not line.startswith(">")]
    assert len(lines) == 3  # the change, then the two seeded halts
    assert "Withdrawal: 🔴 Suspended → 🟡 Delayed · Other" in lines[0]
    assert f"discord:{chat.operator}" in lines[0]
    assert "2018-09-17 00:00 JST" in lines[1] and "seed" in lines[1]


async def test_history_in_japanese_with_a_limit(chat: Chat) -> None:
    result = await chat.emu.invoke(
        "history", {"asset": "btc", "limit": 1}, user=chat.aiko, guild=chat.guild
    )
    embed = result.embeds[0]
    assert embed["title"] == "BTC ビットコイン の変更履歴(新しい順)"
    lines = [line for line in embed["description"].splitlines() if not line.startswith(">")]
    assert len(lines) == 1
    assert "– → 🔴 停止中" in lines[0] or "- → 🔴 停止中" in lines[0]


async def test_history_of_an_unknown_asset_is_refused(chat: Chat) -> None:
    result = await chat.emu.invoke("history", {"asset": "DOGE"}, user=chat.aiko, guild=chat.guild)
    assert result.ephemeral
    assert result.content is not None and "DOGE" in result.content


async def test_a_limit_out_of_range_is_refused(chat: Chat) -> None:
    result = await chat.emu.invoke(
        "history", {"asset": "btc", "limit": 500}, user=chat.ben, guild=chat.guild
    )
    assert result.ephemeral
    assert result.content == "The number of entries must be from 1 to 25."
