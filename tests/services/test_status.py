"""Changing status: one transaction per action, the no-op, the outbox rows, and atomicity."""

from __future__ import annotations

from typing import Any

import pytest

from bot.domain import (
    Direction,
    Event,
    EventFilter,
    InvalidInput,
    Reason,
    Source,
    State,
    StatusChange,
    StatusRequest,
    Target,
    TargetKind,
    UnknownAsset,
)
from bot.services.status import StatusService
from bot.services.subscriptions import SubscriptionService
from bot.store import Database
from bot.store.status import StatusRepo


def _request(*targets: Target, note: str = "wallet checked") -> StatusRequest:
    return StatusRequest(
        targets=targets, reason=Reason.MAINTENANCE, note=note, actor="op:1", source=Source.CLI
    )


BTC_OPEN = (
    Target("BTC", Direction.DEPOSIT, State.OPERATIONAL),
    Target("BTC", Direction.WITHDRAWAL, State.OPERATIONAL),
)


async def _counts(db: Database) -> tuple[int, int, int]:
    return (
        await db.repos.status.count_history(),
        await db.repos.events.count(),
        await db.repos.outbox.count(),
    )


async def test_change_writes_status_history_event_and_deliveries(db: Database) -> None:
    subs = SubscriptionService(db)
    common: dict[str, Any] = {"locale": "ja", "created_by": "test"}
    await subs.subscribe(TargetKind.DM, "1", assets=None, events=EventFilter.ALL, **common)
    await subs.subscribe(
        TargetKind.DM, "2", assets=frozenset({"BTC"}), events=EventFilter.STATUS, **common
    )
    await subs.subscribe(
        TargetKind.DM, "3", assets=frozenset({"MONA"}), events=EventFilter.STATUS, **common
    )
    await subs.subscribe(TargetKind.DM, "4", assets=None, events=EventFilter.ORDERS, **common)
    seen: list[Event] = []
    service = StatusService(db, on_event=seen.append)

    result = await service.change(_request(*BTC_OPEN))

    assert [(c.asset, c.direction, c.old_state, c.new_state) for c in result.changes] == [
        ("BTC", Direction.DEPOSIT, State.SUSPENDED, State.OPERATIONAL),
        ("BTC", Direction.WITHDRAWAL, State.SUSPENDED, State.OPERATIONAL),
    ]
    assert result.event is not None and seen == [result.event]
    assert result.event.assets == ("BTC",)
    assert result.deliveries == 2  # the all-assets DM and the BTC DM; not MONA, not orders-only
    history = await service.history("btc", limit=2)
    assert {h.actor for h in history} == {"op:1"}
    assert {h.event_id for h in history} == {result.event.id}
    current = {r.direction: r for r in await service.current("BTC")}
    assert current[Direction.DEPOSIT].state is State.OPERATIONAL
    assert current[Direction.DEPOSIT].note == "wallet checked"


async def test_setting_the_same_state_again_is_a_noop(db: Database) -> None:
    service = StatusService(db)
    await service.change(_request(*BTC_OPEN))
    before = await _counts(db)
    result = await service.change(_request(*BTC_OPEN))
    assert result.noop and result.event is None
    assert await _counts(db) == before


async def test_all_assets_at_once_is_one_event(db: Database) -> None:
    service = StatusService(db)
    codes = await service.codes("ALL")
    targets = [Target(c, d, State.MAINTENANCE) for c in codes for d in Direction]
    before = await _counts(db)
    result = await service.change(_request(*targets))
    assert len(result.changes) == 22
    after = await _counts(db)
    assert (after[0] - before[0], after[1] - before[1]) == (22, 1)


async def test_asset_codes_in_any_case(db: Database) -> None:
    service = StatusService(db)
    assert (await service.asset("PEPECASH")).code == "pepecash"
    assert (await service.asset("btc")).code == "BTC"
    with pytest.raises(UnknownAsset):
        await service.asset("DOGE")


async def test_bad_input_writes_nothing(db: Database) -> None:
    service = StatusService(db)
    before = await _counts(db)
    with pytest.raises(InvalidInput):
        await service.change(_request(*BTC_OPEN, note="x" * 5000))
    with pytest.raises(UnknownAsset):
        await service.change(_request(Target("DOGE", Direction.DEPOSIT, State.OPERATIONAL)))
    assert await _counts(db) == before


async def test_failure_between_two_writes_leaves_no_partial_rows(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = StatusRepo.record
    calls = 0

    async def fail_on_second(self: StatusRepo, change: StatusChange) -> StatusChange:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise RuntimeError("disk pulled out between two writes")
        return await original(self, change)

    monkeypatch.setattr(StatusRepo, "record", fail_on_second)
    service = StatusService(db)
    before = await _counts(db)
    with pytest.raises(RuntimeError):
        await service.change(_request(*BTC_OPEN))
    assert calls == 2
    assert await _counts(db) == before
    assert {r.state for r in await service.current("BTC")} == {State.SUSPENDED}
    monkeypatch.undo()
    # The connection is usable afterwards: the next change goes through.
    assert not (await service.change(_request(*BTC_OPEN))).noop
