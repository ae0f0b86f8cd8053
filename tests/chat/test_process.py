"""`python -m bot run` in its own process, configured only through BOT_ variables."""

from __future__ import annotations

import asyncio
import importlib.util
import os
import signal
import sys
from pathlib import Path

from tests.chat.conftest import TOKEN
from tests.discord_emulator import DiscordEmulator

REPO = Path(__file__).resolve().parents[2]


async def test_the_service_runs_discord_from_the_environment(
    emu: DiscordEmulator, tmp_path: Path
) -> None:
    guild = emu.add_guild("Zaif Community")
    emu.add_channel(guild, "general")
    role = emu.add_role(guild, "operators")
    operator = emu.add_user("operator", locale="en-US")
    emu.add_member(guild, operator, roles=[role])
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("BOT_")},
        "BOT_DATABASE__PATH": str(tmp_path / "bot.sqlite3"),
        "BOT_DISCORD__TOKEN": TOKEN,
        "BOT_DISCORD__API_BASE": emu.api_base,
        "BOT_DISCORD__GATEWAY_URL": emu.gateway_url,
        "BOT_DISCORD__GUILD_IDS": f"[{guild}]",
        "BOT_DISCORD__OPERATOR_ROLE_IDS": f'["{role}"]',
        "BOT_WEB__PORT": "0",
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        cwd=tmp_path,  # no .env from the repository
        env={**env, "PYTHONPATH": str(REPO)},
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        await emu.wait_commands(guild, timeout=20)
        changed = await emu.invoke(
            "operator set-status",
            {"asset": "BTC", "direction": "both", "state": "operational", "reason": "other"},
            user=operator,
            guild=guild,
        )
        assert changed.content is not None
        assert changed.content.startswith("Changed 2 deposit/withdrawal status(es).")
        status = await emu.invoke("status", {"asset": "btc"}, user=operator, guild=guild)
        assert status.embeds[0]["fields"][0]["name"] == "Deposit — 🟢 Operational"
    finally:
        process.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(process.communicate(), 20)
    log = stderr.decode()
    assert process.returncode == 0, log
    assert "stopped cleanly" in log
    assert TOKEN not in log
    # Without PyNaCl (as here) discord.py warns at start, unless told the bot has no voice.
    assert importlib.util.find_spec("nacl") is None
    assert "voice will NOT be supported" not in log
    assert "PyNaCl" not in log and "davey" not in log
