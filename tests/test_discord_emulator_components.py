"""The emulator checks message components as Discord does, and refuses impossible presses."""

from __future__ import annotations

from typing import Any

import aiohttp
import discord
import pytest

from tests.discord_emulator import DiscordEmulator, EmulatorError
from tests.discord_emulator.validation import check_message
from tests.test_discord_emulator import build_world, emulated_discord, running_bot


def button(custom_id: str, **extra: Any) -> dict[str, Any]:
    return {"type": 2, "style": 2, "label": "x", "custom_id": custom_id, **extra}


def row(*items: dict[str, Any]) -> dict[str, Any]:
    return {"type": 1, "components": list(items)}


def test_component_limits() -> None:
    fine = {
        "content": "hi",
        "components": [
            row(button("a"), {"type": 2, "style": 5, "label": "page", "url": "https://x.jp/"})
        ],
    }
    assert check_message(fine) is None
    bad: list[list[dict[str, Any]]] = [
        [row(*(button(str(i)) for i in range(6)))],  # six in a row
        [row(button("a")) for _ in range(6)],  # six rows (and duplicate ids)
        [row(button("a"), button("a"))],  # duplicate custom ids
        [row(button("a" * 101))],  # custom id too long
        [row(button("a", label="x" * 81))],  # label too long
        [row({"type": 2, "style": 5, "label": "page"})],  # a link without its url
        [row({"type": 2, "style": 5, "label": "p", "url": "https://x.jp/", "custom_id": "a"})],
        [row({"type": 2, "style": 2, "label": "no id"})],
        [row()],  # an empty row
        [button("a")],  # a button outside a row
    ]
    for components in bad:
        problem = check_message({"content": "hi", "components": components})
        assert problem is not None and problem["code"] == 50035, components


async def test_a_press_needs_an_enabled_button_on_a_message_the_user_can_see() -> None:
    async with DiscordEmulator(token="t") as emu:
        alice, bob = emu.add_user("alice"), emu.add_user("bob")
        channel = emu.world.dm_channel(alice)
        async with aiohttp.ClientSession() as http:
            body = {
                "content": "hi",
                "components": [row(button("on"), button("off", disabled=True))],
            }
            async with http.post(
                f"{emu.api_base}/channels/{channel.id}/messages",
                json=body,
                headers={"Authorization": "Bot t"},
            ) as response:
                assert response.status == 200
                message = await response.json()
            async with http.patch(
                f"{emu.api_base}/channels/{channel.id}/messages/{message['id']}",
                json={"components": []},
                headers={"Authorization": "Bot t"},
            ) as response:
                assert response.status == 200
        assert emu.dm_messages(alice)[0]["components"] == []
        assert emu.dm_messages(alice)[0]["edited_timestamp"] is not None
        emu.dm_messages(alice)[0]["components"] = body["components"]
        with pytest.raises(EmulatorError, match="disabled"):
            await emu.press(message, "off", user=alice)
        with pytest.raises(EmulatorError, match="cannot see"):
            await emu.press(message, "on", user=bob)
        with pytest.raises(EmulatorError, match="no component"):
            await emu.press(message, "gone", user=alice)


class Acknowledge(discord.ui.View):
    """A persistent button that answers with a deferred update, then edits its message."""

    def __init__(self) -> None:
        super().__init__(timeout=None)

    @discord.ui.button(label="ack", custom_id="ack")
    async def ack(self, interaction: discord.Interaction, button: discord.ui.Button[Any]) -> None:
        await interaction.response.defer()
        await interaction.edit_original_response(content="acknowledged", view=None)


async def test_a_deferred_update_then_an_edit_changes_the_message_the_button_was_on() -> None:
    async with emulated_discord() as emu:
        world = build_world(emu)
        async with running_bot(emu, world) as bot:
            bot.client.add_view(Acknowledge())
            channel = bot.client.get_channel(world.alerts)
            assert isinstance(channel, discord.TextChannel)
            sent = await channel.send("please acknowledge", view=Acknowledge())
            [message] = emu.messages(world.alerts)
            assert message["id"] == str(sent.id)
            assert message["components"][0]["components"][0]["custom_id"] == "ack"
            pressed = await emu.press(message, "ack", user=world.alice)
            assert pressed.response_type == 6
            [edited] = emu.messages(world.alerts)
            assert edited["content"] == "acknowledged" and edited["components"] == []
            assert edited["edited_timestamp"] is not None
