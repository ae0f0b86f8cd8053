"""Seeding the 2018 facts: complete, idempotent, and never undoing an operator's change."""

from __future__ import annotations

from bot.clock import show
from bot.domain import Direction, Reason, Source, State, StatusRequest, Target
from bot.reference import shipped_reference
from bot.services.seed import seed
from bot.services.status import StatusService
from bot.store import Database

COINS = {"BTC", "MONA", "BCH"}
TOKENS = {"ZAIF", "XCP", "BCY", "SJCX", "FSCC", "pepecash", "CICC", "NCXC"}


async def test_eleven_assets_suspended_both_ways(db: Database) -> None:
    rows = await db.repos.status.current()
    assert {r.asset for r in rows} == COINS | TOKENS
    assert len(rows) == 22
    assert all(r.state is State.SUSPENDED and r.reason is Reason.SECURITY_INCIDENT for r in rows)
    since = {r.asset: show(r.since) for r in rows}
    assert all(since[c] == "2018-09-17 00:00 JST" for c in COINS)
    assert all(since[t] == "2018-09-18 00:00 JST" for t in TOKENS)


async def test_seed_history_rows_have_source_seed(db: Database) -> None:
    history = await db.repos.status.history(None, limit=100)
    assert len(history) == 22
    assert {h.source for h in history} == {Source.SEED}
    assert all(h.old_state is None and h.event_id is None for h in history)


async def test_the_2018_orders(db: Database) -> None:
    orders = await db.repos.orders.list()
    assert [o.issued_on.isoformat() for o in orders] == ["2018-03-08", "2018-06-22", "2018-09-25"]
    third = orders[-1]
    assert third.issuer == "近畿財務局"
    assert third.report_due is not None and third.report_due.isoformat() == "2018-09-27"
    assert len(third.items) == 5
    assert "2018-09-27" in third.items[4].text_en


async def test_seeding_twice_changes_nothing(db: Database) -> None:
    before = (await db.repos.status.count_history(), len(await db.repos.orders.list()))
    result = await seed(db, shipped_reference())
    assert not result.changed
    assert (await db.repos.status.count_history(), len(await db.repos.orders.list())) == before


async def test_seeding_never_puts_back_an_operators_change(db: Database) -> None:
    await StatusService(db).change(
        StatusRequest(
            targets=(Target("BTC", Direction.DEPOSIT, State.OPERATIONAL),),
            reason=Reason.MAINTENANCE,
            note="",
            actor="op",
            source=Source.CLI,
        )
    )
    await seed(db, shipped_reference())
    btc = {r.direction: r.state for r in await db.repos.status.current("BTC")}
    assert btc == {Direction.DEPOSIT: State.OPERATIONAL, Direction.WITHDRAWAL: State.SUSPENDED}
