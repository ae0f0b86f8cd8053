"""/feed.atom read back by feedparser: the right entries, stable and unique ids, both languages."""

from __future__ import annotations

from typing import Any

import feedparser

from bot.domain import Direction, Reason, Source, State, StatusRequest, Target
from bot.web.context import WebContext
from tests.web.helpers import Client, reopen

SEEDED_ROWS = 22  # eleven assets, two directions, no event: one entry each
SEEDED_ORDERS = 3
SEEDED_UPDATES = 5  # incident 1's timeline


async def parsed(client: Client, query: str = "?lang=ja") -> Any:
    response = await client.get(f"/feed.atom{query}")
    assert response.status == 200
    assert response.headers["Content-Type"] == "application/atom+xml; charset=utf-8"
    feed = feedparser.parse(await response.read())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    return feed


async def test_feed_has_seeded_changes_and_orders(client: Client) -> None:
    feed = await parsed(client)
    assert feed.feed.title == "Zaif 入出金状況と行政処分"
    assert feed.feed.language == "ja"
    entries = feed.entries
    assert len(entries) == SEEDED_ROWS + SEEDED_ORDERS + SEEDED_UPDATES
    ids = [e.id for e in entries]
    assert len(set(ids)) == len(ids)
    assert all(i.startswith("urn:uuid:") for i in ids)
    orders = [e for e in entries if e.tags[0].term == "order"]
    assert len(orders) == SEEDED_ORDERS
    third = next(e for e in orders if "2018-09-25" in e.title)
    assert third.title == "近畿財務局: 業務改善命令(2018-09-25)"
    assert "報告期限: 2018-09-27" in third.content[0].value
    assert "顧客被害の拡大防止" in third.content[0].value
    statuses = [e for e in entries if e.tags[0].term == "status"]
    assert {e.title for e in statuses if e.title.startswith("BTC:")} == {
        "BTC: 入金 停止中",
        "BTC: 出金 停止中",
    }
    links = {link.rel: link.href for link in feed.feed.links}
    assert links["self"].endswith("/feed.atom?lang=ja")
    assert links["alternate"].endswith("/?lang=ja")


async def test_ids_are_stable_across_requests_and_languages(client: Client) -> None:
    first = [e.id for e in (await parsed(client)).entries]
    again = [e.id for e in (await parsed(client)).entries]
    english = await parsed(client, "?lang=en")
    assert first == again
    assert sorted(first) == sorted(e.id for e in english.entries)
    assert english.feed.language == "en"
    assert any(e.title == "BTC: Deposit Suspended" for e in english.entries)
    assert any(
        e.title == "Kinki Local Finance Bureau: Business improvement order (2018-09-25)"
        for e in english.entries
    )


async def test_a_change_becomes_the_newest_entry(client: Client, context: WebContext) -> None:
    before = {e.id for e in (await parsed(client)).entries}
    await context.status.change(reopen("BCH", note="node resynced"))
    feed = await parsed(client, "?lang=en")
    newest = feed.entries[0]
    assert newest.id not in before
    assert newest.title == (
        "BCH: Deposit Suspended → Operational, Withdrawal Suspended → Operational"
    )
    text = newest.content[0].value
    assert "Reason: Maintenance" in text and "Note: node resynced" in text
    assert newest.link.endswith("/?lang=en#asset-BCH")
    assert len(feed.entries) == SEEDED_ROWS + SEEDED_ORDERS + SEEDED_UPDATES + 1  # one action
    # The entry keeps its id on the next read, beside a later one.
    await context.status.change(
        StatusRequest(
            targets=(Target("BCH", Direction.WITHDRAWAL, State.MAINTENANCE),),
            reason=Reason.WALLET_UPGRADE,
            note="",
            actor="ops",
            source=Source.CLI,
        )
    )
    later = (await parsed(client, "?lang=en")).entries
    assert later[1].id == newest.id
    assert later[0].title == "BCH: Withdrawal Operational → Maintenance"


async def test_feed_language_follows_accept_language(client: Client) -> None:
    response = await client.get("/feed.atom", headers={"Accept-Language": "en-GB"})
    assert response.headers["Vary"] == "Accept-Language"
    feed = feedparser.parse(await response.read())
    assert feed.feed.language == "en"
