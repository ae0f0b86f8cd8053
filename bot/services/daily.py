"""Each pair's worst state per day: what the status page's 90-day bars draw."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.clock import start_of_day
from bot.domain import Direction, State, StatusChange

DAYS = 90
# Worst first: a day with any suspension is a suspended day, whatever else happened in it.
SEVERITY = (State.SUSPENDED, State.MAINTENANCE, State.DELAYED, State.OPERATIONAL)

Pair = tuple[str, Direction]


@dataclass(frozen=True, slots=True)
class Day:
    day: date
    state: State | None  # None: before the first record of this pair


@dataclass(frozen=True, slots=True)
class Run:
    """Consecutive days of the same worst state: the bar told in words."""

    first: date
    last: date
    state: State | None


def worst(states: Iterable[State]) -> State | None:
    seen = set(states)
    return next((s for s in SEVERITY if s in seen), None)


def daily_worst(
    before: dict[Pair, State],
    changes: Iterable[StatusChange],
    today: date,
    zone: ZoneInfo,
    days: int = DAYS,
) -> dict[Pair, list[Day]]:
    """The last `days` days up to `today` (in `zone`), oldest first, for every pair seen.

    `before` is each pair's state when the first day began; `changes` every change since then,
    oldest first.
    """
    first_day = today - timedelta(days=days - 1)
    by_pair: dict[Pair, list[StatusChange]] = {}
    for change in changes:
        by_pair.setdefault((change.asset, change.direction), []).append(change)
    result: dict[Pair, list[Day]] = {}
    for pair in sorted(set(before) | set(by_pair)):
        state = before.get(pair)
        pending = by_pair.get(pair, [])
        index = 0
        cells = []
        for offset in range(days):
            day = first_day + timedelta(days=offset)
            end = start_of_day(day + timedelta(days=1), zone)
            seen = [state] if state is not None else []
            while index < len(pending) and pending[index].changed_at < end:
                state = pending[index].new_state
                seen.append(state)
                index += 1
            cells.append(Day(day, worst(seen)))
        result[pair] = cells
    return result


def runs(days: list[Day]) -> list[Run]:
    found: list[Run] = []
    for cell in days:
        if found and found[-1].state is cell.state:
            found[-1] = Run(found[-1].first, cell.day, cell.state)
        else:
            found.append(Run(cell.day, cell.day, cell.state))
    return found


def window_start(now: datetime, zone: ZoneInfo, days: int = DAYS) -> datetime:
    """The moment the first of the last `days` days began."""
    today = now.astimezone(zone).date()
    return start_of_day(today - timedelta(days=days - 1), zone)
