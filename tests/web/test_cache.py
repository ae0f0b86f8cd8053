"""Served from the snapshot as bytes: at once after a change here, ETag and 304, HEAD, gzip,
and headers a CDN can use, without losing the security headers."""

from __future__ import annotations

import asyncio
import gzip
from datetime import timedelta

import aiohttp
import pytest

from bot.clock import utcnow
from bot.domain import (
    Direction,
    NewIncident,
    NewMaintenance,
    Reason,
    Source,
    State,
    StatusRequest,
    Target,
)
from bot.services.bundle import Services
from bot.web.cache import CACHE_CONTROL, GZIP_MIN_BYTES, accepts_gzip, matches
from bot.web.context import WebContext
from bot.web.keys import RENDERED
from tests.web.helpers import Client, reopen
from tests.web.test_security import assert_locked_down

CACHEABLE = [
    "/",
    "/?lang=en",
    "/api/v1/status",
    "/api/v1/assets/BTC",
    "/api/v1/assets/BTC/history",
    "/api/v1/orders",
    "/api/v1/openapi.json",
    "/api/v1/incidents",
    "/api/v1/incidents/1",
    "/api/v1/maintenances",
    "/feed.atom",
    "/calendar.ics",
]
PLAIN = {"Accept-Encoding": "identity"}


async def test_a_change_here_is_on_the_page_the_api_and_the_feed_at_once(
    client: Client, context: WebContext
) -> None:
    for path in ("/?lang=en", "/api/v1/status", "/feed.atom?lang=en"):
        assert (await client.get(path)).status == 200  # rendered and kept before the change
    await context.status.change(reopen("ZAIF", note="cold wallet rebuilt"))
    page = await (await client.get("/?lang=en")).text()
    assert "cold wallet rebuilt" in page.split('id="asset-ZAIF"')[1].split("</tr>")[0]
    status = await (await client.get("/api/v1/status")).json()
    zaif = next(a for a in status["assets"] if a["code"] == "ZAIF")
    assert zaif["deposit"]["state"] == zaif["withdrawal"]["state"] == "operational"
    feed = await (await client.get("/feed.atom?lang=en")).text()
    assert feed.index("cold wallet rebuilt") < feed.index("<entry>", feed.index("<entry>") + 1)


async def test_an_incident_and_a_window_opened_here_show_at_once(
    client: Client, services: Services
) -> None:
    for path in ("/?lang=en", "/api/v1/status", "/feed.atom?lang=en", "/calendar.ics"):
        assert (await client.get(path)).status == 200
    incident, _ = await services.incidents.open(
        NewIncident(
            title_ja="BCH出金の遅延",
            message_ja="BCHの出金が遅れています。",
            assets=("BCH",),
            title_en="BCH withdrawals delayed",
        ),
        actor="ops",
        source=Source.CLI,
    )
    starts = utcnow() + timedelta(hours=5)
    window, _ = await services.maintenance.schedule(
        NewMaintenance(
            assets=("XCP",),
            direction="both",
            starts_at=starts,
            ends_at=starts + timedelta(hours=1),
            reason=Reason.WALLET_UPGRADE,
            note_ja="ノードを更新します",
        ),
        actor="ops",
        source=Source.CLI,
    )
    page = await (await client.get("/?lang=en")).text()
    assert "BCH withdrawals delayed" in page and "XCP" in page.split('id="maintenance"')[1]
    status = await (await client.get("/api/v1/status")).json()
    assert incident.id in [i["id"] for i in status["active_incidents"]]
    assert [w["id"] for w in status["upcoming_maintenance"]] == [window.id]
    feed = await (await client.get("/feed.atom?lang=en")).text()
    assert "BCH withdrawals delayed" in feed
    calendar = await (await client.get("/calendar.ics")).text()
    assert f"maintenance-{window.id}@" in calendar


@pytest.mark.parametrize("path", CACHEABLE)
async def test_a_matching_etag_is_answered_with_304(client: Client, path: str) -> None:
    first = await client.get(path, headers=PLAIN)
    etag = first.headers["ETag"]
    assert first.status == 200 and etag.startswith('"')
    assert first.headers["Cache-Control"] == CACHE_CONTROL
    again = await client.get(path, headers={**PLAIN, "If-None-Match": etag})
    assert again.status == 304
    assert await again.read() == b""
    assert again.headers["ETag"] == etag
    assert again.headers["Cache-Control"] == CACHE_CONTROL
    assert_locked_down(again.headers, path)
    weak = await client.get(path, headers={**PLAIN, "If-None-Match": f'"other", W/{etag}'})
    assert weak.status == 304
    stale = await client.get(path, headers={**PLAIN, "If-None-Match": '"something-else"'})
    assert stale.status == 200 and await stale.read() == await first.read()


async def test_a_change_gives_a_new_etag(client: Client, context: WebContext) -> None:
    before = (await client.get("/api/v1/status", headers=PLAIN)).headers["ETag"]
    await context.status.change(reopen("BCY"))
    after = await client.get("/api/v1/status", headers={**PLAIN, "If-None-Match": before})
    assert after.status == 200 and after.headers["ETag"] != before


def test_cache_control_lets_a_cdn_keep_it_briefly() -> None:
    parts = {
        p.strip().partition("=")[0]: p.strip().partition("=")[2] for p in CACHE_CONTROL.split(",")
    }
    assert "public" in parts
    assert 1 <= int(parts["max-age"]) <= 5
    assert int(parts["stale-while-revalidate"]) > 0


@pytest.mark.parametrize("path", CACHEABLE)
async def test_head_is_answered_from_the_same_bytes(client: Client, path: str) -> None:
    for encoding in ("identity", "gzip"):
        got = await client.get(path, headers={"Accept-Encoding": encoding}, auto_decompress=False)
        body = await got.read()
        head = await client.head(path, headers={"Accept-Encoding": encoding})
        assert head.status == 200
        assert await head.read() == b""
        assert head.headers["ETag"] == got.headers["ETag"]
        assert int(head.headers["Content-Length"]) == len(body)
        assert head.headers["Content-Type"] == got.headers["Content-Type"]
        assert_locked_down(head.headers, path)


@pytest.mark.parametrize("path", CACHEABLE)
async def test_gzip_when_asked_and_not_otherwise(client: Client, path: str) -> None:
    url = client.make_url(path)
    async with aiohttp.ClientSession(auto_decompress=False) as session:
        async with session.get(url, headers=PLAIN) as plain:
            plain_body = await plain.read()
            assert "Content-Encoding" not in plain.headers
        async with session.get(url, headers={"Accept-Encoding": "gzip, deflate"}) as packed:
            packed_body = await packed.read()
            assert "Accept-Encoding" in packed.headers["Vary"]
            if len(plain_body) < GZIP_MIN_BYTES:  # too small to gain: sent as it is
                assert "Content-Encoding" not in packed.headers
                return
            assert packed.headers["Content-Encoding"] == "gzip"
        async with session.get(url, headers={"Accept-Encoding": "gzip;q=0, br"}) as refused:
            assert "Content-Encoding" not in refused.headers
    assert gzip.decompress(packed_body) == plain_body
    assert len(packed_body) < len(plain_body)
    assert packed.headers["ETag"] != plain.headers["ETag"]  # two representations, two tags


async def test_vary_names_the_language_only_when_it_was_negotiated(client: Client) -> None:
    negotiated = await client.get("/feed.atom", headers={"Accept-Language": "en"})
    assert negotiated.headers["Vary"] == "Accept-Language, Accept-Encoding"
    chosen = await client.get("/feed.atom?lang=en")
    assert chosen.headers["Vary"] == "Accept-Encoding"
    assert (await client.get("/api/v1/status")).headers["Vary"] == "Accept-Encoding"


async def test_fifty_requests_after_a_change_render_once(
    client: Client, context: WebContext
) -> None:
    await client.get("/?lang=en")
    await context.status.change(reopen("XCP"))
    rendered = client.app[RENDERED]
    before = rendered.renders
    pages = await asyncio.gather(*(client.get("/?lang=en", headers=PLAIN) for _ in range(50)))
    assert {p.status for p in pages} == {200}
    assert len({p.headers["ETag"] for p in pages}) == 1
    assert rendered.renders == before + 1


async def test_long_history_still_comes_from_the_database(
    client: Client, context: WebContext
) -> None:
    for n in range(30):
        await context.status.change(reopen("MONA", note=f"n{n}") if n % 2 == 0 else _halt("MONA"))
    short = await (await client.get("/api/v1/assets/MONA/history?limit=5")).json()
    long = await (await client.get("/api/v1/assets/MONA/history?limit=61")).json()
    assert [c["note"] for c in short["changes"]] == [c["note"] for c in long["changes"][:5]]
    assert len(long["changes"]) == 61
    assert (await client.get("/api/v1/assets/MONA/history?limit=101")).status == 400


def _halt(asset: str) -> StatusRequest:
    return StatusRequest(
        targets=tuple(Target(asset, d, State.SUSPENDED) for d in Direction),
        reason=Reason.SECURITY_INCIDENT,
        note="halt",
        actor="ops",
        source=Source.CLI,
    )


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("gzip", True),
        ("gzip, deflate, br", True),
        ("GZIP;q=0.5", True),
        ("gzip;q=0", False),
        ("identity", False),
        ("", False),
        ("*", True),
        ("*;q=0", False),
        ("gzip;q=0, *", False),
        ("br, *;q=0.1", True),
    ],
)
def test_accept_encoding(header: str, expected: bool) -> None:
    assert accepts_gzip(header) is expected


def test_if_none_match() -> None:
    assert matches('"a"', '"a"')
    assert matches('W/"a"', '"a"')
    assert matches('"b", "a"', '"a"')
    assert matches("*", '"a"')
    assert not matches('"b"', '"a"')
    assert not matches(None, '"a"')
