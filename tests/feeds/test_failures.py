"""Every way a poll can fail: survived, recorded, counted, backed off; the service carries on."""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.feeds.watcher import job_id
from bot.services.feeds import FeedService
from bot.services.status import StatusService
from bot.settings import FeedSource
from bot.store import Database
from tests.feeds.conftest import INTERVAL, KEYWORDS, Built, Subscribers, count_events
from tests.feeds.server import BILLION_LAUGHS, FeedServer, fsa_rss, rss_item

GOOD = fsa_rss(
    rss_item(
        "テックビューロ株式会社に対する行政処分について",
        "https://www.fsa.go.jp/news/30/20180925-1.html",
        "Tue, 25 Sep 2018 17:00:00 +0900",
    )
).encode()
LYING = fsa_rss(
    rss_item(
        "テックビューロ株式会社に対する行政処分について",
        "https://www.fsa.go.jp/news/30/x.html",
        "Tue, 25 Sep 2018 17:00:00 +0900",
    ),
    encoding="UTF-8",
).encode("shift_jis")  # says UTF-8, is Shift_JIS


def _break(server: FeedServer, how: str) -> str:
    """Make the feed fail in one way; return the URL to poll."""
    if how == "dns":
        return "http://regulator-feed.invalid/rss.xml"
    if how == "timeout":
        server.slow("rss.xml", 3.0)
    elif how == "http_4xx":
        server.status("rss.xml", 403)
    elif how == "http_5xx":
        server.status("rss.xml", 503)
    elif how == "malformed":
        server.serve("rss.xml", GOOD.replace(b"</channel>", b"</chanel>"))
    elif how == "forbidden_dtd":
        server.serve("rss.xml", BILLION_LAUGHS)
    elif how == "too_large":
        server.huge("rss.xml", 50)
    elif how == "encoding":
        server.serve("rss.xml", LYING, content_type="application/rss+xml")
    elif how == "not_a_feed":
        server.serve("rss.xml", b"<html><body>maintenance</body></html>", content_type="text/html")
    return server.url("rss.xml")


@pytest.mark.parametrize(
    "how",
    [
        "dns",
        "timeout",
        "http_4xx",
        "http_5xx",
        "malformed",
        "forbidden_dtd",
        "too_large",
        "encoding",
        "not_a_feed",
    ],
)
async def test_each_failure_is_survived_recorded_and_backed_off(
    how: str,
    db: Database,
    db_path: Path,
    feed_server: FeedServer,
    subscribers: Subscribers,
    make_watcher: Callable[..., Built],
) -> None:
    url = _break(feed_server, how)
    source = FeedSource(name="fsa-ja", url=url, keywords=KEYWORDS)
    built = make_watcher(db, [source], timeout=0.5)
    await built.watcher.start()
    started = datetime.now(UTC)

    outcome = await built.watcher.poll("fsa-ja")

    assert outcome.error == how
    state = await FeedService(db).get("fsa-ja")
    assert state.consecutive_failures == 1 and state.failures == 1
    assert state.last_error is not None and state.last_error.startswith(how)
    assert state.last_error_at is not None and state.last_success_at is None
    assert built.metrics.feed_failures.labels(feed="fsa-ja", kind=how)._value.get() == 1
    # Backed off: the next poll waits twice the interval (plus at most 10%).
    next_run = built.scheduler.get_job(job_id("fsa-ja")).next_run_time
    wait = (next_run - started).total_seconds()
    assert 2 * INTERVAL <= wait <= 2 * INTERVAL * 1.1 + 5
    # The service still answers, and nothing half-written was left behind.
    assert len(await StatusService(db).current()) == 22
    assert count_events(db_path, "notice") == 0
    assert state.items_seen == 0 and not state.initialised


async def test_backoff_doubles_and_a_success_resets_it(
    db: Database, feed_server: FeedServer, make_watcher: Callable[..., Built]
) -> None:
    feed_server.status("rss.xml", 500)
    source = FeedSource(name="fsa-ja", url=feed_server.url("rss.xml"), keywords=KEYWORDS)
    built = make_watcher(db, [source])
    await built.watcher.start()
    for failures in (1, 2, 3):
        started = datetime.now(UTC)
        await built.watcher.poll("fsa-ja")
        job = built.scheduler.get_job(job_id("fsa-ja"))
        wait = (job.next_run_time - started).total_seconds()
        assert 2**failures * INTERVAL <= wait <= 2**failures * INTERVAL * 1.1 + 5
    feed_server.serve("rss.xml", GOOD)
    assert (await built.watcher.poll("fsa-ja")).ok
    state = await FeedService(db).get("fsa-ja")
    assert state.consecutive_failures == 0 and state.failures == 3 and state.polls == 4
    assert state.last_success_at is not None


async def test_the_50_mb_body_is_not_read_to_the_end(
    db: Database, feed_server: FeedServer, make_watcher: Callable[..., Built]
) -> None:
    sent = feed_server.huge("big.xml", 50)  # streamed, no Content-Length
    source = FeedSource(name="big", url=feed_server.url("big.xml"))
    built = make_watcher(db, [source], max_bytes=5_000_000, timeout=10)
    outcome = await built.watcher.poll("big")
    assert outcome.error == "too_large"
    assert not sent["finished"] and sent["bytes"] < 50 * 1024 * 1024


async def test_a_gzip_bomb_stops_at_the_cap_in_bounded_memory(
    db: Database, feed_server: FeedServer, make_watcher: Callable[..., Built]
) -> None:
    feed_server.gzip_bomb("bomb.xml", 200)  # 200 KB on the wire, 200 MB inflated
    source = FeedSource(name="gz", url=feed_server.url("bomb.xml"))
    built = make_watcher(db, [source], max_bytes=5_000_000)
    tracemalloc.start()
    try:
        outcome = await built.watcher.poll("gz")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert outcome.error == "too_large"
    assert peak < 32 * 1024 * 1024, f"peak {peak} bytes"


async def test_a_declared_length_over_the_cap_is_refused_before_reading(
    db: Database, feed_server: FeedServer, make_watcher: Callable[..., Built]
) -> None:
    feed_server.serve("big.xml", b" " * 2_000_001)
    source = FeedSource(name="big", url=feed_server.url("big.xml"))
    built = make_watcher(db, [source], max_bytes=2_000_000)
    outcome = await built.watcher.poll("big")
    assert outcome.error == "too_large"
    state = await FeedService(db).get("big")
    assert state.last_error is not None and "2000001 bytes" in state.last_error


async def test_a_failing_feed_does_not_stop_another(
    db: Database, db_path: Path, feed_server: FeedServer, make_watcher: Callable[..., Built]
) -> None:
    feed_server.serve("good.xml", GOOD)
    feed_server.serve("bomb.xml", BILLION_LAUGHS)
    sources = [
        FeedSource(name="bomb", url=feed_server.url("bomb.xml")),
        FeedSource(name="good", url=feed_server.url("good.xml"), keywords=KEYWORDS),
    ]
    built = make_watcher(db, sources)
    assert (await built.watcher.poll("bomb")).error == "forbidden_dtd"
    assert (await built.watcher.poll("good")).ok
    states = {s.name: s for s in await FeedService(db).list()}
    assert states["bomb"].consecutive_failures == 1 and states["good"].items_seen == 1


async def test_a_feed_failing_before_a_restart_keeps_its_backoff(
    db: Database, feed_server: FeedServer, make_watcher: Callable[..., Built]
) -> None:
    feed_server.status("rss.xml", 502)
    source = FeedSource(name="fsa-ja", url=feed_server.url("rss.xml"))
    first = make_watcher(db, [source])
    await first.watcher.poll("fsa-ja")
    await first.watcher.poll("fsa-ja")
    await first.watcher.stop()
    second = make_watcher(db, [source])
    await second.watcher.start()
    job = second.scheduler.get_job(job_id("fsa-ja"))
    assert job.next_run_time - datetime.now(UTC) > timedelta(seconds=3 * INTERVAL)
