"""The global pacer never lets more than rate + burst requests through in any rolling second."""

from __future__ import annotations

import asyncio
import time

import pytest

from bot.delivery.pacer import Pacer


async def test_the_rate_holds_in_every_rolling_second() -> None:
    pacer = Pacer(200, burst=3)
    stamps: list[float] = []

    async def worker() -> None:
        for _ in range(25):
            await pacer.acquire()
            stamps.append(time.monotonic())

    started = time.monotonic()
    await asyncio.gather(*(worker() for _ in range(16)))  # 400 grants
    elapsed = time.monotonic() - started
    assert len(stamps) == 400
    assert elapsed >= (400 - 3) / 200
    assert elapsed < 4.0  # and it does not fall far behind the budget either
    stamps.sort()
    most = max(sum(1 for s in stamps[i:] if s - start < 0.5) for i, start in enumerate(stamps))
    assert most <= 100 + 3


async def test_an_idle_pacer_allows_only_a_small_burst() -> None:
    pacer = Pacer(10, burst=3)
    await asyncio.sleep(0.3)
    started = time.monotonic()
    for _ in range(4):
        await pacer.acquire()
    assert time.monotonic() - started >= 0.09  # three at once, the fourth waits a tenth


def test_nonsense_is_refused() -> None:
    with pytest.raises(ValueError):
        Pacer(0)
