"""Asset status: read it, change it (one transaction per action), and its history."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from bot.clock import to_db, utcnow
from bot.domain import (
    MAX_NOTE_LENGTH,
    Asset,
    AssetStatus,
    Direction,
    Event,
    EventKind,
    InvalidInput,
    State,
    StatusChange,
    StatusRequest,
    UnknownAsset,
)
from bot.services import EventListener
from bot.store import Database

log = logging.getLogger(__name__)

ALL_ASSETS = "all"
BOTH_DIRECTIONS = "both"
MAX_HISTORY = 100


@dataclass(frozen=True, slots=True)
class ChangeResult:
    """What one action did: the rows written (none for a no-op) and its event."""

    changes: tuple[StatusChange, ...]
    event: Event | None
    deliveries: int

    @property
    def noop(self) -> bool:
        return not self.changes


def directions(given: str) -> tuple[Direction, ...]:
    """`deposit`, `withdrawal` or `both`."""
    value = given.strip().lower()
    if value == BOTH_DIRECTIONS:
        return (Direction.DEPOSIT, Direction.WITHDRAWAL)
    try:
        return (Direction(value),)
    except ValueError:
        raise InvalidInput(f"unknown direction: {given!r}", value=given) from None


def check_note(note: str) -> str:
    note = note.strip()
    if len(note) > MAX_NOTE_LENGTH:
        raise InvalidInput(
            f"the note is {len(note)} characters; at most {MAX_NOTE_LENGTH} are allowed",
            length=len(note),
            limit=MAX_NOTE_LENGTH,
        )
    return note


def _payload(
    request: StatusRequest, changes: Iterable[StatusChange], names: dict[str, Asset]
) -> dict[str, Any]:
    return {
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
        "expected_reopen": to_db(request.expected_reopen) if request.expected_reopen else None,
        "actor": request.actor,
    }


class StatusService:
    def __init__(
        self,
        db: Database,
        *,
        on_event: EventListener | None = None,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self._db = db
        self._on_event = on_event
        self._clock = clock

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
            raise InvalidInput(f"limit must be 1 to {MAX_HISTORY}", limit=limit)
        code = (await self.asset(asset)).code if asset else None
        return await self._db.repos.status.history(code, limit)

    async def change(self, request: StatusRequest) -> ChangeResult:
        """Apply one action as one transaction: status, history, one event and its outbox rows.

        Pairs already in the asked state are left alone; if none is left, nothing is written.
        """
        note = check_note(request.note)
        names = {a.code: a for a in await self.assets()}
        for target in request.targets:
            if target.asset not in names:
                raise UnknownAsset(target.asset)
        now = self._clock()
        async with self._db.transaction() as repos:
            current = {(s.asset, s.direction): s for s in await repos.status.current()}
            pending = []
            for target in request.targets:
                old = current.get((target.asset, target.direction))
                if old is not None and old.state is target.state:
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
                        actor=request.actor,
                        source=request.source,
                        changed_at=now,
                        expected_reopen=reopen,
                    )
                )
            if not pending:
                return ChangeResult((), None, 0)
            event = await repos.events.add(
                EventKind.STATUS,
                actor=request.actor,
                source=request.source,
                payload=_payload(request, pending, names),
                assets=sorted({c.asset for c in pending}, key=lambda code: names[code].position),
                created_at=now,
            )
            written = []
            for change in pending:
                written.append(await repos.status.record(replace(change, event_id=event.id)))
            deliveries = await repos.outbox.fan_out(event)
        log.info(
            "status change by %s (%s): %d pair(s), event %d, %d deliveries",
            request.actor,
            request.source,
            len(written),
            event.id,
            deliveries,
        )
        if self._on_event:
            self._on_event(event)
        return ChangeResult(tuple(written), event, deliveries)
