"""/healthz (the health protocol) and /metrics."""

from __future__ import annotations

from typing import Any

from aiohttp.test_utils import TestClient as _Client
from aiohttp.test_utils import TestServer as _Server

from bot.health import collect
from bot.metrics import Metrics
from bot.store import Database
from bot.web.context import WebContext
from bot.web.site import build
from tests.web.helpers import Client


class Plain:
    """A component that says nothing about its health."""

    name = "watcher"


class Dispatcher:
    name = "dispatcher"

    def __init__(self, alive: bool) -> None:
        self.alive = alive

    def health(self) -> dict[str, Any]:
        return {"ok": self.alive, "state": "running" if self.alive else "stopped", "pending": 3}


class Discord:
    name = "discord"

    async def health(self) -> dict[str, Any]:
        return {"ok": True, "state": "connected", "latency_ms": 42}


class Broken:
    name = "broken"

    def health(self) -> dict[str, Any]:
        raise RuntimeError("boom")


async def test_healthz_reports_database_and_discord_off(client: Client) -> None:
    response = await client.get("/healthz")
    assert response.status == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert await response.json() == {
        "ok": True,
        "checks": {
            "database": {"ok": True, "state": "reachable"},
            "discord": {"ok": True, "state": "off"},
        },
    }


async def test_components_with_and_without_health(db: Database) -> None:
    report = await collect(
        db.ping, [Plain(), Dispatcher(alive=True), Discord()], discord_enabled=True
    )
    assert report["ok"] is True
    checks = report["checks"]
    assert checks["watcher"] == {"ok": True, "state": "running"}
    assert checks["dispatcher"]["pending"] == 3
    assert checks["discord"] == {"ok": True, "state": "connected", "latency_ms": 42}


async def test_a_dead_dispatcher_or_broken_report_is_unhealthy(db: Database) -> None:
    dead = await collect(db.ping, [Dispatcher(alive=False)], discord_enabled=False)
    assert dead["ok"] is False
    assert dead["checks"]["dispatcher"]["state"] == "stopped"
    broken = await collect(db.ping, [Broken()], discord_enabled=False)
    assert broken["ok"] is False
    assert broken["checks"]["broken"] == {"ok": False, "state": "unknown", "error": "RuntimeError"}


async def test_healthz_is_503_when_the_database_is_gone(context: WebContext, db: Database) -> None:
    async def health() -> dict[str, Any]:
        return await collect(db.ping, [Plain()], discord_enabled=False)

    app = build(
        WebContext(
            status=context.status,
            orders=context.orders,
            incidents=context.incidents,
            maintenance=context.maintenance,
            reference=context.reference,
            metrics=context.metrics,
            health=health,
            zone=context.zone,
        )
    )
    await db.close()
    async with _Client(_Server(app)) as client:
        response = await client.get("/healthz")
        assert response.status == 503
        body = await response.json()
    assert body["ok"] is False
    assert body["checks"]["database"]["ok"] is False
    assert body["checks"]["watcher"]["ok"] is True


async def test_metrics_in_prometheus_text_format(client: Client, metrics: Metrics) -> None:
    metrics.deliveries.labels(outcome="sent", transport="webhook").inc(2)
    metrics.feed_polls.labels(feed="fsa-ja").inc()
    metrics.command_latency.labels(command="status").observe(0.2)
    response = await client.get("/metrics")
    assert response.status == 200
    assert response.headers["Content-Type"] == "text/plain; version=0.0.4; charset=utf-8"
    text = await response.text()
    assert 'bot_deliveries_total{outcome="sent",transport="webhook"} 2.0' in text
    assert 'bot_feed_polls_total{feed="fsa-ja"} 1.0' in text
    assert 'bot_command_latency_seconds_count{command="status"} 1.0' in text
    assert "bot_deliveries_pending 0.0" in text
