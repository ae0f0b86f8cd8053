"""The application starts the feed watcher and the reminders, and stops them cleanly."""

from __future__ import annotations

import asyncio
import sqlite3

from bot.app import Application
from bot.settings import DiscordSettings, FeedSettings, FeedSource, Settings


async def test_start_schedules_feeds_and_skips_the_2018_reminders(settings: Settings) -> None:
    configured = settings.model_copy(
        update={
            "feeds": FeedSettings(
                sources=[FeedSource(name="local", url="http://127.0.0.1:9/rss.xml")],
                interval_seconds=3600,
            ),
            "discord": DiscordSettings(operator_channel_id=555),
        }
    )
    app = await Application.open(configured)
    try:
        await app.start()
        assert {c.name for c in app.components} >= {"feed watcher", "reminders", "maintenance"}
        assert app.scheduler.get_job("maintenances:sync") is not None
        assert app.scheduler.get_job("feed:local") is not None
        # The seeded 2018 order's reminders are years overdue: dealt with at once, not sent.
        for _ in range(300):
            with sqlite3.connect(configured.database.path) as conn:
                done = conn.execute("SELECT COUNT(*) FROM reminders_sent").fetchone()[0]
            if done == 2:
                break
            await asyncio.sleep(0.01)
        assert done == 2
    finally:
        await app.stop()
    # Not sent, but announced: one notice to the operators, and none at the next start.
    assert _skipped_notices(configured) == 1
    again = await Application.open(configured)
    try:
        await again.start()
    finally:
        await again.stop()
    assert _skipped_notices(configured) == 1


def _skipped_notices(settings: Settings) -> int:
    with sqlite3.connect(settings.database.path) as conn:
        kinds = conn.execute(
            "SELECT json_extract(payload, '$.topic') FROM events WHERE kind = 'operator'"
        ).fetchall()
    assert {k[0] for k in kinds} <= {"reminders_skipped"}  # no reminder was sent
    return len(kinds)
