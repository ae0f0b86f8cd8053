"""The outbox, merge and lane contracts again, on both engines, with every fan-out's DM rows
left to the backlog and written one subscription per batch, as a fan-out to many DM subscribers
is: what is queued, merged, promoted and claimed must not differ from a fan-out written in one go.
"""

from __future__ import annotations

from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest

from bot.clock import JST
from bot.domain import Event
from bot.store import outbox_backlog
from bot.store.outbox import OutboxRepo
from tests.contract.test_lanes import *  # noqa: F403
from tests.contract.test_merge import *  # noqa: F403
from tests.contract.test_outbox import *  # noqa: F403


@pytest.fixture(autouse=True)
def dm_rows_written_later(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """Every fan-out defers its DM rows, and the backlog is written out before it returns."""
    monkeypatch.setattr(outbox_backlog, "INLINE_DMS", 0)
    monkeypatch.setattr(outbox_backlog, "BATCH_IDS", 1)
    original = OutboxRepo.fan_out
    batches: list[int] = []

    async def fan_out(self: OutboxRepo, event: Event, zone: ZoneInfo = JST) -> int:
        count = await original(self, event, zone)
        while (written := await self.fan_out_more(zone)) is not None:
            batches.append(written)
        return count

    monkeypatch.setattr(OutboxRepo, "fan_out", fan_out)
    yield batches
