"""Fixtures for the web front end: its context over the seeded test database, and a test client."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.health import collect
from bot.metrics import Metrics
from bot.reference import shipped_reference
from bot.services.bundle import Services
from bot.settings import Settings
from bot.store import Database
from bot.web.context import WebContext
from bot.web.site import build
from tests.web.helpers import Client


@pytest.fixture
def metrics() -> Metrics:
    return Metrics()


@pytest.fixture
def services(db: Database, settings: Settings) -> Services:
    """Wired as the service wires them: every change reaches the read model at once."""
    return Services.build(db, shipped_reference(), zone=settings.zone)


@pytest.fixture
def context(db: Database, settings: Settings, metrics: Metrics, services: Services) -> WebContext:
    async def health() -> dict[str, Any]:
        return await collect(db.ping, [], discord_enabled=False)

    return WebContext(
        snapshots=services.snapshots,
        status=services.status,
        incidents=services.incidents,
        reference=services.reference,
        metrics=metrics,
        health=health,
        zone=settings.zone,
    )


@pytest.fixture
async def client(context: WebContext) -> AsyncIterator[Client]:
    async with TestClient(TestServer(build(context))) as test_client:
        yield test_client
