"""The 90-day bars' data: each pair's worst state per day, in Japan's days."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot.clock import JST
from bot.domain import Direction, Reason, Source, State, StatusChange
from bot.services.daily import Day, daily_worst, runs
from bot.services.status import StatusService
from bot.store import Database

BTC_OUT = ("BTC", Direction.WITHDRAWAL)


def _change(at: datetime, old: State | None, new: State) -> StatusChange:
    return StatusChange(
        asset="BTC",
        direction=Direction.WITHDRAWAL,
        old_state=old,
        new_state=new,
        reason=Reason.OTHER,
        note="",
        actor="ops",
        source=Source.CLI,
        changed_at=at,
    )


def test_a_day_takes_its_worst_state_and_the_next_day_starts_from_its_last() -> None:
    # 2026-11-28 23:30 JST is still the 28th in Japan, though it is the 28th 14:30 UTC.
    changes = [
        _change(datetime(2026, 11, 28, 14, 30, tzinfo=UTC), State.OPERATIONAL, State.DELAYED),
        _change(datetime(2026, 11, 29, 1, 0, tzinfo=UTC), State.DELAYED, State.SUSPENDED),
        _change(datetime(2026, 11, 29, 2, 0, tzinfo=UTC), State.SUSPENDED, State.OPERATIONAL),
    ]
    days = daily_worst({BTC_OUT: State.OPERATIONAL}, changes, date(2026, 11, 30), JST, days=4)
    assert days[BTC_OUT] == [
        Day(date(2026, 11, 27), State.OPERATIONAL),
        Day(date(2026, 11, 28), State.DELAYED),
        Day(date(2026, 11, 29), State.SUSPENDED),
        Day(date(2026, 11, 30), State.OPERATIONAL),
    ]


def test_days_before_the_first_record_have_no_state() -> None:
    changes = [_change(datetime(2026, 11, 29, 3, 0, tzinfo=UTC), None, State.MAINTENANCE)]
    days = daily_worst({}, changes, date(2026, 11, 30), JST, days=3)[BTC_OUT]
    assert [d.state for d in days] == [None, State.MAINTENANCE, State.MAINTENANCE]
    assert [(r.first, r.last, r.state) for r in runs(days)] == [
        (date(2026, 11, 28), date(2026, 11, 28), None),
        (date(2026, 11, 29), date(2026, 11, 30), State.MAINTENANCE),
    ]


async def test_the_seeded_halt_on_a_2018_clock(db: Database) -> None:
    """The coins stopped on 2018-09-17 and the tokens on the 18th (JST)."""
    service = StatusService(db)
    now = datetime(2018, 10, 1, 3, 0, tzinfo=UTC)
    daily = await service.daily(JST, now)
    assert len(daily) == 22
    btc = daily[("BTC", Direction.DEPOSIT)]
    assert len(btc) == 90 and btc[-1].day == date(2018, 10, 1)
    assert [r.state for r in runs(btc)] == [None, State.SUSPENDED]
    assert runs(btc)[1].first == date(2018, 9, 17)
    assert runs(daily[("ZAIF", Direction.WITHDRAWAL)])[1].first == date(2018, 9, 18)


async def test_today_counts_what_happened_today(db: Database) -> None:
    service = StatusService(db)
    daily = await service.daily(JST)
    assert daily[BTC_OUT][-1].state is State.SUSPENDED
    assert all(d.state is State.SUSPENDED for d in daily[BTC_OUT])
