"""Fixtures for the delivery tests: the local Discord the dispatcher sends to."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.delivery.support import emulated_discord
from tests.discord_emulator import DiscordEmulator


@pytest.fixture
async def emu() -> AsyncIterator[DiscordEmulator]:
    async with emulated_discord() as emulator:
        yield emulator
