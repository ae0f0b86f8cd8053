"""/status: all assets at a glance, one in detail, any case, unknown assets refused politely."""

from __future__ import annotations

from tests.chat.conftest import Chat

ASSETS = ["BTC", "MONA", "BCH", "ZAIF", "XCP", "BCY", "SJCX", "FSCC", "pepecash", "CICC", "NCXC"]


async def test_all_assets_in_one_compact_embed_in_japanese(chat: Chat) -> None:
    result = await chat.emu.invoke("status", user=chat.aiko, guild=chat.guild)
    assert len(result.embeds) == 1
    embed = result.embeds[0]
    assert embed["title"] == "入出金状況"
    lines = embed["description"].splitlines()
    assert [line.split("**")[1] for line in lines] == ASSETS
    assert all("入金 🔴 停止中" in line and "出金 🔴 停止中" in line for line in lines)
    assert result.allowed_mentions == {"parse": []}
    assert not result.ephemeral


async def test_english_for_an_en_us_client(chat: Chat) -> None:
    result = await chat.emu.invoke("status", user=chat.ben, guild=chat.guild)
    embed = result.embeds[0]
    assert embed["title"] == "Deposit and withdrawal status"
    line = "**BTC** Bitcoin — Deposit 🔴 Suspended · Withdrawal 🔴 Suspended"
    assert line in embed["description"]


async def test_one_asset_in_detail_both_directions(chat: Chat) -> None:
    result = await chat.emu.invoke(
        "status", options={"asset": "btc"}, user=chat.ben, guild=chat.guild
    )
    embed = result.embeds[0]
    assert embed["title"] == "BTC Bitcoin: deposits and withdrawals"
    fields = {f["name"]: f["value"] for f in embed["fields"]}
    assert set(fields) == {"Deposit — 🔴 Suspended", "Withdrawal — 🔴 Suspended"}
    for value in fields.values():
        assert "Reason: Security incident (unauthorised outflow)" in value
        assert "Since: 2018-09-17 00:00 JST" in value
        assert "Expected reopening: Not known yet" in value
        assert "Note: Halted after the unauthorised outflow of 2018-09-14." in value


async def test_any_case_finds_the_asset(chat: Chat) -> None:
    for typed in ("PEPECASH", "PepeCash", " pepecash "):
        result = await chat.emu.invoke(
            "status", options={"asset": typed}, user=chat.aiko, guild=chat.guild
        )
        assert result.embeds[0]["title"].startswith("pepecash ペペキャッシュ"), typed


async def test_an_unknown_asset_is_refused_politely_and_privately(chat: Chat) -> None:
    result = await chat.emu.invoke(
        "status", options={"asset": "DOGE"}, user=chat.ben, guild=chat.guild
    )
    assert result.ephemeral
    assert result.content == (
        "We do not list an asset called “DOGE”. /status shows the assets we list."
    )
    assert result.embeds == []
    japanese = await chat.emu.invoke(
        "status", options={"asset": "DOGE"}, user=chat.aiko, guild=chat.guild
    )
    assert japanese.content is not None and japanese.content.startswith("銘柄「DOGE」は")


async def test_assets_autocomplete_in_any_case_and_by_name(chat: Chat) -> None:
    choices = await chat.emu.autocomplete(
        "status", {"asset": "bT"}, focused="asset", user=chat.aiko, guild=chat.guild
    )
    assert [c["value"] for c in choices] == ["BTC"]
    by_name = await chat.emu.autocomplete(
        "status", {"asset": "ビットコイン"}, focused="asset", user=chat.aiko, guild=chat.guild
    )
    assert [c["value"] for c in by_name] == ["BTC", "BCH"]
    everything = await chat.emu.autocomplete(
        "status", {"asset": ""}, focused="asset", user=chat.aiko, guild=chat.guild
    )
    assert [c["value"] for c in everything] == ASSETS
