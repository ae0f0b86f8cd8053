"""A merged alert without I/O: the latest state of each pair with the way it got there, a
security halt in between said in both languages, and only what concerns the subscriber."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from bot.delivery.merge import merged_payload
from bot.delivery.render import render
from bot.domain import Event, EventKind, Source
from tests.delivery.test_render import subscription

MOMENT = datetime(2026, 12, 6, 9, 2, tzinfo=UTC)  # 18:02 JST


def flip(n: int, asset: str, old: str, new: str, reason: str = "maintenance") -> Event:
    change: dict[str, Any] = {
        "asset": asset,
        "name_ja": f"{asset}コイン",
        "name_en": f"{asset} coin",
        "direction": "withdrawal",
        "old_state": old,
        "new_state": new,
    }
    payload = {"reason": reason, "note": "", "changes": [change]}
    at = MOMENT + timedelta(seconds=n)
    return Event(n, EventKind.STATUS, at, "ops", Source.CLI, payload, (asset,))


FLIPS = [
    flip(1, "BTC", "suspended", "maintenance"),
    flip(2, "BTC", "maintenance", "operational"),
    flip(3, "BTC", "operational", "maintenance"),
    flip(4, "BTC", "maintenance", "operational"),
]


def field_value(embed: dict[str, Any] | None) -> str:
    assert embed is not None
    return str(embed["fields"][0]["value"])


def test_four_flips_read_as_the_latest_state_and_the_way_there() -> None:
    payload = merged_payload(FLIPS[-1], FLIPS[:-1])
    assert payload["merged"] == [1, 2, 3]
    [change] = payload["changes"]
    assert change["path"] == [
        "suspended",
        "maintenance",
        "operational",
        "maintenance",
        "operational",
    ]
    en = render(EventKind.STATUS, payload, FLIPS[-1].created_at, subscription("en"))
    assert field_value(en) == (
        "Withdrawal: Operational (changed 4 times since 18:02:"
        " Suspended → Maintenance → Operational → Maintenance → Operational)"
    )
    ja = render(EventKind.STATUS, payload, FLIPS[-1].created_at, subscription("ja"))
    assert field_value(ja).startswith("出金: 稼働中(18:02以降4回変更: 停止中 → ")
    assert "merged_critical" not in payload
    # Alone, an alert reads as it always did.
    alone = render(EventKind.STATUS, FLIPS[0].payload, MOMENT, subscription("en"))
    assert field_value(alone) == "Withdrawal: Suspended → Maintenance"


def test_a_security_halt_merged_in_between_is_said() -> None:
    halt = flip(2, "BTC", "maintenance", "suspended", reason="security_incident")
    reopen = flip(3, "BTC", "suspended", "operational")
    payload = merged_payload(reopen, [FLIPS[0], halt])
    assert payload["merged_critical"] == ["BTC"]
    en = render(EventKind.STATUS, payload, reopen.created_at, subscription("en"))
    ja = render(EventKind.STATUS, payload, reopen.created_at, subscription("ja"))
    assert en is not None and ja is not None
    assert "In between, BTC was suspended for a security incident." in en["description"]
    assert "BTCはセキュリティインシデントのため停止されていました" in ja["description"]


def test_each_subscriber_reads_only_the_pairs_it_follows() -> None:
    mona = flip(1, "MONA", "suspended", "delayed")
    both = flip(2, "BTC", "suspended", "operational")
    both.payload["changes"].append({**mona.payload["changes"][0], "old_state": "delayed"})
    payload = merged_payload(both, [mona])
    btc_only = render(
        EventKind.STATUS, payload, both.created_at, subscription("en", frozenset({"BTC"}))
    )
    assert btc_only is not None
    assert [f["value"] for f in btc_only["fields"]] == ["Withdrawal: Suspended → Operational"]
