"""Subscribers imported from CSV and exported again, on both engines: all or nothing, every bad
row named by its line, existing targets kept, webhook secrets never exported."""

from __future__ import annotations

import pytest

from bot.domain import EventFilter, InvalidInput, TargetKind
from bot.services.subscriber_files import COLUMNS, SubscriberFiles
from bot.services.subscriptions import SubscriptionService
from bot.store import Database

HEADER = ",".join(COLUMNS)
SOME = ["BTC", "BCH;MONA", "BTC;XCP;ZAIF"]
EVENTS = ["all", "status", "orders", "incidents", "maintenance"]
MODES = ["instant,,,", "quiet,23:00,07:00,", "digest,,,08:30", "quiet,12:00,13:30,"]


def row(i: int) -> str:
    """Every kind, asset set, event family, locale and mode, in turn."""
    if i % 50 == 0:
        kind, target = "webhook", f"https://hooks.example.org/{i}"
    elif i % 5 == 0:
        kind, target = "channel", str(900_000_000_000_000_000 + i)
    else:
        kind, target = "dm", str(100_000_000_000_000_000 + i)
    assets = "all" if i % 2 == 0 else SOME[i % 3]
    locale = ["ja", "en", "en-US"][i % 3]
    return f"{kind},{target},{assets},{EVENTS[i % 5]},{locale},{MODES[i % 4]}"


def csv_of(rows: list[str]) -> str:
    return "\n".join([HEADER, *rows]) + "\n"


async def test_ten_thousand_rows_go_in_and_come_out_the_same(engine_db: Database) -> None:
    text = csv_of([row(i) for i in range(10_000)])
    files = SubscriberFiles(engine_db)
    dry = await files.import_csv(text, created_by="test", dry_run=True)
    assert (dry.added, dry.kept, dry.dry_run) == (10_000, 0, True)
    assert await engine_db.repos.subscriptions.count() == 0

    done = await files.import_csv(text, created_by="test")
    assert (done.added, done.kept) == (10_000, 0)
    assert await engine_db.repos.subscriptions.count() == 10_000
    exported, count = await files.export_csv()
    assert count == 10_000
    assert exported == text

    mona = await engine_db.repos.subscriptions.find(TargetKind.DM, str(100_000_000_000_000_001))
    assert mona is not None
    assert (mona.assets, mona.events, mona.locale) == (
        frozenset({"BCH", "MONA"}),
        EventFilter.STATUS,
        "en",
    )
    assert (mona.mode.value, mona.quiet_from, mona.quiet_until) == ("quiet", "23:00", "07:00")

    again = await files.import_csv(exported, created_by="test")
    assert (again.added, again.kept) == (0, 10_000)
    assert await engine_db.repos.subscriptions.count() == 10_000


async def test_one_bad_row_on_line_7342_refuses_the_file_and_writes_nothing(
    engine_db: Database,
) -> None:
    rows = [row(i) for i in range(10_000)]
    rows[7_340] = "dm,100000000000007340,BTC;DOGE,all,ja,instant,,,"  # line 7,342 of the file
    files = SubscriberFiles(engine_db)
    for dry_run in (True, False):
        with pytest.raises(InvalidInput) as refused:
            await files.import_csv(csv_of(rows), created_by="test", dry_run=dry_run)
        assert refused.value.code == "subscriber_file_refused"
        assert refused.value.params["count"] == 1
        assert refused.value.params["lines"] == "line 7342: assets: unknown DOGE"
        assert "line 7342: assets: unknown DOGE" in str(refused.value)
    assert await engine_db.repos.subscriptions.count() == 0
    exported, count = await files.export_csv()
    assert (exported, count) == (HEADER + "\n", 0)


async def test_every_bad_row_is_named_with_its_reason(engine_db: Database) -> None:
    rows = [
        "dm,100000000000000001,all,all,ja,instant,,,",
        "fax,123,all,all,ja,instant,,,",
        "dm,not-a-number,all,all,ja,instant,,,",
        "webhook,ftp://example.org/x,all,all,ja,instant,,,",
        "dm,100000000000000002,all,everything,ja,instant,,,",
        "dm,100000000000000003,all,all,ja,quiet,23:00,,",
        "dm,100000000000000004,all,all,ja,digest,,,25:00",
        "dm,100000000000000005,all,all,ja,instant,,,08:00",
        "",  # a blank line is no row
        "dm,100000000000000001,BTC,all,ja,instant,,,",
        "dm,100000000000000006,all,all",
        '"channel","900000000000000001",";",all,ja,instant,,,',
        "dm,100000000000000007,all,all,Japanese!,instant,,,",
        "dm,100000000000000008,all,all,ja,quiet,07:00,7:00,",
    ]
    with pytest.raises(InvalidInput) as refused:
        await SubscriberFiles(engine_db).import_csv(csv_of(rows), created_by="test")
    lines = refused.value.params["lines"].splitlines()
    assert lines == [
        "line 3: kind: dm, channel or webhook, not 'fax'",
        "line 4: target: dm wants a Discord id (digits), not 'not-a-number'",
        "line 5: target: not a usable webhook URL (http(s)://host/..., at most 500)",
        "line 6: events: status, orders, incidents, maintenance, all, not 'everything'",
        "line 7: quiet_until: needed for alert_mode quiet",
        "line 8: digest_at: not a time of day (HH:MM, JST): '25:00'",
        "line 9: digest_at: not used by alert_mode instant; leave it empty",
        "line 11: target: the same dm as line 2",
        "line 12: 4 fields where the header has 9",
        "line 13: assets: `all` or codes such as BTC;MONA",
        "line 14: locale: ja, en or a Discord locale such as en-US, not 'Japanese!'",
        "line 15: quiet_from and quiet_until: the window starts and ends at the same time",
    ]
    assert await engine_db.repos.subscriptions.count() == 0


async def test_a_file_without_the_header_is_refused_at_line_1(engine_db: Database) -> None:
    with pytest.raises(InvalidInput) as refused:
        await SubscriberFiles(engine_db).import_csv(
            "dm,100000000000000001,all,all,ja,instant,,,\n", created_by="test"
        )
    assert refused.value.params["lines"].startswith("line 1: the header must name the columns")
    with pytest.raises(InvalidInput):
        await SubscriberFiles(engine_db).import_csv("", created_by="test")


async def test_existing_targets_are_kept_as_they_are_and_counted(engine_db: Database) -> None:
    before = await SubscriptionService(engine_db).subscribe(
        TargetKind.DM,
        "100000000000000002",
        assets=frozenset({"ZAIF"}),
        events=EventFilter.ORDERS,
        locale="en",
        created_by="discord",
    )
    text = csv_of(
        [
            "dm,100000000000000001,all,all,ja,instant,,,",
            "dm,100000000000000002,all,all,ja,digest,,,09:00",
        ]
    )
    done = await SubscriberFiles(engine_db).import_csv(text, created_by="test")
    assert (done.added, done.kept) == (1, 1)
    after = await engine_db.repos.subscriptions.find(TargetKind.DM, "100000000000000002")
    assert after == before


async def test_an_imported_webhook_gets_a_new_secret_shown_once_and_never_exported(
    engine_db: Database,
) -> None:
    text = csv_of(["webhook,https://hooks.example.org/a,all,all,en,instant,,,"])
    files = SubscriberFiles(engine_db)
    done = await files.import_csv(text, created_by="test")
    [(url, secret)] = done.webhook_secrets
    hook = await engine_db.repos.subscriptions.find(TargetKind.WEBHOOK, url)
    assert hook is not None and hook.secret == secret and len(secret) >= 40
    exported, _ = await files.export_csv()
    assert exported == text
    assert secret not in exported
    again = await files.import_csv(text, created_by="test")
    assert (again.added, again.kept, again.webhook_secrets) == (0, 1, [])
