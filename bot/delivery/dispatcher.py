"""The outbox dispatcher: claims due deliveries, sends them, records the outcome.

Woken at once by changes made in this process; polls for rows other processes (the CLI) wrote.
Each delivery is leased (`claimed_until`) before it is sent, so one held by a process that died
is sent again; the Discord nonce makes that second send a no-op at Discord. One target has at
most one delivery in flight, so its alerts arrive in order and a slow channel holds up no one else.
What is claimed first is the lane policy's to say (`bot.delivery.lanes`).
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.clock import utcnow
from bot.delivery.backlog_writer import BacklogWriter
from bot.delivery.backoff import backoff
from bot.delivery.discord_errors import Deferred, DmsRestricted
from bot.delivery.hosts import HostLimited
from bot.delivery.lanes import GROUPS, ROUTINE, URGENT, WEBHOOKS, LanePolicy
from bot.delivery.notices import tell_operators
from bot.delivery.outgoing import Composer
from bot.delivery.payloads import disabled_payload
from bot.delivery.progress_reporter import ProgressReporter
from bot.delivery.transport import Permanent, Rejected, Transient, Transport, Unavailable
from bot.domain import Event, EventKind, Source, Subscription, TargetKind
from bot.domain.lanes import Lane
from bot.metrics import Metrics
from bot.store import Database
from bot.store.outbox import Delivery

log = logging.getLogger(__name__)

LEASE_SECONDS = 120.0
EXPIRE_EVERY_SECONDS = 5.0
GAUGE_EVERY_SECONDS = 1.0
EVENT_CACHE_SIZE = 512
STOP_GRACE_SECONDS = 5.0


@dataclass(frozen=True, slots=True)
class DispatchSettings:
    poll_seconds: float
    max_age_seconds: float
    concurrency: int
    zone_name: str = "Asia/Tokyo"
    public_url: str = ""  # the status page, linked from alerts when set


class Dispatcher:
    name = "delivery"

    def __init__(
        self,
        db: Database,
        settings: DispatchSettings,
        metrics: Metrics,
        transports: Mapping[TargetKind, Transport],
        *,
        emit: Callable[[Event], None] | None = None,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self._db = db
        self._settings = settings
        self._zone = ZoneInfo(settings.zone_name)
        self._metrics = metrics
        self._transports = dict(transports)
        # One slow webhook endpoint must not take the whole webhook lane.
        webhooks = self._transports.get(TargetKind.WEBHOOK)
        self._hosts = None if webhooks is None else HostLimited(webhooks)
        if self._hosts is not None:
            self._transports[TargetKind.WEBHOOK] = self._hosts
        self._lanes = LanePolicy(settings.concurrency)
        self._compose = Composer(db, self._zone, settings.public_url)
        channels = self._transports.get(TargetKind.CHANNEL)
        self._progress = ProgressReporter(
            db, metrics, getattr(channels, "edit", None), on_notice=self.wake, clock=clock
        )
        # Without Discord (no token, or a token refused) its deliveries wait, unclaimed, until
        # a restart sends them or they expire.
        self._kinds: list[str] | None = None
        self._claim_kinds()
        self._emit = emit
        self._clock = clock
        self._wake = asyncio.Event()
        self._backlog = BacklogWriter(db, settings.poll_seconds, self._wake.set)
        self._stopping = False
        self._task: asyncio.Task[None] | None = None
        self._in_flight: dict[int, asyncio.Task[None]] = {}  # subscription id -> its sender
        self._lane_of: dict[int, Lane] = {}  # subscription id -> the lane its sender serves
        self._events: dict[int, Event] = {}
        self._last_expire = 0.0
        self._last_round = 0.0
        self._last_gauge = 0.0
        self._sent: list[tuple[Delivery, str, datetime]] = []
        self._sent_lock = asyncio.Lock()

    # -- lifecycle ------------------------------------------------------------------------

    async def start(self) -> None:
        for transport in set(self._transports.values()):
            await transport.start()
        # One `run` process per database: what a previous (killed) run held is due now.
        async with self._db.transaction() as repos:
            released = await repos.outbox.release_claims()
        if released:
            log.info("released %d deliveries held by a previous run", released)
        self._task = asyncio.create_task(self._run(), name="delivery-dispatcher")
        await self._progress.start()
        await self._backlog.start()
        log.info("delivery transports: %s", ", ".join(sorted(k.value for k in self._transports)))

    async def stop(self) -> None:
        await self._backlog.stop()
        await self._progress.stop()
        self._stopping = True
        self._wake.set()
        if self._task is not None:
            await self._task
            self._task = None
        senders = list(self._in_flight.values())
        if senders:
            _, late = await asyncio.wait(senders, timeout=STOP_GRACE_SECONDS)
            for task in late:
                task.cancel()  # their leases run out; the next run sends them
            await asyncio.gather(*late, return_exceptions=True)
        for transport in set(self._transports.values()):
            await transport.stop()

    def health(self) -> dict[str, Any]:
        """Alive when its loop task runs and has gone round within a few poll intervals."""
        running = self._task is not None and not self._task.done()
        since = asyncio.get_running_loop().time() - self._last_round if self._last_round else None
        stale = since is None or since > max(30.0, 5 * self._settings.poll_seconds)
        return {
            "ok": running and not stale,
            "state": "running" if running else "stopped",
            "in_flight": len(self._in_flight),
            "last_round_seconds_ago": None if since is None else round(since, 1),
        }

    def _claim_kinds(self) -> None:
        kinds = set(self._transports)
        self._kinds = None if kinds == set(TargetKind) else sorted(k.value for k in kinds)

    def _unavailable(self, broken: Transport) -> None:
        """A transport that cannot send at all serves nothing more until a restart."""
        gone = [kind for kind, transport in self._transports.items() if transport is broken]
        if not gone:
            return
        for kind in gone:
            del self._transports[kind]
        self._claim_kinds()
        log.error("no more %s deliveries until a restart", "/".join(k.value for k in gone))

    def wake(self, event: Event | None = None) -> None:
        """An event was committed: look for its deliveries (and DM rows it left) now."""
        self._wake.set()
        self._backlog.wake()

    # -- the loop ---------------------------------------------------------------------------

    async def _run(self) -> None:
        while not self._stopping:
            self._last_round = asyncio.get_running_loop().time()
            self._wake.clear()
            try:
                await self._housekeeping()
                await self._release()
                await self._fill()
            except Exception:
                log.exception("the dispatcher could not read the outbox; trying again")
            if self._stopping:
                break
            try:
                await asyncio.wait_for(self._wake.wait(), self._settings.poll_seconds)
            except TimeoutError:
                pass

    async def _housekeeping(self) -> None:
        loop = asyncio.get_running_loop()
        if loop.time() - self._last_expire >= EXPIRE_EVERY_SECONDS:
            self._last_expire = loop.time()
            cut_off = self._clock() - timedelta(seconds=self._settings.max_age_seconds)
            async with self._db.transaction() as repos:
                expired = await repos.outbox.expire(cut_off)
            if expired:
                log.warning(
                    "%d deliveries expired unsent (older than %.0fs)",
                    expired,
                    self._settings.max_age_seconds,
                )
                self._metrics.deliveries.labels(outcome="expired", transport="any").inc(expired)
        if loop.time() - self._last_gauge >= GAUGE_EVERY_SECONDS:
            self._last_gauge = loop.time()
            pending = await self._db.repos.outbox.count("pending")
            self._metrics.deliveries_pending.set(pending)

    async def _release(self) -> None:
        """Windows that have ended (quiet hours, digests) get their summaries queued; at
        start-up this also catches up on windows that ended while the service was down."""
        due = await self._db.repos.outbox.next_release()
        now = self._clock()
        if due is None or due > now:
            return
        async with self._db.transaction() as repos:
            created = await repos.outbox.release_held(now)
        if created:
            log.info("%d summaries of held alerts queued", created)

    async def _fill(self) -> None:
        """Claim for each group of lanes what the lane policy allows, urgent lanes first; while
        urgent ones may be left (a full claim), routine DMs wait for the next round, at once."""
        urgent_left = False
        for group in GROUPS:
            if group == ROUTINE and urgent_left:
                self._wake.set()
                continue
            limit = self._lanes.limit(group, Counter(self._lane_of.values()))
            claimed = await self._claim(group, limit) if limit > 0 else 0
            urgent_left = urgent_left or (group == URGENT and claimed == limit > 0)

    async def _claim(self, group: tuple[Lane, ...], limit: int) -> int:
        now = self._clock()
        lease = now + timedelta(seconds=LEASE_SECONDS)
        exclude = set(self._in_flight)
        if group == WEBHOOKS and self._hosts is not None:
            exclude |= self._hosts.crowded()
        async with self._db.transaction() as repos:
            claimed = await repos.outbox.claim(
                now, lease, limit, exclude=exclude, kinds=self._kinds, lanes=group
            )
        if not claimed:
            return 0
        by_sub: dict[int, list[Delivery]] = {}
        for delivery in claimed:
            by_sub.setdefault(delivery.subscription_id, []).append(delivery)
        subs = await self._db.repos.subscriptions.get_many(by_sub)
        await self._load_events({d.event_id for d in claimed if d.event_id is not None})
        for sub_id, deliveries in by_sub.items():
            task = asyncio.create_task(self._send_all(subs.get(sub_id), deliveries))
            self._in_flight[sub_id] = task
            self._lane_of[sub_id] = deliveries[0].lane
            task.add_done_callback(functools.partial(self._finished, sub_id))
        return len(claimed)

    def _finished(self, sub_id: int, _task: asyncio.Task[None]) -> None:
        self._in_flight.pop(sub_id, None)
        self._lane_of.pop(sub_id, None)
        self._wake.set()

    async def _load_events(self, ids: set[int]) -> None:
        missing = ids - self._events.keys()
        if len(self._events) + len(missing) > EVENT_CACHE_SIZE:
            self._events.clear()
            missing = ids
        for event_id in missing:
            event = await self._db.repos.events.get(event_id)
            if event is not None:
                self._events[event_id] = event

    # -- one target -----------------------------------------------------------------------

    async def _send_all(self, sub: Subscription | None, deliveries: list[Delivery]) -> None:
        for delivery in deliveries:
            try:
                go_on = await self._send_one(sub, delivery)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("delivery %d: unexpected failure", delivery.id)
                await self._retry(delivery, "internal error", None, "any")
                go_on = True
            if not go_on:
                break

    async def _send_one(self, sub: Subscription | None, delivery: Delivery) -> bool:
        """Send one delivery and record what happened; False when the target was disabled."""
        known = delivery.event_id is None or delivery.event_id in self._events
        if sub is None or not known:
            await self._fail(delivery, "subscription or event is gone", "any")
            return True
        kind = sub.target_kind.value
        if not sub.active:
            await self._fail(delivery, "subscription disabled", kind)
            return True
        age = (self._clock() - delivery.created_at).total_seconds()
        if age > self._settings.max_age_seconds:
            async with self._db.transaction() as repos:
                await repos.outbox.expire_one(delivery)
            self._metrics.deliveries.labels(outcome="expired", transport=kind).inc()
            return True
        event = self._events.get(delivery.event_id or 0)
        outgoing = await self._compose.outgoing(sub, delivery, event)
        if outgoing is None:
            await self._fail(delivery, "nothing in the event concerns this subscription", kind)
            if delivery.window_end is not None:
                async with self._db.transaction() as repos:
                    await repos.outbox.mark_told(sub.id, delivery.window_end)
            return True
        transport = self._transports.get(sub.target_kind)
        if transport is None:
            await self._retry(delivery, f"no transport for {kind} (is Discord off?)", 60.0, kind)
            return True
        try:
            receipt = await transport.send(outgoing)
        except Unavailable as exc:
            # Not the subscriber's fault nor a try: due again at once, for the next run.
            async with self._db.transaction() as repos:
                await repos.outbox.retry(delivery, str(exc), self._clock())
            self._unavailable(transport)
            return False
        except Transient as exc:
            await self._retry(delivery, str(exc), exc.retry_after, kind, isinstance(exc, Deferred))
            if isinstance(exc, DmsRestricted) and exc.notice is not None:
                await tell_operators(self._db, exc.notice, self._clock(), self._emit)
            return True
        except Permanent as exc:
            await self._disable(sub, delivery, str(exc))
            return False
        except Rejected as exc:
            await self._fail(delivery, str(exc), kind)
            return True
        await self._record_sent(delivery, receipt)
        if delivery.window_end is not None:
            async with self._db.transaction() as repos:
                await repos.outbox.mark_told(sub.id, delivery.window_end)
        self._metrics.deliveries.labels(outcome="sent", transport=kind).inc()
        return True

    async def _record_sent(self, delivery: Delivery, receipt: str) -> None:
        """Marks are written in batches, by whichever sender finds the batch open. Losing an
        unwritten mark to a crash only means a re-send, which the nonce makes harmless."""
        self._sent.append((delivery, receipt, self._clock()))
        async with self._sent_lock:
            batch, self._sent = self._sent, []
            if batch:
                async with self._db.transaction() as repos:
                    await repos.outbox.mark_sent_many(batch)

    async def _retry(
        self, delivery: Delivery, error: str, after: float | None, kind: str, quiet: bool = False
    ) -> None:
        # No cap on tries: a long outage is bounded by the maximum age, after which it expires.
        # A quiet retry (a planned wait) records no error.
        wait = backoff(delivery.attempts, after)
        async with self._db.transaction() as repos:
            await repos.outbox.retry(delivery, error, self._clock() + timedelta(seconds=wait))
            if not quiet:
                await repos.subscriptions.set_last_error(delivery.subscription_id, error[:300])
        log.log(
            logging.DEBUG if quiet else logging.INFO,
            "delivery %d: %s; try %d again in %.1fs",
            delivery.id,
            error,
            delivery.attempts + 1,
            wait,
        )
        self._metrics.deliveries.labels(outcome="retried", transport=kind).inc()

    async def _fail(self, delivery: Delivery, error: str, kind: str) -> None:
        async with self._db.transaction() as repos:
            await repos.outbox.fail(delivery, error)
        log.warning("delivery %d failed: %s", delivery.id, error)
        self._metrics.deliveries.labels(outcome="failed", transport=kind).inc()

    async def _disable(self, sub: Subscription, delivery: Delivery, error: str) -> None:
        """A target that refuses us is switched off at once, and never tried again."""
        notice: Event | None = None
        async with self._db.transaction() as repos:
            await repos.outbox.fail(delivery, error)
            await repos.outbox.fail_pending_of(sub.id, f"subscription disabled: {error}")
            await repos.subscriptions.disable(sub.id, error)
            if sub.target_kind is TargetKind.CHANNEL:
                notice = await repos.events.add(
                    EventKind.OPERATOR,
                    actor="system",
                    source=Source.SYSTEM,
                    payload=disabled_payload(sub, error),
                    created_at=self._clock(),
                )
                await repos.outbox.fan_out(notice)
        log.warning(
            "subscription %d (%s %s) disabled after delivery %d: %s",
            sub.id,
            sub.target_kind.value,
            sub.target,
            delivery.id,
            error,
        )
        self._metrics.deliveries.labels(outcome="failed", transport=sub.target_kind.value).inc()
        if notice is not None and self._emit is not None:
            self._emit(notice)
