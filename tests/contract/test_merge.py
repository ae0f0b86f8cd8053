"""Superseded alerts merged in the outbox, on both engines: per subscriber and pair, never one
already tried, held ones too, and the newer row telling how many it merged."""

from __future__ import annotations

from typing import Any

from bot.domain import AlertMode, EventKind
from bot.domain.lanes import Lane
from bot.store import Database
from bot.store.repos import Repos
from tests.contract.support import T0, add_event, subscription
from tests.contract.test_lanes import QUIET_END
from tests.contract.test_outbox import claim_all, subscribe


def flip(state: str, *assets: str, reason: str = "maintenance") -> dict[str, Any]:
    changes = [{"asset": a, "direction": "withdrawal", "new_state": state} for a in assets]
    return {"reason": reason, "changes": changes}


async def queue(repos: Repos, payload: dict[str, Any]) -> int:
    event = await add_event(repos, EventKind.STATUS, assets=[], payload=payload)
    await repos.outbox.fan_out(event)
    return event.id


async def test_three_flips_of_a_pair_leave_one_delivery_telling_the_other_two(
    engine_db: Database,
) -> None:
    [sub] = await subscribe(engine_db, subscription("1"))
    async with engine_db.transaction() as repos:
        first = await queue(repos, flip("delayed", "BTC"))
        second = await queue(repos, flip("suspended", "BTC"))
        third = await queue(repos, flip("operational", "BTC"))
        [left] = await claim_all(repos)
        told = await repos.outbox.merged_events(left.id)
    assert (left.event_id, left.subscription_id, left.merged) == (third, sub, 2)
    assert told == [first, second]
    assert await engine_db.repos.outbox.states() == {"pending": 1, "merged": 2}


async def test_what_was_tried_or_says_more_is_never_merged(engine_db: Database) -> None:
    await subscribe(engine_db, subscription("1"))
    async with engine_db.transaction() as repos:
        both = await queue(repos, flip("delayed", "BTC", "MONA"))
        btc = await queue(repos, flip("suspended", "BTC"))  # says less than `both`: not merged
        [tried] = await repos.outbox.claim(T0, T0, 1)  # claimed once: it may be at Discord
        await repos.outbox.retry(tried, "network", T0)
        later = await queue(repos, flip("operational", "BTC"))
        left = await claim_all(repos)
    assert tried.event_id == both
    assert sorted(d.event_id for d in left) == [both, later]  # type: ignore[type-var]
    assert [d.merged for d in sorted(left, key=lambda d: d.id)] == [0, 1]
    merged_into_later = await engine_db.repos.outbox.merged_events(left[-1].id)
    assert merged_into_later == [btc]


async def test_held_alerts_merge_and_a_critical_one_takes_them_along(engine_db: Database) -> None:
    quiet, instant = await subscribe(
        engine_db,
        subscription("1", mode=AlertMode.QUIET, quiet=("12:00", "13:00")),
        subscription("2"),
    )
    async with engine_db.transaction() as repos:
        one = await queue(repos, flip("delayed", "BTC"))
        two = await queue(repos, flip("operational", "BTC"))
        held = await repos.outbox.told(quiet, QUIET_END, 10)
        halt = await queue(repos, flip("suspended", "BTC", reason="security_incident"))
        after_halt = await repos.outbox.told(quiet, QUIET_END, 10)
        # A routine reopening after the halt: the merged row keeps the halt's lane.
        reopen = await queue(repos, flip("operational", "BTC"))
        claimed = await claim_all(repos)
    assert (held.event_ids, held.total) == ([two], 1)
    assert (after_halt.event_ids, after_halt.total) == ([], 0)
    by_sub = {d.subscription_id: d for d in claimed}
    assert by_sub[quiet].event_id == halt and by_sub[quiet].lane is Lane.CRITICAL_DMS
    assert by_sub[instant].event_id == reopen and by_sub[instant].lane is Lane.CRITICAL_DMS
    assert await engine_db.repos.outbox.merged_events(by_sub[quiet].id) == [one, two]
    assert await engine_db.repos.outbox.merged_events(by_sub[instant].id) == [one, two, halt]
