"""Scheduled maintenance windows: schedule, remind, start, end, extend and cancel.

At its start a window moves its (asset, direction) pairs to `maintenance` in one action (one
event, actor `maintenance:<id>`, source `system`); at its end each pair goes back to the state it
had before, unless an operator changed it meanwhile (its newest history row is no longer the one
the start wrote), in which case it is left as the operator set it and the end notice says so.
Every step is its own transaction with its event and outbox rows, and happens once: the state
of the window (and `maintenance_reminders`) decides, so a step run twice does nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime, timedelta

from bot.clock import JST, show, to_db, utcnow
from bot.domain import (
    DomainError,
    Event,
    EventKind,
    InvalidInput,
    Maintenance,
    MaintenanceState,
    NewMaintenance,
    NotFound,
    Source,
    UnknownAsset,
)
from bot.i18n import maintenance as _texts  # noqa: F401 - registers the refusals' texts
from bot.services import EventListener, EventWriter
from bot.services import maintenance_plan as plan
from bot.services import maintenance_steps as steps
from bot.services.assets import AssetSelection, parse_assets
from bot.services.status import check_note, directions
from bot.store import Database

log = logging.getLogger(__name__)

DEFAULT_LEADS = (24.0, 1.0)


class MaintenanceService(EventWriter):
    def __init__(
        self,
        db: Database,
        *,
        on_event: EventListener | None = None,
        clock: Callable[[], datetime] = utcnow,
        remind_before_hours: Sequence[float] = DEFAULT_LEADS,
    ) -> None:
        super().__init__(db, on_event=on_event, clock=clock)
        self._leads = tuple(remind_before_hours)

    # -- reading ---------------------------------------------------------------------------

    async def get(self, maintenance_id: int) -> Maintenance:
        found = await self._db.repos.maintenances.get(maintenance_id)
        if found is None:
            raise NotFound("maintenance", maintenance_id)
        return found

    async def active(self) -> list[Maintenance]:
        """Upcoming and in-progress windows, soonest first."""
        return await self._db.repos.maintenances.list(
            (MaintenanceState.SCHEDULED, MaintenanceState.IN_PROGRESS)
        )

    async def all(self) -> list[Maintenance]:
        return await self._db.repos.maintenances.list()

    async def notices(self, limit: int = 50) -> list[Event]:
        """The latest maintenance notices, newest first (for the Atom feed)."""
        return await self._db.repos.events.latest(limit, kinds=[EventKind.MAINTENANCE])

    async def parse_assets(self, given: str) -> AssetSelection:
        """The assets a window holds (services.assets: the one parser)."""
        return await parse_assets(self._db.repos.assets, given)

    # -- operators' actions ----------------------------------------------------------------

    async def schedule(
        self, request: NewMaintenance, *, actor: str, source: Source
    ) -> tuple[Maintenance, Event]:
        """Record a window and announce it; refused if its times are wrong or it overlaps."""
        now = self._clock()
        plan.check_times(request.starts_at, request.ends_at, now)
        request = replace(
            request, note_ja=check_note(request.note_ja), note_en=check_note(request.note_en)
        )
        pairs = [(code, way) for code in request.assets for way in directions(request.direction)]
        if not pairs:
            raise InvalidInput("no_assets", "name at least one asset, or all")
        async with self._db.transaction() as repos:
            names = await steps.names(repos)
            for code in request.assets:
                if code not in names:
                    raise UnknownAsset(code)
            clash = await repos.maintenances.overlapping(pairs, request.starts_at, request.ends_at)
            if clash is not None:
                raise plan.overlap_error(clash)
            window = await repos.maintenances.add(
                request, pairs, actor=actor, source=source, now=now
            )
            event = await steps.notice(repos, window, plan.SCHEDULED, names, now, actor, source)
        log.info("maintenance %d scheduled by %s (%s)", window.id, actor, source)
        self._emit(event)
        return window, event

    async def extend(
        self, maintenance_id: int, ends_at: datetime, *, actor: str, source: Source
    ) -> tuple[Maintenance, Event]:
        """A slip: a later end, announced with the old and the new end."""
        now = self._clock()
        async with self._db.transaction() as repos:
            window = await steps.active(repos, maintenance_id)
            if ends_at <= window.ends_at:
                raise DomainError(
                    "maintenance_extend_not_later",
                    f"the new end {show(ends_at)} is not after the current end"
                    f" {show(window.ends_at)}",
                    ends=show(ends_at, JST),
                    current=show(window.ends_at, JST),
                )
            pairs = [(p.asset, p.direction) for p in window.pairs]
            clash = await repos.maintenances.overlapping(
                pairs, window.starts_at, ends_at, exclude=window.id
            )
            if clash is not None:
                raise plan.overlap_error(clash)
            await repos.maintenances.extend(window.id, ends_at, now)
            extended = await repos.maintenances.get(window.id)
            assert extended is not None
            event = await steps.notice(
                repos,
                extended,
                plan.EXTENDED,
                await steps.names(repos),
                now,
                actor,
                source,
                old_ends_at=to_db(window.ends_at),
            )
            if window.state is MaintenanceState.IN_PROGRESS:
                await steps.move_estimates(repos, window, ends_at, event, now)
        log.info("maintenance %d extended by %s to %s", window.id, actor, to_db(ends_at))
        self._emit(event)
        return extended, event

    async def cancel(
        self, maintenance_id: int, *, actor: str, source: Source
    ) -> tuple[Maintenance, Event]:
        """A scheduled window is called off; one in progress ends now, its pairs put back."""
        now = self._clock()
        async with self._db.transaction() as repos:
            window = await steps.active(repos, maintenance_id)
            names = await steps.names(repos)
            if window.state is MaintenanceState.SCHEDULED:
                await repos.maintenances.cancel_scheduled(window.id, now)
                event = await steps.notice(repos, window, plan.CANCELLED, names, now, actor, source)
            else:
                event = await steps.finish(
                    repos, window, MaintenanceState.CANCELLED, names, now, actor, source
                )
        log.info("maintenance %d cancelled by %s (%s)", window.id, actor, source)
        self._emit(event)
        return await self.get(window.id), event

    # -- the timed steps -------------------------------------------------------------------

    async def ahead(self) -> list[plan.Due]:
        """Every step still ahead of the active windows, in the order they are to happen."""
        reminded = await self._db.repos.maintenances.reminders_done()
        windows = await self.active()
        found = [due for w in windows for due in plan.steps(w, self._leads, reminded)]
        return sorted(found, key=lambda d: d.sort_key)

    async def run_due(self) -> list[Event]:
        """Take every step whose time has come, oldest first (after a restart too)."""
        now = self._clock()
        events = []
        for due in await self.ahead():
            if due.at > now:
                break
            event = await self._step(due)
            if event is not None:
                events.append(event)
        return events

    async def _step(self, due: plan.Due) -> Event | None:
        if due.action == plan.REMIND:
            assert due.lead_hours is not None
            return await self.remind(due.maintenance_id, due.lead_hours)
        if due.action == plan.START:
            return await self.start(due.maintenance_id)
        return await self.end(due.maintenance_id)

    async def remind(self, maintenance_id: int, lead_hours: float) -> Event | None:
        now = self._clock()
        async with self._db.transaction() as repos:
            window = await repos.maintenances.get(maintenance_id)
            if window is None or window.state is not MaintenanceState.SCHEDULED:
                return None
            if now < window.starts_at - timedelta(hours=lead_hours):
                return None
            if not await repos.maintenances.claim_reminder(window.id, lead_hours, now):
                return None
            if plan.superseded(window, lead_hours, self._leads, now):
                log.info("maintenance %d: the %gh reminder is late; skipped", window.id, lead_hours)
                return None
            event = await steps.notice(
                repos,
                window,
                plan.REMINDER,
                await steps.names(repos),
                now,
                steps.actor_of(window),
                Source.SYSTEM,
                lead_hours=lead_hours,
            )
        self._emit(event)
        return event

    async def start(self, maintenance_id: int) -> Event | None:
        """The pairs move to `maintenance` in one action; a window already over is only told."""
        now = self._clock()
        async with self._db.transaction() as repos:
            window = await repos.maintenances.get(maintenance_id)
            if window is None or window.state is not MaintenanceState.SCHEDULED:
                return None
            if now < window.starts_at:
                return None
            names = await steps.names(repos)
            actor = steps.actor_of(window)
            if now >= window.ends_at:
                # Started and ended while the service was down: no state flip-flop.
                await repos.maintenances.mark_ended(window.id, MaintenanceState.COMPLETED, {}, now)
                event = await steps.notice(
                    repos, window, plan.TOOK_PLACE, names, now, actor, Source.SYSTEM
                )
            else:
                event = await steps.begin(repos, window, names, now)
        log.info("maintenance %d: %s, event %d", window.id, event.payload["step"], event.id)
        self._emit(event)
        return event

    async def end(self, maintenance_id: int) -> Event | None:
        now = self._clock()
        async with self._db.transaction() as repos:
            window = await repos.maintenances.get(maintenance_id)
            if window is None or window.state is not MaintenanceState.IN_PROGRESS:
                return None
            if now < window.ends_at:
                return None
            event = await steps.finish(
                repos,
                window,
                MaintenanceState.COMPLETED,
                await steps.names(repos),
                now,
                steps.actor_of(window),
                Source.SYSTEM,
            )
        log.info("maintenance %d completed, event %d", window.id, event.id)
        self._emit(event)
        return event

    def _emit(self, event: Event) -> None:
        self._announce(event)
