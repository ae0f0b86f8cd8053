"""A local Discord (REST v10 + gateway) that unmodified discord.py connects to.

Used by the status bot's end-to-end tests; everything runs on 127.0.0.1 and all state
is server-side, so the bot may run in-process or as a subprocess::

    emu = DiscordEmulator(token="test-token")
    await emu.start()
    discord.http.Route.BASE = emu.api_base
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(emu.gateway_url)
    guild = emu.add_guild("Zaif Community")
    alice = emu.add_user("alice", locale="ja")
    emu.add_member(guild, alice)
    ...  # start the bot, then:
    await emu.wait_commands(guild)
    result = await emu.invoke("status", options={"asset": "btc"}, user=alice, guild=guild)
"""

from .emulator import DiscordEmulator
from .errors import EmulatorError
from .faults import Faults, Stats
from .interactions import InteractionResult
from .server import Rejection

__all__ = ["DiscordEmulator", "EmulatorError", "Faults", "InteractionResult", "Rejection", "Stats"]
