"""News of another process's commits: PostgreSQL announces new deliveries and content changes
to every listener, and a listener whose connection is cut listens again on a new one."""

from __future__ import annotations

import asyncio

import psycopg

from bot.cluster.wakeups import Wakeups
from bot.domain import Direction, Reason, Source, State, StatusRequest, Target
from bot.reference import shipped_reference
from bot.services.seed import seed
from bot.services.status import StatusService
from bot.settings import DatabaseSettings
from bot.store import Database, connect_database
from tests.delivery.support import wait_for


class Heard:
    def __init__(self) -> None:
        self.outbox = 0
        self.content = 0

    def on_outbox(self) -> None:
        self.outbox += 1

    def on_content(self) -> None:
        self.content += 1


async def change_btc(db: Database, state: State) -> None:
    await StatusService(db).change(
        StatusRequest(
            targets=(Target("BTC", Direction.DEPOSIT, state),),
            reason=Reason.MAINTENANCE,
            note="",
            actor="ops",
            source=Source.CLI,
        )
    )


async def test_sqlite_has_no_such_news(db: Database) -> None:
    # The polls find other processes' writes there.
    assert [n async for n in db.notifications()] == []


async def test_another_process_commit_is_heard_and_listening_survives_a_cut(pg_url: str) -> None:
    url = pg_url
    writer = await connect_database(DatabaseSettings(url=url), identity="writing")
    await seed(writer, shipped_reference())
    heard = Heard()
    db = await connect_database(DatabaseSettings(url=url), identity="listening")
    wakeups = Wakeups(db, outbox=heard.on_outbox, content=heard.on_content)
    await wakeups.start()
    try:
        await asyncio.sleep(0.3)  # LISTEN has run
        await change_btc(writer, State.OPERATIONAL)
        await wait_for(lambda: heard.content >= 1, 3, "the content notice")
        async with await psycopg.AsyncConnection.connect(url, autocommit=True) as admin:
            cursor = await admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE application_name = 'exchange-status-bot listening listener'"
            )
            assert len(await cursor.fetchall()) == 1
        before = heard.content
        # After the reconnect (about a second), the missed news is assumed and told once...
        await wait_for(lambda: heard.content > before, 5, "the notice after a reconnect")
        await asyncio.sleep(0.3)
        before = heard.content
        # ...and later commits are heard on the new connection.
        await change_btc(writer, State.SUSPENDED)
        await wait_for(lambda: heard.content > before, 3, "a notice on the new connection")
    finally:
        await wakeups.stop()
        await db.close()
        await writer.close()
