"""The DM-open budget: how fast new DM channels may be opened, cluster-wide.

Opening a DM channel (`POST /users/@me/channels`) has a limit of its own beside the 50 requests/s:
Discord answers `403` code `40003` ("opening direct messages too fast") past some number of new
channels in a short time, and a bot that keeps doing it gets flagged as a spammer. So opens are
paced at `per_minute` on a virtual schedule shared through the database: each open reserves the
next slot. A 40003 halves the rate (up to `MAX_LEVEL` times) and voids the slots reserved at the
old rate; each `CALM_SECONDS` without another 40003 gives one halving back, and voids the slots
reserved at the slower rate.

The policy is pure: it takes the state and the time and returns the new state, so a test drives
it without a database or a clock; `DmOpenBudget` below keeps its state in the database.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace

from bot.store import Database
from bot.store.budgets import DM_OPENS, BudgetState

MAX_LEVEL = 5  # at most 1/32 of the configured rate
CALM_SECONDS = 120.0  # a halving is given back after this long without a 40003
RESTRICTED_PROBE_SECONDS = 300.0  # while DMs are restricted, one new DM is tried this often
CAS_TRIES = 50


@dataclass(frozen=True, slots=True)
class Slot:
    """A reserved moment to open one DM channel; void once the budget's epoch moves on."""

    at: float
    epoch: int


class DmOpenPolicy:
    def __init__(self, per_minute: float) -> None:
        if per_minute <= 0:
            raise ValueError("the DM-open budget must be positive")
        self.per_minute = per_minute

    def settled(self, state: BudgetState, now: float) -> BudgetState:
        """The state with the halvings that calm time has given back. Slots reserved at the
        slower rate are void then (a new epoch), so that waiting opens speed up at once."""
        if state.level == 0:
            return state
        steps = int((now - state.level_since) // CALM_SECONDS)
        if steps <= 0:
            return state
        return replace(
            state,
            level=max(0, state.level - steps),
            level_since=state.level_since + steps * CALM_SECONDS,
            epoch=state.epoch + 1,
            next_at=min(state.next_at, now),
        )

    def interval(self, state: BudgetState) -> float:
        """Seconds between two opens at the state's level."""
        return 60.0 / self.per_minute * float(2**state.level)

    def reserve(
        self, state: BudgetState, now: float, held: Slot | None = None
    ) -> tuple[BudgetState, Slot]:
        """The slot for one open: `held` if it is still valid, else the next free one."""
        state = self.settled(state, now)
        if held is not None and held.epoch == state.epoch:
            return state, held
        interval = self.interval(state)
        if state.restricted_at is not None:
            interval = max(interval, RESTRICTED_PROBE_SECONDS)
        at = max(state.next_at, now)
        return replace(state, next_at=at + interval), Slot(at, state.epoch)

    def too_fast(self, state: BudgetState, now: float, slot: Slot) -> BudgetState:
        """Discord answered 40003 to an open made in `slot`. Only the first answer of an epoch
        halves the rate: opens already in flight at the old rate say nothing new."""
        state = self.settled(state, now)
        if slot.epoch != state.epoch:
            return state
        level = min(state.level + 1, MAX_LEVEL)
        slowed = replace(state, level=level, level_since=now, epoch=state.epoch + 1)
        return replace(slowed, next_at=now + self.interval(slowed))

    def restricted(self, state: BudgetState, now: float) -> BudgetState:
        """Discord refuses DMs to users the bot never messaged (quarantine)."""
        if state.restricted_at is not None:
            return state
        return replace(
            state, restricted_at=now, epoch=state.epoch + 1, next_at=now + RESTRICTED_PROBE_SECONDS
        )

    def reached(self, state: BudgetState) -> BudgetState:
        """A new DM channel opened and took a message: whatever restriction there was is over."""
        if state.restricted_at is None:
            return state
        return replace(state, restricted_at=None)


class DmOpenBudget:
    """The policy over the database: every process of a cluster reserves from the same row."""

    def __init__(
        self, db: Database, policy: DmOpenPolicy, clock: Callable[[], float] = time.time
    ) -> None:
        self._db = db
        self._policy = policy
        self.now = clock

    async def _change(self, step: Callable[[BudgetState, float], BudgetState]) -> BudgetState:
        """Apply `step` to the stored state by compare-and-set; return the state it replaced."""
        for _ in range(CAS_TRIES):
            async with self._db.transaction() as repos:
                before = await repos.budgets.get(DM_OPENS)
                after = step(before, self.now())
                if after == before or await repos.budgets.put(DM_OPENS, after):
                    return before
        raise RuntimeError("the DM-open budget is changed by others faster than it can be read")

    async def reserve(self, held: Slot | None = None) -> Slot:
        """A slot to open one DM channel in: `held` if still valid, else the next free one."""
        slots: list[Slot] = []

        def step(state: BudgetState, now: float) -> BudgetState:
            slots.clear()
            state, slot = self._policy.reserve(state, now, held)
            slots.append(slot)
            return state

        await self._change(step)
        return slots[0]

    async def idle(self) -> bool:
        """No slot is reserved ahead of now: opening one more takes nobody's turn."""
        return (await self._db.repos.budgets.get(DM_OPENS)).next_at <= self.now()

    async def too_fast(self, slot: Slot) -> None:
        await self._change(lambda state, now: self._policy.too_fast(state, now, slot))

    async def restricted(self) -> bool:
        """Record that Discord refuses DMs to new users; True for the process that recorded it
        first (it tells the operators, once)."""
        before = await self._change(self._policy.restricted)
        return before.restricted_at is None

    async def reached(self) -> None:
        if (await self._db.repos.budgets.get(DM_OPENS)).restricted_at is not None:
            await self._change(lambda state, now: self._policy.reached(state))
