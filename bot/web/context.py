"""What the web front end reads from: the services, the shipped facts, metrics and health."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.clock import utcnow
from bot.metrics import Metrics
from bot.reference import Reference
from bot.services.incidents import IncidentService
from bot.services.maintenance import MaintenanceService
from bot.services.orders import OrderService
from bot.services.status import StatusService
from bot.services.translations import TranslationService

HealthProbe = Callable[[], Awaitable[dict[str, Any]]]


@dataclass(frozen=True, slots=True)
class WebContext:
    status: StatusService
    orders: OrderService
    incidents: IncidentService
    maintenance: MaintenanceService
    reference: Reference
    metrics: Metrics
    health: HealthProbe
    zone: ZoneInfo
    public_url: str = ""  # when set, absolute links (the feed) use it instead of the request's host
    clock: Callable[[], datetime] = utcnow  # "now" for the page: tests show 2018 as it was
    translations: TranslationService | None = None  # counted for /metrics
