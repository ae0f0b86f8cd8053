"""Incidents on the page (open ones at the top), in the API, and in the Atom feed."""

from __future__ import annotations

import re

import feedparser

from bot.domain import IncidentStage, NewIncident, Source
from bot.web.context import WebContext
from tests.web.helpers import Client

UNTRANSLATED_EN = "(Not yet translated: shown in the original Japanese)"


def _block(html: str, incident: int) -> str:
    match = re.search(rf'<article id="incident-{incident}".*?</article>', html, re.S)
    assert match, f"no block for incident {incident}"
    return match.group(0)


async def _mona(context: WebContext) -> int:
    incident, _ = await context.incidents.open(
        NewIncident(
            title_ja="MONA入金の遅延",
            message_ja="MONAの入金が遅れています。",
            assets=("MONA",),
            title_en="MONA deposits delayed",
        ),
        actor="ops",
        source=Source.CLI,
    )
    return incident.id


async def test_the_page_opens_with_incident_1_in_japanese(client: Client) -> None:
    html = await (await client.get("/")).text()
    block = _block(html, 1)
    assert html.index('id="incidents"') < html.index('id="assets"')  # at the top
    assert "障害 #1: Zaif 仮想通貨不正流出(BTC・MONA・BCH)" in block
    assert "原因特定" in block and "深刻" in block and "全銘柄" in block
    latest = block.split('class="latest"')[1].split("</div>")[0]
    assert "2018-09-25 00:00 JST" in latest
    assert "11銘柄すべての入出金が停止" in latest
    timeline = block.split("<details>")[1]
    times = re.findall(r"\d{4}-\d\d-\d\d \d\d:\d\d JST", timeline)
    assert times == [
        "2018-09-25 00:00 JST",
        "2018-09-20 00:00 JST",
        "2018-09-18 00:00 JST",
        "2018-09-17 00:00 JST",
        "2018-09-14 17:00 JST",
    ]
    assert "経緯(新しい順、5 件)" in timeline


async def test_the_page_in_english_marks_what_is_not_translated(
    client: Client, context: WebContext
) -> None:
    mona = await _mona(context)
    html = await (await client.get("/?lang=en")).text()
    first = _block(html, 1)
    assert "Incident #1: Zaif crypto-asset outflow (BTC, MONA, BCH)" in first
    assert "Identified" in first and "Critical" in first and "All assets" in first
    assert "Payment Services Act" in first
    assert UNTRANSLATED_EN not in first
    block = _block(html, mona)
    assert html.index(f'id="incident-{mona}"') < html.index('id="incident-1"')  # newest first
    assert "MONA deposits delayed" in block
    assert f"MONAの入金が遅れています。\n{UNTRANSLATED_EN}</p>" in block


async def test_a_resolved_incident_leaves_the_top_of_the_page(
    client: Client, context: WebContext
) -> None:
    await context.incidents.resolve(1, "解決しました。", actor="ops", source=Source.CLI)
    html = await (await client.get("/")).text()
    assert 'id="incidents"' not in html


async def test_the_api_lists_incidents_and_status_names_the_active_ones(
    client: Client, context: WebContext
) -> None:
    mona = await _mona(context)
    status = await (await client.get("/api/v1/status")).json()
    active = status["active_incidents"]
    assert [i["id"] for i in active] == [mona, 1]
    assert active[1]["latest_update"]["posted_at"] == "2018-09-24T15:00:00Z"
    assert active[1]["stage"] == "identified" and active[1]["all_assets"] is True
    one = await (await client.get("/api/v1/incidents/1")).json()
    assert one["slug"] == "2018-09-zaif-outflow"
    assert one["impact"] == "critical"
    assert [u["stage"] for u in one["updates"]] == [
        "investigating",
        "investigating",
        "investigating",
        "identified",
        "identified",
    ]
    assert one["updates"][0]["posted_at"] == "2018-09-14T08:00:00Z"
    assert "actor" not in one["updates"][0]
    assert one["losses"][0] == {
        "asset": "BTC",
        "stolen": "5966.1",
        "stolen_jpy": 4_250_000_000,
        "customers": "2723.4",
        "customers_jpy": 1_940_000_000,
    }
    listing = await (await client.get("/api/v1/incidents")).json()
    assert [i["id"] for i in listing["incidents"]] == [mona, 1]
    assert listing["incidents"][0]["assets"] == ["MONA"]
    missing = await client.get("/api/v1/incidents/99")
    assert missing.status == 404
    assert (await missing.json())["error"]["code"] == "not_found"
    huge = await client.get("/api/v1/incidents/99999999999999999999999")
    assert huge.status == 404
    assert (await client.get("/api/v1/incidents/abc")).status == 404


async def test_the_feed_carries_incident_updates_with_stable_ids(
    client: Client, context: WebContext
) -> None:
    mona = await _mona(context)
    await context.incidents.update(
        mona, IncidentStage.IDENTIFIED, "原因を特定しました。", actor="ops", source=Source.CLI
    )

    async def incident_entries(lang: str) -> list[feedparser.FeedParserDict]:
        feed = feedparser.parse(await (await client.get(f"/feed.atom?lang={lang}")).read())
        assert not feed.bozo
        return [e for e in feed.entries if e.tags[0].term == "incident"]

    english = await incident_entries("en")
    assert len(english) == 7  # incident 1's five updates and two of incident 2
    newest = english[0]
    assert newest.title == f"Incident #{mona} MONA deposits delayed: Identified"
    assert newest.content[0].value == f"原因を特定しました。\n{UNTRANSLATED_EN}"
    assert newest.link.endswith(f"/?lang=en#incident-{mona}")
    japanese = await incident_entries("ja")
    assert japanese[0].title == f"障害 #{mona} MONA入金の遅延: 原因特定"
    assert {e.id for e in japanese} == {e.id for e in english}
    incident = await context.incidents.get(mona)
    await context.incidents.translate(incident.updates[-1].id, "Found the cause.", actor="ops")
    again = await incident_entries("en")
    translated = next(e for e in again if e.id == newest.id)
    assert translated.content[0].value == "Found the cause."
    assert {e.id for e in again} == {e.id for e in english}  # the same entries, the same ids
