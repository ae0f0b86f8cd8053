"""Asset status: read it, change it (one transaction per action), and its history."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.clock import to_db
from bot.domain import (
    MAX_NOTE_LENGTH,
    Asset,
    AssetStatus,
    Direction,
    DomainError,
    Event,
    EventKind,
    InvalidInput,
    ReopenEstimate,
    State,
    StatusChange,
    StatusRequest,
    UnknownAsset,
)
from bot.services import EventWriter
from bot.services.assets import ALL_ASSETS
from bot.services.daily import DAYS, Day, Pair, daily_worst, window_start
from bot.store import Repos

log = logging.getLogger(__name__)

# What a system actor records in the change's own transaction: the rows written, and each
# pair's status before.
Within = Callable[
    [Repos, tuple[StatusChange, ...], dict[tuple[str, Direction], AssetStatus]],
    Awaitable[None],
]

BOTH_DIRECTIONS = "both"
MAX_HISTORY = 100


@dataclass(frozen=True, slots=True)
class EstimateChange:
    """A halted pair's expected reopening moved, its state unchanged."""

    asset: str
    direction: Direction
    state: State
    old: datetime | None
    new: datetime | None
    revisions: int = 0  # slips of this halt's estimate, this one included


@dataclass(frozen=True, slots=True)
class ChangeResult:
    """What one action did: the rows written (none for a no-op) and its event."""

    changes: tuple[StatusChange, ...]
    event: Event | None
    deliveries: int
    estimates: tuple[EstimateChange, ...] = ()

    @property
    def noop(self) -> bool:
        return not self.changes and not self.estimates


def directions(given: str) -> tuple[Direction, ...]:
    """`deposit`, `withdrawal` or `both`."""
    value = given.strip().lower()
    if value == BOTH_DIRECTIONS:
        return (Direction.DEPOSIT, Direction.WITHDRAWAL)
    try:
        return (Direction(value),)
    except ValueError:
        raise InvalidInput(
            "unknown_direction", f"unknown direction: {given!r}", value=given
        ) from None


class EstimateForOpenPair(DomainError):
    def __init__(self) -> None:
        super().__init__(
            "estimate_for_open_pair",
            "an expected reopening is for a halted pair; leave it out when setting operational",
        )


def check_note(note: str) -> str:
    note = note.strip()
    if len(note) > MAX_NOTE_LENGTH:
        raise InvalidInput(
            "note_too_long",
            f"the note is {len(note)} characters; at most {MAX_NOTE_LENGTH} are allowed",
            length=len(note),
            limit=MAX_NOTE_LENGTH,
        )
    return note


def _estimate_json(estimate: EstimateChange, names: dict[str, Asset]) -> dict[str, Any]:
    return {
        "asset": estimate.asset,
        "name_ja": names[estimate.asset].name_ja,
        "name_en": names[estimate.asset].name_en,
        "direction": estimate.direction.value,
        "state": estimate.state.value,
        "old_estimate": to_db(estimate.old) if estimate.old else None,
        "new_estimate": to_db(estimate.new) if estimate.new else None,
        "revisions": estimate.revisions,
    }


def _payload(
    request: StatusRequest,
    changes: Iterable[StatusChange],
    estimates: Iterable[EstimateChange],
    names: dict[str, Asset],
) -> dict[str, Any]:
    return {
        "estimates": [_estimate_json(e, names) for e in estimates],
        "changes": [
            {
                "asset": c.asset,
                "name_ja": names[c.asset].name_ja,
                "name_en": names[c.asset].name_en,
                "direction": c.direction.value,
                "old_state": c.old_state.value if c.old_state else None,
                "new_state": c.new_state.value,
            }
            for c in changes
        ],
        "reason": request.reason.value,
        "note": request.note,
        "note_en": request.note_en,
        "expected_reopen": to_db(request.expected_reopen) if request.expected_reopen else None,
        "actor": request.actor,
    }


class StatusService(EventWriter):
    async def assets(self) -> list[Asset]:
        return await self._db.repos.assets.all()

    async def asset(self, code: str) -> Asset:
        found = await self._db.repos.assets.find(code)
        if found is None:
            raise UnknownAsset(code)
        return found

    async def codes(self, given: str) -> list[str]:
        """The asset codes `given` names: one asset in any case, or `all`."""
        if given.strip().lower() == ALL_ASSETS:
            return [a.code for a in await self.assets()]
        return [(await self.asset(given)).code]

    async def current(self, asset: str | None = None) -> list[AssetStatus]:
        code = (await self.asset(asset)).code if asset else None
        return await self._db.repos.status.current(code)

    async def history(self, asset: str | None = None, limit: int = 20) -> list[StatusChange]:
        if not 1 <= limit <= MAX_HISTORY:
            raise InvalidInput("bad_limit", f"limit must be 1 to {MAX_HISTORY}", limit=MAX_HISTORY)
        code = (await self.asset(asset)).code if asset else None
        return await self._db.repos.status.history(code, limit)

    async def daily(
        self, zone: ZoneInfo, now: datetime | None = None, days: int = DAYS
    ) -> dict[Pair, list[Day]]:
        """Each pair's worst state on each of the last `days` days (in `zone`), oldest first."""
        now = now or self._clock()
        start = window_start(now, zone, days)
        repos = self._db.repos
        before = await repos.status.states_before(start)
        changes = await repos.status.changes_since(start)
        return daily_worst(before, changes, now.astimezone(zone).date(), zone, days)

    async def estimates(self, asset: str) -> dict[Direction, list[ReopenEstimate]]:
        """Each direction's estimates in its current halt, oldest first."""
        code = (await self.asset(asset)).code
        return {d: await self._db.repos.estimates.current_halt(code, d) for d in Direction}

    async def change(
        self,
        request: StatusRequest,
        *,
        only_if: Callable[[AssetStatus | None], bool] | None = None,
        within: Within | None = None,
    ) -> ChangeResult:
        """Apply one action as one transaction: status, history, one event and its outbox rows.

        Pairs already in the asked state are left alone, unless the action moves the expected
        reopening of a halted pair: that is an estimate revision, told to subscribers too. If
        nothing is left, nothing is written. A system actor may narrow the action to the pairs
        whose status `only_if` accepts, read inside the transaction, and write its own record
        of what it did (`within`) in the same transaction.
        """
        note = check_note(request.note)
        note_en = check_note(request.note_en)
        if request.expected_reopen is not None and any(
            t.state is State.OPERATIONAL for t in request.targets
        ):
            raise EstimateForOpenPair()
        names = {a.code: a for a in await self.assets()}
        for target in request.targets:
            if target.asset not in names:
                raise UnknownAsset(target.asset)
        now = self._clock()
        async with self._db.transaction() as repos:
            current = {(s.asset, s.direction): s for s in await repos.status.current()}
            pending: list[StatusChange] = []
            slips: list[EstimateChange] = []
            for target in request.targets:
                old = current.get((target.asset, target.direction))
                if only_if is not None and not only_if(old):
                    continue
                if old is not None and old.state is target.state:
                    if _moves_estimate(old, request.expected_reopen):
                        slips.append(
                            EstimateChange(
                                target.asset,
                                target.direction,
                                old.state,
                                old.expected_reopen,
                                request.expected_reopen,
                                old.estimate_revisions + (old.expected_reopen is not None),
                            )
                        )
                    continue
                reopen = None if target.state is State.OPERATIONAL else request.expected_reopen
                pending.append(
                    StatusChange(
                        asset=target.asset,
                        direction=target.direction,
                        old_state=old.state if old else None,
                        new_state=target.state,
                        reason=request.reason,
                        note=note,
                        note_en=note_en,
                        actor=request.actor,
                        source=request.source,
                        changed_at=now,
                        expected_reopen=reopen,
                    )
                )
            if not pending and not slips:
                return ChangeResult((), None, 0)
            touched = {c.asset for c in pending} | {e.asset for e in slips}
            event = await repos.events.add(
                EventKind.STATUS,
                actor=request.actor,
                source=request.source,
                payload=_payload(
                    replace(request, note=note, note_en=note_en), pending, slips, names
                ),
                assets=sorted(touched, key=lambda code: names[code].position),
                created_at=now,
            )
            written = []
            for change in pending:
                written.append(await repos.status.record(replace(change, event_id=event.id)))
                old = current.get((change.asset, change.direction))
                before = old.expected_reopen if old else None
                if before != change.expected_reopen:
                    await repos.estimates.record(
                        change.asset,
                        change.direction,
                        before,
                        change.expected_reopen,
                        actor=request.actor,
                        source=request.source,
                        changed_at=now,
                        event_id=event.id,
                    )
            for slip in slips:
                await repos.status.set_estimate(slip.asset, slip.direction, slip.new)
                await repos.estimates.record(
                    slip.asset,
                    slip.direction,
                    slip.old,
                    slip.new,
                    actor=request.actor,
                    source=request.source,
                    changed_at=now,
                    event_id=event.id,
                )
            deliveries = await repos.outbox.fan_out(event)
            if within is not None:
                await within(repos, tuple(written), current)
        log.info(
            "status change by %s (%s): %d pair(s), %d estimate(s), event %d, %d deliveries",
            request.actor,
            request.source,
            len(written),
            len(slips),
            event.id,
            deliveries,
        )
        self._announce(event)
        return ChangeResult(tuple(written), event, deliveries, tuple(slips))


def _moves_estimate(old: AssetStatus, asked: datetime | None) -> bool:
    """An estimate given for a halted pair that differs from the one it has.

    No estimate in the action leaves the pair's estimate as it is: repeating a halt without one
    does not withdraw it.
    """
    return asked is not None and old.state is not State.OPERATIONAL and asked != old.expected_reopen
