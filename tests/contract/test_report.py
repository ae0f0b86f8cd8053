"""The notification report on both engines: each event's deliveries counted by kind, language
and state, why some failed (identities removed), when 50, 95 and 100% were reached; the
period's disabled subscriptions and later translations; and no recipient's identity anywhere."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta

from bot.domain import AlertMode, Source, TargetKind
from bot.i18n import Lang
from bot.services.report import ReportService
from bot.services.report.formats import to_csv, to_json
from bot.services.report.html import to_html
from bot.store import Database
from tests.contract.support import T0, add_event, subscription

HOOK = "https://hooks.example.org/secret-path/4242"
DM_USERS = [str(310_000_000_000_000_000 + n) for n in range(10)]
CHANNELS = ["410000000000000001", "410000000000000002"]


async def test_one_event_counted_state_by_state(engine_db: Database) -> None:
    subs = [subscription(u) for u in DM_USERS[:7]]
    subs += [replace(subscription(u), locale="en") for u in DM_USERS[7:]]
    async with engine_db.transaction() as repos:
        await repos.subscriptions.add_many(subs)
        for channel in CHANNELS:
            await repos.subscriptions.add_many([subscription(channel, kind=TargetKind.CHANNEL)])
        await repos.subscriptions.add_many([subscription(HOOK, kind=TargetKind.WEBHOOK)])
        # 12:30 JST is inside 12:00-13:00: this subscriber's alert waits.
        await repos.subscriptions.add_many(
            [subscription("510000000000000009", mode=AlertMode.QUIET, quiet=("12:00", "13:00"))]
        )
        event = await add_event(repos, payload=_status_payload())
        await repos.outbox.fan_out(event)
        # Outside the period, and about another pair: a newer alert about BTC would merge the
        # first event's waiting ones into itself.
        outside = await add_event(
            repos, assets=("MONA",), at=T0 + timedelta(days=2), payload=_status_payload("MONA")
        )
        await repos.outbox.fan_out(outside)
    async with engine_db.transaction() as repos:
        claimed = await repos.outbox.claim(T0, T0 + timedelta(minutes=5), 100)
        mine = [d for d in claimed if d.event_id == event.id]
        assert len(mine) == 13
        await repos.outbox.mark_sent_many(
            (d, f"m{n}", T0 + timedelta(seconds=n + 1)) for n, d in enumerate(mine[:10])
        )
        await repos.outbox.fail(
            mine[10], "Cannot send messages to this user (<@310000000000000007>)"
        )
        await repos.outbox.fail(mine[11], f"POST {HOOK} answered 410")
        await repos.outbox.expire_one(mine[12])
        await repos.subscriptions.disable(claimed[0].subscription_id, f"gone: {HOOK}", at=T0)
        await repos.translations.record(
            "status_note", "BTC/deposit", "note_en", "", "Checked",
            actor="ops", source=Source.CLI, at=T0 + timedelta(minutes=3),
        )  # fmt: skip

    report = await ReportService(engine_db, clock=lambda: T0).notifications(
        T0 - timedelta(hours=1), T0 + timedelta(hours=1), Lang.EN
    )
    assert [e.id for e in report.events] == [event.id]
    row = report.events[0]
    assert (row.targeted, row.reached, row.failed, row.expired, row.held, row.pending) == (
        14, 10, 2, 1, 1, 0,
    )  # fmt: skip
    assert row.by_kind == {"dm": 11, "channel": 2, "webhook": 1}
    assert row.by_language == {"ja": 11, "en": 3}
    assert row.failures == {
        "Cannot send messages to this user (…)": 1,
        "POST … answered 410": 1,
    }
    assert row.reach.first_at == T0 + timedelta(seconds=1)
    assert row.reach.last_at == T0 + timedelta(seconds=10)
    assert (row.reach.to_50, row.reach.to_95, row.reach.to_100) == (5.0, 10.0, 10.0)
    assert "Maintenance" in row.words and "BTC" in row.words
    assert report.events_by_kind == {"status": 1}
    assert (report.deliveries_reached, report.recipients_reached) == (10, 10)
    assert report.slowest is not None and report.slowest.event_id == event.id
    assert [(d.target_kind, d.reason, d.count) for d in report.disabled] == [("dm", "gone: …", 1)]
    assert [(t.subject_key, t.text) for t in report.translations] == [("BTC/deposit", "Checked")]
    assert report.audit_events == 3  # two events and the translation
    # Counts only: no recipient's id, channel or URL in any form of the report.
    for text in (json.dumps(to_json(report)), to_csv(report), to_html(report)):
        for target in (*DM_USERS, *CHANNELS, HOOK, "hooks.example.org", "510000000000000009"):
            assert target not in text


async def test_an_empty_period_is_an_empty_report(engine_db: Database) -> None:
    report = await ReportService(engine_db).notifications(T0, T0 + timedelta(hours=1))
    assert report.events == () and report.slowest is None and report.recipients_reached == 0
    assert to_csv(report).count("\r\n") == 1  # the header alone


def _status_payload(asset: str = "BTC") -> dict[str, object]:
    return {
        "changes": [
            {"asset": asset, "name_ja": "ビットコイン", "name_en": "Bitcoin",
             "direction": "deposit", "old_state": "operational", "new_state": "suspended"},
        ],
        "estimates": [],
        "reason": "maintenance",
        "note": "",
        "note_en": "",
        "expected_reopen": None,
        "actor": "ops",
    }  # fmt: skip
