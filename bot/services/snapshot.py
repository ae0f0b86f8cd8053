"""The public read model: what the page, the API, the feed and Discord's read commands show.

One frozen `Snapshot`, built by `read_snapshot` inside one read transaction, so it shows each
change whole or not at all. `ReadModel` holds the current one: built at start-up, rebuilt at
once after a change made in this process (`on_event`), and within a poll interval after a change
made by another process (the CLI, another replica), which a counter moved by triggers on every
table it reads reveals (writes it does not show, such as the leader's lease, cost nothing).
Readers never touch the database while the snapshot is current.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.clock import utcnow
from bot.domain import (
    Asset,
    AssetStatus,
    Direction,
    Event,
    EventKind,
    Incident,
    Maintenance,
    MaintenanceState,
    NotFound,
    Order,
    ReopenEstimate,
    SkippedReminder,
    StatusChange,
    UnknownAsset,
)
from bot.reference import Reference
from bot.services.daily import Day, Pair, daily_worst, window_start
from bot.store import Database
from bot.store.audit import NO_ENTRIES, Head
from bot.store.repos import Repos

log = logging.getLogger(__name__)

LATEST_CHANGES = 100  # across all assets: the feed's window (the page shows the first ten)
HISTORY_PER_ASSET = 25  # the most Discord's /history shows
RECENT_INCIDENTS = 100  # the most the API lists; the feed and Discord's choices take fewer
MAINTENANCE_NOTICES = 50  # the feed's window of maintenance notices
ACTIVE_WINDOWS = (MaintenanceState.SCHEDULED, MaintenanceState.IN_PROGRESS)
# Rebuilt at least this often, so that "updated at", the day bars and "overdue" move on.
REFRESH_SECONDS = 60.0
# Fields that say when and which build a snapshot is, not what it shows.
_STAMP_FIELDS = frozenset({"version", "built_at"})


@dataclass(frozen=True, slots=True)
class Snapshot:
    """Everything the public reads show, as of one moment; never changed once built."""

    version: int
    built_at: datetime
    reference: Reference
    assets: tuple[Asset, ...]
    current: tuple[AssetStatus, ...]
    latest: tuple[StatusChange, ...]  # newest first, all assets, at most LATEST_CHANGES
    recent: Mapping[str, tuple[StatusChange, ...]]  # per asset, newest first
    orders: tuple[Order, ...]
    daily: Mapping[Pair, tuple[Day, ...]]
    estimates: Mapping[Pair, tuple[ReopenEstimate, ...]]  # each pair's current halt, oldest first
    skipped: Mapping[int, tuple[SkippedReminder, ...]]  # per order: reminders skipped as too late
    open_incidents: tuple[Incident, ...]  # newest first, each with its timeline and losses
    incidents: tuple[Incident, ...]  # the most recently updated first, at most RECENT_INCIDENTS
    maintenances: tuple[Maintenance, ...]  # every window, soonest start first
    maintenance_notices: tuple[Event, ...]  # newest first, at most MAINTENANCE_NOTICES
    audit: Head = NO_ENTRIES  # the audit chain's head, published with the status
    _by_key: Mapping[str, Asset] = field(default_factory=dict, compare=False, repr=False)

    def same_content(self, other: Snapshot) -> bool:
        return all(
            getattr(self, f.name) == getattr(other, f.name)
            for f in fields(self)
            if f.compare and f.name not in _STAMP_FIELDS
        )

    def asset(self, code: str) -> Asset:
        """The asset whose code matches in any case, as the store's lookup does."""
        found = self._by_key.get(code.strip().lower())
        if found is None:
            raise UnknownAsset(code)
        return found

    def status_of(self, code: str) -> list[AssetStatus]:
        found = self.asset(code).code
        return [row for row in self.current if row.asset == found]

    def history(self, code: str, limit: int) -> list[StatusChange] | None:
        """An asset's newest changes, or None when more are asked than the snapshot keeps."""
        rows = self.recent.get(self.asset(code).code, ())
        if limit > HISTORY_PER_ASSET and len(rows) == HISTORY_PER_ASSET:
            return None
        return list(rows[:limit])

    def order(self, order_id: int) -> Order:
        found = next((o for o in self.orders if o.id == order_id), None)
        if found is None:
            raise NotFound("order", order_id)
        return found

    def incident(self, incident_id: int) -> Incident | None:
        """One of the recent incidents, or None (an older one: ask the incident service)."""
        return next((i for i in self.incidents if i.id == incident_id), None)

    @property
    def active_maintenances(self) -> tuple[Maintenance, ...]:
        """Upcoming and in-progress windows, soonest first."""
        return tuple(w for w in self.maintenances if w.state in ACTIVE_WINDOWS)


async def read_snapshot(
    repos: Repos, reference: Reference, zone: ZoneInfo, now: datetime, version: int
) -> Snapshot:
    """One snapshot from `repos` (call inside `db.read()` so every query sees the same data)."""
    assets = tuple(await repos.assets.all())
    recent: dict[str, list[StatusChange]] = {a.code: [] for a in assets}
    for change in await repos.status.recent_per_asset(list(recent), HISTORY_PER_ASSET):
        recent.setdefault(change.asset, []).append(change)
    estimates: dict[Pair, list[ReopenEstimate]] = {}
    for estimate in await repos.estimates.current_halts():
        estimates.setdefault((estimate.asset, estimate.direction), []).append(estimate)
    skipped: dict[int, list[SkippedReminder]] = {}
    for reminder in await repos.reminders.skipped():
        skipped.setdefault(reminder.order_id, []).append(reminder)
    start = window_start(now, zone)
    daily = daily_worst(
        await repos.status.states_before(start),
        await repos.status.changes_since(start),
        now.astimezone(zone).date(),
        zone,
    )
    return Snapshot(
        version=version,
        built_at=now,
        reference=reference,
        assets=assets,
        current=tuple(await repos.status.current()),
        latest=tuple(await repos.status.history(None, LATEST_CHANGES)),
        recent={code: tuple(rows) for code, rows in recent.items()},
        orders=tuple(await repos.orders.list()),
        daily={pair: tuple(days) for pair, days in daily.items()},
        estimates={
            (a.code, d): tuple(estimates.get((a.code, d), ())) for a in assets for d in Direction
        },
        skipped={order: tuple(rows) for order, rows in skipped.items()},
        open_incidents=tuple(await repos.incidents.list_open()),
        incidents=tuple(await repos.incidents.recent(RECENT_INCIDENTS)),
        maintenances=tuple(await repos.maintenances.list()),
        maintenance_notices=tuple(
            await repos.events.latest(MAINTENANCE_NOTICES, kinds=[EventKind.MAINTENANCE])
        ),
        audit=await repos.audit.head(),
        _by_key={a.code.lower(): a for a in assets},
    )


class ReadModel:
    """Holds the current snapshot and keeps it fresh; a component of the running service.

    Freshness is counted in generations: every reason to rebuild (a change in this process, a
    commit seen by the poll, the snapshot's age) asks for a newer one, and a reader waits only for
    a build that began after what it must see was committed. Builds are serialised, so a burst
    of changes costs one build after the one under way, and fifty readers arriving together
    share one build.
    """

    name = "snapshot"

    def __init__(
        self,
        db: Database,
        reference: Reference,
        zone: ZoneInfo,
        *,
        poll_seconds: float = 2.0,
        clock: Callable[[], datetime] = utcnow,
        refresh_seconds: float = REFRESH_SECONDS,
    ) -> None:
        self._db = db
        self._reference = reference
        self._zone = zone
        self._poll_seconds = poll_seconds
        self._clock = clock
        self._refresh_seconds = refresh_seconds
        self._snapshot: Snapshot | None = None
        self._wanted = 1  # the generation readers must see; the first get() builds
        self._have = 0  # the generation of the current snapshot
        self._content_version: int | None = None
        self._lock = asyncio.Lock()
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._last_check = 0.0
        self.builds = 0  # snapshots built, kept or not (the tests count them)

    @property
    def poll_seconds(self) -> float:
        return self._poll_seconds

    async def get(self) -> Snapshot:
        """The current snapshot; rebuilt first if this process changed something since."""
        snapshot = self._snapshot
        if snapshot is not None and self._have >= self._wanted:
            return snapshot
        return await self._at_least(self._wanted)

    def on_event(self, event: Event) -> None:
        """A change was committed in this process: the next read must show it."""
        self.mark_stale()

    def mark_stale(self) -> None:
        self._wanted += 1
        self._wake.set()

    def nudge(self) -> None:
        """Another process says it changed what is shown: check the counter now, not at the
        next poll (a change of our own is already known through `on_event`)."""
        self._wake.set()

    async def refresh(self) -> Snapshot:
        """Check the database now, and rebuild if anything was committed since the last build."""
        if await self._db.content_version() != self._content_version:
            self._wanted += 1
        return await self.get()

    async def _at_least(self, generation: int) -> Snapshot:
        async with self._lock:
            if self._snapshot is None or self._have < generation:
                try:
                    await self._build()
                except Exception:
                    if self._snapshot is None:
                        raise
                    # The database is failing: keep serving what was last read rather than
                    # letting every request try again; the poll retries.
                    log.exception("rebuilding the snapshot failed; the previous one is served")
                    self._have = max(self._have, generation)
                    self._content_version = None
        assert self._snapshot is not None
        return self._snapshot

    async def _build(self) -> None:
        generation = self._wanted
        # Read the counter before the data: a commit in between is then seen again, never missed.
        content_version = await self._db.content_version()
        old = self._snapshot
        now = self._clock()
        async with self._db.read() as repos:
            new = await read_snapshot(
                repos, self._reference, self._zone, now, old.version + 1 if old else 1
            )
        self.builds += 1
        self._content_version = content_version
        self._have = generation
        aged = old is not None and (now - old.built_at).total_seconds() >= self._refresh_seconds
        if old is None or aged or not old.same_content(new):
            self._snapshot = new
            log.debug("snapshot %d built", new.version)

    async def start(self) -> None:
        await self.get()
        self._task = asyncio.create_task(self._run(), name="snapshot")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _run(self) -> None:
        while True:
            # Checking twice per interval keeps a change from elsewhere inside one interval,
            # build included; a check reads one row, and only a change to what is shown builds.
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self._poll_seconds / 2)
            self._wake.clear()
            try:
                await self._tick()
            except Exception:
                log.exception("checking the database for changes failed")
            self._last_check = time.monotonic()

    async def _tick(self) -> None:
        snapshot = self._snapshot
        aged = (
            snapshot is not None
            and (self._clock() - snapshot.built_at).total_seconds() >= self._refresh_seconds
        )
        if aged:
            self._wanted += 1
        await self.refresh()

    def health(self) -> dict[str, Any]:
        snapshot = self._snapshot
        since = time.monotonic() - self._last_check if self._last_check else None
        polling = self._task is not None and not self._task.done()
        return {
            "ok": snapshot is not None and polling,
            "version": snapshot.version if snapshot else None,
            "checked_seconds_ago": round(since, 1) if since is not None else None,
        }


def by_pair(snapshot: Snapshot, code: str) -> dict[Direction, Sequence[ReopenEstimate]]:
    """An asset's estimates per direction, as the API's asset detail lists them."""
    found = snapshot.asset(code).code
    return {d: snapshot.estimates.get((found, d), ()) for d in Direction}
