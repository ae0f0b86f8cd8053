"""The regulator feeds' state and seen items on both engines."""

from __future__ import annotations

from datetime import timedelta

from bot.domain import SeenItem
from bot.store import Database
from tests.contract.support import T0

URL = "https://example.org/rss"


def item(n: int, matched: bool = False) -> SeenItem:
    return SeenItem(f"id-{n}", f"お知らせ{n}", f"https://example.org/{n}", T0, matched)


async def test_unseen_and_an_item_is_added_once(engine_db: Database) -> None:
    async with engine_db.transaction() as repos:
        await repos.feeds.ensure("fsa", URL)
        assert await repos.feeds.unseen("fsa", ["id-1", "id-2"]) == {"id-1", "id-2"}
        assert await repos.feeds.add_item("fsa", item(1, matched=True), T0) is True
        assert await repos.feeds.add_item("fsa", item(1), T0) is False
        added = await repos.feeds.add_items("fsa", [item(1), item(2), item(3)], T0)
        assert (added, type(added)) == (2, int)
        assert await repos.feeds.unseen("fsa", ["id-1", "id-4", "id-2"]) == {"id-4"}
        assert await repos.feeds.unseen("other", ["id-1"]) == {"id-1"}
        assert await repos.feeds.unseen("fsa", []) == set()
    items = await engine_db.repos.feeds.items("fsa")
    assert items[0] == item(1, matched=True)
    assert [i.item_id for i in items] == ["id-1", "id-2", "id-3"]
    assert items[1].published_at == T0 and items[1].matched is False


async def test_feed_states_count_polls_and_failures(engine_db: Database) -> None:
    async with engine_db.transaction() as repos:
        await repos.feeds.ensure("fsa", URL)
        await repos.feeds.ensure("boj", "https://example.org/boj")
        await repos.feeds.add_items("fsa", [item(1), item(2)], T0)
        await repos.feeds.record_failure("fsa", "timeout", T0)
        await repos.feeds.record_failure("fsa", "503", T0 + timedelta(minutes=1))
        await repos.feeds.record_success(
            "fsa", etag='"abc"', last_modified="Fri, 01 Mar 2024", now=T0 + timedelta(minutes=2)
        )
    state = await engine_db.repos.feeds.get("fsa")
    assert state is not None
    assert (state.url, state.etag, state.last_modified) == (URL, '"abc"', "Fri, 01 Mar 2024")
    assert state.initialised is True
    assert state.last_success_at == T0 + timedelta(minutes=2)
    assert (state.last_error, state.last_error_at) == ("503", T0 + timedelta(minutes=1))
    assert (state.consecutive_failures, state.polls, state.failures) == (0, 3, 2)
    assert state.items_seen == 2
    for count in (state.consecutive_failures, state.polls, state.failures, state.items_seen):
        assert type(count) is int
    assert [f.name for f in await engine_db.repos.feeds.list()] == ["boj", "fsa"]
    async with engine_db.transaction() as repos:
        await repos.feeds.ensure("fsa", URL)  # the same URL keeps the validators
        kept = await repos.feeds.get("fsa")
        await repos.feeds.ensure("fsa", URL + "?v=2")  # another starts over
        moved = await repos.feeds.get("fsa")
    assert kept is not None and kept.etag == '"abc"' and kept.initialised
    assert moved is not None and (moved.etag, moved.last_modified) == (None, None)
    assert moved.initialised is False and moved.url == URL + "?v=2"
    assert await engine_db.repos.feeds.get("none") is None
