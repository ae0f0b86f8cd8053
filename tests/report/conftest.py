"""The scripted day runs once per module against the local Discord; its tests read the database
it leaves and what the emulator counted."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from tests.delivery.support import emulated_discord
from tests.report.day import Day, run_day


async def _run(db_path: Path) -> Day:
    async with emulated_discord() as emu:
        return await run_day(emu, db_path)


@pytest.fixture(scope="module")
def day(tmp_path_factory: pytest.TempPathFactory) -> Day:
    return asyncio.run(_run(tmp_path_factory.mktemp("day") / "bot.sqlite3"))
