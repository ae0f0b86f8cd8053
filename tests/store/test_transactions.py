"""Reads see committed data only; writes outside a transaction are refused."""

from __future__ import annotations

import sqlite3

import pytest

from bot.clock import utcnow
from bot.domain import Asset, Direction, Reason, Source, State, StatusChange
from bot.store import Database


async def test_a_read_in_the_middle_of_a_change_sees_the_state_before_it(db: Database) -> None:
    change = StatusChange(
        asset="BTC",
        direction=Direction.DEPOSIT,
        old_state=State.SUSPENDED,
        new_state=State.OPERATIONAL,
        reason=Reason.MAINTENANCE,
        note="",
        actor="t",
        source=Source.CLI,
        changed_at=utcnow(),
    )
    async with db.transaction() as repos:
        await repos.status.record(change)
        during = {s.direction: s.state for s in await db.repos.status.current("BTC")}
        inside = {s.direction: s.state for s in await repos.status.current("BTC")}
    after = {s.direction: s.state for s in await db.repos.status.current("BTC")}
    assert during[Direction.DEPOSIT] is State.SUSPENDED
    assert inside[Direction.DEPOSIT] is State.OPERATIONAL
    assert after[Direction.DEPOSIT] is State.OPERATIONAL


async def test_plain_repos_cannot_write(db: Database) -> None:
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        await db.repos.assets.upsert([Asset("DOGE", "ドージコイン", "Dogecoin", "coin", 99)])
    assert await db.repos.assets.find("DOGE") is None
