"""A summary is one message: what does not fit is counted, with the page's address when known."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.clock import JST
from bot.delivery.render import MAX_DESCRIPTION
from bot.delivery.summary import summary
from bot.domain import AlertMode, Event, EventFilter, EventKind, Source, Subscription, TargetKind

START = datetime(2026, 12, 1, 14, tzinfo=UTC)


def sub(locale: str, assets: frozenset[str] = frozenset()) -> Subscription:
    return Subscription(
        id=1,
        target_kind=TargetKind.DM,
        target="1",
        guild_id=None,
        all_assets=not assets,
        assets=assets,
        events=EventFilter.ALL,
        locale=locale,
        created_by="test",
        created_at=START,
        mode=AlertMode.DIGEST,
        digest_at="08:00",
    )


def halt(i: int, asset: str = "BTC") -> Event:
    payload = {
        "reason": "network_congestion",
        "changes": [
            {
                "asset": asset,
                "direction": "deposit",
                "old_state": "operational",
                "new_state": "delayed",
            }
        ],
    }
    return Event(i, EventKind.STATUS, START + timedelta(minutes=i), "ops", Source.CLI, payload)


def test_too_many_for_one_message_says_how_many_more_and_links_to_the_page() -> None:
    events = [halt(i) for i in range(200)]
    end = datetime(2026, 12, 2, 8, tzinfo=JST)
    embed = summary(sub("en"), events, 350, end, JST, "https://status.example.jp/")
    assert embed is not None
    lines = embed["description"].splitlines()
    assert len(embed["description"]) <= MAX_DESCRIPTION
    shown = len(lines) - 2
    assert lines[-2] == f"and {350 - shown} more"
    assert lines[-1] == "Every alert: https://status.example.jp/"
    assert embed["title"] == "Daily digest (350)"
    without_page = summary(sub("ja"), events, 350, end, JST)
    assert without_page is not None
    japanese = without_page["description"].splitlines()
    assert japanese[-1] == f"ほか {350 - (len(japanese) - 1)} 件"


def test_a_muted_asset_drops_out_and_nothing_left_means_no_summary() -> None:
    end = datetime(2026, 12, 2, 8, tzinfo=JST)
    mona_only = sub("en", frozenset({"MONA"}))
    assert summary(mona_only, [halt(1), halt(2)], 2, end, JST) is None
    embed = summary(mona_only, [halt(1), halt(2, "MONA")], 2, end, JST)
    assert embed is not None and embed["description"].count("\n") == 0
    assert "MONA Deposit: Operational → Delayed" in embed["description"]


def test_an_incident_is_told_by_its_own_title_and_only_to_those_it_concerns() -> None:
    payload = {
        "incident_id": 3,
        "step": "opened",
        "title_ja": "入金の遅延",
        "title_en": "Deposits delayed",
        "stage": "investigating",
        "impact": "minor",
        "all_assets": False,
        "assets": ["XCP"],
        "message_ja": "調査中です。",
        "message_en": "",
    }
    incident = Event(9, EventKind.INCIDENT, START, "ops", Source.CLI, payload, ("XCP",))
    end = datetime(2026, 12, 2, 8, tzinfo=JST)
    embed = summary(sub("en"), [incident], 1, end, JST)
    assert embed is not None and "Deposits delayed" in embed["description"]
    assert embed["description"].startswith("`12-01 23:00` ")
    assert summary(sub("en", frozenset({"BTC"})), [incident], 1, end, JST) is None
