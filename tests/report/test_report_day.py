"""The must-show day: `report --format json` counts each event's deliveries exactly as the
Discord emulator and the webhook receiver counted them."""

from __future__ import annotations

import json

from tests.report.day import DM_SUBSCRIBERS, Day


def test_report_counts_match_what_discord_received(day: Day) -> None:
    done = day.report("--format", "json", "--lang", "en")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    customer = [e for e in report["events"] if e["kind"] != "operator"]
    assert [e["kind"] for e in customer] == [
        "incident", "incident", "status", "status", "status", "maintenance", "order",
    ]  # fmt: skip
    for event in report["events"]:
        assert event["reached"] == day.received[event["id"]], event
        assert event["failed"] == day.refused[event["id"]], event
    first, *rest = customer
    # Everyone targeted; the closed DM fails once and is never tried again; the quiet-hours
    # subscriber's alert waits in every event.
    assert first["targeted_by_kind"] == {"dm": DM_SUBSCRIBERS, "channel": 2, "webhook": 1}
    assert (first["failed"], first["held"], first["reached"]) == (1, 1, DM_SUBSCRIBERS + 1)
    assert first["failures"][0]["count"] == 1 and "50007" in first["failures"][0]["reason"]
    # BTC changes twice: the quiet-hours subscriber's first BTC alert, still held, is merged
    # into the second, so that the summary tells BTC once.
    first_btc = customer[2]
    for event in rest:
        assert event["targeted_by_kind"] == {"dm": DM_SUBSCRIBERS - 1, "channel": 2, "webhook": 1}
        held, merged = (0, 1) if event is first_btc else (1, 0)
        assert (event["failed"], event["reached"]) == (0, DM_SUBSCRIBERS + 1)
        assert (event["held"], event["merged"]) == (held, merged), event["id"]
    for event in customer:
        assert event["expired"] == event["pending"] == 0
        assert event["seconds_to_50"] <= event["seconds_to_95"] <= event["seconds_to_100"]
        assert event["targeted_by_language"]["en"] == 50  # every fourth DM subscriber
    summary = report["summary"]
    assert summary["recipients_reached"] == DM_SUBSCRIBERS + 1  # 198 DMs, 2 channels, 1 hook
    assert summary["deliveries_reached"] == sum(day.received.values())
    assert summary["disabled"] == [
        {"target_kind": "dm", "reason": summary["disabled"][0]["reason"], "count": 1}
    ]
    assert [t["text"] for t in summary["translations"]] == ["Network congestion"]
    assert [u["stage"] for u in summary["incidents"][0]["timeline"]] == [
        "investigating", "identified",
    ]  # fmt: skip
    assert str(day.dm_closed) not in done.stdout and str(day.quiet_user) not in done.stdout
