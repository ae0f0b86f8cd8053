"""Maintenance on the web: the API (checked against the OpenAPI document), /calendar.ics read
back by the icalendar library (stable UIDs, SEQUENCE bumped), the Atom feed and the page."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import feedparser
import pytest
from aiohttp.test_utils import TestClient, TestServer
from icalendar import Calendar

from bot.clock import utcnow
from bot.domain import MaintenanceState, NewMaintenance, Reason, Source
from bot.services.bundle import Services
from bot.services.snapshot import ReadModel
from bot.store import open_database
from bot.web.context import WebContext
from bot.web.site import build
from tests.web.helpers import Client
from tests.web.test_openapi import fetch_document, response_validator

SEEDED_2018_UID = "report-due-kinki-2018-09-25-improvement@exchange-status-bot"


def _new(hours_ahead: float, assets: tuple[str, ...], **extra: Any) -> NewMaintenance:
    starts = utcnow() + timedelta(hours=hours_ahead)
    return NewMaintenance(
        assets=assets,
        direction="both",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        reason=Reason.WALLET_UPGRADE,
        note_ja="ウォレットを更新します",
        **extra,
    )


@pytest.fixture
async def windows(services: Services) -> list[int]:
    """One window in progress (MONA, translated note) and one scheduled (BTC, Japanese only)."""
    service = services.maintenance
    running, _ = await service.schedule(
        _new(-0.01, ("MONA",), note_en="Upgrading the wallet"), actor="t", source=Source.CLI
    )
    await service.run_due()
    upcoming, _ = await service.schedule(_new(30, ("BTC",)), actor="t", source=Source.CLI)
    assert (await service.get(running.id)).state is MaintenanceState.IN_PROGRESS
    return [running.id, upcoming.id]


async def _calendar(client: Client, query: str = "?lang=ja") -> Calendar:
    response = await client.get(f"/calendar.ics{query}")
    assert response.status == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(await response.read())


def _events(calendar: Calendar) -> dict[str, Any]:
    return {str(e["uid"]): e for e in calendar.walk("VEVENT")}


@pytest.mark.parametrize(
    ("url", "documented"),
    [("/api/v1/maintenances", "/api/v1/maintenances"), ("/api/v1/status", "/api/v1/status")],
)
async def test_the_api_lists_upcoming_and_in_progress_windows_as_documented(
    client: Client, windows: list[int], url: str, documented: str
) -> None:
    document = await fetch_document(client)
    body = await (await client.get(url)).json()
    errors = list(response_validator(document, documented, 200).iter_errors(body))
    assert not errors, [e.message for e in errors]
    listed = body["maintenances"] if "maintenances" in body else body["upcoming_maintenance"]
    assert [(w["id"], w["state"], w["assets"]) for w in listed] == [
        (windows[0], "in_progress", ["MONA"]),
        (windows[1], "scheduled", ["BTC"]),
    ]
    assert listed[0]["started_at"] is not None and listed[1]["note_en"] == ""


async def test_the_calendar_has_stable_uids_and_bumps_sequence_on_change(
    client: Client, context: WebContext, services: Services, windows: list[int], db_path: Path
) -> None:
    first = _events(await _calendar(client))
    running, upcoming = (f"maintenance-{i}@exchange-status-bot" for i in windows)
    assert set(first) == {running, upcoming, SEEDED_2018_UID}
    assert str(first[upcoming]["summary"]) == "メンテナンス: BTC(入金・出金)"
    assert first[upcoming]["sequence"] == 0 and str(first[upcoming]["status"]) == "CONFIRMED"
    assert first[upcoming].decoded("dtend") - first[upcoming].decoded("dtstart") == timedelta(
        hours=2
    )
    assert str(first[SEEDED_2018_UID].decoded("dtstart")) == "2018-09-27"
    english = _events(await _calendar(client, "?lang=en"))
    assert str(english[running]["summary"]) == "Maintenance: MONA (Deposit and withdrawal)"
    assert "Upgrading the wallet" in str(english[running]["description"])

    # A restart: a new process over the same file gives the same UIDs.
    reopened = await open_database(db_path)
    try:
        fresh = dataclasses.replace(
            context, snapshots=ReadModel(reopened, context.reference, context.zone)
        )
        async with TestClient(TestServer(build(fresh))) as other:
            again = _events(await _calendar(other))
    finally:
        await reopened.close()
    assert set(again) == set(first)
    for key in ("sequence", "dtstamp", "dtstart", "dtend", "summary", "description", "status"):
        assert again[upcoming].decoded(key) == first[upcoming].decoded(key), key

    window = await services.maintenance.get(windows[1])
    await services.maintenance.extend(
        window.id, window.ends_at + timedelta(hours=1), actor="t", source=Source.CLI
    )
    extended = _events(await _calendar(client))[upcoming]
    assert extended["sequence"] == 1
    assert extended.decoded("dtend") == (window.ends_at + timedelta(hours=1)).replace(microsecond=0)
    await services.maintenance.cancel(window.id, actor="t", source=Source.CLI)
    cancelled = _events(await _calendar(client))[upcoming]
    assert cancelled["sequence"] == 2 and str(cancelled["status"]) == "CANCELLED"


async def test_the_feed_carries_maintenance_notices(client: Client, windows: list[int]) -> None:
    response = await client.get("/feed.atom?lang=en")
    feed = feedparser.parse(await response.read())
    assert not feed.bozo
    notices = [e for e in feed.entries if e.tags[0].term == "maintenance"]
    titles = sorted(e.title for e in notices)
    assert titles == [
        "Maintenance started (MONA)",
        "Scheduled maintenance (BTC)",
        "Scheduled maintenance (MONA)",
    ]
    btc = next(e for e in notices if e.title == "Scheduled maintenance (BTC)")
    assert "(Not yet translated" in btc.content[0].value
    assert len({e.id for e in feed.entries}) == len(feed.entries)


async def test_the_page_shows_upcoming_and_in_progress_windows(
    client: Client, windows: list[int]
) -> None:
    ja = await (await client.get("/?lang=ja")).text()
    assert "メンテナンスの予定" in ja and f'id="maintenance-{windows[1]}"' in ja
    assert "実施中" in ja and "ウォレットを更新します" in ja
    en = await (await client.get("/?lang=en")).text()
    assert "Scheduled maintenance" in en and "In progress" in en
    assert "Upgrading the wallet" in en and 'href="/calendar.ics?lang=en"' in en


@pytest.fixture
async def empty(context: WebContext) -> AsyncIterator[Client]:
    async with TestClient(TestServer(build(context))) as test_client:
        yield test_client


async def test_no_window_says_so(empty: Client) -> None:
    page = await (await empty.get("/?lang=en")).text()
    assert "No maintenance is scheduled." in page
    body = await (await empty.get("/api/v1/maintenances")).json()
    assert body["maintenances"] == []


async def test_status_lists_only_windows_under_way_or_within_72_hours(
    client: Client, services: Services, windows: list[int]
) -> None:
    later, _ = await services.maintenance.schedule(
        _new(100, ("BCH",)), actor="t", source=Source.CLI
    )
    status = await (await client.get("/api/v1/status")).json()
    assert [w["id"] for w in status["upcoming_maintenance"]] == windows
    every = await (await client.get("/api/v1/maintenances")).json()
    assert [w["id"] for w in every["maintenances"]] == [*windows, later.id]
