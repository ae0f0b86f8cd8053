"""Connecting, syncing, and what every synced command looks like to Discord."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import discord
import pytest
from pydantic import SecretStr

from bot.app import Application
from bot.chat.component import DiscordFrontEnd
from bot.settings import Settings
from tests.chat.conftest import TOKEN, Chat, chat_settings
from tests.discord_emulator import DiscordEmulator
from tests.discord_emulator.commands import validate_commands

COMMANDS = {
    "status",
    "history",
    "subscribe",
    "unsubscribe",
    "subscriptions",
    "alerts",
    "orders",
    "incident",
    "support",
    "maintenance",
    "operator",
}
MANAGE_GUILD = 1 << 5


def _described(node: dict[str, Any]) -> list[dict[str, Any]]:
    """The command and every option under it: all carry a description."""
    found = [node]
    for option in node.get("options") or []:
        found.extend(_described(option))
    return found


def _choices(node: dict[str, Any]) -> list[dict[str, Any]]:
    found = list(node.get("choices") or [])
    for option in node.get("options") or []:
        found.extend(_choices(option))
    return found


async def test_connects_syncs_to_the_guild_and_every_command_passes_discords_rules(
    chat: Chat,
) -> None:
    synced = chat.emu.commands(chat.guild)
    assert {c["name"] for c in synced} == COMMANDS
    assert validate_commands(synced) is None
    assert chat.emu.rejections == []
    assert chat.emu.commands(None) == []  # guild sync only, nothing global
    await asyncio.wait_for(chat.front.wait_ready(), 10)
    assert chat.front.bot.intents.value == discord.Intents(guilds=True).value


async def test_descriptions_and_choices_come_in_japanese_and_english(chat: Chat) -> None:
    for command in chat.emu.commands(chat.guild):
        for node in _described(command):
            names = node.get("description_localizations") or {}
            assert set(names) == {"ja", "en-US", "en-GB"}, node["name"]
            assert names["en-US"] == node["description"]
            assert names["ja"] != node["description"]
        for choice in _choices(command):
            assert set(choice.get("name_localizations") or {}) == {"ja", "en-US", "en-GB"}
    status = next(c for c in chat.emu.commands(chat.guild) if c["name"] == "status")
    assert status["description_localizations"]["ja"].startswith("入出金状況")


async def test_the_operator_group_is_hidden_by_default_and_server_only(chat: Chat) -> None:
    operator = next(c for c in chat.emu.commands(chat.guild) if c["name"] == "operator")
    assert str(operator["default_member_permissions"]) == str(MANAGE_GUILD)
    assert {"set-status", "add-order", "translate", "incident", "maintenance"} <= {
        o["name"] for o in operator["options"]
    }
    others = [c for c in chat.emu.commands(chat.guild) if c["name"] != "operator"]
    assert all(c.get("default_member_permissions") is None for c in others)


async def test_the_client_allows_no_mentions(chat: Chat) -> None:
    mentions = chat.front.bot.allowed_mentions
    assert mentions is not None
    payload: dict[str, object] = dict(mentions.to_dict())
    assert payload == {"parse": []}


async def test_the_service_starts_discord_when_a_token_is_set_and_never_logs_it(
    emu: DiscordEmulator, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    guild = emu.add_guild("Zaif Community")
    emu.add_channel(guild, "general")
    user = emu.add_user("aiko", locale="ja")
    emu.add_member(guild, user)
    caplog.set_level(logging.DEBUG)
    app = await Application.open(chat_settings(settings, emu, guild_ids=[guild]))
    try:
        await app.start()
        assert "discord" in [c.name for c in app.components]
        await emu.wait_commands(guild, timeout=10)
        result = await emu.invoke("status", options={"asset": "BTC"}, user=user, guild=guild)
        assert result.embeds[0]["title"].startswith("BTC")
    finally:
        await app.stop()
    assert TOKEN not in caplog.text
    assert "synced 11 command(s) to guild" in caplog.text


async def test_a_refused_token_stops_discord_only(
    emu: DiscordEmulator, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    configured = chat_settings(settings, emu)
    bad = configured.model_copy(
        update={"discord": configured.discord.model_copy(update={"token": SecretStr("wrong")})}
    )
    app = await Application.open(bad)
    try:
        await app.start()
        front = next(c for c in app.components if isinstance(c, DiscordFrontEnd))
        task = front._task
        assert task is not None
        await task
        assert "Discord refused the bot token" in caplog.text
        assert "wrong" not in caplog.text.replace("Discord refused the bot token", "")
        status = await app.services.status.current("btc")
        assert len(status) == 2  # the rest of the service still answers
    finally:
        await app.stop()


async def test_the_bot_answers_again_after_the_gateway_drops(chat: Chat) -> None:
    await chat.emu.disconnect_gateway(resumable=True)
    await chat.emu.wait_resumed(timeout=10)
    result = await chat.emu.invoke("support", user=chat.ben, guild=chat.guild)
    assert result.embeds[0]["title"] == "Zaif Support Center"
