"""The watcher against a real local HTTP server: alerts once, never twice, never for others."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

import pytest
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.domain import EventKind
from bot.feeds.watcher import FeedWatcher, job_id
from bot.metrics import Metrics
from bot.services.feeds import FeedService
from bot.services.orders import OrderService
from bot.settings import FeedSettings, FeedSource
from bot.store import Database, open_database
from tests.feeds.conftest import INTERVAL, KEYWORDS, Built, Subscribers, count_events, deliveries_of
from tests.feeds.server import FeedServer, atom, atom_entry, fsa_rss, rss_item

OLD_RSS = [
    rss_item(
        "テックビューロ株式会社に対する行政処分について",
        "https://www.fsa.go.jp/news/30/20180925-1.html",
        "Tue, 25 Sep 2018 17:00:00 +0900",
    ),
    rss_item(
        "金融審議会 総会の開催について",
        "https://www.fsa.go.jp/news/30/20180920-2.html",
        "Thu, 20 Sep 2018 10:00:00 +0900",
    ),
]
NEW_MATCHING_RSS = rss_item(
    "暗号資産交換業者に対する行政処分について",
    "https://www.fsa.go.jp/news/r8/20261126-1.html",
    "Thu, 26 Nov 2026 17:30:00 +0900",
    description="近畿財務局は本日、資金決済法に基づき業務改善命令を発出しました。",
)
NEW_OTHER_RSS = rss_item(
    "「金融行政方針」の公表について",
    "https://www.fsa.go.jp/news/r8/20261126-2.html",
    "Thu, 26 Nov 2026 15:00:00 +0900",
)

OLD_ATOM = [
    atom_entry(
        "urn:kinki:2018-09-25",
        "Zaif運営会社への業務改善命令",
        "https://lfb.mof.go.jp/kinki/a.html",
        "2018-09-25T17:00:00+09:00",
    ),
]
NEW_MATCHING_ATOM = atom_entry(
    "urn:kinki:2026-11-26",
    "Business improvement order against a crypto-asset exchange (Ｚａｉｆ)",
    "https://lfb.mof.go.jp/kinki/b.html",
    "2026-11-26T17:30:00+09:00",
)
NEW_OTHER_ATOM = atom_entry(
    "urn:kinki:2026-11-25",
    "Seminar on household finance",
    "https://lfb.mof.go.jp/kinki/c.html",
    "2026-11-25T15:00:00+09:00",
)

FEEDS = {
    "rss": (fsa_rss, OLD_RSS, NEW_MATCHING_RSS, NEW_OTHER_RSS, "application/rss+xml"),
    "atom": (atom, OLD_ATOM, NEW_MATCHING_ATOM, NEW_OTHER_ATOM, "application/atom+xml"),
}


@pytest.mark.parametrize("fmt", ["rss", "atom"])
async def test_alerts_once_for_a_new_matching_item_and_never_otherwise(
    fmt: str,
    db: Database,
    db_path: Path,
    feed_server: FeedServer,
    subscribers: Subscribers,
    make_watcher: Callable[..., Built],
) -> None:
    build, old, matching, other, ctype = FEEDS[fmt]
    source = FeedSource(name="regulator", url=feed_server.url("news.xml"), keywords=KEYWORDS)
    built = make_watcher(db, [source])
    watcher = built.watcher
    await watcher.start()

    # First poll: a matching item is already there, but nothing is alerted.
    feed_server.serve("news.xml", build(*old).encode(), content_type=ctype)
    first = await watcher.poll("regulator")
    assert first.ok and first.first and first.new_items == len(old) and not first.notices
    assert count_events(db_path, "notice") == 0
    state = await FeedService(db).get("regulator")
    assert state.initialised and state.items_seen == len(old) and state.last_success_at

    # A non-matching new item: recorded, never alerted.
    feed_server.serve("news.xml", build(other, *old).encode(), content_type=ctype)
    quiet = await watcher.poll("regulator")
    assert quiet.ok and quiet.new_items == 1 and not quiet.notices

    # A new matching item: one notice event, delivered to orders and operators, not status.
    feed_server.serve("news.xml", build(matching, other, *old).encode(), content_type=ctype)
    found = await watcher.poll("regulator")
    assert found.ok and found.new_items == 1 and len(found.notices) == 1
    event = found.notices[0]
    assert event.kind is EventKind.NOTICE
    assert event.payload["published_jst"] == "2026-11-26 17:30 JST"
    assert event.payload["link"].startswith("https://")
    assert deliveries_of(db_path, event.id) == {subscribers.orders, subscribers.operator}

    # The same item served again: nothing more.
    again = await watcher.poll("regulator")
    assert again.ok and again.new_items == 0 and not again.notices
    assert count_events(db_path, "notice") == 1
    assert (await FeedService(db).get("regulator")).items_seen == len(old) + 2


async def test_a_restart_never_re_alerts(
    db: Database,
    db_path: Path,
    feed_server: FeedServer,
    subscribers: Subscribers,
    make_watcher: Callable[..., Built],
) -> None:
    source = FeedSource(name="fsa-ja", url=feed_server.url("rss.xml"), keywords=KEYWORDS)
    feed_server.serve("rss.xml", fsa_rss(*OLD_RSS).encode())
    watcher = make_watcher(db, [source]).watcher
    await watcher.poll("fsa-ja")
    feed_server.serve("rss.xml", fsa_rss(NEW_MATCHING_RSS, *OLD_RSS).encode())
    assert len((await watcher.poll("fsa-ja")).notices) == 1
    await watcher.stop()

    # A new process: the database reopened from its file, a new watcher.
    reopened = await open_database(db_path)
    try:
        again = make_watcher(reopened, [source]).watcher
        await again.start()
        outcome = await again.poll("fsa-ja")
        assert outcome.ok and not outcome.first and outcome.new_items == 0
        assert not outcome.notices
    finally:
        await reopened.close()
    assert count_events(db_path, "notice") == 1


async def test_conditional_get_sends_validators_and_a_304_alerts_nothing(
    db: Database,
    db_path: Path,
    feed_server: FeedServer,
    subscribers: Subscribers,
    make_watcher: Callable[..., Built],
) -> None:
    source = FeedSource(name="fsa-ja", url=feed_server.url("rss.xml"), keywords=KEYWORDS)
    modified = "Thu, 26 Nov 2026 08:00:00 GMT"
    body = fsa_rss(*OLD_RSS).encode()
    feed_server.serve("rss.xml", body, etag='"v1"', last_modified=modified)
    built = make_watcher(db, [source])
    first = await built.watcher.poll("fsa-ja")
    assert first.ok and not first.not_modified
    assert "If-None-Match" not in feed_server.requests[0].headers

    second = await built.watcher.poll("fsa-ja")
    headers = feed_server.requests[1].headers
    assert headers["If-None-Match"] == '"v1"'
    assert headers["If-Modified-Since"] == modified
    assert second.ok and second.not_modified and not second.notices
    assert count_events(db_path, "notice") == 0

    # A server that only knows Last-Modified: that validator alone, and 304 again.
    feed_server.serve("rss.xml", body, last_modified=modified)
    third = await built.watcher.poll("fsa-ja")
    assert third.not_modified
    assert feed_server.requests[2].headers["If-Modified-Since"] == modified
    state = await FeedService(db).get("fsa-ja")
    assert state.polls == 3 and state.consecutive_failures == 0
    assert built.metrics.feed_polls.labels(feed="fsa-ja")._value.get() == 3


async def test_jobs_have_stable_ids_and_the_configured_interval(
    db: Database, feed_server: FeedServer, make_watcher: Callable[..., Built]
) -> None:
    sources = [
        FeedSource(name="fsa-ja", url=feed_server.url("a.xml"), keywords=KEYWORDS),
        FeedSource(name="fsa-en", url=feed_server.url("b.xml"), keywords=["Zaif"]),
    ]
    built = make_watcher(db, sources)
    await built.watcher.start()
    await built.watcher.start()  # again: the same jobs, replaced, not doubled
    jobs = {job.id: job for job in built.scheduler.get_jobs()}
    assert set(jobs) == {job_id("fsa-ja"), job_id("fsa-en")}
    trigger = jobs[job_id("fsa-ja")].trigger
    assert trigger.interval.total_seconds() == INTERVAL
    assert 0 < trigger.jitter <= INTERVAL * 0.1


async def test_the_running_scheduler_polls_each_feed(
    db: Database, feed_server: FeedServer, subscribers: Subscribers
) -> None:
    feed_server.serve("rss.xml", fsa_rss(*OLD_RSS).encode(), etag='"a"')
    source = FeedSource(name="fsa-ja", url=feed_server.url("rss.xml"), keywords=KEYWORDS)
    scheduler = AsyncIOScheduler()
    scheduler.start()
    watcher = FeedWatcher(
        FeedSettings(sources=[source], interval_seconds=0.2),
        FeedService(db),
        OrderService(db),
        scheduler,
        Metrics(),
    )
    try:
        await watcher.start()
        for _ in range(300):
            if (await FeedService(db).get("fsa-ja")).polls >= 2:
                break
            await asyncio.sleep(0.01)
    finally:
        await watcher.stop()
        scheduler.shutdown(wait=False)
    state = await FeedService(db).get("fsa-ja")
    assert state.polls >= 2 and state.initialised and state.items_seen == len(OLD_RSS)
    assert feed_server.requests[-1].headers.get("If-None-Match") == '"a"'
