"""One scheduler job per configured feed: poll, remember what was seen, alert what matches.

A failed poll is recorded on the feed and counted, never raised: the next poll of that feed
is pushed back exponentially, and every other part of the service carries on.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import aiohttp
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

from bot.domain import Event, FeedState, SeenItem
from bot.feeds.errors import FeedError
from bot.feeds.fetch import fetch, new_session
from bot.feeds.parse import Entry, matches, read
from bot.metrics import Metrics
from bot.services.feeds import FeedService
from bot.services.orders import Notice, OrderService
from bot.settings import FeedSettings, FeedSource

log = logging.getLogger(__name__)

JOB_PREFIX = "feed:"
JITTER = 0.1  # at most 10% of the interval is added to each wait
FIRST_POLL_SPREAD_SECONDS = 30.0
MAX_BACKOFF_SECONDS = 6 * 3600.0


def job_id(feed: str) -> str:
    return f"{JOB_PREFIX}{feed}"


def backoff_seconds(interval: float, failures: int) -> float:
    """The wait after `failures` failures in a row: the interval doubled each time, capped."""
    if failures <= 0:
        return interval
    return min(interval * 2.0 ** min(failures, 30), max(MAX_BACKOFF_SECONDS, interval))


@dataclass(frozen=True, slots=True)
class PollOutcome:
    feed: str
    error: str | None = None  # a FeedError kind
    not_modified: bool = False
    first: bool = False
    new_items: int = 0
    notices: tuple[Event, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return self.error is None


class FeedWatcher:
    name = "feed watcher"

    def __init__(
        self,
        settings: FeedSettings,
        feeds: FeedService,
        orders: OrderService,
        scheduler: AsyncIOScheduler,
        metrics: Metrics,
        *,
        rng: Callable[[], float] = random.random,
    ) -> None:
        self._settings = settings
        self._sources = {source.name: source for source in settings.sources}
        self._feeds = feeds
        self._orders = orders
        self._scheduler = scheduler
        self._metrics = metrics
        self._rng = rng
        self._session: aiohttp.ClientSession | None = None
        # Feeds already reported as mended: said once per process, not at every poll.
        self._repaired: set[str] = set()

    async def start(self) -> None:
        now = datetime.now(UTC)
        interval = self._settings.interval_seconds
        for source in self._sources.values():
            state = await self._feeds.ensure(source.name, source.url)
            self._scheduler.add_job(
                self.poll,
                IntervalTrigger(seconds=interval, jitter=interval * JITTER),
                args=[source.name],
                id=job_id(source.name),
                name=f"poll feed {source.name}",
                replace_existing=True,
                next_run_time=self._first_run(state, now),
                max_instances=1,
                coalesce=True,
                misfire_grace_time=None,
            )
            log.info("watching feed %s (%s) every %ss", source.name, source.url, interval)

    def _first_run(self, state: FeedState, now: datetime) -> datetime:
        """Soon after start-up, spread out; a feed that was failing keeps its backoff."""
        spread = min(FIRST_POLL_SPREAD_SECONDS, self._settings.interval_seconds * JITTER)
        first = now + timedelta(seconds=spread * self._rng())
        if state.consecutive_failures and state.last_error_at:
            wait = backoff_seconds(self._settings.interval_seconds, state.consecutive_failures)
            first = max(first, state.last_error_at + timedelta(seconds=wait))
        return first

    async def stop(self) -> None:
        for job in self._scheduler.get_jobs():
            if job.id.startswith(JOB_PREFIX):
                job.remove()
        if self._session is not None:
            await self._session.close()
            self._session = None

    def _http(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = new_session(self._settings.timeout_seconds)
        return self._session

    async def poll(self, name: str) -> PollOutcome:
        """Poll one feed once. Never raises: a failure is logged, counted and recorded."""
        source = self._sources[name]
        self._metrics.feed_polls.labels(feed=name).inc()
        try:
            return await self._poll(source)
        except FeedError as exc:
            kind, message = exc.kind, str(exc)
            log.warning("feed %s: %s: %s", name, kind, message)
        except Exception as exc:  # one feed's surprise must not stop the watcher
            kind, message = "internal", f"{type(exc).__name__}: {exc}"
            log.exception("feed %s: unexpected failure", name)
        self._metrics.feed_failures.labels(feed=name, kind=kind).inc()
        try:
            state = await self._feeds.record_failure(name, f"{kind}: {message}")
        except Exception:
            log.exception("feed %s: cannot record the failure", name)
            return PollOutcome(name, error=kind)
        self._back_off(name, state.consecutive_failures)
        return PollOutcome(name, error=kind)

    def _back_off(self, name: str, failures: int) -> None:
        wait = backoff_seconds(self._settings.interval_seconds, failures)
        wait += wait * JITTER * self._rng()
        job = self._scheduler.get_job(job_id(name))
        if job is None:
            return
        job.modify(next_run_time=datetime.now(UTC) + timedelta(seconds=wait))
        log.info("feed %s: %d failure(s) in a row; next poll in %.0fs", name, failures, wait)

    async def _poll(self, source: FeedSource) -> PollOutcome:
        state = await self._feeds.ensure(source.name, source.url)
        fetched = await fetch(
            self._http(),
            source.url,
            etag=state.etag if state.initialised else None,
            last_modified=state.last_modified if state.initialised else None,
            max_bytes=self._settings.max_bytes,
        )
        if fetched.not_modified:
            await self._feeds.record_success(
                source.name, [], etag=state.etag, last_modified=state.last_modified
            )
            return PollOutcome(source.name, not_modified=True)
        # feedparser takes ~50 ms for the FSA's feed and ~2 s at the size cap: off the loop.
        parsed = await asyncio.to_thread(read, fetched.body, fetched.content_type)
        if parsed.repairs and source.name not in self._repaired:
            self._repaired.add(source.name)
            log.warning(
                "feed %s is not well-formed XML; read after mending it (%s); said once",
                source.name,
                parsed.repairs.describe(),
            )
        entries = parsed.entries
        unseen = await self._feeds.unseen(source.name, [e.item_id for e in entries])
        new = [e for e in entries if e.item_id in unseen]
        quiet: list[SeenItem] = []
        notices: list[Event] = []
        # Oldest first, so that alerts arrive in the order the regulator published them.
        for entry in sorted(new, key=_published_order):
            found = matches(entry, source.keywords)
            if found and state.initialised:
                event = await self._orders.record_notice(_notice(source.name, entry, found))
                if event is not None:
                    notices.append(event)
            else:
                quiet.append(_seen(entry, matched=bool(found)))
        await self._feeds.record_success(
            source.name, quiet, etag=fetched.etag, last_modified=fetched.last_modified
        )
        if not state.initialised:
            log.info("feed %s: first poll, %d item(s) recorded as seen", source.name, len(new))
        return PollOutcome(
            source.name,
            first=not state.initialised,
            new_items=len(new),
            notices=tuple(notices),
        )


def _published_order(entry: Entry) -> tuple[int, datetime]:
    if entry.published_at is None:
        return (1, datetime.min.replace(tzinfo=UTC))
    return (0, entry.published_at)


def _seen(entry: Entry, *, matched: bool) -> SeenItem:
    return SeenItem(entry.item_id, entry.title, entry.link, entry.published_at, matched)


def _notice(feed: str, entry: Entry, keywords: tuple[str, ...]) -> Notice:
    return Notice(
        feed=feed,
        item_id=entry.item_id,
        title=entry.title,
        link=entry.link,
        summary=entry.summary,
        published_at=entry.published_at,
        keywords=keywords,
    )
