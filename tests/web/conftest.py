"""Fixtures for the web front end: its context over the seeded test database, and a test client."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.health import collect
from bot.metrics import Metrics
from bot.reference import shipped_reference
from bot.services.incidents import IncidentService
from bot.services.maintenance import MaintenanceService
from bot.services.orders import OrderService
from bot.services.status import StatusService
from bot.settings import Settings
from bot.store import Database
from bot.web.context import WebContext
from bot.web.site import build
from tests.web.helpers import Client


@pytest.fixture
def metrics() -> Metrics:
    return Metrics()


@pytest.fixture
def context(db: Database, settings: Settings, metrics: Metrics) -> WebContext:
    async def health() -> dict[str, Any]:
        return await collect(db.ping, [], discord_enabled=False)

    return WebContext(
        status=StatusService(db),
        orders=OrderService(db),
        incidents=IncidentService(db),
        maintenance=MaintenanceService(db),
        reference=shipped_reference(),
        metrics=metrics,
        health=health,
        zone=settings.zone,
    )


@pytest.fixture
async def client(context: WebContext) -> AsyncIterator[Client]:
    async with TestClient(TestServer(build(context))) as test_client:
        yield test_client
